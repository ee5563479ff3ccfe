/* values.c — field values as text and back (values.h). No curses. */
#include <errno.h>
#include <stdarg.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "ticketed/errmsg.h"
#include "ticketed/cfmeta.h"
#include "ticketed/cfvalue.h"
#include "ticketed/date.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/mlstring.h"
#include "ticketed/num.h"
#include "ticketed/servertz.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

int value_parse_int32(const char *s, bool allow_sign, long *out)
{
	long long v;
	if (num_parse(s, allow_sign ? INT32_MIN : 0, INT32_MAX, &v, NULL) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

static char *date_edit_text(const cJSON *v);

static const cJSON *current(const model *m, const field_def *f, const char *sub)
{
	return sub ? model_map_value(m, f, sub) : model_value(m, f);
}

/* ---- the user's language ------------------------------------------------- */

static char display_lang[40];

void value_set_language(const char *tag)
{
	snprintf(display_lang, sizeof display_lang, "%s", tag ? tag : "");
}

char *value_name_text(const char *s)
{
	char *t = ml_pick(s ? s : "", display_lang[0] ? display_lang : NULL);
	return t ? t : xstrdup(s ? s : "");  /* ml_pick is NULL only out of memory */
}

/* ---- custom field values (CustomFields: a StringDictionary of encoded values) */

/* The kind custom field KEY is typed by: its definition's (M's metadata),
 * else what the JSON type of a legacy value V says, else CFK_UNKNOWN (the
 * encoding of a string decides). */
static cf_kind custom_kind(const model *m, const char *key, const cJSON *v, const cf_field **def)
{
	const cf_field *d = cfmeta_find(m ? m->cf : NULL, key);
	if (def)
		*def = d;
	if (d && d->kind != CFK_UNKNOWN)
		return d->kind;
	if (cJSON_IsBool(v))
		return CFK_CHECKBOX;
	if (cJSON_IsNumber(v))
		return v->valuedouble == (double)(long long)v->valuedouble ? CFK_INTEGER : CFK_DECIMAL;
	return CFK_UNKNOWN;
}

/* V (the value of custom field KEY) decoded: 0, or -1 when it is not a
 * string that decodes by its kind. */
static int custom_decode(const model *m, const char *key, const cJSON *v, cf_value *out)
{
	text_error te;
	if (!cJSON_IsString(v))
		return -1;
	return cf_decode(v->valuestring, custom_kind(m, key, v, NULL), out, &te);
}

char *value_custom_text(const model *m, const char *key, const cJSON *v)
{
	cf_value cv;
	char buf[512];
	if (custom_decode(m, key, v, &cv) == 0 && !cv.text && cf_display(&cv, buf, sizeof buf) >= 0)
		return xstrdup(buf);
	if (custom_decode(m, key, v, &cv) == 0 && cv.text)
		return xstrndup(cv.text, cv.text_len);
	return form_json_text(v);  /* a value that does not fit its type is shown as it came */
}

cJSON *value_custom_toggle(const model *m, const field_def *f, const char *key)
{
	const cJSON *v = model_map_value(m, f, key);
	cf_value cv;
	char buf[64];
	text_error te;
	if (custom_kind(m, key, v, NULL) != CFK_CHECKBOX || !cJSON_IsString(v) ||
	    cf_decode(v->valuestring, CFK_CHECKBOX, &cv, &te) < 0)
		return NULL;
	if (cv.empty) {  /* an unset checkbox: written as the encoder writes one */
		memset(&cv, 0, sizeof cv);
		cv.kind = CFK_CHECKBOX;
		cv.style.enc = CFE_I;
		cv.i = 0;
	}
	cv.i = !cv.i;
	if (cf_encode(&cv, buf, sizeof buf) < 0)
		return NULL;
	return cJSON_CreateString(buf);
}

bool value_custom_is_checkbox(const model *m, const field_def *f, const char *key)
{
	return custom_kind(m, key, model_map_value(m, f, key), NULL) == CFK_CHECKBOX;
}

char *value_edit_text(const model *m, const field_def *f, const char *sub)
{
	const cJSON *v = current(m, f, sub);
	if (!sub && f->kind == FK_DATE)
		return date_edit_text(v);
	if (sub && cJSON_IsString(v))
		return value_custom_text(m, sub, v);
	if (!sub && f->kind == FK_REF)
		return form_json_text(cJSON_IsObject(v) && f->key ? json_get_ci(v, f->key) : NULL);
	if (!sub && (f->kind == FK_REFSET || f->kind == FK_READONLY))
		return value_text(f, v, NULL, NULL);
	return form_json_text(v);
}

cJSON *value_parse_custom(const char *text, char *err, size_t errlen)
{
	const char *p = text;
	char perr[200];
	size_t len;
	cJSON *v;
	while (*p == ' ')
		p++;
	len = strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	if (len && p[0] == '"') {
		v = json_parse(p, len, "value", perr, sizeof perr);
		if (!cJSON_IsString(v)) {
			cJSON_Delete(v);
			seterr(err, errlen, "a quoted value must be one JSON string (\"text\")");
			return NULL;
		}
		return v;
	}
	v = len ? json_parse(p, len, "value", perr, sizeof perr) : NULL;
	if (v && (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v)))
		return v;
	cJSON_Delete(v);
	return cJSON_CreateString(text);  /* bare text is a string, as typed */
}

/* The byte offset of the 1-based character column COL of TEXT ((size_t)-1
 * when COL is 0: no one place is at fault). */
static size_t col_offset(const char *text, int col)
{
	size_t i = 0;
	if (col <= 0)
		return (size_t)-1;
	while (--col > 0 && text[i])
		do
			i++;
		while (((unsigned char)text[i] & 0xc0) == 0x80);
	return i;
}

/* Where TEXT stops being a whole number in [MIN, MAX] ((size_t)-1: the
 * range, not a character, is the problem). */
static size_t bad_digit(const char *text, long long min, long long max)
{
	text_error te = { 0, "" };
	long long v;
	if (num_parse(text, min, max, &v, &te) == 0)
		return (size_t)-1;
	return col_offset(text, te.col);
}

/* One key of CustomFields: what is typed, by the field's kind (its
 * definition, else the encoding of the value it has), written back in the
 * style of that value (an integer stays [I:n], a date keeps its form), or as
 * the encoder writes a new one. Always a string: the service's CustomFields
 * is a StringDictionary. */
static int custom_from_text(const model *m, const field_def *f, const char *sub, const char *text,
                            cJSON **out, char *err, size_t errlen, size_t *errpos)
{
	const cJSON *cur = model_map_value(m, f, sub);
	const cf_field *def;
	cf_kind kind = custom_kind(m, sub, cur, &def);
	cf_value base, v;
	text_error te = { 0, "" };
	char buf[512];
	bool have = false;
	if (cJSON_IsString(cur)) {
		have = cf_decode(cur->valuestring, kind, &base, &te) == 0;
		if (kind == CFK_UNKNOWN && have)
			kind = base.kind;  /* the encoding decides: [I:14] edits as a whole number */
	}
	if (cf_from_user(kind, text, have ? &base : NULL, &v, &te) < 0) {
		*errpos = col_offset(text, te.col);
		seterr(err, errlen, "is not %s %s value: %s", kind == CFK_INTEGER ? "an" : "a", cf_kind_name(kind),
		         te.msg);
		return -1;
	}
	if (v.empty && def && def->mandatory) {
		seterr(err, errlen, "is mandatory and cannot be emptied");
		return -1;
	}
	if (cf_encode(&v, buf, sizeof buf) < 0) {
		seterr(err, errlen, "is too long");
		return -1;
	}
	*out = cJSON_CreateString(buf);
	return 0;
}

/* ---- dates: shown and typed in the user's zone ---------------------------- */

static char *dates_server_tz;   /* the config's server_timezone, or NULL */

void value_dates_init(const char *server_tz)
{
	free(dates_server_tz);
	dates_server_tz = server_tz && *server_tz ? xstrdup(server_tz) : NULL;
}

/* The user's zone is the process's local time (TZ). */
static int local_offset_at(int64_t utc, void *ctx)
{
	time_t t = (time_t)utc;
	struct tm tm;
	(void)ctx;
	return localtime_r(&t, &tm) ? (int)(tm.tm_gmtoff / 60) : 0;
}

static void user_zone(date_zone *z)
{
	const char *tz = getenv("TZ");
	if (tz && *tz == ':')
		tz++;
	memset(z, 0, sizeof *z);
	z->name = tz && *tz ? tz : NULL;
	z->offset_at = local_offset_at;
}

/* The server's zone (server_timezone), for offsets of dates written back. */
static int server_offset_at(int64_t utc, void *ctx)
{
	char naive[40];
	tdate d;
	int o1 = 0, o2 = 0;
	date_from_unix(utc, 0, DATE_NAIVE, 0, 0, &d);  /* the instant's wall clock in UTC */
	date_format(&d, naive, sizeof naive);
	if (servertz_offset((const char *)ctx, naive, &o1, NULL, 0) < 0)
		return 0;
	date_from_unix(utc, 0, DATE_NAIVE, o1, 0, &d);  /* then in the zone: right across a change */
	date_format(&d, naive, sizeof naive);
	return servertz_offset((const char *)ctx, naive, &o2, NULL, 0) < 0 ? o1 : o2;
}

/* The server's zone, or false when server_timezone is not configured. */
static bool server_zone(date_zone *z)
{
	int fixed;
	memset(z, 0, sizeof *z);
	if (!dates_server_tz)
		return false;
	if (date_fixed_offset(dates_server_tz, &fixed) == 1) {
		date_zone_fixed(z, fixed, dates_server_tz);
		return true;
	}
	z->name = dates_server_tz;
	z->offset_at = server_offset_at;
	z->ctx = dates_server_tz;
	return true;
}

void value_zone_label(char *buf, size_t n)
{
	date_zone z;
	user_zone(&z);
	if (z.name)
		snprintf(buf, n, "%s", z.name);
	else
		date_zone_label(&z, (int64_t)time(NULL), buf, n);
}

/* S, a date from the service, parsed (naive dates in the server's zone). */
static bool read_service_date(const char *s, tdate *d)
{
	int naive = 0;
	char err[160];
	if (servertz_offset(dates_server_tz, s, &naive, err, sizeof err) < 0)
		naive = 0;
	return date_read(s, naive, d, err, sizeof err) == 0;
}

char *value_date_show(const char *s)
{
	tdate d;
	date_zone z;
	char buf[64];
	if (!s)
		return xstrdup("");
	if (!read_service_date(s, &d))
		return xstrdup(s);  /* not a date after all: as it came */
	user_zone(&z);
	date_show(&d, &z, buf, sizeof buf);
	return xstrdup(buf);
}

char *value_date_minute(const char *s)
{
	char *d = value_date_show(s);
	size_t l = strlen(d);
	/* "2026-11-26 15:02:44 (Thu)": the seconds go */
	if (l > 19 && d[10] == ' ' && d[13] == ':' && d[16] == ':' && d[19] == ' ')
		memmove(d + 16, d + 19, l - 19 + 1);
	return d;
}

/* What the line editor starts with for date S: the shown date without the
 * weekday ("2026-11-28 16:00"), which it reads back unchanged. */
static char *date_edit_text(const cJSON *v)
{
	char *t = value_date_show(cJSON_IsString(v) ? v->valuestring : NULL), *paren = strstr(t, " (");
	if (paren && cJSON_IsString(v) && strcmp(t, v->valuestring))
		*paren = 0;
	return t;
}

/* A date of M the way the service writes dates: the field's own value,
 * else LastChanged or CreatedAt (an empty date says nothing about it). */
static bool date_template(const model *m, const field_def *f, tdate *out)
{
	static const char *const others[] = { "LastChanged", "CreatedAt" };
	const cJSON *b = model_base(m, f);
	if (cJSON_IsString(b) && read_service_date(b->valuestring, out) && !out->empty)
		return true;
	for (size_t i = 0; i < sizeof others / sizeof others[0]; i++) {
		const cJSON *o = json_get_ci(m->base, others[i]);
		if (cJSON_IsString(o) && read_service_date(o->valuestring, out) && !out->empty)
			return true;
	}
	return false;
}

static int date_from_text(const model *m, const field_def *f, const char *text, cJSON **out,
                          char *err, size_t errlen, size_t *errpos)
{
	tdate tmpl, d;
	date_zone uz, sz;
	date_typed typed;
	text_error te = { 0, "" };
	char buf[64], *was = date_edit_text(model_value(m, f));
	bool have = date_template(m, f, &tmpl), same = !strcmp(was, text);
	free(was);
	if (same) {  /* the text it started from: nothing typed, nothing changed */
		const cJSON *cur = model_value(m, f);
		*out = cur ? cJSON_Duplicate(cur, 1) : NULL;
		return 0;
	}
	user_zone(&uz);
	if (date_parse_typed(text, (int64_t)time(NULL), &uz, &typed, &te) < 0) {
		seterr(err, errlen, "is not a date: %s", te.msg);
		*errpos = col_offset(text, te.col);
		return -1;
	}
	date_for_server(&typed, have ? &tmpl : NULL, server_zone(&sz) ? &sz : NULL, &d);
	date_format(&d, buf, sizeof buf);
	*out = cJSON_CreateString(buf);
	return 0;
}

void value_date_zone_used(const char *text, char *buf, size_t n)
{
	date_zone uz;
	date_typed typed;
	text_error te;
	user_zone(&uz);
	buf[0] = 0;
	if (date_parse_typed(text, (int64_t)time(NULL), &uz, &typed, &te) == 0 && !typed.empty)
		snprintf(buf, n, "%s", typed.zone_used);
}

int value_from_text(const model *m, const field_def *f, const char *sub, const char *text,
                    const char *server_tz, cJSON **out, char *err, size_t errlen, size_t *errpos)
{
	long n;
	*out = NULL;
	*errpos = (size_t)-1;
	if (err && errlen)
		err[0] = 0;
	if (sub)
		return custom_from_text(m, f, sub, text, out, err, errlen, errpos);
	if ((f->kind == FK_STRING || f->kind == FK_DATE) && !*text && schema_field_mandatory(m->base, f)) {
		seterr(err, errlen, "is mandatory and cannot be empty");
		return -1;
	}
	switch (f->kind) {
	case FK_INT32:
	case FK_REF:
		if (value_parse_int32(text, f->kind == FK_INT32, &n) < 0) {
			*errpos = bad_digit(text, f->kind == FK_INT32 ? INT32_MIN : 0, INT32_MAX);
			seterr(err, errlen, "is not a whole number in the int32 range%s",
			         f->kind == FK_REF ? " (type the id)" : "");
			return -1;
		}
		if (f->kind == FK_INT32) {
			*out = cJSON_CreateNumber((double)n);
			return 0;
		}
		{
			const cJSON *cur = model_value(m, f), *old = cJSON_IsObject(cur) ? json_get_ci(cur, f->key) : NULL;
			if (json_is_int32(old) && (long)old->valuedouble == n) {
				*out = cJSON_Duplicate(cur, 1);  /* unchanged: keep the names */
				return 0;
			}
		}
		*out = value_ref(f, n, NULL);
		return 0;
	case FK_DATE:
		(void)server_tz;  /* value_dates_init has it */
		return date_from_text(m, f, text, out, err, errlen, errpos);
	default:
		*out = cJSON_CreateString(text);
		return 0;
	}
}

cJSON *value_ref(const field_def *f, long id, const char *item)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, f->key, (double)id);
	if (f->display && item) {
		const char *paren = strrchr(item, '(');
		if (paren && paren > item) {
			char *name = xstrndup(item, (size_t)(paren - item - 1));
			cJSON_AddStringToObject(o, f->display, name);
			free(name);
		}
	}
	return o;
}

/* ---- values as text ---------------------------------------------------- */

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
static char *fmt(const char *f, ...)
{
	va_list ap;
	char *s;
	int n;
	va_start(ap, f);
	n = vsnprintf(NULL, 0, f, ap);
	va_end(ap);
	s = xmalloc((size_t)n + 1);
	va_start(ap, f);
	vsnprintf(s, (size_t)n + 1, f, ap);
	va_end(ap);
	return s;
}

static const char *nonempty(const cJSON *s)
{
	return cJSON_IsString(s) && s->valuestring[0] ? s->valuestring : NULL;
}

/* The name of a reference or set element: its display member, else Name,
 * else (key only) the name in the cached MDO list; a multi-language name in
 * the user's language. malloc'd, or NULL. */
static char *elem_name(const field_def *f, const cJSON *el, const cJSON *lists)
{
	const cJSON *k = f->key ? json_get_ci(el, f->key) : NULL;
	const cJSON *list = lists && f->list ? json_get(lists, f->list) : NULL;
	const char *n = f->display ? nonempty(json_get_ci(el, f->display)) : NULL;
	if (!n)
		n = nonempty(json_get_ci(el, "Name"));
	if (!n && json_is_int32(k) && list)
		n = value_list_name(list, (long)k->valuedouble);
	if (!n && json_is_int32(k) && lists && f->key) {  /* a name looked up by id */
		char ids[24];
		snprintf(ids, sizeof ids, "%ld", (long)k->valuedouble);
		n = nonempty(json_get(json_get(json_get(lists, VALUE_NAMES), f->key), ids));
	}
	return n ? value_name_text(n) : NULL;
}

char *value_elem_text(const field_def *f, const cJSON *el, const cJSON *lists)
{
	const cJSON *k = f->key ? json_get_ci(el, f->key) : NULL;
	const char *mail = nonempty(json_get_ci(el, "Email"));
	char *ks, *out, *name;
	if (!cJSON_IsObject(el) || !k)
		return form_json_text(el);
	name = elem_name(f, el, lists);
	ks = form_json_text(k);
	if (mail)
		out = fmt("%s <%s> (%s)", name ? name : "", mail, ks);
	else if (name)
		out = fmt("%s (%s)", name, ks);
	else if (!strcasecmp(f->name, "OwnedBy") && (!strcmp(ks, "0") || !strcmp(ks, "2147483647")))
		out = fmt("%s (%s)", ks[0] == '0' ? "Unassigned" : "Automatic", ks);
	else
		out = fmt("(%s)", ks);
	free(ks);
	free(name);
	return out;
}

static char *set_text(const field_def *f, const cJSON *v, const cJSON *lists)
{
	const cJSON *c;
	size_t len = 0, cap = 64;
	char *out = xmalloc(cap);
	out[0] = 0;
	cJSON_ArrayForEach(c, v) {
		char *name = elem_name(f, c, lists);
		char *t = name ? name : form_json_text(f->key ? json_get_ci(c, f->key) : c);
		size_t tl = strlen(t);
		if (len + tl + 3 > cap) {
			cap = (len + tl + 3) * 2;
			out = xrealloc(out, cap);
		}
		len += (size_t)snprintf(out + len, cap - len, "%s%s", len ? ", " : "", t);
		free(t);
	}
	if (!len) {
		free(out);
		return xstrdup("(none)");
	}
	return out;
}

/* Whether S is a date the way the service writes them (a read-only field
 * holding one is shown as a date). */
static bool is_service_date(const char *s)
{
	tdate d;
	char err[8];
	return strlen(s) >= 19 && s[4] == '-' && s[10] == 'T' && date_parse(s, 0, &d, err, sizeof err) == 0;
}

char *value_text(const field_def *f, const cJSON *v, const cJSON *lists, const char *empty)
{
	if (!v)
		return xstrdup(empty ? empty : "");
	if (f->kind == FK_DATE && (cJSON_IsString(v) || cJSON_IsNull(v)))
		return value_date_show(cJSON_IsString(v) ? v->valuestring : NULL);
	if (f->kind == FK_READONLY && cJSON_IsString(v) && is_service_date(v->valuestring))
		return value_date_show(v->valuestring);
	if (f->key && cJSON_IsObject(v) && f->kind != FK_REFSET)
		return value_elem_text(f, v, lists);
	if (f->kind == FK_REFSET && cJSON_IsArray(v))
		return set_text(f, v, lists);
	return form_json_text(v);
}

/* ---- reference pick-list items ------------------------------------------ */

typedef struct {
	char **v;
	long *ids;
	size_t n, cap;
} item_acc;

static void items_add(item_acc *a, char *label, long id)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = xreallocarray(a->v, a->cap, sizeof *a->v);
		a->ids = xreallocarray(a->ids, a->cap, sizeof *a->ids);
	}
	a->v[a->n] = label;
	a->ids[a->n++] = id;
}

/* An MDO item's name: FullName (the full path for categories) if set, else Name. */
static const char *item_name(const cJSON *it)
{
	const char *fn = nonempty(json_get_ci(it, "FullName")), *nm = nonempty(json_get_ci(it, "Name"));
	return fn ? fn : nm ? nm : "";
}

/* The same in the user's language (a multi-language name decoded); malloc'd. */
static char *item_label(const cJSON *it)
{
	return value_name_text(item_name(it));
}

static bool item_id(const cJSON *it, long *id)
{
	const cJSON *j = json_get_ci(it, "Id");
	if (!json_is_int32(j))
		return false;
	*id = (long)j->valuedouble;
	return true;
}

/* Items of ARR and, depth first, of their ChildItems (a hierarchical list:
 * a child's short name gets its parent's path in front). */
static void add_tree(item_acc *a, const cJSON *arr, const char *prefix, long current, bool have,
                     long *sel, int depth)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		char *name = item_label(it);
		size_t pl = strlen(prefix);
		char *path;
		long id;
		bool deleted = cJSON_IsTrue(json_get_ci(it, "Deleted"));
		const cJSON *kids = json_get_ci(it, "ChildItems");
		if (!item_id(it, &id)) {
			free(name);
			continue;
		}
		path = pl && strncmp(name, prefix, pl) != 0 ? fmt("%s/%s", prefix, name) : xstrdup(name);
		free(name);
		if (!deleted || (have && id == current)) {
			if (have && id == current && *sel < 0)
				*sel = (long)a->n;
			items_add(a, fmt("%s (%ld)%s", path, id, deleted ? " \u2013 deleted" : ""), id);
		}
		if (cJSON_IsArray(kids) && depth < 16)
			add_tree(a, kids, path, current, have, sel, depth + 1);
		free(path);
	}
}

size_t value_ref_items(const field_def *f, const cJSON *list, long current, bool have_current,
                       char ***items, long **ids, long *sel)
{
	item_acc a = { NULL, NULL, 0, 0 };
	*sel = -1;
	if (!strcasecmp(f->name, "OwnedBy")) {  /* the two magic ids of OwnedBy */
		if (have_current && current == 0)
			*sel = 0;
		items_add(&a, xstrdup("Unassigned (0)"), 0);
		if (have_current && current == VALUE_OWNER_AUTO)
			*sel = 1;
		items_add(&a, xstrdup("Automatic (2147483647)"), VALUE_OWNER_AUTO);
	}
	add_tree(&a, list, "", current, have_current, sel, 0);
	*items = a.v;
	*ids = a.ids;
	return a.n;
}

static const char *find_name(const cJSON *list, long id, int depth)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		long k;
		const cJSON *kids = json_get_ci(it, "ChildItems");
		const char *n;
		if (item_id(it, &k) && k == id)
			return item_name(it);
		if (cJSON_IsArray(kids) && depth < 16 && (n = find_name(kids, id, depth + 1)))
			return n;
	}
	return NULL;
}

const char *value_list_name(const cJSON *list, long id) { return find_name(list, id, 0); }

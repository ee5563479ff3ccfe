/* apply.c — what ticketd does with a PATCH or PUT: apply to a copy (atomic),
 * refuse read-only and unknown fields and wrong types, resolve references
 * from the list tables, keep the ticket's date style, check rights, bump
 * LastChanged only on an effective change. Also $select, the response date
 * style and the MDO lists. */
#include "ticketd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ticketed/date.h"
#include "ticketed/json.h"
#include "ticketed/patch.h"
#include "ticketed/schema.h"

#define OWNER_AUTO 2147483647

static int fail(td_err *e, int status, const char *type, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int fail(td_err *e, int status, const char *type, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	e->status = status;
	e->type = type;
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
	return -1;
}

#define BAD "SoArgumentException"

/* A short description of a JSON value for error messages. */
static const char *kind_name(const cJSON *v)
{
	if (!v)
		return "nothing";
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return json_is_int32(v) ? "an integer" : "a number out of int32 range or with a fraction";
	if (cJSON_IsString(v))
		return "a string";
	if (cJSON_IsArray(v))
		return "an array";
	return "an object";
}

/* Replace member OLD of OBJ by NEW under the same name (cJSON's
 * ReplaceItemViaPointer keeps no name). Consumes NEW. */
static void replace_member(cJSON *obj, cJSON *old, cJSON *new_item)
{
	new_item->string = old->string;
	new_item->type &= ~cJSON_StringIsConst;
	old->string = NULL;
	cJSON_ReplaceItemViaPointer(obj, old, new_item);
}

/* ---- the ticket's date style -------------------------------------------- */

/* Template date of DOC: the style of CreatedAt (else LastChanged), naive UTC if none. */
static tdate ticket_style(const cJSON *doc)
{
	static const char *const names[] = { "CreatedAt", "LastChanged" };
	tdate d;
	char err[128];
	for (size_t i = 0; i < 2; i++) {
		const cJSON *v = json_get(doc, names[i]);
		if (cJSON_IsString(v) && date_parse(v->valuestring, 0, &d, err, sizeof err) == 0 && !d.empty)
			return d;
	}
	date_from_unix(0, 0, DATE_NAIVE, 0, 0, &d);
	return d;
}

/* Set D's style to TMPL's (same instant). */
static void restyle(tdate *d, const tdate *tmpl)
{
	d->style = tmpl->style;
	d->offset_min = tmpl->style == DATE_NAIVE ? 0 : tmpl->offset_min;
	d->frac_digits = tmpl->frac_digits;
}

static void set_string(cJSON *obj, const char *name, const char *text)
{
	cJSON *v = json_get(obj, name);
	if (v)
		replace_member(obj, v, cJSON_CreateString(text));
	else
		cJSON_AddStringToObject(obj, name, text);
}

long long ticket_last_changed(const cJSON *doc)
{
	const cJSON *v = json_get(doc, "LastChanged");
	tdate d;
	char err[128];
	if (!cJSON_IsString(v) || date_parse(v->valuestring, 0, &d, err, sizeof err) || d.empty)
		return -1;
	return (long long)d.utc;
}

/* LastChanged = now in the ticket's style, and strictly later than before at
 * the resolution that style writes (naive: whole seconds, 7 digits: 100 ns),
 * so every change is visible; a burst of changes within one second may run
 * ahead of the clock by that many steps. */
static void bump_last_changed(cJSON *doc)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	tdate tmpl = ticket_style(doc), old, d;
	int digits = tmpl.frac_digits < 0 ? 0 : tmpl.frac_digits > 7 ? 7 : tmpl.frac_digits;
	int64_t step = 1;
	for (int i = digits; i < 7; i++)
		step *= 10;
	/* time in 100 ns units, truncated to the style's resolution */
	int64_t now = ((int64_t)ts.tv_sec * 10000000 + ts.tv_nsec / 100) / step * step;
	const cJSON *v = json_get(doc, "LastChanged");
	char err[128], buf[64];
	if (cJSON_IsString(v) && date_parse(v->valuestring, 0, &old, err, sizeof err) == 0 && !old.empty) {
		int64_t prev = (int64_t)old.utc * 10000000 + old.frac;
		if (now <= prev)
			now = (prev / step + 1) * step;
	}
	date_from_unix(now / 10000000, (int32_t)(now % 10000000), tmpl.style, tmpl.offset_min, digits, &d);
	restyle(&d, &tmpl);
	d.frac_digits = digits;
	date_format(&d, buf, sizeof buf);
	set_string(doc, "LastChanged", buf);
}

/* ---- field checks ---------------------------------------------------------- */

static bool is_readonly(const char *name)
{
	const field_def *f = schema_find(name);
	return f && f->kind == FK_READONLY;
}

static int check_enum(const field_def *f, cJSON *obj, cJSON *v, td_err *e)
{
	if (cJSON_IsString(v)) {
		for (const char *const *p = f->enums; *p; p++) {
			if (!strcasecmp(*p, v->valuestring)) {
				if (strcmp(*p, v->valuestring))
					replace_member(obj, v, cJSON_CreateString(*p));
				return 0;
			}
		}
	}
	char names[256] = "";
	for (const char *const *p = f->enums; *p; p++) {
		strncat(names, *p, sizeof names - strlen(names) - 1);
		if (p[1])
			strncat(names, ", ", sizeof names - strlen(names) - 1);
	}
	if (cJSON_IsString(v))
		return fail(e, 400, BAD, "%s: '%.64s' is not one of %s", f->name, v->valuestring, names);
	return fail(e, 400, BAD, "%s must be one of %s, not %s", f->name, names, kind_name(v));
}

static int check_date(const field_def *f, cJSON *obj, cJSON *v, const tdate *tmpl, td_err *e)
{
	if (cJSON_IsNull(v))
		return 0;
	if (!cJSON_IsString(v))
		return fail(e, 400, BAD, "%s must be a date string or null, not %s", f->name, kind_name(v));
	tdate d;
	char err[160], buf[64];
	if (date_parse(v->valuestring, 0, &d, err, sizeof err))
		return fail(e, 400, BAD, "%s: bad date '%.64s': %s", f->name, v->valuestring, err);
	if (d.empty)
		return 0;
	restyle(&d, tmpl);
	date_format(&d, buf, sizeof buf);
	if (strcmp(buf, v->valuestring))
		replace_member(obj, v, cJSON_CreateString(buf));
	return 0;
}

static int check_key(const field_def *f, const cJSON *v, const char *where, td_err *e)
{
	if (!cJSON_IsObject(v))
		return fail(e, 400, BAD, "%s must be an object with %s, not %s", where, f->key, kind_name(v));
	const cJSON *k = json_get_ci(v, f->key);
	if (!json_is_int32(k))
		return fail(e, 400, BAD, "%s/%s must be a 32-bit integer, not %s", where, f->key, kind_name(k));
	return 0;
}

static int check_map(const field_def *f, const cJSON *v, td_err *e)
{
	if (!cJSON_IsObject(v))
		return fail(e, 400, BAD, "%s must be an object, not %s", f->name, kind_name(v));
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		if (cJSON_IsObject(m) || cJSON_IsArray(m))
			return fail(e, 400, BAD, "%s/%s must be a string, number, boolean or null, not %s",
			            f->name, m->string, kind_name(m));
	}
	return 0;
}

/* Type check (and normalise) the value V of field F inside OBJ. */
static int check_value(const field_def *f, cJSON *obj, cJSON *v, const tdate *tmpl, td_err *e)
{
	switch (f->kind) {
	case FK_STRING:
		if (!cJSON_IsString(v) && !cJSON_IsNull(v))
			return fail(e, 400, BAD, "%s must be a string, not %s", f->name, kind_name(v));
		return 0;
	case FK_INT32:
		if (!json_is_int32(v))
			return fail(e, 400, BAD, "%s must be a 32-bit integer, not %s", f->name, kind_name(v));
		return 0;
	case FK_BOOL:
		if (!cJSON_IsBool(v))
			return fail(e, 400, BAD, "%s must be true or false, not %s", f->name, kind_name(v));
		return 0;
	case FK_ENUM:
		return check_enum(f, obj, v, e);
	case FK_DATE:
		return check_date(f, obj, v, tmpl, e);
	case FK_REF:
		if (cJSON_IsNull(v) && (!strcmp(f->name, "OwnedBy") || !strcmp(f->name, "Person")))
			return 0;
		return check_key(f, v, f->name, e);
	case FK_REFSET: {
		if (!cJSON_IsArray(v))
			return fail(e, 400, BAD, "%s must be an array, not %s", f->name, kind_name(v));
		const cJSON *it;
		int i = 0;
		cJSON_ArrayForEach(it, v) {
			char where[64];
			snprintf(where, sizeof where, "%s/%d", f->name, i++);
			if (check_key(f, it, where, e))
				return -1;
		}
		return 0;
	}
	case FK_MAP:
		return check_map(f, v, e);
	case FK_READONLY:
		return 0;
	}
	return 0;
}

/* The value a removed (or, for PUT, absent) field falls back to. */
static cJSON *field_default(const field_def *f)
{
	switch (f->kind) {
	case FK_STRING: return cJSON_CreateString("");
	case FK_INT32: return cJSON_CreateNumber(0);
	case FK_BOOL: return cJSON_CreateFalse();
	case FK_DATE: return cJSON_CreateNull();
	case FK_REFSET: return cJSON_CreateArray();
	case FK_MAP: return cJSON_CreateObject();
	case FK_REF:
		if (!strcmp(f->name, "OwnedBy")) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "AssociateId", 0);
			return o;
		}
		if (!strcmp(f->name, "Person"))
			return cJSON_CreateNull();
		return NULL;
	default:
		return NULL;
	}
}

/* Members of WORK against ORIG: read-only unchanged, nothing unknown added,
 * removed fields back to their defaults (PUT: fields without a default,
 * like enums and Status, keep their value). */
static int check_members(const cJSON *orig, cJSON *work, bool is_put, td_err *e)
{
	cJSON *m;
	cJSON_ArrayForEach(m, work) {
		const cJSON *o = json_get_ci(orig, m->string);
		if (is_readonly(m->string) && (!o || !json_equal(o, m)))
			return fail(e, 400, BAD, "%s is read-only", m->string);
		if (!o && !schema_find(m->string))
			return fail(e, 400, BAD, "%s is not a field of TicketEntity", m->string);
	}
	const cJSON *o;
	cJSON_ArrayForEach(o, orig) {
		if (json_get_ci(work, o->string))
			continue;
		const field_def *f = schema_find(o->string);
		if (!f || f->kind == FK_READONLY)
			return fail(e, 400, BAD, "%s is read-only and cannot be removed", o->string);
		cJSON *d = field_default(f);
		if (!d && is_put)
			d = cJSON_Duplicate(o, true);
		if (!d)
			return fail(e, 400, BAD, "%s cannot be removed; replace %s instead", f->name,
			            f->key ? f->key : "its value");
		cJSON_AddItemToObject(work, f->name, d);
	}
	return 0;
}

static int check_types(const cJSON *orig, cJSON *work, td_err *e)
{
	tdate tmpl = ticket_style(orig);
	cJSON *m = work ? work->child : NULL;
	while (m) {
		cJSON *next = m->next; /* check_value may replace M */
		const field_def *f = schema_find(m->string);
		if (f && check_value(f, work, m, &tmpl, e))
			return -1;
		m = next;
	}
	return 0;
}

/* ---- references ----------------------------------------------------------- */

static bool item_deleted(int l, const cJSON *item)
{
	const cJSON *d = json_get(item, "Deleted");
	if (cJSON_IsTrue(d))
		return true;
	d = json_get(json_get(item, "_mdo"), "Deleted");
	if (cJSON_IsTrue(d))
		return true;
	const cJSON *st = json_get(item, "Status");
	return l == L_PRIO && cJSON_IsString(st) && !strcmp(st->valuestring, "Deleted");
}

cJSON *list_entity(const cJSON *item)
{
	cJSON *c = cJSON_Duplicate(item, true);
	cJSON *m = c ? c->child : NULL;
	while (m) {
		cJSON *next = m->next;
		if (m->string && m->string[0] == '_')
			cJSON_Delete(cJSON_DetachItemViaPointer(c, m));
		m = next;
	}
	return c;
}

static cJSON *unassigned(void)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "AssociateId", 0);
	cJSON_AddStringToObject(o, "Name", "");
	cJSON_AddNumberToObject(o, "PersonId", 0);
	cJSON_AddNumberToObject(o, "Rank", 0);
	cJSON_AddStringToObject(o, "Tooltip", "");
	cJSON_AddStringToObject(o, "Type", "AnonymousAssociate");
	cJSON_AddNumberToObject(o, "GroupIdx", 0);
	cJSON_AddStringToObject(o, "FullName", "");
	cJSON_AddStringToObject(o, "FormalName", "");
	cJSON_AddBoolToObject(o, "Deleted", false);
	cJSON_AddNumberToObject(o, "EjUserId", 0);
	cJSON_AddNullToObject(o, "UserName");
	cJSON_AddNullToObject(o, "TableRight");
	cJSON_AddItemToObject(o, "FieldProperties", cJSON_CreateObject());
	return o;
}

/* OwnedBy 2147483647: the category's assignment rule, else the default. */
static int auto_owner(const td_store *s, const cJSON *work)
{
	const cJSON *cat = json_get_ci(json_get(work, "Category"), "TicketCategoryId");
	const cJSON *item = json_is_int32(cat) ? store_list_item(s, L_CAT, cat->valueint) : NULL;
	const cJSON *a = json_get(item, "_assign");
	if (json_is_int32(a)) {
		const cJSON *who = store_list_item(s, L_ASSOC, a->valueint);
		if (who && !item_deleted(L_ASSOC, who))
			return a->valueint;
	}
	return s->assign_default;
}

static int list_index(const char *name)
{
	static const char *const names[L_COUNT] = { "associate", "ticketstatus", "ticketpriority", "ejcategory", "tags" };
	for (int l = 0; name && l < L_COUNT; l++)
		if (!strcmp(names[l], name))
			return l;
	return -1;
}

/* Rebuild reference F in WORK from its list when it differs from ORIG. */
static int resolve_ref(const td_store *s, const field_def *f, const cJSON *orig, cJSON *work, td_err *e)
{
	int l = list_index(f->list);
	cJSON *cur = json_get(work, f->name);
	if (l < 0 || !cur || json_equal(cur, json_get(orig, f->name)))
		return 0;
	int id = 0;
	if (!cJSON_IsNull(cur))
		id = json_get_ci(cur, f->key)->valueint;
	if (l == L_ASSOC && id == OWNER_AUTO)
		id = auto_owner(s, work);
	if (l == L_ASSOC && id == 0) {
		replace_member(work, cur, unassigned());
		return 0;
	}
	const cJSON *item = store_list_item(s, l, id);
	if (!item)
		return fail(e, 400, BAD, "%s: no %s with %s %d", f->name, f->list, f->key, id);
	const cJSON *old = json_get_ci(json_get(orig, f->name), f->key);
	if (item_deleted(l, item) && !(json_is_int32(old) && old->valueint == id))
		return fail(e, 400, BAD, "%s: %s %d is deleted", f->name, f->list, id);
	replace_member(work, cur, list_entity(item));
	if (l == L_STATUS) {
		const cJSON *base = json_get(item, "Status");
		const field_def *bf = schema_find("BaseStatus");
		if (cJSON_IsString(base) && bf && bf->enums)
			for (const char *const *p = bf->enums; *p; p++)
				if (!strcmp(*p, base->valuestring))
					set_string(work, "BaseStatus", *p);
	}
	return 0;
}

/* Tags from the tags list by Id; duplicates dropped. */
static int resolve_tags(const td_store *s, const cJSON *orig, cJSON *work, td_err *e)
{
	cJSON *cur = json_get(work, "Tags");
	if (!cur || json_equal(cur, json_get(orig, "Tags")))
		return 0;
	cJSON *out = cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, cur) {
		int id = json_get_ci(it, "Id")->valueint;
		const cJSON *item = store_list_item(s, L_TAGS, id);
		if (!item) {
			cJSON_Delete(out);
			return fail(e, 400, BAD, "Tags: no tag with Id %d", id);
		}
		bool dup = false;
		const cJSON *o;
		cJSON_ArrayForEach(o, out)
			dup |= json_get(o, "Id")->valueint == id;
		if (!dup)
			cJSON_AddItemToArray(out, list_entity(item));
	}
	replace_member(work, cur, out);
	return 0;
}

static int resolve_all(const td_store *s, const cJSON *orig, cJSON *work, td_err *e)
{
	static const char *const refs[] = { "Category", "OwnedBy", "Priority", "Status" };
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		const field_def *f = schema_find(refs[i]);
		if (f && resolve_ref(s, f, orig, work, e))
			return -1;
	}
	return resolve_tags(s, orig, work, e);
}

/* ---- rights --------------------------------------------------------------- */

static bool emptied(const cJSON *v)
{
	return !v || cJSON_IsNull(v) || (cJSON_IsString(v) && !v->valuestring[0]) ||
	       (cJSON_IsArray(v) && !v->child);
}

static int check_rights(const cJSON *orig, const cJSON *work, td_err *e)
{
	if (!schema_ticket_updatable(orig)) {
		const cJSON *m = json_get_ci(json_get_ci(orig, "TableRight"), "Mask");
		return fail(e, 403, "SoAccessDeniedException", "this ticket is read-only for you (TableRight %s)",
		            cJSON_IsString(m) ? m->valuestring : "?");
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, work) {
		const field_def *f = schema_find(m->string);
		if (!f || json_equal(m, json_get(orig, m->string)))
			continue;
		if (!schema_field_editable(orig, f))
			return fail(e, 403, "SoAccessDeniedException",
			            "%s is read-only for you (FieldProperties.%s.FieldRight)", f->name, f->name);
		if (schema_field_mandatory(orig, f) && emptied(m))
			return fail(e, 400, BAD, "%s is mandatory and cannot be emptied", f->name);
	}
	return 0;
}

/* ---- the pipeline ----------------------------------------------------------- */

/* WORK (a patched copy of DOC) is checked and resolved; if it differs from
 * DOC it is bumped and handed out in *OUT, else freed. Consumes WORK. */
static int finish(const td_store *s, const cJSON *doc, cJSON *work, bool is_put, cJSON **out, td_err *e)
{
	if (check_members(doc, work, is_put, e) || check_types(doc, work, e) || resolve_all(s, doc, work, e) ||
	    (!json_equal(doc, work) && check_rights(doc, work, e))) {
		cJSON_Delete(work);
		return -1;
	}
	if (json_equal(doc, work)) {
		cJSON_Delete(work);
		return 0;
	}
	bump_last_changed(work);
	*out = work;
	return 0;
}

static int patch_fail(const patch_error *pe, td_err *e)
{
	switch (pe->status) {
	case PATCH_ETEST:
		return fail(e, 409, "SoConcurrencyException", "conflict: %s", pe->msg);
	case PATCH_EUNSUPPORTED:
		return fail(e, 400, BAD, "%s (only add, replace, remove and test are supported)", pe->msg);
	default:
		return fail(e, 400, BAD, "%s", pe->msg);
	}
}

int ticket_patch(const td_store *s, const cJSON *doc, const cJSON *body, cJSON **out, td_err *e)
{
	*out = NULL;
	cJSON *ops = NULL;
	if (cJSON_IsObject(body))
		ops = merge_to_patch(doc, body, PATCH_SERVICE);
	else if (!cJSON_IsArray(body))
		return fail(e, 400, BAD, "the body must be a JSON Patch array or a merge-patch object, not %s",
		            kind_name(body));
	cJSON *work = cJSON_Duplicate(doc, true);
	patch_error pe = { 0 };
	patch_status st = patch_apply(&work, ops ? ops : body, PATCH_SERVICE, &pe);
	cJSON_Delete(ops);
	if (st != PATCH_OK) {
		cJSON_Delete(work);
		return patch_fail(&pe, e);
	}
	return finish(s, doc, work, false, out, e);
}

int ticket_put(const td_store *s, const cJSON *doc, const cJSON *body, int id, cJSON **out, td_err *e)
{
	*out = NULL;
	if (!cJSON_IsObject(body))
		return fail(e, 400, BAD, "Entity to save is not in request body (expected an object, not %s)",
		            kind_name(body));
	const cJSON *tid = json_get_ci(body, "TicketId");
	if (tid && !(json_is_int32(tid) && (tid->valueint == id || tid->valueint == 0)))
		return fail(e, 400, BAD, "TicketId in the body does not match ticket %d in the URL", id);
	cJSON *work = cJSON_Duplicate(body, true);
	/* Read-only fields are the server's: ignore what the body says. */
	cJSON *m = work->child;
	while (m) {
		cJSON *next = m->next;
		if (is_readonly(m->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(work, m));
		m = next;
	}
	const cJSON *o;
	cJSON_ArrayForEach(o, doc) {
		if (is_readonly(o->string) || (!schema_find(o->string) && !json_get_ci(work, o->string)))
			cJSON_AddItemToObject(work, o->string, cJSON_Duplicate(o, true));
	}
	return finish(s, doc, work, true, out, e);
}

/* ---- $select ------------------------------------------------------------------ */

typedef struct {
	char **tok;
	size_t n;
} sel_path;

/* Keep in OBJ what PATHS (at DEPTH) name; null out the rest. Only paths
 * whose earlier tokens named OBJ's ancestors are passed in. */
static void select_level(cJSON *obj, sel_path *paths, size_t np, size_t depth)
{
	sel_path *sub = malloc((np ? np : 1) * sizeof *sub);
	cJSON *m = obj->child;
	while (m) {
		cJSON *next = m->next;
		bool whole = false;
		size_t ns = 0;
		for (size_t i = 0; m->string && i < np; i++) {
			if (strcasecmp(paths[i].tok[depth], m->string))
				continue;
			if (paths[i].n == depth + 1)
				whole = true;
			else
				sub[ns++] = paths[i];
		}
		if (!whole && ns && cJSON_IsObject(m)) {
			select_level(m, sub, ns, depth + 1);
		} else if (!whole && ns && cJSON_IsArray(m)) {
			cJSON *el;
			cJSON_ArrayForEach(el, m)
				if (cJSON_IsObject(el))
					select_level(el, sub, ns, depth + 1);
		} else if (!whole && !(ns && cJSON_IsNull(m))) {
			replace_member(obj, m, cJSON_CreateNull());
		}
		m = next;
	}
	free(sub);
}

void ticket_select(cJSON *doc, const char *select)
{
	if (!select || !cJSON_IsObject(doc))
		return;
	char *copy = strdup(select);
	sel_path *paths = NULL;
	size_t np = 0;
	char *save = NULL;
	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		size_t len = strlen(p);
		while (len && p[len - 1] == ' ')
			p[--len] = '\0';
		if (!*p)
			continue;
		sel_path sp = { NULL, 0 };
		char *save2 = NULL;
		for (char *t = strtok_r(p, "/.", &save2); t; t = strtok_r(NULL, "/.", &save2)) {
			sp.tok = realloc(sp.tok, (sp.n + 1) * sizeof *sp.tok);
			sp.tok[sp.n++] = t;
		}
		if (!sp.n)
			continue;
		paths = realloc(paths, (np + 1) * sizeof *paths);
		paths[np++] = sp;
	}
	if (np)
		select_level(doc, paths, np, 0);
	for (size_t i = 0; i < np; i++)
		free(paths[i].tok);
	free(paths);
	free(copy);
}

/* ---- response date style ---------------------------------------------------- */

static const char *const date_names[] = {
	"CreatedAt", "LastChanged", "ReadByOwner", "ReadByCustomer", "FirstReadByOwner", "FirstReadByUser",
	"Activate", "ClosedAt", "RepliedAt", "AlertTimeout", "Deadline", "ChangedAt", NULL
};

static void restyle_member(cJSON *obj, const char *name, td_dates style)
{
	cJSON *v = json_get(obj, name);
	tdate d;
	char err[128], buf[64];
	if (!cJSON_IsString(v) || date_parse(v->valuestring, 0, &d, err, sizeof err) || d.empty)
		return;
	if (style == DATES_OFFSET) {
		if (d.style == DATE_NAIVE)
			d.offset_min = 0;
		d.style = DATE_OFFSET;
		d.frac_digits = 7;
	} else {
		d.style = DATE_NAIVE;
		d.offset_min = 0;
		d.frac_digits = 0;
	}
	date_format(&d, buf, sizeof buf);
	replace_member(obj, v, cJSON_CreateString(buf));
}

void ticket_dates(cJSON *doc, td_dates style)
{
	if (style == DATES_KEEP)
		return;
	for (const char *const *n = date_names; *n; n++)
		restyle_member(doc, *n, style);
	cJSON *msg;
	cJSON_ArrayForEach(msg, json_get(doc, "Messages"))
		for (const char *const *n = date_names; *n; n++)
			restyle_member(msg, *n, style);
}

/* ---- MDO lists ------------------------------------------------------------------ */

static const char *str_or(const cJSON *obj, const char *name, const char *dflt)
{
	const cJSON *v = json_get(obj, name);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

static cJSON *mdo_item(int l, const cJSON *it, int key)
{
	const cJSON *mdo = json_get(it, "_mdo");
	char extra[128];
	const char *name = str_or(it, "Name", ""), *full = name, *tip = str_or(it, "ToolTip", "");
	int rank = json_is_int32(json_get(it, "Rank")) ? json_get(it, "Rank")->valueint : key;
	extra[0] = '\0';
	switch (l) {
	case L_ASSOC:
		name = full = str_or(it, "FullName", name);
		tip = str_or(it, "Tooltip", "");
		snprintf(extra, sizeof extra, "person_id=%d&contact_id=0",
		         json_is_int32(json_get(it, "PersonId")) ? json_get(it, "PersonId")->valueint : 0);
		break;
	case L_STATUS:
		snprintf(extra, sizeof extra, "%s", str_or(it, "Status", ""));
		break;
	case L_PRIO: {
		const cJSON *so = json_get(it, "SortOrder");
		snprintf(extra, sizeof extra, "%d", json_is_int32(so) ? so->valueint : key);
		break;
	}
	case L_CAT:
		name = full = str_or(it, "Fullname", name);
		break;
	}
	snprintf(extra, sizeof extra, "%s", str_or(mdo, "ExtraInfo", extra));
	if (json_is_int32(json_get(mdo, "Rank")))
		rank = json_get(mdo, "Rank")->valueint;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "Id", key);
	cJSON_AddStringToObject(o, "Name", name);
	cJSON_AddStringToObject(o, "ToolTip", tip);
	cJSON_AddBoolToObject(o, "Deleted", item_deleted(l, it));
	cJSON_AddNumberToObject(o, "Rank", rank);
	cJSON_AddStringToObject(o, "Type", "");
	cJSON_AddItemToObject(o, "ChildItems", cJSON_CreateArray());
	cJSON_AddStringToObject(o, "IconHint", "");
	cJSON_AddNumberToObject(o, "ColorBlock", 0);
	cJSON_AddStringToObject(o, "ExtraInfo", extra);
	cJSON_AddStringToObject(o, "StyleHint", "");
	cJSON_AddStringToObject(o, "FullName", full);
	cJSON_AddNullToObject(o, "TableRight");
	cJSON_AddItemToObject(o, "FieldProperties", cJSON_CreateObject());
	return o;
}

cJSON *mdo_list(const td_store *s, const char *name)
{
	const td_list *lst = store_list(s, name);
	if (!lst)
		return NULL;
	int l = (int)(lst - s->lists);
	cJSON *out = cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, lst->items)
		cJSON_AddItemToArray(out, mdo_item(l, it, json_get(it, lst->key)->valueint));
	return out;
}

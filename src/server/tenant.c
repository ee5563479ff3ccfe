/* tenant.c — what a real SuperOffice tenant does that the first ticketd
 * did not (the facts and the doc paths are in src/server/README.md):
 * - custom field definitions (GET Ticket/CustomField, lists/customfields.json)
 *   and CustomFields values as the encoded strings of a StringDictionary,
 *   checked against their FieldType;
 * - multi-language names (NO:"Leverandør";US:"Supplier") and resource ids
 *   ([SR_MANDATORY_FIELD_2817]) translated into the request's language,
 *   and left as they are without Accept-Language;
 * - MDO list search (the `query` parameter);
 * - the tenant status call (GET /api/state/CustNNNNN).
 * The value codecs are the client's own (src/core cfvalue.c, mlstring.c),
 * so ticketd reads an encoded value exactly as the editor writes it. */
#include "ticketd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <errno.h>
#include <time.h>

#include "ticketed/cfvalue.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/mlstring.h"

/* ---- the request's language ----------------------------------------------- */

const char *td_request_language(const char *so_language, const char *accept_language, char *buf, size_t n)
{
	const char *src = so_language && *so_language ? so_language : accept_language;
	if (!src || !n)
		return NULL;
	while (*src == ' ' || *src == '\t')
		src++;
	size_t len = strcspn(src, ",; \t");
	if (!len)
		return NULL;
	if (len >= n)
		len = n - 1;
	memcpy(buf, src, len);
	buf[len] = '\0';
	return buf;
}

/* ---- translation ------------------------------------------------------------- */

/* The resource ids ticketd's sample data uses, in English and Norwegian
 * (the service resolves every [SR_...] id from its resource files). */
static const struct {
	const char *prefix;  /* "[SR_MANDATORY_FIELD_" matches "[SR_MANDATORY_FIELD_2817]" */
	const char *en, *no;
} resources[] = {
	{ "[SR_MANDATORY_FIELD_", "This field is mandatory", "Dette feltet er obligatorisk" },
	{ "[SR_NO_UPDATE_ACCESS]", "You do not have update access to this request",
	  "Du har ikke endringstilgang til denne forespørselen" },
};

static int resource_of(const char *s)
{
	size_t len = strlen(s);
	if (len < 5 || strncmp(s, "[SR_", 4) || s[len - 1] != ']')
		return -1;
	for (size_t i = 0; i < sizeof resources / sizeof resources[0]; i++)
		if (!strncmp(s, resources[i].prefix, strlen(resources[i].prefix)))
			return (int)i;
	return -1;
}

static bool translatable(const char *s)
{
	return s && (ml_is_encoded(s) || resource_of(s) >= 0);
}

char *td_translate(const char *s, const char *lang)
{
	int r;
	if (!s)
		return NULL;
	if (ml_is_encoded(s))
		return ml_pick(s, lang);
	if ((r = resource_of(s)) >= 0) {
		char codes[4][3];
		size_t nc = lang ? ml_codes_for_tag(lang, codes, 4) : 0;
		bool no = false;
		for (size_t i = 0; i < nc; i++)
			no |= !strcmp(codes[i], "NO");
		return strdup(no ? resources[r].no : resources[r].en);
	}
	return NULL;
}

static void translate_walk(cJSON *v, const char *lang, int depth)
{
	cJSON *c;
	if (depth > 64)
		return;
	cJSON_ArrayForEach(c, v) {
		if (cJSON_IsString(c) && !(c->type & cJSON_IsReference)) {
			char *t = td_translate(c->valuestring, lang);
			if (t) {
				free(c->valuestring);
				c->valuestring = t;
			}
		} else if (cJSON_IsObject(c) || cJSON_IsArray(c)) {
			translate_walk(c, lang, depth + 1);
		}
	}
}

void td_translate_tree(cJSON *v, const char *lang)
{
	if (cJSON_IsObject(v) || cJSON_IsArray(v))
		translate_walk(v, lang, 0);
}

static bool walk_finds(const cJSON *v, int depth)
{
	const cJSON *c;
	if (depth > 64)
		return false;
	cJSON_ArrayForEach(c, v) {
		if (cJSON_IsString(c) ? translatable(c->valuestring)
		                      : (cJSON_IsObject(c) || cJSON_IsArray(c)) && walk_finds(c, depth + 1))
			return true;
	}
	return false;
}

/* Members whose strings are the ticket's own data, never translated: the
 * conversation and the custom field values. */
static bool never_translated(const char *name)
{
	return !strcasecmp(name, "Messages") || !strcasecmp(name, "CustomFields") ||
	       !strcasecmp(name, "ExtraFields");
}

bool td_member_translatable(const cJSON *m)
{
	if (!m || !m->string || cJSON_IsRaw(m) || never_translated(m->string))
		return false;
	return (cJSON_IsObject(m) || cJSON_IsArray(m)) && walk_finds(m, 0);
}

char *td_translate_text(const char *text, size_t len, const char *lang, bool top)
{
	char err[128];
	cJSON *j = json_parse(text, len, "answer", err, sizeof err);
	char *out = NULL;
	if (!j)
		return NULL;
	if (top) {
		cJSON *m;
		cJSON_ArrayForEach(m, j)
			if (m->string && !never_translated(m->string))
				td_translate_tree(m, lang);
	} else {
		td_translate_tree(j, lang);
	}
	out = json_print(j, false);
	cJSON_Delete(j);
	return out;
}

/* ---- custom field definitions ------------------------------------------------ */

int cf_load(td_store *s, char *err, size_t errlen)
{
	char *path = str_join(s->dir, "/", "lists/customfields.json");
	struct stat st;
	cJSON *j = NULL;
	const cJSON *d;
	int rc = -1;
	if (!path) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (stat(path, &st) != 0 && errno == ENOENT) {  /* no definitions: any keys */
		free(path);
		return 0;
	}
	if (!(j = json_parse_file(path, err, errlen)))
		goto out;
	if (!cJSON_IsArray(j)) {
		snprintf(err, errlen, "%s: expected an array of custom field definitions", path);
		goto out;
	}
	cJSON_ArrayForEach(d, j) {
		const cJSON *name = json_get(d, "FieldName");
		if (!cJSON_IsString(name) || !name->valuestring[0]) {
			snprintf(err, errlen, "%s: a definition lacks its FieldName", path);
			goto out;
		}
		if (cf_kind_from_json(json_get(d, "FieldType")) == CFK_UNKNOWN) {
			snprintf(err, errlen, "%s: %.64s: unknown FieldType", path, name->valuestring);
			goto out;
		}
	}
	s->cfmeta = j;
	j = NULL;
	rc = 0;
out:
	cJSON_Delete(j);
	free(path);
	return rc;
}

/* The definition of custom field NAME (case-insensitive), or NULL. */
static const cJSON *cf_def(const td_store *s, const char *name)
{
	const cJSON *d;
	cJSON_ArrayForEach(d, s->cfmeta) {
		const cJSON *n = json_get(d, "FieldName");
		if (cJSON_IsString(n) && name && !strcasecmp(n->valuestring, name))
			return d;
	}
	return NULL;
}

static cf_kind def_kind(const cJSON *d)
{
	return cf_kind_from_json(json_get(d, "FieldType"));
}

/* The value an unset field has: an unchecked checkbox, else the empty string. */
static const char *empty_value(const cJSON *d)
{
	return def_kind(d) == CFK_CHECKBOX ? "[I:0]" : "";
}

void cf_fill(const td_store *s, cJSON *ticket)
{
	cJSON *cf;
	const cJSON *d;
	if (!s->cfmeta || !cJSON_IsObject(ticket))
		return;
	cf = json_get_ci(ticket, "CustomFields");
	if (!cJSON_IsObject(cf)) {
		if (cf)
			return;  /* a ticket file's odd value stays as it is */
		if (!(cf = cJSON_AddObjectToObject(ticket, "CustomFields")))
			return;
	}
	cJSON_ArrayForEach(d, s->cfmeta) {
		const char *name = json_get(d, "FieldName")->valuestring;
		if (!json_get_ci(cf, name))
			cJSON_AddStringToObject(cf, name, empty_value(d));
	}
}

static void translate_def(cJSON *d, const char *lang)
{
	static const char *const names[] = { "DisplayName", "Description", "ShortLabel" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		cJSON *v = json_get(d, names[i]);
		char *t = cJSON_IsString(v) ? td_translate(v->valuestring, lang) : NULL;
		if (t) {
			free(v->valuestring);
			v->valuestring = t;
		}
	}
}

cJSON *cf_meta_answer(const td_store *s, const char *name, const char *lang)
{
	cJSON *out, *d;
	if (name) {
		const cJSON *def = cf_def(s, name);
		if (!def || !(out = cJSON_Duplicate(def, true)))
			return NULL;
		if (lang)
			translate_def(out, lang);
		return out;
	}
	out = s->cfmeta ? cJSON_Duplicate(s->cfmeta, true) : cJSON_CreateArray();
	if (out && lang)
		cJSON_ArrayForEach(d, out)
			translate_def(d, lang);
	return out;
}

static const char *json_kind(const cJSON *v)
{
	if (cJSON_IsNull(v))
		return "null";
	if (cJSON_IsBool(v))
		return "a boolean";
	if (cJSON_IsNumber(v))
		return "a number";
	if (cJSON_IsArray(v))
		return "an array";
	if (cJSON_IsObject(v))
		return "an object";
	return "a string";
}

/* One changed value M of CustomFields (OLD: its value before, or NULL). */
static int check_one(const td_store *s, const cJSON *m, const cJSON *old, td_err *e)
{
	const cJSON *d;
	cf_value v;
	text_error te = { 0, "" };
	if (!cJSON_IsString(m))
		return td_fail(e, 400, "SoArgumentException",
		               "CustomFields/%.100s must be a string (an encoded value such as \"[I:14]\"), not %s",
		               m->string, json_kind(m));
	if (!s->cfmeta)
		return 0;  /* no definitions: any string */
	if (!(d = cf_def(s, m->string)))
		return td_fail(e, 400, "SoArgumentException",
		               "CustomFields/%.100s is not a custom field of tickets (GET Ticket/CustomField lists them)",
		               m->string);
	if (cJSON_IsTrue(json_get(d, "IsReadOnly")))
		return td_fail(e, 403, "SoAccessDeniedException", "CustomFields/%.100s is read-only (IsReadOnly)",
		               m->string);
	if (cf_decode(m->valuestring, def_kind(d), &v, &te) < 0)
		return td_fail(e, 400, "SoArgumentException",
		               "CustomFields/%.100s: '%.64s' is not a %s value: %s (column %d)", m->string,
		               m->valuestring, cf_kind_name(def_kind(d)), te.msg, te.col);
	if (v.empty && cJSON_IsTrue(json_get(d, "IsMandatory")) &&
	    !(cJSON_IsString(old) && !old->valuestring[0]))
		return td_fail(e, 400, "SoArgumentException", "CustomFields/%.100s is mandatory and cannot be emptied",
		               m->string);
	return 0;
}

int cf_check(const td_store *s, const cJSON *doc, cJSON *work, bool is_put, td_err *e)
{
	cJSON *cf = json_get(work, "CustomFields"), *m;
	const cJSON *old = json_get_ci(doc, "CustomFields"), *o;
	if (!cJSON_IsObject(cf) || json_equal(cf, old))
		return 0;
	cJSON_ArrayForEach(m, cf) {
		const cJSON *was = cJSON_IsObject(old) ? json_get_ci(old, m->string) : NULL;
		if (was && json_equal(was, m))
			continue;
		if (check_one(s, m, was, e))
			return -1;
	}
	if (!s->cfmeta || !cJSON_IsObject(old))
		return 0;
	cJSON_ArrayForEach(o, old) {  /* a defined field is always there */
		if (!cf_def(s, o->string) || json_get_ci(cf, o->string))
			continue;
		if (!is_put)
			return td_fail(e, 400, "SoArgumentException",
			               "CustomFields/%.100s cannot be removed: every custom field is always present "
			               "(replace it with \"\" to empty it)", o->string);
		cJSON *keep = cJSON_Duplicate(o, true);
		if (!keep)
			return td_fail(e, 500, "SoInternalServerError", "out of memory");
		cJSON_AddItemToObject(cf, o->string, keep);
	}
	return 0;
}

/* ---- MDO list search ------------------------------------------------------------ */

static bool word_in_item(const cJSON *item, const char *w, size_t n)
{
	static const char *const fields[] = { "Name", "FullName", "ToolTip", "ExtraInfo" };
	char word[128];
	if (n >= sizeof word)
		n = sizeof word - 1;
	memcpy(word, w, n);
	word[n] = '\0';
	for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
		const cJSON *v = json_get(item, fields[i]);
		if (cJSON_IsString(v) && strcasestr(v->valuestring, word))
			return true;
	}
	return false;
}

bool td_query_match(const cJSON *item, const char *query)
{
	const char *p = query;
	while (p && *p) {
		p += strspn(p, " \t");
		size_t n = strcspn(p, " \t");
		if (n && !word_in_item(item, p, n))
			return false;
		p += n;
	}
	return true;
}

/* ---- the tenant status call --------------------------------------------------- */

char *td_tenant_state(const td_config *cfg, const char *ctx, size_t ctxlen, const char *host, time_t now)
{
	const char *mine = cfg->prefix ? cfg->prefix + 1 : NULL;
	bool known = mine && strlen(mine) == ctxlen && !strncasecmp(ctx, mine, ctxlen);
	bool down = cfg->maintenance < 0;
	char endpoint[300] = "", api[320] = "", until[40];
	struct tm tm;
	time_t t = now + 3600;  /* "When to check next time": the docs' sample is about an hour ahead */
	gmtime_r(&t, &tm);
	strftime(until, sizeof until, "%Y-%m-%dT%H:%M:%S.0000000Z", &tm);
	if (known && cfg->moved)
		snprintf(endpoint, sizeof endpoint, "%s", cfg->moved);
	else if (known)
		snprintf(endpoint, sizeof endpoint, "http://%s/%s", host, mine);
	if (known)
		snprintf(api, sizeof api, "%s/api", endpoint);
	cJSON *o = cJSON_CreateObject();
	if (!o || !cJSON_AddStringToObject(o, "ContextIdentifier", known ? mine : "") ||
	    !cJSON_AddStringToObject(o, "Endpoint", endpoint) ||
	    !cJSON_AddStringToObject(o, "State", !known ? "Unknown" : down ? "OfflineMaintenance" : "Running") ||
	    !cJSON_AddBoolToObject(o, "IsRunning", known && !down) ||
	    !cJSON_AddStringToObject(o, "ValidUntil", until) || !cJSON_AddStringToObject(o, "Api", api)) {
		cJSON_Delete(o);
		return NULL;
	}
	char *text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return text;
}

bool td_printable_ascii(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if ((unsigned char)*s < 0x21 || (unsigned char)*s > 0x7e)
			return false;
	return true;
}

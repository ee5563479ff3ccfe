/* apply.c — what ticketd does with a PATCH or PUT: work out which members
 * change (applied to copies of only the members the patch names, so a 5 MB
 * Messages array is never copied to change a Title), refuse read-only and
 * unknown fields and wrong types, resolve references from the list tables,
 * keep the ticket's date style, check rights, bump LastChanged only on an
 * effective change. store_save then swaps the changed members in. Also the
 * MDO lists. */
#include "ticketd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "ticketed/date.h"
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/patch.h"
#include "ticketed/schema.h"

#define OWNER_AUTO 2147483647

int td_fail(td_err *e, int status, const char *type, const char *fmt, ...)
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
int td_bump_last_changed(const cJSON *doc, cJSON *changes)
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
	return cJSON_AddStringToObject(changes, v ? v->string : "LastChanged", buf) ? 0 : -1;
}

/* ---- field checks ---------------------------------------------------------- */

static bool is_readonly(const char *name)
{
	const field_def *f = schema_find(name);
	return f && f->kind == FK_READONLY;
}

/* The seconds a TicketBaseStatus of the UI postpones by ("Postponed1Hour":
 * 3600, a month: 30 days), 0 for PostponedSpecific (Activate as it is), -1
 * for every other name. The enum's docs: "Should only be used for UI, when
 * saved to DB it will be converted to Postponed". */
static long postpone_secs(const char *name)
{
	static const struct { const char *name; long secs; } ui[] = {
		{ "PostponedSpecific", 0 }, { "Postponed1Hour", 3600 }, { "Postponed2Hours", 7200 },
		{ "Postponed3Hours", 10800 }, { "Postponed4Hours", 14400 }, { "PostponedDay", 86400 },
		{ "PostponedWeek", 7 * 86400L }, { "PostponedMonth", 30 * 86400L },
	};
	for (size_t i = 0; i < sizeof ui / sizeof ui[0]; i++)
		if (!strcmp(ui[i].name, name))
			return ui[i].secs;
	return -1;
}

/* BaseStatus NAME of the UI in OBJ: stored as Postponed, and Activate (the
 * time the ticket comes back) set to now plus SECS in the ticket's style. */
static int postpone(cJSON *obj, cJSON *v, long secs, const tdate *tmpl)
{
	replace_member(obj, v, cJSON_CreateString("Postponed"));
	if (secs <= 0)
		return 0;
	tdate d;
	char buf[64];
	date_from_unix((long long)time(NULL) + secs, 0, tmpl->style, tmpl->offset_min, 0, &d);
	restyle(&d, tmpl);
	d.frac_digits = tmpl->frac_digits < 0 ? 0 : tmpl->frac_digits;
	date_format(&d, buf, sizeof buf);
	set_string(obj, "Activate", buf);
	return 0;
}

static int check_enum(const field_def *f, cJSON *obj, cJSON *v, const tdate *tmpl, td_err *e)
{
	if (cJSON_IsString(v)) {
		for (const char *const *p = f->enums; *p; p++) {
			if (!strcasecmp(*p, v->valuestring)) {
				long secs = !strcmp(f->name, "BaseStatus") ? postpone_secs(*p) : -1;
				if (secs >= 0)
					return postpone(obj, v, secs, tmpl);
				if (strcmp(*p, v->valuestring))
					replace_member(obj, v, cJSON_CreateString(*p));
				return 0;
			}
		}
	}
	char names[512] = "";
	for (const char *const *p = f->enums; *p; p++) {
		strncat(names, *p, sizeof names - strlen(names) - 1);
		if (p[1])
			strncat(names, ", ", sizeof names - strlen(names) - 1);
	}
	if (cJSON_IsString(v))
		return td_fail(e, 400, BAD, "%s: '%.64s' is not one of %s", f->name, v->valuestring, names);
	return td_fail(e, 400, BAD, "%s must be one of %s, not %s", f->name, names, kind_name(v));
}

/* What an unset DateTime is: the dates are non-nullable DateTimes. */
#define EMPTY_DATE "0001-01-01T00:00:00"

static int check_date(const field_def *f, cJSON *obj, cJSON *v, const tdate *tmpl, td_err *e)
{
	if (cJSON_IsNull(v))
		return td_fail(e, 400, BAD, "%s is a DateTime and cannot be null (an empty date is " EMPTY_DATE ")",
		            f->name);
	if (!cJSON_IsString(v))
		return td_fail(e, 400, BAD, "%s must be a date string, not %s", f->name, kind_name(v));
	tdate d;
	char err[160], buf[64];
	if (date_parse(v->valuestring, 0, &d, err, sizeof err))
		return td_fail(e, 400, BAD, "%s: bad date '%.64s': %s", f->name, v->valuestring, err);
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
		return td_fail(e, 400, BAD, "%s must be an object with %s, not %s", where, f->key, kind_name(v));
	const cJSON *k = json_get_ci(v, f->key);
	if (!json_is_int32(k))
		return td_fail(e, 400, BAD, "%s/%s must be a 32-bit integer, not %s", where, f->key, kind_name(k));
	return 0;
}

static int check_map(const field_def *f, const cJSON *v, td_err *e)
{
	if (!cJSON_IsObject(v))
		return td_fail(e, 400, BAD, "%s must be an object, not %s", f->name, kind_name(v));
	const cJSON *m;
	cJSON_ArrayForEach(m, v) {
		if (cJSON_IsObject(m) || cJSON_IsArray(m))
			return td_fail(e, 400, BAD, "%s/%s must be a string, number, boolean or null, not %s",
			            f->name, m->string, kind_name(m));
	}
	return 0;
}

/* References a ticket may be without: no owner (OwnedBy null or 0 is
 * unassigned), no contact person, no sale, no project. */
static bool nullable_ref(const field_def *f)
{
	static const char *const names[] = { "OwnedBy", "Person", "Sale", "Project" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcmp(f->name, names[i]))
			return true;
	return false;
}

/* Type check (and normalise) the value V of field F inside OBJ. */
static int check_value(const field_def *f, cJSON *obj, cJSON *v, const tdate *tmpl, td_err *e)
{
	switch (f->kind) {
	case FK_STRING:
		if (!cJSON_IsString(v) && !cJSON_IsNull(v))
			return td_fail(e, 400, BAD, "%s must be a string, not %s", f->name, kind_name(v));
		return 0;
	case FK_INT32:
		if (!json_is_int32(v))
			return td_fail(e, 400, BAD, "%s must be a 32-bit integer, not %s", f->name, kind_name(v));
		return 0;
	case FK_BOOL:
		if (!cJSON_IsBool(v))
			return td_fail(e, 400, BAD, "%s must be true or false, not %s", f->name, kind_name(v));
		return 0;
	case FK_ENUM:
		return check_enum(f, obj, v, tmpl, e);
	case FK_DATE:
		return check_date(f, obj, v, tmpl, e);
	case FK_REF:
		if (cJSON_IsNull(v) && nullable_ref(f))
			return 0;
		return check_key(f, v, f->name, e);
	case FK_REFSET: {
		if (!cJSON_IsArray(v))
			return td_fail(e, 400, BAD, "%s must be an array, not %s", f->name, kind_name(v));
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
	case FK_DATE: return cJSON_CreateString(EMPTY_DATE);
	case FK_REFSET: return cJSON_CreateArray();
	case FK_MAP: return cJSON_CreateObject();
	case FK_REF:
		if (!strcmp(f->name, "OwnedBy")) {
			cJSON *o = cJSON_CreateObject();
			cJSON_AddNumberToObject(o, "AssociateId", 0);
			return o;
		}
		if (nullable_ref(f))
			return cJSON_CreateNull();
		return NULL;
	default:
		return NULL;
	}
}

/* Whether member O of the ticket is one a save looks at (the rest stay
 * as they are): for a PATCH those its paths name, for a PUT every editable
 * field and what the body names. */
typedef bool (*in_scope_fn)(const cJSON *o, const cJSON *work, void *ctx);

/* Names of WORK in the schema's spelling (a member the ticket has under
 * another spelling: the ticket's); a name given twice is an error. */
static int canonical_names(const cJSON *doc, cJSON *work, td_err *e)
{
	for (cJSON *m = work ? work->child : NULL; m; m = m->next) {
		const field_def *f = schema_find(m->string);
		const cJSON *o = json_get_ci(doc, m->string);
		const char *want = f ? f->name : o ? o->string : m->string;
		for (const cJSON *p = work->child; p != m; p = p->next)
			if (!strcasecmp(p->string, m->string))
				return td_fail(e, 400, BAD, "%s is given twice ('%.64s' and '%.64s')", want, p->string,
				            m->string);
		if (strcmp(want, m->string)) {
			char *name = strdup(want);
			if (!name)
				return td_fail(e, 500, "SoInternalServerError", "out of memory");
			if (!(m->type & cJSON_StringIsConst))
				free(m->string);
			m->type &= ~cJSON_StringIsConst;
			m->string = name;
		}
	}
	return 0;
}

/* Members of WORK against DOC: read-only unchanged, nothing unknown added,
 * removed fields (of those in scope) back to their defaults (PUT: fields
 * without a default, like enums and Status, keep their value). */
static int check_members(const cJSON *doc, cJSON *work, bool is_put, in_scope_fn in_scope, void *ctx,
                         td_err *e)
{
	if (!cJSON_IsObject(work))
		return td_fail(e, 400, BAD, "the ticket must stay an object, not %s", kind_name(work));
	if (canonical_names(doc, work, e))
		return -1;
	cJSON *m;
	cJSON_ArrayForEach(m, work) {
		const cJSON *o = json_get_ci(doc, m->string);
		if (is_readonly(m->string) && (!o || !json_equal(o, m)))
			return td_fail(e, 400, BAD, "%s is read-only", m->string);
		if (!o && !schema_find(m->string))
			return td_fail(e, 400, BAD, "%.200s is not a field of TicketEntity", m->string);
	}
	const cJSON *o;
	cJSON_ArrayForEach(o, doc) {
		if (!in_scope(o, work, ctx) || json_get_ci(work, o->string))
			continue;
		const field_def *f = schema_find(o->string);
		if (!f || f->kind == FK_READONLY)
			return td_fail(e, 400, BAD, "%s is read-only and cannot be removed", o->string);
		cJSON *d = field_default(f);
		if (!d && is_put)
			continue;  /* kept as it is */
		if (!d)
			return td_fail(e, 400, BAD, "%s cannot be removed; replace %s instead", f->name,
			            f->key ? f->key : "its value");
		cJSON_AddItemToObject(work, f->name, d);
	}
	return 0;
}

static int check_types(const cJSON *doc, cJSON *work, td_err *e)
{
	tdate tmpl = ticket_style(doc);
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

/* OwnedBy 2147483647: the category's assignment rule (the category the
 * save sets, else the ticket's), else the default. */
static int auto_owner(const td_store *s, const cJSON *doc, const cJSON *work)
{
	const cJSON *c = json_get(work, "Category");
	const cJSON *cat = json_get_ci(c ? c : json_get_ci(doc, "Category"), "TicketCategoryId");
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
	static const char *const names[L_COUNT] = { "associate", "ticketstatus", "ticketpriority", "ejcategory", "tags",
	                                             "person_new", "tickettype", "sale", "project" };
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
	if (l < 0 || !cur || json_equal(cur, json_get_ci(orig, f->name)))
		return 0;
	int id = 0;
	if (!cJSON_IsNull(cur))
		id = json_get_ci(cur, f->key)->valueint;
	if (l != L_ASSOC && nullable_ref(f) && id == 0) {  /* no person, sale or project */
		if (!cJSON_IsNull(cur))
			replace_member(work, cur, cJSON_CreateNull());
		return 0;
	}
	if (l == L_ASSOC && id == OWNER_AUTO)
		id = auto_owner(s, orig, work);
	if (l == L_ASSOC && id == 0) {
		replace_member(work, cur, unassigned());
		return 0;
	}
	const cJSON *item = store_list_item(s, l, id);
	if (!item)
		return td_fail(e, 400, BAD, "%s: no %s with %s %d", f->name, f->list, f->key, id);
	const cJSON *old = json_get_ci(json_get_ci(orig, f->name), f->key);
	if (item_deleted(l, item) && !(json_is_int32(old) && old->valueint == id))
		return td_fail(e, 400, BAD, "%s: %s %d is deleted", f->name, f->list, id);
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

/* A set of references (Tags by Id, SecondaryPersons by PersonId) rebuilt
 * from list L by key; duplicates dropped. */
static int resolve_set(const td_store *s, const field_def *f, int l, const cJSON *orig, cJSON *work,
                       td_err *e)
{
	cJSON *cur = f ? json_get(work, f->name) : NULL;
	if (!cur || json_equal(cur, json_get_ci(orig, f->name)))
		return 0;
	cJSON *out = cJSON_CreateArray();
	const cJSON *it;
	cJSON_ArrayForEach(it, cur) {
		int id = json_get_ci(it, f->key)->valueint;
		const cJSON *item = store_list_item(s, l, id);
		if (!item) {
			cJSON_Delete(out);
			return td_fail(e, 400, BAD, "%s: no %s with %s %d", f->name, f->list, f->key, id);
		}
		bool dup = false;
		const cJSON *o;
		cJSON_ArrayForEach(o, out)
			dup |= json_get(o, f->key)->valueint == id;
		if (!dup)
			cJSON_AddItemToArray(out, list_entity(item));
	}
	replace_member(work, cur, out);
	return 0;
}

static int resolve_all(const td_store *s, const cJSON *orig, cJSON *work, td_err *e)
{
	static const char *const refs[] = { "Category", "OwnedBy", "Priority", "Status", "Person", "TicketType",
	                                    "Sale", "Project" };
	for (size_t i = 0; i < sizeof refs / sizeof refs[0]; i++) {
		const field_def *f = schema_find(refs[i]);
		if (f && resolve_ref(s, f, orig, work, e))
			return -1;
	}
	return resolve_set(s, schema_find("Tags"), L_TAGS, orig, work, e) ||
	       resolve_set(s, schema_find("SecondaryPersons"), L_PERSON, orig, work, e) ? -1 : 0;
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
		return td_fail(e, 403, "SoAccessDeniedException", "this ticket is read-only for you (TableRight %s)",
		            cJSON_IsString(m) ? m->valuestring : "?");
	}
	const cJSON *m;
	cJSON_ArrayForEach(m, work) {
		const field_def *f = schema_find(m->string);
		if (!f || json_equal(m, json_get_ci(orig, m->string)))
			continue;
		if (!schema_field_editable(orig, f))
			return td_fail(e, 403, "SoAccessDeniedException",
			            "%s is read-only for you (FieldProperties.%s.FieldRight)", f->name, f->name);
		if (schema_field_mandatory(orig, f) && emptied(m))
			return td_fail(e, 400, BAD, "%s is mandatory and cannot be emptied", f->name);
	}
	return 0;
}

/* ---- the pipeline ----------------------------------------------------------- */

/* WORK (the members in scope, patched) is checked and resolved; the
 * members that differ from DOC go to *CHANGES with LastChanged bumped, or
 * *CHANGES stays NULL for a no-op. Consumes WORK. */
static int finish(const td_store *s, const cJSON *doc, cJSON *work, bool is_put, in_scope_fn in_scope,
                  void *ctx, cJSON **changes, td_err *e)
{
	int rc = -1;
	cJSON *ch = NULL;
	if (check_members(doc, work, is_put, in_scope, ctx, e) || check_types(doc, work, e) ||
	    cf_check(s, doc, work, is_put, e) || resolve_all(s, doc, work, e))
		goto out;
	if (!(ch = cJSON_CreateObject())) {
		td_fail(e, 500, "SoInternalServerError", "out of memory");
		goto out;
	}
	cJSON *m = work->child;
	while (m) {
		cJSON *next = m->next;
		if (!json_equal(m, json_get_ci(doc, m->string)))
			cJSON_AddItemToArray(ch, cJSON_DetachItemViaPointer(work, m));
		m = next;
	}
	if (!ch->child) {
		rc = 0;
		goto out;
	}
	if (check_rights(doc, ch, e))
		goto out;
	if (td_bump_last_changed(doc, ch)) {
		td_fail(e, 500, "SoInternalServerError", "out of memory");
		goto out;
	}
	*changes = ch;
	ch = NULL;
	rc = 0;
out:
	cJSON_Delete(ch);
	cJSON_Delete(work);
	return rc;
}

static int patch_fail(const patch_error *pe, td_err *e)
{
	switch (pe->status) {
	case PATCH_ETEST:
		return td_fail(e, 409, "SoConcurrencyException", "conflict: %s", pe->msg);
	case PATCH_EUNSUPPORTED:
		return td_fail(e, 400, BAD, "%s (only add, replace, remove and test are supported)", pe->msg);
	case PATCH_ENOMEM:  /* nothing was applied: the service could not, not the request was bad */
		return td_fail(e, 500, "SoInternalServerError", "out of memory applying the patch");
	default:
		return td_fail(e, 400, BAD, "%s", pe->msg);
	}
}

/* The top-level members a patch names: SOME for the first token of every
 * path (and from), MUTATED for those of ops other than test; ALL when an
 * op works on the whole document. Tokens borrow from the patch. */
typedef struct {
	const char **tok;
	bool *mutated;
	size_t n;
	bool all;
} patch_scope;

static int scope_add(patch_scope *sc, const char *text, bool mutates)
{
	jptr p;
	char err[128];
	if (!text)
		return 0;
	if (jptr_parse(text, JPTR_SERVICE, &p, err, sizeof err) < 0)
		return 0;  /* patch_apply reports it */
	if (p.n == 0) {
		sc->all = true;
		jptr_free(&p);
		return 0;
	}
	/* the token is unescaped: keep a copy alive in the scope */
	const char **nt = realloc(sc->tok, (sc->n + 1) * sizeof *nt);
	bool *nm = nt ? realloc(sc->mutated, (sc->n + 1) * sizeof *nm) : NULL;
	if (nt)
		sc->tok = nt;
	if (nm)
		sc->mutated = nm;
	if (!nt || !nm) {
		jptr_free(&p);
		return -1;
	}
	sc->tok[sc->n] = p.tok[0];
	sc->mutated[sc->n++] = mutates;
	p.tok[0] = NULL;
	jptr_free(&p);
	return 0;
}

static void scope_free(patch_scope *sc)
{
	for (size_t i = 0; i < sc->n; i++)
		free((char *)sc->tok[i]);
	free(sc->tok);
	free(sc->mutated);
}

static int scope_of(const cJSON *ops, patch_scope *sc)
{
	const cJSON *op;
	cJSON_ArrayForEach(op, ops) {
		const cJSON *kind = json_get(op, "op");
		const cJSON *path = json_get(op, "path"), *from = json_get(op, "from");
		bool mutates = !(cJSON_IsString(kind) && !strcmp(kind->valuestring, "test"));
		if (scope_add(sc, cJSON_GetStringValue(path), mutates) || scope_add(sc, cJSON_GetStringValue(from), true))
			return -1;
	}
	return 0;
}

/* 1: member NAME is named by a mutating op, 0: only by tests, -1: not named. */
static int scope_has(const patch_scope *sc, const char *name)
{
	int r = -1;
	for (size_t i = 0; i < sc->n; i++)
		if (!strcasecmp(sc->tok[i], name))
			r = sc->mutated[i] ? 1 : r < 0 ? 0 : r;
	return sc->all ? 1 : r;
}

static bool patch_in_scope(const cJSON *o, const cJSON *work, void *ctx)
{
	(void)work;
	return scope_has(ctx, o->string) >= 0;
}

/* A node that reads like M without copying it (tests only read). */
static cJSON *reference(const cJSON *m)
{
	if (cJSON_IsObject(m))
		return cJSON_CreateObjectReference(m->child);
	if (cJSON_IsArray(m))
		return cJSON_CreateArrayReference(m->child);
	if (cJSON_IsString(m))
		return cJSON_CreateStringReference(m->valuestring);
	return cJSON_Duplicate(m, false);
}

/* The members of DOC the patch names: copies of those it may change,
 * references to those it only tests (a member kept as text is parsed: the
 * patch walks into it). All members when an op works on the root. */
static cJSON *scope_copy(const cJSON *doc, const patch_scope *sc)
{
	cJSON *work = cJSON_CreateObject();
	const cJSON *m;
	cJSON_ArrayForEach(m, doc) {
		int has = work ? scope_has(sc, m->string) : -1;
		if (has < 0)
			continue;
		cJSON *c = cJSON_IsRaw(m) ? td_raw_parse(m) : has ? cJSON_Duplicate(m, true) : reference(m);
		if (!c) {
			cJSON_Delete(work);
			return NULL;
		}
		cJSON_AddItemToObject(work, m->string, c);
	}
	return work;
}

int ticket_patch(const td_store *s, const cJSON *doc, const cJSON *body, cJSON **changes, td_err *e)
{
	*changes = NULL;
	cJSON *ops = NULL;
	if (cJSON_IsObject(body)) {
		if (!(ops = merge_to_patch(doc, body, PATCH_SERVICE)))
			return td_fail(e, 500, "SoInternalServerError", "out of memory reading the merge patch");
	} else if (!cJSON_IsArray(body))
		return td_fail(e, 400, BAD, "the body must be a JSON Patch array or a merge-patch object, not %s",
		            kind_name(body));
	const cJSON *patch = ops ? ops : body;
	patch_scope sc = { 0 };
	cJSON *work = NULL;
	if (scope_of(patch, &sc) || !(work = scope_copy(doc, &sc))) {
		scope_free(&sc);
		cJSON_Delete(ops);
		return td_fail(e, 500, "SoInternalServerError", "out of memory");
	}
	patch_error pe = { 0 };
	patch_status st = patch_apply(&work, patch, PATCH_SERVICE, &pe);
	cJSON_Delete(ops);
	if (st != PATCH_OK) {
		scope_free(&sc);
		cJSON_Delete(work);
		return patch_fail(&pe, e);
	}
	int rc = finish(s, doc, work, false, patch_in_scope, &sc, changes, e);
	scope_free(&sc);
	return rc;
}

/* PUT: every editable field, and whatever else the body names. */
static bool put_in_scope(const cJSON *o, const cJSON *work, void *ctx)
{
	(void)ctx;
	const field_def *f = schema_find(o->string);
	return (f && f->kind != FK_READONLY) || json_get_ci(work, o->string);
}

int ticket_put(const td_store *s, const cJSON *doc, const cJSON *body, int id, cJSON **changes, td_err *e)
{
	*changes = NULL;
	if (!cJSON_IsObject(body))
		return td_fail(e, 400, BAD, "Entity to save is not in request body (expected an object, not %s)",
		            kind_name(body));
	const cJSON *tid = json_get_ci(body, "TicketId");
	if (tid && !(json_is_int32(tid) && (tid->valueint == id || tid->valueint == 0)))
		return td_fail(e, 400, BAD, "TicketId in the body does not match ticket %d in the URL", id);
	cJSON *work = cJSON_Duplicate(body, true);
	if (!work)
		return td_fail(e, 500, "SoInternalServerError", "out of memory");
	/* Read-only fields are the server's: ignore what the body says. */
	cJSON *m = work->child;
	while (m) {
		cJSON *next = m->next;
		if (is_readonly(m->string))
			cJSON_Delete(cJSON_DetachItemViaPointer(work, m));
		m = next;
	}
	return finish(s, doc, work, true, put_in_scope, NULL, changes, e);
}

/* ---- MDO lists ------------------------------------------------------------------ */

static const char *str_or(const cJSON *obj, const char *name, const char *dflt)
{
	const cJSON *v = json_get(obj, name);
	return cJSON_IsString(v) ? v->valuestring : dflt;
}

/* Text of MDO item field NAME of list item IT, translated into LANG. */
static void add_text(cJSON *o, const char *name, const char *text, const char *lang)
{
	char *t = lang ? td_translate(text, lang) : NULL;
	cJSON_AddStringToObject(o, name, t ? t : text);
	free(t);
}

static int int_or(const cJSON *obj, const char *name, int dflt)
{
	const cJSON *v = json_get(obj, name);
	return json_is_int32(v) ? v->valueint : dflt;
}

/* MDOListItem of list L's entity IT (key KEY). A category's Name is its
 * short name in a tree and its full path in a flat list (FLAT), as the
 * ejcategory provider writes them; FullName is always the path. */
static cJSON *mdo_item(int l, const cJSON *it, int key, bool flat, const char *lang)
{
	const cJSON *mdo = json_get(it, "_mdo");
	char extra[128], full_buf[400];
	const char *name = str_or(it, "Name", ""), *full = name, *tip = str_or(it, "ToolTip", "");
	const char *type = "";
	int rank = json_is_int32(json_get(it, "Rank")) ? json_get(it, "Rank")->valueint : key;
	extra[0] = '\0';
	switch (l) {
	case L_ASSOC:
		name = full = str_or(it, "FullName", name);
		tip = str_or(it, "Tooltip", "");
		snprintf(extra, sizeof extra, "person_id=%d&contact_id=0", int_or(it, "PersonId", 0));
		break;
	case L_STATUS:
		snprintf(extra, sizeof extra, "%s", str_or(it, "Status", ""));
		break;
	case L_PRIO:
		snprintf(extra, sizeof extra, "%d", int_or(it, "SortOrder", key));
		break;
	case L_CAT:
		full = str_or(it, "Fullname", name);
		if (flat)
			name = full;
		break;
	case L_PERSON: {
		const char *contact = str_or(it, "ContactName", "");
		name = str_or(it, "FullName", "");
		snprintf(full_buf, sizeof full_buf, "%s%s%s", name, *contact ? ", " : "", contact);
		full = full_buf;
		tip = str_or(it, "Email", "");
		type = "Person";
		snprintf(extra, sizeof extra, "contact_id=%d", int_or(it, "ContactId", 0));
		break;
	}
	case L_SALE:
		name = full = str_or(it, "Title", "");
		tip = str_or(it, "ContactName", "");
		type = "Sale";
		snprintf(extra, sizeof extra, "contact_id=%d", int_or(it, "ContactId", 0));
		break;
	case L_PROJECT:
		type = "Project";
		snprintf(extra, sizeof extra, "%s", str_or(it, "ProjectNumber", ""));
		break;
	}
	const char *info = str_or(mdo, "ExtraInfo", NULL);
	if (info)  /* never snprintf a buffer onto itself */
		snprintf(extra, sizeof extra, "%s", info);
	if (json_is_int32(json_get(mdo, "Rank")))
		rank = json_get(mdo, "Rank")->valueint;
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "Id", key);
	add_text(o, "Name", name, lang);
	add_text(o, "ToolTip", tip, lang);
	cJSON_AddBoolToObject(o, "Deleted", item_deleted(l, it));
	cJSON_AddNumberToObject(o, "Rank", rank);
	cJSON_AddStringToObject(o, "Type", type);
	cJSON_AddItemToObject(o, "ChildItems", cJSON_CreateArray());
	cJSON_AddStringToObject(o, "IconHint", "");
	cJSON_AddNumberToObject(o, "ColorBlock", 0);
	cJSON_AddStringToObject(o, "ExtraInfo", extra);
	cJSON_AddStringToObject(o, "StyleHint", "");
	add_text(o, "FullName", full, lang);
	cJSON_AddNullToObject(o, "TableRight");
	cJSON_AddItemToObject(o, "FieldProperties", cJSON_CreateObject());
	return o;
}

/* The categories under PARENT as a tree (ChildItems), in list order. */
static void add_children(const td_list *lst, cJSON *into, int parent, const char *lang, int depth)
{
	const cJSON *it;
	if (depth > 32)
		return;
	cJSON_ArrayForEach(it, lst->items) {
		int id = json_get(it, lst->key)->valueint, p = int_or(it, "ParentId", -1);
		if (p != parent || id == parent)
			continue;
		cJSON *o = mdo_item(L_CAT, it, id, false, lang);
		if (!o)
			continue;
		add_children(lst, json_get(o, "ChildItems"), id, lang, depth + 1);
		cJSON_AddItemToArray(into, o);
	}
}

cJSON *mdo_list(const td_store *s, const char *name, bool flat, const char *query, const char *lang)
{
	const td_list *lst = store_list(s, name);
	if (!lst)
		return NULL;
	int l = (int)(lst - s->lists);
	cJSON *out = cJSON_CreateArray();
	const cJSON *it;
	if (query && *query)
		flat = true;  /* "query: Search terms (implies flat=true)" */
	if (l == L_CAT && !flat) {
		add_children(lst, out, -1, lang, 0);
		return out;
	}
	cJSON_ArrayForEach(it, lst->items) {
		cJSON *o = mdo_item(l, it, json_get(it, lst->key)->valueint, flat, lang);
		if (o && query && *query && !td_query_match(o, query)) {
			cJSON_Delete(o);
			continue;
		}
		if (o)
			cJSON_AddItemToArray(out, o);
	}
	return out;
}

/* merge3.c — the three-way merge of edits onto theirs: pure functions on cJSON. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/json.h"
#include "ticketed/merge3.h"

const char *merge3_class_name(merge3_class c)
{
	static const char *const names[] = { "theirs", "rebase", "already", "merged", "conflict" };
	return (unsigned)c < sizeof names / sizeof names[0] ? names[c] : "?";
}

static cJSON *dup(const cJSON *v)
{
	return v ? cJSON_Duplicate(v, 1) : NULL;
}

static void say(char *why, size_t whylen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void say(char *why, size_t whylen, const char *fmt, ...)
{
	if (!why || !whylen)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(why, whylen, fmt, ap);
	va_end(ap);
}

/* One key of a map: B/M/T may be NULL (absent). Returns 0 and
 * *RES (borrowed: one of M or T, or NULL for absent), or -1 on conflict. */
static int merge_one(const cJSON *b, const cJSON *m, const cJSON *t, const cJSON **res)
{
	if (json_equal(m, b))
		*res = t;
	else if (json_equal(t, b) || json_equal(m, t))
		*res = m;
	else
		return -1;
	return 0;
}

static const cJSON *find_elem(const field_def *f, const cJSON *arr, const cJSON *key)
{
	for (const cJSON *e = arr ? arr->child : NULL; e; e = e->next)
		if (json_equal(schema_ref_key(f, e), key))
			return e;
	return NULL;
}

/* Sets of references: theirs' elements in their order, then my additions.
 * An element is its key (schema_same): present or absent on each side, so
 * whichever side changed it wins and the two sides never clash; a present
 * element is theirs' copy when they have it (their names are the newer). */
static cJSON *merge_set(const field_def *f, const cJSON *b, const cJSON *m, const cJSON *t)
{
	cJSON *out = cJSON_CreateArray();
	const cJSON *lists[2] = { t, m };
	for (int pass = 0; pass < 2; pass++) {
		for (const cJSON *e = lists[pass]->child; e; e = e->next) {
			const cJSON *k = schema_ref_key(f, e);
			if (pass == 1 && find_elem(f, t, k))
				continue; /* already decided in the first pass */
			bool in_b = find_elem(f, b, k), in_m = find_elem(f, m, k);
			if (in_m == in_b ? pass == 0 : in_m)  /* unchanged by me: theirs; else mine */
				cJSON_AddItemToArray(out, dup(e));
		}
	}
	return out;
}

/* Maps: theirs' keys in their order, then my new keys. */
static cJSON *merge_map(const cJSON *b, const cJSON *m, const cJSON *t, char *why, size_t whylen)
{
	cJSON *out = cJSON_CreateObject();
	const cJSON *maps[3] = { t, m, b };
	for (int pass = 0; pass < 3; pass++) {
		for (const cJSON *e = maps[pass]->child; e; e = e->next) {
			if ((pass >= 1 && json_get(t, e->string)) || (pass == 2 && json_get(m, e->string)))
				continue;
			const cJSON *res;
			if (merge_one(json_get(b, e->string), json_get(m, e->string), json_get(t, e->string), &res) < 0) {
				say(why, whylen, "key %s changed on both sides", e->string);
				cJSON_Delete(out);
				return NULL;
			}
			if (res)
				cJSON_AddItemToObject(out, e->string, dup(res));
		}
	}
	return out;
}

/* Classify and merge one field. */
merge3_class merge3_field(const field_def *f, const cJSON *base, const cJSON *mine,
                          const cJSON *theirs, cJSON **out, char *why, size_t whylen)
{
	*out = NULL;
	if (why && whylen)
		why[0] = '\0';
	if (schema_same(f, mine, base)) {
		*out = dup(theirs);
		return M3_THEIRS;
	}
	if (schema_same(f, theirs, base)) {
		*out = dup(mine);
		return M3_REBASE;
	}
	if (schema_same(f, mine, theirs)) {
		*out = dup(mine);
		return M3_ALREADY;
	}
	cJSON *merged = NULL;
	if (f->kind == FK_REFSET && cJSON_IsArray(base) && cJSON_IsArray(mine) && cJSON_IsArray(theirs))
		merged = merge_set(f, base, mine, theirs);
	else if (f->kind == FK_MAP && cJSON_IsObject(base) && cJSON_IsObject(mine) && cJSON_IsObject(theirs))
		merged = merge_map(base, mine, theirs, why, whylen);
	else
		say(why, whylen, "%s changed on both sides", f->name);
	if (!merged)
		return M3_CONFLICT;
	*out = merged;
	return M3_MERGED;
}

merge3_class merge3_item(const merge3_in *in, cJSON **out, char *why, size_t whylen)
{
	merge3_class c;
	*out = NULL;
	if (why && whylen)
		why[0] = '\0';
	if (!in->sub) {
		c = merge3_field(in->f, in->basis, in->mine, in->theirs, out, why, whylen);
	} else if (json_equal(in->mine, in->basis)) {
		c = M3_THEIRS;
	} else if (json_equal(in->theirs, in->basis)) {
		c = M3_REBASE;
		*out = dup(in->mine);
	} else if (json_equal(in->mine, in->theirs)) {
		c = M3_ALREADY;
	} else {
		say(why, whylen, "key %s changed on both sides", in->sub);
		return M3_CONFLICT;
	}
	if (c == M3_THEIRS || c == M3_ALREADY) {  /* as the server has it */
		cJSON_Delete(*out);
		*out = dup(in->theirs);
	}
	return c;
}

/* core_gen.c — random realistic ticket edits for the diff property test.
 *
 *   core_gen SEED COUNT [OUT.jsonl]
 *
 * For each case: a random ticket (every field kind, Unicode, escapes, custom
 * keys with '/' and '~'), a random edit of some fields, the diff in fields
 * or none mode, and a check that OUR patch_apply(base, diff) == edited. Each
 * case is written as one JSON line {"mode","base","edited","patch"} so that
 * an independent implementation (python3-jsonpatch) can verify it too.
 * Prints "checked N failed F" on stderr; exit status 1 if any failed. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/diff.h"
#include "ticketed/json.h"
#include "ticketed/patch.h"
#include "ticketed/schema.h"

static uint64_t rng_state;

static uint64_t rnd(void)
{
	uint64_t x = rng_state;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return rng_state = x;
}

static int rn(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

static int chance(int percent)
{
	return rn(100) < percent;
}

static const char *const pieces[] = {
	"a", "b", "z", "Q", " ", "printer", "on", "fire", "/", "~", "~0", "~1", "\"", "\\", "\t", "\n",
	"æ", "ø", "å", "ü", "日本", "🔥", "—", "«", "»", "{", "}", "[", "]", ":", ",", "0", "42", "x_", "%",
};

static char *rand_text(int maxpieces)
{
	static char buf[512];
	buf[0] = '\0';
	int n = rn(maxpieces + 1);
	for (int i = 0; i < n; i++)
		strcat(buf, pieces[rn((int)(sizeof pieces / sizeof pieces[0]))]);
	return buf;
}

static cJSON *rand_scalar(void)
{
	switch (rn(6)) {
	case 0: return cJSON_CreateNull();
	case 1: return cJSON_CreateBool(chance(50));
	case 2: return cJSON_CreateNumber(rn(2000) - 1000);
	case 3: return cJSON_CreateNumber((double)(rn(1000000)) / 8.0);
	case 4: return cJSON_CreateNumber(4294967296.0 * rn(1000));
	default: return cJSON_CreateString(rand_text(6));
	}
}

static cJSON *rand_value(int depth)
{
	if (depth > 2 || chance(70))
		return rand_scalar();
	if (chance(50)) {
		cJSON *a = cJSON_CreateArray();
		for (int i = rn(4); i > 0; i--)
			cJSON_AddItemToArray(a, rand_value(depth + 1));
		return a;
	}
	cJSON *o = cJSON_CreateObject();
	for (int i = rn(4); i > 0; i--) {
		char k[600];
		snprintf(k, sizeof k, "k%d%s", i, rand_text(2));
		cJSON_AddItemToObject(o, k, rand_value(depth + 1));
	}
	return o;
}

static const char *const enums_b[] = { "Active", "Closed", "Postponed", "Deleted", "Merged" };
static const char *const dates[] = { "2020-04-22T15:51:25", "2009-12-14T18:25:51.2209411+01:00",
	"0001-01-01T00:00:00", "2024-02-29T23:59:59", "2026-11-27T05:00:00" };

static cJSON *rand_enum(const field_def *f)
{
	int n = 0;
	while (f->enums[n])
		n++;
	return cJSON_CreateString(f->enums[rn(n)]);
}

static cJSON *make_ref(const field_def *f, int id)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, f->key, id);
	cJSON_AddStringToObject(o, f->display, rand_text(3));
	if (chance(50))
		cJSON_AddStringToObject(o, "Tooltip", rand_text(2));
	return o;
}

static bool set_has(const cJSON *arr, const char *key, int id)
{
	for (const cJSON *c = arr->child; c; c = c->next)
		if (json_get(c, key)->valuedouble == id)
			return true;
	return false;
}

static cJSON *rand_set(const field_def *f)
{
	cJSON *a = cJSON_CreateArray();
	for (int i = rn(6); i > 0; i--) {
		int id = rn(40) + 1;
		if (!set_has(a, f->key, id))
			cJSON_AddItemToArray(a, make_ref(f, id));
	}
	return a;
}

static const char *const ckeys[] = { "x_foo", "x_bar", "SuperOffice:1", "SuperOffice:2", "a/b", "c~d",
	"~1", "/", "", "ключ", "x_日本", "x \"q\"", "x_n", "y/~0/z" };

static cJSON *rand_map(void)
{
	cJSON *o = cJSON_CreateObject();
	for (size_t i = 0; i < sizeof ckeys / sizeof ckeys[0]; i++)
		if (chance(40))
			cJSON_AddItemToObject(o, ckeys[i], rand_value(0));
	return o;
}

static cJSON *rand_field(const field_def *f)
{
	switch (f->kind) {
	case FK_STRING: return chance(10) ? cJSON_CreateNull() : cJSON_CreateString(rand_text(8));
	case FK_INT32: return cJSON_CreateNumber(chance(10) ? 2147483647 : rn(100000) - 50);
	case FK_ENUM: return rand_enum(f);
	case FK_DATE: return chance(15) ? cJSON_CreateNull() : cJSON_CreateString(dates[rn(5)]);
	case FK_REF: return chance(10) ? cJSON_CreateNull() : make_ref(f, rn(1000));
	case FK_REFSET: return rand_set(f);
	case FK_MAP: return rand_map();
	default: return NULL;
	}
}

static cJSON *rand_ticket(int id)
{
	cJSON *t = cJSON_CreateObject();
	for (size_t i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		if (f->kind == FK_READONLY || chance(3))
			continue;
		cJSON_AddItemToObject(t, f->name, rand_field(f));
	}
	cJSON_AddNumberToObject(t, "TicketId", id);
	cJSON_AddStringToObject(t, "LastChanged", dates[rn(5)]);
	cJSON *msgs = cJSON_AddArrayToObject(t, "Messages");
	for (int i = rn(3); i > 0; i--) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddNumberToObject(m, "TicketMessageId", rn(1000));
		cJSON_AddStringToObject(m, "Author", rand_text(3));
		cJSON_AddItemToArray(msgs, m);
	}
	cJSON *tr = cJSON_AddObjectToObject(t, "TableRight");
	cJSON_AddStringToObject(tr, "Mask", "FULL");
	return t;
}

static void replace_member(cJSON *obj, const char *name, cJSON *v)
{
	if (json_get(obj, name))
		cJSON_ReplaceItemInObjectCaseSensitive(obj, name, v);
	else
		cJSON_AddItemToObject(obj, name, v);
}

static void edit_ref(cJSON *t, const field_def *f, cJSON *v)
{
	if (cJSON_IsObject(v) && chance(85)) {
		/* a picked reference: only the key member changes in what apply yields */
		cJSON_ReplaceItemInObjectCaseSensitive(v, f->key, cJSON_CreateNumber(rn(1000) + 1000));
	} else if (!cJSON_IsObject(v)) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddNumberToObject(o, f->key, rn(1000) + 2000);
		replace_member(t, f->name, o); /* from null: the object with its key only */
	} else {
		replace_member(t, f->name, cJSON_CreateNull());
	}
}

static void edit_set(const field_def *f, cJSON *v)
{
	if (!cJSON_IsArray(v))
		return;
	cJSON *c = v->child;
	while (c) {
		cJSON *next = c->next;
		if (chance(35))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
		c = next;
	}
	for (int i = rn(3); i > 0; i--) {
		int id = 100 + rn(50);
		if (!set_has(v, f->key, id))
			cJSON_AddItemToArray(v, make_ref(f, id));
	}
}

static void edit_map(cJSON *v)
{
	if (!cJSON_IsObject(v))
		return;
	cJSON *c = v->child;
	while (c) {
		cJSON *next = c->next;
		if (chance(25))
			cJSON_Delete(cJSON_DetachItemViaPointer(v, c));
		else if (chance(35))
			cJSON_ReplaceItemInObjectCaseSensitive(v, c->string, rand_value(0));
		c = next;
	}
	for (size_t i = 0; i < sizeof ckeys / sizeof ckeys[0]; i++)
		if (!json_get_ci(v, ckeys[i]) && chance(15))
			cJSON_AddItemToObject(v, ckeys[i], rand_value(0));
}

static void edit_ticket(cJSON *t)
{
	for (size_t i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		if (f->kind == FK_READONLY || !chance(25))
			continue;
		cJSON *v = json_get(t, f->name);
		if (!v && f->kind == FK_REF) {
			edit_ref(t, f, NULL);
			continue;
		}
		if (!v) {
			cJSON_AddItemToObject(t, f->name, rand_field(f));
			continue;
		}
		if (chance(3) && f->kind != FK_REF) {
			cJSON_DeleteItemFromObjectCaseSensitive(t, f->name);
			continue;
		}
		switch (f->kind) {
		case FK_REF: edit_ref(t, f, v); break;
		case FK_REFSET: edit_set(f, v); break;
		case FK_MAP: edit_map(v); break;
		default: replace_member(t, f->name, rand_field(f)); break;
		}
	}
}

/* Generic diff cases: a random document and a random edit of its arrays
 * (insertions, deletions, replacements) and objects. */
static cJSON *rand_doc(int depth)
{
	if (depth > 3 || chance(30))
		return rand_scalar();
	cJSON *c = chance(60) ? cJSON_CreateArray() : cJSON_CreateObject();
	for (int i = rn(7); i > 0; i--) {
		if (cJSON_IsArray(c)) {
			cJSON_AddItemToArray(c, chance(50) ? cJSON_CreateNumber(rn(5)) : rand_doc(depth + 1));
		} else {
			char k[600];
			snprintf(k, sizeof k, "%s%d", rand_text(2), i);
			cJSON_AddItemToObject(c, k, rand_doc(depth + 1));
		}
	}
	return c;
}

static void edit_doc(cJSON *c)
{
	if (!cJSON_IsArray(c) && !cJSON_IsObject(c))
		return;
	cJSON *e = c->child;
	while (e) {
		cJSON *next = e->next;
		if (chance(15))
			cJSON_Delete(cJSON_DetachItemViaPointer(c, e));
		else if (chance(10) && cJSON_IsObject(c))
			cJSON_ReplaceItemInObjectCaseSensitive(c, e->string, rand_doc(2));
		else if (chance(10) && cJSON_IsArray(c))
			cJSON_ReplaceItemViaPointer(c, e, rand_doc(2));
		else
			edit_doc(e);
		e = next;
	}
	if (cJSON_IsArray(c)) {
		for (int i = rn(3); i > 0; i--) {
			cJSON *v = chance(50) ? cJSON_CreateNumber(rn(5)) : rand_doc(3);
			int n = cJSON_GetArraySize(c), at = rn(n + 1);
			if (at == n)
				cJSON_AddItemToArray(c, v);
			else
				cJSON_InsertItemInArray(c, at, v) ? (void)0 : cJSON_AddItemToArray(c, v);
		}
	} else if (chance(20)) {
		cJSON_AddItemToObject(c, "added", rand_doc(2));
	}
}

static void emit(FILE *out, const char *mode, const cJSON *b, const cJSON *e, const cJSON *p)
{
	char *bs = json_print(b, false), *es = json_print(e, false), *ps = json_print(p, false);
	fprintf(out, "{\"mode\":\"%s\",\"base\":%s,\"edited\":%s,\"patch\":%s}\n", mode, bs, es, ps);
	free(bs);
	free(es);
	free(ps);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fputs("usage: core_gen SEED COUNT [OUT.jsonl]\n", stderr);
		return 2;
	}
	rng_state = strtoull(argv[1], NULL, 10) * 2654435761ULL + 88172645463325252ULL;
	long count = strtol(argv[2], NULL, 10), failed = 0;
	FILE *out = argc > 3 ? fopen(argv[3], "w") : NULL;
	(void)enums_b;
	for (long i = 0; i < count; i++) {
		cJSON *base = rand_ticket((int)i);
		cJSON *edited = cJSON_Duplicate(base, 1);
		edit_ticket(edited);
		diff_mode mode = chance(80) ? DIFF_FIELDS : DIFF_NONE;
		cJSON *patch = diff_ticket(base, edited, mode, NULL, NULL);
		cJSON *doc = cJSON_Duplicate(base, 1);
		patch_error err;
		if (patch_apply(&doc, patch, PATCH_STRICT, &err) != PATCH_OK || !json_equal(doc, edited)) {
			if (failed++ < 5) {
				fprintf(stderr, "case %ld: %s\n", i, err.msg);
				emit(stderr, "fields", base, edited, patch);
			}
		}
		if (out)
			emit(out, mode == DIFF_FIELDS ? "fields" : "none", base, edited, patch);
		cJSON_Delete(doc);
		cJSON_Delete(patch);
		cJSON_Delete(base);
		cJSON_Delete(edited);
	}
	long gcount = count / 5;
	for (long i = 0; i < gcount; i++) {
		cJSON *base = rand_doc(0);
		cJSON *edited = cJSON_Duplicate(base, 1);
		edit_doc(edited);
		diff_mode mode = chance(50) ? DIFF_FIELDS : DIFF_NONE;
		cJSON *patch = diff_generic(base, edited, mode);
		cJSON *doc = cJSON_Duplicate(base, 1);
		patch_error err;
		if (patch_apply(&doc, patch, PATCH_STRICT, &err) != PATCH_OK || !json_equal(doc, edited)) {
			if (failed++ < 5) {
				fprintf(stderr, "generic case %ld: %s\n", i, err.msg);
				emit(stderr, "generic", base, edited, patch);
			}
		}
		if (out)
			emit(out, mode == DIFF_FIELDS ? "generic" : "generic-none", base, edited, patch);
		cJSON_Delete(doc);
		cJSON_Delete(patch);
		cJSON_Delete(base);
		cJSON_Delete(edited);
	}
	if (out)
		fclose(out);
	fprintf(stderr, "checked %ld ticket and %ld generic cases, failed %ld\n", count, gcount, failed);
	return failed ? 1 : 0;
}

/* test_app_scale.c — loading, drawing, counting modified rows, journaling
 * and restoring a ticket with n CustomFields keys cost O(n log n), not
 * O(n^2), measured without a clock: the binary is linked with
 * -Wl,--wrap for every cJSON lookup that walks an object or array (json_get,
 * json_get_ci, cJSON_GetObjectItem*, cJSON_GetArrayItem/Size, the
 * *InObject* replace/delete/detach calls), and each wrapper adds the number
 * of members it walks to a counter; cJSON's allocation hook counts the
 * nodes and strings made (a map copied once per key shows there). The same
 * scenario runs at n and 4n: an O(n log n) path grows about 4.6x, a
 * quadratic one 16x. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ticketed/draft.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"
#include "testutil.h"

static unsigned long long g_ops;

/* Members of OBJ walked to find the one for which MATCH holds (all when none does). */
static unsigned long long walked(const cJSON *obj, const char *key, int (*cmp)(const char *, const char *))
{
	unsigned long long n = 0;
	for (const cJSON *c = obj ? obj->child : NULL; c; c = c->next) {
		n++;
		if (key && c->string && !cmp(c->string, key))
			break;
	}
	return n;
}

static unsigned long long walked_all(const cJSON *obj) { return walked(obj, NULL, strcmp); }

cJSON *__real_json_get(const cJSON *obj, const char *key);
cJSON *__wrap_json_get(const cJSON *obj, const char *key);
cJSON *__wrap_json_get(const cJSON *obj, const char *key)
{
	g_ops += walked(obj, key, strcmp);
	return __real_json_get(obj, key);
}

cJSON *__real_json_get_ci(const cJSON *obj, const char *key);
cJSON *__wrap_json_get_ci(const cJSON *obj, const char *key);
cJSON *__wrap_json_get_ci(const cJSON *obj, const char *key)
{
	g_ops += walked(obj, key, strcasecmp);
	return __real_json_get_ci(obj, key);
}

cJSON *__real_cJSON_GetObjectItemCaseSensitive(const cJSON *obj, const char *key);
cJSON *__wrap_cJSON_GetObjectItemCaseSensitive(const cJSON *obj, const char *key);
cJSON *__wrap_cJSON_GetObjectItemCaseSensitive(const cJSON *obj, const char *key)
{
	g_ops += walked(obj, key, strcmp);
	return __real_cJSON_GetObjectItemCaseSensitive(obj, key);
}

cJSON *__real_cJSON_GetObjectItem(const cJSON *obj, const char *key);
cJSON *__wrap_cJSON_GetObjectItem(const cJSON *obj, const char *key);
cJSON *__wrap_cJSON_GetObjectItem(const cJSON *obj, const char *key)
{
	g_ops += walked(obj, key, strcasecmp);
	return __real_cJSON_GetObjectItem(obj, key);
}

cJSON *__real_cJSON_GetArrayItem(const cJSON *arr, int i);
cJSON *__wrap_cJSON_GetArrayItem(const cJSON *arr, int i);
cJSON *__wrap_cJSON_GetArrayItem(const cJSON *arr, int i)
{
	g_ops += i > 0 ? (unsigned long long)i + 1 : 1;
	return __real_cJSON_GetArrayItem(arr, i);
}

int __real_cJSON_GetArraySize(const cJSON *arr);
int __wrap_cJSON_GetArraySize(const cJSON *arr);
int __wrap_cJSON_GetArraySize(const cJSON *arr)
{
	g_ops += walked_all(arr);
	return __real_cJSON_GetArraySize(arr);
}

cJSON_bool __real_cJSON_ReplaceItemInObjectCaseSensitive(cJSON *obj, const char *key, cJSON *v);
cJSON_bool __wrap_cJSON_ReplaceItemInObjectCaseSensitive(cJSON *obj, const char *key, cJSON *v);
cJSON_bool __wrap_cJSON_ReplaceItemInObjectCaseSensitive(cJSON *obj, const char *key, cJSON *v)
{
	g_ops += walked(obj, key, strcmp);
	return __real_cJSON_ReplaceItemInObjectCaseSensitive(obj, key, v);
}

cJSON_bool __real_cJSON_ReplaceItemInObject(cJSON *obj, const char *key, cJSON *v);
cJSON_bool __wrap_cJSON_ReplaceItemInObject(cJSON *obj, const char *key, cJSON *v);
cJSON_bool __wrap_cJSON_ReplaceItemInObject(cJSON *obj, const char *key, cJSON *v)
{
	g_ops += walked(obj, key, strcasecmp);
	return __real_cJSON_ReplaceItemInObject(obj, key, v);
}

void __real_cJSON_DeleteItemFromObjectCaseSensitive(cJSON *obj, const char *key);
void __wrap_cJSON_DeleteItemFromObjectCaseSensitive(cJSON *obj, const char *key);
void __wrap_cJSON_DeleteItemFromObjectCaseSensitive(cJSON *obj, const char *key)
{
	g_ops += walked(obj, key, strcmp);
	__real_cJSON_DeleteItemFromObjectCaseSensitive(obj, key);
}

cJSON *__real_cJSON_DetachItemFromObjectCaseSensitive(cJSON *obj, const char *key);
cJSON *__wrap_cJSON_DetachItemFromObjectCaseSensitive(cJSON *obj, const char *key);
cJSON *__wrap_cJSON_DetachItemFromObjectCaseSensitive(cJSON *obj, const char *key)
{
	g_ops += walked(obj, key, strcmp);
	return __real_cJSON_DetachItemFromObjectCaseSensitive(obj, key);
}

static void *count_malloc(size_t n)
{
	g_ops++;
	return malloc(n);
}

static const field_def *F(const char *name)
{
	const field_def *f = schema_find(name);
	assert_non_null(f);
	return f;
}

/* A ticket whose CustomFields has N keys; with BUMP, every key whose
 * number is a multiple of BUMP has another value (a colleague's change). */
static cJSON *big_ticket(int n, int bump)
{
	cJSON *t = tu_parse("{\"TicketId\":900,\"Title\":\"T\",\"LastChanged\":\"2024-01-02T03:04:05\"}");
	cJSON *cf = cJSON_AddObjectToObject(t, "CustomFields");
	char k[32];
	for (int i = 0; i < n; i++) {
		snprintf(k, sizeof k, "x_%06d", (i * 7919) % n);  /* not in sorted order */
		cJSON_AddItemToObject(cf, k, cJSON_CreateNumber(bump && i % bump == 0 ? -i : i));
	}
	return t;
}

/* Every row as the form shows it: its text and its '*' marker. */
static void draw_all(const model *m, form_rows *rows)
{
	form_build(rows, m);
	for (size_t i = 0; i < rows->n; i++) {
		free(form_row_text(m, &rows->v[i], NULL));
		(void)form_row_modified(m, &rows->v[i]);
	}
	form_rows_free(rows);
}

/* The editor's path over a ticket with N CustomFields keys; returns the
 * operations counted. */
static unsigned long long scenario(int n)
{
	model m, r;
	form_rows rows;
	char k[32];
	unsigned long long start = g_ops;

	/* load, draw, count */
	model_init(&m, big_ticket(n, 0));
	draw_all(&m, &rows);
	assert_int_equal(model_modified(&m), 0);
	/* a few keys edited, one at a time, each followed by what the loop does */
	for (int i = 0; i < 8; i++) {
		snprintf(k, sizeof k, "x_%06d", i * (n / 8));
		model_map_set(&m, F("CustomFields"), k, cJSON_CreateString("edited"));
		(void)model_modified(&m);
		cJSON_Delete(draft_edits_from_model(&m));
	}
	assert_int_equal(model_modified(&m), 8);
	cJSON_Delete(model_patch(&m, DIFF_FIELDS));

	/* a draft with an edit of every key, restored onto a server copy where
	 * a colleague changed every third key */
	cJSON *edits = cJSON_CreateArray();
	for (int i = 0; i < n; i++) {
		cJSON *e = cJSON_CreateObject();
		snprintf(k, sizeof k, "x_%06d", i);
		cJSON_AddStringToObject(e, "field", "CustomFields");
		cJSON_AddStringToObject(e, "key", k);
		cJSON_AddNumberToObject(e, "base", i);
		cJSON_AddNumberToObject(e, "value", 1000000 + i);
		cJSON_AddItemToArray(edits, e);
	}
	int clashes = draft_restore(&r, m.base, edits, big_ticket(n, 3), NULL, NULL, 0);
	assert_true(clashes > n / 4);
	draw_all(&r, &rows);
	assert_int_equal(model_modified(&r), n);
	cJSON *again = draft_edits_from_model(&r);
	assert_int_equal(cJSON_GetArraySize(again), n);
	cJSON_Delete(again);
	cJSON_Delete(model_patch(&r, DIFF_FIELDS));
	/* the colleague's copy read again (a reload): the one merge */
	model_merge(&r, big_ticket(n, 3), NULL);
	draw_all(&r, &rows);
	cJSON_Delete(edits);
	model_free(&r);
	model_free(&m);
	return g_ops - start;
}

static void test_custom_fields_scale(void **state)
{
	cJSON_Hooks hooks = { count_malloc, free };
	(void)state;
	cJSON_InitHooks(&hooks);
	/* TICKETED_SCALE_KEYS: fewer keys under valgrind, which looks at memory, not counts */
	const char *keys = getenv("TICKETED_SCALE_KEYS");
	int n = keys && atoi(keys) >= 100 ? atoi(keys) : 2000;
	unsigned long long small = scenario(n), big = scenario(4 * n);
	double nlogn = 4.0 * n * log2(4.0 * n);
	cJSON_InitHooks(NULL);
	printf("# show: %d keys: %llu ops; %d keys: %llu ops (ratio %.1f; n log n: 4.7, n^2: 16)\n",
	       n, small, 4 * n, big, (double)big / (double)small);
	if ((double)big / (double)small > 6.0)
		fail_msg("cost grows faster than n log n: %llu ops for %d keys, %llu for %d", small, n, big, 4 * n);
	if ((double)big > 40.0 * nlogn)
		fail_msg("%llu ops for %d keys: over 40 n log2 n", big, 4 * n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_custom_fields_scale),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

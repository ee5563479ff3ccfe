/* test_core_patch.c — JSON Patch edge cases, atomicity, the service flag,
 * merge patch and merge_to_patch. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/json.h"
#include "ticketed/patch.h"
#include "testutil.h"

/* Apply PATCH to DOC; returns the status and, if OUT, the printed result. */
static patch_status run(const char *doc, const char *patch, int flags, char **out, patch_error *err)
{
	cJSON *d = tu_parse(doc), *p = tu_parse(patch);
	patch_error e;
	patch_status st = patch_apply(&d, p, flags, err ? err : &e);
	if (out)
		*out = json_print(d, false);
	cJSON_Delete(d);
	cJSON_Delete(p);
	return st;
}

static void expect(const char *doc, const char *patch, int flags, const char *want)
{
	char *out = NULL;
	patch_error err;
	patch_status st = run(doc, patch, flags, &out, &err);
	if (st != PATCH_OK)
		fail_msg("%s: %s", patch, err.msg);
	assert_string_equal(out, want);
	free(out);
}

static void expect_fail(const char *doc, const char *patch, int flags, patch_status want, int index)
{
	char *out = NULL;
	patch_error err;
	patch_status st = run(doc, patch, flags, &out, &err);
	assert_int_equal(st, want);
	assert_int_equal(err.index, index);
	assert_true(err.msg[0] != '\0');
	/* atomic: the document printed after the failure is byte-identical */
	cJSON *d = tu_parse(doc);
	char *orig = json_print(d, false);
	assert_string_equal(out, orig);
	free(orig);
	free(out);
	cJSON_Delete(d);
}

static void test_escapes_and_empty_key(void **state)
{
	(void)state;
	expect("{\"a/b\":1,\"c~d\":2}", "[{\"op\":\"replace\",\"path\":\"/a~1b\",\"value\":3},"
	       "{\"op\":\"remove\",\"path\":\"/c~0d\"}]", PATCH_STRICT, "{\"a/b\":3}");
	expect("{}", "[{\"op\":\"add\",\"path\":\"/\",\"value\":1}]", PATCH_STRICT, "{\"\":1}");
	expect("{\"\":{\"\":1}}", "[{\"op\":\"replace\",\"path\":\"//\",\"value\":2}]", PATCH_STRICT, "{\"\":{\"\":2}}");
	expect_fail("{}", "[{\"op\":\"add\",\"path\":\"/a~2\",\"value\":1}]", PATCH_STRICT, PATCH_EMALFORMED, 0);
}

static void test_array_indices(void **state)
{
	(void)state;
	expect("[1,2]", "[{\"op\":\"add\",\"path\":\"/-\",\"value\":3}]", PATCH_STRICT, "[1,2,3]");
	expect("[1,2]", "[{\"op\":\"add\",\"path\":\"/2\",\"value\":3}]", PATCH_STRICT, "[1,2,3]");
	expect("[1,2]", "[{\"op\":\"add\",\"path\":\"/0\",\"value\":0}]", PATCH_STRICT, "[0,1,2]");
	expect("[1,2]", "[{\"op\":\"add\",\"path\":\"/1\",\"value\":9}]", PATCH_STRICT, "[1,9,2]");
	expect("[1,2,3]", "[{\"op\":\"remove\",\"path\":\"/1\"}]", PATCH_STRICT, "[1,3]");
	expect_fail("[1,2]", "[{\"op\":\"add\",\"path\":\"/3\",\"value\":3}]", PATCH_STRICT, PATCH_EPATH, 0);
	expect_fail("[1,2]", "[{\"op\":\"add\",\"path\":\"/01\",\"value\":3}]", PATCH_STRICT, PATCH_EPATH, 0);
	expect_fail("[1,2]", "[{\"op\":\"remove\",\"path\":\"/-\"}]", PATCH_STRICT, PATCH_EPATH, 0);
	expect_fail("[1,2]", "[{\"op\":\"replace\",\"path\":\"/-\",\"value\":0}]", PATCH_STRICT, PATCH_EPATH, 0);
	expect_fail("[1,2]", "[{\"op\":\"test\",\"path\":\"/00\",\"value\":1}]", PATCH_STRICT, PATCH_ETEST, 0);
}

static void test_all_ops(void **state)
{
	(void)state;
	expect("{\"a\":{\"b\":1},\"c\":[1]}",
	       "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/d\"},{\"op\":\"move\",\"from\":\"/a/b\",\"path\":\"/c/0\"},"
	       "{\"op\":\"test\",\"path\":\"/c\",\"value\":[1.0,1]},{\"op\":\"replace\",\"path\":\"\",\"value\":{\"x\":[]}},"
	       "{\"op\":\"add\",\"path\":\"/x/-\",\"value\":{\"y\":null}}]",
	       PATCH_STRICT, "{\"x\":[{\"y\":null}]}");
	expect_fail("{\"a\":{\"b\":1}}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/a/b/c\"}]", PATCH_STRICT, PATCH_EPATH, 0);
	expect_fail("{}", "[{\"op\":\"frob\",\"path\":\"/a\"}]", PATCH_STRICT, PATCH_EUNSUPPORTED, 0);
	expect_fail("{}", "[{\"op\":\"add\",\"path\":\"/a\"}]", PATCH_STRICT, PATCH_EMALFORMED, 0);
	expect_fail("{}", "[{\"path\":\"/a\"}]", PATCH_STRICT, PATCH_EMALFORMED, 0);
	expect_fail("{}", "{\"op\":\"add\"}", PATCH_STRICT, PATCH_EMALFORMED, -1);
	expect_fail("{\"a\":1}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":true}]", PATCH_STRICT, PATCH_ETEST, 0);
	expect_fail("{\"a\":\"1\"}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":1}]", PATCH_STRICT, PATCH_ETEST, 0);
}

static void test_atomic(void **state)
{
	(void)state;
	/* every kind of mutation before a failure at op 6 is undone, order included */
	const char *doc = "{\"a\":1,\"b\":[1,2,3],\"c\":{\"d\":\"e\"},\"f\":null}";
	const char *patch = "[{\"op\":\"replace\",\"path\":\"/a\",\"value\":2},"
	                    "{\"op\":\"remove\",\"path\":\"/b/1\"},"
	                    "{\"op\":\"add\",\"path\":\"/b/0\",\"value\":0},"
	                    "{\"op\":\"add\",\"path\":\"/c/x\",\"value\":{}},"
	                    "{\"op\":\"remove\",\"path\":\"/a\"},"
	                    "{\"op\":\"move\",\"from\":\"/c\",\"path\":\"/z\"},"
	                    "{\"op\":\"test\",\"path\":\"/f\",\"value\":0}]";
	patch_error err;
	char *out = NULL;
	assert_int_equal(run(doc, patch, PATCH_STRICT, &out, &err), PATCH_ETEST);
	assert_int_equal(err.index, 6);
	assert_non_null(strstr(err.msg, "op 6"));
	assert_string_equal(out, "{\"a\":1,\"b\":[1,2,3],\"c\":{\"d\":\"e\"},\"f\":null}");
	free(out);
	/* the root replaced, then a failure: the original root comes back */
	expect_fail(doc, "[{\"op\":\"replace\",\"path\":\"\",\"value\":[]},{\"op\":\"remove\",\"path\":\"/0\"}]",
	            PATCH_STRICT, PATCH_EPATH, 1);
}

static void test_service_flag(void **state)
{
	(void)state;
	expect("{\"Title\":\"a\",\"OwnedBy\":{\"AssociateId\":1}}",
	       "[{\"op\":\"test\",\"path\":\"title\",\"value\":\"a\"},{\"op\":\"replace\",\"path\":\"TITLE\",\"value\":\"b\"},"
	       "{\"op\":\"replace\",\"path\":\"/ownedby/associateid\",\"value\":5},{\"op\":\"add\",\"path\":\"title\",\"value\":\"c\"}]",
	       PATCH_SERVICE, "{\"Title\":\"c\",\"OwnedBy\":{\"AssociateId\":5}}");
	expect_fail("{\"a\":1}", "[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/b\"}]", PATCH_SERVICE, PATCH_EUNSUPPORTED, 0);
	expect_fail("{\"a\":1}", "[{\"op\":\"move\",\"from\":\"/a\",\"path\":\"/b\"}]", PATCH_SERVICE, PATCH_EUNSUPPORTED, 0);
	expect_fail("{\"Title\":1}", "[{\"op\":\"replace\",\"path\":\"title\",\"value\":2}]", PATCH_STRICT, PATCH_EMALFORMED, 0);
	expect_fail("{\"Title\":1}", "[{\"op\":\"replace\",\"path\":\"/title\",\"value\":2}]", PATCH_STRICT, PATCH_EPATH, 0);
}

static void test_depth(void **state)
{
	(void)state;
	char *deep = malloc(2 * 600 + 1);
	memset(deep, '[', 600);
	memset(deep + 600, ']', 600);
	deep[1200] = '\0';
	char err[256];
	assert_null(json_parse(deep, 1200, "deep.json", err, sizeof err));
	assert_string_equal(err, "deep.json:1:513: nesting too deep");
	/* exactly JSON_MAX_DEPTH is accepted, and patched at its bottom */
	memset(deep, '[', JSON_MAX_DEPTH);
	memset(deep + JSON_MAX_DEPTH, ']', JSON_MAX_DEPTH);
	cJSON *d = json_parse(deep, 2 * JSON_MAX_DEPTH, "ok.json", err, sizeof err);
	assert_non_null(d);
	char path[2 * JSON_MAX_DEPTH + 8];
	strcpy(path, "");
	for (int i = 0; i < JSON_MAX_DEPTH - 1; i++)
		strcat(path, "/0");
	strcat(path, "/-");
	char pj[sizeof path + 64];
	snprintf(pj, sizeof pj, "[{\"op\":\"add\",\"path\":\"%s\",\"value\":1}]", path);
	cJSON *p = tu_parse(pj);
	assert_int_equal(patch_apply(&d, p, PATCH_STRICT, NULL), PATCH_OK);
	cJSON_Delete(p);
	cJSON_Delete(d);
	free(deep);
}

static void merge_expect(const char *doc, const char *merge, const char *want)
{
	cJSON *d = tu_parse(doc), *m = tu_parse(merge);
	merge_apply(&d, m);
	char *out = json_print(d, false);
	assert_string_equal(out, want);
	free(out);
	cJSON_Delete(d);
	cJSON_Delete(m);
}

static void test_merge(void **state)
{
	(void)state;
	merge_expect("{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"}}", "{\"a\":\"z\",\"c\":{\"f\":null}}",
	             "{\"a\":\"z\",\"c\":{\"d\":\"e\"}}");
	merge_expect("{\"a\":[1]}", "{\"a\":{\"b\":null,\"c\":1}}", "{\"a\":{\"c\":1}}");
	merge_expect("{\"a\":1}", "[1]", "[1]");
	merge_expect("[1]", "{\"a\":null}", "{}");
}

static void m2p_expect(const char *doc, const char *merge, int flags, const char *want)
{
	cJSON *d = tu_parse(doc), *m = tu_parse(merge);
	cJSON *p = merge_to_patch(d, m, flags);
	char *out = json_print(p, false);
	assert_string_equal(out, want);
	/* the converted patch has the merge's effect */
	cJSON *viam = cJSON_Duplicate(d, 1);
	merge_apply(&viam, m);
	if (!(flags & PATCH_SERVICE)) {
		assert_int_equal(patch_apply(&d, p, flags, NULL), PATCH_OK);
		assert_true(json_equal(d, viam));
	}
	free(out);
	cJSON_Delete(viam);
	cJSON_Delete(p);
	cJSON_Delete(d);
	cJSON_Delete(m);
}

static void test_merge_to_patch(void **state)
{
	(void)state;
	m2p_expect("{\"Title\":\"a\",\"Status\":{\"TicketStatusId\":1,\"Name\":\"Open\"},\"CustomFields\":{\"x\":1}}",
	           "{\"Title\":\"New\",\"Status\":{\"TicketStatusId\":2},\"CustomFields\":{\"x\":null,\"y/z\":{\"q\":null,\"r\":1}}}",
	           PATCH_STRICT,
	           "[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"New\"},"
	           "{\"op\":\"replace\",\"path\":\"/Status/TicketStatusId\",\"value\":2},"
	           "{\"op\":\"remove\",\"path\":\"/CustomFields/x\"},"
	           "{\"op\":\"add\",\"path\":\"/CustomFields/y~1z\",\"value\":{\"r\":1}}]");
	m2p_expect("{\"Title\":\"a\"}", "{\"title\":\"b\",\"gone\":null}", PATCH_SERVICE,
	           "[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]");
	m2p_expect("{\"a\":1}", "[2]", PATCH_STRICT, "[{\"op\":\"replace\",\"path\":\"\",\"value\":[2]}]");
	m2p_expect("{\"a\":1}", "{\"a\":1}", PATCH_STRICT, "[]");
}

/* ---- allocation failures ------------------------------------------------ */

static long alloc_budget = -1; /* allocations before failing; -1: no limit */
static bool fail_all_after;    /* every allocation after that fails too */
static long alloc_failures;    /* how many failed */

static void sweep_oom_once(const char *doc, const char *patch, int flags);

static void *limited_malloc(size_t n)
{
	if (alloc_budget == 0) {
		if (!fail_all_after)
			alloc_budget = -1;
		alloc_failures++;
		return NULL;
	}
	if (alloc_budget > 0)
		alloc_budget--;
	return malloc(n);
}

/* The K-th allocation fails (and, FAIL_ALL_AFTER, every one after it): each
 * run ends in PATCH_OK or PATCH_ENOMEM (never "malformed"), and after
 * PATCH_ENOMEM the document is exactly as it was. K grows until the patch
 * goes through. */
static void sweep_oom(const char *doc, const char *patch, int flags)
{
	for (int mode = 0; mode < 2; mode++) {
		fail_all_after = mode == 0;
		sweep_oom_once(doc, patch, flags);
	}
}

static void sweep_oom_once(const char *doc, const char *patch, int flags)
{
	cJSON *orig = tu_parse(doc), *p0 = tu_parse(patch);
	char *want = json_print(orig, false);
	assert_int_equal(patch_apply(&orig, p0, flags, NULL), PATCH_OK);
	char *want_ok = json_print(orig, false);
	cJSON_Delete(orig);
	cJSON_Delete(p0);
	bool done = false;
	for (long k = 0; k < 10000 && !done; k++) {
		cJSON *d = tu_parse(doc), *p = tu_parse(patch);
		patch_error err;
		alloc_budget = k;
		alloc_failures = 0;
		cJSON_InitHooks(&(cJSON_Hooks){ limited_malloc, free });
		patch_status st = patch_apply(&d, p, flags, &err);
		cJSON_InitHooks(NULL);
		alloc_budget = -1;
		done = alloc_failures == 0; /* fewer than K allocations: none failed */
		if (st == PATCH_OK) {
			tu_json_is(d, want_ok); /* a failure it could do without */
		} else {
			if (st != PATCH_ENOMEM)
				fail_msg("allocation %ld failing: status %d (%s), want PATCH_ENOMEM", k, st, err.msg);
			assert_int_equal(err.status, PATCH_ENOMEM);
			assert_non_null(strstr(err.msg, "out of memory"));
			tu_json_is(d, want);
		}
		cJSON_Delete(d);
		cJSON_Delete(p);
	}
	assert_true(done);
	free(want);
	free(want_ok);
}

static void test_out_of_memory(void **state)
{
	(void)state;
	char doc[2048] = "{\"a\":{\"b\":1},\"big\":[";
	for (int i = 0; i < 40; i++)
		snprintf(doc + strlen(doc), sizeof doc - strlen(doc), "%s{\"n\":%d,\"l\":[%d]}", i ? "," : "", i, i);
	strcat(doc, "],\"c\":[1,2]}");
	sweep_oom(doc,
	          "[{\"op\":\"replace\",\"path\":\"/big/3/n\",\"value\":\"x\"},"
	          "{\"op\":\"add\",\"path\":\"/big/7\",\"value\":{\"new\":[1,{\"k\":2}]}},"
	          "{\"op\":\"remove\",\"path\":\"/big/20\"},"
	          "{\"op\":\"add\",\"path\":\"/big/-\",\"value\":\"end\"},"
	          "{\"op\":\"add\",\"path\":\"/a/key\",\"value\":[true]},"
	          "{\"op\":\"replace\",\"path\":\"/big/0\",\"value\":0},"
	          "{\"op\":\"copy\",\"from\":\"/big/5\",\"path\":\"/c/1\"},"
	          "{\"op\":\"move\",\"from\":\"/big/9\",\"path\":\"/big/30\"},"
	          "{\"op\":\"add\",\"path\":\"/big/12/l/0\",\"value\":-1},"
	          "{\"op\":\"test\",\"path\":\"/big/7/new/1/k\",\"value\":2},"
	          "{\"op\":\"replace\",\"path\":\"\",\"value\":{\"root\":[1]}},"
	          "{\"op\":\"add\",\"path\":\"/root/0\",\"value\":0}]",
	          PATCH_STRICT);
	sweep_oom("{\"Title\":\"a\",\"Tags\":[{\"Id\":1},{\"Id\":2}]}",
	          "[{\"op\":\"test\",\"path\":\"title\",\"value\":\"a\"},{\"op\":\"replace\",\"path\":\"TITLE\",\"value\":\"b\"},"
	          "{\"op\":\"remove\",\"path\":\"tags/0\"},{\"op\":\"add\",\"path\":\"/tags/-\",\"value\":{\"Id\":3}}]",
	          PATCH_SERVICE);
}

/* ---- long arrays: many positional ops, checked against a plain C model --- */

static void model_print(const int *v, int n, char *out, size_t len)
{
	size_t o = 0;
	o += (size_t)snprintf(out + o, len - o, "{\"x\":0,\"arr\":[");
	for (int i = 0; i < n; i++)
		o += (size_t)snprintf(out + o, len - o, "%s%d", i ? "," : "", v[i]);
	snprintf(out + o, len - o, "]}");
}

static void test_long_array_ops(void **state)
{
	(void)state;
	enum { N0 = 500, OPS = 3000, CAP = N0 + OPS };
	static int model[CAP];
	static char text[CAP * 12 + 64];
	int n = N0;
	for (int i = 0; i < n; i++)
		model[i] = i;
	model_print(model, n, text, sizeof text);
	cJSON *doc = tu_parse(text);
	cJSON *patch = cJSON_CreateArray();
	unsigned seed = 12345;
	for (int k = 0; k < OPS; k++) {
		seed = seed * 1103515245u + 12345u;
		int kind = (int)((seed >> 16) % 5), i = (int)((seed >> 4) % (unsigned)(n + 1));
		char path[32];
		cJSON *op = cJSON_CreateObject();
		if (kind == 0 || n < 2) { /* add at i (n: append with "-" half of the time) */
			if (i == n && (k & 1))
				snprintf(path, sizeof path, "/arr/-");
			else
				snprintf(path, sizeof path, "/arr/%d", i);
			memmove(model + i + 1, model + i, (size_t)(n - i) * sizeof *model);
			model[i] = 100000 + k;
			n++;
			cJSON_AddStringToObject(op, "op", "add");
			cJSON_AddNumberToObject(op, "value", 100000 + k);
		} else {
			i %= n;
			snprintf(path, sizeof path, "/arr/%d", i);
			if (kind == 1) {
				memmove(model + i, model + i + 1, (size_t)(n - i - 1) * sizeof *model);
				n--;
				cJSON_AddStringToObject(op, "op", "remove");
			} else if (kind == 2) {
				model[i] = 200000 + k;
				cJSON_AddStringToObject(op, "op", "replace");
				cJSON_AddNumberToObject(op, "value", 200000 + k);
			} else {
				cJSON_AddStringToObject(op, "op", "test");
				cJSON_AddNumberToObject(op, "value", model[i]);
			}
		}
		cJSON_AddStringToObject(op, "path", path);
		cJSON_AddItemToArray(patch, op);
	}
	/* a failing last op: everything is undone */
	cJSON *bad = tu_parse("{\"op\":\"test\",\"path\":\"/x\",\"value\":1}");
	cJSON_AddItemToArray(patch, bad);
	patch_error err;
	char *orig = json_print(doc, false);
	assert_int_equal(patch_apply(&doc, patch, PATCH_STRICT, &err), PATCH_ETEST);
	assert_int_equal(err.index, OPS);
	tu_json_is(doc, orig);
	free(orig);
	/* without it, the result is the model's */
	cJSON_Delete(cJSON_DetachItemViaPointer(patch, bad));
	if (patch_apply(&doc, patch, PATCH_STRICT, &err) != PATCH_OK)
		fail_msg("%s", err.msg);
	model_print(model, n, text, sizeof text);
	tu_json_is(doc, text);
	/* element by element through the same index after the edits */
	cJSON *arr = cJSON_GetObjectItemCaseSensitive(doc, "arr");
	int i = 0;
	for (cJSON *c = arr->child; c; c = c->next, i++)
		assert_int_equal(c->valueint, model[i]);
	assert_int_equal(i, n);
	assert_ptr_equal(arr->child->prev, cJSON_GetArrayItem(arr, n - 1));
	cJSON_Delete(patch);
	cJSON_Delete(doc);
}

/* A merge patch under failing allocations: PATCH_ENOMEM with the document
 * untouched, or the whole merge; merge_to_patch: NULL or the whole patch. */
static void test_merge_out_of_memory(void **state)
{
	(void)state;
	const char *doc = "{\"a\":\"b\",\"c\":{\"d\":\"e\",\"f\":\"g\"},\"l\":[1,2],\"x/y\":{\"~\":1}}";
	const char *merge = "{\"a\":\"z\",\"c\":{\"f\":null,\"h\":{\"i\":null,\"j\":[3]}},\"l\":{\"m\":1},\"x/y\":null,\"n\":2}";
	cJSON *d0 = tu_parse(doc), *m = tu_parse(merge);
	char *before = json_print(d0, false);
	cJSON *p0 = merge_to_patch(d0, m, PATCH_STRICT);
	char *want_patch = json_print(p0, false);
	assert_int_equal(merge_apply(&d0, m), PATCH_OK);
	char *after = json_print(d0, false);
	assert_string_equal(after, "{\"a\":\"z\",\"c\":{\"d\":\"e\",\"h\":{\"j\":[3]}},\"l\":{\"m\":1},\"n\":2}");
	for (int mode = 0; mode < 2; mode++) {
		fail_all_after = mode == 0;
		bool done = false;
		for (long k = 0; k < 10000 && !done; k++) {
			cJSON *d = tu_parse(doc), *orig = tu_parse(doc);
			alloc_budget = k;
			alloc_failures = 0;
			cJSON_InitHooks(&(cJSON_Hooks){ limited_malloc, free });
			patch_status st = merge_apply(&d, m);
			cJSON *p = merge_to_patch(orig, m, PATCH_STRICT);
			cJSON_InitHooks(NULL);
			alloc_budget = -1;
			done = alloc_failures == 0;
			assert_true(st == PATCH_OK || st == PATCH_ENOMEM);
			tu_json_is(d, st == PATCH_OK ? after : before);
			if (p)
				tu_json_is(p, want_patch);
			cJSON_Delete(p);
			cJSON_Delete(d);
			cJSON_Delete(orig);
		}
		assert_true(done);
	}
	free(before);
	free(after);
	free(want_patch);
	cJSON_Delete(p0);
	cJSON_Delete(d0);
	cJSON_Delete(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escapes_and_empty_key),
		cmocka_unit_test(test_array_indices),
		cmocka_unit_test(test_all_ops),
		cmocka_unit_test(test_atomic),
		cmocka_unit_test(test_service_flag),
		cmocka_unit_test(test_depth),
		cmocka_unit_test(test_merge),
		cmocka_unit_test(test_merge_to_patch),
		cmocka_unit_test(test_out_of_memory),
		cmocka_unit_test(test_merge_out_of_memory),
		cmocka_unit_test(test_long_array_ops),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_core_json.c — strict parsing with positions, equality, printing. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <unistd.h>
#include <cmocka.h>
#include "ticketed/json.h"
#include "testutil.h"

static void parse_fails(const char *text, const char *want)
{
	char err[256];
	cJSON *j = json_parse(text, strlen(text), "f.json", err, sizeof err);
	assert_null(j);
	assert_string_equal(err, want);
}

static void test_errors(void **state)
{
	(void)state;
	parse_fails("", "f.json:1:1: unexpected end of input");
	parse_fails("{\"a\":1} x", "f.json:1:9: trailing garbage after the JSON value");
	parse_fails("[1,\n 01]", "f.json:2:3: leading zero in number");
	parse_fails("[+1]", "f.json:1:2: unexpected character");
	parse_fails("[1.]", "f.json:1:4: bad number");
	parse_fails("\"a\tb\"", "f.json:1:3: control character in string");
	parse_fails("\"\\x\"", "f.json:1:3: bad escape in string");
	parse_fails("{\"a\" 1}", "f.json:1:6: expected ':'");
	parse_fails("{\"é\":[1 2]}", "f.json:1:9: expected ',' or ']'");
	parse_fails("[tru]", "f.json:1:2: unexpected character");
	parse_fails("{\"a\":1,}", "f.json:1:8: expected a string key");
	parse_fails("[1,\n1e400]", "f.json:2:1: number out of range");
	parse_fails("[{\"a\":1},{\"b\":{\"x\":1,\"y\":[{}],\"x\":2}}]", "f.json:1:31: duplicate member name");
	parse_fails("{\"a\":1,\"b\":2,\"c\":3,\"d\":4,\"e\":5,\"f\":6,\"g\":7,\"h\":8,\"i\":9,\"j\":10,"
	            "\"k\":11,\"l\":12,\"m\":13,\"c\":14}", "f.json:1:84: duplicate member name");
}

static void test_ok_and_print(void **state)
{
	(void)state;
	const char *text = " {\"n\":819,\"big\":12345678901,\"neg\":-2147483648,\"f\":0.1,\"e\":1e300,"
	                   "\"s\":\"\\u00e9\\n\",\"a\":[true,false,null]} \n";
	char err[256];
	cJSON *j = json_parse(text, strlen(text), "f", err, sizeof err);
	assert_non_null(j);
	char *s = json_print(j, false);
	assert_string_equal(s, "{\"n\":819,\"big\":12345678901,\"neg\":-2147483648,\"f\":0.1,\"e\":1e+300,"
	                       "\"s\":\"é\\n\",\"a\":[true,false,null]}");
	cJSON *again = json_parse(s, strlen(s), "again", err, sizeof err);
	assert_true(json_equal(j, again));
	assert_true(json_is_int32(json_get(j, "neg")));
	assert_false(json_is_int32(json_get(j, "big")));
	assert_false(json_is_int32(json_get(j, "f")));
	free(s);
	cJSON_Delete(again);
	cJSON_Delete(j);
}

/* Numbers print so that they read back exactly (cJSON alone prints
 * 0.30000000000000004 as 0.3, which would break a guarding test op). */
static void test_print_exact_numbers(void **state)
{
	(void)state;
	const char *in = "{\"a\":0.30000000000000004,\"b\":[1.5,2,-7,0.1,1e+300],"
	                 "\"c\":{\"d\":-2.2250738585072014e-308},\"e\":2147483648}";
	char err[256];
	cJSON *j = json_parse(in, strlen(in), "n", err, sizeof err);
	assert_non_null(j);
	char *out = json_print(j, false);
	assert_string_equal(out, in);
	cJSON *back = json_parse(out, strlen(out), "out", err, sizeof err);
	assert_non_null(back);
	assert_true(json_equal(j, back));
	free(out);
	out = json_print(cJSON_GetObjectItem(j, "a"), false); /* a bare number */
	assert_string_equal(out, "0.30000000000000004");
	free(out);
	cJSON_Delete(back);
	cJSON_Delete(j);
}

static void test_equal(void **state)
{
	(void)state;
	cJSON *a = tu_parse("{\"a\":1,\"b\":[1,{\"c\":null}]}");
	cJSON *b = tu_parse("{\"b\":[1.0,{\"c\":null}],\"a\":1e0}");
	cJSON *c = tu_parse("{\"A\":1,\"b\":[1,{\"c\":null}]}");
	cJSON *d = tu_parse("{\"a\":true,\"b\":[1,{\"c\":null}]}");
	assert_true(json_equal(a, b));
	assert_false(json_equal(a, c)); /* keys are case-sensitive here */
	assert_false(json_equal(a, d)); /* true is not 1 */
	assert_ptr_equal(json_get_ci(c, "a"), json_get(c, "A"));
	assert_null(json_get(c, "a"));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	cJSON_Delete(d);
}

static bool want_t(const char *key, void *ctx)
{
	(void)ctx;
	return key[0] == 't';
}

static void test_lazy(void **state)
{
	(void)state;
	const char *text = "{ \"title\" : \"a\",\n  \"msgs\" : [ 1.50 , {\"s\": \" x \\\" y \"} ],\n  \"k\\u0065y\": {} }";
	char *buf = strdup(text), err[128];
	cJSON *j = json_parse_lazy(buf, strlen(text), "l", want_t, NULL, err, sizeof err);
	assert_non_null(j);
	assert_true(cJSON_IsString(json_get(j, "title")));
	assert_true(cJSON_IsRaw(json_get(j, "msgs")));
	assert_true(cJSON_IsRaw(json_get(j, "key"))); /* escaped key decoded */
	char *s = json_print(j, false);
	assert_string_equal(s, "{\"title\":\"a\",\"msgs\":[1.50,{\"s\":\" x \\\" y \"}],\"key\":{}}");
	cJSON *full = tu_parse(text);
	assert_true(json_equal(j, full));  /* raw vs parsed: structural */
	cJSON *other = tu_parse("{\"title\":\"a\",\"msgs\":[1.5,{\"s\":\" x \\\" y \"}],\"key\":{}}");
	char *b2 = strdup("{\"title\":\"a\",\"msgs\":[1.5,{\"s\":\" x \\\" y \"}],\"key\":{}}");
	cJSON *j2 = json_parse_lazy(b2, strlen(b2), "l2", want_t, NULL, err, sizeof err);
	assert_true(json_equal(j, j2));     /* raw vs raw, different bytes, same value */
	assert_true(json_equal(j2, other));
	free(s);
	cJSON_Delete(j);
	cJSON_Delete(j2);
	cJSON_Delete(full);
	cJSON_Delete(other);
	/* errors keep their positions; BUF is freed either way */
	buf = strdup("{\"a\":[1,]}");
	assert_null(json_parse_lazy(buf, strlen("{\"a\":[1,]}"), "bad", want_t, NULL, err, sizeof err));
	assert_string_equal(err, "bad:1:9: unexpected character");
	/* repeated names: at the top level, and inside a parsed member */
	buf = strdup("{\"title\":1,\"m\":[],\"title\":2}");
	assert_null(json_parse_lazy(buf, strlen("{\"title\":1,\"m\":[],\"title\":2}"), "d", want_t, NULL, err, sizeof err));
	assert_string_equal(err, "d:1:19: duplicate member name");
	buf = strdup("{\"m\":[],\n\"title\":{\"a\":1,\"a\":1}}");
	assert_null(json_parse_lazy(buf, strlen(buf), "d", want_t, NULL, err, sizeof err));
	assert_string_equal(err, "d:2:16: duplicate member name");
	/* a document that is not an object parses fully */
	buf = strdup("[1,2]");
	j = json_parse_lazy(buf, 5, "arr", want_t, NULL, err, sizeof err);
	assert_true(cJSON_IsArray(j));
	cJSON_Delete(j);
}

static void test_nul_escape(void **state)
{
	(void)state;
	int line = 0, col = 0;
	const char *a = "{\"t\": \"a\\u0000b\"}";
	assert_true(json_nul_escape(a, strlen(a), &line, &col));
	assert_int_equal(line, 1);
	assert_int_equal(col, 9);
	const char *b = "{\n  \"x\\u0000\": 1}";
	assert_true(json_nul_escape(b, strlen(b), &line, &col));
	assert_int_equal(line, 2);
	assert_int_equal(col, 5);
	/* an escaped backslash then "u0000" is plain text; so is \u00001 never */
	const char *c = "[\"C:\\\\u0000\", \"\\u0001\", \"\\\\\", \"u0000\"]";
	assert_false(json_nul_escape(c, strlen(c), &line, &col));
	const char *d = "[\"\\\\\\u0000\"]"; /* ["\\\u0000"]: backslash, then a NUL */
	assert_true(json_nul_escape(d, strlen(d), &line, &col));
	assert_int_equal(col, 5);
	assert_false(json_nul_escape("", 0, &line, &col));
	/* what the check is for: cJSON ends strings at the NUL, so two values
	 * that differ after it compare equal */
	char err[128];
	cJSON *x = json_parse("\"a\\u0000b\"", 10, "x", err, sizeof err);
	cJSON *y = json_parse("\"a\\u0000c\"", 10, "y", err, sizeof err);
	assert_non_null(x);
	assert_non_null(y);
	assert_true(json_equal(x, y));
	cJSON_Delete(x);
	cJSON_Delete(y);
}

/* The string scanner reads 16 or 8 bytes at a time: a quote, backslash or
 * control character at every offset of a long string is found at its exact
 * column, and plain bytes of every kind (UTF-8, DEL) pass. */
static void test_string_scanner_offsets(void **state)
{
	(void)state;
	char text[128], want[64], err[128];
	for (int k = 0; k < 48; k++) {
		/* "aaaa...<ctl>..." : control character at offset k of the string */
		snprintf(text, sizeof text, "[\"%.*s\x01zz\"]", k, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		snprintf(want, sizeof want, "f.json:1:%d: control character in string", k + 3);
		parse_fails(text, want);
		/* a bad escape at offset k */
		snprintf(text, sizeof text, "[\"%.*s\\qzz\"]", k, "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb");
		snprintf(want, sizeof want, "f.json:1:%d: bad escape in string", k + 4);
		parse_fails(text, want);
		/* after K/2 two-byte characters: columns count characters */
		snprintf(text, sizeof text, "[\"%.*s\x1fzz\"]", k - k % 2, "ééééééééééééééééééééééééééééééééééééééééééééééééééééé");
		snprintf(want, sizeof want, "f.json:1:%d: control character in string", k / 2 + 3);
		parse_fails(text, want);
		/* an escaped quote at offset k, then the real end */
		snprintf(text, sizeof text, "[\"%.*s\\\"\x7f\",%d]", k, "abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz", k);
		cJSON *j = json_parse(text, strlen(text), "f.json", err, sizeof err);
		if (!j)
			fail_msg("offset %d: %s", k, err);
		assert_int_equal((int)strlen(cJSON_GetArrayItem(j, 0)->valuestring), k + 2);
		assert_int_equal(cJSON_GetArrayItem(j, 1)->valueint, k);
		cJSON_Delete(j);
		/* unterminated at offset k: the error is at the end */
		snprintf(text, sizeof text, "[\"%.*s", k, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
		snprintf(want, sizeof want, "f.json:1:%d: unterminated string", k + 3);
		parse_fails(text, want);
	}
	parse_fails("[\"\\u12x4\"]", "f.json:1:7: bad \\u escape");
	parse_fails("[\"\\u12", "f.json:1:7: unterminated string");
	parse_fails("[\"\\", "f.json:1:4: unterminated string");
}

static void test_array_next(void **state)
{
	(void)state;
	const char *t = " [ 1 , \"a,]\\\"\" ,{\"x\":[1,{}]},[[]],true,-2.5e3 , null ]";
	const char *want[] = { "1", "\"a,]\\\"\"", "{\"x\":[1,{}]}", "[[]]", "true", "-2.5e3", "null" };
	size_t it = 0, a, b, n = 0;
	while (json_array_next(t, strlen(t), &it, &a, &b)) {
		assert_true(n < 7);
		assert_int_equal(b - a, strlen(want[n]));
		assert_memory_equal(t + a, want[n], b - a);
		n++;
	}
	assert_int_equal(n, 7);
	it = 0;
	assert_false(json_array_next("[ ]", 3, &it, &a, &b));
	it = 0;
	assert_false(json_array_next("{}", 2, &it, &a, &b)); /* not an array */
}

static long alloc_budget = -1; /* allocations before the one that fails; -1: none fails */

static void *limited_malloc(size_t n)
{
	if (alloc_budget >= 0 && alloc_budget-- == 0)
		return NULL;
	return malloc(n);
}

/* The K-th allocation fails (only that one): a lazy parse gives NULL with
 * "out of memory", or the whole document, never a document missing parts. */
static void test_lazy_out_of_memory(void **state)
{
	(void)state;
	char text[4096] = "{\"title\":\"a\",\"tags\":[1,2,{\"x\":[3]}],\"msgs\":[";
	for (int i = 0; i < 40; i++)
		snprintf(text + strlen(text), sizeof text - strlen(text), "%s{\"n\":%d,\"s\":\"m %d\"}", i ? "," : "", i, i);
	strcat(text, "],");
	for (int i = 0; i < 20; i++) /* more than one growth of the member table */
		snprintf(text + strlen(text), sizeof text - strlen(text), "\"k%02d\":%d,", i, i);
	strcat(text, "\"t2\":{\"a\":{\"b\":null}}}");
	cJSON *full = tu_parse(text);
	bool done = false;
	for (long k = 0; k < 100000 && !done; k++) {
		char err[128] = "";
		char *buf = strdup(text);
		alloc_budget = k;
		cJSON_InitHooks(&(cJSON_Hooks){ limited_malloc, free });
		cJSON *j = json_parse_lazy(buf, strlen(text), "m", want_t, NULL, err, sizeof err);
		cJSON_InitHooks(NULL);
		bool failed_one = alloc_budget < 0;
		alloc_budget = -1;
		if (j && !failed_one) {
			done = true; /* fewer than K allocations: nothing failed */
			if (!json_equal(j, full))
				fail_msg("no failure: a different document");
		} else if (j) {
			if (!json_equal(j, full))
				fail_msg("allocation %ld failing: a different document", k);
		} else if (!strstr(err, "out of memory")) {
			fail_msg("allocation %ld failing: \"%s\"", k, err);
		}
		cJSON_Delete(j);
	}
	assert_true(done);
	/* the same for a full parse */
	done = false;
	for (long k = 0; k < 100000 && !done; k++) {
		char err[128] = "";
		alloc_budget = k;
		cJSON_InitHooks(&(cJSON_Hooks){ limited_malloc, free });
		cJSON *j = json_parse(text, strlen(text), "m", err, sizeof err);
		cJSON_InitHooks(NULL);
		done = alloc_budget >= 0;
		alloc_budget = -1;
		if (j ? !json_equal(j, full) : !strstr(err, "out of memory"))
			fail_msg("allocation %ld failing: %s", k, j ? "a different document" : err);
		cJSON_Delete(j);
	}
	assert_true(done);
	cJSON_Delete(full);
}

/* A file mapped for reading (no copy) is NUL-terminated like a read one; a
 * size that fills its last page exactly is read instead; a lazy tree can
 * borrow the mapping (it is neither freed nor changed by cJSON_Delete). */
static void test_map_file(void **state)
{
	(void)state;
	char dir[] = "/tmp/test_core_json.XXXXXX", path[64];
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.json", dir);
	const char *text = "{\"Title\": \"x\", \"Messages\": [1, 2, 3]}";
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	size_t len = 0;
	bool mapped = false;
	char *buf = json_map_file(path, &len, &mapped);
	assert_non_null(buf);
	assert_true(mapped);
	assert_int_equal(len, strlen(text));
	assert_int_equal(buf[len], '\0');
	char err[256];
	cJSON *j = json_parse_lazy_borrowed(buf, len, path, NULL, NULL, err, sizeof err);
	assert_non_null(j);
	cJSON_Delete(j);
	json_unmap_file(buf, len, mapped);
	/* exactly a page: read, not mapped (the NUL would be past the mapping) */
	long page = sysconf(_SC_PAGESIZE);
	f = fopen(path, "w");
	assert_non_null(f);
	fputc('"', f);
	for (long i = 0; i < page - 2; i++)
		fputc('a', f);
	fputc('"', f);
	fclose(f);
	buf = json_map_file(path, &len, &mapped);
	assert_non_null(buf);
	assert_false(mapped);
	assert_int_equal(len, (size_t)page);
	assert_int_equal(buf[len], '\0');
	json_unmap_file(buf, len, mapped);
	/* a missing file: NULL with errno */
	snprintf(path, sizeof path, "%s/none.json", dir);
	assert_null(json_map_file(path, &len, &mapped));
	snprintf(path, sizeof path, "%s/t.json", dir);
	unlink(path);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_ok_and_print),
		cmocka_unit_test(test_print_exact_numbers),
		cmocka_unit_test(test_equal),
		cmocka_unit_test(test_lazy),
		cmocka_unit_test(test_nul_escape),
		cmocka_unit_test(test_string_scanner_offsets),
		cmocka_unit_test(test_array_next),
		cmocka_unit_test(test_lazy_out_of_memory),
		cmocka_unit_test(test_map_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

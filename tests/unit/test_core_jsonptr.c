/* test_core_jsonptr.c — RFC 6901 pointers and the SuperOffice variant. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "testutil.h"

static void test_parse_escapes(void **state)
{
	(void)state;
	jptr p;
	char err[128];
	assert_int_equal(jptr_parse("/a~1b/c~0d/~01/", JPTR_STRICT, &p, err, sizeof err), 0);
	assert_int_equal(p.n, 4);
	assert_string_equal(p.tok[0], "a/b");
	assert_string_equal(p.tok[1], "c~d");
	assert_string_equal(p.tok[2], "~1"); /* "~01" is "~" then "1", never "/" */
	assert_string_equal(p.tok[3], "");
	char *back = jptr_format(&p);
	assert_string_equal(back, "/a~1b/c~0d/~01/");
	free(back);
	jptr_free(&p);
}

static void test_parse_errors(void **state)
{
	(void)state;
	jptr p;
	char err[128];
	assert_int_equal(jptr_parse("/a~2", JPTR_STRICT, &p, err, sizeof err), -1);
	assert_non_null(strstr(err, "escape"));
	assert_int_equal(jptr_parse("/a~", JPTR_STRICT, &p, err, sizeof err), -1);
	assert_int_equal(jptr_parse("a/b", JPTR_STRICT, &p, err, sizeof err), -1);
	assert_int_equal(jptr_parse("a/b", JPTR_SERVICE, &p, err, sizeof err), 0);
	assert_int_equal(p.n, 2);
	jptr_free(&p);
	assert_int_equal(jptr_parse("", JPTR_STRICT, &p, err, sizeof err), 0);
	assert_int_equal(p.n, 0);
	jptr_free(&p);
}

static void test_escape_join(void **state)
{
	(void)state;
	char *e = jptr_escape("a/b~c");
	assert_string_equal(e, "a~1b~0c");
	free(e);
	char *j = jptr_join("/CustomFields", "x/~y");
	assert_string_equal(j, "/CustomFields/x~1~0y");
	free(j);
	j = jptr_join("", "");
	assert_string_equal(j, "/");
	free(j);
}

static void test_index(void **state)
{
	(void)state;
	assert_int_equal(jptr_index("0"), 0);
	assert_int_equal(jptr_index("17"), 17);
	assert_int_equal(jptr_index("01"), -1);
	assert_int_equal(jptr_index("00"), -1);
	assert_int_equal(jptr_index("-"), -1);
	assert_int_equal(jptr_index("-1"), -1);
	assert_int_equal(jptr_index("1e0"), -1);
	assert_int_equal(jptr_index(""), -1);
	assert_int_equal(jptr_index("99999999999999999999"), -1);
}

static void test_resolve(void **state)
{
	(void)state;
	cJSON *d = tu_parse("{\"foo\":[\"bar\",\"baz\"],\"\":0,\"a/b\":1,\"m~n\":8,\" \":7,\"Title\":\"t\"}");
	assert_ptr_equal(jptr_get(d, "", JPTR_STRICT), d);
	assert_string_equal(jptr_get(d, "/foo/0", JPTR_STRICT)->valuestring, "bar");
	assert_int_equal(jptr_get(d, "/", JPTR_STRICT)->valueint, 0);
	assert_int_equal(jptr_get(d, "/a~1b", JPTR_STRICT)->valueint, 1);
	assert_int_equal(jptr_get(d, "/m~0n", JPTR_STRICT)->valueint, 8);
	assert_int_equal(jptr_get(d, "/ ", JPTR_STRICT)->valueint, 7);
	assert_null(jptr_get(d, "/foo/-", JPTR_STRICT));
	assert_null(jptr_get(d, "/foo/01", JPTR_STRICT));
	assert_null(jptr_get(d, "/foo/2", JPTR_STRICT));
	assert_null(jptr_get(d, "/title", JPTR_STRICT));
	assert_null(jptr_get(d, "title", JPTR_STRICT));
	assert_string_equal(jptr_get(d, "/title", JPTR_SERVICE)->valuestring, "t");
	assert_string_equal(jptr_get(d, "TITLE", JPTR_SERVICE)->valuestring, "t");
	assert_string_equal(jptr_get(d, "FOO/1", JPTR_SERVICE)->valuestring, "baz");
	cJSON_Delete(d);
}

static void test_parent(void **state)
{
	(void)state;
	cJSON *d = tu_parse("{\"a\":{\"b\":[1,2]}}");
	jptr p;
	assert_int_equal(jptr_parse("/a/b/1", JPTR_STRICT, &p, NULL, 0), 0);
	const char *last = NULL;
	cJSON *par = jptr_parent(d, &p, JPTR_STRICT, &last);
	assert_true(cJSON_IsArray(par));
	assert_string_equal(last, "1");
	jptr_free(&p);
	assert_int_equal(jptr_parse("", JPTR_STRICT, &p, NULL, 0), 0);
	assert_null(jptr_parent(d, &p, JPTR_STRICT, &last));
	jptr_free(&p);
	cJSON_Delete(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_escapes),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_escape_join),
		cmocka_unit_test(test_index),
		cmocka_unit_test(test_resolve),
		cmocka_unit_test(test_parent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

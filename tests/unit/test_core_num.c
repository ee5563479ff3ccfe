/* test_core_num.c — strict decimal integers and ids from text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/num.h"

static void bad(const char *s, long long min, long long max, int col, const char *msg)
{
	long long v = 42;
	text_error e;
	if (num_parse(s, min, max, &v, &e) == 0)
		fail_msg("\"%s\" parsed as %lld", s, v);
	assert_int_equal(v, 42); /* untouched */
	if (e.col != col || strcmp(e.msg, msg))
		fail_msg("\"%s\": column %d \"%s\", want column %d \"%s\"", s, e.col, e.msg, col, msg);
}

static void good(const char *s, long long min, long long max, long long want)
{
	long long v = 0;
	text_error e;
	if (num_parse(s, min, max, &v, &e) != 0)
		fail_msg("\"%s\": %s (column %d)", s, e.msg, e.col);
	assert_int_equal(v, want);
}

static void test_parse(void **state)
{
	(void)state;
	good("0", 0, 10, 0);
	good("007", 0, 10, 7);   /* decimal, never octal */
	good("-2147483648", INT32_MIN, INT32_MAX, INT32_MIN);
	good("2147483647", INT32_MIN, INT32_MAX, INT32_MAX);
	good("9223372036854775807", 0, INT64_MAX, INT64_MAX);
	good("-9223372036854775808", INT64_MIN, 0, INT64_MIN);
	bad("", 0, 10, 1, "a whole number is needed");
	bad("fifteen", 0, 100, 1, "not a whole number: 'f' is not a digit");
	bad("15x", 0, 100, 3, "not a whole number: 'x' is not a digit");
	bad("1 5", 0, 100, 2, "not a whole number: a space is not a digit");
	bad(" 15", 0, 100, 1, "not a whole number: a space is not a digit");
	bad("+15", 0, 100, 1, "not a whole number: '+' is not a digit");
	bad("1.5", 0, 100, 2, "not a whole number: '.' is not a digit");
	bad("1e3", 0, 10000, 2, "not a whole number: 'e' is not a digit");
	bad("0x10", 0, 100, 2, "not a whole number: 'x' is not a digit");
	bad("-", -5, 5, 2, "a digit is needed after '-'");
	bad("--1", -5, 5, 2, "not a whole number: '-' is not a digit");
	bad("ø1", 0, 100, 1, "not a whole number: 'ø' is not a digit");
	bad("1ø", 0, 100, 2, "not a whole number: 'ø' is not a digit");
	bad("12\x01", 0, 100, 3, "not a whole number: a control character is not a digit");
	bad("\xff", 0, 100, 1, "not a whole number: a byte that is not UTF-8 is not a digit");
	bad("日本1", 0, 100, 1, "not a whole number: '日' is not a digit");
	bad("1日本", 0, 100, 2, "not a whole number: '日' is not a digit");
	bad("-1", 0, 100, 1, "must not be negative");
	bad("-1", 1, 100, 1, "must not be negative");
	bad("0", 1, 100, 1, "must be 1 or more");
	bad("101", 0, 100, 1, "must be 100 or less");
	bad("2147483648", INT32_MIN, INT32_MAX, 1, "must be 2147483647 or less");
	bad("-2147483649", INT32_MIN, INT32_MAX, 1, "must be -2147483648 or more");
	bad("99999999999999999999999", 0, INT64_MAX, 1, "must be 9223372036854775807 or less");
	bad("-99999999999999999999999", INT64_MIN, 0, 1, "must be -9223372036854775808 or more");
	/* NULL error pointer is allowed */
	long long v;
	assert_int_equal(num_parse("x", 0, 1, &v, NULL), -1);
}

static void test_int32_and_id(void **state)
{
	(void)state;
	int32_t i = 0;
	long id = 0;
	text_error e;
	assert_int_equal(num_int32("-17", &i, &e), 0);
	assert_int_equal(i, -17);
	assert_int_equal(num_int32("2147483648", &i, &e), -1);
	assert_string_equal(e.msg, "must be 2147483647 or less");
	assert_int_equal(i, -17);
	assert_int_equal(num_id("4711", &id, &e), 0);
	assert_int_equal(id, 4711);
	assert_int_equal(num_id("2147483647", &id, &e), 0);
	assert_int_equal(id, 2147483647L);
	assert_int_equal(num_id("0", &id, &e), -1);
	assert_string_equal(e.msg, "must be 1 or more");
	assert_int_equal(num_id("-3", &id, &e), -1);
	assert_string_equal(e.msg, "must not be negative");
	assert_int_equal(num_id("12a", &id, &e), -1);
	assert_int_equal(e.col, 3);
	assert_int_equal(num_id("2147483648", &id, &e), -1);
	assert_int_equal(id, 2147483647L);
}

static void test_text_error(void **state)
{
	(void)state;
	text_error e;
	text_error_set(&e, 7, "%s %d", "at", 7);
	assert_int_equal(e.col, 7);
	assert_string_equal(e.msg, "at 7");
	text_error_set(NULL, 1, "ignored");
	assert_int_equal(text_col("aé日x", 0), 1);
	assert_int_equal(text_col("aé日x", 1), 2);
	assert_int_equal(text_col("aé日x", 3), 3);
	assert_int_equal(text_col("aé日x", 6), 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_int32_and_id),
		cmocka_unit_test(test_text_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

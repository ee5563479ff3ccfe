/* test_app_servertz.c — server_timezone: UTC, fixed offsets, IANA zones with
 * DST (Europe/Oslo winter +60, summer +120), bad zones, TZ restored. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "ticketed/date.h"
#include "ticketed/servertz.h"

static int off(const char *zone, const char *naive)
{
	char err[200] = "";
	int m = -9999;
	if (servertz_offset(zone, naive, &m, err, sizeof err) != 0)
		fail_msg("%s at %s: %s", zone ? zone : "NULL", naive ? naive : "now", err);
	return m;
}

static void test_utc_and_fixed(void **state)
{
	(void)state;
	assert_int_equal(off(NULL, "2020-04-22T15:51:25"), 0);
	assert_int_equal(off("", NULL), 0);
	assert_int_equal(off("UTC", "2020-04-22T15:51:25"), 0);
	assert_int_equal(off("+01:00", "2020-04-22T15:51:25"), 60);
	assert_int_equal(off("-0330", NULL), -210);
	assert_int_equal(off("+05", NULL), 300);
}

static void test_iana(void **state)
{
	(void)state;
	if (access("/usr/share/zoneinfo/Europe/Oslo", R_OK) != 0 && !getenv("TZDIR"))
		skip();
	assert_int_equal(off("Europe/Oslo", "2020-01-15T12:00:00"), 60);
	assert_int_equal(off("Europe/Oslo", "2020-07-15T12:00:00"), 120);
	assert_int_equal(off("America/New_York", "2020-07-15T12:00:00"), -240);
	/* a naive date read with the offset gives the right instant */
	tdate d;
	char err[100];
	assert_int_equal(date_parse("2020-07-15T12:00:00", off("Europe/Oslo", "2020-07-15T12:00:00"),
	                            &d, err, sizeof err), 0);
	assert_int_equal(d.utc, 1594807200);  /* 2020-07-15T10:00:00Z */
}

static void test_bad(void **state)
{
	char err[200];
	int m;
	(void)state;
	assert_int_equal(servertz_check("Mars/Olympus_Mons", err, sizeof err), -1);
	assert_non_null(strstr(err, "Mars/Olympus_Mons"));
	assert_int_equal(servertz_check("../../etc/passwd", err, sizeof err), -1);
	assert_int_equal(servertz_check("+15:00", err, sizeof err), -1);
	assert_non_null(strstr(err, "out of range"));
	assert_int_equal(servertz_check("+01:0", err, sizeof err), -1);
	assert_int_equal(servertz_offset("UTC", "2020-13-01T00:00:00", &m, err, sizeof err), -1);
}

static void test_tz_restored(void **state)
{
	(void)state;
	if (access("/usr/share/zoneinfo/Europe/Oslo", R_OK) != 0 && !getenv("TZDIR"))
		skip();
	setenv("TZ", "Asia/Tokyo", 1);
	off("Europe/Oslo", NULL);
	assert_string_equal(getenv("TZ"), "Asia/Tokyo");
	unsetenv("TZ");
	off("Europe/Oslo", NULL);
	assert_null(getenv("TZ"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utc_and_fixed),
		cmocka_unit_test(test_iana),
		cmocka_unit_test(test_bad),
		cmocka_unit_test(test_tz_restored),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

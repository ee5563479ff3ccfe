/* test_core_date.c — ISO date-times in both service styles, user input,
 * HTTP dates. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "ticketed/date.h"
#include "ticketed/errmsg.h"

static void roundtrip(const char *s)
{
	tdate d;
	char err[128] = "", buf[64];

	if (date_parse(s, 0, &d, err, sizeof err) != 0)
		fail_msg("parse %s: %s", s, err);
	date_format(&d, buf, sizeof buf);
	assert_string_equal(buf, s);
}

static void test_roundtrip_styles(void **state)
{
	(void)state;
	roundtrip("2009-12-14T18:25:51.2209411+01:00");
	roundtrip("2009-12-14T18:25:51.2209411-05:30");
	roundtrip("2018-12-24T07:34:45-0500");
	roundtrip("2018-12-24T07:34:45+0000");
	roundtrip("2020-04-22T15:51:25");
	roundtrip("2020-04-22T15:51:25Z");
	roundtrip("2020-04-22T15:51:25.5Z");
	roundtrip("2020-04-22T15:51:25.050");
	roundtrip("2020-04-22T15:51:25.0000001+14:00");
	roundtrip("0001-01-01T00:00:00");
	roundtrip("9999-12-31T23:59:59.9999999");
	roundtrip("1969-12-31T23:59:59");
	roundtrip("2000-02-29T00:00:00+01:00");
}

static void test_parse_values(void **state)
{
	tdate d;
	char err[128];

	(void)state;
	assert_int_equal(date_parse("1970-01-01T00:00:00Z", 0, &d, err, sizeof err), 0);
	assert_int_equal(d.utc, 0);
	assert_int_equal(d.style, DATE_ZULU);
	assert_false(d.empty);
	assert_int_equal(date_parse("2009-12-14T18:25:51.2209411+01:00", 0, &d, err, sizeof err), 0);
	assert_int_equal(d.utc, 1260811551); /* 17:25:51 UTC */
	assert_int_equal(d.frac, 2209411);
	assert_int_equal(d.frac_digits, 7);
	assert_int_equal(d.offset_min, 60);
	assert_int_equal(d.style, DATE_OFFSET);
	assert_int_equal(date_parse("2018-12-24T07:34:45-0500", 0, &d, err, sizeof err), 0);
	assert_int_equal(d.style, DATE_OFFSET_NOCOLON);
	assert_int_equal(d.offset_min, -300);
	assert_int_equal(d.utc, 1545654885);
	/* naive: the server zone's offset applies */
	assert_int_equal(date_parse("2020-04-22T15:51:25", 120, &d, err, sizeof err), 0);
	assert_int_equal(d.style, DATE_NAIVE);
	assert_int_equal(d.utc, 1587570685 - 7200);
	assert_int_equal(d.offset_min, 120);
	assert_int_equal(date_parse("2020-04-22T15:51:25.5", 0, &d, err, sizeof err), 0);
	assert_int_equal(d.frac, 5000000);
	assert_int_equal(d.frac_digits, 1);
}

static void test_empty(void **state)
{
	tdate d;
	char err[128], buf[64];

	(void)state;
	assert_int_equal(date_parse("0001-01-01T00:00:00", 60, &d, err, sizeof err), 0);
	assert_true(d.empty);
	date_format(&d, buf, sizeof buf);
	assert_string_equal(buf, "0001-01-01T00:00:00");
	assert_int_equal(date_parse("0001-01-01T00:00:01", 0, &d, err, sizeof err), 0);
	assert_false(d.empty);
}

static void expect_bad(const char *s, const char *needle)
{
	tdate d;
	char err[128] = "";

	if (date_parse(s, 0, &d, err, sizeof err) != -1)
		fail_msg("%s parsed", s);
	if (!strstr(err, needle))
		fail_msg("%s: error \"%s\" lacks \"%s\"", s, err, needle);
}

static void test_bad_dates(void **state)
{
	(void)state;
	expect_bad("2019-02-29T00:00:00", "day 29 out of range");
	expect_bad("1900-02-29T00:00:00", "day 29");
	expect_bad("2021-04-31T00:00:00", "day 31");
	expect_bad("2021-13-01T00:00:00", "month 13");
	expect_bad("2021-00-01T00:00:00", "month 00");
	expect_bad("2021-01-00T00:00:00", "day 00");
	expect_bad("0000-01-01T00:00:00", "year 0000");
	expect_bad("2021-01-01T24:00:00", "out of range");
	expect_bad("2021-01-01T23:60:00", "out of range");
	expect_bad("2021-01-01T23:59:60", "out of range");
	expect_bad("2021-01-01T00:00:00+15:00", "offset +15:00 out of range");
	expect_bad("2021-01-01T00:00:00+01:60", "out of range");
	expect_bad("2021-01-01T00:00:00+1", "offset hour");
	expect_bad("2021-01-01T00:00:00.12345678", "more than 7 fractional digits");
	expect_bad("2021-01-01T00:00:00.", "digit after '.'");
	expect_bad("2021-01-01T00:00:00 ", "unexpected ' ' at column 20");
	expect_bad("2021-01-01T00:00:00Zx", "unexpected 'x' at column 21");
	expect_bad("2021-01-01 00:00:00", "expected 'T' at column 11");
	expect_bad("2021-1-01T00:00:00", "month at column 7");
	expect_bad("", "year at column 1, found end of text");
	expect_bad("2021-01-01T00:00", "expected ':' at column 17");
	expect_bad("2021-01-01T0\x1b:00:00", "found byte \\x1B");
	expect_bad("2021-01-01T0\x1b:00:00", "column 13");
}

static void test_leap_years(void **state)
{
	tdate d;
	char err[128];

	(void)state;
	assert_int_equal(date_parse("2000-02-29T00:00:00", 0, &d, err, sizeof err), 0);
	assert_int_equal(date_parse("2024-02-29T00:00:00", 0, &d, err, sizeof err), 0);
	assert_int_equal(date_parse("1600-02-29T00:00:00", 0, &d, err, sizeof err), 0);
	assert_int_equal(date_parse("2100-02-29T00:00:00", 0, &d, err, sizeof err), -1);
	assert_int_equal(date_days_from_civil(1970, 1, 1), 0);
	assert_int_equal(date_days_from_civil(2000, 3, 1), 11017);
	assert_int_equal(date_days_from_civil(1969, 12, 31), -1);
}

static void user(const char *typed, const char *tmpl_s, int naive_off, const char *want)
{
	tdate t, d;
	char err[128] = "", buf[64];

	if (tmpl_s)
		assert_int_equal(date_parse(tmpl_s, naive_off, &t, err, sizeof err), 0);
	if (date_from_user(typed, tmpl_s ? &t : NULL, naive_off, &d, err, sizeof err) != 0)
		fail_msg("typed %s: %s", typed, err);
	date_format(&d, buf, sizeof buf);
	assert_string_equal(buf, want);
}

static void test_from_user(void **state)
{
	tdate d;
	char err[128];

	(void)state;
	user("2021-05-06", NULL, 0, "2021-05-06T00:00:00");
	user("  2021-05-06 13:45 ", NULL, 0, "2021-05-06T13:45:00");
	user("2021-05-06 13:45:10", "2020-04-22T15:51:25", 0, "2021-05-06T13:45:10");
	/* the base value's style and offset are kept */
	user("2021-05-06 13:45", "2009-12-14T18:25:51.2209411+01:00", 0,
	     "2021-05-06T13:45:00.0000000+01:00");
	user("2021-05-06", "2018-12-24T07:34:45-0500", 0, "2021-05-06T00:00:00-0500");
	user("2021-05-06T10:00:00Z", "2020-01-01T00:00:00Z", 0, "2021-05-06T10:00:00Z");
	/* a full ISO value with another offset is converted to the base's zone */
	user("2021-05-06T10:00:00+02:00", "2020-01-01T00:00:00Z", 0, "2021-05-06T08:00:00Z");
	user("2021-05-06T10:00:00Z", "2020-01-01T00:00:00", 60, "2021-05-06T11:00:00");
	user("2021-05-06T10:00:00.25Z", "2020-01-01T00:00:00+01:00", 0,
	     "2021-05-06T11:00:00.25+01:00");
	/* empty input clears */
	assert_int_equal(date_from_user("  ", NULL, 0, &d, err, sizeof err), 0);
	assert_true(d.empty);
	assert_int_equal(date_from_user("2021-02-30", NULL, 0, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "day 30"));
	assert_int_equal(date_from_user("tomorrow", NULL, 0, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "column 1"));
	assert_int_equal(date_from_user("2021-05-06 1", NULL, 0, &d, err, sizeof err), -1);
	assert_int_equal(date_from_user("2021-05-06x", NULL, 0, &d, err, sizeof err), -1);
	/* found by fuzz_date: converting to the field's zone must stay in 0001..9999 */
	assert_int_equal(date_from_user("9999-12-31T23:59:59-14:00", NULL, 0, &d, err, sizeof err), -1);
	assert_non_null(strstr(err, "outside years 0001..9999"));
	assert_int_equal(date_from_user("0001-01-01T00:30:00+01:00", NULL, 0, &d, err, sizeof err), -1);
}

static void test_compare(void **state)
{
	tdate a, b;
	char err[128];

	(void)state;
	assert_int_equal(date_parse("2020-01-01T01:00:00+01:00", 0, &a, err, sizeof err), 0);
	assert_int_equal(date_parse("2020-01-01T00:00:00Z", 0, &b, err, sizeof err), 0);
	assert_int_equal(date_compare(&a, &b), 0);
	assert_int_equal(date_parse("2020-01-01T00:00:00.1Z", 0, &b, err, sizeof err), 0);
	assert_true(date_compare(&a, &b) < 0);
	assert_true(date_compare(&b, &a) > 0);
	assert_int_equal(date_parse("0001-01-01T00:00:00", 0, &a, err, sizeof err), 0);
	assert_true(date_compare(&a, &b) < 0);
	date_from_unix(1260811551, 2209411, DATE_OFFSET, 60, 7, &a);
	{
		char buf[64];

		date_format(&a, buf, sizeof buf);
		assert_string_equal(buf, "2009-12-14T18:25:51.2209411+01:00");
	}
}

static void test_http_format(void **state)
{
	char buf[64];

	(void)state;
	date_http(1445412480, buf, sizeof buf);
	assert_string_equal(buf, "Wed, 21 Oct 2015 07:28:00 GMT");
	date_http(0, buf, sizeof buf);
	assert_string_equal(buf, "Thu, 01 Jan 1970 00:00:00 GMT");
	date_http(784111777, buf, sizeof buf);
	assert_string_equal(buf, "Sun, 06 Nov 1994 08:49:37 GMT");
	date_http(951782400, buf, sizeof buf);
	assert_string_equal(buf, "Tue, 29 Feb 2000 00:00:00 GMT");
	date_http(-86400, buf, sizeof buf);
	assert_string_equal(buf, "Wed, 31 Dec 1969 00:00:00 GMT");
}

static void test_http_parse(void **state)
{
	time_t t;

	(void)state;
	assert_int_equal(date_http_parse("Sun, 06 Nov 1994 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(date_http_parse("Sunday, 06-Nov-94 08:49:37 GMT", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(date_http_parse("Sun Nov  6 08:49:37 1994", &t), 0);
	assert_int_equal(t, 784111777);
	assert_int_equal(date_http_parse("Sun Nov 16 08:49:37 1994", &t), 0);
	assert_int_equal(t, 784111777 + 10 * 86400);
	assert_int_equal(date_http_parse("Wednesday, 21-Oct-15 07:28:00 GMT", &t), 0);
	assert_int_equal(t, 1445412480);
	assert_int_equal(date_http_parse("  Wed, 21 Oct 2015 07:28:00 GMT  ", &t), 0);
	assert_int_equal(t, 1445412480);
	assert_int_equal(date_http_parse("Tue, 30 Jun 2015 23:59:60 GMT", &t), 0);
	assert_int_equal(date_http_parse("Wed, 21 Oct 2015 07:28:00 UTC", &t), -1);
	assert_int_equal(date_http_parse("Wed, 21 Oct 2015 07:28:00", &t), -1);
	assert_int_equal(date_http_parse("Wed, 31 Feb 2015 07:28:00 GMT", &t), -1);
	assert_int_equal(date_http_parse("Wed, 21 Foo 2015 07:28:00 GMT", &t), -1);
	assert_int_equal(date_http_parse("Xyz, 21 Oct 2015 07:28:00 GMT", &t), -1);
	assert_int_equal(date_http_parse("Wed, 21 Oct 2015 25:28:00 GMT", &t), -1);
	assert_int_equal(date_http_parse("Wed, 1 Oct 2015 07:28:00 GMT", &t), -1);
	assert_int_equal(date_http_parse("", &t), -1);
	assert_int_equal(date_http_parse(NULL, &t), -1);
}

static void test_http_roundtrip(void **state)
{
	char buf[64];
	time_t t;

	(void)state;
	for (time_t x = -2208988800; x < 4102444800; x += 86400 * 37 + 3607) {
		date_http(x, buf, sizeof buf);
		assert_int_equal(date_http_parse(buf, &t), 0);
		assert_int_equal(t, x);
	}
}

/* ---- zones, display, typed input, writing for the server ------------------ */

/* Europe/Oslo in 2026 as a test zone: +01:00, and +02:00 from 2026-03-29
 * 01:00 UTC to 2026-10-25 01:00 UTC. */
static int oslo_2026(int64_t utc, void *ctx)
{
	(void)ctx;
	return utc >= 1774746000 && utc < 1792890000 ? 120 : 60;
}

static date_zone oslo = { "Europe/Oslo", oslo_2026, NULL, 0 };

static int64_t at(const char *iso)
{
	tdate d;
	char err[128];
	if (date_parse(iso, 0, &d, err, sizeof err) != 0)
		fail_msg("%s: %s", iso, err);
	return d.utc;
}

static void test_read_and_show(void **state)
{
	(void)state;
	tdate d;
	char err[128], buf[64];
	date_zone utc;
	date_zone_fixed(&utc, 0, "UTC");
	/* null and 0001-01-01T00:00:00 read as empty and show as nothing */
	assert_int_equal(date_read(NULL, 0, &d, err, sizeof err), 0);
	assert_true(d.empty);
	date_show(&d, &oslo, buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_int_equal(date_read("0001-01-01T00:00:00", 60, &d, err, sizeof err), 0);
	assert_true(d.empty);
	date_show(&d, &oslo, buf, sizeof buf);
	assert_string_equal(buf, "");
	assert_int_equal(date_read("not a date", 0, &d, err, sizeof err), -1);
	/* shown in the user's zone, with the weekday */
	assert_int_equal(date_read("2026-11-28T16:00:00.0000000+01:00", 0, &d, err, sizeof err), 0);
	date_show(&d, &oslo, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28 16:00 (Sat)");
	date_show(&d, &utc, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28 15:00 (Sat)");
	assert_int_equal(date_read("2026-07-01T10:15:30Z", 0, &d, err, sizeof err), 0);
	date_show(&d, &oslo, buf, sizeof buf);
	assert_string_equal(buf, "2026-07-01 12:15:30 (Wed)");   /* summer time; seconds when not :00 */
	/* naive dates: the server's offset was given when reading */
	assert_int_equal(date_read("2020-04-22T15:51:25", 120, &d, err, sizeof err), 0);
	date_show(&d, &utc, buf, sizeof buf);
	assert_string_equal(buf, "2020-04-22 13:51:25 (Wed)");
	/* the zone for a header */
	date_zone_label(&oslo, at("2026-11-28T12:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Europe/Oslo (UTC+01:00)");
	date_zone_label(&oslo, at("2026-07-01T12:00:00Z"), buf, sizeof buf);
	assert_string_equal(buf, "Europe/Oslo (UTC+02:00)");
	date_zone_label(&utc, 0, buf, sizeof buf);
	assert_string_equal(buf, "UTC");
	date_zone f;
	date_zone_fixed(&f, -330, NULL);
	date_zone_label(&f, 0, buf, sizeof buf);
	assert_string_equal(buf, "UTC-05:30");
}

static void typed_is(const char *typed, const char *now_iso, const char *want_utc_iso)
{
	date_typed t;
	text_error e;
	tdate d;
	char buf[64];
	if (date_parse_typed(typed, at(now_iso), &oslo, &t, &e) != 0)
		fail_msg("typed \"%s\": %s (column %d)", typed, e.msg, e.col);
	assert_false(t.empty);
	date_from_unix(t.utc, t.frac, DATE_ZULU, 0, t.frac_digits, &d);
	date_format(&d, buf, sizeof buf);
	if (strcmp(buf, want_utc_iso))
		fail_msg("typed \"%s\" at %s = %s, want %s", typed, now_iso, buf, want_utc_iso);
}

static void typed_fails(const char *typed, int col, const char *part)
{
	date_typed t;
	text_error e;
	if (date_parse_typed(typed, at("2026-11-25T10:00:00Z"), &oslo, &t, &e) == 0)
		fail_msg("typed \"%s\" accepted", typed);
	if (e.col != col || !strstr(e.msg, part))
		fail_msg("typed \"%s\": column %d \"%s\", want column %d \"...%s...\"", typed, e.col, e.msg, col, part);
}

static void test_typed(void **state)
{
	(void)state;
	const char *now = "2026-11-25T10:00:00Z"; /* a Wednesday, 11:00 in Oslo */
	typed_is("2026-12-05 17:00", now, "2026-12-05T16:00:00Z");
	typed_is("2026-12-05T17:00:30", now, "2026-12-05T16:00:30Z");
	typed_is("2026-12-05", now, "2026-12-04T23:00:00Z");          /* 00:00 in Oslo */
	typed_is("2026-07-05 17:00", now, "2026-07-05T15:00:00Z");    /* summer time */
	typed_is("2026-12-05T17:00:00+05:00", now, "2026-12-05T12:00:00Z"); /* its own offset */
	typed_is("  today  ", now, "2026-11-24T23:00:00Z");
	typed_is("today 17:30", now, "2026-11-25T16:30:00Z");
	typed_is("Tomorrow 09:00", now, "2026-11-26T08:00:00Z");
	typed_is("tomorrow 9:00", now, "2026-11-26T08:00:00Z");
	typed_is("yesterday", now, "2026-11-23T23:00:00Z");
	typed_is("now", now, "2026-11-25T10:00:00Z");
	typed_is("+3d", now, "2026-11-28T10:00:00Z");
	typed_is("+2h", now, "2026-11-25T12:00:00Z");
	typed_is("+90m", now, "2026-11-25T11:30:00Z");
	typed_is("-1w", now, "2026-11-18T10:00:00Z");
	typed_is("+1d", "2026-03-28T10:00:00Z", "2026-03-29T09:00:00Z"); /* over the DST change: same wall clock */
	typed_is("+24h", "2026-03-28T10:00:00Z", "2026-03-29T10:00:00Z"); /* hours are hours */
	typed_is("2026-03-29 02:30", now, "2026-03-29T01:30:00Z");       /* in the gap: read as 03:30 */
	typed_is("2026-10-25 02:30", now, "2026-10-25T00:30:00Z");       /* twice that night: the first */
	/* which zone read the wall clock */
	date_typed t;
	text_error e;
	assert_int_equal(date_parse_typed("2026-12-05 17:00", at(now), &oslo, &t, &e), 0);
	assert_string_equal(t.zone_used, "Europe/Oslo (UTC+01:00)");
	assert_false(t.zone_typed);
	assert_int_equal(date_parse_typed("2026-12-05T17:00:00Z", at(now), &oslo, &t, &e), 0);
	assert_true(t.zone_typed);
	assert_string_equal(t.zone_used, "UTC");
	assert_int_equal(date_parse_typed("+3d", at(now), &oslo, &t, &e), 0);
	assert_string_equal(t.zone_used, "Europe/Oslo (UTC+01:00)");
	/* blank is an emptied date */
	assert_int_equal(date_parse_typed("   ", at(now), &oslo, &t, &e), 0);
	assert_true(t.empty);
	/* errors name the column */
	typed_fails("next friday", 1, "date");
	typed_fails("2026-13-05", 6, "month");
	typed_fails("2026-02-30", 9, "day");
	typed_fails("2026-12-05 25:00", 12, "hour");
	typed_fails("2026-12-05 17:0", 15, "minute");
	typed_fails("tomorrow 9", 10, "time");
	typed_fails("tomorrow at 9:00", 10, "time");
	typed_fails("+3x", 3, "d, w, h or m");
	typed_fails("+", 2, "number");
	typed_fails("+99999999999d", 2, "too far");
	typed_fails("  2026-12-05 17:00 x", 20, "unexpected");
}

static void server_is(const char *typed, const char *tmpl_iso, const date_zone *server, const char *want)
{
	date_typed t;
	text_error e;
	tdate tmpl, d;
	char err[128], buf[64];
	assert_int_equal(date_parse_typed(typed, at("2026-11-25T10:00:00Z"), &oslo, &t, &e), 0);
	if (tmpl_iso)
		assert_int_equal(date_read(tmpl_iso, 0, &tmpl, err, sizeof err), 0);
	date_for_server(&t, tmpl_iso ? &tmpl : NULL, server, &d);
	date_format(&d, buf, sizeof buf);
	if (strcmp(buf, want))
		fail_msg("\"%s\" for %s: %s, want %s", typed, tmpl_iso ? tmpl_iso : "none", buf, want);
}

static void test_for_server(void **state)
{
	(void)state;
	date_zone utc, ny;
	date_zone_fixed(&utc, 0, "UTC");
	date_zone_fixed(&ny, -300, NULL);
	/* the server writes offsets: its zone's offset, 7 fraction digits */
	server_is("2026-12-05 17:00", "2026-11-28T16:00:00.0000000+01:00", &oslo, "2026-12-05T17:00:00.0000000+01:00");
	server_is("2026-07-05 17:00", "2026-11-28T16:00:00.0000000+01:00", &oslo, "2026-07-05T17:00:00.0000000+02:00");
	server_is("2026-12-05 17:00", "2018-12-24T07:34:45-0500", &ny, "2026-12-05T11:00:00.0000000-0500");
	server_is("2026-12-05 17:00", "2020-01-01T00:00:00Z", &utc, "2026-12-05T16:00:00.0000000Z");
	/* no server zone known: the template's own offset */
	server_is("2026-12-05 17:00", "2026-11-28T16:00:00.0000000+01:00", NULL, "2026-12-05T17:00:00.0000000+01:00");
	/* the server writes naive dates: the wall clock in its zone */
	server_is("2026-12-05 17:00", "2020-04-22T15:51:25", &utc, "2026-12-05T16:00:00");
	server_is("2026-12-05 17:00", "2020-04-22T15:51:25", &oslo, "2026-12-05T17:00:00");
	server_is("2026-12-05 17:00", NULL, &utc, "2026-12-05T16:00:00");
	server_is("2026-12-05 17:00", "0001-01-01T00:00:00", &utc, "2026-12-05T16:00:00");
	/* an emptied date: always the empty DateTime, never null */
	server_is("", "2026-11-28T16:00:00.0000000+01:00", &oslo, "0001-01-01T00:00:00");
	server_is("", "2020-04-22T15:51:25", &utc, "0001-01-01T00:00:00");
	server_is("", NULL, NULL, "0001-01-01T00:00:00");
}

static void test_fixed_offset(void **state)
{
	(void)state;
	int m = 99;
	assert_int_equal(date_fixed_offset("+01:00", &m), 1);
	assert_int_equal(m, 60);
	assert_int_equal(date_fixed_offset("-0530", &m), 1);
	assert_int_equal(m, -330);
	assert_int_equal(date_fixed_offset("+05", &m), 1);
	assert_int_equal(m, 300);
	assert_int_equal(date_fixed_offset("UTC", &m), 1);
	assert_int_equal(m, 0);
	assert_int_equal(date_fixed_offset("", &m), 1);
	assert_int_equal(date_fixed_offset("Z", &m), 1);
	assert_int_equal(date_fixed_offset("+15:00", &m), -1);
	assert_int_equal(date_fixed_offset("+01:60", &m), -1);
	assert_int_equal(date_fixed_offset("Europe/Oslo", &m), 0);
	assert_int_equal(date_fixed_offset("+1", &m), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip_styles),
		cmocka_unit_test(test_parse_values),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_bad_dates),
		cmocka_unit_test(test_leap_years),
		cmocka_unit_test(test_from_user),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_http_format),
		cmocka_unit_test(test_http_parse),
		cmocka_unit_test(test_http_roundtrip),
		cmocka_unit_test(test_read_and_show),
		cmocka_unit_test(test_typed),
		cmocka_unit_test(test_for_server),
		cmocka_unit_test(test_fixed_offset),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

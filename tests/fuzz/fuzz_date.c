/* fuzz_date.c — ISO date-times, user input and HTTP dates.
 * Properties: a parsed date formats to text that parses to the same
 * instant, style and offset (and to the same text again); what
 * date_from_user accepts formats and parses back; an accepted HTTP date
 * prints as an IMF-fixdate that parses to the same time; a typed date
 * (date_parse_typed) written for the server in every style parses back to
 * the same instant, and shows without trouble. */
#include "fuzz.h"
#include "ticketed/date.h"

static void iso(const char *s)
{
	char err[128], buf[64], buf2[64];
	tdate d, e;

	if (date_parse(s, 60, &d, err, sizeof err) != 0)
		return;
	date_format(&d, buf, sizeof buf);
	FUZZ_CHECK(date_parse(buf, 60, &e, err, sizeof err) == 0, "%s -> %s: %s", s, buf, err);
	FUZZ_CHECK(e.utc == d.utc && e.frac == d.frac && e.style == d.style &&
	           e.offset_min == d.offset_min && e.empty == d.empty, "%s -> %s changed", s, buf);
	date_format(&e, buf2, sizeof buf2);
	FUZZ_CHECK(strcmp(buf, buf2) == 0, "%s -> %s -> %s", s, buf, buf2);
}

static void user(const char *s)
{
	static const char *const tmpls[] = {
		"2020-04-22T15:51:25", "2009-12-14T18:25:51.2209411+01:00", "2018-12-24T07:34:45-0500",
		"2020-01-01T00:00:00Z",
	};
	char err[128], buf[64];
	tdate t, d, e;

	for (size_t i = 0; i < sizeof tmpls / sizeof tmpls[0]; i++) {
		FUZZ_CHECK(date_parse(tmpls[i], 0, &t, err, sizeof err) == 0, "template");
		if (date_from_user(s, &t, 0, &d, err, sizeof err) != 0)
			continue;
		FUZZ_CHECK(d.style == t.style, "style changed for %s", s);
		date_format(&d, buf, sizeof buf);
		FUZZ_CHECK(date_parse(buf, 0, &e, err, sizeof err) == 0, "typed %s -> %s: %s", s, buf, err);
		FUZZ_CHECK(e.empty || d.empty || (e.utc == d.utc && e.frac == d.frac),
		           "typed %s -> %s changed", s, buf);
	}
	(void)date_from_user(s, NULL, 0, &d, err, sizeof err);
}

static void http(const char *s)
{
	char buf[64];
	time_t t, u;

	if (date_http_parse(s, &t) != 0)
		return;
	date_http(t, buf, sizeof buf);
	FUZZ_CHECK(date_http_parse(buf, &u) == 0 && u == t, "%s -> %s", s, buf);
}

static void typed(const char *s)
{
	static const char *const tmpls[] = {
		"2020-04-22T15:51:25", "2009-12-14T18:25:51.2209411+01:00", "2018-12-24T07:34:45-0500",
		"2020-01-01T00:00:00Z", "0001-01-01T00:00:00",
	};
	date_zone zone, server;
	date_typed t;
	text_error e;
	char err[128], buf[64];
	tdate tm, d, back;

	date_zone_fixed(&zone, 60, "Europe/Oslo");
	date_zone_fixed(&server, -300, NULL);
	if (date_parse_typed(s, 1764064800, &zone, &t, &e) != 0) {
		FUZZ_CHECK(e.col >= 1 && e.msg[0], "typed %s: error without a column", s);
		return;
	}
	for (size_t i = 0; i < sizeof tmpls / sizeof tmpls[0]; i++) {
		FUZZ_CHECK(date_parse(tmpls[i], 0, &tm, err, sizeof err) == 0, "template");
		date_for_server(&t, &tm, &server, &d);
		date_format(&d, buf, sizeof buf);
		FUZZ_CHECK(date_parse(buf, -300, &back, err, sizeof err) == 0, "typed %s -> %s: %s", s, buf, err);
		FUZZ_CHECK(t.empty ? back.empty : back.utc == t.utc, "typed %s -> %s: another instant", s, buf);
		date_show(&d, &zone, buf, sizeof buf);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	iso(s);
	user(s);
	http(s);
	typed(s);
	free(s);
	return 0;
}

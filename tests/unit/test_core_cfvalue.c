/* test_core_cfvalue.c — custom field values: decode, show, encode back in
 * the server's style, typed input, FieldType names. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/cfvalue.h"
#include "ticketed/json.h"
#include "testutil.h"

/* decode S for EXPECT, then check what it shows and that it encodes back to S */
static void round_trip(const char *s, cf_kind expect, cf_kind kind, const char *shown)
{
	cf_value v;
	text_error e;
	char buf[128];
	if (cf_decode(s, expect, &v, &e) != 0)
		fail_msg("decode \"%s\": %s (column %d)", s, e.msg, e.col);
	assert_int_equal(v.kind, kind);
	assert_true(cf_display(&v, buf, sizeof buf) >= 0);
	if (strcmp(buf, shown))
		fail_msg("\"%s\" shows as \"%s\", want \"%s\"", s, buf, shown);
	assert_true(cf_encode(&v, buf, sizeof buf) >= 0);
	if (strcmp(buf, s))
		fail_msg("\"%s\" encodes back as \"%s\"", s, buf);
}

static void decode_fails(const char *s, cf_kind expect, int col, const char *msg_part)
{
	cf_value v;
	text_error e;
	if (cf_decode(s, expect, &v, &e) == 0)
		fail_msg("\"%s\" decoded for kind %d", s, expect);
	if (e.col != col || !strstr(e.msg, msg_part))
		fail_msg("\"%s\": column %d \"%s\", want column %d \"...%s...\"", s, e.col, e.msg, col, msg_part);
}

static void test_decode_by_encoding(void **state)
{
	(void)state;
	round_trip("[I:14]", CFK_UNKNOWN, CFK_INTEGER, "14");
	round_trip("[I:-2147483648]", CFK_UNKNOWN, CFK_INTEGER, "-2147483648");
	round_trip("[F:4.5]", CFK_UNKNOWN, CFK_DECIMAL, "4.5");
	round_trip("[F:4.50]", CFK_UNKNOWN, CFK_DECIMAL, "4.50");
	round_trip("[F:-0.001]", CFK_UNKNOWN, CFK_DECIMAL, "-0.001");
	round_trip("[F:1E-05]", CFK_UNKNOWN, CFK_DECIMAL, "1E-05");
	round_trip("[M:123.45]", CFK_UNKNOWN, CFK_DECIMAL, "123.45");
	round_trip("[DT:2019-09-11]", CFK_UNKNOWN, CFK_DATETIME, "2019-09-11");
	round_trip("[DT:11/09/2017 14:53:18]", CFK_UNKNOWN, CFK_DATETIME, "2017-11-09 14:53:18");
	round_trip("[DT:12/31/2013 23:59:59.0000000]", CFK_UNKNOWN, CFK_DATETIME, "2013-12-31 23:59:59");
	round_trip("[DT:06/19/2019 14:35:56.00000]", CFK_UNKNOWN, CFK_DATETIME, "2019-06-19 14:35:56");
	round_trip("[DT:06/19/2019 14:35:00]", CFK_UNKNOWN, CFK_DATETIME, "2019-06-19 14:35");
	round_trip("[DT:2019-06-19T14:35:56]", CFK_UNKNOWN, CFK_DATETIME, "2019-06-19 14:35:56");
	round_trip("[D:06/19/2019]", CFK_UNKNOWN, CFK_DATE, "2019-06-19");
	round_trip("[D:09.11.2017]", CFK_UNKNOWN, CFK_DATE, "2017-11-09");
	round_trip("[T:14:52]", CFK_UNKNOWN, CFK_TIME, "14:52");
	round_trip("[T:06/19/2019 14:35:56.00000]", CFK_UNKNOWN, CFK_TIME, "14:35:56");
	round_trip("[TS:500]", CFK_UNKNOWN, CFK_TIMESPAN, "500");
	round_trip("[A:3,4,5]", CFK_UNKNOWN, CFK_UNKNOWN, "3,4,5");
	round_trip("[B:X98=]", CFK_UNKNOWN, CFK_BLOB, "X98=");
	round_trip("plain text", CFK_UNKNOWN, CFK_SHORTTEXT, "plain text");
	round_trip("", CFK_UNKNOWN, CFK_SHORTTEXT, "");
	/* looks encoded but is not: text */
	round_trip("[I:am here]", CFK_UNKNOWN, CFK_SHORTTEXT, "[I:am here]");
	round_trip("[X:1]", CFK_UNKNOWN, CFK_SHORTTEXT, "[X:1]");
	round_trip("[I:14", CFK_UNKNOWN, CFK_SHORTTEXT, "[I:14");
	round_trip("[DT:13/45/2019]", CFK_UNKNOWN, CFK_SHORTTEXT, "[DT:13/45/2019]");
	round_trip("[I:99999999999]", CFK_UNKNOWN, CFK_SHORTTEXT, "[I:99999999999]");
}

static void test_decode_by_metadata(void **state)
{
	(void)state;
	round_trip("[I:1]", CFK_CHECKBOX, CFK_CHECKBOX, "yes");
	round_trip("[I:0]", CFK_CHECKBOX, CFK_CHECKBOX, "no");
	round_trip("[I:7]", CFK_MDOLIST, CFK_MDOLIST, "7");
	round_trip("[I:3600]", CFK_TIMESPAN, CFK_TIMESPAN, "3600");
	round_trip("[D:06/19/2019]", CFK_DATETIME, CFK_DATETIME, "2019-06-19");     /* D and DT mix */
	round_trip("[DT:06/19/2019 10:00:00]", CFK_DATE, CFK_DATE, "2019-06-19");
	round_trip("[I:5]", CFK_DECIMAL, CFK_DECIMAL, "5");
	round_trip("[I:14]", CFK_SHORTTEXT, CFK_SHORTTEXT, "[I:14]");              /* a text field's text */
	round_trip("14", CFK_INTEGER, CFK_INTEGER, "14");                          /* un-encoded: accepted */
	round_trip("", CFK_INTEGER, CFK_INTEGER, "");
	round_trip("4.5", CFK_DECIMAL, CFK_DECIMAL, "4.5");
	decode_fails("[F:1.5]", CFK_INTEGER, 2, "[I:");
	decode_fails("[I:abc]", CFK_INTEGER, 4, "not a whole number");
	decode_fails("fifteen", CFK_INTEGER, 1, "not a whole number");
	decode_fails("[I:2]", CFK_CHECKBOX, 4, "[I:1] or [I:0]");
	decode_fails("[DT:02/30/2019]", CFK_DATETIME, 8, "day");
	decode_fails("[DT:06/19/2019 25:00]", CFK_DATETIME, 16, "hour");
	decode_fails("[D:2019]", CFK_DATE, 4, "date");
	decode_fails("[F:1,5]", CFK_DECIMAL, 5, "'.'");
	decode_fails("[I:14]", CFK_DATE, 2, "[D:");
}

static void user_is(cf_kind kind, const char *typed, const char *base_s, const char *want)
{
	cf_value base, v;
	text_error e;
	char buf[128];
	if (base_s)
		assert_int_equal(cf_decode(base_s, kind, &base, &e), 0);
	if (cf_from_user(kind, typed, base_s ? &base : NULL, &v, &e) != 0)
		fail_msg("typed \"%s\": %s (column %d)", typed, e.msg, e.col);
	assert_int_equal(v.kind, kind);
	assert_true(cf_encode(&v, buf, sizeof buf) >= 0);
	if (strcmp(buf, want))
		fail_msg("typed \"%s\" (base %s) encodes as \"%s\", want \"%s\"", typed, base_s ? base_s : "none", buf, want);
}

static void user_fails(cf_kind kind, const char *typed, int col, const char *msg_part)
{
	cf_value v;
	text_error e;
	if (cf_from_user(kind, typed, NULL, &v, &e) == 0)
		fail_msg("typed \"%s\" accepted for kind %d", typed, kind);
	if (e.col != col || !strstr(e.msg, msg_part))
		fail_msg("typed \"%s\": column %d \"%s\", want column %d \"...%s...\"", typed, e.col, e.msg, col, msg_part);
}

static void test_from_user(void **state)
{
	(void)state;
	user_is(CFK_INTEGER, "15", "[I:14]", "[I:15]");          /* the server's encoding */
	user_is(CFK_INTEGER, "15", "14", "15");                  /* un-encoded stays so */
	user_is(CFK_INTEGER, "-3", NULL, "[I:-3]");
	user_is(CFK_INTEGER, "", "[I:14]", "");                   /* emptied */
	user_is(CFK_MDOLIST, "12", NULL, "[I:12]");
	user_is(CFK_DECIMAL, "4.75", "[F:4.5]", "[F:4.75]");
	user_is(CFK_DECIMAL, "4.75", "[I:5]", "[F:4.75]");        /* [I:] cannot hold it */
	user_is(CFK_DECIMAL, "4", "[I:5]", "[I:4]");
	user_is(CFK_DECIMAL, "-0.5", NULL, "[F:-0.5]");
	user_is(CFK_CHECKBOX, "yes", "[I:0]", "[I:1]");
	user_is(CFK_CHECKBOX, "No", "[I:1]", "[I:0]");
	user_is(CFK_CHECKBOX, "x", NULL, "[I:1]");
	user_is(CFK_CHECKBOX, "", NULL, "[I:0]");
	user_is(CFK_DATE, "2019-06-20", "[D:06/19/2019]", "[D:06/20/2019]");
	user_is(CFK_DATE, "20.06.2019", "[D:19.06.2019]", "[D:20.06.2019]");
	user_is(CFK_DATE, "2019-06-20", "[DT:2019-09-11]", "[DT:2019-06-20]");
	user_is(CFK_DATE, "2019-06-20", NULL, "[D:06/20/2019]");
	user_is(CFK_DATETIME, "2019-06-20 09:30", "[DT:06/19/2019 14:35:56.00000]", "[DT:06/20/2019 09:30:00.00000]");
	user_is(CFK_DATETIME, "2019-06-20 09:30", "[DT:11/09/2017 14:53:18]", "[DT:06/20/2019 09:30:00]");
	user_is(CFK_DATETIME, "2019-06-20 09:30:15", NULL, "[DT:06/20/2019 09:30:15.0000000]");
	user_is(CFK_DATETIME, "2019-06-20", NULL, "[DT:06/20/2019 00:00:00.0000000]");
	user_is(CFK_TIME, "09:05", "[T:14:52]", "[T:09:05]");
	user_is(CFK_TIME, "09:05", "[T:06/19/2019 14:35:56.00000]", "[T:06/19/2019 09:05:00.00000]");
	user_is(CFK_TIME, "9:05", NULL, "[T:09:05]");
	user_is(CFK_SHORTTEXT, "call back", "old", "call back");
	user_is(CFK_UNKNOWN, "[I:5]", NULL, "[I:5]");             /* no metadata: as typed */
	user_fails(CFK_INTEGER, "fifteen", 1, "not a whole number");
	user_fails(CFK_INTEGER, "15x", 3, "not a whole number");
	user_is(CFK_INTEGER, " 15 ", NULL, "[I:15]");                /* blanks around are dropped */
	user_fails(CFK_INTEGER, "  1x", 4, "not a whole number");   /* columns of the typed text */
	user_fails(CFK_INTEGER, "3000000000", 1, "2147483647 or less");
	user_fails(CFK_DECIMAL, "4,5", 2, "'.'");
	user_fails(CFK_DECIMAL, "4.5.1", 4, "decimal");
	user_fails(CFK_DECIMAL, "abc", 1, "decimal");
	user_fails(CFK_CHECKBOX, "maybe", 1, "yes or no");
	user_fails(CFK_DATE, "2019-13-01", 6, "month");
	user_fails(CFK_DATE, "next friday", 1, "date");
	user_fails(CFK_DATE, "2019-06-19 10:00", 11, "date only");
	user_fails(CFK_TIME, "25:00", 1, "hour");
	user_fails(CFK_TIME, "10:7", 4, "minute");
}

static void test_kinds(void **state)
{
	(void)state;
	assert_int_equal(cf_kind_from_name("Integer"), CFK_INTEGER);
	assert_int_equal(cf_kind_from_name("checkbox"), CFK_CHECKBOX);
	assert_int_equal(cf_kind_from_name("MdoList"), CFK_MDOLIST);
	assert_int_equal(cf_kind_from_name("ListText"), CFK_LISTTEXT);
	assert_int_equal(cf_kind_from_name("8"), CFK_DECIMAL);
	assert_int_equal(cf_kind_from_name("99"), CFK_UNKNOWN);
	assert_int_equal(cf_kind_from_name("Bogus"), CFK_UNKNOWN);
	assert_int_equal(cf_kind_from_name(NULL), CFK_UNKNOWN);
	assert_string_equal(cf_kind_name(CFK_DATETIME), "DateTime");
	assert_string_equal(cf_kind_name((cf_kind)77), "Unknown");
	cJSON *a = tu_parse("[\"Attachment\", 13, 1.5, null, \"13\"]");
	assert_int_equal(cf_kind_from_json(cJSON_GetArrayItem(a, 0)), CFK_ATTACHMENT);
	assert_int_equal(cf_kind_from_json(cJSON_GetArrayItem(a, 1)), CFK_ATTACHMENT);
	assert_int_equal(cf_kind_from_json(cJSON_GetArrayItem(a, 2)), CFK_UNKNOWN);
	assert_int_equal(cf_kind_from_json(cJSON_GetArrayItem(a, 3)), CFK_UNKNOWN);
	assert_int_equal(cf_kind_from_json(cJSON_GetArrayItem(a, 4)), CFK_ATTACHMENT);
	cJSON_Delete(a);
	assert_true(cf_kind_is_text(CFK_LONGTEXT));
	assert_false(cf_kind_is_text(CFK_INTEGER));
	/* a buffer too small is an error, not a cut value */
	cf_value v;
	text_error e;
	char small[4];
	assert_int_equal(cf_decode("[I:12345]", CFK_INTEGER, &v, &e), 0);
	assert_int_equal(cf_encode(&v, small, sizeof small), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_decode_by_encoding),
		cmocka_unit_test(test_decode_by_metadata),
		cmocka_unit_test(test_from_user),
		cmocka_unit_test(test_kinds),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

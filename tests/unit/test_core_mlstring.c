/* test_core_mlstring.c — SuperOffice multi-language strings. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/mlstring.h"

static void pick_is(const char *s, const char *tag, const char *want)
{
	char *got = ml_pick(s, tag);
	assert_non_null(got);
	if (strcmp(got, want))
		fail_msg("ml_pick(\"%s\", %s) = \"%s\", want \"%s\"", s, tag ? tag : "NULL", got, want);
	free(got);
}

static void test_detect(void **state)
{
	(void)state;
	assert_true(ml_is_encoded("NO:\"Leverandør\";US:\"Supplier\""));
	assert_true(ml_is_encoded("US:\"Legal\";NO:\"Lovlig\";"));   /* trailing ';' */
	assert_true(ml_is_encoded("US:\"Location and size\";GE:\"Position und Größe\";NO:\"Posisjon og størrelse\""));
	assert_true(ml_is_encoded("NO: \"Bil\", US: \"Car\""));      /* spaces and ',' */
	assert_true(ml_is_encoded("US:\"\""));                       /* one empty entry */
	assert_false(ml_is_encoded(""));
	assert_false(ml_is_encoded("Supplier"));
	assert_false(ml_is_encoded("Note: \"call back\""));         /* not a 2-letter code */
	assert_false(ml_is_encoded("NO:Leverandør"));               /* unquoted */
	assert_false(ml_is_encoded("NO:\"unterminated"));
	assert_false(ml_is_encoded("NO:\"a\" US"));                  /* no separator, no closing quote */
	assert_false(ml_is_encoded("NO:\"a\";junk"));
	assert_false(ml_is_encoded("no:\"a\""));                    /* codes are upper case */
	assert_false(ml_is_encoded("[SR_MANDATORY_FIELD_1281]"));
}

static void test_pick(void **state)
{
	(void)state;
	const char *s = "NO:\"Leverandør\";US:\"Supplier\";GE:\"Lieferant\"";
	pick_is(s, "nb-NO", "Leverandør");
	pick_is(s, "nn_NO.UTF-8", "Leverandør");
	pick_is(s, "no", "Leverandør");
	pick_is(s, "en-GB", "Supplier");
	pick_is(s, "en", "Supplier");
	pick_is(s, "de-AT", "Lieferant");
	pick_is(s, "sv-SE", "Supplier");           /* no SE entry: US */
	pick_is(s, NULL, "Supplier");
	pick_is("GE:\"Lieferant\";NO:\"Leverandør\"", "fr", "Lieferant"); /* no US/EN: the first */
	pick_is("NO:\"Bil\";EN:\"Car\"", "fr-FR", "Car");                 /* EN as fallback */
	pick_is("SE:\"Leverantör\";US:\"Supplier\"", "sv", "Leverantör");
	pick_is("DA:\"Leverandør\";US:\"Supplier\"", "da-DK", "Leverandør");
	/* quotes inside the text end it only before a separator or the end */
	pick_is("NO:\"Si \"hei\"\";US:\"Say \"hi\"\"", "en", "Say \"hi\"");
	pick_is("NO:\"a;b\";US:\"c,d\"", "nb", "a;b");
	/* not encoded: the text itself */
	pick_is("Supplier", "nb-NO", "Supplier");
	pick_is("NO:\"broken", "nb-NO", "NO:\"broken");
	pick_is("", "nb-NO", "");
}

static void test_entries(void **state)
{
	(void)state;
	ml_entry e[4];
	size_t n = 0;
	assert_int_equal(ml_parse("US:\"Legal\";NO:\"Lovlig\";", e, 4, &n), 0);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].code, "US");
	assert_int_equal(e[0].len, 5);
	assert_memory_equal(e[0].text, "Legal", 5);
	assert_string_equal(e[1].code, "NO");
	/* more entries than room: still parsed (and counted), the first kept */
	assert_int_equal(ml_parse("A1:\"x\"", e, 4, &n), -1);
	assert_int_equal(ml_parse("AA:\"1\";BB:\"2\";CC:\"3\";DD:\"4\";EE:\"5\"", e, 4, &n), 0);
	assert_int_equal(n, 5);
	assert_string_equal(e[3].code, "DD");
	char codes[4][3];
	size_t k = ml_codes_for_tag("nb-NO", codes, 4);
	assert_true(k >= 1);
	assert_string_equal(codes[0], "NO");
	k = ml_codes_for_tag("de", codes, 4);
	assert_string_equal(codes[0], "GE");
	k = ml_codes_for_tag("", codes, 4);
	assert_int_equal(k, 0);
	k = ml_codes_for_tag("x-\xff", codes, 4);
	assert_int_equal(k, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_detect),
		cmocka_unit_test(test_pick),
		cmocka_unit_test(test_entries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

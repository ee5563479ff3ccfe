/* test_ui_picklist.c — the pick list's filter and selection (picklist.h):
 * case- and accent-insensitive filtering, the current item selected, a
 * typed id selecting its "(ID)" item, no match. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <string.h>

#include "ticketed/picklist.h"

static const char *const OWNERS[] = {
	"Unassigned (0)", "Automatic (2147483647)", "Admin Adminson (1)", "Bjørn Ødegård (5)",
	"Åse Kværnø (6)", "Zoë Martin (7)", "Jürgen Groß (12)", "Mikkel Bøe (15) – deleted",
};
#define NOWNERS (sizeof OWNERS / sizeof OWNERS[0])

static void type(picklist *p, const char *s)
{
	for (; *s; s++)
		pick_type(p, (unsigned char)*s);
}

static const char *selected(const picklist *p)
{
	long i = pick_selected(p);
	return i < 0 ? "(none)" : OWNERS[i];
}

static void test_current_and_filter(void **state)
{
	picklist p;
	(void)state;
	pick_init(&p, "Owner", OWNERS, NOWNERS, "Jürgen Groß (12)");
	assert_string_equal(selected(&p), "Jürgen Groß (12)");
	type(&p, "BJORN");
	assert_int_equal(p.nshown, 1);
	assert_string_equal(selected(&p), "Bjørn Ødegård (5)");
	pick_backspace(&p);
	pick_backspace(&p);
	pick_backspace(&p);
	pick_backspace(&p);
	pick_backspace(&p);
	assert_int_equal(p.nshown, NOWNERS);
	pick_type(&p, 0x00E6); /* æ */
	assert_string_equal(selected(&p), "Åse Kværnø (6)");
	pick_free(&p);
}

static void test_typed_id(void **state)
{
	picklist p;
	(void)state;
	pick_init(&p, "Owner", OWNERS, NOWNERS, NULL);
	/* "7" is in "(2147483647)" listed first, but names Zoë Martin's id */
	type(&p, "7");
	assert_true(p.nshown >= 2);
	assert_string_equal(selected(&p), "Zoë Martin (7)");
	type(&p, "x");
	assert_int_equal(p.nshown, 0);
	assert_int_equal(pick_selected(&p), -1);
	pick_backspace(&p);
	pick_backspace(&p);
	type(&p, "1");
	assert_string_equal(selected(&p), "Admin Adminson (1)");
	type(&p, "2");
	assert_string_equal(selected(&p), "Jürgen Groß (12)");
	pick_backspace(&p);
	pick_backspace(&p);
	type(&p, "15");
	assert_string_equal(selected(&p), "Mikkel Bøe (15) – deleted");
	pick_backspace(&p);
	pick_backspace(&p);
	/* no item carries "(4)": the first match stays selected */
	type(&p, "4");
	assert_string_equal(selected(&p), "Automatic (2147483647)");
	pick_free(&p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_current_and_filter),
		cmocka_unit_test(test_typed_id),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

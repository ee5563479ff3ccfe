/* test_app_action.c — the key-hint footer from the action table: most
 * important first, only what applies, whole hints only, help last. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <string.h>

#include "ticketed/action.h"

/* Applies: every action named in the space-separated list CTX. */
static bool only(void *ctx, action_id act)
{
	char word[40];
	snprintf(word, sizeof word, " %s ", action_table[act].name);
	return strstr((const char *)ctx, word) != NULL;
}

/* No hint is cut: every "key:hint" of BUF is one the table makes. */
static void whole_hints(const char *buf)
{
	char copy[512], *tok, *save;
	snprintf(copy, sizeof copy, "%s", buf);
	for (tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		const char *colon = strchr(tok, ':');
		bool known = false;
		assert_non_null(colon);
		for (int a = 1; a < ACT_COUNT; a++)
			if (action_table[a].hint && !strcmp(colon + 1, action_table[a].hint))
				known = true;
		if (!known)  /* the save machine's leads */
			known = !strcmp(tok, "s:save") || !strcmp(tok, "Esc:cancel") || !strcmp(tok, "s:conflicts") ||
			        !strcmp(tok, "s:check+save");
		if (!known)
			fail_msg("hint cut or unknown: '%s' in '%s'", tok, buf);
	}
}

static void test_form_footer(void **state)
{
	char buf[512];
	const char *ctx = " edit revert undo preview save reload find quit help ";
	int w;
	(void)state;
	/* modified: save first, help last, everything fits at 120 */
	w = action_footer(SC_FORM, "s:save", only, (void *)ctx, 120, buf, sizeof buf);
	assert_string_equal(buf, "s:save  Enter:edit  r:revert  u:undo  p:preview  q:quit  R:reload  /:find  ?:help");
	assert_int_equal(w, (int)strlen(buf));
	/* at 78 columns a hint that does not fit is left out whole; help stays */
	w = action_footer(SC_FORM, "s:save", only, (void *)ctx, 78, buf, sizeof buf);
	assert_true(w <= 78);
	assert_true(strncmp(buf, "s:save  Enter:edit", 18) == 0);
	assert_non_null(strstr(buf, "  ?:help"));
	assert_int_equal(strlen(strstr(buf, "?:help")), 6);  /* last */
	whole_hints(buf);
	/* 40 columns */
	action_footer(SC_FORM, "s:save", only, (void *)ctx, 38, buf, sizeof buf);
	assert_true(strlen(buf) <= 38);
	assert_true(strncmp(buf, "s:save", 6) == 0);
	assert_non_null(strstr(buf, "?:help"));
	whole_hints(buf);
	/* only what applies: a read-only row has no edit, an unmodified one no revert */
	action_footer(SC_FORM, NULL, only, (void *)" quit find reload help ", 120, buf, sizeof buf);
	assert_string_equal(buf, "q:quit  R:reload  /:find  ?:help");
	/* the lead replaces the save and cancel hints (Esc:cancel while saving) */
	action_footer(SC_FORM, "Esc:cancel", only, (void *)" save cancel quit help ", 120, buf, sizeof buf);
	assert_string_equal(buf, "Esc:cancel  q:quit  ?:help");
	/* a row whose value toggles */
	action_footer(SC_FORM, NULL, only, (void *)" toggle help ", 120, buf, sizeof buf);
	assert_string_equal(buf, "Space:toggle  ?:help");
}

static void test_other_footers(void **state)
{
	char buf[512];
	(void)state;
	action_footer(SC_EDIT, NULL, NULL, NULL, 78, buf, sizeof buf);
	assert_string_equal(buf, "Enter:accept  Esc:cancel  C-u:clear");
	action_footer(SC_CONFLICT, NULL, only, (void *)" keep-mine take-theirs edit-merged close help ", 78, buf,
	              sizeof buf);
	assert_string_equal(buf, "m:mine  t:theirs  e:edit  Esc:close  ?:help");
	action_footer(SC_CONFLICT, NULL, only, (void *)" keep-mine take-theirs edit-merged resubmit close help ",
	              78, buf, sizeof buf);
	assert_string_equal(buf, "s:resubmit  m:mine  t:theirs  e:edit  Esc:close  ?:help");
	action_footer(SC_VIEW, NULL, only, (void *)" save toggle-json close ", 78, buf, sizeof buf);
	assert_string_equal(buf, "s:save  Tab:JSON  Esc:close");
	action_footer(SC_QUIT, NULL, NULL, NULL, 78, buf, sizeof buf);
	assert_string_equal(buf, "s:save  d:discard  k:keep  Esc:cancel");
	/* tiny: nothing but help fits, and help is never cut */
	action_footer(SC_FORM, "s:save", NULL, NULL, 7, buf, sizeof buf);
	assert_string_equal(buf, "?:help");
	action_footer(SC_FORM, "s:save", NULL, NULL, 4, buf, sizeof buf);
	assert_string_equal(buf, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_footer),
		cmocka_unit_test(test_other_footers),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

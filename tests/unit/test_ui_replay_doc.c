/* test_ui_replay_doc.c — every replay line kind is documented (replay_doc.h),
 * each example parses as its kind, and every directive/expectation the parser
 * names in its errors has an entry: a new directive without docs fails here. */
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>

#include "ticketed/replay_doc.h"

static void test_every_kind(void **state)
{
	(void)state;
	for (int k = RP_NOP; k <= RP_DUMP; k++) {
		const replay_doc_entry *d = replay_doc_for((rp_kind)k);
		if (!d)
			fail_msg("rp_kind %d has no replay_doc entry", k);
		assert_non_null(d->syntax);
		assert_non_null(d->help);
		assert_true(strlen(d->help) > 10);
	}
	/* no kind twice */
	for (size_t i = 0; i < replay_ndoc; i++)
		for (size_t j = i + 1; j < replay_ndoc; j++)
			assert_int_not_equal(replay_doc[i].kind, replay_doc[j].kind);
}

static void test_examples_parse(void **state)
{
	(void)state;
	for (size_t i = 0; i < replay_ndoc; i++) {
		rp_line l;
		char err[300] = "";
		if (replay_parse_line(replay_doc[i].example, 1, &l, err, sizeof err) != 0)
			fail_msg("example \"%s\": %s", replay_doc[i].example, err);
		if (l.kind != replay_doc[i].kind)
			fail_msg("example \"%s\" parses as kind %d, documented as %d",
			         replay_doc[i].example, (int)l.kind, (int)replay_doc[i].kind);
		rp_line_free(&l);
	}
}

static bool documented(const char *prefix, const char *name)
{
	char want[80];
	snprintf(want, sizeof want, "%s%s", prefix, name);
	size_t n = strlen(want);
	for (size_t i = 0; i < replay_ndoc; i++) {
		const char *s = replay_doc[i].syntax;
		if (!strncmp(s, want, n) && (s[n] == ' ' || s[n] == '\0'))
			return true;
	}
	return false;
}

/* The names listed in the parser's error for LINE, "(a, b or c)", are all
 * documented with PREFIX. Returns how many names were checked. */
static int check_listed(const char *line, const char *prefix)
{
	rp_line l;
	char err[400] = "", *open, *close, *tok, *save;
	int n = 0;

	assert_int_equal(replay_parse_line(line, 1, &l, err, sizeof err), -1);
	open = strrchr(err, '(');
	close = open ? strchr(open, ')') : NULL;
	assert_non_null(close);
	*close = '\0';
	for (tok = strtok_r(open + 1, ", ", &save); tok; tok = strtok_r(NULL, ", ", &save)) {
		if (!strcmp(tok, "or"))
			continue;
		if (!documented(prefix, tok[0] == ':' ? tok + 1 : tok))
			fail_msg("'%s%s' (named by the parser) has no replay_doc entry", prefix, tok);
		n++;
	}
	return n;
}

static void test_parser_names_documented(void **state)
{
	(void)state;
	assert_true(check_listed(":expect bogus", ":expect ") >= 8);
	assert_true(check_listed(":bogus", ":") >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_kind),
		cmocka_unit_test(test_examples_parse),
		cmocka_unit_test(test_parser_names_documented),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

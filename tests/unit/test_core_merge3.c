/* test_core_merge3.c — per-field three-way merge. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/json.h"
#include "ticketed/merge3.h"
#include "testutil.h"

/* JSON text S parsed, or NULL (absent) when S is NULL. */
static cJSON *P(const char *s)
{
	return s ? tu_parse(s) : NULL;
}

/* Merge FIELD's B/M/T (JSON text or NULL for absent); check class and result. */
static void m3(const char *field, const char *b, const char *m, const char *t,
               merge3_class want, const char *want_out)
{
	cJSON *bj = P(b), *mj = P(m), *tj = P(t), *out = NULL;
	char why[128];
	merge3_class c = merge3_field(schema_find(field), bj, mj, tj, &out, why, sizeof why);
	if (c != want)
		fail_msg("%s: got %s (%s), want %s", field, merge3_class_name(c), why, merge3_class_name(want));
	if (want == M3_CONFLICT) {
		assert_null(out);
		assert_true(why[0] != '\0');
	} else if (!want_out) {
		assert_null(out);
	} else {
		tu_json_is(out, want_out);
	}
	cJSON_Delete(out);
	cJSON_Delete(bj);
	cJSON_Delete(mj);
	cJSON_Delete(tj);
}

static void test_scalars(void **state)
{
	(void)state;
	m3("Title", "\"a\"", "\"mine\"", "\"a\"", M3_REBASE, "\"mine\"");
	m3("Title", "\"a\"", "\"same\"", "\"same\"", M3_ALREADY, "\"same\"");
	m3("Title", "\"a\"", "\"a\"", "\"theirs\"", M3_THEIRS, "\"theirs\"");
	m3("Title", "\"a\"", "\"mine\"", "\"theirs\"", M3_CONFLICT, NULL);
	m3("Deadline", "null", "\"2020-01-01T00:00:00\"", "null", M3_REBASE, "\"2020-01-01T00:00:00\"");
	m3("AlertLevel", "1", "2", "3", M3_CONFLICT, NULL);
	m3("Author", "\"x\"", NULL, "\"x\"", M3_REBASE, NULL); /* I removed it */
}

static void test_references(void **state)
{
	(void)state;
	/* their change of the display name only is not a change of the reference */
	m3("OwnedBy", "{\"AssociateId\":1,\"FullName\":\"A\"}", "{\"AssociateId\":5,\"FullName\":\"E\"}",
	   "{\"AssociateId\":1,\"FullName\":\"A renamed\"}", M3_REBASE, "{\"AssociateId\":5,\"FullName\":\"E\"}");
	m3("OwnedBy", "{\"AssociateId\":1}", "{\"AssociateId\":5,\"FullName\":\"E\"}",
	   "{\"AssociateId\":5,\"FullName\":\"E.\"}", M3_ALREADY, "{\"AssociateId\":5,\"FullName\":\"E\"}");
	m3("OwnedBy", "{\"AssociateId\":1}", "{\"AssociateId\":5}", "{\"AssociateId\":6}", M3_CONFLICT, NULL);
}

static void test_tags(void **state)
{
	(void)state;
	const char *base = "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"}]";
	/* my added tag + their added tag -> both (theirs' order, then mine) */
	m3("Tags", base, "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"},{\"Id\":9,\"Name\":\"mine\"}]",
	   "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"},{\"Id\":8,\"Name\":\"theirs\"}]",
	   M3_MERGED, "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"},"
	              "{\"Id\":8,\"Name\":\"theirs\"},{\"Id\":9,\"Name\":\"mine\"}]");
	/* a tag both removed -> nothing; I removed 1, they removed 2 and 3 */
	m3("Tags", base, "[{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"}]", "[{\"Id\":1,\"Name\":\"a\"}]",
	   M3_MERGED, "[]");
	m3("Tags", base, "[{\"Id\":1,\"Name\":\"a\"}]", "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":3,\"Name\":\"c\"}]",
	   M3_MERGED, "[{\"Id\":1,\"Name\":\"a\"}]");
	/* a tag is its Id: their rename of tag 2 is no change of the set, so
	 * my removal of it stands (as a reference's FullName does not count) */
	m3("Tags", base, "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":3,\"Name\":\"c\"},{\"Id\":4,\"Name\":\"d\"}]",
	   "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":2,\"Name\":\"B!\"},{\"Id\":3,\"Name\":\"c\"},{\"Id\":5,\"Name\":\"e\"}]",
	   M3_MERGED, "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":3,\"Name\":\"c\"},{\"Id\":5,\"Name\":\"e\"},"
	              "{\"Id\":4,\"Name\":\"d\"}]");
	/* the property test's seed 165626: I removed tag 2 and added it back
	 * (now last, without its Name); they removed 2 and 5. My set is the
	 * base's, so theirs stands, with no conflict */
	m3("Tags", "[{\"Id\":2,\"Name\":\"Printer\"},{\"Id\":779,\"Name\":\"Printer\"},{\"Id\":5,\"Name\":\"Billing\"}]",
	   "[{\"Id\":779,\"Name\":\"Printer\"},{\"Id\":5,\"Name\":\"Billing\"},{\"Id\":2}]",
	   "[{\"Id\":779,\"Name\":\"Printer\"}]", M3_THEIRS, "[{\"Id\":779,\"Name\":\"Printer\"}]");
	/* both removed the same tag, or added the same one: already there */
	m3("Tags", base, "[{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"}]", "[{\"Id\":3},{\"Id\":2,\"Name\":\"b\"}]",
	   M3_ALREADY, "[{\"Id\":2,\"Name\":\"b\"},{\"Id\":3,\"Name\":\"c\"}]");
	/* a tag they removed that I had renamed only: theirs */
	m3("Tags", base, "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":2,\"Name\":\"renamed\"},{\"Id\":3,\"Name\":\"c\"}]",
	   "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":3,\"Name\":\"c\"}]", M3_THEIRS, "[{\"Id\":1,\"Name\":\"a\"},{\"Id\":3,\"Name\":\"c\"}]");
	/* the same tag added on both sides is not a conflict */
	m3("SecondaryPersons", "[]", "[{\"PersonId\":7},{\"PersonId\":3}]", "[{\"PersonId\":7,\"FullName\":\"x\"}]",
	   M3_MERGED, "[{\"PersonId\":7,\"FullName\":\"x\"},{\"PersonId\":3}]");
}

static void test_custom_fields(void **state)
{
	(void)state;
	const char *base = "{\"a\":1,\"b\":2,\"c\":3}";
	m3("CustomFields", base, "{\"a\":10,\"b\":2,\"c\":3,\"mine\":true}", "{\"a\":1,\"b\":20,\"theirs\":[1]}",
	   M3_MERGED, "{\"a\":10,\"b\":20,\"theirs\":[1],\"mine\":true}");
	m3("CustomFields", base, "{\"a\":10,\"b\":2,\"c\":3}", "{\"a\":11,\"b\":2,\"c\":3}", M3_CONFLICT, NULL);
	m3("CustomFields", base, "{\"b\":2,\"c\":3}", "{\"a\":1,\"b\":2}", M3_MERGED, "{\"b\":2}");
	m3("CustomFields", base, "{\"b\":2,\"c\":3}", "{\"a\":{\"n\":1},\"b\":2,\"c\":3}", M3_CONFLICT, NULL);
	m3("CustomFields", base, "{\"a\":1,\"b\":2,\"c\":3,\"x\":1}", "{\"a\":1,\"b\":2,\"c\":3,\"x\":2}", M3_CONFLICT, NULL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_scalars),
		cmocka_unit_test(test_references),
		cmocka_unit_test(test_tags),
		cmocka_unit_test(test_custom_fields),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

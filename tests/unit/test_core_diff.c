/* test_core_diff.c — diff_field / diff_ticket / diff_generic and the guard rules. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/diff.h"
#include "ticketed/json.h"
#include "ticketed/patch.h"
#include "testutil.h"

static void assert_json(cJSON *j, const char *want)
{
	tu_json_is(j, want);
	cJSON_Delete(j);
}

static int nwarn;
static void count_warn(const char *msg, void *ctx)
{
	(void)msg;
	(void)ctx;
	nwarn++;
}

static cJSON *ticket_diff(const char *b, const char *e, diff_mode mode)
{
	cJSON *bj = tu_parse(b), *ej = tu_parse(e);
	cJSON *p = diff_ticket(bj, ej, mode, count_warn, NULL);
	/* whatever the case, applying the patch must succeed on base */
	cJSON *d = cJSON_Duplicate(bj, 1);
	assert_int_equal(patch_apply(&d, p, PATCH_STRICT, NULL), PATCH_OK);
	cJSON_Delete(d);
	cJSON_Delete(bj);
	cJSON_Delete(ej);
	return p;
}

static void test_spec_examples(void **state)
{
	(void)state;
	assert_json(ticket_diff("{\"Title\":\"suscipit\"}", "{\"Title\":\"Printer on fire\"}", DIFF_FIELDS),
	            "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"suscipit\"},"
	            "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"Printer on fire\"}]");
	assert_json(ticket_diff("{\"OwnedBy\":{\"AssociateId\":819,\"FullName\":\"A\"}}",
	                        "{\"OwnedBy\":{\"AssociateId\":5,\"FullName\":\"B\",\"Rank\":1}}", DIFF_FIELDS),
	            "[{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":819},"
	            "{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5}]");
	assert_json(ticket_diff("{\"Tags\":[{\"Id\":2},{\"Id\":779,\"Name\":\"x\"}]}",
	                        "{\"Tags\":[{\"Id\":2},{\"Id\":12,\"Name\":\"VIP\"}]}", DIFF_FIELDS),
	            "[{\"op\":\"test\",\"path\":\"/Tags/1/Id\",\"value\":779},{\"op\":\"remove\",\"path\":\"/Tags/1\"},"
	            "{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Id\":12,\"Name\":\"VIP\"}}]");
	assert_json(ticket_diff("{\"CustomFields\":{}}", "{\"CustomFields\":{\"x_note\":\"call back\"}}", DIFF_FIELDS),
	            "[{\"op\":\"add\",\"path\":\"/CustomFields/x_note\",\"value\":\"call back\"}]");
}

static void test_order_and_none(void **state)
{
	(void)state;
	const char *b = "{\"CustomFields\":{\"k\":1},\"Title\":\"a\",\"Deadline\":null}";
	const char *e = "{\"CustomFields\":{\"k\":2},\"Title\":\"b\",\"Deadline\":\"2020-01-01T00:00:00\"}";
	/* tests first, then mutations, each in form order (Title, CustomFields, Deadline) */
	assert_json(ticket_diff(b, e, DIFF_FIELDS),
	            "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"a\"},{\"op\":\"test\",\"path\":\"/CustomFields/k\",\"value\":1},"
	            "{\"op\":\"test\",\"path\":\"/Deadline\",\"value\":null},"
	            "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"},{\"op\":\"replace\",\"path\":\"/CustomFields/k\",\"value\":2},"
	            "{\"op\":\"replace\",\"path\":\"/Deadline\",\"value\":\"2020-01-01T00:00:00\"}]");
	assert_json(ticket_diff(b, e, DIFF_NONE),
	            "[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"},{\"op\":\"replace\",\"path\":\"/CustomFields/k\",\"value\":2},"
	            "{\"op\":\"replace\",\"path\":\"/Deadline\",\"value\":\"2020-01-01T00:00:00\"}]");
	assert_json(ticket_diff(b, b, DIFF_FIELDS), "[]");
}

static void test_base_spelling_and_readonly(void **state)
{
	(void)state;
	nwarn = 0;
	assert_json(ticket_diff("{\"title\":\"a\",\"customFields\":{\"X/y\":1},\"TicketId\":1}",
	                        "{\"Title\":\"b\",\"CustomFields\":{\"x/Y\":2},\"TicketId\":2,\"Zzz\":1}", DIFF_FIELDS),
	            "[{\"op\":\"test\",\"path\":\"/title\",\"value\":\"a\"},{\"op\":\"test\",\"path\":\"/customFields/X~1y\",\"value\":1},"
	            "{\"op\":\"replace\",\"path\":\"/title\",\"value\":\"b\"},{\"op\":\"replace\",\"path\":\"/customFields/X~1y\",\"value\":2}]");
	assert_int_equal(nwarn, 2); /* TicketId (read-only) and Zzz (unknown) */
}

static void test_rights(void **state)
{
	(void)state;
	nwarn = 0;
	cJSON *b = tu_parse("{\"Title\":\"a\",\"TableRight\":{\"Mask\":\"Select\"}}");
	cJSON *e = tu_parse("{\"Title\":\"b\",\"TableRight\":{\"Mask\":\"Select\"}}");
	assert_json(diff_ticket(b, e, DIFF_FIELDS, count_warn, NULL), "[]");
	assert_int_equal(nwarn, 1);
	cJSON_Delete(b);
	cJSON_Delete(e);
}

static void test_diff_field_alone(void **state)
{
	(void)state;
	const field_def *f = schema_find("category");
	assert_non_null(f);
	diff_acc acc;
	diff_acc_init(&acc, DIFF_FIELDS);
	cJSON *bv = tu_parse("{\"TicketCategoryId\":6,\"Fullname\":\"Support/On-line\"}");
	cJSON *ev = tu_parse("{\"TicketCategoryId\":7,\"Fullname\":\"Support/Other\"}");
	diff_field(&acc, f, "Category", bv, ev);
	cJSON *pri = tu_parse("{\"TicketPriorityId\":3,\"Name\":\"High\"}");
	diff_field(&acc, schema_find("Priority"), "Priority", NULL, pri);
	cJSON_Delete(pri);
	cJSON *p = diff_acc_finish(&acc);
	diff_acc_free(&acc);
	assert_json(p, "[{\"op\":\"test\",\"path\":\"/Category/TicketCategoryId\",\"value\":6},"
	               "{\"op\":\"replace\",\"path\":\"/Category/TicketCategoryId\",\"value\":7},"
	               "{\"op\":\"add\",\"path\":\"/Priority\",\"value\":{\"TicketPriorityId\":3}}]");
	cJSON_Delete(bv);
	cJSON_Delete(ev);
}

static void test_refset_several(void **state)
{
	(void)state;
	assert_json(ticket_diff("{\"SecondaryPersons\":[{\"PersonId\":1},{\"PersonId\":2},{\"PersonId\":3}]}",
	                        "{\"SecondaryPersons\":[{\"PersonId\":2}]}", DIFF_FIELDS),
	            "[{\"op\":\"test\",\"path\":\"/SecondaryPersons/2/PersonId\",\"value\":3},"
	            "{\"op\":\"test\",\"path\":\"/SecondaryPersons/0/PersonId\",\"value\":1},"
	            "{\"op\":\"remove\",\"path\":\"/SecondaryPersons/2\"},{\"op\":\"remove\",\"path\":\"/SecondaryPersons/0\"}]");
}

static void test_generic(void **state)
{
	(void)state;
	cJSON *a = tu_parse("{\"l\":[1,2,3,4,5],\"o\":{\"x\":1}}"), *b = tu_parse("{\"l\":[1,2,9,3,4,5],\"o\":{\"x\":1}}");
	assert_json(diff_generic(a, b, DIFF_FIELDS), "[{\"op\":\"add\",\"path\":\"/l/2\",\"value\":9}]");
	cJSON_Delete(b);
	b = tu_parse("{\"l\":[2,4],\"o\":{\"x\":2}}");
	cJSON *p = diff_generic(a, b, DIFF_FIELDS);
	cJSON *d = cJSON_Duplicate(a, 1);
	assert_int_equal(patch_apply(&d, p, PATCH_STRICT, NULL), PATCH_OK);
	assert_true(json_equal(d, b));
	assert_json(p, "[{\"op\":\"test\",\"path\":\"/l/0\",\"value\":1},{\"op\":\"test\",\"path\":\"/l/2\",\"value\":3},"
	               "{\"op\":\"test\",\"path\":\"/l/4\",\"value\":5},{\"op\":\"test\",\"path\":\"/o/x\",\"value\":1},"
	               "{\"op\":\"remove\",\"path\":\"/l/0\"},{\"op\":\"remove\",\"path\":\"/l/1\"},"
	               "{\"op\":\"remove\",\"path\":\"/l/2\"},{\"op\":\"replace\",\"path\":\"/o/x\",\"value\":2}]");
	cJSON_Delete(d);
	cJSON_Delete(a);
	cJSON_Delete(b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_examples),
		cmocka_unit_test(test_order_and_none),
		cmocka_unit_test(test_base_spelling_and_readonly),
		cmocka_unit_test(test_rights),
		cmocka_unit_test(test_diff_field_alone),
		cmocka_unit_test(test_refset_several),
		cmocka_unit_test(test_generic),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

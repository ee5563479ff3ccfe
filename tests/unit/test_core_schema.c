/* test_core_schema.c — the field table and the rights masks. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <string.h>
#include <cmocka.h>
#include "ticketed/json.h"
#include "ticketed/schema.h"
#include "testutil.h"

static void test_table(void **state)
{
	(void)state;
	const field_def *f = schema_find("ownedby");
	assert_non_null(f);
	assert_string_equal(f->name, "OwnedBy");
	assert_int_equal(f->kind, FK_REF);
	assert_string_equal(f->key, "AssociateId");
	assert_string_equal(f->display, "FullName");
	assert_string_equal(f->list, "associate");
	f = schema_find("Category");
	assert_string_equal(f->key, "TicketCategoryId");
	assert_string_equal(f->display, "Fullname");
	assert_string_equal(f->list, "ejcategory");
	assert_string_equal(schema_find("Priority")->list, "ticketpriority");
	assert_string_equal(schema_find("Status")->list, "ticketstatus");
	assert_string_equal(schema_find("Person")->key, "PersonId");
	f = schema_find("Tags");
	assert_int_equal(f->kind, FK_REFSET);
	assert_string_equal(f->key, "Id");
	assert_string_equal(f->list, "tags");
	assert_string_equal(schema_find("SecondaryPersons")->key, "PersonId");
	assert_int_equal(schema_find("CustomFields")->kind, FK_MAP);
	assert_int_equal(schema_find("AlertLevel")->kind, FK_INT32);
	assert_int_equal(schema_find("Deadline")->kind, FK_DATE);
	f = schema_find("Origin");
	assert_int_equal(f->kind, FK_ENUM);
	assert_string_equal(f->enums[12], "Form");
	assert_null(f->enums[13]);
	assert_null(schema_find("NoSuchField"));
	const char *ro[] = { "TicketId", "CreatedAt", "LastChanged", "CreatedBy", "TimeToReply", "RealTimeSpentQueue",
		"NumReplies", "NumMessages", "HasAttachment", "ReadByOwner", "FirstReadByUser", "ClosedAt",
		"RepliedAt", "Messages", "ExtraFields", "TableRight", "FieldProperties", "_Links" };
	for (size_t i = 0; i < sizeof ro / sizeof ro[0]; i++)
		assert_int_equal(schema_find(ro[i])->kind, FK_READONLY);
	/* form order: sections never go backwards */
	for (size_t i = 1; i < schema_nfields; i++)
		assert_true(schema_fields[i].section >= schema_fields[i - 1].section);
	assert_string_equal(schema_section_names[SEC_CUSTOM], "Custom fields");
}

/* The references and enums of the TicketEntity reference. */
static void test_tenant_schema(void **state)
{
	(void)state;
	const field_def *f = schema_find("Person");
	assert_string_equal(f->list, "person_new");
	assert_true(f->search);
	assert_true(schema_find("SecondaryPersons")->search);
	assert_string_equal(schema_find("SecondaryPersons")->list, "person_new");
	assert_false(schema_find("OwnedBy")->search);
	f = schema_find("TicketType");
	assert_int_equal(f->kind, FK_REF);
	assert_string_equal(f->key, "TicketTypeId");
	assert_string_equal(f->list, "tickettype");
	f = schema_find("Sale");
	assert_int_equal(f->kind, FK_REF);
	assert_string_equal(f->key, "SaleId");
	assert_string_equal(f->display, "Title");
	assert_string_equal(f->list, "sale");
	f = schema_find("Project");
	assert_int_equal(f->kind, FK_REF);
	assert_string_equal(f->key, "ProjectId");
	assert_string_equal(f->list, "project");
	/* TicketBaseStatus with the UI's Postponed* names and Unknown */
	const char *want[] = { "Active", "Closed", "Postponed", "PostponedSpecific", "Postponed1Hour",
		"Postponed2Hours", "Postponed3Hours", "Postponed4Hours", "PostponedDay", "PostponedWeek",
		"PostponedMonth", "Deleted", "Merged", "Unknown", NULL };
	f = schema_find("BaseStatus");
	for (size_t i = 0; want[i]; i++)
		assert_string_equal(f->enums[i], want[i]);
	assert_null(f->enums[14]);
	assert_string_equal(schema_find("Slevel")->enums[2], "Unknown");
	assert_string_equal(schema_find("ReadStatus")->enums[3], "Unknown");
}

static void test_same(void **state)
{
	(void)state;
	cJSON *a = tu_parse("[{\"Id\":2,\"Name\":\"Printer\"},{\"Id\":5}]");
	cJSON *b = tu_parse("[{\"Id\":5,\"Name\":\"Billing\"},{\"Id\":2}]");
	cJSON *c = tu_parse("[{\"Id\":5},{\"Id\":5}]");
	cJSON *d = tu_parse("[{\"Id\":2},{\"Id\":5},{\"Id\":5}]");
	cJSON *o1 = tu_parse("{\"AssociateId\":1,\"FullName\":\"A\"}"), *o2 = tu_parse("{\"associateid\":1}");
	assert_true(schema_same(schema_find("Tags"), a, b));    /* order and names do not count */
	assert_false(schema_same(schema_find("Tags"), a, c));   /* same size, other keys */
	assert_false(schema_same(schema_find("Tags"), a, d));   /* a repeat counts */
	assert_false(schema_same(schema_find("Title"), a, b));  /* elsewhere: json_equal */
	assert_true(schema_same(schema_find("OwnedBy"), o1, o2));
	assert_false(schema_same(schema_find("Tags"), a, o1));
	assert_true(schema_same(schema_find("Tags"), NULL, NULL));
	cJSON_Delete(a);
	cJSON_Delete(b);
	cJSON_Delete(c);
	cJSON_Delete(d);
	cJSON_Delete(o1);
	cJSON_Delete(o2);
}

static void test_masks(void **state)
{
	(void)state;
	assert_int_equal(schema_mask_bits("Read"), 1);
	assert_int_equal(schema_mask_bits("Update"), 3);
	assert_int_equal(schema_mask_bits("FULL"), 3);
	assert_int_equal(schema_mask_bits("Update, UIHintMandatory"), 3 | 64);
	assert_int_equal(schema_mask_bits("Read, UIHintReadOnly"), 1 | 128);
	assert_int_equal(schema_mask_bits("None"), 0);
	assert_int_equal(schema_mask_bits(""), 0);
	assert_int_equal(schema_mask_bits("write"), 2);
	assert_int_equal(schema_table_bits("FULL"), 15);
	assert_int_equal(schema_table_bits("Select"), 1);
	assert_int_equal(schema_table_bits("Select, Update"), 3);
	assert_int_equal(schema_table_bits("UR"), 3);
	/* every name of EFieldRight and ETableRight (the WebApi reference) */
	assert_int_equal(schema_mask_bits("Unused1, Unused2, Unused3, Unused4"), 4 | 8 | 16 | 32);
	assert_int_equal(schema_mask_bits("Nullable"), 32);
	assert_int_equal(schema_mask_bits("UIHints"), 64 | 128);
	assert_int_equal(schema_mask_bits("Update, UndefinedValue256"), 3 | 256);
	assert_int_equal(schema_mask_bits("Update, Unused3") & 2, 2);  /* an unused bit grants nothing more */
	assert_int_equal(schema_table_bits("Unused1"), 64);
	assert_int_equal(schema_table_bits("Uninitialized"), 128);
	assert_int_equal(schema_table_bits("RestrictedUpdate, Select"), 33);
	assert_int_equal(schema_table_bits("URI"), 7);
	assert_int_equal(schema_table_bits("UDR"), 11);
	assert_int_equal(schema_table_bits("RI"), 5);
	assert_int_equal(schema_table_bits("FI"), 20);
	assert_int_equal(schema_table_bits("RF"), 17);
	assert_int_equal(schema_table_bits("F"), 16);
	assert_int_equal(schema_table_bits("Filtering, Delete, Insert"), 28);
}

static void test_editable(void **state)
{
	(void)state;
	cJSON *t = tu_parse("{\"TableRight\":{\"Mask\":\"FULL\"},\"FieldProperties\":{"
	                    "\"Title\":{\"FieldRight\":{\"Mask\":\"Update, UIHintMandatory\"}},"
	                    "\"Author\":{\"FieldRight\":{\"Mask\":\"Read\"}},"
	                    "\"Deadline\":{\"FieldRight\":{\"Mask\":\"FULL, UIHintReadOnly\"}},"
	                    "\"OwnedBy\":{\"FieldRight\":{\"Mask\":\"FULL\"}}}}");
	assert_true(schema_ticket_updatable(t));
	assert_true(schema_field_editable(t, schema_find("Title")));
	assert_true(schema_field_mandatory(t, schema_find("Title")));
	assert_false(schema_field_editable(t, schema_find("Author")));
	assert_false(schema_field_editable(t, schema_find("Deadline")));
	assert_true(schema_field_editable(t, schema_find("OwnedBy")));
	assert_true(schema_field_editable(t, schema_find("Tags"))); /* no FieldProperties entry */
	assert_false(schema_field_mandatory(t, schema_find("Tags")));
	assert_false(schema_field_editable(t, schema_find("TicketId")));
	cJSON_Delete(t);
	t = tu_parse("{\"TableRight\":{\"Mask\":\"Select\"}}");
	assert_false(schema_ticket_updatable(t));
	assert_false(schema_field_editable(t, schema_find("Title")));
	cJSON_Delete(t);
	t = tu_parse("{\"TableRight\":null}");
	assert_true(schema_ticket_updatable(t));
	cJSON_Delete(t);
	t = tu_parse("{}");
	assert_true(schema_field_editable(t, schema_find("Title")));
	cJSON_Delete(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_tenant_schema),
		cmocka_unit_test(test_masks),
		cmocka_unit_test(test_same),
		cmocka_unit_test(test_editable),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

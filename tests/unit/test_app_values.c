/* test_app_values.c — values.h: reference pick-list items from MDO lists
 * (deleted items, OwnedBy's magic ids, hierarchical categories), JSON-ish
 * custom values, typed text into field values (refused text with where the
 * problem is), and values as a person reads them. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticketed/json.h"
#include "ticketed/schema.h"
#include "ticketed/values.h"
#include "testutil.h"

static const char *ASSOC =
	"[{\"Id\":1,\"Name\":\"Admin\",\"Deleted\":false},"
	"{\"Id\":5,\"Name\":\"Bj\\u00f8rn\",\"FullName\":\"Bj\\u00f8rn \\u00d8deg\\u00e5rd\",\"Deleted\":false},"
	"{\"Id\":15,\"Name\":\"Mikkel\",\"Deleted\":true},"
	"{\"Name\":\"no id\"},{\"Id\":\"7\",\"Name\":\"string id\"}]";

/* The items joined with "|" and the ids with ",". */
static void items_are(const field_def *f, const char *list, long cur, bool have, const char *want,
                      const char *want_ids, long want_sel)
{
	cJSON *l = tu_parse(list);
	char **items, buf[2000] = "", ids_s[400] = "";
	long *ids, sel;
	size_t n = value_ref_items(f, l, cur, have, &items, &ids, &sel), i;
	for (i = 0; i < n; i++) {
		snprintf(buf + strlen(buf), sizeof buf - strlen(buf), "%s%s", i ? "|" : "", items[i]);
		snprintf(ids_s + strlen(ids_s), sizeof ids_s - strlen(ids_s), "%s%ld", i ? "," : "", ids[i]);
		free(items[i]);
	}
	free(items);
	free(ids);
	cJSON_Delete(l);
	assert_string_equal(buf, want);
	assert_string_equal(ids_s, want_ids);
	assert_int_equal(sel, want_sel);
}

static void test_owner_items(void **state)
{
	const field_def *owner = schema_find("OwnedBy");
	(void)state;
	/* Unassigned and Automatic first; the deleted associate hidden; bad ids skipped */
	items_are(owner, ASSOC, 5, true, "Unassigned (0)|Automatic (2147483647)|Admin (1)|Bjørn Ødegård (5)",
	          "0,2147483647,1,5", 3);
	/* a deleted associate shows when it is the current value */
	items_are(owner, ASSOC, 15, true,
	          "Unassigned (0)|Automatic (2147483647)|Admin (1)|Bjørn Ødegård (5)|Mikkel (15) \u2013 deleted",
	          "0,2147483647,1,5,15", 4);
	items_are(owner, ASSOC, 0, true, "Unassigned (0)|Automatic (2147483647)|Admin (1)|Bjørn Ødegård (5)",
	          "0,2147483647,1,5", 0);
	items_are(owner, ASSOC, 2147483647L, true,
	          "Unassigned (0)|Automatic (2147483647)|Admin (1)|Bjørn Ødegård (5)", "0,2147483647,1,5", 1);
	items_are(owner, "[]", 0, false, "Unassigned (0)|Automatic (2147483647)", "0,2147483647", -1);
}

static void test_other_items(void **state)
{
	const field_def *prio = schema_find("Priority"), *cat = schema_find("Category");
	(void)state;
	/* only OwnedBy has the magic ids */
	items_are(prio, "[{\"Id\":1,\"Name\":\"Low\"},{\"Id\":5,\"Name\":\"Legacy\",\"Deleted\":true}]", 3, true,
	          "Low (1)", "1", -1);
	/* flat lists with full names as they are; hierarchical ChildItems get their parent's path */
	items_are(cat, "[{\"Id\":1,\"Name\":\"Support\",\"ChildItems\":[{\"Id\":3,\"Name\":\"Network\","
	          "\"ChildItems\":[{\"Id\":4,\"Name\":\"VPN\"}]},{\"Id\":5,\"Name\":\"Fax\",\"Deleted\":true}]},"
	          "{\"Id\":9,\"Name\":\"Administration/Accounting\",\"FullName\":\"Administration/Accounting\"}]",
	          4, true, "Support (1)|Support/Network (3)|Support/Network/VPN (4)|Administration/Accounting (9)",
	          "1,3,4,9", 2);
	/* a child whose name already carries the path keeps it */
	items_are(cat, "[{\"Id\":1,\"Name\":\"Support\",\"ChildItems\":[{\"Id\":2,\"Name\":\"Support/Printers\"}]}]",
	          0, false, "Support (1)|Support/Printers (2)", "1,2", -1);
}

static void test_list_name(void **state)
{
	cJSON *l = tu_parse(ASSOC);
	(void)state;
	assert_string_equal(value_list_name(l, 5), "Bjørn Ødegård");
	assert_string_equal(value_list_name(l, 1), "Admin");
	assert_null(value_list_name(l, 99));
	cJSON_Delete(l);
}

static void value_is(const char *text, const char *want)
{
	char err[200];
	cJSON *v = value_parse_custom(text, err, sizeof err);
	char *s;
	assert_non_null(v);
	s = json_print(v, false);
	if (strcmp(s, want))
		fail_msg("parse_value(%s) = %s, want %s", text, s, want);
	free(s);
	cJSON_Delete(v);
}

static void test_parse_value(void **state)
{
	char err[200];
	(void)state;
	value_is("call back", "\"call back\"");
	value_is("\"12\"", "\"12\"");
	value_is(" \"quoted \\\"x\\\"\" ", "\"quoted \\\"x\\\"\"");
	value_is("12", "12");
	value_is("-3.25", "-3.25");
	value_is("true", "true");
	value_is("false", "false");
	value_is("null", "null");
	value_is("", "\"\"");
	value_is("[1,2]", "\"[1,2]\"");        /* not a scalar: the text */
	value_is("{\"a\":1}", "\"{\\\"a\\\":1}\"");
	value_is("1e999", "\"1e999\"");         /* beyond a double: the text */
	value_is("TRUE", "\"TRUE\"");
	assert_null(value_parse_custom("\"unterminated", err, sizeof err));
	assert_non_null(strstr(err, "JSON string"));
	assert_null(value_parse_custom("\"a\" \"b\"", err, sizeof err));
}

#define TICKET "{\"TicketId\":900,\"Title\":\"T\",\"AlertLevel\":2," \
	"\"OwnedBy\":{\"AssociateId\":12,\"FullName\":\"J\u00fcrgen\"},\"Deadline\":\"2026-12-01T10:00:00\"," \
	"\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4}],\"CustomFields\":{\"x_n\":14,\"x_s\":\"a\"}," \
	"\"FieldProperties\":{\"Title\":{\"FieldRight\":{\"Mask\":\"Update, UIHintMandatory\"}}}}"

/* TEXT typed for FIELD (SUB: map key): the value as compact JSON, or
 * "ERR@POS:message". */
static char *typed(model *m, const char *field, const char *sub, const char *text)
{
	cJSON *v;
	char err[200], *out;
	size_t pos;
	if (value_from_text(m, schema_find(field), sub, text, NULL, &v, err, sizeof err, &pos) < 0) {
		out = malloc(300);
		snprintf(out, 300, "ERR@%ld:%s", pos == (size_t)-1 ? -1L : (long)pos, err);
		return out;
	}
	out = v ? cJSON_PrintUnformatted(v) : strdup("absent");
	cJSON_Delete(v);
	return out;
}

static void typed_is(model *m, const char *field, const char *sub, const char *text, const char *want)
{
	char *got = typed(m, field, sub, text);
	assert_string_equal(got, want);
	free(got);
}

/* Typed text becomes the field's value, or is refused with where. */
static void test_from_text(void **state)
{
	model m;
	(void)state;
	model_init(&m, tu_parse(TICKET));
	typed_is(&m, "AlertLevel", NULL, "-7", "-7");
	typed_is(&m, "AlertLevel", NULL, "12x", "ERR@2:is not a whole number in the int32 range");
	typed_is(&m, "AlertLevel", NULL, "2147483648", "ERR@0:is not a whole number in the int32 range");
	/* a reference: its key; the same id keeps the names, another drops them */
	typed_is(&m, "OwnedBy", NULL, "12", "{\"AssociateId\":12,\"FullName\":\"J\u00fcrgen\"}");
	typed_is(&m, "OwnedBy", NULL, "5", "{\"AssociateId\":5}");
	typed_is(&m, "OwnedBy", NULL, "-5", "ERR@0:is not a whole number in the int32 range (type the id)");
	/* a mandatory field cannot be emptied */
	typed_is(&m, "Title", NULL, "", "ERR@-1:is mandatory and cannot be empty");
	typed_is(&m, "Title", NULL, "New", "\"New\"");
	/* a date keeps the server's style */
	typed_is(&m, "Deadline", NULL, "2026-12-05 17:00", "\"2026-12-05T17:00:00\"");
	{
		char *d = typed(&m, "Deadline", NULL, "next friday");
		assert_true(strncmp(d, "ERR@", 4) == 0);  /* refused, with where */
		free(d);
	}
	/* custom values: what is typed for the encoding of the current value */
	typed_is(&m, "CustomFields", "x_n", "15", "\"[I:15]\"");
	typed_is(&m, "CustomFields", "x_n", "fifteen", "ERR@0:is not an Integer value: not a whole number: 'f' is not a digit");
	typed_is(&m, "CustomFields", "x_s", "15", "\"15\"");
	model_free(&m);
}

/* Values as a person reads them: references by name and id, sets by name
 * (names of key-only elements from the cached lists), absent spelled. */
static void test_text(void **state)
{
	cJSON *t = tu_parse(TICKET), *lists = tu_parse("{\"tags\":[{\"Id\":4,\"Name\":\"Network\"}]}");
	char *s;
	(void)state;
	s = value_text(schema_find("OwnedBy"), json_get(t, "OwnedBy"), NULL, NULL);
	assert_string_equal(s, "J\u00fcrgen (12)");
	free(s);
	s = value_text(schema_find("Tags"), json_get(t, "Tags"), NULL, NULL);
	assert_string_equal(s, "VPN, 4");
	free(s);
	s = value_text(schema_find("Tags"), json_get(t, "Tags"), lists, NULL);
	assert_string_equal(s, "VPN, Network");
	free(s);
	s = value_text(schema_find("Title"), NULL, NULL, "(absent)");
	assert_string_equal(s, "(absent)");
	free(s);
	cJSON *unassigned = tu_parse("{\"AssociateId\":0}");
	s = value_text(schema_find("OwnedBy"), unassigned, NULL, NULL);
	assert_string_equal(s, "Unassigned (0)");
	free(s);
	cJSON_Delete(unassigned);
	cJSON_Delete(lists);
	cJSON_Delete(t);
}

/* What the line editor starts from: a reference's key, the value as shown. */
static void test_edit_text(void **state)
{
	model m;
	char *s;
	(void)state;
	model_init(&m, tu_parse(TICKET));
	s = value_edit_text(&m, schema_find("OwnedBy"), NULL);
	assert_string_equal(s, "12");
	free(s);
	s = value_edit_text(&m, schema_find("CustomFields"), "x_n");
	assert_string_equal(s, "14");
	free(s);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_owner_items),
		cmocka_unit_test(test_other_items),
		cmocka_unit_test(test_list_name),
		cmocka_unit_test(test_parse_value),
		cmocka_unit_test(test_from_text),
		cmocka_unit_test(test_text),
		cmocka_unit_test(test_edit_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

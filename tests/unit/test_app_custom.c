/* test_app_custom.c — custom fields as a tenant has them: the
 * definitions of GET Ticket/CustomField (cfmeta.h), values decoded for the
 * form and the line editor and written back encoded (values.h), checkbox
 * toggles, the form's custom rows (labels, Rank order, hidden and read-only
 * fields, hints), and multi-language names in the user's language. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticketed/cfmeta.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"
#include "ticketed/values.h"
#include "testutil.h"

static const char *META =
	"[{\"FieldName\":\"x_n\",\"FieldType\":\"Integer\",\"DisplayName\":\"NO:\\\"Antall\\\";US:\\\"Count\\\"\","
	"\"Description\":\"How many\",\"Rank\":2,\"IsMandatory\":true},"
	"{\"FieldName\":\"x_d\",\"FieldType\":\"Date\",\"DisplayName\":\"Due\",\"Rank\":1},"
	"{\"FieldName\":\"x_c\",\"FieldType\":\"Checkbox\",\"DisplayName\":\"Done\",\"Rank\":3},"
	"{\"FieldName\":\"x_ro\",\"FieldType\":\"Decimal\",\"DisplayName\":\"Rate\",\"Rank\":4,\"IsReadOnly\":true},"
	"{\"FieldName\":\"x_h\",\"FieldType\":\"ShortText\",\"DisplayName\":\"Hidden\",\"Rank\":5,\"HideField\":true},"
	"{\"FieldName\":\"x_t\",\"FieldType\":\"6\",\"DisplayName\":\"\",\"Rank\":3},"
	"{\"DisplayName\":\"no name\"}]";

static const char *TICKET =
	"{\"TicketId\":1,\"Title\":\"t\",\"CustomFields\":{\"x_n\":\"[I:14]\",\"x_d\":\"[D:12/02/2026]\","
	"\"x_c\":\"[I:0]\",\"x_ro\":\"[F:2.5]\",\"x_h\":\"secret\",\"x_t\":\"\",\"x_old\":\"[F:4.50]\","
	"\"x_text\":\"plain\"}}";

typedef struct {
	cf_meta cf;
	model m;
	const field_def *f;
} fixture;

static int setup(void **state)
{
	fixture *x = calloc(1, sizeof *x);
	char err[200];
	cJSON *meta = tu_parse(META);
	assert_int_equal(cfmeta_parse(meta, "nb-NO", &x->cf, err, sizeof err), 0);
	cJSON_Delete(meta);
	model_init(&x->m, tu_parse(TICKET));
	x->m.cf = &x->cf;
	x->f = schema_find("CustomFields");
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	fixture *x = *state;
	model_free(&x->m);
	cfmeta_free(&x->cf);
	free(x);
	return 0;
}

static void test_meta(void **state)
{
	fixture *x = *state;
	const cf_field *n = cfmeta_find(&x->cf, "X_N");
	char err[200];
	cf_meta bad;
	cJSON *j = tu_parse("{}");
	/* in Rank order (ties as listed); nameless definitions skipped */
	assert_int_equal(x->cf.n, 6);
	assert_string_equal(x->cf.v[0].name, "x_d");
	assert_string_equal(x->cf.v[1].name, "x_n");
	assert_string_equal(x->cf.v[2].name, "x_c");
	assert_string_equal(x->cf.v[3].name, "x_t");
	/* the label in the user's language; no label: the name; FieldType by number too */
	assert_non_null(n);
	assert_string_equal(n->label, "Antall");
	assert_string_equal(n->description, "How many");
	assert_true(n->mandatory);
	assert_int_equal(n->kind, CFK_INTEGER);
	assert_string_equal(cfmeta_find(&x->cf, "x_t")->label, "x_t");
	assert_int_equal(cfmeta_find(&x->cf, "x_t")->kind, CFK_CHECKBOX);
	assert_true(cfmeta_find(&x->cf, "x_ro")->readonly);
	assert_true(cfmeta_find(&x->cf, "x_h")->hidden);
	assert_null(cfmeta_find(&x->cf, "x_nope"));
	assert_null(cfmeta_find(NULL, "x_n"));
	assert_int_equal(cfmeta_parse(j, NULL, &bad, err, sizeof err), -1);
	cJSON_Delete(j);
}

/* The form's text of key KEY, and the line editor's. */
static void shown(fixture *x, const char *key, const char *want)
{
	char *t = value_custom_text(&x->m, key, model_map_value(&x->m, x->f, key));
	char *e = value_edit_text(&x->m, x->f, key);
	assert_string_equal(t, want);
	assert_string_equal(e, want);
	free(t);
	free(e);
}

static void test_shown(void **state)
{
	fixture *x = *state;
	shown(x, "x_n", "14");
	shown(x, "x_d", "2026-12-02");
	shown(x, "x_c", "no");
	shown(x, "x_ro", "2.5");
	shown(x, "x_old", "4.50");   /* no definition: the encoding decides, digits as written */
	shown(x, "x_text", "plain");
	shown(x, "x_t", "");
}

/* What TEXT typed for KEY becomes (compact JSON), or the error. */
static void typed(fixture *x, const char *key, const char *text, const char *want, size_t want_pos)
{
	char err[240], got[300];
	size_t pos = 0;
	cJSON *v = NULL;
	if (value_from_text(&x->m, x->f, key, text, NULL, &v, err, sizeof err, &pos) < 0) {
		snprintf(got, sizeof got, "error: %s", err);
		assert_int_equal(pos, want_pos);
	} else {
		char *s = json_print(v, false);
		snprintf(got, sizeof got, "%s", s);
		free(s);
		assert_true(cJSON_IsString(v));  /* never a JSON number or boolean */
	}
	cJSON_Delete(v);
	if (strncmp(got, want, strlen(want)))
		fail_msg("%s = \"%s\": %s, want %s", key, text, got, want);
}

static void test_typed(void **state)
{
	fixture *x = *state;
	typed(x, "x_n", "15", "\"[I:15]\"", 0);
	typed(x, "x_n", " 16 ", "\"[I:16]\"", 0);
	typed(x, "x_n", "fifteen", "error: is not an Integer value", 0);
	typed(x, "x_n", "15x", "error: is not an Integer value", 2);
	typed(x, "x_n", "", "error: is mandatory and cannot be emptied", (size_t)-1);
	typed(x, "x_d", "2026-12-24", "\"[D:12/24/2026]\"", 0);
	typed(x, "x_d", "24.12.2026", "\"[D:12/24/2026]\"", 0);   /* the value's form is kept */
	typed(x, "x_d", "2026-12-24 10:00", "error: is not a Date value", 10);  /* the cursor on the time */
	typed(x, "x_d", "", "\"\"", 0);
	typed(x, "x_c", "yes", "\"[I:1]\"", 0);
	typed(x, "x_c", "maybe", "error: is not a Checkbox value", 0);
	typed(x, "x_old", "4.75", "\"[F:4.75]\"", 0);
	typed(x, "x_text", "[I:3] is text here", "\"[I:3] is text here\"", 0);
	typed(x, "x_new", "[I:7]", "\"[I:7]\"", 0);            /* a new key without a definition: as typed */
	typed(x, "x_new", "hello", "\"hello\"", 0);
}

static void test_toggle(void **state)
{
	fixture *x = *state;
	cJSON *v = value_custom_toggle(&x->m, x->f, "x_c");
	assert_true(value_custom_is_checkbox(&x->m, x->f, "x_c"));
	assert_false(value_custom_is_checkbox(&x->m, x->f, "x_n"));
	tu_json_is(v, "\"[I:1]\"");
	model_map_set(&x->m, x->f, "x_c", v);
	v = value_custom_toggle(&x->m, x->f, "x_c");
	tu_json_is(v, "\"[I:0]\"");
	cJSON_Delete(v);
	v = value_custom_toggle(&x->m, x->f, "x_t");  /* an unset checkbox: checked */
	tu_json_is(v, "\"[I:1]\"");
	cJSON_Delete(v);
	assert_null(value_custom_toggle(&x->m, x->f, "x_n"));
}

static void test_rows(void **state)
{
	fixture *x = *state;
	form_rows rows;
	char labels[400] = "";
	const form_row *n = NULL, *ro = NULL;
	form_build(&rows, &x->m);
	for (size_t i = 0; i < rows.n; i++) {
		const form_row *r = &rows.v[i];
		if (r->kind != ROW_MAPKEY)
			continue;
		snprintf(labels + strlen(labels), sizeof labels - strlen(labels), "%s%s", labels[0] ? "|" : "",
		         r->label);
		if (!strcmp(r->sub, "x_n"))
			n = r;
		if (!strcmp(r->sub, "x_ro"))
			ro = r;
	}
	/* Rank order with DisplayName labels, the hidden field left out, keys without a definition after */
	assert_string_equal(labels, "Due|Antall|Done|x_t|Rate|x_old|x_text");
	assert_non_null(n);
	assert_string_equal(n->path, "CustomFields/x_n");
	assert_string_equal(n->hint, "How many");
	assert_true(n->editable);
	assert_false(ro->editable);
	form_rows_free(&rows);
	/* without definitions: every key, named by itself */
	x->m.cf = NULL;
	form_build(&rows, &x->m);
	labels[0] = 0;
	for (size_t i = 0; i < rows.n; i++)
		if (rows.v[i].kind == ROW_MAPKEY)
			snprintf(labels + strlen(labels), sizeof labels - strlen(labels), "%s%s", labels[0] ? "|" : "",
			         rows.v[i].label);
	assert_string_equal(labels, "x_n|x_d|x_c|x_ro|x_h|x_t|x_old|x_text");
	form_rows_free(&rows);
	x->m.cf = &x->cf;
}

static void test_names(void **state)
{
	const field_def *cat = schema_find("Category");
	cJSON *el = tu_parse("{\"TicketCategoryId\":11,\"Fullname\":\"NO:\\\"Leverand\\u00f8r\\\";US:\\\"Supplier\\\"\"}");
	cJSON *list = tu_parse("[{\"Id\":11,\"Name\":\"NO:\\\"Leverand\\u00f8r\\\";US:\\\"Supplier\\\"\"}]");
	char **items, *t;
	long *ids, sel;
	(void)state;
	value_set_language("nb-NO");
	t = value_text(cat, el, NULL, NULL);
	assert_string_equal(t, "Leverandør (11)");
	free(t);
	assert_int_equal(value_ref_items(cat, list, 0, false, &items, &ids, &sel), 1);
	assert_string_equal(items[0], "Leverandør (11)");
	free(items[0]);
	free(items);
	free(ids);
	value_set_language("de");  /* no GE entry: US */
	t = value_text(cat, el, NULL, NULL);
	assert_string_equal(t, "Supplier (11)");
	free(t);
	value_set_language(NULL);
	t = value_name_text("plain name");
	assert_string_equal(t, "plain name");
	free(t);
	cJSON_Delete(el);
	cJSON_Delete(list);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_meta, setup, teardown),
		cmocka_unit_test_setup_teardown(test_shown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_typed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_toggle, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rows, setup, teardown),
		cmocka_unit_test(test_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_app_model.c — the editor's model (edits, undo/redo, revert, patch,
 * reload, If-Unmodified-Since), the form rows and the action table. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>

#include "ticketed/action.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/mapidx.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"
#include "testutil.h"

static const char *BASE =
	"{\"TicketId\":900,\"Title\":\"suscipit\",\"AlertLevel\":2,\"BaseStatus\":\"Active\","
	"\"LastChanged\":\"2026-11-26T15:02:44.5180000+01:00\","
	"\"OwnedBy\":{\"AssociateId\":819,\"FullName\":\"Jane Doe\"},"
	"\"CustomFields\":{\"x_site\":\"Bergen\",\"x_n\":14},"
	"\"Messages\":[{\"TicketMessageId\":1,\"CreatedAt\":\"2026-01-01T10:00:00\",\"Author\":\"a\"},"
	"{\"TicketMessageId\":2,\"CreatedAt\":\"2026-03-01T10:00:00\",\"Author\":\"b\"}],"
	"\"Mystery\":{\"keep\":true}}";

static char *patch_text(const model *m, diff_mode mode)
{
	cJSON *p = model_patch(m, mode);
	char *s = json_print(p, false);
	cJSON_Delete(p);
	return s;
}

static void assert_patch(const model *m, diff_mode mode, const char *want)
{
	char *s = patch_text(m, mode);
	assert_string_equal(s, want);
	free(s);
}

static const field_def *F(const char *name)
{
	const field_def *f = schema_find(name);
	assert_non_null(f);
	return f;
}

/* A set is its keys and a reference its key member (schema_same): taking a
 * tag off and putting it back, or picking the owner there already, leaves
 * nothing modified, as the patch (empty) says. */
static void test_same_set_is_unmodified(void **state)
{
	model m;
	(void)state;
	model_init(&m, tu_parse("{\"TicketId\":1,\"Tags\":[{\"Id\":2,\"Name\":\"Printer\"},{\"Id\":5,\"Name\":\"Billing\"}],"
	                        "\"OwnedBy\":{\"AssociateId\":819,\"FullName\":\"Jane Doe\"}}"));
	model_set(&m, F("Tags"), tu_parse("[{\"Id\":5,\"Name\":\"Billing\"}]"));
	assert_int_equal(model_modified(&m), 1);
	model_set(&m, F("Tags"), tu_parse("[{\"Id\":5,\"Name\":\"Billing\"},{\"Id\":2}]"));
	assert_int_equal(model_modified(&m), 0);
	assert_false(model_is_modified(&m, F("Tags")));
	model_set(&m, F("OwnedBy"), tu_parse("{\"AssociateId\":819}"));
	assert_int_equal(model_modified(&m), 0);
	assert_patch(&m, DIFF_FIELDS, "[]");
	/* a different set of the same size is an edit */
	model_set(&m, F("Tags"), tu_parse("[{\"Id\":5},{\"Id\":7}]"));
	assert_int_equal(model_modified(&m), 1);
	model_free(&m);
}

static void test_set_and_patch(void **state)
{
	model m;
	(void)state;
	model_init(&m, tu_parse(BASE));
	assert_int_equal(model_modified(&m), 0);
	assert_patch(&m, DIFF_FIELDS, "[]");
	model_set(&m, F("AlertLevel"), cJSON_CreateNumber(5));
	model_set(&m, F("Title"), cJSON_CreateString("Printer on fire"));
	assert_int_equal(model_modified(&m), 2);
	assert_true(model_is_modified(&m, F("Title")));
	/* tests first, then mutations, each in form order (Title before AlertLevel) */
	assert_patch(&m, DIFF_FIELDS,
		"[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"suscipit\"},"
		"{\"op\":\"test\",\"path\":\"/AlertLevel\",\"value\":2},"
		"{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"Printer on fire\"},"
		"{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":5}]");
	assert_patch(&m, DIFF_NONE,
		"[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"Printer on fire\"},"
		"{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":5}]");
	/* back to the base value: no longer modified */
	model_set(&m, F("Title"), cJSON_CreateString("suscipit"));
	assert_false(model_is_modified(&m, F("Title")));
	assert_int_equal(model_modified(&m), 1);
	model_free(&m);
}

static void test_undo_redo_revert(void **state)
{
	model m;
	(void)state;
	model_init(&m, tu_parse(BASE));
	model_set(&m, F("Title"), cJSON_CreateString("one"));
	model_set(&m, F("Title"), cJSON_CreateString("two"));
	assert_ptr_equal(model_undo(&m), F("Title"));
	assert_string_equal(model_value(&m, F("Title"))->valuestring, "one");
	assert_ptr_equal(model_undo(&m), F("Title"));
	assert_false(model_is_modified(&m, F("Title")));
	assert_null(model_undo(&m));
	assert_ptr_equal(model_redo(&m), F("Title"));
	assert_ptr_equal(model_redo(&m), F("Title"));
	assert_string_equal(model_value(&m, F("Title"))->valuestring, "two");
	assert_null(model_redo(&m));
	assert_true(model_revert(&m, F("Title")));
	assert_string_equal(model_value(&m, F("Title"))->valuestring, "suscipit");
	assert_false(model_revert(&m, F("Title")));
	model_undo(&m);
	assert_string_equal(model_value(&m, F("Title"))->valuestring, "two");
	/* a new edit clears the redo stack */
	model_undo(&m);
	model_set(&m, F("AlertLevel"), cJSON_CreateNumber(3));
	assert_null(model_redo(&m));
	model_free(&m);
}

static void test_map_and_ref(void **state)
{
	model m;
	cJSON *o;
	(void)state;
	model_init(&m, tu_parse(BASE));
	model_map_set(&m, F("CustomFields"), "x_n", cJSON_CreateNumber(20));
	model_map_set(&m, F("CustomFields"), "x_note", cJSON_CreateString("call back"));
	assert_int_equal(model_modified(&m), 2);
	assert_true(model_map_modified(&m, F("CustomFields"), "x_n"));
	assert_false(model_map_modified(&m, F("CustomFields"), "x_site"));
	o = cJSON_Duplicate(model_base(&m, F("OwnedBy")), 1);
	cJSON_ReplaceItemInObject(o, "AssociateId", cJSON_CreateNumber(5));
	model_set(&m, F("OwnedBy"), o);
	assert_patch(&m, DIFF_FIELDS,
		"[{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":819},"
		"{\"op\":\"test\",\"path\":\"/CustomFields/x_n\",\"value\":14},"
		"{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5},"
		"{\"op\":\"replace\",\"path\":\"/CustomFields/x_n\",\"value\":20},"
		"{\"op\":\"add\",\"path\":\"/CustomFields/x_note\",\"value\":\"call back\"}]");
	model_free(&m);
}

static void test_rebase_and_merge(void **state)
{
	model m;
	cJSON *theirs;
	(void)state;
	model_init(&m, tu_parse(BASE));
	model_set(&m, F("Title"), cJSON_CreateString("mine"));
	model_set(&m, F("AlertLevel"), cJSON_CreateNumber(7));
	model_map_set(&m, F("CustomFields"), "x_n", cJSON_CreateNumber(1));
	/* theirs changed Title (conflict), AlertLevel to my value (already
	 * there), x_site (another key: my x_n edit rebases) */
	theirs = tu_parse(BASE);
	cJSON_ReplaceItemInObject(theirs, "Title", cJSON_CreateString("theirs"));
	cJSON_ReplaceItemInObject(theirs, "AlertLevel", cJSON_CreateNumber(7));
	cJSON_ReplaceItemInObject(cJSON_GetObjectItem(theirs, "CustomFields"), "x_site", cJSON_CreateString("Oslo"));
	assert_int_equal(model_merge(&m, theirs, NULL), 1);
	assert_int_equal(model_nclashes(&m), 1);
	assert_string_equal(m.clashes[0].basis->valuestring, "suscipit");
	assert_string_equal(model_value(&m, F("Title"))->valuestring, "mine");
	assert_string_equal(model_base(&m, F("Title"))->valuestring, "theirs");
	assert_false(model_is_modified(&m, F("AlertLevel")));
	assert_int_equal(model_modified(&m), 2);
	assert_patch(&m, DIFF_FIELDS,
		"[{\"op\":\"test\",\"path\":\"/CustomFields/x_n\",\"value\":14},"
		"{\"op\":\"replace\",\"path\":\"/CustomFields/x_n\",\"value\":1}]");
	model_rebase(&m, tu_parse(BASE));
	assert_int_equal(model_modified(&m), 0);
	assert_int_equal(model_nclashes(&m), 0);
	assert_null(model_undo(&m));
	model_free(&m);
}

static void test_if_unmodified_since(void **state)
{
	model m;
	char buf[64];
	(void)state;
	model_init(&m, tu_parse(BASE));
	assert_int_equal(model_if_unmodified_since(&m, buf, sizeof buf), 0);
	assert_string_equal(buf, "Thu, 26 Nov 2026 14:02:44 GMT");
	model_free(&m);
	model_init(&m, tu_parse("{\"Title\":\"x\"}"));
	assert_int_equal(model_if_unmodified_since(&m, buf, sizeof buf), -1);
	model_free(&m);
}

static const form_row *row(const form_rows *r, const char *path)
{
	long i = form_find_path(r, path);
	assert_true(i >= 0);
	return &r->v[i];
}

static void assert_row_text(const model *m, const form_rows *r, const char *path, const char *want)
{
	char *t = form_row_text(m, row(r, path), NULL);
	assert_string_equal(t, want);
	free(t);
}

static void test_form_rows(void **state)
{
	model m;
	form_rows r;
	(void)state;
	model_init(&m, tu_parse(BASE));
	form_build(&r, &m);
	assert_int_equal(r.v[0].kind, ROW_SECTION);
	assert_row_text(&m, &r, "Title", "suscipit");
	assert_row_text(&m, &r, "OwnedBy", "Jane Doe (819)");
	assert_row_text(&m, &r, "Owner", "Jane Doe (819)");  /* by label too */
	assert_row_text(&m, &r, "CustomFields/x_n", "14");
	assert_row_text(&m, &r, "Messages", "2 messages");
	assert_row_text(&m, &r, "Mystery", "{\"keep\":true}");
	assert_int_equal(row(&r, "Mystery")->section, SEC_SYSTEM);
	assert_false(row(&r, "Mystery")->editable);
	assert_true(row(&r, "Title")->editable);
	assert_false(row(&r, "TicketId")->editable);
	/* the newest message first */
	assert_string_equal(r.v[form_find_path(&r, "Messages") + 1].label, "  #2");
	/* find: exact beats prefix beats substring, wrapping from FROM */
	assert_ptr_equal(&r.v[form_find_label(&r, 0, "title")], row(&r, "Title"));
	assert_ptr_equal(&r.v[form_find_label(&r, 0, "Own")], row(&r, "OwnedBy"));
	assert_int_equal(form_find_label(&r, 0, "no such label"), -1);
	form_rows_free(&r);
	model_free(&m);
}

static bool want_not_messages(const char *key, void *ctx)
{
	(void)ctx;
	return strcmp(key, "Messages") != 0;
}

static void test_form_raw_messages(void **state)
{
	model m;
	form_rows r;
	char err[256];
	char *buf = strdup(BASE);
	cJSON *j;
	long i;
	(void)state;
	j = json_parse_lazy(buf, strlen(buf), "test", want_not_messages, NULL, err, sizeof err);
	assert_non_null(j);
	assert_true(cJSON_IsRaw(json_get(j, "Messages")));
	model_init(&m, j);
	form_build(&r, &m);
	assert_row_text(&m, &r, "Messages", "2 messages");
	i = form_find_path(&r, "Messages");
	assert_string_equal(r.v[i + 1].label, "  #2");
	{
		char *t = form_row_text(&m, &r.v[i + 1], NULL);
		assert_string_equal(t, "2026-03-01 10:00 (Sun)  b");  /* the user's zone: TZ=UTC */
		free(t);
	}
	form_rows_free(&r);
	model_free(&m);
}

/* The key index finds what json_get finds; a batch of map changes gives
 * what the same changes made one after the other give. */
static void test_mapidx(void **state)
{
	cJSON *map = tu_parse("{\"b\":1,\"a\":2,\"c\":{\"x\":1}}");
	cJSON *three = cJSON_CreateNumber(3), *four = cJSON_CreateNumber(4), *five = cJSON_CreateNumber(5);
	mapidx ix;
	(void)state;
	mapidx_build(&ix, map);
	assert_int_equal(ix.n, 3);
	assert_ptr_equal(mapidx_get(&ix, "a"), json_get(map, "a"));
	assert_ptr_equal(mapidx_get(&ix, "c"), json_get(map, "c"));
	assert_null(mapidx_get(&ix, "A"));  /* exact, as json_get */
	assert_null(mapidx_get(&ix, "d"));
	mapidx_free(&ix);
	mapidx_build(&ix, NULL);
	assert_null(mapidx_get(&ix, "a"));
	mapidx_free(&ix);
	/* set b, remove a, add d then e, set d again (last wins, first place kept) */
	map_change ch[] = { { "b", three }, { "a", NULL }, { "d", four }, { "e", five }, { "d", five } };
	cJSON *out = map_updated(map, ch, 5);
	tu_json_is(out, "{\"b\":3,\"c\":{\"x\":1},\"d\":5,\"e\":5}");
	cJSON_Delete(out);
	out = map_updated(NULL, ch, 1);  /* not a map: a new one */
	tu_json_is(out, "{\"b\":3}");
	cJSON_Delete(out);
	out = map_updated(map, NULL, 0);
	assert_true(json_equal(out, map));
	cJSON_Delete(out);
	cJSON_Delete(three);
	cJSON_Delete(four);
	cJSON_Delete(five);
	cJSON_Delete(map);
}

static void test_actions(void **state)
{
	char buf[256];
	(void)state;
	assert_int_equal(action_for_key(SC_FORM, 'j'), ACT_DOWN);
	assert_int_equal(action_for_key(SC_EDIT, 'j'), ACT_NONE);  /* text in the editor */
	assert_int_equal(action_for_key(SC_FORM, TK_ENTER), ACT_EDIT);
	assert_int_equal(action_for_key(SC_EDIT, TK_ENTER), ACT_COMMIT);
	assert_int_equal(action_for_key(SC_VIEW, TK_ESC), ACT_CLOSE);
	assert_int_equal(action_for_key(SC_FORM, TK_ESC), ACT_CANCEL);
	assert_int_equal(action_for_key(SC_FORM, TK_CTRL('s')), ACT_SAVE);
	assert_int_equal(action_for_key(SC_FORM, TK_FN(KEY_F(2))), ACT_SAVE);
	assert_int_equal(action_for_key(SC_FORM, TK_CTRL('r')), ACT_REDO);
	assert_int_equal(action_for_key(SC_QUIT, 'd'), ACT_DISCARD);
	assert_int_equal(action_for_key(SC_EDIT, TK_CTRL('w')), ACT_LE_KILL_WORD);
	action_footer(SC_FORM, NULL, NULL, NULL, 200, buf, sizeof buf);  /* more in test_app_action.c */
	assert_non_null(strstr(buf, "q:quit"));
	action_keys_text(ACT_SAVE, SC_FORM, buf, sizeof buf);
	assert_string_equal(buf, "s C-s F2");
	/* every action has a name and help text, and every binding's action
	 * applies somewhere */
	for (int a = 1; a < ACT_COUNT; a++) {
		assert_non_null(action_table[a].name);
		assert_non_null(action_table[a].help);
		assert_int_equal(action_table[a].id, a);
	}
	for (size_t i = 0; i < action_nkeys; i++)
		assert_true(action_table[action_keys[i].act].screens != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_and_patch),
		cmocka_unit_test(test_undo_redo_revert),
		cmocka_unit_test(test_map_and_ref),
		cmocka_unit_test(test_rebase_and_merge),
		cmocka_unit_test(test_if_unmodified_since),
		cmocka_unit_test(test_form_rows),
		cmocka_unit_test(test_form_raw_messages),
		cmocka_unit_test(test_mapidx),
		cmocka_unit_test(test_actions),
		cmocka_unit_test(test_same_set_is_unmodified),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

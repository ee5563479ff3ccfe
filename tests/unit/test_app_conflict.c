/* test_app_conflict.c — the conflict flow without curses: classifying every
 * edit against theirs, rebasing the model, resolutions m / t / e, the next
 * patch's tests guarding THEIR values, CustomFields per key, tags merged,
 * and wrapping untrusted text by columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticketed/conflict.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"
#include "testutil.h"

static const char *BASE =
	"{\"TicketId\":900,\"Title\":\"base\",\"Author\":\"a\",\"AlertLevel\":2,"
	"\"OwnedBy\":{\"AssociateId\":12,\"FullName\":\"J\"},"
	"\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"}],"
	"\"CustomFields\":{\"x_site\":\"Bergen\",\"x_n\":14,\"x_gone\":true}}";

/* THEIRS: BASE with the members of CHANGES (an object) replaced. */
static cJSON *theirs_with(const char *changes)
{
	cJSON *t = tu_parse(BASE), *c = tu_parse(changes), *m;
	cJSON_ArrayForEach(m, c)
		cJSON_ReplaceItemInObjectCaseSensitive(t, m->string, cJSON_Duplicate(m, 1));
	cJSON_Delete(c);
	return t;
}

static void set(model *m, const char *field, const char *json)
{
	model_set(m, schema_find(field), tu_parse(json));
}

static void expect_patch(const model *m, const char *want)
{
	cJSON *p = model_patch(m, DIFF_FIELDS);
	tu_json_is(p, want);
	cJSON_Delete(p);
}

static const conflict_item *item(const conflict_set *cs, const char *path)
{
	for (size_t i = 0; i < cs->n; i++)
		if (!strcmp(cs->v[i].path, path))
			return &cs->v[i];
	fail_msg("no item %s", path);
	return NULL;
}

/* Mine vs theirs per field: rebase, already there, conflict; a field I did
 * not touch simply takes theirs; the patch after apply guards theirs. */
static void test_classify_and_apply(void **state)
{
	model m;
	conflict_set cs;
	cJSON *t = theirs_with("{\"Title\":\"theirs\",\"Author\":\"same\",\"AlertLevel\":5}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");         /* conflict */
	set(&m, "Author", "\"same\"");        /* already there */
	set(&m, "OwnedBy", "{\"AssociateId\":5}"); /* rebase */
	assert_int_equal(conflict_build(&cs, &m, t), 1);
	assert_int_equal(cs.n, 3);
	assert_int_equal(item(&cs, "Title")->cls, M3_CONFLICT);
	assert_int_equal(item(&cs, "Author")->cls, M3_ALREADY);
	assert_int_equal(item(&cs, "OwnedBy")->cls, M3_REBASE);
	assert_string_equal(cs.v[cs.cur].path, "Title");
	assert_int_equal(conflict_open(&cs), 1);
	assert_int_equal(conflict_find(&cs, "title"), (long)(&cs.v[cs.cur] - cs.v));
	assert_int_equal(conflict_find(&cs, "Author"), -1);  /* not a conflict */
	conflict_apply(&cs, &m, t);
	/* an open conflict keeps mine pending; the untouched AlertLevel is theirs */
	assert_string_equal(model_value(&m, schema_find("Title"))->valuestring, "mine");
	assert_int_equal(model_value(&m, schema_find("AlertLevel"))->valueint, 5);
	assert_false(model_is_modified(&m, schema_find("Author")));
	assert_int_equal(model_modified(&m), 2);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"theirs\"},"
	                 "{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":12},"
	                 "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"mine\"},"
	                 "{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5}]");
	/* t: theirs, no op for the field */
	conflict_resolve(&cs, &m, cs.cur, CR_THEIRS);
	assert_int_equal(conflict_open(&cs), 0);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":12},"
	                 "{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5}]");
	/* m: mine again, guarded by theirs */
	conflict_resolve(&cs, &m, cs.cur, CR_MINE);
	assert_string_equal(model_value(&m, schema_find("Title"))->valuestring, "mine");
	/* e: starts from mine; the user's value is then a plain model edit */
	conflict_resolve(&cs, &m, cs.cur, CR_EDITED);
	assert_string_equal(conflict_res_name(cs.v[cs.cur].res), "edited");
	set(&m, "Title", "\"merged\"");
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"theirs\"},"
	                 "{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":12},"
	                 "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"merged\"},"
	                 "{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5}]");
	char list[200];
	assert_int_equal(conflict_list(&cs, M3_REBASE, list, sizeof list), 1);
	assert_string_equal(list, "Owner");
	conflict_free(&cs);
	model_free(&m);
}

/* A lost response: every edit is already on the server, nothing is left. */
static void test_lost_response_already_saved(void **state)
{
	model m;
	conflict_set cs;
	cJSON *t = theirs_with("{\"Title\":\"mine\",\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},"
	                       "{\"Id\":4,\"Name\":\"Network\"},{\"Id\":7,\"Name\":\"Security\"}]}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");
	set(&m, "Tags", "[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"},{\"Id\":7}]");
	assert_int_equal(conflict_build(&cs, &m, t), 0);
	assert_int_equal(item(&cs, "Title")->cls, M3_ALREADY);
	assert_int_equal(item(&cs, "Tags")->cls, M3_MERGED);  /* same element added: theirs kept */
	conflict_apply(&cs, &m, t);
	assert_int_equal(model_modified(&m), 0);
	expect_patch(&m, "[]");
	conflict_free(&cs);
	model_free(&m);
}

/* Tags added on both sides: both kept, the patch adds only mine. */
static void test_tags_both_added(void **state)
{
	model m;
	conflict_set cs;
	cJSON *t = theirs_with("{\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"},"
	                       "{\"Id\":8,\"Name\":\"Onboarding\"}]}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Tags", "[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"},{\"Id\":7}]");
	assert_int_equal(conflict_build(&cs, &m, t), 0);
	assert_int_equal(item(&cs, "Tags")->cls, M3_MERGED);
	conflict_apply(&cs, &m, t);
	expect_patch(&m, "[{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Id\":7}}]");
	conflict_free(&cs);
	/* a tag I removed that they renamed: a conflict */
	model_free(&m);
	model_init(&m, tu_parse(BASE));
	t = theirs_with("{\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Net\"}]}");
	set(&m, "Tags", "[{\"Id\":1,\"Name\":\"VPN\"}]");
	assert_int_equal(conflict_build(&cs, &m, t), 1);
	assert_non_null(strstr(cs.v[0].why, "both sides"));
	conflict_apply(&cs, &m, t);
	conflict_free(&cs);
	model_free(&m);
}

/* CustomFields: one item per key, each classified on its own. */
static void test_custom_fields_per_key(void **state)
{
	model m;
	conflict_set cs;
	const field_def *cf = schema_find("CustomFields");
	cJSON *t = theirs_with("{\"CustomFields\":{\"x_site\":\"Oslo\",\"x_n\":15,\"x_gone\":true,\"x_new\":1}}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	model_map_set(&m, cf, "x_site", cJSON_CreateString("Stavanger")); /* conflict */
	model_map_set(&m, cf, "x_gone", NULL);                            /* rebase (removed) */
	model_map_set(&m, cf, "x_mine", cJSON_CreateString("m"));         /* rebase (added) */
	assert_int_equal(conflict_build(&cs, &m, t), 1);
	assert_int_equal(cs.n, 3);
	assert_int_equal(item(&cs, "CustomFields/x_site")->cls, M3_CONFLICT);
	assert_int_equal(item(&cs, "CustomFields/x_gone")->cls, M3_REBASE);
	assert_int_equal(item(&cs, "CustomFields/x_mine")->cls, M3_REBASE);
	assert_string_equal(item(&cs, "CustomFields/x_site")->label, "Custom fields/x_site");
	assert_int_equal(conflict_find(&cs, "customfields/X_SITE"), (long)(item(&cs, "CustomFields/x_site") - cs.v));
	conflict_apply(&cs, &m, t);
	/* their x_n and x_new stay; mine applied key by key */
	assert_int_equal(model_map_value(&m, cf, "x_n")->valueint, 15);
	assert_non_null(model_map_value(&m, cf, "x_new"));
	assert_null(model_map_value(&m, cf, "x_gone"));
	conflict_resolve(&cs, &m, (size_t)conflict_find(&cs, "CustomFields/x_site"), CR_THEIRS);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/CustomFields/x_gone\",\"value\":true},"
	                 "{\"op\":\"remove\",\"path\":\"/CustomFields/x_gone\"},"
	                 "{\"op\":\"add\",\"path\":\"/CustomFields/x_mine\",\"value\":\"m\"}]");
	conflict_free(&cs);
	model_free(&m);
}

static void expect_wrap(const char *s, int width, const char *want)
{
	char **lines, buf[512] = "";
	size_t n = conflict_wrap(s, width, &lines), i;
	for (i = 0; i < n; i++) {
		strcat(buf, lines[i]);
		strcat(buf, "|");
	}
	assert_string_equal(buf, want);
	conflict_lines_free(lines, n);
}

/* Wrapping by columns: at spaces, else between characters; wide characters
 * never split; newlines start a line; controls sanitised. */
static void test_wrap(void **state)
{
	(void)state;
	expect_wrap("", 10, "|");
	expect_wrap("VPN drops every 10 minutes", 10, "VPN drops|every 10|minutes|");
	expect_wrap("abcdefghijkl", 5, "abcde|fghij|kl|");
	expect_wrap("紧急紧急紧急", 5, "紧急|紧急|紧急|");
	expect_wrap("one\ntwo", 10, "one|two|");
	expect_wrap("a\x1b[31mb", 20, "a^[[31mb|");
	expect_wrap("x", 0, "x|");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_classify_and_apply),
		cmocka_unit_test(test_lost_response_already_saved),
		cmocka_unit_test(test_tags_both_added),
		cmocka_unit_test(test_custom_fields_per_key),
		cmocka_unit_test(test_wrap),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

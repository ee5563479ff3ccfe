/* test_app_merge.c — the one merge without curses (model_merge): classifying
 * every edit against theirs, open clashes that are never sent until the
 * user chooses (and keep their basis across merges), resolutions m / t / e,
 * the next patch's tests guarding THEIR values, CustomFields per key, tags
 * merged, and wrapping untrusted text by columns. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticketed/text.h"
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

/* The report's class for PATH. */
static merge3_class cls_of(const model_merge_report *rep, const char *path)
{
	for (size_t i = 0; i < rep->n; i++)
		if (!strcmp(rep->v[i].path, path))
			return rep->v[i].cls;
	fail_msg("no item %s", path);
	return M3_THEIRS;
}

/* Mine vs theirs per field: rebase, already there, conflict; a field I did
 * not touch simply takes theirs; an open clash is never in the patch. */
static void test_classify_and_apply(void **state)
{
	model m;
	model_merge_report rep;
	cJSON *t = theirs_with("{\"Title\":\"theirs\",\"Author\":\"same\",\"AlertLevel\":5}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");         /* conflict */
	set(&m, "Author", "\"same\"");        /* already there */
	set(&m, "OwnedBy", "{\"AssociateId\":5}"); /* rebase */
	assert_int_equal(model_merge(&m, t, &rep), 1);
	assert_int_equal(rep.n, 3);
	assert_int_equal(rep.nconflicts, 1);
	assert_int_equal(cls_of(&rep, "Title"), M3_CONFLICT);
	assert_int_equal(cls_of(&rep, "Author"), M3_ALREADY);
	assert_int_equal(cls_of(&rep, "OwnedBy"), M3_REBASE);
	assert_int_equal(model_nclashes(&m), 1);
	assert_int_equal(model_clash_find(&m, "title"), 0);
	assert_int_equal(model_clash_find(&m, "Author"), -1);  /* not a conflict */
	assert_string_equal(m.clashes[0].basis->valuestring, "base");
	/* an open clash keeps mine in the form; the untouched AlertLevel is theirs */
	assert_string_equal(model_value(&m, schema_find("Title"))->valuestring, "mine");
	assert_int_equal(model_value(&m, schema_find("AlertLevel"))->valueint, 5);
	assert_false(model_is_modified(&m, schema_find("Author")));
	assert_int_equal(model_modified(&m), 2);
	/* ... but nothing is sent over theirs until the user chooses */
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":12},"
	                 "{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5}]");
	/* m: mine, now guarded by theirs */
	model_resolve(&m, 0, RESOLVE_MINE, NULL);
	assert_int_equal(model_nclashes(&m), 0);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"theirs\"},"
	                 "{\"op\":\"test\",\"path\":\"/OwnedBy/AssociateId\",\"value\":12},"
	                 "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"mine\"},"
	                 "{\"op\":\"replace\",\"path\":\"/OwnedBy/AssociateId\",\"value\":5}]");
	assert_null(model_undo(&m));  /* a choice is not undone by u */
	model_merge_report_free(&rep);
	model_free(&m);
}

/* t takes theirs (no op), e sets the user's merged value. */
static void test_resolve_theirs_and_edited(void **state)
{
	model m;
	(void)state;
	for (int r = 0; r < 2; r++) {
		model_init(&m, tu_parse(BASE));
		set(&m, "Title", "\"mine\"");
		assert_int_equal(model_merge(&m, theirs_with("{\"Title\":\"theirs\"}"), NULL), 1);
		if (r == 0) {
			model_resolve(&m, 0, RESOLVE_THEIRS, NULL);
			assert_string_equal(model_value(&m, schema_find("Title"))->valuestring, "theirs");
			expect_patch(&m, "[]");
		} else {
			model_resolve(&m, 0, RESOLVE_EDITED, cJSON_CreateString("merged"));
			expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"theirs\"},"
			                 "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"merged\"}]");
		}
		assert_int_equal(model_nclashes(&m), 0);
		model_free(&m);
	}
}

/* An open clash keeps its basis across further merges: a reload that
 * brings theirs again (or a newer theirs) never turns it into a rebase
 * that would send mine over theirs (the Esc-then-s and R holes). */
static void test_clash_survives_merges(void **state)
{
	model m;
	model_merge_report rep;
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");
	assert_int_equal(model_merge(&m, theirs_with("{\"Title\":\"theirs\"}"), NULL), 1);
	/* the same server copy again (R, or the re-read after a refused save) */
	assert_int_equal(model_merge(&m, theirs_with("{\"Title\":\"theirs\"}"), &rep), 1);
	assert_int_equal(cls_of(&rep, "Title"), M3_CONFLICT);
	assert_string_equal(m.clashes[0].basis->valuestring, "base");
	expect_patch(&m, "[]");
	model_merge_report_free(&rep);
	/* the user edits the field on the form: still open, still not sent */
	set(&m, "Title", "\"mine2\"");
	assert_int_equal(model_nclashes(&m), 1);
	expect_patch(&m, "[]");
	/* reverting it on the form does not close it either */
	model_revert(&m, schema_find("Title"));
	assert_int_equal(model_nclashes(&m), 1);
	assert_int_equal(model_modified(&m), 1);
	/* theirs went back to the base the edit was made on: mine rebases */
	set(&m, "Title", "\"mine\"");
	assert_int_equal(model_merge(&m, tu_parse(BASE), &rep), 0);
	assert_int_equal(cls_of(&rep, "Title"), M3_REBASE);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"base\"},"
	                 "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"mine\"}]");
	model_merge_report_free(&rep);
	model_free(&m);
}

/* An open clash set back on the form to the value its edit was made
 * against (the original typed again, or a key the user had added removed
 * again) is still the user's to decide: a merge that brings theirs again
 * keeps it open with mine, and never takes theirs in its place. */
static void test_clash_back_at_basis(void **state)
{
	model m;
	model_merge_report rep;
	const field_def *cf = schema_find("CustomFields");
	const char *with_new = "{\"CustomFields\":{\"x_site\":\"Bergen\",\"x_n\":14,\"x_gone\":true,"
	                       "\"x_new\":\"theirs\"}}";
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");
	assert_int_equal(model_merge(&m, theirs_with("{\"Title\":\"theirs\"}"), NULL), 1);
	set(&m, "Title", "\"base\"");
	assert_int_equal(model_merge(&m, theirs_with("{\"Title\":\"theirs\"}"), &rep), 1);
	assert_int_equal(cls_of(&rep, "Title"), M3_CONFLICT);
	assert_string_equal(model_value(&m, schema_find("Title"))->valuestring, "base");
	expect_patch(&m, "[]");
	model_merge_report_free(&rep);
	model_resolve(&m, 0, RESOLVE_MINE, NULL);  /* m: base over theirs, guarded by theirs */
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"theirs\"},"
	                 "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"base\"}]");
	model_free(&m);

	model_init(&m, tu_parse(BASE));
	model_map_set(&m, cf, "x_new", cJSON_CreateString("mine"));
	assert_int_equal(model_merge(&m, theirs_with(with_new), NULL), 1);
	model_map_set(&m, cf, "x_new", NULL);
	assert_int_equal(model_merge(&m, theirs_with(with_new), &rep), 1);
	assert_int_equal(cls_of(&rep, "CustomFields/x_new"), M3_CONFLICT);
	assert_null(model_map_value(&m, cf, "x_new"));
	expect_patch(&m, "[]");
	model_merge_report_free(&rep);
	model_resolve(&m, 0, RESOLVE_MINE, NULL);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/CustomFields/x_new\",\"value\":\"theirs\"},"
	                 "{\"op\":\"remove\",\"path\":\"/CustomFields/x_new\"}]");
	model_free(&m);
	/* theirs back at the basis too: what the user has is on the server, closed */
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");
	assert_int_equal(model_merge(&m, theirs_with("{\"Title\":\"theirs\"}"), NULL), 1);
	set(&m, "Title", "\"base\"");
	assert_int_equal(model_merge(&m, tu_parse(BASE), NULL), 0);
	assert_string_equal(model_value(&m, schema_find("Title"))->valuestring, "base");
	assert_int_equal(model_modified(&m), 0);
	model_free(&m);
}

/* A lost response: every edit is already on the server, nothing is left. */
static void test_lost_response_already_saved(void **state)
{
	model m;
	model_merge_report rep;
	cJSON *t = theirs_with("{\"Title\":\"mine\",\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},"
	                       "{\"Id\":4,\"Name\":\"Network\"},{\"Id\":7,\"Name\":\"Security\"}]}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Title", "\"mine\"");
	set(&m, "Tags", "[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"},{\"Id\":7}]");
	assert_int_equal(model_merge(&m, t, &rep), 0);
	assert_int_equal(cls_of(&rep, "Title"), M3_ALREADY);
	assert_int_equal(cls_of(&rep, "Tags"), M3_ALREADY);  /* the same set: tag 7 is tag 7, named or not */
	assert_int_equal(model_modified(&m), 0);
	expect_patch(&m, "[]");
	model_merge_report_free(&rep);
	model_free(&m);
}

/* Tags added on both sides: both kept, the patch adds only mine. */
static void test_tags_both_added(void **state)
{
	model m;
	cJSON *t = theirs_with("{\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"},"
	                       "{\"Id\":8,\"Name\":\"Onboarding\"}]}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	set(&m, "Tags", "[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Network\"},{\"Id\":7}]");
	assert_int_equal(model_merge(&m, t, NULL), 0);
	expect_patch(&m, "[{\"op\":\"add\",\"path\":\"/Tags/-\",\"value\":{\"Id\":7}}]");
	model_free(&m);
	/* a tag I removed that they renamed: a tag is its Id (the name comes
	 * from the tags list), so my removal stands, guarded by the Id */
	model_init(&m, tu_parse(BASE));
	t = theirs_with("{\"Tags\":[{\"Id\":1,\"Name\":\"VPN\"},{\"Id\":4,\"Name\":\"Net\"}]}");
	set(&m, "Tags", "[{\"Id\":1,\"Name\":\"VPN\"}]");
	assert_int_equal(model_merge(&m, t, NULL), 0);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/Tags/1/Id\",\"value\":4},{\"op\":\"remove\",\"path\":\"/Tags/1\"}]");
	model_free(&m);
	/* the seed-165626 sequence: I take tag 1 off and put it back (last,
	 * unnamed); they remove tag 1. My set is the base's: theirs, no conflict */
	model_init(&m, tu_parse(BASE));
	t = theirs_with("{\"Tags\":[{\"Id\":4,\"Name\":\"Network\"}]}");
	set(&m, "Tags", "[{\"Id\":4,\"Name\":\"Network\"},{\"Id\":1}]");
	assert_int_equal(model_merge(&m, t, NULL), 0);
	assert_int_equal(model_modified(&m), 0);
	expect_patch(&m, "[]");
	model_free(&m);
}

/* CustomFields: one item per key, each classified on its own; keys are
 * compared exactly (x_Site is another key than x_site). */
static void test_custom_fields_per_key(void **state)
{
	model m;
	model_merge_report rep;
	const field_def *cf = schema_find("CustomFields");
	cJSON *t = theirs_with("{\"CustomFields\":{\"x_site\":\"Oslo\",\"x_n\":15,\"x_gone\":true,\"x_new\":1}}");
	(void)state;
	model_init(&m, tu_parse(BASE));
	model_map_set(&m, cf, "x_site", cJSON_CreateString("Stavanger")); /* conflict */
	model_map_set(&m, cf, "x_gone", NULL);                            /* rebase (removed) */
	model_map_set(&m, cf, "x_mine", cJSON_CreateString("m"));         /* rebase (added) */
	assert_int_equal(model_merge(&m, t, &rep), 1);
	assert_int_equal(rep.n, 3);
	assert_int_equal(cls_of(&rep, "CustomFields/x_site"), M3_CONFLICT);
	assert_int_equal(cls_of(&rep, "CustomFields/x_gone"), M3_REBASE);
	assert_int_equal(cls_of(&rep, "CustomFields/x_mine"), M3_REBASE);
	assert_string_equal(m.clashes[0].label, "Custom fields/x_site");
	assert_int_equal(model_clash_find(&m, "customfields/X_SITE"), 0);
	/* their x_n and x_new stay; mine applied key by key; the clash key is not sent */
	assert_int_equal(model_map_value(&m, cf, "x_n")->valueint, 15);
	assert_non_null(model_map_value(&m, cf, "x_new"));
	assert_null(model_map_value(&m, cf, "x_gone"));
	assert_string_equal(model_map_value(&m, cf, "x_site")->valuestring, "Stavanger");
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/CustomFields/x_gone\",\"value\":true},"
	                 "{\"op\":\"remove\",\"path\":\"/CustomFields/x_gone\"},"
	                 "{\"op\":\"add\",\"path\":\"/CustomFields/x_mine\",\"value\":\"m\"}]");
	model_resolve(&m, 0, RESOLVE_THEIRS, NULL);
	assert_string_equal(model_map_value(&m, cf, "x_site")->valuestring, "Oslo");
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/CustomFields/x_gone\",\"value\":true},"
	                 "{\"op\":\"remove\",\"path\":\"/CustomFields/x_gone\"},"
	                 "{\"op\":\"add\",\"path\":\"/CustomFields/x_mine\",\"value\":\"m\"}]");
	model_merge_report_free(&rep);
	model_free(&m);
	/* exact keys: their x_Site is not my x_site */
	model_init(&m, tu_parse(BASE));
	model_map_set(&m, cf, "x_site", cJSON_CreateString("Mine"));
	assert_int_equal(model_merge(&m, theirs_with("{\"CustomFields\":{\"x_Site\":\"T\",\"x_site\":\"Bergen\"}}"),
	                             NULL), 0);
	expect_patch(&m, "[{\"op\":\"test\",\"path\":\"/CustomFields/x_site\",\"value\":\"Bergen\"},"
	                 "{\"op\":\"replace\",\"path\":\"/CustomFields/x_site\",\"value\":\"Mine\"}]");
	model_free(&m);
}

static void expect_wrap(const char *s, int width, const char *want)
{
	char **lines, buf[512] = "";
	size_t n = text_wrap(s, width, &lines), i;
	for (i = 0; i < n; i++) {
		strcat(buf, lines[i]);
		strcat(buf, "|");
	}
	assert_string_equal(buf, want);
	text_lines_free(lines, n);
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
		cmocka_unit_test(test_resolve_theirs_and_edited),
		cmocka_unit_test(test_clash_survives_merges),
		cmocka_unit_test(test_clash_back_at_basis),
		cmocka_unit_test(test_lost_response_already_saved),
		cmocka_unit_test(test_tags_both_added),
		cmocka_unit_test(test_custom_fields_per_key),
		cmocka_unit_test(test_wrap),
	};
	setlocale(LC_ALL, "C.UTF-8");
	return cmocka_run_group_tests(tests, NULL, NULL);
}

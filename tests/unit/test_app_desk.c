/* test_app_desk.c — the conversation's state (desk.h): a note's MessageId
 * is unique and sent with it; its draft form round-trips and malformed
 * drafts are refused without changing the pending note; a reply's header
 * lines are read (recipients checked, normalised) with errors naming their
 * line; the body of the POST drops the headers and the trailing blank
 * lines; a message list answer finds the note by MessageId; bodies are
 * kept by id (HTML when given, else plain). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "testutil.h"
#include "ticketed/desk.h"

static void test_note_lifecycle(void **state)
{
	(void)state;
	desk *d = desk_new();
	assert_null(desk_note_get(d));
	desk_note *n = desk_note_start(d, false, 900, "first");
	assert_non_null(n);
	assert_null(desk_note_start(d, true, 900, NULL));  /* one at a time */
	assert_non_null(strstr(n->message_id, "<ticketed.900."));
	char first[96];
	strcpy(first, n->message_id);
	desk_note_set_text(d, "first, edited\n\n");
	n->status_id = 6;
	n->status_name = strdup("Waiting for customer");
	n->unsure = true;
	cJSON *j = desk_note_json(d);
	tu_json_is(json_get(j, "field"), "\"note\"");
	desk_note_drop(d);
	assert_null(desk_note_get(d));
	assert_null(desk_note_json(d));
	/* a second note has its own MessageId */
	n = desk_note_start(d, false, 900, NULL);
	assert_string_not_equal(n->message_id, first);
	desk_note_drop(d);
	/* back from the draft, as it was */
	char err[200];
	assert_int_equal(desk_note_restore(d, j, err, sizeof err), 0);
	n = desk_note_get(d);
	assert_string_equal(n->text, "first, edited\n\n");
	assert_string_equal(n->message_id, first);
	assert_int_equal(n->status_id, 6);
	assert_string_equal(n->status_name, "Waiting for customer");
	assert_true(n->unsure);
	assert_false(n->reply);
	cJSON *body = desk_note_body(n, 900);
	char *bt = json_print(body, false), want[300];
	snprintf(want, sizeof want, "{\"Ticket\":{\"TicketId\":900},\"Slevel\":\"Internal\",\"Type\":\"Plain\","
	         "\"Body\":\"first, edited\",\"MessageId\":\"%s\"}", first);
	assert_string_equal(bt, want);  /* trailing blank lines dropped, the MessageId sent */
	free(bt);
	cJSON_Delete(body);
	cJSON_Delete(j);
	desk_free(d);
}

static void test_restore_refuses_malformed(void **state)
{
	(void)state;
	static const char *const bad[] = {
		"{\"field\":\"note\",\"value\":{\"kind\":\"memo\",\"text\":\"x\",\"message_id\":\"<m>\"}}",
		"{\"field\":\"note\",\"value\":{\"kind\":\"note\",\"text\":5,\"message_id\":\"<m>\"}}",
		"{\"field\":\"note\",\"value\":{\"kind\":\"note\",\"text\":\"x\"}}",
		"{\"field\":\"note\",\"value\":{\"kind\":\"note\",\"text\":\"x\",\"message_id\":\"<m>\",\"status_id\":\"6\"}}",
		"{\"field\":\"note\",\"value\":{\"kind\":\"note\",\"text\":\"x\",\"message_id\":\"<m>\",\"unsure\":1}}",
	};
	desk *d = desk_new();
	desk_note_start(d, false, 900, "kept");
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char err[200] = "";
		cJSON *j = tu_parse(bad[i]);
		assert_int_equal(desk_note_restore(d, j, err, sizeof err), -1);
		assert_non_null(strstr(err, "the draft's note"));
		assert_string_equal(desk_note_get(d)->text, "kept");
		cJSON_Delete(j);
	}
	desk_free(d);
}

static void test_reply_headers(void **state)
{
	(void)state;
	desk_reply r;
	char err[200];
	assert_int_equal(desk_reply_parse("To: a@b.no, +47 123 45 678\nCc: c@d.se;e@f.fi\nSubject: Re: VPN\n\nHi,\n\nbye\n",
	                                  &r, err, sizeof err), 0);
	assert_string_equal(r.to, "a@b.no, +47 123 45 678");
	assert_string_equal(r.cc, "c@d.se, e@f.fi");
	assert_string_equal(r.subject, "Re: VPN");
	assert_string_equal(r.body, "Hi,\n\nbye\n");
	desk_reply_free(&r);
	assert_int_equal(desk_reply_parse("to:  x@y.z \r\n\r\ntext", &r, err, sizeof err), 0);
	assert_string_equal(r.to, "x@y.z");
	assert_string_equal(r.cc, "");
	assert_string_equal(r.subject, "");
	desk_reply_free(&r);
	static const struct { const char *text, *err; } bad[] = {
		{ "Cc: a@b.c\n\ntext", "line 1: To: names nobody" },
		{ "To: \n\ntext", "line 1: To: names nobody" },
		{ "To: a@b.c\nBcc: x@y.z\n\ntext", "line 2: \"Bcc\" is not a header a reply has" },
		{ "To: a@b.c\nhello there\n\ntext", "line 2: a header line" },
		{ "To: a@b.c, not an address\n\ntext", "line 1: \"not an address\" is neither an e-mail address" },
		{ "To: a@@b.c\n\ntext", "line 1: \"a@@b.c\" is neither" },
		{ "To: a@b.c\nTo: d@e.f\n\ntext", "line 2: To is given twice" },
		{ "To: a@b.c\n\n  \n\n", "the reply has no text" },
		{ "To: a@b.c\nSubject: x", "the reply has no text" },
	};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err[0] = '\0';
		assert_int_equal(desk_reply_parse(bad[i].text, &r, err, sizeof err), -1);
		if (!strstr(err, bad[i].err))
			fail_msg("%s: error \"%s\", wanted \"%s\"", bad[i].text, err, bad[i].err);
	}
	char *t = desk_reply_template("ingrid@nordlys.no", "VPN drops");
	assert_string_equal(t, "To: ingrid@nordlys.no\nCc: \nSubject: Re: VPN drops\n\n");
	free(t);
	t = desk_reply_template("x@y.z", "RE: already a reply");
	assert_string_equal(t, "To: x@y.z\nCc: \nSubject: RE: already a reply\n\n");
	free(t);
	/* the POST of a reply carries the text without its headers */
	desk *d = desk_new();
	desk_note *n = desk_note_start(d, true, 900, "To: x@y.z\nSubject: s\n\nThe text.\n\n\n");
	cJSON *b = desk_note_body(n, 900);
	tu_json_is(json_get(b, "Slevel"), "\"External\"");
	tu_json_is(json_get(b, "Body"), "\"The text.\"");
	cJSON_Delete(b);
	desk_free(d);
}

static void test_find_posted(void **state)
{
	(void)state;
	cJSON *ans = tu_parse("{\"odata.metadata\":\"m\",\"value\":["
	                      "{\"PrimaryKey\":961001,\"ticketMessageId\":961001,\"messageId\":\"<other@x>\"},"
	                      "{\"PrimaryKey\":961000,\"ticketMessageId\":961000,\"messageId\":\"<mine@x>\"},"
	                      "{\"PrimaryKey\":9004,\"ticketMessageId\":9004,\"messageId\":\"\"}]}");
	assert_int_equal(desk_find_posted(ans, "<mine@x>"), 961000);
	assert_int_equal(desk_find_posted(ans, "<gone@x>"), 0);
	assert_int_equal(desk_find_posted(ans, "<MINE@x>"), 0);  /* exact */
	cJSON_Delete(ans);
	ans = tu_parse("{\"Error\":true,\"ErrorMessage\":\"x\"}");
	assert_int_equal(desk_find_posted(ans, "<mine@x>"), -1);
	cJSON_Delete(ans);
	assert_int_equal(desk_find_posted(NULL, "<mine@x>"), -1);
}

static void test_bodies(void **state)
{
	(void)state;
	desk *d = desk_new();
	cJSON *e = tu_parse("{\"EjMessageId\":9002,\"Type\":\"Html\",\"Body\":\"plain\",\"HtmlBody\":\"<p>html</p>\","
	                    "\"Author\":\"J\",\"CreatedAt\":\"2026-11-20T10:02:17\",\"Slevel\":\"External\",\"Important\":true}");
	const desk_body *b = desk_body_put(d, e);
	assert_non_null(b);
	assert_true(b->html);
	assert_string_equal(b->text, "<p>html</p>");
	assert_true(b->important);
	assert_ptr_equal(desk_body_get(d, 9002), b);
	assert_null(desk_body_get(d, 9003));
	cJSON_Delete(e);
	e = tu_parse("{\"EjMessageId\":9003,\"Type\":\"Plain\",\"Body\":\"a note\",\"HtmlBody\":\"\"}");
	b = desk_body_put(d, e);
	assert_false(b->html);
	assert_string_equal(b->text, "a note");
	cJSON_Delete(e);
	e = tu_parse("{\"EjMessageId\":9004,\"Type\":\"Plain\",\"Body\":\"\",\"HtmlBody\":\"<b>only html</b>\"}");
	assert_true(desk_body_put(d, e)->html);
	cJSON_Delete(e);
	e = tu_parse("{\"Error\":true}");
	assert_null(desk_body_put(d, e));
	cJSON_Delete(e);
	desk_notice_set(d, "posted");
	assert_string_equal(desk_notice_take(d), "posted");
	assert_null(desk_notice_take(d));
	desk_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_note_lifecycle),
		cmocka_unit_test(test_restore_refuses_malformed),
		cmocka_unit_test(test_reply_headers),
		cmocka_unit_test(test_find_posted),
		cmocka_unit_test(test_bodies),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

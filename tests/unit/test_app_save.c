/* test_app_save.c — the save state machine (save.h) walked through every
 * state and every answer the service can give, against a simulated server
 * (a document the patches are really applied to with patch_apply). After
 * every step the invariants hold:
 *   I1 nothing the user did not choose replaces a value the server changed:
 *      every PATCH's test ops hold the server's current values of the fields
 *      it changes, and no open clash is in it;
 *   I2 an edit is sent again only after a re-read showed it is not on the
 *      server (no PATCH while the last save's outcome is unknown);
 *   I3 every edit is on the server or in the model at every step. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/model.h"
#include "ticketed/patch.h"
#include "ticketed/save.h"
#include "testutil.h"

#define BASE "{\"TicketId\":900,\"Title\":\"base\",\"Author\":\"a\",\"AlertLevel\":2," \
	"\"TableRight\":{\"Mask\":\"FULL\"}}"

/* The answers a request can get. */
typedef enum {
	A_200, A_400, A_401, A_403, A_404, A_409, A_412, A_429, A_500, A_HTML, A_GARBAGE,
	A_REFUSED,        /* connection refused: never sent */
	A_DROP_APPLIED,   /* the server applied it, the connection dropped */
	A_DROP_NOT,       /* the connection dropped after sending, not applied */
	A_TIMEOUT,        /* no answer in time (not applied) */
	A_COUNT
} answer;

static const char *const answer_names[A_COUNT] = {
	"200", "400", "401", "403", "404", "409", "412", "429", "500", "HTML error", "garbage body",
	"connection refused", "drop after apply", "drop before apply", "timeout",
};

typedef struct {
	cJSON *server;       /* the service's copy */
	model m;
	save_machine s;
	bool unknown;        /* a PATCH's outcome is unknown and no re-read came since */
	save_send pending;   /* the request in flight */
	cJSON *sent;         /* the PATCH in flight */
	char wants[2][64];   /* the user's two edits: Title, Author */
} sim;

static void sim_init(sim *x)
{
	memset(x, 0, sizeof *x);
	x->server = tu_parse(BASE);
	model_init(&x->m, tu_parse(BASE));
	save_init(&x->s, DIFF_FIELDS, false, false);
	model_set(&x->m, schema_find("Title"), cJSON_CreateString("mine"));
	model_set(&x->m, schema_find("Author"), cJSON_CreateString("me"));
	snprintf(x->wants[0], sizeof x->wants[0], "mine");
	snprintf(x->wants[1], sizeof x->wants[1], "me");
}

static void sim_free(sim *x)
{
	cJSON_Delete(x->server);
	cJSON_Delete(x->sent);
	model_free(&x->m);
	save_free(&x->s);
}

static const char *str(const cJSON *o, const char *k)
{
	const cJSON *v = json_get_ci(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* I1: every op's path that is replaced is tested with the server's value
 * at the time the machine decided to send (the model's base), and no open
 * clash is in the patch. */
static void check_patch(sim *x, const cJSON *patch)
{
	const cJSON *op;
	cJSON_ArrayForEach(op, patch) {
		const char *kind = str(op, "op"), *path = str(op, "path");
		if (strcmp(kind, "replace") && strcmp(kind, "remove"))
			continue;
		bool tested = false;
		const cJSON *t;
		cJSON_ArrayForEach(t, patch)
			if (!strcmp(str(t, "op"), "test") && !strcmp(str(t, "path"), path)) {
				const cJSON *base = jptr_get(x->m.base, path, 0);
				if (!json_equal(json_get(t, "value"), base))
					fail_msg("I1: test of %s does not hold the base value", path);
				tested = true;
			}
		if (!tested)
			fail_msg("I1: %s %s is not guarded by a test", kind, path);
		if (model_clash_find(&x->m, path + 1) >= 0)
			fail_msg("I1: %s of an open clash was sent", path);
	}
}

/* Carry out OUT as the loop would. */
static void carry(sim *x, save_out *o)
{
	if (o->send == SEND_PATCH) {
		if (x->unknown)
			fail_msg("I2: a PATCH was sent while the last one's outcome is unknown");
		if (model_nclashes(&x->m))
			fail_msg("I1: a PATCH was sent while a conflict is open");
		check_patch(x, o->patch);
		cJSON_Delete(x->sent);
		x->sent = cJSON_Duplicate(o->patch, 1);
		x->pending = SEND_PATCH;
	} else if (o->send == SEND_GET) {
		x->pending = SEND_GET;
	} else if (o->send == SEND_CANCEL) {
		if (x->pending == SEND_PATCH)
			x->unknown = true;  /* it may still land */
		x->pending = SEND_NOTHING;
	}
	save_out_free(o);
}

/* I3: each wanted value is on the server or in the model. */
static void check_kept(sim *x)
{
	static const char *const fields[2] = { "Title", "Author" };
	for (int i = 0; i < 2; i++) {
		const cJSON *v = model_value(&x->m, schema_find(fields[i]));
		if (!strcmp(str(x->server, fields[i]), x->wants[i]))
			continue;
		if (cJSON_IsString(v) && !strcmp(v->valuestring, x->wants[i]))
			continue;
		fail_msg("I3: the edit %s=%s is neither on the server nor in the model", fields[i], x->wants[i]);
	}
}

/* The answer A to the request in flight. */
static void answer_it(sim *x, answer a)
{
	save_reply r = { 0, false, false, NULL, answer_names[a] };
	save_out o;
	bool patch = x->pending == SEND_PATCH;
	bool applies = patch && (a == A_200 || a == A_GARBAGE || a == A_DROP_APPLIED);
	assert_true(x->pending == SEND_PATCH || x->pending == SEND_GET);
	if (applies) {
		patch_error pe;
		if (patch_apply(&x->server, x->sent, PATCH_SERVICE, &pe) != PATCH_OK) {
			if (pe.status != PATCH_ETEST)
				fail_msg("the PATCH does not apply: %s", pe.msg);
			a = A_409;  /* the server refuses what does not test */
			applies = false;
		}
	}
	switch (a) {
	case A_200:
		r.http_status = 200;
		r.sent = true;
		r.ticket = true;
		r.json = cJSON_Duplicate(x->server, 1);
		break;
	case A_GARBAGE: r.http_status = 200; r.sent = true; break;
	case A_REFUSED: break;
	case A_DROP_APPLIED: case A_DROP_NOT: case A_TIMEOUT: r.sent = true; break;
	case A_HTML: r.http_status = 500; r.sent = true; break;
	default:
		r.http_status = atol(answer_names[a]);
		r.sent = true;
	}
	x->pending = SEND_NOTHING;
	if (patch && (a == A_500 || a == A_HTML || a == A_GARBAGE || a == A_DROP_APPLIED || a == A_DROP_NOT ||
	              a == A_TIMEOUT))
		x->unknown = true;
	if (!patch && r.ticket)
		x->unknown = false;  /* a re-read shows what is there */
	if (patch && r.ticket)
		x->unknown = false;
	save_answer(&x->s, &x->m, &r, &o);
	cJSON_Delete(r.json);
	carry(x, &o);
	check_kept(x);
}

static void event(sim *x, save_event ev)
{
	save_out o;
	save_event_do(&x->s, &x->m, ev, false, &o);
	carry(x, &o);
	check_kept(x);
}

/* A colleague changes FIELD on the server. */
static void colleague(sim *x, const char *field, const char *value)
{
	cJSON_ReplaceItemInObjectCaseSensitive(x->server, field, cJSON_CreateString(value));
}

/* Drive X into state ST (answers that keep every outcome known). */
static void reach(sim *x, save_state st)
{
	switch (st) {
	case SV_IDLE: break;
	case SV_SAVING: event(x, SE_SAVE); break;
	case SV_REREADING:
		event(x, SE_SAVE);
		colleague(x, "AlertLevel", "changed");  /* another field: a 409 only if tests fail */
		colleague(x, "Title", "theirs");
		answer_it(x, A_200);                    /* the PATCH meets their Title: 409, re-read */
		break;
	case SV_RELOADING: event(x, SE_RELOAD); break;
	case SV_CONFLICT:
		colleague(x, "Title", "theirs");
		event(x, SE_RELOAD);
		answer_it(x, A_200);
		break;
	case SV_UNCERTAIN:
		event(x, SE_SAVE);
		answer_it(x, A_TIMEOUT);   /* re-read */
		answer_it(x, A_TIMEOUT);   /* the re-read fails too */
		break;
	default: break;
	}
	if (x->s.st != st)
		fail_msg("could not reach %s (at %s)", save_states[st].name, save_states[x->s.st].name);
}

/* What each state does with each answer (or, without a request, each
 * event), and that the invariants hold afterwards and until the edits are
 * saved or the run gives up. */
static void test_every_state_every_answer(void **state)
{
	int walked = 0;
	(void)state;
	for (int st = 0; st < SV_COUNT; st++) {
		for (int a = 0; a < A_COUNT; a++) {
			sim x;
			sim_init(&x);
			reach(&x, (save_state)st);
			if (save_busy(&x.s))
				answer_it(&x, (answer)a);
			else
				event(&x, a % 3 == 0 ? SE_SAVE : a % 3 == 1 ? SE_RELOAD : SE_CANCEL);
			/* then the service behaves: decide clashes for mine, save until done */
			for (int step = 0; step < 12 && (model_modified(&x.m) || save_busy(&x.s)); step++) {
				if (save_busy(&x.s)) {
					answer_it(&x, A_200);
					continue;
				}
				while (model_nclashes(&x.m)) {
					model_resolve(&x.m, 0, RESOLVE_MINE, NULL);
					event(&x, SE_RESOLVED);
				}
				event(&x, SE_SAVE);
			}
			if (model_modified(&x.m) || save_busy(&x.s))
				fail_msg("%s + %s: the edits never reached the server", save_states[st].name,
				         answer_names[a]);
			assert_string_equal(str(x.server, "Title"), "mine");
			assert_string_equal(str(x.server, "Author"), "me");
			sim_free(&x);
			walked++;
		}
	}
	assert_int_equal(walked, SV_COUNT * A_COUNT);
}

/* The exact transitions that matter most. */
static void test_transitions(void **state)
{
	sim x;
	save_out o;
	(void)state;
	/* 409: re-read, a clash opens the conflict screen; s sends nothing */
	sim_init(&x);
	event(&x, SE_SAVE);
	assert_int_equal(x.s.st, SV_SAVING);
	colleague(&x, "Title", "theirs");
	answer_it(&x, A_200);
	assert_int_equal(x.s.st, SV_REREADING);
	answer_it(&x, A_200);
	assert_int_equal(x.s.st, SV_CONFLICT);
	save_event_do(&x.s, &x.m, SE_SAVE, false, &o);
	assert_int_equal(o.send, SEND_NOTHING);
	assert_true(o.show_conflicts);
	save_out_free(&o);
	/* a reload keeps it open; resolving it sends mine guarded by theirs */
	event(&x, SE_RELOAD);
	answer_it(&x, A_200);
	assert_int_equal(x.s.st, SV_CONFLICT);
	model_resolve(&x.m, 0, RESOLVE_MINE, NULL);
	event(&x, SE_RESOLVED);
	assert_int_equal(x.s.st, SV_IDLE);
	event(&x, SE_SAVE);
	{
		char *t = cJSON_PrintUnformatted(x.sent);
		assert_non_null(strstr(t, "\"value\":\"theirs\""));
		free(t);
	}
	answer_it(&x, A_200);
	assert_string_equal(str(x.server, "Title"), "mine");
	sim_free(&x);

	/* a 500: re-read; not applied: stop and say so, nothing resent unasked */
	sim_init(&x);
	event(&x, SE_SAVE);
	answer_it(&x, A_500);
	assert_int_equal(x.s.st, SV_REREADING);
	answer_it(&x, A_200);
	assert_int_equal(x.s.st, SV_IDLE);
	assert_int_equal(x.pending, SEND_NOTHING);
	sim_free(&x);

	/* lost after apply: re-read finds it there, nothing sent twice */
	sim_init(&x);
	event(&x, SE_SAVE);
	answer_it(&x, A_DROP_APPLIED);
	answer_it(&x, A_200);
	assert_int_equal(x.s.st, SV_IDLE);
	assert_int_equal(model_modified(&x.m), 0);
	assert_int_equal(x.pending, SEND_NOTHING);
	sim_free(&x);

	/* a cancelled save: the next s looks first */
	sim_init(&x);
	event(&x, SE_SAVE);
	event(&x, SE_CANCEL);
	assert_int_equal(x.s.st, SV_UNCERTAIN);
	event(&x, SE_SAVE);
	assert_int_equal(x.pending, SEND_GET);
	sim_free(&x);

	/* definite refusals: nothing applied, back to idle, edits kept */
	for (answer a = A_400; a <= A_429; a++) {
		if (a == A_409 || a == A_412)
			continue;
		sim_init(&x);
		event(&x, SE_SAVE);
		answer_it(&x, a);
		assert_int_equal(x.s.st, SV_IDLE);
		assert_int_equal(model_modified(&x.m), 2);
		sim_free(&x);
	}
}

/* Every state says whether edits are allowed and what the footer shows. */
static void test_state_table(void **state)
{
	(void)state;
	for (int st = 0; st < SV_COUNT; st++) {
		assert_non_null(save_states[st].name);
		assert_non_null(save_states[st].hint);
		assert_true(save_states[st].events != 0);
	}
	assert_false(save_states[SV_SAVING].edits);
	assert_true(save_states[SV_CONFLICT].edits);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_every_state_every_answer),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_state_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_app_save.c — the save state machine (save.h) walked through every
 * state and every answer the service can give (a table of what each state
 * does with each answer and key: the next state, what is sent, what the
 * form and the status line show), against a simulated server
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
	save_out last;       /* the last step's save_out (send, conflicts, status; no patch) */
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
	x->last = *o;
	x->last.patch = NULL;
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

/* Starts of the table besides the states: SV_REREADING after a lost
 * answer (the re-read decides whether the edits landed), not after a 409;
 * once when the PATCH was applied, once when it was not. */
#define REREAD_LOST ((int)SV_COUNT)
#define REREAD_NOT ((int)SV_COUNT + 1)
#define N_STARTS ((int)SV_COUNT + 2)

/* Drive X into state ST, or REREAD_LOST. */
static void reach(sim *x, int st)
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
	case REREAD_LOST:          /* re-reading after a save whose answer was lost */
		event(x, SE_SAVE);
		answer_it(x, A_DROP_APPLIED);
		st = SV_REREADING;
		break;
	case REREAD_NOT:           /* ... and the PATCH never reached the server */
		event(x, SE_SAVE);
		answer_it(x, A_DROP_NOT);
		st = SV_REREADING;
		break;
	default: break;
	}
	if ((int)x->s.st != st)
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


/* The inputs of the table: an answer to the request in flight, or one of
 * the user's events. */
enum { IN_SAVE = A_COUNT, IN_RELOAD, IN_CANCEL, IN_RESOLVED, IN_COUNT };

static const char *in_name(int in)
{
	static const char *const ev[] = { "s", "R", "Esc", "resolved" };
	return in < A_COUNT ? answer_names[in] : ev[in - A_COUNT];
}

static void input(sim *x, int in)
{
	static const save_event ev[] = { SE_SAVE, SE_RELOAD, SE_CANCEL, SE_RESOLVED };
	if (in < A_COUNT)
		answer_it(x, (answer)in);
	else
		event(x, ev[in - A_COUNT]);
}

/* What each start does with each input: the state it goes to, what it
 * asks the loop to send, whether the conflict screen opens, how many edits
 * the form still shows as modified (the user's Title stays "mine" in the
 * form throughout), and how the status line begins. The invariants are
 * checked on the way (answer_it, event). */
typedef struct {
	int start;             /* a save_state, REREAD_LOST or REREAD_NOT */
	int in;                /* an answer, or IN_* */
	save_state next;
	save_send send;
	bool conflicts;        /* the conflict screen opens */
	int modified;          /* edits the form shows as modified */
	const char *status;    /* how the status line begins */
} cell;

static const cell table[] = {
	{ SV_IDLE, IN_SAVE, SV_SAVING, SEND_PATCH, false, 2, "Saving 2 changes… (Esc cancels)" },
	{ SV_IDLE, IN_RELOAD, SV_RELOADING, SEND_GET, false, 2, "Reloading… (Esc cancels)" },
	{ SV_IDLE, IN_CANCEL, SV_IDLE, SEND_NOTHING, false, 2, "" },
	{ SV_IDLE, IN_RESOLVED, SV_IDLE, SEND_NOTHING, false, 2, "" },
	{ SV_SAVING, A_200, SV_IDLE, SEND_NOTHING, false, 0, "Saved" },
	{ SV_SAVING, A_400, SV_IDLE, SEND_NOTHING, false, 2, "Save failed: 400 (not applied; edits kept, s" },
	{ SV_SAVING, A_401, SV_IDLE, SEND_NOTHING, false, 2, "Save failed: 401 (not applied; edits kept, s" },
	{ SV_SAVING, A_403, SV_IDLE, SEND_NOTHING, false, 2, "Save failed: 403 (not applied; edits kept, s" },
	{ SV_SAVING, A_404, SV_IDLE, SEND_NOTHING, false, 2, "Save failed: 404 (not applied; edits kept, s" },
	{ SV_SAVING, A_409, SV_REREADING, SEND_GET, false, 2, "Conflict (HTTP 409): someone changed the tic" },
	{ SV_SAVING, A_412, SV_REREADING, SEND_GET, false, 2, "Conflict (HTTP 412): someone changed the tic" },
	{ SV_SAVING, A_429, SV_IDLE, SEND_NOTHING, false, 2, "Save failed: 429 (not applied; edits kept, s" },
	{ SV_SAVING, A_500, SV_REREADING, SEND_GET, false, 2, "Save: 500; re-reading the ticket to see what" },
	{ SV_SAVING, A_HTML, SV_REREADING, SEND_GET, false, 2, "Save: HTML error; re-reading the ticket to s" },
	{ SV_SAVING, A_GARBAGE, SV_REREADING, SEND_GET, false, 2, "Save: garbage body; re-reading the ticket to" },
	{ SV_SAVING, A_REFUSED, SV_IDLE, SEND_NOTHING, false, 2, "Save failed: connection refused (not sent; e" },
	{ SV_SAVING, A_DROP_APPLIED, SV_REREADING, SEND_GET, false, 2, "Save: drop after apply; re-reading the ticke" },
	{ SV_SAVING, A_DROP_NOT, SV_REREADING, SEND_GET, false, 2, "Save: drop before apply; re-reading the tick" },
	{ SV_SAVING, A_TIMEOUT, SV_REREADING, SEND_GET, false, 2, "Save: timeout; re-reading the ticket to see" },
	{ SV_SAVING, IN_SAVE, SV_SAVING, SEND_NOTHING, false, 2, "Saving… wait for the answer (Esc cancels)" },
	{ SV_SAVING, IN_RELOAD, SV_SAVING, SEND_NOTHING, false, 2, "Saving… wait for the answer (Esc cancels)" },
	{ SV_SAVING, IN_CANCEL, SV_UNCERTAIN, SEND_CANCEL, false, 2, "Save cancelled; the server may still apply i" },
	{ SV_SAVING, IN_RESOLVED, SV_SAVING, SEND_NOTHING, false, 2, "Saving… wait for the answer (Esc cancels)" },
	{ SV_REREADING, A_200, SV_CONFLICT, SEND_NOTHING, true, 2, "1 conflict open: m mine, t theirs, e edit; n" },
	{ SV_REREADING, A_400, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_401, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_403, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_404, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_409, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_412, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_429, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_500, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_HTML, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_GARBAGE, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_REFUSED, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_DROP_APPLIED, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_DROP_NOT, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, A_TIMEOUT, SV_IDLE, SEND_NOTHING, false, 2, "Conflict (HTTP 409): nothing saved, edits ke" },
	{ SV_REREADING, IN_SAVE, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ SV_REREADING, IN_RELOAD, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ SV_REREADING, IN_CANCEL, SV_IDLE, SEND_CANCEL, false, 2, "Re-read cancelled; nothing was saved (the ed" },
	{ SV_REREADING, IN_RESOLVED, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ SV_RELOADING, A_200, SV_IDLE, SEND_NOTHING, false, 2, "Reloaded; 2 edits kept; rebased: Title, Auth" },
	{ SV_RELOADING, A_400, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 400" },
	{ SV_RELOADING, A_401, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 401" },
	{ SV_RELOADING, A_403, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 403" },
	{ SV_RELOADING, A_404, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 404" },
	{ SV_RELOADING, A_409, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 409" },
	{ SV_RELOADING, A_412, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 412" },
	{ SV_RELOADING, A_429, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 429" },
	{ SV_RELOADING, A_500, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: 500" },
	{ SV_RELOADING, A_HTML, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: HTML error" },
	{ SV_RELOADING, A_GARBAGE, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: garbage body" },
	{ SV_RELOADING, A_REFUSED, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: connection refused" },
	{ SV_RELOADING, A_DROP_APPLIED, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: drop after apply" },
	{ SV_RELOADING, A_DROP_NOT, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: drop before apply" },
	{ SV_RELOADING, A_TIMEOUT, SV_IDLE, SEND_NOTHING, false, 2, "Reload failed: timeout" },
	{ SV_RELOADING, IN_SAVE, SV_RELOADING, SEND_NOTHING, false, 2, "Reloading… wait for the answer (Esc cancel" },
	{ SV_RELOADING, IN_RELOAD, SV_RELOADING, SEND_NOTHING, false, 2, "Reloading… wait for the answer (Esc cancel" },
	{ SV_RELOADING, IN_CANCEL, SV_IDLE, SEND_CANCEL, false, 2, "Reload cancelled" },
	{ SV_RELOADING, IN_RESOLVED, SV_RELOADING, SEND_NOTHING, false, 2, "Reloading… wait for the answer (Esc cancel" },
	{ SV_CONFLICT, IN_SAVE, SV_CONFLICT, SEND_NOTHING, true, 2, "1 conflict open: m mine, t theirs, e edit; n" },
	{ SV_CONFLICT, IN_RELOAD, SV_RELOADING, SEND_GET, false, 2, "Reloading… (Esc cancels)" },
	{ SV_CONFLICT, IN_CANCEL, SV_CONFLICT, SEND_NOTHING, false, 2, "" },
	{ SV_CONFLICT, IN_RESOLVED, SV_CONFLICT, SEND_NOTHING, false, 2, "" },
	{ SV_UNCERTAIN, IN_SAVE, SV_REREADING, SEND_GET, false, 2, "Checking what the server has before saving" },
	{ SV_UNCERTAIN, IN_RELOAD, SV_RELOADING, SEND_GET, false, 2, "Reloading… (Esc cancels)" },
	{ SV_UNCERTAIN, IN_CANCEL, SV_UNCERTAIN, SEND_NOTHING, false, 2, "" },
	{ SV_UNCERTAIN, IN_RESOLVED, SV_UNCERTAIN, SEND_NOTHING, false, 2, "" },
	{ REREAD_LOST, A_200, SV_IDLE, SEND_NOTHING, false, 0, "Saved: the server already has your edits (th" },
	{ REREAD_LOST, A_400, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_401, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_403, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_404, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_409, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_412, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_429, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_500, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_HTML, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_GARBAGE, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_REFUSED, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_DROP_APPLIED, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_DROP_NOT, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, A_TIMEOUT, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_LOST, IN_SAVE, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ REREAD_LOST, IN_RELOAD, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ REREAD_LOST, IN_CANCEL, SV_UNCERTAIN, SEND_CANCEL, false, 2, "Check cancelled; whether the save landed is" },
	{ REREAD_LOST, IN_RESOLVED, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ REREAD_NOT, A_200, SV_SAVING, SEND_PATCH, false, 2, "Saving 2 changes… (Esc cancels)" },
	{ REREAD_NOT, A_400, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_401, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_403, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_404, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_409, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_412, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_429, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_500, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_HTML, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_GARBAGE, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_REFUSED, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_DROP_APPLIED, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_DROP_NOT, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, A_TIMEOUT, SV_UNCERTAIN, SEND_NOTHING, false, 2, "Cannot check whether the save was applied (d" },
	{ REREAD_NOT, IN_SAVE, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ REREAD_NOT, IN_RELOAD, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
	{ REREAD_NOT, IN_CANCEL, SV_UNCERTAIN, SEND_CANCEL, false, 2, "Check cancelled; whether the save landed is" },
	{ REREAD_NOT, IN_RESOLVED, SV_REREADING, SEND_NOTHING, false, 2, "Re-reading… wait for the answer (Esc cance" },
};

static void test_table(void **state)
{
	bool seen[N_STARTS][IN_COUNT] = { { false } };
	(void)state;
	for (size_t i = 0; i < sizeof table / sizeof table[0]; i++) {
		const cell *c = &table[i];
		sim x;
		sim_init(&x);
		reach(&x, c->start);
		memset(&x.last, 0, sizeof x.last);
		input(&x, c->in);
		const char *from = c->start < SV_COUNT ? save_states[c->start].name
		                   : c->start == REREAD_LOST ? "re-reading (answer lost)" : "re-reading (not applied)";
		const cJSON *t = model_value(&x.m, schema_find("Title"));
		if ((int)x.s.st != (int)c->next)
			fail_msg("%s + %s: went to %s, not %s", from, in_name(c->in), save_states[x.s.st].name,
			         save_states[c->next].name);
		if (x.last.send != c->send)
			fail_msg("%s + %s: send %d, not %d", from, in_name(c->in), (int)x.last.send, (int)c->send);
		if (x.last.show_conflicts != c->conflicts)
			fail_msg("%s + %s: conflict screen %d", from, in_name(c->in), (int)x.last.show_conflicts);
		if (model_modified(&x.m) != c->modified)
			fail_msg("%s + %s: %d modified, not %d", from, in_name(c->in), model_modified(&x.m), c->modified);
		if (!cJSON_IsString(t) || strcmp(t->valuestring, "mine"))
			fail_msg("%s + %s: the form's Title is not the user's", from, in_name(c->in));
		if (strncmp(x.last.status, c->status, strlen(c->status)))
			fail_msg("%s + %s: status \"%s\", not \"%s…\"", from, in_name(c->in), x.last.status, c->status);
		seen[c->start][c->in] = true;
		sim_free(&x);
	}
	/* every start meets every input (answers only with a request in flight) */
	for (int st = 0; st < N_STARTS; st++)
		for (int in = 0; in < IN_COUNT; in++) {
			bool busy = st >= SV_COUNT || save_busy(&(save_machine){ .st = (save_state)st });
			if (!seen[st][in] && (in >= A_COUNT || busy))
				fail_msg("the table has no row for start %d + %s", st, in_name(in));
		}
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
		cmocka_unit_test(test_table),
		cmocka_unit_test(test_every_state_every_answer),
		cmocka_unit_test(test_transitions),
		cmocka_unit_test(test_state_table),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

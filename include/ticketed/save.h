/* save.h — the save state machine: the one place that decides what is sent
 * to the service and when, for saves, reloads, re-reads after a refused or
 * unanswered save, and conflicts. No curses, no curl: the editor loop feeds
 * it events (a key's intent, a request's answer) and carries out what it
 * asks (send this PATCH, send a GET, cancel the request, open the conflict
 * screen, leave), so a unit test can walk every state and every answer.
 *
 * States (save_states[] says, per state, whether edits may be made, which
 * events it takes, and the footer's hint):
 *   IDLE        nothing in flight; edits may be pending
 *   SAVING      a PATCH is in flight
 *   REREADING   a GET after a save that was refused (409, 412) or whose
 *               outcome is unknown (lost response, 5xx, a broken 2xx body,
 *               a cancelled save)
 *   RELOADING   a GET the user asked for (R)
 *   CONFLICT    open clashes (model.h) wait for the user's choice; `s`
 *               sends nothing and shows them again
 *   UNCERTAIN   a save's outcome is unknown and could not be checked: the
 *               next save re-reads first
 *
 * Invariants (tests/unit/test_app_save.c and the property test check them):
 *   - nothing the user did not choose replaces a value the server changed:
 *     every PATCH is model_patch's, which leaves out open clashes, and the
 *     model's base is the latest server copy the edits were merged onto;
 *   - an edit is sent again only after a re-read showed it is not on the
 *     server (after any save whose outcome is unknown, the next PATCH comes
 *     after a GET and a merge);
 *   - every edit is on the server, in the model (the form), or kept in the
 *     draft by the caller at every step: the machine never drops an edit
 *     except when a re-read shows the server has it.
 *
 * Ownership: the machine borrows the model it is given on each call;
 * save_answer takes the answer's JSON; a save_out's patch belongs to the
 * save_out (save_out_free); the merge report is the machine's. */
#ifndef TICKETED_SAVE_H
#define TICKETED_SAVE_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/diff.h"
#include "ticketed/model.h"

#define SAVE_STATES(X) \
	X(IDLE, "idle") X(SAVING, "saving") X(REREADING, "re-reading") \
	X(RELOADING, "reloading") X(CONFLICT, "conflict open") X(UNCERTAIN, "outcome unknown")

typedef enum {
#define X(id, name) SV_##id,
	SAVE_STATES(X)
#undef X
	SV_COUNT
} save_state;

typedef enum {
	SE_SAVE,      /* the user saves (s, the quit prompt's s, the conflict screen's s) */
	SE_RELOAD,    /* R */
	SE_CANCEL,    /* Esc while a request is in flight */
	SE_ANSWER,    /* the answer to the request in flight (save_answer) */
	SE_RESOLVED,  /* the user decided a clash (model_resolve was called) */
	SE_COUNT
} save_event;

/* Why the edits were merged onto a newer server copy (the conflict screen's
 * header says it). */
typedef enum {
	TRIG_409, TRIG_412,
	TRIG_LOST,     /* the response to a PATCH never arrived */
	TRIG_UNKNOWN,  /* a 5xx or a broken 2xx answer: re-read to see */
	TRIG_CHECK,    /* the user saves after an unknown outcome: look, then send */
	TRIG_RELOAD, TRIG_DRAFT
} save_trigger;

typedef struct {
	const char *name;
	bool edits;        /* the user may change edits in this state */
	unsigned events;   /* 1 << save_event it takes; others get a "wait" status */
	const char *hint;  /* the footer's hint for the save key ("s:save", "Esc:cancel") */
} save_state_def;

extern const save_state_def save_states[SV_COUNT];

/* What the loop must do after an event. */
typedef enum { SEND_NOTHING, SEND_PATCH, SEND_GET, SEND_CANCEL } save_send;

typedef struct {
	save_send send;
	cJSON *patch;          /* SEND_PATCH: the body (owned here) */
	bool if_unmodified;    /* SEND_PATCH: send If-Unmodified-Since (strict) */
	bool show_conflicts;   /* open (or stay on) the conflict screen */
	bool preview;          /* a dry run: show the patch instead of sending */
	bool done;             /* a save-and-quit finished: leave the editor */
	bool changed;          /* the model changed (rebuild the form rows) */
	bool error;            /* the status is an error */
	char status[640];      /* for the status line ("" = leave it) */
} save_out;

typedef struct {
	save_state st;
	save_trigger trigger;   /* of the last merge */
	diff_mode mode;
	bool strict;            /* If-Unmodified-Since on every PATCH */
	bool dry_run;           /* never send a PATCH: show it */
	bool quit_after;        /* the save was asked for by the quit prompt */
	bool checking;          /* a reload after a save whose outcome was unknown */
	int auto_resubmits;     /* clean rebases resubmitted in a row */
	long last_status;       /* HTTP status of the last save, else of the last load */
	model_merge_report rep; /* what the last merge did with each edit */
	char note[400];         /* what the last rebase did, for the "Saved" status */
	char failed[300];       /* why the save whose outcome is being checked failed */
} save_machine;

/* An answer to the request in flight. */
typedef struct {
	long http_status;   /* 0: no HTTP answer */
	bool sent;          /* the request body was sent completely */
	bool ticket;        /* a 2xx whose body is the ticket object (json) */
	cJSON *json;        /* the ticket (taken by save_answer when ticket) */
	const char *message;/* for the user (already safe to show) */
} save_reply;

void save_init(save_machine *s, diff_mode mode, bool strict, bool dry_run);
void save_free(save_machine *s);

/* The user's intent EV (SE_SAVE, SE_RELOAD, SE_CANCEL, SE_RESOLVED) on M.
 * QUIT_AFTER with SE_SAVE: leave once saved. Fills OUT (save_out_free). */
void save_event_do(save_machine *s, model *m, save_event ev, bool quit_after, save_out *out);

/* The answer R to the request in flight. */
void save_answer(save_machine *s, model *m, save_reply *r, save_out *out);

/* After the edits were merged outside the machine (a draft restore; REP
 * taken): CONFLICT when clashes are open, else IDLE. */
void save_merged(save_machine *s, model *m, save_trigger t, model_merge_report *rep, save_out *out);

/* Whether a request of the machine is in flight. */
bool save_busy(const save_machine *s);

/* A short name of the trigger ("HTTP 409", "reload", "draft restore"). */
const char *save_trigger_name(save_trigger t);

void save_out_free(save_out *o);

#endif

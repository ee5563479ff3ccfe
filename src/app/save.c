/* save.c — the save state machine (save.h): states, the transition table,
 * and what each transition asks the loop to send. No curses, no curl. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "ticketed/save.h"
#include "ticketed/schema.h"

/* Clean rebases resubmitted in a row before asking the user. */
#define MAX_AUTO_RESUBMITS 3

#define EV(e) (1u << (e))
#define USER_EVENTS (EV(SE_SAVE) | EV(SE_RELOAD) | EV(SE_RESOLVED))
#define INFLIGHT_EVENTS (EV(SE_CANCEL) | EV(SE_ANSWER))

const save_state_def save_states[SV_COUNT] = {
	[SV_IDLE] = { "idle", true, USER_EVENTS, "s:save" },
	[SV_SAVING] = { "saving", false, INFLIGHT_EVENTS, "Esc:cancel" },
	[SV_REREADING] = { "re-reading", false, INFLIGHT_EVENTS, "Esc:cancel" },
	[SV_RELOADING] = { "reloading", false, INFLIGHT_EVENTS, "Esc:cancel" },
	[SV_CONFLICT] = { "conflict open", true, USER_EVENTS, "s:conflicts" },
	[SV_UNCERTAIN] = { "outcome unknown", true, USER_EVENTS, "s:check+save" },
};

const char *save_trigger_name(save_trigger t)
{
	switch (t) {
	case TRIG_409: return "HTTP 409";
	case TRIG_412: return "HTTP 412";
	case TRIG_LOST: return "response lost";
	case TRIG_UNKNOWN: return "outcome unknown";
	case TRIG_CHECK: return "checked before saving";
	case TRIG_RELOAD: return "reload";
	case TRIG_DRAFT: return "draft restore";
	}
	return "?";
}

static void say(save_out *o, bool error, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void say(save_out *o, bool error, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(o->status, sizeof o->status, fmt, ap);
	va_end(ap);
	o->error = error;
}

void save_init(save_machine *s, diff_mode mode, bool strict, bool dry_run)
{
	memset(s, 0, sizeof *s);
	s->st = SV_IDLE;
	s->mode = mode;
	s->strict = strict;
	s->dry_run = dry_run;
}

void save_free(save_machine *s) { model_merge_report_free(&s->rep); }

void save_out_free(save_out *o)
{
	cJSON_Delete(o->patch);
	o->patch = NULL;
}

bool save_busy(const save_machine *s)
{
	return s->st == SV_SAVING || s->st == SV_REREADING || s->st == SV_RELOADING;
}

/* IDLE or CONFLICT, whichever the model's clashes say. */
static save_state rest_state(const model *m) { return model_nclashes(m) ? SV_CONFLICT : SV_IDLE; }

static void plural(char *buf, size_t n, size_t k, const char *what)
{
	snprintf(buf, n, "%zu %s%s", k, what, k == 1 ? "" : "s");
}

/* ---- sending -------------------------------------------------------------- */

static void send_patch(save_machine *s, model *m, save_out *o)
{
	char what[64];
	o->send = SEND_PATCH;
	o->patch = model_patch(m, s->mode);
	o->if_unmodified = s->strict;
	s->st = SV_SAVING;
	plural(what, sizeof what, (size_t)model_modified(m), "change");
	say(o, false, "Saving %s… (Esc cancels)", what);
}

static void send_reread(save_machine *s, save_trigger t, save_out *o)
{
	o->send = SEND_GET;
	s->trigger = t;
	s->st = SV_REREADING;
}

/* The user's save from IDLE or UNCERTAIN. */
static void do_save(save_machine *s, model *m, bool quit_after, save_out *o)
{
	s->quit_after = quit_after;
	if (!schema_ticket_updatable(m->base)) {  /* never a PATCH without Update rights */
		say(o, true, "This ticket is read-only (no Update right): nothing is sent");
		o->done = quit_after;
		s->quit_after = false;
		return;
	}
	if (model_nclashes(m)) {  /* defensive: CONFLICT handles this */
		o->show_conflicts = true;
		return;
	}
	if (s->st == SV_UNCERTAIN) {  /* an earlier save may have landed: look first */
		send_reread(s, TRIG_CHECK, o);
		say(o, false, "Checking what the server has before saving… (Esc cancels)");
		return;
	}
	if (model_modified(m) == 0) {
		say(o, false, "Nothing to save");
		o->done = quit_after;
		s->quit_after = false;
		return;
	}
	if (s->dry_run) {
		s->quit_after = false;
		o->preview = true;
		say(o, false, "Dry run: nothing was sent");
		return;
	}
	s->auto_resubmits = 0;
	s->note[0] = 0;
	send_patch(s, m, o);
}

static void conflict_status(const model *m, save_out *o)
{
	char what[64];
	plural(what, sizeof what, model_nclashes(m), "conflict");
	say(o, true, "%s open: m mine, t theirs, e edit; nothing is sent until decided",
	    what);
}

/* ---- events ---------------------------------------------------------------- */

static void ev_save(save_machine *s, model *m, bool quit_after, save_out *o)
{
	if (s->st == SV_CONFLICT) {
		s->quit_after = false;
		o->show_conflicts = true;
		conflict_status(m, o);
		return;
	}
	do_save(s, m, quit_after, o);
}

static void ev_reload(save_machine *s, model *m, save_out *o)
{
	(void)m;
	o->send = SEND_GET;
	s->checking = s->st == SV_UNCERTAIN;
	s->st = SV_RELOADING;
	s->quit_after = false;
	say(o, false, "Reloading… (Esc cancels)");
}

static void ev_cancel(save_machine *s, model *m, save_out *o)
{
	o->send = SEND_CANCEL;
	s->quit_after = false;
	switch (s->st) {
	case SV_SAVING:
		s->st = SV_UNCERTAIN;
		snprintf(s->failed, sizeof s->failed, "cancelled");
		say(o, true, "Save cancelled; the server may still apply it: the edits are kept, and the next "
		    "save checks first");
		break;
	case SV_REREADING:
		if (s->trigger == TRIG_409 || s->trigger == TRIG_412) {
			s->st = rest_state(m);
			say(o, true, "Re-read cancelled; nothing was saved (the edits are kept)");
		} else {
			s->st = SV_UNCERTAIN;
			say(o, true, "Check cancelled; whether the save landed is unknown (the edits are kept; "
			    "s checks, then saves)");
		}
		break;
	default:
		s->st = s->checking ? SV_UNCERTAIN : rest_state(m);
		s->checking = false;
		say(o, false, "Reload cancelled");
	}
}

static void ev_resolved(save_machine *s, model *m, save_out *o)
{
	if (s->st == SV_CONFLICT && model_nclashes(m) == 0) {
		s->st = SV_IDLE;
		say(o, false, "Every conflict is decided: s sends the edits, guarded by their values");
	}
}

void save_event_do(save_machine *s, model *m, save_event ev, bool quit_after, save_out *o)
{
	memset(o, 0, sizeof *o);
	if (!(save_states[s->st].events & EV(ev))) {
		if (ev == SE_CANCEL)
			return;  /* Esc with nothing in flight: nothing to cancel */
		say(o, false, "%s… wait for the answer (Esc cancels)",
		    s->st == SV_SAVING ? "Saving" : s->st == SV_RELOADING ? "Reloading" : "Re-reading");
		return;
	}
	switch (ev) {
	case SE_SAVE: ev_save(s, m, quit_after, o); break;
	case SE_RELOAD: ev_reload(s, m, o); break;
	case SE_CANCEL: ev_cancel(s, m, o); break;
	case SE_RESOLVED: ev_resolved(s, m, o); break;
	default: break;
	}
}

/* ---- answers --------------------------------------------------------------- */

/* What a PATCH answer means for the edits. */
typedef enum {
	A_SAVED,     /* 2xx with the ticket */
	A_CONFLICT,  /* 409 / 412: refused, nothing applied */
	A_REFUSED,   /* refused or never sent: nothing applied */
	A_UNKNOWN    /* it may have been applied */
} answer_class;

static answer_class classify(const save_reply *r)
{
	long h = r->http_status;
	if (h >= 200 && h < 300)
		return r->ticket ? A_SAVED : A_UNKNOWN;  /* applied, but the answer is broken */
	if (h == 409 || h == 412)
		return A_CONFLICT;
	if (h == 0)
		return r->sent ? A_UNKNOWN : A_REFUSED;
	/* 3xx (never followed), 4xx, and 503 (maintenance) answer before anything
	 * is applied; other 5xx may come after a partial or complete apply. */
	if (h < 500 || h == 503)
		return A_REFUSED;
	return A_UNKNOWN;
}

/* The "; rebased: Title; already there: Owner" note of the last merge. */
static void merge_note(const model_merge_report *rep, char *buf, size_t n)
{
	static const struct { merge3_class c; const char *what; } kinds[] = {
		{ M3_REBASE, "rebased" }, { M3_MERGED, "merged" }, { M3_ALREADY, "already there" },
	};
	size_t l = 0, k, i;
	buf[0] = 0;
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		bool first = true;
		for (i = 0; i < rep->n && l < n; i++) {
			if (rep->v[i].cls != kinds[k].c)
				continue;
			l += (size_t)snprintf(buf + l, n - l, "%s%s", first ? "; " : ", ", first ? kinds[k].what : "");
			if (first && l < n)
				l += (size_t)snprintf(buf + l, n - l, ": ");
			if (l < n)
				l += (size_t)snprintf(buf + l, n - l, "%s", rep->v[i].label);
			first = false;
		}
	}
}

static void saving_answer(save_machine *s, model *m, save_reply *r, save_out *o)
{
	s->last_status = r->http_status;
	switch (classify(r)) {
	case A_SAVED:
		model_rebase(m, r->json);
		r->json = NULL;
		o->changed = true;
		s->st = SV_IDLE;
		say(o, false, "Saved%s", s->note);
		s->note[0] = 0;
		s->auto_resubmits = 0;
		o->done = s->quit_after;
		s->quit_after = false;
		return;
	case A_CONFLICT:
		s->failed[0] = 0;
		send_reread(s, r->http_status == 412 ? TRIG_412 : TRIG_409, o);
		say(o, true, "Conflict (HTTP %ld): someone changed the ticket; re-reading it… (your edits are kept)",
		    r->http_status);
		return;
	case A_UNKNOWN:
		snprintf(s->failed, sizeof s->failed, "%s", r->message);
		send_reread(s, r->http_status ? TRIG_UNKNOWN : TRIG_LOST, o);
		say(o, true, "Save: %s; re-reading the ticket to see what was applied…", r->message);
		return;
	case A_REFUSED:
		s->st = rest_state(m);
		s->quit_after = false;
		say(o, true, "Save failed: %s (%s; edits kept, s retries)", r->message,
		    r->http_status ? "not applied" : "not sent");
		return;
	}
}

/* A re-read or reload brought THEIRS: merge, then decide. */
static void merged(save_machine *s, model *m, save_trigger t, save_out *o)
{
	bool after_save = t != TRIG_RELOAD && t != TRIG_DRAFT;
	size_t left = (size_t)model_modified(m);
	char note[400];
	o->changed = true;
	s->trigger = t;
	merge_note(&s->rep, note, sizeof note);
	if (model_nclashes(m)) {
		s->st = SV_CONFLICT;
		s->quit_after = false;
		s->auto_resubmits = 0;
		o->show_conflicts = true;
		conflict_status(m, o);
		return;
	}
	s->st = SV_IDLE;
	if (t == TRIG_RELOAD && s->checking) {  /* it tells what became of the last save */
		s->checking = false;
		if (left == 0) {
			say(o, false, "Saved: the server already has your edits (seen on reload)%s", note);
			return;
		}
	}
	if (!after_save) {
		char what[64];
		plural(what, sizeof what, left, "edit");
		say(o, false, "%s; %s kept%s", t == TRIG_DRAFT ? "Draft restored" : "Reloaded", what, note);
		return;
	}
	if (left == 0) {
		say(o, false, "Saved: the server already has your edits (%s)%s",
		    t == TRIG_LOST ? "the response was lost" : save_trigger_name(t), note);
		s->auto_resubmits = 0;
		o->done = s->quit_after;
		s->quit_after = false;
		return;
	}
	if (t == TRIG_UNKNOWN) {  /* a server error: not applied, but not resent unasked either */
		say(o, true, "Save failed: %s (a re-read shows it was not applied; edits kept, s retries)%s",
		    s->failed, note);
		s->quit_after = false;
		return;
	}
	if (t == TRIG_409 || t == TRIG_412 || t == TRIG_LOST || t == TRIG_CHECK) {
		if (s->auto_resubmits >= MAX_AUTO_RESUBMITS) {
			say(o, true, "The ticket keeps changing (%s); your edits are merged onto it, s retries",
			    save_trigger_name(t));
			s->auto_resubmits = 0;
			s->quit_after = false;
			return;
		}
		s->auto_resubmits++;
		snprintf(s->note, sizeof s->note, "%s", note);
		send_patch(s, m, o);  /* re-read showed what is not there: send exactly that */
	}
}

static void reread_answer(save_machine *s, model *m, save_reply *r, save_out *o)
{
	save_state was = s->st;
	if (s->last_status == 0 || was == SV_RELOADING)
		s->last_status = s->last_status ? s->last_status : r->http_status;
	if (!r->ticket) {
		if (was == SV_RELOADING) {
			s->st = s->checking ? SV_UNCERTAIN : rest_state(m);
			s->checking = false;
			say(o, true, "Reload failed: %s", r->message);
		} else if (s->trigger == TRIG_409 || s->trigger == TRIG_412) {
			s->st = rest_state(m);
			say(o, true, "Conflict (%s): nothing saved, edits kept; re-reading the ticket failed "
			    "(R reads it again): %s", save_trigger_name(s->trigger), r->message);
		} else {
			s->st = SV_UNCERTAIN;
			say(o, true, "Cannot check whether the save was applied (%s; re-read: %s): edits kept, "
			    "s checks first", s->failed[0] ? s->failed : "no answer", r->message);
		}
		s->quit_after = false;
		return;
	}
	model_merge_report_free(&s->rep);
	model_merge(m, r->json, &s->rep);
	r->json = NULL;
	merged(s, m, was == SV_RELOADING ? TRIG_RELOAD : s->trigger, o);
}

void save_answer(save_machine *s, model *m, save_reply *r, save_out *o)
{
	memset(o, 0, sizeof *o);
	if (s->st == SV_SAVING)
		saving_answer(s, m, r, o);
	else if (s->st == SV_REREADING || s->st == SV_RELOADING)
		reread_answer(s, m, r, o);
	/* else: no request of ours is in flight; a stray answer changes nothing */
	if (r->json && r->ticket) {
		cJSON_Delete(r->json);
		r->json = NULL;
	}
}

void save_merged(save_machine *s, model *m, save_trigger t, model_merge_report *rep, save_out *o)
{
	memset(o, 0, sizeof *o);
	model_merge_report_free(&s->rep);
	s->rep = *rep;
	memset(rep, 0, sizeof *rep);
	merged(s, m, t, o);
}

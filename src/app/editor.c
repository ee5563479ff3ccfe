/* editor.c — `ticketed [OPTIONS] TICKET_ID`: start-up, the main loop (the
 * only place that draws and starts requests), loading and saving, signals,
 * and restoring the terminal on every exit path. */
#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "ticketed/display.h"
#include "ticketed/editor.h"
#include "ticketed/json.h"
#include "ticketed/setedit.h"
#include "ticketed/text.h"

static volatile sig_atomic_t ed_signal;

static void on_signal(int sig) { ed_signal = sig; }

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- drafts ------------------------------------------------------------- */

void ed_journal(ed *e)
{
	char err[512];
	if (!e->loaded || e->discarded)
		return;
	if (draft_sync(&e->ds, e->opt->url, e->opt->ticket_id, &e->m, err, sizeof err) < 0) {
		ed_status(e, ROLE_ERROR, "Draft not saved: %s", err);
		snprintf(e->draft_note, sizeof e->draft_note, "%s", err);
	} else if (e->ds.owned) {
		e->draft_note[0] = 0;
	}
}

/* On the first load: a draft of this ticket on this URL? Offer it. */
static void offer_draft(ed *e)
{
	char err[512];
	int r = draft_exists(e->opt->url, e->opt->ticket_id, err, sizeof err);
	if (r == 1)
		r = draft_read(e->opt->url, e->opt->ticket_id, &e->dbase, &e->dedits, e->dsaved,
		               sizeof e->dsaved, err, sizeof err);
	if (r == 1) {
		ed_push(e, SCR_DRAFT);
	} else if (r < 0) {
		e->ds.hold = true;  /* never overwrite a draft we cannot read */
		snprintf(e->draft_note, sizeof e->draft_note, "%s", err);
		ed_status(e, ROLE_ERROR, "Drafts are off for this session: %s", err);
	}
}

/* ---- requests ----------------------------------------------------------- */

static void start_load(ed *e)
{
	e->req_load = api_get_ticket(e->api, e->opt->ticket_id);
	if (e->loaded)
		ed_status(e, ROLE_STATUS, "Reloading ticket %ld… (Esc cancels)", e->opt->ticket_id);
	else
		ed_status(e, ROLE_STATUS, "Loading ticket %ld…", e->opt->ticket_id);
}

static void start_save(ed *e)
{
	cJSON *patch;
	char ius[64];
	const char *hdr = NULL;
	if (ed_busy(e)) {
		ed_status(e, ROLE_STATUS, "A request is in flight (Esc cancels)");
		return;
	}
	if (!schema_ticket_updatable(e->m.base)) {  /* never a PATCH without Update rights */
		ed_status(e, ROLE_ERROR, "This ticket is read-only (no Update right): nothing is sent");
		if (e->quit_after_save)
			e->done = true;
		return;
	}
	if (model_modified(&e->m) == 0) {
		ed_status(e, ROLE_STATUS, "Nothing to save");
		if (e->quit_after_save)
			e->done = true;
		return;
	}
	if (e->opt->dry_run) {
		e->quit_after_save = false;
		ed_show_preview(e, true);
		ed_status(e, ROLE_STATUS, "Dry run: nothing was sent");
		return;
	}
	patch = model_patch(&e->m, e->mode);
	if (e->opt->conflict == CONFLICT_STRICT && model_if_unmodified_since_tz(&e->m, e->opt->server_timezone, ius, sizeof ius) == 0)
		hdr = ius;
	e->req_save = api_patch_ticket(e->api, e->opt->ticket_id, patch, hdr);
	cJSON_Delete(patch);
	ed_status(e, ROLE_STATUS, "Saving %d change%s… (Esc cancels)", model_modified(&e->m),
	          model_modified(&e->m) == 1 ? "" : "s");
}

static void cancel_request(ed *e)
{
	if (e->req_list) {
		api_cancel(e->api, e->req_list);
		e->req_list = 0;
		ed_status(e, ROLE_STATUS, "Cancelled");
	}
	if (e->req_save) {
		api_cancel(e->api, e->req_save);
		e->req_save = 0;
		e->quit_after_save = false;
		ed_status(e, ROLE_STATUS, "Save cancelled; the edits are kept (the server may still apply it)");
	} else if (e->req_load && e->loaded) {
		api_cancel(e->api, e->req_load);
		e->req_load = 0;
		e->cf_pending = false;
		e->quit_after_save = false;
		ed_status(e, ROLE_STATUS, "Reload cancelled");
	} else if (e->req_load) {
		api_cancel(e->api, e->req_load);
		e->req_load = 0;
		snprintf(e->fatal, sizeof e->fatal, "loading ticket %ld cancelled", e->opt->ticket_id);
		e->exit_code = 2;
		e->done = true;
	}
}

static void start_list(ed *e)
{
	const form_row *r = &e->rows.v[e->list_row];
	e->req_list = api_get_list(e->api, r->f->list);
	ed_status(e, ROLE_STATUS, "Loading the %s list… (Esc cancels)", r->f->list);
}

/* The MDO list arrived: cache it and open the pick list; without it the
 * id is typed in the line editor. */
static void list_done(ed *e, api_result *r)
{
	const form_row *row;
	e->req_list = 0;
	if (e->list_row < e->rows.n && ed_top(e) == SCR_SET) {
		setedit_list_done(e, r);  /* a tag to add to the set */
		return;
	}
	if (e->list_row >= e->rows.n || (ed_top(e) != SCR_FORM && ed_top(e) != SCR_CONFLICT))
		return;
	row = &e->rows.v[e->list_row];
	if (r->ok && cJSON_IsArray(r->json)) {
		if (!e->lists)
			e->lists = cJSON_CreateObject();
		cJSON_AddItemToObject(e->lists, row->f->list, api_result_take_json(r));
		if (ed_open_ref_pick(e, e->list_row, json_get(e->lists, row->f->list)))
			return;
	}
	ed_open_line_editor(e, e->list_row);
	ed_status(e, ROLE_ERROR, "The %s list is unavailable (%s): type the %s", row->f->list,
	          r->ok ? "empty" : r->message, row->f->key);
}

/* A 401 on the first load with Basic auth at a terminal: leave curses, ask
 * once more for the password (no echo, /dev/tty), and use a new client with
 * it. False when that does not apply or fails (the load then fails as usual). */
static bool reprompt(ed *e)
{
	static bool asked;
	char err[256];
	api_config cfg;
	api *a;
	bool ok;
	if (asked || e->opt->auth != AUTH_BASIC || e->rp || ui_headless() || !isatty(0))
		return false;
	asked = true;
	def_prog_mode();
	endwin();
	ok = options_reprompt(e->opt, err, sizeof err) == 0 &&
	     options_api_config(e->opt, false, &cfg, err, sizeof err) == 0 &&
	     (a = api_new(&cfg, err, sizeof err)) != NULL;
	options_forget_secrets(e->opt);
	reset_prog_mode();
	e->full = true;
	e->dirty = true;
	if (!ok)
		return false;
	api_free(e->api);
	e->api = a;
	return true;
}

static void load_failed(ed *e, api_result *r)
{
	if (r->http_status == 404)
		snprintf(e->fatal, sizeof e->fatal, "ticket %ld not found", e->opt->ticket_id);
	else if (r->http_status == 0)
		snprintf(e->fatal, sizeof e->fatal, "cannot load ticket %ld from %s: %s", e->opt->ticket_id,
		         e->opt->url ? e->opt->url : "the server", r->message);
	else if (r->ok)
		snprintf(e->fatal, sizeof e->fatal, "ticket %ld: the server did not send a ticket object",
		         e->opt->ticket_id);
	else
		snprintf(e->fatal, sizeof e->fatal, "cannot load ticket %ld: %s", e->opt->ticket_id, r->message);
	e->exit_code = 2;
	e->done = true;
}

static void load_done(ed *e, api_result *r)
{
	char lost[400];
	cJSON *j;
	e->req_load = 0;
	if (!e->loaded) {
		if (r->http_status == 401 && reprompt(e)) {
			start_load(e);
			return;
		}
		if (!r->ok || !cJSON_IsObject(r->json)) {
			load_failed(e, r);
			return;
		}
		e->last_status = r->http_status;
		model_init(&e->m, api_result_take_json(r));
		e->loaded = true;
		ed_rebuild_rows(e);
		for (size_t i = 0; i < e->rows.n; i++)  /* start on the first editable field (Title) */
			if (e->rows.v[i].editable) {
				e->cur = i;
				break;
			}
		if (!schema_ticket_updatable(e->m.base))
			ed_status(e, ROLE_ERROR, "Read-only: your rights on ticket %ld do not include Update; "
			          "nothing can be changed or saved", e->opt->ticket_id);
		else
			ed_status(e, ROLE_STATUS, "Loaded ticket %ld", e->opt->ticket_id);
		offer_draft(e);
		return;
	}
	if (!r->ok || !cJSON_IsObject(r->json)) {
		if (e->cf_pending && (e->cf_trigger == 409 || e->cf_trigger == 412))  /* refused: not applied */
			ed_status(e, ROLE_ERROR, "Conflict (HTTP %ld): nothing saved, edits kept; re-reading the "
			          "ticket failed (R reads it again): %s", e->cf_trigger, r->message);
		else if (e->cf_pending)  /* still unknown whether the last save was applied */
			ed_status(e, ROLE_ERROR, "Cannot check whether the save was applied: %s (edits kept; "
			          "R checks again, s retries)", r->message);
		else
			ed_status(e, ROLE_ERROR, "Reload failed: %s", r->message);
		return;
	}
	if (e->last_status == 0)
		e->last_status = r->http_status;
	j = api_result_take_json(r);
	if (e->cf_pending || model_modified(&e->m) > 0) {  /* conflict.h: classify, rebase, ask */
		bool pending = e->cf_pending;
		e->cf_pending = false;
		if (conflict_begin(e, j, pending ? e->cf_trigger : 200))
			start_save(e);
		return;
	}
	if (model_reload(&e->m, j, lost, sizeof lost) > 0)
		ed_status(e, ROLE_ERROR, "Reloaded; changed on the server, your edits set aside: %s", lost);
	else
		ed_status(e, ROLE_STATUS, "Reloaded; %d edit%s kept", model_modified(&e->m),
		          model_modified(&e->m) == 1 ? "" : "s");
	ed_rebuild_rows(e);
}

static void save_done(ed *e, api_result *r)
{
	e->req_save = 0;
	e->last_status = r->http_status;
	if (r->ok && cJSON_IsObject(r->json)) {
		model_rebase(&e->m, api_result_take_json(r));
		ed_rebuild_rows(e);
		ed_status(e, ROLE_STATUS, "Saved%s", e->cf_note);
		e->cf_note[0] = 0;
		e->cf_auto = 0;
		if (e->quit_after_save) {
			e->exit_code = 0;
			e->done = true;
		}
		return;
	}
	e->cf_note[0] = 0;
	if (r->http_status >= 200 && r->http_status < 300) {
		/* applied, but the answer is broken (e.g. cut JSON): as if it was lost */
		r->http_status = 0;
		r->sent = true;
	}
	if (r->http_status == 409 || r->http_status == 412 || (r->http_status == 0 && r->sent)) {
		/* re-read theirs, then conflict_begin (load_done) */
		e->cf_pending = true;
		e->cf_trigger = r->http_status;
		start_load(e);
		if (r->http_status)
			ed_status(e, ROLE_ERROR, "Conflict (HTTP %ld): someone changed the ticket; re-reading it… "
			          "(your edits are kept)", r->http_status);
		else
			ed_status(e, ROLE_ERROR, "Save: %s after the patch was sent; re-reading the ticket to "
			          "see what was applied…", r->message);
		return;
	}
	e->quit_after_save = false;
	if (r->http_status == 409 || r->http_status == 412)
		ed_status(e, ROLE_ERROR, "Conflict (HTTP %ld): someone changed the ticket since it was loaded; "
		          "press R to reload (your edits are kept)", r->http_status);
	else if (r->http_status == 0 && r->sent)
		ed_status(e, ROLE_ERROR, "Save: %s after the patch was sent; press R to check (edits kept)",
		          r->message);
	else
		ed_status(e, ROLE_ERROR, "Save failed: %s (edits kept; s retries)", r->message);
}

/* Collect finished requests; results of cancelled requests never arrive,
 * and unknown ids are ignored. Returns true if something changed. */
static bool poll_net(ed *e)
{
	api_result *r;
	bool any = false;
	while ((r = api_next(e->api))) {
		if (e->req_load && r->id == e->req_load)
			load_done(e, r);
		else if (e->req_save && r->id == e->req_save)
			save_done(e, r);
		else if (e->req_list && r->id == e->req_list)
			list_done(e, r);
		api_result_free(r);
		any = true;
	}
	return any;
}

/* ---- input -------------------------------------------------------------- */

/* The one input function: a key from the replay file or the terminal, or
 * TK_NONE after waiting (bounded) for the network or the terminal. */
static tkey next_input(ed *e)
{
	tkey k;
	if (e->rp) {
		if (ed_busy(e)) {
			api_wait(e->api, -1, 100);
			return TK_NONE;
		}
		return rp_next_key(e);
	}
	k = ui_getkey();
	if (k == TK_NONE) {
		api_wait(e->api, ui_input_fd(), ed_busy(e) ? 100 : 1000);
		k = ui_getkey();
	}
	if (k != TK_NONE && k != TK_FN(KEY_RESIZE))
		rec_key(e, k);
	return k;
}

static void apply_reaction(ed *e, reaction rx)
{
	if (rx & RX_CANCEL)
		cancel_request(e);
	if (rx & RX_QUIT)
		e->done = true;
	if (rx & RX_SAVE)
		start_save(e);
	if (rx & RX_RELOAD) {
		if (ed_busy(e))
			ed_status(e, ROLE_STATUS, "A request is in flight (Esc cancels)");
		else
			start_load(e);
	}
	if (rx & RX_ROWS)
		ed_rebuild_rows(e);
	if ((rx & RX_LIST) && !ed_busy(e))
		start_list(e);
	if (rx & RX_FULL)
		e->full = true;
	if (rx)
		e->dirty = true;
}

static void frame(ed *e)
{
	ed_draw(e);
	ui_flush(e->full);
	e->full = false;
	e->dirty = false;
}

/* On a signal: the value being typed in the line editor is an edit too
 * (committed if it is valid), so a dropped line keeps it in the draft. */
static void commit_typed(ed *e)
{
	if (e->loaded && ed_top(e) == SCR_EDIT)
		(void)ed_key(e, TK_ENTER);
}

static int run(ed *e)
{
	long last_spin = now_ms();
	start_load(e);
	e->dirty = true;
	while (!e->done) {
		tkey k;
		if (poll_net(e)) {
			e->dirty = true;
			ed_journal(e);
		}
		if (ed_signal) {
			commit_typed(e);
			ed_journal(e);
			e->exit_code = e->loaded && model_modified(&e->m) > 0 ? 3 : (e->loaded ? 0 : 2);
			if (!e->loaded)
				snprintf(e->fatal, sizeof e->fatal, "interrupted by signal %d", (int)ed_signal);
			break;
		}
		if (e->done)
			break;
		if (ed_busy(e) && now_ms() - last_spin >= 100) {
			e->spin++;
			last_spin = now_ms();
			e->dirty = true;
		}
		if (e->dirty)
			frame(e);
		if (!e->rp && ui_headless() && e->loaded && !ed_busy(e)) {
			/* headless without a replay: nothing will ever be typed */
			snprintf(e->fatal, sizeof e->fatal, "headless without --replay: ticket %ld loaded, "
			         "nothing to do", e->opt->ticket_id);
			break;
		}
		k = next_input(e);
		if (k != TK_NONE) {
			apply_reaction(e, ed_key(e, k));
			ed_journal(e);
		}
	}
	if (ed_signal && !e->discarded)  /* a signal that ended a replay's read */
		commit_typed(e);
	if (e->discarded) {
		char err[512];
		draft_sync_discard(&e->ds, e->opt->url, e->opt->ticket_id, err, sizeof err);
	} else {
		ed_journal(e);
	}
	if (!e->fatal[0] && !e->exit_code && !e->discarded && e->loaded && model_modified(&e->m) > 0 &&
	    !(e->rp && e->exit_code == 4))
		e->exit_code = 3;
	return e->exit_code;
}

/* ---- start-up ----------------------------------------------------------- */

static int load_theme(const options *o, theme *t, bool *color)
{
	const char *name = o->theme ? o->theme : getenv("TICKETED_THEME");
	const char *nc = getenv("NO_COLOR");
	char err[256];
	*color = !(o->no_color || (nc && *nc));
	if (!*color) {
		theme_mono(t);
		return 0;
	}
	if (theme_load(name && *name ? name : "default", t, err, sizeof err) < 0) {
		if (name && *name) {
			fprintf(stderr, "ticketed: %s\n", err);
			return -1;
		}
		theme_mono(t);  /* the default theme is not installed: mono always works */
	}
	return 0;
}

static void ed_free(ed *e)
{
	if (e->loaded)
		model_free(&e->m);
	conflict_free(&e->cf);
	form_rows_free(&e->rows);
	ed_view_clear(e);
	le_free(&e->le);
	pick_free(&e->pick);
	free(e->pick_ids);
	free(e->cf_key);
	cJSON_Delete(e->lists);
	rp_close(e);
	if (e->rec) {
		if (e->rec_partial)
			fputc('\n', e->rec);
		fclose(e->rec);
	}
	if (e->api)
		api_free(e->api);
	free(e->fail_dump);
	draft_sync_free(&e->ds);
	cJSON_Delete(e->dbase);
	cJSON_Delete(e->dedits);
}

static int open_editor(ed *e, options *o, char *err, size_t errlen)
{
	api_config cfg;
	theme t;
	bool color, headless;
	if (options_api_config(o, !o->replay && isatty(0), &cfg, err, errlen) < 0)
		return 1;
	e->api = api_new(&cfg, err, errlen);
	options_forget_secrets(o);  /* the api holds its own copy */
	if (!e->api)
		return 1;
	if (o->replay && rp_open(e, o->replay, err, errlen) < 0)
		return 1;
	if (o->record && !(e->rec = fopen(o->record, "w"))) {
		snprintf(err, errlen, "%s: cannot write the recording", o->record);
		return 1;
	}
	if (load_theme(o, &t, &color) < 0) {
		err[0] = 0;
		return 1;
	}
	headless = o->headless || !isatty(1);
	if (!headless && !o->replay && !isatty(0)) {
		snprintf(err, errlen, "standard input is not a terminal (use --replay FILE or --headless)");
		return 1;
	}
	if (ui_open(headless, o->cols > 0 ? o->cols : 80, o->rows > 0 ? o->rows : 24, &t, color,
	            err, errlen) < 0)
		return 1;
	return 0;
}

static void restore_terminal(void) { ui_close(); }

int cmd_edit(int argc, char **argv)
{
	options o;
	ed e;
	char err[512];
	int rc;
	memset(&o, 0, sizeof o);
	memset(&e, 0, sizeof e);
	setlocale(LC_ALL, "");
	rc = options_parse(argc, argv, true, &o, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "ticketed: %s\nTry 'ticketed --help'.\n", err);
		options_free(&o);
		return rc < 0 ? 1 : 0;
	}
	e.opt = &o;
	e.mode = o.conflict == CONFLICT_NONE ? DIFF_NONE : DIFF_FIELDS;
	e.nstack = 1;
	e.stack[0] = SCR_FORM;
	e.status_role = ROLE_STATUS;
	if (open_editor(&e, &o, err, sizeof err) != 0) {
		if (err[0])
			fprintf(stderr, "ticketed: %s\n", err);
		ed_free(&e);
		options_free(&o);
		return 1;
	}
	atexit(restore_terminal);
	install_signals();
	rc = run(&e);
	if (e.rp)
		rc = rp_finish(&e, rc);
	ui_close();
	if (e.fail_dump)
		fputs(e.fail_dump, stderr);
	if (e.fatal[0])
		fprintf(stderr, "ticketed: %s\n", e.fatal);
	if (rc == 3 && e.ds.owned)
		fprintf(stderr, "ticketed: %d unsaved edit%s kept as a draft; open ticket %ld again to "
		        "restore it ('ticketed drafts' lists drafts)\n", model_modified(&e.m),
		        model_modified(&e.m) == 1 ? "" : "s", o.ticket_id);
	else if (rc == 3)
		fprintf(stderr, "ticketed: %d unsaved edit%s NOT kept as a draft (%s)\n", model_modified(&e.m),
		        model_modified(&e.m) == 1 ? "" : "s",
		        e.draft_note[0] ? e.draft_note : "an earlier draft of this ticket was kept for later");
	ed_free(&e);
	options_free(&o);
	return rc;
}

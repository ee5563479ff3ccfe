/* note_screen.c — writing an internal note (n) or a reply to the customer
 * (r), and posting it.
 *
 * The text is written in $VISUAL or $EDITOR when one is set and there is a
 * terminal (the loop runs it with the terminal restored, RX_EXTERNAL),
 * else (and always, after the editor) in the built-in editor
 * (textarea.h). It is the session's note (desk.h) from the first key, so
 * the draft journals it: a hang-up loses nothing. Esc closes the screen
 * and keeps the note; n (or r) opens it again; an emptied note is dropped.
 *
 * C-t picks the ticket's status after posting. C-s posts: a status change
 * first goes through the save machine as an edit of Status (a PATCH, with
 * the other edits the form has), and the note is posted once it is saved
 * (APP_EV_SAVED), like `rt comment` with a status; a conflict goes to the
 * conflict screen first. POST TicketMessage (Slevel Internal, or External
 * for a reply) carries the note's MessageId. A reply is shown first with
 * its recipients and text (SC_CONFIRM); once posted it is sent with POST
 * TicketMessage/{id}/Send. --dry-run shows what would be sent and sends
 * nothing.
 *
 * A POST is not idempotent: after an answer that leaves the outcome open
 * (lost, a 5xx, a broken 2xx) the message list is read again
 * (newest first, with the messageId column): the note is posted when a
 * message with its MessageId is there, and only when none is it is sent
 * again. After Esc (the loop answers the cancelled POST: sent, no answer)
 * or when that check cannot be made, the note is marked unsure and the next
 * C-s looks first.
 * A Send whose answer is lost is never repeated by itself (the e-mail may
 * have gone). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>
#include <curses.h>
#include "loop.h"
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/textarea.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

#define HEADER_ROWS 2
#define MAX_AUTO_POSTS 2

enum { T_POST = 1, T_CHECK, T_SEND };

typedef enum { NS_EDIT, NS_SAVING, NS_POSTING, NS_CHECKING, NS_SENDING } note_phase;

typedef struct {
	textarea ta;
	bool reply;
	note_phase phase;
	int posts;          /* POSTs sent since the last C-s */
	bool edit_first;    /* open $VISUAL/$EDITOR at once */
} note_state;

/* The rows between the header and the status line (which may take two). */
static int text_rows(app *a)
{
	int h = LINES - HEADER_ROWS - 1 - app_status_rows(a);
	return h > 1 ? h : 1;
}
static int text_cols(void) { return COLS - 2 > 2 ? COLS - 2 : 2; }

static void note_free(void *p)
{
	note_state *s = p;
	ta_free(&s->ta);
	free(s);
}

static desk_note *note_of(app *a)
{
	return desk_note_get(app_desk(a));
}

/* Whether $VISUAL or $EDITOR can be run: set, on a terminal, not a script. */
static const char *external_editor(app *a)
{
	const char *e = getenv("VISUAL");
	if (!e || !*e)
		e = getenv("EDITOR");
	if (!e || !*e || app_options(a)->replay || ui_headless() || !isatty(0))
		return NULL;
	return e;
}

/* The text as the user means it: blank lines and blanks at the end dropped. */
static bool text_empty(const char *t)
{
	for (; *t; t++)
		if (*t != ' ' && *t != '\n' && *t != '\r' && *t != '\t')
			return false;
	return true;
}

/* Whether N holds nothing the user wrote: no text, or a reply's header
 * lines without text after them (and not posted yet). */
static bool nothing_written(const desk_note *n)
{
	if (text_empty(n->text))
		return true;
	if (!n->reply || n->posted_id)
		return false;
	const char *p = n->text;
	while (*p) {  /* the header lines, up to the first empty one */
		const char *nl = strchr(p, '\n');
		if (!nl)
			return false;
		if (nl == p || (nl == p + 1 && *p == '\r'))
			return text_empty(nl + 1);
		p = nl + 1;
	}
	return false;
}

/* ---- drawing --------------------------------------------------------------------- */

static void note_draw(app *a, void *p)
{
	note_state *s = p;
	desk_note *n = note_of(a);
	char buf[320];
	const cJSON *t = json_get_ci(app_model(a)->base, "Title");
	ui_fill(0, 0, COLS, ui_attr[ROLE_HEADER]);
	snprintf(buf, sizeof buf, " %s on ticket %ld: ", s->reply ? "Reply to the customer" : "Internal note",
	         app_ticket_id(a));
	ui_puts(0, 0, buf, COLS, ui_attr[ROLE_HEADER] | A_BOLD);
	int w = (int)strlen(buf);
	if (cJSON_IsString(t)) {
		move(0, w);
		text_draw(stdscr, t->valuestring, COLS - w - 1, true, ui_attr[ROLE_HEADER] | A_BOLD,
		          ui_attr[ROLE_HEADER] | ui_attr[ROLE_CONTROL_CHAR]);
	}
	ui_fill(1, 0, COLS, ui_attr[ROLE_HEADER]);
	static const char *const phases[] = { "", "saving the status first…", "posting…", "checking whether it was posted…",
	                                      "sending…" };
	snprintf(buf, sizeof buf, " Status after posting: ");
	ui_puts(1, 0, buf, COLS, ui_attr[ROLE_HEADER]);
	w = (int)strlen(buf);
	move(1, w);
	w += text_draw(stdscr, n && n->status_id ? (n->status_name ? n->status_name : "?") : "(unchanged)", COLS - w,
	               true, ui_attr[ROLE_HEADER] | A_BOLD, ui_attr[ROLE_HEADER] | ui_attr[ROLE_CONTROL_CHAR]);
	snprintf(buf, sizeof buf, "   %s%s", s->phase ? phases[s->phase] : "", n && n->unsure && !s->phase
	         ? "(an earlier POST may have arrived: C-s looks first)" : "");
	ui_puts(1, w, buf, COLS - w, ui_attr[ROLE_HEADER]);
	ui_cursor(s->phase == NS_EDIT);
	ta_draw(&s->ta, stdscr, HEADER_ROWS, 1, text_cols(), text_rows(a), ui_attr[ROLE_VALUE],
	        ui_attr[ROLE_VALUE] | ui_attr[ROLE_CONTROL_CHAR]);
	for (int y = HEADER_ROWS; y < HEADER_ROWS + text_rows(a); y++) {  /* margins */
		mvaddch(y, 0, ' ' | ui_attr[ROLE_VALUE]);
		if (COLS > 1)
			mvaddch(y, COLS - 1, ' ' | ui_attr[ROLE_VALUE]);
	}
	size_t row;
	int col;
	ta_cursor(&s->ta, text_cols(), &row, &col);
	if (row >= s->ta.top)
		move(HEADER_ROWS + (int)(row - s->ta.top), 1 + (col < text_cols() ? col : text_cols() - 1));
}

/* ---- posting ------------------------------------------------------------------------- */

static reaction check_posted(app *a, note_state *s)
{
	char path[64];
	snprintf(path, sizeof path, "Ticket/%ld/Messages", app_ticket_id(a));
	s->phase = NS_CHECKING;
	app_status(a, ROLE_STATUS, "Looking whether the %s arrived…", s->reply ? "reply" : "note");
	return rx_request(app_get(path, T_CHECK, "$select", "ticketMessageId,messageId", "$orderBy", "createdAt desc",
	                          "$top", "50", NULL));
}

static reaction post_now(app *a, note_state *s)
{
	desk_note *n = note_of(a);
	n->unsure = true;  /* journaled now: from here on the POST may arrive */
	s->phase = NS_POSTING;
	s->posts++;
	app_status(a, ROLE_STATUS, "Posting the %s… (Esc cancels)", s->reply ? "reply" : "note");
	return rx_request(app_post("TicketMessage", desk_note_body(n, app_ticket_id(a)), T_POST));
}

static reaction send_now(app *a, note_state *s)
{
	desk_note *n = note_of(a);
	desk_reply r;
	char err[200], path[64];
	if (desk_reply_parse(n->text, &r, err, sizeof err) < 0) {
		s->phase = NS_EDIT;
		app_status(a, ROLE_ERROR, "%s", err);
		return rx(RX_REDRAW);
	}
	snprintf(path, sizeof path, "TicketMessage/%ld/Send", n->posted_id);
	s->phase = NS_SENDING;
	app_status(a, ROLE_STATUS, "Sending the reply to %s…", r.to);
	reaction x = rx_request(app_post_query(path, NULL, T_SEND, "to", r.to, "cc", r.cc, "bcc", "", "subject",
	                                       r.subject, NULL));
	desk_reply_free(&r);
	return x;
}

/* Done: the note is on the server (and a reply sent). */
static reaction finished(app *a, note_state *s, const char *what)
{
	char msg[300];
	snprintf(msg, sizeof msg, "%s", what);
	desk_note_drop(app_desk(a));
	s->phase = NS_EDIT;
	app_status(a, ROLE_STATUS, "%s", msg);
	desk_notice_set(app_desk(a), msg);  /* shown again once the reload is done */
	/* the ticket's NumMessages and LastChanged moved: read it again (edits are kept) */
	return rx((app_top_state(a) == s ? RX_POP : 0) | RX_RELOAD | RX_REDRAW);
}

static const field_def *status_field(void)
{
	return schema_find("Status");
}

/* The status the note asks for is what the form has, unsaved? */
static bool status_pending(app *a, const desk_note *n)
{
	const field_def *f = status_field();
	model *m = app_model(a);
	if (!n->status_id || !f)
		return false;
	const cJSON *v = model_value(m, f), *k = cJSON_IsObject(v) ? json_get_ci(v, f->key) : NULL;
	bool want = json_is_int32(k) && k->valueint == n->status_id;
	return !want || model_is_modified(m, f);
}

/* C-s (or the confirmation's y): the status first, then the note. */
static reaction begin(app *a, note_state *s)
{
	desk_note *n = note_of(a);
	const field_def *f = status_field();
	model *m = app_model(a);
	s->posts = 0;
	if (n->posted_id > 0 && n->reply)  /* posted earlier, not sent */
		return send_now(a, s);
	if (status_pending(a, n)) {
		const cJSON *v = model_value(m, f), *k = cJSON_IsObject(v) ? json_get_ci(v, f->key) : NULL;
		if (!json_is_int32(k) || k->valueint != n->status_id)
			model_set(m, f, value_ref(f, n->status_id, n->status_name));
		s->phase = NS_SAVING;
		app_status(a, ROLE_STATUS, "Saving the status (%s) first…", n->status_name ? n->status_name : "?");
		return rx(RX_SAVE | RX_ROWS | RX_REDRAW);
	}
	if (n->unsure)
		return check_posted(a, s);
	return post_now(a, s);
}

/* --dry-run: what C-s would send. */
static reaction dry_run(app *a, const desk_note *n)
{
	char title[128], line[160];
	snprintf(title, sizeof title, "Dry run, nothing sent: the %s", n->reply ? "reply" : "note");
	view_doc *d = view_doc_new(title);
	if (n->status_id) {
		snprintf(line, sizeof line, "First the status, %s, as an edit of Status (s would PATCH it):",
		         n->status_name ? n->status_name : "?");
		view_doc_add(d, NULL, line, ROLE_SECTION);
		view_doc_add(d, NULL, "", ROLE_VALUE);
	}
	view_doc_add(d, NULL, "POST TicketMessage", ROLE_SECTION);
	cJSON *b = desk_note_body(n, app_ticket_id(a));
	char *txt = json_print(b, true);
	cJSON_Delete(b);
	for (char *p = txt, *nl; p && *p; p = nl ? nl + 1 : p + strlen(p)) {
		nl = strchr(p, '\n');
		char *l = xstrndup(p, nl ? (size_t)(nl - p) : strlen(p));
		for (char *q = l; *q; q++)
			if (*q == '\t')
				*q = ' ';
		view_doc_add(d, NULL, l, ROLE_DIFF_ADD);
		free(l);
	}
	free(txt);
	if (n->reply) {
		desk_reply r;
		char err[200];
		if (desk_reply_parse(n->text, &r, err, sizeof err) == 0) {
			view_doc_add(d, NULL, "", ROLE_VALUE);
			view_doc_add(d, NULL, "then POST TicketMessage/{id}/Send with", ROLE_SECTION);
			snprintf(line, sizeof line, "to=%s", r.to);
			view_doc_add(d, NULL, line, ROLE_DIFF_ADD);
			snprintf(line, sizeof line, "cc=%s", r.cc);
			view_doc_add(d, NULL, line, ROLE_DIFF_ADD);
			snprintf(line, sizeof line, "subject=%s", r.subject);
			view_doc_add(d, NULL, line, ROLE_DIFF_ADD);
			desk_reply_free(&r);
		}
	}
	app_status(a, ROLE_STATUS, "Dry run: nothing was sent; the %s stays in the draft", n->reply ? "reply" : "note");
	return view_screen_open(d);
}

/* ---- the reply's confirmation ------------------------------------------------------- */

typedef struct {
	view_doc *doc;      /* the lines, drawn by view_screen's look */
	char **lines;
	int *roles;
	size_t n, top;
	note_state *note;   /* the note screen beneath (borrowed) */
} confirm_state;

static void confirm_add(confirm_state *c, const char *text, int role)
{
	c->lines = xreallocarray(c->lines, c->n + 1, sizeof *c->lines);
	c->roles = xreallocarray(c->roles, c->n + 1, sizeof *c->roles);
	c->lines[c->n] = xstrdup(text);
	c->roles[c->n++] = role;
}

static void confirm_free(void *p)
{
	confirm_state *c = p;
	for (size_t i = 0; i < c->n; i++)
		free(c->lines[i]);
	free(c->lines);
	free(c->roles);
	free(c);
}

static void confirm_draw(app *a, void *p)
{
	confirm_state *c = p;
	int h = LINES - 3, inner = h - 2;
	(void)a;
	if (inner < 1)
		return;
	if (c->n > (size_t)inner && c->top > c->n - (size_t)inner)
		c->top = c->n - (size_t)inner;
	ui_box(1, 0, h, COLS, ui_attr[ROLE_POPUP], app_options(a)->dry_run ? "Dry run: the reply (nothing is sent)"
	                                                                 : "Send this reply? y sends, Esc goes back");
	for (int i = 0; i < inner && c->top + (size_t)i < c->n; i++) {
		size_t k = c->top + (size_t)i;
		move(2 + i, 2);
		text_draw(stdscr, c->lines[k], COLS - 4, true, ui_attr[ROLE_POPUP] | ui_attr[c->roles[k]],
		          ui_attr[ROLE_POPUP] | ui_attr[ROLE_CONTROL_CHAR]);
	}
}

static reaction confirm_key(app *a, void *p, action_id act, tkey k)
{
	confirm_state *c = p;
	(void)k;
	switch (act) {
	case ACT_UP: if (c->top) c->top--; break;
	case ACT_DOWN: if (c->top + 1 < c->n) c->top++; break;
	case ACT_PAGE_UP: c->top = c->top > 10 ? c->top - 10 : 0; break;
	case ACT_PAGE_DOWN: c->top += 10; break;
	case ACT_SEND:
		if (app_options(a)->dry_run) {
			reaction r = dry_run(a, note_of(a));
			r.flags |= RX_POP;  /* before the push */
			return r;
		} else {
			reaction r = begin(a, c->note);  /* the note screen beneath sends, and gets the answers */
			r.flags |= RX_POP;
			return r;
		}
	case ACT_CLOSE:
		app_status(a, ROLE_STATUS, "Not sent: the reply is still yours to edit");
		return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

static const screen_ops confirm_screen = {
	.name = "confirm", .sc = SC_CONFIRM, .modal = true, .draw = confirm_draw, .key = confirm_key,
	.free = confirm_free,
};

static reaction confirm_open(app *a, note_state *s, const desk_note *n, const desk_reply *r)
{
	confirm_state *c = xcalloc(1, sizeof *c);
	char line[600];
	c->note = s;
	snprintf(line, sizeof line, "To:       %s", r->to);
	confirm_add(c, line, ROLE_VALUE);
	snprintf(line, sizeof line, "Cc:       %s", r->cc[0] ? r->cc : "(nobody)");
	confirm_add(c, line, ROLE_VALUE);
	snprintf(line, sizeof line, "Subject:  %s", r->subject);
	confirm_add(c, line, ROLE_VALUE);
	snprintf(line, sizeof line, "Status after sending: %s", n->status_id ? n->status_name : "(unchanged)");
	confirm_add(c, line, ROLE_VALUE);
	confirm_add(c, "", ROLE_VALUE);
	char **wrapped;
	size_t nw = text_wrap(r->body, COLS - 6 > 10 ? COLS - 6 : 10, &wrapped);
	while (nw && !wrapped[nw - 1][0])
		free(wrapped[--nw]);
	for (size_t i = 0; i < nw; i++)
		confirm_add(c, wrapped[i], ROLE_VALUE);
	text_lines_free(wrapped, nw);
	app_status(a, ROLE_STATUS, "%s", app_options(a)->dry_run ? "Dry run: y shows what happens, nothing is sent"
	                                                          : "y sends the reply to these recipients, Esc goes back");
	return rx_push(&confirm_screen, c);
}

/* ---- answers -------------------------------------------------------------------- */

static bool outcome_open(const api_result *r)
{
	/* sent, and no answer that says whether it was applied */
	if (r->http_status == 0)
		return r->sent;
	return r->http_status >= 500 || (r->http_status >= 200 && r->http_status < 300 && !r->ok);
}

static reaction answer_post(app *a, note_state *s, api_result *r)
{
	desk_note *n = note_of(a);
	const cJSON *id = r->ok ? json_get_ci(r->json, "EjMessageId") : NULL;
	if (r->ok && json_is_int32(id) && id->valueint > 0) {
		n->unsure = false;
		if (n->reply) {
			n->posted_id = id->valueint;
			return send_now(a, s);
		}
		char what[160];
		snprintf(what, sizeof what, "Note posted (message %d)", id->valueint);
		return finished(a, s, what);
	}
	if (outcome_open(r) && r->curl_code == -1) {
		/* Esc: the POST may have arrived; the next C-s looks before it sends
		 * (a request started now would be cancelled with it) */
		s->phase = NS_EDIT;
		app_status(a, ROLE_STATUS, "Cancelled: the %s may have arrived; C-s looks before it sends again",
		           n->reply ? "reply" : "note");
		return rx(RX_REDRAW);
	}
	if (outcome_open(r)) {
		reaction x = check_posted(a, s);
		app_status(a, ROLE_STATUS, "%s: looking whether the %s arrived before sending anything again…",
		           r->message, n->reply ? "reply" : "note");
		return x;
	}
	/* refused: nothing was applied */
	n->unsure = false;
	s->phase = NS_EDIT;
	app_status(a, ROLE_ERROR, "Not posted: %s (C-s tries again)", r->message);
	return rx(RX_REDRAW);
}

static reaction answer_check(app *a, note_state *s, api_result *r)
{
	desk_note *n = note_of(a);
	long found = r->ok ? desk_find_posted(r->json, n->message_id) : -1;
	if (found < 0) {
		s->phase = NS_EDIT;
		app_status(a, ROLE_ERROR, "Whether the %s was posted is not known (%s): C-s looks again before it "
		           "posts", n->reply ? "reply" : "note", r->ok ? "the answer is not a message list" : r->message);
		return rx(RX_REDRAW);
	}
	n->unsure = false;
	if (found > 0) {
		if (n->reply) {
			n->posted_id = found;
			return send_now(a, s);
		}
		char what[200];
		snprintf(what, sizeof what, "Note posted (message %ld: it was there already)", found);
		return finished(a, s, what);
	}
	if (s->posts >= MAX_AUTO_POSTS) {
		s->phase = NS_EDIT;
		app_status(a, ROLE_ERROR, "The %s is not there: not posted (C-s posts it)", n->reply ? "reply" : "note");
		return rx(RX_REDRAW);
	}
	reaction x = post_now(a, s);
	app_status(a, ROLE_STATUS, "The %s is not there: posting it again…", n->reply ? "reply" : "note");
	return x;
}

static reaction answer_send(app *a, note_state *s, api_result *r)
{
	desk_note *n = note_of(a);
	char what[300];
	if (r->ok) {
		desk_reply rp;
		char err[200];
		if (desk_reply_parse(n->text, &rp, err, sizeof err) == 0) {
			snprintf(what, sizeof what, "Reply sent to %s (message %ld)", rp.to, n->posted_id);
			desk_reply_free(&rp);
		} else {
			snprintf(what, sizeof what, "Reply sent (message %ld)", n->posted_id);
		}
		return finished(a, s, what);
	}
	s->phase = NS_EDIT;
	if (outcome_open(r))
		app_status(a, ROLE_ERROR, "The reply is message %ld; whether it was e-mailed is not known (%s): look "
		           "before sending again (C-s would send it again)", n->posted_id, r->message);
	else
		app_status(a, ROLE_ERROR, "The reply is message %ld but was not sent: %s (C-s sends it again)",
		           n->posted_id, r->message);
	return rx(RX_REDRAW);
}

static reaction note_answer(app *a, void *p, int tag, api_result *r)
{
	note_state *s = p;
	if (!note_of(a))
		return rx(RX_REDRAW);
	switch (tag) {
	case T_POST: return answer_post(a, s, r);
	case T_CHECK: return answer_check(a, s, r);
	case T_SEND: return answer_send(a, s, r);
	}
	return rx(0);
}

/* The save machine moved: while saving the status, see how it went. */
static reaction note_event(app *a, void *p, app_event ev, const char *text, const char *err)
{
	note_state *s = p;
	desk_note *n = note_of(a);
	if (!n)
		return rx(0);
	if (ev == APP_EV_EDITED) {
		if (!text) {
			app_status(a, ROLE_ERROR, "%s (or write here)", err && *err ? err : "The editor failed");
			return rx(RX_REDRAW);
		}
		ta_free(&s->ta);
		ta_init(&s->ta, text);
		desk_note_set_text(app_desk(a), text);
		app_status(a, ROLE_STATUS, text_empty(text) ? "The note is empty (Esc drops it)"
		                                            : "C-s posts it, C-o edits it again, C-t sets the status");
		return rx(RX_REDRAW);
	}
	if (s->phase != NS_SAVING)
		return rx(0);
	const save_machine *sv = app_save(a);
	switch (sv->st) {
	case SV_IDLE:
		if (status_pending(a, n)) {
			s->phase = NS_EDIT;
			app_status(a, ROLE_ERROR, "The status was not saved (%s); the %s is not posted: C-s tries again",
			           app_status_text(a)[0] ? app_status_text(a) : "see the form", n->reply ? "reply" : "note");
			return rx(RX_REDRAW);
		}
		return n->unsure ? check_posted(a, s) : post_now(a, s);
	case SV_CONFLICT:
		app_status(a, ROLE_STATUS, "The status conflicts with someone else's change: decide on the conflict "
		           "screen; the %s is posted once the status is saved", n->reply ? "reply" : "note");
		return rx(RX_REDRAW);
	case SV_UNCERTAIN:
		s->phase = NS_EDIT;
		app_status(a, ROLE_ERROR, "Whether the status was saved is not known; the %s waits (C-s tries again)",
		           n->reply ? "reply" : "note");
		return rx(RX_REDRAW);
	default:
		return rx(0);  /* still saving, re-reading, resubmitting */
	}
}

/* ---- keys ------------------------------------------------------------------------ */

static reaction status_commit(app *a, void *ctx, long index, long id, const char *item, const char *filter)
{
	desk_note *n = note_of(a);
	(void)ctx;
	(void)filter;
	if (index < 0 || !n) {
		app_status(a, ROLE_ERROR, "Nothing matches the filter");
		return rx(RX_REDRAW);
	}
	free(n->status_name);
	n->status_name = NULL;
	n->status_id = id > 0 ? id : 0;
	if (n->status_id) {
		const char *par = strrchr(item, '(');  /* "Name (Id)" */
		n->status_name = par && par > item ? xstrndup(item, (size_t)(par - item - 1)) : xstrdup(item);
	}
	app_status(a, ROLE_STATUS, "Status after posting: %s", n->status_id ? n->status_name : "(unchanged)");
	return rx(RX_POP | RX_REDRAW);
}

static reaction status_pick(app *a, const cJSON *list)
{
	desk_note *n = note_of(a);
	const field_def *f = status_field();
	char **items, **all;
	long *ids, *allids, sel;
	size_t cnt = value_ref_items(f, list, n->status_id, n->status_id > 0, &items, &ids, &sel);
	all = xcalloc(cnt + 1, sizeof *all);
	allids = xcalloc(cnt + 1, sizeof *allids);
	all[0] = xstrdup("(unchanged)");
	for (size_t i = 0; i < cnt; i++) {
		all[i + 1] = items[i];
		allids[i + 1] = ids[i];
	}
	free(items);
	free(ids);
	app_status(a, ROLE_STATUS, "The ticket's status after posting: type to filter, Enter picks");
	return pick_screen_open("Status after posting", all, allids, cnt + 1, sel >= 0 ? sel + 1 : 0, status_commit,
	                        NULL, NULL);
}

static reaction note_list_done(app *a, void *p, const char *name, const cJSON *list, const char *err)
{
	(void)p;
	if (strcmp(name, "ticketstatus"))
		return rx(RX_REDRAW);
	if (!list) {
		app_status(a, ROLE_ERROR, "The status list is unavailable (%s)", err);
		return rx(RX_REDRAW);
	}
	return status_pick(a, list);
}

static reaction post_key(app *a, note_state *s)
{
	desk_note *n = note_of(a);
	desk_reply r;
	char err[200];
	desk_note_set_text(app_desk(a), ta_text(&s->ta));
	if (n->reply) {
		if (desk_reply_parse(n->text, &r, err, sizeof err) < 0) {
			app_status(a, ROLE_ERROR, "%s", err);
			return rx(RX_REDRAW);
		}
		reaction x = confirm_open(a, s, n, &r);
		desk_reply_free(&r);
		return x;
	}
	if (text_empty(n->text)) {
		app_status(a, ROLE_ERROR, "The note is empty: nothing to post");
		return rx(RX_REDRAW);
	}
	if (app_options(a)->dry_run)
		return dry_run(a, n);
	return begin(a, s);
}

static ta_op ta_op_of(action_id act)
{
	switch (act) {
	case ACT_LE_LEFT: return TA_LEFT;
	case ACT_LE_RIGHT: return TA_RIGHT;
	case ACT_UP: return TA_UP;
	case ACT_DOWN: return TA_DOWN;
	case ACT_PAGE_UP: return TA_PAGE_UP;
	case ACT_PAGE_DOWN: return TA_PAGE_DOWN;
	case ACT_LE_HOME: return TA_HOME;
	case ACT_LE_END: return TA_END;
	case ACT_LE_BS: return TA_BACKSPACE;
	case ACT_LE_DEL: return TA_DELETE;
	case ACT_LE_KILL_START: return TA_KILL_START;
	case ACT_LE_KILL_END: return TA_KILL_END;
	case ACT_LE_KILL_WORD: return TA_KILL_WORD;
	default: return (ta_op)-1;
	}
}

static reaction note_key(app *a, void *p, action_id act, tkey k)
{
	note_state *s = p;
	desk_note *n = note_of(a);
	if (!n)
		return rx(RX_POP | RX_REDRAW);
	if (s->phase != NS_EDIT) {
		if (act == ACT_CLOSE) {
			if (s->phase == NS_SAVING) {  /* the save goes on; the note waits */
				s->phase = NS_EDIT;
				app_status(a, ROLE_STATUS, "The %s waits: C-s posts it once the status is saved",
				           n->reply ? "reply" : "note");
				return rx(RX_REDRAW);
			}
			return rx(RX_CANCEL | RX_REDRAW);
		}
		if (act == ACT_REDRAW)
			return rx(RX_FULL | RX_REDRAW);
		app_status(a, ROLE_STATUS, "Wait for the answer (Esc cancels)");
		return rx(RX_REDRAW);
	}
	switch (act) {
	case ACT_POST: return post_key(a, s);
	case ACT_STATUS: {
		const cJSON *list = app_list(a, "ticketstatus");
		return list ? status_pick(a, list) : rx_list("ticketstatus");
	}
	case ACT_EXT_EDITOR:
		if (!external_editor(a)) {
			app_status(a, ROLE_ERROR, "No $VISUAL or $EDITOR (or no terminal to run it on): write here");
			return rx(RX_REDRAW);
		} else {
			reaction x = rx(RX_EXTERNAL | RX_REDRAW);
			x.text = xstrdup(ta_text(&s->ta));
			return x;
		}
	case ACT_NEWLINE:
		ta_insert(&s->ta, '\n');
		break;
	case ACT_CLOSE:
		desk_note_set_text(app_desk(a), ta_text(&s->ta));
		if (nothing_written(n)) {
			desk_note_drop(app_desk(a));
			app_status(a, ROLE_STATUS, "Nothing written: no %s kept", s->reply ? "reply" : "note");
		} else {
			app_status(a, ROLE_STATUS, "The %s is kept in the draft until it is posted: %s opens it again",
			           s->reply ? "reply" : "note", s->reply ? "r on the messages" : "n");
		}
		return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: {
		ta_op op = ta_op_of(act);
		if ((int)op >= 0)
			ta_apply(&s->ta, op, text_cols(), text_rows(a));
		else if (act == ACT_NONE && TK_IS_TEXT(k))
			ta_insert(&s->ta, (uint32_t)k);
		else
			return rx(0);
	}
	}
	desk_note_set_text(app_desk(a), ta_text(&s->ta));
	return rx(RX_REDRAW);
}

static reaction note_opened(app *a, void *p)
{
	note_state *s = p;
	if (s->edit_first && external_editor(a)) {
		reaction x = rx(RX_EXTERNAL | RX_REDRAW);
		x.text = xstrdup(ta_text(&s->ta));
		return x;
	}
	return rx(RX_REDRAW);
}

static const screen_ops note_screen = {
	.name = "note", .sc = SC_NOTE, .modal = true, .draw = note_draw, .key = note_key, .free = note_free,
	.list_done = note_list_done, .opened = note_opened, .answer = note_answer, .event = note_event,
};

/* The customer's address: the ticket's person, else the address it came from. */
static const char *customer_address(app *a)
{
	const cJSON *b = app_model(a)->base;
	const cJSON *e = json_get_ci(json_get_ci(b, "Person"), "Email"), *f = json_get_ci(b, "FromAddress");
	if (cJSON_IsString(e) && e->valuestring[0])
		return e->valuestring;
	return cJSON_IsString(f) ? f->valuestring : "";
}

reaction note_screen_open(app *a, bool reply)
{
	desk *d = app_desk(a);
	desk_note *n = desk_note_get(d);
	bool fresh = false;
	if (n && n->reply != reply) {
		app_status(a, ROLE_ERROR, "An unposted %s is waiting: %s opens it (post it or empty it first)",
		           n->reply ? "reply" : "note", n->reply ? "r on the messages" : "n");
		return rx(RX_REDRAW);
	}
	if (!n) {
		char *tmpl = NULL;
		if (reply) {
			const cJSON *t = json_get_ci(app_model(a)->base, "Title");
			tmpl = desk_reply_template(customer_address(a), cJSON_IsString(t) ? t->valuestring : "");
		}
		n = desk_note_start(d, reply, app_ticket_id(a), tmpl);
		free(tmpl);
		fresh = true;
	}
	note_state *s = xcalloc(1, sizeof *s);
	s->reply = reply;
	ta_init(&s->ta, n->text);
	s->edit_first = fresh;
	if (fresh)
		app_status(a, ROLE_STATUS, "%s: C-s posts%s, C-t sets the status, C-o uses $EDITOR, Esc keeps it for later",
		           reply ? "Write the reply below the headers" : "Write the internal note",
		           reply ? " (after showing the recipients)" : "");
	else
		app_status(a, ROLE_STATUS, "Your unposted %s%s: C-s posts it", reply ? "reply" : "note",
		           n->unsure ? " (an earlier POST may have arrived: C-s looks first)" : "");
	return rx_push(&note_screen, s);
}

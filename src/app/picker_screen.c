/* picker_screen.c — the ticket picker: what `ticketed` without a TICKET_ID
 * opens, and `o` on the form. A search box on top (an id opens that
 * ticket, words search the titles), then sections of tickets to choose
 * with Up/Down and Enter: the search results, "My open tickets" (GET Ticket
 * with ownedBy currentAssociate and status eq 1, ticketlist.h) and the
 * recent tickets of this service URL (recent.h, no request). Esc clears the
 * search box, then closes the picker (back to the ticket, or, with none
 * loaded, quits).
 *
 * Choosing a ticket returns RX_OPEN: the loop leaves the current ticket the
 * way the quit prompt does (save, keep as draft, discard, stay) and loads
 * the chosen one. Every server text is drawn through text_draw. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/draft.h"
#include "ticketed/num.h"
#include "ticketed/recent.h"
#include "ticketed/screens.h"
#include "ticketed/servertz.h"
#include "ticketed/text.h"
#include "ticketed/ticketlist.h"
#include "ticketed/xalloc.h"

#define HEAD_ROWS 3
#define PICK_TOP "50"      /* rows asked for, per section */
#define RECENT_SHOWN 10
#define TAG_MINE 1
#define TAG_SEARCH 2       /* + the search's sequence number */

typedef struct {
	tlist_row *rows;
	size_t n;
	bool loading, more;
	char err[300];
} section;

typedef enum { PL_SECTION, PL_NOTE, PL_TICKET, PL_RECENT } pline_kind;

typedef struct {
	pline_kind kind;
	long id;                   /* PL_TICKET, PL_RECENT */
	const tlist_row *row;      /* PL_TICKET */
	const recent_entry *rec;   /* PL_RECENT */
	char text[160];            /* PL_SECTION, PL_NOTE */
} pline;

typedef struct {
	lineedit le;
	section mine, found;
	char *searched;            /* the words of the last search, or NULL */
	int seq;                   /* the search in flight */
	recent_entry *recent;      /* of this URL, newest first */
	size_t nrecent;
	char recent_err[300];
	long sel_id;               /* the ticket under the cursor (0: the first) */
	int sel_kind;              /* PL_TICKET or PL_RECENT: which section's line */
	bool moved;                /* the user chose a line: answers no longer move the cursor */
	size_t top;
	pline *lines;              /* built by layout() */
	size_t nlines;
} picker_state;

static void section_free(section *s)
{
	tlist_rows_free(s->rows, s->n);
	s->rows = NULL;
	s->n = 0;
}

static void picker_free(void *p)
{
	picker_state *s = p;
	le_free(&s->le);
	section_free(&s->mine);
	section_free(&s->found);
	free(s->searched);
	recent_free(s->recent, s->nrecent);
	free(s->lines);
	free(s);
}

/* ---- the lines ---------------------------------------------------------------- */

static pline *add_line(picker_state *s, pline_kind kind)
{
	pline *l;
	s->lines = xreallocarray(s->lines, s->nlines + 1, sizeof *s->lines);
	l = &s->lines[s->nlines++];
	memset(l, 0, sizeof *l);
	l->kind = kind;
	return l;
}

static void add_section(picker_state *s, const char *title, const section *sec, const char *none)
{
	pline *l = add_line(s, PL_SECTION);
	snprintf(l->text, sizeof l->text, "%s", title);
	if (sec->loading && !sec->n) {
		snprintf(add_line(s, PL_NOTE)->text, sizeof l->text, "Loading…");
	} else if (sec->err[0]) {
		snprintf(add_line(s, PL_NOTE)->text, sizeof l->text, "Could not load: %.140s", sec->err);
	} else if (!sec->n) {
		snprintf(add_line(s, PL_NOTE)->text, sizeof l->text, "%s", none);
	}
	for (size_t i = 0; i < sec->n; i++) {
		l = add_line(s, PL_TICKET);
		l->id = sec->rows[i].id;
		l->row = &sec->rows[i];
	}
	if (sec->more)
		snprintf(add_line(s, PL_NOTE)->text, sizeof l->text, "… more: `ticketed list` shows them all");
}

/* The lines to show: search results, my open tickets, recent ones. */
static void layout(picker_state *s)
{
	char title[160];
	free(s->lines);
	s->lines = NULL;
	s->nlines = 0;
	if (s->searched) {
		char *w = text_sanitize(s->searched, 60);
		snprintf(title, sizeof title, "Search: \"%s\"", w);
		free(w);
		add_section(s, title, &s->found, "No ticket title has these words");
	}
	add_section(s, "My open tickets", &s->mine, "None: no open ticket is yours");
	snprintf(add_line(s, PL_SECTION)->text, sizeof title, "Recent tickets");
	if (s->recent_err[0])
		snprintf(add_line(s, PL_NOTE)->text, sizeof title, "Unavailable: %.140s", s->recent_err);
	else if (!s->nrecent)
		snprintf(add_line(s, PL_NOTE)->text, sizeof title, "None yet on this service");
	for (size_t i = 0; i < s->nrecent && i < RECENT_SHOWN; i++) {
		pline *l = add_line(s, PL_RECENT);
		l->id = s->recent[i].id;
		l->rec = &s->recent[i];
	}
}

static bool selectable(const pline *l) { return l->kind == PL_TICKET || l->kind == PL_RECENT; }

/* The index of the selected line: the one the user moved to, else (or
 * when it is gone) the first selectable one; -1 when there is none. */
static long selected(picker_state *s)
{
	long first = -1;
	for (size_t i = 0; i < s->nlines; i++) {
		if (!selectable(&s->lines[i]))
			continue;
		if (first < 0)
			first = (long)i;
		if (s->moved && s->lines[i].id == s->sel_id && (int)s->lines[i].kind == s->sel_kind)
			return (long)i;
	}
	if (first >= 0) {
		s->sel_id = s->lines[first].id;
		s->sel_kind = s->lines[first].kind;
	}
	return first;
}

static void select_line(picker_state *s, long i)
{
	s->sel_id = s->lines[i].id;
	s->sel_kind = s->lines[i].kind;
	s->moved = true;
}

static void move_sel(picker_state *s, long delta)
{
	long i = selected(s), step = delta < 0 ? -1 : 1, moved = 0, want = delta < 0 ? -delta : delta;
	if (i < 0)
		return;
	while (moved < want) {
		long j = i + step;
		while (j >= 0 && j < (long)s->nlines && !selectable(&s->lines[j]))
			j += step;
		if (j < 0 || j >= (long)s->nlines)
			break;
		i = j;
		moved++;
	}
	select_line(s, i);
}

/* ---- drawing --------------------------------------------------------------------- */

static int list_rows(void) { return LINES - HEAD_ROWS - 2 > 1 ? LINES - HEAD_ROWS - 2 : 1; }

/* Server text S at Y,X, at most W columns (cut with '…'); returns X + W + 2. */
static int col_text(int y, int x, const char *s, int w, attr_t attr)
{
	if (w <= 0 || x >= COLS)
		return x;
	move(y, x);
	text_draw(stdscr, s, w, true, attr, ui_over(attr, ui_attr[ROLE_CONTROL_CHAR]));
	return x + w + 2;
}

static void draw_line(app *a, int y, const pline *l, bool cur)
{
	attr_t at = cur ? ui_attr[ROLE_CURSOR] : ui_attr[ROLE_VALUE];
	char id[24], when[56];
	int x, rest;
	if (l->kind == PL_SECTION) {
		ui_fill(y, 0, COLS, ui_attr[ROLE_SECTION]);
		ui_puts(y, 1, l->text, COLS - 1, ui_attr[ROLE_SECTION] | A_BOLD);
		return;
	}
	ui_fill(y, 0, COLS, A_NORMAL);
	if (l->kind == PL_NOTE) {
		move(y, 3);
		text_draw(stdscr, l->text, COLS - 4, true, ui_attr[ROLE_READONLY],
		          ui_over(ui_attr[ROLE_READONLY], ui_attr[ROLE_CONTROL_CHAR]));
		return;
	}
	snprintf(id, sizeof id, "%9ld", l->id);
	ui_fill(y, 0, 11, at);
	ui_puts(y, 0, id, 11, at | A_BOLD);  /* the cursor bar covers the id */
	x = 12;
	if (l->kind == PL_RECENT) {
		char ago[40];
		age_text(l->rec->when, ago, sizeof ago);
		snprintf(when, sizeof when, "opened %s", ago);
		rest = COLS - x - (int)strlen(when) - 2;
		x = col_text(y, x, l->rec->title, rest, ui_attr[ROLE_VALUE]);
		ui_puts(y, COLS - (int)strlen(when) - 1, when, (int)strlen(when), ui_attr[ROLE_READONLY]);
		return;
	}
	{
		const options *o = app_options(a);
		int naive = 0, sw = COLS >= 100 ? 22 : 12, pw = COLS >= 90 ? 10 : 0, dw = COLS >= 110 ? 16 : 0;
		char dl[40], err[100];
		if (servertz_offset(o->server_timezone, NULL, &naive, err, sizeof err) < 0)
			naive = 0;
		tlist_date(l->row->deadline, naive, dl, sizeof dl);
		rest = COLS - x - (sw + 2) - (pw ? pw + 2 : 0) - (dw ? dw + 2 : 0) - 1;
		x = col_text(y, x, l->row->title, rest, ui_attr[ROLE_VALUE]);
		x = col_text(y, x, l->row->status, sw, ui_attr[ROLE_LABEL]);
		if (pw)
			x = col_text(y, x, l->row->priority, pw, ui_attr[ROLE_LABEL]);
		if (dw)
			col_text(y, x, dl, dw, ui_attr[ROLE_READONLY]);
	}
}

static void picker_draw(app *a, void *p)
{
	picker_state *s = p;
	int h = list_rows();
	long sel;
	const options *o = app_options(a);
	layout(s);
	sel = selected(s);
	if (sel >= 0) {  /* keep the cursor in view, with its section title when it fits */
		if ((size_t)sel < s->top)
			s->top = (size_t)sel > 0 && !selectable(&s->lines[sel - 1]) ? (size_t)sel - 1 : (size_t)sel;
		if ((size_t)sel >= s->top + (size_t)h)
			s->top = (size_t)sel - (size_t)h + 1;
	}
	if (s->top >= s->nlines)
		s->top = 0;
	ui_fill(0, 0, COLS, ui_attr[ROLE_HEADER]);
	ui_puts(0, 0, " Open a ticket", COLS, ui_attr[ROLE_HEADER] | A_BOLD);
	if (o->url && COLS > 40) {
		move(0, 16);
		text_draw(stdscr, o->url, COLS - 17, true, ui_attr[ROLE_HEADER],
		          ui_over(ui_attr[ROLE_HEADER], ui_attr[ROLE_CONTROL_CHAR]));
	}
	ui_fill(2, 0, COLS, A_NORMAL);
	ui_puts(2, 1, "An id opens it, words search the titles; Up/Down and Enter open one below.",
	        COLS - 2, ui_attr[ROLE_READONLY]);
	for (int y = 0; y < h; y++) {
		size_t i = s->top + (size_t)y;
		if (i < s->nlines)
			draw_line(a, HEAD_ROWS + y, &s->lines[i], (long)i == sel);
		else
			ui_fill(HEAD_ROWS + y, 0, COLS, A_NORMAL);
	}
	ui_fill(1, 0, COLS, A_NORMAL);
	ui_puts(1, 1, "Search:", 8, ui_attr[ROLE_LABEL] | A_BOLD);
	ui_cursor(true);
	le_draw(&s->le, stdscr, 1, 9, COLS - 10, ui_attr[ROLE_VALUE],
	        ui_over(ui_attr[ROLE_VALUE], ui_attr[ROLE_CONTROL_CHAR]));
}

/* ---- requests -------------------------------------------------------------------- */

static reaction ask(const char *filter, int tag)
{
	return rx_request(app_get("Ticket", tag, "$select", TLIST_SELECT, "$filter", filter, "$orderBy",
	                          TLIST_ORDER, "$top", PICK_TOP, NULL));
}

static reaction ask_mine(picker_state *s)
{
	tlist_query q;
	char *f;
	reaction r;
	tlist_query_init(&q);
	q.mine = true;
	q.base_status = 1;  /* Active */
	f = tlist_filter(&q);
	section_free(&s->mine);
	s->mine.loading = true;
	s->mine.err[0] = '\0';
	r = ask(f, TAG_MINE);
	free(f);
	return r;
}

static reaction picker_opened(app *a, void *p)
{
	(void)a;
	return ask_mine(p);
}

static reaction picker_answer(app *a, void *p, int tag, api_result *r)
{
	picker_state *s = p;
	section *sec = tag == TAG_MINE ? &s->mine : &s->found;
	char err[300];
	if (tag != TAG_MINE && tag != TAG_SEARCH + s->seq)
		return rx(0);  /* an older search */
	sec->loading = false;
	sec->err[0] = '\0';
	section_free(sec);
	if (!r->ok)
		snprintf(sec->err, sizeof sec->err, "%.290s", r->message);
	else if (tlist_rows(r->json, &sec->rows, &sec->n, &sec->more, err, sizeof err) < 0)
		snprintf(sec->err, sizeof sec->err, "%s", err);
	if (tag != TAG_MINE) {
		if (sec->err[0])
			app_status(a, ROLE_ERROR, "Search failed: %s", sec->err);
		else
			app_status(a, ROLE_STATUS, "%zu ticket%s found%s", sec->n, sec->n == 1 ? "" : "s",
			           sec->n ? ": Enter opens the one under the cursor" : "");
		if (sec->n) {  /* the first result under the cursor */
			s->moved = false;
			s->top = 0;
		}
	}
	return rx(RX_REDRAW);
}

/* ---- keys ------------------------------------------------------------------------- */

static reaction open_id(app *a, long id)
{
	reaction r = rx(RX_POP | RX_OPEN | RX_REDRAW);
	(void)a;
	r.ticket = id;
	return r;
}

static reaction commit(app *a, picker_state *s)
{
	char *text = xstrdup(le_text(&s->le)), *t = text;
	long id;
	reaction r;
	while (*t == ' ')
		t++;
	for (size_t n = strlen(t); n && t[n - 1] == ' '; n--)
		t[n - 1] = '\0';
	if (!*t) {
		long i = selected(s);
		free(text);
		if (i < 0) {
			app_status(a, ROLE_STATUS, "Nothing to open: type a ticket id, or words to search for");
			return rx(RX_REDRAW);
		}
		return open_id(a, s->lines[i].id);
	}
	if (num_id(t, &id, NULL) == 0) {
		free(text);
		return open_id(a, id);
	}
	{
		tlist_query q;
		char *f;
		tlist_query_init(&q);
		q.search = t;
		f = tlist_filter(&q);
		free(s->searched);
		s->searched = xstrdup(t);
		section_free(&s->found);
		s->found.loading = true;
		s->found.err[0] = '\0';
		s->seq++;
		r = ask(f, TAG_SEARCH + s->seq);
		free(f);
	}
	app_status(a, ROLE_STATUS, "Searching…");
	le_free(&s->le);
	le_init(&s->le, NULL);
	free(text);
	return r;
}

static reaction picker_key(app *a, void *p, action_id act, tkey k)
{
	picker_state *s = p;
	layout(s);  /* the lines of the sections as they are now (an answer may have come) */
	switch (act) {
	case ACT_UP: move_sel(s, -1); break;
	case ACT_DOWN: move_sel(s, 1); break;
	case ACT_PAGE_UP: move_sel(s, -list_rows()); break;
	case ACT_PAGE_DOWN: move_sel(s, list_rows()); break;
	case ACT_COMMIT: return commit(a, s);
	case ACT_HELP: return help_open(a);
	case ACT_CANCEL:
		if (s->le.len) {
			le_free(&s->le);
			le_init(&s->le, NULL);
			break;
		}
		app_status_clear(a);
		/* back to the ticket; with none loaded, Esc leaves the program */
		return app_model(a)->base ? rx(RX_POP | RX_REDRAW) : rx(RX_QUIT);
	default:
		return lineedit_key(&s->le, act, k);
	}
	return rx(RX_REDRAW);
}

const screen_ops picker_screen = {
	.name = "picker", .sc = SC_PICKER, .modal = false,
	.draw = picker_draw, .key = picker_key, .free = picker_free,
	.opened = picker_opened, .answer = picker_answer,
};

reaction picker_open(app *a)
{
	picker_state *s = xcalloc(1, sizeof *s);
	const options *o = app_options(a);
	char norm[DRAFT_URL_MAX + 1];
	recent_entry *all = NULL;
	size_t n = 0;
	le_init(&s->le, NULL);
	if (recent_read(&all, &n, s->recent_err, sizeof s->recent_err) == 0 && o->url &&
	    draft_url_normalize(o->url, norm, sizeof norm) == 0) {
		for (size_t i = 0; i < n; i++) {  /* this service's, the current ticket left out */
			if (strcmp(all[i].url, norm) || (app_model(a)->base && all[i].id == app_ticket_id(a)))
				continue;
			s->recent = xreallocarray(s->recent, s->nrecent + 1, sizeof *s->recent);
			s->recent[s->nrecent++] = all[i];
			all[i].url = all[i].title = NULL;
		}
	}
	recent_free(all, n);
	app_status(a, ROLE_STATUS, "Type a ticket id or words, Enter; Up/Down choose; Esc %s",
	           app_model(a)->base ? "goes back" : "quits");
	return rx_push(&picker_screen, s);
}

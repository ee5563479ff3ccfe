/* body_screen.c — one message: its header (time, author, internal or
 * external, important) and its body, fetched on demand (GET
 * TicketMessage/{id}) and kept for the session (desk.h), rendered as
 * readable text (html.h) and laid out to the width (bodyview.h: every
 * character through the form's sanitiser). PgUp/PgDn, g/G scroll; / searches
 * (case-insensitive), n/N go to the next and previous match (into collapsed
 * quotes too, which then open); t shows quotes whole or collapses them; a
 * resize re-wraps; r replies; Esc goes back to the list. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include "ticketed/bodyview.h"
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

#define HEADER_ROWS 2
#define T_BODY 1
#define NO_MATCH ((size_t)-1)

typedef struct {
	long id;
	char *when, *author;
	bool internal, important;
	bodyview bv;
	bool ready, loading, failed;
	bool expanded;
	size_t top;       /* first row shown */
	char *search;     /* the search text, or NULL */
	size_t match;     /* the row of the current match, or NO_MATCH */
} body_state;

/* The rows between the header and the status line (which may take two). */
static int body_rows(app *a)
{
	int h = LINES - HEADER_ROWS - 1 - app_status_rows(a);
	return h > 1 ? h : 1;
}
static int body_width(void) { return COLS - 2 > BV_MIN_WIDTH ? COLS - 2 : BV_MIN_WIDTH; }

static void body_free(void *p)
{
	body_state *s = p;
	if (s->ready)
		bodyview_free(&s->bv);
	free(s->when);
	free(s->author);
	free(s->search);
	free(s);
}

/* Lay out anew (width or quotes changed), keeping the first line shown. */
static void relayout(body_state *s, int width, bool expanded)
{
	size_t line = s->top < s->bv.nrows ? s->bv.rows[s->top].line : 0;
	size_t mline = s->match != NO_MATCH && s->match < s->bv.nrows ? s->bv.rows[s->match].line : (size_t)-1;
	bodyview_layout(&s->bv, width, expanded);
	s->expanded = expanded;
	s->top = 0;
	s->match = NO_MATCH;
	for (size_t r = 0; r < s->bv.nrows; r++) {
		if (s->bv.rows[r].line <= line && s->bv.rows[r].kind != BV_MORE)
			s->top = r;
		if (mline != (size_t)-1 && s->match == NO_MATCH && s->bv.rows[r].line == mline)
			s->match = r;
	}
}

static void clamp(app *a, body_state *s)
{
	size_t h = (size_t)body_rows(a);
	if (s->bv.nrows <= h)
		s->top = 0;
	else if (s->top > s->bv.nrows - h)
		s->top = s->bv.nrows - h;
}

static void draw_header(app *a, body_state *s)
{
	char buf[256];
	ui_fill(0, 0, COLS, ui_attr[ROLE_HEADER]);
	snprintf(buf, sizeof buf, " Message #%ld of ticket %ld", s->id, app_ticket_id(a));
	ui_puts(0, 0, buf, COLS, ui_attr[ROLE_HEADER] | A_BOLD);
	if (s->ready && s->bv.nrows > (size_t)body_rows(a)) {
		size_t last = s->top + (size_t)body_rows(a);
		snprintf(buf, sizeof buf, "rows %zu-%zu of %zu ", s->top + 1, last < s->bv.nrows ? last : s->bv.nrows,
		         s->bv.nrows);
		int w = (int)strlen(buf);
		if (w < COLS / 2)
			ui_puts(0, COLS - w, buf, w, ui_attr[ROLE_HEADER]);
	}
	ui_fill(1, 0, COLS, ui_attr[ROLE_HEADER]);
	snprintf(buf, sizeof buf, " %s  %s%s  ", s->when, s->internal ? "internal note" : "external",
	         s->important ? ", important" : "");
	int n = (int)strlen(buf);
	ui_puts(1, 0, buf, COLS, ui_attr[ROLE_HEADER]);
	if (s->important)
		ui_puts(1, n - 11, "important", 9, ui_attr[ROLE_ERROR] | A_BOLD);
	move(1, n);
	text_draw(stdscr, s->author, COLS - n - 1, true, ui_attr[ROLE_HEADER] | A_BOLD,
	          ui_attr[ROLE_HEADER] | ui_attr[ROLE_CONTROL_CHAR]);
}

static void body_draw(app *a, void *p)
{
	body_state *s = p;
	int h = body_rows(a);
	if (s->ready && s->bv.width != body_width())
		relayout(s, body_width(), s->expanded);  /* a resize re-wraps */
	if (s->ready)
		clamp(a, s);
	draw_header(a, s);
	for (int y = 0; y < h; y++) {
		size_t r = s->top + (size_t)y;
		ui_fill(HEADER_ROWS + y, 0, COLS, A_NORMAL);
		if (!s->ready || r >= s->bv.nrows)
			continue;
		bool hit = r == s->match;
		attr_t text = hit ? ui_attr[ROLE_CURSOR] : ui_attr[ROLE_VALUE];
		bodyview_draw_row(&s->bv, r, stdscr, HEADER_ROWS + y, 1, COLS - 2, text,
		                  hit ? ui_attr[ROLE_CURSOR] : ui_attr[ROLE_READONLY],
		                  ui_over(text, ui_attr[ROLE_CONTROL_CHAR]), ui_attr[ROLE_SECTION] | A_BOLD);
	}
	if (!s->ready)
		ui_puts(HEADER_ROWS, 1, s->loading ? "Loading the message…" :
		        s->failed ? "The message could not be read (Esc, then Enter tries again)." : "",
		        COLS - 2, ui_attr[ROLE_READONLY]);
	else if (!s->bv.nrows)
		ui_puts(HEADER_ROWS, 1, "(this message has no text)", COLS - 2, ui_attr[ROLE_READONLY]);
}

static void show(app *a, body_state *s, const desk_body *b)
{
	if (bodyview_init(&s->bv, b->text, strlen(b->text), b->html) < 0) {
		s->failed = true;
		app_status(a, ROLE_ERROR, "Out of memory rendering the message");
		return;
	}
	bodyview_layout(&s->bv, body_width(), false);
	s->ready = true;
	s->failed = false;
	size_t q = 0;
	for (size_t r = 0; r < s->bv.nrows; r++)
		q += s->bv.rows[r].kind == BV_MORE;
	/* one row at 80 columns (a second row would cost the body one); Esc is in the footer */
	app_status(a, ROLE_STATUS, "%s message%s: / searches, r replies", b->html ? "HTML" : "Plain-text",
	           q ? " (quotes collapsed: t shows them)" : "");
}

static reaction body_answer(app *a, void *p, int tag, api_result *r)
{
	body_state *s = p;
	(void)tag;
	s->loading = false;
	const desk_body *b = r->ok ? desk_body_put(app_desk(a), r->json) : NULL;
	if (!b) {
		s->failed = true;
		app_status(a, ROLE_ERROR, "Message %ld could not be read: %s", s->id,
		           r->ok ? "the answer is not a message" : r->message);
		return rx(RX_REDRAW);
	}
	show(a, s, b);
	return rx(RX_REDRAW);
}

static reaction body_opened(app *a, void *p)
{
	body_state *s = p;
	const desk_body *b = desk_body_get(app_desk(a), s->id);
	if (b) {  /* read before in this session */
		show(a, s, b);
		return rx(RX_REDRAW);
	}
	char path[48];
	snprintf(path, sizeof path, "TicketMessage/%ld", s->id);
	s->loading = true;
	app_status(a, ROLE_STATUS, "Loading message %ld…", s->id);
	return rx_request(app_get(path, T_BODY, NULL));
}

/* ---- search ------------------------------------------------------------------- */

static bool row_has(const body_state *s, size_t r, const char *what)
{
	char *t = bodyview_row_text(&s->bv, r);
	bool hit = t && strcasestr(t, what) != NULL;
	free(t);
	return hit;
}

static size_t count_matches(const body_state *s)
{
	size_t n = 0;
	for (size_t r = 0; r < s->bv.nrows; r++)
		n += s->bv.rows[r].kind != BV_MORE && row_has(s, r, s->search);
	return n;
}

/* The next (DIR 1) or previous (-1) match from FROM (exclusive), wrapping
 * around; quotes are opened when the only matches are inside them. */
static void find(app *a, body_state *s, size_t from, int dir)
{
	for (int pass = 0; pass < 2; pass++) {
		size_t n = s->bv.nrows;
		for (size_t k = 1; k <= n; k++) {
			size_t r = from == NO_MATCH ? (dir > 0 ? k - 1 : n - k)
			                            : dir > 0 ? (from + k) % n : (from + n * 2 - k) % n;
			if (s->bv.rows[r].kind == BV_MORE || !row_has(s, r, s->search))
				continue;
			bool wrapped = from != NO_MATCH && (dir > 0 ? r <= from : r >= from);
			s->match = r;
			if (r < s->top || r >= s->top + (size_t)body_rows(a))
				s->top = r > (size_t)body_rows(a) / 3 ? r - (size_t)body_rows(a) / 3 : 0;
			size_t before = 0, total = count_matches(s);
			for (size_t q = 0; q < r; q++)
				before += s->bv.rows[q].kind != BV_MORE && row_has(s, q, s->search);
			app_status(a, ROLE_STATUS, "\"%s\": match %zu of %zu%s (n next, N previous)", s->search, before + 1,
			           total, wrapped ? ", from the other end" : "");
			return;
		}
		if (s->expanded)
			break;
		relayout(s, s->bv.width, true);  /* inside a collapsed quote? */
		from = NO_MATCH;
	}
	s->match = NO_MATCH;
	app_status(a, ROLE_ERROR, "\"%s\" is not in this message", s->search);
}

static reaction search_commit(app *a, void *ctx, const char *text, size_t *errpos)
{
	body_state *s = ctx;
	(void)errpos;
	if (!*text) {
		app_status(a, ROLE_STATUS, "Search cancelled");
		return rx(RX_POP | RX_REDRAW);
	}
	free(s->search);
	s->search = xstrdup(text);
	find(a, s, s->top ? s->top - 1 : NO_MATCH, 1);
	return rx(RX_POP | RX_REDRAW);
}

static reaction body_key(app *a, void *p, action_id act, tkey k)
{
	body_state *s = p;
	size_t page = (size_t)body_rows(a);
	(void)k;
	if (!s->ready && act != ACT_CLOSE && act != ACT_REDRAW && act != ACT_HELP && act != ACT_REPLY)
		return rx(0);
	switch (act) {
	case ACT_UP: if (s->top) s->top--; break;
	case ACT_DOWN: s->top++; break;
	case ACT_PAGE_UP: s->top = s->top > page ? s->top - page : 0; break;
	case ACT_PAGE_DOWN: s->top += page; break;
	case ACT_FIRST: s->top = 0; break;
	case ACT_LAST: s->top = s->bv.nrows; break;
	case ACT_QUOTES:
		relayout(s, s->bv.width, !s->expanded);
		app_status(a, ROLE_STATUS, "%s", s->expanded ? "Quotes shown whole (t collapses them)" : "Quotes collapsed");
		break;
	case ACT_SEARCH:
		return prompt_screen_open(a, "Search: ", "Text to find in this message (Enter finds, Esc cancels)",
		                          search_commit, s, NULL);
	case ACT_SEARCH_NEXT:
	case ACT_SEARCH_PREV:
		if (!s->search) {
			app_status(a, ROLE_STATUS, "/ searches first");
			break;
		}
		find(a, s, s->match != NO_MATCH ? s->match : s->top ? s->top - 1 : NO_MATCH,
		     act == ACT_SEARCH_NEXT ? 1 : -1);
		break;
	case ACT_REPLY: return note_screen_open(a, true);
	case ACT_HELP: return help_open(a);
	case ACT_CLOSE:
		app_status_clear(a);
		return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: return rx(0);
	}
	clamp(a, s);
	return rx(RX_REDRAW);
}

static const screen_ops body_screen = {
	.name = "body", .sc = SC_BODY, .modal = false, .draw = body_draw, .key = body_key, .free = body_free,
	.opened = body_opened, .answer = body_answer,
};

reaction body_screen_open(app *a, long id, const char *when, const char *author, bool internal, bool important)
{
	(void)a;
	body_state *s = xcalloc(1, sizeof *s);
	s->id = id;
	s->when = xstrdup(when ? when : "");
	s->author = xstrdup(author ? author : "");
	s->internal = internal;
	s->important = important;
	s->match = NO_MATCH;
	return rx_push(&body_screen, s);
}

/* messages_screen.c — the conversation: the ticket's messages from the
 * TicketMessage archive (GET Ticket/{id}/Messages), newest first, fetched
 * in pages of MSG_PAGE ($top/$skip) so a ticket with thousands of messages
 * shows its first rows at once; the next page is fetched when the cursor
 * comes near the last row (G fetches on to the end). Each row: the time,
 * the author, internal or external, important. Enter reads the message
 * (body_screen.c), n writes a note, r a reply (note_screen.c), R reads the
 * list anew, Esc goes back to the form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/date.h"
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/servertz.h"
#include "ticketed/text.h"
#include "ticketed/ticketlist.h"
#include "ticketed/xalloc.h"

#define MSG_PAGE 50
#define HEADER_ROWS 2
#define T_PAGE 1

typedef struct {
	long id;
	char *when;     /* "2026-11-26 14:02": in the user's zone (TZ), as on the form */
	char *author;   /* raw: sanitised when drawn */
	bool internal, important;
} mrow;

typedef struct {
	mrow *v;
	size_t n;
	bool more;        /* the archive said more rows follow (odata.nextLink) */
	bool loading;
	bool to_end;      /* G: keep fetching until the last page */
	bool failed;
	long total;       /* NumMessages when the list was read */
	bool quiet;       /* read anew by itself: the status line is not this list's */
	size_t cur, top;
} msgs_state;

/* The rows between the header and the status line (which may take two). */
static int body_rows(app *a)
{
	int h = LINES - HEADER_ROWS - 1 - app_status_rows(a);
	return h > 1 ? h : 1;
}

static void rows_free(msgs_state *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].when);
		free(s->v[i].author);
	}
	free(s->v);
	s->v = NULL;
	s->n = 0;
}

static void msgs_free(void *p)
{
	msgs_state *s = p;
	rows_free(s);
	free(s);
}

static long total_messages(app *a);

static reaction fetch_page(app *a, msgs_state *s)
{
	char path[64], skip[24], top[24];
	snprintf(path, sizeof path, "Ticket/%ld/Messages", app_ticket_id(a));
	snprintf(skip, sizeof skip, "%zu", s->n);
	snprintf(top, sizeof top, "%d", MSG_PAGE);
	s->loading = true;
	s->failed = false;
	if (!s->n)
		s->total = total_messages(a);
	return rx_request(app_get(path, T_PAGE, "$select", "ticketMessageId,createdAt,author,slevel,important",
	                          "$orderBy", "createdAt desc", "$top", top, "$skip", skip, NULL));
}

static long total_messages(app *a)
{
	const cJSON *n = json_get_ci(app_model(a)->base, "NumMessages");
	return json_is_int32(n) ? n->valueint : -1;
}

/* ---- drawing ------------------------------------------------------------------ */

static void draw_header(app *a, msgs_state *s)
{
	char buf[256];
	const cJSON *t = json_get_ci(app_model(a)->base, "Title");
	long total = total_messages(a);
	ui_fill(0, 0, COLS, ui_attr[ROLE_HEADER]);
	snprintf(buf, sizeof buf, " Messages of ticket %ld: ", app_ticket_id(a));
	ui_puts(0, 0, buf, COLS, ui_attr[ROLE_HEADER] | A_BOLD);
	int n = (int)strlen(buf);
	if (cJSON_IsString(t)) {
		move(0, n);
		text_draw(stdscr, t->valuestring, COLS - n - 1, true, ui_attr[ROLE_HEADER] | A_BOLD,
		          ui_attr[ROLE_HEADER] | ui_attr[ROLE_CONTROL_CHAR]);
	}
	ui_fill(1, 0, COLS, ui_attr[ROLE_HEADER]);
	if (s->n || !s->loading)
		snprintf(buf, sizeof buf, " %zu of %ld shown, newest first%s", s->n,
		         total >= (long)s->n ? total : (long)s->n, s->loading ? " (loading more…)" : "");
	else
		snprintf(buf, sizeof buf, " Loading the messages…");
	ui_puts(1, 0, buf, COLS, ui_attr[ROLE_HEADER]);
}

static void draw_row(const mrow *r, int y, bool cursor)
{
	attr_t base = cursor ? ui_attr[ROLE_CURSOR] : ui_attr[ROLE_VALUE];
	attr_t kind = cursor ? ui_attr[ROLE_CURSOR] : r->internal ? ui_attr[ROLE_MODIFIED] : ui_attr[ROLE_VALUE];
	attr_t imp = cursor ? ui_attr[ROLE_CURSOR] | A_BOLD : ui_attr[ROLE_ERROR] | A_BOLD;
	int aw = COLS - 2 - 17 - 11;
	ui_fill(y, 0, COLS, base);
	ui_puts(y, 0, r->important ? "!" : " ", 1, imp);
	move(y, 2);
	text_draw(stdscr, r->when, 16, false, base, ui_over(base, ui_attr[ROLE_CONTROL_CHAR]));
	ui_puts(y, 19, r->internal ? "internal" : "external", 8, kind);
	if (aw > 4) {
		move(y, 29);
		text_draw(stdscr, r->author, COLS - 29, true, base, ui_over(base, ui_attr[ROLE_CONTROL_CHAR]));
	}
}

static void msgs_draw(app *a, void *p)
{
	msgs_state *s = p;
	size_t h = (size_t)body_rows(a);
	draw_header(a, s);
	if (s->cur < s->top)
		s->top = s->cur;
	if (s->cur >= s->top + h)
		s->top = s->cur - h + 1;
	for (size_t y = 0; y < h; y++) {
		size_t i = s->top + y;
		if (i < s->n)
			draw_row(&s->v[i], HEADER_ROWS + (int)y, i == s->cur);
		else
			ui_fill(HEADER_ROWS + (int)y, 0, COLS, A_NORMAL);
	}
	if (!s->n && !s->loading)
		ui_puts(HEADER_ROWS, 2, s->failed ? "The messages could not be read (R tries again)." : "No messages.",
		        COLS - 2, ui_attr[ROLE_READONLY]);
	if (s->n)
		move(HEADER_ROWS + (int)(s->cur - s->top), 0);
}

/* ---- the list's pages -------------------------------------------------------------- */

/* A message's time in the user's zone, like every other date on screen: a
 * time with an offset is that instant; one without is in the server's zone
 * (the config's server_timezone, else UTC). A value that is no date is
 * shown as sent (its first 16 bytes; sanitised when drawn). */
static char *when_text(app *a, const cJSON *v)
{
	char buf[40], err[100];
	int naive = 0;
	tdate d;
	if (!cJSON_IsString(v))
		return xstrdup("");
	if (date_read(v->valuestring, 0, &d, err, sizeof err) < 0) {
		snprintf(buf, sizeof buf, "%.16s", v->valuestring);
		if (buf[10] == 'T')
			buf[10] = ' ';
		return xstrdup(buf);
	}
	if (servertz_offset(app_options(a)->server_timezone, v->valuestring, &naive, err, sizeof err) < 0)
		naive = 0;
	tlist_date(v->valuestring, naive, buf, sizeof buf);
	return xstrdup(buf);
}

static reaction msgs_answer(app *a, void *p, int tag, api_result *r)
{
	msgs_state *s = p;
	(void)tag;
	s->loading = false;
	const cJSON *rows = r->ok ? json_get(r->json, "value") : NULL, *row;
	if (!cJSON_IsArray(rows)) {
		s->failed = true;
		s->to_end = false;
		app_status(a, ROLE_ERROR, "The messages could not be read: %s",
		           r->ok ? "the answer is not a message list" : r->message);
		return rx(RX_REDRAW);
	}
	size_t got = 0;
	cJSON_ArrayForEach(row, rows) {
		const cJSON *id = json_get_ci(row, "ticketMessageId");
		if (!id)
			id = json_get_ci(row, "PrimaryKey");
		const cJSON *sl = json_get_ci(row, "slevel"), *au = json_get_ci(row, "author");
		s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
		mrow *m = &s->v[s->n++];
		m->id = json_is_int32(id) ? id->valueint : 0;
		m->when = when_text(a, json_get_ci(row, "createdAt"));
		m->author = xstrdup(cJSON_IsString(au) ? au->valuestring : "");
		m->internal = cJSON_IsString(sl) && !strcasecmp(sl->valuestring, "Internal");
		m->important = cJSON_IsTrue(json_get_ci(row, "important"));
		got++;
	}
	s->more = got > 0 && json_get(r->json, "odata.nextLink") != NULL;
	if (s->to_end && s->more)
		return fetch_page(a, s);
	if (s->to_end) {
		s->to_end = false;
		s->cur = s->n ? s->n - 1 : 0;
	}
	long total = total_messages(a);
	if (s->quiet) {
		s->quiet = false;
		return rx(RX_REDRAW);
	}
	/* one row at 80 columns, whatever the count (a second row would cost the list one) */
	app_status(a, ROLE_STATUS, "%zu message%s%s; Enter reads, n: note, r: reply", s->n,
	           s->n == 1 ? "" : "s", s->more ? (total > 0 ? " loaded (more as you scroll)" : " loaded") : "");
	return rx(RX_REDRAW);
}

static reaction msgs_opened(app *a, void *p)
{
	msgs_state *s = p;
	app_status(a, ROLE_STATUS, "Loading the messages…");
	return fetch_page(a, s);
}

/* Within a screen of the end of what is loaded: the next page. */
static reaction maybe_more(app *a, msgs_state *s, reaction r)
{
	size_t ahead = (size_t)body_rows(a) > 10 ? (size_t)body_rows(a) : 10;
	if (s->more && !s->loading && s->cur + ahead >= s->n) {
		reaction f = fetch_page(a, s);
		r.flags |= f.flags;
		r.request = f.request;
	}
	return r;
}

static void move_by(msgs_state *s, long d)
{
	long i = (long)s->cur + d;
	if (i < 0)
		i = 0;
	if (s->n && i >= (long)s->n)
		i = (long)s->n - 1;
	s->cur = s->n ? (size_t)i : 0;
}

static reaction msgs_key(app *a, void *p, action_id act, tkey k)
{
	msgs_state *s = p;
	(void)k;
	switch (act) {
	case ACT_UP: move_by(s, -1); break;
	case ACT_DOWN: move_by(s, 1); return maybe_more(a, s, rx(RX_REDRAW));
	case ACT_PAGE_UP: move_by(s, -body_rows(a)); break;
	case ACT_PAGE_DOWN: move_by(s, body_rows(a)); return maybe_more(a, s, rx(RX_REDRAW));
	case ACT_FIRST: s->cur = 0; break;
	case ACT_LAST:
		if (s->more) {
			s->to_end = true;
			app_status(a, ROLE_STATUS, "Loading the rest of the messages… (Esc cancels)");
			return s->loading ? rx(RX_REDRAW) : fetch_page(a, s);
		}
		s->cur = s->n ? s->n - 1 : 0;
		break;
	case ACT_READ:
		if (!s->n)
			return rx(0);
		return body_screen_open(a, s->v[s->cur].id, s->v[s->cur].when, s->v[s->cur].author,
		                        s->v[s->cur].internal, s->v[s->cur].important);
	case ACT_NOTE: return note_screen_open(a, false);
	case ACT_REPLY: return note_screen_open(a, true);
	case ACT_RELOAD:
		if (s->loading)
			return rx(0);
		rows_free(s);
		s->cur = s->top = 0;
		s->to_end = false;
		app_status(a, ROLE_STATUS, "Loading the messages…");
		return fetch_page(a, s);
	case ACT_HELP: return help_open(a);
	case ACT_CLOSE:
		app_status_clear(a);
		return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

/* The ticket was read again (after a post, a save, R): when its number of
 * messages moved, the list is read anew. */
static reaction msgs_event(app *a, void *p, app_event ev, const char *text, const char *err)
{
	msgs_state *s = p;
	(void)text;
	(void)err;
	if (ev != APP_EV_SAVED || s->loading || total_messages(a) == s->total)
		return rx(0);
	rows_free(s);
	s->cur = s->top = 0;
	s->to_end = false;
	s->quiet = true;
	return fetch_page(a, s);
}

static const screen_ops messages_screen = {
	.name = "messages", .sc = SC_MSGS, .modal = false, .draw = msgs_draw, .key = msgs_key, .free = msgs_free,
	.opened = msgs_opened, .answer = msgs_answer, .event = msgs_event,
};

reaction messages_screen_open(app *a)
{
	(void)a;
	return rx_push(&messages_screen, xcalloc(1, sizeof(msgs_state)));
}

/* find_screen.c — find a field: a line on the status line. As the text is
 * typed the form's cursor goes to the best match and every match on the
 * screen is highlighted; the line says how many fields match, or that none
 * does. Labels (and paths, "CustomFields/x_note") come first: an exact
 * label, then one that starts with the text, then one that contains it;
 * values after them. Matching ignores case and accents ("kvarno" finds
 * "Kværnø", fold.h). While typing, the best match is highlighted (a match
 * off the screen is named on the line instead): a typed character never
 * moves the cursor bar or scrolls the form. Enter goes to the match, Esc
 * leaves the cursor where it was; n and N on the form then go to the next
 * and previous match. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/fold.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

#define VALUE_SCAN 400  /* bytes of a value searched for a highlight */

/* How a row matches: the lower the better; NONE does not. */
typedef enum { M_EXACT, M_PREFIX, M_LABEL, M_VALUE, M_NONE } match_rank;

typedef struct {
	lineedit le;
	size_t origin;  /* the form row the cursor was on */
	char *needle;   /* the text the matches below are for (the rows do not change meanwhile) */
	size_t *m, n;   /* its matches, in order */
	long best;      /* the one to go to, from ORIGIN */
	long away;      /* BEST when it is off the screen (named on the line), else -1 */
} find_state;

static char last_find[256];

/* The status line say_found wrote last: n means "next match" while it shows. */
static char live_status[600];

const char *find_last(void) { return last_find; }

static void find_free(void *p)
{
	find_state *s = p;
	le_free(&s->le);
	free(s->needle);
	free(s->m);
	free(s);
}

/* The last part of a path ("x_note" of "CustomFields/x_note"). */
static const char *path_tail(const char *path)
{
	const char *s = strrchr(path, '/');
	return s ? s + 1 : path;
}

static bool folded_equal(const char *a, const char *fneedle, bool prefix)
{
	char *f = fold_text(a);
	bool r = f && (prefix ? !strncmp(f, fneedle, strlen(fneedle)) : !strcmp(f, fneedle));
	free(f);
	return r;
}

static match_rank rank_row(app *a, const form_row *r, const char *needle, const char *fneedle)
{
	char *t;
	bool v;
	bool path = r->kind != ROW_MESSAGE;  /* "Messages/3" is no name a person types */
	if (r->kind == ROW_SECTION || r->kind == ROW_NOTE)
		return M_NONE;
	if (folded_equal(r->label, fneedle, false) ||
	    (path && (folded_equal(r->path, fneedle, false) || folded_equal(path_tail(r->path), fneedle, false))))
		return M_EXACT;
	if (folded_equal(r->label, fneedle, true) || (path && folded_equal(path_tail(r->path), fneedle, true)))
		return M_PREFIX;
	if (fold_contains(r->label, needle) || (path && fold_contains(r->path, needle)))
		return M_LABEL;
	t = form_row_text(app_model(a), r, app_lists(a));
	v = fold_contains(t, needle);
	free(t);
	return v ? M_VALUE : M_NONE;
}

/* The rows NEEDLE matches, labels first then values, each group in form
 * order (malloc'd, *N of them), and in *BEST the one to go to while typing:
 * the best rank, the first at or after FROM among equals. */
static size_t *find_matches(app *a, const char *needle, size_t from, size_t *n, long *best)
{
	form_view *fv = app_form(a);
	match_rank *rank = xcalloc(fv->rows.n ? fv->rows.n : 1, sizeof *rank);
	size_t *out = xcalloc(fv->rows.n ? fv->rows.n : 1, sizeof *out), i, k = 0;
	char *fneedle = fold_text(needle);
	int want;
	*best = -1;
	for (i = 0; i < fv->rows.n; i++)
		rank[i] = fneedle ? rank_row(a, &fv->rows.v[i], needle, fneedle) : M_NONE;
	for (i = 0; i < fv->rows.n; i++)
		if (rank[i] <= M_LABEL)
			out[k++] = i;
	for (i = 0; i < fv->rows.n; i++)
		if (rank[i] == M_VALUE)
			out[k++] = i;
	for (want = M_EXACT; want < M_NONE && *best < 0; want++)
		for (i = 0; i < fv->rows.n && *best < 0; i++) {
			size_t j = (from + i) % fv->rows.n;
			if (rank[j] == (match_rank)want)
				*best = (long)j;
		}
	free(rank);
	free(fneedle);
	*n = k;
	return out;
}

/* The matches of the text typed now (computed once per text). */
static void find_refresh(app *a, find_state *s)
{
	const char *t = le_text(&s->le);
	if (s->needle && !strcmp(s->needle, t))
		return;
	free(s->needle);
	free(s->m);
	s->needle = xstrdup(t);
	s->m = find_matches(a, t, s->origin, &s->n, &s->best);
}

/* ---- drawing -------------------------------------------------------------- */

/* Where NEEDLE first occurs in S once folded: the byte range [*START, *END). */
static bool match_span(const char *s, const char *needle, size_t *start, size_t *end)
{
	size_t len = strnlen(s, VALUE_SCAN), i, j;
	char *buf = xstrndup(s, len);
	bool found = false;
	for (j = 0; j <= len && !found; j = j < len ? utf8_next(buf, len, j) : len + 1) {
		char c = buf[j];
		buf[j] = 0;
		found = fold_contains(buf, needle);
		buf[j] = c;
		if (found)
			*end = j;
	}
	if (!found) {
		free(buf);
		return false;
	}
	buf[*end] = 0;
	for (i = 0; i < *end; i = utf8_next(buf, *end, i)) {
		if (!fold_contains(buf + i, needle))
			break;
		*start = i;
	}
	free(buf);
	return true;
}

/* Draw the part of TEXT that NEEDLE matches, highlighted, where the form
 * drew TEXT at row Y from column X within W columns. */
static void highlight(int y, int x, int w, const char *text, const char *needle, attr_t attr)
{
	size_t st = 0, en = 0;
	char *pre, *mid;
	int col;
	if (!match_span(text, needle, &st, &en) || en <= st)
		return;
	pre = xstrndup(text, st);
	mid = xstrndup(text + st, en - st);
	col = text_width(pre);
	if (col < w - 1) {
		move(y, x + col);
		text_draw(stdscr, mid, w - 1 - col, true, attr, attr | ui_attr[ROLE_CONTROL_CHAR]);
	}
	free(pre);
	free(mid);
}

/* Highlight every match among the rows on the screen. */
static void highlight_rows(app *a, const char *needle, const size_t *m, size_t n)
{
	form_view *fv = app_form(a);
	int lw = form_label_cols();
	if (!*needle)
		return;
	for (size_t k = 0; k < n; k++) {
		const form_row *r = &fv->rows.v[m[k]];
		int y = form_screen_row(a, m[k]);
		attr_t base = m[k] == fv->cur ? ui_attr[ROLE_CURSOR] : A_NORMAL;
		attr_t at = base | A_UNDERLINE | A_BOLD;
		if (y < 0)
			continue;
		if (fold_contains(r->label, needle)) {
			highlight(y, 1, lw - 2, r->label, needle, at);
		} else if (r->kind == ROW_MESSAGE || !fold_contains(r->path, needle)) {
			char *t = form_row_text(app_model(a), r, app_lists(a));
			highlight(y, lw, COLS - lw - 1, t, needle, at);
			free(t);
		}
	}
}

/* What the find line says about NEEDLE with matches M (CNT of them), AT
 * the one meant: "2 of 5" or "no field matches". */
static void feedback(app *a, const char *needle, const size_t *m, size_t cnt, long at, char *buf, size_t n,
                     bool *none)
{
	size_t k;
	char *t;
	*none = false;
	buf[0] = 0;
	if (!*needle)
		return;
	(void)a;
	for (k = 0; k < cnt && (long)m[k] != at; k++)
		;
	t = text_sanitize(needle, 30);
	if (!cnt) {
		snprintf(buf, n, "no field matches '%s'", t);
		*none = true;
	} else {
		snprintf(buf, n, "%zu of %zu", k < cnt ? k + 1 : 1, cnt);
	}
	free(t);
}

static void find_draw(app *a, void *p)
{
	find_state *s = p;
	int y = LINES - 2, fw;
	char fb[128];
	bool none;
	find_refresh(a, s);
	if (s->best >= 0 && s->away < 0) {  /* the match the cursor is on; the count says how many more */
		size_t one = (size_t)s->best;
		highlight_rows(a, s->needle, &one, 1);
	}
	feedback(a, s->needle, s->m, s->n, s->best, fb, sizeof fb, &none);
	size_t count_len = strlen(fb);  /* "2 of 5" */
	if (s->away >= 0 && s->away < (long)app_form(a)->rows.n) {  /* off the screen: Enter goes there */
		size_t l = strlen(fb);
		snprintf(fb + l, sizeof fb - l, "%sEnter: %s", l ? ", " : "", app_form(a)->rows.v[s->away].label);
	}
	/* a fixed area for the feedback: the line editor's width (and what it
	 * has drawn) stays put while the feedback's length changes */
	fw = COLS / 3 < 40 ? COLS / 3 : 40;
	/* feedback too long for its area is said shorter, never cut in a word:
	 * the needle is on the same line already, and the row Enter goes to is
	 * left out before the count is */
	if (fw > 1 && text_width(fb) > fw - 1) {
		if (none)
			snprintf(fb, sizeof fb, "%s", text_width("no field matches") <= fw - 1 ? "no field matches" : "no match");
		else
			fb[count_len] = 0;
	}
	ui_fill(y, 0, COLS, ui_attr[ROLE_STATUS]);
	ui_puts(y, 0, "Find field: ", COLS, ui_attr[ROLE_STATUS] | A_BOLD);
	if (fw) {
		move(y, COLS - fw);
		text_draw(stdscr, fb, fw - 1, true, none ? ui_attr[ROLE_ERROR] : ui_attr[ROLE_STATUS],
		          ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
	}
	ui_cursor(true);
	le_draw(&s->le, stdscr, y, 12, COLS - 13 - fw, ui_attr[ROLE_STATUS],
	        ui_over(ui_attr[ROLE_STATUS], ui_attr[ROLE_CONTROL_CHAR]));
}

/* ---- keys ------------------------------------------------------------------- */

/* The status after a find settled on a row (or on none). */
static void say_found(app *a, const char *needle)
{
	char fb[128];
	bool none;
	char *t = text_sanitize(needle, 40);
	size_t n, *m;
	long best;
	m = find_matches(a, needle, 0, &n, &best);
	feedback(a, needle, m, n, (long)app_form(a)->cur, fb, sizeof fb, &none);
	free(m);
	if (none)
		app_status(a, ROLE_ERROR, "%s", fb);
	else
		app_status(a, ROLE_STATUS, "Find '%s': %s (n next, N previous)", t, fb);
	snprintf(live_status, sizeof live_status, "%s", app_status_text(a));
	free(t);
}

bool find_live(app *a)
{
	return last_find[0] && live_status[0] && !strcmp(app_status_text(a), live_status);
}

static reaction find_key(app *a, void *p, action_id act, tkey k)
{
	find_state *s = p;
	form_view *fv = app_form(a);
	const char *needle;
	reaction r;
	if (act == ACT_COMMIT || act == ACT_CANCEL) {
		needle = le_text(&s->le);
		if (act == ACT_CANCEL || !*needle) {
			fv->cur = s->origin;
			app_status_clear(a);
			return rx(RX_POP | RX_REDRAW);
		}
		snprintf(last_find, sizeof last_find, "%s", needle);
		find_refresh(a, s);
		if (s->best < 0)
			fv->cur = s->origin;
		else
			fv->cur = (size_t)s->best;  /* an off-screen match too */
		say_found(a, needle);
		return rx(RX_POP | RX_REDRAW);
	}
	r = lineedit_key(&s->le, act, k);
	find_refresh(a, s);
	/* the best match is highlighted (or named, off the screen) while typing;
	 * the cursor goes there on Enter: a typed character never moves the bar */
	s->away = s->best >= 0 && form_screen_row(a, (size_t)s->best) < 0 ? s->best : -1;
	r.flags |= RX_REDRAW;
	return r;
}

static const screen_ops find_screen = {
	.name = "find", .sc = SC_EDIT, .modal = true, .draw = find_draw, .key = find_key, .free = find_free,
};

reaction find_screen_open(app *a)
{
	find_state *s = xcalloc(1, sizeof *s);
	le_init(&s->le, NULL);
	s->origin = app_form(a)->cur;
	s->away = -1;
	app_status_clear(a);
	return rx_push(&find_screen, s);
}

reaction find_again(app *a, int dir)
{
	form_view *fv = app_form(a);
	size_t n, *m, k;
	long best;
	if (!last_find[0]) {
		app_status(a, ROLE_STATUS, "Nothing to find again: / finds a field");
		return rx(RX_REDRAW);
	}
	m = find_matches(a, last_find, fv->cur, &n, &best);
	if (n) {
		for (k = 0; k < n && m[k] != fv->cur; k++)
			;
		if (k < n)
			k = dir > 0 ? (k + 1) % n : (k + n - 1) % n;
		else
			k = dir > 0 ? 0 : n - 1;
		fv->cur = m[k];
	}
	free(m);
	say_found(a, last_find);
	return rx(RX_REDRAW);
}

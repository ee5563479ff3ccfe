/* textarea.c — a multi-line text editor widget (rules in textarea.h). */
#include "ticketed/textarea.h"

#include <stdlib.h>
#include <string.h>
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

void ta_init(textarea *t, const char *text)
{
	size_t n = text ? strlen(text) : 0;
	t->cap = n + 64;
	t->buf = xmalloc(t->cap);
	memcpy(t->buf, text ? text : "", n);
	t->buf[n] = '\0';
	t->len = n;
	t->cur = n;
	t->top = 0;
	t->want_col = -1;
}

void ta_free(textarea *t)
{
	free(t->buf);
	memset(t, 0, sizeof *t);
}

const char *ta_text(const textarea *t)
{
	return t->buf;
}

/* Columns of the character at I (its escape's width when it is drawn as one). */
static int char_width(const char *s, size_t len, size_t i, size_t *next)
{
	unsigned char c = (unsigned char)s[i];
	if (c >= 0x20 && c < 0x7f) {
		*next = i + 1;
		return 1;
	}
	*next = utf8_next(s, len, i);
	text_cell *cells;
	size_t n = text_cells(s + i, *next - i, &cells);
	int w = 0;
	for (size_t k = 0; k < n; k++)
		w += cells[k].width;
	free(cells);
	return w;
}

/* The rows WIDTH wide: calls FN(start, end, ctx) for each, in order (END
 * excludes the '\n'); stops when FN returns nonzero. */
static void each_row(const textarea *t, int width, int (*fn)(size_t, size_t, void *), void *ctx)
{
	size_t i = 0, start = 0;
	int col = 0;
	if (width < 2)
		width = 2;
	while (i < t->len) {
		if (t->buf[i] == '\n') {
			if (fn(start, i, ctx))
				return;
			start = ++i;
			col = 0;
			continue;
		}
		size_t next;
		int w = char_width(t->buf, t->len, i, &next);
		if (col + w > width && i > start) {
			if (fn(start, i, ctx))
				return;
			start = i;
			col = 0;
		}
		col += w;
		i = next;
	}
	fn(start, t->len, ctx);
}

typedef struct {
	const textarea *t;
	size_t cur, row, found_row, start, end;
	bool found;
	size_t prev_end;   /* where the row before ended */
	bool prev_wrapped; /* it ended without a newline */
} locate;

static int locate_row(size_t start, size_t end, void *p)
{
	locate *l = p;
	/* the cursor at the end of a wrapped row shows at the start of the next */
	bool wrapped = end < l->t->len && l->t->buf[end] != '\n';
	if (l->cur >= start && (l->cur < end || (l->cur == end && !wrapped))) {
		l->found = true;
		l->found_row = l->row;
		l->start = start;
		l->end = end;
		return 1;
	}
	l->row++;
	return 0;
}

static int cols_between(const textarea *t, size_t from, size_t to)
{
	int col = 0;
	size_t next;
	for (size_t i = from; i < to; i = next)
		col += char_width(t->buf, t->len, i, &next);
	return col;
}

void ta_cursor(const textarea *t, int width, size_t *row, int *col)
{
	locate l = { .t = t, .cur = t->cur };
	each_row(t, width, locate_row, &l);
	*row = l.found ? l.found_row : l.row;
	*col = l.found ? cols_between(t, l.start, t->cur) : 0;
}

static int count_row(size_t start, size_t end, void *p)
{
	(void)start;
	(void)end;
	(*(size_t *)p)++;
	return 0;
}

size_t ta_rows(const textarea *t, int width)
{
	size_t n = 0;
	each_row(t, width, count_row, &n);
	return n;
}

typedef struct {
	size_t want, row, start, end;
	bool found;
} nth;

static int nth_row(size_t start, size_t end, void *p)
{
	nth *q = p;
	if (q->row++ == q->want) {
		q->start = start;
		q->end = end;
		q->found = true;
		return 1;
	}
	return 0;
}

/* Put the cursor on row ROW at column COL (or the row's end before it). */
static void goto_row(textarea *t, int width, size_t row, int col)
{
	nth q = { .want = row };
	each_row(t, width, nth_row, &q);
	if (!q.found)
		return;
	size_t i = q.start, next;
	int c = 0;
	while (i < q.end) {
		int w = char_width(t->buf, t->len, i, &next);
		if (c + w > col)
			break;
		c += w;
		i = next;
	}
	t->cur = i;
}

static void grow(textarea *t, size_t more)
{
	if (t->len + more + 1 > t->cap) {
		t->cap = (t->len + more + 1) * 2;
		t->buf = xrealloc(t->buf, t->cap);
	}
}

static void delete_range(textarea *t, size_t from, size_t to)
{
	memmove(t->buf + from, t->buf + to, t->len - to + 1);
	t->len -= to - from;
	t->cur = from;
}

void ta_insert(textarea *t, uint32_t cp)
{
	char u[4];
	size_t n = utf8_encode(cp, u);
	grow(t, n);
	memmove(t->buf + t->cur + n, t->buf + t->cur, t->len - t->cur + 1);
	memcpy(t->buf + t->cur, u, n);
	t->len += n;
	t->cur += n;
	t->want_col = -1;
}

static size_t line_start(const textarea *t, size_t i)
{
	while (i > 0 && t->buf[i - 1] != '\n')
		i--;
	return i;
}

static size_t line_end(const textarea *t, size_t i)
{
	while (i < t->len && t->buf[i] != '\n')
		i++;
	return i;
}

void ta_apply(textarea *t, ta_op op, int width, int height)
{
	size_t row;
	int col;
	if (height < 1)
		height = 1;
	if (op != TA_UP && op != TA_DOWN && op != TA_PAGE_UP && op != TA_PAGE_DOWN)
		t->want_col = -1;
	switch (op) {
	case TA_LEFT:
		t->cur = utf8_prev(t->buf, t->cur);
		break;
	case TA_RIGHT:
		t->cur = utf8_next(t->buf, t->len, t->cur);
		break;
	case TA_UP:
	case TA_DOWN:
	case TA_PAGE_UP:
	case TA_PAGE_DOWN: {
		ta_cursor(t, width, &row, &col);
		if (t->want_col < 0)
			t->want_col = col;
		size_t step = op == TA_UP || op == TA_DOWN ? 1 : (size_t)height;
		size_t rows = ta_rows(t, width);
		if (op == TA_UP || op == TA_PAGE_UP)
			row = row > step ? row - step : 0;
		else
			row = row + step < rows ? row + step : rows - 1;
		goto_row(t, width, row, t->want_col);
		break;
	}
	case TA_HOME:
		t->cur = line_start(t, t->cur);
		break;
	case TA_END:
		t->cur = line_end(t, t->cur);
		break;
	case TA_BACKSPACE:
		if (t->cur > 0)
			delete_range(t, utf8_prev(t->buf, t->cur), t->cur);
		break;
	case TA_DELETE:
		if (t->cur < t->len)
			delete_range(t, t->cur, utf8_next(t->buf, t->len, t->cur));
		break;
	case TA_KILL_START:
		delete_range(t, line_start(t, t->cur), t->cur);
		break;
	case TA_KILL_END: {
		size_t e = line_end(t, t->cur);
		delete_range(t, t->cur, e > t->cur ? e : e < t->len ? e + 1 : e);
		break;
	}
	case TA_KILL_WORD: {
		size_t i = t->cur, ls = line_start(t, t->cur);
		while (i > ls && (t->buf[i - 1] == ' ' || t->buf[i - 1] == '\t'))
			i--;
		while (i > ls && t->buf[i - 1] != ' ' && t->buf[i - 1] != '\t')
			i = utf8_prev(t->buf, i);
		delete_range(t, i, t->cur);
		break;
	}
	}
}

typedef struct {
	WINDOW *win;
	int y, x, width, height;
	size_t row, top;
	attr_t attr, ctl;
	const textarea *t;
} drawing;

static int draw_row(size_t start, size_t end, void *p)
{
	drawing *d = p;
	if (d->row >= d->top + (size_t)d->height)
		return 1;
	if (d->row >= d->top) {
		int y = d->y + (int)(d->row - d->top);
		char *s = xstrndup(d->t->buf + start, end - start);
		wmove(d->win, y, d->x);
		for (int i = 0; i < d->width; i++)
			waddch(d->win, ' ' | d->attr);
		wmove(d->win, y, d->x);
		text_draw(d->win, s, d->width, false, d->attr, d->ctl);
		free(s);
	}
	d->row++;
	return 0;
}

void ta_draw(textarea *t, WINDOW *win, int y, int x, int width, int height, attr_t attr, attr_t ctl_attr)
{
	size_t row;
	int col;
	if (width < 2 || height < 1)
		return;
	ta_cursor(t, width, &row, &col);
	if (row < t->top)
		t->top = row;
	if (row >= t->top + (size_t)height)
		t->top = row + 1 - (size_t)height;
	drawing d = { win, y, x, width, height, 0, t->top, attr, ctl_attr, t };
	each_row(t, width, draw_row, &d);
	for (size_t r = d.row; r < t->top + (size_t)height; r++) {
		if (r < t->top)
			continue;
		wmove(win, y + (int)(r - t->top), x);
		for (int i = 0; i < width; i++)
			waddch(win, ' ' | attr);
	}
	wmove(win, y + (int)(row - t->top), x + (col < width ? col : width - 1));
}

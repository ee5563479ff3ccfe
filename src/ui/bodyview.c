/* bodyview.c — a message body laid out for the screen (rules in bodyview.h). */
#include "ticketed/bodyview.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define QUOTE_BAR 0x2502  /* "│" */

int bodyview_init(bodyview *b, const char *text, size_t len, bool is_html)
{
	memset(b, 0, sizeof *b);
	if ((is_html ? html_render(text, len, &b->doc) : html_render_plain(text, len, &b->doc)) < 0)
		return -1;
	size_t n = b->doc.n ? b->doc.n : 1;
	b->cells = calloc(n, sizeof *b->cells);
	b->ncells = calloc(n, sizeof *b->ncells);
	if (!b->cells || !b->ncells) {
		bodyview_free(b);
		return -1;
	}
	for (size_t i = 0; i < b->doc.n; i++) {
		const char *t = b->doc.v[i].text;
		size_t tl = strlen(t);
		b->ncells[i] = text_cells(t, tl, &b->cells[i]);
		if (tl && !b->cells[i]) {
			bodyview_free(b);
			return -1;
		}
	}
	return 0;
}

void bodyview_free(bodyview *b)
{
	for (size_t i = 0; b->cells && i < b->doc.n; i++)
		free(b->cells[i]);
	free(b->cells);
	free(b->ncells);
	free(b->rows);
	html_doc_free(&b->doc);
	memset(b, 0, sizeof *b);
}

static int add_row(bodyview *b, bv_row r)
{
	if (b->nrows == b->caprows) {
		size_t cap = b->caprows ? b->caprows * 2 : 64;
		bv_row *nv = realloc(b->rows, cap * sizeof *nv);
		if (!nv)
			return -1;
		b->rows = nv;
		b->caprows = cap;
	}
	b->rows[b->nrows++] = r;
	return 0;
}

/* Columns of the unit (character or escape) at cell I, and where it ends. */
static int unit(const text_cell *c, size_t n, size_t i, size_t *next)
{
	size_t span = c[i].span ? c[i].span : 1;
	int w = 0;
	if (i + span > n)
		span = n - i;
	for (size_t k = 0; k < span; k++)
		w += c[i + k].width;
	*next = i + span;
	return w;
}

static bool blank(const text_cell *c)
{
	return c->ch == L' ' && !c->ctl;
}

/* The rows of logical line L at WIDTH. */
static int wrap_line(bodyview *b, size_t l, int width)
{
	const html_line *hl = &b->doc.v[l];
	const text_cell *c = b->cells[l];
	size_t n = b->ncells[l], s = 0;
	int quote = hl->quote, bars = 2 * quote;
	bool first = true;
	if (!n || hl->kind == HL_RULE)
		return add_row(b, (bv_row){ l, 0, 0, hl->indent, quote, hl->kind, 0 });
	while (s < n) {
		int indent = hl->indent + (first ? 0 : hl->hang);
		int avail = width - bars - indent;
		if (avail < BV_MIN_WIDTH / 2) {  /* deep indents give way before the text does */
			indent = width - bars - BV_MIN_WIDTH / 2;
			indent = indent < 0 ? 0 : indent;
			avail = width - bars - indent;
			if (avail < 1)
				avail = 1;
		}
		size_t i = s, brk = 0, next;
		int col = 0;
		while (i < n) {
			int w = unit(c, n, i, &next);
			if (col + w > avail && i > s)
				break;
			if (hl->kind != HL_PRE && blank(&c[i]) && i > s)
				brk = i;
			col += w;
			i = next;
		}
		if (i < n && hl->kind != HL_PRE && blank(&c[i]))
			brk = i;  /* the blank where the width ends is the best break */
		size_t end = i >= n ? n : brk > s ? brk : i;
		if (add_row(b, (bv_row){ l, s, end, indent, quote, hl->kind, 0 }))
			return -1;
		s = end;
		if (hl->kind != HL_PRE)
			while (s < n && blank(&c[s]))
				s++;
		first = false;
	}
	return 0;
}

int bodyview_layout(bodyview *b, int width, bool expanded)
{
	if (width < BV_MIN_WIDTH)
		width = BV_MIN_WIDTH;
	b->width = width;
	b->expanded = expanded;
	b->nrows = 0;
	size_t l = 0;
	while (l < b->doc.n) {
		if (!b->doc.v[l].quote || expanded) {
			if (wrap_line(b, l, width))
				goto nomem;
			l++;
			continue;
		}
		/* a quote: its first rows, then how many more */
		size_t start = b->nrows, e = l;
		while (e < b->doc.n && b->doc.v[e].quote)
			e++;
		for (; l < e; l++)
			if (wrap_line(b, l, width))
				goto nomem;
		size_t rows = b->nrows - start;
		if (rows > BV_QUOTE_SHOWN + 1) {
			b->nrows = start + BV_QUOTE_SHOWN;
			bv_row more = { b->rows[start].line, 0, 0, 0, 1, BV_MORE, rows - BV_QUOTE_SHOWN };
			if (add_row(b, more))
				goto nomem;
		}
	}
	return 0;
nomem:
	b->nrows = 0;
	return -1;
}

/* The "more" row's text. */
static void more_text(const bv_row *r, char *buf, size_t n)
{
	snprintf(buf, n, "\u2026 %zu more quoted line%s (t shows them)", r->hidden, r->hidden == 1 ? "" : "s");
}

char *bodyview_row_text(const bodyview *b, size_t r)
{
	const bv_row *row = &b->rows[r];
	char more[96];
	size_t cap = (size_t)(row->indent + 3 * row->quote) + (row->to - row->from) * 4 + sizeof more + 8, o = 0;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	for (int q = 0; q < row->quote; q++) {
		o += utf8_encode(QUOTE_BAR, s + o);
		s[o++] = ' ';
	}
	if (row->kind == BV_MORE) {
		more_text(row, more, sizeof more);
		o += (size_t)snprintf(s + o, cap - o, "%s", more);
		return s;
	}
	for (int i = 0; i < row->indent; i++)
		s[o++] = ' ';
	if (row->kind == HL_RULE) {
		int w = b->width - row->indent - 2 * row->quote;
		for (int i = 0; i < w && o + 4 < cap; i++)
			o += utf8_encode(0x2500, s + o);
	}
	const text_cell *c = b->cells[row->line];
	for (size_t i = row->from; i < row->to; i++)
		o += utf8_encode((uint32_t)c[i].ch, s + o);
	s[o] = '\0';
	return s;
}

static void put(WINDOW *win, wchar_t ch, attr_t attr)
{
	wchar_t wc[2] = { ch, L'\0' };
	cchar_t cc;
	if (setcchar(&cc, wc, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL) == OK)
		wadd_wch(win, &cc);
}

void bodyview_draw_row(const bodyview *b, size_t r, WINDOW *win, int y, int x, int maxcols, attr_t attr,
                       attr_t qattr, attr_t ctl, attr_t emph)
{
	const bv_row *row = &b->rows[r];
	int col = 0;
	wmove(win, y, x);
	for (int q = 0; q < row->quote && col + 2 <= maxcols; q++, col += 2) {
		put(win, QUOTE_BAR, qattr);
		put(win, L' ', qattr);
	}
	attr_t a = row->kind == HL_HEADING ? emph : row->quote ? qattr : attr;
	if (row->kind == BV_MORE) {
		char more[96];
		more_text(row, more, sizeof more);
		text_cell *c;
		size_t n = text_cells(more, strlen(more), &c);
		for (size_t i = 0; i < n && col + c[i].width <= maxcols; i++, col += c[i - 1].width)
			put(win, c[i].ch, emph);
		free(c);
		return;
	}
	for (int i = 0; i < row->indent && col < maxcols; i++, col++)
		put(win, L' ', a);
	if (row->kind == HL_RULE) {
		for (; col < maxcols && col < b->width; col++)
			put(win, 0x2500, qattr);
		return;
	}
	const text_cell *c = b->cells[row->line];
	size_t i = row->from, next;
	while (i < row->to) {
		int w = unit(c, row->to, i, &next);
		if (col + w > maxcols)
			break;
		for (size_t k = i; k < next; k++)
			put(win, c[k].ch, c[k].ctl ? ctl : a);
		col += w;
		i = next;
	}
}

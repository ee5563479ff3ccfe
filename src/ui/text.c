/* text.c — untrusted text at the draw boundary (rules in text.h). */
#include "ticketed/escape.h"
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ELLIPSIS 0x2026

size_t utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp)
{
	return esc_utf8_decode(s, len, i, cp);
}

size_t utf8_next(const char *s, size_t len, size_t i)
{
	uint32_t cp;
	size_t l;

	if (i >= len)
		return len;
	l = utf8_decode(s, len, i, &cp);
	return i + (l ? l : 1);
}

size_t utf8_prev(const char *s, size_t i)
{
	uint32_t cp;
	size_t j;

	if (i == 0)
		return 0;
	for (j = i - 1; j > 0 && i - j < 4 && ((unsigned char)s[j] & 0xc0) == 0x80; j--)
		;
	if (utf8_decode(s, i, j, &cp) == i - j)
		return j;
	return i - 1;  /* a stray byte is one step, as utf8_next sees it */
}

bool utf8_valid(const char *s, size_t len)
{
	uint32_t cp;
	size_t i = 0, l;

	while (i < len) {
		if ((l = utf8_decode(s, len, i, &cp)) == 0)
			return false;
		i += l;
	}
	return true;
}

/* ---- sanitising ----------------------------------------------------------- */

typedef struct {
	text_cell *v;
	size_t n, cap;
	bool oom;
} cellbuf;

static void cb_push(cellbuf *b, wchar_t ch, int width, bool ctl, int span)
{
	text_cell *nv;

	if (b->oom)
		return;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 32;

		if (!(nv = realloc(b->v, cap * sizeof *nv))) {
			b->oom = true;
			return;
		}
		b->v = nv;
		b->cap = cap;
	}
	b->v[b->n++] = (text_cell){ ch, (unsigned char)width, ctl, (unsigned char)span };
}

/* An escape such as "^[" or "<U+202E>" as control-char cells. */
static void cb_escape(cellbuf *b, const char *esc)
{
	size_t n = strlen(esc);

	for (size_t k = 0; k < n; k++)
		cb_push(b, (wchar_t)(unsigned char)esc[k], 1, true, k == 0 ? (int)n : 0);
}

/* Bidi and format controls that reorder or hide text. */
static bool is_bidi_format(uint32_t c)
{
	return c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xfeff;
}

static void c0_escape(uint32_t c, char *esc, size_t n)
{
	switch (c) {
	case 0x1b: snprintf(esc, n, "^["); break;
	case '\n': snprintf(esc, n, "\\n"); break;
	case '\r': snprintf(esc, n, "\\r"); break;
	case '\t': snprintf(esc, n, "\\t"); break;
	case 0x7f: snprintf(esc, n, "^?"); break;
	default: snprintf(esc, n, "^%c", (char)(c + 0x40)); break;
	}
}

/* What the code point C shows as: an escape (written into ESC, returns 0)
 * or itself, returning its columns (1 or 2). */
static int cp_shape(uint32_t c, char *esc, size_t n)
{
	int w;

	if (c < 0x20 || c == 0x7f) {
		c0_escape(c, esc, n);
	} else if (c >= 0x80 && c <= 0x9f) {
		snprintf(esc, n, "\\x%02X", (unsigned)c);
	} else if (is_bidi_format(c) || (w = wcwidth((wchar_t)c)) <= 0 || w > 2) {
		snprintf(esc, n, "<U+%04X>", (unsigned)c);
	} else {
		return w;
	}
	return 0;
}

/* Cells for the code point C. */
static void cb_codepoint(cellbuf *b, uint32_t c)
{
	char esc[16];
	int w = cp_shape(c, esc, sizeof esc);

	if (w)
		cb_push(b, (wchar_t)c, w, false, 1);
	else
		cb_escape(b, esc);
}

int text_char_width(const char *s, size_t len, size_t i, size_t *next)
{
	char esc[16];
	uint32_t cp;
	size_t l = utf8_decode(s, len, i, &cp);
	int w;

	if (l == 0) {  /* a stray byte shows as \xHH */
		*next = i + 1;
		return 4;
	}
	*next = i + l;
	w = cp_shape(cp, esc, sizeof esc);
	return w ? w : (int)strlen(esc);
}

/* The cells of at most MAXUNITS characters (escapes count as one) of S:
 * every unit takes a column or more, so MAXCOLS + 1 of them tell what fits
 * in MAXCOLS columns and whether more follows, whatever the length of S (a
 * 5 MB title costs what its first screenful does). */
static size_t cells_upto(const char *s, size_t len, size_t maxunits, text_cell **out)
{
	cellbuf b = { NULL, 0, 0, false };
	char esc[8];
	uint32_t cp;
	size_t i = 0, l, units = 0;

	while (s && i < len && units++ < maxunits) {
		if ((l = utf8_decode(s, len, i, &cp)) == 0) {
			snprintf(esc, sizeof esc, "\\x%02X", (unsigned char)s[i]);
			cb_escape(&b, esc);
			i++;
			continue;
		}
		cb_codepoint(&b, cp);
		i += l;
	}
	if (b.oom) {
		free(b.v);
		*out = NULL;
		return 0;
	}
	*out = b.v;
	return b.n;
}

size_t text_cells(const char *s, size_t len, text_cell **out)
{
	return cells_upto(s, len, (size_t)-1, out);
}

/* Cells enough to fit MAXCOLS columns and see whether S goes on. */
static size_t cells_for(const char *s, int maxcols, text_cell **out)
{
	return cells_upto(s, s ? strlen(s) : 0, maxcols < 0 ? (size_t)-1 : (size_t)maxcols + 1, out);
}

/* Columns of the unit (character or escape) starting at cell I. */
static int unit_width(const text_cell *c, size_t n, size_t i, size_t *next)
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

/* How many cells fit in MAXCOLS columns without splitting a unit; the
 * columns they take in *COLS. */
static size_t cells_fitting(const text_cell *c, size_t n, int maxcols, int *cols)
{
	size_t i = 0, next;
	int used = 0, w;

	while (i < n) {
		w = unit_width(c, n, i, &next);
		if (maxcols >= 0 && used + w > maxcols)
			break;
		used += w;
		i = next;
	}
	*cols = used;
	return i;
}

int text_width(const char *s)
{
	text_cell *c;
	size_t n = text_cells(s, s ? strlen(s) : 0, &c);
	int cols;

	cells_fitting(c, n, -1, &cols);
	free(c);
	return cols;
}

static void put_cell(WINDOW *win, wchar_t ch, attr_t attr)
{
	wchar_t wc[2] = { ch, L'\0' };
	cchar_t cc;

	if (setcchar(&cc, wc, attr & ~A_COLOR, (short)PAIR_NUMBER(attr), NULL) == OK)
		wadd_wch(win, &cc);
}

static wchar_t ellipsis_char(void)
{
	return wcwidth(ELLIPSIS) == 1 ? (wchar_t)ELLIPSIS : L'>';
}

int text_draw(WINDOW *win, const char *s, int maxcols, bool ellipsis, attr_t attr, attr_t ctl_attr)
{
	text_cell *c;
	size_t n, fit;
	int cols, total, room;

	if (!win)
		return 0;
	room = getmaxx(win) - getcurx(win);
	if (maxcols > room)
		maxcols = room;
	if (maxcols <= 0)
		return 0;
	n = cells_for(s, maxcols, &c);
	fit = cells_fitting(c, n, maxcols, &total);
	if (fit < n && ellipsis)
		fit = cells_fitting(c, n, maxcols - 1, &total);
	for (size_t i = 0; i < fit; i++)
		put_cell(win, c[i].ch, c[i].ctl ? ctl_attr : attr);
	cols = total;
	if (fit < n && ellipsis) {
		for (; cols < maxcols - 1; cols++)
			put_cell(win, L' ', attr);
		put_cell(win, ellipsis_char(), attr);
		cols++;
	}
	free(c);
	return cols;
}

size_t utf8_encode(uint32_t ch, char *out)
{
	return esc_utf8_encode(ch, out);
}

char *text_sanitize(const char *s, int maxcols)
{
	text_cell *c;
	size_t n = cells_for(s, maxcols, &c), fit, o = 0;
	int cols;
	char *out;

	fit = cells_fitting(c, n, maxcols, &cols);
	out = xmalloc(fit * 4 + 1);
	for (size_t i = 0; i < fit; i++)
		o += utf8_encode((uint32_t)c[i].ch, out + o);
	out[o] = '\0';
	free(c);
	return out;
}

/* ---- wrapping ------------------------------------------------------------ */

static void push_line(char ***out, size_t *n, const char *s, size_t len)
{
	*out = xreallocarray(*out, *n + 1, sizeof **out);
	(*out)[(*n)++] = xstrndup(s, len);
}

/* Wrap one sanitised line (printable only) at WIDTH columns. */
static void wrap_one(const char *s, int width, char ***out, size_t *n)
{
	size_t len = strlen(s), start = 0;
	if (!len) {
		push_line(out, n, "", 0);
		return;
	}
	while (start < len) {
		size_t i = start, brk = 0, cut;
		int col = 0;
		while (i < len) {
			uint32_t cp;
			size_t cl = utf8_decode(s, len, i, &cp);
			int w;
			if (!cl) {
				cl = 1;
				cp = '?';
			}
			w = wcwidth((wchar_t)cp);
			if (w < 1)
				w = 1;
			if (col + w > width && i > start)
				break;
			if (cp == ' ')
				brk = i;
			col += w;
			i += cl;
		}
		if (i >= len) {
			push_line(out, n, s + start, len - start);
			return;
		}
		cut = brk > start ? brk : i;
		push_line(out, n, s + start, cut - start);
		start = cut;
		while (start < len && s[start] == ' ')
			start++;
	}
}

size_t text_wrap(const char *s, int width, char ***out)
{
	size_t n = 0;
	*out = NULL;
	if (width < 1)
		width = 1;
	for (;;) {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *piece = xstrndup(s, len), *clean = text_sanitize(piece, -1);
		wrap_one(clean, width, out, &n);
		free(clean);
		free(piece);
		if (!nl)
			break;
		s = nl + 1;
	}
	return n;
}

void text_lines_free(char **lines, size_t n)
{
	while (n > 0)
		free(lines[--n]);
	free(lines);
}

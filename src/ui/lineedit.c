/* lineedit.c — UTF-8 line editor widget (by character, columns via text.h). */
#include <stdlib.h>
#include <string.h>
#include "ticketed/xalloc.h"
#include "ticketed/lineedit.h"
#include "ticketed/text.h"

static void le_reserve(lineedit *le, size_t need)
{
	if (need + 1 <= le->cap)
		return;
	le->cap = (need + 1) * 2;
	le->buf = xrealloc(le->buf, le->cap);
}

void le_init(lineedit *le, const char *text)
{
	memset(le, 0, sizeof *le);
	le->len = text ? strlen(text) : 0;
	le_reserve(le, le->len + 16);
	if (le->len)
		memcpy(le->buf, text, le->len);
	le->buf[le->len] = 0;
	le->cur = le->len;
	le->scroll = -1;
}

void le_free(lineedit *le)
{
	free(le->buf);
	memset(le, 0, sizeof *le);
}

const char *le_text(const lineedit *le) { return le->buf ? le->buf : ""; }

void le_insert(lineedit *le, uint32_t cp)
{
	char enc[4];
	size_t n;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp > 0x10FFFF ||
	    (cp >= 0xD800 && cp <= 0xDFFF))
		return;
	n = utf8_encode(cp, enc);
	le_reserve(le, le->len + n);
	memmove(le->buf + le->cur + n, le->buf + le->cur, le->len - le->cur + 1);
	memcpy(le->buf + le->cur, enc, n);
	le->len += n;
	le->cur += n;
}

static void le_cut(lineedit *le, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(le->buf + from, le->buf + to, le->len - to + 1);
	le->len -= to - from;
	le->cur = from;
}

static size_t le_word_start(const lineedit *le)
{
	size_t i = le->cur;
	while (i > 0 && le->buf[i - 1] == ' ')
		i--;
	while (i > 0 && le->buf[i - 1] != ' ')
		i = utf8_prev(le->buf, i);
	return i;
}

void le_apply(lineedit *le, le_op op)
{
	switch (op) {
	case LE_LEFT: if (le->cur > 0) le->cur = utf8_prev(le->buf, le->cur); break;
	case LE_RIGHT: if (le->cur < le->len) le->cur = utf8_next(le->buf, le->len, le->cur); break;
	case LE_HOME: le->cur = 0; break;
	case LE_END: le->cur = le->len; break;
	case LE_BACKSPACE: if (le->cur > 0) le_cut(le, utf8_prev(le->buf, le->cur), le->cur); break;
	case LE_DELETE:
		if (le->cur < le->len) {
			size_t c = le->cur;
			le_cut(le, c, utf8_next(le->buf, le->len, c));
		}
		break;
	case LE_KILL_START: le_cut(le, 0, le->cur); break;
	case LE_KILL_END: le->len = le->cur; le->buf[le->len] = 0; break;
	case LE_KILL_WORD: le_cut(le, le_word_start(le), le->cur); break;
	}
}

int le_cursor_col(const lineedit *le)
{
	size_t i = 0, nx;
	int col = 0;
	while (i < le->cur) {
		col += text_char_width(le->buf, le->len, i, &nx);
		i = nx;
	}
	return col;
}

void le_draw(lineedit *le, WINDOW *win, int y, int x, int width, attr_t attr, attr_t ctl_attr)
{
	int ccol = le_cursor_col(le), col = 0;
	size_t i = 0, nx;
	if (width < 2)
		width = 2;
	/* The first view shows as much as fits before the cursor. Then the
	 * view jumps by half its width when the cursor leaves it, so the
	 * cursor lands in the middle: typing or moving past an edge redraws
	 * the field once per half width, not once per character (each redraw
	 * writes the whole field to the terminal). */
	if (le->scroll < 0)
		le->scroll = ccol >= width ? ccol - width + 1 : 0;
	else if (ccol < le->scroll || ccol >= le->scroll + width)
		le->scroll = ccol > width / 2 ? ccol - width / 2 : 0;
	wattrset(win, attr);
	mvwhline(win, y, x, ' ', width);
	wattrset(win, A_NORMAL);
	while (i < le->len) {
		int w = text_char_width(le->buf, le->len, i, &nx);
		if (col >= le->scroll && col + w <= le->scroll + width) {
			char tmp[8];
			memcpy(tmp, le->buf + i, nx - i);
			tmp[nx - i] = 0;
			wmove(win, y, x + col - le->scroll);
			text_draw(win, tmp, w, false, attr, ctl_attr);
		}
		col += w;
		i = nx;
		if (col >= le->scroll + width)
			break;
	}
	wmove(win, y, x + ccol - le->scroll);
}

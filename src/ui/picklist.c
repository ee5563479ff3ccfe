/* picklist.c — filtered pick list widget. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/xalloc.h"
#include "ticketed/display.h"
#include "ticketed/fold.h"
#include "ticketed/picklist.h"
#include "ticketed/text.h"

/* A filter of digits naming an item's "(ID)" selects that item: typing 7
 * picks "Zoë Martin (7)", not "Automatic (2147483647)" listed above it. */
static void pick_select_id(picklist *p)
{
	char tag[sizeof p->filter + 2];
	size_t i, k;
	for (k = 0; p->filter[k]; k++)
		if (p->filter[k] < '0' || p->filter[k] > '9')
			return;
	if (!k)
		return;
	snprintf(tag, sizeof tag, "(%s)", p->filter);
	for (i = 0; i < p->nshown; i++)
		if (strstr(p->items[p->shown[i]], tag)) {
			p->sel = i;
			return;
		}
}

static void pick_refilter(picklist *p)
{
	size_t i;
	long was = pick_selected(p);
	p->nshown = 0;
	for (i = 0; i < p->n; i++)  /* case- and accent-insensitive: "bjorn" finds "Bjørn" */
		if (!p->filter[0] || fold_contains(p->items[i], p->filter))
			p->shown[p->nshown++] = i;
	p->sel = 0;
	for (i = 0; i < p->nshown; i++)
		if ((long)p->shown[i] == was)
			p->sel = i;
	pick_select_id(p);
	p->top = 0;
}

void pick_init(picklist *p, const char *title, const char *const *items, size_t n, const char *current)
{
	size_t i;
	memset(p, 0, sizeof *p);
	p->items = xcalloc(n ? n : 1, sizeof *p->items);
	p->shown = xcalloc(n ? n : 1, sizeof *p->shown);
	p->n = n;
	p->title = xstrdup(title ? title : "");
	for (i = 0; i < n; i++) {
		p->items[i] = xstrdup(items[i]);
		p->shown[i] = i;
		if (current && !strcmp(items[i], current))
			p->sel = i;
	}
	p->nshown = n;
}

void pick_free(picklist *p)
{
	size_t i;
	for (i = 0; i < p->n; i++)
		free(p->items[i]);
	free(p->items);
	free(p->shown);
	free(p->title);
	memset(p, 0, sizeof *p);
}

void pick_type(picklist *p, uint32_t cp)
{
	size_t l = strlen(p->filter);
	char *o = p->filter + l;
	if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp < 0xA0) || cp > 0x10FFFF || l + 5 > sizeof p->filter)
		return;
	o += utf8_encode(cp, o);
	*o = 0;
	pick_refilter(p);
}

void pick_backspace(picklist *p)
{
	size_t l = strlen(p->filter);
	if (!l)
		return;
	while (l > 1 && (p->filter[l - 1] & 0xC0) == 0x80)  /* a whole character */
		l--;
	p->filter[l - 1] = 0;
	pick_refilter(p);
}

void pick_move(picklist *p, long delta)
{
	long s = (long)p->sel + delta;
	if (!p->nshown)
		return;
	if (s < 0)
		s = 0;
	if (s >= (long)p->nshown)
		s = (long)p->nshown - 1;
	p->sel = (size_t)s;
}

long pick_selected(const picklist *p)
{
	if (!p->shown || p->sel >= p->nshown)
		return -1;
	return (long)p->shown[p->sel];
}

void pick_draw(picklist *p, attr_t box, attr_t selected, attr_t ctl)
{
	int w = 0, h, x, y, rows, i;
	size_t k;
	char line[160];
	for (k = 0; k < p->n; k++) {
		int tw = text_width(p->items[k]);
		if (tw > w)
			w = tw;
	}
	w += 6;
	if (w < 30)
		w = 30;
	if (w > COLS - 2)
		w = COLS - 2;
	/* The box is sized for the whole list, not for what the filter leaves:
	 * it stays in place while the user types, so a typed character only
	 * rewrites the rows whose item changed. */
	rows = (int)p->n < 1 ? 1 : (int)p->n;
	h = rows + 4;
	if (h > LINES - 2)
		h = LINES - 2;
	rows = h - 4;
	if (rows < 1)
		return;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	if (p->sel < p->top)
		p->top = p->sel;
	if (p->sel >= p->top + (size_t)rows)
		p->top = p->sel - (size_t)rows + 1;
	ui_box(y, x, h, w, box, p->title);
	snprintf(line, sizeof line, "filter: %s", p->filter);  /* typed by the user */
	ui_puts(y + 1, x + 2, line, w - 4, box);
	for (i = 0; i < rows; i++) {
		size_t s = p->top + (size_t)i;
		attr_t a = s == p->sel ? selected : box;
		if (s >= p->nshown) {
			if (i == 0)
				ui_puts(y + 2, x + 2, "(no match)", w - 4, box);
			break;
		}
		ui_fill(y + 2 + i, x + 1, w - 2, a);
		move(y + 2 + i, x + 2);
		text_draw(stdscr, p->items[p->shown[s]], w - 4, true, a, ui_over(a, ctl));
	}
	if (p->nshown)
		move(y + 2 + (int)(p->sel - p->top), x + 2);
}

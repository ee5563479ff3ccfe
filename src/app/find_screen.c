/* find_screen.c — find a field by its label: a line on the status line;
 * the form's cursor follows the best match as the text is typed while the
 * match is on the screen (a match further away is named on the line, and
 * the form scrolls to it on Enter: a typed character never redraws the
 * form), Enter stays there, Esc goes back where the cursor was. */
#include <stdlib.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/screens.h"
#include "ticketed/xalloc.h"

typedef struct {
	lineedit le;
	size_t origin;  /* the form row the cursor was on */
	long away;      /* the best match when it is off the screen, else -1 */
	bool none;      /* nothing matches the text */
} find_state;

static void find_free(void *p)
{
	find_state *s = p;
	le_free(&s->le);
	free(s);
}

static void find_draw(app *a, void *p)
{
	find_state *s = p;
	int y = LINES - 2, hw = COLS / 3 < 30 ? COLS / 3 : 30, hx = COLS - hw;
	attr_t st = ui_attr[ROLE_STATUS];
	ui_fill(y, 0, COLS, st);
	ui_puts(y, 0, "Find field: ", COLS, st | A_BOLD);
	if (s->away >= (long)app_form(a)->rows.n)  /* the rows were rebuilt meanwhile */
		s->away = -1;
	if (s->away >= 0) {  /* off the screen: named here, Enter goes there */
		ui_puts(y, hx, "Enter:", hw, st);
		ui_puts(y, hx + 7, app_form(a)->rows.v[s->away].label, hw - 8, st | A_BOLD);
	} else if (s->none) {
		ui_puts(y, hx, "no field matches", hw - 1, ui_attr[ROLE_ERROR]);
	}
	ui_cursor(true);
	le_draw(&s->le, stdscr, y, 12, hx - 13, st, ui_over(st, ui_attr[ROLE_CONTROL_CHAR]));
}

static reaction find_key(app *a, void *p, action_id act, tkey k)
{
	find_state *s = p;
	form_view *fv = app_form(a);
	reaction r;
	long i;
	if (act == ACT_COMMIT || act == ACT_CANCEL) {
		if (act == ACT_CANCEL)
			fv->cur = s->origin;
		else if (s->away >= 0 && s->away < (long)fv->rows.n)
			fv->cur = (size_t)s->away;
		app_status_clear(a);
		return rx(RX_POP | RX_REDRAW);
	}
	r = lineedit_key(&s->le, act, k);
	i = *le_text(&s->le) ? form_find_label(&fv->rows, s->origin, le_text(&s->le)) : -1;
	s->away = i >= 0 && form_screen_row(a, (size_t)i) < 0 ? i : -1;
	s->none = i < 0 && *le_text(&s->le);
	if (i >= 0) {
		if (s->away < 0)
			fv->cur = (size_t)i;
		app_status_clear(a);
	} else if (*le_text(&s->le)) {
		app_status(a, ROLE_ERROR, "No field matches");
	}
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
	return rx_push(&find_screen, s);
}

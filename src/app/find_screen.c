/* find_screen.c — find a field by its label: a line on the status line;
 * the form's cursor follows the best match as the text is typed, Enter
 * stays there, Esc goes back where the cursor was. */
#include <stdlib.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/screens.h"
#include "ticketed/xalloc.h"

typedef struct {
	lineedit le;
	size_t origin;  /* the form row the cursor was on */
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
	int y = LINES - 2;
	(void)a;
	ui_fill(y, 0, COLS, ui_attr[ROLE_STATUS]);
	ui_puts(y, 0, "Find field: ", COLS, ui_attr[ROLE_STATUS] | A_BOLD);
	ui_cursor(true);
	le_draw(&s->le, stdscr, y, 12, COLS - 13, ui_attr[ROLE_STATUS], ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
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
		app_status_clear(a);
		return rx(RX_POP | RX_REDRAW);
	}
	r = lineedit_key(&s->le, act, k);
	i = *le_text(&s->le) ? form_find_label(&fv->rows, s->origin, le_text(&s->le)) : -1;
	if (i >= 0) {
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
	return rx_push(&find_screen, s);
}

/* quit_screen.c — the quit prompt with unsaved edits: save and quit,
 * discard and quit, keep them as a draft and quit (for when the service is
 * down), or stay. The same prompt asks when the user leaves the ticket for
 * another one (the picker): save, discard or keep, then open it. */
#include <stdio.h>
#include <curses.h>
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/screens.h"

static void quit_draw(app *a, void *st)
{
	int w = 60 < COLS - 2 ? 60 : COLS - 2, h = 7, y = (LINES - h) / 2, x = (COLS - w) / 2;
	char buf[160], title[64];
	int n = model_modified(app_model(a));
	size_t c = model_nclashes(app_model(a));
	long next = app_next_ticket(a);  /* leaving for another ticket (the picker), not the program */
	(void)st;
	if (next)
		snprintf(title, sizeof title, "Unsaved edits: open ticket %ld?", next);
	ui_box(y, x, h, w, ui_attr[ROLE_POPUP], next ? title : "Unsaved edits");
	if (c)
		snprintf(buf, sizeof buf, "%d field%s modified, %zu conflict%s open.", n, n == 1 ? "" : "s", c,
		         c == 1 ? "" : "s");
	else
		snprintf(buf, sizeof buf, "%d field%s modified and not saved.", n, n == 1 ? "" : "s");
	ui_puts(y + 1, x + 2, buf, w - 4, ui_attr[ROLE_POPUP]);
	if (desk_note_get(app_desk(a)))  /* kept with k, dropped with d */
		ui_puts(y + 2, x + 2, "An unposted note too (k keeps it, d drops it).", w - 4, ui_attr[ROLE_POPUP]);
	ui_puts(y + 3, x + 2, next ? "s: save and open   d: discard and open" : "s: save and quit   d: discard and quit",
	        w - 4, ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
	ui_puts(y + 4, x + 2, next ? "k: keep as a draft and open" : "k: keep as a draft and quit", w - 4,
	        ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
	ui_puts(y + 5, x + 2, "Esc: stay", w - 4, ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
}

static reaction quit_key(app *a, void *st, action_id act, tkey k)
{
	(void)st;
	(void)k;
	switch (act) {
	case ACT_SAVE: return rx(RX_POP | RX_SAVE | RX_QUIT_SAVE | RX_REDRAW);
	case ACT_DISCARD: return rx(RX_POP | RX_QUIT | RX_DISCARD);
	case ACT_DRAFT_KEEP: return rx(RX_POP | RX_QUIT | RX_KEEP);
	case ACT_CANCEL:
		app_status_clear(a);
		return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: return rx(0);
	}
}

const screen_ops quit_screen = {
	.name = "quit", .sc = SC_QUIT, .modal = true, .draw = quit_draw, .key = quit_key, .free = NULL,
};

/* quit_screen.c — the quit prompt with unsaved edits: save and quit,
 * discard and quit, keep them as a draft and quit (for when the service is
 * down), or stay. The same prompt asks when the user leaves the ticket for
 * another one (the picker): save, discard or keep, then open it. */
#include <stdio.h>
#include <string.h>
#include <curses.h>
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/screens.h"

/* The choices side by side when they fit, else each on a line of its own,
 * so that none is cut (a 40-column terminal). */
static void quit_draw(app *a, void *st)
{
	long next = app_next_ticket(a);  /* leaving for another ticket (the picker), not the program */
	const char *sd = next ? "s: save and open   d: discard and open" : "s: save and quit   d: discard and quit";
	const char *choices[] = {
		next ? "s: save and open" : "s: save and quit",
		next ? "d: discard and open" : "d: discard and quit",
		next ? "k: keep as a draft and open" : "k: keep as a draft and quit",
		"Esc: stay",
	};
	const char *note_wide = "An unposted note too (k keeps it, d drops it).";
	const char *note_narrow = "A note too: k keeps it, d drops it";
	int w = 60 < COLS - 2 ? 60 : COLS - 2;
	bool split = (int)strlen(sd) > w - 4;
	int h = split ? 8 : 7, y = (LINES - h) / 2, x = (COLS - w) / 2, row;
	attr_t keys = ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY];
	char buf[160], title[64];
	int n = model_modified(app_model(a));
	size_t c = model_nclashes(app_model(a));
	(void)st;
	if (y < 0)
		y = 0;
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
		ui_puts(y + 2, x + 2, (int)strlen(note_wide) <= w - 4 ? note_wide : note_narrow, w - 4,
		        ui_attr[ROLE_POPUP]);
	row = y + 3;
	if (split) {
		ui_puts(row++, x + 2, choices[0], w - 4, keys);
		ui_puts(row++, x + 2, choices[1], w - 4, keys);
	} else {
		ui_puts(row++, x + 2, sd, w - 4, keys);
	}
	ui_puts(row++, x + 2, choices[2], w - 4, keys);
	ui_puts(row, x + 2, choices[3], w - 4, keys);
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

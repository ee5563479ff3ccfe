/* picklist.h — a filtered list of choices in a box: Up/Down, typing
 * filters (case- and accent-insensitive substring, fold.h), Enter picks, Esc cancels.
 * Used for enums now; MDO lists (references, tags) later.
 *
 * Ownership: the pick list owns copies of its item strings (pick_free). */
#ifndef TICKETED_PICKLIST_H
#define TICKETED_PICKLIST_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>

typedef struct {
	char **items;      /* the choices as shown */
	size_t n;
	size_t *shown;     /* indexes of items matching the filter */
	size_t nshown;
	size_t sel;        /* position in shown */
	size_t top;        /* first shown row */
	char filter[128];
	char *title;
} picklist;

/* Start a pick list titled TITLE over ITEMS[0..N), selecting CURRENT (may be NULL). */
void pick_init(picklist *p, const char *title, const char *const *items, size_t n, const char *current);
void pick_free(picklist *p);

/* Typing: add CP to the filter / remove its last character. */
void pick_type(picklist *p, uint32_t cp);
void pick_backspace(picklist *p);
/* Move the selection by DELTA rows (clamped). */
void pick_move(picklist *p, long delta);

/* The selected item's index in ITEMS, or -1 when nothing matches. */
long pick_selected(const picklist *p);

/* Draw the box centred on the screen with the colour roles given. */
void pick_draw(picklist *p, attr_t box, attr_t selected, attr_t ctl);

#endif

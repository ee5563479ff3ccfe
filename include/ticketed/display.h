/* display.h — the curses screen: a real terminal or a headless one in
 * ncurses' memory (newterm on /dev/null), the colour roles, reading keys
 * and reading the screen back (for :dump and :expect screen).
 *
 * Ownership: ui_dump returns a malloc'd string the caller frees. No cJSON. */
#ifndef TICKETED_DISPLAY_H
#define TICKETED_DISPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include "ticketed/keys.h"
#include "ticketed/theme.h"

/* The attribute for each colour role, filled by ui_open. */
extern attr_t ui_attr[ROLE_COUNT];

/* Smallest usable screen; below it a "terminal too small" notice shows. */
#define UI_MIN_COLS 40
#define UI_MIN_ROWS 10

/* Open the screen. HEADLESS: render into memory at COLS x ROWS (no tty
 * needed). T is the theme (NULL: mono); COLOR false forces mono. Returns 0
 * or -1 with ERR. */
int ui_open(bool headless, int cols, int rows, const theme *t, bool color, char *err, size_t errlen);

/* Restore the terminal (idempotent; safe from any exit path). */
void ui_close(void);

/* C-z: restore the terminal, stop the process (SIGTSTP) until it is
 * continued, then take the terminal back; the next ui_flush repaints all.
 * Nothing on a headless screen. */
void ui_suspend(void);

bool ui_is_open(void);
bool ui_headless(void);

/* The terminal's input fd (-1 when headless). */
int ui_input_fd(void);

/* Headless: change the virtual size. A terminal: re-read its size. */
void ui_resize(int cols, int rows);

/* One key from the terminal without blocking; TK_NONE if none is queued. */
tkey ui_getkey(void);

/* Whether the screen is at least UI_MIN_COLS x UI_MIN_ROWS. */
bool ui_big_enough(void);

/* Fill W columns of row Y from X with blanks in ATTR (erased, not written,
 * where the terminal can: see display.c). */
void ui_fill(int y, int x, int w, attr_t attr);

/* ATTR drawn over UNDER: OVER's colour pair if it has one, else UNDER's,
 * and the attributes of both (OR-ing two colour pairs would name a third). */
attr_t ui_over(attr_t under, attr_t over);

/* Draw a box H x W at Y,X in ATTR with TITLE (may be NULL), inside cleared. */
void ui_box(int y, int x, int h, int w, attr_t attr, const char *title);

/* Draw plain ASCII/UTF-8 text that the program itself wrote (not server
 * text) at Y,X, at most MAXCOLS columns. */
void ui_puts(int y, int x, const char *s, int maxcols, attr_t attr);

/* The screen as UTF-8 text: one line per row, trailing blanks trimmed. */
char *ui_dump(void);

/* Show or hide the terminal cursor from the next ui_flush on (only a
 * change is written to the terminal). */
void ui_cursor(bool visible);

/* Flush the drawn frame to the terminal (doupdate). FULL: repaint all. */
void ui_flush(bool full);

#endif

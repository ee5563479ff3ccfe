/* lineedit.h — a one-line UTF-8 text editor widget: the buffer, the cursor
 * (a byte index always on a character boundary), editing operations by
 * character, and drawing with horizontal scrolling measured in columns.
 *
 * Ownership: a lineedit owns its buffer (le_free); le_text borrows it. */
#ifndef TICKETED_LINEEDIT_H
#define TICKETED_LINEEDIT_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>

typedef struct {
	char *buf;       /* NUL-terminated UTF-8 */
	size_t len, cap;
	size_t cur;      /* byte index of the cursor */
	int scroll;      /* first column shown; -1 until the first le_draw */
} lineedit;

typedef enum {
	LE_LEFT, LE_RIGHT, LE_HOME, LE_END,
	LE_BACKSPACE, LE_DELETE,
	LE_KILL_START,   /* C-u: delete from the start to the cursor */
	LE_KILL_END,     /* C-k: delete from the cursor to the end */
	LE_KILL_WORD     /* C-w: delete the word before the cursor */
} le_op;

/* Start editing TEXT (NULL: empty) with the cursor at the end. */
void le_init(lineedit *le, const char *text);
void le_free(lineedit *le);
const char *le_text(const lineedit *le);

/* Insert code point CP (printable) at the cursor. */
void le_insert(lineedit *le, uint32_t cp);
void le_apply(lineedit *le, le_op op);

/* Column of the cursor within the whole text. */
int le_cursor_col(const lineedit *le);

/* Draw into WIN at Y,X within WIDTH columns, scrolling so the cursor shows
 * (the first time with as much text before it as fits; then by half of
 * WIDTH when it leaves the view, so it lands in the middle); leaves the
 * cursor of WIN at the edit position. */
void le_draw(lineedit *le, WINDOW *win, int y, int x, int width, attr_t attr, attr_t ctl_attr);

#endif

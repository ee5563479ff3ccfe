/* textarea.h — a multi-line UTF-8 text editor widget (the built-in editor
 * for notes and replies when there is no $VISUAL or $EDITOR): the buffer,
 * the cursor, lines soft-wrapped by columns (text.h widths; what is drawn
 * goes through the form's sanitiser), moving by characters, rows, lines
 * and pages, and the line editor's kills per line.
 *
 * Ownership: a textarea owns its buffer (ta_free). No cJSON. */
#ifndef TICKETED_TEXTAREA_H
#define TICKETED_TEXTAREA_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>

typedef struct {
	char *buf;       /* NUL-terminated UTF-8, lines split by '\n' */
	size_t len, cap;
	size_t cur;      /* byte index of the cursor */
	size_t top;      /* first row shown */
	int want_col;    /* the column Up/Down keep (-1: the cursor's) */
} textarea;

typedef enum {
	TA_LEFT, TA_RIGHT, TA_UP, TA_DOWN, TA_PAGE_UP, TA_PAGE_DOWN,
	TA_HOME,          /* start of the line */
	TA_END,           /* end of the line */
	TA_BACKSPACE, TA_DELETE,
	TA_KILL_START,    /* delete from the start of the line to the cursor */
	TA_KILL_END,      /* delete to the end of the line (at its end: join the next) */
	TA_KILL_WORD      /* delete the word before the cursor */
} ta_op;

/* Start with TEXT (NULL: empty), the cursor at its end. */
void ta_init(textarea *t, const char *text);
void ta_free(textarea *t);
const char *ta_text(const textarea *t);

/* Insert code point CP (printable, or '\n') at the cursor. */
void ta_insert(textarea *t, uint32_t cp);
/* Apply OP as laid out WIDTH columns wide, HEIGHT rows high. */
void ta_apply(textarea *t, ta_op op, int width, int height);

/* The cursor's row and column when laid out WIDTH wide. */
void ta_cursor(const textarea *t, int width, size_t *row, int *col);
/* Rows of the text laid out WIDTH wide. */
size_t ta_rows(const textarea *t, int width);

/* Draw into WIN at Y,X, WIDTH x HEIGHT, scrolling so the cursor shows;
 * the terminal cursor is left on it. */
void ta_draw(textarea *t, WINDOW *win, int y, int x, int width, int height, attr_t attr, attr_t ctl_attr);

#endif

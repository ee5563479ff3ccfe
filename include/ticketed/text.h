/* text.h — untrusted text at the draw boundary: sanitising, column widths,
 * cutting by columns, UTF-8 stepping for the line editor.
 *
 * Server text never reaches the terminal raw. Control characters (C0, DEL,
 * C1), invalid UTF-8 and bidi/format controls become visible escapes drawn
 * in the control-char role: ESC -> "^[", LF -> "\n", CR -> "\r", TAB -> "\t",
 * other C0 -> "^@".."^_", DEL -> "^?", C1 and bad bytes -> "\xNN",
 * U+202E and friends -> "<U+202E>". Widths come from wcwidth(), so the
 * program must setlocale(LC_ALL, "") (tests: "C.UTF-8"); code points that
 * wcwidth() calls non-printable (< 0) or zero-width (combining marks, U+200B,
 * ZWJ...) are shown as "<U+XXXX>" too, so a cell is never 0 columns and the
 * terminal and ticketed always agree where each column is. */
#ifndef TICKETED_TEXT_H
#define TICKETED_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <wchar.h>
#include <curses.h>

typedef struct {
	wchar_t ch;        /* a printable character (escapes are split into ASCII cells) */
	unsigned char width; /* 1 or 2 columns */
	bool ctl;          /* part of a visible escape: draw in the control-char role */
	unsigned char span; /* first cell of a character or escape: how many cells it
	                       has (1 for a character, 2 for "^[", 8 for "<U+202E>");
	                       0 for the later cells of an escape. Cuts happen only
	                       before a cell with span > 0 */
} text_cell;

/* Sanitise LEN bytes of UTF-8 into cells (malloc'd array in *OUT, caller
 * frees). Returns the number of cells. */
size_t text_cells(const char *s, size_t len, text_cell **out);

/* Columns the character at byte I of S (LEN bytes) takes once sanitised
 * (an escape its whole width), without allocating; *NEXT: the byte after it. */
int text_char_width(const char *s, size_t len, size_t i, size_t *next);

/* Columns S takes once sanitised. */
int text_width(const char *s);

/* Draw S sanitised at the cursor of WIN, at most MAXCOLS columns; a wide
 * character that does not fit is not drawn half. When the text is cut and
 * ELLIPSIS is set, the last column shows '…'. Normal cells get ATTR, escape
 * cells CTL_ATTR. Returns the columns drawn. */
int text_draw(WINDOW *win, const char *s, int maxcols, bool ellipsis, attr_t attr, attr_t ctl_attr);

/* Plain sanitised copy of S cut to MAXCOLS columns (for dumps, messages,
 * the status line); malloc'd, never NULL (xalloc.h). MAXCOLS < 0: no limit. */
char *text_sanitize(const char *s, int maxcols);

/* Lines of S (untrusted) for a column WIDTH columns wide: split at newlines,
 * sanitised, wrapped at the last space that fits, else between characters (a
 * wide character or an escape is never split); spaces at a break dropped.
 * Returns a malloc'd array of malloc'd lines in *OUT and their number (at
 * least one). Free with text_lines_free. */
size_t text_wrap(const char *s, int width, char ***out);
void text_lines_free(char **lines, size_t n);

/* UTF-8 stepping within S[0..len): the byte index of the next / previous
 * character boundary from I. */
size_t utf8_next(const char *s, size_t len, size_t i);
size_t utf8_prev(const char *s, size_t i);

/* Decode the character at S[I] (I < LEN) into *CP; returns its length in
 * bytes, or 0 for an invalid sequence (stray or missing continuation byte,
 * overlong form, surrogate, beyond U+10FFFF). */
size_t utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp);

/* Write the UTF-8 form of CP (1 to 4 bytes, no NUL; room ensured by the
 * caller) to OUT; returns its length. CP is not checked (callers filter). */
size_t utf8_encode(uint32_t cp, char *out);

/* Whether S is valid UTF-8. */
bool utf8_valid(const char *s, size_t len);

#endif

/* bodyview.h — a message body laid out for the screen: rendered once
 * (html.h), every character sanitised once into cells (text.h: the form's
 * sanitiser), then wrapped to a width as often as the terminal is resized.
 *
 * Rows: each logical line wraps at the last blank that fits (else between
 * characters: a wide character or an escape is never split; preformatted
 * lines break where the width ends), its later rows indented by its hang
 * (under the text of a list item). A quote (a run of lines with quote depth
 * > 0) shows BV_QUOTE_SHOWN rows and then one row "… N more quoted lines"
 * unless the quotes are expanded. Drawing puts each row's quote bars,
 * indent and cells, escapes in the control-char role.
 *
 * Ownership: a bodyview owns its doc, cells and rows (bodyview_free). No
 * cJSON. */
#ifndef TICKETED_BODYVIEW_H
#define TICKETED_BODYVIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>
#include "ticketed/html.h"
#include "ticketed/text.h"

#define BV_QUOTE_SHOWN 3
#define BV_MIN_WIDTH 10

enum { BV_MORE = 100 };  /* a row's kind: "N more quoted lines" */

typedef struct {
	size_t line;     /* the logical line (doc.v[line]) */
	size_t from, to; /* its cells [from, to) on this row */
	int indent;      /* blank columns before them (after the quote bars) */
	int quote;       /* quote bars */
	int kind;        /* html_kind, or BV_MORE */
	size_t hidden;   /* BV_MORE: how many rows it stands for */
} bv_row;

typedef struct {
	html_doc doc;
	text_cell **cells;   /* per logical line */
	size_t *ncells;
	bv_row *rows;
	size_t nrows, caprows;
	int width;
	bool expanded;       /* quotes shown whole */
} bodyview;

/* Render LEN bytes of TEXT (HTML when IS_HTML, else plain) and sanitise it.
 * 0, or -1 when out of memory (B is then empty). */
int bodyview_init(bodyview *b, const char *text, size_t len, bool is_html);

/* Lay B out WIDTH columns wide (at least BV_MIN_WIDTH), quotes collapsed
 * unless EXPANDED. 0 or -1 (out of memory: no rows). */
int bodyview_layout(bodyview *b, int width, bool expanded);

/* Row R as plain text (sanitised: escapes as their visible form; quote
 * bars and indent included), malloc'd; NULL when out of memory. */
char *bodyview_row_text(const bodyview *b, size_t r);

/* Draw row R at Y, X of WIN, at most MAXCOLS columns: ATTR for the text,
 * QATTR for quote bars and quoted text, CTL for escapes, EMPH for
 * headings and the "more" row. */
void bodyview_draw_row(const bodyview *b, size_t r, WINDOW *win, int y, int x, int maxcols, attr_t attr,
                       attr_t qattr, attr_t ctl, attr_t emph);

void bodyview_free(bodyview *b);

#endif

/* fuzz_html.c — message bodies (html.h) and their layout (bodyview.h) on
 * arbitrary bytes, as HTML and as plain text. Properties: rendering never
 * fails; a logical line holds no newline, its quote depth and indent stay
 * bounded; laid out at several widths, every row is inside its line's
 * cells and fits its width (a row too narrow for one character or escape
 * holds just that one), rows of one line follow each other in order, and
 * with quotes expanded every character of a line is on a row (only blanks
 * at a break are dropped); a row's text is sanitised (no control
 * character, valid UTF-8). */
#include <locale.h>
#include <wchar.h>

#include "fuzz.h"
#include "ticketed/bodyview.h"
#include "ticketed/text.h"

static void check_doc(const html_doc *d)
{
	for (size_t i = 0; i < d->n; i++) {
		const html_line *l = &d->v[i];
		FUZZ_CHECK(!strchr(l->text, '\n'), "line %zu holds a newline", i);
		FUZZ_CHECK(l->quote >= 0 && l->quote <= HTML_MAX_DEPTH, "line %zu quote %d", i, l->quote);
		FUZZ_CHECK(l->indent >= 0 && l->indent <= 2 * HTML_MAX_DEPTH + 16, "line %zu indent %d", i, l->indent);
		FUZZ_CHECK(l->hang >= 0 && l->hang <= 16, "line %zu hang %d", i, l->hang);
	}
}

static int cells_width(const text_cell *c, size_t from, size_t to)
{
	int w = 0;
	for (size_t i = from; i < to; i++)
		w += c[i].width;
	return w;
}

static void check_layout(bodyview *b, int width, bool expanded)
{
	FUZZ_CHECK(bodyview_layout(b, width, expanded) == 0, "layout failed");
	size_t line = 0, pos = 0;
	for (size_t r = 0; r < b->nrows; r++) {
		const bv_row *row = &b->rows[r];
		FUZZ_CHECK(row->line < b->doc.n || (b->doc.n == 0 && b->nrows == 0), "row %zu: line %zu", r, row->line);
		char *t = bodyview_row_text(b, r);
		FUZZ_CHECK(t && utf8_valid(t, strlen(t)), "row %zu text not UTF-8", r);
		for (const unsigned char *p = (const unsigned char *)t; *p; p++)
			FUZZ_CHECK(*p >= 0x20 && *p != 0x7f, "row %zu: control byte 0x%02x", r, *p);
		free(t);
		if (row->kind == BV_MORE) {
			FUZZ_CHECK(!expanded && row->hidden > 0, "a 'more' row while expanded");
			continue;
		}
		FUZZ_CHECK(row->from <= row->to && row->to <= b->ncells[row->line], "row %zu: cells %zu..%zu of %zu", r,
		           row->from, row->to, b->ncells[row->line]);
		int w = cells_width(b->cells[row->line], row->from, row->to);
		int used = 2 * row->quote + row->indent + w;
		bool one_unit = row->to > row->from &&
		                (b->cells[row->line][row->from].span ? b->cells[row->line][row->from].span : 1) >=
		                        row->to - row->from;
		FUZZ_CHECK(used <= width || one_unit || 2 * row->quote + row->indent >= width - 1,
		           "row %zu is %d columns at width %d", r, used, width);
		if (expanded) {
			/* rows of a line in order, nothing but blanks skipped */
			if (row->line != line) {
				FUZZ_CHECK(row->line > line || r == 0, "rows out of order");
				for (size_t k = pos; k < b->ncells[line] && b->doc.v[line].kind != HL_RULE; k++)
					FUZZ_CHECK(b->cells[line][k].ch == L' ' && !b->cells[line][k].ctl,
					           "line %zu: cell %zu of %zu on no row", line, k, b->ncells[line]);
				line = row->line;
				pos = 0;
			}
			for (size_t k = pos; k < row->from; k++)
				FUZZ_CHECK(b->cells[line][k].ch == L' ' && !b->cells[line][k].ctl,
				           "line %zu: cell %zu dropped and not a blank", line, k);
			pos = row->to > pos ? row->to : pos;
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = true;
	}
	for (int mode = 0; mode < 2; mode++) {
		html_doc d;
		int rc = mode ? html_render_plain((const char *)data, size, &d) : html_render((const char *)data, size, &d);
		FUZZ_CHECK(rc == 0, "render failed");
		check_doc(&d);
		html_doc_free(&d);
		bodyview b;
		FUZZ_CHECK(bodyview_init(&b, (const char *)data, size, mode == 0) == 0, "bodyview_init failed");
		static const int widths[] = { 1, 10, 23, 80 };
		for (size_t k = 0; k < sizeof widths / sizeof *widths; k++) {
			check_layout(&b, widths[k] < BV_MIN_WIDTH ? BV_MIN_WIDTH : widths[k], true);
			check_layout(&b, widths[k] < BV_MIN_WIDTH ? BV_MIN_WIDTH : widths[k], false);
		}
		bodyview_free(&b);
	}
	return 0;
}

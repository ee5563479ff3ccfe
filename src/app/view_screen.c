/* view_screen.c — scrolling text in a box over the form: the help (the key
 * bindings of every screen, from the action table) and the preview of the
 * patch a save would send. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/servertz.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

typedef struct {
	char *key;   /* help: the keys column (help-key role), or NULL */
	char *text;  /* the line (sanitised when drawn) */
	int role;    /* theme_role */
} view_line;

struct view_doc {
	char title[128];
	view_line *v;
	size_t n;
	size_t top;
};

view_doc *view_doc_new(const char *title)
{
	view_doc *d = xcalloc(1, sizeof *d);
	snprintf(d->title, sizeof d->title, "%s", title);
	return d;
}

void view_doc_add(view_doc *d, const char *key, const char *text, int role)
{
	d->v = xreallocarray(d->v, d->n + 1, sizeof *d->v);
	d->v[d->n].key = key ? xstrdup(key) : NULL;
	d->v[d->n].text = xstrdup(text);
	d->v[d->n].role = role;
	d->n++;
}

static void view_free(void *p)
{
	view_doc *d = p;
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].key);
		free(d->v[i].text);
	}
	free(d->v);
	free(d);
}

static void view_draw(app *a, void *p)
{
	view_doc *d = p;
	int y0 = 1, h = LINES - 3, w = COLS, inner = h - 2;
	(void)a;
	if (inner < 1)
		return;
	if (d->n > (size_t)inner && d->top > d->n - (size_t)inner)
		d->top = d->n - (size_t)inner;
	ui_box(y0, 0, h, w, ui_attr[ROLE_POPUP], d->title);
	for (int i = 0; i < inner; i++) {
		size_t k = d->top + (size_t)i;
		const view_line *v;
		int x = 2, kw = COLS < 60 ? 12 : 22;
		if (k >= d->n)
			break;
		v = &d->v[k];
		if (v->key) {
			ui_puts(y0 + 1 + i, x, v->key, kw, ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
			x += kw + 2;
		}
		move(y0 + 1 + i, x);
		text_draw(stdscr, v->text, w - x - 2, true, ui_attr[ROLE_POPUP] | ui_attr[v->role],
		          ui_attr[ROLE_POPUP] | ui_attr[ROLE_CONTROL_CHAR]);
	}
	if (d->n > (size_t)inner) {
		char m[48];
		snprintf(m, sizeof m, " %zu-%zu of %zu ", d->top + 1,
		         d->top + (size_t)inner < d->n ? d->top + (size_t)inner : d->n, d->n);
		ui_puts(y0 + h - 1, w - (int)strlen(m) - 2, m, (int)strlen(m), ui_attr[ROLE_POPUP]);
	}
}

static reaction view_key(app *a, void *p, action_id act, tkey k)
{
	view_doc *d = p;
	size_t page = LINES > 6 ? (size_t)LINES - 5 : 1;
	(void)a;
	(void)k;
	switch (act) {
	case ACT_UP: if (d->top) d->top--; break;
	case ACT_DOWN: if (d->top + 1 < d->n) d->top++; break;
	case ACT_PAGE_UP: d->top = d->top > page ? d->top - page : 0; break;
	case ACT_PAGE_DOWN: d->top += page; if (d->top >= d->n) d->top = d->n ? d->n - 1 : 0; break;
	case ACT_FIRST: d->top = 0; break;
	case ACT_LAST: d->top = d->n ? d->n - 1 : 0; break;
	case ACT_CLOSE: return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

static const screen_ops view_screen = {
	.name = "view", .sc = SC_VIEW, .modal = true, .draw = view_draw, .key = view_key, .free = view_free,
};

reaction view_screen_open(view_doc *doc) { return rx_push(&view_screen, doc); }

/* ---- help ----------------------------------------------------------------- */

static void help_key_line(const char *keys, const char *help, void *d)
{
	view_doc_add(d, keys, help, ROLE_VALUE);
}

reaction help_open(app *a)
{
	view_doc *d = view_doc_new("Help");
	(void)a;
	for (size_t s = 0; s < action_nscreens; s++) {
		view_doc_add(d, NULL, action_screens[s].name, ROLE_SECTION);
		action_each_key(action_screens[s].sc, help_key_line, d);
		view_doc_add(d, NULL, "", ROLE_VALUE);
	}
	return view_screen_open(d);
}

/* ---- preview ---------------------------------------------------------------- */

/* Add TEXT (cJSON's pretty print) split at newlines, each line in ROLE;
 * its indenting tabs become two spaces, the tab after a colon one space
 * (tabs inside JSON strings are escaped, so these are all layout). */
static void add_lines(view_doc *d, const char *text, int role)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p), i, o = 0;
		char *line = xmalloc(n * 2 + 1);
		for (i = 0; i < n; i++) {
			if (p[i] != '\t')
				line[o++] = p[i];
			else if (i > 0 && p[i - 1] == ':')
				line[o++] = ' ';
			else {
				line[o++] = ' ';
				line[o++] = ' ';
			}
		}
		line[o] = 0;
		view_doc_add(d, NULL, line, role);
		free(line);
		p += n + (nl ? 1 : 0);
	}
}

static int op_role(const cJSON *op)
{
	const cJSON *o = json_get(op, "op");
	const char *s = cJSON_IsString(o) ? o->valuestring : "";
	if (!strcmp(s, "test"))
		return ROLE_DIFF_TEST;
	if (!strcmp(s, "remove"))
		return ROLE_DIFF_REMOVE;
	return ROLE_DIFF_ADD;
}

/* The readable "Label: old → new" list of the modified rows. */
static void preview_changes(app *a, view_doc *d)
{
	form_view *fv = app_form(a);
	model *m = app_model(a);
	for (size_t i = 0; i < fv->rows.n; i++) {
		const form_row *r = &fv->rows.v[i];
		char *old, *now, *line;
		if (!form_row_modified(m, r))
			continue;
		if (r->kind == ROW_MAPKEY) {
			const cJSON *b = model_map_base(m, r->f, r->sub);
			old = b ? value_custom_text(m, r->sub, b) : xstrdup("(absent)");
		} else {
			old = value_text(r->f, model_base(m, r->f), app_lists(a), "(absent)");
		}
		now = form_row_text(m, r, app_lists(a));
		line = xmalloc(strlen(r->path) + strlen(old) + strlen(now) + 16);
		sprintf(line, "%s: %s \u2192 %s", r->path, old, now);
		view_doc_add(d, NULL, line, ROLE_VALUE);
		free(old);
		free(now);
		free(line);
	}
}

reaction preview_open(app *a, bool dry_run)
{
	model *m = app_model(a);
	cJSON *patch = model_patch(m, app_mode(a)), *op;
	int n = cJSON_GetArraySize(patch), k = 0;
	char title[128];
	view_doc *d;
	snprintf(title, sizeof title, "%s: %d op%s",
	         dry_run ? "Dry run, nothing sent. The patch" : "Preview: the patch", n, n == 1 ? "" : "s");
	d = view_doc_new(title);
	if (app_options(a)->conflict == CONFLICT_STRICT) {
		char date[64], h[100];
		if (model_if_unmodified_since_tz(m, app_options(a)->server_timezone, date, sizeof date) == 0) {
			snprintf(h, sizeof h, "If-Unmodified-Since: %s", date);
			view_doc_add(d, NULL, h, ROLE_DIFF_TEST);
		}
	}
	view_doc_add(d, NULL, n ? "[" : "[]", ROLE_VALUE);
	cJSON_ArrayForEach(op, patch) {
		char *s = json_print(op, true), *line = xmalloc(strlen(s) + 4);
		sprintf(line, "%s%s", s, ++k < n ? "," : "");
		add_lines(d, line, op_role(op));
		free(line);
		free(s);
	}
	if (n)
		view_doc_add(d, NULL, "]", ROLE_VALUE);
	view_doc_add(d, NULL, "", ROLE_VALUE);
	if (model_nclashes(m)) {
		view_doc_add(d, NULL, "Open conflicts (nothing is sent for them until you choose):", ROLE_SECTION);
		for (size_t i = 0; i < m->nclashes; i++)
			view_doc_add(d, NULL, m->clashes[i].path, ROLE_ERROR);
		view_doc_add(d, NULL, "", ROLE_VALUE);
	}
	view_doc_add(d, NULL, n ? "Changes:" : "No changes.", ROLE_SECTION);
	preview_changes(a, d);
	cJSON_Delete(patch);
	return view_screen_open(d);
}

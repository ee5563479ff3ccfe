/* conflict_screen.c — the open clashes (model.h) side by side: the value
 * the edit was made against (base), mine, and theirs (the server's now),
 * wrapped by columns. Per clash the user keeps mine (m), takes theirs (t)
 * or edits a merged value (e, the editor over this screen so the three
 * columns stay in view). s sends the edits once every clash is decided;
 * Esc goes back to the form, where the clashes stay open (the form's s
 * returns here). Below, what the last merge did with the other edits. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

#define MAX_VALUE_LINES 12  /* lines shown per value; the rest is summarised */

typedef enum { HOW_OPEN, HOW_MINE, HOW_THEIRS, HOW_EDITED } how;

/* One clash as it was when the screen opened, and what the user chose. */
typedef struct {
	const field_def *f;
	char *sub, *label, *path;
	cJSON *basis, *mine, *theirs;   /* copies; NULL = absent */
	how how;
} citem;

typedef struct {
	citem *v;
	size_t n;
	size_t cur;        /* the selected citem */
	size_t top;        /* first screen line shown */
	bool scrolled;     /* the view was scrolled: do not pull it back to the selection */
} conflict_state;

static void conflict_free(void *p)
{
	conflict_state *s = p;
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].sub);
		free(s->v[i].label);
		free(s->v[i].path);
		cJSON_Delete(s->v[i].basis);
		cJSON_Delete(s->v[i].mine);
		cJSON_Delete(s->v[i].theirs);
	}
	free(s->v);
	free(s);
}

static cJSON *dup(const cJSON *v) { return v ? cJSON_Duplicate(v, 1) : NULL; }

/* The form's label of field F (map key SUB): a custom field by its
 * definition's name, as on the form; LABEL when the form has no such row. */
static const char *row_label(app *a, const field_def *f, const char *sub, const char *label)
{
	const form_view *fv = app_form(a);
	for (size_t i = 0; i < fv->rows.n; i++) {
		const form_row *r = &fv->rows.v[i];
		if (r->f == f && ((!sub && !r->sub) || (sub && r->sub && !strcmp(sub, r->sub))))
			return r->label;
	}
	return label;
}

/* Items for the clashes the model has that the screen does not list yet. */
static void snapshot(app *a, conflict_state *s)
{
	model *m = app_model(a);
	for (size_t i = 0; i < m->nclashes; i++) {
		const model_clash *c = &m->clashes[i];
		citem *it;
		size_t k;
		for (k = 0; k < s->n; k++)
			if (!strcmp(s->v[k].path, c->path))
				break;
		if (k < s->n)
			continue;
		s->v = xreallocarray(s->v, s->n + 1, sizeof *s->v);
		it = &s->v[s->n++];
		it->f = c->f;
		it->sub = c->sub ? xstrdup(c->sub) : NULL;
		it->label = xstrdup(row_label(a, c->f, c->sub, c->label));
		it->path = xstrdup(c->path);
		it->basis = dup(c->basis);
		it->mine = dup(c->sub ? model_map_value(m, c->f, c->sub) : model_value(m, c->f));
		it->theirs = dup(c->sub ? model_map_base(m, c->f, c->sub) : model_base(m, c->f));
		it->how = HOW_OPEN;
	}
}

/* Whether IT's clash is still open in the model. */
static bool is_open(app *a, const citem *it) { return model_clash_find(app_model(a), it->path) >= 0; }

static size_t open_count(app *a, const conflict_state *s)
{
	size_t n = 0;
	for (size_t i = 0; i < s->n; i++)
		n += is_open(a, &s->v[i]);
	return n;
}

size_t conflict_screen_listed(const void *st) { return ((const conflict_state *)st)->n; }

/* ---- lines ------------------------------------------------------------------ */

/* One screen line: either full-width text or three columns. */
typedef struct {
	long citem;          /* the clash it belongs to, or -1 */
	char *col[3];       /* NULL: not a three-column line */
	char *text;         /* full-width text */
	int role;
	bool bold;
} cline;

typedef struct {
	cline *v;
	size_t n;
} clines;

static cline *cl_add(clines *c, long idx, int role)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	c->v[c->n].citem = idx;
	c->v[c->n].role = role;
	return &c->v[c->n++];
}

static void cl_text(clines *c, long idx, int role, bool bold, const char *text)
{
	cline *l = cl_add(c, idx, role);
	l->text = xstrdup(text);
	l->bold = bold;
}

/* TEXT wrapped to the screen's width, a line each. */
static void cl_wrap(clines *c, long idx, int role, bool bold, const char *text)
{
	char **wl;
	size_t n = text_wrap(text, COLS - 2 > 10 ? COLS - 2 : 10, &wl);
	for (size_t k = 0; k < n; k++)
		cl_text(c, idx, role, bold, wl[k]);
	text_lines_free(wl, n);
}

static void cl_free(clines *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].text);
		for (int k = 0; k < 3; k++)
			free(c->v[i].col[k]);
	}
	free(c->v);
}

static int col_width(void) { return (COLS - 4 - 2 * 2) / 3 > 4 ? (COLS - 4 - 2 * 2) / 3 : 4; }

/* A value as this screen shows it: absent and empty spelled out. */
static char *shown(app *a, const field_def *f, const char *sub, const cJSON *v)
{
	char *t;
	if (!v)
		return xstrdup("(absent)");
	t = sub ? value_custom_text(app_model(a), sub, v) : value_text(f, v, app_lists(a), "(absent)");
	if (!*t) {
		free(t);
		return xstrdup("(empty)");
	}
	return t;
}

/* The three wrapped values of citem I side by side. */
static void cl_values(app *a, clines *c, long i, const citem *it)
{
	const cJSON *vals[3] = { it->basis, it->mine, it->theirs };
	char **lines[3];
	size_t n[3], rows = 0, r;
	int k, w = col_width();
	for (k = 0; k < 3; k++) {
		char *t = shown(a, it->f, it->sub, vals[k]);
		n[k] = text_wrap(t, w, &lines[k]);
		free(t);
		if (n[k] > rows)
			rows = n[k];
	}
	for (r = 0; r < rows && r < MAX_VALUE_LINES; r++) {
		cline *l = cl_add(c, i, ROLE_VALUE);
		for (k = 0; k < 3; k++) {
			if (r + 1 == MAX_VALUE_LINES && n[k] > MAX_VALUE_LINES) {
				char more[64];
				snprintf(more, sizeof more, "(%zu more lines)", n[k] - r);
				l->col[k] = xstrdup(more);
			} else {
				l->col[k] = xstrdup(r < n[k] ? lines[k][r] : "");
			}
		}
	}
	for (k = 0; k < 3; k++)
		text_lines_free(lines[k], n[k]);
}

static const char *how_text(how h)
{
	switch (h) {
	case HOW_MINE: return "keep mine";
	case HOW_THEIRS: return "take theirs";
	case HOW_EDITED: return "edited (merged value below)";
	default: return "open: m mine, t theirs, e edit";
	}
}

/* The value the form has now for citem IT (the merged one after e). */
static const cJSON *now_value(app *a, const citem *it)
{
	model *m = app_model(a);
	return it->sub ? model_map_value(m, it->f, it->sub) : model_value(m, it->f);
}

/* What the last merge made of the edit at PATH, or -1. */
static int merged_class(app *a, const char *path)
{
	const model_merge_report *rep = &app_save(a)->rep;
	for (size_t i = 0; i < rep->n; i++)
		if (rep->v[i].path && !strcasecmp(rep->v[i].path, path))
			return (int)rep->v[i].cls;
	return -1;
}

/* The citem at PATH, or NULL. */
static const citem *item_at(const conflict_state *s, const char *path)
{
	for (size_t i = 0; i < s->n; i++)
		if (!strcasecmp(s->v[i].path, path))
			return &s->v[i];
	return NULL;
}

/* LABEL, then WHAT wrapped in a second column (the labels' width is W;
 * W 0: WHAT alone, indented). */
static void cl_pair(clines *c, int role, int w, const char *label, const char *what)
{
	char line[600], **wl;
	char *l = text_sanitize(label, w);
	int pad = w - text_width(l), indent = w ? 2 + w + 2 : 2;
	size_t n = text_wrap(what, COLS - 2 - indent > 10 ? COLS - 2 - indent : 10, &wl);
	for (size_t k = 0; k < n; k++) {
		if (k == 0 && w)
			snprintf(line, sizeof line, "  %s%*s  %s", l, pad > 0 ? pad : 0, "", wl[k]);
		else
			snprintf(line, sizeof line, "%*s%s", indent, "", wl[k]);
		cl_text(c, -1, role, false, line);
	}
	text_lines_free(wl, n);
	free(l);
}

/* What s would send now, field by field, and what it leaves alone: the
 * edits still pending (with why each is there), those waiting for a
 * choice, and the merge's edits that need nothing sent. */
static void cl_summary(app *a, conflict_state *s, clines *c)
{
	form_view *fv = app_form(a);
	model *m = app_model(a);
	const model_merge_report *rep = &app_save(a)->rep;
	char *none = NULL, *kept = NULL;
	bool any = false;
	int w = 0;
	for (size_t i = 0; i < fv->rows.n; i++)
		if (form_row_modified(m, &fv->rows.v[i]) && text_width(fv->rows.v[i].label) > w)
			w = text_width(fv->rows.v[i].label);
	if (w > 24)
		w = 24;
	for (size_t i = 0; i < fv->rows.n; i++) {
		const form_row *r = &fv->rows.v[i];
		const citem *it;
		const char *what;
		if (!form_row_modified(m, r))
			continue;
		if (!any)
			cl_wrap(c, -1, ROLE_SECTION, true, open_count(a, s) ?
			        "What s sends once every conflict is decided (each change tested against the "
			        "server's value):" : "What s sends (each change tested against the server's value):");
		any = true;
		it = item_at(s, r->path);
		if (model_clash_of(m, r->f, r->kind == ROW_MAPKEY ? r->sub : NULL))
			what = "waits for your choice (m, t or e)";
		else if (it && it->how == HOW_EDITED)
			what = "your merged value";
		else if (it)
			what = "yours (you chose it over theirs)";
		else if (merged_class(a, r->path) == M3_MERGED)
			what = "yours and theirs, merged element by element";
		else if (merged_class(a, r->path) == M3_REBASE)
			what = "yours (only you changed it)";
		else
			what = "yours";
		cl_pair(c, ROLE_VALUE, w, r->label, what);
	}
	if (!any)
		cl_wrap(c, -1, ROLE_SECTION, true, "s sends nothing: no edit is left to send.");
	for (size_t i = 0; i < rep->n; i++) {  /* the merge's edits that need nothing sent */
		char **list = rep->v[i].cls == M3_ALREADY ? &none : rep->v[i].cls == M3_THEIRS ? &kept : NULL;
		char *n;
		if (!list)
			continue;
		n = *list ? xstr_join(*list, ", ", rep->v[i].label) : xstrdup(rep->v[i].label);
		free(*list);
		*list = n;
	}
	for (size_t i = 0; i < s->n; i++)  /* a clash decided for theirs sends nothing either */
		if (s->v[i].how == HOW_THEIRS && !is_open(a, &s->v[i])) {
			char *n = kept ? xstr_join(kept, ", ", s->v[i].label) : xstrdup(s->v[i].label);
			free(kept);
			kept = n;
		}
	if (none) {
		cl_text(c, -1, ROLE_SECTION, true, "Already on the server (nothing to send):");
		cl_pair(c, ROLE_VALUE, 0, "", none);
	}
	if (kept) {
		cl_text(c, -1, ROLE_SECTION, true, "Their value kept (nothing to send):");
		cl_pair(c, ROLE_VALUE, 0, "", kept);
	}
	free(none);
	free(kept);
}

static void build_lines(app *a, conflict_state *s, clines *c)
{
	char buf[600];
	for (size_t i = 0; i < s->n; i++) {
		const citem *it = &s->v[i];
		cline *h;
		snprintf(buf, sizeof buf, "%s %s: %s", i == s->cur ? ">" : " ", it->label,
		         how_text(is_open(a, it) ? HOW_OPEN : it->how));
		cl_text(c, (long)i, i == s->cur ? ROLE_CURSOR : ROLE_LABEL, true, buf);
		h = cl_add(c, (long)i, ROLE_SECTION);
		/* the long headers where they fit, else the words alone (40 columns) */
		h->col[0] = xstrdup(text_width("base (yours was made on)") <= col_width() ? "base (yours was made on)" : "base");
		h->col[1] = xstrdup("mine");
		h->col[2] = xstrdup(text_width("theirs (on the server)") <= col_width() ? "theirs (on the server)" : "theirs");
		cl_values(a, c, (long)i, it);
		if (it->how == HOW_EDITED && !is_open(a, it)) {
			char *t = shown(a, it->f, it->sub, now_value(a, it)), **lines;
			size_t n = text_wrap(t, COLS - 14, &lines);
			for (size_t j = 0; j < n && j < MAX_VALUE_LINES; j++) {
				snprintf(buf, sizeof buf, "%s%s", j ? "          " : "merged:   ", lines[j]);
				cl_text(c, (long)i, ROLE_MODIFIED, false, buf);
			}
			text_lines_free(lines, n);
			free(t);
		}
		cl_text(c, (long)i, ROLE_VALUE, false, "");
	}
	cl_summary(a, s, c);
}

static int col_role(int k) { return k == 0 ? ROLE_CONFLICT_BASE : k == 1 ? ROLE_CONFLICT_MINE : ROLE_CONFLICT_THEIRS; }

static void draw_line(const cline *l, int y, bool header)
{
	int w = col_width();
	ui_fill(y, 0, COLS, A_NORMAL);
	if (!l->col[0]) {
		attr_t at = ui_attr[l->role] | (l->bold ? A_BOLD : 0);
		if (l->role == ROLE_CURSOR)
			ui_fill(y, 0, COLS, at);
		move(y, 1);
		text_draw(stdscr, l->text, COLS - 2, true, at, at | ui_attr[ROLE_CONTROL_CHAR]);
		return;
	}
	for (int k = 0; k < 3; k++) {
		attr_t at = header ? ui_attr[col_role(k)] | A_BOLD : ui_attr[col_role(k)];
		move(y, 4 + k * (w + 2));
		text_draw(stdscr, l->col[k], w, true, at, at | ui_attr[ROLE_CONTROL_CHAR]);
	}
}

static void conflict_draw(app *a, void *p)
{
	conflict_state *s = p;
	clines c = { 0 };
	int h, nexp;
	size_t first = 0, last = 0, open, nwrap;
	bool seen = false;
	char buf[512], **exp;
	snapshot(a, s);
	open = open_count(a, s);
	nwrap = text_wrap(open ? "They changed these fields after your edits were made. Choose for each: nothing "
	                      "is sent until you do." : "Every conflict is decided: s sends your edits.",
	                      COLS - 2, &exp);
	nexp = nwrap > 2 ? 2 : (int)nwrap;
	h = LINES - 1 - nexp - app_status_rows(a) - 1;
	if (s->cur >= s->n)
		s->cur = 0;
	build_lines(a, s, &c);
	for (size_t i = 0; i < c.n; i++)
		if (c.v[i].citem == (long)s->cur) {
			if (!seen)
				first = i;
			last = i;
			seen = true;
		}
	if (h < 1)
		h = 1;
	if (seen && !s->scrolled && first < s->top)
		s->top = first;
	if (seen && !s->scrolled && last >= s->top + (size_t)h)
		s->top = last + 1 - (size_t)h > first ? first : last + 1 - (size_t)h;
	if (c.n > (size_t)h && s->top > c.n - (size_t)h)
		s->top = c.n - (size_t)h;
	if (c.n <= (size_t)h)
		s->top = 0;
	ui_fill(0, 0, COLS, ui_attr[ROLE_HEADER]);
	snprintf(buf, sizeof buf, " Conflicts in ticket %ld (%s): %zu of %zu open", app_ticket_id(a),
	         save_trigger_name(app_save(a)->trigger), open, s->n);
	if (text_width(buf) > COLS)  /* narrow: the count matters most */
		snprintf(buf, sizeof buf, " Conflicts (%s): %zu of %zu open", save_trigger_name(app_save(a)->trigger),
		         open, s->n);
	if (text_width(buf) > COLS)
		snprintf(buf, sizeof buf, " Conflicts: %zu of %zu open", open, s->n);
	ui_puts(0, 0, buf, COLS, ui_attr[ROLE_HEADER] | A_BOLD);
	for (int i = 0; i < nexp; i++) {
		ui_fill(1 + i, 0, COLS, ui_attr[ROLE_HEADER]);
		ui_puts(1 + i, 1, exp[i], COLS - 1, ui_attr[ROLE_HEADER]);
	}
	text_lines_free(exp, nwrap);
	for (int y = 0; y < h; y++) {
		size_t k = s->top + (size_t)y;
		if (k < c.n)
			draw_line(&c.v[k], 1 + nexp + y, c.v[k].role == ROLE_SECTION && c.v[k].col[0]);
		else
			ui_fill(1 + nexp + y, 0, COLS, A_NORMAL);
	}
	cl_free(&c);
}

/* ---- keys ------------------------------------------------------------------- */

/* m or t on the selected citem: an open clash is resolved; an citem decided
 * already (its clash gone, the user has seen theirs) just gets that value. */
static reaction decide(app *a, conflict_state *s, how h)
{
	model *m = app_model(a);
	citem *it = &s->v[s->cur];
	long ci = model_clash_find(m, it->path);
	app_status(a, ROLE_STATUS, "%s: %s", it->label,
	           h == HOW_MINE ? "keeping mine (the save tests their value)" : "taking theirs");
	if (ci >= 0) {
		model_resolve(m, (size_t)ci, h == HOW_MINE ? RESOLVE_MINE : RESOLVE_THEIRS, NULL);
	} else {
		cJSON *v = dup(h == HOW_MINE ? it->mine : it->theirs);
		if (it->sub)
			model_map_set(m, it->f, it->sub, v);
		else
			model_set(m, it->f, v);
	}
	it->how = h;
	for (size_t k = 1; k <= s->n; k++) {  /* on to the next open one */
		size_t i = (s->cur + k) % s->n;
		if (is_open(a, &s->v[i])) {
			s->cur = i;
			break;
		}
	}
	s->scrolled = false;
	return rx(RX_RESOLVED | RX_ROWS | RX_REDRAW);
}

/* e: the editor for the citem's field over this screen, starting from the
 * value the form has now (mine while open). */
static reaction edit_merged(app *a, conflict_state *s)
{
	model *m = app_model(a);
	citem *it = &s->v[s->cur];
	const field_def *f = it->f;
	const cJSON *v = now_value(a, it);
	long ci = model_clash_find(m, it->path);
	if (!schema_field_editable(m->base, f)) {
		app_status(a, ROLE_ERROR, "%s cannot be edited now (no right to edit it): m or t", it->label);
		return rx(RX_REDRAW);
	}
	it->how = HOW_EDITED;  /* shown with its merged value once the editor closes */
	if (!it->sub && f->kind == FK_ENUM)
		return pick_enum_open(a, f, ci);
	if (!it->sub && f->kind == FK_REF && f->list && app_list(a, f->list)) {
		reaction p = pick_ref_open(a, f, app_list(a, f->list), ci);
		if (p.flags)
			return p;
	}
	if ((!it->sub && f->kind == FK_REFSET) || cJSON_IsObject(v) || cJSON_IsArray(v)) {
		/* a set: mine is the starting point, edited element by element */
		if (ci >= 0)
			model_resolve(m, (size_t)ci, RESOLVE_MINE, NULL);
		if (!it->sub && f->kind == FK_REFSET) {
			reaction r = set_screen_open(a, f);
			r.flags |= RX_RESOLVED | RX_ROWS;
			return r;
		}
		return rx(RX_RESOLVED | RX_ROWS | RX_REDRAW);
	}
	if (ci < 0)  /* decided already: a plain edit, theirs in view */
		return edit_screen_open(a, f, it->sub, it->label, -1, -1);
	return edit_screen_open(a, f, it->sub, it->label, ci, -1);
}

static reaction conflict_key(app *a, void *p, action_id act, tkey k)
{
	conflict_state *s = p;
	size_t page = LINES > 8 ? (size_t)LINES - 7 : 2, open;
	(void)k;
	snapshot(a, s);
	open = open_count(a, s);
	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
		/* past the first/last citem the view scrolls (to the lists below) */
		if (act == ACT_UP && s->cur > 0) {
			s->cur--;
			s->scrolled = false;
		} else if (act == ACT_DOWN && s->cur + 1 < s->n) {
			s->cur++;
			s->scrolled = false;
		} else {
			s->scrolled = true;
			if (act == ACT_DOWN)
				s->top++;
			else if (s->top > 0)
				s->top--;
		}
		break;
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		s->scrolled = true;
		if (act == ACT_PAGE_DOWN)
			s->top += page;
		else
			s->top = s->top > page ? s->top - page : 0;
		break;
	case ACT_KEEP_MINE:
	case ACT_TAKE_THEIRS:
		if (!s->n)
			break;
		return decide(a, s, act == ACT_KEEP_MINE ? HOW_MINE : HOW_THEIRS);
	case ACT_EDIT_MERGED:
		if (!s->n)
			break;
		return edit_merged(a, s);
	case ACT_RESUBMIT:
		if (open) {
			app_status(a, ROLE_ERROR, "%zu conflict%s still open: m, t or e on each (Esc: back to the form)",
			           open, open == 1 ? "" : "s");
			break;
		}
		app_status(a, ROLE_STATUS, "Resubmitting…");
		return rx(RX_POP | RX_SAVE | RX_REDRAW);
	case ACT_CLOSE:
		if (open)
			app_status(a, ROLE_ERROR, "%zu conflict%s still open: nothing is sent until each is decided "
			           "(s on the form comes back here)", open, open == 1 ? "" : "s");
		else
			app_status(a, ROLE_STATUS, "Back to the form: %d edit%s pending on the server's version; s saves",
			           model_modified(app_model(a)), model_modified(app_model(a)) == 1 ? "" : "s");
		return rx(RX_POP | RX_ROWS | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	case ACT_HELP: return help_open(a);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

static bool conflict_applies(app *a, void *p, action_id act)
{
	conflict_state *s = p;
	switch (act) {
	case ACT_KEEP_MINE:
	case ACT_TAKE_THEIRS:
	case ACT_EDIT_MERGED: return s->n > 0;
	case ACT_RESUBMIT: return open_count(a, s) == 0;
	default: return true;
	}
}

const screen_ops conflict_screen = {
	.name = "conflict", .sc = SC_CONFLICT, .modal = false,
	.draw = conflict_draw, .key = conflict_key, .free = conflict_free, .applies = conflict_applies,
};

reaction conflict_screen_open(void)
{
	return rx_push(&conflict_screen, xcalloc(1, sizeof(conflict_state)));
}

/* view_screen.c — scrolling text in a box over the form: the help (the key
 * bindings of every screen, from the action table), the preview of what a
 * save would send, and the status messages of the session. Lines are
 * wrapped to the box at every draw (a resize re-wraps them), never cut; a
 * line with a key (help keys, preview labels, message times) shows it in a
 * column as wide as the widest key, up to a third of the box. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/servertz.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"
#include "loop.h"

typedef struct {
	char *key;   /* the key column (help-key role), or NULL */
	char *text;  /* the line (sanitised when drawn) */
	int role;    /* theme_role */
} view_line;

typedef struct {
	view_line *v;
	size_t n;
} view_lines;

typedef enum { VIEW_TEXT, VIEW_PREVIEW, VIEW_DRY_RUN, VIEW_MESSAGES } view_kind;

struct view_doc {
	char title[128];
	view_lines doc;     /* what shows first */
	view_lines json;    /* the preview's patch as JSON (Tab), or empty */
	bool show_json;
	view_kind kind;
	size_t top;         /* first screen line shown */
	bool to_end;        /* start at the end (the newest messages) */
};

/* One screen line of the wrapped document. */
typedef struct {
	const char *key;    /* borrowed from the doc; NULL on continuation lines */
	char *text;         /* malloc'd */
	int role;
	bool keyed;         /* of a line with a key: drawn right of the key column */
} screen_line;

view_doc *view_doc_new(const char *title)
{
	view_doc *d = xcalloc(1, sizeof *d);
	snprintf(d->title, sizeof d->title, "%s", title);
	return d;
}

static void lines_add(view_lines *l, const char *key, const char *text, int role)
{
	l->v = xreallocarray(l->v, l->n + 1, sizeof *l->v);
	l->v[l->n].key = key ? xstrdup(key) : NULL;
	l->v[l->n].text = xstrdup(text);
	l->v[l->n].role = role;
	l->n++;
}

void view_doc_add(view_doc *d, const char *key, const char *text, int role)
{
	lines_add(&d->doc, key, text, role);
}

static void lines_free(view_lines *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].key);
		free(l->v[i].text);
	}
	free(l->v);
}

static void view_free(void *p)
{
	view_doc *d = p;
	lines_free(&d->doc);
	lines_free(&d->json);
	free(d);
}

static const view_lines *shown_lines(const view_doc *d) { return d->show_json ? &d->json : &d->doc; }

/* The box: rows 1 .. above the status line, full width. */
static int box_rows(app *a) { return LINES - 2 - app_status_rows(a); }

/* Columns of the key column for LINES in a box W wide (0: no keys). */
static int key_cols(const view_lines *l, int w)
{
	int kw = 0, max = (w - 4) / 3;
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i].key && text_width(l->v[i].key) > kw)
			kw = text_width(l->v[i].key);
	if (max < 6)
		max = 6;
	return kw > max ? max : kw;
}

/* The document wrapped for a box W columns wide: *N screen lines, and the
 * key column's width in *KW. */
static screen_line *wrap_doc(const view_lines *l, int w, size_t *n, int *kw)
{
	screen_line *out = NULL;
	size_t cnt = 0;
	int inner = w - 4;
	*kw = key_cols(l, w);
	for (size_t i = 0; i < l->n; i++) {
		const view_line *v = &l->v[i];
		int tw = v->key ? inner - *kw - 2 : inner;
		char **wl;
		size_t nw = text_wrap(v->text, tw > 4 ? tw : 4, &wl);
		out = xreallocarray(out, cnt + nw, sizeof *out);
		for (size_t k = 0; k < nw; k++) {
			out[cnt].key = k == 0 ? v->key : NULL;
			out[cnt].text = wl[k];
			out[cnt].role = v->role;
			out[cnt].keyed = v->key != NULL;
			cnt++;
			wl[k] = NULL;
		}
		text_lines_free(wl, nw);
	}
	*n = cnt;
	return out;
}

static void screen_lines_free(screen_line *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(s[i].text);
	free(s);
}

static void view_draw(app *a, void *p)
{
	view_doc *d = p;
	int y0 = 1, h = box_rows(a), w = COLS, inner = h - 2, kw;
	size_t n;
	screen_line *sl;
	if (inner < 1)
		return;
	sl = wrap_doc(shown_lines(d), w, &n, &kw);
	if (d->to_end) {
		d->top = n > (size_t)inner ? n - (size_t)inner : 0;
		d->to_end = false;
	}
	if (n > (size_t)inner && d->top > n - (size_t)inner)
		d->top = n - (size_t)inner;
	if (n <= (size_t)inner)
		d->top = 0;
	ui_box(y0, 0, h, w, ui_attr[ROLE_POPUP], d->title);
	for (int i = 0; i < inner; i++) {
		size_t k = d->top + (size_t)i;
		int x = 2;
		if (k >= n)
			break;
		if (sl[k].keyed) {
			if (sl[k].key) {
				move(y0 + 1 + i, x);
				text_draw(stdscr, sl[k].key, kw, true, ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY],
				          ui_attr[ROLE_POPUP] | ui_attr[ROLE_CONTROL_CHAR]);
			}
			x += kw + 2;
		}
		move(y0 + 1 + i, x);
		text_draw(stdscr, sl[k].text, w - x - 2, true, ui_attr[ROLE_POPUP] | ui_attr[sl[k].role],
		          ui_attr[ROLE_POPUP] | ui_attr[ROLE_CONTROL_CHAR]);
	}
	if (n > (size_t)inner) {
		char m[48];
		snprintf(m, sizeof m, " %zu-%zu of %zu ", d->top + 1,
		         d->top + (size_t)inner < n ? d->top + (size_t)inner : n, n);
		ui_puts(y0 + h - 1, w - (int)strlen(m) - 2, m, (int)strlen(m), ui_attr[ROLE_POPUP]);
	}
	screen_lines_free(sl, n);
}

static reaction view_key(app *a, void *p, action_id act, tkey k)
{
	view_doc *d = p;
	int inner = box_rows(a) - 2, kw;
	size_t page = inner > 1 ? (size_t)inner - 1 : 1, n, last;
	screen_line *sl = wrap_doc(shown_lines(d), COLS, &n, &kw);
	screen_lines_free(sl, n);
	last = inner > 0 && n > (size_t)inner ? n - (size_t)inner : 0;
	(void)k;
	switch (act) {
	case ACT_UP: if (d->top) d->top--; break;
	case ACT_DOWN: if (d->top < last) d->top++; break;
	case ACT_PAGE_UP: d->top = d->top > page ? d->top - page : 0; break;
	case ACT_PAGE_DOWN: d->top = d->top + page < last ? d->top + page : last; break;
	case ACT_FIRST: d->top = 0; break;
	case ACT_LAST: d->top = last; break;
	case ACT_CLOSE: return rx(RX_POP | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	case ACT_VIEW_TOGGLE:
		if (!d->json.n)
			return rx(0);
		d->show_json = !d->show_json;
		d->top = 0;
		app_status(a, ROLE_STATUS, "%s (Tab switches back)", d->show_json ? "The patch as JSON" :
		           "The changes and the patch");
		break;
	case ACT_SAVE:
		if (d->kind != VIEW_PREVIEW)
			return rx(0);
		return rx(RX_POP | RX_SAVE | RX_REDRAW);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

static bool view_applies(app *a, void *p, action_id act)
{
	view_doc *d = p;
	model *m = app_model(a);
	switch (act) {
	case ACT_SAVE:
		return d->kind == VIEW_PREVIEW && (model_modified(m) > 0 || model_nclashes(m) > 0);
	case ACT_VIEW_TOGGLE: return d->json.n > 0;
	default: return true;
	}
}

static const screen_ops view_screen = {
	.name = "view", .sc = SC_VIEW, .modal = true, .draw = view_draw, .key = view_key, .free = view_free,
	.applies = view_applies,
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
	unsigned here = app_top_sc(a);
	/* The keys of the screen the user is on first, then every other screen's. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t s = 0; s < action_nscreens; s++) {
			if ((action_screens[s].sc == here) != (pass == 0))
				continue;
			view_doc_add(d, NULL, action_screens[s].name, ROLE_SECTION);
			action_each_key(action_screens[s].sc, help_key_line, d);
			view_doc_add(d, NULL, "", ROLE_VALUE);
		}
	return view_screen_open(d);
}

/* ---- the session's messages --------------------------------------------- */

reaction history_open(app *a)
{
	size_t n = app_status_count(a);
	char title[64];
	view_doc *d;
	snprintf(title, sizeof title, "Messages since start: %zu", n);
	d = view_doc_new(title);
	d->kind = VIEW_MESSAGES;
	d->to_end = true;
	if (!n)
		view_doc_add(d, NULL, "(none yet)", ROLE_VALUE);
	for (size_t i = 0; i < n; i++) {
		time_t when;
		int role;
		const char *t = app_status_at(a, i, &when, &role);
		char hms[16];
		struct tm tm;
		if (!localtime_r(&when, &tm) || !strftime(hms, sizeof hms, "%H:%M:%S", &tm))
			snprintf(hms, sizeof hms, "?");
		view_doc_add(d, hms, t, role == ROLE_ERROR ? ROLE_ERROR : ROLE_VALUE);
	}
	return view_screen_open(d);
}

/* ---- preview ---------------------------------------------------------------- */

/* Add TEXT (cJSON's pretty print) to L split at newlines, each line in
 * ROLE; its indenting tabs become two spaces, the tab after a colon one
 * space (tabs inside JSON strings are escaped, so these are all layout). */
static void add_lines(view_lines *l, const char *text, int role)
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
		lines_add(l, NULL, line, role);
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

/* A value for the readable list: "(empty)" rather than nothing. */
static char *readable(char *t)
{
	if (*t)
		return t;
	free(t);
	return xstrdup("(empty)");
}

/* The readable changes: each modified row's label, "old → new". */
static size_t preview_changes(app *a, view_doc *d)
{
	form_view *fv = app_form(a);
	model *m = app_model(a);
	size_t n = 0;
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
		old = readable(old);
		now = readable(form_row_text(m, r, app_lists(a)));
		line = xmalloc(strlen(old) + strlen(now) + 8);
		sprintf(line, "%s \u2192 %s", old, now);
		view_doc_add(d, r->label, line, model_clash_of(m, r->f, r->kind == ROW_MAPKEY ? r->sub : NULL) ?
		             ROLE_ERROR : ROLE_VALUE);
		free(old);
		free(now);
		free(line);
		n++;
	}
	return n;
}

reaction preview_open(app *a, bool dry_run)
{
	model *m = app_model(a);
	cJSON *patch = model_patch(m, app_mode(a)), *op;
	int n = cJSON_GetArraySize(patch), k = 0, changes = model_modified(m);
	char title[128], head[160], h[100];
	bool strict = app_options(a)->conflict == CONFLICT_STRICT;
	view_doc *d;
	snprintf(title, sizeof title, "%s: %d change%s, %d op%s",
	         dry_run ? "Dry run, nothing sent" : "Preview", changes, changes == 1 ? "" : "s", n,
	         n == 1 ? "" : "s");
	d = view_doc_new(title);
	d->kind = dry_run ? VIEW_DRY_RUN : VIEW_PREVIEW;
	h[0] = 0;
	if (strict) {
		char date[64];
		if (model_if_unmodified_since_tz(m, app_options(a)->server_timezone, date, sizeof date) == 0)
			snprintf(h, sizeof h, "If-Unmodified-Since: %s", date);
	}
	/* readable first */
	if (changes) {
		view_doc_add(d, NULL, dry_run ? "Changes (not sent):" : "Changes (s saves them):", ROLE_SECTION);
		preview_changes(a, d);
	} else {
		view_doc_add(d, NULL, "No changes.", ROLE_SECTION);
	}
	if (model_nclashes(m)) {
		view_doc_add(d, NULL, "", ROLE_VALUE);
		view_doc_add(d, NULL, "Open conflicts (nothing is sent for them until you choose):", ROLE_SECTION);
		for (size_t i = 0; i < m->nclashes; i++)
			view_doc_add(d, NULL, m->clashes[i].label, ROLE_ERROR);
	}
	/* then the patch, one op a line (Tab: as JSON) */
	if (n) {
		view_doc_add(d, NULL, "", ROLE_VALUE);
		snprintf(head, sizeof head, "The patch, %d op%s (Tab shows it as JSON):", n, n == 1 ? "" : "s");
		view_doc_add(d, NULL, head, ROLE_SECTION);
		if (h[0])
			view_doc_add(d, NULL, h, ROLE_DIFF_TEST);
		cJSON_ArrayForEach(op, patch) {
			char *s = json_print(op, false);
			view_doc_add(d, NULL, s, op_role(op));
			free(s);
		}
		if (h[0])
			lines_add(&d->json, NULL, h, ROLE_DIFF_TEST);
		lines_add(&d->json, NULL, "[", ROLE_VALUE);
		cJSON_ArrayForEach(op, patch) {
			char *s = json_print(op, true), *line = xmalloc(strlen(s) + 4);
			sprintf(line, "%s%s", s, ++k < n ? "," : "");
			add_lines(&d->json, line, op_role(op));
			free(line);
			free(s);
		}
		lines_add(&d->json, NULL, "]", ROLE_VALUE);
	}
	cJSON_Delete(patch);
	return view_screen_open(d);
}

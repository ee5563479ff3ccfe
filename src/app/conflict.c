/* conflict.c — the three-way conflict flow (SPEC 4): classify each edit
 * against theirs with merge3, rebase the model onto theirs, and the conflict
 * screen (base / mine / theirs side by side, m / t / e per field, s resubmits,
 * Esc back to the form with the merged state). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <wchar.h>
#include <curses.h>
#include "ticketed/conflict.h"
#include "ticketed/display.h"
#include "ticketed/editor.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/text.h"

#define A(role) ui_attr[ROLE_##role]
#define MAX_VALUE_LINES 12  /* lines shown per value; the rest is summarised */

static cJSON *dup(const cJSON *v) { return v ? cJSON_Duplicate(v, 1) : NULL; }

const char *conflict_res_name(conflict_res r)
{
	static const char *const names[] = { "open", "mine", "theirs", "edited" };
	return (unsigned)r < sizeof names / sizeof names[0] ? names[r] : "?";
}

/* ---- classification (no curses) ---------------------------------------- */

static void add_item(conflict_set *cs, const field_def *f, const char *sub, const cJSON *b,
                     const cJSON *mine, const cJSON *theirs)
{
	conflict_item *it;
	size_t n;
	cs->v = realloc(cs->v, (cs->n + 1) * sizeof *cs->v);
	it = &cs->v[cs->n++];
	memset(it, 0, sizeof *it);
	it->f = f;
	it->sub = sub ? strdup(sub) : NULL;
	n = strlen(f->label) + strlen(f->name) + (sub ? strlen(sub) : 0) + 2;
	it->label = malloc(n);
	it->path = malloc(n);
	snprintf(it->label, n, "%s%s%s", f->label, sub ? "/" : "", sub ? sub : "");
	snprintf(it->path, n, "%s%s%s", f->name, sub ? "/" : "", sub ? sub : "");
	it->base = dup(b);
	it->mine = dup(mine);
	it->theirs = dup(theirs);
	if (sub) {  /* one CustomFields key: a plain value */
		if (json_equal(mine, b))
			it->cls = M3_THEIRS;
		else if (json_equal(theirs, b))
			it->cls = M3_REBASE;
		else if (json_equal(mine, theirs))
			it->cls = M3_ALREADY;
		else {
			it->cls = M3_CONFLICT;
			snprintf(it->why, sizeof it->why, "key %s changed on both sides", sub);
		}
		it->merged = it->cls == M3_REBASE ? dup(mine) : dup(theirs);
	} else {
		it->cls = merge3_field(f, b, mine, theirs, &it->merged, it->why, sizeof it->why);
		if (it->cls == M3_ALREADY || it->cls == M3_THEIRS) {
			/* theirs as the server has it (names of references included) */
			cJSON_Delete(it->merged);
			it->merged = dup(theirs);
		}
	}
	if (it->cls == M3_CONFLICT)
		cs->nconflicts++;
}

size_t conflict_build(conflict_set *cs, const model *m, const cJSON *theirs)
{
	size_t i;
	memset(cs, 0, sizeof *cs);
	for (i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		const cJSON *b, *mine, *t, *c;
		if (!model_is_modified(m, f))
			continue;
		b = model_base(m, f);
		mine = model_value(m, f);
		t = json_get_ci(theirs, f->name);
		if (f->kind != FK_MAP || !cJSON_IsObject(mine)) {
			add_item(cs, f, NULL, b, mine, t);
			continue;
		}
		/* CustomFields: one item per key I changed, added or removed */
		cJSON_ArrayForEach(c, mine) {
			const cJSON *bk = cJSON_IsObject(b) ? json_get(b, c->string) : NULL;
			if (!json_equal(c, bk))
				add_item(cs, f, c->string, bk, c, cJSON_IsObject(t) ? json_get(t, c->string) : NULL);
		}
		if (cJSON_IsObject(b))
			cJSON_ArrayForEach(c, b)
				if (!json_get(mine, c->string))
					add_item(cs, f, c->string, c, NULL,
					         cJSON_IsObject(t) ? json_get(t, c->string) : NULL);
	}
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].cls == M3_CONFLICT) {
			cs->cur = i;
			break;
		}
	return cs->nconflicts;
}

void conflict_free(conflict_set *cs)
{
	size_t i;
	for (i = 0; i < cs->n; i++) {
		conflict_item *it = &cs->v[i];
		free(it->sub);
		free(it->label);
		free(it->path);
		cJSON_Delete(it->base);
		cJSON_Delete(it->mine);
		cJSON_Delete(it->theirs);
		cJSON_Delete(it->merged);
	}
	free(cs->v);
	memset(cs, 0, sizeof *cs);
}

/* The value item IT stands for now. */
static const cJSON *item_value(const conflict_item *it)
{
	if (it->cls != M3_CONFLICT)
		return it->merged;
	return it->res == CR_THEIRS ? it->theirs : it->mine;
}

static void set_value(model *m, const conflict_item *it, const cJSON *v)
{
	if (it->sub)
		model_map_set(m, it->f, it->sub, dup(v));
	else
		model_set(m, it->f, dup(v));
}

void conflict_apply(const conflict_set *cs, model *m, cJSON *theirs)
{
	size_t i;
	model_rebase(m, theirs);
	for (i = 0; i < cs->n; i++)
		set_value(m, &cs->v[i], item_value(&cs->v[i]));
}

void conflict_resolve(conflict_set *cs, model *m, size_t i, conflict_res r)
{
	conflict_item *it;
	if (i >= cs->n || cs->v[i].cls != M3_CONFLICT)
		return;
	it = &cs->v[i];
	it->res = r;
	set_value(m, it, item_value(it));
}

size_t conflict_open(const conflict_set *cs)
{
	size_t i, n = 0;
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].cls == M3_CONFLICT && cs->v[i].res == CR_OPEN)
			n++;
	return n;
}

long conflict_find(const conflict_set *cs, const char *path)
{
	size_t i;
	for (i = 0; i < cs->n; i++)
		if (cs->v[i].cls == M3_CONFLICT && !strcasecmp(cs->v[i].path, path))
			return (long)i;
	return -1;
}

size_t conflict_list(const conflict_set *cs, merge3_class c, char *buf, size_t n)
{
	size_t i, k = 0, l = 0;
	if (n)
		buf[0] = 0;
	for (i = 0; i < cs->n; i++) {
		if (cs->v[i].cls != c)
			continue;
		if (l < n)
			l += (size_t)snprintf(buf + l, n - l, "%s%s", k ? ", " : "", cs->v[i].label);
		k++;
	}
	return k;
}

/* ---- wrapping ------------------------------------------------------------ */

static void push_line(char ***out, size_t *n, const char *s, size_t len)
{
	*out = realloc(*out, (*n + 1) * sizeof **out);
	(*out)[(*n)++] = strndup(s, len);
}

/* Wrap one sanitised line (printable only) at WIDTH columns: at the last
 * space that fits, else between characters; spaces at a break are dropped. */
static void wrap_one(const char *s, int width, char ***out, size_t *n)
{
	size_t len = strlen(s), start = 0;
	if (!len) {
		push_line(out, n, "", 0);
		return;
	}
	while (start < len) {
		size_t i = start, brk = 0, cut;
		int col = 0;
		while (i < len) {
			uint32_t cp;
			size_t cl = utf8_decode(s, len, i, &cp);
			int w;
			if (!cl) {
				cl = 1;
				cp = '?';
			}
			w = wcwidth((wchar_t)cp);
			if (w < 1)
				w = 1;
			if (col + w > width && i > start)
				break;
			if (cp == ' ')
				brk = i;
			col += w;
			i += cl;
		}
		if (i >= len) {
			push_line(out, n, s + start, len - start);
			return;
		}
		cut = brk > start ? brk : i;
		push_line(out, n, s + start, cut - start);
		start = cut;
		while (start < len && s[start] == ' ')
			start++;
	}
}

size_t conflict_wrap(const char *s, int width, char ***out)
{
	size_t n = 0;
	*out = NULL;
	if (width < 1)
		width = 1;
	do {
		const char *nl = strchr(s, '\n');
		size_t len = nl ? (size_t)(nl - s) : strlen(s);
		char *piece = strndup(s, len), *clean = text_sanitize(piece, -1);
		wrap_one(clean, width, out, &n);
		free(clean);
		free(piece);
		s += len + (nl ? 1 : 0);
		if (!nl)
			break;
	} while (1);
	return n;
}

void conflict_lines_free(char **lines, size_t n)
{
	while (n > 0)
		free(lines[--n]);
	free(lines);
}

/* ---- the screen ---------------------------------------------------------- */

/* A value as the screen shows it: references by name and key, sets as a
 * list, absent and empty values spelled out. malloc'd. */
static char *value_text(const field_def *f, const cJSON *v)
{
	char buf[1024];
	size_t l = 0;
	const cJSON *e;
	if (!v)
		return strdup("(absent)");
	if (f->kind == FK_REF && cJSON_IsObject(v) && f->key) {
		char *k = form_json_text(json_get_ci(v, f->key));
		const cJSON *d = f->display ? json_get_ci(v, f->display) : NULL;
		if (cJSON_IsString(d) && *d->valuestring)
			snprintf(buf, sizeof buf, "%s (%s)", d->valuestring, k);
		else
			snprintf(buf, sizeof buf, "%s %s", f->key, k);
		free(k);
		return strdup(buf);
	}
	if (f->kind == FK_REFSET && cJSON_IsArray(v) && f->key) {
		buf[0] = 0;
		cJSON_ArrayForEach(e, v) {
			char *k = form_json_text(json_get_ci(e, f->key));
			const cJSON *d = f->display ? json_get_ci(e, f->display) : NULL;
			if (l < sizeof buf)
				l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%s%s%s%s", l ? ", " : "",
				                      cJSON_IsString(d) ? d->valuestring : "",
				                      cJSON_IsString(d) ? " (" : "", k, cJSON_IsString(d) ? ")" : "");
			free(k);
		}
		return strdup(l ? buf : "(none)");
	}
	if (cJSON_IsNull(v))
		return strdup("(empty)");
	char *s = form_json_text(v);
	if (!*s) {
		free(s);
		return strdup("(empty)");
	}
	return s;
}

/* One screen line: either full-width text or three columns. */
typedef struct {
	long item;          /* the conflict item it belongs to, or -1 */
	char *col[3];       /* NULL: not a three-column line */
	char *text;         /* full-width text (program text or sanitised) */
	int role;
	bool bold;
} cline;

typedef struct {
	cline *v;
	size_t n;
} clines;

static cline *cl_add(clines *c, long item, int role)
{
	c->v = realloc(c->v, (c->n + 1) * sizeof *c->v);
	memset(&c->v[c->n], 0, sizeof c->v[c->n]);
	c->v[c->n].item = item;
	c->v[c->n].role = role;
	return &c->v[c->n++];
}

static void cl_text(clines *c, long item, int role, bool bold, const char *text)
{
	cline *l = cl_add(c, item, role);
	l->text = strdup(text);
	l->bold = bold;
}

static void cl_free(clines *c)
{
	size_t i;
	for (i = 0; i < c->n; i++) {
		free(c->v[i].text);
		for (int k = 0; k < 3; k++)
			free(c->v[i].col[k]);
	}
	free(c->v);
}

static int col_width(void) { return (COLS - 4 - 2 * 2) / 3 > 4 ? (COLS - 4 - 2 * 2) / 3 : 4; }

/* The three wrapped values of conflict item I side by side. */
static void cl_values(clines *c, long i, const conflict_item *it)
{
	const cJSON *vals[3] = { it->base, it->mine, it->theirs };
	char **lines[3];
	size_t n[3], rows = 0, r;
	int k, w = col_width();
	for (k = 0; k < 3; k++) {
		char *t = value_text(it->f, vals[k]);
		n[k] = conflict_wrap(t, w, &lines[k]);
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
				l->col[k] = strdup(more);
			} else {
				l->col[k] = strdup(r < n[k] ? lines[k][r] : "");
			}
		}
	}
	for (k = 0; k < 3; k++)
		conflict_lines_free(lines[k], n[k]);
}

static const char *res_text(const conflict_item *it)
{
	switch (it->res) {
	case CR_MINE: return "keep mine";
	case CR_THEIRS: return "take theirs";
	case CR_EDITED: return "edited (merged value below)";
	default: return "open: m mine, t theirs, e edit";
	}
}

/* The items of class CLS under TITLE, one per line. */
static void cl_summary(clines *c, const conflict_set *cs, merge3_class cls, const char *title)
{
	char line[300];
	size_t i;
	bool any = false;
	for (i = 0; i < cs->n; i++) {
		if (cs->v[i].cls != cls)
			continue;
		if (!any)
			cl_text(c, -1, ROLE_SECTION, true, title);
		any = true;
		snprintf(line, sizeof line, "  %s", cs->v[i].label);
		cl_text(c, -1, ROLE_VALUE, false, line);
	}
}

static void build_lines(ed *e, clines *c)
{
	const conflict_set *cs = &e->cf;
	size_t i;
	char buf[600];
	for (i = 0; i < cs->n; i++) {
		const conflict_item *it = &cs->v[i];
		if (it->cls != M3_CONFLICT)
			continue;
		snprintf(buf, sizeof buf, "%s %s: %s", i == cs->cur ? ">" : " ", it->label, res_text(it));
		cl_text(c, (long)i, i == cs->cur ? ROLE_CURSOR : ROLE_LABEL, true, buf);
		cline *h = cl_add(c, (long)i, ROLE_SECTION);
		h->col[0] = strdup("base (as loaded)");
		h->col[1] = strdup("mine");
		h->col[2] = strdup("theirs (on the server)");
		cl_values(c, (long)i, it);
		if (it->res == CR_EDITED) {
			char *t = it->sub ? value_text(it->f, model_map_value(&e->m, it->f, it->sub))
			                  : value_text(it->f, model_value(&e->m, it->f));
			char **lines;
			size_t n = conflict_wrap(t, COLS - 14, &lines), j;
			for (j = 0; j < n && j < MAX_VALUE_LINES; j++) {
				snprintf(buf, sizeof buf, "%s%s", j ? "          " : "merged:   ", lines[j]);
				cl_text(c, (long)i, ROLE_MODIFIED, false, buf);
			}
			conflict_lines_free(lines, n);
			free(t);
		}
		cl_text(c, (long)i, ROLE_VALUE, false, "");
	}
	cl_summary(c, cs, M3_REBASE, "Rebased onto theirs (sent, guarded by their values):");
	cl_summary(c, cs, M3_MERGED, "Merged element by element (both kept):");
	cl_summary(c, cs, M3_ALREADY, "Already on the server (nothing to send):");
	cl_summary(c, cs, M3_THEIRS, "Unchanged by you (theirs kept):");
}

static int col_role(int k) { return k == 0 ? ROLE_CONFLICT_BASE : k == 1 ? ROLE_CONFLICT_MINE : ROLE_CONFLICT_THEIRS; }

static void draw_line(const cline *l, int y, bool header)
{
	int k, w = col_width();
	ui_fill(y, 0, COLS, A_NORMAL);
	if (!l->col[0]) {
		attr_t a = ui_attr[l->role] | (l->bold ? A_BOLD : 0);
		if (l->role == ROLE_CURSOR)
			ui_fill(y, 0, COLS, a);
		move(y, 1);
		text_draw(stdscr, l->text, COLS - 2, true, a, a | A(CONTROL_CHAR));
		return;
	}
	for (k = 0; k < 3; k++) {
		attr_t a = header ? ui_attr[col_role(k)] | A_BOLD : ui_attr[col_role(k)];
		move(y, 4 + k * (w + 2));
		text_draw(stdscr, l->col[k], w, true, a, a | A(CONTROL_CHAR));
	}
}

void conflict_draw(ed *e)
{
	conflict_set *cs = &e->cf;
	clines c = { 0 };
	int h = LINES - 4, y;
	size_t i, first = 0, last = 0;
	bool seen = false;
	char buf[512], foot[512];
	build_lines(e, &c);
	for (i = 0; i < c.n; i++)
		if (c.v[i].item == (long)cs->cur) {
			if (!seen)
				first = i;
			last = i;
			seen = true;
		}
	if (h < 1)
		h = 1;
	if (seen && !cs->scrolled && first < cs->top)
		cs->top = first;
	if (seen && !cs->scrolled && last >= cs->top + (size_t)h)
		cs->top = last + 1 - (size_t)h > first ? first : last + 1 - (size_t)h;
	if (c.n > (size_t)h && cs->top > c.n - (size_t)h)
		cs->top = c.n - (size_t)h;
	if (c.n <= (size_t)h)
		cs->top = 0;
	ui_fill(0, 0, COLS, A(HEADER));
	snprintf(buf, sizeof buf, " Conflicts in ticket %ld (%s): %zu of %zu open", e->opt->ticket_id,
	         cs->trigger == 412 ? "HTTP 412" : cs->trigger == 409 ? "HTTP 409" :
	         cs->trigger == 0 ? "response lost" : "reload", conflict_open(cs), cs->nconflicts);
	ui_puts(0, 0, buf, COLS, A(HEADER) | A_BOLD);
	ui_fill(1, 0, COLS, A(HEADER));
	ui_puts(1, 1, "Someone changed these fields since you loaded the ticket.", COLS - 1, A(HEADER));
	for (y = 0; y < h; y++) {
		size_t k = cs->top + (size_t)y;
		if (k < c.n)
			draw_line(&c.v[k], 2 + y, c.v[k].role == ROLE_SECTION);
		else
			ui_fill(2 + y, 0, COLS, A_NORMAL);
	}
	ui_fill(LINES - 2, 0, COLS, A(STATUS));
	ui_puts(LINES - 2, 0, e->status, COLS, e->status_role == ROLE_ERROR ? A(ERROR) :
	        (attr_t)ui_attr[e->status_role]);
	action_footer(SC_CONFLICT, foot, sizeof foot);
	ui_fill(LINES - 1, 0, COLS, A(FOOTER));
	ui_puts(LINES - 1, 1, foot, COLS - 1, A(FOOTER));
	ui_cursor(false);
	cl_free(&c);
}

/* Select the next (STEP 1) or previous (-1) conflict; false at the end. */
static bool select_step(conflict_set *cs, int step)
{
	long i = (long)cs->cur + step;
	for (; i >= 0 && i < (long)cs->n; i += step)
		if (cs->v[i].cls == M3_CONFLICT) {
			cs->cur = (size_t)i;
			return true;
		}
	return false;
}

/* After a decision: the next open conflict, if any. */
static void select_next_open(conflict_set *cs)
{
	size_t k, i;
	for (k = 1; k <= cs->n; k++) {
		i = (cs->cur + k) % cs->n;
		if (cs->v[i].cls == M3_CONFLICT && cs->v[i].res == CR_OPEN) {
			cs->cur = i;
			return;
		}
	}
}

static reaction edit_merged(ed *e)
{
	conflict_item *it = &e->cf.v[e->cf.cur];
	long row;
	conflict_resolve(&e->cf, &e->m, e->cf.cur, CR_EDITED);
	ed_rebuild_rows(e);
	row = form_find_path(&e->rows, it->path);
	if (row < 0 || !e->rows.v[row].editable) {
		it->res = CR_MINE;
		ed_status(e, ROLE_ERROR, "%s cannot be edited here (mine is kept; t takes theirs)", it->label);
		return RX_REDRAW;
	}
	e->cur = (size_t)row;
	/* the form's own editor (line editor, pick list) over this screen */
	return screen_table[SCR_FORM].key(e, ACT_EDIT, TK_ENTER) | RX_REDRAW;
}

static reaction leave(ed *e)
{
	conflict_free(&e->cf);
	ed_pop(e);
	return RX_REDRAW | RX_ROWS;
}

unsigned conflict_key(ed *e, action_id act, tkey k)
{
	conflict_set *cs = &e->cf;
	conflict_item *it = cs->cur < cs->n ? &cs->v[cs->cur] : NULL;
	size_t open, page = LINES > 8 ? (size_t)LINES - 6 : 2;
	(void)k;
	switch (act) {
	case ACT_UP:
	case ACT_DOWN:
		/* past the first/last conflict the view scrolls (to the lists below) */
		cs->scrolled = !select_step(cs, act == ACT_UP ? -1 : 1);
		if (cs->scrolled && act == ACT_DOWN)
			cs->top++;
		else if (cs->scrolled && cs->top > 0)
			cs->top--;
		break;
	case ACT_PAGE_UP:
	case ACT_PAGE_DOWN:
		cs->scrolled = true;
		if (act == ACT_PAGE_DOWN)
			cs->top += page;
		else
			cs->top = cs->top > page ? cs->top - page : 0;
		break;
	case ACT_KEEP_MINE:
	case ACT_TAKE_THEIRS:
		if (!it || it->cls != M3_CONFLICT)
			break;
		conflict_resolve(cs, &e->m, cs->cur, act == ACT_KEEP_MINE ? CR_MINE : CR_THEIRS);
		cs->scrolled = false;
		ed_status(e, ROLE_STATUS, "%s: %s", it->label, act == ACT_KEEP_MINE ?
		          "keeping mine (the save tests their value)" : "taking theirs");
		select_next_open(cs);
		return RX_REDRAW | RX_ROWS;
	case ACT_EDIT_MERGED:
		if (!it || it->cls != M3_CONFLICT)
			break;
		return edit_merged(e);
	case ACT_RESUBMIT:
		open = conflict_open(cs);
		if (open) {
			ed_status(e, ROLE_ERROR, "%zu conflict%s still open: m, t or e on each (Esc: back to the form)",
			          open, open == 1 ? "" : "s");
			break;
		}
		ed_status(e, ROLE_STATUS, "Resubmitting…");
		return leave(e) | RX_SAVE;
	case ACT_CLOSE:
		ed_status(e, ROLE_STATUS, "Back to the form: %d edit%s pending on the server's version; s saves",
		          model_modified(&e->m), model_modified(&e->m) == 1 ? "" : "s");
		return leave(e);
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	default: return RX_NONE;
	}
	return RX_REDRAW;
}

/* The status line after a flow without conflicts: what happened to each edit. */
static void note(const conflict_set *cs, char *buf, size_t n)
{
	static const struct { merge3_class c; const char *what; } kinds[] = {
		{ M3_REBASE, "rebased" }, { M3_MERGED, "merged" }, { M3_ALREADY, "already there" },
	};
	size_t l = 0, k;
	char list[300];
	buf[0] = 0;
	for (k = 0; k < sizeof kinds / sizeof kinds[0]; k++)
		if (conflict_list(cs, kinds[k].c, list, sizeof list) && l < n)
			l += (size_t)snprintf(buf + l, n - l, "; %s: %s", kinds[k].what, list);
}

bool conflict_begin(ed *e, cJSON *theirs, long trigger)
{
	size_t n;
	char why[400];
	int left;
	conflict_free(&e->cf);
	n = conflict_build(&e->cf, &e->m, theirs);
	e->cf.trigger = trigger;
	note(&e->cf, why, sizeof why);
	conflict_apply(&e->cf, &e->m, theirs);
	ed_rebuild_rows(e);
	if (n > 0) {
		e->quit_after_save = false;
		e->cf_auto = 0;
		if (ed_top(e) != SCR_CONFLICT)
			ed_push(e, SCR_CONFLICT);
		ed_status(e, ROLE_ERROR, "%zu conflict%s: m keeps mine, t takes theirs, e edits; s resubmits",
		          n, n == 1 ? "" : "s");
		return false;
	}
	conflict_free(&e->cf);
	left = model_modified(&e->m);
	if (trigger == 200) {
		ed_status(e, ROLE_STATUS, "Reloaded; %d edit%s kept%s", left, left == 1 ? "" : "s", why);
		return false;
	}
	if (left == 0) {
		ed_status(e, ROLE_STATUS, "Saved: the server already has your edits (%s)%s",
		          trigger == 0 ? "the response was lost" : trigger == 412 ? "HTTP 412" : "HTTP 409", why);
		e->cf_auto = 0;
		if (e->quit_after_save)
			e->done = true;
		return false;
	}
	if (e->cf_auto >= 3) {
		ed_status(e, ROLE_ERROR, "The ticket keeps changing (HTTP %ld); your edits are rebased, s retries",
		          trigger);
		e->cf_auto = 0;
		e->quit_after_save = false;
		return false;
	}
	e->cf_auto++;
	snprintf(e->cf_note, sizeof e->cf_note, "%s", why);
	return true;
}

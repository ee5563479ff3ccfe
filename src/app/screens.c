/* screens.c — the screens as states: form, line editor, pick list,
 * preview/help view, quit prompt, find. Each has a draw function and a key
 * function that returns reactions; only the main loop draws and flushes. */
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include "ticketed/date.h"
#include "ticketed/display.h"
#include "ticketed/editor.h"
#include "ticketed/servertz.h"
#include "ticketed/json.h"
#include "ticketed/setedit.h"
#include "ticketed/text.h"

#define HEADER_ROWS 2
#define A(role) ui_attr[ROLE_##role]

static int body_rows(void) { return LINES - HEADER_ROWS - 2 > 1 ? LINES - HEADER_ROWS - 2 : 1; }
static int label_cols(void) { return COLS / 3 < 24 ? COLS / 3 : 24; }

void ed_push(ed *e, screen_id s)
{
	if (e->nstack < (int)(sizeof e->stack / sizeof e->stack[0]))
		e->stack[e->nstack++] = s;
}

void ed_pop(ed *e)
{
	if (e->nstack > 1)
		e->nstack--;
}

screen_id ed_top(const ed *e) { return e->nstack ? e->stack[e->nstack - 1] : SCR_FORM; }

bool ed_busy(const ed *e) { return e->req_load || e->req_save || e->req_list; }

void ed_status(ed *e, int role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e->status, sizeof e->status, fmt, ap);
	va_end(ap);
	e->status_role = role;
}

static form_row *cur_row(ed *e) { return e->cur < e->rows.n ? &e->rows.v[e->cur] : NULL; }

static bool selectable(const form_row *r) { return r->kind != ROW_SECTION; }

void ed_rebuild_rows(ed *e)
{
	char *path = NULL;
	long i;
	if (e->cur < e->rows.n)
		path = strdup(e->rows.v[e->cur].path);
	form_rows_free(&e->rows);
	form_build(&e->rows, &e->m);
	i = path && *path ? form_find_path(&e->rows, path) : -1;
	e->cur = i >= 0 ? (size_t)i : 0;
	while (e->cur < e->rows.n && !selectable(&e->rows.v[e->cur]))
		e->cur++;
	if (e->cur >= e->rows.n)
		e->cur = 0;
	free(path);
}

/* ---- drawing ------------------------------------------------------------ */

static void draw_header(ed *e)
{
	char buf[512];
	const cJSON *t = e->loaded ? json_get_ci(e->m.base, "Title") : NULL;
	const cJSON *lc = e->loaded ? json_get_ci(e->m.base, "LastChanged") : NULL;
	const char *mode = e->opt->conflict == CONFLICT_NONE ? "none" :
	                   e->opt->conflict == CONFLICT_STRICT ? "strict" : "fields";
	int n;
	ui_fill(0, 0, COLS, A(HEADER));
	snprintf(buf, sizeof buf, " Ticket %ld: ", e->opt->ticket_id);
	ui_puts(0, 0, buf, COLS, A(HEADER) | A_BOLD);
	n = (int)strlen(buf);
	if (cJSON_IsString(t)) {
		move(0, n);
		text_draw(stdscr, t->valuestring, COLS - n - 1, true, A(HEADER) | A_BOLD,
		          A(HEADER) | A(CONTROL_CHAR));
	}
	ui_fill(1, 0, COLS, A(HEADER));
	snprintf(buf, sizeof buf, " %d modified  LastChanged ", e->loaded ? model_modified(&e->m) : 0);
	ui_puts(1, 0, buf, COLS, A(HEADER));
	n = (int)strlen(buf);
	if (cJSON_IsString(lc)) {  /* to the second; the full value is in Timing */
		char *s = strndup(lc->valuestring, 19);
		move(1, n);
		n += text_draw(stdscr, s, COLS - n, true, A(HEADER), A(HEADER) | A(CONTROL_CHAR));
		free(s);
	}
	snprintf(buf, sizeof buf, "  conflict: %s", mode);
	ui_puts(1, n, buf, COLS - n, A(HEADER));
	n += (int)strlen(buf);
	if (e->opt->conflict == CONFLICT_NONE) {
		ui_puts(1, n, " (UNGUARDED)", COLS - n, A(ERROR) | A_BOLD);
		n += 12;
	}
	if (e->opt->dry_run && n + 11 <= COLS)
		ui_puts(1, COLS - 10, " dry-run ", 9, A(HEADER) | A_REVERSE);
	if (e->loaded && !schema_ticket_updatable(e->m.base) &&  /* no Update right */
	    n + 11 <= (e->opt->dry_run ? COLS - 10 : COLS))
		ui_puts(1, n + 1, "read-only", 9, A(ERROR) | A_BOLD);
}

static void draw_row(ed *e, int y, size_t i)
{
	const form_row *r = &e->rows.v[i];
	int lw = label_cols(), vw = COLS - lw - 1;
	bool cursor = i == e->cur, mod = form_row_modified(&e->m, r);
	attr_t base = cursor ? A(CURSOR) : A_NORMAL;
	attr_t va = mod ? A(MODIFIED) : r->editable ? A(VALUE) : A(READONLY);
	char *text;
	if (r->kind == ROW_SECTION) {
		ui_fill(y, 0, COLS, A(SECTION));
		ui_puts(y, 1, r->label, COLS - 1, A(SECTION) | A_BOLD);
		return;
	}
	ui_fill(y, 0, COLS, base);
	ui_puts(y, 0, mod ? "*" : " ", 1, base | (mod ? A(MODIFIED) : 0));
	move(y, 1);
	text_draw(stdscr, r->label, lw - 2, true, base | (r->editable ? A(LABEL) : A(READONLY)),
	          base | A(CONTROL_CHAR));
	text = form_row_text(&e->m, r);
	move(y, lw);
	text_draw(stdscr, text, vw, true, base | va, base | A(CONTROL_CHAR));
	free(text);
}

static void keep_cursor_visible(ed *e)
{
	size_t h = (size_t)body_rows();
	if (e->cur < e->top)
		e->top = e->cur;
	if (e->cur >= e->top + h)
		e->top = e->cur - h + 1;
	if (e->top > 0 && e->top == e->cur && !selectable(&e->rows.v[e->top - 1]))
		e->top--;
	if (e->rows.n > h && e->top > e->rows.n - h)
		e->top = e->rows.n - h;
}

static void draw_status(ed *e)
{
	static const char spin[] = "|/-\\";
	int y = LINES - 2, x = 0;
	ui_fill(y, 0, COLS, A(STATUS));
	if (ed_busy(e)) {
		char s[3] = { spin[e->spin % 4], ' ', 0 };
		ui_puts(y, 0, s, 2, A(SPINNER));
		x = 2;
	}
	ui_puts(y, x, e->status, COLS - x, e->status_role == ROLE_ERROR ? A(ERROR) :
	        (attr_t)ui_attr[e->status_role]);
}

static void draw_footer(ed *e)
{
	char buf[512];
	action_footer(screen_table[ed_top(e)].sc, buf, sizeof buf);
	ui_fill(LINES - 1, 0, COLS, A(FOOTER));
	ui_puts(LINES - 1, 1, buf, COLS - 1, A(FOOTER));
}

static void form_draw(ed *e)
{
	int h = body_rows(), y;
	draw_header(e);
	if (e->rows.n)
		keep_cursor_visible(e);
	for (y = 0; y < h; y++) {
		size_t i = e->top + (size_t)y;
		if (i < e->rows.n)
			draw_row(e, HEADER_ROWS + y, i);
		else
			ui_fill(HEADER_ROWS + y, 0, COLS, A_NORMAL);
	}
	draw_status(e);
	draw_footer(e);
	ui_cursor(false);
	if (e->rows.n && e->cur >= e->top)
		move(HEADER_ROWS + (int)(e->cur - e->top), 0);
}

static void draw_too_small(void)
{
	int y;
	for (y = 0; y < LINES; y++)
		ui_fill(y, 0, COLS, A_NORMAL);
	ui_puts(LINES / 2, 0, "terminal too small", COLS, A(ERROR));
	if (LINES / 2 + 1 < LINES) {
		char buf[64];
		snprintf(buf, sizeof buf, "need %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
		ui_puts(LINES / 2 + 1, 0, buf, COLS, A_NORMAL);
	}
}

void ed_draw(ed *e)
{
	int i;
	if (!ui_big_enough()) {
		draw_too_small();
		return;
	}
	if (!e->loaded) {
		for (i = 2; i < LINES - 2; i++)
			ui_fill(i, 0, COLS, A_NORMAL);
		draw_header(e);
		draw_status(e);
		draw_footer(e);
		return;
	}
	/* A modal's draw function draws the form beneath it, then itself. */
	screen_table[ed_top(e)].draw(e);
}

/* ---- the form ----------------------------------------------------------- */

static void move_cursor(ed *e, long delta)
{
	long i = (long)e->cur, n = (long)e->rows.n, step = delta < 0 ? -1 : 1, moved = 0;
	long want = delta < 0 ? -delta : delta;
	while (moved < want) {
		long j = i + step;
		while (j >= 0 && j < n && !selectable(&e->rows.v[j]))
			j += step;
		if (j < 0 || j >= n)
			break;
		i = j;
		moved++;
	}
	e->cur = (size_t)i;
}

static void next_editable(ed *e, int step)
{
	size_t n = e->rows.n, k;
	for (k = 1; k <= n; k++) {
		size_t i = (e->cur + n + (size_t)step * k) % n;
		if (step < 0)
			i = (e->cur + n * 2 - k) % n;
		if (e->rows.v[i].editable) {
			e->cur = i;
			return;
		}
	}
	ed_status(e, ROLE_STATUS, "No editable field");
}

static bool text_is_int32(const char *s, long long *out)
{
	char *end;
	long long v;
	const char *p = s;
	if (*p == '-')
		p++;
	if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 11)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v < INT32_MIN || v > INT32_MAX)
		return false;
	*out = v;
	return true;
}

/* The line editor's text for the row being edited. */
static char *edit_text(ed *e, const form_row *r)
{
	if (r->kind == ROW_FIELD && r->f->kind == FK_REF) {
		const cJSON *v = model_value(&e->m, r->f);
		return form_json_text(cJSON_IsObject(v) && r->f->key ? json_get_ci(v, r->f->key) : NULL);
	}
	return form_row_text(&e->m, r);
}

static const cJSON *row_value(ed *e, const form_row *r)
{
	if (!r->f)  /* notes and unknown members have no schema field */
		return NULL;
	return r->kind == ROW_MAPKEY ? model_map_value(&e->m, r->f, r->sub) : model_value(&e->m, r->f);
}

static void set_row(ed *e, const form_row *r, cJSON *v)
{
	if (r->kind == ROW_MAPKEY)
		model_map_set(&e->m, r->f, r->sub, v);
	else
		model_set(&e->m, r->f, v);
}

static reaction toggle_row(ed *e, form_row *r)
{
	const cJSON *v = row_value(e, r);
	if (!r->editable || !cJSON_IsBool(v)) {
		ed_status(e, ROLE_STATUS, "Space toggles true/false values");
		return RX_REDRAW;
	}
	set_row(e, r, cJSON_CreateBool(!cJSON_IsTrue(v)));
	ed_status(e, ROLE_STATUS, "%s: %s", r->label, cJSON_IsTrue(row_value(e, r)) ? "true" : "false");
	return RX_REDRAW;
}

static reaction start_edit(ed *e)
{
	form_row *r = cur_row(e);
	const cJSON *v;
	if (!r)
		return RX_NONE;
	if (!r->editable) {
		ed_status(e, ROLE_STATUS, "%s is read-only%s", r->label,
		          schema_ticket_updatable(e->m.base) ? "" : " (the ticket is read-only)");
		return RX_REDRAW;
	}
	v = row_value(e, r);
	if (cJSON_IsBool(v) || (r->kind == ROW_FIELD && r->f->kind == FK_BOOL))
		return toggle_row(e, r);
	if (r->kind == ROW_FIELD && r->f->kind == FK_ENUM) {
		size_t n = 0;
		while (r->f->enums && r->f->enums[n])
			n++;
		pick_init(&e->pick, r->label, r->f->enums, n, cJSON_IsString(v) ? v->valuestring : NULL);
		e->pick_row = e->cur;
		ed_push(e, SCR_PICK);
		ed_status(e, ROLE_STATUS, "Pick %s: type to filter, Enter picks, Esc cancels", r->label);
		return RX_REDRAW;
	}
	if (r->kind == ROW_FIELD && r->f->kind == FK_REFSET)
		return setedit_open(e, e->cur);
	if (r->kind == ROW_FIELD && r->f->kind == FK_REF && r->f->list) {
		const cJSON *list = json_get(e->lists, r->f->list);
		if (list && ed_open_ref_pick(e, e->cur, list))
			return RX_REDRAW;
		if (!list) {
			e->list_row = e->cur;
			return RX_LIST | RX_REDRAW;  /* the loop fetches it, then opens the pick list */
		}
	}
	return ed_open_line_editor(e, e->cur);
}

reaction ed_open_line_editor(ed *e, size_t row)
{
	form_row *r = &e->rows.v[row];
	char *t = edit_text(e, r);
	le_init(&e->le, t);
	free(t);
	e->edit_row = row;
	ed_push(e, SCR_EDIT);
	if (r->kind == ROW_FIELD && r->f->kind == FK_REF)
		ed_status(e, ROLE_STATUS, "%s: type the %s, Enter accepts, Esc cancels", r->label, r->f->key);
	else
		ed_status(e, ROLE_STATUS, "Editing %s: Enter accepts, Esc cancels", r->label);
	return RX_REDRAW;
}

bool ed_open_ref_pick(ed *e, size_t row, const cJSON *list)
{
	form_row *r = &e->rows.v[row];
	const cJSON *v = model_value(&e->m, r->f);
	const cJSON *curk = cJSON_IsObject(v) ? json_get_ci(v, r->f->key) : NULL;
	char **items;
	long sel;  /* setedit.h: deleted items hidden unless current, OwnedBy's 0 and auto, full paths */
	size_t n = setedit_ref_items(r->f, list, json_is_int32(curk) ? (long)curk->valuedouble : 0,
	                             json_is_int32(curk), &items, &e->pick_ids, &sel);
	if (n)
		pick_init(&e->pick, r->label, (const char *const *)items, n, sel >= 0 ? items[sel] : NULL);
	while (n > 0)
		free(items[--n]);
	free(items);
	if (!e->pick.n) {
		free(e->pick_ids);
		e->pick_ids = NULL;
		return false;
	}
	e->pick_row = row;
	ed_push(e, SCR_PICK);
	ed_status(e, ROLE_STATUS, "Pick %s: type to filter, Enter picks, Esc cancels", r->label);
	return true;
}

static reaction revert_row(ed *e)
{
	form_row *r = cur_row(e);
	if (!r || !form_row_modified(&e->m, r)) {
		ed_status(e, ROLE_STATUS, "Not modified");
		return RX_REDRAW;
	}
	if (r->kind == ROW_MAPKEY) {
		const cJSON *b = model_map_base(&e->m, r->f, r->sub);
		model_map_set(&e->m, r->f, r->sub, b ? cJSON_Duplicate(b, 1) : NULL);
	} else {
		model_revert(&e->m, r->f);
	}
	ed_status(e, ROLE_STATUS, "Reverted %s", r->label);
	return RX_REDRAW | RX_ROWS;
}

static void help_key_line(const char *keys, const char *help, void *e)
{
	ed_view_add(e, keys, help, ROLE_VALUE);
}

static void help_build(ed *e)
{
	static const struct { unsigned sc; const char *name; } scr[] = {
		{ SC_FORM, "Form" }, { SC_EDIT, "Line editor" }, { SC_PICK, "Pick list" },
		{ SC_VIEW, "Preview and help" }, { SC_QUIT, "Quit prompt" },
		{ SC_SET, "Set list (Tags, Other persons)" }, { SC_CONFLICT, "Conflict screen" },
	};
	ed_view_clear(e);
	snprintf(e->view_title, sizeof e->view_title, "Help");
	for (size_t s = 0; s < sizeof scr / sizeof scr[0]; s++) {
		ed_view_add(e, NULL, scr[s].name, ROLE_SECTION);
		action_each_key(scr[s].sc, help_key_line, e);
		ed_view_add(e, NULL, "", ROLE_VALUE);
	}
}

/* Actions that change the edits wait while a request is in flight: a save's
 * answer replaces the base and a reload's rebuilds the rows. */
static bool changes_edits(action_id act)
{
	return act == ACT_EDIT || act == ACT_TOGGLE || act == ACT_REVERT || act == ACT_UNDO ||
	       act == ACT_REDO || act == ACT_ADD || act == ACT_REMOVE;
}

static reaction form_key(ed *e, action_id act, tkey k)
{
	(void)k;
	if (changes_edits(act) && ed_busy(e)) {
		ed_status(e, ROLE_STATUS, "%s… wait for the answer (Esc cancels)",
		          e->req_save ? "Saving" : "Reloading");
		return RX_REDRAW;
	}
	switch (act) {
	case ACT_UP: move_cursor(e, -1); break;
	case ACT_DOWN: move_cursor(e, 1); break;
	case ACT_PAGE_UP: move_cursor(e, -body_rows()); break;
	case ACT_PAGE_DOWN: move_cursor(e, body_rows()); break;
	case ACT_FIRST: e->cur = 0; move_cursor(e, 1); move_cursor(e, -1); break;
	case ACT_LAST: e->cur = e->rows.n ? e->rows.n - 1 : 0; break;
	case ACT_NEXT_FIELD: next_editable(e, 1); break;
	case ACT_PREV_FIELD: next_editable(e, -1); break;
	case ACT_FIND:
		le_init(&e->le, NULL);
		e->find_origin = e->cur;
		ed_push(e, SCR_FIND);
		break;
	case ACT_EDIT: return start_edit(e);
	case ACT_TOGGLE: return cur_row(e) ? toggle_row(e, cur_row(e)) : RX_NONE;
	case ACT_REVERT: return revert_row(e);
	case ACT_ADD: return setedit_form_add(e);
	case ACT_REMOVE: return setedit_form_remove(e);
	case ACT_UNDO:
	case ACT_REDO: {
		const field_def *f = act == ACT_UNDO ? model_undo(&e->m) : model_redo(&e->m);
		if (f)
			ed_status(e, ROLE_STATUS, "%s: %s", act == ACT_UNDO ? "Undone" : "Redone", f->label);
		else
			ed_status(e, ROLE_STATUS, "Nothing to %s", act == ACT_UNDO ? "undo" : "redo");
		return RX_REDRAW | RX_ROWS;
	}
	case ACT_PREVIEW: ed_show_preview(e, false); break;
	case ACT_SAVE: return RX_SAVE;
	case ACT_RELOAD: return RX_RELOAD;
	case ACT_HELP: help_build(e); ed_push(e, SCR_VIEW); break;
	case ACT_QUIT:
		if (model_modified(&e->m) > 0) {
			ed_push(e, SCR_QUIT);
			break;
		}
		return RX_QUIT;
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	case ACT_CANCEL: return ed_busy(e) ? RX_CANCEL | RX_REDRAW : RX_NONE;
	default: return RX_NONE;
	}
	return RX_REDRAW;
}

/* ---- line editor -------------------------------------------------------- */

static void edit_draw(ed *e)
{
	int lw = label_cols(), y;
	form_draw(e);
	if (e->edit_row < e->top || e->edit_row >= e->top + (size_t)body_rows())
		return;
	y = HEADER_ROWS + (int)(e->edit_row - e->top);
	ui_cursor(true);
	le_draw(&e->le, stdscr, y, lw, COLS - lw - 1, A(POPUP), A(POPUP) | A(CONTROL_CHAR));
}

/* Turn the editor's text into the row's new value; NULL with a message in
 * the status line when it is refused. */
static cJSON *edit_value(ed *e, const form_row *r, const char *text)
{
	const cJSON *cur = row_value(e, r);
	field_kind kind = r->kind == ROW_FIELD ? r->f->kind : FK_STRING;
	long long n;
	if (r->kind == ROW_MAPKEY)  /* by the value's JSON type (setedit.c) */
		return setedit_map_value(e, r, text);
	if (kind == FK_STRING) {
		if (!*text && r->kind == ROW_FIELD && schema_field_mandatory(e->m.base, r->f)) {
			ed_status(e, ROLE_ERROR, "%s is mandatory and cannot be empty", r->label);
			return NULL;
		}
		return cJSON_CreateString(text);
	}
	if (kind == FK_INT32 || kind == FK_REF) {
		if (!text_is_int32(text, &n)) {
			char *s = text_sanitize(text, 40);
			ed_status(e, ROLE_ERROR, "%s: \"%s\" is not a whole number in the int32 range", r->label, s);
			free(s);
			return NULL;
		}
		if (kind == FK_INT32)
			return cJSON_CreateNumber((double)n);
		cJSON *o = cJSON_IsObject(cur) ? cJSON_Duplicate(cur, 1) : cJSON_CreateObject();
		const cJSON *old = json_get_ci(o, r->f->key);
		if (old && cJSON_IsNumber(old) && old->valuedouble == (double)n)
			return o;  /* unchanged: keep the names */
		cJSON_Delete(o);  /* another id: none of the old members (names, e-mail) apply */
		o = cJSON_CreateObject();
		old = NULL;
		if (old)
			cJSON_ReplaceItemInObjectCaseSensitive(o, old->string, cJSON_CreateNumber((double)n));
		else
			cJSON_AddNumberToObject(o, r->f->key, (double)n);
		if (r->f->display && json_get_ci(o, r->f->display))
			cJSON_DeleteItemFromObjectCaseSensitive(o, json_get_ci(o, r->f->display)->string);
		if (json_get_ci(o, "Name"))
			cJSON_DeleteItemFromObjectCaseSensitive(o, json_get_ci(o, "Name")->string);
		return o;
	}
	if (kind == FK_DATE) {
		tdate tmpl, d;
		char err[200], buf[64];
		const cJSON *b = model_base(&e->m, r->f);
		int naive = 0;  /* the server zone's offset at the loaded value (or now) */
		if (servertz_offset(e->opt->server_timezone, cJSON_IsString(b) ? b->valuestring : NULL,
		                    &naive, err, sizeof err) < 0)
			naive = 0;
		bool have = cJSON_IsString(b) && date_parse(b->valuestring, naive, &tmpl, err, sizeof err) == 0;
		if (!*text && schema_field_mandatory(e->m.base, r->f)) {
			ed_status(e, ROLE_ERROR, "%s is mandatory and cannot be empty", r->label);
			return NULL;
		}
		if (!*text)
			return cJSON_CreateNull();
		if (date_from_user(text, have ? &tmpl : NULL, naive, &d, err, sizeof err) < 0) {
			char *s = text_sanitize(text, 40);
			ed_status(e, ROLE_ERROR, "%s: \"%s\" is not a valid date: %s", r->label, s, err);
			free(s);
			return NULL;
		}
		date_format(&d, buf, sizeof buf);
		return cJSON_CreateString(buf);
	}
	return cJSON_CreateString(text);
}

static reaction edit_commit(ed *e)
{
	form_row *r = &e->rows.v[e->edit_row];
	cJSON *v = edit_value(e, r, le_text(&e->le));
	const cJSON *cur = row_value(e, r);
	le_free(&e->le);
	ed_pop(e);
	if (!v)
		return RX_REDRAW;
	if (cur && json_equal(cur, v)) {
		cJSON_Delete(v);
		ed_status(e, ROLE_STATUS, "%s unchanged", r->label);
		return RX_REDRAW;
	}
	set_row(e, r, v);
	ed_status(e, ROLE_STATUS, "%s %s", r->label, form_row_modified(&e->m, r) ? "changed" : "back to its loaded value");
	return RX_REDRAW | RX_ROWS;
}

reaction ed_lineedit_key(lineedit *le, action_id act, tkey k)
{
	switch (act) {
	case ACT_LE_LEFT: le_apply(le, LE_LEFT); break;
	case ACT_LE_RIGHT: le_apply(le, LE_RIGHT); break;
	case ACT_LE_HOME: le_apply(le, LE_HOME); break;
	case ACT_LE_END: le_apply(le, LE_END); break;
	case ACT_LE_BS: le_apply(le, LE_BACKSPACE); break;
	case ACT_LE_DEL: le_apply(le, LE_DELETE); break;
	case ACT_LE_KILL_START: le_apply(le, LE_KILL_START); break;
	case ACT_LE_KILL_END: le_apply(le, LE_KILL_END); break;
	case ACT_LE_KILL_WORD: le_apply(le, LE_KILL_WORD); break;
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	default:
		if (!TK_IS_TEXT(k))
			return RX_NONE;
		le_insert(le, (uint32_t)k);
	}
	return RX_REDRAW;
}

static reaction edit_key(ed *e, action_id act, tkey k)
{
	if (act == ACT_COMMIT)
		return edit_commit(e);
	if (act == ACT_CANCEL) {
		le_free(&e->le);
		ed_pop(e);
		ed_status(e, ROLE_STATUS, "Edit cancelled");
		return RX_REDRAW;
	}
	return ed_lineedit_key(&e->le, act, k);
}

/* ---- find --------------------------------------------------------------- */

static void find_draw(ed *e)
{
	int y = LINES - 2;
	form_draw(e);
	ui_fill(y, 0, COLS, A(STATUS));
	ui_puts(y, 0, "Find field: ", COLS, A(STATUS) | A_BOLD);
	ui_cursor(true);
	le_draw(&e->le, stdscr, y, 12, COLS - 13, A(STATUS), A(STATUS) | A(CONTROL_CHAR));
}

static reaction find_key(ed *e, action_id act, tkey k)
{
	long i;
	reaction rx;
	if (act == ACT_COMMIT || act == ACT_CANCEL) {
		if (act == ACT_CANCEL)
			e->cur = e->find_origin;
		le_free(&e->le);
		ed_pop(e);
		ed_status(e, ROLE_STATUS, "%s", "");
		return RX_REDRAW;
	}
	rx = ed_lineedit_key(&e->le, act, k);
	i = *le_text(&e->le) ? form_find_label(&e->rows, e->find_origin, le_text(&e->le)) : -1;
	if (i >= 0)
		e->cur = (size_t)i;
	else if (*le_text(&e->le))
		ed_status(e, ROLE_ERROR, "No field matches");
	if (i >= 0)
		ed_status(e, ROLE_STATUS, "%s", "");
	return rx | RX_REDRAW;
}

/* ---- pick list ---------------------------------------------------------- */

static void pick_screen_draw(ed *e)
{
	form_draw(e);
	pick_draw(&e->pick, A(POPUP), A(POPUP_SELECTED), A(CONTROL_CHAR));
}

void ed_pick_close(ed *e)
{
	pick_free(&e->pick);
	free(e->pick_ids);
	e->pick_ids = NULL;
	ed_pop(e);
}

reaction ed_picklist_key(ed *e, action_id act, tkey k)
{
	picklist *p = &e->pick;
	switch (act) {
	case ACT_UP: pick_move(p, -1); break;
	case ACT_DOWN: pick_move(p, 1); break;
	case ACT_PAGE_UP: pick_move(p, -10); break;
	case ACT_PAGE_DOWN: pick_move(p, 10); break;
	case ACT_FIRST: pick_move(p, -(long)p->n); break;
	case ACT_LAST: pick_move(p, (long)p->n); break;
	case ACT_LE_BS: pick_backspace(p); break;
	case ACT_CANCEL:
		ed_pick_close(e);
		ed_status(e, ROLE_STATUS, "Cancelled");
		break;
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	default:
		if (!TK_IS_TEXT(k))
			return RX_NONE;
		pick_type(p, (uint32_t)k);
	}
	return RX_REDRAW;
}

static bool digits_only(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s) && strlen(s) <= 10;
}

/* The reference's new value: the current object with the key member set to
 * ID and the display member set to the picked item's name ("Name (Id)"). */
static cJSON *ref_with_key(ed *e, const form_row *r, long id, const char *item)
{
	const cJSON *cur = model_value(&e->m, r->f), *old;
	cJSON *o = cJSON_IsObject(cur) ? cJSON_Duplicate(cur, 1) : cJSON_CreateObject();
	old = json_get_ci(o, r->f->key);
	if (old)
		cJSON_ReplaceItemInObjectCaseSensitive(o, old->string, cJSON_CreateNumber((double)id));
	else
		cJSON_AddNumberToObject(o, r->f->key, (double)id);
	if (r->f->display) {
		const cJSON *d = json_get_ci(o, r->f->display);
		const char *paren = item ? strrchr(item, '(') : NULL;
		char *name = item && paren && paren > item ? strndup(item, (size_t)(paren - item - 1)) : NULL;
		if (d)
			cJSON_DeleteItemFromObjectCaseSensitive(o, d->string);
		if (name)
			cJSON_AddStringToObject(o, r->f->display, name);
		free(name);
	}
	return o;
}

/* Set the picked value V (taken) unless it equals the current one. */
static void pick_commit_value(ed *e, form_row *r, cJSON *v)
{
	const cJSON *cur = row_value(e, r);
	bool same_key = false;
	if (r->kind == ROW_FIELD && r->f->kind == FK_REF && cJSON_IsObject(cur))
		same_key = json_equal(json_get_ci(cur, r->f->key), json_get_ci(v, r->f->key));
	if ((cur && json_equal(cur, v)) || same_key) {
		cJSON_Delete(v);
		ed_status(e, ROLE_STATUS, "%s unchanged", r->label);
		return;
	}
	set_row(e, r, v);
	ed_status(e, ROLE_STATUS, "%s %s", r->label,
	          form_row_modified(&e->m, r) ? "changed" : "back to its loaded value");
}

static reaction pick_key(ed *e, action_id act, tkey k)
{
	long sel;
	form_row *r;
	switch (act) {
	case ACT_COMMIT:
		sel = pick_selected(&e->pick);
		r = &e->rows.v[e->pick_row];
		if (sel < 0 && !(e->pick_ids && digits_only(e->pick.filter))) {
			ed_status(e, ROLE_ERROR, "Nothing matches the filter");
			return RX_REDRAW;
		}
		if (e->pick_ids)
			pick_commit_value(e, r, ref_with_key(e, r, sel >= 0 ? e->pick_ids[sel] :
			                  atol(e->pick.filter), sel >= 0 ? e->pick.items[sel] : NULL));
		else
			pick_commit_value(e, r, cJSON_CreateString(e->pick.items[sel]));
		ed_pick_close(e);
		return RX_REDRAW | RX_ROWS;
	default:
		return ed_picklist_key(e, act, k);
	}
}

/* ---- preview and help (scrolling text) ---------------------------------- */

void ed_view_clear(ed *e)
{
	size_t i;
	for (i = 0; i < e->nview; i++) {
		free(e->view[i].key);
		free(e->view[i].text);
	}
	free(e->view);
	e->view = NULL;
	e->nview = e->view_top = 0;
}

void ed_view_add(ed *e, const char *key, const char *text, int role)
{
	e->view = realloc(e->view, (e->nview + 1) * sizeof *e->view);
	e->view[e->nview].key = key ? strdup(key) : NULL;
	e->view[e->nview].text = strdup(text);
	e->view[e->nview].role = role;
	e->nview++;
}

/* Add TEXT (cJSON's pretty print) split at newlines, each line in ROLE;
 * its indenting tabs become two spaces, the tab after a colon one space
 * (tabs inside JSON strings are escaped, so these are all layout). */
static void view_add_lines(ed *e, const char *text, int role)
{
	const char *p = text;
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p), i, o = 0;
		char *line = malloc(n * 2 + 1);
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
		ed_view_add(e, NULL, line, role);
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
static void preview_changes(ed *e)
{
	size_t i;
	for (i = 0; i < e->rows.n; i++) {
		const form_row *r = &e->rows.v[i];
		char *old, *now, *line;
		size_t n;
		if (!form_row_modified(&e->m, r))
			continue;
		if (r->kind == ROW_MAPKEY) {
			const cJSON *b = model_map_base(&e->m, r->f, r->sub);
			old = b ? form_json_text(b) : strdup("(absent)");
		} else {
			model tmp = e->m;  /* the base value as the form shows it */
			tmp.nedits = 0;
			old = form_row_text(&tmp, r);
		}
		now = form_row_text(&e->m, r);
		n = strlen(r->path) + strlen(old) + strlen(now) + 16;
		line = malloc(n);
		snprintf(line, n, "%s: %s \u2192 %s", r->path, old, now);
		ed_view_add(e, NULL, line, ROLE_VALUE);
		free(old);
		free(now);
		free(line);
	}
}

void ed_show_preview(ed *e, bool dry_run)
{
	cJSON *patch = model_patch(&e->m, e->mode), *op;
	int n = cJSON_GetArraySize(patch), k = 0;
	ed_view_clear(e);
	snprintf(e->view_title, sizeof e->view_title, "%s: %d op%s", dry_run ?
	         "Dry run, nothing sent. The patch" : "Preview: the patch", n, n == 1 ? "" : "s");
	if (e->opt->conflict == CONFLICT_STRICT) {
		char d[64];
		if (model_if_unmodified_since_tz(&e->m, e->opt->server_timezone, d, sizeof d) == 0) {
			char h[100];
			snprintf(h, sizeof h, "If-Unmodified-Since: %s", d);
			ed_view_add(e, NULL, h, ROLE_DIFF_TEST);
		}
	}
	ed_view_add(e, NULL, n ? "[" : "[]", ROLE_VALUE);
	cJSON_ArrayForEach(op, patch) {
		char *s = json_print(op, true), *line;
		size_t l = strlen(s);
		line = malloc(l + 4);
		snprintf(line, l + 4, "%s%s", s, ++k < n ? "," : "");
		view_add_lines(e, line, op_role(op));
		free(line);
		free(s);
	}
	if (n)
		ed_view_add(e, NULL, "]", ROLE_VALUE);
	ed_view_add(e, NULL, "", ROLE_VALUE);
	ed_view_add(e, NULL, n ? "Changes:" : "No changes.", ROLE_SECTION);
	preview_changes(e);
	cJSON_Delete(patch);
	ed_push(e, SCR_VIEW);
}

static void view_draw(ed *e)
{
	int y0 = 1, h = LINES - 3, w = COLS, i, inner = h - 2;
	form_draw(e);
	if (inner < 1)
		return;
	if (e->nview > (size_t)inner && e->view_top > e->nview - (size_t)inner)
		e->view_top = e->nview - (size_t)inner;
	ui_box(y0, 0, h, w, A(POPUP), e->view_title);
	for (i = 0; i < inner; i++) {
		size_t k = e->view_top + (size_t)i;
		const view_line *v;
		int x = 2;
		if (k >= e->nview)
			break;
		v = &e->view[k];
		if (v->key) {
			ui_puts(y0 + 1 + i, x, v->key, 22, A(POPUP) | A(HELP_KEY));
			x += 24;
		}
		move(y0 + 1 + i, x);
		text_draw(stdscr, v->text, w - x - 2, true, A(POPUP) | ui_attr[v->role],
		          A(POPUP) | A(CONTROL_CHAR));
	}
	if (e->nview > (size_t)inner) {
		char m[48];
		snprintf(m, sizeof m, " %zu-%zu of %zu ", e->view_top + 1,
		         e->view_top + (size_t)inner < e->nview ? e->view_top + (size_t)inner : e->nview, e->nview);
		ui_puts(y0 + h - 1, w - (int)strlen(m) - 2, m, (int)strlen(m), A(POPUP));
	}
	ui_cursor(false);
}

static reaction view_key(ed *e, action_id act, tkey k)
{
	size_t page = LINES > 6 ? (size_t)LINES - 5 : 1;
	(void)k;
	switch (act) {
	case ACT_UP: if (e->view_top) e->view_top--; break;
	case ACT_DOWN: if (e->view_top + 1 < e->nview) e->view_top++; break;
	case ACT_PAGE_UP: e->view_top = e->view_top > page ? e->view_top - page : 0; break;
	case ACT_PAGE_DOWN: e->view_top += page; if (e->view_top >= e->nview) e->view_top = e->nview ? e->nview - 1 : 0; break;
	case ACT_FIRST: e->view_top = 0; break;
	case ACT_LAST: e->view_top = e->nview ? e->nview - 1 : 0; break;
	case ACT_CLOSE: ed_view_clear(e); ed_pop(e); break;
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	default: return RX_NONE;
	}
	return RX_REDRAW;
}

/* ---- quit prompt -------------------------------------------------------- */

static void quit_draw(ed *e)
{
	int w = 56 < COLS - 2 ? 56 : COLS - 2, h = 6, y = (LINES - h) / 2, x = (COLS - w) / 2;
	char buf[128];
	int n = model_modified(&e->m);
	form_draw(e);
	ui_box(y, x, h, w, A(POPUP), "Unsaved edits");
	snprintf(buf, sizeof buf, "%d field%s modified and not saved.", n, n == 1 ? "" : "s");
	ui_puts(y + 1, x + 2, buf, w - 4, A(POPUP));
	ui_puts(y + 3, x + 2, "s: save and quit   d: discard and quit", w - 4, A(POPUP) | A(HELP_KEY));
	ui_puts(y + 4, x + 2, "Esc: stay", w - 4, A(POPUP) | A(HELP_KEY));
	ui_cursor(false);
}

static reaction quit_key(ed *e, action_id act, tkey k)
{
	(void)k;
	switch (act) {
	case ACT_SAVE:
		ed_pop(e);
		e->quit_after_save = true;
		return RX_SAVE | RX_REDRAW;
	case ACT_DISCARD:
		ed_pop(e);
		e->exit_code = 0;
		e->discarded = true;
		return RX_QUIT;
	case ACT_CANCEL:
		ed_pop(e);
		ed_status(e, ROLE_STATUS, "%s", "");
		return RX_REDRAW;
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	default: return RX_NONE;
	}
}

/* ---- draft prompt (on open) ---------------------------------------------- */

static void draft_prompt_draw(ed *e)
{
	int w = 70 < COLS - 2 ? 70 : COLS - 2, h = 7, y = (LINES - h) / 2, x = (COLS - w) / 2;
	char buf[256];
	int n = cJSON_GetArraySize(e->dedits);
	form_draw(e);
	ui_box(y, x, h, w, A(POPUP), "Unsaved draft");
	snprintf(buf, sizeof buf, "A draft of this ticket from %s: %d edit%s.", e->dsaved, n, n == 1 ? "" : "s");
	ui_puts(y + 1, x + 2, buf, w - 4, A(POPUP));
	ui_puts(y + 3, x + 2, "r: restore it onto the current ticket", w - 4, A(POPUP) | A(HELP_KEY));
	ui_puts(y + 4, x + 2, "d: discard it   k or Esc: keep it for later", w - 4, A(POPUP) | A(HELP_KEY));
	curs_set(0);
}

static void draft_prompt_done(ed *e)
{
	cJSON_Delete(e->dbase);
	cJSON_Delete(e->dedits);
	e->dbase = e->dedits = NULL;
	ed_pop(e);
}

/* The draft's base with the rights (TableRight, FieldProperties) of SERVER:
 * edits are restored onto their own base (so none is lost there), each
 * checked against the rights the user has now. */
static cJSON *draft_base_with_rights(const cJSON *dbase, const cJSON *server)
{
	static const char *const rights[] = { "TableRight", "FieldProperties" };
	cJSON *doc = cJSON_IsObject(dbase) ? cJSON_Duplicate(dbase, 1) : cJSON_CreateObject();
	for (size_t i = 0; doc && i < sizeof rights / sizeof rights[0]; i++) {
		const cJSON *r = json_get_ci(server, rights[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(doc, rights[i]);
		if (r)
			cJSON_AddItemToObject(doc, rights[i], cJSON_Duplicate(r, 1));
	}
	return doc;
}

/* Restore: the draft's edits on its base, then the conflict flow (conflict.h)
 * onto the current server copy, as a reload with edits: edits of fields
 * nobody changed are kept, edits already there dropped, the others go to the
 * conflict screen. */
static reaction draft_restore_now(ed *e)
{
	char lost[400], skipped[200];
	cJSON *server = cJSON_Duplicate(e->m.base, 1);
	int n;
	model_free(&e->m);
	n = draft_restore(&e->m, e->dbase, e->dedits, draft_base_with_rights(e->dbase, server), lost,
	                  sizeof lost, skipped, sizeof skipped);
	draft_sync_restored(&e->ds);
	draft_prompt_done(e);
	if (n < 0) {
		model_free(&e->m);
		model_init(&e->m, server);
		ed_status(e, ROLE_ERROR, "The draft's edits are malformed; nothing restored (the draft is kept)");
		e->ds.hold = true;
		return RX_ROWS | RX_REDRAW;
	}
	model_clear_conflicts(&e->m);
	conflict_begin(e, server, 200);
	if (ed_top(e) == SCR_CONFLICT)
		return RX_ROWS | RX_REDRAW;
	ed_status(e, ROLE_STATUS, "Draft restored: %d edit%s%s%s", model_modified(&e->m),
	          model_modified(&e->m) == 1 ? "" : "s", skipped[0] ? "; dropped (no right to edit): " : "",
	          skipped);
	return RX_ROWS | RX_REDRAW;
}

static reaction draft_prompt_key(ed *e, action_id act, tkey k)
{
	char err[512];
	(void)k;
	if (act == ACT_DRAFT_RESTORE)
		return draft_restore_now(e);
	if (act == ACT_DISCARD) {
		if (draft_discard(e->opt->url, e->opt->ticket_id, err, sizeof err) < 0)
			ed_status(e, ROLE_ERROR, "%s", err);
		else
			ed_status(e, ROLE_STATUS, "Draft discarded");
		draft_prompt_done(e);
		return RX_REDRAW;
	}
	if (act == ACT_DRAFT_KEEP) {  /* also Esc: the safe choice, nothing is lost */
		e->ds.hold = true;
		draft_prompt_done(e);
		ed_status(e, ROLE_STATUS, "Draft kept for later; this session's edits are not journaled");
		return RX_REDRAW;
	}
	return act == ACT_REDRAW ? RX_FULL | RX_REDRAW : RX_NONE;
}

const screen_def screen_table[SCR_COUNT] = {
	[SCR_FORM] = { SC_FORM, form_draw, form_key },
	[SCR_EDIT] = { SC_EDIT, edit_draw, edit_key },
	[SCR_PICK] = { SC_PICK, pick_screen_draw, pick_key },
	[SCR_VIEW] = { SC_VIEW, view_draw, view_key },
	[SCR_QUIT] = { SC_QUIT, quit_draw, quit_key },
	[SCR_FIND] = { SC_EDIT, find_draw, find_key },
	[SCR_SET] = { SC_SET, setedit_draw, setedit_key },
	[SCR_SETPICK] = { SC_PICK, setpick_draw, setpick_key },
	[SCR_PROMPT] = { SC_EDIT, prompt_draw, prompt_key },
	[SCR_CONFLICT] = { SC_CONFLICT, conflict_draw, conflict_key },  /* conflict.c */
	[SCR_DRAFT] = { SC_DRAFT, draft_prompt_draw, draft_prompt_key },
};

/* The central key dispatcher: the top screen's action for K, then its
 * handler. Before the ticket is loaded only quit, cancel and redraw work. */
reaction ed_key(ed *e, tkey k)
{
	screen_id s = ed_top(e);
	action_id act;
	if (k == TK_FN(KEY_RESIZE))
		return RX_FULL | RX_REDRAW;
	act = action_for_key(screen_table[s].sc, k);
	if (!e->loaded) {
		if (act == ACT_QUIT || act == ACT_CANCEL)
			return RX_CANCEL | RX_QUIT;
		return act == ACT_REDRAW ? RX_FULL | RX_REDRAW : RX_NONE;
	}
	return screen_table[s].key(e, act, k);
}

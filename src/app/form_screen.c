/* form_screen.c — the ticket form: the header, one row per field, the
 * cursor, and the form's keys. The bottom of the screen stack; its rows and
 * cursor are the app's form_view (app.h), which the modals opened from it
 * (line editor, pick list, find) read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

#define HEADER_ROWS 2
#define A(role) ui_attr[ROLE_##role]

int form_body_rows(app *a)
{
	int h = LINES - HEADER_ROWS - 1 - app_status_rows(a);
	return h > 1 ? h : 1;
}
int form_label_cols(void) { return COLS / 3 < 24 ? COLS / 3 : 24; }

static form_row *cur_row(app *a)
{
	form_view *fv = app_form(a);
	return fv->cur < fv->rows.n ? &fv->rows.v[fv->cur] : NULL;
}

static bool selectable(const form_row *r) { return r->kind != ROW_SECTION; }

/* ---- drawing ------------------------------------------------------------ */

/* One part of the header's second line: TEXT, or SHORT when TEXT does
 * not fit (NULL: left out then), kept in order of PRIO (1 first). */
typedef struct {
	char text[120], shrt[80];
	int prio;
	attr_t attr;
} header_part;

/* Lay the parts out on row Y, whole or not at all, most important first. */
static void draw_parts(int y, header_part *p, int n)
{
	bool use[8] = { false }, shrt[8] = { false };
	int used = 1 - 2, x = 1;  /* a margin; two columns between parts */
	for (int prio = 1; prio <= 4; prio++)
		for (int i = 0; i < n; i++) {
			int w = p[i].prio == prio ? text_width(p[i].text) + 2 : 0;
			if (!w)
				continue;
			if (used + w <= COLS) {
				use[i] = true;
				used += w;
			} else if (p[i].shrt[0] && used + text_width(p[i].shrt) + 2 <= COLS) {
				use[i] = shrt[i] = true;
				used += text_width(p[i].shrt) + 2;
			}
		}
	for (int i = 0; i < n; i++) {
		const char *t = shrt[i] ? p[i].shrt : p[i].text;
		if (!use[i])
			continue;
		move(y, x);
		x += text_draw(stdscr, t, COLS - x, false, p[i].attr, p[i].attr | A(CONTROL_CHAR)) + 2;
	}
}

static void draw_header(app *a)
{
	char buf[512];
	const options *o = app_options(a);
	model *m = app_model(a);
	const cJSON *t = m->base ? json_get_ci(m->base, "Title") : NULL;
	const cJSON *lc = m->base ? json_get_ci(m->base, "LastChanged") : NULL;
	const char *mode = o->conflict == CONFLICT_NONE ? "none" : o->conflict == CONFLICT_STRICT ? "strict" : "fields";
	header_part p[6];
	int n = 0;
	ui_fill(0, 0, COLS, A(HEADER));
	snprintf(buf, sizeof buf, " Ticket %ld: ", app_ticket_id(a));
	ui_puts(0, 0, buf, COLS, A(HEADER) | A_BOLD);
	n = (int)strlen(buf);
	if (cJSON_IsString(t)) {
		move(0, n);
		text_draw(stdscr, t->valuestring, COLS - n - 1, true, A(HEADER) | A_BOLD, A(HEADER) | A(CONTROL_CHAR));
	}
	ui_fill(1, 0, COLS, A(HEADER));
	memset(p, 0, sizeof p);
	n = 0;
	snprintf(p[n].text, sizeof p[n].text, "%d modified", m->base ? model_modified(m) : 0);
	p[n].prio = 1;
	p[n++].attr = A(HEADER);
	if (cJSON_IsString(lc)) {  /* when the ticket was last changed, to the minute */
		char *d = value_date_minute(lc->valuestring);
		snprintf(p[n].text, sizeof p[n].text, "changed %s", d);
		free(d);
		p[n].prio = 3;
		p[n++].attr = A(HEADER);
	}
	value_zone_label(buf, sizeof buf);  /* the zone every date is shown in */
	snprintf(p[n].text, sizeof p[n].text, "%s time", buf);
	p[n].prio = 2;
	p[n++].attr = A(HEADER);
	snprintf(p[n].text, sizeof p[n].text, "conflict: %s%s", mode,
	         o->conflict == CONFLICT_NONE ? " (UNGUARDED)" : "");
	snprintf(p[n].shrt, sizeof p[n].shrt, "%s", o->conflict == CONFLICT_NONE ? "UNGUARDED" : "");
	p[n].prio = o->conflict == CONFLICT_NONE ? 1 : 3;
	p[n++].attr = o->conflict == CONFLICT_NONE ? A(ERROR) | A_BOLD : A(HEADER);
	if (m->base && !schema_ticket_updatable(m->base)) {
		snprintf(p[n].text, sizeof p[n].text, "read-only");
		p[n].prio = 1;
		p[n++].attr = A(ERROR) | A_BOLD;
	}
	if (o->dry_run) {
		snprintf(p[n].text, sizeof p[n].text, "dry-run");
		p[n].prio = 1;
		p[n++].attr = A(HEADER) | A_REVERSE;
	}
	draw_parts(1, p, n);
}

/* Whether row R has an open clash (the user has not chosen yet). */
static bool row_clash(const model *m, const form_row *r)
{
	if (r->kind != ROW_FIELD && r->kind != ROW_MAPKEY)
		return false;
	return model_clash_of(m, r->f, r->kind == ROW_MAPKEY ? r->sub : NULL) != NULL;
}

/* A label in W columns at row Y: one too long loses letters before its
 * unit, never the unit ("Real reply t… (min)"). */
static void draw_label(int y, const char *label, int w, attr_t at, attr_t ctl)
{
	const char *unit = strrchr(label, '(');
	size_t len = strlen(label);
	int uw = unit ? text_width(unit) + 1 : 0;
	move(y, 1);
	if (text_width(label) <= w || !unit || unit == label || unit[-1] != ' ' || label[len - 1] != ')' ||
	    uw + 4 > w) {
		text_draw(stdscr, label, w, true, at, ctl);
		return;
	}
	{
		char *head = xstrndup(label, (size_t)(unit - label - 1));
		int hw = text_draw(stdscr, head, w - uw, true, at, ctl);
		free(head);
		move(y, 1 + hw);
		text_draw(stdscr, unit - 1, uw, false, at, ctl);
	}
}

static void draw_row(app *a, int y, size_t i)
{
	form_view *fv = app_form(a);
	model *m = app_model(a);
	const form_row *r = &fv->rows.v[i];
	int lw = form_label_cols(), vw = COLS - lw - 1;
	bool cursor = i == fv->cur, mod = form_row_modified(m, r), clash = row_clash(m, r);
	attr_t va = clash ? A(ERROR) : mod ? A(MODIFIED) : r->editable ? A(VALUE) : A(READONLY);
	attr_t mark = clash ? A(ERROR) : mod ? A(MODIFIED) : A_NORMAL;
	attr_t la = r->editable ? A(LABEL) : A(READONLY);
	char *text;
	if (r->kind == ROW_SECTION) {
		ui_fill(y, 0, COLS, A(SECTION));
		ui_puts(y, 1, r->label, COLS - 1, A(SECTION) | A_BOLD);
		return;
	}
	if (cursor) {  /* the bar covers the label column: a move rewrites two labels, never the values */
		mark = A(CURSOR) | (mark & ~A_COLOR);
		la = A(CURSOR) | (la & ~A_COLOR);
	}
	ui_fill(y, 0, lw, la);
	ui_fill(y, lw, COLS - lw, A_NORMAL);
	ui_puts(y, 0, clash ? "!" : mod ? "*" : " ", 1, mark);
	draw_label(y, r->label, lw - 2, la, ui_over(la, A(CONTROL_CHAR)));
	text = form_row_text(m, r, app_lists(a));
	move(y, lw);
	text_draw(stdscr, text, vw, true, va, ui_over(va, A(CONTROL_CHAR)));
	free(text);
}

static void keep_cursor_visible(app *a, form_view *fv)
{
	size_t h = (size_t)form_body_rows(a);
	if (fv->cur < fv->top)
		fv->top = fv->cur;
	if (fv->cur >= fv->top + h)
		fv->top = fv->cur - h + 1;
	if (fv->top > 0 && fv->top == fv->cur && !selectable(&fv->rows.v[fv->top - 1]))
		fv->top--;
	if (fv->rows.n > h && fv->top > fv->rows.n - h)
		fv->top = fv->rows.n - h;
}

int form_screen_row(app *a, size_t i)
{
	form_view *fv = app_form(a);
	if (i < fv->top || i >= fv->top + (size_t)form_body_rows(a))
		return -1;
	return HEADER_ROWS + (int)(i - fv->top);
}

static void form_draw(app *a, void *st)
{
	form_view *fv = app_form(a);
	int h = form_body_rows(a);
	(void)st;
	draw_header(a);
	if (fv->rows.n)
		keep_cursor_visible(a, fv);
	for (int y = 0; y < h; y++) {
		size_t i = fv->top + (size_t)y;
		if (i < fv->rows.n)
			draw_row(a, HEADER_ROWS + y, i);
		else
			ui_fill(HEADER_ROWS + y, 0, COLS, A_NORMAL);
	}
	if (fv->rows.n && fv->cur >= fv->top)
		move(HEADER_ROWS + (int)(fv->cur - fv->top), 0);
}

/* ---- moving --------------------------------------------------------------- */

static void move_cursor(form_view *fv, long delta)
{
	long i = (long)fv->cur, n = (long)fv->rows.n, step = delta < 0 ? -1 : 1, moved = 0;
	long want = delta < 0 ? -delta : delta;
	while (moved < want) {
		long j = i + step;
		while (j >= 0 && j < n && !selectable(&fv->rows.v[j]))
			j += step;
		if (j < 0 || j >= n)
			break;
		i = j;
		moved++;
	}
	fv->cur = (size_t)i;
}

static void next_editable(app *a, int step)
{
	form_view *fv = app_form(a);
	size_t n = fv->rows.n, k;
	for (k = 1; k <= n; k++) {
		size_t i = step > 0 ? (fv->cur + k) % n : (fv->cur + n * 2 - k) % n;
		if (fv->rows.v[i].editable) {
			fv->cur = i;
			return;
		}
	}
	app_status(a, ROLE_STATUS, "No editable field");
}

/* ---- editing ---------------------------------------------------------------- */

static const cJSON *row_value(app *a, const form_row *r)
{
	model *m = app_model(a);
	if (!r->f)  /* notes and unknown members have no schema field */
		return NULL;
	return r->kind == ROW_MAPKEY ? model_map_value(m, r->f, r->sub) : model_value(m, r->f);
}

static reaction toggle_row(app *a, const form_row *r)
{
	model *m = app_model(a);
	const cJSON *v = row_value(a, r);
	cJSON *nv = r->editable && r->kind == ROW_MAPKEY ? value_custom_toggle(m, r->f, r->sub) : NULL;
	if (nv) {  /* a checkbox custom field: [I:0] <-> [I:1] */
		char *t;
		model_map_set(m, r->f, r->sub, nv);
		t = value_custom_text(m, r->sub, model_map_value(m, r->f, r->sub));
		app_status(a, ROLE_STATUS, "%s: %s", r->label, t);
		free(t);
		return rx(RX_REDRAW);
	}
	if (!r->editable && (cJSON_IsBool(v) || (r->kind == ROW_MAPKEY && value_custom_is_checkbox(m, r->f, r->sub)))) {
		app_status(a, ROLE_STATUS, "%s is read-only", r->label);
		return rx(RX_REDRAW);
	}
	if (!r->editable || !cJSON_IsBool(v)) {
		app_status(a, ROLE_STATUS, "Space toggles true/false values");
		return rx(RX_REDRAW);
	}
	if (r->kind == ROW_MAPKEY)
		model_map_set(m, r->f, r->sub, cJSON_CreateBool(!cJSON_IsTrue(v)));
	else
		model_set(m, r->f, cJSON_CreateBool(!cJSON_IsTrue(v)));
	app_status(a, ROLE_STATUS, "%s: %s", r->label, cJSON_IsTrue(row_value(a, r)) ? "true" : "false");
	return rx(RX_REDRAW);
}

reaction form_edit_row(app *a, size_t i)
{
	form_view *fv = app_form(a);
	model *m = app_model(a);
	const form_row *r = i < fv->rows.n ? &fv->rows.v[i] : NULL;
	const cJSON *v;
	if (!r)
		return rx(0);
	if (!r->editable) {
		app_status(a, ROLE_STATUS, "%s is read-only%s", r->label,
		           schema_ticket_updatable(m->base) ? "" : " (the ticket is read-only)");
		return rx(RX_REDRAW);
	}
	v = row_value(a, r);
	if (cJSON_IsBool(v) || (r->kind == ROW_FIELD && r->f->kind == FK_BOOL) ||
	    (r->kind == ROW_MAPKEY && value_custom_is_checkbox(m, r->f, r->sub)))
		return toggle_row(a, r);
	if (r->kind == ROW_FIELD && r->f->kind == FK_ENUM)
		return pick_enum_open(a, r->f, -1);
	if (r->kind == ROW_FIELD && r->f->kind == FK_REFSET)
		return set_screen_open(a, r->f);
	if (r->kind == ROW_FIELD && r->f->kind == FK_REF && r->f->search)
		return pick_search_open(a, r->f, -1);  /* person_new: searched, never fetched whole */
	if (r->kind == ROW_FIELD && r->f->kind == FK_REF && r->f->list) {
		const cJSON *list = app_list(a, r->f->list);
		if (list) {
			reaction p = pick_ref_open(a, r->f, list, -1);
			if (p.flags)
				return p;
		} else {
			return rx_list(r->f->list);  /* list_done opens the pick list */
		}
	}
	return edit_screen_open(a, r->f, r->kind == ROW_MAPKEY ? r->sub : NULL, r->label, -1, (long)i);
}

/* The reference list the form asked for arrived (or not). */
static reaction form_list_done(app *a, void *st, const char *name, const cJSON *list, const char *err)
{
	const form_row *r = cur_row(a);
	(void)st;
	if (!r || r->kind != ROW_FIELD || r->f->kind != FK_REF || !r->f->list || strcmp(r->f->list, name))
		return rx(RX_REDRAW);
	if (list) {
		reaction p = pick_ref_open(a, r->f, list, -1);
		if (p.flags)
			return p;
	}
	{
		reaction e = edit_screen_open(a, r->f, NULL, r->label, -1, (long)app_form(a)->cur);
		app_status(a, ROLE_ERROR, "The %s list is unavailable (%s): type the %s", name,
		           list ? "empty" : err, r->f->key);
		return e;
	}
}

static reaction revert_row(app *a)
{
	model *m = app_model(a);
	const form_row *r = cur_row(a);
	if (!r || !form_row_modified(m, r)) {
		app_status(a, ROLE_STATUS, "Not modified");
		return rx(RX_REDRAW);
	}
	if (r->kind == ROW_MAPKEY) {
		const cJSON *b = model_map_base(m, r->f, r->sub);
		model_map_set(m, r->f, r->sub, b ? cJSON_Duplicate(b, 1) : NULL);
	} else {
		model_revert(m, r->f);
	}
	app_status(a, ROLE_STATUS, "Reverted %s%s", r->label,
	           row_clash(m, r) ? " (its conflict stays open until you choose on the conflict screen)" : "");
	return rx(RX_REDRAW | RX_ROWS);
}

static reaction undo_redo(app *a, action_id act)
{
	model *m = app_model(a);
	const field_def *f = act == ACT_UNDO ? model_undo(m) : model_redo(m);
	if (f)
		app_status(a, ROLE_STATUS, "%s: %s", act == ACT_UNDO ? "Undone" : "Redone", f->label);
	else
		app_status(a, ROLE_STATUS, "Nothing to %s", act == ACT_UNDO ? "undo" : "redo");
	return rx(RX_REDRAW | RX_ROWS);
}

/* Actions that change the edits wait while the save machine says so (a
 * save's answer replaces the base and a reload's rebuilds the rows). */
static bool changes_edits(action_id act)
{
	return act == ACT_EDIT || act == ACT_TOGGLE || act == ACT_REVERT || act == ACT_UNDO ||
	       act == ACT_REDO || act == ACT_ADD || act == ACT_REMOVE;
}

/* The status line on a row with a hint (a custom field's Description):
 * the hint when the cursor lands there, cleared when it leaves. */
static void show_hint(app *a, const form_row *was, const form_row *now)
{
	char buf[640];
	if (was && was->hint) {
		snprintf(buf, sizeof buf, "%s: %s", was->label, was->hint);
		if (!strcmp(app_status_text(a), buf))
			app_status_clear(a);
	}
	if (now && now->hint && now != was)
		app_status(a, ROLE_STATUS, "%s: %s", now->label, now->hint);
}

static bool moves(action_id act)
{
	return act == ACT_UP || act == ACT_DOWN || act == ACT_PAGE_UP || act == ACT_PAGE_DOWN || act == ACT_FIRST ||
	       act == ACT_LAST || act == ACT_NEXT_FIELD || act == ACT_PREV_FIELD;
}

static reaction form_key_act(app *a, action_id act);

static reaction form_key(app *a, void *st, action_id act, tkey k)
{
	const form_row *was = cur_row(a);
	reaction r;
	(void)st;
	(void)k;
	r = form_key_act(a, act);
	if (moves(act))
		show_hint(a, was, cur_row(a));
	return r;
}

static reaction form_key_act(app *a, action_id act)
{
	form_view *fv = app_form(a);
	const save_machine *sv = app_save(a);
	if (changes_edits(act) && !save_states[sv->st].edits) {
		app_status(a, ROLE_STATUS, "%s… wait for the answer (Esc cancels)",
		           sv->st == SV_SAVING ? "Saving" : sv->st == SV_RELOADING ? "Reloading" : "Re-reading");
		return rx(RX_REDRAW);
	}
	switch (act) {
	case ACT_UP: move_cursor(fv, -1); break;
	case ACT_DOWN: move_cursor(fv, 1); break;
	case ACT_PAGE_UP: move_cursor(fv, -form_body_rows(a)); break;
	case ACT_PAGE_DOWN: move_cursor(fv, form_body_rows(a)); break;
	case ACT_FIRST: fv->cur = 0; move_cursor(fv, 1); move_cursor(fv, -1); break;
	case ACT_LAST: fv->cur = fv->rows.n ? fv->rows.n - 1 : 0; break;
	case ACT_NEXT_FIELD: next_editable(a, 1); break;
	case ACT_PREV_FIELD: next_editable(a, -1); break;
	case ACT_FIND: return find_screen_open(a);
	case ACT_FIND_NEXT: return find_live(a) ? find_again(a, 1) : note_screen_open(a, false);
	case ACT_FIND_PREV: return find_again(a, -1);
	case ACT_HISTORY: return history_open(a);
	case ACT_EDIT: return form_edit_row(a, fv->cur);
	case ACT_TOGGLE: return cur_row(a) ? toggle_row(a, cur_row(a)) : rx(0);
	case ACT_REVERT: return revert_row(a);
	case ACT_ADD: return set_form_add(a, fv->cur);
	case ACT_REMOVE: return set_form_remove(a, fv->cur);
	case ACT_UNDO:
	case ACT_REDO: return undo_redo(a, act);
	case ACT_PREVIEW: return preview_open(a, false);
	case ACT_SAVE: return rx(RX_SAVE | RX_REDRAW);
	case ACT_RELOAD: return rx(RX_RELOAD | RX_REDRAW);
	case ACT_HELP: return help_open(a);
	case ACT_OPEN: return picker_open(a);
	case ACT_MESSAGES: return messages_screen_open(a);
	case ACT_NOTE: return note_screen_open(a, false);
	case ACT_QUIT:
		if (model_modified(app_model(a)) > 0 || model_nclashes(app_model(a)) > 0 || desk_note_get(app_desk(a)))
			return rx_push(&quit_screen, NULL);
		return rx(RX_QUIT);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	case ACT_CANCEL: return app_busy(a) ? rx(RX_CANCEL | RX_REDRAW) : rx(0);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

/* The footer's view of the form's keys on the current row. */
static bool form_applies(app *a, void *st, action_id act)
{
	model *m = app_model(a);
	const form_row *r = cur_row(a);
	const cJSON *v = r ? row_value(a, r) : NULL;
	bool edits = save_states[app_save(a)->st].edits;
	bool boolrow = r && (cJSON_IsBool(v) || (r->kind == ROW_FIELD && r->f->kind == FK_BOOL) ||
	                     (r->kind == ROW_MAPKEY && value_custom_is_checkbox(m, r->f, r->sub)));
	(void)st;
	if (changes_edits(act) && !edits)
		return false;
	switch (act) {
	case ACT_EDIT: return r && r->editable && !boolrow;
	case ACT_TOGGLE: return r && r->editable && boolrow;
	case ACT_ADD:
		return r && ((r->kind == ROW_FIELD && r->f->kind == FK_REFSET && r->editable) ||
		             (r->section == SEC_CUSTOM && schema_find("CustomFields") &&
		              schema_field_editable(m->base, schema_find("CustomFields"))));
	case ACT_REMOVE: return r && r->kind == ROW_MAPKEY && r->editable && v;
	case ACT_REVERT: return r && form_row_modified(m, r);
	case ACT_UNDO: return m->undo.n > 0;
	case ACT_REDO: return m->redo.n > 0;
	case ACT_PREVIEW: return model_modified(m) > 0 || model_nclashes(m) > 0;
	case ACT_SAVE: return model_modified(m) > 0 || model_nclashes(m) > 0 || app_save(a)->st != SV_IDLE;
	case ACT_RELOAD: return !save_busy(app_save(a));
	case ACT_CANCEL: return app_busy(a);
	case ACT_FIND_NEXT: return find_live(a);
	case ACT_NOTE: return !find_live(a);
	case ACT_FIND_PREV: return find_last()[0] != 0;
	case ACT_HISTORY: return app_status_cut(a);
	default: return true;
	}
}

/* The name of a person typed by id into Contact person (person_lookup). */
static reaction form_answer(app *a, void *st, int tag, api_result *r)
{
	(void)st;
	return person_answer(a, tag, r);
}

const screen_ops form_screen = {
	.name = "form", .sc = SC_FORM, .modal = false,
	.draw = form_draw, .key = form_key, .free = NULL, .list_done = form_list_done, .applies = form_applies,
	.answer = form_answer,
};

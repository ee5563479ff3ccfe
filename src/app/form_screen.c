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

int form_body_rows(void) { return LINES - HEADER_ROWS - 2 > 1 ? LINES - HEADER_ROWS - 2 : 1; }
int form_label_cols(void) { return COLS / 3 < 24 ? COLS / 3 : 24; }

static form_row *cur_row(app *a)
{
	form_view *fv = app_form(a);
	return fv->cur < fv->rows.n ? &fv->rows.v[fv->cur] : NULL;
}

static bool selectable(const form_row *r) { return r->kind != ROW_SECTION; }

/* ---- drawing ------------------------------------------------------------ */

static void draw_header(app *a)
{
	char buf[512];
	const options *o = app_options(a);
	model *m = app_model(a);
	const cJSON *t = m->base ? json_get_ci(m->base, "Title") : NULL;
	const cJSON *lc = m->base ? json_get_ci(m->base, "LastChanged") : NULL;
	const char *mode = o->conflict == CONFLICT_NONE ? "none" : o->conflict == CONFLICT_STRICT ? "strict" : "fields";
	int n;
	ui_fill(0, 0, COLS, A(HEADER));
	snprintf(buf, sizeof buf, " Ticket %ld: ", app_ticket_id(a));
	ui_puts(0, 0, buf, COLS, A(HEADER) | A_BOLD);
	n = (int)strlen(buf);
	if (cJSON_IsString(t)) {
		move(0, n);
		text_draw(stdscr, t->valuestring, COLS - n - 1, true, A(HEADER) | A_BOLD, A(HEADER) | A(CONTROL_CHAR));
	}
	ui_fill(1, 0, COLS, A(HEADER));
	snprintf(buf, sizeof buf, " %d modified  LastChanged ", m->base ? model_modified(m) : 0);
	ui_puts(1, 0, buf, COLS, A(HEADER));
	n = (int)strlen(buf);
	if (cJSON_IsString(lc)) {  /* to the second; the full value is in Timing */
		char *s = xstrndup(lc->valuestring, 19);
		move(1, n);
		n += text_draw(stdscr, s, COLS - n, true, A(HEADER), A(HEADER) | A(CONTROL_CHAR));
		free(s);
	}
	snprintf(buf, sizeof buf, "  conflict: %s", mode);
	ui_puts(1, n, buf, COLS - n, A(HEADER));
	n += (int)strlen(buf);
	if (o->conflict == CONFLICT_NONE) {
		ui_puts(1, n, " (UNGUARDED)", COLS - n, A(ERROR) | A_BOLD);
		n += 12;
	}
	if (o->dry_run && n + 11 <= COLS)
		ui_puts(1, COLS - 10, " dry-run ", 9, A(HEADER) | A_REVERSE);
	if (m->base && !schema_ticket_updatable(m->base) && n + 11 <= (o->dry_run ? COLS - 10 : COLS))
		ui_puts(1, n + 1, "read-only", 9, A(ERROR) | A_BOLD);
}

/* Whether row R has an open clash (the user has not chosen yet). */
static bool row_clash(const model *m, const form_row *r)
{
	if (r->kind != ROW_FIELD && r->kind != ROW_MAPKEY)
		return false;
	return model_clash_of(m, r->f, r->kind == ROW_MAPKEY ? r->sub : NULL) != NULL;
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
	move(y, 1);
	text_draw(stdscr, r->label, lw - 2, true, la, ui_over(la, A(CONTROL_CHAR)));
	text = form_row_text(m, r, app_lists(a));
	move(y, lw);
	text_draw(stdscr, text, vw, true, va, ui_over(va, A(CONTROL_CHAR)));
	free(text);
}

static void keep_cursor_visible(form_view *fv)
{
	size_t h = (size_t)form_body_rows();
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
	if (i < fv->top || i >= fv->top + (size_t)form_body_rows())
		return -1;
	return HEADER_ROWS + (int)(i - fv->top);
}

static void form_draw(app *a, void *st)
{
	form_view *fv = app_form(a);
	int h = form_body_rows();
	(void)st;
	draw_header(a);
	if (fv->rows.n)
		keep_cursor_visible(fv);
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
	if (cJSON_IsBool(v) || (r->kind == ROW_FIELD && r->f->kind == FK_BOOL))
		return toggle_row(a, r);
	if (r->kind == ROW_FIELD && r->f->kind == FK_ENUM)
		return pick_enum_open(a, r->f, -1);
	if (r->kind == ROW_FIELD && r->f->kind == FK_REFSET)
		return set_screen_open(a, r->f);
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

static reaction form_key(app *a, void *st, action_id act, tkey k)
{
	form_view *fv = app_form(a);
	const save_machine *sv = app_save(a);
	(void)st;
	(void)k;
	if (changes_edits(act) && !save_states[sv->st].edits) {
		app_status(a, ROLE_STATUS, "%s… wait for the answer (Esc cancels)",
		           sv->st == SV_SAVING ? "Saving" : sv->st == SV_RELOADING ? "Reloading" : "Re-reading");
		return rx(RX_REDRAW);
	}
	switch (act) {
	case ACT_UP: move_cursor(fv, -1); break;
	case ACT_DOWN: move_cursor(fv, 1); break;
	case ACT_PAGE_UP: move_cursor(fv, -form_body_rows()); break;
	case ACT_PAGE_DOWN: move_cursor(fv, form_body_rows()); break;
	case ACT_FIRST: fv->cur = 0; move_cursor(fv, 1); move_cursor(fv, -1); break;
	case ACT_LAST: fv->cur = fv->rows.n ? fv->rows.n - 1 : 0; break;
	case ACT_NEXT_FIELD: next_editable(a, 1); break;
	case ACT_PREV_FIELD: next_editable(a, -1); break;
	case ACT_FIND: return find_screen_open(a);
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

const screen_ops form_screen = {
	.name = "form", .sc = SC_FORM, .modal = false,
	.draw = form_draw, .key = form_key, .free = NULL, .list_done = form_list_done, .applies = NULL,
};

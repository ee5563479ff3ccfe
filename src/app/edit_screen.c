/* edit_screen.c — the line editor on one field value (a form row, or the
 * merged value of an open clash on the conflict screen). Enter turns the
 * text into the value (values.h); text that is refused keeps the editor
 * open with the text, the cursor where the problem is, and the reason in
 * the status line. Esc cancels (a clash stays open). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/lineedit.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

typedef struct {
	lineedit le;
	const field_def *f;
	char *sub;      /* map key or NULL */
	char *label;
	char *clash;    /* the clash's path when this edits a merged value, else NULL */
	long row;       /* the form row it edits (drawn on it), or -1: above the status line */
} edit_state;

static void edit_free(void *p)
{
	edit_state *s = p;
	le_free(&s->le);
	free(s->sub);
	free(s->label);
	free(s->clash);
	free(s);
}

static void edit_draw(app *a, void *p)
{
	edit_state *s = p;
	int y = s->row >= 0 ? form_screen_row(a, (size_t)s->row) : -1, x = form_label_cols();
	ui_cursor(true);
	if (y < 0) {  /* a merged value: above the status line, the columns stay in view */
		char lab[200];
		int lw;
		y = LINES - 2 - app_status_rows(a);
		snprintf(lab, sizeof lab, "%s: ", s->label);
		lw = text_width(lab);
		if (lw > COLS / 2)
			lw = COLS / 2;
		ui_fill(y, 0, COLS, ui_attr[ROLE_POPUP]);
		move(y, 0);
		text_draw(stdscr, lab, lw, true, ui_attr[ROLE_POPUP] | A_BOLD, ui_attr[ROLE_CONTROL_CHAR]);
		le_draw(&s->le, stdscr, y, lw, COLS - lw - 1, ui_attr[ROLE_POPUP],
		        ui_attr[ROLE_POPUP] | ui_attr[ROLE_CONTROL_CHAR]);
		return;
	}
	le_draw(&s->le, stdscr, y, x, COLS - x - 1, ui_attr[ROLE_POPUP],
	        ui_attr[ROLE_POPUP] | ui_attr[ROLE_CONTROL_CHAR]);
}

/* Put the cursor at byte POS of the text (on a character boundary). */
static void cursor_at(lineedit *le, size_t pos)
{
	le_apply(le, LE_HOME);
	while (le->cur < pos && le->cur < le->len)
		le_apply(le, LE_RIGHT);
}

static reaction edit_commit(app *a, edit_state *s)
{
	model *m = app_model(a);
	const char *text = le_text(&s->le);
	char err[240], zone[80];
	size_t pos;
	cJSON *v;
	const cJSON *cur;
	long ci;
	if (value_from_text(m, s->f, s->sub, text, app_options(a)->server_timezone, &v, err, sizeof err, &pos) < 0) {
		char *t = text_sanitize(text, 40);
		if (*text)
			app_status(a, ROLE_ERROR, "%s: \"%s\" %s", s->label, t, err[0] ? err : "is refused");
		else
			app_status(a, ROLE_ERROR, "%s %s", s->label, err[0] ? err : "cannot be empty");
		free(t);
		if (pos != (size_t)-1)
			cursor_at(&s->le, pos);
		return rx(RX_REDRAW);  /* stay: fix it or Esc */
	}
	if (s->clash) {
		ci = model_clash_find(m, s->clash);
		if (ci >= 0) {
			model_resolve(m, (size_t)ci, RESOLVE_EDITED, v);
			app_status(a, ROLE_STATUS, "%s: your merged value is kept (the save tests theirs)", s->label);
			return rx(RX_POP | RX_RESOLVED | RX_ROWS | RX_REDRAW);
		}
		cJSON_Delete(v);
		return rx(RX_POP | RX_REDRAW);
	}
	cur = s->sub ? model_map_value(m, s->f, s->sub) : model_value(m, s->f);
	if (cur && json_equal(cur, v)) {
		cJSON_Delete(v);
		app_status(a, ROLE_STATUS, "%s unchanged", s->label);
		return rx(RX_POP | RX_REDRAW);
	}
	if (s->sub)
		model_map_set(m, s->f, s->sub, v);
	else
		model_set(m, s->f, v);
	zone[0] = 0;
	if (!s->sub && s->f->kind == FK_DATE)
		value_date_zone_used(text, zone, sizeof zone);
	app_status(a, ROLE_STATUS, "%s %s%s%s%s", s->label,
	           (s->sub ? model_map_modified(m, s->f, s->sub) : model_is_modified(m, s->f)) ?
	           "changed" : "back to its loaded value", zone[0] ? " (read as " : "", zone,
	           zone[0] ? " time)" : "");
	if (!s->sub && s->f->kind == FK_REF) {  /* a person typed by id: look up the name */
		const cJSON *k = json_get_ci(model_value(m, s->f), s->f->key);
		if (json_is_int32(k))
			return person_lookup(a, s->f, (long)k->valuedouble, rx(RX_POP | RX_ROWS | RX_REDRAW));
	}
	return rx(RX_POP | RX_ROWS | RX_REDRAW);
}

reaction lineedit_key(lineedit *le, action_id act, tkey k)
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
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default:
		if (!TK_IS_TEXT(k))
			return rx(0);
		le_insert(le, (uint32_t)k);
	}
	return rx(RX_REDRAW);
}

static reaction edit_key(app *a, void *p, action_id act, tkey k)
{
	edit_state *s = p;
	if (act == ACT_COMMIT)
		return edit_commit(a, s);
	if (act == ACT_CANCEL) {
		app_status(a, ROLE_STATUS, s->clash ? "Edit cancelled; %s is still open (m, t or e)" : "Edit cancelled",
		           s->label);
		return rx(RX_POP | RX_REDRAW);
	}
	return lineedit_key(&s->le, act, k);
}

static const screen_ops edit_screen = {
	.name = "edit", .sc = SC_EDIT, .modal = true, .draw = edit_draw, .key = edit_key, .free = edit_free,
};

reaction edit_screen_open(app *a, const field_def *f, const char *sub, const char *label, long clash,
                          long row)
{
	edit_state *s = xcalloc(1, sizeof *s);
	char *t = value_edit_text(app_model(a), f, sub);
	le_init(&s->le, t);
	free(t);
	s->f = f;
	s->sub = sub ? xstrdup(sub) : NULL;
	s->label = xstrdup(label);
	s->clash = clash >= 0 ? xstrdup(app_model(a)->clashes[clash].path) : NULL;
	s->row = clash >= 0 ? -1 : row;
	if (!sub && f->kind == FK_REF)
		app_status(a, ROLE_STATUS, "%s: type the %s, Enter accepts, Esc cancels", label, f->key);
	else if (clash >= 0)
		app_status(a, ROLE_STATUS, "Merged %s: starts from mine; Enter keeps it, Esc leaves it open", label);
	else
		app_status(a, ROLE_STATUS, "Editing %s: Enter accepts, Esc cancels", label);
	return rx_push(&edit_screen, s);
}

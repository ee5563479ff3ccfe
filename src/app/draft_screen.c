/* draft_screen.c — a draft of this ticket was found on open (on a terminal,
 * --draft ask): restore it onto the current server copy, discard it, or
 * keep it for later. Restoring merges the draft's edits with the one merge
 * (model.h): edits nobody else changed are kept, edits already there are
 * dropped, clashes open the conflict screen, and entries the draft marked
 * as conflicts come back as conflicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/draft.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

typedef struct {
	cJSON *base, *edits;
	char saved[32];
	char *fields;    /* the edited fields, ", "-separated */
} draft_state;

static void draft_state_free(void *p)
{
	draft_state *s = p;
	cJSON_Delete(s->base);
	cJSON_Delete(s->edits);
	free(s->fields);
	free(s);
}

static void draft_draw(app *a, void *p)
{
	draft_state *s = p;
	int w = 70 < COLS - 2 ? 70 : COLS - 2, y, x, h, n = cJSON_GetArraySize(s->edits);
	char buf[1200];
	char **lines;
	size_t nl, i;
	(void)a;
	snprintf(buf, sizeof buf, "A draft of this ticket from %s: %d edit%s (%s).", s->saved, n,
	         n == 1 ? "" : "s", s->fields);
	nl = text_wrap(buf, w - 4, &lines);
	if (nl > (size_t)(LINES - 8 > 1 ? LINES - 8 : 1))
		nl = (size_t)(LINES - 8 > 1 ? LINES - 8 : 1);
	h = (int)nl + 5;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	ui_box(y, x, h, w, ui_attr[ROLE_POPUP], "Unsaved draft");
	for (i = 0; i < nl; i++)
		ui_puts(y + 1 + (int)i, x + 2, lines[i], w - 4, ui_attr[ROLE_POPUP]);
	text_lines_free(lines, nl);
	ui_puts(y + (int)nl + 2, x + 2, "r: restore it onto the current ticket", w - 4,
	        ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
	ui_puts(y + (int)nl + 3, x + 2, "d: discard it   k or Esc: keep it for later", w - 4,
	        ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
}

/* The draft's base with the rights (TableRight, FieldProperties) of SERVER:
 * edits are restored onto their own base (so none is lost there), each
 * checked against the rights the user has now. */
static cJSON *base_with_rights(const cJSON *dbase, const cJSON *server)
{
	static const char *const rights[] = { "TableRight", "FieldProperties" };
	cJSON *doc = cJSON_IsObject(dbase) ? cJSON_Duplicate(dbase, 1) : cJSON_CreateObject();
	for (size_t i = 0; i < sizeof rights / sizeof rights[0]; i++) {
		const cJSON *r = json_get_ci(server, rights[i]);
		cJSON_DeleteItemFromObjectCaseSensitive(doc, rights[i]);
		if (r)
			cJSON_AddItemToObject(doc, rights[i], cJSON_Duplicate(r, 1));
	}
	return doc;
}

reaction draft_restore_now(app *a, const cJSON *base, const cJSON *edits)
{
	model *m = app_model(a);
	cJSON *server = cJSON_Duplicate(m->base, 1), *dbase;
	model_merge_report rep;
	char skipped[300];
	reaction r;
	int n;
	dbase = base_with_rights(base, server);
	model_free(m);
	n = draft_restore(m, dbase, edits, server, &rep, skipped, sizeof skipped);
	cJSON_Delete(dbase);
	if (n < 0) {
		app_status(a, ROLE_ERROR, "The draft's edits are malformed; nothing restored (the draft is kept)");
		return rx(RX_ROWS | RX_DRAFT_HOLD | RX_REDRAW);
	}
	const cJSON *note = draft_note_entry(edits);
	char nerr[200];
	if (note && desk_note_restore(app_desk(a), note, nerr, sizeof nerr) < 0)
		app_status(a, ROLE_ERROR, "%s: the note is not restored", nerr);
	r = app_merged(a, TRIG_DRAFT, &rep);
	if (skipped[0] && !model_nclashes(m)) {
		char *s = text_sanitize(skipped, 200);
		app_status(a, ROLE_STATUS, "Draft restored: %d edit%s; dropped (no right to edit): %s",
		           model_modified(m), model_modified(m) == 1 ? "" : "s", s);
		free(s);
	}
	r.flags |= RX_DRAFT_RESTORED | RX_ROWS | RX_REDRAW;
	return r;
}

static reaction draft_screen_key(app *a, void *p, action_id act, tkey k)
{
	draft_state *s = p;
	reaction r;
	(void)k;
	switch (act) {
	case ACT_DRAFT_RESTORE:
		r = draft_restore_now(a, s->base, s->edits);
		r.flags |= RX_POP;
		return r;
	case ACT_DISCARD:
		app_status(a, ROLE_STATUS, "Draft discarded");
		return rx(RX_POP | RX_DRAFT_DISCARD | RX_REDRAW);
	case ACT_DRAFT_KEEP:  /* also Esc: the safe choice, nothing is lost */
		app_status(a, ROLE_STATUS, "Draft kept for later; this session's edits are not journaled");
		return rx(RX_POP | RX_DRAFT_HOLD | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default: return rx(0);
	}
}

static const screen_ops draft_screen = {
	.name = "draft", .sc = SC_DRAFT, .modal = true, .draw = draft_draw, .key = draft_screen_key,
	.free = draft_state_free,
};

reaction draft_screen_open(cJSON *base, cJSON *edits, const char *saved_at)
{
	draft_state *s = xcalloc(1, sizeof *s);
	char *f;
	s->base = base;
	s->edits = edits;
	snprintf(s->saved, sizeof s->saved, "%s", saved_at);
	f = draft_fields_text(edits);
	s->fields = text_sanitize(f, -1);
	free(f);
	return rx_push(&draft_screen, s);
}

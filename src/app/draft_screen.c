/* draft_screen.c — a draft of this ticket was found on open (on a terminal,
 * --draft ask): restore it onto the current server copy, discard it, or
 * keep it for later. Restoring merges the draft's edits with the one merge
 * (model.h): edits nobody else changed are kept, edits already there are
 * dropped, clashes open the conflict screen, and entries the draft marked
 * as conflicts come back as conflicts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <curses.h>
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/date.h"
#include "ticketed/draft.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
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

void draft_age_text(const char *saved, char *buf, size_t n)
{
	tdate d;
	char err[64];
	if (date_parse(saved, 0, &d, err, sizeof err) < 0) {
		snprintf(buf, n, "at an unknown time");
		return;
	}
	age_text((time_t)d.utc, buf, n);
}

void age_text(time_t when, char *buf, size_t n)
{
	long sec = (long)(time(NULL) - when);
	if (sec < 0)
		sec = 0;
	if (sec < 120)
		snprintf(buf, n, "%ld s ago", sec);
	else if (sec < 7200)
		snprintf(buf, n, "%ld min ago", sec / 60);
	else if (sec < 172800)
		snprintf(buf, n, "%ld h ago", sec / 3600);
	else
		snprintf(buf, n, "%ld days ago", sec / 86400);
}

/* The prompt's sentence naming the first SHOWN of the draft's fields (the
 * rest counted). */
static char *draft_sentence(const draft_state *s, size_t shown, size_t *total)
{
	char when[64], age[48], *out, *list = xstrdup(""), *t;
	const char *p = s->fields;
	size_t k = 0;
	int n = cJSON_GetArraySize(s->edits);
	t = value_date_minute(s->saved);
	snprintf(when, sizeof when, "%s", t);
	free(t);
	draft_age_text(s->saved, age, sizeof age);
	while (*p) {  /* the fields, ", "-separated */
		const char *e = strstr(p, ", ");
		size_t l = e ? (size_t)(e - p) : strlen(p);
		if (k < shown) {
			char *one = xstrndup(p, l), *nl = xstr_join(list, k ? ", " : "", one);
			free(list);
			free(one);
			list = nl;
		}
		k++;
		p += l + (e ? 2 : 0);
	}
	*total = k;
	if (k > shown) {
		char more[48], *nl;
		snprintf(more, sizeof more, "%sand %zu more", shown ? ", " : "", k - shown);
		nl = xstr_join(list, "", more);
		free(list);
		list = nl;
	}
	out = xmalloc(strlen(list) + 200);
	sprintf(out, "A draft from %s, %s: %d edit%s (%s).", when, age, n, n == 1 ? "" : "s", list);
	free(list);
	return out;
}

static void draft_draw(app *a, void *p)
{
	static const char *const choices[] = {
		"r: restore it onto the ticket", "d: discard it", "k or Esc: keep it for later",
	};
	draft_state *s = p;
	int w = 70 < COLS - 2 ? 70 : COLS - 2, y, x, h, room = LINES - 3 - 2, row;
	char **lines, **cl[3];
	size_t nl, ncl[3], total, shown = (size_t)-1, i, k, nchoice = 0, gap;
	char *text;
	(void)a;
	for (k = 0; k < 3; k++) {
		ncl[k] = text_wrap(choices[k], w - 4, &cl[k]);
		nchoice += ncl[k];
	}
	gap = room >= 9 ? 1 : 0;  /* a blank line between, when there is room */
	for (;;) {  /* name as many fields as fit, the rest counted */
		text = draft_sentence(s, shown, &total);
		nl = text_wrap(text, w - 4, &lines);
		free(text);
		if ((int)(nl + gap + nchoice) <= room || shown == 0)
			break;
		text_lines_free(lines, nl);
		shown = shown > total ? (total ? total - 1 : 0) : shown - 1;
	}
	if ((int)(nl + gap + nchoice) > room)  /* a tiny screen: what fits, choices first */
		nl = room - (int)gap - (int)nchoice > 1 ? (size_t)(room - (int)gap - (int)nchoice) : 1;
	h = (int)(nl + gap + nchoice) + 2;
	y = 1 + (LINES - 3 - h) / 2;
	x = (COLS - w) / 2;
	ui_box(y, x, h, w, ui_attr[ROLE_POPUP], "Unsaved draft");
	for (i = 0; i < nl && (int)i < h - 2; i++)
		ui_puts(y + 1 + (int)i, x + 2, lines[i], w - 4, ui_attr[ROLE_POPUP]);
	row = y + 1 + (int)gap + (int)nl;
	for (k = 0; k < 3; k++) {
		for (i = 0; i < ncl[k] && row < y + h - 1; i++)
			ui_puts(row++, x + 2 + (i ? 3 : 0), cl[k][i], w - 4 - (i ? 3 : 0),
			        ui_attr[ROLE_POPUP] | ui_attr[ROLE_HELP_KEY]);
		text_lines_free(cl[k], ncl[k]);
	}
	text_lines_free(lines, nl);
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

/* pick_screen.c — a pick list over the screen beneath: typing filters
 * (case- and accent-insensitive), Up/Down move, Enter picks (the opener's
 * commit function decides what that means), Esc cancels. Also the openers
 * for a reference's list (from its MDO list) and an enum's names, and the
 * search of a list that is searched rather than fetched (person_new). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/lineedit.h"
#include "ticketed/picklist.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

typedef struct {
	picklist pick;
	long *ids;           /* the id of each item, or NULL */
	pick_commit commit;
	void *ctx;
	void (*ctx_free)(void *);
} pick_state;

static void pick_state_free(void *p)
{
	pick_state *s = p;
	pick_free(&s->pick);
	free(s->ids);
	if (s->ctx_free)
		s->ctx_free(s->ctx);
	free(s);
}

static void pick_screen_draw(app *a, void *p)
{
	pick_state *s = p;
	(void)a;
	pick_draw(&s->pick, ui_attr[ROLE_POPUP], ui_attr[ROLE_POPUP_SELECTED], ui_attr[ROLE_CONTROL_CHAR]);
}

static reaction pick_screen_key(app *a, void *p, action_id act, tkey k)
{
	pick_state *s = p;
	picklist *pl = &s->pick;
	long sel;
	switch (act) {
	case ACT_UP: pick_move(pl, -1); break;
	case ACT_DOWN: pick_move(pl, 1); break;
	case ACT_PAGE_UP: pick_move(pl, -10); break;
	case ACT_PAGE_DOWN: pick_move(pl, 10); break;
	case ACT_FIRST: pick_move(pl, -(long)pl->n); break;
	case ACT_LAST: pick_move(pl, (long)pl->n); break;
	case ACT_LE_BS: pick_backspace(pl); break;
	case ACT_CANCEL:
		app_status(a, ROLE_STATUS, "Cancelled");
		return rx(RX_POP | RX_REDRAW);
	case ACT_COMMIT:
		sel = pick_selected(pl);
		return s->commit(a, s->ctx, sel, sel >= 0 && s->ids ? s->ids[sel] : -1,
		                 sel >= 0 ? pl->items[sel] : NULL, pl->filter);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	default:
		if (!TK_IS_TEXT(k))
			return rx(0);
		pick_type(pl, (uint32_t)k);
	}
	return rx(RX_REDRAW);
}

static const screen_ops pick_screen = {
	.name = "pick", .sc = SC_PICK, .modal = true,
	.draw = pick_screen_draw, .key = pick_screen_key, .free = pick_state_free,
};

reaction pick_screen_open(const char *title, char **items, long *ids, size_t n, long sel,
                          pick_commit commit, void *ctx, void (*ctx_free)(void *))
{
	pick_state *s = xcalloc(1, sizeof *s);
	pick_init(&s->pick, title, (const char *const *)items, n, sel >= 0 && (size_t)sel < n ? items[sel] : NULL);
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
	s->ids = ids;
	s->commit = commit;
	s->ctx = ctx;
	s->ctx_free = ctx_free;
	return rx_push(&pick_screen, s);
}

/* ---- a field's pick list --------------------------------------------------- */

typedef struct {
	const field_def *f;
	char *clash;   /* resolving this clash (its path), or NULL */
} field_ctx;

static void field_ctx_free(void *p)
{
	field_ctx *c = p;
	free(c->clash);
	free(c);
}

static field_ctx *field_ctx_new(app *a, const field_def *f, long clash)
{
	field_ctx *c = xcalloc(1, sizeof *c);
	c->f = f;
	c->clash = clash >= 0 ? xstrdup(app_model(a)->clashes[clash].path) : NULL;
	return c;
}

/* Set the picked value V (taken) of field C->f, or resolve its clash. */
static reaction pick_set(app *a, field_ctx *c, cJSON *v)
{
	model *m = app_model(a);
	const cJSON *cur = model_value(m, c->f);
	bool same;
	if (c->clash) {
		long ci = model_clash_find(m, c->clash);
		if (ci >= 0) {
			model_resolve(m, (size_t)ci, RESOLVE_EDITED, v);
			app_status(a, ROLE_STATUS, "%s: your pick is kept (the save tests theirs)", c->f->label);
			return rx(RX_POP | RX_RESOLVED | RX_ROWS | RX_REDRAW);
		}
		cJSON_Delete(v);
		return rx(RX_POP | RX_REDRAW);
	}
	same = cur && json_equal(cur, v);
	if (!same && c->f->kind == FK_REF && cJSON_IsObject(cur))
		same = json_equal(json_get_ci(cur, c->f->key), json_get_ci(v, c->f->key));
	if (same) {
		cJSON_Delete(v);
		app_status(a, ROLE_STATUS, "%s unchanged", c->f->label);
		return rx(RX_POP | RX_REDRAW);
	}
	model_set(m, c->f, v);
	app_status(a, ROLE_STATUS, "%s %s", c->f->label,
	           model_is_modified(m, c->f) ? "changed" : "back to its loaded value");
	return rx(RX_POP | RX_ROWS | RX_REDRAW);
}

static reaction ref_commit(app *a, void *ctx, long index, long id, const char *item, const char *filter)
{
	field_ctx *c = ctx;
	long typed;
	if (index < 0) {  /* nothing matches: a typed id still works */
		if (value_parse_int32(filter, false, &typed) < 0) {
			app_status(a, ROLE_ERROR, "Nothing matches the filter");
			return rx(RX_REDRAW);
		}
		id = typed;
		item = NULL;
	}
	return pick_set(a, c, value_ref(c->f, id, item));
}

reaction pick_ref_open(app *a, const field_def *f, const cJSON *list, long clash)
{
	const cJSON *v = model_value(app_model(a), f);
	const cJSON *curk = cJSON_IsObject(v) ? json_get_ci(v, f->key) : NULL;
	char **items;
	long *ids, sel;
	size_t n = value_ref_items(f, list, json_is_int32(curk) ? (long)curk->valuedouble : 0,
	                           json_is_int32(curk), &items, &ids, &sel);
	if (!n) {
		free(items);
		free(ids);
		return rx(0);
	}
	app_status(a, ROLE_STATUS, "Pick %s: type to filter, Enter picks, Esc cancels", f->label);
	return pick_screen_open(f->label, items, ids, n, sel, ref_commit, field_ctx_new(a, f, clash),
	                        field_ctx_free);
}

static reaction enum_commit(app *a, void *ctx, long index, long id, const char *item, const char *filter)
{
	(void)id;
	(void)filter;
	if (index < 0) {
		app_status(a, ROLE_ERROR, "Nothing matches the filter");
		return rx(RX_REDRAW);
	}
	return pick_set(a, ctx, cJSON_CreateString(item));
}

reaction pick_enum_open(app *a, const field_def *f, long clash)
{
	const cJSON *v = model_value(app_model(a), f);
	size_t n = 0;
	long sel = -1;
	char **items;
	while (f->enums && f->enums[n])
		n++;
	items = xcalloc(n ? n : 1, sizeof *items);
	for (size_t i = 0; i < n; i++) {
		items[i] = xstrdup(f->enums[i]);
		if (cJSON_IsString(v) && !strcasecmp(v->valuestring, f->enums[i]))
			sel = (long)i;
	}
	app_status(a, ROLE_STATUS, "Pick %s: type to filter, Enter picks, Esc cancels", f->label);
	return pick_screen_open(f->label, items, NULL, n, sel, enum_commit, field_ctx_new(a, f, clash),
	                        field_ctx_free);
}

/* ---- a searched list (person_new) ------------------------------------------ */

/* A tenant's person_new list holds every contact person: it is searched
 * (GET MDOList/person_new?query=WORDS, "Search terms (implies flat=true)"),
 * never fetched whole. The search line sits on the status line; Enter with
 * digits takes them as the id, Enter with words asks the service, whose
 * answer becomes a pick list in this screen's place; Esc cancels. */

enum { TAG_SEARCH = 1 };

typedef struct {
	lineedit le;
	const field_def *f;
	char *label;
	pick_commit commit;
	void *ctx;
	void (*ctx_free)(void *);
	bool waiting;
	char *asked;        /* the words of the search in flight */
} search_state;

static void search_free(void *p)
{
	search_state *s = p;
	le_free(&s->le);
	free(s->label);
	free(s->asked);
	if (s->ctx_free)
		s->ctx_free(s->ctx);
	free(s);
}

static void search_draw(app *a, void *p)
{
	search_state *s = p;
	int y = LINES - 2, lw = text_width(s->label);
	if (app_status_text(a)[0]) {  /* the hint above the search line */
		ui_fill(y - 1, 0, COLS, ui_attr[ROLE_STATUS]);
		move(y - 1, 0);
		text_draw(stdscr, app_status_text(a), COLS, true,
		          app_status_role(a) == ROLE_ERROR ? ui_attr[ROLE_ERROR] : ui_attr[ROLE_STATUS],
		          ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
	}
	if (lw > COLS / 2)
		lw = COLS / 2;
	ui_fill(y, 0, COLS, ui_attr[ROLE_STATUS]);
	move(y, 0);
	text_draw(stdscr, s->label, lw, true, ui_attr[ROLE_STATUS] | A_BOLD, ui_attr[ROLE_CONTROL_CHAR]);
	ui_cursor(true);
	le_draw(&s->le, stdscr, y, lw, COLS - lw - 1, ui_attr[ROLE_STATUS],
	        ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
}

/* TEXT without the blanks around it (malloc'd). */
static char *trim(const char *text)
{
	size_t len;
	while (*text == ' ' || *text == '\t')
		text++;
	len = strlen(text);
	while (len && (text[len - 1] == ' ' || text[len - 1] == '\t'))
		len--;
	return xstrndup(text, len);
}

static reaction search_key(app *a, void *p, action_id act, tkey k)
{
	search_state *s = p;
	char path[128];
	long id;
	if (act == ACT_CANCEL) {
		if (s->waiting)
			return rx(RX_CANCEL | RX_REDRAW);  /* the answer says "cancelled"; the text stays */
		app_status(a, ROLE_STATUS, "Cancelled");
		return rx(RX_POP | RX_REDRAW);
	}
	if (s->waiting)
		return rx(0);
	if (act != ACT_COMMIT)
		return lineedit_key(&s->le, act, k);
	free(s->asked);
	s->asked = trim(le_text(&s->le));
	if (!s->asked[0]) {
		app_status(a, ROLE_ERROR, "Type a name to search for, or an id");
		return rx(RX_REDRAW);
	}
	if (value_parse_int32(s->asked, false, &id) == 0)  /* an id: as typed into a pick list */
		return s->commit(a, s->ctx, -1, -1, NULL, s->asked);
	s->waiting = true;
	{
		char *t = text_sanitize(s->asked, 40);
		app_status(a, ROLE_STATUS, "Searching %s for \"%s\"… (Esc cancels)", s->f->list, t);
		free(t);
	}
	snprintf(path, sizeof path, "MDOList/%s", s->f->list);
	return rx_request(app_get(path, TAG_SEARCH, "query", s->asked, (const char *)NULL));
}

static reaction search_answer(app *a, void *p, int tag, api_result *r)
{
	search_state *s = p;
	const cJSON *v = model_value(app_model(a), s->f), *curk = NULL;
	char **items, title[96], *t;
	long *ids, sel;
	size_t n;
	reaction pk;
	(void)tag;
	s->waiting = false;
	t = text_sanitize(s->asked ? s->asked : "", 40);
	if (!r->ok || !cJSON_IsArray(r->json)) {
		app_status(a, ROLE_ERROR, "Search for \"%s\" failed (%s): type the %s instead", t, r->message, s->f->key);
		free(t);
		return rx(RX_REDRAW);
	}
	app_list_merge(a, s->f->list, r->json);  /* names of what is picked */
	if (s->f->kind == FK_REF && cJSON_IsObject(v))
		curk = json_get_ci(v, s->f->key);
	n = value_ref_items(s->f, r->json, json_is_int32(curk) ? (long)curk->valuedouble : 0, json_is_int32(curk),
	                    &items, &ids, &sel);
	if (!n) {
		free(items);
		free(ids);
		app_status(a, ROLE_STATUS, "Nothing matches \"%s\": other words, or the %s", t, s->f->key);
		free(t);
		return rx(RX_REDRAW);
	}
	snprintf(title, sizeof title, "%s: %s", s->f->label, t);
	app_status(a, ROLE_STATUS, "%zu found for \"%s\": Enter picks, typing filters, Esc cancels", n, t);
	free(t);
	/* the pick list takes this screen's place (and its commit) */
	pk = pick_screen_open(title, items, ids, n, sel, s->commit, s->ctx, s->ctx_free);
	s->ctx = NULL;
	s->ctx_free = NULL;
	pk.flags |= RX_POP;
	return pk;
}

static const screen_ops search_screen = {
	.name = "search", .sc = SC_EDIT, .modal = true, .draw = search_draw, .key = search_key,
	.free = search_free, .answer = search_answer,
};

reaction search_screen_open(app *a, const field_def *f, pick_commit commit, void *ctx, void (*ctx_free)(void *))
{
	search_state *s = xcalloc(1, sizeof *s);
	char label[80];
	le_init(&s->le, NULL);
	snprintf(label, sizeof label, "Find %s: ", f->label);
	s->label = xstrdup(label);
	s->f = f;
	s->commit = commit;
	s->ctx = ctx;
	s->ctx_free = ctx_free;
	app_status(a, ROLE_STATUS, "%s: type a name (Enter searches) or the %s", f->label, f->key);
	return rx_push(&search_screen, s);
}

reaction pick_search_open(app *a, const field_def *f, long clash)
{
	return search_screen_open(a, f, ref_commit, field_ctx_new(a, f, clash), field_ctx_free);
}

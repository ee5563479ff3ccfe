/* pick_screen.c — a pick list over the screen beneath: typing filters
 * (case- and accent-insensitive), Up/Down move, Enter picks (the opener's
 * commit function decides what that means), Esc cancels. Also the openers
 * for a reference's list (from its MDO list) and an enum's names. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/picklist.h"
#include "ticketed/screens.h"
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

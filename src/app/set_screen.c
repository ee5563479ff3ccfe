/* set_screen.c — the collection fields: the element list of a set of
 * references (Tags by Id, SecondaryPersons by PersonId: a adds, d/Del
 * removes, Enter/Esc back; diffed as sets), and adding and removing
 * CustomFields keys from the form. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <curses.h>
#include "ticketed/cfmeta.h"
#include "ticketed/display.h"
#include "ticketed/json.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

typedef struct {
	const field_def *f;
	size_t cur;         /* the selected element */
	bool add_on_open;   /* opened by the form's `a`: start adding at once */
} set_state;

static void set_free(void *p) { free(p); }

/* The index of the element with key ID in the set value V, or -1. */
static long find_elem(const field_def *f, const cJSON *v, long id)
{
	const cJSON *el;
	long i = 0;
	cJSON_ArrayForEach(el, v) {
		const cJSON *k = json_get_ci(el, f->key);
		if (json_is_int32(k) && (long)k->valuedouble == id)
			return i;
		i++;
	}
	return -1;
}

static bool editable(app *a, const field_def *f)
{
	model *m = app_model(a);
	if (schema_field_editable(m->base, f))
		return true;
	app_status(a, ROLE_STATUS, "%s is read-only%s", f->label,
	           schema_ticket_updatable(m->base) ? "" : " (the ticket is read-only)");
	return false;
}

/* Add the element with key ID to set F (only the key member: the server
 * fills in the names, and a name is never sent). Returns the new index. */
static bool add_elem(app *a, const field_def *f, long id, size_t *cur)
{
	model *m = app_model(a);
	const cJSON *v = model_value(m, f);
	cJSON *nv, *el;
	char *t;
	if (find_elem(f, v, id) >= 0) {
		app_status(a, ROLE_STATUS, "%s already has %s %ld", f->label, f->key, id);
		return false;
	}
	nv = cJSON_IsArray(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray();
	el = cJSON_CreateObject();
	cJSON_AddNumberToObject(el, f->key, (double)id);
	cJSON_AddItemToArray(nv, el);
	if (cur)
		*cur = (size_t)cJSON_GetArraySize(nv) - 1;
	t = value_elem_text(f, el, app_lists(a));
	model_set(m, f, nv);
	app_status(a, ROLE_STATUS, "Added %s to %s", t, f->label);
	free(t);
	return true;
}

static void remove_elem(app *a, set_state *s)
{
	model *m = app_model(a);
	const cJSON *v = model_value(m, s->f);
	int n = cJSON_GetArraySize(v);
	cJSON *nv;
	char *t;
	if (!cJSON_IsArray(v) || n == 0 || s->cur >= (size_t)n) {
		app_status(a, ROLE_STATUS, "%s is empty", s->f->label);
		return;
	}
	if (n == 1 && schema_field_mandatory(m->base, s->f)) {
		app_status(a, ROLE_ERROR, "%s is mandatory and cannot be emptied", s->f->label);
		return;
	}
	t = value_elem_text(s->f, cJSON_GetArrayItem(v, (int)s->cur), app_lists(a));
	nv = cJSON_Duplicate(v, 1);
	cJSON_DeleteItemFromArray(nv, (int)s->cur);
	model_set(m, s->f, nv);
	if (s->cur > 0 && s->cur >= (size_t)n - 1)
		s->cur--;
	app_status(a, ROLE_STATUS, "Removed %s from %s (u undoes)", t, s->f->label);
	free(t);
}

/* ---- names of people added by id ------------------------------------------- */

/* A person added by PersonId shows only "(501)" until its name is known:
 * GET Person/{id} (the PersonEntity reference: FullName) asks for it; the
 * name is shown, never sent. The request's tag is the id. */
reaction person_lookup(app *a, const field_def *f, long id, reaction r)
{
	const cJSON *v = model_value(app_model(a), f), *el = NULL;
	char path[48], *known;
	long i;
	if (!f->key || strcmp(f->key, "PersonId") || f->list || id <= 0)
		return r;
	if (f->kind == FK_REFSET)
		el = (i = find_elem(f, v, id)) >= 0 ? cJSON_GetArrayItem(v, (int)i) : NULL;
	else if (cJSON_IsObject(v) && json_is_int32(json_get_ci(v, f->key)) && (long)json_get_ci(v, f->key)->valuedouble == id)
		el = v;
	if (!el)
		return r;
	known = value_elem_text(f, el, app_lists(a));
	if (known[0] != '(') {  /* named already */
		free(known);
		return r;
	}
	free(known);
	snprintf(path, sizeof path, "Person/%ld", id);
	r.flags |= RX_REQUEST | RX_REDRAW;
	r.request = app_get(path, (int)id, "$select", "PersonId,FullName", NULL);
	return r;
}

reaction person_answer(app *a, int tag, api_result *res)
{
	const cJSON *fn = res->ok ? json_get_ci(res->json, "FullName") : NULL;
	const cJSON *pid = res->ok ? json_get_ci(res->json, "PersonId") : NULL;
	if (cJSON_IsString(fn) && fn->valuestring[0] && (!pid || (json_is_int32(pid) && pid->valueint == tag))) {
		char *n = text_sanitize(fn->valuestring, 60);
		app_learn_name(a, "PersonId", tag, fn->valuestring);
		app_status(a, ROLE_STATUS, "PersonId %d is %s", tag, n);
		free(n);
	} else if (res->http_status == 404) {
		app_status(a, ROLE_ERROR, "No person %d on the server (GET Person/%d: 404): check the id (u undoes)",
		           tag, tag);
	} else if (res->curl_code != -1) {  /* not cancelled: say why there is no name */
		app_status(a, ROLE_STATUS, "The name of person %d is unknown (%s)", tag,
		           res->ok ? "no FullName in the answer" : res->message);
	}
	return rx(RX_REDRAW);
}

/* ---- adding: from the list, or a typed id ----------------------------------- */

static reaction elem_commit(app *a, void *ctx, long index, long id, const char *item, const char *filter)
{
	set_state *s = ctx;
	long typed;
	(void)item;
	if (index < 0) {
		if (value_parse_int32(filter, false, &typed) < 0) {
			app_status(a, ROLE_ERROR, "Nothing matches the filter");
			return rx(RX_REDRAW);
		}
		id = typed;
	}
	if (!add_elem(a, s->f, id, &s->cur))
		return rx(RX_POP | RX_REDRAW);
	return person_lookup(a, s->f, id, rx(RX_POP | RX_REDRAW));
}

static reaction id_commit(app *a, void *ctx, const char *text, size_t *errpos)
{
	set_state *s = ctx;
	long id;
	if (value_parse_int32(text, false, &id) < 0) {
		char *t = text_sanitize(text, 40);
		app_status(a, ROLE_ERROR, "\"%s\" is not an id (digits, int32 range)", t);
		free(t);
		return rx(RX_REDRAW);
	}
	if (!add_elem(a, s->f, id, &s->cur))
		return rx(RX_POP | RX_REDRAW);
	return person_lookup(a, s->f, id, rx(RX_POP | RX_REDRAW));
}

static reaction prompt_id(app *a, set_state *s, const char *why)
{
	char label[64], hint[200];
	snprintf(label, sizeof label, "Add %s: ", s->f->key);
	snprintf(hint, sizeof hint, "%sAdd to %s: type the %s, Enter adds, Esc cancels", why, s->f->label, s->f->key);
	return prompt_screen_open(a, label, hint, id_commit, s, NULL);
}

/* The pick list of the list's items not in the set yet. */
static reaction open_set_pick(app *a, set_state *s, const cJSON *list)
{
	const field_def *f = s->f;
	const cJSON *v = model_value(app_model(a), f);
	char **items, title[64];
	long sel, *ids;
	size_t n = value_ref_items(f, list, 0, false, &items, &ids, &sel), i, k = 0;
	for (i = 0; i < n; i++) {
		if (find_elem(f, v, ids[i]) >= 0) {
			free(items[i]);
			continue;
		}
		items[k] = items[i];
		ids[k++] = ids[i];
	}
	if (!k) {
		free(items);
		free(ids);
		app_status(a, ROLE_STATUS, "Every item of the %s list is in %s already", f->list, f->label);
		return rx(RX_REDRAW);
	}
	snprintf(title, sizeof title, "Add to %s", f->label);
	app_status(a, ROLE_STATUS, "Add to %s: type to filter (or an %s), Enter adds, Esc cancels", f->label, f->key);
	return pick_screen_open(title, items, ids, k, -1, elem_commit, s, NULL);
}

static reaction set_add(app *a, set_state *s)
{
	const cJSON *list = s->f->list ? app_list(a, s->f->list) : NULL;
	if (!editable(a, s->f))
		return rx(RX_REDRAW);
	if (app_busy(a)) {
		app_status(a, ROLE_STATUS, "A request is in flight (Esc cancels)");
		return rx(RX_REDRAW);
	}
	if (s->f->search)  /* person_new: searched, never fetched whole */
		return search_screen_open(a, s->f, elem_commit, s, NULL);
	if (s->f->list && !list)
		return rx_list(s->f->list);  /* set_list_done opens the pick list */
	if (list)
		return open_set_pick(a, s, list);
	return prompt_id(a, s, "");
}

static reaction set_list_done(app *a, void *p, const char *name, const cJSON *list, const char *err)
{
	set_state *s = p;
	char why[200];
	(void)name;
	if (list)
		return open_set_pick(a, s, list);
	snprintf(why, sizeof why, "The %s list is unavailable (%s). ", s->f->list, err);
	return prompt_id(a, s, why);
}

/* ---- the screen ------------------------------------------------------------ */

static reaction set_key(app *a, void *p, action_id act, tkey k)
{
	set_state *s = p;
	model *m = app_model(a);
	size_t n = (size_t)cJSON_GetArraySize(model_value(m, s->f));
	(void)k;
	switch (act) {
	case ACT_UP: if (s->cur) s->cur--; break;
	case ACT_DOWN: if (s->cur + 1 < n) s->cur++; break;
	case ACT_PAGE_UP: s->cur = s->cur > 10 ? s->cur - 10 : 0; break;
	case ACT_PAGE_DOWN: s->cur = s->cur + 10 < n ? s->cur + 10 : (n ? n - 1 : 0); break;
	case ACT_FIRST: s->cur = 0; break;
	case ACT_LAST: s->cur = n ? n - 1 : 0; break;
	case ACT_ADD: return set_add(a, s);
	case ACT_REMOVE:
		if (!editable(a, s->f))
			break;
		if (!save_states[app_save(a)->st].edits) {
			app_status(a, ROLE_STATUS, "A request is in flight (Esc cancels)");
			break;
		}
		remove_elem(a, s);
		break;
	case ACT_CLOSE:
		app_status(a, ROLE_STATUS, "%s %s", s->f->label, model_is_modified(m, s->f) ? "changed" : "unchanged");
		return rx(RX_POP | RX_ROWS | RX_REDRAW);
	case ACT_REDRAW: return rx(RX_FULL | RX_REDRAW);
	case ACT_HELP: return help_open(a);
	default: return rx(0);
	}
	return rx(RX_REDRAW);
}

static void set_draw(app *a, void *p)
{
	set_state *s = p;
	const field_def *f = s->f;
	model *m = app_model(a);
	const cJSON *v = model_value(m, f), *b = model_base(m, f), *el;
	int n = cJSON_GetArraySize(v), w = 40, h, y, x, rows, i;
	size_t top = 0;
	bool removed = false;
	char title[160];
	cJSON_ArrayForEach(el, v) {
		char *t = value_elem_text(f, el, app_lists(a));
		if (text_width(t) + 6 > w)
			w = text_width(t) + 6;
		free(t);
	}
	if (w > COLS - 2)
		w = COLS - 2;
	rows = n < 1 ? 1 : n;
	h = rows + 3;
	if (h > LINES - 4)
		h = LINES - 4;
	rows = h - 3;
	if (rows < 1 || w < 10)
		return;
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	if (s->cur >= top + (size_t)rows)
		top = s->cur - (size_t)rows + 1;
	snprintf(title, sizeof title, "%s: %d", f->label, n);
	ui_box(y, x, h, w, ui_attr[ROLE_POPUP], title);
	if (n == 0)
		ui_puts(y + 1, x + 2, "(empty: a adds)", w - 4, ui_attr[ROLE_POPUP]);
	i = 0;
	cJSON_ArrayForEach(el, v) {
		const cJSON *k = json_get_ci(el, f->key);
		size_t idx = (size_t)i++;
		bool added = !json_is_int32(k) || find_elem(f, b, (long)k->valuedouble) < 0;
		attr_t at = idx == s->cur ? ui_attr[ROLE_POPUP_SELECTED] : ui_attr[ROLE_POPUP];
		char *t;
		if (idx < top || idx >= top + (size_t)rows)
			continue;
		ui_fill(y + 1 + (int)(idx - top), x + 1, w - 2, at);
		ui_puts(y + 1 + (int)(idx - top), x + 1, added ? "+" : " ", 1, at | (added ? ui_attr[ROLE_MODIFIED] : 0));
		t = value_elem_text(f, el, app_lists(a));
		move(y + 1 + (int)(idx - top), x + 2);
		text_draw(stdscr, t, w - 4, true, at, at | ui_attr[ROLE_CONTROL_CHAR]);
		free(t);
	}
	cJSON_ArrayForEach(el, b) {  /* whether base elements are gone */
		const cJSON *k = json_get_ci(el, f->key);
		if (json_is_int32(k) && find_elem(f, v, (long)k->valuedouble) < 0)
			removed = true;
	}
	if (removed)
		ui_puts(y + h - 1, x + 2, " some removed (u undoes) ", w - 4, ui_attr[ROLE_POPUP]);
}

static reaction set_opened(app *a, void *p)
{
	set_state *s = p;
	if (!s->add_on_open)
		return rx(0);
	s->add_on_open = false;
	return set_add(a, s);
}

static bool set_applies(app *a, void *p, action_id act)
{
	set_state *s = p;
	model *m = app_model(a);
	bool ed = schema_field_editable(m->base, s->f) && save_states[app_save(a)->st].edits;
	switch (act) {
	case ACT_ADD: return ed;
	case ACT_REMOVE: return ed && cJSON_GetArraySize(model_value(m, s->f)) > 0;
	default: return true;
	}
}

static reaction set_answer(app *a, void *p, int tag, api_result *r)
{
	(void)p;
	return person_answer(a, tag, r);
}

static const screen_ops set_screen = {
	.name = "set", .sc = SC_SET, .modal = true, .draw = set_draw, .key = set_key, .free = set_free,
	.list_done = set_list_done, .opened = set_opened, .applies = set_applies, .answer = set_answer,
};

static set_state *set_new(const field_def *f)
{
	set_state *s = xcalloc(1, sizeof *s);
	s->f = f;
	return s;
}

reaction set_screen_open(app *a, const field_def *f)
{
	if (schema_field_editable(app_model(a)->base, f))
		app_status(a, ROLE_STATUS, "%s: a adds, d removes, Enter or Esc goes back", f->label);
	else
		editable(a, f);
	return rx_push(&set_screen, set_new(f));
}

/* ---- custom fields from the form -------------------------------------------- */

/* A tenant's CustomFields holds every defined custom field (an unset one
 * empty), so `a` offers the defined fields a ticket lacks, if any (when the
 * definitions are known), else a key to type; `x` empties a field (a key
 * added in this session is taken out again). Values are what a person
 * types for the field's type, written as encoded strings (values.h). */

static const field_def *custom_field(void) { return schema_find("CustomFields"); }

/* What to type for a value of a field of kind K (a hint for the prompt). */
static const char *typing_hint(cf_kind k)
{
	switch (k) {
	case CFK_INTEGER: case CFK_MDOLIST: case CFK_RELATION: case CFK_ATTACHMENT: case CFK_TIMESPAN:
		return "a whole number";
	case CFK_DECIMAL: return "a decimal number like 4.5";
	case CFK_DATE: return "a date like 2026-12-24";
	case CFK_DATETIME: return "a date and time like 2026-12-24 14:30";
	case CFK_TIME: return "a time like 14:30";
	case CFK_CHECKBOX: return "yes or no";
	case CFK_UNKNOWN: return "text, or an encoded value such as [I:7], [F:4.5] or [D:12/24/2026]";
	default: return "text";
	}
}

static reaction value_commit(app *a, void *ctx, const char *text, size_t *errpos)
{
	const char *key = ctx;
	const field_def *f = custom_field();
	const cf_field *def = cfmeta_find(app_model(a)->cf, key);
	char err[240], path[300];
	cJSON *v;
	char *s;
	if (value_from_text(app_model(a), f, key, text, NULL, &v, err, sizeof err, errpos) < 0) {
		char *t = text_sanitize(text, 40);
		app_status(a, ROLE_ERROR, "%s: \"%s\" %s", def ? def->label : key, t, err);
		free(t);
		return rx(RX_REDRAW);  /* stay: fix it or Esc */
	}
	model_map_set(app_model(a), f, key, v);
	s = text_sanitize(def ? def->label : key, 40);
	app_status(a, ROLE_STATUS, "Added custom field %s", s);
	free(s);
	snprintf(path, sizeof path, "CustomFields/%s", key);
	{
		reaction r = rx_goto(path);
		r.flags |= RX_POP;
		return r;
	}
}

/* The value prompt for custom field KEY (a new member). */
static reaction prompt_value(app *a, const char *key)
{
	const cf_field *def = cfmeta_find(app_model(a)->cf, key);
	char hint[300];
	char *s = text_sanitize(def ? def->label : key, 40);
	snprintf(hint, sizeof hint, "Value of %s: %s", s, typing_hint(def ? def->kind : CFK_UNKNOWN));
	free(s);
	return prompt_screen_open(a, "Value: ", hint, value_commit, xstrdup(key), free);
}

/* Whether KEY can be a new custom field key; the reason in the status. */
static bool key_ok(app *a, const char *key)
{
	const unsigned char *p;
	if (!*key) {
		app_status(a, ROLE_ERROR, "A custom field key cannot be empty");
		return false;
	}
	for (p = (const unsigned char *)key; *p; p++)
		if (*p < 0x20 || *p == 0x7F) {
			app_status(a, ROLE_ERROR, "A custom field key cannot contain control characters");
			return false;
		}
	if (!utf8_valid(key, strlen(key)) || strlen(key) > 200) {
		app_status(a, ROLE_ERROR, "A custom field key must be valid UTF-8, at most 200 bytes");
		return false;
	}
	if (model_map_value(app_model(a), custom_field(), key)) {
		char *s = text_sanitize(key, 40);
		app_status(a, ROLE_ERROR, "Custom field %s exists already: edit its row instead", s);
		free(s);
		return false;
	}
	return true;
}

static reaction key_commit(app *a, void *ctx, const char *text, size_t *errpos)
{
	reaction r;
	(void)ctx;
	(void)errpos;
	if (!key_ok(a, text))
		return rx(RX_REDRAW);  /* stay: fix the key or Esc */
	r = prompt_value(a, text);
	r.flags |= RX_POP;
	return r;
}

/* The defined field picked from the list of those the ticket lacks. */
static reaction defined_commit(app *a, void *ctx, long index, long id, const char *item, const char *filter)
{
	const cf_meta *cf = app_model(a)->cf;
	reaction r;
	(void)ctx;
	(void)item;
	(void)filter;
	if (index < 0 || !cf || id < 0 || (size_t)id >= cf->n) {
		app_status(a, ROLE_ERROR, "Nothing matches the filter");
		return rx(RX_REDRAW);
	}
	r = prompt_value(a, cf->v[id].name);
	r.flags |= RX_POP;
	return r;
}

/* `a` with the definitions known: the defined fields the ticket lacks. */
static reaction add_defined(app *a)
{
	const cf_meta *cf = app_model(a)->cf;
	const field_def *f = custom_field();
	char **items = xcalloc(cf->n + 1, sizeof *items);
	long *ids = xcalloc(cf->n + 1, sizeof *ids);
	size_t n = 0;
	for (size_t i = 0; i < cf->n; i++) {
		const cf_field *d = &cf->v[i];
		if (d->hidden || d->readonly || model_map_value(app_model(a), f, d->name))
			continue;
		items[n] = xmalloc(strlen(d->label) + strlen(d->name) + 4);
		sprintf(items[n], "%s (%s)", d->label, d->name);
		ids[n++] = (long)i;
	}
	if (!n) {
		free(items);
		free(ids);
		app_status(a, ROLE_STATUS, "Every custom field is on this ticket already: edit its row");
		return rx(RX_REDRAW);
	}
	app_status(a, ROLE_STATUS, "Add a custom field: type to filter, Enter picks, Esc cancels");
	return pick_screen_open("Add custom field", items, ids, n, 0, defined_commit, NULL, NULL);
}

reaction set_form_add(app *a, size_t i)
{
	form_view *fv = app_form(a);
	const form_row *r = i < fv->rows.n ? &fv->rows.v[i] : NULL;
	const field_def *cf = custom_field();
	if (!r)
		return rx(0);
	if (r->kind == ROW_FIELD && r->f->kind == FK_REFSET) {
		set_state *s = set_new(r->f);
		s->add_on_open = true;
		return rx_push(&set_screen, s);
	}
	if (r->section != SEC_CUSTOM || !cf) {
		app_status(a, ROLE_STATUS, "a adds a key under Custom fields, or an element to Tags / Other persons");
		return rx(RX_REDRAW);
	}
	if (!editable(a, cf))
		return rx(RX_REDRAW);
	if (app_model(a)->cf)
		return add_defined(a);
	return prompt_screen_open(a, "New custom key: ", "New custom field: type its key (e.g. x_note), Enter, "
	                          "then its value", key_commit, NULL, NULL);
}

reaction set_form_remove(app *a, size_t i)
{
	form_view *fv = app_form(a);
	model *m = app_model(a);
	const form_row *r = i < fv->rows.n ? &fv->rows.v[i] : NULL;
	char *key, *s, err[240];
	size_t pos;
	cJSON *v;
	if (r && r->kind == ROW_FIELD && r->f->kind == FK_REFSET)
		return set_screen_open(a, r->f);
	if (!r || r->kind != ROW_MAPKEY) {
		app_status(a, ROLE_STATUS, "x empties a custom field; Tags and Other persons: Enter opens the list");
		return rx(RX_REDRAW);
	}
	if (!editable(a, r->f) || !r->editable) {
		if (!r->editable)
			app_status(a, ROLE_STATUS, "%s is read-only", r->label);
		return rx(RX_REDRAW);
	}
	if (!model_map_value(m, r->f, r->sub)) {
		app_status(a, ROLE_STATUS, "%s is removed already (r reverts)", r->label);
		return rx(RX_REDRAW);
	}
	key = xstrdup(r->sub);
	s = text_sanitize(r->label, 40);
	if (!model_map_base(m, r->f, key)) {  /* added in this session: taken out again */
		model_map_set(m, r->f, key, NULL);
		app_status(a, ROLE_STATUS, "Removed custom field %s", s);
	} else if (value_from_text(m, r->f, key, "", NULL, &v, err, sizeof err, &pos) < 0) {
		app_status(a, ROLE_ERROR, "%s %s", s, err);
	} else {
		model_map_set(m, r->f, key, v);
		app_status(a, ROLE_STATUS, "Emptied %s (r reverts, u undoes)", s);
	}
	free(s);
	free(key);
	return rx(RX_REDRAW | RX_ROWS);
}

/* setedit.c — the collection fields: the sub-list screen of a set of
 * references (Tags, Other persons), CustomFields keys added and removed,
 * custom values typed by their JSON type, and the items of a reference's
 * pick list built from its MDO list. See setedit.h. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curses.h>
#include "ticketed/display.h"
#include "ticketed/editor.h"
#include "ticketed/json.h"
#include "ticketed/setedit.h"
#include "ticketed/text.h"

#define A(role) ui_attr[ROLE_##role]

/* ---- reference pick-list items ------------------------------------------ */

typedef struct {
	char **v;
	long *ids;
	size_t n, cap;
} item_acc;

static void items_add(item_acc *a, const char *label, long id)
{
	if (a->n == a->cap) {
		a->cap = a->cap ? a->cap * 2 : 32;
		a->v = realloc(a->v, a->cap * sizeof *a->v);
		a->ids = realloc(a->ids, a->cap * sizeof *a->ids);
	}
	a->v[a->n] = strdup(label);
	a->ids[a->n++] = id;
}

/* An MDO item's name: FullName (the full path for categories) if set, else Name. */
static const char *item_name(const cJSON *it)
{
	const cJSON *fn = json_get_ci(it, "FullName"), *nm = json_get_ci(it, "Name");
	if (cJSON_IsString(fn) && fn->valuestring[0])
		return fn->valuestring;
	return cJSON_IsString(nm) ? nm->valuestring : "";
}

static bool item_id(const cJSON *it, long *id)
{
	const cJSON *j = json_get_ci(it, "Id");
	if (!json_is_int32(j))
		return false;
	*id = (long)j->valuedouble;
	return true;
}

/* Items of ARR and, depth first, of their ChildItems (a hierarchical list:
 * a child's short name gets its parent's path in front). */
static void add_tree(item_acc *a, const cJSON *arr, const char *prefix, long current, bool have,
                     long *sel, int depth)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, arr) {
		const char *name = item_name(it);
		size_t pl = strlen(prefix);
		char path[600], label[700];
		long id;
		bool deleted = cJSON_IsTrue(json_get_ci(it, "Deleted"));
		const cJSON *kids = json_get_ci(it, "ChildItems");
		if (!item_id(it, &id))
			continue;
		if (pl && strncmp(name, prefix, pl) != 0)
			snprintf(path, sizeof path, "%s/%s", prefix, name);
		else
			snprintf(path, sizeof path, "%s", name);
		if (!deleted || (have && id == current)) {
			snprintf(label, sizeof label, "%s (%ld)%s", path, id, deleted ? " \u2013 deleted" : "");
			if (have && id == current && *sel < 0)
				*sel = (long)a->n;
			items_add(a, label, id);
		}
		if (cJSON_IsArray(kids) && depth < 16)
			add_tree(a, kids, path, current, have, sel, depth + 1);
	}
}

size_t setedit_ref_items(const field_def *f, const cJSON *list, long current, bool have_current,
                         char ***items, long **ids, long *sel)
{
	item_acc a = { NULL, NULL, 0, 0 };
	*sel = -1;
	if (!strcasecmp(f->name, "OwnedBy")) {  /* api-notes §8: the two magic ids */
		if (have_current && current == 0)
			*sel = 0;
		items_add(&a, "Unassigned (0)", 0);
		if (have_current && current == SETEDIT_OWNER_AUTO)
			*sel = 1;
		items_add(&a, "Automatic (2147483647)", SETEDIT_OWNER_AUTO);
	}
	add_tree(&a, list, "", current, have_current, sel, 0);
	*items = a.v;
	*ids = a.ids;
	return a.n;
}

const char *setedit_list_name(const cJSON *list, long id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		long k;
		if (item_id(it, &k) && k == id)
			return item_name(it);
	}
	return NULL;
}

/* ---- shared helpers ------------------------------------------------------ */

static bool parse_id(const char *s, long *out)
{
	char *end;
	long long v;
	if (!*s || strspn(s, "0123456789") != strlen(s) || strlen(s) > 10)
		return false;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno || *end || v > INT32_MAX)
		return false;
	*out = (long)v;
	return true;
}

static const field_def *set_field(ed *e) { return e->rows.v[e->set_row].f; }

static const cJSON *set_list(ed *e)
{
	const field_def *f = set_field(e);
	return f->list ? json_get(e->lists, f->list) : NULL;
}

/* "Name <email> (id)" for one element of a set. */
static char *elem_text(ed *e, const field_def *f, const cJSON *el)
{
	const cJSON *k = json_get_ci(el, f->key), *d = f->display ? json_get_ci(el, f->display) : NULL;
	const cJSON *mail = json_get_ci(el, "Email");
	const char *name = NULL;
	char buf[800];
	long id = json_is_int32(k) ? (long)k->valuedouble : 0;
	if (cJSON_IsString(d) && d->valuestring[0])
		name = d->valuestring;
	else if (cJSON_IsString(json_get_ci(el, "Name")) && json_get_ci(el, "Name")->valuestring[0])
		name = json_get_ci(el, "Name")->valuestring;
	else if (json_is_int32(k) && set_list(e))
		name = setedit_list_name(set_list(e), id);
	if (!json_is_int32(k)) {
		char *s = json_print(el, false);
		snprintf(buf, sizeof buf, "%s", s ? s : "?");
		free(s);
	} else if (cJSON_IsString(mail) && mail->valuestring[0])
		snprintf(buf, sizeof buf, "%s <%s> (%ld)", name ? name : "", mail->valuestring, id);
	else if (name)
		snprintf(buf, sizeof buf, "%s (%ld)", name, id);
	else
		snprintf(buf, sizeof buf, "(%ld)", id);
	return strdup(buf);
}

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

static bool set_editable(ed *e, const field_def *f)
{
	if (schema_field_editable(e->m.base, f))
		return true;
	ed_status(e, ROLE_STATUS, "%s is read-only%s", f->label,
	          schema_ticket_updatable(e->m.base) ? "" : " (the ticket is read-only)");
	return false;
}

/* Add the element with key ID to the set (only the key member: the server
 * fills in the names, and a name is never sent). */
static void add_elem(ed *e, long id)
{
	const field_def *f = set_field(e);
	const cJSON *v = model_value(&e->m, f);
	cJSON *nv, *el;
	char *t;
	if (find_elem(f, v, id) >= 0) {
		ed_status(e, ROLE_STATUS, "%s already has %s %ld", f->label, f->key, id);
		return;
	}
	nv = cJSON_IsArray(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray();
	el = cJSON_CreateObject();
	cJSON_AddNumberToObject(el, f->key, (double)id);
	cJSON_AddItemToArray(nv, el);
	e->set_cur = (size_t)cJSON_GetArraySize(nv) - 1;
	t = elem_text(e, f, el);
	model_set(&e->m, f, nv);
	ed_status(e, ROLE_STATUS, "Added %s to %s", t, f->label);
	free(t);
}

static void remove_elem(ed *e)
{
	const field_def *f = set_field(e);
	const cJSON *v = model_value(&e->m, f);
	int n = cJSON_GetArraySize(v);
	cJSON *nv;
	char *t;
	if (!cJSON_IsArray(v) || n == 0 || e->set_cur >= (size_t)n) {
		ed_status(e, ROLE_STATUS, "%s is empty", f->label);
		return;
	}
	if (n == 1 && schema_field_mandatory(e->m.base, f)) {
		ed_status(e, ROLE_ERROR, "%s is mandatory and cannot be emptied", f->label);
		return;
	}
	t = elem_text(e, f, cJSON_GetArrayItem(v, (int)e->set_cur));
	nv = cJSON_Duplicate(v, 1);
	cJSON_DeleteItemFromArray(nv, (int)e->set_cur);
	model_set(&e->m, f, nv);
	if (e->set_cur > 0 && e->set_cur >= (size_t)n - 1)
		e->set_cur--;
	ed_status(e, ROLE_STATUS, "Removed %s from %s (u undoes)", t, f->label);
	free(t);
}

/* Open the one-line prompt K with HINT in the status line. */
static void open_prompt(ed *e, prompt_kind k, const char *hint)
{
	le_init(&e->le, NULL);
	e->prompt = (int)k;
	ed_push(e, SCR_PROMPT);
	ed_status(e, ROLE_STATUS, "%s", hint);
}

/* ---- the sub-list screen ------------------------------------------------- */

/* form.h's namer: a set element's name from the cached MDO list. */
static const char *list_namer(const field_def *f, long id, void *ctx)
{
	ed *e = ctx;
	const cJSON *l = f->list ? json_get(e->lists, f->list) : NULL;
	return l ? setedit_list_name(l, id) : NULL;
}

reaction setedit_open(ed *e, size_t row)
{
	const field_def *f = e->rows.v[row].f;
	form_set_namer(list_namer, e);  /* tags added by Id show their names in the form */
	e->set_row = row;
	e->set_cur = 0;
	ed_push(e, SCR_SET);
	if (schema_field_editable(e->m.base, f))
		ed_status(e, ROLE_STATUS, "%s: a adds, d removes, Enter or Esc goes back", f->label);
	else
		ed_status(e, ROLE_STATUS, "%s is read-only%s", f->label,
		          schema_ticket_updatable(e->m.base) ? "" : " (the ticket is read-only)");
	return RX_REDRAW;
}

/* The pick list of tags not in the set yet. */
static bool open_set_pick(ed *e, const cJSON *list)
{
	const field_def *f = set_field(e);
	const cJSON *v = model_value(&e->m, f);
	char **items;
	long sel, *ids;
	size_t n = setedit_ref_items(f, list, 0, false, &items, &ids, &sel), i, k = 0;
	for (i = 0; i < n; i++) {
		if (find_elem(f, v, ids[i]) >= 0) {
			free(items[i]);
			continue;
		}
		items[k] = items[i];
		ids[k++] = ids[i];
	}
	if (k)
		pick_init(&e->pick, "Add to Tags", (const char *const *)items, k, NULL);
	for (i = 0; i < k; i++)
		free(items[i]);
	free(items);
	if (!k) {
		free(ids);
		ed_status(e, ROLE_STATUS, "Every item of the %s list is in %s already", f->list, f->label);
		return false;
	}
	free(e->pick_ids);
	e->pick_ids = ids;
	ed_push(e, SCR_SETPICK);
	ed_status(e, ROLE_STATUS, "Add to %s: type to filter (or an %s), Enter adds, Esc cancels", f->label, f->key);
	return true;
}

static reaction set_add(ed *e)
{
	const field_def *f = set_field(e);
	const cJSON *list = set_list(e);
	if (!set_editable(e, f))
		return RX_REDRAW;
	if (ed_busy(e)) {
		ed_status(e, ROLE_STATUS, "A request is in flight (Esc cancels)");
		return RX_REDRAW;
	}
	if (f->list && !list) {
		e->list_row = e->set_row;
		return RX_LIST | RX_REDRAW;  /* setedit_list_done opens the pick list */
	}
	if (list) {
		open_set_pick(e, list);
		return RX_REDRAW;
	}
	{
		char hint[160];
		snprintf(hint, sizeof hint, "Add to %s: type the %s, Enter adds, Esc cancels", f->label, f->key);
		open_prompt(e, PROMPT_SET_ID, hint);
	}
	return RX_REDRAW;
}

void setedit_list_done(ed *e, api_result *r)
{
	const field_def *f = set_field(e);
	if (r->ok && cJSON_IsArray(r->json)) {
		if (!e->lists)
			e->lists = cJSON_CreateObject();
		cJSON_AddItemToObject(e->lists, f->list, api_result_take_json(r));
		open_set_pick(e, json_get(e->lists, f->list));
		return;
	}
	open_prompt(e, PROMPT_SET_ID, "");
	ed_status(e, ROLE_ERROR, "The %s list is unavailable (%s): type the %s", f->list, r->message, f->key);
}

reaction setedit_key(ed *e, action_id act, tkey k)
{
	const field_def *f = set_field(e);
	size_t n = (size_t)cJSON_GetArraySize(model_value(&e->m, f));
	(void)k;
	switch (act) {
	case ACT_UP: if (e->set_cur) e->set_cur--; break;
	case ACT_DOWN: if (e->set_cur + 1 < n) e->set_cur++; break;
	case ACT_PAGE_UP: e->set_cur = e->set_cur > 10 ? e->set_cur - 10 : 0; break;
	case ACT_PAGE_DOWN: e->set_cur = e->set_cur + 10 < n ? e->set_cur + 10 : (n ? n - 1 : 0); break;
	case ACT_FIRST: e->set_cur = 0; break;
	case ACT_LAST: e->set_cur = n ? n - 1 : 0; break;
	case ACT_ADD: return set_add(e);
	case ACT_REMOVE:
		if (!set_editable(e, f))
			break;
		if (ed_busy(e)) {
			ed_status(e, ROLE_STATUS, "A request is in flight (Esc cancels)");
			break;
		}
		remove_elem(e);
		break;
	case ACT_CLOSE:
		if (e->req_list) {  /* the tags list still loading: nobody wants it now */
			api_cancel(e->api, e->req_list);
			e->req_list = 0;
		}
		ed_pop(e);
		ed_status(e, ROLE_STATUS, "%s %s", f->label, model_is_modified(&e->m, f) ? "changed" : "unchanged");
		return RX_REDRAW | RX_ROWS;
	case ACT_REDRAW: return RX_FULL | RX_REDRAW;
	default: return RX_NONE;
	}
	return RX_REDRAW;
}

void setedit_draw(ed *e)
{
	const field_def *f = set_field(e);
	const cJSON *v = model_value(&e->m, f), *b = model_base(&e->m, f), *el;
	int n = cJSON_GetArraySize(v), w = 40, h, y, x, rows, i;
	size_t top = 0;
	char title[160];
	screen_table[SCR_FORM].draw(e);
	cJSON_ArrayForEach(el, v) {
		char *t = elem_text(e, f, el);
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
	if (e->set_cur >= top + (size_t)rows)
		top = e->set_cur - (size_t)rows + 1;
	snprintf(title, sizeof title, "%s: %d", f->label, n);
	ui_box(y, x, h, w, A(POPUP), title);
	if (n == 0)
		ui_puts(y + 1, x + 2, "(empty: a adds)", w - 4, A(POPUP));
	i = 0;
	cJSON_ArrayForEach(el, v) {
		const cJSON *k = json_get_ci(el, f->key);
		size_t idx = (size_t)i++;
		bool added = !json_is_int32(k) || find_elem(f, b, (long)k->valuedouble) < 0;
		attr_t a = idx == e->set_cur ? A(POPUP_SELECTED) : A(POPUP);
		char *t;
		if (idx < top || idx >= top + (size_t)rows)
			continue;
		ui_fill(y + 1 + (int)(idx - top), x + 1, w - 2, a);
		ui_puts(y + 1 + (int)(idx - top), x + 1, added ? "+" : " ", 1, a | (added ? A(MODIFIED) : 0));
		t = elem_text(e, f, el);
		move(y + 1 + (int)(idx - top), x + 2);
		text_draw(stdscr, t, w - 4, true, a, a | A(CONTROL_CHAR));
		free(t);
	}
	cJSON_ArrayForEach(el, b) {  /* how many base elements are gone */
		const cJSON *k = json_get_ci(el, f->key);
		if (json_is_int32(k) && find_elem(f, v, (long)k->valuedouble) < 0)
			i = -1;
	}
	if (i < 0)
		ui_puts(y + h - 1, x + 2, " some removed (u undoes) ", w - 4, A(POPUP));
	ui_cursor(false);
}

/* ---- adding a tag from the list ------------------------------------------ */

void setpick_draw(ed *e)
{
	setedit_draw(e);
	pick_draw(&e->pick, A(POPUP), A(POPUP_SELECTED), A(CONTROL_CHAR));
}

reaction setpick_key(ed *e, action_id act, tkey k)
{
	long sel, id;
	switch (act) {
	case ACT_COMMIT:
		sel = pick_selected(&e->pick);
		if (sel < 0 && !parse_id(e->pick.filter, &id)) {
			ed_status(e, ROLE_ERROR, "Nothing matches the filter");
			return RX_REDRAW;
		}
		if (sel >= 0)
			id = e->pick_ids[sel];
		ed_pick_close(e);
		add_elem(e, id);
		return RX_REDRAW;
	default:
		return ed_picklist_key(e, act, k);
	}
}

/* ---- custom fields -------------------------------------------------------- */

static const field_def *custom_field(void) { return schema_find("CustomFields"); }

reaction setedit_form_add(ed *e)
{
	const form_row *r = e->cur < e->rows.n ? &e->rows.v[e->cur] : NULL;
	const field_def *cf = custom_field();
	if (!r)
		return RX_NONE;
	if (r->kind == ROW_FIELD && r->f->kind == FK_REFSET) {
		setedit_open(e, e->cur);
		return set_add(e);
	}
	if (r->section != SEC_CUSTOM || !cf) {
		ed_status(e, ROLE_STATUS, "a adds a key under Custom fields, or an element to Tags / Other persons");
		return RX_REDRAW;
	}
	if (!set_editable(e, cf))
		return RX_REDRAW;
	open_prompt(e, PROMPT_CF_KEY, "New custom field: type its key (e.g. x_note), Enter, then its value");
	return RX_REDRAW;
}

reaction setedit_form_remove(ed *e)
{
	const form_row *r = e->cur < e->rows.n ? &e->rows.v[e->cur] : NULL;
	if (r && r->kind == ROW_FIELD && r->f->kind == FK_REFSET)
		return setedit_open(e, e->cur);
	if (!r || r->kind != ROW_MAPKEY) {
		ed_status(e, ROLE_STATUS, "x removes a custom field key; Tags and Other persons: Enter opens the list");
		return RX_REDRAW;
	}
	if (!set_editable(e, r->f))
		return RX_REDRAW;
	if (!model_map_value(&e->m, r->f, r->sub)) {
		ed_status(e, ROLE_STATUS, "%s is removed already (r reverts)", r->label);
		return RX_REDRAW;
	}
	{
		char *key = strdup(r->sub);
		bool in_base = model_map_base(&e->m, r->f, key) != NULL;
		model_map_set(&e->m, r->f, key, NULL);
		ed_status(e, ROLE_STATUS, "Removed custom field %s%s", key, in_base ? " (r reverts, u undoes)" : "");
		free(key);
	}
	return RX_REDRAW | RX_ROWS;
}

cJSON *setedit_parse_value(const char *text, char *err, size_t errlen)
{
	size_t len = strlen(text);
	const char *p = text;
	char perr[200];
	cJSON *v;
	while (*p == ' ')
		p++;
	len = strlen(p);
	while (len && p[len - 1] == ' ')
		len--;
	if (len && p[0] == '"') {
		v = json_parse(p, len, "value", perr, sizeof perr);
		if (!cJSON_IsString(v)) {
			cJSON_Delete(v);
			snprintf(err, errlen, "a quoted value must be one JSON string (\"text\")");
			return NULL;
		}
		return v;
	}
	v = len ? json_parse(p, len, "value", perr, sizeof perr) : NULL;
	if (v && (cJSON_IsNumber(v) || cJSON_IsBool(v) || cJSON_IsNull(v)))
		return v;
	cJSON_Delete(v);
	return cJSON_CreateString(text);  /* bare text is a string, as typed */
}

cJSON *setedit_map_value(ed *e, const form_row *r, const char *text)
{
	const cJSON *cur = model_map_value(&e->m, r->f, r->sub);
	char err[200], *s;
	cJSON *v;
	if (cJSON_IsString(cur))
		return cJSON_CreateString(text);
	if (cJSON_IsNumber(cur)) {
		v = setedit_parse_value(text, err, sizeof err);
		if (cJSON_IsNumber(v) && isfinite(v->valuedouble))
			return v;
		cJSON_Delete(v);
		s = text_sanitize(text, 40);
		ed_status(e, ROLE_ERROR, "%s: \"%s\" is not a number (x removes the key)", r->label, s);
		free(s);
		return NULL;
	}
	v = setedit_parse_value(text, err, sizeof err);  /* null, absent: any type */
	if (!v)
		ed_status(e, ROLE_ERROR, "%s: %s", r->label, err);
	return v;
}

/* ---- the one-line prompt -------------------------------------------------- */

static const char *prompt_label(ed *e, char *buf, size_t n)
{
	switch ((prompt_kind)e->prompt) {
	case PROMPT_SET_ID: snprintf(buf, n, "Add %s: ", set_field(e)->key); break;
	case PROMPT_CF_KEY: snprintf(buf, n, "New custom key: "); break;
	case PROMPT_CF_VALUE: snprintf(buf, n, "Value: "); break;
	}
	return buf;
}

void prompt_draw(ed *e)
{
	char lab[64];
	int y = LINES - 2, lw;
	if (e->prompt == PROMPT_SET_ID)
		setedit_draw(e);
	else
		screen_table[SCR_FORM].draw(e);
	prompt_label(e, lab, sizeof lab);
	lw = (int)strlen(lab);
	if (e->status[0]) {  /* the hint above the prompt line */
		ui_fill(y - 1, 0, COLS, A(STATUS));
		move(y - 1, 0);
		text_draw(stdscr, e->status, COLS, true, e->status_role == ROLE_ERROR ? A(ERROR) : A(STATUS),
		          A(STATUS) | A(CONTROL_CHAR));
	}
	ui_fill(y, 0, COLS, A(STATUS));
	ui_puts(y, 0, lab, COLS, A(STATUS) | A_BOLD);
	ui_cursor(true);
	le_draw(&e->le, stdscr, y, lw, COLS - lw - 1, A(STATUS), A(STATUS) | A(CONTROL_CHAR));
}

static void prompt_close(ed *e)
{
	le_free(&e->le);
	ed_pop(e);
}

static bool key_ok(ed *e, const char *key)
{
	const unsigned char *p;
	if (!*key) {
		ed_status(e, ROLE_ERROR, "A custom field key cannot be empty");
		return false;
	}
	for (p = (const unsigned char *)key; *p; p++)
		if (*p < 0x20 || *p == 0x7F) {
			ed_status(e, ROLE_ERROR, "A custom field key cannot contain control characters");
			return false;
		}
	if (!utf8_valid(key, strlen(key)) || strlen(key) > 200) {
		ed_status(e, ROLE_ERROR, "A custom field key must be valid UTF-8, at most 200 bytes");
		return false;
	}
	if (model_map_value(&e->m, custom_field(), key)) {
		char *s = text_sanitize(key, 40);
		ed_status(e, ROLE_ERROR, "Custom field %s exists already: edit its row instead", s);
		free(s);
		return false;
	}
	return true;
}

/* Put the cursor on the custom field row KEY after the rows changed. */
static void goto_custom_row(ed *e, const char *key)
{
	char path[300];
	long i;
	snprintf(path, sizeof path, "CustomFields/%s", key);
	ed_rebuild_rows(e);
	i = form_find_path(&e->rows, path);
	if (i >= 0)
		e->cur = (size_t)i;
}

static reaction prompt_commit(ed *e)
{
	const char *t = le_text(&e->le);
	char err[200];
	long id;
	cJSON *v;
	switch ((prompt_kind)e->prompt) {
	case PROMPT_SET_ID:
		if (!parse_id(t, &id)) {
			char *s = text_sanitize(t, 40);
			ed_status(e, ROLE_ERROR, "\"%s\" is not an id (digits, int32 range)", s);
			free(s);
			return RX_REDRAW;
		}
		prompt_close(e);
		add_elem(e, id);
		return RX_REDRAW;
	case PROMPT_CF_KEY:
		if (!key_ok(e, t))
			return RX_REDRAW;  /* stay: fix the key or Esc */
		free(e->cf_key);
		e->cf_key = strdup(t);
		le_free(&e->le);
		le_init(&e->le, NULL);
		e->prompt = PROMPT_CF_VALUE;
		{
			char *s = text_sanitize(e->cf_key, 40);
			ed_status(e, ROLE_STATUS, "Value of %s: \"text\" or plain text, a number, true, false or null", s);
			free(s);
		}
		return RX_REDRAW;
	case PROMPT_CF_VALUE:
		v = setedit_parse_value(t, err, sizeof err);
		if (!v) {
			ed_status(e, ROLE_ERROR, "%s", err);
			return RX_REDRAW;
		}
		prompt_close(e);
		model_map_set(&e->m, custom_field(), e->cf_key, v);
		goto_custom_row(e, e->cf_key);
		{
			char *s = text_sanitize(e->cf_key, 40);
			ed_status(e, ROLE_STATUS, "Added custom field %s", s);
			free(s);
		}
		free(e->cf_key);
		e->cf_key = NULL;
		return RX_REDRAW;
	}
	return RX_REDRAW;
}

reaction prompt_key(ed *e, action_id act, tkey k)
{
	if (act == ACT_COMMIT)
		return prompt_commit(e);
	if (act == ACT_CANCEL) {
		prompt_close(e);
		free(e->cf_key);
		e->cf_key = NULL;
		ed_status(e, ROLE_STATUS, "Cancelled");
		return RX_REDRAW;
	}
	return ed_lineedit_key(&e->le, act, k);
}

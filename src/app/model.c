/* model.c — base document, per-field edits, undo/redo, patch (no curses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/servertz.h"
#include "ticketed/date.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/xalloc.h"

static cJSON *dup_or_null(const cJSON *v) { return v ? cJSON_Duplicate(v, 1) : NULL; }

void model_init(model *m, cJSON *base)
{
	memset(m, 0, sizeof *m);
	m->base = base;
}

static void stack_clear(model_stack *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		cJSON_Delete(s->v[i].was);
	s->n = 0;
}

static void edits_clear(model *m)
{
	size_t i;
	for (i = 0; i < m->nedits; i++)
		cJSON_Delete(m->edits[i].value);
	m->nedits = 0;
}

static void clash_free(model_clash *c)
{
	free(c->sub);
	free(c->label);
	free(c->path);
	cJSON_Delete(c->basis);
}

static void clashes_clear(model *m)
{
	size_t i;
	for (i = 0; i < m->nclashes; i++)
		clash_free(&m->clashes[i]);
	free(m->clashes);
	m->clashes = NULL;
	m->nclashes = 0;
}

void model_free(model *m)
{
	edits_clear(m);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
	clashes_clear(m);
	free(m->edits);
	free(m->undo.v);
	free(m->redo.v);
	cJSON_Delete(m->base);
	memset(m, 0, sizeof *m);
}

static model_edit *find_edit(const model *m, const field_def *f)
{
	size_t i;
	for (i = 0; i < m->nedits; i++)
		if (m->edits[i].f == f)
			return &m->edits[i];
	return NULL;
}

const cJSON *model_base(const model *m, const field_def *f)
{
	return m->base ? json_get_ci(m->base, f->name) : NULL;
}

const cJSON *model_value(const model *m, const field_def *f)
{
	const model_edit *e = find_edit(m, f);
	return e ? e->value : model_base(m, f);
}

const char *model_key(const model *m, const field_def *f)
{
	const cJSON *b = model_base(m, f);
	return b && b->string ? b->string : f->name;
}

bool model_is_modified(const model *m, const field_def *f)
{
	return find_edit(m, f) != NULL;
}

/* Set F's edited state without touching the undo history. */
static void put(model *m, const field_def *f, bool modified, cJSON *value)
{
	model_edit *e = find_edit(m, f);
	if (modified && json_equal(value, model_base(m, f))) {
		modified = false;
	}
	if (!modified) {
		cJSON_Delete(value);
		if (e) {
			cJSON_Delete(e->value);
			*e = m->edits[--m->nedits];
		}
		return;
	}
	if (e) {
		cJSON_Delete(e->value);
		e->value = value;
		return;
	}
	if (m->nedits == m->capedits) {
		m->capedits = m->capedits ? m->capedits * 2 : 8;
		m->edits = xreallocarray(m->edits, m->capedits, sizeof *m->edits);
	}
	m->edits[m->nedits].f = f;
	m->edits[m->nedits].value = value;
	m->nedits++;
}

/* Push F's current edited state onto S. */
static void push_state(const model *m, model_stack *s, const field_def *f)
{
	const model_edit *e = find_edit(m, f);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n].f = f;
	s->v[s->n].was_modified = e != NULL;
	s->v[s->n].was = e ? dup_or_null(e->value) : NULL;
	s->n++;
}

void model_set(model *m, const field_def *f, cJSON *value)
{
	push_state(m, &m->undo, f);
	stack_clear(&m->redo);
	put(m, f, true, value);
}

bool model_revert(model *m, const field_def *f)
{
	if (!find_edit(m, f))
		return false;
	push_state(m, &m->undo, f);
	stack_clear(&m->redo);
	put(m, f, false, NULL);
	return true;
}

/* Pop a step from FROM, saving the current state on TO. */
static const field_def *step(model *m, model_stack *from, model_stack *to)
{
	model_step st;
	if (from->n == 0)
		return NULL;
	st = from->v[--from->n];
	push_state(m, to, st.f);
	put(m, st.f, st.was_modified, st.was);
	return st.f;
}

const field_def *model_undo(model *m) { return step(m, &m->undo, &m->redo); }
const field_def *model_redo(model *m) { return step(m, &m->redo, &m->undo); }

const cJSON *model_map_base(const model *m, const field_def *f, const char *key)
{
	const cJSON *b = model_base(m, f);
	return cJSON_IsObject(b) ? json_get(b, key) : NULL;
}

const cJSON *model_map_value(const model *m, const field_def *f, const char *key)
{
	const cJSON *v = model_value(m, f);
	return cJSON_IsObject(v) ? json_get(v, key) : NULL;
}

bool model_map_modified(const model *m, const field_def *f, const char *key)
{
	if (!find_edit(m, f))
		return false;
	return !json_equal(model_map_base(m, f, key), model_map_value(m, f, key));
}

/* Copy of MAP with KEY set to VALUE (taken; NULL removes it). */
static cJSON *map_with(const cJSON *map, const char *key, cJSON *value)
{
	cJSON *c = cJSON_IsObject(map) ? cJSON_Duplicate(map, 1) : cJSON_CreateObject();
	if (json_get(c, key)) {
		if (value)
			cJSON_ReplaceItemInObjectCaseSensitive(c, key, value);
		else
			cJSON_DeleteItemFromObjectCaseSensitive(c, key);
	} else if (value) {
		cJSON_AddItemToObject(c, key, value);
	}
	return c;
}

void model_map_set(model *m, const field_def *f, const char *key, cJSON *value)
{
	model_set(m, f, map_with(model_value(m, f), key, value));
}

/* ---- clashes ------------------------------------------------------------ */

static bool same_sub(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static model_clash *clash_find(const model *m, const field_def *f, const char *sub)
{
	size_t i;
	for (i = 0; i < m->nclashes; i++)
		if (m->clashes[i].f == f && same_sub(m->clashes[i].sub, sub))
			return &m->clashes[i];
	return NULL;
}

const model_clash *model_clash_of(const model *m, const field_def *f, const char *sub)
{
	return clash_find(m, f, sub);
}

size_t model_nclashes(const model *m) { return m->nclashes; }

long model_clash_find(const model *m, const char *path)
{
	size_t i;
	for (i = 0; i < m->nclashes; i++)
		if (!strcasecmp(m->clashes[i].path, path))
			return (long)i;
	return -1;
}

/* "Title" / "Custom fields/x_note" and "Title" / "CustomFields/x_note". */
static void item_names(const field_def *f, const char *sub, char **label, char **path)
{
	*label = sub ? xstr_join(f->label, "/", sub) : xstrdup(f->label);
	*path = sub ? xstr_join(f->name, "/", sub) : xstrdup(f->name);
}

static void clash_add(model *m, const field_def *f, const char *sub, const cJSON *basis, const char *why)
{
	model_clash *c;
	m->clashes = xrealloc(m->clashes, (m->nclashes + 1) * sizeof *m->clashes);
	c = &m->clashes[m->nclashes++];
	memset(c, 0, sizeof *c);
	c->f = f;
	c->sub = sub ? xstrdup(sub) : NULL;
	item_names(f, sub, &c->label, &c->path);
	c->basis = dup_or_null(basis);
	snprintf(c->why, sizeof c->why, "%s", why ? why : "");
}

static void clash_remove(model *m, size_t i)
{
	clash_free(&m->clashes[i]);
	m->clashes[i] = m->clashes[--m->nclashes];
}

int model_modified(const model *m)
{
	size_t i;
	int n = 0;
	for (i = 0; i < m->nedits; i++) {
		const model_edit *e = &m->edits[i];
		if (e->f->kind == FK_MAP) {
			const cJSON *b = model_base(m, e->f), *c;
			cJSON_ArrayForEach(c, e->value)
				if (!json_equal(c, cJSON_IsObject(b) ? json_get(b, c->string) : NULL))
					n++;
			cJSON_ArrayForEach(c, b)
				if (!json_get(e->value, c->string))
					n++;
		} else {
			n++;
		}
	}
	for (i = 0; i < m->nclashes; i++) {  /* an open clash whose value is theirs again */
		const model_clash *c = &m->clashes[i];
		if (c->sub ? !model_map_modified(m, c->f, c->sub) : !model_is_modified(m, c->f))
			n++;
	}
	return n;
}

/* The edited value of map field F with the keys of open clashes set back to
 * their base values (nothing is sent for them). New tree. */
static cJSON *map_without_clashes(const model *m, const field_def *f, const cJSON *value)
{
	cJSON *v = dup_or_null(value);
	size_t i;
	for (i = 0; i < m->nclashes; i++) {
		const cJSON *b;
		cJSON *tmp;
		if (m->clashes[i].f != f || !m->clashes[i].sub)
			continue;
		b = model_map_base(m, f, m->clashes[i].sub);
		tmp = map_with(v, m->clashes[i].sub, dup_or_null(b));
		cJSON_Delete(v);
		v = tmp;
	}
	return v;
}

cJSON *model_patch(const model *m, diff_mode mode)
{
	diff_acc acc;
	cJSON *patch;
	size_t i;
	diff_acc_init(&acc, mode);
	for (i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		const model_edit *e = find_edit(m, f);
		if (!e || clash_find(m, f, NULL))
			continue;
		if (f->kind == FK_MAP && m->nclashes) {
			cJSON *v = map_without_clashes(m, f, e->value);
			diff_field(&acc, f, model_key(m, f), model_base(m, f), v);
			cJSON_Delete(v);
		} else {
			diff_field(&acc, f, model_key(m, f), model_base(m, f), e->value);
		}
	}
	patch = diff_acc_finish(&acc);
	diff_acc_free(&acc);
	return patch;
}

int model_if_unmodified_since(const model *m, char *buf, size_t n)
{
	return model_if_unmodified_since_tz(m, NULL, buf, n);
}

int model_if_unmodified_since_tz(const model *m, const char *server_tz, char *buf, size_t n)
{
	const cJSON *lc = m->base ? json_get_ci(m->base, "LastChanged") : NULL;
	tdate d;
	char err[128];
	int naive = 0;
	if (!cJSON_IsString(lc) || servertz_offset(server_tz, lc->valuestring, &naive, err, sizeof err) < 0 ||
	    date_parse(lc->valuestring, naive, &d, err, sizeof err) < 0 || d.empty)
		return -1;
	date_http((time_t)d.utc, buf, n);
	return 0;
}

void model_rebase(model *m, cJSON *newbase)
{
	edits_clear(m);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
	clashes_clear(m);
	cJSON_Delete(m->base);
	m->base = newbase;
}


/* ---- the one merge --------------------------------------------------------- */

static void report_add(model_merge_report *rep, const field_def *f, const char *sub, merge3_class c)
{
	model_merged *it;
	if (!rep)
		return;
	rep->v = xrealloc(rep->v, (rep->n + 1) * sizeof *rep->v);
	it = &rep->v[rep->n++];
	it->f = f;
	it->sub = sub ? xstrdup(sub) : NULL;
	item_names(f, sub, &it->label, &it->path);
	it->cls = c;
	if (c == M3_CONFLICT)
		rep->nconflicts++;
}

void model_merge_report_free(model_merge_report *rep)
{
	size_t i;
	for (i = 0; i < rep->n; i++) {
		free(rep->v[i].sub);
		free(rep->v[i].label);
		free(rep->v[i].path);
	}
	free(rep->v);
	memset(rep, 0, sizeof *rep);
}

/* The state before a merge: what each edit was made against. */
typedef struct {
	const cJSON *base;          /* the old base document */
	const model_edit *edits;
	size_t nedits;
	const model_clash *clashes;
	size_t nclashes;
} merge_prev;

static const model_edit *prev_edit(const merge_prev *p, const field_def *f)
{
	size_t i;
	for (i = 0; i < p->nedits; i++)
		if (p->edits[i].f == f)
			return &p->edits[i];
	return NULL;
}

static const model_clash *prev_clash(const merge_prev *p, const field_def *f, const char *sub)
{
	size_t i;
	for (i = 0; i < p->nclashes; i++)
		if (p->clashes[i].f == f && same_sub(p->clashes[i].sub, sub))
			return &p->clashes[i];
	return NULL;
}

static const cJSON *member(const cJSON *map, const char *key)
{
	return cJSON_IsObject(map) ? json_get(map, key) : NULL;
}

/* An open clash C whose value the user set back on the form to its basis
 * (typed the original again, removed a key they had added) looks "not
 * edited" to merge3, which would take theirs; the user has not chosen yet,
 * so it stays a conflict unless theirs already equals mine. */
static merge3_class still_open(const model_clash *c, const merge3_in *in, merge3_class cls, cJSON **res,
                               char *why, size_t whylen)
{
	if (!c || cls != M3_THEIRS || json_equal(in->mine, in->theirs))
		return cls;
	cJSON_Delete(*res);
	*res = NULL;
	snprintf(why, whylen, "%s", c->why);
	return M3_CONFLICT;
}

/* Merge one key K of map field F; updates *OUT (the new edited map). */
static void merge_key(model *m, const merge_prev *p, const field_def *f, const char *k,
                      const cJSON *oldb, const cJSON *mine, const cJSON *theirs, cJSON **out,
                      model_merge_report *rep)
{
	const model_clash *c = prev_clash(p, f, k);
	merge3_in in = { f, k, c ? c->basis : member(oldb, k), member(mine, k), member(theirs, k) };
	cJSON *res, *tmp;
	char why[160];
	merge3_class cls;
	if (!c && json_equal(in.basis, in.mine))
		return;  /* not edited */
	cls = merge3_item(&in, &res, why, sizeof why);
	cls = still_open(c, &in, cls, &res, why, sizeof why);
	report_add(rep, f, k, cls);
	if (cls == M3_CONFLICT) {
		clash_add(m, f, k, in.basis, why);
		res = dup_or_null(in.mine);
	}
	tmp = map_with(*out, k, res);
	cJSON_Delete(*out);
	*out = tmp;
}

static bool key_seen(const cJSON *map, const char *k) { return member(map, k) != NULL; }

static void merge_map_field(model *m, const merge_prev *p, const field_def *f, model_merge_report *rep)
{
	const model_edit *e = prev_edit(p, f);
	const cJSON *oldb = json_get_ci(p->base, f->name), *theirs = model_base(m, f), *c;
	const cJSON *mine = e ? e->value : oldb;
	cJSON *out = cJSON_IsObject(theirs) ? cJSON_Duplicate(theirs, 1) : cJSON_CreateObject();
	const cJSON *mine_map = cJSON_IsObject(mine) ? mine : NULL;
	const cJSON *old_map = cJSON_IsObject(oldb) ? oldb : NULL;
	size_t i;
	cJSON_ArrayForEach(c, mine_map)
		merge_key(m, p, f, c->string, oldb, mine, theirs, &out, rep);
	cJSON_ArrayForEach(c, old_map)
		if (!key_seen(mine, c->string))
			merge_key(m, p, f, c->string, oldb, mine, theirs, &out, rep);
	for (i = 0; i < p->nclashes; i++) {
		const char *k = p->clashes[i].sub;
		if (p->clashes[i].f == f && k && !key_seen(mine, k) && !key_seen(oldb, k))
			merge_key(m, p, f, k, oldb, mine, theirs, &out, rep);
	}
	put(m, f, true, out);
}

static void merge_field(model *m, const merge_prev *p, const field_def *f, model_merge_report *rep)
{
	const model_edit *e = prev_edit(p, f);
	const model_clash *c = prev_clash(p, f, NULL);
	const cJSON *oldb = json_get_ci(p->base, f->name);
	merge3_in in = { f, NULL, c ? c->basis : oldb, e ? e->value : oldb, model_base(m, f) };
	cJSON *res;
	char why[160];
	merge3_class cls;
	if (!e && !c)
		return;
	cls = merge3_item(&in, &res, why, sizeof why);
	cls = still_open(c, &in, cls, &res, why, sizeof why);
	report_add(rep, f, NULL, cls);
	if (cls == M3_CONFLICT) {
		clash_add(m, f, NULL, in.basis, why);
		res = dup_or_null(in.mine);
	}
	put(m, f, true, res);
}

size_t model_merge(model *m, cJSON *theirs, model_merge_report *rep)
{
	merge_prev p = { m->base, m->edits, m->nedits, m->clashes, m->nclashes };
	model_edit *old_edits = m->edits;
	model_clash *old_clashes = m->clashes;
	size_t i, nold = m->nedits, nclash = m->nclashes;
	if (rep)
		memset(rep, 0, sizeof *rep);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
	m->edits = NULL;
	m->nedits = m->capedits = 0;
	m->clashes = NULL;
	m->nclashes = 0;
	m->base = theirs;
	for (i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		if (f->kind == FK_MAP)
			merge_map_field(m, &p, f, rep);
		else
			merge_field(m, &p, f, rep);
	}
	for (i = 0; i < nold; i++)
		cJSON_Delete(old_edits[i].value);
	free(old_edits);
	for (i = 0; i < nclash; i++)
		clash_free(&old_clashes[i]);
	free(old_clashes);
	cJSON_Delete((cJSON *)p.base);
	return m->nclashes;
}

void model_clash_open(model *m, const field_def *f, const char *sub, const cJSON *basis, const char *why)
{
	model_clash *c = clash_find(m, f, sub);
	if (c)
		clash_remove(m, (size_t)(c - m->clashes));
	clash_add(m, f, sub, basis, why);
}

void model_resolve(model *m, size_t i, model_resolution r, cJSON *value)
{
	model_clash *c;
	if (i >= m->nclashes) {
		cJSON_Delete(value);
		return;
	}
	c = &m->clashes[i];
	if (r == RESOLVE_THEIRS) {
		const cJSON *b = c->sub ? model_map_base(m, c->f, c->sub) : model_base(m, c->f);
		cJSON_Delete(value);
		value = dup_or_null(b);
	}
	if (r != RESOLVE_MINE) {
		if (c->sub)
			put(m, c->f, true, map_with(model_value(m, c->f), c->sub, value));
		else
			put(m, c->f, true, value);
	} else {
		cJSON_Delete(value);
	}
	clash_remove(m, i);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
}

/* model.c — base document, per-field edits, undo/redo, patch (no curses). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/servertz.h"
#include "ticketed/date.h"
#include "ticketed/json.h"
#include "ticketed/model.h"

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

void model_clear_conflicts(model *m)
{
	size_t i;
	for (i = 0; i < m->nconflicts; i++) {
		free(m->conflicts[i].sub);
		cJSON_Delete(m->conflicts[i].base);
		cJSON_Delete(m->conflicts[i].mine);
	}
	free(m->conflicts);
	m->conflicts = NULL;
	m->nconflicts = 0;
}

void model_free(model *m)
{
	edits_clear(m);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
	model_clear_conflicts(m);
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
		m->edits = realloc(m->edits, m->capedits * sizeof *m->edits);
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
		s->v = realloc(s->v, s->cap * sizeof *s->v);
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
	return n;
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
		if (e)
			diff_field(&acc, f, model_key(m, f), model_base(m, f), e->value);
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
	model_clear_conflicts(m);
	cJSON_Delete(m->base);
	m->base = newbase;
}

static void add_conflict(model *m, const field_def *f, const char *sub, const cJSON *b, const cJSON *mine)
{
	model_conflict *c;
	m->conflicts = realloc(m->conflicts, (m->nconflicts + 1) * sizeof *m->conflicts);
	c = &m->conflicts[m->nconflicts++];
	c->f = f;
	c->sub = sub ? strdup(sub) : NULL;
	c->base = dup_or_null(b);
	c->mine = dup_or_null(mine);
}

static void lost_add(char *lost, size_t n, const char *label, const char *sub)
{
	size_t l = strlen(lost);
	snprintf(lost + l, n - l, "%s%s%s%s", l ? ", " : "", label, sub ? "/" : "", sub ? sub : "");
}

/* Rebase one map edit key by key onto NEWB; returns the new edited map. */
static cJSON *rebase_map(model *m, const field_def *f, const cJSON *oldb, const cJSON *newb,
                         const cJSON *mine, char *lost, size_t lostlen)
{
	cJSON *out = cJSON_IsObject(newb) ? cJSON_Duplicate(newb, 1) : cJSON_CreateObject();
	const cJSON *c;
	cJSON_ArrayForEach(c, mine) {
		const cJSON *ob = cJSON_IsObject(oldb) ? json_get(oldb, c->string) : NULL;
		const cJSON *nb = cJSON_IsObject(newb) ? json_get(newb, c->string) : NULL;
		if (json_equal(c, ob))
			continue;
		if (json_equal(ob, nb) || json_equal(c, nb)) {
			cJSON *tmp = map_with(out, c->string, cJSON_Duplicate(c, 1));
			cJSON_Delete(out);
			out = tmp;
		} else {
			add_conflict(m, f, c->string, ob, c);
			lost_add(lost, lostlen, f->label, c->string);
		}
	}
	cJSON_ArrayForEach(c, oldb) {
		const cJSON *nb = cJSON_IsObject(newb) ? json_get(newb, c->string) : NULL;
		if (json_get(mine, c->string))
			continue;
		if (json_equal(c, nb)) {  /* I removed it and they did not touch it */
			cJSON *tmp = map_with(out, c->string, NULL);
			cJSON_Delete(out);
			out = tmp;
		} else if (nb) {
			add_conflict(m, f, c->string, c, NULL);
			lost_add(lost, lostlen, f->label, c->string);
		}
	}
	return out;
}

int model_reload(model *m, cJSON *newbase, char *lost, size_t lostlen)
{
	cJSON *oldbase = m->base;
	model_edit *old = m->edits;
	size_t nold = m->nedits, i;
	if (lostlen)
		lost[0] = 0;
	model_clear_conflicts(m);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
	m->edits = NULL;
	m->nedits = m->capedits = 0;
	m->base = newbase;
	for (i = 0; i < nold; i++) {
		const field_def *f = old[i].f;
		const cJSON *ob = json_get_ci(oldbase, f->name), *nb = model_base(m, f);
		if (f->kind == FK_MAP) {
			put(m, f, true, rebase_map(m, f, ob, nb, old[i].value, lost, lostlen));
			cJSON_Delete(old[i].value);
		} else if (json_equal(ob, nb) || json_equal(old[i].value, nb)) {
			put(m, f, true, old[i].value);
		} else {
			add_conflict(m, f, NULL, ob, old[i].value);
			lost_add(lost, lostlen, f->label, NULL);
			cJSON_Delete(old[i].value);
		}
	}
	free(old);
	cJSON_Delete(oldbase);
	return (int)m->nconflicts;
}

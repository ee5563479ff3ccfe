/* model.c — base document, per-field edits, undo/redo, patch (no curses). */
#include <stdint.h>
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

static size_t field_no(const field_def *f) { return (size_t)(f - schema_fields); }

/* ---- what is computed once per base --------------------------------------- */

/* Top-level elements of the JSON array text S (a member kept as cJSON_Raw
 * by a lazy parse; validated by the parser): their count, and the byte
 * ranges of the last N (N <= MODEL_NEWEST_MESSAGES) in START/END, oldest first. */
static int raw_array_scan(const char *s, int n, size_t *start, size_t *end)
{
	size_t it = 0, a, b, rs[MODEL_NEWEST_MESSAGES], re[MODEL_NEWEST_MESSAGES], len = strlen(s);
	int count = 0, k;
	while (json_array_next(s, len, &it, &a, &b)) {
		rs[count % n] = a;
		re[count % n] = b;
		count++;
	}
	for (k = 0; k < (count < n ? count : n); k++) {
		int slot = count < n ? k : (count + k) % n;
		start[k] = rs[slot];
		end[k] = re[slot];
	}
	return count;
}

static const char *created_at(const cJSON *msg)
{
	const cJSON *t = json_get_ci(msg, "CreatedAt");
	return cJSON_IsString(t) ? t->valuestring : "";
}

/* The newest messages of a parsed array by CreatedAt (ISO strings sort);
 * among equal times the earlier in the array first. One pass. */
static void newest_parsed(const cJSON *msgs, model_messages *out)
{
	const cJSON *top[MODEL_NEWEST_MESSAGES], *c;
	const char *ts[MODEL_NEWEST_MESSAGES];
	int i = 0, k, n = 0;
	cJSON_ArrayForEach(c, msgs) {
		const char *t = created_at(c);
		int pos = n;
		for (k = 0; k < n; k++)
			if (strcmp(t, ts[k]) > 0) {
				pos = k;
				break;
			}
		if (pos < MODEL_NEWEST_MESSAGES) {
			int last = n < MODEL_NEWEST_MESSAGES ? n : MODEL_NEWEST_MESSAGES - 1;
			for (k = last; k > pos; k--) {
				top[k] = top[k - 1];
				ts[k] = ts[k - 1];
				out->index[k] = out->index[k - 1];
			}
			top[pos] = c;
			ts[pos] = t;
			out->index[pos] = i;
			if (n < MODEL_NEWEST_MESSAGES)
				n++;
		}
		i++;
	}
	out->total = i;
	out->n = n;
	for (k = 0; k < n; k++)
		out->msg[k] = cJSON_Duplicate(top[k], 1);
}

/* Messages kept raw: the last ones in the array, parsed one at a time. */
static void newest_raw(const char *s, model_messages *out)
{
	size_t st[MODEL_NEWEST_MESSAGES], en[MODEL_NEWEST_MESSAGES];
	int total = raw_array_scan(s, MODEL_NEWEST_MESSAGES, st, en), n, k;
	n = total < MODEL_NEWEST_MESSAGES ? total : MODEL_NEWEST_MESSAGES;
	out->total = total;
	out->n = n;
	for (k = 0; k < n; k++) {  /* newest (last) first */
		char err[64];
		int from = n - 1 - k;
		cJSON *one = json_parse(s + st[from], en[from] - st[from], "message", err, sizeof err);
		out->msg[k] = one ? one : cJSON_CreateNull();
		out->index[k] = total - n + from;
	}
}

static void messages_free(model_messages *ms)
{
	for (int k = 0; k < ms->n; k++)
		cJSON_Delete(ms->msg[k]);
	memset(ms, 0, sizeof *ms);
}

static void base_facts_free(model *m)
{
	if (m->base_idx)
		for (size_t i = 0; i < schema_nfields; i++)
			mapidx_free(&m->base_idx[i]);
	free(m->base_idx);
	free(m->member);
	m->base_idx = NULL;
	m->member = NULL;
	messages_free(&m->msgs);
}

/* BASE (taken) becomes the base: its per-field members, map key indexes
 * and messages summary are computed here, once. */
/* Generations are unique in the process, so a number seen for one model
 * state never comes back for another (one counter for every model). */
static unsigned long next_gen(void)
{
	static unsigned long gen;
	return ++gen;
}

static void changed(model *m) { m->gen = next_gen(); }

static void set_base(model *m, cJSON *base)
{
	base_facts_free(m);
	m->base = base;
	m->base_gen = next_gen();
	m->gen = next_gen();
	m->member = xcalloc(schema_nfields, sizeof *m->member);
	m->base_idx = xcalloc(schema_nfields, sizeof *m->base_idx);
	if (!base)
		return;
	for (size_t i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		m->member[i] = json_get_ci(base, f->name);
		if (f->kind == FK_MAP)
			mapidx_build(&m->base_idx[i], m->member[i]);
		if (!strcasecmp(f->name, "Messages")) {
			if (cJSON_IsRaw(m->member[i]))
				newest_raw(m->member[i]->valuestring, &m->msgs);
			else if (cJSON_IsArray(m->member[i]))
				newest_parsed(m->member[i], &m->msgs);
		}
	}
}

const model_messages *model_base_messages(const model *m) { return &m->msgs; }

void model_init(model *m, cJSON *base)
{
	memset(m, 0, sizeof *m);
	set_base(m, base);
}

static void stack_clear(model_stack *s)
{
	size_t i;
	for (i = 0; i < s->n; i++)
		cJSON_Delete(s->v[i].was);
	s->n = 0;
}

static void edit_free(model_edit *e)
{
	cJSON_Delete(e->value);
	mapidx_free(&e->idx);
	free(e->keys);
	memset(e, 0, sizeof *e);
}

static void edits_clear(model *m)
{
	size_t i;
	for (i = 0; i < m->nedits; i++)
		edit_free(&m->edits[i]);
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
	free(m->clash_ix);
	m->clashes = NULL;
	m->clash_ix = NULL;
	m->nclashes = m->capclashes = 0;
	changed(m);
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
	base_facts_free(m);
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
	return m->member ? m->member[field_no(f)] : NULL;
}

static const mapidx *base_idx(const model *m, const field_def *f)
{
	static const mapidx none;
	return m->base_idx ? &m->base_idx[field_no(f)] : &none;
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

/* A map edit's key index and the keys it changes against the base. */
static void edit_index(const model *m, model_edit *e)
{
	const mapidx *bi = base_idx(m, e->f);
	const cJSON *c, *b = model_base(m, e->f);
	size_t cap = 0;
	mapidx_build(&e->idx, e->value);
	for (c = cJSON_IsObject(e->value) ? e->value->child : NULL; c; c = c->next)
		cap++;
	cap += bi->n;
	e->keys = xreallocarray(NULL, cap ? cap : 1, sizeof *e->keys);
	e->nkeys = 0;
	/* An edited map keeps the base's order (map_updated): the member at the
	 * same place is tried before the index, so most keys cost one strcmp. */
	const cJSON *at = cJSON_IsObject(b) ? b->child : NULL, *o;
	for (c = cJSON_IsObject(e->value) ? e->value->child : NULL; c; c = c->next) {
		if (!c->string)
			continue;
		o = at && at->string && !strcmp(at->string, c->string) ? at : mapidx_get(bi, c->string);
		if (!json_equal(c, o))
			e->keys[e->nkeys++] = c->string;
		at = o ? o->next : at;
	}
	at = cJSON_IsObject(e->value) ? e->value->child : NULL;
	for (c = cJSON_IsObject(b) ? b->child : NULL; c; c = c->next) {
		if (!c->string)
			continue;
		o = at && at->string && !strcmp(at->string, c->string) ? at : mapidx_get(&e->idx, c->string);
		if (!o)
			e->keys[e->nkeys++] = c->string;
		at = o ? o->next : at;
	}
}

/* Set F's edited state without touching the undo history. */
static void put(model *m, const field_def *f, bool modified, cJSON *value)
{
	model_edit *e = find_edit(m, f);
	changed(m);
	if (modified && schema_same(f, value, model_base(m, f))) {
		modified = false;
	}
	if (!modified) {
		cJSON_Delete(value);
		if (e) {
			edit_free(e);
			*e = m->edits[--m->nedits];
		}
		return;
	}
	if (e) {
		edit_free(e);
	} else {
		if (m->nedits == m->capedits) {
			m->capedits = m->capedits ? m->capedits * 2 : 8;
			m->edits = xreallocarray(m->edits, m->capedits, sizeof *m->edits);
		}
		e = &m->edits[m->nedits++];
	}
	memset(e, 0, sizeof *e);
	e->f = f;
	e->value = value;
	if (f->kind == FK_MAP)
		edit_index(m, e);
}

/* Push F's current edited state onto S. The edited value moves onto the
 * stack (no copy): the caller replaces it at once (put). */
static void push_state(model *m, model_stack *s, const field_def *f)
{
	model_edit *e = find_edit(m, f);
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = xreallocarray(s->v, s->cap, sizeof *s->v);
	}
	s->v[s->n].f = f;
	s->v[s->n].was_modified = e != NULL;
	s->v[s->n].was = e ? e->value : NULL;
	if (e)
		e->value = NULL;
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
	return mapidx_get(base_idx(m, f), key);
}

const cJSON *model_map_value(const model *m, const field_def *f, const char *key)
{
	const model_edit *e = find_edit(m, f);
	return e ? mapidx_get(&e->idx, key) : model_map_base(m, f, key);
}

bool model_map_modified(const model *m, const field_def *f, const char *key)
{
	const model_edit *e = find_edit(m, f);
	if (!e)
		return false;
	return !json_equal(model_map_base(m, f, key), mapidx_get(&e->idx, key));
}

const char *const *model_map_changed(const model *m, const field_def *f, size_t *n)
{
	const model_edit *e = find_edit(m, f);
	*n = e ? e->nkeys : 0;
	return e ? e->keys : NULL;
}

/* Copy of MAP with KEY set to VALUE (taken; NULL removes it). */
static cJSON *map_with(const cJSON *map, const char *key, cJSON *value)
{
	map_change ch = { key, value };
	cJSON *c = map_updated(map, &ch, 1);
	cJSON_Delete(value);
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

/* Open clashes are found through CLASH_IX, their indexes sorted by path
 * (case-insensitive, then exact, then position): O(log n) per lookup. */
typedef struct {
	const model_clash *v;
	const size_t *ix;
	size_t n;
} clash_set;

static clash_set clashes_of(const model *m)
{
	clash_set cs = { m->clashes, m->clash_ix, m->nclashes };
	return cs;
}

static const model_clash *g_sort_clashes;  /* qsort has no context argument */

static int clash_ix_cmp(const void *a, const void *b)
{
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	int c = strcasecmp(g_sort_clashes[x].path, g_sort_clashes[y].path);
	if (!c)
		c = strcmp(g_sort_clashes[x].path, g_sort_clashes[y].path);
	return c ? c : (x < y ? -1 : x > y);
}

static void clash_reindex(model *m)
{
	free(m->clash_ix);
	m->clash_ix = NULL;
	if (!m->nclashes)
		return;
	m->clash_ix = xreallocarray(NULL, m->nclashes, sizeof *m->clash_ix);
	for (size_t i = 0; i < m->nclashes; i++)
		m->clash_ix[i] = i;
	g_sort_clashes = m->clashes;
	qsort(m->clash_ix, m->nclashes, sizeof *m->clash_ix, clash_ix_cmp);
	g_sort_clashes = NULL;
}

/* The first position in CS's index whose path is not below PATH (case-insensitive). */
static size_t clash_lower(const clash_set *cs, const char *path)
{
	size_t lo = 0, hi = cs->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (strcasecmp(cs->v[cs->ix[mid]].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

static const model_clash *clash_in(const clash_set *cs, const field_def *f, const char *sub)
{
	char buf[256], *owned = NULL;
	const char *path = f->name;
	const model_clash *hit = NULL;
	if (!cs->n)
		return NULL;
	size_t fl = strlen(f->name), sl = sub ? strlen(sub) : 0;
	if (sub && fl + sl + 2 <= sizeof buf) {
		memcpy(buf, f->name, fl);
		buf[fl] = '/';
		memcpy(buf + fl + 1, sub, sl + 1);
		path = buf;
	} else if (sub) {
		path = owned = xstr_join(f->name, "/", sub);
	}
	for (size_t i = clash_lower(cs, path); i < cs->n && !strcasecmp(cs->v[cs->ix[i]].path, path); i++) {
		const model_clash *c = &cs->v[cs->ix[i]];
		if (c->f == f && same_sub(c->sub, sub)) {
			hit = c;
			break;
		}
	}
	free(owned);
	return hit;
}

static model_clash *clash_find(const model *m, const field_def *f, const char *sub)
{
	clash_set cs = clashes_of(m);
	return (model_clash *)clash_in(&cs, f, sub);
}

const model_clash *model_clash_of(const model *m, const field_def *f, const char *sub)
{
	return clash_find(m, f, sub);
}

size_t model_nclashes(const model *m) { return m->nclashes; }

long model_clash_find(const model *m, const char *path)
{
	clash_set cs = clashes_of(m);
	size_t best = SIZE_MAX;
	for (size_t i = clash_lower(&cs, path); i < cs.n && !strcasecmp(cs.v[cs.ix[i]].path, path); i++)
		if (cs.ix[i] < best)
			best = cs.ix[i];
	return best == SIZE_MAX ? -1 : (long)best;
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
	if (m->nclashes == m->capclashes) {
		m->capclashes = m->capclashes ? m->capclashes * 2 : 8;
		m->clashes = xreallocarray(m->clashes, m->capclashes, sizeof *m->clashes);
	}
	c = &m->clashes[m->nclashes++];
	changed(m);
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
	clash_reindex(m);
	changed(m);
}

int model_modified(const model *m)
{
	size_t i;
	int n = 0;
	for (i = 0; i < m->nedits; i++)
		n += m->edits[i].f->kind == FK_MAP ? (int)m->edits[i].nkeys : 1;
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
	map_change *ch = xreallocarray(NULL, m->nclashes ? m->nclashes : 1, sizeof *ch);
	size_t i, n = 0;
	cJSON *v;
	for (i = 0; i < m->nclashes; i++)
		if (m->clashes[i].f == f && m->clashes[i].sub) {
			ch[n].key = m->clashes[i].sub;
			ch[n++].value = model_map_base(m, f, m->clashes[i].sub);
		}
	v = n || cJSON_IsObject(value) ? map_updated(value, ch, n) : dup_or_null(value);
	free(ch);
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
	m->base = NULL;
	set_base(m, newbase);
}


/* ---- the one merge --------------------------------------------------------- */

static void report_add(model_merge_report *rep, const field_def *f, const char *sub, merge3_class c)
{
	model_merged *it;
	if (!rep)
		return;
	if (rep->n == rep->cap) {
		rep->cap = rep->cap ? rep->cap * 2 : 16;
		rep->v = xreallocarray(rep->v, rep->cap, sizeof *rep->v);
	}
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
	const cJSON **member;       /* its members per schema field */
	mapidx *base_idx;           /* its map indexes */
	const model_edit *edits;
	size_t nedits;
	clash_set clashes;
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
	return clash_in(&p->clashes, f, sub);
}

/* The results of a map field's merge, applied in one pass at the end. */
typedef struct {
	map_change *v;
	cJSON **owned;
	size_t n, cap;
} change_list;

static void changes_add(change_list *cl, const char *key, cJSON *value)
{
	if (cl->n == cl->cap) {
		cl->cap = cl->cap ? cl->cap * 2 : 16;
		cl->v = xreallocarray(cl->v, cl->cap, sizeof *cl->v);
		cl->owned = xreallocarray(cl->owned, cl->cap, sizeof *cl->owned);
	}
	cl->v[cl->n].key = key;
	cl->v[cl->n].value = value;
	cl->owned[cl->n++] = value;
}

static void changes_free(change_list *cl)
{
	for (size_t i = 0; i < cl->n; i++)
		cJSON_Delete(cl->owned[i]);
	free(cl->v);
	free(cl->owned);
}

/* An open clash C whose value the user set back on the form to its basis
 * (typed the original again, removed a key they had added) looks "not
 * edited" to merge3, which would take theirs; the user has not chosen yet,
 * so it stays a conflict unless theirs already equals mine. */
static merge3_class still_open(const model_clash *c, const merge3_in *in, merge3_class cls, cJSON **res,
                               char *why, size_t whylen)
{
	if (!c || cls != M3_THEIRS || schema_same(in->f, in->mine, in->theirs))
		return cls;
	cJSON_Delete(*res);
	*res = NULL;
	snprintf(why, whylen, "%s", c->why);
	return M3_CONFLICT;
}

/* Merge one key K of map field F (edited against OLDI's value, or its
 * clash's basis); the result goes to OUT. */
static void merge_key(model *m, const merge_prev *p, const field_def *f, const char *k,
                      const mapidx *oldi, const mapidx *minei, const mapidx *theirsi,
                      change_list *out, model_merge_report *rep)
{
	const model_clash *c = prev_clash(p, f, k);
	merge3_in in = { f, k, c ? c->basis : mapidx_get(oldi, k), mapidx_get(minei, k), mapidx_get(theirsi, k) };
	cJSON *res;
	char why[160];
	merge3_class cls;
	if (!c && json_equal(in.basis, in.mine))
		return;  /* not edited */
	cls = merge3_item(&in, &res, why, sizeof why);
	cls = still_open(c, &in, cls, &res, why, sizeof why);
	report_add(rep, f, k, cls);
	if (cls == M3_CONFLICT) {
		clash_add(m, f, k, in.basis, why);
		cJSON_Delete(res);
		res = dup_or_null(in.mine);
	}
	changes_add(out, k, res);
}

/* The keys edited (those that differ from the old base), then the keys of
 * open clashes that are not among them, each merged once; theirs with the
 * results is the new edited value. */
static void merge_map_field(model *m, const merge_prev *p, const field_def *f, model_merge_report *rep)
{
	const model_edit *e = prev_edit(p, f);
	const mapidx *oldi = &p->base_idx[field_no(f)], *minei = e ? &e->idx : oldi;
	change_list out = { 0 };
	size_t i;
	if (e)
		for (i = 0; i < e->nkeys; i++)
			merge_key(m, p, f, e->keys[i], oldi, minei, base_idx(m, f), &out, rep);
	for (i = 0; i < p->clashes.n; i++) {
		const model_clash *c = &p->clashes.v[i];
		if (c->f == f && c->sub && json_equal(mapidx_get(oldi, c->sub), mapidx_get(minei, c->sub)))
			merge_key(m, p, f, c->sub, oldi, minei, base_idx(m, f), &out, rep);
	}
	if (out.n)
		put(m, f, true, map_updated(model_base(m, f), out.v, out.n));
	changes_free(&out);
}

static void merge_field(model *m, const merge_prev *p, const field_def *f, model_merge_report *rep)
{
	const model_edit *e = prev_edit(p, f);
	const model_clash *c = prev_clash(p, f, NULL);
	const cJSON *oldb = p->member[field_no(f)];
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
		cJSON_Delete(res);
		res = dup_or_null(in.mine);
	}
	put(m, f, true, res);
}

size_t model_merge(model *m, cJSON *theirs, model_merge_report *rep)
{
	merge_prev p = { m->base, m->member, m->base_idx, m->edits, m->nedits,
	                 { m->clashes, m->clash_ix, m->nclashes } };
	model_edit *old_edits = m->edits;
	model_clash *old_clashes = m->clashes;
	size_t *old_ix = m->clash_ix;
	size_t i, nold = m->nedits, nclash = m->nclashes;
	if (rep)
		memset(rep, 0, sizeof *rep);
	stack_clear(&m->undo);
	stack_clear(&m->redo);
	m->edits = NULL;
	m->nedits = m->capedits = 0;
	m->clashes = NULL;
	m->clash_ix = NULL;
	m->nclashes = m->capclashes = 0;
	/* the new base's facts, the old ones kept for the merge */
	m->member = NULL;
	m->base_idx = NULL;
	set_base(m, theirs);
	for (i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		if (f->kind == FK_MAP)
			merge_map_field(m, &p, f, rep);
		else
			merge_field(m, &p, f, rep);
	}
	clash_reindex(m);
	for (i = 0; i < nold; i++)
		edit_free(&old_edits[i]);
	free(old_edits);
	for (i = 0; i < nclash; i++)
		clash_free(&old_clashes[i]);
	free(old_clashes);
	free(old_ix);
	for (i = 0; i < schema_nfields; i++)
		mapidx_free(&p.base_idx[i]);
	free(p.base_idx);
	free(p.member);
	cJSON_Delete((cJSON *)p.base);
	return m->nclashes;
}

void model_clash_open(model *m, const field_def *f, const char *sub, const cJSON *basis, const char *why)
{
	model_clash_item one = { f, sub, basis };
	model_clashes_open(m, &one, 1, why);
}

void model_clashes_open(model *m, const model_clash_item *v, size_t n, const char *why)
{
	bool *drop = xcalloc(m->nclashes + n + 1, sizeof *drop);
	size_t i, k;
	for (i = 0; i < n; i++)
		clash_add(m, v[i].f, v[i].sub, v[i].basis, why);
	clash_reindex(m);
	/* of the clashes on one item, the last added stays: the index sorts
	 * equal paths by position */
	for (i = 0; i + 1 < m->nclashes; i++) {
		const model_clash *a = &m->clashes[m->clash_ix[i]], *b = &m->clashes[m->clash_ix[i + 1]];
		if (a->f == b->f && same_sub(a->sub, b->sub))
			drop[m->clash_ix[i]] = true;
	}
	for (i = k = 0; i < m->nclashes; i++) {
		if (drop[i])
			clash_free(&m->clashes[i]);
		else
			m->clashes[k++] = m->clashes[i];
	}
	free(drop);
	if (k != m->nclashes) {
		m->nclashes = k;
		clash_reindex(m);
	}
	changed(m);
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

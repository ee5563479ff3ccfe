/* patch.c — JSON Patch (RFC 6902), applied atomically.
 *
 * Atomicity without copying the document: every mutation records how to
 * undo itself in a log (the detached or replaced nodes are kept, not
 * copied, with the sibling they followed). On failure the log is unwound in
 * reverse, each step O(1); on success the kept nodes are freed.
 *
 * Speed on long arrays: cJSON keeps children in a linked list, so "/a/5000"
 * is a walk of 5,000 nodes. An array of ARR_INDEX_MIN or more elements that
 * an op addresses by position gets a vector of its children for the rest of
 * the patch, updated by every insert, remove and replace, so each op costs
 * O(path length) plus a memmove of pointers, never a walk of the list.
 * Cost of a patch: O(size of its values + ops x (path + pointer moves)),
 * never O(size of the document).
 *
 * Every allocation goes through cJSON_malloc/cJSON_free (cJSON_InitHooks),
 * and running out of memory is PATCH_ENOMEM with the document untouched. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/patch.h"

/* Arrays shorter than this are walked; longer ones are indexed when an op
 * addresses them by position. */
#define ARR_INDEX_MIN 16

/* ---- children lists, by pointer (O(1) each) ---------------------------- */

/* The sibling before ITEM in PARENT, NULL when ITEM is the first. */
static cJSON *prev_of(const cJSON *parent, const cJSON *item)
{
	return parent->child == item ? NULL : item->prev;
}

/* Link ITEM into PARENT's children right after PREV (NULL: first). */
static void link_after(cJSON *parent, cJSON *prev, cJSON *item)
{
	cJSON *head = parent->child;
	if (!prev) {
		item->next = head;
		item->prev = head ? head->prev : item; /* the first node's prev is the last */
		if (head)
			head->prev = item;
		parent->child = item;
		return;
	}
	item->prev = prev;
	item->next = prev->next;
	if (prev->next)
		prev->next->prev = item;
	else
		head->prev = item; /* ITEM is the new last */
	prev->next = item;
}

/* Link ITEM before AT (NULL: at the end). Debian's cJSON 1.7.15
 * cJSON_InsertItemInArray inserts nothing for a middle index, so this is
 * done by hand. */
static void link_before(cJSON *parent, cJSON *at, cJSON *item)
{
	if (at)
		link_after(parent, prev_of(parent, at), item);
	else
		link_after(parent, parent->child ? parent->child->prev : NULL, item);
}

/* Put NW where OLD is; OLD is detached, not freed. */
static void swap_node(cJSON *parent, cJSON *old, cJSON *nw)
{
	cJSON *prev = prev_of(parent, old);
	cJSON_DetachItemViaPointer(parent, old);
	link_after(parent, prev, nw);
}

static char *dup_str(const char *s)
{
	size_t n = strlen(s) + 1;
	char *d = cJSON_malloc(n);
	if (d)
		memcpy(d, s, n);
	return d;
}

/* Give ITEM the member name KEY (NULL: none); -1 when out of memory (ITEM unchanged). */
static int set_key(cJSON *item, const char *key)
{
	char *k = NULL;
	if (key && !(k = dup_str(key)))
		return -1;
	if (!(item->type & cJSON_StringIsConst))
		cJSON_free(item->string);
	item->type &= ~cJSON_StringIsConst;
	item->string = k;
	return 0;
}

/* ---- positional index of long arrays ----------------------------------- */

typedef struct {
	const cJSON *arr; /* NULL: free slot */
	cJSON **v;        /* the children in order; NULL: stale, rebuilt on next use */
	size_t n, cap;
} arr_index;

typedef struct {
	arr_index *slot;
	size_t cap, used; /* open addressing, CAP a power of two */
} index_table;

static size_t slot_of(const index_table *t, const cJSON *arr)
{
	uint64_t h = (uint64_t)(uintptr_t)arr * 0x9e3779b97f4a7c15ULL;
	size_t i = (size_t)(h >> 32) & (t->cap - 1);
	while (t->slot[i].arr && t->slot[i].arr != arr)
		i = (i + 1) & (t->cap - 1);
	return i;
}

static int table_grow(index_table *t)
{
	size_t cap = t->cap ? t->cap * 2 : 16;
	arr_index *s = cJSON_malloc(cap * sizeof *s);
	if (!s)
		return -1;
	memset(s, 0, cap * sizeof *s);
	index_table nt = { s, cap, t->used };
	for (size_t i = 0; i < t->cap; i++)
		if (t->slot[i].arr)
			nt.slot[slot_of(&nt, t->slot[i].arr)] = t->slot[i];
	cJSON_free(t->slot);
	*t = nt;
	return 0;
}

static void table_free(index_table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		cJSON_free(t->slot[i].v);
	cJSON_free(t->slot);
	t->slot = NULL;
	t->cap = t->used = 0;
}

/* ARR's index, built on first use; NULL when ARR is short (or out of
 * memory: callers then walk the list, which is slower but right). */
static arr_index *index_of(index_table *t, const cJSON *arr)
{
	if (t->cap) {
		arr_index *x = &t->slot[slot_of(t, arr)];
		if (x->arr && x->v)
			return x;
	}
	size_t n = 0;
	const cJSON *c = arr->child;
	for (; c && n < ARR_INDEX_MIN; c = c->next)
		n++;
	if (n < ARR_INDEX_MIN)
		return NULL; /* short: counted in O(ARR_INDEX_MIN) */
	for (; c; c = c->next)
		n++;
	if ((t->used + 1) * 2 > t->cap && table_grow(t) < 0)
		return NULL;
	arr_index *x = &t->slot[slot_of(t, arr)];
	size_t cap = n + n / 4 + 8;
	cJSON **v = cJSON_malloc(cap * sizeof *v);
	if (!v)
		return NULL;
	size_t i = 0;
	for (cJSON *e = arr->child; e; e = e->next)
		v[i++] = e;
	if (!x->arr)
		t->used++;
	*x = (arr_index){ arr, v, i, cap };
	return x;
}

/* Forget X's contents (after a failed update): rebuilt from the list on next use. */
static void index_stale(arr_index *x)
{
	cJSON_free(x->v);
	x->v = NULL;
	x->n = x->cap = 0;
}

/* ITEM now sits at IDX in X's array. */
static void index_insert(arr_index *x, size_t idx, cJSON *item)
{
	if (x->n == x->cap) {
		size_t cap = x->cap * 2;
		cJSON **v = cJSON_malloc(cap * sizeof *v);
		if (!v) {
			index_stale(x);
			return;
		}
		memcpy(v, x->v, x->n * sizeof *v);
		cJSON_free(x->v);
		x->v = v;
		x->cap = cap;
	}
	memmove(x->v + idx + 1, x->v + idx, (x->n - idx) * sizeof *x->v);
	x->v[idx] = item;
	x->n++;
}

static void index_remove(arr_index *x, size_t idx)
{
	memmove(x->v + idx, x->v + idx + 1, (x->n - idx - 1) * sizeof *x->v);
	x->n--;
}

/* ---- the undo log ------------------------------------------------------- */

typedef enum { U_ROOT, U_UNINSERT, U_REINSERT, U_UNREPLACE } undo_kind;

typedef struct {
	undo_kind kind;
	cJSON *parent;
	cJSON *item;   /* U_UNINSERT: the inserted node; U_REINSERT: the removed node;
	                  U_UNREPLACE: the new node; U_ROOT: the old root */
	cJSON *old;    /* U_UNREPLACE: the replaced node; U_REINSERT: the sibling it
	                  followed (NULL: it was first) */
} undo_rec;

typedef struct {
	undo_rec *v;
	size_t n, cap;
	cJSON **doc;
} undo_log;

/* Room for one more record, made before a mutation so that recording it
 * cannot fail. */
static int log_reserve(undo_log *lg)
{
	if (lg->n < lg->cap)
		return 0;
	size_t cap = lg->cap ? lg->cap * 2 : 16;
	undo_rec *v = cJSON_malloc(cap * sizeof *v);
	if (!v)
		return -1;
	if (lg->n)
		memcpy(v, lg->v, lg->n * sizeof *v);
	cJSON_free(lg->v);
	lg->v = v;
	lg->cap = cap;
	return 0;
}

static void log_push(undo_log *lg, undo_rec r)
{
	lg->v[lg->n++] = r; /* room made by log_reserve */
}

/* The state just after record R was made is restored before R is undone,
 * so the pointers it holds (parent, sibling) are where they were. */
static void log_undo(undo_log *lg)
{
	while (lg->n > 0) {
		undo_rec *r = &lg->v[--lg->n];
		switch (r->kind) {
		case U_ROOT:
			cJSON_Delete(*lg->doc);
			*lg->doc = r->item;
			break;
		case U_UNINSERT:
			cJSON_Delete(cJSON_DetachItemViaPointer(r->parent, r->item));
			break;
		case U_REINSERT:
			link_after(r->parent, r->old, r->item);
			break;
		case U_UNREPLACE:
			swap_node(r->parent, r->item, r->old);
			cJSON_Delete(r->item);
			break;
		}
	}
}

static void log_commit(undo_log *lg)
{
	for (size_t i = 0; i < lg->n; i++) {
		undo_rec *r = &lg->v[i];
		if (r->kind == U_ROOT || r->kind == U_REINSERT)
			cJSON_Delete(r->item);
		else if (r->kind == U_UNREPLACE)
			cJSON_Delete(r->old);
	}
	lg->n = 0;
}

/* ---- applying ops --------------------------------------------------------- */

typedef struct {
	undo_log *lg;
	index_table ix;
	int flags;
	int jflags;
	patch_error *err;
	int index;
	const char *op;
	const char *path;
} patch_ctx;

static patch_status fail(patch_ctx *pc, patch_status st, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static patch_status fail(patch_ctx *pc, patch_status st, const char *fmt, ...)
{
	if (pc->err) {
		char reason[160];
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(reason, sizeof reason, fmt, ap);
		va_end(ap);
		pc->err->status = st;
		pc->err->index = pc->index;
		if (pc->index < 0)
			snprintf(pc->err->msg, sizeof pc->err->msg, "%s", reason);
		else
			snprintf(pc->err->msg, sizeof pc->err->msg, "op %d (%s %.80s): %s", pc->index,
			         pc->op ? pc->op : "?", pc->path ? pc->path : "", reason);
	}
	return st;
}

static patch_status nomem(patch_ctx *pc)
{
	return fail(pc, PATCH_ENOMEM, "%s", "out of memory");
}

static patch_status parse_ptr(patch_ctx *pc, const char *text, jptr *p)
{
	char e[128];
	int r = jptr_parse(text, pc->jflags, p, e, sizeof e);
	if (r == JPTR_ENOMEM)
		return nomem(pc);
	if (r < 0)
		return fail(pc, PATCH_EMALFORMED, "%s", e);
	return PATCH_OK;
}

/* Element I of array ARR, through its index when it is long. */
static cJSON *arr_at(patch_ctx *pc, const cJSON *arr, long i)
{
	arr_index *x = index_of(&pc->ix, arr);
	if (x)
		return (size_t)i < x->n ? x->v[i] : NULL;
	cJSON *e = arr->child;
	while (e && i-- > 0)
		e = e->next;
	return e;
}

static long arr_len(patch_ctx *pc, const cJSON *arr)
{
	arr_index *x = index_of(&pc->ix, arr);
	if (x)
		return (long)x->n;
	long n = 0;
	for (const cJSON *c = arr->child; c; c = c->next)
		n++;
	return n;
}

/* Child TOKEN of container C (see jptr_child), arrays through their index. */
static cJSON *child(patch_ctx *pc, const cJSON *c, const char *token)
{
	if (cJSON_IsArray(c)) {
		long i = jptr_index(token);
		return i < 0 ? NULL : arr_at(pc, c, i);
	}
	return jptr_child(c, token, pc->jflags);
}

/* The node P's first N tokens lead to, or NULL. */
static cJSON *walk(patch_ctx *pc, const cJSON *doc, const jptr *p, size_t n)
{
	const cJSON *cur = doc;
	for (size_t i = 0; cur && i < n; i++)
		cur = child(pc, cur, p->tok[i]);
	return (cJSON *)cur;
}

/* add VALUE (owned; freed on failure) at P. */
static patch_status do_add(patch_ctx *pc, cJSON **doc, const jptr *p, cJSON *value)
{
	if (log_reserve(pc->lg) < 0) {
		cJSON_Delete(value);
		return nomem(pc);
	}
	if (p->n == 0) {
		log_push(pc->lg, (undo_rec){ U_ROOT, NULL, *doc, NULL });
		*doc = value;
		return PATCH_OK;
	}
	const char *last = p->tok[p->n - 1];
	cJSON *parent = walk(pc, *doc, p, p->n - 1);
	if (!parent || !(cJSON_IsObject(parent) || cJSON_IsArray(parent))) {
		cJSON_Delete(value);
		return fail(pc, PATCH_EPATH, "%s", parent ? "parent is not a container" : "parent does not exist");
	}
	if (cJSON_IsObject(parent)) {
		cJSON *old = jptr_child(parent, last, pc->jflags);
		if (set_key(value, old ? old->string : last) < 0) {
			cJSON_Delete(value);
			return nomem(pc);
		}
		if (old) {
			swap_node(parent, old, value);
			log_push(pc->lg, (undo_rec){ U_UNREPLACE, parent, value, old });
		} else {
			link_before(parent, NULL, value);
			log_push(pc->lg, (undo_rec){ U_UNINSERT, parent, value, NULL });
		}
		return PATCH_OK;
	}
	long size = arr_len(pc, parent);
	long idx = strcmp(last, "-") ? jptr_index(last) : size;
	if (idx < 0 || idx > size) {
		cJSON_Delete(value);
		return fail(pc, PATCH_EPATH, "bad array index '%s'", last);
	}
	set_key(value, NULL);
	link_before(parent, idx < size ? arr_at(pc, parent, idx) : NULL, value);
	arr_index *x = index_of(&pc->ix, parent);
	if (x && x->n == (size_t)size) /* built before this insert: update it */
		index_insert(x, (size_t)idx, value);
	log_push(pc->lg, (undo_rec){ U_UNINSERT, parent, value, NULL });
	return PATCH_OK;
}

/* Parent and child at P (the child NULL if absent); *IDX gets an array
 * element's position (-1 for an object member). */
static cJSON *locate(patch_ctx *pc, cJSON *doc, const jptr *p, cJSON **parent, long *idx)
{
	const char *last = p->tok[p->n - 1];
	*parent = walk(pc, doc, p, p->n - 1);
	*idx = *parent && cJSON_IsArray(*parent) ? jptr_index(last) : -1;
	return *parent ? child(pc, *parent, last) : NULL;
}

static patch_status do_remove(patch_ctx *pc, cJSON **doc, const jptr *p)
{
	if (p->n == 0)
		return fail(pc, PATCH_EPATH, "%s", "cannot remove the whole document");
	if (log_reserve(pc->lg) < 0)
		return nomem(pc);
	cJSON *parent;
	long idx;
	cJSON *item = locate(pc, *doc, p, &parent, &idx);
	if (!item)
		return fail(pc, PATCH_EPATH, "%s", "path does not exist");
	cJSON *prev = prev_of(parent, item);
	cJSON_DetachItemViaPointer(parent, item);
	arr_index *x = idx >= 0 ? index_of(&pc->ix, parent) : NULL;
	if (x && (size_t)idx < x->n && x->v[idx] == item)
		index_remove(x, (size_t)idx); /* else built just now, without ITEM */
	log_push(pc->lg, (undo_rec){ U_REINSERT, parent, item, prev });
	return PATCH_OK;
}

static patch_status do_replace(patch_ctx *pc, cJSON **doc, const jptr *p, cJSON *value)
{
	if (p->n == 0)
		return do_add(pc, doc, p, value);
	if (log_reserve(pc->lg) < 0) {
		cJSON_Delete(value);
		return nomem(pc);
	}
	cJSON *parent;
	long idx;
	cJSON *old = locate(pc, *doc, p, &parent, &idx);
	if (!old) {
		cJSON_Delete(value);
		return fail(pc, PATCH_EPATH, "%s", "path does not exist");
	}
	if (set_key(value, cJSON_IsObject(parent) ? old->string : NULL) < 0) {
		cJSON_Delete(value);
		return nomem(pc);
	}
	swap_node(parent, old, value);
	arr_index *x = idx >= 0 ? index_of(&pc->ix, parent) : NULL;
	if (x)
		x->v[idx] = value;
	log_push(pc->lg, (undo_rec){ U_UNREPLACE, parent, value, old });
	return PATCH_OK;
}

static bool is_prefix(const jptr *a, const jptr *b, int jflags)
{
	if (a->n >= b->n)
		return false;
	for (size_t i = 0; i < a->n; i++)
		if ((jflags & JPTR_SERVICE) ? strcasecmp(a->tok[i], b->tok[i]) : strcmp(a->tok[i], b->tok[i]))
			return false;
	return true;
}

/* move/copy: FROM resolved and duplicated, then (move) removed, then added. */
static patch_status do_move_copy(patch_ctx *pc, cJSON **doc, const cJSON *op, const jptr *p, bool move)
{
	const cJSON *from = json_get(op, "from");
	if (!cJSON_IsString(from))
		return fail(pc, PATCH_EMALFORMED, "%s", "missing \"from\"");
	jptr fp;
	patch_status st = parse_ptr(pc, from->valuestring, &fp);
	if (st)
		return st;
	cJSON *src = walk(pc, *doc, &fp, fp.n);
	if (!src) {
		jptr_free(&fp);
		return fail(pc, PATCH_EPATH, "\"from\" %.100s does not exist", from->valuestring);
	}
	if (move && is_prefix(&fp, p, pc->jflags)) {
		jptr_free(&fp);
		return fail(pc, PATCH_EPATH, "%s", "cannot move a value into itself");
	}
	cJSON *val = cJSON_Duplicate(src, 1);
	if (!val) {
		jptr_free(&fp);
		return nomem(pc);
	}
	st = move ? do_remove(pc, doc, &fp) : PATCH_OK;
	jptr_free(&fp);
	if (st) {
		cJSON_Delete(val);
		return st;
	}
	return do_add(pc, doc, p, val);
}

static patch_status do_test(patch_ctx *pc, cJSON **doc, const jptr *p, const cJSON *value)
{
	cJSON *cur = walk(pc, *doc, p, p->n);
	if (!cur)
		return fail(pc, PATCH_ETEST, "%s", "test failed: path does not exist");
	if (!json_equal(cur, value))
		return fail(pc, PATCH_ETEST, "%s", "test failed: value differs");
	return PATCH_OK;
}

static patch_status apply_op(patch_ctx *pc, cJSON **doc, const cJSON *op)
{
	if (!cJSON_IsObject(op))
		return fail(pc, PATCH_EMALFORMED, "%s", "operation is not an object");
	const cJSON *o = json_get(op, "op"), *path = json_get(op, "path"), *value = json_get(op, "value");
	if (!cJSON_IsString(o))
		return fail(pc, PATCH_EMALFORMED, "%s", "missing \"op\"");
	pc->op = o->valuestring;
	if (!cJSON_IsString(path))
		return fail(pc, PATCH_EMALFORMED, "%s", "missing \"path\"");
	pc->path = path->valuestring;
	const char *name = o->valuestring;
	bool needs_value = !strcmp(name, "add") || !strcmp(name, "replace") || !strcmp(name, "test");
	bool known = needs_value || !strcmp(name, "remove") || !strcmp(name, "move") || !strcmp(name, "copy");
	if (!known)
		return fail(pc, PATCH_EUNSUPPORTED, "unknown op \"%.60s\"", name);
	if ((pc->flags & PATCH_SERVICE) && (!strcmp(name, "move") || !strcmp(name, "copy")))
		return fail(pc, PATCH_EUNSUPPORTED, "\"%s\" is not supported by the service", name);
	if (needs_value && !value)
		return fail(pc, PATCH_EMALFORMED, "%s", "missing \"value\"");
	jptr p;
	patch_status st = parse_ptr(pc, path->valuestring, &p);
	if (st)
		return st;
	if (!strcmp(name, "test")) {
		st = do_test(pc, doc, &p, value);
	} else if (!strcmp(name, "remove")) {
		st = do_remove(pc, doc, &p);
	} else if (!strcmp(name, "move") || !strcmp(name, "copy")) {
		st = do_move_copy(pc, doc, op, &p, name[0] == 'm');
	} else {
		cJSON *v = cJSON_Duplicate(value, 1);
		if (!v)
			st = nomem(pc);
		else
			st = name[0] == 'a' ? do_add(pc, doc, &p, v) : do_replace(pc, doc, &p, v);
	}
	jptr_free(&p);
	return st;
}

/* Apply PATCH to *DOC atomically. */
patch_status patch_apply(cJSON **doc, const cJSON *patch, int flags, patch_error *err)
{
	undo_log lg = { NULL, 0, 0, doc };
	patch_ctx pc = { &lg, { NULL, 0, 0 }, flags, (flags & PATCH_SERVICE) ? JPTR_SERVICE : JPTR_STRICT,
	                 err, -1, NULL, NULL };
	if (err) {
		err->status = PATCH_OK;
		err->index = -1;
		err->msg[0] = '\0';
	}
	if (!cJSON_IsArray(patch))
		return fail(&pc, PATCH_EMALFORMED, "%s", "a JSON Patch must be an array of operations");
	patch_status st = PATCH_OK;
	int i = 0;
	for (const cJSON *op = patch->child; op; op = op->next, i++) {
		pc.index = i;
		pc.op = pc.path = NULL;
		st = apply_op(&pc, doc, op);
		if (st)
			break;
	}
	table_free(&pc.ix);
	if (st)
		log_undo(&lg);
	else
		log_commit(&lg);
	cJSON_free(lg.v);
	return st;
}

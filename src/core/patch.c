/* patch.c — JSON Patch (RFC 6902), applied atomically.
 *
 * Atomicity without copying the document: every mutation records how to
 * undo itself in a log (the detached or replaced nodes are kept, not
 * copied). On failure the log is unwound in reverse; on success the kept
 * nodes are freed. Cost: O(size of the patch values + path walks), never
 * O(size of the document), so a 5 MB ticket is not duplicated per save. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/patch.h"

typedef enum { U_ROOT, U_UNINSERT, U_REINSERT, U_UNREPLACE } undo_kind;

typedef struct {
	undo_kind kind;
	cJSON *parent;
	cJSON *item;   /* U_UNINSERT: the inserted node; U_REINSERT: the removed node;
	                  U_UNREPLACE: the new node; U_ROOT: the old root */
	cJSON *old;    /* U_UNREPLACE: the replaced node */
	int idx;
} undo_rec;

typedef struct {
	undo_rec *v;
	size_t n, cap;
	cJSON **doc;
} undo_log;

static int log_push(undo_log *lg, undo_rec r)
{
	if (lg->n == lg->cap) {
		size_t cap = lg->cap ? lg->cap * 2 : 16;
		undo_rec *v = realloc(lg->v, cap * sizeof *v);
		if (!v)
			return -1;
		lg->v = v;
		lg->cap = cap;
	}
	lg->v[lg->n++] = r;
	return 0;
}

static int child_index(const cJSON *parent, const cJSON *item)
{
	int i = 0;
	for (const cJSON *c = parent->child; c; c = c->next, i++)
		if (c == item)
			return i;
	return -1;
}

static int set_key(cJSON *item, const char *key)
{
	if (!(item->type & cJSON_StringIsConst))
		free(item->string);
	item->type &= ~cJSON_StringIsConst;
	item->string = NULL;
	if (key && !(item->string = strdup(key)))
		return -1;
	return 0;
}

/* Insert ITEM into PARENT at IDX (append if IDX is past the end). */
static void insert_at(cJSON *parent, int idx, cJSON *item)
{
	/* Debian's cJSON 1.7.15 cJSON_InsertItemInArray inserts nothing and
	 * returns false for a middle index, so link the node by hand. */
	cJSON *at = idx >= 0 ? cJSON_GetArrayItem(parent, idx) : NULL;
	if (!at) {
		cJSON_AddItemToArray(parent, item);
		return;
	}
	item->next = at;
	item->prev = at->prev; /* the first node's prev is the last node */
	if (at == parent->child)
		parent->child = item;
	else
		item->prev->next = item;
	at->prev = item;
}

/* Put NEW where OLD is in PARENT; OLD is detached, not freed. */
static int swap_in(cJSON *parent, cJSON *old, cJSON *nw)
{
	int idx = child_index(parent, old);
	if (cJSON_IsObject(parent) && set_key(nw, old->string) < 0)
		return -1;
	cJSON_DetachItemViaPointer(parent, old);
	insert_at(parent, idx, nw);
	return idx;
}

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
			insert_at(r->parent, r->idx, r->item);
			break;
		case U_UNREPLACE:
			cJSON_DetachItemViaPointer(r->parent, r->item);
			insert_at(r->parent, r->idx, r->old);
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

typedef struct {
	undo_log *lg;
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

static patch_status parse_ptr(patch_ctx *pc, const char *text, jptr *p)
{
	char e[128];
	if (jptr_parse(text, pc->jflags, p, e, sizeof e) < 0)
		return fail(pc, PATCH_EMALFORMED, "%s", e);
	return PATCH_OK;
}

/* add VALUE (owned; freed on failure) at P. */
static patch_status do_add(patch_ctx *pc, cJSON **doc, const jptr *p, cJSON *value)
{
	if (p->n == 0) {
		if (log_push(pc->lg, (undo_rec){ U_ROOT, NULL, *doc, NULL, 0 }) < 0)
			goto nomem;
		*doc = value;
		return PATCH_OK;
	}
	const char *last;
	cJSON *parent = jptr_parent(*doc, p, pc->jflags, &last);
	if (!parent || !(cJSON_IsObject(parent) || cJSON_IsArray(parent))) {
		cJSON_Delete(value);
		return fail(pc, PATCH_EPATH, "%s", parent ? "parent is not a container" : "parent does not exist");
	}
	if (cJSON_IsObject(parent)) {
		cJSON *old = jptr_child(parent, last, pc->jflags);
		if (old) {
			int idx = swap_in(parent, old, value);
			if (idx < 0 || log_push(pc->lg, (undo_rec){ U_UNREPLACE, parent, value, old, idx }) < 0)
				goto nomem;
			return PATCH_OK;
		}
		if (set_key(value, last) < 0)
			goto nomem;
		cJSON_AddItemToArray(parent, value);
	} else {
		int size = cJSON_GetArraySize(parent);
		long idx = strcmp(last, "-") ? jptr_index(last) : size;
		if (idx < 0 || idx > size) {
			cJSON_Delete(value);
			return fail(pc, PATCH_EPATH, "bad array index '%s'", last);
		}
		set_key(value, NULL);
		insert_at(parent, (int)idx, value);
	}
	if (log_push(pc->lg, (undo_rec){ U_UNINSERT, parent, value, NULL, 0 }) < 0)
		goto nomem;
	return PATCH_OK;
nomem:
	return fail(pc, PATCH_EMALFORMED, "%s", "out of memory");
}

static patch_status do_remove(patch_ctx *pc, cJSON **doc, const jptr *p)
{
	if (p->n == 0)
		return fail(pc, PATCH_EPATH, "%s", "cannot remove the whole document");
	const char *last;
	cJSON *parent = jptr_parent(*doc, p, pc->jflags, &last);
	cJSON *item = parent ? jptr_child(parent, last, pc->jflags) : NULL;
	if (!item)
		return fail(pc, PATCH_EPATH, "%s", "path does not exist");
	int idx = child_index(parent, item);
	cJSON_DetachItemViaPointer(parent, item);
	if (log_push(pc->lg, (undo_rec){ U_REINSERT, parent, item, NULL, idx }) < 0) {
		insert_at(parent, idx, item);
		return fail(pc, PATCH_EMALFORMED, "%s", "out of memory");
	}
	return PATCH_OK;
}

static patch_status do_replace(patch_ctx *pc, cJSON **doc, const jptr *p, cJSON *value)
{
	if (p->n == 0)
		return do_add(pc, doc, p, value);
	const char *last;
	cJSON *parent = jptr_parent(*doc, p, pc->jflags, &last);
	cJSON *old = parent ? jptr_child(parent, last, pc->jflags) : NULL;
	if (!old) {
		cJSON_Delete(value);
		return fail(pc, PATCH_EPATH, "%s", "path does not exist");
	}
	if (cJSON_IsArray(parent))
		set_key(value, NULL);
	int idx = swap_in(parent, old, value);
	if (idx < 0 || log_push(pc->lg, (undo_rec){ U_UNREPLACE, parent, value, old, idx }) < 0)
		return fail(pc, PATCH_EMALFORMED, "%s", "out of memory");
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

static const cJSON *member(const cJSON *op, const char *name)
{
	return json_get(op, name);
}

/* move/copy: FROM resolved and duplicated, then (move) removed, then added. */
static patch_status do_move_copy(patch_ctx *pc, cJSON **doc, const cJSON *op, const jptr *p, bool move)
{
	const cJSON *from = member(op, "from");
	if (!cJSON_IsString(from))
		return fail(pc, PATCH_EMALFORMED, "%s", "missing \"from\"");
	jptr fp;
	patch_status st = parse_ptr(pc, from->valuestring, &fp);
	if (st)
		return st;
	cJSON *src = jptr_get(*doc, from->valuestring, pc->jflags);
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
		return fail(pc, PATCH_EMALFORMED, "%s", "out of memory");
	}
	st = move ? do_remove(pc, doc, &fp) : PATCH_OK;
	jptr_free(&fp);
	if (st) {
		cJSON_Delete(val);
		return st;
	}
	return do_add(pc, doc, p, val);
}

static patch_status do_test(patch_ctx *pc, cJSON **doc, const cJSON *value)
{
	cJSON *cur = jptr_get(*doc, pc->path, pc->jflags);
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
	const cJSON *o = member(op, "op"), *path = member(op, "path"), *value = member(op, "value");
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
		st = do_test(pc, doc, value);
	} else if (!strcmp(name, "remove")) {
		st = do_remove(pc, doc, &p);
	} else if (!strcmp(name, "move") || !strcmp(name, "copy")) {
		st = do_move_copy(pc, doc, op, &p, name[0] == 'm');
	} else {
		cJSON *v = cJSON_Duplicate(value, 1);
		if (!v)
			st = fail(pc, PATCH_EMALFORMED, "%s", "out of memory");
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
	patch_ctx pc = { &lg, flags, (flags & PATCH_SERVICE) ? JPTR_SERVICE : JPTR_STRICT, err, -1, NULL, NULL };
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
	if (st)
		log_undo(&lg);
	else
		log_commit(&lg);
	free(lg.v);
	return st;
}

/* diff.c — the minimal guarded JSON Patch between two tickets and a
 * schema-free generic diff (objects recursively, arrays by LCS). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/diff.h"
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"

void diff_acc_init(diff_acc *acc, diff_mode mode)
{
	acc->tests = cJSON_CreateArray();
	acc->ops = cJSON_CreateArray();
	acc->mode = mode;
}

void diff_acc_free(diff_acc *acc)
{
	cJSON_Delete(acc->tests);
	cJSON_Delete(acc->ops);
	acc->tests = acc->ops = NULL;
}

/* Tests then ops, as one new array; ACC is reset (still usable). */
cJSON *diff_acc_finish(diff_acc *acc)
{
	cJSON *out = acc->tests ? acc->tests : cJSON_CreateArray();
	if (acc->ops) {
		cJSON *c = acc->ops->child;
		while (c) {
			cJSON *next = c->next;
			cJSON_AddItemToArray(out, cJSON_DetachItemViaPointer(acc->ops, c));
			c = next;
		}
		cJSON_Delete(acc->ops);
	}
	acc->tests = cJSON_CreateArray();
	acc->ops = cJSON_CreateArray();
	return out;
}

static void push(cJSON *list, const char *op, const char *path, const cJSON *value)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return;
	cJSON_AddStringToObject(o, "op", op);
	cJSON_AddStringToObject(o, "path", path);
	if (value)
		cJSON_AddItemToObject(o, "value", cJSON_Duplicate(value, 1));
	cJSON_AddItemToArray(list, o);
}

static void acc_test(diff_acc *acc, const char *path, const cJSON *bv)
{
	if (acc->mode == DIFF_FIELDS)
		push(acc->tests, "test", path, bv);
}

/* One whole value at PATH: add, guarded replace, or guarded remove. */
static void diff_value(diff_acc *acc, const char *path, const cJSON *bv, const cJSON *ev)
{
	if (json_equal(bv, ev))
		return;
	if (!ev) {
		acc_test(acc, path, bv);
		push(acc->ops, "remove", path, NULL);
	} else if (!bv) {
		push(acc->ops, "add", path, ev);
	} else {
		acc_test(acc, path, bv);
		push(acc->ops, "replace", path, ev);
	}
}

/* Exact member first, then case-insensitive. */
static cJSON *lookup(const cJSON *obj, const char *key)
{
	return json_get_ci(obj, key);
}

static void diff_ref(diff_acc *acc, const field_def *f, const char *path, const cJSON *bv, const cJSON *ev)
{
	const cJSON *bk = cJSON_IsObject(bv) ? lookup(bv, f->key) : NULL;
	const cJSON *ek = cJSON_IsObject(ev) ? lookup(ev, f->key) : NULL;
	if (cJSON_IsObject(ev) && !ek) {
		diff_value(acc, path, bv, ev); /* no key to go by: the object as a whole */
		return;
	}
	if (cJSON_IsObject(bv) && ek) {
		if (json_equal(bk, ek))
			return;
		char *p = jptr_join(path, bk ? bk->string : f->key);
		diff_value(acc, p, bk, ek);
		free(p);
		return;
	}
	if (ek) { /* base is null/absent/not an object: send the object with its key only */
		cJSON *obj = cJSON_CreateObject();
		cJSON_AddItemToObject(obj, ek->string, cJSON_Duplicate(ek, 1));
		diff_value(acc, path, bv, obj);
		cJSON_Delete(obj);
		return;
	}
	if (bk && !json_equal(bv, ev)) { /* reference cleared: guard on the key */
		char *p = jptr_join(path, bk->string);
		acc_test(acc, p, bk);
		free(p);
		push(acc->ops, ev ? "replace" : "remove", path, ev);
		return;
	}
	diff_value(acc, path, bv, ev);
}

static void diff_refset(diff_acc *acc, const field_def *f, const char *path, const cJSON *bv, const cJSON *ev)
{
	if (!cJSON_IsArray(bv) || !cJSON_IsArray(ev)) {
		diff_value(acc, path, bv, ev);
		return;
	}
	int n = cJSON_GetArraySize(bv);
	const cJSON **b = calloc((size_t)n + 1, sizeof *b);
	char *used = calloc((size_t)n + 1, 1);
	if (!b || !used)
		goto out;
	int i = 0;
	for (const cJSON *c = bv->child; c; c = c->next)
		b[i++] = c;
	cJSON *added = cJSON_CreateArray();
	for (const cJSON *e = ev->child; e; e = e->next) {
		const cJSON *ek = schema_ref_key(f, e);
		for (i = 0; i < n; i++)
			if (!used[i] && json_equal(schema_ref_key(f, b[i]), ek))
				break;
		if (i < n)
			used[i] = 1;
		else
			push(added, "add", "", e);
	}
	for (i = n - 1; i >= 0; i--) {
		if (used[i])
			continue;
		char idx[24];
		snprintf(idx, sizeof idx, "%d", i);
		char *ep = jptr_join(path, idx);
		const cJSON *k = schema_ref_key(f, b[i]);
		if (k != b[i]) {
			char *kp = jptr_join(ep, k->string);
			acc_test(acc, kp, k);
			free(kp);
		} else {
			acc_test(acc, ep, b[i]);
		}
		push(acc->ops, "remove", ep, NULL);
		free(ep);
	}
	char *ap = jptr_join(path, "-");
	for (cJSON *a = added->child; a; a = a->next)
		push(acc->ops, "add", ap, json_get(a, "value"));
	free(ap);
	cJSON_Delete(added);
out:
	free(b);
	free(used);
}

static void diff_map(diff_acc *acc, const char *path, const cJSON *bv, const cJSON *ev)
{
	if (!cJSON_IsObject(bv) || !cJSON_IsObject(ev)) {
		diff_value(acc, path, bv, ev);
		return;
	}
	/* Keys usually keep their order: try the member at the same position
	 * first, so a map of n keys costs O(n), not O(n^2), in the common case. */
	size_t matched = 0, nev = 0;
	const cJSON *e = ev->child;
	for (const cJSON *b = bv->child; b; b = b->next) {
		const cJSON *m = (e && e->string && !strcmp(e->string, b->string)) ? e : lookup(ev, b->string);
		char *p = jptr_join(path, b->string);
		diff_value(acc, p, b, m);
		free(p);
		matched += m != NULL;
		e = m ? m->next : e;
	}
	for (e = ev->child; e; e = e->next)
		nev++;
	if (nev == matched)
		return; /* every edited key was matched: nothing was added */
	const cJSON *b = bv->child;
	for (e = ev->child; e; e = e->next) {
		const cJSON *m = (b && b->string && !strcmp(b->string, e->string)) ? b : lookup(bv, e->string);
		if (m) {
			b = m->next;
			continue;
		}
		char *p = jptr_join(path, e->string);
		push(acc->ops, "add", p, e);
		free(p);
	}
}

/* One schema field's ops; O(size of the field). */
void diff_field(diff_acc *acc, const field_def *f, const char *key, const cJSON *bv, const cJSON *ev)
{
	if (!f || f->kind == FK_READONLY)
		return;
	char *path = jptr_join("", key ? key : f->name);
	if (!path)
		return;
	switch (f->kind) {
	case FK_REF:
		diff_ref(acc, f, path, bv, ev);
		break;
	case FK_REFSET:
		diff_refset(acc, f, path, bv, ev);
		break;
	case FK_MAP:
		diff_map(acc, path, bv, ev);
		break;
	default:
		diff_value(acc, path, bv, ev);
		break;
	}
	free(path);
}

static void warnf(void (*warn)(const char *, void *), void *ctx, const char *what, const char *name)
{
	if (!warn)
		return;
	char msg[256];
	snprintf(msg, sizeof msg, "%s %.120s changed but is not saved", what, name);
	warn(msg, ctx);
}

/* Whole-ticket diff in form order. */
cJSON *diff_ticket(const cJSON *base, const cJSON *edited, diff_mode mode,
                   void (*warn)(const char *msg, void *ctx), void *ctx)
{
	diff_acc acc;
	diff_acc_init(&acc, mode);
	if (!cJSON_IsObject(base) || !cJSON_IsObject(edited)) {
		if (warn)
			warn("a ticket must be a JSON object", ctx);
		cJSON *out = diff_acc_finish(&acc);
		diff_acc_free(&acc);
		return out;
	}
	for (size_t i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		const cJSON *bv = json_get_ci(base, f->name), *ev = json_get_ci(edited, f->name);
		if (f->kind == FK_READONLY || !schema_field_editable(base, f)) {
			if (!json_equal(bv, ev))
				warnf(warn, ctx, f->kind == FK_READONLY ? "read-only field" : "field (no write right)", f->name);
			continue;
		}
		diff_field(&acc, f, bv ? bv->string : f->name, bv, ev);
	}
	for (const cJSON *e = edited->child; e; e = e->next)
		if (!schema_find(e->string) && !json_equal(json_get_ci(base, e->string), e))
			warnf(warn, ctx, "unknown field", e->string);
	for (const cJSON *b = base->child; b; b = b->next)
		if (!schema_find(b->string) && !json_get_ci(edited, b->string))
			warnf(warn, ctx, "unknown field", b->string);
	cJSON *out = diff_acc_finish(&acc);
	diff_acc_free(&acc);
	return out;
}

/* ---- generic diff ------------------------------------------------------ */

static uint64_t mix(uint64_t h, uint64_t v)
{
	h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
	return h;
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603ULL;
	for (; s && *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t json_hash(const cJSON *j)
{
	uint64_t h = (uint64_t)(j->type & 0xFF);
	switch (j->type & 0xFF) {
	case cJSON_Number: {
		double d = j->valuedouble == 0 ? 0 : j->valuedouble;
		uint64_t bits;
		memcpy(&bits, &d, sizeof bits);
		return mix(h, bits);
	}
	case cJSON_String:
		return mix(h, hash_str(j->valuestring));
	case cJSON_Array:
		for (const cJSON *c = j->child; c; c = c->next)
			h = mix(h, json_hash(c));
		return h;
	case cJSON_Object: {
		uint64_t sum = 0;
		for (const cJSON *c = j->child; c; c = c->next)
			sum += mix(hash_str(c->string), json_hash(c)) * 0x100000001b3ULL;
		return mix(h, sum);
	}
	default:
		return h;
	}
}

#define LCS_MAX_CELLS (4u * 1024 * 1024)

static void gen_diff(diff_acc *acc, const char *tpath, const char *opath, const cJSON *a, const cJSON *b);

static char *idx_path(const char *base, long i)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%ld", i);
	return jptr_join(base, buf);
}

static void gen_object(diff_acc *acc, const char *tpath, const char *opath, const cJSON *a, const cJSON *b)
{
	for (const cJSON *x = a->child; x; x = x->next) {
		const cJSON *y = json_get(b, x->string);
		char *tp = jptr_join(tpath, x->string), *op = jptr_join(opath, x->string);
		if (y) {
			gen_diff(acc, tp, op, x, y);
		} else {
			acc_test(acc, tp, x);
			push(acc->ops, "remove", op, NULL);
		}
		free(tp);
		free(op);
	}
	for (const cJSON *y = b->child; y; y = y->next) {
		if (json_get(a, y->string))
			continue;
		char *op = jptr_join(opath, y->string);
		push(acc->ops, "add", op, y);
		free(op);
	}
}

typedef struct {
	const cJSON **x, **y;
	uint64_t *hx, *hy;
} arr_view;

static bool same(const arr_view *v, long i, long j)
{
	return v->hx[i] == v->hy[j] && json_equal(v->x[i], v->y[j]);
}

/* Matches of an LCS of x[lo..hi) and y[lo2..hi2), written as pairs to MI/MJ. */
static long lcs_matches(const arr_view *v, long x0, long nx, long y0, long ny, long *mi, long *mj)
{
	if (nx == 0 || ny == 0 || (unsigned long)(nx + 1) * (unsigned long)(ny + 1) > LCS_MAX_CELLS)
		return 0;
	uint32_t *t = calloc((size_t)(nx + 1) * (size_t)(ny + 1), sizeof *t);
	if (!t)
		return 0;
#define T(i, j) t[(size_t)(i) * (size_t)(ny + 1) + (size_t)(j)]
	for (long i = nx - 1; i >= 0; i--)
		for (long j = ny - 1; j >= 0; j--)
			T(i, j) = same(v, x0 + i, y0 + j) ? T(i + 1, j + 1) + 1
			          : (T(i + 1, j) >= T(i, j + 1) ? T(i + 1, j) : T(i, j + 1));
	long i = 0, j = 0, k = 0;
	while (i < nx && j < ny) {
		if (same(v, x0 + i, y0 + j) && T(i, j) == T(i + 1, j + 1) + 1) {
			mi[k] = x0 + i++;
			mj[k++] = y0 + j++;
		} else if (T(i + 1, j) >= T(i, j + 1)) {
			i++;
		} else {
			j++;
		}
	}
#undef T
	free(t);
	return k;
}

static void gen_array(diff_acc *acc, const char *tpath, const char *opath, const cJSON *a, const cJSON *b)
{
	long n = cJSON_GetArraySize(a), m = cJSON_GetArraySize(b);
	arr_view v = { calloc((size_t)n + 1, sizeof *v.x), calloc((size_t)m + 1, sizeof *v.y),
	               calloc((size_t)n + 1, sizeof *v.hx), calloc((size_t)m + 1, sizeof *v.hy) };
	long *mi = calloc((size_t)(n < m ? n : m) + 2, sizeof *mi);
	long *mj = calloc((size_t)(n < m ? n : m) + 2, sizeof *mj);
	if (!v.x || !v.y || !v.hx || !v.hy || !mi || !mj) {
		/* no memory for the LCS: one replace of the whole array is still right */
		acc_test(acc, tpath, a);
		push(acc->ops, "replace", opath, b);
		goto out;
	}
	long i = 0;
	for (const cJSON *c = a->child; c; c = c->next, i++) {
		v.x[i] = c;
		v.hx[i] = json_hash(c);
	}
	i = 0;
	for (const cJSON *c = b->child; c; c = c->next, i++) {
		v.y[i] = c;
		v.hy[i] = json_hash(c);
	}
	long p = 0, s = 0;
	while (p < n && p < m && same(&v, p, p))
		p++;
	while (s < n - p && s < m - p && same(&v, n - 1 - s, m - 1 - s))
		s++;
	long k = lcs_matches(&v, p, n - p - s, p, m - p - s, mi, mj);
	mi[k] = n - s; /* sentinel: the common suffix */
	mj[k] = m - s;
	long ai = p, bj = p, cur = p;
	for (long q = 0; q <= k; q++) {
		long dels = mi[q] - ai, ins = mj[q] - bj, both = dels < ins ? dels : ins;
		for (long t = 0; t < both; t++, cur++) {
			char *tp = idx_path(tpath, ai + t), *op = idx_path(opath, cur);
			gen_diff(acc, tp, op, v.x[ai + t], v.y[bj + t]);
			free(tp);
			free(op);
		}
		for (long t = both; t < dels; t++) {
			char *tp = idx_path(tpath, ai + t), *op = idx_path(opath, cur);
			acc_test(acc, tp, v.x[ai + t]);
			push(acc->ops, "remove", op, NULL);
			free(tp);
			free(op);
		}
		for (long t = both; t < ins; t++, cur++) {
			char *op = idx_path(opath, cur);
			push(acc->ops, "add", op, v.y[bj + t]);
			free(op);
		}
		cur++;
		ai = mi[q] + 1;
		bj = mj[q] + 1;
	}
out:
	free(v.x);
	free(v.y);
	free(v.hx);
	free(v.hy);
	free(mi);
	free(mj);
}

static void gen_diff(diff_acc *acc, const char *tpath, const char *opath, const cJSON *a, const cJSON *b)
{
	if (json_equal(a, b))
		return;
	if (cJSON_IsObject(a) && cJSON_IsObject(b)) {
		gen_object(acc, tpath, opath, a, b);
	} else if (cJSON_IsArray(a) && cJSON_IsArray(b)) {
		gen_array(acc, tpath, opath, a, b);
	} else {
		acc_test(acc, tpath, a);
		push(acc->ops, "replace", opath, b);
	}
}

/* Schema-free diff. */
cJSON *diff_generic(const cJSON *base, const cJSON *edited, diff_mode mode)
{
	diff_acc acc;
	diff_acc_init(&acc, mode);
	gen_diff(&acc, "", "", base, edited);
	cJSON *out = diff_acc_finish(&acc);
	diff_acc_free(&acc);
	return out;
}

/* merge.c — JSON Merge Patch (RFC 7396): apply, and conversion of a merge
 * patch into the equivalent JSON Patch against a document (what the
 * SuperOffice service does with a merge-patch body). */
#include <stdlib.h>
#include <string.h>
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/patch.h"

static int set_name(cJSON *item, const char *key)
{
	if (!(item->type & cJSON_StringIsConst))
		free(item->string);
	item->type &= ~cJSON_StringIsConst;
	item->string = strdup(key);
	return item->string ? 0 : -1;
}

/* RFC 7396 MergePatch(TARGET, PATCH); TARGET is consumed, the result returned. */
static cJSON *merge_into(cJSON *target, const cJSON *patch)
{
	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, 1);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
		if (!target)
			return NULL;
	}
	for (const cJSON *m = patch->child; m; m = m->next) {
		cJSON *old = json_get(target, m->string);
		if (cJSON_IsNull(m)) {
			if (old)
				cJSON_Delete(cJSON_DetachItemViaPointer(target, old));
			continue;
		}
		if (old) {
			/* keep the member's position: detach, merge, put back */
			int idx = 0;
			for (cJSON *c = target->child; c && c != old; c = c->next)
				idx++;
			cJSON_DetachItemViaPointer(target, old);
			cJSON *nw = merge_into(old, m);
			if (nw && set_name(nw, m->string) == 0) {
				cJSON *at = cJSON_GetArrayItem(target, idx);
				if (!at) {
					cJSON_AddItemToArray(target, nw);
				} else { /* link by hand: see insert_at in patch.c */
					nw->next = at;
					nw->prev = at->prev;
					if (at == target->child)
						target->child = nw;
					else
						nw->prev->next = nw;
					at->prev = nw;
				}
			}
		} else {
			cJSON *nw = merge_into(NULL, m);
			if (nw)
				cJSON_AddItemToObject(target, m->string, nw);
		}
	}
	return target;
}

/* Apply MERGE to *DOC (RFC 7396). */
void merge_apply(cJSON **doc, const cJSON *merge)
{
	cJSON *r = merge_into(*doc, merge);
	*doc = r ? r : cJSON_CreateNull();
}

static void add_op(cJSON *ops, const char *op, const char *path, cJSON *value)
{
	cJSON *o = cJSON_CreateObject();
	cJSON_AddStringToObject(o, "op", op);
	cJSON_AddStringToObject(o, "path", path);
	if (value)
		cJSON_AddItemToObject(o, "value", value);
	cJSON_AddItemToArray(ops, o);
}

/* The value a merge member produces where nothing was: nulls stripped. */
static cJSON *stripped(const cJSON *m)
{
	return merge_into(NULL, m);
}

static void m2p(cJSON *ops, const cJSON *doc, const cJSON *merge, const char *path, int flags)
{
	if (!cJSON_IsObject(merge) || !cJSON_IsObject(doc)) {
		cJSON *v = stripped(merge);
		if (!json_equal(doc, v))
			add_op(ops, "replace", path, v);
		else
			cJSON_Delete(v);
		return;
	}
	for (const cJSON *m = merge->child; m; m = m->next) {
		const cJSON *d = (flags & PATCH_SERVICE) ? json_get_ci(doc, m->string) : json_get(doc, m->string);
		char *p = jptr_join(path, d ? d->string : m->string);
		if (!p)
			continue;
		if (cJSON_IsNull(m)) {
			if (d)
				add_op(ops, "remove", p, NULL);
		} else if (!d) {
			add_op(ops, "add", p, stripped(m));
		} else {
			m2p(ops, d, m, p, flags);
		}
		free(p);
	}
}

/* The JSON Patch equivalent of MERGE applied to DOC. */
cJSON *merge_to_patch(const cJSON *doc, const cJSON *merge, int flags)
{
	cJSON *ops = cJSON_CreateArray();
	if (ops)
		m2p(ops, doc, merge, "", flags);
	return ops;
}

/* merge.c — JSON Merge Patch (RFC 7396): conversion of a merge patch into the
 * equivalent JSON Patch against a document (what the SuperOffice service does
 * with a merge-patch body), and applying a merge patch through that
 * conversion, so it is atomic like patch_apply (undo log, PATCH_ENOMEM). */
#include <stdlib.h>
#include <string.h>
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/patch.h"

/* The value merge member M produces where nothing was: a copy with the
 * nulls of its objects dropped (RFC 7396 applied to an absent target). */
static cJSON *stripped(const cJSON *m)
{
	if (!cJSON_IsObject(m))
		return cJSON_Duplicate(m, 1);
	cJSON *o = cJSON_CreateObject();
	for (const cJSON *c = o ? m->child : NULL; c; c = c->next) {
		if (cJSON_IsNull(c))
			continue;
		cJSON *v = stripped(c);
		if (!v || !cJSON_AddItemToObject(o, c->string, v)) {
			cJSON_Delete(v);
			cJSON_Delete(o);
			return NULL;
		}
	}
	return o;
}

/* Append {op, path[, value]} to OPS; VALUE is taken over (freed on failure). */
static int add_op(cJSON *ops, const char *op, const char *path, cJSON *value, bool has_value)
{
	cJSON *o = cJSON_CreateObject();
	if (!o || (has_value && !value) || !cJSON_AddStringToObject(o, "op", op) ||
	    !cJSON_AddStringToObject(o, "path", path)) {
		cJSON_Delete(o);
		cJSON_Delete(value);
		return -1;
	}
	if (value && !cJSON_AddItemToObject(o, "value", value)) {
		cJSON_Delete(o);
		cJSON_Delete(value);
		return -1;
	}
	cJSON_AddItemToArray(ops, o);
	return 0;
}

/* Ops turning DOC (at PATH) into DOC merged with MERGE; -1 when out of memory. */
static int m2p(cJSON *ops, const cJSON *doc, const cJSON *merge, const char *path, int flags)
{
	if (!cJSON_IsObject(merge) || !cJSON_IsObject(doc)) {
		cJSON *v = stripped(merge);
		if (!v)
			return -1;
		if (json_equal(doc, v)) {
			cJSON_Delete(v);
			return 0;
		}
		return add_op(ops, "replace", path, v, true);
	}
	for (const cJSON *m = merge->child; m; m = m->next) {
		const cJSON *d = (flags & PATCH_SERVICE) ? json_get_ci(doc, m->string) : json_get(doc, m->string);
		char *p = jptr_join(path, d ? d->string : m->string);
		int r = 0;
		if (!p)
			return -1;
		if (cJSON_IsNull(m)) {
			if (d)
				r = add_op(ops, "remove", p, NULL, false);
		} else if (!d) {
			r = add_op(ops, "add", p, stripped(m), true);
		} else {
			r = m2p(ops, d, m, p, flags);
		}
		free(p);
		if (r < 0)
			return -1;
	}
	return 0;
}

/* The JSON Patch equivalent of MERGE applied to DOC; NULL when out of memory. */
cJSON *merge_to_patch(const cJSON *doc, const cJSON *merge, int flags)
{
	cJSON *ops = cJSON_CreateArray();
	if (ops && m2p(ops, doc, merge, "", flags) < 0) {
		cJSON_Delete(ops);
		ops = NULL;
	}
	return ops;
}

/* Apply MERGE to *DOC (RFC 7396), atomically. */
patch_status merge_apply(cJSON **doc, const cJSON *merge)
{
	cJSON *ops = merge_to_patch(*doc, merge, PATCH_STRICT);
	if (!ops)
		return PATCH_ENOMEM;
	patch_status st = patch_apply(doc, ops, PATCH_STRICT, NULL);
	cJSON_Delete(ops);
	return st;
}

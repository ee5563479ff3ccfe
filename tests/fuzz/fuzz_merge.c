/* fuzz_merge.c — JSON Merge Patch. Input: "[DOC, MERGE]".
 * Property: merge_apply(DOC, MERGE) gives what RFC 7396's MergePatch
 * pseudo-code gives (written out plainly below as the reference), and so
 * does merge_to_patch(DOC, MERGE) applied with patch_apply. */
#include "fuzz.h"
#include "ticketed/patch.h"

/* RFC 7396 section 2, line by line; TARGET is consumed. Members keep their
 * place when replaced; new ones are appended. */
static cJSON *rfc_merge(cJSON *target, const cJSON *patch)
{
	if (!cJSON_IsObject(patch)) {
		cJSON_Delete(target);
		return cJSON_Duplicate(patch, 1);
	}
	if (!cJSON_IsObject(target)) {
		cJSON_Delete(target);
		target = cJSON_CreateObject();
	}
	for (const cJSON *m = patch->child; m; m = m->next) {
		cJSON *old = cJSON_GetObjectItemCaseSensitive(target, m->string);
		if (cJSON_IsNull(m)) {
			if (old)
				cJSON_Delete(cJSON_DetachItemViaPointer(target, old));
		} else if (old) {
			cJSON *copy = cJSON_Duplicate(old, 1);
			cJSON *nw = rfc_merge(copy, m);
			cJSON_ReplaceItemViaPointer(target, old, nw); /* takes nw's key from old's place */
			if (!nw->string)
				nw->string = strdup(m->string);
		} else {
			cJSON_AddItemToObject(target, m->string, rfc_merge(NULL, m));
		}
	}
	return target;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc, *merge, *merged, *patched, *want, *ops;
	patch_error pe;
	patch_status st;

	if (fuzz_pair(data, size, &doc, &merge) != 0)
		return 0;
	want = rfc_merge(cJSON_Duplicate(doc, 1), merge);
	merged = cJSON_Duplicate(doc, 1);
	patched = cJSON_Duplicate(doc, 1);
	FUZZ_CHECK(merge_apply(&merged, merge) == PATCH_OK, "merge_apply failed");
	ops = merge_to_patch(doc, merge, PATCH_STRICT);
	FUZZ_CHECK(ops != NULL, "merge_to_patch returned NULL");
	st = patch_apply(&patched, ops, PATCH_STRICT, &pe);
	{
		char *o = fuzz_show(ops), *m = fuzz_show(merged), *p = fuzz_show(patched), *w = fuzz_show(want);

		FUZZ_CHECK(st == PATCH_OK, "its patch %s fails: op %d: %s", o, pe.index, pe.msg);
		FUZZ_CHECK(json_equal(merged, want), "merge_apply gives %s, RFC 7396 gives %s", m, w);
		FUZZ_CHECK(json_equal(merged, patched), "merge gives %s, its patch %s gives %s", m, o, p);
		free(o);
		free(m);
		free(p);
		free(w);
	}
	/* the service flavour must at least not crash */
	cJSON_Delete(ops);
	ops = merge_to_patch(doc, merge, PATCH_SERVICE);
	cJSON_Delete(ops);
	cJSON_Delete(want);
	cJSON_Delete(merged);
	cJSON_Delete(patched);
	cJSON_Delete(doc);
	cJSON_Delete(merge);
	return 0;
}

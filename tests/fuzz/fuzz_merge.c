/* fuzz_merge.c — JSON Merge Patch. Input: "[DOC, MERGE]".
 * Property: merge_to_patch(DOC, MERGE) applied to DOC gives what
 * merge_apply gives. */
#include "fuzz.h"
#include "ticketed/patch.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc, *merge, *merged, *patched, *ops;
	patch_error pe;
	patch_status st;

	if (fuzz_pair(data, size, &doc, &merge) != 0)
		return 0;
	merged = cJSON_Duplicate(doc, 1);
	patched = cJSON_Duplicate(doc, 1);
	merge_apply(&merged, merge);
	ops = merge_to_patch(doc, merge, PATCH_STRICT);
	FUZZ_CHECK(ops != NULL, "merge_to_patch returned NULL");
	st = patch_apply(&patched, ops, PATCH_STRICT, &pe);
	{
		char *o = fuzz_show(ops), *m = fuzz_show(merged), *p = fuzz_show(patched);

		FUZZ_CHECK(st == PATCH_OK, "its patch %s fails: op %d: %s", o, pe.index, pe.msg);
		FUZZ_CHECK(json_equal(merged, patched), "merge gives %s, its patch %s gives %s", m, o, p);
		free(o);
		free(m);
		free(p);
	}
	/* the service flavour must at least not crash */
	cJSON_Delete(ops);
	ops = merge_to_patch(doc, merge, PATCH_SERVICE);
	cJSON_Delete(ops);
	cJSON_Delete(merged);
	cJSON_Delete(patched);
	cJSON_Delete(doc);
	cJSON_Delete(merge);
	return 0;
}

/* fuzz_patch.c — JSON Patch apply. Input: "[DOC, PATCH]".
 * Properties: a failed apply leaves the document exactly as it was
 * (atomic), strict and service; a successful apply leaves valid JSON that
 * prints and parses back equal. */
#include "fuzz.h"
#include "ticketed/patch.h"

static void apply_one(const cJSON *docv, const cJSON *patch, int flags)
{
	cJSON *d = cJSON_Duplicate(docv, 1);
	patch_error pe;
	patch_status st;
	char err[256];

	if (!d)
		return;
	st = patch_apply(&d, patch, flags, &pe);
	if (st != PATCH_OK) {
		char *a = fuzz_show(docv), *b = fuzz_show(d);

		FUZZ_CHECK(json_equal(d, docv), "not atomic (status %d, op %d: %s): %s became %s",
		           st, pe.index, pe.msg, a, b);
		free(a);
		free(b);
	} else {
		char *text = json_print(d, false);
		cJSON *back = text ? json_parse(text, strlen(text), "out", err, sizeof err) : NULL;

		FUZZ_CHECK(back && json_equal(back, d), "result does not round-trip: %s", text ? text : "");
		cJSON_Delete(back);
		free(text);
	}
	cJSON_Delete(d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *doc, *patch;

	if (fuzz_pair(data, size, &doc, &patch) != 0)
		return 0;
	apply_one(doc, patch, PATCH_STRICT);
	apply_one(doc, patch, PATCH_SERVICE);
	cJSON_Delete(doc);
	cJSON_Delete(patch);
	return 0;
}

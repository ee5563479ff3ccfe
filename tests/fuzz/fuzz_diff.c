/* fuzz_diff.c — the generic and the ticket diff. Input: "[BASE, EDITED]".
 * Properties: diff_generic's patch (with and without tests) applied to BASE
 * gives EDITED; diff_ticket's patch applies to BASE (its tests hold there)
 * under the service rules. */
#include "fuzz.h"
#include "ticketed/diff.h"
#include "ticketed/patch.h"

static void generic(const cJSON *base, const cJSON *edited, diff_mode mode)
{
	cJSON *patch = diff_generic(base, edited, mode), *d = cJSON_Duplicate(base, 1);
	patch_error pe;
	patch_status st;
	char *p = fuzz_show(patch), *b = fuzz_show(base), *e = fuzz_show(edited);

	FUZZ_CHECK(patch && cJSON_IsArray(patch), "no patch for %s -> %s", b, e);
	st = patch_apply(&d, patch, PATCH_STRICT, &pe);
	FUZZ_CHECK(st == PATCH_OK, "%s -> %s: patch %s fails: op %d: %s", b, e, p, pe.index, pe.msg);
	{
		char *got = fuzz_show(d);

		FUZZ_CHECK(json_equal(d, edited), "%s -> %s: patch %s gives %s", b, e, p, got);
		free(got);
	}
	free(p);
	free(b);
	free(e);
	cJSON_Delete(patch);
	cJSON_Delete(d);
}

static void ignore_warn(const char *msg, void *ctx)
{
	(void)msg;
	(void)ctx;
}

static void ticket(const cJSON *base, const cJSON *edited)
{
	cJSON *patch, *d;
	patch_error pe;
	patch_status st;

	if (!cJSON_IsObject(base) || !cJSON_IsObject(edited))
		return;
	patch = diff_ticket(base, edited, DIFF_FIELDS, ignore_warn, NULL);
	if (!patch)
		return;
	d = cJSON_Duplicate(base, 1);
	st = patch_apply(&d, patch, PATCH_SERVICE, &pe);
	{
		char *p = fuzz_show(patch), *b = fuzz_show(base);

		FUZZ_CHECK(st == PATCH_OK, "ticket patch %s does not apply to its base %s: op %d: %s",
		           p, b, pe.index, pe.msg);
		free(p);
		free(b);
	}
	cJSON_Delete(patch);
	cJSON_Delete(d);
	patch = diff_ticket(base, edited, DIFF_NONE, NULL, NULL);
	cJSON_Delete(patch);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	cJSON *base, *edited;

	if (fuzz_pair(data, size, &base, &edited) != 0)
		return 0;
	generic(base, edited, DIFF_NONE);
	generic(base, edited, DIFF_FIELDS);
	ticket(base, edited);
	cJSON_Delete(base);
	cJSON_Delete(edited);
	return 0;
}

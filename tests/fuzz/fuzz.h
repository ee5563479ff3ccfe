/* fuzz.h — helpers shared by the fuzz targets (tests/fuzz/fuzz_*.c).
 *
 * Each target defines LLVMFuzzerTestOneInput. A property that fails calls
 * FUZZ_CHECK, which prints what broke and aborts, so libFuzzer (and the
 * plain corpus driver) report it as a crash. */
#ifndef TICKETED_FUZZ_H
#define TICKETED_FUZZ_H

#include <math.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cjson/cJSON.h>

#include "ticketed/json.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_CHECK(cond, ...) do { \
	if (!(cond)) { \
		fprintf(stderr, "%s:%d: property failed: %s: ", __FILE__, __LINE__, #cond); \
		fprintf(stderr, __VA_ARGS__); \
		fputc('\n', stderr); \
		abort(); \
	} \
} while (0)

/* DATA as a NUL-terminated copy (malloc'd; NULL only if out of memory). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Once a filter for inputs core's JSON handling got wrong (numbers beyond
 * a double, repeated member names, doubles printed with 15 digits); all
 * three are fixed in json_parse/json_print and their crashers are in the
 * corpus, so every input is now kept. */
static inline bool fuzz_json_sane(const cJSON *j)
{
	(void)j; /* json_parse and json_print now handle all of it */
	return true;
}

/* Input "[A, B]" (strict JSON, bounded depth): *A and *B get detached
 * items the caller deletes. Returns 0, or -1 if the input is not that. */
static inline int fuzz_pair(const uint8_t *data, size_t size, cJSON **a, cJSON **b)
{
	char err[256];
	cJSON *arr = json_parse((const char *)data, size, "fuzz", err, sizeof err);

	if (!arr || !cJSON_IsArray(arr) || cJSON_GetArraySize(arr) != 2 ||
	    (!getenv("FUZZ_RAW_JSON") && !fuzz_json_sane(arr))) {
		cJSON_Delete(arr);
		return -1;
	}
	*b = cJSON_DetachItemFromArray(arr, 1);
	*a = cJSON_DetachItemFromArray(arr, 0);
	cJSON_Delete(arr);
	return 0;
}

/* Short compact text of J for messages (malloc'd). */
static inline char *fuzz_show(const cJSON *j)
{
	char *s = j ? cJSON_PrintUnformatted(j) : NULL;

	return s ? s : strdup("(null)");
}

#endif

/* testutil.h — helpers shared by the cmocka unit tests (header-only, static
 * inline so a test that uses none of them builds without warnings). Include
 * after <cmocka.h>. tu_parse returns a cJSON * the caller frees; tu_json_is
 * never takes ownership of its argument. */
#ifndef TICKETED_TESTUTIL_H
#define TICKETED_TESTUTIL_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ticketed/json.h"

/* JSON text S parsed (the caller frees it), or the test fails with the parse error. */
static inline cJSON *tu_parse(const char *s)
{
	char err[256];
	cJSON *j = json_parse(s, strlen(s), "test", err, sizeof err);
	if (!j)
		fail_msg("%s", err);
	return j;
}

/* Asserts J printed compactly (json_print) equals WANT; J is not freed. */
static inline void tu_json_is(const cJSON *j, const char *want)
{
	char *s = json_print(j, false);
	assert_string_equal(s, want);
	free(s);
}

/* Writes TEXT to the file PATH (created or truncated); the test fails if it cannot be opened. */
static inline void tu_write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

#endif

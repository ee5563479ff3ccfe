/* jsonptr.h — JSON Pointer (RFC 6901): parse, format, resolve.
 *
 * Ownership: a jptr owns its tokens (free with jptr_free). Resolved cJSON *
 * results borrow from the document passed in. */
#ifndef TICKETED_JSONPTR_H
#define TICKETED_JSONPTR_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* Resolution rules. */
enum {
	JPTR_STRICT = 0,      /* RFC 6901: leading '/' required, keys exact */
	JPTR_SERVICE = 1 << 0 /* SuperOffice: keys case-insensitive, leading '/' optional */
};

typedef struct {
	char **tok;   /* unescaped reference tokens */
	size_t n;
} jptr;

/* jptr_parse's result when out of memory. */
#define JPTR_ENOMEM (-2)

/* Parse TEXT into tokens ("~1" -> "/", "~0" -> "~"). Returns 0, -1 with a
 * message in ERR (bad escape, missing leading '/' in strict mode), or
 * JPTR_ENOMEM. "" is the whole document (n = 0). The tokens are allocated
 * with cJSON_malloc, so cJSON_InitHooks governs them too. */
int jptr_parse(const char *text, int flags, jptr *out, char *err, size_t errlen);
void jptr_free(jptr *p);

/* Format tokens back to text with RFC 6901 escaping; malloc'd. */
char *jptr_format(const jptr *p);

/* Escape one token ("a/b~c" -> "a~1b~0c"); malloc'd. */
char *jptr_escape(const char *token);

/* Append "/" + escaped TOKEN to the pointer text BASE; malloc'd. */
char *jptr_join(const char *base, const char *token);

/* Parse an array index token: digits only, no leading zeros (except "0").
 * Returns the index or -1. "-" is not an index (handled by callers). */
long jptr_index(const char *token);

/* Resolve TEXT in DOC; NULL if it does not exist or TEXT is invalid. */
cJSON *jptr_get(const cJSON *doc, const char *text, int flags);

/* Resolve the parent of the last token. *LAST gets the last token (borrowed
 * from P). Returns NULL if P is the root or the parent does not exist. */
cJSON *jptr_parent(const cJSON *doc, const jptr *p, int flags, const char **last);

/* Find child TOKEN of container C (object member or array index). */
cJSON *jptr_child(const cJSON *c, const char *token, int flags);

#endif

/* json.h — cJSON helpers shared by every layer: parsing with positions,
 * bounded depth, strict equality, compact printing.
 *
 * Ownership: functions returning cJSON * give the caller a new tree to
 * cJSON_Delete; functions taking const cJSON * never keep or free it. */
#ifndef TICKETED_JSON_H
#define TICKETED_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* Deepest nesting accepted from untrusted input (server, files). */
#define JSON_MAX_DEPTH 512

/* Parse LEN bytes of BUF. NAME labels errors ("FILE:LINE:COLUMN: message",
 * written to ERR). Strict RFC 8259; also rejects nesting deeper than
 * JSON_MAX_DEPTH, trailing garbage, numbers beyond a double and repeated
 * member names in an object. Returns a new tree, or NULL with ERR set. */
cJSON *json_parse(const char *buf, size_t len, const char *name, char *err, size_t errlen);

/* Parse a document whose top level is an object, lazily: members for which
 * WANT(key, CTX) is true are parsed; the others are kept as cJSON_Raw items
 * holding their compact text, which print verbatim and compare structurally
 * in json_equal (a 5 MB Messages array is never turned into nodes when only
 * Title changes). BUF (malloc'd, LEN bytes) is taken over, freed here or with
 * the returned tree. Errors as json_parse, except that repeated member names
 * inside a member kept raw are not looked for (it is never interpreted, only
 * passed through or compared). Other documents parse fully.
 * The raw items' buffer belongs to the root (its valuestring). cJSON_Duplicate
 * of the root is safe but wasteful (the copy strdups that buffer up to its
 * first NUL); duplicate the members you need instead. */
cJSON *json_parse_lazy(char *buf, size_t len, const char *name,
                       bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen);
/* The same with BUF borrowed (writable, e.g. a private file mapping): the
 * caller keeps it, unchanged, for as long as the tree lives, then frees it. */
cJSON *json_parse_lazy_borrowed(char *buf, size_t len, const char *name,
                                bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen);

/* json_read_file and json_parse_file (the only I/O next to core) are in
 * jsonfile.h; included here until every caller includes it itself. */
#include "ticketed/jsonfile.h"

/* Structural equality: same types, numbers equal, strings and keys compared
 * byte for byte (case-sensitive), objects as unordered key sets, arrays in order.
 * NULL (an absent value) equals only NULL. */
bool json_equal(const cJSON *a, const cJSON *b);

/* Compact (pretty=false) or indented text; malloc'd, caller frees. */
char *json_print(const cJSON *j, bool pretty);

/* Case-insensitive (ASCII) object member lookup that keeps the stored spelling. */
cJSON *json_get_ci(const cJSON *obj, const char *key);

/* Exact (case-sensitive) member lookup. */
cJSON *json_get(const cJSON *obj, const char *key);

/* True if the number is an integer that fits in int32. */
bool json_is_int32(const cJSON *j);

/* Walk the elements of the JSON array text S (LEN bytes, already validated,
 * e.g. a cJSON_Raw member kept by json_parse_lazy) without building nodes.
 * Set *IT to 0 first; each call sets [*START, *END) to the next element's
 * bytes and returns true, or returns false after the last one. */
bool json_array_next(const char *s, size_t len, size_t *it, size_t *start, size_t *end);

/* True if the JSON text BUF (LEN bytes) holds a \u0000 escape inside a string
 * or member name, with its LINE and COLUMN. cJSON ends its strings at a NUL,
 * so such a value would parse cut short ("a\u0000b" as "a", equal to
 * "a\u0000c"); callers that must not lose data refuse the text instead.
 * COLUMN counts characters, as the parser's errors do. */
bool json_nul_escape(const char *buf, size_t len, int *line, int *col);

#endif

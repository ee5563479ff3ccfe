/* errmsg.h — the one way modules write an error message for their caller:
 * into a caller-provided buffer (ERR may be NULL or ERRLEN 0: nothing is
 * written); and the one way they join two strings into a new one. No cJSON
 * here. */
#ifndef TICKETED_ERRMSG_H
#define TICKETED_ERRMSG_H

#include <stddef.h>

/* printf-style message into ERR[ERRLEN], cut to fit. */
void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "A SEP B" (no spaces added) in a new malloc'd string; NULL when out of memory. */
char *str_join(const char *a, const char *sep, const char *b);

/* An error in a short piece of text a person typed (or a field holds): what
 * is wrong, and where, so an editor can put the cursor there. COL is
 * 1-based and counts characters (UTF-8), 0 when no one place is at fault. */
typedef struct {
	int col;
	char msg[160];
} text_error;

/* Fill E (may be NULL): column COL, printf-style message. */
void text_error_set(text_error *e, int col, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The 1-based column (in characters) of byte offset OFF of UTF-8 text S. */
int text_col(const char *s, size_t off);

/* A name for the character at S fit for a message: 'x' quoted for a
 * printable character, else "a space", "a control character" (C0, DEL, C1,
 * bidi and other invisible format characters) or "a byte that is not
 * UTF-8"; written to OUT. Returns the character's length in bytes (>= 1;
 * 0 at the end of S). */
size_t text_char_name(const char *s, char *out, size_t outlen);

#endif

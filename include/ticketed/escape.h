/* escape.h — untrusted bytes made safe to print on a terminal or into a log:
 * the byte-level sanitiser for stderr, stdout, --log and the messages the
 * service client hands to the UI. Pure (no I/O, no curses).
 *
 * The visible escapes are the ones the form draws (ui/text.h):
 *   ESC -> "^[", LF -> "\n", CR -> "\r", TAB -> "\t", DEL -> "^?",
 *   other C0 -> "^@".."^_",
 *   C1 code points (U+0080..U+009F, e.g. the CSI U+009B, "\xc2\x9b" in UTF-8)
 *   -> "\x80".."\x9F",
 *   a byte that is not part of valid UTF-8 -> "\xNN" (one escape per byte),
 *   bidi and format controls (U+200E, U+200F, U+202A..U+202E,
 *   U+2066..U+2069, U+FEFF, U+061C) and the line/paragraph separators
 *   U+2028/U+2029 -> "<U+202E>".
 * Every escape is printable ASCII, so escaping an escaped text again changes
 * nothing: a message can be sanitised once at its source and printed as is.
 *
 * With ESC_WIDTH, code points that wcwidth() calls non-printable, zero-width
 * or wider than two columns are shown as "<U+XXXX>" too (what the form does
 * so that every cell is 1 or 2 columns; depends on the locale's LC_CTYPE).
 * Without it the result does not depend on the locale. */
#ifndef TICKETED_ESCAPE_H
#define TICKETED_ESCAPE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ESC_WIDTH 1u   /* also escape what wcwidth() cannot draw in 1..2 columns */
#define ESC_MAX 16     /* room for the longest escape, "<U+10FFFF>", and its NUL */

/* Decode the UTF-8 character at S[I] (I < LEN) into *CP; its length in
 * bytes, or 0 for an invalid sequence (stray or missing continuation byte,
 * overlong form, surrogate, beyond U+10FFFF, or cut by LEN). */
size_t esc_utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp);
/* Encode CP (at most U+10FFFF) as UTF-8 into OUT (room for 4 bytes); the
 * number of bytes written. */
size_t esc_utf8_encode(uint32_t cp, char *out);

/* The unit at S[I] (I < LEN): returns its length in bytes (>= 1). ESC gets
 * its visible escape, or "" when the character prints as itself (then *CP
 * holds it). */
size_t esc_unit(const char *s, size_t len, size_t i, unsigned flags, uint32_t *cp, char esc[ESC_MAX]);

/* LEN bytes of S sanitised into OUT[OUTLEN] (OUTLEN > 0; OUT must not
 * overlap S), cut before a unit that does not fit; always NUL-terminated.
 * Returns the length written. */
size_t esc_buf(const char *s, size_t len, unsigned flags, char *out, size_t outlen);

/* LEN bytes of S sanitised into a new malloc'd string (the caller frees);
 * NULL when out of memory. */
char *esc_dup(const char *s, size_t len, unsigned flags);

/* Whether LEN bytes of S print as they are (nothing to escape). */
bool esc_clean(const char *s, size_t len, unsigned flags);

/* The offset of the first C0 control character or DEL in the string S, or
 * -1 (credentials are refused with one: CR/LF would add header lines). */
long esc_find_control(const char *s);

#endif

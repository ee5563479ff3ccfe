/* errmsg.c — error messages into caller buffers; joined strings; errors
 * with a column in typed text. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/errmsg.h"

void seterr(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
}

char *str_join(const char *a, const char *sep, const char *b)
{
	size_t la = strlen(a), ls = strlen(sep), lb = strlen(b);
	char *s = malloc(la + ls + lb + 1);

	if (!s)
		return NULL;
	memcpy(s, a, la);
	memcpy(s + la, sep, ls);
	memcpy(s + la + ls, b, lb + 1);
	return s;
}

void text_error_set(text_error *e, int col, const char *fmt, ...)
{
	va_list ap;

	if (!e)
		return;
	e->col = col;
	va_start(ap, fmt);
	vsnprintf(e->msg, sizeof e->msg, fmt, ap);
	va_end(ap);
}

int text_col(const char *s, size_t off)
{
	int col = 1;

	for (size_t i = 0; i < off && s[i]; i++)
		col += ((unsigned char)s[i] & 0xC0) != 0x80;
	return col;
}

/* Length of the UTF-8 sequence at S with its code point in *CP; 0 if invalid. */
static size_t utf8_char(const unsigned char *s, uint32_t *cp)
{
	size_t n = s[0] < 0x80 ? 1 : s[0] >= 0xC2 && s[0] <= 0xDF ? 2 : s[0] >= 0xE0 && s[0] <= 0xEF ? 3
	           : s[0] >= 0xF0 && s[0] <= 0xF4 ? 4 : 0;
	uint32_t c = n == 1 ? s[0] : n == 2 ? s[0] & 0x1Fu : n == 3 ? s[0] & 0x0Fu : s[0] & 0x07u;

	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3Fu);
	}
	if ((n == 3 && (c < 0x800 || (c >= 0xD800 && c <= 0xDFFF))) || (n == 4 && (c < 0x10000 || c > 0x10FFFF)))
		return 0;
	*cp = c;
	return n;
}

size_t text_char_name(const char *s, char *out, size_t outlen)
{
	uint32_t cp = 0;
	size_t n;

	if (!*s) {
		seterr(out, outlen, "the end");
		return 0;
	}
	n = utf8_char((const unsigned char *)s, &cp);
	if (n == 0)
		seterr(out, outlen, "a byte that is not UTF-8");
	else if (cp == ' ')
		seterr(out, outlen, "a space");
	else if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || (cp >= 0x200B && cp <= 0x200F) ||
	         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069) || cp == 0xFEFF || cp == 0xAD)
		seterr(out, outlen, "a control character");
	else
		seterr(out, outlen, "'%.*s'", (int)n, s);
	return n ? n : 1;
}

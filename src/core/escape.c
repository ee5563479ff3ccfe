/* escape.c — untrusted bytes made safe to print (rules in escape.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>
#include "ticketed/escape.h"

size_t esc_utf8_decode(const char *s, size_t len, size_t i, uint32_t *cp)
{
	const unsigned char *u = (const unsigned char *)s + i;
	size_t n;
	uint32_t c, min;

	if (i >= len)
		return 0;
	if (u[0] < 0x80) {
		*cp = u[0];
		return 1;
	}
	if (u[0] >= 0xc2 && u[0] <= 0xdf)
		n = 2, c = u[0] & 0x1f, min = 0x80;
	else if (u[0] >= 0xe0 && u[0] <= 0xef)
		n = 3, c = u[0] & 0x0f, min = 0x800;
	else if (u[0] >= 0xf0 && u[0] <= 0xf4)
		n = 4, c = u[0] & 0x07, min = 0x10000;
	else
		return 0;
	if (len - i < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((u[k] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (u[k] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

size_t esc_utf8_encode(uint32_t cp, char *out)
{
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | (cp >> 18));
	out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Bidi and format controls that reorder or hide text, and the Unicode line
 * and paragraph separators. */
static bool is_format(uint32_t c)
{
	return c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xfeff || c == 0x061c ||
	       c == 0x2028 || c == 0x2029;
}

static void c0_escape(uint32_t c, char *esc)
{
	switch (c) {
	case 0x1b: strcpy(esc, "^["); break;
	case '\n': strcpy(esc, "\\n"); break;
	case '\r': strcpy(esc, "\\r"); break;
	case '\t': strcpy(esc, "\\t"); break;
	case 0x7f: strcpy(esc, "^?"); break;
	default: esc[0] = '^', esc[1] = (char)(c + 0x40), esc[2] = '\0'; break;
	}
}

size_t esc_unit(const char *s, size_t len, size_t i, unsigned flags, uint32_t *cp, char esc[ESC_MAX])
{
	size_t l = esc_utf8_decode(s, len, i, cp);
	uint32_t c = *cp;
	int w;

	esc[0] = '\0';
	if (l == 0) {
		*cp = (unsigned char)s[i];
		snprintf(esc, ESC_MAX, "\\x%02X", (unsigned)(unsigned char)s[i]);
		return 1;
	}
	if (c < 0x20 || c == 0x7f)
		c0_escape(c, esc);
	else if (c >= 0x80 && c <= 0x9f)
		snprintf(esc, ESC_MAX, "\\x%02X", (unsigned)c);
	else if (c >= 0x80 && (is_format(c) ||
	         ((flags & ESC_WIDTH) && ((w = wcwidth((wchar_t)c)) <= 0 || w > 2))))
		snprintf(esc, ESC_MAX, "<U+%04X>", (unsigned)c);
	return l;
}

size_t esc_buf(const char *s, size_t len, unsigned flags, char *out, size_t outlen)
{
	size_t i = 0, o = 0;
	char esc[ESC_MAX];
	uint32_t cp;

	while (s && i < len) {
		size_t l = esc_unit(s, len, i, flags, &cp, esc);
		const char *src = esc[0] ? esc : s + i;
		size_t n = esc[0] ? strlen(esc) : l;
		if (o + n >= outlen)
			break;
		memcpy(out + o, src, n);
		o += n;
		i += l;
	}
	out[o] = '\0';
	return o;
}

char *esc_dup(const char *s, size_t len, unsigned flags)
{
	/* The longest escape per input byte is "\xNN" (4 bytes), and "<U+XXXX>"
	 * (8) stands for at least 2 bytes: 4 times the input always fits. */
	size_t cap = len * 4 + 1;
	char *out = len < ((size_t)-1) / 4 ? malloc(cap) : NULL;

	if (out)
		esc_buf(s, len, flags, out, cap);
	return out;
}

bool esc_clean(const char *s, size_t len, unsigned flags)
{
	size_t i = 0;
	char esc[ESC_MAX];
	uint32_t cp;

	while (s && i < len) {
		i += esc_unit(s, len, i, flags, &cp, esc);
		if (esc[0])
			return false;
	}
	return true;
}

long esc_find_control(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; s && *p; p++)
		if (*p < 0x20 || *p == 0x7f)
			return (long)(p - (const unsigned char *)s);
	return -1;
}

/* utf8.c — UTF-8 validation and escaping for ticketd: request bodies must be
 * valid UTF-8 (RFC 8259 section 8.1), and what a client sent reaches the
 * log and error messages only with control characters escaped.
 *
 * Written here because ticketd links only src/core, and no library in the
 * build validates UTF-8 (cJSON passes any byte through). */
#include "ticketd.h"

#include <stdlib.h>
#include <string.h>

size_t td_utf8_char(const char *str, size_t len, size_t i, uint32_t *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned char b = s[i];
	size_t n;
	uint32_t c, min;
	if (b < 0x80) {
		*cp = b;
		return 1;
	}
	if (b >= 0xC2 && b <= 0xDF) {
		n = 2;
		c = b & 0x1F;
		min = 0x80;
	} else if (b >= 0xE0 && b <= 0xEF) {
		n = 3;
		c = b & 0x0F;
		min = 0x800;
	} else if (b >= 0xF0 && b <= 0xF4) {
		n = 4;
		c = b & 0x07;
		min = 0x10000;
	} else {
		return 0;  /* continuation byte, C0/C1 (always overlong), F5..FF */
	}
	if (len - i < n)
		return 0;
	for (size_t k = 1; k < n; k++) {
		if ((s[i + k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i + k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;  /* overlong, beyond Unicode, surrogate */
	*cp = c;
	return n;
}

bool td_utf8_valid(const char *s, size_t len, size_t *bad)
{
	size_t i = 0;
	uint32_t cp;
	while (i < len) {
		if ((unsigned char)s[i] < 0x80) {
			i++;
			continue;
		}
		size_t n = td_utf8_char(s, len, i, &cp);
		if (!n) {
			if (bad)
				*bad = i;
			return false;
		}
		i += n;
	}
	return true;
}

char *td_escape(const char *s, size_t len, const char *extra)
{
	char *out = malloc(len * 4 + 1), *o = out;
	static const char hex[] = "0123456789abcdef";
	if (!out)
		return NULL;
	size_t i = 0;
	while (i < len) {
		unsigned char b = (unsigned char)s[i];
		uint32_t cp = 0;
		size_t n = b < 0x80 ? 1 : td_utf8_char(s, len, i, &cp);
		bool esc;
		if (b < 0x80)
			esc = b < 0x20 || b == 0x7F || (b && extra && strchr(extra, b));
		else
			esc = !n || (cp >= 0x80 && cp <= 0x9F);
		if (!n)
			n = 1;
		if (!esc) {
			memcpy(o, s + i, n);
			o += n;
		} else {
			for (size_t k = 0; k < n; k++) {
				unsigned char c = (unsigned char)s[i + k];
				*o++ = '\\';
				*o++ = 'x';
				*o++ = hex[c >> 4];
				*o++ = hex[c & 15];
			}
		}
		i += n;
	}
	*o = '\0';
	return out;
}

void td_utf8_fix(char *s, size_t size)
{
	static const char hex[] = "0123456789abcdef";
	size_t len = strlen(s), bad;
	if (td_utf8_valid(s, len, &bad))
		return;
	char *copy = strdup(s);
	if (!copy) {
		s[bad] = '\0';
		return;
	}
	/* valid characters (control characters too: JSON escapes those) stay,
	 * other bytes become \xNN, never cut inside a character */
	size_t o = 0;
	uint32_t cp;
	for (size_t i = 0; i < len;) {
		size_t n = td_utf8_char(copy, len, i, &cp);
		if (n) {
			if (o + n >= size)
				break;
			memcpy(s + o, copy + i, n);
			o += n;
			i += n;
		} else {
			if (o + 4 >= size)
				break;
			unsigned char c = (unsigned char)copy[i++];
			s[o++] = '\\';
			s[o++] = 'x';
			s[o++] = hex[c >> 4];
			s[o++] = hex[c & 15];
		}
	}
	s[o] = '\0';
	free(copy);
}

/* fold.c — case- and accent-insensitive folding for pick-list filters. */
#include <stdlib.h>
#include <string.h>
#include <wctype.h>
#include "ticketed/fold.h"
#include "ticketed/text.h"

/* U+00C0..U+00FF and U+0100..U+017F: one ASCII letter each; '?' marks the
 * entries with a longer folding (fold_long) and '-' the non-letters × ÷. */
static const char fold_latin1[] =
	"aaaaaa?ceeeeiiii" "dnooooo-ouuuuy??"   /* U+00C0..U+00DF */
	"aaaaaa?ceeeeiiii" "dnooooo-ouuuuy?y";  /* U+00E0..U+00FF */
static const char fold_ext_a[] =
	"aaaaaaccccccccdd" "ddeeeeeeeeeegggg" "gggghhhhiiiiiiii" "ii??jjkkklllllll"
	"lllnnnnnnnnnoooo" "oo??rrrrrrssssss" "ssttttttuuuuuuuu" "uuuuwwyyyzzzzzzs";

static const struct {
	uint32_t cp;
	const char *to;
} fold_long[] = {
	{ 0xC6, "ae" }, { 0xE6, "ae" }, { 0xDE, "th" }, { 0xFE, "th" }, { 0xDF, "ss" },
	{ 0x132, "ij" }, { 0x133, "ij" }, { 0x152, "oe" }, { 0x153, "oe" },
};

/* One-letter strings for the table lookups ("a".."z"). */
static const char fold_letters[] = "a\0b\0c\0d\0e\0f\0g\0h\0i\0j\0k\0l\0m\0n\0o\0p\0q\0r\0s\0t\0u\0v\0w\0x\0y\0z";

const char *fold_cp(uint32_t cp)
{
	char c = 0;
	size_t i;
	if (cp >= 0xC0 && cp <= 0xFF)
		c = fold_latin1[cp - 0xC0];
	else if (cp >= 0x100 && cp <= 0x17F)
		c = fold_ext_a[cp - 0x100];
	if (c == '?') {
		for (i = 0; i < sizeof fold_long / sizeof fold_long[0]; i++)
			if (fold_long[i].cp == cp)
				return fold_long[i].to;
		return NULL;
	}
	if (c >= 'a' && c <= 'z')
		return fold_letters + (c - 'a') * 2;
	return NULL;
}

char *fold_text(const char *s)
{
	size_t len = strlen(s), i = 0, o = 0;
	char *out = malloc(len * 4 + 1);  /* ample: a character never folds to more than 4x its bytes */
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, i, &cp);
		const char *f;
		if (n == 0) {  /* an invalid byte stays as it is */
			out[o++] = s[i++];
			continue;
		}
		i += n;
		if (cp >= 0x300 && cp <= 0x36F)
			continue;  /* combining marks: "e\u0301" folds like "é" */
		if ((f = fold_cp(cp))) {
			size_t fl = strlen(f);
			memcpy(out + o, f, fl);
			o += fl;
			continue;
		}
		if (cp < 0x80)
			out[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		else {
			uint32_t l = (uint32_t)towlower((wint_t)cp);
			o += utf8_encode(l > 0 && l <= 0x10FFFF && (l < 0xD800 || l > 0xDFFF) ? l : cp, out + o);
		}
	}
	out[o] = 0;
	return out;
}

bool fold_contains(const char *hay, const char *needle)
{
	char *h, *n;
	bool found;
	if (!needle || !*needle)
		return true;
	h = fold_text(hay ? hay : "");
	n = fold_text(needle);
	found = strstr(h, n) != NULL;
	free(h);
	free(n);
	return found;
}

/* fold.c — case- and accent-insensitive folding for pick-list filters. */
#include <stdbool.h>
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

/* The second usual ASCII spelling of CP, or NULL: Scandinavian æ ø å and
 * German ä ö ü are written both as a plain vowel and as a pair. */
static const char *fold_alt(uint32_t cp)
{
	switch (cp) {
	case 0xC6: case 0xE6: return "a";   /* æ: "ae" or "a" */
	case 0xD8: case 0xF8: return "oe";  /* ø: "o" or "oe" */
	case 0xC5: case 0xE5: return "aa";  /* å: "a" or "aa" */
	case 0xC4: case 0xE4: return "ae";  /* ä */
	case 0xD6: case 0xF6: return "oe";  /* ö */
	case 0xDC: case 0xFC: return "ue";  /* ü */
	default: return NULL;
	}
}

/* A folded text cut into the foldings of its characters ("units"). */
typedef struct {
	char *text;
	size_t *start;     /* unit I is text[start[I] .. start[I + 1]) */
	const char **alt;  /* its other spelling, or NULL */
	size_t n;
} folded;

/* Fold S into OUT (malloc'd pieces); units recorded when UNITS. */
static int fold_units(const char *s, folded *out, bool units)
{
	size_t len = strlen(s), i = 0, o = 0, u = 0;
	/* ample: a character never folds to more than 4x its bytes */
	out->text = malloc(len * 4 + 1);
	out->start = units ? malloc((len + 1) * sizeof *out->start) : NULL;
	out->alt = units ? malloc((len + 1) * sizeof *out->alt) : NULL;
	if (!out->text || (units && (!out->start || !out->alt))) {
		free(out->text);
		free(out->start);
		free(out->alt);
		return -1;
	}
	while (i < len) {
		uint32_t cp;
		size_t n = utf8_decode(s, len, i, &cp);
		const char *f;
		if (units) {
			out->start[u] = o;
			out->alt[u] = NULL;
		}
		if (n == 0) {  /* an invalid byte stays as it is */
			out->text[o++] = s[i++];
			u++;
			continue;
		}
		i += n;
		if (cp >= 0x300 && cp <= 0x36F)
			continue;  /* combining marks: "e\u0301" folds like "é" */
		if (units)
			out->alt[u] = fold_alt(cp);
		u++;
		if ((f = fold_cp(cp))) {
			size_t fl = strlen(f);
			memcpy(out->text + o, f, fl);
			o += fl;
		} else if (cp < 0x80) {
			out->text[o++] = (char)(cp >= 'A' && cp <= 'Z' ? cp + 32 : cp);
		} else {
			uint32_t l = (uint32_t)towlower((wint_t)cp);
			o += utf8_encode(l > 0 && l <= 0x10FFFF && (l < 0xD800 || l > 0xDFFF) ? l : cp, out->text + o);
		}
	}
	out->text[o] = 0;
	if (units)
		out->start[u] = o;
	out->n = u;
	return 0;
}

char *fold_text(const char *s)
{
	folded f;
	return fold_units(s, &f, false) < 0 ? NULL : f.text;
}

/* Does the needle ND (NL bytes) match H from unit U on, each unit spelt
 * either way? A needle may end inside a unit. Branches only at units with
 * two spellings, and a branch that does not fit dies at once. */
static bool match_units(const folded *h, size_t u, const char *nd, size_t nl)
{
	while (nl > 0) {
		if (u == h->n)
			return false;
		const char *p = h->text + h->start[u], *a = h->alt[u];
		size_t pl = h->start[u + 1] - h->start[u];
		if (a) {
			size_t al = strlen(a);
			if (al >= nl ? !memcmp(a, nd, nl) : !memcmp(a, nd, al) && match_units(h, u + 1, nd + al, nl - al))
				return true;
		}
		if (pl >= nl)
			return !memcmp(p, nd, nl);
		if (memcmp(p, nd, pl))
			return false;
		nd += pl;
		nl -= pl;
		u++;
	}
	return true;
}

/* An ASCII HAY folds to its lower case, a unit per byte with no second
 * spelling: search it for the folded needle FN in place, with nothing
 * allocated (a 5 MB title is searched at each key of a find). 1: found,
 * 0: not, -1: HAY has other bytes before a match: use the units. */
static int ascii_contains(const char *hay, const char *fn)
{
	size_t nl = strlen(fn), i, k;
	if (!nl)
		return 1;
	for (i = 0; hay[i]; i++) {
		if ((unsigned char)hay[i] >= 0x80)
			return -1;
		for (k = 0; k < nl && hay[i + k] && (unsigned char)hay[i + k] < 0x80; k++) {
			char c = hay[i + k];
			if ((c >= 'A' && c <= 'Z' ? c + 32 : c) != fn[k])
				break;
		}
		if (k == nl)
			return 1;  /* a match within ASCII is one in the units too */
	}
	return 0;
}

bool fold_contains(const char *hay, const char *needle)
{
	folded h, n;
	bool found = false;
	int fast;
	if (!needle || !*needle)
		return true;
	if (fold_units(needle, &n, false) < 0)
		return false;
	if ((fast = ascii_contains(hay ? hay : "", n.text)) >= 0) {
		free(n.text);
		return fast;
	}
	free(n.text);
	if (fold_units(hay ? hay : "", &h, true) < 0)
		return false;
	if (fold_units(needle, &n, false) < 0) {
		free(h.text);
		free(h.start);
		free(h.alt);
		return false;
	}
	size_t nl = strlen(n.text);
	for (size_t u = 0; u < h.n && !found; u++) {
		size_t pl = h.start[u + 1] - h.start[u];
		found = match_units(&h, u, n.text, nl);
		/* or from inside the unit's usual spelling ("rno" in "kvaerno") */
		for (size_t k = 1; k < pl && !found; k++) {
			const char *tail = h.text + h.start[u] + k;
			size_t tl = pl - k;
			found = tl >= nl ? !memcmp(tail, n.text, nl)
			                 : !memcmp(tail, n.text, tl) && match_units(&h, u + 1, n.text + tl, nl - tl);
		}
	}
	free(h.text);
	free(h.start);
	free(h.alt);
	free(n.text);
	return found;
}

/* mlstring.c — multi-language strings (see mlstring.h). Written by hand: it
 * is SuperOffice's own small format, which no library reads. */
#include <stdlib.h>
#include <string.h>
#include "ticketed/mlstring.h"

static const char *skip_blanks(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

static bool is_upper(char c)
{
	return c >= 'A' && c <= 'Z';
}

/* Whether P (just after a '"') closes a text: blanks, then ';', ',' or the end. */
static bool closes(const char *p)
{
	p = skip_blanks(p);
	return *p == ';' || *p == ',' || *p == '\0';
}

int ml_parse(const char *s, ml_entry *v, size_t max, size_t *n)
{
	const char *p = s ? skip_blanks(s) : "";
	size_t k = 0;

	if (!*p)
		return -1;
	while (*p) {
		if (!is_upper(p[0]) || !is_upper(p[1]))
			return -1;
		const char *code = p;
		p = skip_blanks(p + 2);
		if (*p != ':')
			return -1;
		p = skip_blanks(p + 1);
		if (*p != '"')
			return -1;
		const char *text = ++p, *q = p;
		while ((q = strchr(q, '"')) && !closes(q + 1))
			q++;
		if (!q)
			return -1;
		if (k < max) {
			v[k].code[0] = code[0];
			v[k].code[1] = code[1];
			v[k].code[2] = '\0';
			v[k].text = text;
			v[k].len = (size_t)(q - text);
		}
		k++;
		p = skip_blanks(q + 1);
		if (*p == ';' || *p == ',')
			p = skip_blanks(p + 1);
	}
	*n = k;
	return 0;
}

bool ml_is_encoded(const char *s)
{
	size_t n;

	return ml_parse(s, NULL, 0, &n) == 0 && n > 0;
}

/* ISO 639-1 language -> SuperOffice codes. US/NO/GE are in the docs; the
 * others follow the same two-letter habit (country-like codes) and the
 * language's ISO code, so either spelling is found. */
static const struct {
	const char *lang;
	const char *codes[3];
} lang_codes[] = {
	{ "nb", { "NO", NULL, NULL } }, { "nn", { "NO", NULL, NULL } }, { "no", { "NO", NULL, NULL } },
	{ "en", { "US", "EN", "GB" } }, { "de", { "GE", "DE", NULL } }, { "sv", { "SE", "SV", NULL } },
	{ "da", { "DA", "DK", NULL } }, { "nl", { "NL", "DU", NULL } }, { "fr", { "FR", NULL, NULL } },
	{ "es", { "ES", "SP", NULL } }, { "it", { "IT", NULL, NULL } }, { "cs", { "CZ", "CS", NULL } },
	{ "fi", { "FI", NULL, NULL } }, { "pl", { "PL", NULL, NULL } }, { "pt", { "PT", NULL, NULL } },
};

static char up(char c)
{
	return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

static bool is_alpha(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static size_t add_code(char (*codes)[3], size_t k, size_t max, char a, char b)
{
	for (size_t i = 0; i < k; i++)
		if (codes[i][0] == a && codes[i][1] == b)
			return k;
	if (k < max) {
		codes[k][0] = a;
		codes[k][1] = b;
		codes[k++][2] = '\0';
	}
	return k;
}

size_t ml_codes_for_tag(const char *tag, char (*codes)[3], size_t max)
{
	char lang[4] = "", region[3] = "";
	size_t k = 0, i = 0;

	if (!tag)
		return 0;
	while (i < 3 && is_alpha(tag[i])) {
		lang[i] = (char)(tag[i] | 0x20);
		i++;
	}
	lang[i] = '\0';
	if (i != 2 && i != 3)
		return 0;
	if ((tag[i] == '-' || tag[i] == '_') && is_alpha(tag[i + 1]) && is_alpha(tag[i + 2]) &&
	    !is_alpha(tag[i + 3])) {
		region[0] = up(tag[i + 1]);
		region[1] = up(tag[i + 2]);
	}
	for (size_t j = 0; j < sizeof lang_codes / sizeof lang_codes[0]; j++)
		if (!strcmp(lang_codes[j].lang, lang))
			for (int c = 0; c < 3 && lang_codes[j].codes[c]; c++)
				k = add_code(codes, k, max, lang_codes[j].codes[c][0], lang_codes[j].codes[c][1]);
	if (i == 2)
		k = add_code(codes, k, max, up(lang[0]), up(lang[1]));
	if (region[0])
		k = add_code(codes, k, max, region[0], region[1]);
	return k;
}

static char *dup_n(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

char *ml_pick(const char *s, const char *tag)
{
	ml_entry e[32];
	size_t n = 0, ncodes;
	char want[8][3];

	if (!s)
		s = "";
	if (ml_parse(s, e, sizeof e / sizeof e[0], &n) < 0 || n == 0)
		return dup_n(s, strlen(s));
	if (n > sizeof e / sizeof e[0])
		n = sizeof e / sizeof e[0];
	ncodes = ml_codes_for_tag(tag, want, 6);
	ncodes = add_code(want, ncodes, 8, 'U', 'S');
	ncodes = add_code(want, ncodes, 8, 'E', 'N');
	for (size_t c = 0; c < ncodes; c++)
		for (size_t i = 0; i < n; i++)
			if (!strcmp(e[i].code, want[c]))
				return dup_n(e[i].text, e[i].len);
	return dup_n(e[0].text, e[0].len);
}

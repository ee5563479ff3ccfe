/* keys.c — key names in replay syntax and the canonical key encoding
 * (conventions in keys.h). */
#include "ticketed/keys.h"
#include "ticketed/text.h"

#include <ctype.h>
#include <curses.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define FKEY_MAX 63   /* ncurses reserves KEY_F(0)..KEY_F(63) */
#define CP_MAX 0x10FFFF

typedef struct {
	const char *name;
	tkey key;
} key_entry;

/* The named keys; the first entry for a key is its canonical name. */
static const key_entry key_table[] = {
	{ "Up", TK_FN(KEY_UP) },         { "Down", TK_FN(KEY_DOWN) },
	{ "Left", TK_FN(KEY_LEFT) },     { "Right", TK_FN(KEY_RIGHT) },
	{ "Home", TK_FN(KEY_HOME) },     { "End", TK_FN(KEY_END) },
	{ "PgUp", TK_FN(KEY_PPAGE) },    { "PgDn", TK_FN(KEY_NPAGE) },
	{ "Enter", '\n' },               { "Esc", TK_ESC },
	{ "Tab", '\t' },                 { "S-Tab", TK_FN(KEY_BTAB) },
	{ "BS", TK_FN(KEY_BACKSPACE) },  { "Del", TK_FN(KEY_DC) },
	{ "Space", ' ' },                { "lt", '<' },
	{ "Resize", TK_FN(KEY_RESIZE) }, { "Ins", TK_FN(KEY_IC) },
};

#define NKEYS (sizeof key_table / sizeof key_table[0])

tkey key_normalize(tkey k)
{
	switch (k) {
	case '\r':
		return '\n';
	case 8:
	case 127:
		return TK_FN(KEY_BACKSPACE);
	case TK_FN(KEY_ENTER):
		return '\n';
	default:
		return k;
	}
}

tkey key_from_curses(int rc, unsigned int ch)
{
	if (rc == KEY_CODE_YES)
		return key_normalize(TK_FN((tkey)(ch & 0xffff)));
	if (rc == ERR || ch > CP_MAX)
		return TK_NONE;
	return key_normalize((tkey)ch);
}

/* Code points that must not be written raw: controls, C1, surrogates,
 * bidi/format controls (text.h), beyond Unicode. */
static bool cp_needs_escape(tkey c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0xd800 && c <= 0xdfff) ||
	       c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069) || c == 0xfeff || c > CP_MAX;
}

static void utf8_put(tkey c, char *buf, size_t n)
{
	char u[5] = { 0 };

	utf8_encode((uint32_t)c, u);  /* C passed cp_needs_escape: 0x20..CP_MAX */
	snprintf(buf, n, "%s", u);
}

static const char *table_name(tkey k)
{
	for (size_t i = 0; i < NKEYS; i++)
		if (key_table[i].key == k)
			return key_table[i].name;
	return NULL;
}

static void fn_name(tkey k, char *buf, size_t n)
{
	int code = TK_CODE(k);
	const char *nm = table_name(k);

	if (nm)
		snprintf(buf, n, "<%s>", nm);
	else if (code > KEY_F0 && code <= KEY_F(FKEY_MAX))
		snprintf(buf, n, "<F%d>", code - KEY_F0);
	else
		snprintf(buf, n, "<Key-%d>", code);
}

const char *tkey_name(tkey k, char *buf, size_t n)
{
	const char *nm;

	if (!buf || n == 0)
		return buf;
	if (k < 0) {
		snprintf(buf, n, "<none>");
		return buf;
	}
	if (TK_IS_FN(k)) {
		fn_name(k, buf, n);
		return buf;
	}
	k = key_normalize(k);
	if (TK_IS_FN(k))
		fn_name(k, buf, n);
	else if ((nm = table_name(k)) != NULL)
		snprintf(buf, n, "<%s>", nm);
	else if (k >= 1 && k <= 26)
		snprintf(buf, n, "<C-%c>", 'a' + k - 1);
	else if (cp_needs_escape(k))
		snprintf(buf, n, "<U+%04X>", (unsigned)k);
	else
		utf8_put(k, buf, n);
	return buf;
}

/* Parse DIGITS (decimal or hex) fully; -1 if not a number or too big. */
static long parse_num(const char *s, int base, long max)
{
	char *end;
	long v;

	if (!isxdigit((unsigned char)*s))
		return -1;
	v = strtol(s, &end, base);
	if (*end || v < 0 || v > max)
		return -1;
	return v;
}

static tkey parse_ctrl(const char *name)
{
	char c = name[2];

	if (name[3] != '\0')
		return TK_NONE;
	if (c >= 'A' && c <= 'Z')
		c = (char)(c - 'A' + 'a');
	if (c < 'a' || c > 'z')
		return TK_NONE;
	return key_normalize(TK_CTRL(c));
}

tkey key_parse_name(const char *name)
{
	long v;

	if (!name)
		return TK_NONE;
	for (size_t i = 0; i < NKEYS; i++)
		if (strcasecmp(name, key_table[i].name) == 0)
			return key_table[i].key;
	if ((name[0] == 'C' || name[0] == 'c') && name[1] == '-' && name[2])
		return parse_ctrl(name);
	if ((name[0] == 'F' || name[0] == 'f') && (v = parse_num(name + 1, 10, FKEY_MAX)) >= 1 &&
	    name[1] != '0')
		return TK_FN(KEY_F((int)v));
	if ((name[0] == 'U' || name[0] == 'u') && name[1] == '+' &&
	    (v = parse_num(name + 2, 16, CP_MAX)) >= 0 && strlen(name + 2) <= 6 &&
	    !(v >= 0xd800 && v <= 0xdfff))
		return key_normalize((tkey)v);
	if (strncasecmp(name, "Key-", 4) == 0 && (v = parse_num(name + 4, 10, 0xffff)) >= 1)
		return key_normalize(TK_FN((tkey)v));
	return TK_NONE;
}

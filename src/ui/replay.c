/* replay.c — one line of a replay file into keys or a directive.
 *
 * Keys lines: literal characters and <Name> specials (keys.h); a literal
 * control character is an error (write <Tab>, <Esc>...), as is a '<' that
 * starts no known name. A line of only blanks is blank (use <Space>).
 * Directives: words separated by blanks; TEXT is always "quoted"; PATH,
 * FIELD and FILE are a bare word or "quoted". Columns in errors count
 * characters from 1. */
#include "ticketed/replay.h"
#include "ticketed/text.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_LEN 24   /* longest text between '<' and '>' taken as a name */

typedef struct {
	const char *s;
	size_t len, pos;
	char *err;
	size_t errlen;
} rp_cur;

static void rp_err(rp_cur *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void rp_err(rp_cur *c, const char *fmt, ...)
{
	va_list ap;

	if (!c->err || c->errlen == 0)
		return;
	va_start(ap, fmt);
	vsnprintf(c->err, c->errlen, fmt, ap);
	va_end(ap);
}

/* 1-based character column of byte offset POS. */
static int col_at(const rp_cur *c, size_t pos)
{
	int col = 1;

	for (size_t i = 0; i < pos && i < c->len; i++)
		if (((unsigned char)c->s[i] & 0xc0) != 0x80)
			col++;
	return col;
}

/* What is at byte POS, for messages: 'x', "end of line" or a code. */
static const char *desc_at(const rp_cur *c, size_t pos, char *buf, size_t n)
{
	uint32_t cp = 0;
	size_t l;

	if (pos >= c->len) {
		snprintf(buf, n, "end of line");
		return buf;
	}
	l = utf8_decode(c->s, c->len, pos, &cp);
	if (l == 0 || cp < 0x20 || cp == 0x7f)
		snprintf(buf, n, "\\x%02X", (unsigned char)c->s[pos]);
	else if (cp < 0x80)
		snprintf(buf, n, "'%c'", (char)cp);
	else
		snprintf(buf, n, "U+%04X", (unsigned)cp);
	return buf;
}

/* W for a message: printable ASCII as is, anything else as \xNN, cut to
 * fit BUF, so an error never carries a raw control or bidi character. */
static const char *show_word(const char *w, char *buf, size_t n)
{
	size_t o = 0;

	for (; *w && o + 8 < n; w++) {
		unsigned char ch = (unsigned char)*w;

		if (ch >= 0x20 && ch < 0x7f)
			buf[o++] = (char)ch;
		else
			o += (size_t)snprintf(buf + o, n - o, "\\x%02X", ch);
	}
	buf[o] = '\0';
	return buf;
}

static bool is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

static void skip_blanks(rp_cur *c)
{
	while (c->pos < c->len && is_blank(c->s[c->pos]))
		c->pos++;
}

static bool at_end(rp_cur *c)
{
	skip_blanks(c);
	return c->pos >= c->len;
}

static bool push_key(rp_line *out, tkey k)
{
	tkey *nk = realloc(out->keys, (out->nkeys + 1) * sizeof *nk);

	if (!nk)
		return false;
	out->keys = nk;
	out->keys[out->nkeys++] = k;
	return true;
}

/* At a '<': the key it names, advancing past '>'; TK_NONE with ERR set. */
static tkey take_special(rp_cur *c)
{
	char name[NAME_MAX_LEN + 1];
	size_t start = c->pos + 1, i = start;
	tkey k;

	while (i < c->len && i - start < NAME_MAX_LEN && c->s[i] != '>' && c->s[i] != '<' &&
	       (unsigned char)c->s[i] > ' ' && (unsigned char)c->s[i] < 0x7f)
		i++;
	if (i >= c->len || c->s[i] != '>' || i == start) {
		rp_err(c, "'<' at column %d does not start a key name (write <lt> for a literal '<')",
		       col_at(c, c->pos));
		return TK_NONE;
	}
	memcpy(name, c->s + start, i - start);
	name[i - start] = '\0';
	k = key_parse_name(name);
	if (k == TK_NONE) {
		rp_err(c, "unknown key <%s> at column %d", name, col_at(c, c->pos));
		return TK_NONE;
	}
	c->pos = i + 1;
	return k;
}

static int parse_keys(rp_cur *c, rp_line *out)
{
	uint32_t cp;
	size_t l;
	tkey k;

	out->kind = RP_KEYS;
	while (c->pos < c->len) {
		l = utf8_decode(c->s, c->len, c->pos, &cp);
		if (cp == '<') {
			if ((k = take_special(c)) == TK_NONE)
				return -1;
		} else if (cp < 0x20 || cp == 0x7f) {
			rp_err(c, "control character \\x%02X at column %d (write a <Name> such as <Tab>)",
			       (unsigned)cp, col_at(c, c->pos));
			return -1;
		} else {
			k = (tkey)cp;
			c->pos += l;
		}
		if (!push_key(out, k)) {
			rp_err(c, "out of memory");
			return -1;
		}
	}
	return 0;
}

/* A bare word at the cursor (may be empty); malloc'd. */
static char *take_word(rp_cur *c)
{
	size_t start;
	char *w;

	skip_blanks(c);
	start = c->pos;
	while (c->pos < c->len && !is_blank(c->s[c->pos]))
		c->pos++;
	w = malloc(c->pos - start + 1);
	if (w) {
		memcpy(w, c->s + start, c->pos - start);
		w[c->pos - start] = '\0';
	}
	return w;
}

static int escape_char(char e)
{
	switch (e) {
	case '"': return '"';
	case '\\': return '\\';
	case 'n': return '\n';
	case 't': return '\t';
	case 'e': return 27;
	default: return -1;
	}
}

/* A "quoted" string at the cursor; malloc'd, NULL with ERR set. WHAT names
 * the argument for messages. */
static char *take_quoted(rp_cur *c, const char *what)
{
	char d[24], *buf;
	size_t open, n = 0;
	int e;

	skip_blanks(c);
	if (c->pos >= c->len || c->s[c->pos] != '"') {
		rp_err(c, "expected %s in double quotes at column %d, found %s", what,
		       col_at(c, c->pos), desc_at(c, c->pos, d, sizeof d));
		return NULL;
	}
	open = c->pos++;
	if (!(buf = malloc(c->len - c->pos + 1)))
		return NULL;
	while (c->pos < c->len && c->s[c->pos] != '"') {
		if (c->s[c->pos] == '\\') {
			if (c->pos + 1 >= c->len || (e = escape_char(c->s[c->pos + 1])) < 0) {
				rp_err(c, "unknown escape %s after '\\' at column %d (use \\\" \\\\ \\n \\t \\e)",
				       desc_at(c, c->pos + 1, d, sizeof d), col_at(c, c->pos));
				free(buf);
				return NULL;
			}
			buf[n++] = (char)e;
			c->pos += 2;
		} else {
			buf[n++] = c->s[c->pos++];
		}
	}
	if (c->pos >= c->len) {
		rp_err(c, "unterminated string: the '\"' at column %d has no closing '\"'", col_at(c, open));
		free(buf);
		return NULL;
	}
	c->pos++;
	buf[n] = '\0';
	return buf;
}

/* A bare word or a quoted string, non-empty; malloc'd or NULL with ERR. */
static char *take_arg(rp_cur *c, const char *what)
{
	char *w;

	skip_blanks(c);
	if (c->pos < c->len && c->s[c->pos] == '"')
		w = take_quoted(c, what);
	else
		w = take_word(c);
	if (w && !*w) {
		rp_err(c, "expected %s at column %d, found end of line", what, col_at(c, c->pos));
		free(w);
		return NULL;
	}
	return w;
}

static bool take_num(rp_cur *c, const char *what, long min, long max, long *out)
{
	size_t start;
	char d[24];
	long v = 0;

	skip_blanks(c);
	start = c->pos;
	while (c->pos < c->len && c->s[c->pos] >= '0' && c->s[c->pos] <= '9') {
		if (v <= max)
			v = v * 10 + (c->s[c->pos] - '0');
		c->pos++;
	}
	if (c->pos == start || (c->pos < c->len && !is_blank(c->s[c->pos]))) {
		rp_err(c, "expected %s (a number) at column %d, found %s", what,
		       col_at(c, c->pos == start ? start : c->pos),
		       desc_at(c, c->pos, d, sizeof d));
		return false;
	}
	if (v < min || v > max) {
		rp_err(c, "%s %.*s at column %d out of range (%ld..%ld)", what,
		       (int)(c->pos - start), c->s + start, col_at(c, start), min, max);
		return false;
	}
	*out = v;
	return true;
}

typedef enum { ARG_NONE, ARG_TEXT, ARG_NUM, ARG_WORD, ARG_WORD_TEXT } arg_shape;

typedef struct {
	const char *name;
	rp_kind kind;
	arg_shape shape;
	const char *what;     /* the (first) argument's name */
	long min, max;
} expect_kind;

static const expect_kind expect_kinds[] = {
	{ "screen", RP_EXPECT_SCREEN, ARG_TEXT, "TEXT", 0, 0 },
	{ "no-screen", RP_EXPECT_NO_SCREEN, ARG_TEXT, "TEXT", 0, 0 },
	{ "field", RP_EXPECT_FIELD, ARG_WORD_TEXT, "PATH", 0, 0 },
	{ "status", RP_EXPECT_STATUS, ARG_NUM, "CODE", 0, 999 },
	{ "modified", RP_EXPECT_MODIFIED, ARG_NUM, "N", 0, 1000000 },
	{ "exit", RP_EXPECT_EXIT, ARG_NUM, "CODE", 0, 255 },
	{ "conflict", RP_EXPECT_CONFLICT, ARG_WORD, "FIELD", 0, 0 },
	{ "conflicts", RP_EXPECT_CONFLICTS, ARG_NUM, "N", 0, 1000000 },
};

#define NEXPECT (sizeof expect_kinds / sizeof expect_kinds[0])

static int parse_expect(rp_cur *c, rp_line *out)
{
	const expect_kind *ek = NULL;
	size_t at;
	char *w;

	skip_blanks(c);
	at = c->pos;
	if (!(w = take_word(c)))
		return -1;
	for (size_t i = 0; i < NEXPECT; i++)
		if (strcmp(w, expect_kinds[i].name) == 0)
			ek = &expect_kinds[i];
	if (!ek) {
		char shown[64];

		rp_err(c, "unknown expectation '%s' at column %d (screen, no-screen, field, status, "
		       "modified, exit, conflict, conflicts)", show_word(w, shown, sizeof shown),
		       col_at(c, at));
		free(w);
		return -1;
	}
	free(w);
	out->kind = ek->kind;
	switch (ek->shape) {
	case ARG_TEXT:
		return (out->text = take_quoted(c, ek->what)) ? 0 : -1;
	case ARG_NUM:
		return take_num(c, ek->what, ek->min, ek->max, &out->num) ? 0 : -1;
	case ARG_WORD:
		return (out->arg = take_arg(c, ek->what)) ? 0 : -1;
	case ARG_WORD_TEXT:
		if (!(out->arg = take_arg(c, ek->what)))
			return -1;
		return (out->text = take_quoted(c, "VALUE")) ? 0 : -1;
	default:
		return -1;
	}
}

static int parse_directive(rp_cur *c, rp_line *out)
{
	char *w, d[24], shown[64];
	int rc;

	if (!(w = take_word(c)))
		return -1;
	if (strcmp(w, ":expect") == 0) {
		rc = parse_expect(c, out);
	} else if (strcmp(w, ":resize") == 0) {
		out->kind = RP_RESIZE;
		rc = take_num(c, "COLS", 1, 10000, &out->num) &&
		     take_num(c, "ROWS", 1, 10000, &out->num2) ? 0 : -1;
	} else if (strcmp(w, ":dump") == 0) {
		out->kind = RP_DUMP;
		rc = (out->arg = take_arg(c, "FILE")) ? 0 : -1;
	} else {
		rp_err(c, "unknown directive '%s' (:expect, :resize or :dump)",
		       show_word(w, shown, sizeof shown));
		rc = -1;
	}
	free(w);
	if (rc == 0 && !at_end(c)) {
		rp_err(c, "unexpected %s at column %d after the directive",
		       desc_at(c, c->pos, d, sizeof d), col_at(c, c->pos));
		rc = -1;
	}
	return rc;
}

/* Byte offset of the first invalid UTF-8 sequence, or LEN. */
static size_t first_invalid(const char *s, size_t len)
{
	uint32_t cp;
	size_t i = 0, l;

	while (i < len && (l = utf8_decode(s, len, i, &cp)) > 0)
		i += l;
	return i;
}

int replay_parse_line(const char *line, int lineno, rp_line *out, char *err, size_t errlen)
{
	rp_cur c = { line, line ? strlen(line) : 0, 0, err, errlen };
	size_t bad;
	int rc;

	memset(out, 0, sizeof *out);
	out->lineno = lineno;
	out->kind = RP_NOP;
	if (c.len > 0 && line[c.len - 1] == '\r')
		c.len--;
	if ((bad = first_invalid(line ? line : "", c.len)) < c.len) {
		rp_err(&c, "invalid UTF-8 (byte \\x%02X) at column %d", (unsigned char)line[bad],
		       col_at(&c, bad));
		return -1;
	}
	if (c.len == 0 || line[0] == '#' || at_end(&c))
		return 0;
	c.pos = 0;
	rc = line[0] == ':' ? parse_directive(&c, out) : parse_keys(&c, out);
	if (rc < 0) {
		rp_line_free(out);
		out->lineno = lineno;
	}
	return rc;
}

void rp_line_free(rp_line *l)
{
	if (!l)
		return;
	free(l->keys);
	free(l->arg);
	free(l->text);
	memset(l, 0, sizeof *l);
}

void replay_format_key(tkey k, char *buf, size_t n)
{
	char name[24];
	size_t used;

	if (!buf || n == 0)
		return;
	used = strnlen(buf, n);
	if (used == n)
		return;
	if (used == 0 && (k == '#' || k == ':'))
		snprintf(name, sizeof name, "<U+%04X>", (unsigned)k);
	else
		key_name(k, name, sizeof name);
	if (used + strlen(name) < n)
		memcpy(buf + used, name, strlen(name) + 1);
}

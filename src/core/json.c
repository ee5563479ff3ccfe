/* json.c — cJSON helpers: strict parsing with FILE:LINE:COLUMN errors,
 * bounded depth, structural equality, printing, case-insensitive lookup.
 *
 * cJSON alone is lenient (leading zeros, "+1", raw control characters in
 * strings, no depth bound below 1000), so a small RFC 8259 validator runs
 * first; it names the position and the reason of the first error. cJSON then
 * builds the tree, and its return_parse_end is the fallback position. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/json.h"

typedef struct {
	const char *s;
	size_t len, pos;
	const char *msg;
} jscan;

static void scan_ws(jscan *sc)
{
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
}

static int scan_fail(jscan *sc, const char *msg)
{
	sc->msg = msg;
	return -1;
}

static int scan_hex4(jscan *sc)
{
	for (int i = 0; i < 4; i++, sc->pos++) {
		if (sc->pos >= sc->len)
			return scan_fail(sc, "unterminated string");
		char c = sc->s[sc->pos];
		if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')))
			return scan_fail(sc, "bad \\u escape");
	}
	return 0;
}

static int scan_string(jscan *sc)
{
	sc->pos++; /* opening quote */
	while (sc->pos < sc->len) {
		unsigned char c = (unsigned char)sc->s[sc->pos];
		if (c == '"') {
			sc->pos++;
			return 0;
		}
		if (c < 0x20)
			return scan_fail(sc, "control character in string");
		if (c == '\\') {
			sc->pos++;
			if (sc->pos >= sc->len)
				break;
			c = (unsigned char)sc->s[sc->pos];
			if (c == 'u') {
				sc->pos++;
				if (scan_hex4(sc) < 0)
					return -1;
				continue;
			}
			if (!strchr("\"\\/bfnrt", c) || c == 0)
				return scan_fail(sc, "bad escape in string");
		}
		sc->pos++;
	}
	return scan_fail(sc, "unterminated string");
}

static int scan_digits(jscan *sc)
{
	size_t start = sc->pos;
	while (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
		sc->pos++;
	return sc->pos > start ? 0 : scan_fail(sc, "bad number");
}

static int scan_number(jscan *sc)
{
	if (sc->s[sc->pos] == '-')
		sc->pos++;
	if (sc->pos < sc->len && sc->s[sc->pos] == '0') {
		sc->pos++;
		if (sc->pos < sc->len && sc->s[sc->pos] >= '0' && sc->s[sc->pos] <= '9')
			return scan_fail(sc, "leading zero in number");
	} else if (scan_digits(sc) < 0) {
		return -1;
	}
	if (sc->pos < sc->len && sc->s[sc->pos] == '.') {
		sc->pos++;
		if (scan_digits(sc) < 0)
			return -1;
	}
	if (sc->pos < sc->len && (sc->s[sc->pos] == 'e' || sc->s[sc->pos] == 'E')) {
		sc->pos++;
		if (sc->pos < sc->len && (sc->s[sc->pos] == '+' || sc->s[sc->pos] == '-'))
			sc->pos++;
		if (scan_digits(sc) < 0)
			return -1;
	}
	return 0;
}

static int scan_word(jscan *sc, const char *w)
{
	size_t n = strlen(w);
	if (sc->len - sc->pos < n || memcmp(sc->s + sc->pos, w, n))
		return scan_fail(sc, "unexpected character");
	sc->pos += n;
	return 0;
}

/* Iterative validator: a stack of open containers bounded by JSON_MAX_DEPTH. */
static int scan_value(jscan *sc)
{
	char stack[JSON_MAX_DEPTH + 1];
	int depth = 0;
	for (;;) {
		scan_ws(sc);
		if (sc->pos >= sc->len)
			return scan_fail(sc, "unexpected end of input");
		char c = sc->s[sc->pos];
		int r;
		if (c == '{' || c == '[') {
			if (depth >= JSON_MAX_DEPTH)
				return scan_fail(sc, "nesting too deep");
			stack[depth++] = c;
			sc->pos++;
			scan_ws(sc);
			if (sc->pos < sc->len && sc->s[sc->pos] == (c == '{' ? '}' : ']')) {
				sc->pos++;
				depth--;
				goto after_value;
			}
			if (c == '{')
				goto member_key;
			continue;
		}
		if (c == '"')
			r = scan_string(sc);
		else if (c == '-' || (c >= '0' && c <= '9'))
			r = scan_number(sc);
		else if (c == 't')
			r = scan_word(sc, "true");
		else if (c == 'f')
			r = scan_word(sc, "false");
		else if (c == 'n')
			r = scan_word(sc, "null");
		else
			return scan_fail(sc, "unexpected character");
		if (r < 0)
			return -1;
after_value:
		for (;;) {
			if (depth == 0)
				return 0;
			scan_ws(sc);
			if (sc->pos >= sc->len)
				return scan_fail(sc, "unexpected end of input");
			c = sc->s[sc->pos];
			char open = stack[depth - 1];
			if (c == (open == '{' ? '}' : ']')) {
				sc->pos++;
				depth--;
				continue;
			}
			if (c != ',')
				return scan_fail(sc, open == '{' ? "expected ',' or '}'" : "expected ',' or ']'");
			sc->pos++;
			if (open == '{')
				goto member_key;
			break;
		}
		continue;
member_key:
		scan_ws(sc);
		if (sc->pos >= sc->len)
			return scan_fail(sc, "unexpected end of input");
		if (sc->s[sc->pos] != '"')
			return scan_fail(sc, "expected a string key");
		if (scan_string(sc) < 0)
			return -1;
		scan_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
			return scan_fail(sc, sc->pos >= sc->len ? "unexpected end of input" : "expected ':'");
		sc->pos++;
	}
}

static void pos_to_linecol(const char *buf, size_t pos, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++; /* columns count characters, not UTF-8 continuation bytes */
		}
	}
}

static void set_err(char *err, size_t errlen, const char *name, const char *buf,
                    size_t pos, const char *msg)
{
	unsigned line, col;
	pos_to_linecol(buf, pos, &line, &col);
	if (err && errlen)
		snprintf(err, errlen, "%s:%u:%u: %s", name ? name : "<input>", line, col, msg);
}

/* Parse LEN bytes of BUF strictly; errors "NAME:LINE:COLUMN: message". */
cJSON *json_parse(const char *buf, size_t len, const char *name, char *err, size_t errlen)
{
	jscan sc = { buf, len, 0, NULL };
	if (scan_value(&sc) == 0) {
		scan_ws(&sc);
		if (sc.pos < sc.len)
			scan_fail(&sc, "trailing garbage after the JSON value");
	}
	if (sc.msg) {
		set_err(err, errlen, name, buf, sc.pos, sc.msg);
		return NULL;
	}
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!j) {
		size_t pos = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
		set_err(err, errlen, name, buf, pos, "invalid JSON");
	}
	return j;
}

/* Read a whole file (or stdin for "-") into a NUL-terminated buffer. */
char *json_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	while (buf) {
		if (n + 1 >= cap) {
			char *nb = realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				errno = ENOMEM;
				break;
			}
			buf = nb;
			cap *= 2;
		}
		size_t r = fread(buf + n, 1, cap - n - 1, f);
		n += r;
		if (r == 0) {
			if (ferror(f)) {
				int e = errno ? errno : EIO;
				free(buf);
				buf = NULL;
				errno = e;
			}
			break;
		}
	}
	if (f != stdin)
		fclose(f);
	if (buf) {
		buf[n] = '\0';
		*len = n;
	}
	return buf;
}

/* Read and parse PATH ("-" = stdin). */
cJSON *json_parse_file(const char *path, char *err, size_t errlen)
{
	size_t len = 0;
	char *buf = json_read_file(path, &len);
	if (!buf) {
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	cJSON *j = json_parse(buf, len, strcmp(path, "-") ? path : "<stdin>", err, errlen);
	free(buf);
	return j;
}

static size_t json_count(const cJSON *j)
{
	size_t n = 0;
	for (const cJSON *c = j->child; c; c = c->next)
		n++;
	return n;
}

/* Structural equality (see json.h). */
bool json_equal(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	int ta = a->type & 0xFF, tb = b->type & 0xFF;
	if (ta != tb)
		return false;
	switch (ta) {
	case cJSON_Number:
		return a->valuedouble == b->valuedouble;
	case cJSON_String:
	case cJSON_Raw:
		return a->valuestring && b->valuestring ? !strcmp(a->valuestring, b->valuestring)
		                                        : a->valuestring == b->valuestring;
	case cJSON_Array: {
		const cJSON *x = a->child, *y = b->child;
		for (; x && y; x = x->next, y = y->next)
			if (!json_equal(x, y))
				return false;
		return !x && !y;
	}
	case cJSON_Object: {
		if (json_count(a) != json_count(b))
			return false;
		for (const cJSON *x = a->child, *y = b->child; x; x = x->next) {
			/* fast path: same order */
			const cJSON *m = (y && y->string && x->string && !strcmp(x->string, y->string))
			                 ? y : json_get(b, x->string);
			if (!m || !json_equal(x, m))
				return false;
			y = m->next;
		}
		return true;
	}
	default:
		return true; /* null, true, false */
	}
}

/* Compact or indented text; malloc'd. */
char *json_print(const cJSON *j, bool pretty)
{
	return pretty ? cJSON_Print(j) : cJSON_PrintUnformatted(j);
}

/* Case-insensitive member lookup (exact spelling preferred). */
cJSON *json_get_ci(const cJSON *obj, const char *key)
{
	if (!obj || !cJSON_IsObject(obj) || !key)
		return NULL;
	cJSON *ci = NULL;
	for (cJSON *c = obj->child; c; c = c->next) {
		if (!c->string)
			continue;
		if (!strcmp(c->string, key))
			return c;
		if (!ci && !strcasecmp(c->string, key))
			ci = c;
	}
	return ci;
}

/* Exact member lookup. */
cJSON *json_get(const cJSON *obj, const char *key)
{
	if (!obj || !cJSON_IsObject(obj) || !key)
		return NULL;
	for (cJSON *c = obj->child; c; c = c->next)
		if (c->string && !strcmp(c->string, key))
			return c;
	return NULL;
}

/* Integer within int32. */
bool json_is_int32(const cJSON *j)
{
	if (!cJSON_IsNumber(j))
		return false;
	double d = j->valuedouble;
	return d >= -2147483648.0 && d <= 2147483647.0 && d == (double)(long long)d;
}

/* json.c — cJSON helpers: strict parsing with FILE:LINE:COLUMN errors,
 * bounded depth, structural equality, printing, case-insensitive lookup.
 *
 * cJSON alone is lenient (leading zeros, "+1", raw control characters in
 * strings, no depth bound below 1000), so a small RFC 8259 validator runs
 * first; it names the position and the reason of the first error. cJSON then
 * builds the tree, and its return_parse_end is the fallback position. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/json.h"

/* A top-level member's key and value byte spans (value span may carry
 * surrounding whitespace). */
typedef struct {
	size_t kstart, kend, vstart, vend;
} jspan;

typedef struct {
	const char *s;
	size_t len, pos;
	const char *msg;
	int depth;
	bool ws_inside;      /* whitespace seen inside a top-level member's value */
	jspan *spans;        /* NULL: do not record */
	size_t nspans, cap;
	bool in_member;
} jscan;

static inline void scan_ws(jscan *sc)
{
	if (sc->pos < sc->len && (unsigned char)sc->s[sc->pos] > ' ')
		return; /* compact JSON: the usual case */
	size_t start = sc->pos;
	while (sc->pos < sc->len) {
		char c = sc->s[sc->pos];
		if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
			break;
		sc->pos++;
	}
	if (sc->pos > start && sc->depth >= 2)
		sc->ws_inside = true;
}

static void span_key(jscan *sc, size_t kstart)
{
	if (!sc->spans || sc->depth != 1)
		return;
	if (sc->nspans == sc->cap) {
		size_t cap = sc->cap * 2;
		jspan *v = realloc(sc->spans, cap * sizeof *v);
		if (!v) {
			sc->msg = "out of memory";
			return;
		}
		sc->spans = v;
		sc->cap = cap;
	}
	sc->spans[sc->nspans] = (jspan){ kstart, sc->pos, 0, 0 };
	sc->in_member = true;
}

static void span_value_end(jscan *sc)
{
	if (sc->spans && sc->in_member && sc->depth == 1) {
		sc->spans[sc->nspans++].vend = sc->pos;
		sc->in_member = false;
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

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & HIGH)

/* Skip string bytes that need no attention (not '"', '\\' or a control
 * character), eight at a time: strings are most of a ticket's bytes. */
static void skip_plain(jscan *sc)
{
	while (sc->pos + 8 <= sc->len) {
		uint64_t w;
		memcpy(&w, sc->s + sc->pos, 8);
		uint64_t special = ((w - 0x2020202020202020ULL) & ~w & HIGH) |
		                   HAS_ZERO(w ^ (ONES * '"')) | HAS_ZERO(w ^ (ONES * '\\'));
		if (special)
			return;
		sc->pos += 8;
	}
}

static int scan_string(jscan *sc)
{
	sc->pos++; /* opening quote */
	while (sc->pos < sc->len) {
		skip_plain(sc);
		if (sc->pos >= sc->len)
			break;
		unsigned char c = (unsigned char)sc->s[sc->pos];
		if (c >= 0x20 && c != '"' && c != '\\') {
			sc->pos++;
			continue;
		}
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

/* A number too large for a double would become inf, which prints as null. */
static int number_in_range(jscan *sc, size_t start)
{
	char tmp[64], *end;
	size_t n = sc->pos - start;
	if (n >= sizeof tmp) {
		char *big = strndup(sc->s + start, n);
		double d = big ? strtod(big, &end) : 0;
		free(big);
		if (!isinf(d))
			return 0;
	} else {
		memcpy(tmp, sc->s + start, n);
		tmp[n] = '\0';
		if (!isinf(strtod(tmp, &end)))
			return 0;
	}
	sc->pos = start; /* point at the number */
	return scan_fail(sc, "number out of range");
}

static int scan_number(jscan *sc)
{
	size_t start = sc->pos;
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
		return number_in_range(sc, start);
	}
	return sc->pos - start > 300 ? number_in_range(sc, start) : 0;
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
#define depth (sc->depth)
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
			span_value_end(sc);
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
		size_t kstart = sc->pos;
		if (scan_string(sc) < 0)
			return -1;
		span_key(sc, kstart);
		if (sc->msg)
			return -1;
		scan_ws(sc);
		if (sc->pos >= sc->len || sc->s[sc->pos] != ':')
			return scan_fail(sc, sc->pos >= sc->len ? "unexpected end of input" : "expected ':'");
		sc->pos++;
		if (sc->spans && depth == 1)
			sc->spans[sc->nspans].vstart = sc->pos;
	}
#undef depth
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

static int scan_all(jscan *sc, const char *name, char *err, size_t errlen)
{
	if (scan_value(sc) == 0) {
		scan_ws(sc);
		if (sc->pos < sc->len)
			scan_fail(sc, "trailing garbage after the JSON value");
	}
	if (sc->msg) {
		set_err(err, errlen, name, sc->s, sc->pos, sc->msg);
		return -1;
	}
	return 0;
}

/* ---- duplicate member names ------------------------------------------------
 * cJSON keeps both members and lookups see the first, so a document with a
 * repeated name means different things to different readers: refuse it. */

typedef struct {
	const char *key;
	long idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
	const keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* How many children J has. */
static size_t json_count(const cJSON *j)
{
	size_t n = 0;
	for (const cJSON *c = j->child; c; c = c->next)
		n++;
	return n;
}

/* Index of a member of OBJ repeating an earlier name, or -1. */
static long dup_member(const cJSON *obj)
{
	long k = (long)json_count(obj);
	if (k < 2)
		return -1;
	if (k <= 12) {
		long i = 0;
		for (const cJSON *c = obj->child; c; c = c->next, i++)
			for (const cJSON *d = obj->child; d != c; d = d->next)
				if (c->string && d->string && !strcmp(c->string, d->string))
					return i;
		return -1;
	}
	keyref *v = malloc((size_t)k * sizeof *v);
	if (!v)
		return -1;
	long i = 0, found = -1;
	for (const cJSON *c = obj->child; c; c = c->next, i++)
		v[i] = (keyref){ c->string ? c->string : "", i };
	qsort(v, (size_t)k, sizeof *v, keyref_cmp);
	for (i = 1; i < k; i++)
		if (!strcmp(v[i - 1].key, v[i].key) && (found < 0 || v[i].idx < found))
			found = v[i].idx;
	free(v);
	return found;
}

/* Pre-order walk: the first object (document order) with a repeated name;
 * *OBJNO counts objects, *MEMBER gets the repeated member's index. */
static bool find_dup(const cJSON *j, size_t *objno, long *member)
{
	if (cJSON_IsObject(j)) {
		if ((*member = dup_member(j)) >= 0)
			return true;
		(*objno)++;
	}
	if (cJSON_IsObject(j) || cJSON_IsArray(j))
		for (const cJSON *c = j->child; c; c = c->next)
			if (find_dup(c, objno, member))
				return true;
	return false;
}

/* Index of the quote closing the string whose opening quote is S[I]
 * (escapes skipped); LEN or more if the text ends first. */
static size_t string_end(const char *s, size_t len, size_t i)
{
	for (i++; i < len; i++) {
		if (s[i] == '\\')
			i++;
		else if (s[i] == '"')
			break;
	}
	return i;
}

/* Offset (in validated text S) of the key of member MEMBER of object number
 * OBJNO (document order); 0 if not found. */
static size_t dup_offset(const char *s, size_t len, size_t objno, long member)
{
	size_t i = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '"')
			i = string_end(s, len, i);
		else if (c == '{' && objno-- == 0)
			break;
	}
	int depth = 0;
	long count = -1;
	bool expect_key = false;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '"') {
			if (depth == 1 && expect_key && ++count == member)
				return i;
			expect_key = false;
			i = string_end(s, len, i);
		} else if (c == '{' || c == '[') {
			depth++;
			expect_key = depth == 1;
		} else if (c == '}' || c == ']') {
			if (--depth == 0)
				break;
		} else if (c == ',' && depth == 1) {
			expect_key = true;
		}
	}
	return 0;
}

/* Refuse J (parsed from S at offset BASE of FULL) if an object repeats a name. */
static bool dup_check(const cJSON *j, const char *full, size_t base, size_t len,
                      const char *name, char *err, size_t errlen)
{
	size_t objno = 0;
	long member = -1;
	if (!find_dup(j, &objno, &member))
		return true;
	size_t off = dup_offset(full + base, len, objno, member);
	set_err(err, errlen, name, full, base + off, "duplicate member name");
	return false;
}

/* Parse LEN bytes of BUF strictly; errors "NAME:LINE:COLUMN: message". */
cJSON *json_parse(const char *buf, size_t len, const char *name, char *err, size_t errlen)
{
	jscan sc = { .s = buf, .len = len };
	if (scan_all(&sc, name, err, errlen) < 0)
		return NULL;
	const char *end = NULL;
	cJSON *j = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
	if (!j) {
		size_t pos = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
		set_err(err, errlen, name, buf, pos, "invalid JSON");
	} else if (!dup_check(j, buf, 0, len, name, err, errlen)) {
		cJSON_Delete(j);
		j = NULL;
	}
	return j;
}

static bool is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Remove whitespace outside strings from [S, S+N) in place; new length. */
static size_t compact_in_place(char *s, size_t n)
{
	size_t w = 0;
	bool in_str = false;
	for (size_t r = 0; r < n; r++) {
		char c = s[r];
		if (in_str) {
			s[w++] = c;
			if (c == '\\' && r + 1 < n)
				s[w++] = s[++r];
			else if (c == '"')
				in_str = false;
		} else if (!is_ws(c)) {
			s[w++] = c;
			in_str = c == '"';
		}
	}
	return w;
}

/* The key of span SP as a new string (JSON escapes decoded). */
static char *span_key_text(const char *buf, const jspan *sp)
{
	const char *k = buf + sp->kstart + 1;
	size_t n = sp->kend - sp->kstart - 2;
	if (!memchr(k, '\\', n))
		return strndup(k, n);
	cJSON *j = cJSON_ParseWithLength(buf + sp->kstart, sp->kend - sp->kstart);
	char *out = cJSON_IsString(j) ? strdup(j->valuestring) : NULL;
	cJSON_Delete(j);
	return out;
}

/* One lazily kept member: raw compact text pointing into the document's buffer. */
static cJSON *raw_member(char *buf, const jspan *sp, bool compact)
{
	size_t a = sp->vstart, b = sp->vend;
	while (a < b && is_ws(buf[a]))
		a++;
	while (b > a && is_ws(buf[b - 1]))
		b--;
	if (compact)
		b = a + compact_in_place(buf + a, b - a);
	buf[b] = '\0'; /* overwrites a separator already scanned */
	cJSON *r = cJSON_CreateRaw("");
	if (!r)
		return NULL;
	free(r->valuestring);
	r->valuestring = buf + a;
	r->type |= cJSON_IsReference; /* cJSON_Delete leaves valuestring alone */
	return r;
}

static int lazy_fail(cJSON *root, char **keys, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(keys[i]);
	free(keys);
	cJSON_Delete(root);
	return -1;
}

/* Members of the top-level object: WANTed ones parsed (and checked for
 * repeated names) first, while BUF is intact for error positions; then the
 * others become raw text (which compacts BUF in place). */
static cJSON *build_lazy(char *buf, const jscan *sc, bool (*want)(const char *, void *), void *ctx,
                         const char *name, char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject();
	char **keys = calloc(sc->nspans + 1, sizeof *keys);
	cJSON **items = calloc(sc->nspans + 1, sizeof *items);
	if (!root || !keys || !items) {
		free(items);
		lazy_fail(root, keys, 0);
		return NULL;
	}
	size_t i;
	for (i = 0; i < sc->nspans; i++) {
		const jspan *sp = &sc->spans[i];
		if (!(keys[i] = span_key_text(buf, sp)))
			break;
		if (!want(keys[i], ctx))
			continue;
		items[i] = cJSON_ParseWithLength(buf + sp->vstart, sp->vend - sp->vstart);
		if (!items[i] || !dup_check(items[i], buf, sp->vstart, sp->vend - sp->vstart, name, err, errlen))
			break;
	}
	bool ok = i == sc->nspans;
	keyref *v = ok ? malloc((sc->nspans + 1) * sizeof *v) : NULL;
	ok = ok && v;
	if (ok) { /* repeated top-level names */
		for (size_t k = 0; k < sc->nspans; k++)
			v[k] = (keyref){ keys[k], (long)k };
		qsort(v, sc->nspans, sizeof *v, keyref_cmp);
		long dup = -1;
		for (size_t k = 1; k < sc->nspans; k++)
			if (!strcmp(v[k - 1].key, v[k].key) && (dup < 0 || v[k].idx < dup))
				dup = v[k].idx;
		if (dup >= 0) {
			set_err(err, errlen, name, buf, sc->spans[dup].kstart, "duplicate member name");
			ok = false;
		}
	}
	free(v);
	if (!ok) {
		for (size_t k = 0; k < sc->nspans; k++)
			cJSON_Delete(items[k]);
		free(items);
		lazy_fail(root, keys, sc->nspans);
		return NULL;
	}
	for (i = 0; i < sc->nspans; i++) {
		cJSON *item = items[i] ? items[i] : raw_member(buf, &sc->spans[i], sc->ws_inside);
		items[i] = NULL;
		if (!item) {
			for (size_t k = i; k < sc->nspans; k++)
				cJSON_Delete(items[k]);
			free(items);
			lazy_fail(root, keys, sc->nspans);
			return NULL;
		}
		item->string = keys[i];
		keys[i] = NULL;
		cJSON_AddItemToArray(root, item);
	}
	free(items);
	free(keys);
	/* The raw members point into BUF: the root owns it (cJSON_Delete frees an
	 * object's valuestring like any other; objects never print it). */
	root->valuestring = buf;
	return root;
}

/* Lazy top-level parse; BUF is taken over. */
cJSON *json_parse_lazy(char *buf, size_t len, const char *name,
                       bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen)
{
	jscan sc = { .s = buf, .len = len };
	sc.cap = 64;
	sc.spans = want ? malloc(sc.cap * sizeof *sc.spans) : NULL;
	cJSON *root = NULL;
	if (scan_all(&sc, name, err, errlen) == 0) {
		size_t i = 0;
		while (i < len && is_ws(buf[i]))
			i++;
		if (err && errlen)
			err[0] = '\0';
		if (want && i < len && buf[i] == '{') {
			root = build_lazy(buf, &sc, want, ctx, name, err, errlen);
			if (root)
				buf = NULL; /* now owned by ROOT */
		} else {
			root = json_parse(buf, len, name, err, errlen);
		}
		if (!root && err && errlen && !err[0])
			snprintf(err, errlen, "%s: out of memory", name ? name : "<input>");
	}
	free(sc.spans);
	free(buf);
	return root;
}

/* Equality when a member was kept as raw text (json_parse_lazy): equal
 * bytes are equal values; otherwise parse and compare structurally. */
static bool raw_equal(const cJSON *a, const cJSON *b)
{
	if (cJSON_IsRaw(a) && cJSON_IsRaw(b) && a->valuestring && b->valuestring &&
	    !strcmp(a->valuestring, b->valuestring))
		return true;
	cJSON *pa = cJSON_IsRaw(a) ? cJSON_Parse(a->valuestring ? a->valuestring : "") : NULL;
	cJSON *pb = cJSON_IsRaw(b) ? cJSON_Parse(b->valuestring ? b->valuestring : "") : NULL;
	bool eq = (!cJSON_IsRaw(a) || pa) && (!cJSON_IsRaw(b) || pb) &&
	          json_equal(pa ? pa : a, pb ? pb : b);
	cJSON_Delete(pa);
	cJSON_Delete(pb);
	return eq;
}

/* Structural equality (see json.h). */
bool json_equal(const cJSON *a, const cJSON *b)
{
	if (!a || !b)
		return a == b;
	if (cJSON_IsRaw(a) || cJSON_IsRaw(b))
		return raw_equal(a, b);
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
/* The shortest "%.Ng" text of D that reads back as exactly D; NULL if
 * cJSON's own printing (15 digits, or 17 when 15 are not within an epsilon)
 * already gives it. cJSON turns 0.30000000000000004 into 0.3, which would
 * change a value a test op must guard exactly. */
static bool number_exact(const cJSON *n, char *buf, size_t len)
{
	double d = n->valuedouble;
	if (!isfinite(d) || (d == (double)n->valueint && fabs(d) < 1e15))
		return true;
	snprintf(buf, len, "%1.15g", d);
	if (strtod(buf, NULL) == d)
		return true;
	for (int prec = 16; prec <= 17; prec++) {
		snprintf(buf, len, "%1.*g", prec, d);
		if (strtod(buf, NULL) == d)
			break;
	}
	return false;
}

static bool has_inexact_number(const cJSON *j)
{
	char buf[64];
	if (cJSON_IsNumber(j))
		return !number_exact(j, buf, sizeof buf);
	for (const cJSON *c = j->child; c; c = c->next)
		if ((cJSON_IsNumber(c) || c->child) && has_inexact_number(c))
			return true;
	return false;
}

/* In a copy: every number cJSON would print inexactly becomes raw text. */
static void make_numbers_exact(cJSON *j)
{
	for (cJSON *c = j->child; c; c = c->next) {
		char buf[64];
		if (cJSON_IsNumber(c) && !number_exact(c, buf, sizeof buf)) {
			cJSON *r = cJSON_CreateRaw(buf);
			if (r && c->string && !(r->string = strdup(c->string))) {
				cJSON_Delete(r);
				r = NULL;
			}
			if (r) {
				cJSON_ReplaceItemViaPointer(j, c, r);
				c = r;
			}
		} else if (c->child) {
			make_numbers_exact(c);
		}
	}
}

char *json_print(const cJSON *j, bool pretty)
{
	if (j && has_inexact_number(j)) {
		cJSON *wrap = cJSON_CreateArray(), *copy = cJSON_Duplicate(j, 1);
		char *out = NULL;
		if (wrap && copy) {
			cJSON_AddItemToArray(wrap, copy);
			make_numbers_exact(wrap);
			copy = wrap->child; /* the root itself may have been replaced */
			out = pretty ? cJSON_Print(copy) : cJSON_PrintUnformatted(copy);
		} else {
			cJSON_Delete(copy);
		}
		cJSON_Delete(wrap);
		return out;
	}
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

/* Position of the first \u0000 escape inside a string or key. */
bool json_nul_escape(const char *buf, size_t len, int *line, int *col)
{
	if (!memmem(buf, len, "\\u0000", 6))  /* the common case, at memmem's speed */
		return false;
	bool in_str = false;
	int ln = 1, cl = 1;
	for (size_t i = 0; i < len; i++, cl++) {
		if (buf[i] == '\n') {
			ln++;
			cl = 0;
		} else if (!in_str) {
			in_str = buf[i] == '"';
		} else if (buf[i] == '"') {
			in_str = false;
		} else if (buf[i] == '\\' && i + 1 < len) {
			if (buf[i + 1] == 'u' && i + 6 <= len && !memcmp(buf + i + 2, "0000", 4)) {
				*line = ln;
				*col = cl;
				return true;
			}
			i++;
			cl++;
		}
	}
	return false;
}

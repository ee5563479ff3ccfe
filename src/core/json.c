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
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include "ticketed/errmsg.h"
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
		jspan *v = cJSON_malloc(cap * sizeof *v);
		if (!v) {
			sc->msg = "out of memory";
			return;
		}
		memcpy(v, sc->spans, sc->nspans * sizeof *v);
		cJSON_free(sc->spans);
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

/* ---- the one JSON string scanner ------------------------------------------
 * Used by the validator, by the passes over validated text (compacting a raw
 * member, finding a repeated member's offset, walking an array's elements)
 * and by json_nul_escape. */

typedef struct {
	size_t bad;      /* index of the first problem, or SIZE_MAX */
	const char *why; /* what the problem is */
	size_t nul;      /* index of the backslash of the first \u0000, or SIZE_MAX */
} str_scan;

#define ONES 0x0101010101010101ULL
#define HIGH 0x8080808080808080ULL
#define HAS_ZERO(v) (((v) - ONES) & ~(v) & HIGH)

/* Index of the first byte from I that is '"', '\\' or a control character,
 * sixteen (SSE2) or eight bytes at a time (strings are most of a ticket's
 * bytes); LEN if none. */
static inline size_t skip_plain(const char *s, size_t len, size_t i)
{
#ifdef __SSE2__
	const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\'), ctl = _mm_set1_epi8(0x1f);
	while (i + 16 <= len) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, quote), _mm_cmpeq_epi8(x, bslash)),
		                           _mm_cmpeq_epi8(_mm_min_epu8(x, ctl), x)); /* x <= 0x1f */
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m)
			return i + (size_t)__builtin_ctz(m);
		i += 16;
	}
#endif
	while (i + 8 <= len) {
		uint64_t w;
		memcpy(&w, s + i, 8);
		uint64_t special = ((w - 0x2020202020202020ULL) & ~w & HIGH) |
		                   HAS_ZERO(w ^ (ONES * '"')) | HAS_ZERO(w ^ (ONES * '\\'));
		if (special) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
			/* the lowest flagged byte is always a real one (a false
			 * positive only follows a real one) */
			return i + (size_t)(__builtin_ctzll(special) >> 3);
#else
			break;
#endif
		}
		i += 8;
	}
	while (i < len && (unsigned char)s[i] >= 0x20 && s[i] != '"' && s[i] != '\\')
		i++;
	return i;
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static void str_problem(str_scan *st, size_t at, const char *why)
{
	if (st->bad == SIZE_MAX) {
		st->bad = at;
		st->why = why;
	}
}

/* S[I] is the first byte after an opening quote. Returns the index of the
 * closing quote, or LEN when the text ends first. The first raw control
 * character or bad escape goes to ST->bad (scanning stops there), the first
 * \u0000 to ST->nul. */
static size_t str_end(const char *s, size_t len, size_t i, str_scan *st)
{
	st->bad = st->nul = SIZE_MAX;
	st->why = NULL;
	for (;;) {
		i = skip_plain(s, len, i);
		if (i >= len || s[i] == '"')
			return i;
		if (s[i] != '\\') {
			str_problem(st, i, "control character in string");
			return i;
		}
		if (i + 1 >= len)
			return len;
		char c = s[i + 1];
		if (c == 'u') {
			for (size_t k = i + 2; k < i + 6; k++) {
				if (k >= len)
					return len;
				if (!is_hex(s[k])) {
					str_problem(st, k, "bad \\u escape");
					return k;
				}
			}
			if (st->nul == SIZE_MAX && !memcmp(s + i + 2, "0000", 4))
				st->nul = i;
			i += 6;
		} else if (c && strchr("\"\\/bfnrt", c)) {
			i += 2;
		} else {
			str_problem(st, i + 1, "bad escape in string");
			return i + 1;
		}
	}
}

/* The validator's step: SC->pos at the opening quote; on success just past
 * the closing one. */
static int scan_string_slow(jscan *sc, size_t i) __attribute__((noinline));

static int scan_string(jscan *sc)
{
	size_t i = skip_plain(sc->s, sc->len, sc->pos + 1);
	if (i < sc->len && sc->s[i] == '"') { /* no escape: the usual case */
		sc->pos = i + 1;
		return 0;
	}
	return scan_string_slow(sc, i);
}

/* From S[I], the first escape or problem byte of the string at SC->pos. */
static int scan_string_slow(jscan *sc, size_t i)
{
	str_scan st;
	size_t end = str_end(sc->s, sc->len, i, &st);
	if (st.bad != SIZE_MAX) {
		sc->pos = st.bad;
		return scan_fail(sc, st.why);
	}
	if (end >= sc->len) {
		sc->pos = sc->len;
		return scan_fail(sc, "unterminated string");
	}
	sc->pos = end + 1;
	return 0;
}

/* Index just past the string whose opening quote is S[I], in validated text. */
static size_t skip_string(const char *s, size_t len, size_t i)
{
	str_scan st;
	size_t e = str_end(s, len, i + 1, &st);
	return e < len ? e + 1 : len;
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
		if (!big)
			return scan_fail(sc, "out of memory");
		double d = strtod(big, &end);
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
		seterr(err, errlen, "%s:%u:%u: %s", name ? name : "<input>", line, col, msg);
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
	size_t idx;
} keyref;

static int keyref_cmp(const void *a, const void *b)
{
	const keyref *x = a, *y = b;
	int c = strcmp(x->key, y->key);
	return c ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

/* The one detector: index of the first of the N names KEY(i, CTX) that
 * repeats an earlier one, -1 if none, -2 when out of memory. O(n log n). */
static long first_repeat(size_t n, const char *(*key)(size_t i, const void *ctx), const void *ctx)
{
	if (n < 2)
		return -1;
	if (n <= 12) { /* small objects: no allocation */
		for (size_t i = 1; i < n; i++)
			for (size_t k = 0; k < i; k++)
				if (!strcmp(key(i, ctx), key(k, ctx)))
					return (long)i;
		return -1;
	}
	keyref *v = cJSON_malloc(n * sizeof *v);
	if (!v)
		return -2;
	for (size_t i = 0; i < n; i++)
		v[i] = (keyref){ key(i, ctx), i };
	qsort(v, n, sizeof *v, keyref_cmp);
	long found = -1;
	for (size_t i = 1; i < n; i++) /* equal names sorted by index: v[i] repeats v[i-1] */
		if (!strcmp(v[i - 1].key, v[i].key) && (found < 0 || (long)v[i].idx < found))
			found = (long)v[i].idx;
	cJSON_free(v);
	return found;
}

/* How many children J has. */
static size_t json_count(const cJSON *j)
{
	size_t n = 0;
	for (const cJSON *c = j->child; c; c = c->next)
		n++;
	return n;
}

typedef struct {
	const cJSON **m;
} members;

static const char *member_key(size_t i, const void *ctx)
{
	const char *k = ((const members *)ctx)->m[i]->string;
	return k ? k : "";
}

/* Index of a member of OBJ repeating an earlier name, -1, or -2 (out of memory). */
static long dup_member(const cJSON *obj)
{
	size_t n = json_count(obj);
	if (n < 2)
		return -1;
	const cJSON *small[12];
	members ms = { n <= 12 ? small : cJSON_malloc(n * sizeof *ms.m) };
	if (!ms.m)
		return -2;
	size_t i = 0;
	for (const cJSON *c = obj->child; c; c = c->next)
		ms.m[i++] = c;
	long r = first_repeat(n, member_key, &ms);
	if (ms.m != small)
		cJSON_free(ms.m);
	return r;
}

/* Pre-order walk: the first object (document order) with a repeated name;
 * *OBJNO counts objects, *MEMBER gets the repeated member's index (-2: out
 * of memory, *OBJNO meaningless). */
static bool find_dup(const cJSON *j, size_t *objno, long *member)
{
	if (cJSON_IsObject(j)) {
		if ((*member = dup_member(j)) != -1)
			return true;
		(*objno)++;
	}
	if (cJSON_IsObject(j) || cJSON_IsArray(j))
		for (const cJSON *c = j->child; c; c = c->next)
			if (find_dup(c, objno, member))
				return true;
	return false;
}

/* Offset (in validated text S) of the key of member MEMBER of object number
 * OBJNO (document order); 0 if not found. */
static size_t dup_offset(const char *s, size_t len, size_t objno, long member)
{
	size_t i = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '"')
			i = skip_string(s, len, i) - 1;
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
			i = skip_string(s, len, i) - 1;
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
	if (member == -2) {
		set_err(err, errlen, name, full, base, "out of memory");
		return false;
	}
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
	if (!j) { /* the text is valid: cJSON ran out of memory */
		size_t pos = end && end >= buf && end <= buf + len ? (size_t)(end - buf) : 0;
		set_err(err, errlen, name, buf, pos, "out of memory");
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

/* Remove whitespace outside strings from validated text [S, S+N) in place;
 * new length. */
static size_t compact_in_place(char *s, size_t n)
{
	size_t w = 0;
	for (size_t r = 0; r < n;) {
		char c = s[r];
		if (c == '"') {
			size_t e = skip_string(s, n, r);
			memmove(s + w, s + r, e - r);
			w += e - r;
			r = e;
		} else {
			if (!is_ws(c))
				s[w++] = c;
			r++;
		}
	}
	return w;
}

/* N bytes of S and a NUL, allocated the way cJSON frees member names. */
static char *mem_dup(const char *s, size_t n)
{
	char *d = cJSON_malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* The key of span SP as a new string (JSON escapes decoded). */
static char *span_key_text(const char *buf, const jspan *sp)
{
	const char *k = buf + sp->kstart + 1;
	size_t n = sp->kend - sp->kstart - 2;
	if (!memchr(k, '\\', n))
		return mem_dup(k, n);
	cJSON *j = cJSON_ParseWithLength(buf + sp->kstart, sp->kend - sp->kstart);
	char *out = cJSON_IsString(j) ? mem_dup(j->valuestring, strlen(j->valuestring)) : NULL;
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
	cJSON_free(r->valuestring);
	r->valuestring = buf + a;
	r->type |= cJSON_IsReference; /* cJSON_Delete leaves valuestring alone */
	return r;
}

static int lazy_fail(cJSON *root, char **keys, size_t n)
{
	for (size_t i = 0; keys && i < n; i++)
		cJSON_free(keys[i]);
	cJSON_free(keys);
	cJSON_Delete(root);
	return -1;
}

/* N zeroed pointers from cJSON's allocator; NULL when out of memory. */
static void *ptr_array(size_t n)
{
	void **v = cJSON_malloc(n * sizeof *v);
	for (size_t i = 0; v && i < n; i++)
		v[i] = NULL;
	return v;
}

static const char *key_at(size_t i, const void *ctx)
{
	return ((char *const *)ctx)[i];
}

/* Members of the top-level object: WANTed ones parsed (and checked for
 * repeated names) first, while BUF is intact for error positions; then the
 * others become raw text (which compacts BUF in place). */
static cJSON *build_lazy(char *buf, const jscan *sc, bool (*want)(const char *, void *), void *ctx,
                         const char *name, char *err, size_t errlen)
{
	cJSON *root = cJSON_CreateObject();
	char **keys = ptr_array(sc->nspans + 1);
	cJSON **items = ptr_array(sc->nspans + 1);
	if (!root || !keys || !items) {
		cJSON_free(items);
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
	long dup = ok ? first_repeat(sc->nspans, key_at, keys) : -1; /* repeated top-level names */
	if (dup >= 0)
		set_err(err, errlen, name, buf, sc->spans[dup].kstart, "duplicate member name");
	ok = ok && dup == -1;
	if (!ok) {
		for (size_t k = 0; k < sc->nspans; k++)
			cJSON_Delete(items[k]);
		cJSON_free(items);
		lazy_fail(root, keys, sc->nspans);
		return NULL;
	}
	for (i = 0; i < sc->nspans; i++) {
		cJSON *item = items[i] ? items[i] : raw_member(buf, &sc->spans[i], sc->ws_inside);
		items[i] = NULL;
		if (!item) {
			for (size_t k = i; k < sc->nspans; k++)
				cJSON_Delete(items[k]);
			cJSON_free(items);
			lazy_fail(root, keys, sc->nspans);
			return NULL;
		}
		item->string = keys[i];
		keys[i] = NULL;
		cJSON_AddItemToArray(root, item);
	}
	cJSON_free(items);
	cJSON_free(keys);
	/* The raw members point into BUF: the root owns it (cJSON_Delete frees an
	 * object's valuestring like any other; objects never print it). */
	root->valuestring = buf;
	return root;
}

static cJSON *parse_lazy(char *buf, size_t len, bool own, const char *name,
                         bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen);

/* Lazy top-level parse; BUF is taken over. */
cJSON *json_parse_lazy(char *buf, size_t len, const char *name,
                       bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen)
{
	return parse_lazy(buf, len, true, name, want, ctx, err, errlen);
}

cJSON *json_parse_lazy_borrowed(char *buf, size_t len, const char *name,
                                bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen)
{
	return parse_lazy(buf, len, false, name, want, ctx, err, errlen);
}

static cJSON *parse_lazy(char *buf, size_t len, bool own, const char *name,
                         bool (*want)(const char *key, void *ctx), void *ctx, char *err, size_t errlen)
{
	jscan sc = { .s = buf, .len = len };
	sc.cap = 64;
	sc.spans = want ? cJSON_malloc(sc.cap * sizeof *sc.spans) : NULL;
	cJSON *root = NULL;
	if (want && !sc.spans)
		seterr(err, errlen, "%s: out of memory", name ? name : "<input>");
	else if (scan_all(&sc, name, err, errlen) == 0) {
		size_t i = 0;
		while (i < len && is_ws(buf[i]))
			i++;
		if (err && errlen)
			err[0] = '\0';
		if (want && i < len && buf[i] == '{') {
			root = build_lazy(buf, &sc, want, ctx, name, err, errlen);
			if (root && !own)
				root->valuestring = NULL; /* the caller's */
			if (root)
				buf = NULL; /* now owned by ROOT (when taken over) */
		} else {
			root = json_parse(buf, len, name, err, errlen);
		}
		if (!root && err && errlen && !err[0])
			seterr(err, errlen, "%s: out of memory", name ? name : "<input>");
	}
	cJSON_free(sc.spans);
	if (own)
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
			if (r && c->string && !(r->string = mem_dup(c->string, strlen(c->string)))) {
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

/* Position of the first \u0000 escape inside a string or key. Text with no
 * backslash at all (most documents) is passed at memchr's speed. */
bool json_nul_escape(const char *buf, size_t len, int *line, int *col)
{
	if (!memchr(buf, '\\', len))
		return false;
	for (size_t i = 0; i < len; i++) {
		const char *q = memchr(buf + i, '"', len - i);
		if (!q)
			break;
		str_scan st;
		i = str_end(buf, len, (size_t)(q - buf) + 1, &st);
		if (st.nul != SIZE_MAX && (st.bad == SIZE_MAX || st.nul < st.bad)) {
			unsigned l, c;
			pos_to_linecol(buf, st.nul, &l, &c);
			*line = (int)l;
			*col = (int)c;
			return true;
		}
		if (st.bad != SIZE_MAX)
			break; /* invalid text: the parser reports it */
	}
	return false;
}

/* Next element of a validated JSON array text. */
bool json_array_next(const char *s, size_t len, size_t *it, size_t *start, size_t *end)
{
	size_t i = *it;
	if (i == 0) { /* past the opening bracket */
		while (i < len && is_ws(s[i]))
			i++;
		if (i >= len || s[i] != '[')
			return false;
		i++;
	}
	while (i < len && (is_ws(s[i]) || s[i] == ','))
		i++;
	if (i >= len || s[i] == ']') {
		*it = len;
		return false;
	}
	size_t from = i;
	int depth = 0;
	for (; i < len; i++) {
		char c = s[i];
		if (c == '"') {
			i = skip_string(s, len, i) - 1;
		} else if (c == '{' || c == '[') {
			depth++;
		} else if (c == '}' || c == ']') {
			if (depth == 0)
				break; /* the array's own ']' */
			depth--;
		} else if (depth == 0 && (c == ',' || is_ws(c))) {
			break;
		}
		if (depth == 0 && (c == '}' || c == ']' || c == '"')) {
			i++;
			break;
		}
	}
	*start = from;
	*end = i;
	*it = i;
	return true;
}

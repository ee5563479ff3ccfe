/* html.c — message bodies as readable text (rules in html.h). A one-pass
 * tokenizer written for this, not a library: libxml2's HTML parser (the
 * one in the build's reach) silently drops control characters and
 * character references to them (ESC, &#27;), which must reach the screen
 * as visible escapes, and took over 50 ms for a 200 KB body; a text view
 * needs no tree, only the breaks, lists, quotes and links in order. */
#include "ticketed/escape.h"
#include "ticketed/html.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- entities -------------------------------------------------------------- */

static const struct { const char *name; unsigned cp; } entities[] = {
	{ "AElig", 0xC6 }, { "Aacute", 0xC1 }, { "Acirc", 0xC2 }, { "Agrave", 0xC0 }, { "Alpha", 0x391 },
	{ "Aring", 0xC5 }, { "Atilde", 0xC3 }, { "Auml", 0xC4 }, { "Beta", 0x392 }, { "Ccedil", 0xC7 },
	{ "Chi", 0x3A7 }, { "Dagger", 0x2021 }, { "Delta", 0x394 }, { "ETH", 0xD0 }, { "Eacute", 0xC9 },
	{ "Ecirc", 0xCA }, { "Egrave", 0xC8 }, { "Epsilon", 0x395 }, { "Eta", 0x397 }, { "Euml", 0xCB },
	{ "Gamma", 0x393 }, { "Iacute", 0xCD }, { "Icirc", 0xCE }, { "Igrave", 0xCC }, { "Iota", 0x399 },
	{ "Iuml", 0xCF }, { "Kappa", 0x39A }, { "Lambda", 0x39B }, { "Mu", 0x39C }, { "Ntilde", 0xD1 },
	{ "Nu", 0x39D }, { "OElig", 0x152 }, { "Oacute", 0xD3 }, { "Ocirc", 0xD4 }, { "Ograve", 0xD2 },
	{ "Omega", 0x3A9 }, { "Omicron", 0x39F }, { "Oslash", 0xD8 }, { "Otilde", 0xD5 },
	{ "Ouml", 0xD6 }, { "Phi", 0x3A6 }, { "Pi", 0x3A0 }, { "Prime", 0x2033 }, { "Psi", 0x3A8 },
	{ "Rho", 0x3A1 }, { "Scaron", 0x160 }, { "Sigma", 0x3A3 }, { "THORN", 0xDE }, { "Tau", 0x3A4 },
	{ "Theta", 0x398 }, { "Uacute", 0xDA }, { "Ucirc", 0xDB }, { "Ugrave", 0xD9 },
	{ "Upsilon", 0x3A5 }, { "Uuml", 0xDC }, { "Xi", 0x39E }, { "Yacute", 0xDD }, { "Yuml", 0x178 },
	{ "Zeta", 0x396 }, { "aacute", 0xE1 }, { "acirc", 0xE2 }, { "acute", 0xB4 }, { "aelig", 0xE6 },
	{ "agrave", 0xE0 }, { "alefsym", 0x2135 }, { "alpha", 0x3B1 }, { "amp", 0x26 }, { "and", 0x2227 },
	{ "ang", 0x2220 }, { "apos", 0x27 }, { "aring", 0xE5 }, { "asymp", 0x2248 }, { "atilde", 0xE3 },
	{ "auml", 0xE4 }, { "bdquo", 0x201E }, { "beta", 0x3B2 }, { "brvbar", 0xA6 }, { "bull", 0x2022 },
	{ "cap", 0x2229 }, { "ccedil", 0xE7 }, { "cedil", 0xB8 }, { "cent", 0xA2 }, { "chi", 0x3C7 },
	{ "circ", 0x2C6 }, { "clubs", 0x2663 }, { "cong", 0x2245 }, { "copy", 0xA9 }, { "crarr", 0x21B5 },
	{ "cup", 0x222A }, { "curren", 0xA4 }, { "dArr", 0x21D3 }, { "dagger", 0x2020 },
	{ "darr", 0x2193 }, { "deg", 0xB0 }, { "delta", 0x3B4 }, { "diams", 0x2666 }, { "divide", 0xF7 },
	{ "eacute", 0xE9 }, { "ecirc", 0xEA }, { "egrave", 0xE8 }, { "empty", 0x2205 },
	{ "emsp", 0x2003 }, { "ensp", 0x2002 }, { "epsilon", 0x3B5 }, { "equiv", 0x2261 },
	{ "eta", 0x3B7 }, { "eth", 0xF0 }, { "euml", 0xEB }, { "euro", 0x20AC }, { "exist", 0x2203 },
	{ "fnof", 0x192 }, { "forall", 0x2200 }, { "frac12", 0xBD }, { "frac14", 0xBC },
	{ "frac34", 0xBE }, { "frasl", 0x2044 }, { "gamma", 0x3B3 }, { "ge", 0x2265 }, { "gt", 0x3E },
	{ "hArr", 0x21D4 }, { "harr", 0x2194 }, { "hearts", 0x2665 }, { "hellip", 0x2026 },
	{ "iacute", 0xED }, { "icirc", 0xEE }, { "iexcl", 0xA1 }, { "igrave", 0xEC }, { "image", 0x2111 },
	{ "infin", 0x221E }, { "int", 0x222B }, { "iota", 0x3B9 }, { "iquest", 0xBF }, { "isin", 0x2208 },
	{ "iuml", 0xEF }, { "kappa", 0x3BA }, { "lArr", 0x21D0 }, { "lambda", 0x3BB }, { "lang", 0x2329 },
	{ "laquo", 0xAB }, { "larr", 0x2190 }, { "lceil", 0x2308 }, { "ldquo", 0x201C }, { "le", 0x2264 },
	{ "lfloor", 0x230A }, { "lowast", 0x2217 }, { "loz", 0x25CA }, { "lrm", 0x200E },
	{ "lsaquo", 0x2039 }, { "lsquo", 0x2018 }, { "lt", 0x3C }, { "macr", 0xAF }, { "mdash", 0x2014 },
	{ "micro", 0xB5 }, { "middot", 0xB7 }, { "minus", 0x2212 }, { "mu", 0x3BC }, { "nabla", 0x2207 },
	{ "nbsp", 0xA0 }, { "ndash", 0x2013 }, { "ne", 0x2260 }, { "ni", 0x220B }, { "not", 0xAC },
	{ "notin", 0x2209 }, { "nsub", 0x2284 }, { "ntilde", 0xF1 }, { "nu", 0x3BD }, { "oacute", 0xF3 },
	{ "ocirc", 0xF4 }, { "oelig", 0x153 }, { "ograve", 0xF2 }, { "oline", 0x203E },
	{ "omega", 0x3C9 }, { "omicron", 0x3BF }, { "oplus", 0x2295 }, { "or", 0x2228 }, { "ordf", 0xAA },
	{ "ordm", 0xBA }, { "oslash", 0xF8 }, { "otilde", 0xF5 }, { "otimes", 0x2297 }, { "ouml", 0xF6 },
	{ "para", 0xB6 }, { "part", 0x2202 }, { "permil", 0x2030 }, { "perp", 0x22A5 }, { "phi", 0x3C6 },
	{ "pi", 0x3C0 }, { "piv", 0x3D6 }, { "plusmn", 0xB1 }, { "pound", 0xA3 }, { "prime", 0x2032 },
	{ "prod", 0x220F }, { "prop", 0x221D }, { "psi", 0x3C8 }, { "quot", 0x22 }, { "rArr", 0x21D2 },
	{ "radic", 0x221A }, { "rang", 0x232A }, { "raquo", 0xBB }, { "rarr", 0x2192 },
	{ "rceil", 0x2309 }, { "rdquo", 0x201D }, { "real", 0x211C }, { "reg", 0xAE },
	{ "rfloor", 0x230B }, { "rho", 0x3C1 }, { "rlm", 0x200F }, { "rsaquo", 0x203A },
	{ "rsquo", 0x2019 }, { "sbquo", 0x201A }, { "scaron", 0x161 }, { "sdot", 0x22C5 },
	{ "sect", 0xA7 }, { "shy", 0xAD }, { "sigma", 0x3C3 }, { "sigmaf", 0x3C2 }, { "sim", 0x223C },
	{ "spades", 0x2660 }, { "sub", 0x2282 }, { "sube", 0x2286 }, { "sum", 0x2211 }, { "sup", 0x2283 },
	{ "sup1", 0xB9 }, { "sup2", 0xB2 }, { "sup3", 0xB3 }, { "supe", 0x2287 }, { "szlig", 0xDF },
	{ "tau", 0x3C4 }, { "there4", 0x2234 }, { "theta", 0x3B8 }, { "thetasym", 0x3D1 },
	{ "thinsp", 0x2009 }, { "thorn", 0xFE }, { "tilde", 0x2DC }, { "times", 0xD7 },
	{ "trade", 0x2122 }, { "uArr", 0x21D1 }, { "uacute", 0xFA }, { "uarr", 0x2191 },
	{ "ucirc", 0xFB }, { "ugrave", 0xF9 }, { "uml", 0xA8 }, { "upsih", 0x3D2 }, { "upsilon", 0x3C5 },
	{ "uuml", 0xFC }, { "weierp", 0x2118 }, { "xi", 0x3BE }, { "yacute", 0xFD }, { "yen", 0xA5 },
	{ "yuml", 0xFF }, { "zeta", 0x3B6 }, { "zwj", 0x200D }, { "zwnj", 0x200C },
};

static int ent_cmp(const char *name, size_t len, const char *e)
{
	int c = strncmp(name, e, len);
	return c ? c : e[len] ? -1 : 0;
}

unsigned html_entity(const char *name, size_t len)
{
	size_t lo = 0, hi = sizeof entities / sizeof *entities;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		int c = ent_cmp(name, len, entities[mid].name);
		if (c == 0)
			return entities[mid].cp;
		if (c < 0)
			hi = mid;
		else
			lo = mid + 1;
	}
	return 0;
}

/* &#128;..&#159; as browsers read them: windows-1252 (0 = keep as is). */
static const unsigned short cp1252[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0,
	0x017D, 0, 0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A,
	0x0153, 0, 0x017E, 0x0178,
};

static bool is_alnum(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* The character reference at S[0] == '&' (N bytes left): its UTF-8 in OUT
 * (room for 4), its length in *OLEN; returns the bytes it takes, 0 when it
 * is none (the '&' is then text). */
static size_t entity_at(const char *s, size_t n, char *out, size_t *olen)
{
	size_t i = 1;
	uint32_t cp = 0;
	if (n > 2 && s[1] == '#') {
		bool hex = n > 3 && (s[2] == 'x' || s[2] == 'X');
		size_t d0 = hex ? 3 : 2, nd = 0;
		bool big = false;
		for (i = d0; i < n; i++, nd++) {
			int c = (unsigned char)s[i], v;
			if (c >= '0' && c <= '9')
				v = c - '0';
			else if (hex && c >= 'a' && c <= 'f')
				v = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F')
				v = c - 'A' + 10;
			else
				break;
			if (cp > 0x10FFFF)
				big = true;
			else
				cp = cp * (hex ? 16 : 10) + (uint32_t)v;
		}
		if (!nd)
			return 0;
		if (i < n && s[i] == ';')
			i++;
		if (big || cp == 0 || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			cp = 0xFFFD;
		else if (cp >= 0x80 && cp < 0xA0 && cp1252[cp - 0x80])
			cp = cp1252[cp - 0x80];
		*olen = esc_utf8_encode(cp, out);
		return i;
	}
	while (i < n && i < 34 && is_alnum((unsigned char)s[i]))
		i++;
	if (i == 1)
		return 0;
	cp = i < n && s[i] == ';' ? html_entity(s + 1, i - 1) : 0;
	if (cp) {
		*olen = esc_utf8_encode(cp, out);
		return i + 1;
	}
	/* without ';' only the old names browsers still take, also as a
	 * prefix ("&copy2" is "©2") */
	static const char *const legacy[] = { "amp", "lt", "gt", "quot", "nbsp", "copy", "reg", NULL };
	for (const char *const *l = legacy; *l; l++) {
		size_t ln = strlen(*l);
		if (ln <= i - 1 && !memcmp(*l, s + 1, ln)) {
			*olen = esc_utf8_encode(html_entity(*l, ln), out);
			return ln + 1;
		}
	}
	return 0;
}

/* ---- the document ------------------------------------------------------------ */

typedef struct {
	char *p;
	size_t n, cap;
} sbuf;

typedef struct {
	char type;      /* 'u' or 'o' */
	int count;      /* items so far (ol: the next number - 1) */
	int mw;         /* the marker width of its current item */
} list_lv;

typedef struct {
	html_doc *d;
	bool oom;
	sbuf line;
	bool open;            /* a line is being built */
	int pending;          /* breaks wanted before the next text: 0, 1 (a new line), 2 (a blank line) */
	bool space;           /* a collapsed blank waits between words */
	/* the line being built */
	int l_indent, l_hang, l_quote;
	html_kind l_kind;
	int col;              /* characters in the line (tab stops in pre) */
	/* context */
	int quote;
	list_lv list[HTML_MAX_DEPTH];
	int nlist, list_over; /* lists open; those beyond HTML_MAX_DEPTH */
	int pre, heading;
	char marker[16];      /* the list marker the next line starts with, or "" */
	int cells;            /* table cells so far in this row */
	size_t link;          /* the open link's number, or 0 */
} rd;

static void sb_add(rd *r, sbuf *b, const char *s, size_t n)
{
	if (r->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 64;
		while (cap < b->n + n + 1)
			cap *= 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			r->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void emit(rd *r, const char *text, size_t n, int indent, int hang, int quote, html_kind kind)
{
	html_doc *d = r->d;
	if (r->oom)
		return;
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 32;
		html_line *nv = realloc(d->v, cap * sizeof *nv);
		if (!nv) {
			r->oom = true;
			return;
		}
		d->v = nv;
		d->cap = cap;
	}
	char *t = malloc(n + 1);
	if (!t) {
		r->oom = true;
		return;
	}
	memcpy(t, text, n);
	t[n] = '\0';
	d->v[d->n++] = (html_line){ t, indent, hang, quote, kind };
}

static bool last_blank(const rd *r)
{
	return r->d->n && !r->d->v[r->d->n - 1].text[0] && r->d->v[r->d->n - 1].kind != HL_RULE;
}

static int list_depth(const rd *r)
{
	return r->nlist < HTML_MAX_DEPTH ? r->nlist : HTML_MAX_DEPTH;
}

static int quote_depth(const rd *r)
{
	return r->quote < HTML_MAX_DEPTH ? r->quote : HTML_MAX_DEPTH;
}

/* Start the line the next text goes on: the breaks asked for first. */
static void start_line(rd *r)
{
	if (r->open)
		return;
	if (r->pending == 2 && r->d->n && !last_blank(r)) {
		int q = r->d->v[r->d->n - 1].quote;
		emit(r, "", 0, 0, 0, q < quote_depth(r) ? q : quote_depth(r), HL_TEXT);
	}
	r->pending = 0;
	r->open = true;
	r->space = false;
	r->line.n = 0;
	r->col = 0;
	int lv = list_depth(r);
	r->l_indent = lv ? 2 * lv + (r->marker[0] ? 0 : r->list[lv - 1].mw) : 0;
	r->l_hang = 0;
	r->l_quote = quote_depth(r);
	r->l_kind = r->pre ? HL_PRE : r->heading ? HL_HEADING : HL_TEXT;
	if (r->marker[0]) {
		size_t mn = strlen(r->marker);
		sb_add(r, &r->line, r->marker, mn);
		r->l_hang = lv ? r->list[lv - 1].mw : 2;
		r->col = r->l_hang;
		r->marker[0] = '\0';
	}
}

static void end_line(rd *r)
{
	if (!r->open)
		return;
	size_t n = r->line.n;
	if (r->l_kind != HL_PRE)
		while (n && r->line.p[n - 1] == ' ')
			n--;
	if (n || !last_blank(r))
		emit(r, n ? r->line.p : "", n, r->l_indent, r->l_hang, r->l_quote, r->l_kind);
	r->open = false;
	r->line.n = 0;
}

/* The next text starts a new line (N 1) or a paragraph (N 2). */
static void brk(rd *r, int n)
{
	end_line(r);
	if (n > r->pending)
		r->pending = n;
}

/* <br>: end the line; a second one gives an empty line. */
static void hard_break(rd *r)
{
	if (!r->open) {
		if (!r->d->n)
			return;  /* no blank lines at the top */
		start_line(r);
	}
	end_line(r);
}

/* Text N bytes: blanks collapse (outside pre), the rest is kept byte for byte. */
static void add_text(rd *r, const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!c) {  /* a NUL cannot be in a C string: U+FFFD, as browsers show it */
			add_text(r, "\xEF\xBF\xBD", 3);
			continue;
		}
		if (r->pre) {
			if (c == '\r' && i + 1 < n && s[i + 1] == '\n')
				continue;
			if (c == '\n') {
				start_line(r);
				end_line(r);
				r->pending = 0;
				continue;
			}
			start_line(r);
			if (c == '\t') {
				int to = (r->col / 8 + 1) * 8;
				while (r->col < to) {
					sb_add(r, &r->line, " ", 1);
					r->col++;
				}
				continue;
			}
			sb_add(r, &r->line, (const char *)&s[i], 1);
			r->col += (c & 0xC0) != 0x80;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
			if (r->open && r->line.n)
				r->space = true;
			continue;
		}
		start_line(r);
		if (r->space) {
			sb_add(r, &r->line, " ", 1);
			r->space = false;
		}
		sb_add(r, &r->line, (const char *)&s[i], 1);
	}
}

/* Text with character references decoded. */
static void add_decoded(rd *r, const char *s, size_t n)
{
	size_t i = 0, run = 0;
	while (i < n) {
		char u[4];
		size_t ul, k;
		if (s[i] == '&' && (k = entity_at(s + i, n - i, u, &ul))) {
			add_text(r, s + run, i - run);
			add_text(r, u, ul);
			i += k;
			run = i;
		} else {
			i++;
		}
	}
	add_text(r, s + run, n - run);
}

/* A string with character references decoded into B. */
static void decode_into(rd *r, sbuf *b, const char *s, size_t n)
{
	size_t i = 0;
	b->n = 0;
	sb_add(r, b, "", 0);
	while (i < n) {
		char u[4];
		size_t ul, k;
		if (s[i] == '&' && (k = entity_at(s + i, n - i, u, &ul))) {
			sb_add(r, b, u, ul);
			i += k;
		} else {
			sb_add(r, b, s[i] ? s + i : "\xEF\xBF\xBD", s[i] ? 1 : 3);
			i++;
		}
	}
}

/* ---- links ------------------------------------------------------------------ */

static size_t link_number(rd *r, const char *url)
{
	html_doc *d = r->d;
	for (size_t i = 0; i < d->nlinks; i++)
		if (!strcmp(d->links[i], url))
			return i + 1;
	if (r->oom)
		return 0;
	if (d->nlinks == d->linkcap) {
		size_t cap = d->linkcap ? d->linkcap * 2 : 8;
		char **nl = realloc(d->links, cap * sizeof *nl);
		if (!nl)
			return r->oom = true, 0;
		d->links = nl;
		d->linkcap = cap;
	}
	if (!(d->links[d->nlinks] = strdup(url)))
		return r->oom = true, 0;
	return ++d->nlinks;
}

static void close_link(rd *r)
{
	char num[32];
	if (!r->link)
		return;
	snprintf(num, sizeof num, "[%zu]", r->link);
	r->space = false;
	start_line(r);
	sb_add(r, &r->line, num, strlen(num));
	r->link = 0;
}

/* ---- tags --------------------------------------------------------------------- */

typedef struct {
	char name[16];
	bool end;
	const char *attrs;   /* between the name and '>' */
	size_t alen;
} tag;

static bool is_space(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static int lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* Attribute NAME of T (raw, not decoded) into *V, *VN; false when absent. */
static bool attr(const tag *t, const char *name, const char **v, size_t *vn)
{
	const char *p = t->attrs, *e = t->attrs + t->alen;
	size_t nl = strlen(name);
	while (p < e) {
		while (p < e && (is_space((unsigned char)*p) || *p == '/'))
			p++;
		const char *ns = p;
		while (p < e && !is_space((unsigned char)*p) && *p != '=' && *p != '/')
			p++;
		size_t an = (size_t)(p - ns);
		while (p < e && is_space((unsigned char)*p))
			p++;
		const char *vs = p;
		size_t vl = 0;
		if (p < e && *p == '=') {
			p++;
			while (p < e && is_space((unsigned char)*p))
				p++;
			if (p < e && (*p == '"' || *p == '\'')) {
				char q = *p++;
				vs = p;
				while (p < e && *p != q)
					p++;
				vl = (size_t)(p - vs);
				if (p < e)
					p++;
			} else {
				vs = p;
				while (p < e && !is_space((unsigned char)*p))
					p++;
				vl = (size_t)(p - vs);
			}
		}
		if (an == nl && !strncasecmp(ns, name, nl)) {
			*v = vs;
			*vn = vl;
			return true;
		}
		if (an == 0 && p < e && vl == 0)
			p++;  /* a stray '=' */
	}
	return false;
}

static bool named(const tag *t, const char *const *names)
{
	for (; *names; names++)
		if (!strcmp(t->name, *names))
			return true;
	return false;
}

/* Elements that start a new line. */
static const char *const line_blocks[] = {
	"div", "section", "article", "header", "footer", "address", "nav", "aside", "main", "figure",
	"figcaption", "form", "fieldset", "center", "dl", "dt", "dd", "li", "tr", "caption", "details",
	"summary", "legend", "option", "body", "html", NULL,
};
/* Elements set off by a blank line. */
static const char *const para_blocks[] = { "p", "table", NULL };
/* Elements skipped with their content (nesting counted). */
static const char *const skipped[] = { "svg", "template", "object", "select", "math", "frameset", NULL };
/* Elements whose content is raw text up to their end tag, not shown. */
static const char *const raw_hidden[] = { "script", "style", "title", "iframe", "noscript", "noembed",
	"noframes", NULL };

static void list_open(rd *r, const tag *t, char type)
{
	brk(r, r->nlist ? 1 : 2);
	if (r->nlist >= HTML_MAX_DEPTH) {
		r->list_over++;
		return;
	}
	int start = 1;
	const char *v;
	size_t vn;
	if (type == 'o' && attr(t, "start", &v, &vn) && vn && vn < 10) {
		char num[12];
		memcpy(num, v, vn);
		num[vn] = '\0';
		long s = strtol(num, NULL, 10);
		if (s > -100000 && s < 100000000)
			start = (int)s;
	}
	r->list[r->nlist++] = (list_lv){ type, start - 1, 2 };
}

static void list_close(rd *r)
{
	if (r->list_over)
		r->list_over--;
	else if (r->nlist)
		r->nlist--;
	brk(r, r->nlist ? 1 : 2);
}

static void list_item(rd *r)
{
	static const char *const bullets[] = { "\u2022 ", "\u25e6 ", "\u25aa " };
	brk(r, 1);
	if (!r->nlist)
		r->list[r->nlist++] = (list_lv){ 'u', 0, 2 };
	list_lv *l = &r->list[list_depth(r) - 1];
	l->count++;
	if (l->type == 'o') {
		snprintf(r->marker, sizeof r->marker, "%d. ", l->count);
		l->mw = (int)strlen(r->marker);
	} else {
		snprintf(r->marker, sizeof r->marker, "%s", bullets[(list_depth(r) - 1) % 3]);
		l->mw = 2;
	}
}

static void do_tag(rd *r, const tag *t)
{
	if (!strcmp(t->name, "br")) {
		if (r->pre)
			add_text(r, "\n", 1);
		else
			hard_break(r);
	} else if (!strcmp(t->name, "a")) {
		close_link(r);
		const char *v;
		size_t vn;
		if (!t->end && attr(t, "href", &v, &vn)) {
			sbuf u = { 0 };
			decode_into(r, &u, v, vn);
			/* a URL parser drops tabs and newlines (WHATWG URL: "remove all
			 * ASCII tab or newline") */
			size_t k = 0;
			for (size_t j = 0; u.p && j < u.n; j++)
				if (u.p[j] != '\t' && u.p[j] != '\n' && u.p[j] != '\r')
					u.p[k++] = u.p[j];
			if (u.p)
				u.p[u.n = k] = '\0';
			size_t s = 0;
			while (u.p && s < u.n && is_space((unsigned char)u.p[s]))
				s++;
			if (u.p && u.n > s && u.p[s] != '#')
				r->link = link_number(r, u.p + s);
			free(u.p);
		}
	} else if (!strcmp(t->name, "img") && !t->end) {
		const char *v;
		size_t vn;
		if (attr(t, "alt", &v, &vn) && vn) {
			sbuf a = { 0 };
			decode_into(r, &a, v, vn);
			add_text(r, " [image: ", 9);
			add_text(r, a.p ? a.p : "", a.n);
			add_text(r, "] ", 2);
			free(a.p);
		}
	} else if (!strcmp(t->name, "ul") || !strcmp(t->name, "ol") || !strcmp(t->name, "menu")) {
		if (t->end)
			list_close(r);
		else
			list_open(r, t, t->name[0] == 'o' ? 'o' : 'u');
	} else if (!strcmp(t->name, "li")) {
		if (t->end)
			brk(r, 1);
		else
			list_item(r);
	} else if (!strcmp(t->name, "blockquote")) {
		brk(r, 2);
		if (t->end)
			r->quote -= r->quote > 0;
		else
			r->quote++;
	} else if (t->name[0] == 'h' && t->name[1] >= '1' && t->name[1] <= '6' && !t->name[2]) {
		brk(r, 2);
		if (t->end)
			r->heading -= r->heading > 0;
		else
			r->heading++;
	} else if (!strcmp(t->name, "pre") || !strcmp(t->name, "listing")) {
		brk(r, 2);
		if (t->end)
			r->pre -= r->pre > 0;
		else
			r->pre++;
	} else if (!strcmp(t->name, "hr")) {
		brk(r, 1);
		emit(r, "", 0, 2 * list_depth(r), 0, quote_depth(r), HL_RULE);
		r->pending = 1;
	} else if (!strcmp(t->name, "td") || !strcmp(t->name, "th")) {
		if (!t->end && r->cells++ > 0 && r->open)
			add_text(r, " | ", 3);
	} else if (!strcmp(t->name, "tr")) {
		brk(r, 1);
		r->cells = 0;
	} else if (named(t, para_blocks)) {
		brk(r, 2);
	} else if (named(t, line_blocks)) {
		brk(r, 1);
	}
}

/* The end of raw text NAME (its "</name" and the '>' after) from S[I];
 * the index after it, or N. *CONTENT_END gets where the text ends. */
static size_t raw_end(const char *s, size_t n, size_t i, const char *name, size_t *content_end)
{
	size_t nl = strlen(name);
	for (; i < n; i++) {
		if (s[i] != '<' || i + 2 + nl > n || s[i + 1] != '/' || strncasecmp(s + i + 2, name, nl))
			continue;
		size_t j = i + 2 + nl;
		if (j < n && !is_space((unsigned char)s[j]) && s[j] != '>' && s[j] != '/')
			continue;
		*content_end = i;
		while (j < n && s[j] != '>')
			j++;
		return j < n ? j + 1 : n;
	}
	*content_end = n;
	return n;
}

/* Parse the tag at S[I] == '<'; the index after it, or I when it is no
 * tag (the '<' is then text). */
static size_t parse_tag(const char *s, size_t n, size_t i, tag *t)
{
	size_t j = i + 1;
	t->end = j < n && s[j] == '/';
	j += t->end;
	if (j >= n || !((s[j] >= 'a' && s[j] <= 'z') || (s[j] >= 'A' && s[j] <= 'Z')))
		return i;
	size_t k = 0;
	while (j < n && !is_space((unsigned char)s[j]) && s[j] != '>' && s[j] != '/') {
		if (k + 1 < sizeof t->name)
			t->name[k++] = (char)lower((unsigned char)s[j]);
		else
			t->name[0] = '?';  /* too long for any element handled */
		j++;
	}
	t->name[k] = '\0';
	t->attrs = s + j;
	char q = 0;
	while (j < n && (q || s[j] != '>')) {
		if (q && s[j] == q)
			q = 0;
		else if (!q && (s[j] == '"' || s[j] == '\'') && j > 0 && (s[j - 1] == '=' || is_space((unsigned char)s[j - 1])))
			q = s[j];
		j++;
	}
	t->alen = (size_t)(s + j - t->attrs);
	return j < n ? j + 1 : n;
}

/* Skip element T's content (and nested ones of its name) from I. */
static size_t skip_element(const char *s, size_t n, size_t i, const char *name)
{
	int depth = 1;
	while (i < n && depth > 0) {
		const char *lt = memchr(s + i, '<', n - i);
		if (!lt)
			return n;
		i = (size_t)(lt - s);
		tag t;
		size_t j = parse_tag(s, n, i, &t);
		if (j == i) {
			i++;
			continue;
		}
		if (!strcmp(t.name, name))
			depth += t.end ? -1 : 1;
		i = j;
	}
	return i;
}

static void finish(rd *r)
{
	close_link(r);
	end_line(r);
	while (r->d->n && last_blank(r)) {
		free(r->d->v[r->d->n - 1].text);
		r->d->n--;
	}
	if (r->d->nlinks) {
		if (r->d->n)
			emit(r, "", 0, 0, 0, 0, HL_TEXT);
		emit(r, "Links:", 6, 0, 0, 0, HL_LINK);
		for (size_t i = 0; i < r->d->nlinks && !r->oom; i++) {
			sbuf b = { 0 };
			char num[32];
			int w = snprintf(num, sizeof num, "[%zu] ", i + 1);
			sb_add(r, &b, num, (size_t)w);
			sb_add(r, &b, r->d->links[i], strlen(r->d->links[i]));
			if (b.p)
				emit(r, b.p, b.n, 0, w, 0, HL_LINK);
			free(b.p);
		}
	}
	free(r->line.p);
	r->line.p = NULL;
}

static int done(rd *r)
{
	if (!r->oom)
		return 0;
	html_doc_free(r->d);
	return -1;
}

int html_render(const char *s, size_t len, html_doc *doc)
{
	rd r;
	memset(doc, 0, sizeof *doc);
	memset(&r, 0, sizeof r);
	r.d = doc;
	size_t i = 0, text = 0;
	while (i < len && !r.oom) {
		const char *lt = memchr(s + i, '<', len - i);
		if (!lt)
			break;
		i = (size_t)(lt - s);
		size_t after = i;
		tag t;
		if (i + 3 < len && !memcmp(s + i, "<!--", 4)) {
			const char *e = NULL;
			for (size_t k = i + 4; k + 2 < len && !e; k++)
				if (s[k] == '-' && s[k + 1] == '-' && s[k + 2] == '>')
					e = s + k;
			after = e ? (size_t)(e - s) + 3 : len;
		} else if (i + 1 < len && (s[i + 1] == '!' || s[i + 1] == '?' ||
		                           (s[i + 1] == '/' && i + 2 < len && !((s[i + 2] | 32) >= 'a' && (s[i + 2] | 32) <= 'z')))) {
			const char *e = memchr(s + i, '>', len - i);
			after = e ? (size_t)(e - s) + 1 : len;
		} else if ((after = parse_tag(s, len, i, &t)) != i) {
			add_decoded(&r, s + text, i - text);
			text = after;
			if (t.end) {
				do_tag(&r, &t);
			} else if (named(&t, raw_hidden)) {
				size_t ce;
				after = raw_end(s, len, after, t.name, &ce);
			} else if (!strcmp(t.name, "textarea") || !strcmp(t.name, "xmp") || !strcmp(t.name, "plaintext")) {
				size_t ce;
				size_t from = after;
				after = t.name[0] == 'p' ? len : raw_end(s, len, after, t.name, &ce);
				if (t.name[0] == 'p')
					ce = len;
				brk(&r, 2);
				r.pre++;
				if (from < ce && s[from] == '\n')
					from++;
				if (t.name[0] == 't')
					add_decoded(&r, s + from, ce - from);
				else
					add_text(&r, s + from, ce - from);
				r.pre--;
				brk(&r, 2);
			} else if (named(&t, skipped) && !(t.alen && t.attrs[t.alen - 1] == '/')) {
				after = skip_element(s, len, after, t.name);
			} else {
				do_tag(&r, &t);
				if ((!strcmp(t.name, "pre") || !strcmp(t.name, "listing")) && after < len) {
					/* a newline right after <pre> is not content */
					if (s[after] == '\r' && after + 1 < len && s[after + 1] == '\n')
						after += 2;
					else if (s[after] == '\n')
						after++;
				}
			}
			i = text = after;
			continue;
		} else {
			i++;  /* a '<' that starts nothing: text */
			continue;
		}
		add_decoded(&r, s + text, i - text);
		i = text = after;
	}
	add_decoded(&r, s + text, len - text);
	finish(&r);
	return done(&r);
}

/* ---- plain text ------------------------------------------------------------------- */

int html_render_plain(const char *s, size_t len, html_doc *doc)
{
	rd r;
	memset(doc, 0, sizeof *doc);
	memset(&r, 0, sizeof r);
	r.d = doc;
	size_t i = 0;
	while (i < len && !r.oom) {
		const char *nl = memchr(s + i, '\n', len - i);
		size_t e = nl ? (size_t)(nl - s) : len, next = nl ? e + 1 : len;
		if (e > i && s[e - 1] == '\r' && nl)
			e--;
		int q = 0;
		size_t k = i;
		for (;;) {
			size_t m = k;
			while (m < e && s[m] == ' ')
				m++;
			if (m < e && s[m] == '>') {
				q++;
				k = m + 1;
				if (k < e && s[k] == ' ')
					k++;
			} else {
				break;
			}
		}
		r.line.n = 0;
		int col = 0;
		for (size_t c = k; c < e; c++) {
			if (s[c] == '\t') {
				int to = (col / 8 + 1) * 8;
				for (; col < to; col++)
					sb_add(&r, &r.line, " ", 1);
			} else if (!s[c]) {
				sb_add(&r, &r.line, "\xEF\xBF\xBD", 3);
				col++;
			} else {
				sb_add(&r, &r.line, s + c, 1);
				col += ((unsigned char)s[c] & 0xC0) != 0x80;
			}
		}
		size_t n = r.line.n;
		while (n && r.line.p[n - 1] == ' ')
			n--;
		emit(&r, n ? r.line.p : "", n, 0, 0, q < HTML_MAX_DEPTH ? q : HTML_MAX_DEPTH, HL_TEXT);
		i = next;
	}
	while (doc->n && !doc->v[doc->n - 1].text[0]) {
		free(doc->v[doc->n - 1].text);
		doc->n--;
	}
	free(r.line.p);
	return done(&r);
}

void html_doc_free(html_doc *doc)
{
	for (size_t i = 0; i < doc->n; i++)
		free(doc->v[i].text);
	free(doc->v);
	for (size_t i = 0; i < doc->nlinks; i++)
		free(doc->links[i]);
	free(doc->links);
	memset(doc, 0, sizeof *doc);
}

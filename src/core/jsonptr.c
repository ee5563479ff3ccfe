/* jsonptr.c — JSON Pointer (RFC 6901) parse, format, escape and resolve,
 * with the SuperOffice variant (case-insensitive keys, leading '/' optional). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"

/* Unescape one token of LEN bytes into a new string; NULL on a bad escape. */
static char *unescape_token(const char *s, size_t len, bool *bad)
{
	char *out = cJSON_malloc(len + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (s[i] != '~') {
			*o++ = s[i];
			continue;
		}
		if (i + 1 < len && s[i + 1] == '0')
			*o++ = '~';
		else if (i + 1 < len && s[i + 1] == '1')
			*o++ = '/';
		else {
			cJSON_free(out);
			*bad = true;
			return NULL;
		}
		i++;
	}
	*o = '\0';
	return out;
}

/* Parse TEXT into unescaped tokens. */
int jptr_parse(const char *text, int flags, jptr *out, char *err, size_t errlen)
{
	out->tok = NULL;
	out->n = 0;
	if (!text) {
		seterr(err, errlen, "missing pointer");
		return -1;
	}
	if (*text == '\0')
		return 0;
	if (*text != '/') {
		if (!(flags & JPTR_SERVICE)) {
			seterr(err, errlen, "JSON pointer must start with '/'");
			return -1;
		}
	} else {
		text++;
	}
	size_t n = 1;
	for (const char *p = text; *p; p++)
		n += *p == '/';
	out->tok = cJSON_malloc(n * sizeof *out->tok);
	if (!out->tok) {
		seterr(err, errlen, "out of memory");
		return JPTR_ENOMEM;
	}
	const char *p = text;
	for (;;) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);
		bool bad = false;
		out->tok[out->n] = unescape_token(p, len, &bad);
		if (!out->tok[out->n]) {
			jptr_free(out);
			seterr(err, errlen, "%s", bad ? "bad '~' escape in JSON pointer" : "out of memory");
			return bad ? -1 : JPTR_ENOMEM;
		}
		out->n++;
		if (!e)
			break;
		p = e + 1;
	}
	return 0;
}

void jptr_free(jptr *p)
{
	for (size_t i = 0; i < p->n; i++)
		cJSON_free(p->tok[i]);
	cJSON_free(p->tok);
	p->tok = NULL;
	p->n = 0;
}

/* Escape one token: '~' -> "~0", '/' -> "~1"; malloc'd. */
char *jptr_escape(const char *token)
{
	size_t n = 0;
	if (!token)
		token = "";
	for (const char *p = token; *p; p++)
		n += (*p == '~' || *p == '/') ? 2 : 1;
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (const char *p = token; *p; p++) {
		if (*p == '~') {
			*o++ = '~';
			*o++ = '0';
		} else if (*p == '/') {
			*o++ = '~';
			*o++ = '1';
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
	return out;
}

/* "/" + escaped TOKEN appended to BASE; malloc'd. */
char *jptr_join(const char *base, const char *token)
{
	char *esc = jptr_escape(token);
	if (!esc)
		return NULL;
	size_t bl = strlen(base), el = strlen(esc);
	char *out = malloc(bl + el + 2);
	if (out) {
		memcpy(out, base, bl);
		out[bl] = '/';
		memcpy(out + bl + 1, esc, el + 1);
	}
	free(esc);
	return out;
}

/* Tokens back to pointer text; malloc'd. */
char *jptr_format(const jptr *p)
{
	char *s = strdup("");
	for (size_t i = 0; s && i < p->n; i++) {
		char *n = jptr_join(s, p->tok[i]);
		free(s);
		s = n;
	}
	return s;
}

/* Array index: digits only, no leading zeros; -1 otherwise. */
long jptr_index(const char *token)
{
	if (!token || !*token || (token[0] == '0' && token[1]))
		return -1;
	long v = 0;
	for (const char *p = token; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		if (v > (0x7fffffffL - (*p - '0')) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	return v;
}

/* Child TOKEN of C: object member (case-insensitive under JPTR_SERVICE) or array index. */
cJSON *jptr_child(const cJSON *c, const char *token, int flags)
{
	if (cJSON_IsObject(c))
		return (flags & JPTR_SERVICE) ? json_get_ci(c, token) : json_get(c, token);
	if (cJSON_IsArray(c)) {
		long i = jptr_index(token);
		if (i < 0)
			return NULL;
		cJSON *e = c->child;
		while (e && i-- > 0)
			e = e->next;
		return e;
	}
	return NULL;
}

static cJSON *walk(const cJSON *doc, const jptr *p, size_t n, int flags)
{
	const cJSON *cur = doc;
	for (size_t i = 0; cur && i < n; i++)
		cur = jptr_child(cur, p->tok[i], flags);
	return (cJSON *)cur;
}

/* Resolve TEXT in DOC; NULL if absent or invalid. */
cJSON *jptr_get(const cJSON *doc, const char *text, int flags)
{
	jptr p;
	if (jptr_parse(text, flags, &p, NULL, 0) < 0)
		return NULL;
	cJSON *r = walk(doc, &p, p.n, flags);
	jptr_free(&p);
	return r;
}

/* Parent of P's last token; *LAST gets that token. */
cJSON *jptr_parent(const cJSON *doc, const jptr *p, int flags, const char **last)
{
	if (p->n == 0)
		return NULL;
	if (last)
		*last = p->tok[p->n - 1];
	return walk(doc, p, p->n - 1, flags);
}

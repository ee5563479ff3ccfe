/* xalloc.c — allocations that never return NULL (xalloc.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/errmsg.h"
#include "ticketed/xalloc.h"

static void (*oom_hook)(void);

void xalloc_set_oom_hook(void (*fn)(void)) { oom_hook = fn; }

static void oom(size_t n)
{
	void (*fn)(void) = oom_hook;
	oom_hook = NULL;  /* once, even if the hook itself runs out */
	if (fn)
		fn();
	fprintf(stderr, "ticketed: out of memory (%zu bytes)\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size ? size : 1);
	if (!p)
		oom(n * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

void *xreallocarray(void *p, size_t n, size_t size)
{
	if (size && n > SIZE_MAX / size)
		oom(SIZE_MAX);
	return xrealloc(p, n * size);
}

char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

char *xstrndup(const char *s, size_t n)
{
	size_t l = strnlen(s, n);
	char *p = xmalloc(l + 1);
	memcpy(p, s, l);
	p[l] = 0;
	return p;
}

char *xstr_join(const char *a, const char *sep, const char *b)
{
	char *s = str_join(a, sep, b);
	if (!s)
		oom(strlen(a) + strlen(sep) + strlen(b) + 1);
	return s;
}

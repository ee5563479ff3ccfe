/* xalloc.h — the one allocation family of the app and ui layers: malloc,
 * calloc, realloc and strdup that never return NULL. On out-of-memory they
 * call the hook the program set (the editor's: journal the draft, restore
 * the terminal), print one line on stderr and abort. Core and net do not
 * use these: they return errors to their caller. */
#ifndef TICKETED_XALLOC_H
#define TICKETED_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
/* realloc P to N bytes (N 0: one byte); P is never lost. */
void *xrealloc(void *p, size_t n);
/* realloc P to N elements of SIZE, with an overflow check. */
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

/* str_join (errmsg.h) that never returns NULL. */
char *xstr_join(const char *a, const char *sep, const char *b);

/* FN runs once before the abort (it must not allocate much). NULL: none. */
void xalloc_set_oom_hook(void (*fn)(void));

#endif

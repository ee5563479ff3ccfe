/* errmsg.h — the one way modules write an error message for their caller:
 * into a caller-provided buffer (ERR may be NULL or ERRLEN 0: nothing is
 * written); and the one way they join two strings into a new one. No cJSON
 * here. */
#ifndef TICKETED_ERRMSG_H
#define TICKETED_ERRMSG_H

#include <stddef.h>

/* printf-style message into ERR[ERRLEN], cut to fit. */
void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* "A SEP B" (no spaces added) in a new malloc'd string; NULL when out of memory. */
char *str_join(const char *a, const char *sep, const char *b);

#endif

/* errmsg.h — the one way modules write an error message for their caller:
 * into a caller-provided buffer (ERR may be NULL or ERRLEN 0: nothing is
 * written). No cJSON here. */
#ifndef TICKETED_ERRMSG_H
#define TICKETED_ERRMSG_H

#include <stddef.h>

/* printf-style message into ERR[ERRLEN], cut to fit. */
void seterr(char *err, size_t errlen, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

#endif

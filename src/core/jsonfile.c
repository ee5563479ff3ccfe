/* jsonfile.c — read a JSON file whole (see jsonfile.h). The only module in
 * src/core that touches files. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/jsonfile.h"

/* A buffer of several MB is faulted in 4 KiB at a time as the read fills
 * it; asking for transparent huge pages over its aligned middle makes that a
 * few faults instead of thousands (a 6 MB ticket: ~1,600). Advice only. */
static void prefer_huge_pages(void *buf, size_t len)
{
#ifdef MADV_HUGEPAGE
	const uintptr_t huge = 2u << 20;
	if (len < 2 * huge)
		return;
	uintptr_t a = ((uintptr_t)buf + huge - 1) & ~(huge - 1), b = ((uintptr_t)buf + len) & ~(huge - 1);
	if (b > a)
		madvise((void *)a, b - a, MADV_HUGEPAGE);
#else
	(void)buf;
	(void)len;
#endif
}

/* Read a whole file (or stdin for "-") into a NUL-terminated buffer. */
char *json_read_file(const char *path, size_t *len)
{
	FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	if (!f)
		return NULL;
	struct stat st;
	size_t cap = 65536, n = 0;
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		cap = (size_t)st.st_size + 2; /* one read, no regrowth */
	char *buf = malloc(cap);
	if (buf)
		prefer_huge_pages(buf, cap);
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
			seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	cJSON *j = json_parse(buf, len, strcmp(path, "-") ? path : "<stdin>", err, errlen);
	free(buf);
	return j;
}

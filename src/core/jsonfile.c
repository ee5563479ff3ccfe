/* jsonfile.c — read a JSON file whole (see jsonfile.h). The only module in
 * src/core that touches files. */
#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
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

char *json_map_file(const char *path, size_t *len, bool *mapped)
{
	struct stat st;
	long page = sysconf(_SC_PAGESIZE);
	*mapped = false;
	if (strcmp(path, "-") && page > 0 && stat(path, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (size_t)st.st_size % (size_t)page != 0) {  /* the NUL after the text is in the last page */
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			struct stat fst;
			void *m = MAP_FAILED;
			if (fstat(fd, &fst) == 0 && fst.st_size == st.st_size)
				m = mmap(NULL, (size_t)st.st_size + 1, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
			close(fd);
			/* mapped read-only first, so populating shares the page cache's pages
			 * instead of copying them; a page is copied when it is written */
			if (m != MAP_FAILED && mprotect(m, (size_t)st.st_size + 1, PROT_READ | PROT_WRITE)) {
				munmap(m, (size_t)st.st_size + 1);
				m = MAP_FAILED;
			}
			if (m != MAP_FAILED) {
				*len = (size_t)st.st_size;
				*mapped = true;
				return m;  /* the page's bytes past the end of the file read as zero */
			}
		}
	}
	return json_read_file(path, len);
}

void json_unmap_file(char *buf, size_t len, bool mapped)
{
	if (mapped)
		munmap(buf, len + 1);
	else
		free(buf);
}

int json_write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w == 0)
				errno = EIO;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
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

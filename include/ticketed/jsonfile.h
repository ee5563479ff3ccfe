/* jsonfile.h — reading a JSON file whole: the only file I/O in src/core,
 * kept apart from the pure modules so they stay free of it. Used by the
 * command line (diff, apply, drafts) and by ticketd's data loading.
 *
 * Ownership: json_read_file returns a malloc'd buffer the caller frees;
 * json_parse_file returns a new tree the caller cJSON_Deletes. */
#ifndef TICKETED_JSONFILE_H
#define TICKETED_JSONFILE_H
#include <stdbool.h>

#include <stddef.h>
#include <cjson/cJSON.h>

/* Read a whole file (or stdin for "-") into a NUL-terminated malloc'd
 * buffer; *LEN gets its size. NULL with errno set on failure. */
char *json_read_file(const char *path, size_t *len);
/* The same text, mapped from the page cache when PATH is a regular file
 * (no copy: a 6 MB file read cost a quarter of `ticketed diff`) and read
 * otherwise; *MAPPED says which. The buffer is writable (private) and
 * NUL-terminated; release it with json_unmap_file. */
char *json_map_file(const char *path, size_t *len, bool *mapped);
void json_unmap_file(char *buf, size_t len, bool mapped);
/* Write all LEN bytes of BUF to FD, EINTR retried: 0, or -1 with errno set
 * (a write of 0 bytes counts as an error: EIO). */
int json_write_all(int fd, const char *buf, size_t len);

/* Read and parse a whole file; PATH "-" reads stdin. Errors as json_parse,
 * or "FILE: strerror" when it cannot be read. */
cJSON *json_parse_file(const char *path, char *err, size_t errlen);

#endif

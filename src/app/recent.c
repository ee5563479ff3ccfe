/* recent.c — the tickets opened lately (recent.h): a small text file next
 * to the drafts, written whole and atomically on every open. */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "ticketed/jsonfile.h"
#include "ticketed/draft.h"
#include "ticketed/errmsg.h"
#include "ticketed/escape.h"
#include "ticketed/num.h"
#include "ticketed/recent.h"
#include "ticketed/xalloc.h"

#define RECENT_FILE_MAX (256 * 1024)  /* a longer file is read only this far */

int recent_path(char *out, size_t n, bool create, char *err, size_t errlen)
{
	char dir[4096];
	/* draft_dir checks (and creates) $XDG_STATE_HOME/ticketed/drafts and the
	 * ticketed/ directory above it, which holds this file too */
	if (draft_dir(dir, sizeof dir, create, err, errlen) < 0)
		return -1;
	char *parent = dirname(dir);
	if ((size_t)snprintf(out, n, "%s/recent", parent) >= n) {
		seterr(err, errlen, "%s/recent: path too long", parent);
		return -1;
	}
	return 0;
}

void recent_free(recent_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].url);
		free(v[i].title);
	}
	free(v);
}

/* One line into E; false when it is not of the documented shape. */
static bool parse_line(char *line, recent_entry *e)
{
	char *f[4], *p = line;
	long long when;
	for (int i = 0; i < 4; i++) {
		f[i] = p;
		p = i < 3 ? strchr(p, '\t') : NULL;
		if (i < 3 && !p)
			return false;
		if (p)
			*p++ = '\0';
	}
	f[3][strcspn(f[3], "\r\n")] = '\0';
	if (num_id(f[0], &e->id, NULL) < 0 || num_parse(f[1], 0, 1LL << 40, &when, NULL) < 0 || !*f[2] ||
	    !esc_clean(f[2], strlen(f[2]), 0))
		return false;
	e->when = (time_t)when;
	e->url = xstrdup(f[2]);
	e->title = esc_dup(f[3], strnlen(f[3], RECENT_TITLE_MAX), 0);  /* never trusted, even ours */
	if (!e->title)
		e->title = xstrdup("");
	return true;
}

int recent_read(recent_entry **out, size_t *n, char *err, size_t errlen)
{
	char path[4200], *buf, *line, *save = NULL;
	struct stat st;
	ssize_t got;
	size_t len = 0;
	int fd;
	*out = NULL;
	*n = 0;
	if (recent_path(path, sizeof path, false, err, errlen) < 0)
		return -1;
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || st.st_uid != getuid()) {
		seterr(err, errlen, "%s: not a regular file of yours", path);
		close(fd);
		return -1;
	}
	buf = xmalloc(RECENT_FILE_MAX + 1);
	while (len < RECENT_FILE_MAX && (got = read(fd, buf + len, RECENT_FILE_MAX - len)) != 0) {
		if (got < 0) {
			if (errno == EINTR)
				continue;
			seterr(err, errlen, "%s: %s", path, strerror(errno));
			close(fd);
			free(buf);
			return -1;
		}
		len += (size_t)got;
	}
	close(fd);
	buf[len] = '\0';
	for (line = strtok_r(buf, "\n", &save); line && *n < RECENT_MAX; line = strtok_r(NULL, "\n", &save)) {
		recent_entry e;
		if (!parse_line(line, &e))
			continue;
		*out = xreallocarray(*out, *n + 1, sizeof **out);
		(*out)[(*n)++] = e;
	}
	free(buf);
	return 0;
}

/* Replace PATH by TEXT: a new file beside it (O_EXCL: never through a
 * planted name), 0600, rename. Not fsync'ed: the list is a convenience
 * written on every open, before the first paint; a machine crash may lose
 * its last change (an unreadable line is skipped when it is read). */
static int write_file(const char *path, const char *text, char *err, size_t errlen)
{
	char tmp[4300];
	int fd = -1, e;
	bool ok;
	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		snprintf(tmp, sizeof tmp, "%s.tmp-%ld-%d", path, (long)getpid(), tries);
		fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	ok = fchmod(fd, 0600) == 0 && json_write_all(fd, text, strlen(text)) == 0;
	e = errno;
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && rename(tmp, path) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		unlink(tmp);
		seterr(err, errlen, "%s: %s", path, strerror(e));
		return -1;
	}
	return 0;
}

/* Append "ID\tWHEN\tURL\tTITLE\n" to *BUF (*LEN, *CAP). */
static void put_line(char **buf, size_t *len, size_t *cap, long id, time_t when, const char *url,
                     const char *title)
{
	size_t need = strlen(url) + strlen(title) + 64;
	if (*len + need > *cap) {
		*cap = (*len + need) * 2;
		*buf = xrealloc(*buf, *cap);
	}
	*len += (size_t)snprintf(*buf + *len, *cap - *len, "%ld\t%lld\t%s\t%s\n", id, (long long)when, url, title);
}

int recent_add(const char *url, long id, const char *title, time_t now, char *err, size_t errlen)
{
	char path[4200], norm[DRAFT_URL_MAX + 1], *text = NULL, *t;
	recent_entry *v;
	size_t n, len = 0, cap = 0, kept = 1;
	int rc;
	if (!url || draft_url_normalize(url, norm, sizeof norm) < 0 || !esc_clean(norm, strlen(norm), 0)) {
		seterr(err, errlen, "recent tickets: the URL cannot be kept");
		return -1;
	}
	if (recent_path(path, sizeof path, true, err, errlen) < 0 || recent_read(&v, &n, err, errlen) < 0)
		return -1;
	/* escaped: no control character (tab, newline) reaches the file */
	t = esc_dup(title ? title : "", title ? strnlen(title, RECENT_TITLE_MAX * 4) : 0, 0);
	if (!t)
		t = xstrdup("");
	if (strlen(t) > RECENT_TITLE_MAX) {
		size_t cut = RECENT_TITLE_MAX;
		while (cut > 0 && ((unsigned char)t[cut] & 0xC0) == 0x80)  /* never half a character */
			cut--;
		t[cut] = '\0';
	}
	put_line(&text, &len, &cap, id, now, norm, t);
	for (size_t i = 0; i < n && kept < RECENT_MAX; i++) {
		if (v[i].id == id && !strcmp(v[i].url, norm))
			continue;
		put_line(&text, &len, &cap, v[i].id, v[i].when, v[i].url, v[i].title);
		kept++;
	}
	rc = write_file(path, text, err, errlen);
	free(t);
	free(text);
	recent_free(v, n);
	return rc;
}

/* draft.c — unsaved edits journaled to disk; see draft.h for the layout.
 *
 * Every file is reached through an fd of the drafts directory (openat and
 * friends), opened once per call after its ownership and mode are checked,
 * so the checks and the writes are about the same directory. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "ticketed/draft.h"
#include "ticketed/errmsg.h"
#include "ticketed/escape.h"
#include "ticketed/json.h"
#include "ticketed/mapidx.h"
#include "ticketed/schema.h"
#include "ticketed/xalloc.h"

#define HASH_HEX 16

typedef struct {
	int fd;              /* the drafts directory */
	char path[PATH_MAX]; /* its path, for messages */
} ddir;

static uint64_t fnv1a64(const void *p, size_t len)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return h;
}

static void hex16(uint64_t h, char out[HASH_HEX + 1])
{
	snprintf(out, HASH_HEX + 1, "%016" PRIx64, h);
}

static bool is_hex16(const char *s)
{
	for (int i = 0; i < HASH_HEX; i++)
		if (!isdigit((unsigned char)s[i]) && !(s[i] >= 'a' && s[i] <= 'f'))
			return false;
	return true;
}

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* --- URL and key ------------------------------------------------------- */

int draft_url_normalize(const char *url, char *out, size_t n)
{
	if (!url || !*url || n == 0)
		return -1;
	const char *sep = strstr(url, "://");
	if (sep && (sep == url || strspn(url, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					   "0123456789+.-") != (size_t)(sep - url)))
		sep = NULL;  /* "://" later in the URL, not after a scheme */
	const char *auth = sep ? sep + 3 : url;
	size_t authlen = strcspn(auth, "/?#");
	const char *at = NULL;
	for (const char *p = auth; p < auth + authlen; p++)
		if (*p == '@')
			at = p;
	const char *host = at ? at + 1 : auth;
	size_t o = 0, slen = sep ? (size_t)(sep - url) + 3 : 0;
	size_t hostlen = (size_t)(auth + authlen - host);
	const char *rest = auth + authlen;
	size_t restlen = strlen(rest);

	if (slen + hostlen + restlen >= n)
		return -1;
	for (size_t i = 0; i < slen; i++)
		out[o++] = (char)tolower((unsigned char)url[i]);
	for (size_t i = 0; i < hostlen; i++)
		out[o++] = (char)tolower((unsigned char)host[i]);
	memcpy(out + o, rest, restlen);
	o += restlen;
	while (o > slen && out[o - 1] == '/')
		o--;
	out[o] = '\0';
	return o > slen ? 0 : -1;
}

int draft_key(const char *url, long id, char *out, size_t n)
{
	char norm[DRAFT_URL_MAX], hex[HASH_HEX + 1];

	if (id < 1 || draft_url_normalize(url, norm, sizeof norm) != 0)
		return -1;
	hex16(fnv1a64(norm, strlen(norm)), hex);
	int k = snprintf(out, n, "%ld-%s", id, hex);
	return k > 0 && (size_t)k < n ? 0 : -1;
}

/* KEY is "<digits>-<16 hex>"; its id into *ID. */
static bool key_valid(const char *key, long *id)
{
	const char *dash = strchr(key, '-');

	if (!dash || dash == key || dash - key > 18 || strlen(dash + 1) != HASH_HEX || !is_hex16(dash + 1))
		return false;
	for (const char *p = key; p < dash; p++)
		if (!isdigit((unsigned char)*p))
			return false;
	long v = strtol(key, NULL, 10);
	if (v < 1)
		return false;
	if (id)
		*id = v;
	return true;
}

/* --- the directory ----------------------------------------------------- */

static int state_home(char *out, size_t n, char *err, size_t en)
{
	const char *x = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int k;

	if (x && x[0] == '/')
		k = snprintf(out, n, "%s", x);
	else if (home && home[0] == '/')
		k = snprintf(out, n, "%s/.local/state", home);
	else {
		seterr(err, en, "cannot place drafts: neither XDG_STATE_HOME nor HOME is an absolute path");
		return -1;
	}
	if (k < 0 || (size_t)k >= n) {
		seterr(err, en, "cannot place drafts: state directory path too long");
		return -1;
	}
	return 0;
}

/* mkdir -p PATH, new components with mode 0700. */
static int mkdir_p(const char *path, char *err, size_t en)
{
	char buf[PATH_MAX];

	snprintf(buf, sizeof buf, "%s", path);
	for (char *p = buf + 1; ; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (mkdir(buf, 0700) != 0 && errno != EEXIST) {
			seterr(err, en, "cannot create draft directory %s: %s", buf, strerror(errno));
			return -1;
		}
		*p = c;
		if (c == '\0')
			return 0;
	}
}

/* Ownership and mode of a directory; BADMODE are the bits refused. */
static int dir_safe(const char *path, const struct stat *st, mode_t badmode, char *err, size_t en)
{
	if (!S_ISDIR(st->st_mode)) {
		seterr(err, en, "draft directory %s is not a directory; fix: move it away", path);
		return -1;
	}
	if (st->st_uid != geteuid()) {
		seterr(err, en, "draft directory %s is owned by uid %u, not by you (uid %u); refusing to use it; "
		       "fix: move it away and ticketed recreates it", path, (unsigned)st->st_uid, (unsigned)geteuid());
		return -1;
	}
	if (st->st_mode & badmode) {
		seterr(err, en, "draft directory %s has mode %04o: group or others could %s drafts; "
		       "refusing to use it; fix: chmod %s %s", path, (unsigned)(st->st_mode & 07777),
		       badmode & 044 ? "read or change" : "replace", badmode & 044 ? "700" : "go-w", path);
		return -1;
	}
	return 0;
}

/* Open the drafts directory into D, creating it when CREATE. Returns 1
 * open, 0 it does not exist (without CREATE), -1 error. */
static int ddir_open(ddir *d, bool create, char *err, size_t en)
{
	char base[PATH_MAX - 32], parent[PATH_MAX - 16];
	struct stat st;

	d->fd = -1;
	if (state_home(base, sizeof base, err, en) != 0)
		return -1;
	snprintf(parent, sizeof parent, "%s/ticketed", base);
	snprintf(d->path, sizeof d->path, "%s/drafts", parent);
	if (create && mkdir_p(d->path, err, en) != 0)
		return -1;
	if (stat(parent, &st) != 0) {
		if (errno == ENOENT && !create)
			return 0;
		seterr(err, en, "draft directory %s: %s", parent, strerror(errno));
		return -1;
	}
	if (dir_safe(parent, &st, 022, err, en) != 0)
		return -1;
	d->fd = open(d->path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (d->fd < 0) {
		if (errno == ENOENT && !create)
			return 0;
		seterr(err, en, "draft directory %s: %s", d->path, strerror(errno));
		return -1;
	}
	if (fstat(d->fd, &st) != 0)
		seterr(err, en, "draft directory %s: %s", d->path, strerror(errno));
	else if (dir_safe(d->path, &st, 077, err, en) == 0)
		return 1;
	close(d->fd);
	d->fd = -1;
	return -1;
}

int draft_dir(char *out, size_t n, bool create, char *err, size_t errlen)
{
	ddir d;
	int r = ddir_open(&d, create, err, errlen);

	if (r >= 0 && out && n)
		snprintf(out, n, "%s", d.path);
	if (r == 1)
		close(d.fd);
	return r;
}

/* --- atomic files ------------------------------------------------------ */

/* A temp file for NAME in D: ".NAME.tmp-PID-SEQ", created O_EXCL|O_NOFOLLOW
 * mode 0600; its name into TMP. Returns the fd, or -1 with ERR. */
static int temp_open(const ddir *d, const char *name, char tmp[NAME_MAX + 1], char *err, size_t en)
{
	static unsigned seq;
	int fd = -1;

	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		snprintf(tmp, NAME_MAX + 1, ".%s.tmp-%ld-%u", name, (long)getpid(), seq++);
		fd = openat(d->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		seterr(err, en, "cannot write draft %s/%s: %s", d->path, name, strerror(errno));
		return -1;
	}
	if (fchmod(fd, 0600) != 0) {
		seterr(err, en, "cannot write draft %s/%s: %s", d->path, name, strerror(errno));
		close(fd);
		unlinkat(d->fd, tmp, 0);
		return -1;
	}
	return fd;
}

/* Make TMP (written through FD, which is closed) NAME: fsync, rename over
 * NAME, fsync of the directory. OK false: the writing failed with errno
 * E. On any error TMP is removed and ERR says why. */
static int temp_commit(const ddir *d, int fd, const char *tmp, const char *name, bool ok, int e,
		       char *err, size_t en)
{
	if (ok && fsync(fd) != 0) {
		ok = false;
		e = errno;
	}
	if (close(fd) != 0 && ok) {
		ok = false;
		e = errno;
	}
	if (ok && renameat(d->fd, tmp, d->fd, name) != 0) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		unlinkat(d->fd, tmp, 0);
		seterr(err, en, "cannot write draft %s/%s: %s", d->path, name, strerror(e));
		return -1;
	}
	fsync(d->fd); /* the rename itself made durable; some filesystems refuse: harmless */
	return 0;
}

/* Write NAME in D atomically (temp file 0600, fsync, rename, fsync dir). */
static int write_atomic(const ddir *d, const char *name, const char *buf, size_t len,
			char *err, size_t en)
{
	char tmp[NAME_MAX + 1];
	int fd = temp_open(d, name, tmp, err, en);

	if (fd < 0)
		return -1;
	bool ok = json_write_all(fd, buf, len) == 0;
	return temp_commit(d, fd, tmp, name, ok, errno, err, en);
}

/* Call FN for every entry name of D (not . and ..). */
static int ddir_each(const ddir *d, void (*fn)(const ddir *, const char *, void *), void *ctx,
		     char *err, size_t en)
{
	int fd = dup(d->fd);
	DIR *dir = fd >= 0 ? fdopendir(fd) : NULL;
	struct dirent *e;

	if (!dir) {
		if (fd >= 0)
			close(fd);
		seterr(err, en, "cannot list draft directory %s: %s", d->path, strerror(errno));
		return -1;
	}
	rewinddir(dir);
	while ((e = readdir(dir)) != NULL)
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, ".."))
			fn(d, e->d_name, ctx);
	closedir(dir);
	return 0;
}

/* A temp file older than this is left over from a crash, not being written. */
#define TEMP_STALE_S 600

typedef struct {
	const char *key;
	const char *keep; /* a base file name to keep, or NULL */
	int temps;        /* 0: keep temp files, 1: remove stale ones, 2: remove all */
} sweep_ctx;

static bool has_prefix(const char *s, const char *p)
{
	return strncmp(s, p, strlen(p)) == 0;
}

/* Whether NAME is a temp file of KEY (".KEY.json.tmp-*", ".KEY.base-*.tmp-*"). */
static bool is_temp_of(const char *name, const char *key)
{
	size_t kl = strlen(key);
	return name[0] == '.' && strncmp(name + 1, key, kl) == 0 && name[1 + kl] == '.' &&
	       strstr(name + 1 + kl, ".tmp-") != NULL;
}

/* Remove KEY.base-*.json files other than KEEP, and KEY's temp files as
 * TEMPS says. */
static void sweep_one(const ddir *d, const char *name, void *ctx)
{
	const sweep_ctx *c = ctx;
	size_t kl = strlen(c->key);
	struct stat st;

	if (strncmp(name, c->key, kl) == 0 && has_prefix(name + kl, ".base-")) {
		if (!c->keep || strcmp(name, c->keep))
			unlinkat(d->fd, name, 0);
	} else if (c->temps && is_temp_of(name, c->key)) {
		if (c->temps == 2 || (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				      time(NULL) - st.st_mtime > TEMP_STALE_S))
			unlinkat(d->fd, name, 0);
	}
}

/* Whether files A and B of D are regular files with the same bytes. */
static bool files_same(const ddir *d, const char *a, const char *b)
{
	struct stat sa, sb;
	char ba[65536], bb[sizeof ba];
	int fa = openat(d->fd, a, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	int fb = openat(d->fd, b, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	bool same = fa >= 0 && fb >= 0 && fstat(fa, &sa) == 0 && fstat(fb, &sb) == 0 && S_ISREG(sa.st_mode) &&
		    S_ISREG(sb.st_mode) && sa.st_size == sb.st_size;
	off_t left = same ? sa.st_size : 0;

	while (same && left > 0) {
		size_t want = left < (off_t)sizeof ba ? (size_t)left : sizeof ba;
		same = pread(fa, ba, want, sa.st_size - left) == (ssize_t)want &&
		       pread(fb, bb, want, sa.st_size - left) == (ssize_t)want && !memcmp(ba, bb, want);
		left -= (off_t)want;
	}
	if (fa >= 0)
		close(fa);
	if (fb >= 0)
		close(fb);
	return same;
}

/* --- edits --------------------------------------------------------------- */

int draft_edits_check(const cJSON *edits, char *err, size_t errlen)
{
	static const char *const flags[] = { "base_absent", "value_absent" };
	int i = 0;
	const cJSON *e;

	if (!cJSON_IsArray(edits)) {
		seterr(err, errlen, "edits: not an array");
		return -1;
	}
	cJSON_ArrayForEach(e, edits) {
		i++;
		const cJSON *f = cJSON_GetObjectItemCaseSensitive(e, "field");
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
		if (!cJSON_IsObject(e)) {
			seterr(err, errlen, "edit %d: not an object", i);
			return -1;
		}
		if (!cJSON_IsString(f) || !f->valuestring[0]) {
			seterr(err, errlen, "edit %d: \"field\" is missing or not a non-empty string", i);
			return -1;
		}
		if (k && !cJSON_IsString(k)) {
			seterr(err, errlen, "edit %d: \"key\" is not a string", i);
			return -1;
		}
		for (size_t j = 0; j < sizeof flags / sizeof *flags; j++) {
			const cJSON *b = cJSON_GetObjectItemCaseSensitive(e, flags[j]);
			if (b && !cJSON_IsBool(b)) {
				seterr(err, errlen, "edit %d: \"%s\" is not true or false", i, flags[j]);
				return -1;
			}
		}
	}
	return 0;
}

/* --- write ----------------------------------------------------------------- */

static void now_iso(char *buf, size_t n)
{
	time_t t = time(NULL);
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, n, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* A journaled edit: its field and key (the identity a record's "set" and
 * "drop" refer to) and its compact JSON text. */
struct draft_item {
	char *field;
	char *key;   /* NULL: the whole field */
	char *text;
	size_t len;
};
typedef struct draft_item ditem;

static int item_cmp(const void *a, const void *b)
{
	const ditem *x = a, *y = b;
	int c = strcmp(x->field, y->field);

	if (c || (!x->key && !y->key))
		return c;
	if (!x->key || !y->key)
		return x->key ? 1 : -1;
	return strcmp(x->key, y->key);
}

static void items_free(ditem *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].field);
		free(v[i].key);
		free(v[i].text);
	}
	free(v);
}

/* EDITS (checked) as items in their order; NULL with *N 0 for none. */
static ditem *items_of(const cJSON *edits, size_t *n)
{
	const cJSON *e;
	size_t k = 0, cap = 0;
	ditem *v = NULL;

	cJSON_ArrayForEach(e, edits) {
		const char *key = jstr(e, "key");
		if (k == cap) {
			cap = cap ? cap * 2 : 8;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[k].field = xstrdup(jstr(e, "field"));
		v[k].key = key ? xstrdup(key) : NULL;
		v[k].text = json_print(e, false);
		if (!v[k].text)
			v[k].text = xstrdup("{}");
		v[k].len = strlen(v[k].text);
		k++;
	}
	*n = k;
	return v;
}

/* Appends text to a growing buffer. */
typedef struct {
	char *s;
	size_t n, cap;
} sbuf;

static void sb_add(sbuf *b, const char *t, size_t len)
{
	if (b->n + len + 1 > b->cap) {
		b->cap = (b->n + len + 1) * 2;
		b->s = xrealloc(b->s, b->cap);
	}
	memcpy(b->s + b->n, t, len);
	b->n += len;
	b->s[b->n] = '\0';
}

static void sb_str(sbuf *b, const char *t) { sb_add(b, t, strlen(t)); }

/* The record line of SET (items, text as is) and DROP (items: field and key). */
static void record_line(sbuf *out, ditem *const *set, size_t nset, ditem *const *drop, size_t ndrop)
{
	sbuf rec = { 0 };
	char when[32], hash[HASH_HEX + 1];

	now_iso(when, sizeof when);
	sb_str(&rec, "{\"at\":\"");
	sb_str(&rec, when);
	sb_str(&rec, "\",\"set\":[");
	for (size_t i = 0; i < nset; i++) {
		if (i)
			sb_str(&rec, ",");
		sb_add(&rec, set[i]->text, set[i]->len);
	}
	sb_str(&rec, "],\"drop\":[");
	for (size_t i = 0; i < ndrop; i++) {
		cJSON *o = cJSON_CreateObject();
		cJSON_AddStringToObject(o, "field", drop[i]->field);
		if (drop[i]->key)
			cJSON_AddStringToObject(o, "key", drop[i]->key);
		char *t = json_print(o, false);
		if (i)
			sb_str(&rec, ",");
		sb_str(&rec, t ? t : "{}");
		free(t);
		cJSON_Delete(o);
	}
	sb_str(&rec, "]}");
	hex16(fnv1a64(rec.s, rec.n), hash);
	sb_str(out, "{\"sum\":\"");
	sb_str(out, hash);
	sb_str(out, "\",\"rec\":");
	sb_add(out, rec.s, rec.n);
	sb_str(out, "}\n");
	free(rec.s);
}

/* The header line of a version 2 journal. */
static void header_line(sbuf *out, const char *url, long id, const cJSON *base, const char *basename,
			const char *hash)
{
	char norm[DRAFT_URL_MAX], when[32];
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(base, "Title");
	cJSON *j = cJSON_CreateObject();

	draft_url_normalize(url, norm, sizeof norm);
	now_iso(when, sizeof when);
	cJSON_AddNumberToObject(j, "version", 2);
	cJSON_AddStringToObject(j, "url", norm);
	cJSON_AddNumberToObject(j, "ticket_id", (double)id);
	cJSON_AddStringToObject(j, "created_at", when);
	if (cJSON_IsString(title))
		cJSON_AddStringToObject(j, "title", title->valuestring);
	else
		cJSON_AddNullToObject(j, "title");
	cJSON_AddStringToObject(j, "base_file", basename);
	cJSON_AddStringToObject(j, "base_hash", hash);
	char *t = json_print(j, false);
	sb_str(out, t ? t : "{}");
	sb_str(out, "\n");
	free(t);
	cJSON_Delete(j);
}

/* A compacted journal: the header and one record setting every item.
 * Returns the header's length. */
static size_t compact_text(sbuf *out, const char *url, long id, const cJSON *base, const char *basename,
			   const char *hash, ditem *items, size_t n)
{
	ditem **set = xreallocarray(NULL, n ? n : 1, sizeof *set);
	size_t hlen;

	for (size_t i = 0; i < n; i++)
		set[i] = &items[i];
	header_line(out, url, id, base, basename, hash);
	hlen = out->n;
	record_line(out, set, n, NULL, 0);
	free(set);
	return hlen;
}

/* Bytes written to a file through a buffer, hashed as they go. */
typedef struct {
	int fd;
	uint64_t hash;
	long long size;
	bool failed;
	int err;
	size_t n;
	char buf[65536];
} bwriter;

static void bw_flush(bwriter *w)
{
	if (!w->failed && w->n && json_write_all(w->fd, w->buf, w->n) != 0) {
		w->failed = true;
		w->err = errno;
	}
	w->n = 0;
}

static void bw_put(bwriter *w, const char *p, size_t len)
{
	for (size_t i = 0; i < len; i++) {  /* FNV-1a, as fnv1a64 */
		w->hash ^= (unsigned char)p[i];
		w->hash *= 0x100000001b3ULL;
	}
	w->size += (long long)len;
	while (len) {
		size_t k = sizeof w->buf - w->n < len ? sizeof w->buf - w->n : len;
		memcpy(w->buf + w->n, p, k);
		w->n += k;
		p += k;
		len -= k;
		if (w->n == sizeof w->buf)
			bw_flush(w);
	}
}

static void bw_puts(bwriter *w, const char *s) { bw_put(w, s, strlen(s)); }

/* BASE (an object) as compact JSON, one member at a time: a member kept as
 * raw text by a lazy parse (5 MB of messages) is written as it is, so
 * writing the base never holds a second copy of the ticket in memory. */
static void bw_base(bwriter *w, const cJSON *base)
{
	const cJSON *c;

	bw_puts(w, "{");
	for (c = base->child; c && !w->failed; c = c->next) {
		cJSON *k = cJSON_CreateString(c->string ? c->string : "");
		char *kt = k ? cJSON_PrintUnformatted(k) : NULL, *vt = NULL;
		if (c != base->child)
			bw_puts(w, ",");
		if (!kt || (!cJSON_IsRaw(c) && !(vt = json_print(c, false)))) {
			w->failed = true;
			w->err = ENOMEM;
		} else {
			bw_puts(w, kt);
			bw_puts(w, ":");
			bw_puts(w, cJSON_IsRaw(c) ? c->valuestring : vt);
		}
		free(vt);
		cJSON_free(kt);
		cJSON_Delete(k);
	}
	bw_puts(w, "}");
	bw_flush(w);
}

/* The base file for KEY holding BASE as compact JSON, named by the hash of
 * its bytes; a file of that name holding the same bytes is kept as it is
 * (checked, so a damaged copy is replaced). NAME, HASH and *SIZE receive
 * its name, hash and size. */
static int write_base(const ddir *d, const char *key, const cJSON *base, char *name, size_t nn,
		      char *hash, long long *size, char *err, size_t en)
{
	char tmp[NAME_MAX + 1], pending[NAME_MAX + 1];
	bwriter *w = malloc(sizeof *w);
	int fd, r;

	if (!w)
		return seterr(err, en, "cannot keep a draft: out of memory"), -1;
	snprintf(pending, sizeof pending, "%s.base", key);
	fd = temp_open(d, pending, tmp, err, en);
	if (fd < 0) {
		free(w);
		return -1;
	}
	w->fd = fd;
	w->hash = 0xcbf29ce484222325ULL;
	w->size = 0;
	w->failed = false;
	w->err = 0;
	w->n = 0;
	bw_base(w, base);
	hex16(w->hash, hash);
	snprintf(name, nn, "%s.base-%s.json", key, hash);
	*size = w->size;
	if (!w->failed && files_same(d, tmp, name)) {  /* this base is on disk already */
		close(fd);
		unlinkat(d->fd, tmp, 0);
		r = 0;
	} else {
		r = temp_commit(d, fd, tmp, name, !w->failed, w->err, err, en);
	}
	free(w);
	return r;
}

/* Write the draft compacted: the base file unless BASENAME names one that
 * is there (the sync state's, same base), then the journal; sweep old base
 * files. *ST receives the journal's identity. */
static int write_compacted(const ddir *d, const char *key, const char *url, long id, const cJSON *base,
			   char *basename, size_t bnn, long long *base_size, bool base_known,
			   ditem *items, size_t n, struct stat *st, size_t *hlen, char *err, size_t en)
{
	char name[NAME_MAX + 1], hash[HASH_HEX + 1];
	struct stat bs;
	sbuf text = { 0 };

	if (base_known && (fstatat(d->fd, basename, &bs, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISREG(bs.st_mode) ||
			   bs.st_size != *base_size))
		base_known = false;  /* gone or changed meanwhile */
	if (base_known)
		snprintf(hash, sizeof hash, "%.*s", HASH_HEX, basename + strlen(key) + 6);
	else if (write_base(d, key, base, basename, bnn, hash, base_size, err, en) != 0)
		return -1;
	*hlen = compact_text(&text, url, id, base, basename, hash, items, n);
	snprintf(name, sizeof name, "%s.json", key);
	int r = write_atomic(d, name, text.s, text.n, err, en);
	if (r == 0 && fstatat(d->fd, name, st, AT_SYMLINK_NOFOLLOW) != 0)
		memset(st, 0, sizeof *st);
	free(text.s);
	if (r == 0) {
		sweep_ctx c = { key, basename, 1 };
		ddir_each(d, sweep_one, &c, NULL, 0);
	}
	return r;
}

int draft_write(const char *url, long id, const cJSON *base, const cJSON *edits,
		char *err, size_t errlen)
{
	char key[DRAFT_KEY_MAX], basename[NAME_MAX + 1];
	long long bsize = 0;
	size_t n, hlen;
	struct stat st;
	ddir d;

	if (draft_key(url, id, key, sizeof key) != 0) {
		seterr(err, errlen, "cannot keep a draft: bad URL or ticket id");
		return -1;
	}
	if (draft_edits_check(edits, err, errlen) != 0)
		return -1;
	if (cJSON_GetArraySize(edits) == 0)
		return draft_discard(url, id, err, errlen) < 0 ? -1 : 0;
	if (!cJSON_IsObject(base)) {
		seterr(err, errlen, "cannot keep a draft: the base document is not an object");
		return -1;
	}
	if (ddir_open(&d, true, err, errlen) != 1)
		return -1;
	ditem *items = items_of(edits, &n);
	int r = write_compacted(&d, key, url, id, base, basename, sizeof basename, &bsize, false, items, n,
				&st, &hlen, err, errlen);
	items_free(items, n);
	close(d.fd);
	return r;
}

/* --- read ------------------------------------------------------------------ */

/* Read file NAME of D whole (NUL-terminated, *LEN bytes), refusing
 * anything but a regular file before reading: it is opened O_NONBLOCK and
 * O_NOFOLLOW (a FIFO never blocks, a symlink is not followed) and checked
 * with fstat. PATH names it in errors. */
static char *read_regular(const ddir *d, const char *name, const char *path, size_t *len, char *err, size_t en)
{
	struct stat st;
	int fd = openat(d->fd, name, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	char *buf = NULL;
	size_t n = 0, cap;

	if (fd < 0) {
		if (errno == ELOOP)
			seterr(err, en, "%s: not a regular file (a symbolic link)", path);
		else
			seterr(err, en, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		seterr(err, en, "%s: not a regular file", path);
		close(fd);
		return NULL;
	}
	cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	for (;;) {
		if (!buf) {
			seterr(err, en, "%s: out of memory", path);
			break;
		}
		if (n + 1 >= cap) {
			char *nb = cap > SIZE_MAX / 2 ? NULL : realloc(buf, cap * 2);
			if (!nb) {
				free(buf);
				buf = NULL;
				continue;
			}
			buf = nb;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - 1 - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			seterr(err, en, "%s: %s", path, strerror(errno));
			free(buf);
			buf = NULL;
			break;
		}
		if (r == 0) {
			buf[n] = '\0';
			*len = n;
			break;
		}
		n += (size_t)r;
	}
	close(fd);
	return buf;
}

/* The unposted note journaled with the edits (draft_note_entry). */
static bool is_note(const cJSON *e)
{
	const char *f = jstr(e, "field");
	return f && !strcmp(f, "note");
}

/* Check the fields a journal J of KEY at PATH has in both versions (the
 * version 2 header, or the whole version 1 object). */
static int header_check(const cJSON *j, const char *key, const char *path, char *err, size_t en)
{
	const cJSON *tid = cJSON_GetObjectItemCaseSensitive(j, "ticket_id");
	const char *url = jstr(j, "url"), *bf = jstr(j, "base_file"), *bh = jstr(j, "base_hash");
	char want[DRAFT_KEY_MAX];

	if (!url || !cJSON_IsNumber(tid) || tid->valuedouble < 1 || tid->valuedouble > 9007199254740991.0 ||
	    tid->valuedouble != (double)(long)tid->valuedouble)
		return seterr(err, en, "%s: \"url\" or \"ticket_id\" missing or bad", path), -1;
	if (draft_key(url, (long)tid->valuedouble, want, sizeof want) != 0 || strcmp(want, key))
		return seterr(err, en, "%s: draft's URL and ticket id do not match its file name", path), -1;
	if (!bh || strlen(bh) != HASH_HEX || !is_hex16(bh) || !bf ||
	    strncmp(bf, key, strlen(key)) || strncmp(bf + strlen(key), ".base-", 6) ||
	    strncmp(bf + strlen(key) + 6, bh, HASH_HEX) || strcmp(bf + strlen(key) + 6 + HASH_HEX, ".json"))
		return seterr(err, en, "%s: \"base_file\" or \"base_hash\" missing or bad", path), -1;
	return 0;
}

/* Check a version 1 journal (parsed) J of KEY at PATH. */
static int journal_check(const cJSON *j, const char *key, const char *path, char *err, size_t en)
{
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
	char msg[256];

	if (!cJSON_IsObject(j))
		return seterr(err, en, "%s: not a draft (not a JSON object)", path), -1;
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
		return seterr(err, en, "%s: unsupported draft version (want 1 or 2)", path), -1;
	if (header_check(j, key, path, err, en) != 0)
		return -1;
	if (!jstr(j, "saved_at"))
		return seterr(err, en, "%s: \"saved_at\" missing", path), -1;
	if (draft_edits_check(cJSON_GetObjectItemCaseSensitive(j, "edits"), msg, sizeof msg) != 0)
		return seterr(err, en, "%s: %s", path, msg), -1;
	return 0;
}

/* One "set" or "drop" of a version 2 record, while the records are replayed. */
typedef struct {
	const char *field, *key;
	cJSON *entry;    /* the edit set, or NULL: dropped */
	cJSON *from;     /* the array ENTRY is in */
	size_t seq;      /* order in the journal */
	size_t start;    /* the first op of the run that ended in this state */
} jop;

static int jop_cmp(const void *a, const void *b)
{
	const jop *x = a, *y = b;
	int c = strcmp(x->field, y->field);

	if (!c && (x->key || y->key))
		c = !x->key ? -1 : !y->key ? 1 : strcmp(x->key, y->key);
	return c ? c : (x->seq < y->seq ? -1 : x->seq > y->seq);
}

static bool jop_same(const jop *x, const jop *y)
{
	return !strcmp(x->field, y->field) &&
	       ((!x->key && !y->key) || (x->key && y->key && !strcmp(x->key, y->key)));
}

static int jop_start_cmp(const void *a, const void *b)
{
	const jop *x = a, *y = b;
	return x->start < y->start ? -1 : x->start > y->start;
}

typedef struct {
	jop *v;
	size_t n, cap;
} jops;

static void jops_add(jops *o, const char *field, const char *key, cJSON *entry, cJSON *from)
{
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 16;
		o->v = xreallocarray(o->v, o->cap, sizeof *o->v);
	}
	o->v[o->n] = (jop){ field, key, entry, from, o->n, 0 };
	o->n++;
}

/* Check record REC (line LINE of PATH) and add its ops. */
static int record_ops(cJSON *rec, jops *ops, const char *path, int line, char *err, size_t en)
{
	cJSON *set = cJSON_GetObjectItemCaseSensitive(rec, "set"), *drop = cJSON_GetObjectItemCaseSensitive(rec, "drop");
	cJSON *e;
	char msg[256];

	if (!cJSON_IsObject(rec) || !jstr(rec, "at") || !cJSON_IsArray(drop))
		return seterr(err, en, "%s:%d: not a draft record", path, line), -1;
	if (draft_edits_check(set, msg, sizeof msg) != 0)
		return seterr(err, en, "%s:%d: %s", path, line, msg), -1;
	cJSON_ArrayForEach(e, set)
		jops_add(ops, jstr(e, "field"), jstr(e, "key"), e, set);
	cJSON_ArrayForEach(e, drop) {
		const cJSON *k = cJSON_GetObjectItemCaseSensitive(e, "key");
		if (!jstr(e, "field") || (k && !cJSON_IsString(k)))
			return seterr(err, en, "%s:%d: a \"drop\" without a field name", path, line), -1;
		jops_add(ops, jstr(e, "field"), jstr(e, "key"), NULL, NULL);
	}
	return 0;
}

/* The edits the ops leave: the last op of each field and key, where it is
 * a "set", in the order of the first op of its last run of sets. Entries
 * are moved out of their records into the new array. */
static cJSON *ops_replay(jops *o)
{
	cJSON *edits = cJSON_CreateArray();
	size_t i, k = 0;

	qsort(o->v, o->n, sizeof *o->v, jop_cmp);
	for (i = 0; i < o->n;) {  /* each field and key: its ops in journal order */
		size_t j = i + 1, start = o->v[i].seq;
		for (; j < o->n && jop_same(&o->v[i], &o->v[j]); j++)
			if (!o->v[j - 1].entry)
				start = o->v[j].seq;  /* a drop ends a run */
		if (o->v[j - 1].entry) {
			o->v[k] = o->v[j - 1];
			o->v[k++].start = start;
		}
		i = j;
	}
	qsort(o->v, k, sizeof *o->v, jop_start_cmp);
	for (i = 0; i < k; i++)
		cJSON_AddItemToArray(edits, cJSON_DetachItemViaPointer(o->v[i].from, o->v[i].entry));
	return edits;
}

/* A version 2 journal BUF (LEN bytes, NUL-terminated, its first line
 * parsed as HDR, which is taken) as the version 1 object the rest reads. */
static cJSON *journal_v2(cJSON *hdr, char *buf, size_t len, const char *key, const char *path,
			 char *err, size_t en)
{
	static const char pre[] = "{\"sum\":\"";
	static const char mid[] = "\",\"rec\":";
	const size_t plen = sizeof pre - 1 + HASH_HEX + sizeof mid - 1;
	char *p = strchr(buf, '\n') + 1, *end = buf + len, hash[HASH_HEX + 1];
	const char *saved = jstr(hdr, "created_at");
	cJSON *recs = cJSON_CreateArray();
	jops ops = { 0 };
	int line = 1;

	if (header_check(hdr, key, path, err, en) != 0)
		goto fail;
	if (!saved) {
		seterr(err, en, "%s:1: \"created_at\" missing", path);
		goto fail;
	}
	while (p < end) {
		char *nl = memchr(p, '\n', (size_t)(end - p));
		bool last = !nl || nl + 1 >= end;
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cJSON *rec = NULL;
		line++;
		if (l > plen + 1 && !memcmp(p, pre, sizeof pre - 1) && is_hex16(p + sizeof pre - 1) &&
		    !memcmp(p + sizeof pre - 1 + HASH_HEX, mid, sizeof mid - 1) && p[l - 1] == '}') {
			hex16(fnv1a64(p + plen, l - plen - 1), hash);
			if (nl && !memcmp(hash, p + sizeof pre - 1, HASH_HEX))
				rec = json_parse(p + plen, l - plen - 1, path, NULL, 0);
		}
		if (!rec && last)
			break;  /* a torn append: the draft is as it was before it */
		if (!rec) {
			seterr(err, en, "%s:%d: damaged record", path, line);
			goto fail;
		}
		cJSON_AddItemToArray(recs, rec);
		if (record_ops(rec, &ops, path, line, err, en) != 0)
			goto fail;
		saved = jstr(rec, "at");
		p = nl + 1;
	}
	cJSON_AddStringToObject(hdr, "saved_at", saved);
	cJSON_AddItemToObject(hdr, "edits", ops_replay(&ops));
	free(ops.v);
	cJSON_Delete(recs);
	return hdr;
fail:
	free(ops.v);
	cJSON_Delete(recs);
	cJSON_Delete(hdr);
	return NULL;
}

/* Load and check the journal of KEY (either version): 1 with *OUT (the
 * version 1 shape), 0 none, -1 error. */
static int journal_load(const ddir *d, const char *key, cJSON **out, char *err, size_t en)
{
	char path[PATH_MAX + NAME_MAX + 2], name[NAME_MAX + 1];
	struct stat st;
	size_t len = 0;

	*out = NULL;
	snprintf(name, sizeof name, "%s.json", key);
	snprintf(path, sizeof path, "%s/%s", d->path, name);
	if (fstatat(d->fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		return seterr(err, en, "%s: %s", path, strerror(errno)), -1;
	}
	char *buf = read_regular(d, name, path, &len, err, en);
	if (!buf)
		return -1;
	/* version 2: the first line alone is its header */
	char *nl = memchr(buf, '\n', len);
	cJSON *j = json_parse(buf, nl ? (size_t)(nl - buf) : len, path, NULL, 0);
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
	if (cJSON_IsObject(j) && cJSON_IsNumber(ver) && ver->valuedouble == 2) {
		if (!nl) {
			seterr(err, en, "%s:1: the header line is not complete", path);
			cJSON_Delete(j);
			j = NULL;
		} else {
			j = journal_v2(j, buf, len, key, path, err, en);
		}
		free(buf);
		*out = j;
		return j ? 1 : -1;
	}
	if (cJSON_IsObject(j) && cJSON_IsNumber(ver) && ver->valuedouble != 1) {  /* a newer ticketed's */
		seterr(err, en, "%s: unsupported draft version %g (want 1 or 2)", path, ver->valuedouble);
		cJSON_Delete(j);
		free(buf);
		return -1;
	}
	cJSON_Delete(j);
	j = json_parse(buf, len, path, err, en);
	free(buf);
	if (!j)
		return -1;
	if (journal_check(j, key, path, err, en) != 0) {
		cJSON_Delete(j);
		return -1;
	}
	*out = j;
	return 1;
}

/* The journal J's save time into OUT, escaped (core/escape.h): the file is
 * not ticketed's alone to write, and the time is printed and shown as is. */
static void saved_at_safe(const cJSON *j, char *out, size_t n)
{
	const char *t = jstr(j, "saved_at");

	esc_buf(t ? t : "", t ? strlen(t) : 0, 0, out, n);
}

/* Load the base file the journal J names, checking its hash. */
static cJSON *base_load(const ddir *d, const cJSON *j, char *err, size_t en)
{
	char path[PATH_MAX + NAME_MAX + 2], hash[HASH_HEX + 1];
	size_t len = 0;

	snprintf(path, sizeof path, "%s/%s", d->path, jstr(j, "base_file"));
	char *buf = read_regular(d, jstr(j, "base_file"), path, &len, err, en);
	if (!buf)
		return NULL;
	hex16(fnv1a64(buf, len), hash);
	cJSON *base = NULL;
	if (strcmp(hash, jstr(j, "base_hash")))
		seterr(err, en, "%s: damaged (its content does not match its hash)", path);
	else if ((base = json_parse(buf, len, path, err, en)) != NULL && !cJSON_IsObject(base)) {
		seterr(err, en, "%s: not a JSON object", path);
		cJSON_Delete(base);
		base = NULL;
	}
	free(buf);
	return base;
}

int draft_read(const char *url, long id, cJSON **base, cJSON **edits,
	       char *saved_at, size_t sn, char *err, size_t errlen)
{
	char key[DRAFT_KEY_MAX];
	cJSON *j = NULL;
	ddir d;
	int r;

	*base = *edits = NULL;
	if (draft_key(url, id, key, sizeof key) != 0)
		return seterr(err, errlen, "bad URL or ticket id"), -1;
	r = ddir_open(&d, false, err, errlen);
	if (r != 1)
		return r;
	r = journal_load(&d, key, &j, err, errlen);
	if (r == 1) {
		*base = base_load(&d, j, err, errlen);
		if (!*base)
			r = -1;
		else {
			*edits = cJSON_DetachItemFromObjectCaseSensitive(j, "edits");
			if (saved_at && sn)
				saved_at_safe(j, saved_at, sn);
		}
	}
	cJSON_Delete(j);
	close(d.fd);
	return r;
}

int draft_exists(const char *url, long id, char *err, size_t errlen)
{
	char key[DRAFT_KEY_MAX], name[NAME_MAX + 1];
	struct stat st;
	ddir d;

	if (draft_key(url, id, key, sizeof key) != 0)
		return seterr(err, errlen, "bad URL or ticket id"), -1;
	int r = ddir_open(&d, false, err, errlen);
	if (r != 1)
		return r;
	snprintf(name, sizeof name, "%s.json", key);
	r = fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) == 0;
	close(d.fd);
	return r;
}

/* --- discard --------------------------------------------------------------- */

int draft_discard_key(const char *key, char *err, size_t errlen)
{
	char name[NAME_MAX + 1];
	ddir d;

	if (!key_valid(key, NULL))
		return seterr(err, errlen, "not a draft key: %s", key), -1;
	int r = ddir_open(&d, false, err, errlen);
	if (r != 1)
		return r;
	snprintf(name, sizeof name, "%s.json", key);
	if (unlinkat(d.fd, name, 0) == 0)
		r = 1;
	else if (errno == ENOENT)
		r = 0;
	else
		r = -1, seterr(err, errlen, "cannot remove draft %s/%s: %s", d.path, name, strerror(errno));
	if (r >= 0) {
		sweep_ctx c = { key, NULL, 2 };
		ddir_each(&d, sweep_one, &c, NULL, 0);
		fsync(d.fd);
	}
	close(d.fd);
	return r;
}

int draft_discard(const char *url, long id, char *err, size_t errlen)
{
	char key[DRAFT_KEY_MAX];

	if (draft_key(url, id, key, sizeof key) != 0)
		return seterr(err, errlen, "bad URL or ticket id"), -1;
	return draft_discard_key(key, err, errlen);
}

/* --- list ------------------------------------------------------------------ */

typedef struct {
	draft_info *v;
	size_t n, cap;
	bool oom;
} list_ctx;

/* "Field" or "Field/key" of edit E into BUF. */
static const char *edit_name(const cJSON *e, char *buf, size_t n)
{
	const char *k = jstr(e, "key");

	snprintf(buf, n, "%s%s%s", jstr(e, "field"), k ? "/" : "", k ? k : "");
	return buf;
}

typedef struct {
	char *name;
	size_t pos;
} edit_nm;

static int nm_cmp(const void *a, const void *b)
{
	const edit_nm *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->pos < y->pos ? -1 : x->pos > y->pos);
}

static int nm_pos_cmp(const void *a, const void *b)
{
	const edit_nm *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

/* The name of every edit, without repeats (the first of each kept, in
 * order), ", "-joined. Sorting finds the repeats: O(n log n). */
static char *edit_fields(const cJSON *edits)
{
	size_t n = 0, k = 0, len = 1;
	const cJSON *e;
	char one[1024];
	edit_nm *v;
	char *s;

	cJSON_ArrayForEach(e, edits)
		n++;
	v = calloc(n ? n : 1, sizeof *v);
	if (!v)
		return NULL;
	cJSON_ArrayForEach(e, edits) {
		v[k].name = strdup(edit_name(e, one, sizeof one));
		v[k].pos = k;
		if (!v[k++].name)
			goto oom;
	}
	qsort(v, n, sizeof *v, nm_cmp);
	for (size_t i = 0; i < n; i++)
		if (i > 0 && !strcmp(v[i].name, v[i - 1].name))
			v[i].pos = SIZE_MAX;  /* a repeat */
	qsort(v, n, sizeof *v, nm_pos_cmp);
	for (k = 0; k < n && v[k].pos != SIZE_MAX; k++)
		len += strlen(v[k].name) + 2;
	s = malloc(len);
	if (s) {
		size_t o = 0;
		s[0] = '\0';
		for (size_t i = 0; i < k; i++)
			o += (size_t)snprintf(s + o, len - o, "%s%s", o ? ", " : "", v[i].name);
	}
	for (size_t i = 0; i < n; i++)
		free(v[i].name);
	free(v);
	return s;
oom:
	for (size_t i = 0; i < k; i++)
		free(v[i].name);
	free(v);
	return NULL;
}

char *draft_fields_text(const cJSON *edits)
{
	char *s = cJSON_IsArray(edits) ? edit_fields(edits) : NULL;
	return s ? s : strdup("");
}

int draft_path(const char *url, long id, char *out, size_t n)
{
	char dir[4096], key[DRAFT_KEY_MAX];
	int k;
	if (draft_key(url, id, key, sizeof key) < 0 || draft_dir(dir, sizeof dir, false, NULL, 0) < 0)
		return -1;
	k = snprintf(out, n, "%s/%s.json", dir, key);
	return k > 0 && (size_t)k < n ? 0 : -1;
}

static void info_fill(draft_info *di, const cJSON *j)
{
	const char *t = jstr(j, "title");
	const cJSON *edits = cJSON_GetObjectItemCaseSensitive(j, "edits");

	di->url = strdup(jstr(j, "url"));
	saved_at_safe(j, di->saved_at, sizeof di->saved_at);
	di->title = t ? strdup(t) : NULL;
	di->nedits = (size_t)cJSON_GetArraySize(edits);
	di->fields = edit_fields(edits);
}

static void list_one(const ddir *d, const char *name, void *ctx)
{
	list_ctx *c = ctx;
	char key[NAME_MAX + 1], err[PATH_MAX + 512] = "";
	size_t nl = strlen(name);
	long id;
	cJSON *j = NULL;

	if (nl < 6 || strcmp(name + nl - 5, ".json") || nl - 5 >= sizeof key || c->oom)
		return;
	memcpy(key, name, nl - 5);
	key[nl - 5] = '\0';
	if (!key_valid(key, &id))
		return;
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 8;
		draft_info *v = realloc(c->v, cap * sizeof *v);
		if (!v) {
			c->oom = true;
			return;
		}
		c->v = v;
		c->cap = cap;
	}
	draft_info *di = &c->v[c->n++];
	memset(di, 0, sizeof *di);
	di->key = strdup(key);
	di->ticket_id = id;
	snprintf(err, sizeof err, "%s/%s", d->path, name);
	di->path = strdup(err);
	err[0] = '\0';
	if (journal_load(d, key, &j, err, sizeof err) == 1)
		info_fill(di, j);
	else
		di->error = strdup(err[0] ? err : "cannot read the draft");
	cJSON_Delete(j);
}

static int info_cmp(const void *a, const void *b)
{
	const draft_info *x = a, *y = b;

	if (x->ticket_id != y->ticket_id)
		return x->ticket_id < y->ticket_id ? -1 : 1;
	return strcmp(x->url ? x->url : "", y->url ? y->url : "");
}

int draft_list(draft_info **out, size_t *n, char *err, size_t errlen)
{
	list_ctx c = { NULL, 0, 0, false };
	ddir d;

	*out = NULL;
	*n = 0;
	int r = ddir_open(&d, false, err, errlen);
	if (r != 1)
		return r;
	r = ddir_each(&d, list_one, &c, err, errlen);
	close(d.fd);
	if (r == 0 && c.oom) {
		seterr(err, errlen, "cannot list drafts: out of memory");
		r = -1;
	}
	if (r != 0) {
		draft_list_free(c.v, c.n);
		return -1;
	}
	if (c.n)
		qsort(c.v, c.n, sizeof *c.v, info_cmp);
	*out = c.v;
	*n = c.n;
	return 0;
}

void draft_list_free(draft_info *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].path);
		free(v[i].url);
		free(v[i].title);
		free(v[i].fields);
		free(v[i].error);
	}
	free(v);
}

/* --- the editor's side ------------------------------------------------------ */

/* Add VALUE's copy under NAME, or NAME_absent: true when VALUE is NULL. */
static void add_value(cJSON *o, const char *name, const cJSON *value)
{
	char flag[32];

	if (value) {
		cJSON_AddItemToObject(o, name, cJSON_Duplicate(value, 1));
	} else {
		snprintf(flag, sizeof flag, "%s_absent", name);
		cJSON_AddTrueToObject(o, flag);
	}
}

static void add_edit(cJSON *arr, const char *field, const char *key, const cJSON *base,
		     const cJSON *value, bool conflict)
{
	cJSON *e = cJSON_CreateObject();

	if (!e)
		return;
	cJSON_AddStringToObject(e, "field", field);
	if (key)
		cJSON_AddStringToObject(e, "key", key);
	add_value(e, "base", base);
	add_value(e, "value", value);
	if (conflict)
		cJSON_AddTrueToObject(e, "conflict");
	cJSON_AddItemToArray(arr, e);
}

/* The entry of F (SUB: a map key): based on its clash's basis when one is
 * open (marked as a conflict, so restoring it asks again), else on the base. */
static void add_entry(cJSON *arr, const model *m, const field_def *f, const char *sub)
{
	const model_clash *c = model_clash_of(m, f, sub);
	const cJSON *base = sub ? model_map_base(m, f, sub) : model_base(m, f);
	const cJSON *value = sub ? model_map_value(m, f, sub) : model_value(m, f);
	add_edit(arr, f->name, sub, c ? c->basis : base, value, c != NULL);
}

/* One edit per key of map field F that differs between base and value
 * (the model keeps that list), and per key with an open clash. */
static void add_map_edits(cJSON *arr, const model *m, const field_def *f)
{
	size_t n;
	const char *const *keys = model_map_changed(m, f, &n);

	for (size_t i = 0; i < n; i++)
		add_entry(arr, m, f, keys[i]);
}

cJSON *draft_edits_from_model(const model *m)
{
	cJSON *arr = cJSON_CreateArray();

	if (!arr)
		return NULL;
	for (size_t i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		if (!model_is_modified(m, f))
			continue;
		if (f->kind == FK_MAP)
			add_map_edits(arr, m, f);
		else
			add_entry(arr, m, f, NULL);
	}
	for (size_t i = 0; i < m->nclashes; i++) {  /* clashes whose value is theirs again */
		const model_clash *c = &m->clashes[i];
		if (c->sub ? !model_map_modified(m, c->f, c->sub) : !model_is_modified(m, c->f))
			add_entry(arr, m, c->f, c->sub);
	}
	return arr;
}

int draft_save_model(const char *url, long id, const model *m, char *err, size_t errlen)
{
	cJSON *edits = draft_edits_from_model(m);

	if (!edits)
		return seterr(err, errlen, "cannot keep a draft: out of memory"), -1;
	int r = draft_write(url, id, m->base, edits, err, errlen);
	cJSON_Delete(edits);
	return r;
}

/* An edit's "base" or "value": NULL when absent. */
static const cJSON *edit_value(const cJSON *e, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(e, name);
}

/* Set member NAME of OBJ (found case-insensitively, ASCII) to VALUE
 * (taken; NULL removes it). */
static void set_member(cJSON *obj, const char *name, cJSON *value)
{
	cJSON *old = json_get_ci(obj, name);

	if (old && value)
		cJSON_ReplaceItemInObjectCaseSensitive(obj, old->string, value); /* keeps the spelling */
	else if (old)
		cJSON_Delete(cJSON_DetachItemViaPointer(obj, old));
	else if (value)
		cJSON_AddItemToObject(obj, name, value);
}

static cJSON *dup_value(const cJSON *e, const char *name)
{
	const cJSON *v = edit_value(e, name);
	return v ? cJSON_Duplicate(v, 1) : NULL;
}

/* Each edit with the schema field it is for, if the user may edit that
 * field in the server's copy (NULL: skipped). Whether a field is editable
 * is asked once per field, not once per edit. */
typedef struct {
	const cJSON *e;
	const field_def *f;
} planned;

/* The plan of EDITS (*N of them); the names of the skipped ones go to
 * SKIPPED (NULL: not reported). */
static planned *restore_plan(const cJSON *edits, const cJSON *server, size_t *n, char *skipped, size_t sklen)
{
	signed char *editable = xcalloc(schema_nfields, 1);  /* 0 not asked, 1 yes, -1 no */
	size_t k = 0, cap = 0, l = 0;
	planned *v = NULL;
	const cJSON *e;

	cJSON_ArrayForEach(e, edits) {
		if (is_note(e))  /* the unposted note: the editor's (draft_note_entry) */
			continue;
		const field_def *f = schema_find(jstr(e, "field"));
		const char *key = jstr(e, "key");
		if (f && !(key ? f->kind == FK_MAP : f->kind != FK_MAP))
			f = NULL;
		if (f && !editable[f - schema_fields])
			editable[f - schema_fields] = schema_field_editable(server, f) ? 1 : -1;
		if (f && editable[f - schema_fields] < 0)
			f = NULL;
		if (!f && skipped && sklen && l + 1 < sklen) {
			int w = snprintf(skipped + l, sklen - l, "%s%s%s%s", l ? ", " : "", jstr(e, "field"),
					 key ? "/" : "", key ? key : "");
			l = w < 0 ? l : l + (size_t)w < sklen ? l + (size_t)w : sklen - 1;
		}
		if (k == cap) {
			cap = cap ? cap * 2 : 16;
			v = xreallocarray(v, cap, sizeof *v);
		}
		v[k].e = e;
		v[k++].f = f;
	}
	free(editable);
	*n = k;
	return v;
}

/* The keyed edits of map field F in the plan as changes of their NAME
 * ("base" or "value") into *CH; returns how many. */
static size_t map_changes(const planned *p, size_t np, const field_def *f, const char *name, map_change **ch)
{
	size_t n = 0, cap = 0;

	*ch = NULL;
	for (size_t i = 0; i < np; i++) {
		if (p[i].f != f || !jstr(p[i].e, "key"))
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			*ch = xreallocarray(*ch, cap, sizeof **ch);
		}
		(*ch)[n].key = jstr(p[i].e, "key");
		(*ch)[n++].value = edit_value(p[i].e, name);
	}
	return n;
}

/* DOC with the base values of the planned edits put in, so the model's
 * base says what each edit was made against: whole fields one by one, map
 * keys in one pass per map field. */
static void doc_put_bases(cJSON *doc, const planned *p, size_t np)
{
	for (size_t i = 0; i < np; i++)
		if (p[i].f && !jstr(p[i].e, "key"))
			set_member(doc, p[i].f->name, dup_value(p[i].e, "base"));
	for (size_t i = 0; i < schema_nfields; i++) {
		map_change *ch;
		size_t n = schema_fields[i].kind == FK_MAP ? map_changes(p, np, &schema_fields[i], "base", &ch) : 0;
		if (n) {
			set_member(doc, schema_fields[i].name,
				   map_updated(json_get_ci(doc, schema_fields[i].name), ch, n));
			free(ch);
		}
	}
}

int draft_restore(model *m, const cJSON *base, const cJSON *edits, cJSON *server,
		  model_merge_report *rep, char *skipped, size_t sklen)
{
	size_t np;

	if (skipped && sklen)
		skipped[0] = '\0';
	if (rep)
		memset(rep, 0, sizeof *rep);
	if (draft_edits_check(edits, NULL, 0) != 0) {
		model_init(m, server);
		return -1;
	}
	planned *p = restore_plan(edits, server, &np, skipped, sklen);
	cJSON *doc = cJSON_IsObject(base) ? cJSON_Duplicate(base, 1) : cJSON_CreateObject();
	doc_put_bases(doc, p, np);
	model_init(m, doc);
	for (size_t i = 0; i < np; i++)  /* whole fields */
		if (p[i].f && !jstr(p[i].e, "key"))
			model_set(m, p[i].f, dup_value(p[i].e, "value"));
	for (size_t i = 0; i < schema_nfields; i++) {  /* map keys: one edit per map field */
		const field_def *f = &schema_fields[i];
		map_change *ch;
		size_t n = f->kind == FK_MAP ? map_changes(p, np, f, "value", &ch) : 0;
		if (n) {
			model_set(m, f, map_updated(model_value(m, f), ch, n));
			free(ch);
		}
	}
	/* entries journaled while their conflict was open: open still, even
	 * when the value is back at its base */
	model_clash_item *open = xreallocarray(NULL, np ? np : 1, sizeof *open);
	size_t nopen = 0;
	for (size_t i = 0; i < np; i++)
		if (p[i].f && cJSON_IsTrue(edit_value(p[i].e, "conflict")))
			open[nopen++] = (model_clash_item){ p[i].f, jstr(p[i].e, "key"), edit_value(p[i].e, "base") };
	if (nopen)
		model_clashes_open(m, open, nopen, "open when the draft was written");
	free(open);
	free(p);
	return (int)model_merge(m, server, rep);
}

/* --- the editor's journal: appends ------------------------------------------ */

/* Records appended within this long of the last data sync wait for the next. */
#define SYNC_INTERVAL_MS 1000
/* Compact when the journal exceeds this many times its compacted size (+ slack). */
#define COMPACT_FACTOR 4
#define COMPACT_SLACK 16384

static void sync_forget(draft_sync_state *s)
{
	s->model_gen = 0;
	free(s->note_text);
	s->note_text = NULL;
	items_free(s->items, s->nitems);
	s->items = NULL;
	s->nitems = 0;
	s->jsize = -1;
	s->jdev = s->jino = 0;
}

/* The size of the compacted journal of ITEMS: header and one record. */
static size_t live_size(const draft_sync_state *s, const ditem *v, size_t n)
{
	size_t l = s->header_len + 80;
	for (size_t i = 0; i < n; i++)
		l += v[i].len + 1;
	return l;
}

/* What changed from the journaled items OLD to NEW (both sorted): the
 * items to set and the ones to drop, as pointers into NEW and OLD. */
static void items_diff(const ditem *old, size_t no, const ditem *nw, size_t nn, const ditem ***set,
		       size_t *nset, const ditem ***drop, size_t *ndrop)
{
	size_t i = 0, j = 0;

	*set = xreallocarray(NULL, nn ? nn : 1, sizeof **set);
	*drop = xreallocarray(NULL, no ? no : 1, sizeof **drop);
	*nset = *ndrop = 0;
	while (i < no || j < nn) {
		int c = i == no ? 1 : j == nn ? -1 : item_cmp(&old[i], &nw[j]);
		if (c < 0) {
			(*drop)[(*ndrop)++] = &old[i++];
		} else if (c > 0) {
			(*set)[(*nset)++] = &nw[j++];
		} else {
			if (old[i].len != nw[j].len || memcmp(old[i].text, nw[j].text, nw[j].len))
				(*set)[(*nset)++] = &nw[j];
			i++;
			j++;
		}
	}
}

/* Append LINE to the journal KEY.json this session wrote: the file must
 * still be the one it left (device, inode, size). 0 appended, 1 the file
 * is not as it was (write it compacted instead), -1 error in ERR (nothing
 * half-written is left: a short write is cut off again). */
static int journal_append(const ddir *d, draft_sync_state *s, const char *line, size_t len, char *err, size_t en)
{
	char name[NAME_MAX + 1];
	struct stat st;
	int fd;

	snprintf(name, sizeof name, "%s.json", s->key);
	fd = openat(d->fd, name, O_WRONLY | O_APPEND | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return 1;
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || (unsigned long long)st.st_dev != s->jdev ||
	    (unsigned long long)st.st_ino != s->jino || (long long)st.st_size != s->jsize) {
		close(fd);
		return 1;
	}
	if (json_write_all(fd, line, len) != 0) {
		int e = errno;
		if (ftruncate(fd, (off_t)s->jsize) != 0)
			s->jsize = -1;  /* cannot cut it back: the next write compacts */
		close(fd);
		seterr(err, en, "cannot write draft %s/%s: %s", d->path, name, strerror(e));
		return -1;
	}
	s->jsize += (long long)len;
	s->unsynced = true;
	if (now_ms() - s->synced_ms >= SYNC_INTERVAL_MS) {
		if (fdatasync(fd) != 0) {
			int e = errno;
			close(fd);
			s->jsize = -1;
			seterr(err, en, "cannot write draft %s/%s: %s", d->path, name, strerror(e));
			return -1;
		}
		s->synced_ms = now_ms();
		s->unsynced = false;
	}
	close(fd);
	return 0;
}

/* Remove this session's journal; its base file too unless KEEP_BASE (the
 * base is the same: the next edit reuses it; draft_sync_free removes it). */
static int journal_remove(draft_sync_state *s, bool keep_base, char *err, size_t en)
{
	char name[NAME_MAX + 1];
	ddir d;
	int r = ddir_open(&d, false, err, en);

	if (r != 1)
		return r;
	snprintf(name, sizeof name, "%s.json", s->key);
	if (unlinkat(d.fd, name, 0) != 0 && errno != ENOENT) {
		seterr(err, en, "cannot remove draft %s/%s: %s", d.path, name, strerror(errno));
		close(d.fd);
		return -1;
	}
	if (!keep_base && s->base_name[0]) {
		unlinkat(d.fd, s->base_name, 0);
		s->base_name[0] = '\0';
		s->base_gen = 0;
	}
	fsync(d.fd);
	close(d.fd);
	sync_forget(s);
	s->unsynced = false;
	return 1;
}

static int draft_sync_edits(draft_sync_state *s, const char *url, long id, const model *m, const char *key,
			    char *err, size_t errlen);

int draft_sync(draft_sync_state *s, const char *url, long id, const model *m, char *err, size_t errlen)
{
	char key[DRAFT_KEY_MAX];

	if (s->hold || !m->base)
		return 0;
	if (draft_key(url, id, key, sizeof key) != 0)
		return seterr(err, errlen, "cannot keep a draft: bad URL or ticket id"), -1;
	if (strcmp(key, s->key)) {  /* a session on another ticket: nothing of ours is known */
		sync_forget(s);
		s->base_gen = 0;
		s->base_name[0] = '\0';
		snprintf(s->key, sizeof s->key, "%s", key);
	}
	char *note = s->note ? json_print(s->note, false) : NULL;
	bool note_same = note ? s->note_text && !strcmp(note, s->note_text) : !s->note_text;
	if (s->model_gen && s->model_gen == m->gen && note_same) {
		free(note);
		return 0;  /* nothing changed since it was journaled: a cursor key */
	}
	int r = draft_sync_edits(s, url, id, m, key, err, errlen);
	s->model_gen = r >= 0 ? m->gen : 0;
	free(s->note_text);
	s->note_text = r >= 0 ? note : NULL;
	if (r < 0)
		free(note);
	return r;
}

/* draft_sync once the model has changed: journal what changed, if anything. */
static int draft_sync_edits(draft_sync_state *s, const char *url, long id, const model *m, const char *key,
			    char *err, size_t errlen)
{
	size_t n, nset, ndrop;
	const ditem **set, **drop;
	ddir d;

	cJSON *edits = draft_edits_from_model(m);
	if (!edits)
		return seterr(err, errlen, "cannot keep a draft: out of memory"), -1;
	if (s->note)  /* the unposted note: one more entry (a draft of a note alone is kept) */
		cJSON_AddItemToArray(edits, cJSON_Duplicate(s->note, 1));
	ditem *items = items_of(edits, &n);
	cJSON_Delete(edits);
	if (n)
		qsort(items, n, sizeof *items, item_cmp);
	if (!n) {
		items_free(items, n);
		if (!s->owned)
			return 0;
		int r = journal_remove(s, s->base_gen == m->base_gen, err, errlen);
		if (r < 0)
			return -1;
		s->owned = false;
		return 1;
	}
	items_diff(s->items, s->nitems, items, n, &set, &nset, &drop, &ndrop);
	bool same_base = s->base_gen == m->base_gen && s->base_name[0];
	if (s->owned && same_base && s->jsize >= 0 && !nset && !ndrop) {
		free(set);
		free(drop);
		items_free(items, n);
		return 0;
	}
	int r = -1;
	if (ddir_open(&d, true, err, errlen) != 1)
		goto out;
	r = 1;
	if (s->owned && same_base && s->jsize >= 0) {
		sbuf line = { 0 };
		record_line(&line, (ditem *const *)set, nset, (ditem *const *)drop, ndrop);
		size_t live = live_size(s, items, n);
		if ((size_t)s->jsize + line.n <= COMPACT_FACTOR * live + COMPACT_SLACK)
			r = journal_append(&d, s, line.s, line.n, err, errlen);
		free(line.s);
		if (r < 0)
			goto out_dir;
	}
	if (r == 1) {  /* a new base, a new journal, one grown too big, or not ours as it was */
		struct stat st;
		if (write_compacted(&d, key, url, id, m->base, s->base_name, sizeof s->base_name, &s->base_size,
				    same_base, items, n, &st, &s->header_len, err, errlen) != 0) {
			sync_forget(s);
			s->base_name[0] = '\0';
			r = -1;
			goto out_dir;
		}
		s->base_gen = m->base_gen;
		s->jdev = (unsigned long long)st.st_dev;
		s->jino = (unsigned long long)st.st_ino;
		s->jsize = st.st_ino ? (long long)st.st_size : -1;
		s->synced_ms = now_ms();
		s->unsynced = false;
	}
	items_free(s->items, s->nitems);
	s->items = items;
	s->nitems = n;
	items = NULL;
	n = 0;
	s->owned = true;
	r = 1;
out_dir:
	close(d.fd);
out:
	free(set);
	free(drop);
	items_free(items, n);
	return r;
}

void draft_sync_restored(draft_sync_state *s)
{
	sync_forget(s);
	s->owned = true;
	s->hold = false;
}

/* Data-sync this session's journal if records wait for it. */
static void sync_pending(draft_sync_state *s)
{
	char name[NAME_MAX + 1];
	ddir d;

	if (!s->unsynced || !s->key[0] || ddir_open(&d, false, NULL, 0) != 1)
		return;
	snprintf(name, sizeof name, "%s.json", s->key);
	int fd = openat(d.fd, name, O_WRONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		fdatasync(fd);
		close(fd);
	}
	close(d.fd);
	s->unsynced = false;
}

int draft_sync_discard(draft_sync_state *s, const char *url, long id, char *err, size_t errlen)
{
	if (s->hold)
		return 0;
	sync_forget(s);
	s->owned = false;
	s->unsynced = false;
	s->base_name[0] = '\0';
	s->base_gen = 0;
	return draft_discard(url, id, err, errlen);
}

void draft_sync_free(draft_sync_state *s)
{
	ddir d;

	sync_pending(s);
	if (!s->hold && !s->owned && s->base_name[0] && ddir_open(&d, false, NULL, 0) == 1) {
		char name[NAME_MAX + 1];
		struct stat st;
		snprintf(name, sizeof name, "%s.json", s->key);
		if (fstatat(d.fd, name, &st, AT_SYMLINK_NOFOLLOW) != 0 && errno == ENOENT)
			unlinkat(d.fd, s->base_name, 0);  /* kept for an edit that did not come */
		close(d.fd);
	}
	sync_forget(s);
	s->base_name[0] = '\0';
	s->base_gen = 0;
	free(s->note_text);
	s->note_text = NULL;
	cJSON_Delete(s->note);
	s->note = NULL;
}

const cJSON *draft_note_entry(const cJSON *edits)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, edits)
		if (is_note(e))
			return e;
	return NULL;
}

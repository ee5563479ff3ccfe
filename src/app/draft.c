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
#include "ticketed/json.h"
#include "ticketed/schema.h"

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

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write NAME in D atomically (temp file 0600, fsync, rename, fsync dir). */
static int write_atomic(const ddir *d, const char *name, const char *buf, size_t len,
			char *err, size_t en)
{
	static unsigned seq;
	char tmp[NAME_MAX + 1];
	int fd = -1;

	for (int tries = 0; fd < 0 && tries < 100; tries++) {
		snprintf(tmp, sizeof tmp, ".%s.tmp-%ld-%u", name, (long)getpid(), seq++);
		fd = openat(d->fd, tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd < 0 && errno != EEXIST)
			break;
	}
	if (fd < 0) {
		seterr(err, en, "cannot write draft %s/%s: %s", d->path, name, strerror(errno));
		return -1;
	}
	int ok = fchmod(fd, 0600) == 0 && write_all(fd, buf, len) == 0 && fsync(fd) == 0;
	int e = errno;
	if (close(fd) != 0 && ok) {
		ok = 0;
		e = errno;
	}
	if (ok && renameat(d->fd, tmp, d->fd, name) != 0) {
		ok = 0;
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

/* Whether file NAME in D holds exactly TEXT[0..LEN). */
static bool file_holds(const ddir *d, const char *name, const char *text, size_t len)
{
	struct stat st;
	char buf[65536];
	size_t off = 0;
	int fd = openat(d->fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	bool same = fd >= 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && (size_t)st.st_size == len;

	while (same && off < len) {
		ssize_t r = read(fd, buf, sizeof buf);
		if (r < 0 && errno == EINTR)
			continue;
		same = r > 0 && (size_t)r <= len - off && memcmp(buf, text + off, (size_t)r) == 0;
		off += r > 0 ? (size_t)r : 0;
	}
	if (fd >= 0)
		close(fd);
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

/* The base file for KEY holding TEXT: written unless already there. */
static int write_base(const ddir *d, const char *key, const char *text, char *name, size_t nn,
		      char *hash, char *err, size_t en)
{
	size_t len = strlen(text);

	hex16(fnv1a64(text, len), hash);
	snprintf(name, nn, "%s.base-%s.json", key, hash);
	if (file_holds(d, name, text, len))
		return 0;  /* this base is on disk already (checked, so a damaged copy is rewritten) */
	return write_atomic(d, name, text, len, err, en);
}

static char *journal_text(const char *url, long id, const cJSON *base, const char *basename,
			  const char *hash, const cJSON *edits)
{
	char norm[DRAFT_URL_MAX], when[32];
	const cJSON *title = cJSON_GetObjectItemCaseSensitive(base, "Title");
	cJSON *j = cJSON_CreateObject();
	char *text = NULL;

	draft_url_normalize(url, norm, sizeof norm);
	now_iso(when, sizeof when);
	if (j && cJSON_AddNumberToObject(j, "version", 1) && cJSON_AddStringToObject(j, "url", norm) &&
	    cJSON_AddNumberToObject(j, "ticket_id", (double)id) &&
	    cJSON_AddStringToObject(j, "saved_at", when) &&
	    (cJSON_IsString(title) ? cJSON_AddStringToObject(j, "title", title->valuestring)
				   : cJSON_AddNullToObject(j, "title")) &&
	    cJSON_AddStringToObject(j, "base_file", basename) &&
	    cJSON_AddStringToObject(j, "base_hash", hash)) {
		cJSON *e = cJSON_Duplicate(edits, 1);
		if (e && cJSON_AddItemToObject(j, "edits", e))
			text = json_print(j, true);
		else
			cJSON_Delete(e);
	}
	cJSON_Delete(j);
	return text;
}

int draft_write(const char *url, long id, const cJSON *base, const cJSON *edits,
		char *err, size_t errlen)
{
	char key[DRAFT_KEY_MAX], name[NAME_MAX + 1], basename[NAME_MAX + 1], hash[HASH_HEX + 1];
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
	char *text = json_print(base, false);
	int r = -1;
	if (!text)
		seterr(err, errlen, "cannot keep a draft: out of memory");
	else if (write_base(&d, key, text, basename, sizeof basename, hash, err, errlen) == 0) {
		char *jt = journal_text(url, id, base, basename, hash, edits);
		snprintf(name, sizeof name, "%s.json", key);
		if (!jt)
			seterr(err, errlen, "cannot keep a draft: out of memory");
		else
			r = write_atomic(&d, name, jt, strlen(jt), err, errlen);
		free(jt);
	}
	free(text);
	if (r == 0) {
		sweep_ctx c = { key, basename, 1 };
		ddir_each(&d, sweep_one, &c, NULL, 0);
	}
	close(d.fd);
	return r;
}

/* --- read ------------------------------------------------------------------ */

static const char *jstr(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* The unposted note journaled with the edits (draft_note_entry). */
static bool is_note(const cJSON *e)
{
	const char *f = jstr(e, "field");
	return f && !strcmp(f, "note");
}

/* Check a parsed journal J of KEY at PATH. */
static int journal_check(const cJSON *j, const char *key, const char *path, char *err, size_t en)
{
	const cJSON *ver = cJSON_GetObjectItemCaseSensitive(j, "version");
	const cJSON *tid = cJSON_GetObjectItemCaseSensitive(j, "ticket_id");
	const char *url = jstr(j, "url"), *bf = jstr(j, "base_file"), *bh = jstr(j, "base_hash");
	char want[DRAFT_KEY_MAX], msg[256];

	if (!cJSON_IsObject(j))
		return seterr(err, en, "%s: not a draft (not a JSON object)", path), -1;
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1)
		return seterr(err, en, "%s: unsupported draft version (want 1)", path), -1;
	if (!url || !cJSON_IsNumber(tid) || tid->valuedouble < 1 || tid->valuedouble > 9007199254740991.0 ||
	    tid->valuedouble != (double)(long)tid->valuedouble)
		return seterr(err, en, "%s: \"url\" or \"ticket_id\" missing or bad", path), -1;
	if (draft_key(url, (long)tid->valuedouble, want, sizeof want) != 0 || strcmp(want, key))
		return seterr(err, en, "%s: draft's URL and ticket id do not match its file name", path), -1;
	if (!jstr(j, "saved_at"))
		return seterr(err, en, "%s: \"saved_at\" missing", path), -1;
	if (!bh || strlen(bh) != HASH_HEX || !is_hex16(bh) || !bf ||
	    strncmp(bf, key, strlen(key)) || strncmp(bf + strlen(key), ".base-", 6) ||
	    strncmp(bf + strlen(key) + 6, bh, HASH_HEX) || strcmp(bf + strlen(key) + 6 + HASH_HEX, ".json"))
		return seterr(err, en, "%s: \"base_file\" or \"base_hash\" missing or bad", path), -1;
	if (draft_edits_check(cJSON_GetObjectItemCaseSensitive(j, "edits"), msg, sizeof msg) != 0)
		return seterr(err, en, "%s: %s", path, msg), -1;
	return 0;
}

/* Load and check the journal of KEY: 1 with *OUT, 0 none, -1 error. */
static int journal_load(const ddir *d, const char *key, cJSON **out, char *err, size_t en)
{
	char path[PATH_MAX + NAME_MAX + 2];
	struct stat st;

	*out = NULL;
	snprintf(path, sizeof path, "%s/%s.json", d->path, key);
	if (fstatat(d->fd, strrchr(path, '/') + 1, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		return seterr(err, en, "%s: %s", path, strerror(errno)), -1;
	}
	if (!S_ISREG(st.st_mode))
		return seterr(err, en, "%s: not a regular file", path), -1;
	cJSON *j = json_parse_file(path, err, en);
	if (!j)
		return -1;
	if (journal_check(j, key, path, err, en) != 0) {
		cJSON_Delete(j);
		return -1;
	}
	*out = j;
	return 1;
}

/* Load the base file the journal J names, checking its hash. */
static cJSON *base_load(const ddir *d, const cJSON *j, char *err, size_t en)
{
	char path[PATH_MAX + NAME_MAX + 2], hash[HASH_HEX + 1];
	size_t len = 0;

	snprintf(path, sizeof path, "%s/%s", d->path, jstr(j, "base_file"));
	char *buf = json_read_file(path, &len);
	if (!buf)
		return seterr(err, en, "%s: %s", path, strerror(errno)), NULL;
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
				snprintf(saved_at, sn, "%s", jstr(j, "saved_at"));
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

/* The name of every edit, without repeats, ", "-joined. */
static char *edit_fields(const cJSON *edits)
{
	size_t cap = 1;
	const cJSON *e, *p;
	char one[1024], other[1024];

	cJSON_ArrayForEach(e, edits)
		cap += strlen(edit_name(e, one, sizeof one)) + 2;
	char *s = malloc(cap);
	if (!s)
		return NULL;
	s[0] = '\0';
	cJSON_ArrayForEach(e, edits) {
		bool dup = false;
		edit_name(e, one, sizeof one);
		for (p = edits->child; p != e && !dup; p = p->next)
			dup = strcmp(one, edit_name(p, other, sizeof other)) == 0;
		if (!dup)
			snprintf(s + strlen(s), cap - strlen(s), "%s%s", s[0] ? ", " : "", one);
	}
	return s;
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
	snprintf(di->saved_at, sizeof di->saved_at, "%s", jstr(j, "saved_at"));
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

static const cJSON *map_member(const cJSON *map, const char *key)
{
	return cJSON_IsObject(map) ? json_get(map, key) : NULL;
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

/* One edit per key of map field F that differs between base and value. */
static void add_map_edits(cJSON *arr, const model *m, const field_def *f)
{
	const cJSON *b = model_base(m, f), *v = model_value(m, f), *c;

	cJSON_ArrayForEach(c, v)
		if (!json_equal(c, map_member(b, c->string)) || model_clash_of(m, f, c->string))
			add_entry(arr, m, f, c->string);
	if (cJSON_IsObject(b))
		cJSON_ArrayForEach(c, b)
			if (!map_member(v, c->string))
				add_entry(arr, m, f, c->string);
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

/* Put the edit's base value into DOC, so the model's base says what the
 * user's edit was made against. */
static void doc_put_base(cJSON *doc, const field_def *f, const cJSON *e)
{
	const char *key = jstr(e, "key");

	if (!key) {
		set_member(doc, f->name, dup_value(e, "base"));
		return;
	}
	if (!cJSON_IsObject(json_get_ci(doc, f->name)))
		set_member(doc, f->name, cJSON_CreateObject());
	cJSON *map = json_get_ci(doc, f->name);
	cJSON *v = dup_value(e, "base");
	if (json_get(map, key) && v)
		cJSON_ReplaceItemInObjectCaseSensitive(map, key, v);
	else if (json_get(map, key))
		cJSON_DeleteItemFromObjectCaseSensitive(map, key);
	else if (v)
		cJSON_AddItemToObject(map, key, v);
}

/* The schema field an edit is for, if the user may edit it in SERVER. */
static const field_def *edit_field(const cJSON *e, const cJSON *server, char *skipped, size_t sklen)
{
	const field_def *f = schema_find(jstr(e, "field"));
	const char *key = jstr(e, "key");

	if (f && (key ? f->kind == FK_MAP : f->kind != FK_MAP) && schema_field_editable(server, f))
		return f;
	if (skipped && sklen) {
		size_t l = strlen(skipped);
		snprintf(skipped + l, sklen - l, "%s%s%s%s", l ? ", " : "", jstr(e, "field"),
			 key ? "/" : "", key ? key : "");
	}
	return NULL;
}

int draft_restore(model *m, const cJSON *base, const cJSON *edits, cJSON *server,
		  model_merge_report *rep, char *skipped, size_t sklen)
{
	const cJSON *e;

	if (skipped && sklen)
		skipped[0] = '\0';
	if (rep)
		memset(rep, 0, sizeof *rep);
	if (draft_edits_check(edits, NULL, 0) != 0) {
		model_init(m, server);
		return -1;
	}
	cJSON *doc = cJSON_IsObject(base) ? cJSON_Duplicate(base, 1) : cJSON_CreateObject();
	cJSON_ArrayForEach(e, edits) {
		if (is_note(e))  /* the unposted note: the editor's (draft_note_entry) */
			continue;
		const field_def *f = edit_field(e, server, NULL, 0);
		if (f)
			doc_put_base(doc, f, e);
	}
	model_init(m, doc);
	cJSON_ArrayForEach(e, edits) {
		if (is_note(e))
			continue;
		const field_def *f = edit_field(e, server, skipped, sklen);
		if (!f)
			continue;
		if (jstr(e, "key"))
			model_map_set(m, f, jstr(e, "key"), dup_value(e, "value"));
		else
			model_set(m, f, dup_value(e, "value"));
		if (cJSON_IsTrue(edit_value(e, "conflict")))  /* open still, even if back at its base */
			model_clash_open(m, f, jstr(e, "key"), edit_value(e, "base"),
			                 "open when the draft was written");
	}
	return (int)model_merge(m, server, rep);
}

int draft_sync(draft_sync_state *s, const char *url, long id, const model *m, char *err, size_t errlen)
{
	if (s->hold || !m->base)
		return 0;
	cJSON *edits = draft_edits_from_model(m);
	if (!edits)
		return seterr(err, errlen, "cannot keep a draft: out of memory"), -1;
	if (s->note)
		cJSON_AddItemToArray(edits, cJSON_Duplicate(s->note, 1));
	bool empty = cJSON_GetArraySize(edits) == 0;
	if ((!s->owned && empty) || (s->last && json_equal(s->last, edits))) {
		cJSON_Delete(edits);
		return 0;
	}
	if (draft_write(url, id, m->base, edits, err, errlen) != 0) {
		cJSON_Delete(edits);
		return -1;
	}
	cJSON_Delete(s->last);
	s->last = edits;
	s->owned = !empty;
	return 1;
}

void draft_sync_restored(draft_sync_state *s)
{
	cJSON_Delete(s->last);
	s->last = NULL;
	s->owned = true;
	s->hold = false;
}

int draft_sync_discard(draft_sync_state *s, const char *url, long id, char *err, size_t errlen)
{
	if (s->hold)
		return 0;
	cJSON_Delete(s->last);
	s->last = NULL;
	s->owned = false;
	return draft_discard(url, id, err, errlen);
}

void draft_sync_free(draft_sync_state *s)
{
	cJSON_Delete(s->last);
	s->last = NULL;
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

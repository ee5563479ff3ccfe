/* store.c — ticketd's data: tickets and list tables loaded from JSON files,
 * looked up by id, changed in place by a save (only the members that
 * change are swapped in, with their pieces re-rendered), written back
 * atomically with --persist. */
#include "ticketd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ticketed/errmsg.h"
#include "ticketed/json.h"

/* The list tables. The later four (the references a real tenant lets a
 * ticket set: Person and SecondaryPersons, TicketType, Sale, Project) may
 * be absent from a data directory: their list is then empty. */
static const struct { const char *name, *key; bool optional; } list_defs[L_COUNT] = {
	[L_ASSOC] = { "associate", "AssociateId", false },
	[L_STATUS] = { "ticketstatus", "TicketStatusId", false },
	[L_PRIO] = { "ticketpriority", "TicketPriorityId", false },
	[L_CAT] = { "ejcategory", "TicketCategoryId", false },
	[L_TAGS] = { "tags", "Id", false },
	[L_PERSON] = { "person_new", "PersonId", true },
	[L_TYPE] = { "tickettype", "TicketTypeId", true },
	[L_SALE] = { "sale", "SaleId", true },
	[L_PROJECT] = { "project", "ProjectId", true },
};

static int load_list(td_store *s, int l, char *err, size_t errlen)
{
	char name[64];
	snprintf(name, sizeof name, "lists/%s.json", list_defs[l].name);
	char *path = str_join(s->dir, "/", name);
	struct stat st;
	cJSON *j = list_defs[l].optional && stat(path, &st) != 0 && errno == ENOENT ? cJSON_CreateArray()
	           : json_parse_file(path, err, errlen);
	int rc = -1;
	if (!j)
		goto out;
	if (!cJSON_IsArray(j)) {
		snprintf(err, errlen, "%s: expected an array of %s entities", path, list_defs[l].name);
		cJSON_Delete(j);
		goto out;
	}
	const cJSON *it;
	cJSON_ArrayForEach(it, j) {
		if (!json_is_int32(json_get(it, list_defs[l].key))) {
			snprintf(err, errlen, "%s: an item lacks the integer %s", path, list_defs[l].key);
			cJSON_Delete(j);
			goto out;
		}
	}
	s->lists[l].name = list_defs[l].name;
	s->lists[l].key = list_defs[l].key;
	s->lists[l].items = j;
	rc = 0;
out:
	free(path);
	return rc;
}

static void load_assignment(td_store *s)
{
	char *path = str_join(s->dir, "/", "lists/assignment.json");
	char err[256];
	cJSON *j = json_parse_file(path, err, sizeof err);
	const cJSON *d = json_get(j, "default");
	s->assign_default = json_is_int32(d) ? d->valueint : 1;
	cJSON_Delete(j);
	free(path);
}

static int cmp_ticket(const void *a, const void *b)
{
	const td_ticket *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

/* Members a ticket keeps as text (cJSON_Raw) instead of a tree: Messages
 * is read-only, never changes and is most of a big ticket (7,600 messages:
 * 4.7 MB of text, some 30 MB as cJSON nodes). Code that needs it as a tree
 * parses it then (td_raw_parse). */
static bool parse_now(const char *key, void *ctx)
{
	(void)ctx;
	return strcmp(key, "Messages") != 0;
}

static int add_ticket(td_store *s, const char *path, char *err, size_t errlen)
{
	size_t len;
	char *buf = json_read_file(path, &len);
	if (!buf) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	cJSON *j = json_parse_lazy(buf, len, path, parse_now, NULL, err, errlen);  /* takes BUF */
	if (!j)
		return -1;
	const cJSON *id = json_get(j, "TicketId");
	if (!cJSON_IsObject(j) || !json_is_int32(id) || id->valueint <= 0) {
		snprintf(err, errlen, "%s: not a ticket (object with a positive TicketId)", path);
		cJSON_Delete(j);
		return -1;
	}
	td_ticket *nt = realloc(s->t, (s->n + 1) * sizeof *nt);
	char *file = strdup(path);
	if (!nt || !file) {
		if (nt)
			s->t = nt;
		free(file);
		cJSON_Delete(j);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->t = nt;
	memset(&s->t[s->n], 0, sizeof s->t[s->n]);
	s->t[s->n].id = id->valueint;
	s->t[s->n].doc = j;
	s->t[s->n].file = file;
	s->n++;
	return 0;
}

static int load_tickets(td_store *s, char *err, size_t errlen)
{
	char *dir = str_join(s->dir, "/", "tickets");
	DIR *d = opendir(dir);
	if (!d) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		free(dir);
		return -1;
	}
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		char *p = str_join(dir, "/", e->d_name);
		rc = add_ticket(s, p, err, errlen);
		free(p);
	}
	closedir(d);
	free(dir);
	if (rc)
		return rc;
	if (s->n)
		qsort(s->t, s->n, sizeof *s->t, cmp_ticket);
	for (size_t i = 1; i < s->n; i++) {
		if (s->t[i].id == s->t[i - 1].id) {
			snprintf(err, errlen, "%s: TicketId %d also in %s", s->t[i].file, s->t[i].id, s->t[i - 1].file);
			return -1;
		}
	}
	return 0;
}

/* Locks and the first rendering of every ticket (after sorting: the
 * tickets do not move any more). */
static int prepare_tickets(td_store *s, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->n; i++) {
		td_ticket *t = &s->t[i];
		pthread_rwlock_init(&t->lock, NULL);
		pthread_mutex_init(&t->snap_lock, NULL);
		s->nready = i + 1;
		if (ticket_render(t, s->dates, &t->snap)) {
			snprintf(err, errlen, "%s: out of memory", t->file);
			return -1;
		}
	}
	return 0;
}

int store_load(td_store *s, const char *dir, td_dates dates, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	s->dates = dates;
	if (!(s->dir = strdup(dir))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	for (int l = 0; l < L_COUNT; l++)
		if (load_list(s, l, err, errlen))
			return -1;
	load_assignment(s);
	if (cf_load(s, err, errlen) || load_tickets(s, err, errlen))
		return -1;
	for (size_t i = 0; i < s->n; i++)
		cf_fill(s, s->t[i].doc);
	if (prepare_tickets(s, err, errlen))
		return -1;
	return msgs_load(s, err, errlen);
}

void store_free(td_store *s)
{
	msgs_free(s);
	for (size_t i = 0; i < s->n; i++) {
		td_ticket *t = &s->t[i];
		cJSON_Delete(t->doc);
		free(t->file);
		for (size_t k = 0; k < t->npiece; k++)
			text_put(t->piece[k]);
		free(t->piece);
		snap_put(t->snap);
		if (i < s->nready) {
			pthread_rwlock_destroy(&t->lock);
			pthread_mutex_destroy(&t->snap_lock);
		}
	}
	free(s->t);
	for (int l = 0; l < L_COUNT; l++)
		cJSON_Delete(s->lists[l].items);
	cJSON_Delete(s->cfmeta);
	free(s->dir);
	memset(s, 0, sizeof *s);
}

td_ticket *store_find(td_store *s, int id)
{
	td_ticket key = { .id = id };
	return bsearch(&key, s->t, s->n, sizeof *s->t, cmp_ticket);
}

const td_list *store_list(const td_store *s, const char *name)
{
	for (int l = 0; l < L_COUNT; l++)
		if (s->lists[l].name && !strcasecmp(s->lists[l].name, name))
			return &s->lists[l];
	return NULL;
}

const cJSON *store_list_item(const td_store *s, int l, int id)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, s->lists[l].items) {
		const cJSON *k = json_get(it, s->lists[l].key);
		if (json_is_int32(k) && k->valueint == id)
			return it;
	}
	return NULL;
}

/* ---- saves ---------------------------------------------------------------- */

/* How to take back one member swapped into a ticket. */
typedef struct {
	cJSON *now;              /* the member put in (owned by the doc) */
	cJSON *was;              /* the member it replaced (detached), NULL if it was added */
	size_t idx;              /* its place among the doc's members */
	td_text *piece;          /* the piece it had */
} swap_rec;

/* Put NEW where OLD is among OBJ's members (OLD detached, not freed). */
static void swap_member(cJSON *obj, cJSON *old, cJSON *nw)
{
	nw->prev = old->prev;
	nw->next = old->next;
	if (old == obj->child)
		obj->child = nw;
	else
		old->prev->next = nw;
	if (old->next)
		old->next->prev = nw;
	else
		obj->child->prev = nw;  /* the first member's prev is the last one */
	old->prev = old->next = NULL;
}

static void undo_swaps(td_ticket *t, swap_rec *r, size_t n)
{
	while (n--) {
		if (r[n].was) {
			swap_member(t->doc, r[n].now, r[n].was);
			cJSON_Delete(r[n].now);
		} else {
			cJSON_Delete(cJSON_DetachItemViaPointer(t->doc, r[n].now));
		}
		text_put(t->piece[r[n].idx]);
		t->piece[r[n].idx] = r[n].piece;
	}
}

static size_t index_of(const cJSON *doc, const cJSON *m)
{
	size_t i = 0;
	for (const cJSON *c = doc->child; c && c != m; c = c->next)
		i++;
	return i;
}

int store_save(td_store *s, td_ticket *t, cJSON *changes, bool persist, char *err, size_t errlen)
{
	size_t n = (size_t)cJSON_GetArraySize(changes), done = 0;
	size_t grow = t->npiece + n;
	swap_rec *r = calloc(n ? n : 1, sizeof *r);
	td_text **np = realloc(t->piece, (grow ? grow : 1) * sizeof *np);
	if (np) {
		t->piece = np;
		memset(np + t->npiece, 0, (grow - t->npiece) * sizeof *np);
	}
	if (!r || !np) {
		free(r);
		cJSON_Delete(changes);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	while (changes->child) {
		cJSON *m = cJSON_DetachItemViaPointer(changes, changes->child);
		cJSON *old = json_get_ci(t->doc, m->string);
		swap_rec *x = &r[done++];
		x->now = m;
		x->was = old;
		if (old) {
			x->idx = index_of(t->doc, old);
			swap_member(t->doc, old, m);
		} else {
			x->idx = (size_t)cJSON_GetArraySize(t->doc);
			cJSON_AddItemToArray(t->doc, m);
		}
		x->piece = t->piece[x->idx];
		t->piece[x->idx] = NULL;  /* rendered anew below */
	}
	cJSON_Delete(changes);
	size_t npiece = t->npiece;
	t->npiece = (size_t)cJSON_GetArraySize(t->doc);
	td_snap *snap = NULL;
	int rc = ticket_render(t, s->dates, &snap);
	if (rc)
		snprintf(err, errlen, "out of memory");
	if (rc == 0 && persist && (rc = store_write(s, t, err, errlen)))
		snap_put(snap);
	if (rc) {
		undo_swaps(t, r, done);
		t->npiece = npiece;
	} else {
		for (size_t i = 0; i < done; i++) {
			cJSON_Delete(r[i].was);
			text_put(r[i].piece);
		}
		pthread_mutex_lock(&t->snap_lock);
		td_snap *old = t->snap;
		t->snap = snap;
		pthread_mutex_unlock(&t->snap_lock);
		snap_put(old);
	}
	free(r);
	return rc;
}

/* The text a ticket file gets: the pieces when they hold the stored date
 * style (a malloc'd copy is then not needed: NULL with *V and *NV set), else
 * the tree printed (malloc'd, returned). */
static char *file_text(const td_store *s, const td_ticket *t, struct iovec **v, size_t *nv)
{
	*v = NULL;
	*nv = 0;
	if (s->dates != DATES_KEEP)
		return json_print(t->doc, true);
	struct iovec *iov = malloc((2 * t->npiece + 2) * sizeof *iov);
	if (!iov)
		return NULL;
	size_t k = 0;
	iov[k++] = (struct iovec){ (void *)"{", 1 };
	const cJSON *m = t->doc->child;
	for (size_t i = 0; i < t->npiece && m; i++, m = m->next) {
		if (!t->piece[i])
			continue;  /* _Links: every answer builds its own */
		if (k > 1)
			iov[k++] = (struct iovec){ (void *)",", 1 };
		iov[k++] = (struct iovec){ t->piece[i]->s, t->piece[i]->len };
	}
	iov[k++] = (struct iovec){ (void *)"}\n", 2 };
	*v = iov;
	*nv = k;
	return NULL;
}

static int write_iov(int fd, struct iovec *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (json_write_all(fd, v[i].iov_base, v[i].iov_len))
			return -1;
	return 0;
}

int store_write(const td_store *s, const td_ticket *t, char *err, size_t errlen)
{
	struct iovec *iov;
	size_t niov;
	char *text = file_text(s, t, &iov, &niov);
	char *tmp = str_join(t->file, ".tmp.", "XXXXXX");
	char *dcopy = strdup(t->file);
	int fd = -1, dfd = -1, rc = -1;
	if ((!text && !iov) || !tmp || !dcopy) {
		snprintf(err, errlen, "out of memory");
		goto out;
	}
	/* mkstemp: a new file (O_CREAT|O_EXCL: never an existing file or a
	 * planted symlink), mode 0600 until it gets the old file's bits */
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		goto fail;
	struct stat st;
	mode_t mode = stat(t->file, &st) == 0 ? st.st_mode & 07777 : 0644;
	if (fchmod(fd, mode) || (text ? json_write_all(fd, text, strlen(text)) || json_write_all(fd, "\n", 1)
	                              : write_iov(fd, iov, niov)) ||
	    fsync(fd))
		goto fail;
	if (close(fd)) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, t->file))
		goto fail;
	/* The rename is durable once the directory is. The new file is in
	 * place whatever happens now, so a failure here is only reported. */
	rc = 0;
	dfd = open(dirname(dcopy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd))
		fprintf(stderr, "ticketd: %s: fsync of its directory: %s\n", t->file, strerror(errno));
	goto out;
fail:
	snprintf(err, errlen, "%s: %s", t->file, strerror(errno));
	if (fd >= 0)
		close(fd);
	fd = -1;
	if (tmp)
		unlink(tmp);
out:
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	free(dcopy);
	free(tmp);
	free(text);
	free(iov);
	return rc;
}

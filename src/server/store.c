/* store.c — ticketd's data: tickets and list tables loaded from JSON files,
 * looked up by id, written back atomically with --persist. */
#include "ticketd.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "ticketed/errmsg.h"
#include "ticketed/json.h"

static const struct { const char *name, *key; } list_defs[L_COUNT] = {
	[L_ASSOC] = { "associate", "AssociateId" },
	[L_STATUS] = { "ticketstatus", "TicketStatusId" },
	[L_PRIO] = { "ticketpriority", "TicketPriorityId" },
	[L_CAT] = { "ejcategory", "TicketCategoryId" },
	[L_TAGS] = { "tags", "Id" },
};

static int load_list(td_store *s, int l, char *err, size_t errlen)
{
	char name[64];
	snprintf(name, sizeof name, "lists/%s.json", list_defs[l].name);
	char *path = str_join(s->dir, "/", name);
	cJSON *j = json_parse_file(path, err, errlen);
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

static int add_ticket(td_store *s, const char *path, char *err, size_t errlen)
{
	cJSON *j = json_parse_file(path, err, errlen);
	if (!j)
		return -1;
	const cJSON *id = json_get(j, "TicketId");
	if (!cJSON_IsObject(j) || !json_is_int32(id) || id->valueint <= 0) {
		snprintf(err, errlen, "%s: not a ticket (object with a positive TicketId)", path);
		cJSON_Delete(j);
		return -1;
	}
	td_ticket *nt = realloc(s->t, (s->n + 1) * sizeof *nt);
	if (!nt) {
		cJSON_Delete(j);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	s->t = nt;
	s->t[s->n].id = id->valueint;
	s->t[s->n].doc = j;
	s->t[s->n].file = strdup(path);
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
	qsort(s->t, s->n, sizeof *s->t, cmp_ticket);
	for (size_t i = 1; i < s->n; i++) {
		if (s->t[i].id == s->t[i - 1].id) {
			snprintf(err, errlen, "%s: TicketId %d also in %s", s->t[i].file, s->t[i].id, s->t[i - 1].file);
			return -1;
		}
	}
	return 0;
}

int store_load(td_store *s, const char *dir, char *err, size_t errlen)
{
	memset(s, 0, sizeof *s);
	pthread_rwlock_init(&s->lock, NULL);
	s->dir = strdup(dir);
	for (int l = 0; l < L_COUNT; l++)
		if (load_list(s, l, err, errlen))
			return -1;
	load_assignment(s);
	return load_tickets(s, err, errlen);
}

void store_free(td_store *s)
{
	for (size_t i = 0; i < s->n; i++) {
		cJSON_Delete(s->t[i].doc);
		free(s->t[i].file);
	}
	free(s->t);
	for (int l = 0; l < L_COUNT; l++)
		cJSON_Delete(s->lists[l].items);
	free(s->dir);
	pthread_rwlock_destroy(&s->lock);
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

static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t w = write(fd, buf, len);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -1;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

int store_write(const td_ticket *t, const cJSON *doc, char *err, size_t errlen)
{
	char *text = json_print(doc, true);
	size_t n = strlen(t->file) + 32;
	char *tmp = malloc(n);
	if (!text || !tmp) {
		free(text);
		free(tmp);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	snprintf(tmp, n, "%s.tmp.%ld", t->file, (long)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	int rc = -1;
	if (fd >= 0 && write_all(fd, text, strlen(text)) == 0 && write_all(fd, "\n", 1) == 0 &&
	    fsync(fd) == 0) {
		close(fd);
		fd = -1;
		rc = rename(tmp, t->file);
	}
	if (rc)
		snprintf(err, errlen, "%s: %s", t->file, strerror(errno));
	if (fd >= 0)
		close(fd);
	if (rc)
		unlink(tmp);
	free(tmp);
	free(text);
	return rc;
}

/* ticketlist.c — the Ticket archive query and its answer (ticketlist.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include "ticketed/date.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/num.h"
#include "ticketed/ticketlist.h"
#include "ticketed/xalloc.h"

void tlist_query_init(tlist_query *q)
{
	q->mine = false;
	q->status_id = q->base_status = q->category_id = -1;
	q->search = NULL;
}

char *tlist_quote(const char *s)
{
	size_t n = strlen(s), o = 0;
	char *out = xmalloc(2 * n + 3);
	out[o++] = '\'';
	for (; *s; s++) {
		if (*s == '\'' || *s == '\\')
			out[o++] = '\\';
		out[o++] = *s;
	}
	out[o++] = '\'';
	out[o] = '\0';
	return out;
}

/* Append " and " (unless first) and TERM (taken) to *F. */
static void add_term(char **f, char *term)
{
	char *j = **f ? xstr_join(*f, " and ", term) : xstrdup(term);
	free(*f);
	free(term);
	*f = j;
}

/* "COLUMN eq V" */
static char *eq(const char *column, long v)
{
	char buf[96];
	snprintf(buf, sizeof buf, "%s eq %ld", column, v);
	return xstrdup(buf);
}

char *tlist_filter(const tlist_query *q)
{
	char *f = xstrdup("");
	if (q->mine)
		add_term(&f, xstrdup("ownedBy currentAssociate"));
	if (q->status_id >= 0)
		add_term(&f, eq("ticketStatusName", q->status_id));
	if (q->base_status >= 0)
		add_term(&f, eq("status", q->base_status));
	if (q->category_id >= 0)
		add_term(&f, eq("categoryFullName", q->category_id));
	if (q->search) {
		char *words = xstrdup(q->search), *save = NULL;
		for (char *w = strtok_r(words, " \t", &save); w; w = strtok_r(NULL, " \t", &save)) {
			char *lit = tlist_quote(w), *term;
			long id;
			size_t n = strlen(lit) + 64;
			term = xmalloc(n);
			if (num_id(w, &id, NULL) == 0)  /* a number: that ticket, or a title with it */
				snprintf(term, n, "(ticketId eq %ld or title contains %s)", id, lit);
			else
				snprintf(term, n, "title contains %s", lit);
			free(lit);
			add_term(&f, term);
		}
		free(words);
	}
	return f;
}

/* A string member of R as a new string ("" when absent; a number printed). */
static char *member(const cJSON *r, const char *name)
{
	const cJSON *m = json_get_ci(r, name);
	char buf[32];
	if (cJSON_IsString(m))
		return xstrdup(m->valuestring);
	if (cJSON_IsNumber(m)) {
		snprintf(buf, sizeof buf, "%.0f", m->valuedouble);
		return xstrdup(buf);
	}
	return xstrdup("");
}

int tlist_rows(const cJSON *answer, tlist_row **rows, size_t *n, bool *more, char *err, size_t errlen)
{
	const cJSON *value = cJSON_IsObject(answer) ? json_get(answer, "value") : NULL, *r;
	const cJSON *next = cJSON_IsObject(answer) ? json_get(answer, "odata.nextLink") : NULL;
	*more = cJSON_IsString(next) && next->valuestring[0];
	if (!cJSON_IsArray(value)) {
		seterr(err, errlen, "the service did not send a ticket list (no \"value\" array)");
		return -1;
	}
	cJSON_ArrayForEach(r, value) {
		const cJSON *id = json_get_ci(r, "ticketId");
		tlist_row *t;
		if (!id)
			id = json_get_ci(r, "PrimaryKey");
		if (!json_is_int32(id) || id->valuedouble < 1)
			continue;
		*rows = xreallocarray(*rows, *n + 1, sizeof **rows);
		t = &(*rows)[(*n)++];
		t->id = (long)id->valuedouble;
		t->title = member(r, "title");
		t->status = member(r, "ticketStatusName");
		t->priority = member(r, "priorityName");
		t->owner = member(r, "ownedBy");
		t->deadline = member(r, "deadline");
		t->changed = member(r, "lastChanged");
	}
	return 0;
}

void tlist_rows_free(tlist_row *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].title);
		free(rows[i].status);
		free(rows[i].priority);
		free(rows[i].owner);
		free(rows[i].deadline);
		free(rows[i].changed);
	}
	free(rows);
}

void tlist_date(const char *s, int naive_offset_min, char *buf, size_t n)
{
	tdate d;
	char err[64];
	struct tm tm;
	time_t t;
	buf[0] = '\0';
	if (!s || date_read(s, naive_offset_min, &d, err, sizeof err) < 0 || d.empty)
		return;
	t = (time_t)d.utc;
	if (!localtime_r(&t, &tm))
		return;
	strftime(buf, n, "%Y-%m-%d %H:%M", &tm);
}

long tlist_base_status(const char *name)
{
	static const char *const names[] = { "Active", "Closed", "Postponed", "Deleted", "Merged" };
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(name, names[i]))
			return (long)i + 1;
	return -1;
}

/* ---- finding an MDO item by name ---------------------------------------- */

typedef struct {
	long id[64];
	char *name[64];
	size_t n;
} matches;

static void match_add(matches *m, long id, const char *name)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->id[i] == id)
			return;
	if (m->n < sizeof m->id / sizeof m->id[0]) {
		m->id[m->n] = id;
		m->name[m->n++] = xstrdup(name);
	}
}

static void matches_free(matches *m)
{
	for (size_t i = 0; i < m->n; i++)
		free(m->name[i]);
	m->n = 0;
}

/* Case-insensitive (ASCII) substring. */
static bool contains_ci(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	for (; *hay; hay++)
		if (!strncasecmp(hay, needle, n))
			return true;
	return !*needle;
}

static const char *item_name(const cJSON *it)
{
	const cJSON *fn = json_get_ci(it, "FullName"), *nm = json_get_ci(it, "Name");
	if (cJSON_IsString(fn) && fn->valuestring[0])
		return fn->valuestring;
	return cJSON_IsString(nm) ? nm->valuestring : "";
}

/* Walk LIST (PREFIX: the parent's path): PASS 0 exact names (the full
 * path, or its last part), PASS 1 names containing NAME. */
static void find_in(const cJSON *list, const char *prefix, const char *name, int pass, matches *m, int depth)
{
	const cJSON *it;
	cJSON_ArrayForEach(it, list) {
		const cJSON *idj = json_get_ci(it, "Id"), *kids = json_get_ci(it, "ChildItems");
		const char *nm = item_name(it), *last;
		size_t pl = strlen(prefix);
		char *path;
		if (!json_is_int32(idj))
			continue;
		path = pl && strncmp(nm, prefix, pl) ? xstr_join(prefix, "/", nm) : xstrdup(nm);
		last = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
		if (pass == 0 ? (!strcasecmp(path, name) || !strcasecmp(last, name)) : contains_ci(path, name))
			match_add(m, (long)idj->valuedouble, path);
		if (cJSON_IsArray(kids) && depth < 16)
			find_in(kids, path, name, pass, m, depth + 1);
		free(path);
	}
}

int tlist_find_item(const cJSON *list, const char *name, const char *what, long *id, char *err,
                    size_t errlen)
{
	matches m = { .n = 0 };
	if (num_id(name, id, NULL) == 0)
		return 0;
	if (!*name) {
		seterr(err, errlen, "an empty %s name", what);
		return -1;
	}
	for (int pass = 0; pass < 2 && m.n == 0; pass++)
		find_in(list, "", name, pass, &m, 0);
	if (m.n == 1) {
		*id = m.id[0];
		matches_free(&m);
		return 0;
	}
	if (m.n == 0) {
		find_in(list, "", "", 1, &m, 0);  /* every item, to say what there is */
		seterr(err, errlen, "no %s \"%.60s\"; there are: ", what, name);
	} else {
		seterr(err, errlen, "%s \"%.60s\" is ambiguous: ", what, name);
	}
	for (size_t i = 0, l = strlen(err); i < m.n && l + 1 < errlen; i++, l = strlen(err))
		snprintf(err + l, errlen - l, "%s%s", i ? ", " : "", m.name[i]);
	matches_free(&m);
	return -1;
}

/* messages.c — the conversation of a ticket: GET Ticket/{id}/Messages (the
 * "TicketMessage" archive, OData-shaped), GET TicketMessage/{id} (the
 * TicketMessageEntity with its body), POST TicketMessage (a new message:
 * an internal note or a reply) and POST TicketMessage/{id}/Send.
 *
 * Where the data is: each ticket's Messages member (its summary rows,
 * TicketMessageId, CreatedAt, Slevel, Important, Author, ...; kept as text,
 * see store.c) says which messages a ticket has and in which order; the
 * bodies and the other entity members (Type, Body, HtmlBody, EmailHeader,
 * MessageId, TimeSpent, ...) come from DIR/messages/TICKETID.json (arrays of
 * objects with EjMessageId), kept here by id. A message without a stored
 * body has an empty plain Body.
 *
 * Sources (SuperOfficeDocs/superoffice-docs):
 *   docs/api/api-reference/restful/rest/Ticket/v1TicketEntity_Messages.md
 *   docs/en/api/archive-providers/reference/ticketmessage.md (the columns)
 *   docs/api/api-reference/restful/rest/TicketMessage/v1TicketMessageEntity_GetTicketMessageEntity.md
 *   docs/api/api-reference/restful/rest/TicketMessage/v1TicketMessageEntity_PostTicketMessageEntity.md
 *   docs/api/api-reference/restful/rest/TicketMessage/v1TicketMessageEntity_SendTicketMessage.md
 *   docs/en/database/tables/ej-message.md, enums/ticketmessagetype.md,
 *   enums/ticketmessagecategory.md, enums/ticketsecuritylevel.md
 *
 * Locks: a ticket's rwlock guards its Messages member (store.c); the body
 * table has its own rwlock, always taken after a ticket's, never the other
 * way round. */
#include "ticketd.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ticketed/date.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/schema.h"

#define BAD "SoArgumentException"

typedef struct {
	int id;                  /* EjMessageId (TicketMessageId in the rows) */
	int ticket;              /* TicketId of the ticket whose Messages holds it */
	cJSON *body;             /* the stored members (Type, Body, ...), or NULL */
} td_msg;

struct td_msgs {
	pthread_rwlock_t lock;
	td_msg *v;               /* sorted by id (new ids are larger: appended) */
	size_t n, cap;
	int next_id;
	char *dir;               /* DIR/messages */
};

static int nomem(td_err *e)
{
	return td_fail(e, 500, "SoInternalServerError", "out of memory");
}

/* ---- the body table --------------------------------------------------------- */

static int cmp_msg(const void *a, const void *b)
{
	const td_msg *x = a, *y = b;
	return (x->id > y->id) - (x->id < y->id);
}

static td_msg *msg_find(const struct td_msgs *ms, int id)
{
	td_msg key = { .id = id };
	return ms->n ? bsearch(&key, ms->v, ms->n, sizeof *ms->v, cmp_msg) : NULL;
}

static int msg_push(struct td_msgs *ms, int id, int ticket)
{
	if (ms->n == ms->cap) {
		size_t cap = ms->cap ? ms->cap * 2 : 256;
		td_msg *nv = realloc(ms->v, cap * sizeof *nv);
		if (!nv)
			return -1;
		ms->v = nv;
		ms->cap = cap;
	}
	ms->v[ms->n++] = (td_msg){ id, ticket, NULL };
	if (id >= ms->next_id)
		ms->next_id = id + 1;
	return 0;
}

/* The summary rows of T (a new array; NULL when out of memory or when T
 * has no Messages array). Caller holds T's lock. */
static cJSON *ticket_rows(const td_ticket *t)
{
	const cJSON *m = json_get(t->doc, "Messages");
	if (!m || !(cJSON_IsArray(m) || cJSON_IsRaw(m)))
		return NULL;
	cJSON *rows = td_raw_parse(m);
	if (rows && !cJSON_IsArray(rows)) {
		cJSON_Delete(rows);
		rows = NULL;
	}
	return rows;
}

static int row_id(const cJSON *row)
{
	const cJSON *id = json_get(row, "TicketMessageId");
	return json_is_int32(id) ? id->valueint : 0;
}

/* Index every ticket's message ids (each id in one ticket only). */
static int index_tickets(td_store *s, struct td_msgs *ms, char *err, size_t errlen)
{
	for (size_t i = 0; i < s->n; i++) {
		cJSON *rows = ticket_rows(&s->t[i]), *r;
		cJSON_ArrayForEach(r, rows) {
			int id = row_id(r);
			if (id <= 0)
				continue;  /* a row without an id cannot be asked for */
			if (msg_push(ms, id, s->t[i].id)) {
				cJSON_Delete(rows);
				return snprintf(err, errlen, "out of memory"), -1;
			}
		}
		cJSON_Delete(rows);
	}
	if (ms->n)  /* qsort wants a pointer even for no rows */
		qsort(ms->v, ms->n, sizeof *ms->v, cmp_msg);
	for (size_t i = 1; i < ms->n; i++)
		if (ms->v[i].id == ms->v[i - 1].id)
			return snprintf(err, errlen, "TicketMessageId %d is in the Messages of tickets %d and %d",
			                ms->v[i].id, ms->v[i - 1].ticket, ms->v[i].ticket), -1;
	return 0;
}

/* Members of a stored body and their JSON types ('s' string, 'i' int32, 'b' bool). */
static const struct { const char *name; char type; } body_members[] = {
	{ "Type", 's' }, { "Body", 's' }, { "HtmlBody", 's' }, { "EmailHeader", 's' }, { "MessageId", 's' },
	{ "TimeSpent", 'i' }, { "DebugInfo", 's' }, { "MailSorter", 's' }, { "MessageCategory", 's' },
	{ "Language", 's' },
};

static bool type_ok(const cJSON *v, char type)
{
	return type == 's' ? cJSON_IsString(v) : type == 'i' ? json_is_int32(v) : cJSON_IsBool(v);
}

/* One DIR/messages file: an array of bodies, each naming its EjMessageId. */
static int load_bodies(struct td_msgs *ms, const char *path, char *err, size_t errlen)
{
	cJSON *j = json_parse_file(path, err, errlen), *b;
	if (!j)
		return -1;
	if (!cJSON_IsArray(j)) {
		cJSON_Delete(j);
		return snprintf(err, errlen, "%s: expected an array of message bodies", path), -1;
	}
	int k = 0;
	while ((b = cJSON_DetachItemFromArray(j, 0))) {
		k++;
		const cJSON *id = json_get(b, "EjMessageId");
		td_msg *m = cJSON_IsObject(b) && json_is_int32(id) ? msg_find(ms, id->valueint) : NULL;
		for (size_t i = 0; m && i < sizeof body_members / sizeof *body_members; i++) {
			const cJSON *v = json_get(b, body_members[i].name);
			if (v && !type_ok(v, body_members[i].type)) {
				snprintf(err, errlen, "%s: body %d (message %d): %s has the wrong type", path, k, id->valueint,
				         body_members[i].name);
				cJSON_Delete(b);
				cJSON_Delete(j);
				return -1;
			}
		}
		if (!m) {
			/* a body for no message (its POST's ticket write failed): not served */
			if (!cJSON_IsObject(b) || !json_is_int32(id)) {
				snprintf(err, errlen, "%s: body %d is not an object with an integer EjMessageId", path, k);
				cJSON_Delete(b);
				cJSON_Delete(j);
				return -1;
			}
			fprintf(stderr, "ticketd: %s: message %d is in no ticket's Messages; ignored\n", path, id->valueint);
			cJSON_Delete(b);
			continue;
		}
		cJSON_Delete(m->body);
		m->body = b;
	}
	cJSON_Delete(j);
	return 0;
}

int msgs_load(td_store *s, char *err, size_t errlen)
{
	struct td_msgs *ms = calloc(1, sizeof *ms);
	if (!ms || !(ms->dir = str_join(s->dir, "/", "messages"))) {
		free(ms);
		return snprintf(err, errlen, "out of memory"), -1;
	}
	pthread_rwlock_init(&ms->lock, NULL);
	ms->next_id = 1;
	s->msgs = ms;
	if (index_tickets(s, ms, err, errlen))
		return -1;
	DIR *d = opendir(ms->dir);
	if (!d)
		return 0;  /* no bodies: every message has an empty one */
	struct dirent *e;
	int rc = 0;
	while (rc == 0 && (e = readdir(d))) {
		size_t len = strlen(e->d_name);
		if (e->d_name[0] == '.' || len < 6 || strcmp(e->d_name + len - 5, ".json"))
			continue;
		char *p = str_join(ms->dir, "/", e->d_name);
		rc = p ? load_bodies(ms, p, err, errlen) : (snprintf(err, errlen, "out of memory"), -1);
		free(p);
	}
	closedir(d);
	return rc;
}

void msgs_free(td_store *s)
{
	struct td_msgs *ms = s->msgs;
	if (!ms)
		return;
	for (size_t i = 0; i < ms->n; i++)
		cJSON_Delete(ms->v[i].body);
	free(ms->v);
	free(ms->dir);
	pthread_rwlock_destroy(&ms->lock);
	free(ms);
	s->msgs = NULL;
}

/* A copy of message ID's stored body (an empty object when it has none) and
 * its ticket in *TICKET; NULL when there is no such message (or no memory:
 * *TICKET is then -1). */
static cJSON *body_copy(struct td_msgs *ms, int id, int *ticket)
{
	pthread_rwlock_rdlock(&ms->lock);
	td_msg *m = msg_find(ms, id);
	cJSON *b = NULL;
	*ticket = 0;
	if (m) {
		b = m->body ? cJSON_Duplicate(m->body, true) : cJSON_CreateObject();
		*ticket = b ? m->ticket : -1;
	}
	pthread_rwlock_unlock(&ms->lock);
	return b;
}

/* ---- writing a messages file (--persist) --------------------------------------- */

/* PATH replaced by TEXT atomically: a new file beside it (mkostemp:
 * O_EXCL, never a planted symlink), 0644 or the old file's bits, fsync,
 * rename, fsync of the directory; as store_write does for tickets. */
static int write_atomic(const char *dir, const char *path, const char *text, char *err, size_t errlen)
{
	char *tmp = str_join(path, ".tmp.", "XXXXXX");
	int fd = -1, rc = -1;
	if (!tmp)
		return snprintf(err, errlen, "out of memory"), -1;
	if (mkdir(dir, 0755) && errno != EEXIST)
		goto fail;
	if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0)
		goto fail;
	struct stat st;
	mode_t mode = stat(path, &st) == 0 ? st.st_mode & 07777 : 0644;
	if (fchmod(fd, mode) || json_write_all(fd, text, strlen(text)) || json_write_all(fd, "\n", 1) || fsync(fd))
		goto fail;
	int c = close(fd);
	fd = -1;
	if (c || rename(tmp, path))
		goto fail;
	rc = 0;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd))
		fprintf(stderr, "ticketd: %s: fsync of its directory: %s\n", path, strerror(errno));
	if (dfd >= 0)
		close(dfd);
	free(tmp);
	return 0;
fail:
	snprintf(err, errlen, "%s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	return rc;
}

/* Write DIR/messages/TICKET.json: every stored body of TICKET plus NEWBODY
 * (not in the table yet). Caller holds the table's lock. */
static int persist_bodies(struct td_msgs *ms, int ticket, const cJSON *newbody, char *err, size_t errlen)
{
	cJSON *arr = cJSON_CreateArray();
	for (size_t i = 0; arr && i < ms->n; i++)
		if (ms->v[i].ticket == ticket && ms->v[i].body)
			cJSON_AddItemToArray(arr, cJSON_Duplicate(ms->v[i].body, true));
	if (arr)
		cJSON_AddItemToArray(arr, cJSON_Duplicate(newbody, true));
	char *text = arr ? json_print(arr, true) : NULL, name[32];
	cJSON_Delete(arr);
	snprintf(name, sizeof name, "%d.json", ticket);
	char *path = str_join(ms->dir, "/", name);
	int rc = text && path ? write_atomic(ms->dir, path, text, err, errlen)
	                      : (snprintf(err, errlen, "out of memory"), -1);
	free(text);
	free(path);
	return rc;
}

/* ---- the query ---------------------------------------------------------------- */

/* The decoded value of parameter NAME in QUERY (case-sensitive name, '+'
 * is a blank), malloc'd; NULL when absent. *NOMEM on allocation failure. */
static char *query_param(const char *query, const char *name, bool *nomem)
{
	size_t want = strlen(name);
	while (query && *query) {
		size_t n = strcspn(query, "&"), kn = strcspn(query, "=&"), klen, vlen;
		char *key = td_pct_decode(query, kn, true, &klen);
		if (!key)
			return *nomem = true, NULL;
		bool hit = klen == want && !memcmp(key, name, want);
		free(key);
		if (hit) {
			char *v = kn < n ? td_pct_decode(query + kn + 1, n - kn - 1, true, &vlen) : strdup("");
			if (!v)
				*nomem = true;
			(void)vlen;  /* a NUL in the value ends it */
			return v;
		}
		query += n;
		if (*query == '&')
			query++;
	}
	return NULL;
}

static char *trim(char *s)
{
	while (*s == ' ')
		s++;
	size_t n = strlen(s);
	while (n && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

/* A whole number 0..INT32_MAX from parameter NAME; DEF when absent. */
static int query_count(const char *query, const char *name, long def, long *out, td_err *e)
{
	bool oom = false;
	char *v = query_param(query, name, &oom);
	if (oom)
		return nomem(e);
	*out = def;
	if (!v)
		return 0;
	long n;
	int rc = td_parse_long(trim(v), 0, 2147483647L, &n);
	if (rc == 0)
		*out = n;
	else
		td_fail(e, 400, BAD, "%s must be a whole number 0..2147483647", name);
	free(v);
	return rc ? -1 : 0;
}

/* ---- the archive: GET Ticket/{id}/Messages ------------------------------------ */

/* The columns ticketd serves (names as in the archive provider's list; the
 * ticket/... columns of the provider are not served). */
enum { C_ID, C_TICKET, C_TITLE, C_HEADER, C_AUTHOR, C_CREATED, C_BODY, C_HTML, C_MSGID, C_DEBUG,
       C_IMPORTANT, C_SLEVEL, C_COUNT };
static const char *const col_names[C_COUNT] = {
	"ticketMessageId", "ticketId", "searchTitle", "header", "author", "createdAt", "body", "htmlBody",
	"messageId", "debugInfo", "important", "slevel",
};
/* The columns of an answer without $select. */
static const int default_cols[] = { C_ID, C_CREATED, C_AUTHOR, C_SLEVEL, C_IMPORTANT };

static int col_find(const char *name)
{
	for (int c = 0; c < C_COUNT; c++)
		if (!strcasecmp(col_names[c], name))
			return c;
	return -1;
}

static void col_list(char *buf, size_t n)
{
	size_t l = 0;
	buf[0] = '\0';
	for (int c = 0; c < C_COUNT && l + 1 < n; c++)
		l += (size_t)snprintf(buf + l, n - l, "%s%s", c ? ", " : "", col_names[c]);
}

typedef struct {
	int cols[C_COUNT];
	int ncols;
	int order[C_COUNT];
	bool desc[C_COUNT];
	int norder;
} archive_q;

static int parse_select(const char *query, archive_q *q, td_err *e)
{
	bool oom = false;
	char *v = query_param(query, "$select", &oom), *save = NULL;
	if (oom)
		return nomem(e);
	if (!v || !*trim(v)) {
		memcpy(q->cols, default_cols, sizeof default_cols);
		q->ncols = (int)(sizeof default_cols / sizeof *default_cols);
		free(v);
		return 0;
	}
	for (char *tok = strtok_r(v, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		char *name = trim(tok), list[300];
		int c = col_find(name);
		if (!*name)
			continue;
		if (c < 0) {
			char *shown = td_escape(name, strlen(name) > 64 ? 64 : strlen(name), NULL);
			col_list(list, sizeof list);
			td_fail(e, 400, BAD, "$select: ticketd's TicketMessage archive has no column '%s' (it serves %s)",
			     shown ? shown : "?", list);
			free(shown);
			free(v);
			return -1;
		}
		bool dup = false;
		for (int i = 0; i < q->ncols; i++)
			dup |= q->cols[i] == c;
		if (!dup)
			q->cols[q->ncols++] = c;
	}
	free(v);
	return 0;
}

static int parse_order(const char *query, archive_q *q, td_err *e)
{
	bool oom = false;
	char *v = query_param(query, "$orderBy", &oom), *save = NULL;
	if (!v && !oom)
		v = query_param(query, "$orderby", &oom);
	if (oom)
		return nomem(e);
	for (char *tok = v ? strtok_r(v, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
		char *item = trim(tok), *sp = strchr(item, ' ');
		bool desc = false;
		if (!*item)
			continue;
		if (sp) {
			*sp = '\0';
			char *dir = trim(sp + 1);
			if (!strcasecmp(dir, "desc"))
				desc = true;
			else if (strcasecmp(dir, "asc")) {
				char *shown = td_escape(dir, strlen(dir) > 32 ? 32 : strlen(dir), NULL);
				td_fail(e, 400, BAD, "$orderBy: '%s' is neither asc nor desc", shown ? shown : "?");
				free(shown);
				free(v);
				return -1;
			}
		}
		int c = col_find(item);
		if (c < 0 || c == C_BODY || c == C_HTML || c == C_DEBUG) {
			char *shown = td_escape(item, strlen(item) > 64 ? 64 : strlen(item), NULL);
			td_fail(e, 400, BAD, "$orderBy: cannot sort by '%s'", shown ? shown : "?");
			free(shown);
			free(v);
			return -1;
		}
		if (q->norder < C_COUNT) {
			q->order[q->norder] = c;
			q->desc[q->norder++] = desc;
		}
	}
	free(v);
	return 0;
}

/* A row being sorted: its summary row and the values it sorts by. */
typedef struct {
	const cJSON *row;
	size_t pos;              /* place in Messages: ties keep it */
	int64_t t;               /* createdAt in 100 ns units */
} arow;

static const archive_q *sort_q;  /* qsort has no context argument */

static const char *row_str(const cJSON *row, const char *name)
{
	const cJSON *v = json_get(row, name);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static int cmp_col(const arow *a, const arow *b, int c)
{
	switch (c) {
	case C_ID: return (row_id(a->row) > row_id(b->row)) - (row_id(a->row) < row_id(b->row));
	case C_CREATED: return (a->t > b->t) - (a->t < b->t);
	case C_AUTHOR: return strcmp(row_str(a->row, "Author"), row_str(b->row, "Author"));
	case C_SLEVEL: return strcmp(row_str(a->row, "Slevel"), row_str(b->row, "Slevel"));
	case C_IMPORTANT:
		return cJSON_IsTrue(json_get(a->row, "Important")) - cJSON_IsTrue(json_get(b->row, "Important"));
	default: return 0;  /* the same for every row of one ticket */
	}
}

static int cmp_arow(const void *x, const void *y)
{
	const arow *a = x, *b = y;
	for (int i = 0; i < sort_q->norder; i++) {
		int c = cmp_col(a, b, sort_q->order[i]);
		if (c)
			return sort_q->desc[i] ? -c : c;
	}
	return (a->pos > b->pos) - (a->pos < b->pos);
}

static pthread_mutex_t sort_lock = PTHREAD_MUTEX_INITIALIZER;

static int64_t row_time(const cJSON *row)
{
	tdate d;
	char err[64];
	const char *s = row_str(row, "CreatedAt");
	if (date_parse(s, 0, &d, err, sizeof err) || d.empty)
		return INT64_MIN;
	return d.utc * 10000000 + d.frac;
}

/* VALUE restyled as a date in style D (a one-member object through
 * ticket_dates, which knows the date members). */
static cJSON *date_value(const char *value, td_dates d)
{
	cJSON *w = cJSON_CreateObject();
	if (!w || !cJSON_AddStringToObject(w, "CreatedAt", value)) {
		cJSON_Delete(w);
		return NULL;
	}
	ticket_dates(w, d);
	cJSON *v = cJSON_DetachItemFromObject(w, "CreatedAt");
	cJSON_Delete(w);
	return v;
}

/* A body member as a string ("" when the body has none). */
static const char *body_str(const cJSON *body, const char *name)
{
	const cJSON *v = json_get(body, name);
	return cJSON_IsString(v) ? v->valuestring : "";
}

/* Column C of ROW (ticket T, its stored BODY) as a new value. */
static cJSON *col_value(int c, const cJSON *row, const td_ticket *t, const cJSON *body, td_dates d)
{
	switch (c) {
	case C_ID: return cJSON_CreateNumber(row_id(row));
	case C_TICKET: return cJSON_CreateNumber(t->id);
	case C_TITLE: return cJSON_CreateString(cJSON_IsString(json_get(t->doc, "Title"))
	                                        ? json_get(t->doc, "Title")->valuestring : "");
	case C_HEADER: return cJSON_CreateString(body_str(body, "EmailHeader"));
	case C_AUTHOR: return cJSON_CreateString(row_str(row, "Author"));
	case C_CREATED: return date_value(row_str(row, "CreatedAt"), d);
	case C_BODY: return cJSON_CreateString(body_str(body, "Body"));
	case C_HTML: return cJSON_CreateString(body_str(body, "HtmlBody"));
	case C_MSGID: return cJSON_CreateString(body_str(body, "MessageId"));
	case C_DEBUG: return cJSON_CreateString(body_str(body, "DebugInfo"));
	case C_IMPORTANT: return cJSON_CreateBool(cJSON_IsTrue(json_get(row, "Important")));
	case C_SLEVEL: return cJSON_CreateString(row_str(row, "Slevel"));
	}
	return cJSON_CreateNull();
}

static bool needs_body(const archive_q *q)
{
	for (int i = 0; i < q->ncols; i++)
		if (q->cols[i] == C_HEADER || q->cols[i] == C_BODY || q->cols[i] == C_HTML || q->cols[i] == C_MSGID ||
		    q->cols[i] == C_DEBUG)
			return true;
	return false;
}

/* The nextLink: this call again for the rows after SKIP, its query
 * rebuilt from what was understood (so no client bytes are echoed). */
static char *next_link(const char *host, int id, const archive_q *q, long top, long skip)
{
	char buf[1024];
	size_t l = (size_t)snprintf(buf, sizeof buf, "http://%s/api/v1/Ticket/%d/Messages?$select=", host, id);
	for (int i = 0; i < q->ncols && l < sizeof buf; i++)
		l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%s", i ? "," : "", col_names[q->cols[i]]);
	for (int i = 0; i < q->norder && l < sizeof buf; i++)
		l += (size_t)snprintf(buf + l, sizeof buf - l, "%s%s%%20%s", i ? "," : "&$orderBy=",
		                      col_names[q->order[i]], q->desc[i] ? "desc" : "asc");
	if (l < sizeof buf && top >= 0)
		l += (size_t)snprintf(buf + l, sizeof buf - l, "&$top=%ld", top);
	if (l < sizeof buf)
		snprintf(buf + l, sizeof buf - l, "&$skip=%ld", skip);
	return strdup(buf);
}

static int get_archive(td_server *sv, int id, const char *query, const char *host, char **out, td_err *e)
{
	td_store *s = &sv->store;
	archive_q q = { 0 };
	long top, skip;
	bool oom = false;
	char *filter = query_param(query, "$filter", &oom);
	if (oom)
		return nomem(e);
	if (filter) {
		free(filter);
		return td_fail(e, 400, BAD, "$filter: ticketd's TicketMessage archive does not filter; use $orderBy, $top "
		            "and $skip");
	}
	if (parse_select(query, &q, e) || parse_order(query, &q, e) || query_count(query, "$top", -1, &top, e) ||
	    query_count(query, "$skip", 0, &skip, e))
		return -1;
	td_ticket *t = store_find(s, id);
	if (!t)
		return td_fail(e, 404, "SoNotFoundException", "Ticket id %d not found", id);
	pthread_rwlock_rdlock(&t->lock);
	cJSON *rows = ticket_rows(t), *r;
	size_t n = (size_t)cJSON_GetArraySize(rows), k = 0;
	arow *v = calloc(n ? n : 1, sizeof *v);
	cJSON *ans = cJSON_CreateObject(), *val = NULL;
	if (!v || !ans)
		goto nomem;
	cJSON_ArrayForEach(r, rows) {
		v[k].row = r;
		v[k].pos = k;
		v[k].t = row_time(r);
		k++;
	}
	if (q.norder) {
		pthread_mutex_lock(&sort_lock);
		sort_q = &q;
		if (n)
			qsort(v, n, sizeof *v, cmp_arow);
		pthread_mutex_unlock(&sort_lock);
	}
	size_t from = (size_t)skip < n ? (size_t)skip : n;
	size_t to = top < 0 || (size_t)top > n - from ? n : from + (size_t)top;
	char meta[300];
	snprintf(meta, sizeof meta, "http://%s/api/v1/$metadata#TicketMessage", host);
	if (!cJSON_AddStringToObject(ans, "odata.metadata", meta))
		goto nomem;
	if (to < n && top != 0) {  /* $top=0 asks for no rows: no next page either */
		char *link = next_link(host, id, &q, top, (long)to);
		if (!link || !cJSON_AddStringToObject(ans, "odata.nextLink", link)) {
			free(link);
			goto nomem;
		}
		free(link);
	}
	if (!(val = cJSON_AddArrayToObject(ans, "value")))
		goto nomem;
	bool bodies = needs_body(&q);
	for (size_t i = from; i < to; i++) {
		cJSON *o = cJSON_CreateObject(), *body = NULL;
		int tk;
		if (!o)
			goto nomem;
		cJSON_AddItemToArray(val, o);
		if (bodies && !(body = body_copy(s->msgs, row_id(v[i].row), &tk)) && tk < 0)
			goto nomem;
		bool good = cJSON_AddNumberToObject(o, "PrimaryKey", row_id(v[i].row)) &&
		            cJSON_AddStringToObject(o, "EntityName", "ticketmessage");
		for (int c = 0; good && c < q.ncols; c++) {
			cJSON *cv = col_value(q.cols[c], v[i].row, t, body, s->dates);
			good = cv != NULL;
			if (cv)
				cJSON_AddItemToObject(o, col_names[q.cols[c]], cv);
		}
		cJSON_Delete(body);
		if (!good)
			goto nomem;
	}
	pthread_rwlock_unlock(&t->lock);
	free(v);
	cJSON_Delete(rows);
	*out = json_print(ans, false);
	cJSON_Delete(ans);
	return *out ? 200 : nomem(e);
nomem:
	pthread_rwlock_unlock(&t->lock);
	free(v);
	cJSON_Delete(rows);
	cJSON_Delete(ans);
	return nomem(e);
}

/* ---- the entity: GET TicketMessage/{id} ------------------------------------- */

/* The row of message ID in T's Messages (a new tree) or NULL. Caller holds
 * T's lock. */
static cJSON *find_row(const td_ticket *t, int id)
{
	const cJSON *m = json_get(t->doc, "Messages");
	if (cJSON_IsArray(m)) {
		const cJSON *r;
		cJSON_ArrayForEach(r, m)
			if (row_id(r) == id)
				return cJSON_Duplicate(r, true);
		return NULL;
	}
	if (!cJSON_IsRaw(m) || !m->valuestring)
		return NULL;
	const char *txt = m->valuestring;
	size_t len = strlen(txt), it = 0, st, en;
	char want[24];
	int wl = snprintf(want, sizeof want, "%d", id);
	while (json_array_next(txt, len, &it, &st, &en)) {
		/* parse only the elements that hold the id's digits */
		const char *p = txt + st;
		bool maybe = false;
		while (!maybe && (p = memmem(p, (size_t)(txt + en - p), want, (size_t)wl)))
			maybe = true;
		if (!maybe)
			continue;
		char err[64];
		cJSON *r = json_parse(txt + st, en - st, "message", err, sizeof err);
		if (r && row_id(r) == id)
			return r;
		cJSON_Delete(r);
	}
	return NULL;
}

/* The associate who wrote a row: CreatedBy is an ejuser id. */
static cJSON *creator(const td_store *s, const cJSON *row)
{
	const cJSON *cb = json_get(row, "CreatedBy"), *it;
	int ej = json_is_int32(cb) ? cb->valueint : 1;
	cJSON_ArrayForEach(it, s->lists[L_ASSOC].items) {
		const cJSON *e = json_get(it, "EjUserId");
		if (json_is_int32(e) && e->valueint == ej)
			return list_entity(it);
	}
	const cJSON *a = store_list_item(s, L_ASSOC, 1);
	return a ? list_entity(a) : cJSON_CreateNull();
}

/* The person a row names (the ticket's Person or one of its
 * SecondaryPersons with that PersonId), else null. */
static cJSON *row_person(const td_ticket *t, const cJSON *row)
{
	const cJSON *pid = json_get(row, "PersonId"), *p = json_get(t->doc, "Person"), *sp;
	if (!json_is_int32(pid) || pid->valueint <= 0)
		return cJSON_CreateNull();
	const cJSON *id = json_get(p, "PersonId");
	if (json_is_int32(id) && id->valueint == pid->valueint)
		return cJSON_Duplicate(p, true);
	cJSON_ArrayForEach(sp, json_get(t->doc, "SecondaryPersons")) {
		id = json_get(sp, "PersonId");
		if (json_is_int32(id) && id->valueint == pid->valueint)
			return cJSON_Duplicate(sp, true);
	}
	return cJSON_CreateNull();
}

static int ref_id(const cJSON *doc, const char *member, const char *key)
{
	const cJSON *v = json_get(json_get(doc, member), key);
	return json_is_int32(v) ? v->valueint : 0;
}

static const char *ref_name(const cJSON *doc, const char *member, const char *key)
{
	const cJSON *v = json_get(json_get(doc, member), key);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void copy_member(cJSON *to, const cJSON *from, const char *name)
{
	const cJSON *v = json_get(from, name);
	cJSON_AddItemToObject(to, name, v ? cJSON_Duplicate(v, true) : cJSON_CreateNull());
}

/* The "Ticket" member of a message: the ticket's summary carrier (ids for
 * its references, as the docs' sample shows). */
static cJSON *ticket_summary(const td_ticket *t, td_dates d)
{
	cJSON *o = cJSON_CreateObject();
	if (!o)
		return NULL;
	const cJSON *doc = t->doc;
	copy_member(o, doc, "TicketId");
	copy_member(o, doc, "Title");
	copy_member(o, doc, "CreatedAt");
	copy_member(o, doc, "LastChanged");
	copy_member(o, doc, "Deadline");
	cJSON_AddNumberToObject(o, "CreatedBy", ref_id(doc, "CreatedBy", "AssociateId"));
	cJSON_AddStringToObject(o, "CreatedByName", ref_name(doc, "CreatedBy", "FullName"));
	copy_member(o, doc, "Author");
	cJSON_AddNumberToObject(o, "OwnedBy", ref_id(doc, "OwnedBy", "AssociateId"));
	cJSON_AddStringToObject(o, "OwnedByName", ref_name(doc, "OwnedBy", "FullName"));
	cJSON_AddNumberToObject(o, "Category", ref_id(doc, "Category", "TicketCategoryId"));
	cJSON_AddStringToObject(o, "CategoryName", ref_name(doc, "Category", "Name"));
	cJSON_AddStringToObject(o, "CategoryFullname", ref_name(doc, "Category", "Fullname"));
	copy_member(o, doc, "Slevel");
	cJSON_AddNumberToObject(o, "Priority", ref_id(doc, "Priority", "TicketPriorityId"));
	copy_member(o, doc, "BaseStatus");
	cJSON_AddNumberToObject(o, "TicketStatus", ref_id(doc, "Status", "TicketStatusId"));
	cJSON_AddStringToObject(o, "TicketStatusDisplayValue", ref_name(doc, "Status", "Name"));
	copy_member(o, doc, "NumReplies");
	copy_member(o, doc, "NumMessages");
	copy_member(o, doc, "FromAddress");
	ticket_dates(o, d);
	return o;
}

/* The TicketMessageEntity of ROW in ticket T with its stored BODY (taken). */
static cJSON *entity(const td_store *s, const td_ticket *t, const cJSON *row, cJSON *body, const char *host)
{
	cJSON *o = cJSON_CreateObject();
	if (!o) {
		cJSON_Delete(body);
		return NULL;
	}
	int id = row_id(row);
	const char *html = body_str(body, "HtmlBody"), *type = body_str(body, "Type");
	cJSON_AddNumberToObject(o, "EjMessageId", id);
	cJSON_AddItemToObject(o, "Ticket", ticket_summary(t, s->dates));
	copy_member(o, row, "CreatedAt");
	cJSON_AddItemToObject(o, "CreatedBy", creator(s, row));
	copy_member(o, row, "Author");
	copy_member(o, row, "Slevel");
	cJSON_AddStringToObject(o, "Type", *type ? type : *html ? "Html" : "Plain");
	cJSON_AddStringToObject(o, "MessageId", body_str(body, "MessageId"));
	const cJSON *ts = json_get(body, "TimeSpent");
	cJSON_AddNumberToObject(o, "TimeSpent", json_is_int32(ts) ? ts->valueint : 0);
	cJSON_AddStringToObject(o, "Body", body_str(body, "Body"));
	cJSON_AddStringToObject(o, "HtmlBody", html);
	cJSON_AddStringToObject(o, "EmailHeader", body_str(body, "EmailHeader"));
	cJSON_AddStringToObject(o, "DebugInfo", body_str(body, "DebugInfo"));
	cJSON_AddStringToObject(o, "MailSorter", body_str(body, "MailSorter"));
	const char *cat = body_str(body, "MessageCategory");
	cJSON_AddStringToObject(o, "MessageCategory", *cat ? cat : "Message");
	cJSON_AddItemToObject(o, "Person", row_person(t, row));
	const cJSON *title = json_get(t->doc, "Title");
	cJSON_AddStringToObject(o, "SearchTitle", cJSON_IsString(title) ? title->valuestring : "");
	cJSON_AddBoolToObject(o, "Important", cJSON_IsTrue(json_get(row, "Important")));
	copy_member(o, row, "Language");
	copy_member(o, row, "Sentiment");
	copy_member(o, row, "SentimentConfidence");
	copy_member(o, row, "Badge");
	copy_member(o, row, "MessageHeaders");
	cJSON_AddItemToObject(o, "AttachmentsInfo", cJSON_CreateArray());
	cJSON_AddItemToObject(o, "ExtraFields", cJSON_CreateObject());
	cJSON_AddItemToObject(o, "CustomFields", cJSON_CreateObject());
	cJSON *tr = cJSON_AddObjectToObject(o, "TableRight");
	cJSON_AddStringToObject(tr, "Mask", "FULL");
	cJSON_AddStringToObject(tr, "Reason", "");
	cJSON_AddItemToObject(o, "FieldProperties", cJSON_CreateObject());
	char self[300], archive[300];
	snprintf(self, sizeof self, "http://%s/api/v1/TicketMessage/%d", host, id);
	snprintf(archive, sizeof archive, "http://%s/api/v1/Ticket/%d/Messages", host, t->id);
	cJSON *l = cJSON_AddObjectToObject(o, "_Links");
	cJSON_AddStringToObject(l, "Self", self);
	cJSON_AddStringToObject(l, "Archive", archive);
	cJSON_Delete(body);
	ticket_dates(o, s->dates);
	return o;
}

/* The entity of message ID as JSON text in *OUT. */
static int get_message(td_server *sv, int id, const char *host, char **out, td_err *e)
{
	td_store *s = &sv->store;
	int tid;
	cJSON *body = body_copy(s->msgs, id, &tid);
	if (!body)
		return tid < 0 ? nomem(e) : td_fail(e, 404, "SoNotFoundException", "TicketMessage id %d not found", id);
	td_ticket *t = store_find(s, tid);
	if (!t) {
		cJSON_Delete(body);
		return td_fail(e, 404, "SoNotFoundException", "TicketMessage id %d not found", id);
	}
	pthread_rwlock_rdlock(&t->lock);
	cJSON *row = find_row(t, id), *ent = row ? entity(s, t, row, body, host) : NULL;
	pthread_rwlock_unlock(&t->lock);
	if (!row)
		cJSON_Delete(body);
	cJSON_Delete(row);
	if (!row)
		return td_fail(e, 404, "SoNotFoundException", "TicketMessage id %d not found", id);
	*out = ent ? json_print(ent, false) : NULL;
	cJSON_Delete(ent);
	return *out ? 200 : nomem(e);
}

/* ---- a new message: POST TicketMessage ------------------------------------------ */

/* A member of the request body that must have JSON type TYPE when present. */
static int typed(const cJSON *obj, const char *name, char type, const cJSON **out, td_err *e)
{
	const cJSON *v = json_get_ci(obj, name);
	*out = v && !cJSON_IsNull(v) ? v : NULL;
	if (*out && !type_ok(*out, type))
		return td_fail(e, 400, BAD, "TicketMessageEntity.%s must be %s", name,
		            type == 's' ? "a string" : type == 'i' ? "an int32 number" : "true or false");
	return 0;
}

/* An enum member given as its name (case-insensitive) or number; *OUT the
 * canonical name, DEF when absent. */
static int enum_member(const cJSON *obj, const char *name, const char *const *names, int count, const char *def,
                       const char **out, td_err *e)
{
	const cJSON *v = json_get_ci(obj, name);
	*out = def;
	if (!v || cJSON_IsNull(v))
		return 0;
	for (int i = 0; i < count; i++)
		if ((cJSON_IsString(v) && !strcasecmp(v->valuestring, names[i])) ||
		    (json_is_int32(v) && v->valueint == i))
			return *out = names[i], 0;
	char list[200];
	size_t l = 0;
	for (int i = 0; i < count; i++)
		l += (size_t)snprintf(list + l, sizeof list - l, "%s%s", i ? ", " : "", names[i]);
	return td_fail(e, 400, BAD, "TicketMessageEntity.%s must be one of %s", name, list);
}

/* The associate the request came from: the one whose UserName is the Basic
 * user, else associate 1 (the token says no name). */
static const cJSON *poster(const td_server *sv)
{
	const cJSON *it;
	if (sv->cfg.user)
		cJSON_ArrayForEach(it, sv->store.lists[L_ASSOC].items) {
			const cJSON *u = json_get(it, "UserName"), *n = json_get(it, "Name");
			if ((cJSON_IsString(u) && !strcasecmp(u->valuestring, sv->cfg.user)) ||
			    (cJSON_IsString(n) && !strcasecmp(n->valuestring, sv->cfg.user)))
				return it;
		}
	return store_list_item(&sv->store, L_ASSOC, 1);
}

/* The new Messages member: ROWS' text with ROW appended (kept as text, as
 * the store loads it). */
static cJSON *messages_with(const cJSON *old, const cJSON *row)
{
	char *add = json_print(row, false);
	if (!add)
		return NULL;
	cJSON *m = NULL;
	if (cJSON_IsRaw(old) && old->valuestring) {
		const char *s = old->valuestring;
		size_t n = strlen(s);
		while (n && s[n - 1] != ']')
			n--;
		bool empty = true;
		for (size_t i = 1; i + 1 < n && empty; i++)
			empty = isspace((unsigned char)s[i]);
		if (n) {
			size_t len = n - 1 + (empty ? 0 : 1) + strlen(add) + 2;
			char *text = malloc(len);
			if (text) {
				snprintf(text, len, "%.*s%s%s]", (int)(n - 1), s, empty ? "" : ",", add);
				m = cJSON_CreateRaw(text);
				free(text);
			}
		}
	} else {
		cJSON *arr = cJSON_IsArray(old) ? cJSON_Duplicate(old, true) : cJSON_CreateArray();
		cJSON *r = cJSON_Duplicate(row, true);
		if (arr && r) {
			cJSON_AddItemToArray(arr, r);
			m = arr;
		} else {
			cJSON_Delete(arr);
			cJSON_Delete(r);
		}
	}
	free(add);
	return m;
}

static int count_member(const cJSON *doc, const char *name)
{
	const cJSON *v = json_get(doc, name);
	return json_is_int32(v) ? v->valueint : 0;
}

static const char *const slevels[] = { "Unknown", "Internal", "External" };
static const char *const types[] = { "Unknown", "Plain", "Html" };
static const char *const categories[] = { "Message", "Bounce", "OutboxFailed" };

static int post_message(td_server *sv, const cJSON *req, const char *host, char **out, td_err *e)
{
	td_store *s = &sv->store;
	const cJSON *tk, *tid, *body, *html, *author, *msgid, *header, *spent, *important, *eid;
	const char *slevel, *type, *cat;
	if (!cJSON_IsObject(req))
		return td_fail(e, 400, BAD, "the request body must be a TicketMessageEntity object");
	tk = json_get_ci(req, "Ticket");
	tid = cJSON_IsObject(tk) ? json_get_ci(tk, "TicketId") : NULL;
	if (!json_is_int32(tid) || tid->valueint <= 0)
		return td_fail(e, 400, BAD, "TicketMessageEntity.Ticket.TicketId must name the ticket (a positive int32)");
	if (typed(req, "EjMessageId", 'i', &eid, e) || typed(req, "Body", 's', &body, e) ||
	    typed(req, "HtmlBody", 's', &html, e) || typed(req, "Author", 's', &author, e) ||
	    typed(req, "MessageId", 's', &msgid, e) || typed(req, "EmailHeader", 's', &header, e) ||
	    typed(req, "TimeSpent", 'i', &spent, e) || typed(req, "Important", 'b', &important, e) ||
	    enum_member(req, "Slevel", slevels, 3, "Unknown", &slevel, e) ||
	    enum_member(req, "Type", types, 3, html && *html->valuestring ? "Html" : "Plain", &type, e) ||
	    enum_member(req, "MessageCategory", categories, 3, "Message", &cat, e))
		return -1;
	if (eid && eid->valueint != 0)
		return td_fail(e, 400, BAD, "EjMessageId %d: POST creates a message; leave EjMessageId 0", eid->valueint);
	if (!strcmp(slevel, "Unknown"))
		return td_fail(e, 400, BAD, "TicketMessageEntity.Slevel must be Internal or External");
	if ((!body || !*body->valuestring) && (!html || !*html->valuestring))
		return td_fail(e, 400, BAD, "the message is empty: give Body (or HtmlBody)");
	if (spent && spent->valueint < 0)
		return td_fail(e, 400, BAD, "TicketMessageEntity.TimeSpent must not be negative");
	td_ticket *t = store_find(s, tid->valueint);
	if (!t)
		return td_fail(e, 400, BAD, "TicketMessageEntity.Ticket: ticket %d does not exist", tid->valueint);
	const cJSON *who = poster(sv);
	const cJSON *full = json_get(who, "FullName"), *ej = json_get(who, "EjUserId");
	struct td_msgs *ms = s->msgs;

	pthread_rwlock_wrlock(&t->lock);
	if (!schema_ticket_updatable(t->doc)) {
		pthread_rwlock_unlock(&t->lock);
		return td_fail(e, 403, "SoAccessDeniedException", "ticket %d is read-only for you (TableRight)", t->id);
	}
	cJSON *changes = cJSON_CreateObject(), *row = cJSON_CreateObject(), *stored = cJSON_CreateObject();
	char err[300];
	int rc = -1;
	if (!changes || !row || !stored || td_bump_last_changed(t->doc, changes))
		goto nomem;
	const char *now = json_get(changes, "LastChanged")->valuestring;
	pthread_rwlock_wrlock(&ms->lock);
	int id = ms->next_id++;  /* reserved: a failed save wastes it */
	pthread_rwlock_unlock(&ms->lock);
	bool ext = !strcmp(slevel, "External");
	cJSON_AddNumberToObject(row, "TicketMessageId", id);
	cJSON_AddStringToObject(row, "CreatedAt", now);
	cJSON_AddStringToObject(row, "Slevel", slevel);
	cJSON_AddBoolToObject(row, "Important", important && cJSON_IsTrue(important));
	cJSON_AddStringToObject(row, "Author", author && *author->valuestring ? author->valuestring
	                                       : cJSON_IsString(full) ? full->valuestring : "");
	cJSON_AddNumberToObject(row, "PersonId", 0);
	cJSON_AddStringToObject(row, "PersonFullName", "");
	cJSON_AddNumberToObject(row, "ContactId", 0);
	cJSON_AddStringToObject(row, "ContactName", "");
	cJSON_AddNumberToObject(row, "NumAttachments", 0);
	cJSON_AddStringToObject(row, "EmailHeader", "");
	cJSON_AddItemToObject(row, "MessageHeaders", cJSON_CreateArray());
	cJSON_AddStringToObject(row, "Language", "");
	cJSON_AddNumberToObject(row, "Sentiment", 0);
	cJSON_AddNumberToObject(row, "SentimentConfidence", 0);
	cJSON_AddNumberToObject(row, "CreatedBy", json_is_int32(ej) ? ej->valueint : 1);
	cJSON_AddStringToObject(row, "ChangedAt", now);
	cJSON_AddStringToObject(row, "Badge", ext ? "Reply" : "Note");
	cJSON_AddNumberToObject(stored, "EjMessageId", id);
	cJSON_AddStringToObject(stored, "Type", type);
	cJSON_AddStringToObject(stored, "Body", body ? body->valuestring : "");
	cJSON_AddStringToObject(stored, "HtmlBody", html ? html->valuestring : "");
	cJSON_AddStringToObject(stored, "EmailHeader", header ? header->valuestring : "");
	cJSON_AddStringToObject(stored, "MessageId", msgid ? msgid->valuestring : "");
	cJSON_AddNumberToObject(stored, "TimeSpent", spent ? spent->valueint : 0);
	cJSON_AddStringToObject(stored, "MessageCategory", cat);
	cJSON *msgs = messages_with(json_get(t->doc, "Messages"), row);
	if (!msgs)
		goto nomem;
	cJSON_AddItemToObject(changes, "Messages", msgs);
	cJSON_AddNumberToObject(changes, "NumMessages", count_member(t->doc, "NumMessages") + 1);
	if (ext) {  /* a reply from the service: counted, and the ticket was replied to now */
		cJSON_AddNumberToObject(changes, "NumReplies", count_member(t->doc, "NumReplies") + 1);
		cJSON_AddStringToObject(changes, "RepliedAt", now);
	}
	/* the body first: a body whose ticket write then fails is ignored at load */
	pthread_rwlock_wrlock(&ms->lock);
	if (sv->cfg.persist && persist_bodies(ms, t->id, stored, err, sizeof err)) {
		pthread_rwlock_unlock(&ms->lock);
		td_fail(e, 500, "SoIOException", "could not save: %s", err);
		goto out;
	}
	if (store_save(s, t, changes, sv->cfg.persist, err, sizeof err)) {
		changes = NULL;
		pthread_rwlock_unlock(&ms->lock);
		td_fail(e, 500, "SoIOException", "could not save: %s", err);
		goto out;
	}
	changes = NULL;
	if (msg_push(ms, id, t->id)) {
		pthread_rwlock_unlock(&ms->lock);
		goto nomem;
	}
	ms->v[ms->n - 1].body = stored;
	stored = NULL;
	pthread_rwlock_unlock(&ms->lock);
	cJSON *ent = entity(s, t, row, cJSON_Duplicate(ms->v[ms->n - 1].body, true), host);
	*out = ent ? json_print(ent, false) : NULL;
	cJSON_Delete(ent);
	rc = *out ? 200 : nomem(e);
	goto out;
nomem:
	nomem(e);
out:
	pthread_rwlock_unlock(&t->lock);
	cJSON_Delete(changes);
	cJSON_Delete(row);
	cJSON_Delete(stored);
	return rc;
}

/* ---- POST TicketMessage/{id}/Send --------------------------------------------- */

/* One recipient: an e-mail address (one '@', no blanks or controls) or a
 * phone number (digits, blanks, '-', an optional leading '+'). */
static bool recipient_ok(const char *r)
{
	const char *at = strchr(r, '@');
	if (!*r)
		return false;
	if (at) {
		if (at == r || !at[1] || strchr(at + 1, '@'))
			return false;
		for (const unsigned char *p = (const unsigned char *)r; *p; p++)
			if (*p <= ' ' || *p == 0x7f || *p == ',' || *p == '<' || *p == '>')
				return false;
		return true;
	}
	const char *p = r + (*r == '+');
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ' ' && *p != '-')
			return false;
	return true;
}

/* Parameter NAME: a comma-separated list of recipients, checked, into OUT
 * ("a, b"). */
static int recipients(const char *query, const char *name, bool required, char *out, size_t n, td_err *e)
{
	bool oom = false;
	char *v = query_param(query, name, &oom), *save = NULL;
	size_t l = 0;
	if (oom)
		return nomem(e);
	out[0] = '\0';
	for (char *tok = v ? strtok_r(v, ",", &save) : NULL; tok; tok = strtok_r(NULL, ",", &save)) {
		char *r = trim(tok);
		if (!*r)
			continue;
		if (!recipient_ok(r)) {
			char *shown = td_escape(r, strlen(r) > 64 ? 64 : strlen(r), NULL);
			td_fail(e, 400, BAD, "%s: '%s' is neither an e-mail address nor a phone number", name, shown ? shown : "?");
			free(shown);
			free(v);
			return -1;
		}
		l += (size_t)snprintf(out + l, l < n ? n - l : 0, "%s%s", l ? ", " : "", r);
	}
	free(v);
	if (l >= n)
		return td_fail(e, 400, BAD, "%s: too many recipients", name);
	if (required && !l)
		return td_fail(e, 400, BAD, "%s: at least one recipient is required", name);
	return 0;
}

static int send_message(td_server *sv, int id, const char *query, td_err *e)
{
	td_store *s = &sv->store;
	char to[1024], cc[1024], bcc[1024];
	bool oom = false;
	if (recipients(query, "to", true, to, sizeof to, e) || recipients(query, "cc", false, cc, sizeof cc, e) ||
	    recipients(query, "bcc", false, bcc, sizeof bcc, e))
		return -1;
	char *subject = query_param(query, "subject", &oom);
	if (oom)
		return nomem(e);
	int tid;
	cJSON *body = body_copy(s->msgs, id, &tid);
	if (!body) {
		free(subject);
		return tid < 0 ? nomem(e) : td_fail(e, 404, "SoNotFoundException", "TicketMessage id %d not found", id);
	}
	cJSON_Delete(body);
	td_ticket *t = store_find(s, tid);
	cJSON *row = NULL;
	if (t) {
		pthread_rwlock_rdlock(&t->lock);
		row = find_row(t, id);
		pthread_rwlock_unlock(&t->lock);
	}
	bool internal = row && !strcmp(row_str(row, "Slevel"), "Internal");
	cJSON_Delete(row);
	if (internal) {
		free(subject);
		return td_fail(e, 400, BAD, "TicketMessage %d is internal: internal messages are not sent to customers", id);
	}
	/* What an outgoing e-mail's header holds; the message keeps it. */
	size_t cap = strlen(to) + strlen(cc) + strlen(bcc) + (subject ? strlen(subject) : 0) + 64;
	char *hdr = malloc(cap), err[300];
	if (!hdr) {
		free(subject);
		return nomem(e);
	}
	snprintf(hdr, cap, "To: %s\r\n%s%s%sSubject: %s\r\n", to, *cc ? "Cc: " : "", cc, *cc ? "\r\n" : "",
	         subject ? subject : "");
	free(subject);
	int rc = 204;
	struct td_msgs *ms = s->msgs;
	pthread_rwlock_wrlock(&ms->lock);
	td_msg *m = msg_find(ms, id);
	if (!m->body && !(m->body = cJSON_CreateObject()))
		rc = nomem(e);
	else {
		cJSON *old = json_get(m->body, "EmailHeader"), *nv = cJSON_CreateString(hdr);
		if (!nv)
			rc = nomem(e);
		else if (old)
			cJSON_ReplaceItemInObjectCaseSensitive(m->body, "EmailHeader", nv);
		else
			cJSON_AddItemToObject(m->body, "EmailHeader", nv);
		if (rc == 204 && sv->cfg.persist) {
			cJSON *copy = cJSON_Duplicate(m->body, true);
			/* rewrite the file with this body as it is now */
			cJSON *keep = m->body;
			m->body = NULL;
			if (!copy || persist_bodies(ms, m->ticket, copy, err, sizeof err))
				rc = td_fail(e, 500, "SoIOException", "could not save: %s", copy ? err : "out of memory");
			m->body = keep;
			cJSON_Delete(copy);
		}
	}
	pthread_rwlock_unlock(&ms->lock);
	free(hdr);
	return rc;
}

/* ---- routing ------------------------------------------------------------------ */

int msg_handle(td_server *sv, const char *method, const char *rest, const char *query, const cJSON *body,
               const char *host, char **out, const char **allow, td_err *e)
{
	long id;
	*out = NULL;
	*allow = NULL;
	const char *slash = strchr(rest, '/');
	size_t head = slash ? (size_t)(slash - rest) : strlen(rest);
	if (head == 6 && !strncasecmp(rest, "Ticket", 6) && slash) {
		/* Ticket/{id}/Messages */
		const char *s2 = strchr(slash + 1, '/');
		if (!s2 || strcasecmp(s2 + 1, "Messages"))
			return 0;
		char num[16];
		size_t nl = (size_t)(s2 - slash - 1);
		if (nl >= sizeof num)
			return 0;
		memcpy(num, slash + 1, nl);
		num[nl] = '\0';
		if (td_parse_long(num, 1, 2147483647L, &id))
			return 0;
		if (strcmp(method, "GET"))
			return *allow = "GET", td_fail(e, 405, "SoMethodNotAllowedException", "Ticket/{id}/Messages takes GET");
		return get_archive(sv, (int)id, query, host, out, e);
	}
	if (head != 13 || strncasecmp(rest, "TicketMessage", 13))
		return 0;
	if (!slash) {
		if (strcmp(method, "POST"))
			return *allow = "POST", td_fail(e, 405, "SoMethodNotAllowedException", "TicketMessage takes POST");
		return post_message(sv, body, host, out, e);
	}
	const char *arg = slash + 1, *s2 = strchr(arg, '/');
	char num[16];
	size_t nl = s2 ? (size_t)(s2 - arg) : strlen(arg);
	if (nl >= sizeof num)
		return 0;
	memcpy(num, arg, nl);
	num[nl] = '\0';
	if (td_parse_long(num, 1, 2147483647L, &id))
		return 0;
	if (!s2) {
		if (strcmp(method, "GET"))
			return *allow = "GET", td_fail(e, 405, "SoMethodNotAllowedException", "TicketMessage/{id} takes GET");
		return get_message(sv, (int)id, host, out, e);
	}
	if (strcasecmp(s2 + 1, "Send"))
		return 0;
	if (strcmp(method, "POST"))
		return *allow = "POST", td_fail(e, 405, "SoMethodNotAllowedException", "TicketMessage/{id}/Send takes POST");
	return send_message(sv, (int)id, query, e);
}

/* ticketd.h — private interfaces of ticketd (src/server): configuration,
 * the in-memory store of tickets and list tables, the serialized text kept
 * per ticket, the save pipeline, and the request handling that turns one
 * HTTP request into one answer. Nothing here depends on libmicrohttpd: only
 * http.c and main.c do (http.h), so the request handling links into the
 * fuzz target without a server.
 *
 * Ownership: the store owns every ticket and list tree. A ticket's doc and
 * its pieces are read under its rwlock (read) and changed under it (write);
 * a td_snap is immutable and lives as long as someone holds a reference
 * (snap_put). Functions returning cJSON * give the caller a new tree to
 * cJSON_Delete. */
#ifndef TICKETD_H
#define TICKETD_H

#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <time.h>
#include <cjson/cJSON.h>

typedef enum { DATES_KEEP, DATES_OFFSET, DATES_NAIVE } td_dates;

typedef struct {
	const char *listen;      /* address to bind, default 127.0.0.1 */
	int port;                /* 0: any free port */
	const char *port_file;
	const char *data;        /* data directory */
	bool persist;
	const char *user, *password, *token;
	const char *token_file;   /* --token-file: the valid token is its first line, read per request */
	const char *password_file; /* --password-file: the same for the Basic password */
	const char *log_path;
	long latency_ms;
	long http500_every;
	bool html_error, drop_after_apply, garbage_json, slow_body;
	bool drop_after_post;    /* a POST TicketMessage(/Send) is done, then no answer */
	size_t max_body;
	td_dates dates;
	long threads;            /* libmicrohttpd worker threads */
	long conn_timeout;       /* seconds a connection may stay silent */
	long per_ip_limit;       /* connections per client address; -1: the default for --listen */
	long max_conns;          /* connections in all; 0: what the file limit allows */
	long associate;          /* currentAssociate when the credentials name none (--associate) */
	/* tenant.c: a real tenant's behaviour */
	const char *prefix;      /* "/Cust12345": served under PREFIX/api/v1 only, or NULL */
	long throttle_every;     /* every Nth request 429 with Retry-After: 1 (0: off) */
	long maintenance;        /* the first N requests 503 with Retry-After: 1; -1: every one (Retry-After: 30) */
	const char *retry_after; /* the Retry-After of throttle and maintenance instead (digits), or NULL */
	int cf_meta_status;      /* GET Ticket/CustomField answers this error (403, 404) instead; 0: served */
	bool untranslated;       /* Accept-Language ignored: multi-language names stay encoded */
	const char *moved;       /* the tenant moved: every call answers 302 to this URL + the path after the prefix */
} td_config;

enum { L_ASSOC, L_STATUS, L_PRIO, L_CAT, L_TAGS, L_PERSON, L_TYPE, L_SALE, L_PROJECT, L_COUNT };

typedef struct {
	const char *name;        /* MDO list name, "associate" */
	const char *key;         /* key member, "AssociateId" */
	cJSON *items;            /* array of entities (members "_..." are ticketd metadata) */
} td_list;

/* Immutable text shared by reference count: one member of a ticket as
 * `"Name":value` (compact JSON, in the response date style). */
typedef struct {
	atomic_int refs;
	size_t klen;             /* bytes of the `"Name":` prefix */
	size_t len;
	bool ml;                 /* holds names an Accept-Language translates (tenant.c) */
	char s[];
} td_text;

/* What a full GET of a ticket answers: the pieces of its members in order
 * (NULL where the member is _Links, which every answer builds anew). */
typedef struct {
	atomic_int refs;
	size_t n;
	size_t len;              /* sum of the pieces' lengths */
	td_text *piece[];
} td_snap;

typedef struct {
	int id;
	cJSON *doc;
	char *file;              /* where it was loaded from (persist target) */
	pthread_rwlock_t lock;   /* doc and piece: read for $select, write for saves */
	td_text **piece;         /* the serialized members of doc, aligned with its children */
	size_t npiece;
	pthread_mutex_t snap_lock; /* guards snap (held only to take a reference) */
	td_snap *snap;           /* the current full answer */
} td_ticket;

typedef struct {
	td_ticket *t;            /* sorted by id; fixed after store_load */
	size_t n;
	size_t nready;           /* tickets whose locks are initialised */
	td_list lists[L_COUNT];  /* fixed after store_load */
	int assign_default;      /* OwnedBy 2147483647 fallback */
	char *dir;
	td_dates dates;          /* the style the pieces are rendered in */
	cJSON *cfmeta;           /* lists/customfields.json: the custom field definitions (array), or NULL */
	struct td_msgs *msgs;    /* messages.c: message bodies by id */
} td_store;

/* An error answer: HTTP status, ErrorType and ErrorMessage. */
typedef struct {
	int status;
	const char *type;
	char msg[512];
} td_err;

/* Fill E (STATUS, TYPE, the message from FMT); returns -1 for `return td_fail(...)`. */
int td_fail(td_err *e, int status, const char *type, const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* utf8.c */
/* Length of the valid UTF-8 character at S[I] (I < LEN) with its code
 * point in *CP, or 0 if the bytes there are not one (stray or missing
 * continuation byte, overlong form, surrogate, beyond U+10FFFF, cut by LEN). */
size_t td_utf8_char(const char *s, size_t len, size_t i, uint32_t *cp);
/* Whether S[0..LEN) is valid UTF-8; if not, *BAD gets the offset of the
 * first byte that is not. */
bool td_utf8_valid(const char *s, size_t len, size_t *bad);
/* S[0..LEN) for a log line or a message: C0 controls, DEL, C1 controls
 * (U+0080..U+009F), bytes that are not valid UTF-8, and the bytes in
 * EXTRA (e.g. " \\") become "\xNN" (one per byte); the rest is kept.
 * Returns a new malloc'd string (NULL when out of memory). */
char *td_escape(const char *s, size_t len, const char *extra);
/* Replace the bytes of the NUL-terminated S that are not valid UTF-8 by
 * "\xNN" in place, cutting at SIZE - 1 bytes (S is a SIZE-byte buffer). */
void td_utf8_fix(char *s, size_t size);

/* store.c */
/* Load the JSON files in DIR/lists and DIR/tickets and render every ticket
 * in date style DATES; 0, or -1 with ERR set. */
int store_load(td_store *s, const char *dir, td_dates dates, char *err, size_t errlen);
void store_free(td_store *s);
/* Ticket by id, NULL if unknown. The array never changes after loading, so
 * no lock is needed to find a ticket. */
td_ticket *store_find(td_store *s, int id);
/* List by MDO name, case-insensitive; NULL if unknown. */
const td_list *store_list(const td_store *s, const char *name);
/* Entity with KEY == ID in list L, NULL if none (borrowed). */
const cJSON *store_list_item(const td_store *s, int l, int id);
/* Make CHANGES (an object: members that are new or replace the ticket's
 * member of the same name, compared case-insensitively) part of T, under
 * T's write lock: the members are swapped in, their pieces rendered, and
 * with PERSIST the file written (store_write); if that fails T is exactly
 * as before and -1 is returned with ERR. Then the new snapshot is
 * published. Consumes CHANGES. */
int store_save(td_store *s, td_ticket *t, cJSON *changes, bool persist, char *err, size_t errlen);
/* Write T atomically: a new file created beside it (mkstemp: O_EXCL, so no
 * symlink is followed), the old file's permission bits, fsync, rename over
 * the old name, fsync of the directory. 0 or -1 with ERR. Caller holds
 * T's lock. */
int store_write(const td_store *s, const td_ticket *t, char *err, size_t errlen);

/* Member M as a new tree (the caller names it): parsed when it is kept as
 * text (json_parse_lazy), else a deep copy. NULL when out of memory. */
cJSON *td_raw_parse(const cJSON *m);

/* render.c */
/* Serialize member M of a ticket as a new piece (refs 1) in style D; NULL
 * when out of memory. */
td_text *text_member(const cJSON *m, td_dates d);
void text_put(td_text *t);
/* (Re)render the NULL entries of T->piece (growing it to the doc's
 * member count) and build a new snapshot in *OUT (refs 1). 0 or -1 (out
 * of memory: T unchanged). Caller holds T's write lock (or owns T). */
int ticket_render(td_ticket *t, td_dates d, td_snap **out);
/* Take a reference to T's current snapshot (never NULL after store_load). */
td_snap *snap_get(td_ticket *t);
void snap_put(td_snap *s);
/* A parsed $select: NULL when SELECT names nothing (then the whole ticket
 * is answered). */
typedef struct td_select td_select;
td_select *select_parse(const char *select);
void select_free(td_select *sel);
/* The answer to a $select on T: every member of the doc, the selected ones
 * from their pieces (whole) or rebuilt (nested paths), the others null;
 * then LINKS (a member named "_Links", or NULL), selected the same way.
 * A new malloc'd string (NULL when out of memory); caller holds T's lock
 * (read or write). */
char *ticket_select_text(const td_ticket *t, const td_select *sel, const cJSON *links, td_dates d);
/* Rewrite every date of DOC in style D (DATES_KEEP: no change). */
void ticket_dates(cJSON *doc, td_dates d);

/* apply.c */
/* What a PATCH body (JSON Patch array or merge-patch object) changes in
 * DOC. Returns 0 with *CHANGES = the members that change (new values,
 * schema spelling, LastChanged bumped), or *CHANGES = NULL for a no-op;
 * -1 with E set on failure. Only the members the patch names are copied;
 * DOC is only read. */
int ticket_patch(const td_store *s, const cJSON *doc, const cJSON *body, cJSON **changes, td_err *e);
/* PUT: the entity BODY replaces DOC (read-only fields kept from DOC); as ticket_patch. */
int ticket_put(const td_store *s, const cJSON *doc, const cJSON *body, int id, cJSON **changes, td_err *e);
/* The LastChanged time of DOC in whole seconds, or -1. */
long long ticket_last_changed(const cJSON *doc);
/* The MDO list NAME as MDOListItem array: ejcategory a tree (ChildItems)
 * unless FLAT or QUERY; QUERY (may be NULL) keeps the items that match all
 * its words; names translated into LANG (NULL: as stored). NULL if unknown. */
cJSON *mdo_list(const td_store *s, const char *name, bool flat, const char *query, const char *lang);
/* Copy of a list entity without ticketd's "_" members. */
cJSON *list_entity(const cJSON *item);

/* tenant.c: what a real tenant does that the first emulator did not */
/* The language a request asks names in: SO-Language, else the first tag of
 * Accept-Language ("*" counts: the default language); NULL without either
 * (names then stay multi-language encoded, as the service sends them). */
const char *td_request_language(const char *so_language, const char *accept_language, char *buf, size_t n);
/* S in language LANG: a multi-language string's entry, a known [SR_...]
 * resource id's text; NULL when S is neither (nothing to translate).
 * malloc'd. */
char *td_translate(const char *s, const char *lang);
/* Translate the names inside V (strings below the top level of a ticket
 * member: reference names, FieldProperties reasons) into LANG. */
void td_translate_tree(cJSON *v, const char *lang);
/* Whether member M of a ticket holds anything td_translate_tree changes. */
bool td_member_translatable(const cJSON *m);
/* JSON text TEXT with its names translated, or NULL (no change or out of
 * memory). TOP: TEXT is a whole ticket (its members' values are walked). */
char *td_translate_text(const char *text, size_t len, const char *lang, bool top);
/* Load DIR/lists/customfields.json (absent: no definitions); 0 or -1 with ERR. */
int cf_load(td_store *s, char *err, size_t errlen);
/* Every defined custom field present in TICKET's CustomFields ("" when not). */
void cf_fill(const td_store *s, cJSON *ticket);
/* GET Ticket/CustomField (NAME NULL) or Ticket/CustomField/NAME in LANG:
 * a new tree, or NULL when NAME is not defined. */
cJSON *cf_meta_answer(const td_store *s, const char *name, const char *lang);
/* The CustomFields of WORK against DOC: strings only, defined keys only,
 * values that fit their FieldType, no defined key removed (a PUT keeps its
 * value), read-only fields unchanged, mandatory ones not emptied. 0, or -1
 * with E. */
int cf_check(const td_store *s, const cJSON *doc, cJSON *work, bool is_put, td_err *e);
/* Whether MDO item text matches every word of QUERY (ASCII case-insensitive). */
bool td_query_match(const cJSON *item, const char *query);
/* The tenant status call GET /api/state/CTX as its reference page shows it
 * (ContextIdentifier, Endpoint, State, IsRunning, ValidUntil an hour after
 * NOW, Api), for the --prefix tenant reached at http://HOST (at
 * --fault moved's URL once moved): Running, or OfflineMaintenance under
 * --fault maintenance; another CTX is Unknown.
 * JSON text (malloc'd), NULL when out of memory. */
/* Whether S is non-empty printable ASCII (0x21..0x7e). */
bool td_printable_ascii(const char *s);
char *td_tenant_state(const td_config *cfg, const char *ctx, size_t ctxlen, const char *host, time_t now);
/* Add LastChanged = now in DOC's date style (strictly later than DOC's) to
 * CHANGES; 0, or -1 when out of memory. */
int td_bump_last_changed(const cJSON *doc, cJSON *changes);

/* messages.c */
/* Index the messages of every ticket of S and load the bodies in
 * S->dir/messages (optional); 0, or -1 with ERR. store_load calls it. */
int msgs_load(td_store *s, char *err, size_t errlen);
void msgs_free(td_store *s);

/* request.c */
typedef struct {
	td_config cfg;
	td_store store;
	FILE *log;
	pthread_mutex_t log_lock;
	unsigned long nreq;      /* requests seen, for http500-every (under log_lock) */
	unsigned long nseen;     /* requests seen, for throttle and maintenance (under log_lock) */
	struct td_timer *timer;  /* http.c: suspended connections waiting for a delay */
} td_server;

/* archive.c */
/* The answer to GET /api/v1/Ticket?QUERY (the Ticket archive; QUERY still
 * %-encoded, or NULL) for a client that reached ticketd as HOST (for the
 * links), with ME the current associate: 0 with *TEXT (malloc'd JSON), or
 * -1 with E (400 naming what ticketd does not support, 500 out of memory). */
int archive_answer(td_server *sv, const char *query, const char *host, long me, char **text, td_err *e);

/* One HTTP request, as received. */
typedef struct {
	const char *method;
	const char *target;      /* the request-target as sent: path?query, still %-encoded */
	/* Header NAME (case-insensitive) or NULL. */
	const char *(*header)(void *ctx, const char *name);
	void *hctx;
	const char *body;
	size_t body_len;
	bool body_too_big;       /* over --max-body (the body was not kept) */
} td_request;

typedef struct {
	const char *p;
	size_t n;
} td_seg;

/* One answer: a status, headers and a body in segments that point into
 * SNAP's pieces, OWN, or static text. */
typedef struct {
	int status;
	const char *ctype;
	const char *hdr, *hval;  /* one extra header (Allow, WWW-Authenticate), or NULL */
	td_seg *seg;
	size_t nseg, cap;
	size_t len;              /* bytes in all segments */
	td_snap *snap;           /* a reference held while the answer lives */
	char *own;               /* malloc'd text the segments may point into */
	bool drop;               /* close the connection without answering */
} td_response;

/* S as a decimal number in MIN..MAX (digits only, a '-' if MIN < 0; no
 * blanks, no '+'): 0 with *OUT, or -1. */
int td_parse_long(const char *s, long min, long max, long *out);

/* %XX-decode S[0..N) (PLUS: '+' is a blank, as in a query) into a new
 * NUL-terminated string; *LEN gets its length (it may hold NUL bytes). A
 * '%' not followed by two hex digits stays as it is. NULL when out of
 * memory. */
char *td_pct_decode(const char *s, size_t n, bool plus, size_t *len);

/* messages.c: the conversation calls under /api/v1/ (REST: the decoded
 * path after it, no trailing '/'): GET Ticket/{id}/Messages, GET
 * TicketMessage/{id}, POST TicketMessage (BODY: the parsed request body),
 * POST TicketMessage/{id}/Send. QUERY is the raw query string (or NULL),
 * HOST the validated Host for links. Returns 0 when REST is none of them,
 * 200 with JSON text in *OUT (malloc'd), 204, or -1 with E (and *ALLOW
 * for a 405). */
int msg_handle(td_server *sv, const char *method, const char *rest, const char *query, const cJSON *body,
               const char *host, char **out, const char **allow, td_err *e);

/* Requests whose target is longer are answered 414. */
#define TD_MAX_TARGET 4096

/* Answer RQ into RS (zeroed by the caller). Never fails: out of memory is
 * a 500 without a body. */
void td_handle(td_server *sv, const td_request *rq, td_response *rs);
void td_response_free(td_response *rs);

#endif

/* ticketd.h — private interfaces of ticketd (src/server): configuration,
 * the in-memory store of tickets and list tables, the patch pipeline and
 * the response shaping ($select, date style, MDO lists).
 *
 * Ownership: the store owns every ticket and list tree; callers hold the
 * store lock while they read them. Functions returning cJSON * give the
 * caller a new tree to cJSON_Delete. */
#ifndef TICKETD_H
#define TICKETD_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <microhttpd.h>
#include <cjson/cJSON.h>

typedef enum { DATES_KEEP, DATES_OFFSET, DATES_NAIVE } td_dates;

typedef struct {
	const char *listen;      /* address to bind, default 127.0.0.1 */
	int port;                /* 0: any free port */
	const char *port_file;
	const char *data;        /* data directory */
	bool persist;
	const char *user, *password, *token;
	const char *log_path;
	long latency_ms;
	long http500_every;
	bool html_error, drop_after_apply, garbage_json, slow_body;
	size_t max_body;
	td_dates dates;
} td_config;

enum { L_ASSOC, L_STATUS, L_PRIO, L_CAT, L_TAGS, L_COUNT };

typedef struct {
	const char *name;        /* MDO list name, "associate" */
	const char *key;         /* key member, "AssociateId" */
	cJSON *items;            /* array of entities (members "_..." are ticketd metadata) */
} td_list;

typedef struct {
	int id;
	cJSON *doc;
	char *file;              /* where it was loaded from (persist target) */
} td_ticket;

typedef struct {
	td_ticket *t;
	size_t n;
	td_list lists[L_COUNT];
	int assign_default;      /* OwnedBy 2147483647 fallback */
	char *dir;
	pthread_rwlock_t lock;
} td_store;

/* An error answer: HTTP status, ErrorType and ErrorMessage. */
typedef struct {
	int status;
	const char *type;
	char msg[512];
} td_err;

/* store.c */
/* Load the JSON files in DIR/lists and DIR/tickets; 0, or -1 with ERR set. */
int store_load(td_store *s, const char *dir, char *err, size_t errlen);
void store_free(td_store *s);
/* Ticket by id (caller holds the lock), NULL if unknown. */
td_ticket *store_find(td_store *s, int id);
/* List by MDO name, case-insensitive; NULL if unknown. */
const td_list *store_list(const td_store *s, const char *name);
/* Entity with KEY == ID in list L, NULL if none (borrowed). */
const cJSON *store_list_item(const td_store *s, int l, int id);
/* Write DOC to T->file atomically (temp file + fsync + rename); 0 or -1 with ERR. */
int store_write(const td_ticket *t, const cJSON *doc, char *err, size_t errlen);

/* apply.c */
/* Apply a PATCH body (JSON Patch array or merge-patch object) to DOC.
 * Returns 0 with *OUT = the new ticket (LastChanged bumped) when something
 * changed, *OUT = NULL for a no-op; -1 with E set on failure. DOC is only read. */
int ticket_patch(const td_store *s, const cJSON *doc, const cJSON *body, cJSON **out, td_err *e);
/* PUT: the entity BODY replaces DOC (read-only fields kept from DOC); as ticket_patch. */
int ticket_put(const td_store *s, const cJSON *doc, const cJSON *body, int id, cJSON **out, td_err *e);
/* Null out every member not named by SELECT ("Title,OwnedBy/AssociateId"). */
void ticket_select(cJSON *doc, const char *select);
/* Rewrite every date of DOC in style D (DATES_KEEP: no change). */
void ticket_dates(cJSON *doc, td_dates d);
/* The LastChanged time of DOC in whole seconds, or -1. */
long long ticket_last_changed(const cJSON *doc);
/* The MDO list NAME as MDOListItem array; NULL if unknown. */
cJSON *mdo_list(const td_store *s, const char *name);
/* Copy of a list entity without ticketd's "_" members. */
cJSON *list_entity(const cJSON *item);

/* http.c */
typedef struct {
	td_config cfg;
	td_store store;
	FILE *log;
	pthread_mutex_t log_lock;
	unsigned long nreq;      /* requests seen, for http500-every (under log_lock) */
} td_server;

/* libmicrohttpd access handler and completion callback (CLS: td_server). */
enum MHD_Result http_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *upload, size_t *upload_size, void **con_cls);
void http_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe);

#endif

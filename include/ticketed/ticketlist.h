/* ticketlist.h — finding tickets: the query of `GET {base}/Ticket` (the
 * service's Ticket archive: $select, $filter, $orderBy, $top, $skip) and
 * its answer, for `ticketed list` and the ticket picker. No curses, no
 * curl: the callers send the request (api_get) and pass the answer here.
 *
 * The columns asked for are the Ticket archive provider's (SuperOfficeDocs
 * docs/en/api/archive-providers/reference/ticket.md); list columns are
 * restricted by id (`ticketStatusName eq 6`), "my" tickets with the unary
 * `ownedBy currentAssociate`, words with `title contains 'word'` (strings
 * quoted, a quote or backslash escaped with a backslash, as the Archive
 * agent documents).
 *
 * Ownership: functions returning char * or tlist_row * give the caller
 * new memory (free, tlist_rows_free); cJSON arguments are borrowed. */
#ifndef TICKETED_TICKETLIST_H
#define TICKETED_TICKETLIST_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

/* The columns every list asks for, and its order (newest change first). */
#define TLIST_SELECT "ticketId,title,ticketStatusName,priorityName,ownedBy,deadline,lastChanged"
#define TLIST_ORDER "lastChanged desc"
/* The most rows one request asks for (the service may answer fewer and
 * give an odata.nextLink). */
#define TLIST_PAGE 200

/* What to find; -1 (or NULL, false) leaves a criterion out. */
typedef struct {
	bool mine;            /* ownedBy currentAssociate */
	long status_id;       /* ticketStatusName eq ID */
	long base_status;     /* status eq N (1 Active, 2 Closed, ...) */
	long category_id;     /* categoryFullName eq ID */
	const char *search;   /* every word in the title (a number: also that ticket id) */
} tlist_query;

void tlist_query_init(tlist_query *q);

/* The $filter text for Q ("" when Q asks for everything); malloc'd. */
char *tlist_filter(const tlist_query *q);

/* S as an archive string literal: 'S' with \' and \\; malloc'd. */
char *tlist_quote(const char *s);

/* One ticket of a list, as the service gave it (raw server text: sanitise
 * before it reaches a terminal). */
typedef struct {
	long id;
	char *title, *status, *priority, *owner, *deadline, *changed;
} tlist_row;

/* The rows of ANSWER (an archive answer: {"value": [...], "odata.nextLink"}),
 * appended to *ROWS (*N); *MORE says whether a nextLink promised more.
 * Rows without a whole ticketId are skipped. 0, or -1 with ERR when ANSWER
 * is not a list. */
int tlist_rows(const cJSON *answer, tlist_row **rows, size_t *n, bool *more, char *err, size_t errlen);
void tlist_rows_free(tlist_row *rows, size_t n);

/* A date from the list, S (either service style; NAIVE_OFFSET_MIN for one
 * without an offset), for people in the local zone: "2026-11-28 16:00";
 * "" for an empty or unreadable date. */
void tlist_date(const char *s, int naive_offset_min, char *buf, size_t n);

/* The item of MDO list LIST (flat, or a tree with ChildItems: a child's
 * name is its parent's path + "/" + its Name) that NAME means: its id
 * (a number is taken as an id), its full name, or for a path the last
 * part, case-insensitively; else the only one whose name contains NAME.
 * 0 with *ID, or -1 with ERR naming WHAT ("status") and the candidates. */
int tlist_find_item(const cJSON *list, const char *name, const char *what, long *id, char *err,
                    size_t errlen);

/* The base status NAME means (Active 1, Closed 2, Postponed 3, Deleted 4,
 * Merged 5, any case), or -1. */
long tlist_base_status(const char *name);

#endif

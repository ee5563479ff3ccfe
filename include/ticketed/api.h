/* api.h — the SuperOffice service client on libcurl's multi interface.
 *
 * Requests never block: start one, then let the UI loop call api_wait()
 * (which also watches the terminal's fd) and api_next() to collect finished
 * results. One connection is reused for the session.
 *
 * Ownership: api_config strings are copied by api_new (secrets are wiped
 * from the copy by api_free). An api_result is owned by the caller of
 * api_next/api_run and freed with api_result_free; result->json belongs to
 * the result (take it with api_result_take_json). PATCH bodies are copied. */
#ifndef TICKETED_API_H
#define TICKETED_API_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef enum { AUTH_NONE, AUTH_BASIC, AUTH_BEARER, AUTH_SOTICKET } api_auth;

typedef struct {
	const char *base_url;     /* up to and including /api/v1, no trailing slash needed */
	api_auth auth;
	const char *user;         /* AUTH_BASIC */
	const char *secret;       /* password (basic) or token (bearer/soticket) */
	const char *app_token;    /* SO-AppToken or NULL */
	const char *accept_language, *so_language, *so_culture, *so_timezone; /* or NULL */
	long timeout_s;           /* total per request; 0 = 30 */
	bool insecure;            /* skip TLS verification */
	const char *cacert;       /* CA bundle or NULL */
	const char *log_path;     /* HTTP trace, Authorization redacted; or NULL */
} api_config;

typedef enum { API_GET_TICKET, API_PATCH_TICKET, API_GET_LIST } api_kind;

typedef struct {
	int id;               /* the request id api_* returned */
	api_kind kind;
	long http_status;     /* 0 if no HTTP response arrived */
	int curl_code;        /* CURLcode; 0 = transfer completed */
	bool ok;              /* 2xx and a JSON body that parsed */
	bool sent;            /* the request body was sent completely (a drop after
	                         this may mean the server applied it) */
	cJSON *json;          /* parsed body (entity, list, or error body), or NULL */
	char message[512];    /* for the user: ErrorMessage, else "HTTP 404 Not Found",
	                         else curl's error ("Connection refused") */
	char last_modified[64]; /* Last-Modified header if any */
} api_result;

typedef struct api api;

/* Create a client. Returns NULL with ERR set (bad URL, curl init failure). */
api *api_new(const api_config *cfg, char *err, size_t errlen);
void api_free(api *a);

/* Start requests; each returns a request id (> 0), or -1 with the reason in
 * the next result (whose id is -1; api_run(a, -1) returns it). ID is the ticket id. PATCH sends PATCH (a JSON Patch
 * array) as application/json-patch+json; IF_UNMODIFIED_SINCE (an HTTP date)
 * or NULL. LIST is an MDO list name. */
int api_get_ticket(api *a, long id);
int api_patch_ticket(api *a, long id, const cJSON *patch, const char *if_unmodified_since);
int api_get_list(api *a, const char *list);

/* Requests in flight plus finished results not yet taken by api_next. */
int api_pending(const api *a);

/* Cancel request REQID (0: all). Its result is never delivered; a late
 * response is discarded. */
void api_cancel(api *a, int reqid);

/* Wait up to TIMEOUT_MS for network activity or for EXTRA_FD (-1: none) to
 * become readable (at once when a result is already waiting). Returns 1 if
 * EXTRA_FD is readable, 0 otherwise. */
int api_wait(api *a, int extra_fd, int timeout_ms);

/* Drive transfers; return one finished result, or NULL if none is ready. */
api_result *api_next(api *a);

/* Block until REQID finishes (for CLI commands); returns its result, or NULL
 * for an unknown or cancelled id. REQID 0: the next result of any request. */
api_result *api_run(api *a, int reqid);

void api_result_free(api_result *r);
cJSON *api_result_take_json(api_result *r);

/* Helpers (pure, no transfer), used by the client and its unit tests. */

/* Maximum response body accepted; a larger one fails with
 * "response larger than 32 MiB". */
#define API_MAX_RESPONSE (32u * 1024 * 1024)

/* BASE + "/Ticket/" + ID and BASE + "/MDOList/" + escaped NAME; a trailing
 * slash in BASE is tolerated. malloc'd (caller frees), NULL on failure. */
char *api_url_ticket(const char *base, long id);
char *api_url_list(const char *base, const char *name);

/* "HTTP 404 Not Found" from STATUS and the raw STATUS_LINE (or NULL). */
void api_status_text(long status, const char *status_line, char *out, size_t outlen);

/* The user's message for an error response: the body's ErrorMessage when the
 * body is JSON and has one, else the status text; never an HTML page. Returns
 * the parsed JSON body (caller deletes) or NULL. */
cJSON *api_error_message(long status, const char *status_line, const char *content_type,
                         const char *body, size_t len, char *out, size_t outlen);

/* LINE itself, or "Name: [redacted]" in OUT for Authorization, SO-AppToken,
 * cookies and the like (for --log). */
const char *api_redact_header(const char *line, char *out, size_t outlen);

#endif

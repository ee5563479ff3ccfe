/* api.h — the SuperOffice service client on libcurl's multi interface.
 *
 * Requests never block: start one, then let the UI loop call api_wait()
 * (which also watches the terminal's fd) and api_next() to collect finished
 * results. One connection is reused for the session.
 *
 * What the client does by itself, while the request stays in flight:
 * - 429 and 503 (the service did not process the request): waits as long as
 *   Retry-After says (seconds or an HTTP date; 2 s without one) and sends the
 *   request again, within the request's --timeout; api_retry_in() tells the
 *   status line how long it still waits.
 * - 401 with Bearer or SOTicket: asks refresh_secret (the config's
 *   token_command) once for a fresh token and sends the request again.
 *   Nothing was applied on a 401, so this is safe for PATCH and POST too.
 * - tenant_status (SuperOffice Online): before the first request, and again
 *   when the answer's ValidUntil has passed or the service redirects or
 *   cannot be reached, reads the tenant's state and uses its Endpoint.
 * It never follows a redirect (credentials would go along): a 3xx is
 * reported with the sanitised target. A 401 that is not cured that way is
 * delivered with need_credentials; the app may hand a fresh secret
 * (api_set_secret) and send the request again (api_retry).
 *
 * Every message in an api_result, and every line of the --log trace, is
 * sanitised (escape.h): server text never reaches a terminal or log raw.
 *
 * Ownership: api_config strings are copied by api_new (secrets are wiped
 * from the copy by api_free). An api_result is owned by the caller of
 * api_next/api_run and freed with api_result_free; result->json belongs to
 * the result (take it with api_result_take_json). PATCH and POST bodies are
 * copied. */
#ifndef TICKETED_API_H
#define TICKETED_API_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>

typedef enum { AUTH_NONE, AUTH_BASIC, AUTH_BEARER, AUTH_SOTICKET } api_auth;

typedef struct {
	const char *base_url;     /* up to and including /api/v1, no trailing slash needed */
	api_auth auth;
	const char *user;         /* AUTH_BASIC */
	const char *secret;       /* password (basic) or token (bearer/soticket) */
	const char *app_token;    /* SO-AppToken or NULL */
	const char *accept_language, *so_language, *so_culture, *so_timezone; /* or NULL */
	long timeout_s;           /* total per request, waits and retries included; 0 = 30 */
	bool insecure;            /* skip TLS verification */
	const char *cacert;       /* CA bundle or NULL */
	const char *log_path;     /* HTTP trace, Authorization redacted; or NULL */
	/* SuperOffice Online tenant state URL, https://ENV.superoffice.com/api/
	 * state/CustNNNNN, or NULL (onsite: base_url is used as it is). */
	const char *tenant_status;
	/* Bearer/SOTicket: a fresh token after a 401, or NULL (no refresh).
	 * Called at most once per request, from api_next/api_run (it may take as
	 * long as the helper it runs). Returns 0 with a malloc'd token in *SECRET
	 * (the api wipes and frees it), or -1 with ERR. */
	int (*refresh_secret)(void *ctx, char **secret, char *err, size_t errlen);
	void *refresh_ctx;
	/* Appended to the message of a 401 the client could not cure: how to
	 * provide fresh credentials (or NULL). */
	const char *auth_hint;
} api_config;

typedef enum {
	API_GET_TICKET, API_PATCH_TICKET, API_GET_LIST,
	API_GET,                  /* api_get: any path under the base */
	API_POST,                 /* api_post */
} api_kind;

typedef struct api_spec api_spec;  /* what api_retry sends again (private) */

typedef struct {
	int id;               /* the request id api_* returned */
	api_kind kind;
	long http_status;     /* 0 if no HTTP response arrived */
	int curl_code;        /* CURLcode; 0 = transfer completed */
	bool ok;              /* 2xx and a JSON body that parsed (and, for a
	                         ticket, is that ticket); a 204 without one */
	bool sent;            /* the request body was sent completely (a drop after
	                         this may mean the server applied it) */
	bool so_error;        /* the body is a SuperOffice error object ({"Error":
	                         true, "ErrorMessage": ...}): the service itself
	                         answered (a 404 then means "no such ticket"; a 404
	                         without one means a wrong base URL) */
	bool need_credentials; /* 401 that no token refresh cured: the credentials
	                         were refused; nothing was applied */
	int attempts;         /* requests sent (retries after 429/503/401 included) */
	cJSON *json;          /* parsed body (entity, list, or error body), or NULL */
	char message[512];    /* for the user, sanitised (safe to print as is):
	                         ErrorMessage, else "HTTP 404 Not Found", else
	                         curl's error ("Connection refused") */
	char last_modified[64]; /* Last-Modified header if any */
	api_spec *spec;       /* private: the request, for api_retry */
} api_result;

typedef struct api api;

/* Create a client. Returns NULL with ERR set (bad URL, curl init failure,
 * a control character in a credential). */
api *api_new(const api_config *cfg, char *err, size_t errlen);
void api_free(api *a);

/* Start requests; each returns a request id (> 0), or -1 with the reason in
 * the next result (whose id is -1; api_run(a, -1) returns it). ID is the ticket id. PATCH sends PATCH (a JSON Patch
 * array) as application/json-patch+json; IF_UNMODIFIED_SINCE (an HTTP date)
 * or NULL. LIST is an MDO list name. */
int api_get_ticket(api *a, long id);
int api_patch_ticket(api *a, long id, const cJSON *patch, const char *if_unmodified_since);
int api_get_list(api *a, const char *list);

/* GET BASE/PATH?QUERY for the calls without a function of their own:
 * "Ticket/CustomField", "Ticket/4711/Messages", "TicketMessage/12",
 * "Ticket", "MDOList/person_new". PATH is relative to the base; each of its
 * segments is escaped. QUERY is NULL or a NULL-terminated list of name,
 * value pairs: {"$top", "50", "$filter", "title contains 'x'", NULL}, each
 * escaped with curl_easy_escape (a name's leading '$' is kept). The answer
 * is parsed as JSON (any shape). */
int api_get(api *a, const char *path, const char *const *query);

/* POST BODY (JSON, copied) to BASE/PATH as application/json, e.g.
 * "TicketMessage". A POST is not idempotent: it is sent again only after a
 * 429/503 or a 401 (answers that say it was not processed), never after a
 * connection dropped once the body was sent. */
int api_post(api *a, const char *path, const cJSON *body);
/* The same with QUERY as api_get takes it, and BODY NULL for an empty body
 * ("TicketMessage/12/Send" with its recipients in the query). A 204 answer
 * is ok with no JSON. */
int api_post_query(api *a, const char *path, const char *const *query, const cJSON *body);

/* Requests in flight (waiting to be retried included) plus finished
 * results not yet taken by api_next. */
int api_pending(const api *a);

/* Cancel request REQID (0: all). Its result is never delivered; a late
 * response is discarded. */
void api_cancel(api *a, int reqid);

/* Wait up to TIMEOUT_MS for network activity or for EXTRA_FD (-1: none) to
 * become readable (at once when a result is already waiting; no longer than
 * until a waiting request is due). Returns 1 if EXTRA_FD is readable, 0
 * otherwise. */
int api_wait(api *a, int extra_fd, int timeout_ms);
/* Let the transfers started so far make progress (connect, send) without
 * waiting or taking a result: the first request goes out while the caller
 * does other start-up work. */
void api_kick(api *a);

/* Drive transfers; return one finished result, or NULL if none is ready. */
api_result *api_next(api *a);

/* Block until REQID finishes (for CLI commands); returns its result, or NULL
 * for an unknown or cancelled id. REQID 0: the next result of any request. */
api_result *api_run(api *a, int reqid);

/* Whether request REQID (0: any) is waiting to be sent again after a 429 or
 * 503: the seconds left (rounded up, >= 1) and, in *STATUS (may be NULL),
 * the status that made it wait; 0 when it is not waiting. For the status
 * line: "HTTP 429: retrying in 12 s". */
long api_retry_in(const api *a, int reqid, long *status);

/* Replace the secret (password or token) for the following requests, e.g.
 * after need_credentials; the old header is wiped. 0, or -1 with ERR (a
 * control character in SECRET, no authentication configured). */
int api_set_secret(api *a, const char *secret, char *err, size_t errlen);

/* Send the request of result R again (same method, path, body, headers;
 * current credentials); returns the new request id, or -1 as the api_*
 * starters do. */
int api_retry(api *a, const api_result *r);

/* The base URL in use (tenant_status may have moved it). */
const char *api_base_url(const api *a);

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

/* "/" + PATH (segments escaped) + "?" + escaped QUERY pairs, as api_get
 * takes them: the part of the URL after the base. malloc'd, or NULL with ERR
 * (an empty, absolute or "."/".." segment, an empty query name). */
char *api_url_suffix(const char *path, const char *const *query, char *err, size_t errlen);

/* "HTTP 404 Not Found" from STATUS and the raw STATUS_LINE (or NULL). */
void api_status_text(long status, const char *status_line, char *out, size_t outlen);

/* The user's message for an error response: the body's ErrorMessage when the
 * body is JSON and has one, else the status text; never an HTML page. Returns
 * the parsed JSON body (caller deletes) or NULL. OUT is not sanitised yet. */
cJSON *api_error_message(long status, const char *status_line, const char *content_type,
                         const char *body, size_t len, char *out, size_t outlen);

/* Whether J is a SuperOffice error body: an object with "Error": true or a
 * string ErrorMessage or ErrorType (names in any case). */
bool api_is_so_error(const cJSON *j);

/* Seconds to wait for a Retry-After VALUE: delay-seconds ("120") or an HTTP
 * date (a past date gives 0), relative to NOW; clamped to one day. 0, or -1
 * when VALUE is neither. */
int api_retry_after(const char *value, time_t now, long *secs);

/* The message for a redirect: "HTTP 302 to TARGET: set url to BASE" when
 * TARGET ends with SUFFIX (the request's part after the base URL, e.g.
 * "/Ticket/900"), else "HTTP 302 to TARGET: the service is not at URL".
 * TARGET is shown without user info, query and fragment, sanitised. */
void api_redirect_message(long status, const char *url, const char *suffix, const char *target,
                          char *out, size_t outlen);

/* A SuperOffice Online tenant state answer (GET .../api/state/CustNNNNN). */
typedef struct {
	char context[64];     /* ContextIdentifier, "Cust12345" */
	char state[64];       /* State, "Running", "OfflineMaintenance", ... */
	bool running;         /* IsRunning: the API is available */
	char base[512];       /* Endpoint + "/api/v1" */
	time_t valid_until;   /* ValidUntil (0 if absent or unreadable) */
} api_tenant;

/* Parse LEN bytes of BODY, the answer of STATE_URL. The Endpoint must be an
 * absolute https URL without user info (http only when STATE_URL is http
 * too). 0, or -1 with ERR (sanitised). */
int api_tenant_parse(const char *body, size_t len, const char *state_url, api_tenant *out,
                     char *err, size_t errlen);

/* LINE itself, or "Name: [redacted]" in OUT for Authorization, SO-AppToken,
 * cookies and the like (for --log). */
const char *api_redact_header(const char *line, char *out, size_t outlen);

#endif

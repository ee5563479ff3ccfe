/* api.c — the SuperOffice service client on libcurl's multi interface.
 *
 * One CURLM holds the connection cache (so one keep-alive connection serves
 * the session); easy handles are recycled through a small pool. Requests are
 * driven by api_wait (curl_multi_poll, which also watches the caller's fd)
 * and api_next; finished transfers become api_result values in a queue.
 *
 * A request lives until it is delivered: it may be HELD (waiting for the
 * Online tenant state), RUNNING (a transfer in the multi handle) or WAITING
 * (after a 429/503, until its Retry-After is due). Its whole life, waits and
 * retries included, is bounded by the timeout. */
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include <curl/curl.h>
#include "ticketed/api.h"
#include "ticketed/errmsg.h"
#include "ticketed/escape.h"
#include "ticketed/json.h"

#define POOL_MAX 4
#define MAX_ATTEMPTS 6            /* sends of one request (429/503 retries) */
#define RETRY_DEFAULT_S 2         /* a 429/503 without Retry-After */
#define TENANT_RECHECK_S 300      /* a tenant state without ValidUntil */

typedef enum { RS_HELD, RS_RUNNING, RS_WAITING } rstate;

/* What is sent: kept with the result for api_retry. */
struct api_spec {
	api_kind kind;
	const char *method;
	char *suffix;            /* after the base: "/Ticket/900", "/Ticket?%24top=5" */
	char *body;              /* or NULL */
	size_t body_len;
	const char *ctype;       /* the body's Content-Type */
	char *ius;               /* If-Unmodified-Since or NULL */
	long ticket_id;          /* ticket requests: the ticket asked for, else 0 */
};

typedef struct req {
	struct req *next;
	int id;
	api_spec sp;
	bool internal;           /* the tenant state request: never delivered */
	rstate state;
	long deadline;           /* monotonic ms */
	long retry_at;           /* RS_WAITING: monotonic ms */
	long wait_status;        /* RS_WAITING: 429 or 503 */
	int attempts;
	bool refreshed;          /* the token was refreshed for this request */
	bool rechecked;          /* the tenant state was read again for it */
	char note[200];          /* added to the delivered message */
	CURL *easy;
	bool attached;
	struct curl_slist *hdrs;
	char *url;               /* of the current attempt */
	char *resp;
	size_t resp_len, resp_cap;
	bool too_big;
	char status_line[160];
	char content_type[128];
	char last_modified[64];
	char retry_after[64];
	char errbuf[CURL_ERROR_SIZE];
	api *owner;
} req;

struct api {
	CURLM *multi;
	char *base;                 /* in use (the tenant state may change it) */
	char *auth_header;          /* "Authorization: ..." or NULL; wiped on free */
	char *app_token_header;     /* "SO-AppToken: ..." or NULL; wiped on free */
	api_auth auth;
	char *user;
	char *accept_language, *so_language, *so_culture, *so_timezone;
	char *cacert;
	char *auth_hint;
	long timeout_s;
	bool insecure;
	int (*refresh)(void *, char **, char *, size_t);
	void *refresh_ctx;
	char *tenant_url;           /* tenant_status, or NULL */
	long tenant_valid;          /* monotonic ms until the state must be read again; 0 never read */
	int tenant_req;             /* id of the state request in flight, or 0 */
	FILE *log;
	int next_id;
	req *active;
	api_result **done;          /* finished, undelivered results (FIFO) */
	size_t ndone, capdone;
	CURL *pool[POOL_MAX];
	int npool;
};

static bool g_curl_ready;

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* free() after wiping S (for anything that held a secret). */
static void free_secret(char *s)
{
	if (s) {
		explicit_bzero(s, strlen(s));
		free(s);
	}
}

static char *dup_or_null(const char *s)
{
	return s && *s ? strdup(s) : NULL;
}

/* Standard base64 of LEN bytes of IN; malloc'd. */
static char *base64(const unsigned char *in, size_t len)
{
	static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *out = malloc((len + 2) / 3 * 4 + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < len; i += 3) {
		unsigned v = (unsigned)in[i] << 16;
		if (i + 1 < len)
			v |= (unsigned)in[i + 1] << 8;
		if (i + 2 < len)
			v |= in[i + 2];
		*o++ = tab[(v >> 18) & 63];
		*o++ = tab[(v >> 12) & 63];
		*o++ = i + 1 < len ? tab[(v >> 6) & 63] : '=';
		*o++ = i + 2 < len ? tab[v & 63] : '=';
	}
	*o = '\0';
	return out;
}

/* Refuse a credential with a control character: CR/LF in a token would add
 * header lines of the server's choosing. WHAT names it; the value is never
 * shown. */
static int check_credential(const char *what, const char *s, char *err, size_t errlen)
{
	long at = esc_find_control(s);
	if (at < 0)
		return 0;
	seterr(err, errlen, "the %s holds a control character (0x%02X at byte %ld): refused",
	       what, (unsigned)(unsigned char)s[at], at + 1);
	return -1;
}

/* The Authorization header line for AUTH, USER and SECRET, or NULL with ERR. */
static char *auth_header(api_auth auth, const char *user, const char *secret, char *err, size_t errlen)
{
	secret = secret ? secret : "";
	if (check_credential(auth == AUTH_BASIC ? "password" : "token", secret, err, errlen) < 0)
		return NULL;
	if (auth == AUTH_BASIC) {
		user = user ? user : "";
		if (check_credential("user name", user, err, errlen) < 0)
			return NULL;
		char *up = str_join(user, ":", secret);
		if (!up)
			return NULL;
		char *b = base64((const unsigned char *)up, strlen(up));
		free_secret(up);
		char *h = b ? str_join("Authorization: Basic", " ", b) : NULL;
		free_secret(b);
		return h;
	}
	if (!*secret) {
		seterr(err, errlen, "no token for %s authentication", auth == AUTH_BEARER ? "Bearer" : "SOTicket");
		return NULL;
	}
	return str_join(auth == AUTH_BEARER ? "Authorization: Bearer" : "Authorization: SOTicket", " ", secret);
}

/* Check that URL is an absolute http(s) URL without credentials. */
static int check_url(const char *url, const char *what, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL, shown[220];
	int rc = -1;
	if (!u) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	esc_buf(url, strlen(url), 0, shown, sizeof shown);
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		seterr(err, errlen, "bad %s \"%s\"", what, shown);
	else if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https"))
		seterr(err, errlen, "%s must start with http:// or https://: \"%s\"", what, shown);
	else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
		seterr(err, errlen, "credentials in the %s are not accepted: use --user and TICKETED_PASSWORD",
		       what);
	else
		rc = 0;
	curl_free(scheme);
	curl_free(user);
	curl_url_cleanup(u);
	return rc;
}

static int open_log(api *a, const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
	if (fd < 0 || !(a->log = fdopen(fd, "a"))) {
		seterr(err, errlen, "%s: cannot open log: %m", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setvbuf(a->log, NULL, _IOLBF, 0);
	return 0;
}

static int copy_config(api *a, const api_config *cfg, char *err, size_t errlen)
{
	seterr(err, errlen, "out of memory");
	a->base = strdup(cfg->base_url);
	for (size_t n = a->base ? strlen(a->base) : 0; n > 0 && a->base[n - 1] == '/'; n--)
		a->base[n - 1] = '\0';  /* a trailing slash is tolerated: paths start with one */
	a->auth = cfg->auth;
	a->user = dup_or_null(cfg->user);
	a->accept_language = dup_or_null(cfg->accept_language);
	a->so_language = dup_or_null(cfg->so_language);
	a->so_culture = dup_or_null(cfg->so_culture);
	a->so_timezone = dup_or_null(cfg->so_timezone);
	a->cacert = dup_or_null(cfg->cacert);
	a->auth_hint = dup_or_null(cfg->auth_hint);
	a->tenant_url = dup_or_null(cfg->tenant_status);
	a->timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 30;
	a->insecure = cfg->insecure;
	a->refresh = cfg->refresh_secret;
	a->refresh_ctx = cfg->refresh_ctx;
	a->next_id = 1;
	if (!a->base)
		return -1;
	const char *hdr[] = { cfg->accept_language, cfg->so_language, cfg->so_culture, cfg->so_timezone };
	for (size_t i = 0; i < sizeof hdr / sizeof hdr[0]; i++)
		if (hdr[i] && esc_find_control(hdr[i]) >= 0) {
			seterr(err, errlen, "a language or time zone header holds a control character: refused");
			return -1;
		}
	if (cfg->auth != AUTH_NONE && !(a->auth_header = auth_header(cfg->auth, cfg->user, cfg->secret,
	                                                             err, errlen)))
		return -1;
	if (cfg->app_token && *cfg->app_token) {
		if (check_credential("app token", cfg->app_token, err, errlen) < 0 ||
		    !(a->app_token_header = str_join("SO-AppToken:", " ", cfg->app_token)))
			return -1;
	}
	return 0;
}

api *api_new(const api_config *cfg, char *err, size_t errlen)
{
	seterr(err, errlen, "out of memory");
	if (!cfg->base_url || !*cfg->base_url) {
		seterr(err, errlen, "no service URL: use --url or TICKETED_URL");
		return NULL;
	}
	if (!g_curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			seterr(err, errlen, "libcurl initialisation failed");
			return NULL;
		}
		g_curl_ready = true;
	}
	if (check_url(cfg->base_url, "service URL", err, errlen) < 0 ||
	    (cfg->tenant_status && *cfg->tenant_status &&
	     check_url(cfg->tenant_status, "tenant status URL", err, errlen) < 0))
		return NULL;
	api *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	if (copy_config(a, cfg, err, errlen) < 0 ||
	    (cfg->log_path && *cfg->log_path && open_log(a, cfg->log_path, err, errlen) < 0) ||
	    !(a->multi = curl_multi_init())) {
		api_free(a);
		return NULL;
	}
	/* One connection to the service, kept alive and reused. */
	curl_multi_setopt(a->multi, CURLMOPT_MAX_HOST_CONNECTIONS, 1L);
	curl_multi_setopt(a->multi, CURLMOPT_MAXCONNECTS, 2L);
	return a;
}

const char *api_base_url(const api *a)
{
	return a->base;
}

int api_set_secret(api *a, const char *secret, char *err, size_t errlen)
{
	if (a->auth == AUTH_NONE) {
		seterr(err, errlen, "no authentication is configured");
		return -1;
	}
	char *h = auth_header(a->auth, a->user, secret, err, errlen);
	if (!h)
		return -1;
	free_secret(a->auth_header);
	a->auth_header = h;
	return 0;
}

/* --- logging ------------------------------------------------------------- */

/* One line of the trace; the whole line goes through the sanitiser (URLs,
 * messages and headers can hold the server's text). */
static void log_line(api *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_line(api *a, const char *fmt, ...)
{
	if (!a->log)
		return;
	char ts[32], line[4096], shown[4 * sizeof line];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof ts, "%H:%M:%S", &tm);
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	esc_buf(line, (size_t)n < sizeof line ? (size_t)n : sizeof line - 1, 0, shown, sizeof shown);
	fprintf(a->log, "%s.%03ld %s\n", ts, now.tv_nsec / 1000000, shown);
}

/* Log each header line of DATA (LEN bytes) with MARK: secrets redacted,
 * everything else sanitised (the server's headers are untrusted text). */
static void log_headers(api *a, int id, char mark, const char *data, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;
		size_t m = n;
		while (m > 0 && (data[m - 1] == '\n' || data[m - 1] == '\r'))
			m--;
		if (m > 0) {
			char line[1024], red[128], shown[4 * sizeof line];
			size_t k = m < sizeof line - 1 ? m : sizeof line - 1;
			memcpy(line, data, k);
			line[k] = '\0';
			const char *l = api_redact_header(line, red, sizeof red);
			esc_buf(l, l == line ? k : strlen(l), 0, shown, sizeof shown);  /* NULs too */
			log_line(a, "#%d %c %s", id, mark, shown);
		}
		data += n;
		len -= n;
	}
}

static int on_debug(CURL *h, curl_infotype type, char *data, size_t len, void *ud)
{
	req *r = ud;
	if (type == CURLINFO_HEADER_OUT)
		log_headers(r->owner, r->id, '>', data, len);
	else if (type == CURLINFO_HEADER_IN)
		log_headers(r->owner, r->id, '<', data, len);
	return 0;
}

/* --- callbacks ------------------------------------------------------------ */

static size_t on_write(char *data, size_t size, size_t nmemb, void *ud)
{
	req *r = ud;
	size_t len = size * nmemb;
	if (len > API_MAX_RESPONSE - r->resp_len) {
		r->too_big = true;
		return 0;
	}
	if (r->resp_len + len + 1 > r->resp_cap) {
		size_t cap = r->resp_cap ? r->resp_cap : 16384;
		while (cap < r->resp_len + len + 1)
			cap *= 2;
		char *p = realloc(r->resp, cap);
		if (!p)
			return 0;
		r->resp = p;
		r->resp_cap = cap;
	}
	memcpy(r->resp + r->resp_len, data, len);
	r->resp_len += len;
	r->resp[r->resp_len] = '\0';
	return len;
}

/* Copy the value of header line DATA (after its colon) into OUT, trimmed. */
static void header_value(const char *data, size_t len, size_t name_len, char *out, size_t outlen)
{
	const char *v = data + name_len, *end = data + len;
	while (v < end && (*v == ' ' || *v == '\t'))
		v++;
	while (end > v && (end[-1] == '\r' || end[-1] == '\n' || end[-1] == ' '))
		end--;
	size_t n = (size_t)(end - v) < outlen - 1 ? (size_t)(end - v) : outlen - 1;
	memcpy(out, v, n);
	out[n] = '\0';
}

static size_t on_header(char *data, size_t size, size_t nmemb, void *ud)
{
	req *r = ud;
	size_t len = size * nmemb;
	if (len >= 5 && !strncmp(data, "HTTP/", 5)) {
		header_value(data, len, 0, r->status_line, sizeof r->status_line);
		r->content_type[0] = r->last_modified[0] = r->retry_after[0] = '\0';
	} else if (len > 13 && !strncasecmp(data, "Content-Type:", 13)) {
		header_value(data, len, 13, r->content_type, sizeof r->content_type);
	} else if (len > 14 && !strncasecmp(data, "Last-Modified:", 14)) {
		header_value(data, len, 14, r->last_modified, sizeof r->last_modified);
	} else if (len > 12 && !strncasecmp(data, "Retry-After:", 12)) {
		header_value(data, len, 12, r->retry_after, sizeof r->retry_after);
	}
	return len;
}

/* --- requests ------------------------------------------------------------- */

static void queue_result(api *a, api_result *res)
{
	if (a->ndone == a->capdone) {
		size_t cap = a->capdone ? a->capdone * 2 : 8;
		api_result **p = realloc(a->done, cap * sizeof *p);
		if (!p) {
			api_result_free(res);
			return;
		}
		a->done = p;
		a->capdone = cap;
	}
	a->done[a->ndone++] = res;
}

/* Queue a result for a request that could not start; returns -1. */
static int fail_start(api *a, api_kind kind, const char *msg)
{
	api_result *res = calloc(1, sizeof *res);
	if (res) {
		res->id = -1;
		res->kind = kind;
		esc_buf(msg, strlen(msg), 0, res->message, sizeof res->message);
		queue_result(a, res);
	}
	return -1;
}

static struct curl_slist *add_header(struct curl_slist *l, const char *name, const char *value, bool *ok)
{
	if (!value || !*ok)
		return l;
	char line[512];
	snprintf(line, sizeof line, "%s: %s", name, value);
	struct curl_slist *n = curl_slist_append(l, line);
	if (!n)
		*ok = false;
	return n ? n : l;
}

static struct curl_slist *add_line(struct curl_slist *l, const char *line, bool *ok)
{
	if (!line || !*ok)
		return l;
	struct curl_slist *n = curl_slist_append(l, line);
	if (!n)
		*ok = false;
	return n ? n : l;
}

/* Wipe every header string (one may hold a credential), then free. */
static void free_headers(struct curl_slist *l)
{
	for (struct curl_slist *p = l; p; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

/* The request headers; the tenant state request (INTERNAL) carries no
 * credentials. */
static struct curl_slist *build_headers(api *a, const req *r)
{
	bool ok = true, body = r->sp.body != NULL;
	struct curl_slist *l = NULL;
	l = add_header(l, "Accept", "application/json", &ok);
	if (!r->internal) {
		l = add_header(l, "Accept-Language", a->accept_language, &ok);
		l = add_header(l, "SO-Language", a->so_language, &ok);
		l = add_header(l, "SO-Culture", a->so_culture, &ok);
		l = add_header(l, "SO-TimeZone", a->so_timezone, &ok);
		l = add_header(l, "Content-Type", body ? r->sp.ctype : NULL, &ok);
		l = add_header(l, "If-Unmodified-Since", r->sp.ius, &ok);
		l = add_header(l, "Expect", body ? "" : NULL, &ok);  /* no 100-continue round trip */
		l = add_line(l, a->auth_header, &ok);
		l = add_line(l, a->app_token_header, &ok);
	}
	if (!ok) {
		free_headers(l);
		return NULL;
	}
	return l;
}

static CURL *easy_get(api *a)
{
	if (a->npool > 0)
		return a->pool[--a->npool];
	return curl_easy_init();
}

static void easy_put(api *a, CURL *e)
{
	curl_easy_reset(e);
	if (a->npool < POOL_MAX)
		a->pool[a->npool++] = e;
	else
		curl_easy_cleanup(e);
}

static void setup_easy(api *a, req *r, long timeout_ms)
{
	CURL *e = r->easy;
	curl_easy_reset(e);
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	/* Never follow a redirect: the credentials would go along to wherever
	 * it points. A 3xx is reported (api_redirect_message). */
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, timeout_ms < 10000 ? timeout_ms : 10000L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, timeout_ms);
	curl_easy_setopt(e, CURLOPT_USERAGENT, "ticketed/" TICKETED_VERSION);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, r->hdrs);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, r->errbuf);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_write);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, r);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, r);
	curl_easy_setopt(e, CURLOPT_PRIVATE, r);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, a->insecure ? 0L : 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, a->insecure ? 0L : 2L);
	if (a->cacert)
		curl_easy_setopt(e, CURLOPT_CAINFO, a->cacert);
	if (r->sp.body) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->sp.method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->sp.body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->sp.body_len);
		/* PATCH and POST are not idempotent: on a reused connection that dies
		 * before any answer, libcurl silently sends the request again (a
		 * second apply after a drop-after-apply). A fresh connection is never
		 * retried; the editor re-reads the ticket instead (conflict.h). */
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	}
	if (a->log) {
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, r);
	}
}

static void spec_free(api_spec *sp)
{
	free(sp->suffix);
	free(sp->body);
	free(sp->ius);
	memset(sp, 0, sizeof *sp);
}

static void detach(api *a, req *r)
{
	if (r->attached) {
		curl_multi_remove_handle(a->multi, r->easy);
		r->attached = false;
	}
}

static void req_free(api *a, req *r)
{
	if (r->easy) {
		detach(a, r);
		easy_put(a, r->easy);
	}
	free_headers(r->hdrs);
	spec_free(&r->sp);
	free(r->url);
	free(r->resp);
	free(r);
}

/* Unlink R from the active list. */
static void unlink_req(api *a, req *r)
{
	for (req **p = &a->active; *p; p = &(*p)->next)
		if (*p == r) {
			*p = r->next;
			return;
		}
}

static api_result *req_result(api *a, req *r, CURLcode code);
static void tenant_done(api *a, req *r, CURLcode code);

/* Deliver R's result now (with MSG instead of the response's, if given)
 * and free it. */
static void deliver(api *a, req *r, CURLcode code, const char *msg)
{
	unlink_req(a, r);
	api_result *res = req_result(a, r, code);
	if (res && msg) {
		esc_buf(msg, strlen(msg), 0, res->message, sizeof res->message);
		log_line(a, "#%d: %s", r->id, res->message);
	}
	req_free(a, r);
	if (res)
		queue_result(a, res);
}

/* R cannot be sent: deliver it (the tenant state request falls back to
 * the configured URL instead). */
static void attempt_failed(api *a, req *r, CURLcode code, const char *msg)
{
	if (r->internal) {
		snprintf(r->errbuf, sizeof r->errbuf, "%s", msg ? msg : curl_easy_strerror(code));
		tenant_done(a, r, code);
	} else {
		deliver(a, r, code, msg);
	}
}

/* Send R (again): a fresh URL on the base in use, fresh headers (the
 * credentials may have changed), the time left of its deadline. */
static void attempt(api *a, req *r)
{
	long left = r->deadline - now_ms();
	r->resp_len = 0;
	r->too_big = false;
	r->status_line[0] = r->content_type[0] = r->last_modified[0] = r->retry_after[0] = '\0';
	r->errbuf[0] = '\0';
	if (left <= 0) {
		attempt_failed(a, r, CURLE_OPERATION_TIMEDOUT, NULL);
		return;
	}
	free(r->url);
	free_headers(r->hdrs);
	r->url = r->internal ? strdup(r->sp.suffix) : str_join(a->base, "", r->sp.suffix);
	r->hdrs = build_headers(a, r);
	if (!r->easy)
		r->easy = easy_get(a);
	if (!r->url || !r->hdrs || !r->easy) {
		attempt_failed(a, r, CURLE_OUT_OF_MEMORY, "out of memory");
		return;
	}
	setup_easy(a, r, left);
	if (curl_multi_add_handle(a->multi, r->easy) != CURLM_OK) {
		attempt_failed(a, r, CURLE_FAILED_INIT, "cannot start the request");
		return;
	}
	r->attached = true;
	r->state = RS_RUNNING;
	r->attempts++;
	log_line(a, "#%d %s %s%s", r->id, r->sp.method, r->url, r->attempts > 1 ? " (again)" : "");
}

/* --- the Online tenant state --------------------------------------------- */

/* Whether requests must wait for the tenant state (none yet, or expired). */
static bool tenant_stale(const api *a)
{
	return a->tenant_url && (a->tenant_valid == 0 || now_ms() >= a->tenant_valid);
}

/* Start the held requests, or fail them with MSG. */
static void release_held(api *a, const char *msg)
{
	for (req *r = a->active, *next; r; r = next) {
		next = r->next;
		if (r->state != RS_HELD || r->internal)
			continue;
		if (msg)
			deliver(a, r, CURLE_COULDNT_CONNECT, msg);
		else
			attempt(a, r);
	}
}

/* The state request finished: move to its Endpoint, or say why not. */
static void tenant_done(api *a, req *r, CURLcode code)
{
	long status = 0;
	char err[300], msg[512];
	api_tenant t;
	if (r->easy && code == CURLE_OK)
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	a->tenant_req = 0;
	unlink_req(a, r);
	if (code != CURLE_OK)
		seterr(err, sizeof err, "%s", r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
	else if (status != 200)
		api_status_text(status, r->status_line, err, sizeof err);
	if (code == CURLE_OK && status == 200 &&
	    api_tenant_parse(r->resp ? r->resp : "", r->resp_len, a->tenant_url, &t, err, sizeof err) == 0) {
		time_t wall = time(NULL);
		long valid = t.valid_until > wall ? (long)(t.valid_until - wall) : TENANT_RECHECK_S;
		a->tenant_valid = now_ms() + (valid < 60 ? 60 : valid) * 1000L;
		log_line(a, "#%d tenant %s: %s%s, endpoint %s", r->id, t.context, t.state,
		         t.running ? "" : " (not running)", t.base);
		if (!t.running) {
			snprintf(msg, sizeof msg, "the tenant status (%.150s) says %s is %s: the service is not "
			         "available now; try again later", a->tenant_url, t.context[0] ? t.context : "the tenant",
			         t.state[0] ? t.state : "not running");
			a->tenant_valid = 0;  /* ask again next time */
			req_free(a, r);
			release_held(a, msg);
			return;
		}
		if (strcmp(a->base, t.base)) {
			char *b = strdup(t.base);
			if (b) {
				log_line(a, "#%d the service moved: %s -> %s", r->id, a->base, b);
				free(a->base);
				a->base = b;
			}
		}
		req_free(a, r);
		release_held(a, NULL);
		return;
	}
	/* No state: the configured URL is still the best guess. */
	a->tenant_valid = now_ms() + 60 * 1000L;
	esc_buf(err, strlen(err), 0, msg, sizeof msg);
	log_line(a, "#%d tenant status unavailable (%s): using %s", r->id, msg, a->base);
	req_free(a, r);
	release_held(a, NULL);
}

/* Start the state request unless one is in flight. 0, or -1. */
static int start_tenant_check(api *a)
{
	if (a->tenant_req)
		return 0;
	req *r = calloc(1, sizeof *r);
	if (!r || !(r->sp.suffix = strdup(a->tenant_url))) {
		free(r);
		return -1;
	}
	r->owner = a;
	r->internal = true;
	r->sp.method = "GET";
	r->id = a->next_id++;
	if (a->next_id <= 0)
		a->next_id = 1;
	r->deadline = now_ms() + a->timeout_s * 1000L;
	r->next = a->active;
	a->active = r;
	a->tenant_req = r->id;
	attempt(a, r);
	return 0;
}

/* Hold R until the tenant state is read (R may be sent, or delivered,
 * before this returns); false when that cannot start. */
static bool hold_for_tenant(api *a, req *r)
{
	r->state = RS_HELD;
	return start_tenant_check(a) == 0;
}

/* Start a request of SP (taken). */
static int req_start(api *a, api_spec *sp)
{
	req *r = calloc(1, sizeof *r);
	if (!r || !sp->suffix) {
		free(r);
		api_kind kind = sp->kind;
		spec_free(sp);
		return fail_start(a, kind, "out of memory");
	}
	r->owner = a;
	r->sp = *sp;
	r->id = a->next_id++;
	if (a->next_id <= 0)
		a->next_id = 1;
	r->deadline = now_ms() + a->timeout_s * 1000L;
	r->next = a->active;
	a->active = r;
	int id = r->id;
	if (!tenant_stale(a) || !hold_for_tenant(a, r))
		attempt(a, r);
	return id;
}

int api_get_ticket(api *a, long id)
{
	char num[40];
	snprintf(num, sizeof num, "/Ticket/%ld", id);
	api_spec sp = { .kind = API_GET_TICKET, .method = "GET", .suffix = strdup(num), .ticket_id = id };
	return req_start(a, &sp);
}

int api_patch_ticket(api *a, long id, const cJSON *patch, const char *if_unmodified_since)
{
	char num[40];
	char *body = json_print(patch, false);
	if (!body)
		return fail_start(a, API_PATCH_TICKET, "cannot encode the patch");
	snprintf(num, sizeof num, "/Ticket/%ld", id);
	api_spec sp = { .kind = API_PATCH_TICKET, .method = "PATCH", .suffix = strdup(num), .body = body,
	                .body_len = strlen(body), .ctype = "application/json-patch+json",
	                .ius = if_unmodified_since ? strdup(if_unmodified_since) : NULL, .ticket_id = id };
	if (if_unmodified_since && !sp.ius) {
		free(sp.suffix);
		sp.suffix = NULL;  /* req_start reports "out of memory" */
	}
	return req_start(a, &sp);
}

int api_get_list(api *a, const char *list)
{
	char *url = api_url_list("", list);  /* "/MDOList/<escaped>" */
	api_spec sp = { .kind = API_GET_LIST, .method = "GET", .suffix = url };
	return req_start(a, &sp);
}

int api_get(api *a, const char *path, const char *const *query)
{
	char err[200];
	api_spec sp = { .kind = API_GET, .method = "GET",
	                .suffix = api_url_suffix(path, query, err, sizeof err) };
	if (!sp.suffix)
		return fail_start(a, API_GET, err);
	return req_start(a, &sp);
}

int api_post(api *a, const char *path, const cJSON *body)
{
	return api_post_query(a, path, NULL, body);
}

int api_post_query(api *a, const char *path, const char *const *query, const cJSON *body)
{
	char err[200];
	char *text = body ? json_print(body, false) : strdup("");
	if (!text)
		return fail_start(a, API_POST, "cannot encode the body");
	api_spec sp = { .kind = API_POST, .method = "POST", .suffix = api_url_suffix(path, query, err, sizeof err),
	                .body = text, .body_len = strlen(text), .ctype = "application/json" };
	if (!sp.suffix) {
		free(text);
		return fail_start(a, API_POST, err);
	}
	return req_start(a, &sp);
}

int api_retry(api *a, const api_result *r)
{
	if (!r || !r->spec)
		return fail_start(a, r ? r->kind : API_GET, "nothing to send again");
	const api_spec *o = r->spec;
	api_spec sp = *o;
	sp.suffix = strdup(o->suffix);
	sp.body = o->body ? malloc(o->body_len + 1) : NULL;
	sp.ius = o->ius ? strdup(o->ius) : NULL;
	if ((o->body && !sp.body) || (o->ius && !sp.ius)) {
		free(sp.suffix);
		sp.suffix = NULL;
	}
	if (sp.body)
		memcpy(sp.body, o->body, o->body_len + 1);
	return req_start(a, &sp);
}

int api_pending(const api *a)
{
	int n = (int)a->ndone;
	for (const req *r = a->active; r; r = r->next)
		n += !r->internal;
	return n;
}

long api_retry_in(const api *a, int reqid, long *status)
{
	long now = now_ms();
	for (const req *r = a->active; r; r = r->next) {
		if (r->internal || r->state != RS_WAITING || (reqid && r->id != reqid))
			continue;
		if (status)
			*status = r->wait_status;
		long ms = r->retry_at - now;
		return ms <= 0 ? 1 : (ms + 999) / 1000;
	}
	return 0;
}

/* --- results -------------------------------------------------------------- */

/* Lazy parsing of a ticket: every member but Messages becomes nodes. */
static bool want_member(const char *key, void *ctx)
{
	(void)ctx;
	return strcasecmp(key, "Messages") != 0;
}

static bool is_html(const req *r)
{
	const char *b = r->resp;
	size_t i = 0;
	if (strcasestr(r->content_type, "html"))
		return true;
	while (b && i < r->resp_len && (b[i] == ' ' || b[i] == '\n' || b[i] == '\r' || b[i] == '\t'))
		i++;
	return b && i < r->resp_len && b[i] == '<';
}

/* "GET URL answered 404 with an HTML page: is the base URL right?" */
static void not_api(api_result *res, const req *r, long status, const char *what)
{
	snprintf(res->message, sizeof res->message, "%s %.300s answered %ld %s: is the base URL right?",
	         r->sp.method, r->url, status, what);
}

/* A ticket answer must be the ticket asked for: TicketId N for ticket N. */
static void check_ticket_id(api_result *res, const req *r)
{
	const cJSON *tid = json_get_ci(res->json, "TicketId");
	if (!cJSON_IsObject(res->json) || (cJSON_IsNumber(tid) && tid->valuedouble == (double)r->sp.ticket_id))
		return;
	if (cJSON_IsNumber(tid))
		snprintf(res->message, sizeof res->message, "%s %.300s answered with ticket %.0f instead of %ld: "
		         "the answer is not used", r->sp.method, r->url, tid->valuedouble, r->sp.ticket_id);
	else
		snprintf(res->message, sizeof res->message, "%s %.300s answered without a TicketId: "
		         "the answer is not used", r->sp.method, r->url);
	cJSON_Delete(res->json);
	res->json = NULL;
	res->ok = false;
}

/* Parse a 2xx body into RES (ok on success). */
static void parse_success(api_result *res, req *r)
{
	char st[128], ct[200];
	api_status_text(res->http_status, r->status_line, st, sizeof st);
	if (res->http_status == 204) {  /* No Content: done, and nothing to parse */
		res->ok = true;
		snprintf(res->message, sizeof res->message, "%s", st);
		return;
	}
	if (r->resp_len == 0) {
		snprintf(res->message, sizeof res->message, "%s: empty response", st);
		return;
	}
	if (r->content_type[0] && !strcasestr(r->content_type, "json")) {
		esc_buf(r->content_type, strlen(r->content_type), 0, ct, sizeof ct);
		if (is_html(r))
			not_api(res, r, res->http_status, "with an HTML page");
		else
			snprintf(res->message, sizeof res->message, "%s: the response is not JSON (%s)", st, ct);
		return;
	}
	char err[256];
	if (r->sp.kind != API_GET_TICKET && r->sp.kind != API_PATCH_TICKET) {
		res->json = json_parse(r->resp, r->resp_len, "response", err, sizeof err);
	} else {
		/* A ticket: its Messages (thousands of rows, read-only, never
		 * edited) stay as raw text; the buffer goes to the tree. */
		char *buf = r->resp;
		r->resp = NULL;
		r->resp_cap = 0;
		res->json = json_parse_lazy(buf, r->resp_len, "response", want_member, NULL, err, sizeof err);
	}
	if (!res->json) {
		snprintf(res->message, sizeof res->message, "%s: the response is not valid JSON (%s)", st, err);
		return;
	}
	res->ok = true;
	snprintf(res->message, sizeof res->message, "%s", st);
	if (r->sp.ticket_id)
		check_ticket_id(res, r);
}

/* An error status: ErrorMessage or the status line, and what it means. */
static void parse_error(api *a, api_result *res, req *r)
{
	res->json = api_error_message(res->http_status, r->status_line, r->content_type,
	                              r->resp, r->resp_len, res->message, sizeof res->message);
	res->so_error = api_is_so_error(res->json);
	if (res->http_status == 301 || res->http_status == 302 || res->http_status == 303 ||
	    res->http_status == 307 || res->http_status == 308) {
		char *target = NULL;
		curl_easy_getinfo(r->easy, CURLINFO_REDIRECT_URL, &target);
		api_redirect_message(res->http_status, r->url, r->internal ? "" : r->sp.suffix, target,
		                     res->message, sizeof res->message);
	} else if (res->http_status == 404 && !res->so_error) {
		not_api(res, r, 404, is_html(r) ? "with an HTML page" : "without a SuperOffice error body");
	} else if (res->http_status == 401) {
		res->need_credentials = true;
		size_t n = strlen(res->message);
		if (a->auth == AUTH_NONE)
			snprintf(res->message + n, sizeof res->message - n, " (no credentials were sent: use --user, "
			         "TICKETED_TOKEN or token_command)");
		else if (r->refreshed && !r->note[0])
			snprintf(res->message + n, sizeof res->message - n, " (a fresh token from token_command "
			         "was refused too)");
		else if (!r->note[0] && a->auth_hint)
			snprintf(res->message + n, sizeof res->message - n, ": %s", a->auth_hint);
	}
}

/* Whether the request (and its body) went out completely. */
static bool was_sent(req *r)
{
	curl_off_t up = 0;
	long reqsize = 0;
	curl_easy_getinfo(r->easy, CURLINFO_REQUEST_SIZE, &reqsize);
	curl_easy_getinfo(r->easy, CURLINFO_SIZE_UPLOAD_T, &up);
	if (reqsize <= 0)
		return false;
	return !r->sp.body || (size_t)up >= r->sp.body_len;
}

/* The message for a failed transfer: curl's error text, made plainer for a
 * refused connection ("Could not connect to 127.0.0.1 port 9: Connection refused"). */
static void transfer_error(api_result *res, req *r, CURLcode code)
{
	long oserr = 0;
	char *host = NULL, *port = NULL;
	CURLU *u = curl_url();
	if (r->easy)
		curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &oserr);
	if (u && r->url && curl_url_set(u, CURLUPART_URL, r->url, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_HOST, &host, 0);
		curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	}
	if (r->too_big)
		snprintf(res->message, sizeof res->message, "response larger than 32 MiB");
	else if (code == CURLE_COULDNT_CONNECT && oserr && host && port)
		snprintf(res->message, sizeof res->message, "Could not connect to %.200s port %s: %s",
		         host, port, strerror((int)oserr));
	else if (code == CURLE_OPERATION_TIMEDOUT && !r->errbuf[0])
		snprintf(res->message, sizeof res->message, "no answer within the timeout (%ld s)",
		         r->owner->timeout_s);
	else
		snprintf(res->message, sizeof res->message, "%s",
		         r->errbuf[0] ? r->errbuf : curl_easy_strerror(code));
	curl_free(host);
	curl_free(port);
	curl_url_cleanup(u);
}

static api_result *req_result(api *a, req *r, CURLcode code)
{
	api_result *res = calloc(1, sizeof *res);
	api_spec *sp = malloc(sizeof *sp);
	if (!res || !sp) {
		free(res);
		free(sp);
		return NULL;
	}
	res->id = r->id;
	res->kind = r->sp.kind;
	res->curl_code = (int)code;
	res->attempts = r->attempts;
	if (r->easy && r->attempts > 0) {
		curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res->http_status);
		res->sent = was_sent(r);
	}
	snprintf(res->last_modified, sizeof res->last_modified, "%s", r->last_modified);
	if (code != CURLE_OK)
		transfer_error(res, r, code);
	else if (res->http_status >= 200 && res->http_status < 300)
		parse_success(res, r);
	else if (res->http_status)
		parse_error(a, res, r);
	if (r->note[0]) {
		size_t n = strlen(res->message);
		snprintf(res->message + n, sizeof res->message - n, "%s", r->note);
	}
	/* Sanitised once, here: every message is safe to print as it is. */
	char shown[sizeof res->message];
	esc_buf(res->message, strlen(res->message), 0, shown, sizeof shown);
	memcpy(res->message, shown, sizeof shown);
	*sp = r->sp;
	memset(&r->sp, 0, sizeof r->sp);
	res->spec = sp;
	curl_off_t us = 0;
	if (r->easy)
		curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &us);
	log_line(a, "#%d = %ld, %zu bytes, %.1f ms%s%s", r->id, res->http_status, r->resp_len,
	         (double)us / 1000.0, res->ok ? "" : ": ", res->ok ? "" : res->message);
	return res;
}

/* A 401 with a token: ask for a fresh one once and send again. True when
 * the request goes out again. */
static bool refresh_and_retry(api *a, req *r)
{
	char err[300], *secret = NULL;
	if (r->refreshed || !a->refresh || (a->auth != AUTH_BEARER && a->auth != AUTH_SOTICKET))
		return false;
	r->refreshed = true;
	log_line(a, "#%d 401: asking token_command for a fresh token", r->id);
	int rc = a->refresh(a->refresh_ctx, &secret, err, sizeof err);
	if (rc == 0 && api_set_secret(a, secret, err, sizeof err) == 0) {
		free_secret(secret);
		attempt(a, r);  /* a 401 means nothing was applied: safe for PATCH and POST */
		return true;
	}
	free_secret(secret);
	snprintf(r->note, sizeof r->note, "; no fresh token: %.150s", err);
	return false;
}

/* A 429 or 503: the service did not process the request (so a PATCH or POST
 * was not applied and may be sent again). Wait as Retry-After says, within
 * the deadline. True when the request waits. */
static bool wait_and_retry(api *a, req *r, long status)
{
	long secs = RETRY_DEFAULT_S;
	if (r->retry_after[0] && api_retry_after(r->retry_after, time(NULL), &secs) < 0)
		secs = RETRY_DEFAULT_S;
	long due = now_ms() + secs * 1000L;
	if (r->attempts >= MAX_ATTEMPTS) {
		snprintf(r->note, sizeof r->note, " (still refused after %d attempts)", r->attempts);
		return false;
	}
	if (due >= r->deadline) {
		snprintf(r->note, sizeof r->note, " (the service asks to retry in %ld s, beyond the %ld s "
		         "timeout)", secs, a->timeout_s);
		return false;
	}
	r->state = RS_WAITING;
	r->retry_at = due;
	r->wait_status = status;
	log_line(a, "#%d HTTP %ld: retrying in %ld s", r->id, status, secs);
	return true;
}

/* A transfer of R finished with CODE: retry, wait, or deliver. */
static void finish(api *a, req *r, CURLcode code)
{
	long status = 0;
	detach(a, r);
	if (r->internal) {
		tenant_done(a, r, code);
		return;
	}
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &status);
	if (code == CURLE_OK && status == 401 && refresh_and_retry(a, r))
		return;
	if (code == CURLE_OK && (status == 429 || status == 503) && wait_and_retry(a, r, status))
		return;
	/* Online tenants move: a redirect, or a host that is not there any more
	 * (nothing was sent), sends it to the tenant state once. */
	bool moved = (code == CURLE_OK && status >= 300 && status < 400) ||
	             (code == CURLE_COULDNT_CONNECT || code == CURLE_COULDNT_RESOLVE_HOST);
	if (moved && a->tenant_url && !r->rechecked) {
		r->rechecked = true;
		a->tenant_valid = 0;
		if (hold_for_tenant(a, r))
			return;
	}
	deliver(a, r, code, NULL);
}

/* Send the waiting requests whose time has come. */
static void wake_due(api *a)
{
	long now = now_ms();
	for (req *r = a->active, *next; r; r = next) {
		next = r->next;
		if (r->state == RS_WAITING && now >= r->retry_at)
			attempt(a, r);
	}
}

/* Run transfers and move finished ones to the result queue. */
static void pump(api *a)
{
	int running = 0, left = 0;
	wake_due(a);
	curl_multi_perform(a->multi, &running);
	CURLMsg *m;
	while ((m = curl_multi_info_read(a->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		req *r = (req *)priv;
		if (r)
			finish(a, r, m->data.result);
	}
}

/* Remove and return the queued result for REQID (0: the first), or NULL. */
static api_result *take_result(api *a, int reqid)
{
	for (size_t i = 0; i < a->ndone; i++) {
		if (reqid && a->done[i]->id != reqid)
			continue;
		api_result *res = a->done[i];
		memmove(a->done + i, a->done + i + 1, (a->ndone - i - 1) * sizeof *a->done);
		a->ndone--;
		return res;
	}
	return NULL;
}

void api_cancel(api *a, int reqid)
{
	req **p = &a->active;
	while (*p) {
		req *r = *p;
		if (!r->internal && (reqid == 0 || r->id == reqid)) {
			*p = r->next;
			log_line(a, "#%d cancelled", r->id);
			req_free(a, r);
		} else {
			p = &r->next;
		}
	}
	api_result *res;
	while ((res = take_result(a, reqid)))
		api_result_free(res);
}

int api_wait(api *a, int extra_fd, int timeout_ms)
{
	struct curl_waitfd w = { .fd = extra_fd, .events = CURL_WAIT_POLLIN, .revents = 0 };
	int n = 0;
	long now = now_ms();
	if (a->ndone > 0)
		timeout_ms = 0;
	for (const req *r = a->active; r; r = r->next)
		if (r->state == RS_WAITING && r->retry_at - now < timeout_ms)
			timeout_ms = (int)(r->retry_at - now);
	if (timeout_ms < 0)
		timeout_ms = 0;
	curl_multi_poll(a->multi, extra_fd >= 0 ? &w : NULL, extra_fd >= 0 ? 1 : 0, timeout_ms, &n);
	return extra_fd >= 0 && (w.revents & CURL_WAIT_POLLIN) ? 1 : 0;
}

void api_kick(api *a)
{
	pump(a);
}

api_result *api_next(api *a)
{
	pump(a);
	return take_result(a, 0);
}

static bool is_active(const api *a, int reqid)
{
	for (const req *r = a->active; r; r = r->next)
		if (!r->internal && (reqid == 0 || r->id == reqid))
			return true;
	return false;
}

api_result *api_run(api *a, int reqid)
{
	for (;;) {
		pump(a);
		api_result *res = take_result(a, reqid);
		if (res || !is_active(a, reqid))
			return res;
		api_wait(a, -1, 1000);
	}
}

void api_result_free(api_result *r)
{
	if (!r)
		return;
	cJSON_Delete(r->json);
	if (r->spec) {
		spec_free(r->spec);
		free(r->spec);
	}
	free(r);
}

cJSON *api_result_take_json(api_result *r)
{
	cJSON *j = r->json;
	r->json = NULL;
	return j;
}

void api_free(api *a)
{
	if (!a)
		return;
	while (a->active) {
		req *r = a->active;
		a->active = r->next;
		req_free(a, r);
	}
	api_cancel(a, 0);
	for (int i = 0; i < a->npool; i++)
		curl_easy_cleanup(a->pool[i]);
	if (a->multi)
		curl_multi_cleanup(a->multi);
	free(a->done);
	free_secret(a->auth_header);
	free_secret(a->app_token_header);
	free(a->base);
	free(a->user);
	free(a->accept_language);
	free(a->so_language);
	free(a->so_culture);
	free(a->so_timezone);
	free(a->cacert);
	free(a->auth_hint);
	free(a->tenant_url);
	if (a->log)
		fclose(a->log);
	free(a);
}

/* api.c — the SuperOffice service client on libcurl's multi interface.
 *
 * One CURLM holds the connection cache (so one keep-alive connection serves
 * the session); easy handles are recycled through a small pool. Requests are
 * driven by api_wait (curl_multi_poll, which also watches the caller's fd)
 * and api_next; finished transfers become api_result values in a queue. */
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
#include "ticketed/json.h"

#define POOL_MAX 4

typedef struct req {
	struct req *next;
	int id;
	api_kind kind;
	CURL *easy;
	struct curl_slist *hdrs;
	char *url;
	const char *method;
	char *body;
	size_t body_len;
	char *resp;
	size_t resp_len, resp_cap;
	bool too_big;
	char status_line[160];
	char content_type[128];
	char last_modified[64];
	char errbuf[CURL_ERROR_SIZE];
	api *owner;
} req;

struct api {
	CURLM *multi;
	char *base;
	char *auth_header;          /* "Authorization: ..." or NULL; wiped on free */
	char *app_token_header;     /* "SO-AppToken: ..." or NULL; wiped on free */
	char *accept_language, *so_language, *so_culture, *so_timezone;
	char *cacert;
	long timeout_s;
	bool insecure;
	FILE *log;
	int next_id;
	req *active;
	api_result **done;          /* finished, undelivered results (FIFO) */
	size_t ndone, capdone;
	CURL *pool[POOL_MAX];
	int npool;
};

static bool g_curl_ready;

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

/* The Authorization header line for CFG, or NULL with ERR. */
static char *auth_header(const api_config *cfg, char *err, size_t errlen)
{
	const char *secret = cfg->secret ? cfg->secret : "";
	if (cfg->auth == AUTH_BASIC) {
		const char *user = cfg->user ? cfg->user : "";
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
		snprintf(err, errlen, "no token for %s authentication",
		         cfg->auth == AUTH_BEARER ? "Bearer" : "SOTicket");
		return NULL;
	}
	return str_join(cfg->auth == AUTH_BEARER ? "Authorization: Bearer" : "Authorization: SOTicket",
	                " ", secret);
}

/* Check that URL is an absolute http(s) URL without credentials. */
static int check_url(const char *url, char *err, size_t errlen)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL;
	int rc = -1;
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK)
		snprintf(err, errlen, "bad service URL \"%.200s\"", url);
	else if (strcasecmp(scheme, "http") && strcasecmp(scheme, "https"))
		snprintf(err, errlen, "service URL must start with http:// or https://: \"%.200s\"", url);
	else if (curl_url_get(u, CURLUPART_USER, &user, 0) == CURLUE_OK)
		snprintf(err, errlen, "credentials in the service URL are not accepted: "
		         "use --user and TICKETED_PASSWORD");
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
		snprintf(err, errlen, "%s: cannot open log: %m", path);
		if (fd >= 0)
			close(fd);
		return -1;
	}
	setvbuf(a->log, NULL, _IOLBF, 0);
	return 0;
}

static int copy_config(api *a, const api_config *cfg, char *err, size_t errlen)
{
	a->base = strdup(cfg->base_url);
	a->accept_language = dup_or_null(cfg->accept_language);
	a->so_language = dup_or_null(cfg->so_language);
	a->so_culture = dup_or_null(cfg->so_culture);
	a->so_timezone = dup_or_null(cfg->so_timezone);
	a->cacert = dup_or_null(cfg->cacert);
	a->timeout_s = cfg->timeout_s > 0 ? cfg->timeout_s : 30;
	a->insecure = cfg->insecure;
	a->next_id = 1;
	if (cfg->auth != AUTH_NONE && !(a->auth_header = auth_header(cfg, err, errlen)))
		return -1;
	if (cfg->app_token && *cfg->app_token &&
	    !(a->app_token_header = str_join("SO-AppToken:", " ", cfg->app_token)))
		return -1;
	if (!a->base) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

api *api_new(const api_config *cfg, char *err, size_t errlen)
{
	snprintf(err, errlen, "out of memory");
	if (!cfg->base_url || !*cfg->base_url) {
		snprintf(err, errlen, "no service URL: use --url or TICKETED_URL");
		return NULL;
	}
	if (!g_curl_ready) {
		if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
			snprintf(err, errlen, "libcurl initialisation failed");
			return NULL;
		}
		g_curl_ready = true;
	}
	if (check_url(cfg->base_url, err, errlen) < 0)
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

/* --- logging ------------------------------------------------------------- */

static void log_line(api *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void log_line(api *a, const char *fmt, ...)
{
	if (!a->log)
		return;
	char ts[32];
	struct timespec now;
	struct tm tm;
	clock_gettime(CLOCK_REALTIME, &now);
	gmtime_r(&now.tv_sec, &tm);
	strftime(ts, sizeof ts, "%H:%M:%S", &tm);
	fprintf(a->log, "%s.%03ld ", ts, now.tv_nsec / 1000000);
	va_list ap;
	va_start(ap, fmt);
	vfprintf(a->log, fmt, ap);
	va_end(ap);
	fputc('\n', a->log);
}

/* Log each header line of DATA (LEN bytes) with MARK, secrets redacted. */
static void log_headers(api *a, int id, char mark, const char *data, size_t len)
{
	while (len > 0) {
		const char *nl = memchr(data, '\n', len);
		size_t n = nl ? (size_t)(nl - data) + 1 : len;
		size_t m = n;
		while (m > 0 && (data[m - 1] == '\n' || data[m - 1] == '\r'))
			m--;
		if (m > 0) {
			char line[1024], red[128];
			snprintf(line, sizeof line, "%.*s", (int)(m < 1000 ? m : 1000), data);
			for (char *p = line; *p; p++)
				if ((unsigned char)*p < 0x20 || *p == 0x7f)
					*p = '?';
			log_line(a, "#%d %c %s", id, mark, api_redact_header(line, red, sizeof red));
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
		r->content_type[0] = r->last_modified[0] = '\0';
	} else if (len > 13 && !strncasecmp(data, "Content-Type:", 13)) {
		header_value(data, len, 13, r->content_type, sizeof r->content_type);
	} else if (len > 14 && !strncasecmp(data, "Last-Modified:", 14)) {
		header_value(data, len, 14, r->last_modified, sizeof r->last_modified);
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
		snprintf(res->message, sizeof res->message, "%s", msg);
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

/* Wipe every header string (one may hold a credential), then free. */
static void free_headers(struct curl_slist *l)
{
	for (struct curl_slist *p = l; p; p = p->next)
		explicit_bzero(p->data, strlen(p->data));
	curl_slist_free_all(l);
}

static struct curl_slist *build_headers(api *a, bool json_patch, const char *ius)
{
	bool ok = true;
	struct curl_slist *l = NULL;
	l = add_header(l, "Accept", "application/json", &ok);
	l = add_header(l, "Accept-Language", a->accept_language, &ok);
	l = add_header(l, "SO-Language", a->so_language, &ok);
	l = add_header(l, "SO-Culture", a->so_culture, &ok);
	l = add_header(l, "SO-TimeZone", a->so_timezone, &ok);
	l = add_header(l, "Content-Type", json_patch ? "application/json-patch+json" : NULL, &ok);
	l = add_header(l, "If-Unmodified-Since", ius, &ok);
	l = add_header(l, "Expect", json_patch ? "" : NULL, &ok);  /* no 100-continue round trip */
	struct curl_slist *n;
	if (ok && a->auth_header) {
		n = curl_slist_append(l, a->auth_header);
		ok = n != NULL;
		l = n ? n : l;
	}
	if (ok && a->app_token_header) {
		n = curl_slist_append(l, a->app_token_header);
		ok = n != NULL;
		l = n ? n : l;
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

static void setup_easy(api *a, req *r)
{
	CURL *e = r->easy;
	curl_easy_setopt(e, CURLOPT_URL, r->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT, 10L);
	curl_easy_setopt(e, CURLOPT_TIMEOUT, a->timeout_s);
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
	if (r->body) {
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, r->method);
		curl_easy_setopt(e, CURLOPT_POSTFIELDS, r->body);
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)r->body_len);
		/* A PATCH is not idempotent: on a reused connection that dies before
		 * any answer, libcurl silently sends the request again (a second apply
		 * after a drop-after-apply). A fresh connection is never retried; the
		 * editor re-reads the ticket instead (conflict.h). */
		curl_easy_setopt(e, CURLOPT_FRESH_CONNECT, 1L);
	}
	if (a->log) {
		curl_easy_setopt(e, CURLOPT_VERBOSE, 1L);
		curl_easy_setopt(e, CURLOPT_DEBUGFUNCTION, on_debug);
		curl_easy_setopt(e, CURLOPT_DEBUGDATA, r);
	}
}

static void req_free(api *a, req *r)
{
	if (r->easy) {
		curl_multi_remove_handle(a->multi, r->easy);
		easy_put(a, r->easy);
	}
	free_headers(r->hdrs);
	free(r->url);
	free(r->body);
	free(r->resp);
	free(r);
}

/* Start METHOD on URL (taken) with BODY (taken, or NULL). */
static int req_start(api *a, api_kind kind, const char *method, char *url, char *body, const char *ius)
{
	req *r = calloc(1, sizeof *r);
	if (!r || !url) {
		free(r);
		free(url);
		free(body);
		return fail_start(a, kind, "out of memory");
	}
	r->owner = a;
	r->kind = kind;
	r->method = method;
	r->url = url;
	r->body = body;
	r->body_len = body ? strlen(body) : 0;
	r->hdrs = build_headers(a, body != NULL, ius);
	r->easy = easy_get(a);
	if (!r->hdrs || !r->easy) {
		req_free(a, r);
		return fail_start(a, kind, "out of memory");
	}
	r->id = a->next_id++;
	if (a->next_id <= 0)
		a->next_id = 1;
	setup_easy(a, r);
	if (curl_multi_add_handle(a->multi, r->easy) != CURLM_OK) {
		curl_easy_cleanup(r->easy);
		r->easy = NULL;
		req_free(a, r);
		return fail_start(a, kind, "cannot start the request");
	}
	r->next = a->active;
	a->active = r;
	log_line(a, "#%d %s %s", r->id, method, url);
	return r->id;
}

int api_get_ticket(api *a, long id)
{
	return req_start(a, API_GET_TICKET, "GET", api_url_ticket(a->base, id), NULL, NULL);
}

int api_patch_ticket(api *a, long id, const cJSON *patch, const char *if_unmodified_since)
{
	char *body = json_print(patch, false);
	if (!body)
		return fail_start(a, API_PATCH_TICKET, "cannot encode the patch");
	return req_start(a, API_PATCH_TICKET, "PATCH", api_url_ticket(a->base, id), body,
	                 if_unmodified_since);
}

int api_get_list(api *a, const char *list)
{
	return req_start(a, API_GET_LIST, "GET", api_url_list(a->base, list), NULL, NULL);
}

int api_pending(const api *a)
{
	int n = (int)a->ndone;
	for (const req *r = a->active; r; r = r->next)
		n++;
	return n;
}

/* --- results -------------------------------------------------------------- */

/* Lazy parsing of a ticket: every member but Messages becomes nodes. */
static bool want_member(const char *key, void *ctx)
{
	(void)ctx;
	return strcasecmp(key, "Messages") != 0;
}

/* Parse a 2xx body into RES (ok on success). */
static void parse_success(api_result *res, req *r)
{
	char st[128];
	api_status_text(res->http_status, r->status_line, st, sizeof st);
	if (r->resp_len == 0) {
		snprintf(res->message, sizeof res->message, "%s: empty response", st);
		return;
	}
	if (r->content_type[0] && !strcasestr(r->content_type, "json")) {
		snprintf(res->message, sizeof res->message, "%s: the response is not JSON (%.100s)",
		         st, r->content_type);
		return;
	}
	char err[256];
	if (r->kind == API_GET_LIST) {
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
		snprintf(res->message, sizeof res->message, "%s: the response is not valid JSON (%s)",
		         st, err);
		return;
	}
	res->ok = true;
	snprintf(res->message, sizeof res->message, "%s", st);
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
	return !r->body || (size_t)up >= r->body_len;
}

/* The message for a failed transfer: curl's error text, made plainer for a
 * refused connection ("Could not connect to 127.0.0.1 port 9: Connection refused"). */
static void transfer_error(api_result *res, req *r, CURLcode code)
{
	long oserr = 0;
	char *host = NULL, *port = NULL;
	CURLU *u = curl_url();
	curl_easy_getinfo(r->easy, CURLINFO_OS_ERRNO, &oserr);
	if (u && curl_url_set(u, CURLUPART_URL, r->url, 0) == CURLUE_OK) {
		curl_url_get(u, CURLUPART_HOST, &host, 0);
		curl_url_get(u, CURLUPART_PORT, &port, CURLU_DEFAULT_PORT);
	}
	if (r->too_big)
		snprintf(res->message, sizeof res->message, "response larger than 32 MiB");
	else if (code == CURLE_COULDNT_CONNECT && oserr && host && port)
		snprintf(res->message, sizeof res->message, "Could not connect to %.200s port %s: %s",
		         host, port, strerror((int)oserr));
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
	if (!res)
		return NULL;
	res->id = r->id;
	res->kind = r->kind;
	res->curl_code = (int)code;
	curl_easy_getinfo(r->easy, CURLINFO_RESPONSE_CODE, &res->http_status);
	res->sent = was_sent(r);
	snprintf(res->last_modified, sizeof res->last_modified, "%s", r->last_modified);
	if (code != CURLE_OK) {
		transfer_error(res, r, code);
	} else if (res->http_status >= 200 && res->http_status < 300) {
		parse_success(res, r);
	} else {
		res->json = api_error_message(res->http_status, r->status_line, r->content_type,
		                              r->resp, r->resp_len, res->message, sizeof res->message);
	}
	curl_off_t us = 0;
	curl_easy_getinfo(r->easy, CURLINFO_TOTAL_TIME_T, &us);
	log_line(a, "#%d = %ld, %zu bytes, %.1f ms%s%s", r->id, res->http_status, r->resp_len,
	         (double)us / 1000.0, res->ok ? "" : ": ", res->ok ? "" : res->message);
	return res;
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

/* Run transfers and move finished ones to the result queue. */
static void pump(api *a)
{
	int running = 0, left = 0;
	curl_multi_perform(a->multi, &running);
	CURLMsg *m;
	while ((m = curl_multi_info_read(a->multi, &left))) {
		if (m->msg != CURLMSG_DONE)
			continue;
		char *priv = NULL;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, &priv);
		req *r = (req *)priv;
		if (!r)
			continue;
		CURLcode code = m->data.result;
		unlink_req(a, r);
		api_result *res = req_result(a, r, code);
		req_free(a, r);
		if (res)
			queue_result(a, res);
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
		if (reqid == 0 || r->id == reqid) {
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
	if (a->ndone > 0)
		timeout_ms = 0;
	if (timeout_ms < 0)
		timeout_ms = 0;
	curl_multi_poll(a->multi, extra_fd >= 0 ? &w : NULL, extra_fd >= 0 ? 1 : 0, timeout_ms, &n);
	return extra_fd >= 0 && (w.revents & CURL_WAIT_POLLIN) ? 1 : 0;
}

api_result *api_next(api *a)
{
	pump(a);
	return take_result(a, 0);
}

static bool is_active(const api *a, int reqid)
{
	for (const req *r = a->active; r; r = r->next)
		if (r->id == reqid)
			return true;
	return false;
}

api_result *api_run(api *a, int reqid)
{
	for (;;) {
		pump(a);
		api_result *res = take_result(a, reqid);
		if (res || (reqid ? !is_active(a, reqid) : a->active == NULL))
			return res;
		api_wait(a, -1, 1000);
	}
}

void api_result_free(api_result *r)
{
	if (!r)
		return;
	cJSON_Delete(r->json);
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
	api_cancel(a, 0);
	for (int i = 0; i < a->npool; i++)
		curl_easy_cleanup(a->pool[i]);
	if (a->multi)
		curl_multi_cleanup(a->multi);
	free(a->done);
	free_secret(a->auth_header);
	free_secret(a->app_token_header);
	free(a->base);
	free(a->accept_language);
	free(a->so_language);
	free(a->so_culture);
	free(a->so_timezone);
	free(a->cacert);
	if (a->log)
		fclose(a->log);
	free(a);
}

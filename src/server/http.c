/* http.c — ticketd's request handling on libmicrohttpd: routing (paths
 * case-insensitive), auth, body limits, the Ticket and MDOList calls,
 * error bodies, injected faults and the request log. */
#include "ticketd.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "ticketed/date.h"
#include "ticketed/json.h"

typedef struct {
	char method[16];
	char *path;             /* url?query, sanitised, for the log */
	struct timespec start;
	char *body;
	size_t len, cap;
	bool too_big;
	int status;             /* 0 until a response is queued */
	size_t bytes;
	char auth[16];          /* scheme only; credentials never kept */
	char *lang;             /* " Accept-Language=.. SO-Language=.." as received, escaped, for the log */
} td_req;

/* ---- small helpers ----------------------------------------------------------- */

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) == -1)
		;
}

/* Append S to the malloc'd string *BUF, escaping bytes a log must not hold. */
static void append_clean(char **buf, size_t *len, const char *s)
{
	size_t n = strlen(s);
	char *nb = realloc(*buf, *len + n * 4 + 1);
	if (!nb)
		return;
	*buf = nb;
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (ch < 0x20 || ch == 0x7f || ch == ' ')
			*len += (size_t)sprintf(nb + *len, "\\x%02x", ch);
		else
			nb[(*len)++] = (char)ch;
	}
	nb[*len] = '\0';
}

typedef struct {
	char **buf;
	size_t *len;
	int n;
} query_acc;

static enum MHD_Result query_it(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
	query_acc *q = cls;
	append_clean(q->buf, q->len, q->n++ ? "&" : "?");
	append_clean(q->buf, q->len, key);
	if (value) {
		append_clean(q->buf, q->len, "=");
		append_clean(q->buf, q->len, value);
	}
	return MHD_YES;
}

/* The language and locale headers a client sent (SPEC 6), each cut to 64
 * bytes and escaped, appended to the request's log line. */
static void log_lang_headers(struct MHD_Connection *c, td_req *r)
{
	static const char *const names[] = { "Accept-Language", "SO-Language", "SO-Culture", "SO-TimeZone" };
	size_t len = 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, names[i]);
		char cut[65];
		if (!v)
			continue;
		snprintf(cut, sizeof cut, "%s", v);
		append_clean(&r->lang, &len, "");   /* allocates the first time */
		char *nb = r->lang ? realloc(r->lang, len + 2) : NULL;
		if (!nb)
			return;
		r->lang = nb;
		nb[len++] = ' ';
		nb[len] = '\0';
		append_clean(&r->lang, &len, names[i]);
		append_clean(&r->lang, &len, "=");
		append_clean(&r->lang, &len, cut);
	}
}

static td_req *req_new(struct MHD_Connection *c, const char *url, const char *method)
{
	td_req *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	snprintf(r->method, sizeof r->method, "%s", method);
	size_t len = 0;
	append_clean(&r->path, &len, url);
	query_acc q = { &r->path, &len, 0 };
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, query_it, &q);
	log_lang_headers(c, r);
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth) {
		size_t i = 0;
		while (auth[i] && auth[i] != ' ' && i < sizeof r->auth - 1 && isalpha((unsigned char)auth[i]))
			r->auth[i] = auth[i], i++;
	}
	return r;
}

static void log_request(td_server *sv, const td_req *r, bool dropped)
{
	if (!sv->log)
		return;
	struct timespec now;
	clock_gettime(CLOCK_REALTIME, &now);
	struct tm tm;
	gmtime_r(&now.tv_sec, &tm);
	char ts[32], status[16];
	strftime(ts, sizeof ts, "%Y-%m-%dT%H:%M:%S", &tm);
	if (dropped || !r->status)
		snprintf(status, sizeof status, "-");
	else
		snprintf(status, sizeof status, "%d", r->status);
	pthread_mutex_lock(&sv->log_lock);
	fprintf(sv->log, "%s.%03ldZ %s %s %s %zu %.1fms auth=%s%s%s\n", ts, now.tv_nsec / 1000000L,
	        r->method, r->path ? r->path : "?", status, dropped ? 0 : r->bytes, ms_since(&r->start),
	        r->auth[0] ? r->auth : "none", r->auth[0] ? "(redacted)" : "", r->lang ? r->lang : "");
	fflush(sv->log);
	pthread_mutex_unlock(&sv->log_lock);
}

void http_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	td_req *r = *con_cls;
	if (!r)
		return;
	log_request(cls, r, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	free(r->path);
	free(r->lang);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

/* ---- responses -------------------------------------------------------------- */

typedef struct {
	char *text;
	size_t len;
	size_t chunk;
} slow_body;

static ssize_t slow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	slow_body *b = cls;
	if (pos >= b->len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	sleep_ms(20);
	size_t n = b->len - (size_t)pos;
	if (n > b->chunk)
		n = b->chunk;
	if (n > max)
		n = max;
	memcpy(buf, b->text + pos, n);
	return (ssize_t)n;
}

static void slow_free(void *cls)
{
	slow_body *b = cls;
	free(b->text);
	free(b);
}

/* Queue STATUS with TEXT (malloc'd, consumed). HDR/VAL: one extra header or NULL. */
static enum MHD_Result send_text(td_server *sv, struct MHD_Connection *c, td_req *r, int status,
                                 const char *ctype, char *text, const char *hdr, const char *val)
{
	size_t len = strlen(text);
	struct MHD_Response *resp;
	if (sv->cfg.slow_body) {
		slow_body *b = malloc(sizeof *b);
		b->text = text;
		b->len = len;
		b->chunk = len / 40 > 16 ? len / 40 : 16;
		resp = MHD_create_response_from_callback(len, 4096, slow_read, b, slow_free);
	} else {
		resp = MHD_create_response_from_buffer(len, text, MHD_RESPMEM_MUST_FREE);
	}
	if (!resp)
		return MHD_NO;
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER, "ticketd/" TICKETED_VERSION);
	if (hdr)
		MHD_add_response_header(resp, hdr, val);
	r->status = status;
	r->bytes = len;
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

static const char *reason(int status)
{
	const char *s = MHD_get_reason_phrase_for((unsigned)status);
	return s && *s ? s : "Error";
}

static char *html_escape(const char *s)
{
	size_t n = 1;
	for (const char *p = s; *p; p++)
		n += 6;
	char *o = malloc(n), *q = o;
	for (; *s; s++) {
		switch (*s) {
		case '<': q += sprintf(q, "&lt;"); break;
		case '>': q += sprintf(q, "&gt;"); break;
		case '&': q += sprintf(q, "&amp;"); break;
		case '"': q += sprintf(q, "&quot;"); break;
		default: *q++ = *s;
		}
	}
	*q = '\0';
	return o;
}

/* An error in the documented shape, or an IIS-like HTML page with html-error. */
static enum MHD_Result send_error(td_server *sv, struct MHD_Connection *c, td_req *r, int status,
                                  const char *type, const char *msg, const char *hdr, const char *val)
{
	if (sv->cfg.html_error) {
		char *m = html_escape(msg);
		size_t n = strlen(m) + 1024;
		char *page = malloc(n);
		snprintf(page, n,
		         "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">\r\n<html><head>"
		         "<title>%d - %s</title></head>\r\n<body><div id=\"header\"><h1>Server Error</h1></div>"
		         "<div id=\"content\"><h2>%d - %s</h2><h3>%s</h3></div></body></html>\r\n",
		         status, reason(status), status, reason(status), m);
		free(m);
		return send_text(sv, c, r, status, "text/html; charset=utf-8", page, hdr, val);
	}
	cJSON *e = cJSON_CreateObject();
	cJSON_AddBoolToObject(e, "Error", true);
	cJSON_AddStringToObject(e, "ErrorType", type);
	cJSON_AddStringToObject(e, "ErrorMessage", msg);
	cJSON_AddStringToObject(e, "ErrorSource", "ticketd");
	char *text = json_print(e, false);
	cJSON_Delete(e);
	return send_text(sv, c, r, status, "application/json; charset=utf-8", text, hdr, val);
}

static enum MHD_Result send_err(td_server *sv, struct MHD_Connection *c, td_req *r, const td_err *e)
{
	return send_error(sv, c, r, e->status, e->type, e->msg, NULL, NULL);
}

/* 200 with TEXT (consumed); garbage-json truncates it. */
static enum MHD_Result send_ok(td_server *sv, struct MHD_Connection *c, td_req *r, char *text)
{
	if (sv->cfg.garbage_json) {
		size_t n = strlen(text);
		text[n / 2 ? n / 2 : 0] = '\0';
	}
	return send_text(sv, c, r, 200, "application/json; charset=utf-8", text, NULL, NULL);
}

/* ---- auth ------------------------------------------------------------------- */

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z') return ch - 'A';
	if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9') return ch - '0' + 52;
	if (ch == '+' || ch == '-') return 62;
	if (ch == '/' || ch == '_') return 63;
	return -1;
}

/* Decode base64 S into a malloc'd NUL-terminated string; NULL if invalid. */
static char *b64decode(const char *s)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *o = out;
	unsigned acc = 0;
	int bits = 0;
	for (; *s && *s != '='; s++) {
		int v = b64val((unsigned char)*s);
		if (v < 0) {
			free(out);
			return NULL;
		}
		acc = (acc << 6) | (unsigned)v;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			*o++ = (char)((acc >> bits) & 0xff);
		}
	}
	*o = '\0';
	return out;
}

static bool auth_ok(const td_config *cfg, const char *h)
{
	if (!cfg->user && !cfg->token)
		return true;
	if (!h)
		return false;
	while (*h == ' ')
		h++;
	size_t sl = strcspn(h, " ");
	const char *cred = h + sl;
	while (*cred == ' ')
		cred++;
	if (cfg->user && sl == 5 && !strncasecmp(h, "Basic", 5)) {
		char *dec = b64decode(cred);
		size_t ul = strlen(cfg->user);
		bool good = dec && !strncmp(dec, cfg->user, ul) && dec[ul] == ':' &&
		            !strcmp(dec + ul + 1, cfg->password ? cfg->password : "");
		free(dec);
		return good;
	}
	if (cfg->token && ((sl == 6 && !strncasecmp(h, "Bearer", 6)) || (sl == 8 && !strncasecmp(h, "SOTicket", 8))))
		return !strcmp(cred, cfg->token);
	return false;
}

/* ---- the calls -------------------------------------------------------------- */

/* Response copy of ticket DOC: _Links for this host, date style, $select. */
static char *render(td_server *sv, struct MHD_Connection *c, const cJSON *doc, int id)
{
	cJSON *out = cJSON_Duplicate(doc, true);
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (!host || strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
		host = "localhost";
	char self[300], archive[300];
	snprintf(self, sizeof self, "http://%.200s/api/v1/Ticket/%d", host, id);
	snprintf(archive, sizeof archive, "http://%.200s/api/v1/Archive/Ticket/%d", host, id);
	cJSON *links = cJSON_CreateObject();
	cJSON_AddStringToObject(links, "Self", self);
	cJSON_AddStringToObject(links, "Archive", archive);
	cJSON_DeleteItemFromObjectCaseSensitive(out, "_Links");
	cJSON_AddItemToObject(out, "_Links", links);
	ticket_dates(out, sv->cfg.dates);
	const char *sel = MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "$select");
	if (sel && *sel)
		ticket_select(out, sel);
	char *text = json_print(out, false);
	cJSON_Delete(out);
	return text;
}

static enum MHD_Result not_found(td_server *sv, struct MHD_Connection *c, td_req *r, int id)
{
	char msg[96];
	snprintf(msg, sizeof msg, "Ticket id %d not found", id);
	return send_error(sv, c, r, 404, "SoNotFoundException", msg, NULL, NULL);
}

static enum MHD_Result get_ticket(td_server *sv, struct MHD_Connection *c, td_req *r, int id)
{
	pthread_rwlock_rdlock(&sv->store.lock);
	td_ticket *t = store_find(&sv->store, id);
	char *text = t ? render(sv, c, t->doc, id) : NULL;
	pthread_rwlock_unlock(&sv->store.lock);
	if (!t)
		return not_found(sv, c, r, id);
	return send_ok(sv, c, r, text);
}

/* The media type of the request (parameters and case ignored) is a JSON one. */
static bool json_media_type(const char *ct)
{
	static const char *const ok[] = { "application/json-patch+json", "application/merge-patch+json",
		"application/json", "text/json", NULL };
	if (!ct)
		return false;
	while (*ct == ' ')
		ct++;
	size_t n = strcspn(ct, "; ");
	for (const char *const *p = ok; *p; p++)
		if (strlen(*p) == n && !strncasecmp(*p, ct, n))
			return true;
	return false;
}

/* Parse the request body; NULL with E set (415/400). */
static cJSON *parse_body(struct MHD_Connection *c, td_req *r, td_err *e)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_TYPE);
	if (!json_media_type(ct)) {
		e->status = 415;
		e->type = "SoUnsupportedMediaTypeException";
		snprintf(e->msg, sizeof e->msg,
		         "Content-Type '%.100s' is not supported; send application/json-patch+json, "
		         "application/merge-patch+json or application/json", ct ? ct : "(none)");
		return NULL;
	}
	char err[400];
	cJSON *j = r->len ? json_parse(r->body, r->len, "request body", err, sizeof err) : NULL;
	if (!j) {
		e->status = 400;
		e->type = "SoJsonException";
		snprintf(e->msg, sizeof e->msg, "%s", r->len ? err : "request body is empty");
		return NULL;
	}
	int line, col;
	if (json_nul_escape(r->body, r->len, &line, &col)) {  /* cJSON would cut the string */
		cJSON_Delete(j);
		e->status = 400;
		e->type = "SoJsonException";
		snprintf(e->msg, sizeof e->msg, "request body:%d:%d: \\u0000 (NUL) in a string is not supported",
		         line, col);
		return NULL;
	}
	return j;
}

/* 412 if the ticket changed after If-Unmodified-Since (unparseable: ignored). */
static int precondition(struct MHD_Connection *c, const cJSON *doc, td_err *e)
{
	const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-Unmodified-Since");
	time_t since;
	if (!h || date_http_parse(h, &since))
		return 0;
	long long lc = ticket_last_changed(doc);
	if (lc < 0 || lc <= (long long)since)
		return 0;
	const cJSON *v = json_get(doc, "LastChanged");
	e->status = 412;
	e->type = "SoPreconditionFailedException";
	snprintf(e->msg, sizeof e->msg, "Ticket changed at %s, after If-Unmodified-Since %.64s",
	         cJSON_IsString(v) ? v->valuestring : "?", h);
	return -1;
}

/* PATCH (IS_PUT false) or PUT of ticket ID. */
static enum MHD_Result save_ticket(td_server *sv, struct MHD_Connection *c, td_req *r, int id, bool is_put)
{
	td_err e = { 0 };
	cJSON *body = parse_body(c, r, &e);
	if (!body && e.status != 415) {
		/* a 404 beats a bad body */
		pthread_rwlock_rdlock(&sv->store.lock);
		bool known = store_find(&sv->store, id) != NULL;
		pthread_rwlock_unlock(&sv->store.lock);
		if (!known)
			return not_found(sv, c, r, id);
	}
	if (!body)
		return send_err(sv, c, r, &e);
	pthread_rwlock_wrlock(&sv->store.lock);
	td_ticket *t = store_find(&sv->store, id);
	cJSON *out = NULL;
	char *text = NULL;
	int rc = -1;
	if (!t) {
		e.status = 404;
		e.type = "SoNotFoundException";
		snprintf(e.msg, sizeof e.msg, "Ticket id %d not found", id);
	} else if (precondition(c, t->doc, &e) == 0 &&
	           (is_put ? ticket_put(&sv->store, t->doc, body, id, &out, &e)
	                   : ticket_patch(&sv->store, t->doc, body, &out, &e)) == 0) {
		char err[300];
		if (out && sv->cfg.persist && store_write(t, out, err, sizeof err)) {
			e.status = 500;
			e.type = "SoIOException";
			snprintf(e.msg, sizeof e.msg, "could not save: %s", err);
			cJSON_Delete(out);
		} else {
			if (out) {
				cJSON_Delete(t->doc);
				t->doc = out;
			}
			text = render(sv, c, t->doc, id);
			rc = 0;
		}
	}
	pthread_rwlock_unlock(&sv->store.lock);
	cJSON_Delete(body);
	if (rc)
		return send_err(sv, c, r, &e);
	if (sv->cfg.drop_after_apply) {
		free(text);
		return MHD_NO;  /* applied; close without answering */
	}
	return send_ok(sv, c, r, text);
}

static enum MHD_Result get_list(td_server *sv, struct MHD_Connection *c, td_req *r, const char *name)
{
	cJSON *l = mdo_list(&sv->store, name);
	if (!l) {
		char msg[256];
		snprintf(msg, sizeof msg, "MDO list '%.64s' not found (ticketd serves ticketstatus, "
		         "ticketpriority, ejcategory, associate, tags)", name);
		return send_error(sv, c, r, 404, "SoNotFoundException", msg, NULL, NULL);
	}
	char *text = json_print(l, false);
	cJSON_Delete(l);
	return send_ok(sv, c, r, text);
}

/* ---- routing ------------------------------------------------------------------ */

/* Ticket id from TOK: a positive int32 in decimal; -1 otherwise. */
static long parse_id(const char *tok)
{
	if (!*tok || strspn(tok, "0123456789") != strlen(tok) || strlen(tok) > 10)
		return -1;
	long long v = strtoll(tok, NULL, 10);
	return v > 0 && v <= 2147483647 ? (long)v : -1;
}

static enum MHD_Result route(td_server *sv, struct MHD_Connection *c, td_req *r, const char *url,
                             const char *method)
{
	char path[512];
	snprintf(path, sizeof path, "%s", url);
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		path[--n] = '\0';
	const char *prefix = "/api/v1/";
	char msg[600];
	snprintf(msg, sizeof msg, "No route for %.200s %.300s", method, url);
	if (strncasecmp(path, prefix, strlen(prefix)))
		return send_error(sv, c, r, 404, "SoNotFoundException", msg, NULL, NULL);
	char *rest = path + strlen(prefix), *slash = strchr(rest, '/');
	if (!slash || strchr(slash + 1, '/'))
		return send_error(sv, c, r, 404, "SoNotFoundException", msg, NULL, NULL);
	*slash = '\0';
	const char *arg = slash + 1;
	if (!strcasecmp(rest, "Ticket")) {
		long id = parse_id(arg);
		if (id < 0)
			return send_error(sv, c, r, 404, "SoNotFoundException", msg, NULL, NULL);
		if (!strcmp(method, "GET"))
			return get_ticket(sv, c, r, (int)id);
		if (!strcmp(method, "PATCH"))
			return save_ticket(sv, c, r, (int)id, false);
		if (!strcmp(method, "PUT"))
			return save_ticket(sv, c, r, (int)id, true);
		return send_error(sv, c, r, 405, "SoMethodNotAllowedException", msg, "Allow", "GET, PATCH, PUT");
	}
	if (!strcasecmp(rest, "MDOList")) {
		if (!strcmp(method, "GET"))
			return get_list(sv, c, r, arg);
		return send_error(sv, c, r, 405, "SoMethodNotAllowedException", msg, "Allow", "GET");
	}
	return send_error(sv, c, r, 404, "SoNotFoundException", msg, NULL, NULL);
}

static enum MHD_Result dispatch(td_server *sv, struct MHD_Connection *c, td_req *r, const char *url,
                                const char *method)
{
	if (sv->cfg.latency_ms > 0)
		sleep_ms(sv->cfg.latency_ms);
	if (sv->cfg.http500_every > 0) {
		pthread_mutex_lock(&sv->log_lock);
		unsigned long n = ++sv->nreq;
		pthread_mutex_unlock(&sv->log_lock);
		if (n % (unsigned long)sv->cfg.http500_every == 0)
			return send_error(sv, c, r, 500, "SoInternalServerError",
			                  "injected fault: http500-every (nothing was applied)", NULL, NULL);
	}
	const td_config *cfg = &sv->cfg;
	if (!auth_ok(cfg, MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION))) {
		const char *www = cfg->user ? "Basic realm=\"ticketd\"" : "Bearer realm=\"ticketd\"";
		return send_error(sv, c, r, 401, "SoUnauthorizedException",
		                  "missing or wrong credentials (Authorization: Basic, Bearer or SOTicket)",
		                  MHD_HTTP_HEADER_WWW_AUTHENTICATE, www);
	}
	if (r->too_big) {
		char msg[128];
		snprintf(msg, sizeof msg, "request body larger than %zu bytes", cfg->max_body);
		return send_error(sv, c, r, 413, "SoRequestTooLargeException", msg, NULL, NULL);
	}
	return route(sv, c, r, url, method);
}

static void body_append(const td_config *cfg, td_req *r, const char *data, size_t n)
{
	if (r->too_big || r->len + n > cfg->max_body) {
		r->too_big = true;
		free(r->body);
		r->body = NULL;
		r->len = r->cap = 0;
		return;
	}
	if (r->len + n + 1 > r->cap) {
		size_t cap = (r->len + n + 1) * 2;
		char *nb = realloc(r->body, cap);
		if (!nb) {
			r->too_big = true;
			return;
		}
		r->body = nb;
		r->cap = cap;
	}
	memcpy(r->body + r->len, data, n);
	r->len += n;
	r->body[r->len] = '\0';
}

enum MHD_Result http_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	td_server *sv = cls;
	td_req *r = *con_cls;
	if (!r) {
		if (!(r = req_new(c, url, method)))
			return MHD_NO;
		*con_cls = r;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		if (cl && strtoull(cl, NULL, 10) > sv->cfg.max_body) {
			r->too_big = true;
			return dispatch(sv, c, r, url, method);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		body_append(&sv->cfg, r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->status)
		return MHD_YES;
	return dispatch(sv, c, r, url, method);
}

/* http.c — ticketd's glue to libmicrohttpd: collect one request (the
 * request-target as received, the body within --max-body), hand it to
 * td_handle, and send the answer from its segments without copying them
 * (MHD_create_response_from_iovec). Delays (--latency-ms, slow-body)
 * suspend the connection and a timer thread resumes it, so a worker thread
 * of the pool never sleeps. Also the request log. */
#include "http.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* The request headers td_handle reads, kept with the request so that it
 * can be handled after its connection is gone (see http_completed). */
static const char *const kept_headers[] = { "Authorization", "Content-Type", "Host", "If-Unmodified-Since",
	                                         "Accept-Language", "SO-Language" };
#define NKEPT (sizeof kept_headers / sizeof kept_headers[0])

typedef struct {
	char *method;           /* as sent */
	char *shown_method;     /* escaped, for the log */
	char *target;           /* the request-target as received */
	char *hv[NKEPT];        /* values of kept_headers (NULL: absent) */
	struct timespec start;
	char *body;
	size_t len, cap;
	bool too_big;
	bool seen;              /* the handler has had its first call */
	bool delayed;           /* --latency-ms already waited */
	bool handled;           /* td_handle has run */
	int status;             /* 0 until an answer is queued */
	size_t bytes;
	char auth[16];          /* scheme only; credentials never kept */
	char *lang;             /* " Accept-Language=.. SO-Language=.." as received, escaped, for the log */
} td_req;

/* ---- the timer: suspended connections and when to resume them ---------------- */

typedef struct {
	struct timespec due;
	struct MHD_Connection *c;
} td_wait;

struct td_timer {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	pthread_t thread;
	bool stopping, started;
	td_wait *w;
	size_t n, cap;
};

static bool before(const struct timespec *a, const struct timespec *b)
{
	return a->tv_sec < b->tv_sec || (a->tv_sec == b->tv_sec && a->tv_nsec < b->tv_nsec);
}

static void *timer_run(void *arg)
{
	struct td_timer *tm = arg;
	pthread_mutex_lock(&tm->mu);
	while (!tm->stopping) {
		if (!tm->n) {
			pthread_cond_wait(&tm->cv, &tm->mu);
			continue;
		}
		size_t first = 0;
		for (size_t i = 1; i < tm->n; i++)
			if (before(&tm->w[i].due, &tm->w[first].due))
				first = i;
		struct timespec now;
		clock_gettime(CLOCK_MONOTONIC, &now);
		if (before(&now, &tm->w[first].due)) {
			pthread_cond_timedwait(&tm->cv, &tm->mu, &tm->w[first].due);
			continue;
		}
		struct MHD_Connection *c = tm->w[first].c;
		tm->w[first] = tm->w[--tm->n];
		MHD_resume_connection(c);
	}
	pthread_mutex_unlock(&tm->mu);
	return NULL;
}

int http_timer_start(td_server *sv)
{
	struct td_timer *tm = calloc(1, sizeof *tm);
	pthread_condattr_t ca;
	if (!tm)
		return -1;
	pthread_mutex_init(&tm->mu, NULL);
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_cond_init(&tm->cv, &ca);
	pthread_condattr_destroy(&ca);
	sv->timer = tm;
	if (pthread_create(&tm->thread, NULL, timer_run, tm))
		return -1;
	tm->started = true;
	return 0;
}

void http_timer_stop(td_server *sv)
{
	struct td_timer *tm = sv->timer;
	if (!tm)
		return;
	pthread_mutex_lock(&tm->mu);
	tm->stopping = true;
	for (size_t i = 0; i < tm->n; i++)
		MHD_resume_connection(tm->w[i].c);
	tm->n = 0;
	pthread_cond_signal(&tm->cv);
	pthread_mutex_unlock(&tm->mu);
	if (tm->started)
		pthread_join(tm->thread, NULL);
	tm->started = false;
}

void http_timer_free(td_server *sv)
{
	struct td_timer *tm = sv->timer;
	if (!tm)
		return;
	pthread_mutex_destroy(&tm->mu);
	pthread_cond_destroy(&tm->cv);
	free(tm->w);
	free(tm);
	sv->timer = NULL;
}

/* Suspend C for MS milliseconds (called from the access handler or a
 * content reader, the only places libmicrohttpd allows it). False when the
 * server is stopping or out of memory: then the caller goes on at once. */
static bool timer_wait(td_server *sv, struct MHD_Connection *c, long ms)
{
	struct td_timer *tm = sv->timer;
	bool ok = false;
	if (!tm)
		return false;
	pthread_mutex_lock(&tm->mu);
	if (!tm->stopping && tm->n == tm->cap) {
		size_t cap = tm->cap ? tm->cap * 2 : 16;
		td_wait *nw = realloc(tm->w, cap * sizeof *nw);
		if (nw) {
			tm->w = nw;
			tm->cap = cap;
		}
	}
	if (!tm->stopping && tm->n < tm->cap) {
		td_wait *w = &tm->w[tm->n++];
		clock_gettime(CLOCK_MONOTONIC, &w->due);
		w->due.tv_sec += ms / 1000;
		w->due.tv_nsec += (ms % 1000) * 1000000L;
		if (w->due.tv_nsec >= 1000000000L) {
			w->due.tv_sec++;
			w->due.tv_nsec -= 1000000000L;
		}
		w->c = c;
		MHD_suspend_connection(c);
		pthread_cond_signal(&tm->cv);
		ok = true;
	}
	pthread_mutex_unlock(&tm->mu);
	return ok;
}

void http_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                     enum MHD_ConnectionNotificationCode code)
{
	(void)cls;
	(void)socket_context;
	if (code != MHD_CONNECTION_NOTIFY_STARTED)
		return;
	const union MHD_ConnectionInfo *ci = MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
	int size = HTTP_SNDBUF;
	if (ci)
		setsockopt(ci->connect_fd, SOL_SOCKET, SO_SNDBUF, &size, sizeof size);
}

/* ---- requests and the log ------------------------------------------------------ */

static double ms_since(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) * 1e3 + (double)(t.tv_nsec - t0->tv_nsec) / 1e6;
}

void *http_uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
	(void)cls;
	(void)c;
	td_req *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	clock_gettime(CLOCK_MONOTONIC, &r->start);
	if (!(r->target = strdup(uri ? uri : ""))) {
		free(r);
		return NULL;
	}
	return r;
}

/* The language and locale headers a client sent, each cut to 64 bytes and
 * escaped, for the request's log line. */
static void log_lang_headers(struct MHD_Connection *c, td_req *r)
{
	static const char *const names[] = { "Accept-Language", "SO-Language", "SO-Culture", "SO-TimeZone" };
	char *line = NULL;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, names[i]);
		if (!v)
			continue;
		char *shown = td_escape(v, strlen(v) > 64 ? 64 : strlen(v), " ");
		size_t old = line ? strlen(line) : 0;
		char *nl = shown ? realloc(line, old + strlen(names[i]) + strlen(shown) + 3) : NULL;
		if (!nl) {
			free(shown);
			break;
		}
		sprintf(nl + old, " %s=%s", names[i], shown);
		line = nl;
		free(shown);
	}
	r->lang = line;
}

/* What the first call of the handler learns: method, auth scheme, headers.
 * -1 when out of memory. */
static int req_start(td_req *r, struct MHD_Connection *c, const char *method)
{
	r->seen = true;
	r->shown_method = td_escape(method, strlen(method) > 32 ? 32 : strlen(method), " ");
	if (!(r->method = strdup(method)))
		return -1;
	for (size_t i = 0; i < NKEPT; i++) {
		const char *v = MHD_lookup_connection_value(c, MHD_HEADER_KIND, kept_headers[i]);
		if (v && !(r->hv[i] = strdup(v)))
			return -1;
	}
	log_lang_headers(c, r);
	const char *auth = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth) {
		size_t i = 0;
		while (auth[i] && i < sizeof r->auth - 1 && isalpha((unsigned char)auth[i]))
			r->auth[i] = auth[i], i++;
	}
	return 0;
}

static void log_request(td_server *sv, const td_req *r, bool dropped)
{
	if (!sv->log || !r->seen)
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
	char *target = td_escape(r->target, strlen(r->target), " ");
	pthread_mutex_lock(&sv->log_lock);
	fprintf(sv->log, "%s.%03ldZ %s %s %s %zu %.1fms auth=%s%s%s\n", ts, now.tv_nsec / 1000000L,
	        r->shown_method ? r->shown_method : "?", target ? target : "?", status, dropped ? 0 : r->bytes,
	        ms_since(&r->start), r->auth[0] ? r->auth : "none", r->auth[0] ? "(redacted)" : "",
	        r->lang ? r->lang : "");
	fflush(sv->log);
	pthread_mutex_unlock(&sv->log_lock);
	free(target);
}

static const char *req_header(void *ctx, const char *name)
{
	const td_req *r = ctx;
	for (size_t i = 0; i < NKEPT; i++)
		if (!strcasecmp(kept_headers[i], name))
			return r->hv[i];
	return NULL;
}

static void handle(td_server *sv, td_req *r, td_response *rs)
{
	r->handled = true;
	td_request rq = {
		.method = r->method, .target = r->target, .header = req_header, .hctx = r,
		.body = r->body ? r->body : "", .body_len = r->len, .body_too_big = r->too_big,
	};
	td_handle(sv, &rq, rs);
}

void http_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe)
{
	(void)c;
	td_server *sv = cls;
	td_req *r = *con_cls;
	if (!r)
		return;
	if (r->seen && r->delayed && !r->handled) {
		/* The client left during the --latency-ms delay (libmicrohttpd saw
		 * it when the connection was resumed) or the server is stopping:
		 * the request was received whole, so it is handled all the same,
		 * as a server that was busy would, and its answer is dropped. */
		td_response rs = { 0 };
		handle(sv, r, &rs);
		td_response_free(&rs);
	}
	log_request(sv, r, toe != MHD_REQUEST_TERMINATED_COMPLETED_OK);
	free(r->method);
	free(r->shown_method);
	free(r->target);
	for (size_t i = 0; i < NKEPT; i++) {
		if (r->hv[i])
			explicit_bzero(r->hv[i], strlen(r->hv[i]));  /* Authorization holds a credential */
		free(r->hv[i]);
	}
	free(r->lang);
	free(r->body);
	free(r);
	*con_cls = NULL;
}

/* ---- answers ----------------------------------------------------------------- */

/* slow-body: the answer trickles out in ~40 chunks, 20 ms apart. */
typedef struct {
	td_server *sv;
	struct MHD_Connection *c;
	td_response rs;
	size_t chunk;
	bool waited;             /* the pause before the next chunk is over */
} slow_body;

static ssize_t slow_read(void *cls, uint64_t pos, char *buf, size_t max)
{
	slow_body *b = cls;
	if (pos >= b->rs.len)
		return MHD_CONTENT_READER_END_OF_STREAM;
	if (!b->waited) {
		b->waited = true;
		if (timer_wait(b->sv, b->c, 20))
			return 0;  /* resumed in 20 ms, then called again */
	}
	b->waited = false;
	size_t want = b->rs.len - (size_t)pos, n = 0, off = 0;
	if (want > b->chunk)
		want = b->chunk;
	if (want > max)
		want = max;
	for (size_t i = 0; i < b->rs.nseg && n < want; i++) {
		const td_seg *s = &b->rs.seg[i];
		size_t at = (size_t)pos + n;  /* the next byte to send */
		if (at < off + s->n) {
			size_t from = at - off, k = s->n - from;
			if (k > want - n)
				k = want - n;
			memcpy(buf + n, s->p + from, k);
			n += k;
		}
		off += s->n;
	}
	return (ssize_t)n;
}

static void slow_free(void *cls)
{
	slow_body *b = cls;
	td_response_free(&b->rs);
	free(b);
}

static void resp_free(void *cls)
{
	td_response *rs = cls;
	td_response_free(rs);
	free(rs);
}

/* An MHD response for RS (taken over: freed with the response). */
static struct MHD_Response *make_response(td_server *sv, struct MHD_Connection *c, td_response *rs)
{
	if (sv->cfg.slow_body && rs->len) {
		slow_body *b = calloc(1, sizeof *b);
		if (!b)
			return NULL;
		b->sv = sv;
		b->c = c;
		b->rs = *rs;
		b->chunk = rs->len / 40 > 16 ? rs->len / 40 : 16;
		struct MHD_Response *resp = MHD_create_response_from_callback(rs->len, 4096, slow_read, b, slow_free);
		if (!resp)
			slow_free(b);
		memset(rs, 0, sizeof *rs);
		return resp;
	}
	if (!rs->nseg) {
		td_response_free(rs);
		return MHD_create_response_from_buffer(0, (void *)"", MHD_RESPMEM_PERSISTENT);
	}
	td_response *held = malloc(sizeof *held);
	struct MHD_IoVec *iov = malloc(rs->nseg * sizeof *iov);
	struct MHD_Response *resp = NULL;
	if (held && iov) {
		unsigned n = 0;
		for (size_t i = 0; i < rs->nseg; i++)
			if (rs->seg[i].n)
				iov[n++] = (struct MHD_IoVec){ rs->seg[i].p, rs->seg[i].n };
		*held = *rs;
		memset(rs, 0, sizeof *rs);
		resp = MHD_create_response_from_iovec(iov, n, resp_free, held);
		if (!resp)
			resp_free(held);
	} else {
		free(held);
		td_response_free(rs);
	}
	free(iov);  /* libmicrohttpd keeps its own copy of the array */
	return resp;
}

static enum MHD_Result answer(td_server *sv, struct MHD_Connection *c, td_req *r)
{
	td_response rs = { 0 };
	handle(sv, r, &rs);
	if (rs.drop) {
		td_response_free(&rs);
		return MHD_NO;  /* close without answering */
	}
	int status = rs.status;
	const char *ctype = rs.ctype, *hdr = rs.hdr, *hval = rs.hval;
	size_t len = rs.len;
	struct MHD_Response *resp = make_response(sv, c, &rs);
	if (!resp)
		return MHD_NO;
	if (ctype)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, ctype);
	MHD_add_response_header(resp, MHD_HTTP_HEADER_SERVER, "ticketd/" TICKETED_VERSION);
	if (hdr)
		MHD_add_response_header(resp, hdr, hval);
	r->status = status;
	r->bytes = len;
	enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
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
	(void)version;
	td_server *sv = cls;
	td_req *r = *con_cls;
	if (!r && !(r = *con_cls = http_uri_log(sv, url, c)))
		return MHD_NO;
	if (!r->seen) {
		if (req_start(r, c, method))
			return MHD_NO;
		const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		long long n;
		if (cl && (n = strtoll(cl, NULL, 10)) > 0 && (unsigned long long)n > sv->cfg.max_body) {
			r->too_big = true;  /* refused before reading the body */
			return answer(sv, c, r);
		}
		return MHD_YES;
	}
	if (*upload_size) {
		body_append(&sv->cfg, r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	if (r->handled)
		return MHD_YES;
	if (sv->cfg.latency_ms > 0 && !r->delayed) {
		r->delayed = true;
		if (timer_wait(sv, c, sv->cfg.latency_ms))
			return MHD_YES;  /* resumed after the delay, then called again */
	}
	return answer(sv, c, r);
}

/* test_net_api.c — the client against a socket the test itself plays the
 * server on (one thread: the test drives both sides). Covers: requests do not
 * block (api_wait returns for the caller's fd while a response is pending),
 * a cancelled request never delivers its late result, one connection is
 * reused, the headers and bodies sent, and a drop after the body was sent;
 * what the client does by itself: 429/503 waits and retries (PATCH too),
 * a 401 refreshes the token once, Basic's need_credentials + api_set_secret
 * + api_retry, the answer must be the ticket asked for, a 404 without a
 * SuperOffice error body, redirects never followed, generic GET/POST, the
 * Online tenant state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <poll.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <cmocka.h>

#include "ticketed/api.h"

typedef struct {
	int lfd;
	char url[64];
} server;

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

static void server_open(server *s)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = 0 };
	socklen_t len = sizeof sa;
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	s->lfd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	assert_true(s->lfd >= 0);
	assert_int_equal(bind(s->lfd, (struct sockaddr *)&sa, sizeof sa), 0);
	assert_int_equal(listen(s->lfd, 8), 0);
	assert_int_equal(getsockname(s->lfd, (struct sockaddr *)&sa, &len), 0);
	snprintf(s->url, sizeof s->url, "http://127.0.0.1:%d/api/v1", ntohs(sa.sin_port));
}

static bool readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* Drive the client until the listening socket has a connection (5 s max). */
static int server_accept(api *a, server *s)
{
	long end = now_ms() + 5000;
	while (now_ms() < end) {
		api_wait(a, -1, 5);
		assert_null(api_next(a));
		if (readable(s->lfd, 5))
			return accept(s->lfd, NULL, NULL);
	}
	fail_msg("no connection");
	return -1;
}

/* Drive the client while reading one whole request (headers + body) from FD. */
static void server_read(api *a, int fd, char *buf, size_t len)
{
	size_t n = 0;
	long end = now_ms() + 5000;
	buf[0] = '\0';
	while (now_ms() < end) {
		api_wait(a, -1, 5);
		assert_null(api_next(a));
		if (readable(fd, 5)) {
			ssize_t r = read(fd, buf + n, len - n - 1);
			assert_true(r > 0);
			n += (size_t)r;
			buf[n] = '\0';
		}
		char *eoh = strstr(buf, "\r\n\r\n");
		if (eoh) {
			char *cl = strcasestr(buf, "\r\nContent-Length:");
			size_t want = (size_t)(eoh + 4 - buf) + (cl ? strtoul(cl + 17, NULL, 10) : 0);
			if (n >= want)
				return;
		}
	}
	fail_msg("incomplete request: %s", buf);
}

static void server_reply(int fd, int status, const char *reason, const char *extra, const char *body)
{
	char head[512];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %d %s\r\nContent-Type: application/json\r\n"
	                 "Content-Length: %zu\r\n%s\r\n", status, reason, strlen(body), extra);
	assert_int_equal(write(fd, head, (size_t)n), n);
	assert_int_equal(write(fd, body, strlen(body)), (ssize_t)strlen(body));
}

/* Drive the client until a result arrives (5 s max). */
static api_result *client_result(api *a)
{
	long end = now_ms() + 5000;
	while (now_ms() < end) {
		api_wait(a, -1, 20);
		api_result *r = api_next(a);
		if (r)
			return r;
	}
	return NULL;
}

static api *client(const server *s, api_auth auth, const char *user, const char *secret,
                   const char *app)
{
	char err[256];
	api_config cfg = { .base_url = s->url, .auth = auth, .user = user, .secret = secret,
	                   .app_token = app, .timeout_s = 10 };
	api *a = api_new(&cfg, err, sizeof err);
	if (!a)
		fail_msg("api_new: %s", err);
	return a;
}

static void test_nonblocking_and_cancel(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_NONE, NULL, NULL, NULL);
	int p[2];
	assert_int_equal(pipe(p), 0);
	int id = api_get_ticket(a, 42);
	assert_true(id > 0);
	assert_int_equal(api_pending(a), 1);
	int conn = server_accept(a, &s);
	char req[4096];
	server_read(a, conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/v1/Ticket/42 HTTP/1.1\r\n"));
	/* the response is pending, yet the caller's fd gets through at once */
	assert_int_equal(api_wait(a, p[0], 0), 0);
	assert_int_equal(write(p[1], "k", 1), 1);
	long t0 = now_ms();
	assert_int_equal(api_wait(a, p[0], 5000), 1);
	assert_true(now_ms() - t0 < 4000);
	assert_null(api_next(a));
	assert_int_equal(api_pending(a), 1);
	/* cancel, then the server answers late: nothing is ever delivered */
	api_cancel(a, id);
	assert_int_equal(api_pending(a), 0);
	/* (the client may have closed the connection already: ignore EPIPE) */
	(void)!send(conn, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}", 40, MSG_NOSIGNAL);
	for (int i = 0; i < 10; i++) {
		api_wait(a, -1, 10);
		assert_null(api_next(a));
	}
	assert_null(api_run(a, id));
	close(conn);
	close(p[0]);
	close(p[1]);
	api_free(a);
	close(s.lfd);
}

static void test_results_and_connection_reuse(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_NONE, NULL, NULL, NULL);
	int id = api_get_ticket(a, 7);
	int conn = server_accept(a, &s);
	char req[4096];
	server_read(a, conn, req, sizeof req);
	server_reply(conn, 200, "OK", "Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n",
	             "{\"TicketId\": 7, \"Title\": \"x\"}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_int_equal(r->kind, API_GET_TICKET);
	assert_true(r->ok);
	assert_true(r->sent);
	assert_int_equal(r->http_status, 200);
	assert_string_equal(r->last_modified, "Wed, 21 Oct 2015 07:28:00 GMT");
	cJSON *j = api_result_take_json(r);
	assert_int_equal(cJSON_GetObjectItem(j, "TicketId")->valueint, 7);
	assert_null(r->json);
	cJSON_Delete(j);
	api_result_free(r);

	/* the second request comes over the same connection */
	id = api_get_list(a, "ticketstatus");
	server_read(a, conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/v1/MDOList/ticketstatus HTTP/1.1\r\n"));
	assert_false(readable(s.lfd, 0));
	server_reply(conn, 404, "Not Found", "", "{\"Error\": true, \"ErrorMessage\": \"No list x\"}");
	r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_int_equal(r->kind, API_GET_LIST);
	assert_false(r->ok);
	assert_int_equal(r->http_status, 404);
	assert_string_equal(r->message, "No list x");
	assert_non_null(r->json);
	api_result_free(r);
	assert_int_equal(api_pending(a), 0);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_patch_sent_then_dropped(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_SOTICKET, NULL, "7T:abc==", "app-secret");
	cJSON *patch = cJSON_Parse("[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"a\"},"
	                           "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]");
	int id = api_patch_ticket(a, 9, patch, "Wed, 21 Oct 2015 07:28:00 GMT");
	cJSON_Delete(patch);
	int conn = server_accept(a, &s);
	char req[8192];
	server_read(a, conn, req, sizeof req);
	assert_non_null(strstr(req, "PATCH /api/v1/Ticket/9 HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nContent-Type: application/json-patch+json\r\n"));
	assert_non_null(strstr(req, "\r\nIf-Unmodified-Since: Wed, 21 Oct 2015 07:28:00 GMT\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: SOTicket 7T:abc==\r\n"));
	assert_non_null(strstr(req, "\r\nSO-AppToken: app-secret\r\n"));
	assert_non_null(strstr(req, "\r\nAccept: application/json\r\n"));
	assert_non_null(strstr(req, "\r\n\r\n[{\"op\":\"test\",\"path\":\"/Title\",\"value\":\"a\"},"
	                            "{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]"));
	close(conn);  /* drop without answering */
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_false(r->ok);
	assert_true(r->sent);
	assert_int_equal(r->http_status, 0);
	assert_int_not_equal(r->curl_code, 0);
	assert_true(r->message[0] != '\0');
	api_result_free(r);
	api_free(a);
	close(s.lfd);
}

/* POST with a query and no body (TicketMessage/{id}/Send): the query is
 * escaped, the body empty; a 204 without a body is a success. */
static void test_post_query_204(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_NONE, NULL, NULL, NULL);
	const char *q[] = { "to", "ingrid@example.no,+47 1", "subject", "Re: VPN", NULL };
	int id = api_post_query(a, "TicketMessage/12/Send", q, NULL);
	int conn = server_accept(a, &s);
	char req[8192];
	server_read(a, conn, req, sizeof req);
	if (!strstr(req, "POST /api/v1/TicketMessage/12/Send?to=ingrid%40example.no%2C%2B47%201&subject=Re%3A%20VPN "
	                 "HTTP/1.1\r\n"))
		fail_msg("request line: %s", req);
	assert_non_null(strstr(req, "\r\nContent-Length: 0\r\n"));
	server_reply(conn, 204, "No Content", "", "");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_int_equal(r->http_status, 204);
	assert_true(r->ok);
	assert_null(r->json);
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void check_auth(api_auth auth, const char *user, const char *secret, const char *want)
{
	server s;
	server_open(&s);
	api *a = client(&s, auth, user, secret, NULL);
	api_get_ticket(a, 1);
	int conn = server_accept(a, &s);
	char req[4096];
	server_read(a, conn, req, sizeof req);
	if (!strstr(req, want))
		fail_msg("no \"%s\" in:\n%s", want, req);
	assert_null(strcasestr(req, "SO-AppToken"));
	api_cancel(a, 0);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_auth_headers(void **state)
{
	(void)state;
	check_auth(AUTH_BASIC, "user", "pa:ss", "\r\nAuthorization: Basic dXNlcjpwYTpzcw==\r\n");
	check_auth(AUTH_BASIC, "Åse", "x", "\r\nAuthorization: Basic w4VzZTp4\r\n");
	check_auth(AUTH_BEARER, NULL, "8A:Cust12345.AGYA", "\r\nAuthorization: Bearer 8A:Cust12345.AGYA\r\n");
	check_auth(AUTH_SOTICKET, NULL, "7T:MAA3AGYA==", "\r\nAuthorization: SOTicket 7T:MAA3AGYA==\r\n");
	check_auth(AUTH_NONE, NULL, NULL, "\r\nUser-Agent: ticketed/" TICKETED_VERSION "\r\n");
}

static void test_bad_config(void **state)
{
	(void)state;
	char err[256];
	api_config cfg = { .base_url = "ftp://h/api/v1" };
	assert_null(api_new(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "http://"));
	cfg.base_url = "not a url";
	assert_null(api_new(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "bad service URL"));
	cfg.base_url = "http://bob:secret@h/api/v1";
	assert_null(api_new(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "credentials in the service URL"));
	assert_null(strstr(err, "secret"));
	cfg.base_url = NULL;
	assert_null(api_new(&cfg, err, sizeof err));
	assert_string_equal(err, "no service URL: use --url or TICKETED_URL");
	cfg.base_url = "http://127.0.0.1:1/api/v1";
	cfg.auth = AUTH_BEARER;
	assert_null(api_new(&cfg, err, sizeof err));
	assert_string_equal(err, "no token for Bearer authentication");
	cfg.log_path = "/nonexistent-dir/x.log";
	cfg.auth = AUTH_NONE;
	assert_null(api_new(&cfg, err, sizeof err));
	assert_non_null(strstr(err, "/nonexistent-dir/x.log: cannot open log"));
}

/* The next request, on CONN or on a new connection (a PATCH or POST always
 * opens one): the request text into BUF; *CONN is updated. */
static void server_next(api *a, server *s, int *conn, char *buf, size_t len)
{
	long end = now_ms() + 5000;
	while (now_ms() < end) {
		api_wait(a, -1, 5);
		assert_null(api_next(a));
		if (readable(s->lfd, 0)) {
			if (*conn >= 0)
				close(*conn);
			*conn = accept(s->lfd, NULL, NULL);
			break;
		}
		if (*conn >= 0 && readable(*conn, 5))
			break;
	}
	assert_true(*conn >= 0);
	server_read(a, *conn, buf, len);
}

static api *client_cfg(api_config *cfg)
{
	char err[256];
	api *a = api_new(cfg, err, sizeof err);
	if (!a)
		fail_msg("api_new: %s", err);
	return a;
}

/* Drive the client; fail if a result or a new request arrives within MS. */
static void quiet_for(api *a, server *s, int conn, int ms)
{
	long end = now_ms() + ms;
	while (now_ms() < end) {
		api_wait(a, -1, 5);
		assert_null(api_next(a));
		assert_false(readable(s->lfd, 0));
		if (conn >= 0)
			assert_false(readable(conn, 0));
	}
}

static void test_retry_after_429_503(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_NONE, NULL, NULL, NULL);
	int conn = -1;
	char req[8192];
	long st = 0;
	int id = api_get_ticket(a, 5);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 429, "Too Many Requests", "Retry-After: 1\r\n",
	             "{\"Error\": true, \"ErrorMessage\": \"Slow down\"}");
	/* the request stays in flight while it waits, with a countdown */
	quiet_for(a, &s, conn, 100);
	assert_int_equal(api_pending(a), 1);
	assert_int_equal(api_retry_in(a, id, &st), 1);
	assert_int_equal(st, 429);
	assert_int_equal(api_retry_in(a, 0, NULL), 1);
	assert_int_equal(api_retry_in(a, id + 1, NULL), 0);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/v1/Ticket/5 HTTP/1.1\r\n"));
	assert_int_equal(api_retry_in(a, id, NULL), 0);
	server_reply(conn, 200, "OK", "", "{\"TicketId\": 5}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_true(r->ok);
	assert_int_equal(r->attempts, 2);
	api_result_free(r);

	/* a PATCH answered 503 was not applied: sent again, same body */
	cJSON *patch = cJSON_Parse("[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]");
	id = api_patch_ticket(a, 5, patch, NULL);
	cJSON_Delete(patch);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "PATCH /api/v1/Ticket/5 HTTP/1.1\r\n"));
	server_reply(conn, 503, "Service Unavailable", "Retry-After: 0\r\n", "{}");
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "PATCH /api/v1/Ticket/5 HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\n\r\n[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]"));
	server_reply(conn, 200, "OK", "", "{\"TicketId\": 5, \"Title\": \"b\"}");
	r = client_result(a);
	assert_non_null(r);
	assert_true(r->ok);
	assert_int_equal(r->attempts, 2);
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_retry_after_beyond_timeout(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api_config cfg = { .base_url = s.url, .timeout_s = 5 };
	api *a = client_cfg(&cfg);
	int conn = -1;
	char req[4096];
	int id = api_get_list(a, "ticketstatus");
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 429, "Too Many Requests", "Retry-After: 120\r\n",
	             "{\"Error\": true, \"ErrorMessage\": \"Slow down\"}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_int_equal(r->http_status, 429);
	assert_int_equal(r->attempts, 1);
	assert_string_equal(r->message, "Slow down (the service asks to retry in 120 s, beyond the 5 s timeout)");
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static int g_refreshes;
static int refresh_token(void *ctx, char **secret, char *err, size_t errlen)
{
	g_refreshes++;
	if (!ctx) {
		snprintf(err, errlen, "token_command: \"helper\" failed (exit status 1)");
		return -1;
	}
	*secret = strdup(ctx);
	return 0;
}

static void test_401_refreshes_token(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	static char fresh[] = "New-Token";
	api_config cfg = { .base_url = s.url, .auth = AUTH_BEARER, .secret = "Old-Token", .timeout_s = 10,
	                   .refresh_secret = refresh_token, .refresh_ctx = fresh,
	                   .auth_hint = "set TICKETED_TOKEN" };
	api *a = client_cfg(&cfg);
	int conn = -1;
	char req[8192];
	g_refreshes = 0;
	/* a PATCH answered 401 was not applied: a fresh token, sent again */
	cJSON *patch = cJSON_Parse("[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]");
	int id = api_patch_ticket(a, 5, patch, NULL);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "\r\nAuthorization: Bearer Old-Token\r\n"));
	server_reply(conn, 401, "Unauthorized", "", "{\"Error\": true, \"ErrorMessage\": \"Token expired\"}");
	server_next(a, &s, &conn, req, sizeof req);
	assert_int_equal(g_refreshes, 1);
	assert_non_null(strstr(req, "PATCH /api/v1/Ticket/5 HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: Bearer New-Token\r\n"));
	server_reply(conn, 200, "OK", "", "{\"TicketId\": 5}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_true(r->ok);
	api_result_free(r);
	/* the new token serves the next requests; a second 401 refreshes once
	 * more, and when that token is refused too, the result says so */
	id = api_get_ticket(a, 5);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "\r\nAuthorization: Bearer New-Token\r\n"));
	server_reply(conn, 401, "Unauthorized", "", "{\"Error\": true, \"ErrorMessage\": \"Token expired\"}");
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 401, "Unauthorized", "", "{\"Error\": true, \"ErrorMessage\": \"Token expired\"}");
	r = client_result(a);
	assert_non_null(r);
	assert_int_equal(g_refreshes, 2);
	assert_int_equal(r->http_status, 401);
	assert_true(r->need_credentials);
	assert_true(r->so_error);
	assert_int_equal(r->attempts, 2);
	assert_string_equal(r->message, "Token expired (a fresh token from token_command was refused too)");
	api_result_free(r);
	cJSON_Delete(patch);
	close(conn);
	api_free(a);
	close(s.lfd);

	/* the refresh itself fails: its reason is in the message */
	server_open(&s);
	cfg.base_url = s.url;
	cfg.refresh_ctx = NULL;
	a = client_cfg(&cfg);
	conn = -1;
	api_get_ticket(a, 5);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 401, "Unauthorized", "", "{\"Error\": true, \"ErrorMessage\": \"Token expired\"}");
	r = client_result(a);
	assert_non_null(r);
	assert_true(r->need_credentials);
	assert_string_equal(r->message, "Token expired; no fresh token: token_command: \"helper\" failed "
	                    "(exit status 1)");
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_basic_need_credentials(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api_config cfg = { .base_url = s.url, .auth = AUTH_BASIC, .user = "bob", .secret = "wrong",
	                   .timeout_s = 10, .auth_hint = "check the password" };
	api *a = client_cfg(&cfg);
	int conn = -1;
	char req[8192], err[200];
	cJSON *patch = cJSON_Parse("[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"c\"}]");
	int id = api_patch_ticket(a, 6, patch, "Wed, 21 Oct 2015 07:28:00 GMT");
	cJSON_Delete(patch);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 401, "Unauthorized", "", "{\"Error\": true, \"ErrorMessage\": \"Bad credentials\"}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_true(r->need_credentials);
	assert_int_equal(r->attempts, 1);
	assert_string_equal(r->message, "Bad credentials: check the password");
	/* the app asks the user, hands the new password, and sends it again */
	assert_int_equal(api_set_secret(a, "bad\r\nX: y", err, sizeof err), -1);
	assert_non_null(strstr(err, "control character"));
	assert_int_equal(api_set_secret(a, "right", err, sizeof err), 0);
	int id2 = api_retry(a, r);
	assert_true(id2 > 0 && id2 != id);
	api_result_free(r);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "PATCH /api/v1/Ticket/6 HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: Basic Ym9iOnJpZ2h0\r\n"));  /* bob:right */
	assert_non_null(strstr(req, "\r\nIf-Unmodified-Since: Wed, 21 Oct 2015 07:28:00 GMT\r\n"));
	assert_non_null(strstr(req, "\r\n\r\n[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"c\"}]"));
	server_reply(conn, 200, "OK", "", "{\"TicketId\": 6}");
	r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id2);
	assert_true(r->ok);
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_answer_is_the_ticket(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_NONE, NULL, NULL, NULL);
	int conn = -1;
	char req[8192], want[256];
	api_get_ticket(a, 900);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 200, "OK", "", "{\"TicketId\": 901, \"Title\": \"other\"}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_false(r->ok);
	assert_null(r->json);
	assert_int_equal(r->http_status, 200);
	snprintf(want, sizeof want, "GET %s/Ticket/900 answered with ticket 901 instead of 900: "
	         "the answer is not used", s.url);
	assert_string_equal(r->message, want);
	api_result_free(r);
	cJSON *patch = cJSON_Parse("[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"b\"}]");
	api_patch_ticket(a, 900, patch, NULL);
	cJSON_Delete(patch);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 200, "OK", "", "{\"Title\": \"b\"}");
	r = client_result(a);
	assert_non_null(r);
	assert_false(r->ok);
	assert_null(r->json);
	snprintf(want, sizeof want, "PATCH %s/Ticket/900 answered without a TicketId: the answer is not used",
	         s.url);
	assert_string_equal(r->message, want);
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_not_an_api(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_NONE, NULL, NULL, NULL);
	int conn = -1;
	char req[8192], want[256];
	api_get_ticket(a, 7);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 404, "Not Found", "", "{\"message\": \"No HTTP resource was found\"}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_false(r->so_error);
	snprintf(want, sizeof want, "GET %s/Ticket/7 answered 404 without a SuperOffice error body: "
	         "is the base URL right?", s.url);
	assert_string_equal(r->message, want);
	api_result_free(r);
	api_get_ticket(a, 7);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 404, "Not Found", "", "{\"Error\": true, \"ErrorType\": \"SoNotFoundException\", "
	             "\"ErrorMessage\": \"Ticket 7 not found\"}");
	r = client_result(a);
	assert_non_null(r);
	assert_true(r->so_error);
	assert_string_equal(r->message, "Ticket 7 not found");
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_redirect_not_followed(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_BEARER, NULL, "Tok-1", NULL);
	int conn = -1;
	char req[8192];
	api_get_ticket(a, 8);
	server_next(a, &s, &conn, req, sizeof req);
	server_reply(conn, 302, "Found", "Location: https://sod3.superoffice.com/Cust1/api/v1/Ticket/8?x=1\r\n", "");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_false(r->ok);
	assert_int_equal(r->http_status, 302);
	assert_int_equal(r->attempts, 1);
	assert_string_equal(r->message, "HTTP 302 to https://sod3.superoffice.com/Cust1/api/v1/Ticket/8: "
	                    "set url to https://sod3.superoffice.com/Cust1/api/v1");
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_generic_get_post(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	api *a = client(&s, AUTH_SOTICKET, NULL, "7T:x==", NULL);
	int conn = -1;
	char req[8192];
	const char *const q[] = { "$top", "2", "$filter", "ticketId = 5", NULL };
	int id = api_get(a, "Ticket/5/Messages", q);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/v1/Ticket/5/Messages?$top=2&$filter=ticketId%20%3D%205 HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: SOTicket 7T:x==\r\n"));
	server_reply(conn, 200, "OK", "", "{\"value\": [1, 2]}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_int_equal(r->kind, API_GET);
	assert_true(r->ok);
	assert_true(cJSON_IsArray(cJSON_GetObjectItem(r->json, "value")));
	api_result_free(r);
	/* a bad path is refused before anything is sent */
	assert_int_equal(api_get(a, "../admin", NULL), -1);
	r = api_run(a, -1);
	assert_non_null(r);
	assert_int_equal(r->kind, API_GET);
	assert_non_null(strstr(r->message, "bad path segment"));
	api_result_free(r);

	/* POST: the body as JSON; a 429 means not processed: sent again */
	cJSON *body = cJSON_Parse("{\"TicketId\": 5, \"Body\": \"note\"}");
	id = api_post(a, "TicketMessage", body);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "POST /api/v1/TicketMessage HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nContent-Type: application/json\r\n"));
	assert_non_null(strstr(req, "\r\n\r\n{\"TicketId\":5,\"Body\":\"note\"}"));
	server_reply(conn, 429, "Too Many Requests", "Retry-After: 0\r\n", "{}");
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "POST /api/v1/TicketMessage HTTP/1.1\r\n"));
	server_reply(conn, 200, "OK", "", "{\"TicketMessageId\": 3}");
	r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->kind, API_POST);
	assert_true(r->ok);
	assert_int_equal(r->attempts, 2);
	api_result_free(r);
	/* a POST whose connection drops after the body went out is never sent
	 * again by the client: it may have been processed */
	id = api_post(a, "TicketMessage", body);
	server_next(a, &s, &conn, req, sizeof req);
	close(conn);
	conn = -1;
	r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_false(r->ok);
	assert_true(r->sent);
	assert_int_equal(r->attempts, 1);
	api_result_free(r);
	quiet_for(a, &s, conn, 200);
	cJSON_Delete(body);
	api_free(a);
	close(s.lfd);
}

static void test_tenant_state(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	char state_url[128], body[512], want[160], err[256];
	snprintf(state_url, sizeof state_url, "%.*s/api/state/Cust1", (int)(strlen(s.url) - 7), s.url);
	api_config cfg = { .base_url = s.url, .auth = AUTH_BEARER, .secret = "Tok-9", .app_token = "App-9",
	                   .timeout_s = 10, .tenant_status = state_url };
	api *a = client_cfg(&cfg);
	int conn = -1;
	char req[8192];
	int id = api_get_ticket(a, 5);
	/* first the state, without credentials */
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/state/Cust1 HTTP/1.1\r\n"));
	assert_null(strcasestr(req, "Authorization"));
	assert_null(strcasestr(req, "SO-AppToken"));
	snprintf(body, sizeof body, "{\"ContextIdentifier\": \"Cust1\", \"Endpoint\": \"%.*s/sod3/Cust1\", "
	         "\"State\": \"Running\", \"IsRunning\": true, \"ValidUntil\": \"2999-01-01T00:00:00Z\"}",
	         (int)(strlen(s.url) - 7), s.url);
	assert_int_equal(api_pending(a), 1);
	server_reply(conn, 200, "OK", "", body);
	/* then the ticket, at the tenant's endpoint */
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /sod3/Cust1/api/v1/Ticket/5 HTTP/1.1\r\n"));
	assert_non_null(strstr(req, "\r\nAuthorization: Bearer Tok-9\r\n"));
	server_reply(conn, 200, "OK", "", "{\"TicketId\": 5}");
	api_result *r = client_result(a);
	assert_non_null(r);
	assert_int_equal(r->id, id);
	assert_true(r->ok);
	api_result_free(r);
	snprintf(want, sizeof want, "%.*s/sod3/Cust1/api/v1", (int)(strlen(s.url) - 7), s.url);
	assert_string_equal(api_base_url(a), want);
	/* still valid: the next request goes straight there */
	api_get_list(a, "tags");
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /sod3/Cust1/api/v1/MDOList/tags HTTP/1.1\r\n"));
	/* a redirect: the state is read again; in maintenance, the request fails */
	server_reply(conn, 302, "Found", "Location: /elsewhere\r\n", "");
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/state/Cust1 HTTP/1.1\r\n"));
	server_reply(conn, 200, "OK", "", "{\"ContextIdentifier\": \"Cust1\", \"Endpoint\": "
	             "\"http://127.0.0.1:1/x\", \"State\": \"OfflineMaintenance\", \"IsRunning\": false}");
	r = client_result(a);
	assert_non_null(r);
	assert_false(r->ok);
	snprintf(err, sizeof err, "the tenant status (%s) says Cust1 is OfflineMaintenance: the service is "
	         "not available now; try again later", state_url);
	assert_string_equal(r->message, err);
	api_result_free(r);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_base_trailing_slash(void **state)
{
	(void)state;
	server s;
	server_open(&s);
	char base[80], req[4096];
	snprintf(base, sizeof base, "%s//", s.url);
	api_config cfg = { .base_url = base, .timeout_s = 5 };
	api *a = client_cfg(&cfg);
	int conn = -1;
	api_get_ticket(a, 42);
	server_next(a, &s, &conn, req, sizeof req);
	assert_non_null(strstr(req, "GET /api/v1/Ticket/42 HTTP/1.1\r\n"));
	assert_string_equal(api_base_url(a), s.url);
	api_cancel(a, 0);
	close(conn);
	api_free(a);
	close(s.lfd);
}

static void test_control_chars_refused(void **state)
{
	(void)state;
	char err[256];
	api_config cfg = { .base_url = "http://127.0.0.1:1/api/v1", .auth = AUTH_BEARER,
	                   .secret = "tok\r\nX-Injected: 1" };
	assert_null(api_new(&cfg, err, sizeof err));
	assert_string_equal(err, "the token holds a control character (0x0D at byte 4): refused");
	cfg.secret = "tok";
	cfg.app_token = "app\nX: 1";
	assert_null(api_new(&cfg, err, sizeof err));
	assert_string_equal(err, "the app token holds a control character (0x0A at byte 4): refused");
	cfg.auth = AUTH_BASIC;
	cfg.user = "bob";
	cfg.secret = "pw\x1b";
	cfg.app_token = NULL;
	assert_null(api_new(&cfg, err, sizeof err));
	assert_string_equal(err, "the password holds a control character (0x1B at byte 3): refused");
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nonblocking_and_cancel),
		cmocka_unit_test(test_results_and_connection_reuse),
		cmocka_unit_test(test_patch_sent_then_dropped),
		cmocka_unit_test(test_auth_headers),
		cmocka_unit_test(test_bad_config),
		cmocka_unit_test(test_retry_after_429_503),
		cmocka_unit_test(test_retry_after_beyond_timeout),
		cmocka_unit_test(test_401_refreshes_token),
		cmocka_unit_test(test_basic_need_credentials),
		cmocka_unit_test(test_answer_is_the_ticket),
		cmocka_unit_test(test_not_an_api),
		cmocka_unit_test(test_redirect_not_followed),
		cmocka_unit_test(test_generic_get_post),
		cmocka_unit_test(test_tenant_state),
		cmocka_unit_test(test_control_chars_refused),
		cmocka_unit_test(test_base_trailing_slash),
		cmocka_unit_test(test_post_query_204),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

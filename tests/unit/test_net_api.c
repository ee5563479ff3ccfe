/* test_net_api.c — the client against a socket the test itself plays the
 * server on (one thread: the test drives both sides). Covers: requests do not
 * block (api_wait returns for the caller's fd while a response is pending),
 * a cancelled request never delivers its late result, one connection is
 * reused, the headers and bodies sent, and a drop after the body was sent. */
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

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_nonblocking_and_cancel),
		cmocka_unit_test(test_results_and_connection_reuse),
		cmocka_unit_test(test_patch_sent_then_dropped),
		cmocka_unit_test(test_auth_headers),
		cmocka_unit_test(test_bad_config),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

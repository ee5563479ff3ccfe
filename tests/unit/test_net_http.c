/* test_net_http.c — the service client's pure helpers: URL building, the
 * user's message for an error response, header redaction for --log,
 * Retry-After, redirects, the Online tenant state. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>

#include "ticketed/api.h"

static void url_eq(char *got, const char *want)
{
	assert_non_null(got);
	assert_string_equal(got, want);
	free(got);
}

static void test_url_ticket(void **state)
{
	(void)state;
	url_eq(api_url_ticket("http://127.0.0.1:8080/api/v1", 900), "http://127.0.0.1:8080/api/v1/Ticket/900");
	url_eq(api_url_ticket("http://127.0.0.1:8080/api/v1/", 900), "http://127.0.0.1:8080/api/v1/Ticket/900");
	url_eq(api_url_ticket("https://online.superoffice.com/Cust12345/api/v1//", 1),
	       "https://online.superoffice.com/Cust12345/api/v1/Ticket/1");
	url_eq(api_url_ticket("http://h/api/v1", 2147483647L), "http://h/api/v1/Ticket/2147483647");
}

static void test_url_list(void **state)
{
	(void)state;
	url_eq(api_url_list("http://h/api/v1", "ticketstatus"), "http://h/api/v1/MDOList/ticketstatus");
	url_eq(api_url_list("http://h/api/v1/", "ejcategory"), "http://h/api/v1/MDOList/ejcategory");
	/* names are escaped: no path or query injection */
	url_eq(api_url_list("http://h/api/v1", "a b/../c?x=1&y#z"),
	       "http://h/api/v1/MDOList/a%20b%2F..%2Fc%3Fx%3D1%26y%23z");
	url_eq(api_url_list("http://h/api/v1", "Åse"), "http://h/api/v1/MDOList/%C3%85se");
}

static void test_error_json_body(void **state)
{
	(void)state;
	char msg[512];
	const char *body = "{\"Error\": true, \"ErrorType\": \"NotFound\", "
	                   "\"ErrorMessage\": \"Ticket 99999 not found\", \"ErrorSource\": \"x\"}";
	cJSON *j = api_error_message(404, "HTTP/1.1 404 Not Found", "application/json; charset=utf-8",
	                             body, strlen(body), msg, sizeof msg);
	assert_string_equal(msg, "Ticket 99999 not found");
	assert_non_null(j);
	assert_true(cJSON_IsObject(j));
	cJSON_Delete(j);
	/* key spelled in another case; no Content-Type at all */
	body = "{\"errormessage\": \"Bad credentials\"}";
	j = api_error_message(401, "HTTP/1.1 401 Unauthorized", NULL, body, strlen(body), msg, sizeof msg);
	assert_string_equal(msg, "Bad credentials");
	cJSON_Delete(j);
	/* problem+json counts as JSON */
	body = "{\"ErrorMessage\": \"A test op failed\"}";
	j = api_error_message(409, "HTTP/1.1 409 Conflict", "application/problem+json", body,
	                      strlen(body), msg, sizeof msg);
	assert_string_equal(msg, "A test op failed");
	cJSON_Delete(j);
}

static void test_error_json_without_message(void **state)
{
	(void)state;
	char msg[512];
	const char *body = "{\"Error\": true, \"ErrorMessage\": \"\"}";
	cJSON *j = api_error_message(412, "HTTP/1.1 412 Precondition Failed", "application/json",
	                             body, strlen(body), msg, sizeof msg);
	assert_string_equal(msg, "HTTP 412 Precondition Failed");
	cJSON_Delete(j);
	body = "[1,2]";
	j = api_error_message(400, "HTTP/1.1 400 Bad Request", "application/json", body,
	                      strlen(body), msg, sizeof msg);
	assert_string_equal(msg, "HTTP 400 Bad Request");
	cJSON_Delete(j);
	body = "{\"ErrorMessage\": 42}";
	j = api_error_message(400, "HTTP/1.1 400 Bad Request", "application/json", body,
	                      strlen(body), msg, sizeof msg);
	assert_string_equal(msg, "HTTP 400 Bad Request");
	cJSON_Delete(j);
}

static void test_error_html_page(void **state)
{
	(void)state;
	char msg[512];
	const char *body = "<html><head><title>502 Bad Gateway</title></head>"
	                   "<body><h1>Bad Gateway</h1><script>alert(1)</script></body></html>";
	cJSON *j = api_error_message(502, "HTTP/1.1 502 Bad Gateway", "text/html; charset=iso-8859-1",
	                             body, strlen(body), msg, sizeof msg);
	assert_null(j);
	assert_string_equal(msg, "HTTP 502 Bad Gateway");
	/* an HTML page that happens to contain JSON is still not read */
	body = "{\"ErrorMessage\": \"<b>boom</b>\"}";
	j = api_error_message(500, "HTTP/1.1 500 Internal Server Error", "text/html", body,
	                      strlen(body), msg, sizeof msg);
	assert_null(j);
	assert_string_equal(msg, "HTTP 500 Internal Server Error");
	/* a body that claims JSON but is not */
	body = "<html>oops</html>";
	j = api_error_message(503, "HTTP/1.1 503 Service Unavailable", "application/json", body,
	                      strlen(body), msg, sizeof msg);
	assert_null(j);
	assert_string_equal(msg, "HTTP 503 Service Unavailable");
}

static void test_error_empty_body(void **state)
{
	(void)state;
	char msg[512];
	assert_null(api_error_message(401, "HTTP/1.1 401 Unauthorized", NULL, "", 0, msg, sizeof msg));
	assert_string_equal(msg, "HTTP 401 Unauthorized");
	assert_null(api_error_message(404, NULL, NULL, NULL, 0, msg, sizeof msg));
	assert_string_equal(msg, "HTTP 404 Not Found");
	/* HTTP/2 status lines carry no reason phrase */
	assert_null(api_error_message(409, "HTTP/2 409", NULL, NULL, 0, msg, sizeof msg));
	assert_string_equal(msg, "HTTP 409 Conflict");
	assert_null(api_error_message(599, "HTTP/2 599", NULL, NULL, 0, msg, sizeof msg));
	assert_string_equal(msg, "HTTP 599");
	/* control bytes in a reason phrase do not reach the user */
	assert_null(api_error_message(500, "HTTP/1.1 500 Bad\x1b[2Jthing", NULL, NULL, 0, msg, sizeof msg));
	assert_string_equal(msg, "HTTP 500 Bad^[[2Jthing");
}

static void test_error_message_bounded(void **state)
{
	(void)state;
	char msg[16];
	/* a long UTF-8 message is cut without splitting a character */
	const char *body = "{\"ErrorMessage\": \"\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\"}";
	cJSON *j = api_error_message(400, "HTTP/1.1 400 Bad Request", "application/json", body,
	                             strlen(body), msg, sizeof msg);
	assert_int_equal(strlen(msg), 14);
	assert_memory_equal(msg, "\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5\xc3\xa5", 14);
	cJSON_Delete(j);
}

static void test_redact(void **state)
{
	(void)state;
	char out[128];
	assert_string_equal(api_redact_header("Authorization: Basic dXNlcjpwYXNz", out, sizeof out),
	                    "Authorization: [redacted]");
	assert_string_equal(api_redact_header("authorization: Bearer 8A:Cust.xyz", out, sizeof out),
	                    "authorization: [redacted]");
	assert_string_equal(api_redact_header("SO-AppToken: f2398a3a7wer", out, sizeof out),
	                    "SO-AppToken: [redacted]");
	assert_string_equal(api_redact_header("so-apptoken:x", out, sizeof out), "so-apptoken: [redacted]");
	assert_string_equal(api_redact_header("Cookie: a=b", out, sizeof out), "Cookie: [redacted]");
	assert_string_equal(api_redact_header("Accept: application/json", out, sizeof out),
	                    "Accept: application/json");
	/* a header that merely starts like one is not touched */
	assert_string_equal(api_redact_header("Authorization-Hint: x", out, sizeof out),
	                    "Authorization-Hint: x");
}

static void test_retry_after(void **state)
{
	(void)state;
	time_t now = 1445412480;  /* Wed, 21 Oct 2015 07:28:00 GMT */
	long s = -1;
	assert_int_equal(api_retry_after("120", now, &s), 0);
	assert_int_equal(s, 120);
	assert_int_equal(api_retry_after("0", now, &s), 0);
	assert_int_equal(s, 0);
	assert_int_equal(api_retry_after(" 7 ", now, &s), 0);
	assert_int_equal(s, 7);
	/* an HTTP date: the seconds until then */
	assert_int_equal(api_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now, &s), 0);
	assert_int_equal(s, 30);
	/* the obsolete forms RFC 9110 still accepts */
	assert_int_equal(api_retry_after("Wednesday, 21-Oct-15 07:29:00 GMT", now, &s), 0);
	assert_int_equal(s, 60);
	assert_int_equal(api_retry_after("Wed Oct 21 07:28:05 2015", now, &s), 0);
	assert_int_equal(s, 5);
	/* a date in the past: at once */
	assert_int_equal(api_retry_after("Tue, 20 Oct 2015 07:28:00 GMT", now, &s), 0);
	assert_int_equal(s, 0);
	/* clamped to a day, no overflow */
	assert_int_equal(api_retry_after("99999999999999999999999", now, &s), 0);
	assert_int_equal(s, 86400);
	assert_int_equal(api_retry_after("Fri, 01 Jan 2100 00:00:00 GMT", now, &s), 0);
	assert_int_equal(s, 86400);
	/* neither */
	assert_int_equal(api_retry_after("-5", now, &s), -1);
	assert_int_equal(api_retry_after("1.5", now, &s), -1);
	assert_int_equal(api_retry_after("soon", now, &s), -1);
	assert_int_equal(api_retry_after("", now, &s), -1);
	assert_int_equal(api_retry_after("Wed, 32 Oct 2015 07:28:00 GMT", now, &s), -1);
	assert_int_equal(api_retry_after(NULL, now, &s), -1);
}

static void suffix_is(const char *path, const char *const *q, const char *want)
{
	char err[200];
	char *got = api_url_suffix(path, q, err, sizeof err);
	if (!got)
		fail_msg("%s: %s", path, err);
	assert_string_equal(got, want);
	free(got);
}

static void suffix_bad(const char *path, const char *const *q, const char *want_err)
{
	char err[200];
	assert_null(api_url_suffix(path, q, err, sizeof err));
	assert_non_null(strstr(err, want_err));
}

static void test_url_suffix(void **state)
{
	(void)state;
	suffix_is("Ticket/CustomField", NULL, "/Ticket/CustomField");
	const char *const msgs[] = { "$top", "50", "$skip", "100", NULL };
	suffix_is("Ticket/4711/Messages", msgs, "/Ticket/4711/Messages?$top=50&$skip=100");
	const char *const list[] = { "$select", "ticketId,title", "$filter", "title contains 'a&b=c'",
	                             "$orderBy", "lastChanged desc", NULL };
	suffix_is("Ticket", list, "/Ticket?$select=ticketId%2Ctitle&$filter=title%20contains%20%27a%26b%3Dc%27"
	          "&$orderBy=lastChanged%20desc");
	const char *const who[] = { "query", "Bjørn #1?", NULL };
	suffix_is("MDOList/person_new", who, "/MDOList/person_new?query=Bj%C3%B8rn%20%231%3F");
	/* segments are escaped: no query or fragment smuggled in a path */
	suffix_is("TicketMessage/12?x=1#y", NULL, "/TicketMessage/12%3Fx%3D1%23y");
	/* a '$' is kept only at the start of a name */
	const char *const odd[] = { "a$b", "$", NULL };
	suffix_is("Ticket", odd, "/Ticket?a%24b=%24");
	suffix_bad("/Ticket", NULL, "relative");
	suffix_bad("", NULL, "relative");
	suffix_bad("Ticket/../../admin", NULL, "bad path segment \"..\"");
	suffix_bad("Ticket/./x", NULL, "bad path segment \".\"");
	suffix_bad("Ticket//x", NULL, "bad path segment");
	const char *const empty[] = { "", "x", NULL };
	suffix_bad("Ticket", empty, "bad query");
}

static void test_so_error(void **state)
{
	(void)state;
	cJSON *j = cJSON_Parse("{\"Error\": true, \"ErrorType\": \"SoNotFoundException\", "
	                       "\"ErrorMessage\": \"Ticket id 5 not found\", \"ErrorSource\": \"x\"}");
	assert_true(api_is_so_error(j));
	cJSON_Delete(j);
	j = cJSON_Parse("{\"errormessage\": \"x\"}");
	assert_true(api_is_so_error(j));
	cJSON_Delete(j);
	j = cJSON_Parse("{\"message\": \"No HTTP resource was found\"}");
	assert_false(api_is_so_error(j));
	cJSON_Delete(j);
	j = cJSON_Parse("[{\"ErrorMessage\": \"x\"}]");
	assert_false(api_is_so_error(j));
	cJSON_Delete(j);
	assert_false(api_is_so_error(NULL));
}

static void test_redirect_message(void **state)
{
	(void)state;
	char msg[512];
	api_redirect_message(302, "https://sod2.superoffice.com/Cust1/api/v1/Ticket/900", "/Ticket/900",
	                     "https://sod3.superoffice.com/Cust1/api/v1/Ticket/900", msg, sizeof msg);
	assert_string_equal(msg, "HTTP 302 to https://sod3.superoffice.com/Cust1/api/v1/Ticket/900: "
	                    "set url to https://sod3.superoffice.com/Cust1/api/v1");
	/* user info, query and fragment are never shown */
	api_redirect_message(301, "http://h/api/v1/Ticket/1", "/Ticket/1",
	                     "https://u:Pw-Secret@h2/api/v1/Ticket/1?token=Q-Secret#F-Secret", msg, sizeof msg);
	assert_string_equal(msg, "HTTP 301 to https://h2/api/v1/Ticket/1: set url to https://h2/api/v1");
	/* somewhere else entirely (a login page) */
	api_redirect_message(302, "https://online.superoffice.com/Cust1/api/v1/Ticket/1", "/Ticket/1",
	                     "https://online.superoffice.com/login/?ReturnUrl=x", msg, sizeof msg);
	assert_string_equal(msg, "HTTP 302 to https://online.superoffice.com/login/: the service is not at "
	                    "https://online.superoffice.com/Cust1/api/v1/Ticket/1; set url to its address "
	                    "up to /api/v1");
	/* escapes in the target are not sent to the terminal */
	api_redirect_message(302, "http://h/api/v1/Ticket/1", "/Ticket/1", "http://h2/a%1B[2Jb", msg, sizeof msg);
	assert_null(strchr(msg, 0x1b));
	api_redirect_message(302, "http://h/api/v1/Ticket/1", "/Ticket/1", NULL, msg, sizeof msg);
	assert_string_equal(msg, "HTTP 302 without a usable Location: the service is not at "
	                    "http://h/api/v1/Ticket/1");
}

static void test_tenant_parse(void **state)
{
	(void)state;
	char err[300];
	api_tenant t;
	const char *ok = "{\"ContextIdentifier\": \"Cust37911\", \"Endpoint\": "
	                 "\"https://sod2.superoffice.com/Cust37911\", \"State\": \"Running\", "
	                 "\"IsRunning\": true, \"ValidUntil\": \"2020-10-05T09:52:01.9342965Z\", "
	                 "\"Api\": \"https://sod2.superoffice.com/Cust37911/api\"}";
	const char *state_url = "https://sod.superoffice.com/api/state/Cust37911";
	assert_int_equal(api_tenant_parse(ok, strlen(ok), state_url, &t, err, sizeof err), 0);
	assert_string_equal(t.context, "Cust37911");
	assert_string_equal(t.state, "Running");
	assert_true(t.running);
	assert_string_equal(t.base, "https://sod2.superoffice.com/Cust37911/api/v1");
	assert_int_equal((long)t.valid_until, 1601891521L);
	const char *maint = "{\"ContextIdentifier\": \"Cust1\", \"Endpoint\": \"https://sod3.superoffice.com/Cust1/\", "
	                    "\"State\": \"OfflineMaintenance\", \"IsRunning\": false}";
	assert_int_equal(api_tenant_parse(maint, strlen(maint), state_url, &t, err, sizeof err), 0);
	assert_false(t.running);
	assert_string_equal(t.state, "OfflineMaintenance");
	assert_string_equal(t.base, "https://sod3.superoffice.com/Cust1/api/v1");
	assert_int_equal((long)t.valid_until, 0);
	/* an http Endpoint from an https state service would send credentials in clear */
	const char *http = "{\"Endpoint\": \"http://evil.example/Cust1\", \"IsRunning\": true}";
	assert_int_equal(api_tenant_parse(http, strlen(http), state_url, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "http:// Endpoint"));
	assert_int_equal(api_tenant_parse(http, strlen(http), "http://127.0.0.1:9/api/state/x", &t, err,
	                                  sizeof err), 0);
	const char *creds = "{\"Endpoint\": \"https://u:p@h/Cust1\", \"IsRunning\": true}";
	assert_int_equal(api_tenant_parse(creds, strlen(creds), state_url, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "no usable Endpoint"));
	const char *c1 = "{\"Endpoint\": \"https://h/Cust1\\u009b2J\", \"IsRunning\": true}";
	assert_int_equal(api_tenant_parse(c1, strlen(c1), state_url, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "no usable Endpoint (\"https://h/Cust1\\x9B2J\")"));
	const char *none = "{\"IsRunning\": true}";
	assert_int_equal(api_tenant_parse(none, strlen(none), state_url, &t, err, sizeof err), -1);
	const char *html = "<html>\x1b[2J</html>";
	assert_int_equal(api_tenant_parse(html, strlen(html), state_url, &t, err, sizeof err), -1);
	assert_non_null(strstr(err, "not a tenant state"));
	assert_null(strchr(err, 0x1b));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_url_ticket),
		cmocka_unit_test(test_url_list),
		cmocka_unit_test(test_error_json_body),
		cmocka_unit_test(test_error_json_without_message),
		cmocka_unit_test(test_error_html_page),
		cmocka_unit_test(test_error_empty_body),
		cmocka_unit_test(test_error_message_bounded),
		cmocka_unit_test(test_redact),
		cmocka_unit_test(test_retry_after),
		cmocka_unit_test(test_url_suffix),
		cmocka_unit_test(test_so_error),
		cmocka_unit_test(test_redirect_message),
		cmocka_unit_test(test_tenant_parse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

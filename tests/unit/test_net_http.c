/* test_net_http.c — the service client's pure helpers: URL building, the
 * user's message for an error response, header redaction for --log. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* http.c — pure helpers of the service client: URL building, turning a
 * response into a message for the user, redacting secrets in trace lines.
 * No curl transfer state here, so unit tests call these directly. */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "ticketed/api.h"
#include "ticketed/json.h"

/* Length of BASE without trailing slashes. */
static size_t base_len(const char *base)
{
	size_t n = strlen(base);
	while (n > 0 && base[n - 1] == '/')
		n--;
	return n;
}

/* BASE + "/" + SEG (+ "/" + escaped ARG); malloc'd, NULL on failure. */
static char *url_join(const char *base, const char *seg, const char *arg)
{
	char *esc = NULL;
	if (arg) {
		esc = curl_easy_escape(NULL, arg, 0);
		if (!esc)
			return NULL;
	}
	size_t n = base_len(base);
	size_t len = n + strlen(seg) + (esc ? strlen(esc) : 0) + 3;
	char *u = malloc(len);
	if (u)
		snprintf(u, len, "%.*s/%s%s%s", (int)n, base, seg, esc ? "/" : "", esc ? esc : "");
	curl_free(esc);
	return u;
}

char *api_url_ticket(const char *base, long id)
{
	char num[32];
	snprintf(num, sizeof num, "%ld", id);
	return url_join(base, "Ticket", num);
}

char *api_url_list(const char *base, const char *name)
{
	return url_join(base, "MDOList", name);
}

/* Standard reason phrases for when the status line has none (HTTP/2). */
static const char *reason_for(long status)
{
	static const struct { long code; const char *text; } t[] = {
		{ 200, "OK" }, { 204, "No Content" }, { 400, "Bad Request" },
		{ 401, "Unauthorized" }, { 403, "Forbidden" }, { 404, "Not Found" },
		{ 405, "Method Not Allowed" }, { 406, "Not Acceptable" },
		{ 409, "Conflict" }, { 412, "Precondition Failed" },
		{ 413, "Content Too Large" }, { 415, "Unsupported Media Type" },
		{ 429, "Too Many Requests" }, { 500, "Internal Server Error" },
		{ 502, "Bad Gateway" }, { 503, "Service Unavailable" },
		{ 504, "Gateway Timeout" },
	};
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (t[i].code == status)
			return t[i].text;
	return "";
}

/* The reason phrase of STATUS_LINE ("HTTP/1.1 404 Not Found"), printable
 * ASCII only, into OUT. */
static void reason_phrase(const char *status_line, long status, char *out, size_t outlen)
{
	const char *p = status_line ? strchr(status_line, ' ') : NULL;
	if (p)
		p = strchr(p + 1, ' ');
	size_t n = 0;
	if (p) {
		for (p++; *p && *p != '\r' && *p != '\n' && n + 1 < outlen && n < 80; p++)
			out[n++] = (*p >= 0x20 && *p < 0x7f) ? *p : '?';
	}
	out[n] = '\0';
	if (n == 0)
		snprintf(out, outlen, "%s", reason_for(status));
}

void api_status_text(long status, const char *status_line, char *out, size_t outlen)
{
	char reason[96];
	reason_phrase(status_line, status, reason, sizeof reason);
	snprintf(out, outlen, "HTTP %ld%s%s", status, *reason ? " " : "", reason);
}

/* True when CONTENT_TYPE names a JSON media type (or is absent). */
static bool is_json_type(const char *ct)
{
	if (!ct || !*ct)
		return true;
	return !strncasecmp(ct, "application/json", 16) || strcasestr(ct, "+json") != NULL;
}

/* Copy S into OUT bounded, cutting at a UTF-8 boundary. */
static void copy_bounded(const char *s, char *out, size_t outlen)
{
	size_t n = strlen(s);
	if (n >= outlen) {
		n = outlen - 1;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	memcpy(out, s, n);
	out[n] = '\0';
}

cJSON *api_error_message(long status, const char *status_line, const char *content_type,
                         const char *body, size_t len, char *out, size_t outlen)
{
	cJSON *j = NULL;
	if (body && len > 0 && is_json_type(content_type))
		j = json_parse(body, len, "response", NULL, 0);
	cJSON *m = json_get_ci(j, "ErrorMessage");
	if (cJSON_IsString(m) && m->valuestring[0])
		copy_bounded(m->valuestring, out, outlen);
	else
		api_status_text(status, status_line, out, outlen);
	return j;
}

const char *api_redact_header(const char *line, char *out, size_t outlen)
{
	static const char *secret[] = { "Authorization", "Proxy-Authorization", "SO-AppToken",
	                                "Cookie", "Set-Cookie", "X-XSRF-TOKEN" };
	for (size_t i = 0; i < sizeof secret / sizeof secret[0]; i++) {
		size_t n = strlen(secret[i]);
		if (!strncasecmp(line, secret[i], n) && line[n] == ':') {
			snprintf(out, outlen, "%.*s: [redacted]", (int)n, line);
			return out;
		}
	}
	return line;
}

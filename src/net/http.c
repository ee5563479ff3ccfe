/* http.c — pure helpers of the service client: URL building, turning a
 * response into a message for the user (sanitised), Retry-After, redirects,
 * the Online tenant state, redacting secrets in trace lines.
 * No curl transfer state here, so unit tests call these directly. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <curl/curl.h>
#include "ticketed/api.h"
#include "ticketed/date.h"
#include "ticketed/errmsg.h"
#include "ticketed/escape.h"
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

/* Append SRC escaped with curl_easy_escape to the malloc'd *DST (length
 * *N); KEEP_DOLLAR keeps a leading '$'. -1 when out of memory. */
static int append_escaped(char **dst, size_t *n, const char *prefix, const char *src, bool keep_dollar)
{
	bool dollar = keep_dollar && src[0] == '$';
	char *esc = curl_easy_escape(NULL, src + dollar, 0);
	if (!esc)
		return -1;
	size_t add = strlen(prefix) + dollar + strlen(esc);
	char *p = realloc(*dst, *n + add + 1);
	if (p) {
		snprintf(p + *n, add + 1, "%s%s%s", prefix, dollar ? "$" : "", esc);
		*dst = p;
		*n += add;
	}
	curl_free(esc);
	return p ? 0 : -1;
}

/* Check one path segment [S, S+LEN) and append it escaped. */
static int append_segment(char **u, size_t *n, const char *s, size_t len, char *err, size_t errlen)
{
	char seg[256];
	if (len == 0 || len >= sizeof seg || (len == 1 && s[0] == '.') || (len == 2 && !strncmp(s, "..", 2))) {
		seterr(err, errlen, "bad path segment \"%.*s\"", (int)(len < 60 ? len : 60), s);
		return -1;
	}
	memcpy(seg, s, len);
	seg[len] = '\0';
	if (append_escaped(u, n, "/", seg, false) < 0) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

char *api_url_suffix(const char *path, const char *const *query, char *err, size_t errlen)
{
	char *u = calloc(1, 1);
	size_t n = 0;
	if (!u || !path || !*path || path[0] == '/') {
		seterr(err, errlen, u ? "the path must be relative to the base URL" : "out of memory");
		free(u);
		return NULL;
	}
	for (const char *p = path; ; ) {
		const char *slash = strchr(p, '/');
		size_t len = slash ? (size_t)(slash - p) : strlen(p);
		if (append_segment(&u, &n, p, len, err, errlen) < 0) {
			free(u);
			return NULL;
		}
		if (!slash)
			break;
		p = slash + 1;
	}
	for (size_t i = 0; query && query[i]; i += 2) {
		if (!query[i][0] || !query[i + 1]) {
			seterr(err, errlen, "bad query: an empty name or a name without a value");
			free(u);
			return NULL;
		}
		if (append_escaped(&u, &n, i ? "&" : "?", query[i], true) < 0 ||
		    append_escaped(&u, &n, "=", query[i + 1], false) < 0) {
			seterr(err, errlen, "out of memory");
			free(u);
			return NULL;
		}
	}
	return u;
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

/* The reason phrase of STATUS_LINE ("HTTP/1.1 404 Not Found"), sanitised
 * and at most 80 bytes of it, into OUT. */
static void reason_phrase(const char *status_line, long status, char *out, size_t outlen)
{
	const char *p = status_line ? strchr(status_line, ' ') : NULL;
	if (p)
		p = strchr(p + 1, ' ');
	size_t n = p ? strcspn(++p, "\r\n") : 0;
	esc_buf(p, n < 80 ? n : 80, 0, out, outlen);
	if (!out[0])
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

cJSON *api_error_message(long status, const char *status_line, const char *content_type,
                         const char *body, size_t len, char *out, size_t outlen)
{
	cJSON *j = NULL;
	if (body && len > 0 && is_json_type(content_type))
		j = json_parse(body, len, "response", NULL, 0);
	cJSON *m = json_get_ci(j, "ErrorMessage");
	if (cJSON_IsString(m) && m->valuestring[0])
		esc_buf(m->valuestring, strlen(m->valuestring), 0, out, outlen);
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

bool api_is_so_error(const cJSON *j)
{
	const cJSON *e = json_get_ci(j, "Error");
	return cJSON_IsObject(j) && (cJSON_IsTrue(e) || cJSON_IsString(json_get_ci(j, "ErrorMessage")) ||
	                             cJSON_IsString(json_get_ci(j, "ErrorType")));
}

int api_retry_after(const char *value, time_t now, long *secs)
{
	const long day = 86400;
	time_t t;
	if (!value)
		return -1;
	while (*value == ' ' || *value == '\t')
		value++;
	if (isdigit((unsigned char)*value)) {
		const char *p = value;
		long v = 0;
		for (; isdigit((unsigned char)*p); p++)
			v = v > day ? v : v * 10 + (*p - '0');
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p)
			return -1;
		*secs = v > day ? day : v;
		return 0;
	}
	if (date_http_parse(value, &t) < 0)
		return -1;
	*secs = t <= now ? 0 : (t - now > day ? day : (long)(t - now));
	return 0;
}

/* TARGET without user info, query and fragment, into OUT (sanitised); -1
 * when it is not an absolute URL. */
static int clean_target(const char *target, char *out, size_t outlen)
{
	CURLU *u = curl_url();
	char *s = NULL;
	int rc = -1;
	if (u && curl_url_set(u, CURLUPART_URL, target, CURLU_NON_SUPPORT_SCHEME) == CURLUE_OK) {
		curl_url_set(u, CURLUPART_USER, NULL, 0);
		curl_url_set(u, CURLUPART_PASSWORD, NULL, 0);
		curl_url_set(u, CURLUPART_OPTIONS, NULL, 0);
		curl_url_set(u, CURLUPART_QUERY, NULL, 0);
		curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
		if (curl_url_get(u, CURLUPART_URL, &s, 0) == CURLUE_OK) {
			esc_buf(s, strlen(s), 0, out, outlen);
			rc = 0;
		}
	}
	curl_free(s);
	curl_url_cleanup(u);
	return rc;
}

void api_redirect_message(long status, const char *url, const char *suffix, const char *target,
                          char *out, size_t outlen)
{
	char t[400], where[300];
	size_t tl, sl = suffix ? strlen(suffix) : 0;
	if (!target || !*target || clean_target(target, t, sizeof t) < 0) {
		snprintf(out, outlen, "HTTP %ld without a usable Location: the service is not at %.300s", status,
		         url);
		return;
	}
	esc_buf(url, strlen(url), 0, where, sizeof where);
	tl = strlen(t);
	if (sl > 0 && tl > sl && !strcmp(t + tl - sl, suffix))
		snprintf(out, outlen, "HTTP %ld to %s: set url to %.*s", status, t, (int)(tl - sl), t);
	else
		snprintf(out, outlen, "HTTP %ld to %s: the service is not at %s; set url to its "
		         "address up to /api/v1", status, t, where);
}

/* Whether URL is absolute http(s) without user info; *HTTPS set. */
static bool plain_url(const char *url, bool *https)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *user = NULL;
	bool ok = u && curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	          curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) == CURLUE_OK &&
	          (!strcasecmp(scheme, "https") || !strcasecmp(scheme, "http")) &&
	          curl_url_get(u, CURLUPART_USER, &user, 0) != CURLUE_OK;
	*https = ok && !strcasecmp(scheme, "https");
	curl_free(scheme);
	curl_free(user);
	curl_url_cleanup(u);
	return ok;
}

/* Whether S is all printable ASCII without blanks (a URL from the server
 * becomes the base of every request and goes into messages and the log). */
static bool printable_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s <= 0x20 || (unsigned char)*s >= 0x7f)
			return false;
	return true;
}

/* Copy the string member NAME of J into OUT (sanitised), "" if absent. */
static void member_text(const cJSON *j, const char *name, char *out, size_t outlen)
{
	const cJSON *m = json_get_ci(j, name);
	out[0] = '\0';
	if (cJSON_IsString(m))
		esc_buf(m->valuestring, strlen(m->valuestring), 0, out, outlen);
}

int api_tenant_parse(const char *body, size_t len, const char *state_url, api_tenant *out,
                     char *err, size_t errlen)
{
	char perr[200], ep[400];
	bool https, state_https;
	tdate d;
	memset(out, 0, sizeof *out);
	cJSON *j = json_parse(body, len, "tenant state", perr, sizeof perr);
	if (!cJSON_IsObject(j)) {
		char msg[300];
		snprintf(msg, sizeof msg, "the answer is not a tenant state object%s%s", j ? "" : ": ",
		         j ? "" : perr);
		if (err && errlen)
			esc_buf(msg, strlen(msg), 0, err, errlen);
		cJSON_Delete(j);
		return -1;
	}
	member_text(j, "ContextIdentifier", out->context, sizeof out->context);
	member_text(j, "State", out->state, sizeof out->state);
	out->running = cJSON_IsTrue(json_get_ci(j, "IsRunning"));
	const cJSON *e = json_get_ci(j, "Endpoint"), *v = json_get_ci(j, "ValidUntil");
	if (cJSON_IsString(v) && date_parse(v->valuestring, 0, &d, NULL, 0) == 0 && !d.empty)
		out->valid_until = (time_t)d.utc;
	int rc = -1;
	if (!cJSON_IsString(e) || !printable_ascii(e->valuestring) || !plain_url(e->valuestring, &https)) {
		member_text(j, "Endpoint", ep, sizeof ep);
		seterr(err, errlen, "the tenant state has no usable Endpoint (\"%.200s\")", ep);
	} else if (!https && (!plain_url(state_url, &state_https) || state_https)) {
		esc_buf(e->valuestring, strlen(e->valuestring), 0, ep, sizeof ep);
		seterr(err, errlen, "the tenant state names an http:// Endpoint (%.200s): refused, "
		       "credentials would travel unencrypted", ep);
	} else {
		size_t n = strlen(e->valuestring);
		while (n > 0 && e->valuestring[n - 1] == '/')
			n--;
		if (n + sizeof "/api/v1" > sizeof out->base)
			seterr(err, errlen, "the tenant state's Endpoint is too long");
		else {
			snprintf(out->base, sizeof out->base, "%.*s/api/v1", (int)n, e->valuestring);
			rc = 0;
		}
	}
	cJSON_Delete(j);
	return rc;
}

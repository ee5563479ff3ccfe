/* request.c — one HTTP request in, one answer out, without libmicrohttpd:
 * routing on the whole decoded path (case-insensitive), auth, the body
 * checks (media type, UTF-8, JSON), the Ticket and MDOList calls, error
 * bodies and the injected faults that shape an answer. http.c feeds it
 * from the network, tests/fuzz/fuzz_request.c from fuzzer input. */
#include "ticketed/num.h"
#include "ticketd.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ticketed/date.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"

/* ---- small helpers ----------------------------------------------------------- */

int td_parse_long(const char *s, long min, long max, long *out)
{
	long long v;
	if (num_parse(s, min, max, &v, NULL) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9') return c - '0';
	if (c >= 'a' && c <= 'f') return c - 'a' + 10;
	if (c >= 'A' && c <= 'F') return c - 'A' + 10;
	return -1;
}

/* %XX-decode (ticketd.h); a '%' without two hex digits stays, as
 * libmicrohttpd decodes. */
char *td_pct_decode(const char *s, size_t n, bool plus, size_t *len)
{
	char *out = malloc(n + 1), *o = out;
	if (!out)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		int hi = s[i] == '%' && i + 2 < n ? hexval((unsigned char)s[i + 1]) : -1;
		int lo = hi >= 0 ? hexval((unsigned char)s[i + 2]) : -1;
		if (lo >= 0) {
			*o++ = (char)(hi << 4 | lo);
			i += 2;
		} else {
			*o++ = plus && s[i] == '+' ? ' ' : s[i];
		}
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}


static const char *header(const td_request *rq, const char *name)
{
	return rq->header ? rq->header(rq->hctx, name) : NULL;
}

/* ---- answers ----------------------------------------------------------------- */

static int seg_add(td_response *rs, const char *p, size_t n)
{
	if (rs->nseg == rs->cap) {
		size_t cap = rs->cap ? rs->cap * 2 : 8;
		td_seg *ns = realloc(rs->seg, cap * sizeof *ns);
		if (!ns)
			return -1;
		rs->seg = ns;
		rs->cap = cap;
	}
	rs->seg[rs->nseg++] = (td_seg){ p, n };
	rs->len += n;
	return 0;
}

void td_response_free(td_response *rs)
{
	free(rs->seg);
	free(rs->own);
	snap_put(rs->snap);
	memset(rs, 0, sizeof *rs);
}

/* STATUS with TEXT (malloc'd, taken over; NULL: out of memory) as the body. */
static void respond(td_response *rs, int status, const char *ctype, char *text)
{
	td_response_free(rs);
	rs->status = status;
	rs->ctype = ctype;
	if (!text || seg_add(rs, text, strlen(text))) {
		free(text);
		td_response_free(rs);
		rs->status = 500;  /* out of memory: a 500 without a body */
		rs->ctype = "text/plain";
		return;
	}
	rs->own = text;
}

static const char *reason(int status)
{
	switch (status) {
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 403: return "Forbidden";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 409: return "Conflict";
	case 412: return "Precondition Failed";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 415: return "Unsupported Media Type";
	case 429: return "Too Many Requests";
	case 503: return "Service Unavailable";
	case 500: return "Internal Server Error";
	default: return "Error";
	}
}

static char *html_escape(const char *s)
{
	char *o = malloc(strlen(s) * 6 + 1), *q = o;
	if (!o)
		return NULL;
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

/* An error in the documented shape, or an IIS-like HTML page with
 * html-error. The message is made valid UTF-8 first (a message may hold
 * client text cut to a length). HDR/VAL: one extra header or NULL. */
static void respond_error(td_server *sv, td_response *rs, int status, const char *type, const char *msg,
                          const char *hdr, const char *val)
{
	char m[600];
	snprintf(m, sizeof m, "%s", msg);
	td_utf8_fix(m, sizeof m);
	if (sv->cfg.html_error) {
		char *h = html_escape(m);
		size_t n = (h ? strlen(h) : 0) + 1024;
		char *page = h ? malloc(n) : NULL;
		if (page)
			snprintf(page, n,
			         "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Strict//EN\">\r\n<html><head>"
			         "<title>%d - %s</title></head>\r\n<body><div id=\"header\"><h1>Server Error</h1></div>"
			         "<div id=\"content\"><h2>%d - %s</h2><h3>%s</h3></div></body></html>\r\n",
			         status, reason(status), status, reason(status), h);
		free(h);
		respond(rs, status, "text/html; charset=utf-8", page);
	} else {
		cJSON *e = cJSON_CreateObject();
		cJSON_AddBoolToObject(e, "Error", true);
		cJSON_AddStringToObject(e, "ErrorType", type);
		cJSON_AddStringToObject(e, "ErrorMessage", m);
		cJSON_AddStringToObject(e, "ErrorSource", "ticketd");
		char *text = e ? json_print(e, false) : NULL;
		cJSON_Delete(e);
		respond(rs, status, "application/json; charset=utf-8", text);
	}
	if (rs->status == status) {
		rs->hdr = hdr;
		rs->hval = val;
	}
}

/* A path no route matches. The reference documents each call's own errors
 * (the SuperOffice error body, e.g. SoNotFoundException for an unknown id)
 * but not what the host says for a path that is no call at all; the service
 * is an ASP.NET Web API application, whose answer for an unmatched route is
 * a 404 with {"Message": "No HTTP resource was found that matches the
 * request URI '...'."}, no error body of the service's own: so a client
 * pointed at a wrong base URL hears that, not "ticket not found". MSG is
 * that message (with html-error, the IIS page says it). */
static void respond_no_route(td_server *sv, td_response *rs, const char *msg)
{
	if (sv->cfg.html_error)
		return respond_error(sv, rs, 404, "SoNotFoundException", msg, NULL, NULL);
	char m[700];
	snprintf(m, sizeof m, "%s", msg);
	td_utf8_fix(m, sizeof m);
	cJSON *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "Message", m);
	char *text = e ? json_print(e, false) : NULL;
	cJSON_Delete(e);
	respond(rs, 404, "application/json; charset=utf-8", text);
}

/* A known path asked with another method: 405 with Allow, in the error shape. */
static void respond_no_method(td_server *sv, const td_request *rq, td_response *rs, const char *allow)
{
	char msg[120];
	char *shown = td_escape(rq->method, strlen(rq->method) > 40 ? 40 : strlen(rq->method), " ");
	snprintf(msg, sizeof msg, "The requested resource does not support http method '%s'.", shown ? shown : "?");
	free(shown);
	respond_error(sv, rs, 405, "SoMethodNotAllowedException", msg, "Allow", allow);
}

static void respond_err(td_server *sv, td_response *rs, const td_err *e)
{
	respond_error(sv, rs, e->status, e->type, e->msg, NULL, NULL);
}

static void not_found(td_server *sv, td_response *rs, int id)
{
	char msg[96];
	snprintf(msg, sizeof msg, "Ticket id %d not found", id);
	respond_error(sv, rs, 404, "SoNotFoundException", msg, NULL, NULL);
}

/* garbage-json: a 200 body is cut in half (invalid JSON). */
static void garble(td_server *sv, td_response *rs)
{
	if (!sv->cfg.garbage_json || rs->status != 200)
		return;
	size_t keep = rs->len / 2, n = 0;
	rs->len = 0;
	for (size_t i = 0; i < rs->nseg; i++) {
		if (rs->len + rs->seg[i].n > keep)
			rs->seg[i].n = keep - rs->len;
		rs->len += rs->seg[i].n;
		if (rs->seg[i].n)
			rs->seg[n++] = rs->seg[i];
	}
	rs->nseg = n;
}

/* ---- auth ------------------------------------------------------------------- */

static int b64val(int ch)
{
	if (ch >= 'A' && ch <= 'Z') return ch - 'A';
	if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
	if (ch >= '0' && ch <= '9') return ch - '0' + 52;
	if (ch == '+') return 62;
	if (ch == '/') return 63;
	return -1;
}

/* Decode base64 S (RFC 4648 section 4, as Basic auth uses it: padded to a
 * multiple of 4, '=' only at the end, unused bits zero, nothing after the
 * padding) into a malloc'd buffer, *LEN bytes (plus a NUL); NULL if S is
 * anything else. */
static char *b64decode(const char *s, size_t *len)
{
	size_t n = strlen(s);
	if (n == 0 || n % 4)
		return NULL;
	size_t pad = s[n - 1] == '=' ? s[n - 2] == '=' ? 2 : 1 : 0;
	char *out = malloc(n / 4 * 3 + 1), *o = out;
	if (!out)
		return NULL;
	unsigned acc = 0;
	int bits = 0;
	for (size_t i = 0; i < n - pad; i++) {
		int v = b64val((unsigned char)s[i]);
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
	if (acc & ((1u << bits) - 1)) {  /* bits past the last byte must be zero */
		free(out);
		return NULL;
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}

/* A == B in time that depends on B's length only (B is the secret). */
static bool ct_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	volatile unsigned char diff = (unsigned char)(alen != blen);
	for (size_t i = 0; i < blen; i++)
		diff |= (unsigned char)((unsigned char)b[i] ^ (unsigned char)(i < alen ? a[i] : 0));
	return diff == 0;
}

/* The token --token-file (or the password --password-file) holds now: its
 * first line, read at each request, so that writing a new one into the file
 * expires the old one while ticketd runs (as a token service that has
 * issued a new token, or a password changed). 0, or -1 when the file cannot
 * be read or is empty (then nothing is valid). */
static int token_from_file(const char *path, char *buf, size_t size)
{
	FILE *f = fopen(path, "re");
	if (!f)
		return -1;
	bool got = fgets(buf, (int)size, f) != NULL;
	fclose(f);
	if (!got)
		return -1;
	buf[strcspn(buf, "\r\n")] = '\0';
	return buf[0] ? 0 : -1;
}

static bool auth_ok(const td_config *cfg, const char *h)
{
	if (!cfg->user && !cfg->token && !cfg->token_file)
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
		size_t dl = 0;
		char now[4096];
		const char *pw = cfg->password ? cfg->password : "";
		if (cfg->password_file && token_from_file(cfg->password_file, now, sizeof now) < 0) {
			explicit_bzero(now, sizeof now);
			return false;
		}
		if (cfg->password_file)
			pw = now;
		char *dec = b64decode(cred, &dl);
		char *want = str_join(cfg->user, ":", pw);
		explicit_bzero(now, sizeof now);
		bool good = dec && want && ct_equal(dec, dl, want, strlen(want));
		if (dec)
			explicit_bzero(dec, dl);
		if (want)
			explicit_bzero(want, strlen(want));
		free(dec);
		free(want);
		return good;
	}
	if (!((sl == 6 && !strncasecmp(h, "Bearer", 6)) || (sl == 8 && !strncasecmp(h, "SOTicket", 8))))
		return false;
	if (cfg->token && ct_equal(cred, strlen(cred), cfg->token, strlen(cfg->token)))
		return true;
	if (cfg->token_file) {
		char now[4096];
		bool good = token_from_file(cfg->token_file, now, sizeof now) == 0 &&
		            ct_equal(cred, strlen(cred), now, strlen(now));
		explicit_bzero(now, sizeof now);
		return good;
	}
	return false;
}

/* The associate a request acts as (the archive's currentAssociate): the one
 * whose UserName (or Name) is the Basic user, else --associate. */
static long current_associate(const td_server *sv, const td_request *rq)
{
	const char *h = header(rq, "Authorization");
	long me = sv->cfg.associate;
	while (h && *h == ' ')
		h++;
	if (h && !strncasecmp(h, "Basic ", 6)) {
		size_t dl = 0;
		char *dec = b64decode(h + 6 + strspn(h + 6, " "), &dl);
		char *colon = dec ? memchr(dec, ':', dl) : NULL;
		if (colon) {
			const cJSON *it;
			*colon = '\0';
			cJSON_ArrayForEach(it, sv->store.lists[L_ASSOC].items) {
				const cJSON *u = json_get(it, "UserName"), *n = json_get(it, "Name"),
				            *id = json_get(it, "AssociateId");
				if (json_is_int32(id) && ((cJSON_IsString(u) && !strcasecmp(u->valuestring, dec)) ||
				                          (cJSON_IsString(n) && !strcasecmp(n->valuestring, dec)))) {
					me = (long)id->valuedouble;
					break;
				}
			}
		}
		if (dec)
			explicit_bzero(dec, dl);
		free(dec);
	}
	return me;
}

/* ---- the calls -------------------------------------------------------------- */

/* The Host the client used, if it is a plain host[:port], else "localhost". */
static const char *client_host(const td_request *rq)
{
	const char *host = header(rq, "Host");
	if (!host || !*host || strlen(host) > 200 ||
	    strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") != strlen(host))
		host = "localhost";
	return host;
}

/* The _Links member for this Host (a wrapper object holding it; NULL when
 * out of memory). */
static cJSON *links_for(const td_server *sv, const td_request *rq, int id)
{
	const char *host = client_host(rq);
	char self[300], archive[300];
	const char *pre = sv->cfg.prefix ? sv->cfg.prefix : "";
	snprintf(self, sizeof self, "http://%s%s/api/v1/Ticket/%d", host, pre, id);
	snprintf(archive, sizeof archive, "http://%s%s/api/v1/Archive/Ticket/%d", host, pre, id);
	cJSON *w = cJSON_CreateObject(), *l = cJSON_AddObjectToObject(w, "_Links");
	if (!l || !cJSON_AddStringToObject(l, "Self", self) || !cJSON_AddStringToObject(l, "Archive", archive)) {
		cJSON_Delete(w);
		return NULL;
	}
	return w;
}

/* The language the request asks names in (tenant.c), or NULL: names as
 * stored (multi-language encoded), also with the untranslated fault. */
static const char *request_language(const td_server *sv, const td_request *rq, char *buf, size_t n)
{
	if (sv->cfg.untranslated)
		return NULL;
	return td_request_language(header(rq, "SO-Language"), header(rq, "Accept-Language"), buf, n);
}

/* The values of the pieces that hold names the request's LANG translates,
 * each translated, one after the other in one malloc'd text (*OFF[i]: where
 * piece i starts, -1 for those sent as they are); then TAIL. NULL when out
 * of memory. */
static char *translated_pieces(const td_snap *snap, const char *lang, const char *tail, long *off)
{
	size_t len = 0, cap = strlen(tail) + 1;
	char **tv = calloc(snap->n ? snap->n : 1, sizeof *tv), *out = NULL;
	if (!tv)
		return NULL;
	for (size_t i = 0; i < snap->n; i++) {
		const td_text *p = snap->piece[i];
		if (p && p->ml && lang && (tv[i] = td_translate_text(p->s + p->klen, p->len - p->klen, lang, false)))
			cap += p->klen + strlen(tv[i]);
	}
	if ((out = malloc(cap))) {
		for (size_t i = 0; i < snap->n; i++) {
			off[i] = -1;
			if (!tv[i])
				continue;
			off[i] = (long)len;
			memcpy(out + len, snap->piece[i]->s, snap->piece[i]->klen);
			len += snap->piece[i]->klen;
			memcpy(out + len, tv[i], strlen(tv[i]));
			len += strlen(tv[i]);
		}
		memcpy(out + len, tail, strlen(tail) + 1);
	}
	for (size_t i = 0; i < snap->n; i++)
		free(tv[i]);
	free(tv);
	return out;
}

/* 200 with ticket T (its snapshot, or a $select built under T's lock,
 * which the caller holds when LOCKED). Names inside it are translated
 * into the request's language. */
static void respond_ticket(td_server *sv, const td_request *rq, td_response *rs, td_ticket *t,
                           const td_select *sel, bool locked)
{
	cJSON *links = links_for(sv, rq, t->id);
	char *text = NULL, lbuf[64];
	const char *lang = request_language(sv, rq, lbuf, sizeof lbuf);
	long *off = NULL;
	size_t tail = 0;
	td_response_free(rs);
	if (!links)
		goto nomem;
	if (sel) {
		if (!locked)
			pthread_rwlock_rdlock(&t->lock);
		text = ticket_select_text(t, sel, links->child, sv->store.dates);
		if (!locked)
			pthread_rwlock_unlock(&t->lock);
		cJSON_Delete(links);
		if (!text)
			goto nomem;
		if (lang) {
			char *tr = td_translate_text(text, strlen(text), lang, true);
			if (tr) {
				free(text);
				text = tr;
			}
		}
		respond(rs, 200, "application/json; charset=utf-8", text);
		garble(sv, rs);
		return;
	}
	/* the whole ticket: its pieces as they are (translated ones from OWN),
	 * then _Links */
	char *lt = json_print(links->child, false);
	cJSON_Delete(links);
	rs->snap = snap_get(t);
	char *ltext = lt ? str_join("\"_Links\":", lt, "}") : NULL;
	free(lt);
	if (!ltext || !(off = calloc(rs->snap->n ? rs->snap->n : 1, sizeof *off))) {
		free(ltext);
		goto nomem;
	}
	rs->own = translated_pieces(rs->snap, lang, ltext, off);
	if (rs->own)
		tail = strlen(rs->own) - strlen(ltext);
	free(ltext);
	if (!rs->own || seg_add(rs, "{", 1))
		goto nomem;
	for (size_t i = 0; i < rs->snap->n; i++) {
		const td_text *p = rs->snap->piece[i];
		if (!p)
			continue;
		if (rs->nseg > 1 && seg_add(rs, ",", 1))
			goto nomem;
		if (off[i] >= 0) {  /* up to the next translated piece, or the tail */
			size_t next = tail;
			for (size_t j = i + 1; j < rs->snap->n; j++)
				if (off[j] >= 0) {
					next = (size_t)off[j];
					break;
				}
			if (seg_add(rs, rs->own + off[i], next - (size_t)off[i]))
				goto nomem;
		} else if (seg_add(rs, p->s, p->len)) {
			goto nomem;
		}
	}
	if ((rs->nseg > 1 && seg_add(rs, ",", 1)) || seg_add(rs, rs->own + tail, strlen(rs->own + tail)))
		goto nomem;
	free(off);
	off = NULL;
	rs->status = 200;
	rs->ctype = "application/json; charset=utf-8";
	garble(sv, rs);
	return;
nomem:
	free(off);
	td_response_free(rs);
	respond(rs, 500, NULL, NULL);
}

/* The decoded $select of the query (NULL: none given, or it names nothing;
 * a NUL ends the value, as it did when libmicrohttpd decoded it); -1 when
 * out of memory. */
static int query_select(const char *query, td_select **out)
{
	*out = NULL;
	while (query && *query) {
		size_t n = strcspn(query, "&"), kn = strcspn(query, "=&"), klen, vlen;
		char *key = td_pct_decode(query, kn, true, &klen);
		if (!key)
			return -1;
		bool want = klen == 7 && !memcmp(key, "$select", 7);
		free(key);
		if (want) {
			char *v = kn < n ? td_pct_decode(query + kn + 1, n - kn - 1, true, &vlen) : strdup("");
			if (!v)
				return -1;
			*out = select_parse(v);
			free(v);
			return 0;  /* the first $select counts */
		}
		query += n;
		if (*query == '&')
			query++;
	}
	return 0;
}

static void get_ticket(td_server *sv, const td_request *rq, td_response *rs, int id, const td_select *sel)
{
	td_ticket *t = store_find(&sv->store, id);
	if (!t)
		return not_found(sv, rs, id);
	respond_ticket(sv, rq, rs, t, sel, false);
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

/* Line and column (in characters) of byte POS of BUF, as json_parse counts. */
static void line_col(const char *buf, size_t pos, unsigned *line, unsigned *col)
{
	*line = 1;
	*col = 1;
	for (size_t i = 0; i < pos; i++) {
		if (buf[i] == '\n') {
			(*line)++;
			*col = 1;
		} else if (((unsigned char)buf[i] & 0xC0) != 0x80) {
			(*col)++;
		}
	}
}

/* Parse the request body; NULL with E set (415/400). */
static cJSON *parse_body(const td_request *rq, td_err *e)
{
	const char *ct = header(rq, "Content-Type");
	if (!json_media_type(ct)) {
		char *shown = ct ? td_escape(ct, strlen(ct) > 100 ? 100 : strlen(ct), NULL) : NULL;
		e->status = 415;
		e->type = "SoUnsupportedMediaTypeException";
		snprintf(e->msg, sizeof e->msg,
		         "Content-Type '%.100s' is not supported; send application/json-patch+json, "
		         "application/merge-patch+json or application/json", shown ? shown : "(none)");
		free(shown);
		return NULL;
	}
	e->status = 400;
	e->type = "SoJsonException";
	size_t bad;
	if (!td_utf8_valid(rq->body, rq->body_len, &bad)) {
		unsigned line, col;
		line_col(rq->body, bad, &line, &col);
		snprintf(e->msg, sizeof e->msg, "request body:%u:%u: invalid UTF-8 (0x%02x at byte offset %zu)", line,
		         col, (unsigned char)rq->body[bad], bad);
		return NULL;
	}
	char err[400];
	cJSON *j = rq->body_len ? json_parse(rq->body, rq->body_len, "request body", err, sizeof err) : NULL;
	if (!j) {
		snprintf(e->msg, sizeof e->msg, "%s", rq->body_len ? err : "request body is empty");
		return NULL;
	}
	int line, col;
	if (json_nul_escape(rq->body, rq->body_len, &line, &col)) {  /* cJSON would cut the string */
		cJSON_Delete(j);
		snprintf(e->msg, sizeof e->msg, "request body:%d:%d: \\u0000 (NUL) in a string is not supported",
		         line, col);
		return NULL;
	}
	return j;
}

/* 412 if the ticket changed after If-Unmodified-Since (unparseable: ignored). */
static int precondition(const td_request *rq, const cJSON *doc, td_err *e)
{
	const char *h = header(rq, "If-Unmodified-Since");
	time_t since;
	if (!h || date_http_parse(h, &since))
		return 0;
	long long lc = ticket_last_changed(doc);
	if (lc < 0 || lc <= (long long)since)
		return 0;
	const cJSON *v = json_get(doc, "LastChanged");
	char *shown = td_escape(h, strlen(h) > 64 ? 64 : strlen(h), NULL);
	e->status = 412;
	e->type = "SoPreconditionFailedException";
	snprintf(e->msg, sizeof e->msg, "Ticket changed at %s, after If-Unmodified-Since %s",
	         cJSON_IsString(v) ? v->valuestring : "?", shown ? shown : "?");
	free(shown);
	return -1;
}

/* PATCH (IS_PUT false) or PUT of ticket ID. */
static void save_ticket(td_server *sv, const td_request *rq, td_response *rs, int id, bool is_put,
                        const td_select *sel)
{
	td_err e = { 0 };
	td_ticket *t = store_find(&sv->store, id);
	cJSON *body = parse_body(rq, &e);
	if (!body && e.status != 415 && !t)
		return not_found(sv, rs, id);  /* a 404 beats a bad body */
	if (!body)
		return respond_err(sv, rs, &e);
	if (!t) {
		cJSON_Delete(body);
		return not_found(sv, rs, id);
	}
	pthread_rwlock_wrlock(&t->lock);
	cJSON *changes = NULL;
	int rc = precondition(rq, t->doc, &e);
	if (rc == 0)
		rc = is_put ? ticket_put(&sv->store, t->doc, body, id, &changes, &e)
		            : ticket_patch(&sv->store, t->doc, body, &changes, &e);
	char err[300];
	if (rc == 0 && changes && store_save(&sv->store, t, changes, sv->cfg.persist, err, sizeof err)) {
		e.status = 500;
		e.type = "SoIOException";
		snprintf(e.msg, sizeof e.msg, "could not save: %s", err);
		rc = -1;
	}
	if (rc == 0)
		respond_ticket(sv, rq, rs, t, sel, true);
	pthread_rwlock_unlock(&t->lock);
	cJSON_Delete(body);
	if (rc)
		return respond_err(sv, rs, &e);
	if (sv->cfg.drop_after_apply)
		rs->drop = true;  /* applied; close without answering */
}

/* The decoded value of parameter NAME in QUERY (the first one; "" when it
 * has no '='), malloc'd; NULL when absent or out of memory. */
static char *query_value(const char *query, const char *name)
{
	size_t nl = strlen(name);
	while (query && *query) {
		size_t n = strcspn(query, "&"), kn = strcspn(query, "=&"), klen, vlen;
		char *key = td_pct_decode(query, kn, true, &klen);
		if (!key)
			return NULL;
		bool want = klen == nl && !strncasecmp(key, name, nl);
		free(key);
		if (want)
			return kn < n ? td_pct_decode(query + kn + 1, n - kn - 1, true, &vlen) : strdup("");
		query += n;
		if (*query == '&')
			query++;
	}
	return NULL;
}

static const char *query_of(const td_request *rq)
{
	const char *q = strchr(rq->target, '?');
	return q ? q + 1 : NULL;
}

/* GET MDOList/NAME[?flat=true][&query=TEXT]: the names in the request's language. */
static void get_list(td_server *sv, const td_request *rq, td_response *rs, const char *name)
{
	char lbuf[64];
	char *flat = query_value(query_of(rq), "flat"), *query = query_value(query_of(rq), "query");
	cJSON *l = mdo_list(&sv->store, name, flat && !strcasecmp(flat, "true"), query,
	                    request_language(sv, rq, lbuf, sizeof lbuf));
	free(flat);
	free(query);
	if (!l) {
		char *shown = td_escape(name, strlen(name) > 64 ? 64 : strlen(name), NULL);
		char msg[300];
		snprintf(msg, sizeof msg, "MDO list '%s' not found (ticketd serves ticketstatus, ticketpriority, "
		         "ejcategory, associate, tags, person_new, tickettype, sale, project)", shown ? shown : "?");
		free(shown);
		return respond_error(sv, rs, 404, "SoNotFoundException", msg, NULL, NULL);
	}
	char *text = json_print(l, false);
	cJSON_Delete(l);
	respond(rs, 200, "application/json; charset=utf-8", text);
	garble(sv, rs);
}

/* GET /api/v1/Ticket: the Ticket archive (archive.c). */
static void ticket_list(td_server *sv, const td_request *rq, td_response *rs, const char *query)
{
	const char *host = client_host(rq);
	char *text = NULL;
	td_err e = { 0 };
	if (strcmp(rq->method, "GET"))
		return respond_error(sv, rs, 405, "SoMethodNotAllowedException", "GET /api/v1/Ticket lists tickets; "
		                     "a ticket is saved with PATCH or PUT /api/v1/Ticket/{id}", "Allow", "GET");
	if (archive_answer(sv, query, host, current_associate(sv, rq), &text, &e))
		return respond_err(sv, rs, &e);
	respond(rs, 200, "application/json; charset=utf-8", text);
	garble(sv, rs);
}

/* GET Ticket/CustomField (NAME NULL) and Ticket/CustomField/NAME: the
 * custom field definitions, labels in the request's language. */
static void get_custom_fields(td_server *sv, const td_request *rq, td_response *rs, const char *name,
                              const char *noroute)
{
	char lbuf[64];
	int st = sv->cfg.cf_meta_status;
	if (st == 404)  /* an older service without the call */
		return respond_no_route(sv, rs, noroute);
	if (st)
		return respond_error(sv, rs, st, "SoAccessDeniedException",
		                     "injected fault: no access to the custom field definitions", NULL, NULL);
	if (strcmp(rq->method, "GET"))
		return respond_no_method(sv, rq, rs, "GET");
	cJSON *j = cf_meta_answer(&sv->store, name, request_language(sv, rq, lbuf, sizeof lbuf));
	if (!j) {
		char *shown = td_escape(name, strlen(name) > 64 ? 64 : strlen(name), NULL);
		char msg[200];
		snprintf(msg, sizeof msg, "Custom field '%s' not found", shown ? shown : "?");
		free(shown);
		return respond_error(sv, rs, 404, "SoNotFoundException", msg, NULL, NULL);
	}
	char *text = json_print(j, false);
	cJSON_Delete(j);
	respond(rs, 200, "application/json; charset=utf-8", text);
	garble(sv, rs);
}

/* Whether the decoded PATH (LEN bytes) is /api/v1/Ticket (any case, a
 * trailing '/' allowed). */
static bool is_ticket_list(const char *path, size_t len)
{
	static const char want[] = "/api/v1/Ticket";
	while (len > 1 && path[len - 1] == '/')
		len--;
	return len == sizeof want - 1 && !memchr(path, '\0', len) && !strncasecmp(path, want, len);
}

/* The tenant's own routes (Ticket/CustomField[/NAME]) on REST, the path
 * after /api/v1/; false when REST is not one of them. */
static bool tenant_route(td_server *sv, const td_request *rq, td_response *rs, const char *rest,
                         const char *noroute)
{
	static const char cf[] = "Ticket/CustomField";
	size_t n = strlen(cf);
	if (strncasecmp(rest, cf, n) || (rest[n] && rest[n] != '/'))
		return false;
	const char *name = rest[n] ? rest + n + 1 : NULL;
	if (name && (!*name || strchr(name, '/')))
		return false;
	get_custom_fields(sv, rq, rs, name, noroute);
	return true;
}

/* The conversation calls (messages.c): the body parsed for a POST, the
 * answer shaped here. Returns false when REST is not one of them. */
static bool messages_call(td_server *sv, const td_request *rq, td_response *rs, const char *rest,
                          const char *query)
{
	td_err e = { 0 };
	cJSON *body = NULL;
	char *out = NULL, host[300];
	const char *allow = NULL;
	if (!strcmp(rq->method, "POST") && !strcasecmp(rest, "TicketMessage") && !(body = parse_body(rq, &e))) {
		respond_err(sv, rs, &e);
		return true;
	}
	/* links carry the tenant's path prefix after the host */
	snprintf(host, sizeof host, "%s%s", client_host(rq), sv->cfg.prefix ? sv->cfg.prefix : "");
	int rc = msg_handle(sv, rq->method, rest, query, body, host, &out, &allow, &e);
	cJSON_Delete(body);
	if (rc == 0)
		return false;
	if (rc < 0) {
		respond_error(sv, rs, e.status, e.type, e.msg, allow ? "Allow" : NULL, allow);
		return true;
	}
	if (rc == 204) {
		respond(rs, 204, NULL, strdup(""));
	} else {
		respond(rs, 200, "application/json; charset=utf-8", out);
		garble(sv, rs);
	}
	if (sv->cfg.drop_after_post && !strcmp(rq->method, "POST") && rs->status == rc)
		rs->drop = true;  /* done; close without answering */
	return true;
}

/* ---- routing ------------------------------------------------------------------ */

/* Route METHOD on the decoded PATH (LEN bytes, may hold NUL) with $select
 * SEL. NOROUTE is the 404 message. */
static void route(td_server *sv, const td_request *rq, td_response *rs, char *path, size_t len,
                  const char *query, const td_select *sel, const char *noroute)
{
	const char *prefix = "/api/v1/", *method = rq->method;
	while (len > 1 && path[len - 1] == '/')
		path[--len] = '\0';
	/* the whole path: a NUL in it matches no route */
	if (memchr(path, '\0', len) || strncasecmp(path, prefix, strlen(prefix)))
		return respond_no_route(sv, rs, noroute);
	char *rest = path + strlen(prefix), *slash;
	if (tenant_route(sv, rq, rs, rest, noroute) || messages_call(sv, rq, rs, rest, query))
		return;
	slash = strchr(rest, '/');
	if (!slash || strchr(slash + 1, '/'))
		return respond_no_route(sv, rs, noroute);
	*slash = '\0';
	const char *arg = slash + 1;
	if (!strcasecmp(rest, "Ticket")) {
		long id;
		if (td_parse_long(arg, 1, 2147483647L, &id))
			return respond_no_route(sv, rs, noroute);
		if (!strcmp(method, "GET"))
			return get_ticket(sv, rq, rs, (int)id, sel);
		if (!strcmp(method, "PATCH") || !strcmp(method, "PUT"))
			return save_ticket(sv, rq, rs, (int)id, !strcmp(method, "PUT"), sel);
		return respond_no_method(sv, rq, rs, "GET, PATCH, PUT");
	}
	if (!strcasecmp(rest, "MDOList")) {
		if (!strcmp(method, "GET"))
			return get_list(sv, rq, rs, arg);
		return respond_no_method(sv, rq, rs, "GET");
	}
	respond_no_route(sv, rs, noroute);
}

/* throttle and maintenance: a 429 or 503 with Retry-After, before anything
 * else is looked at (nothing is applied). Returns true when answered. */
static bool push_back(td_server *sv, td_response *rs)
{
	const td_config *cfg = &sv->cfg;
	if (cfg->throttle_every <= 0 && !cfg->maintenance)
		return false;
	pthread_mutex_lock(&sv->log_lock);
	unsigned long n = ++sv->nseen;
	pthread_mutex_unlock(&sv->log_lock);
	const char *ra = cfg->retry_after ? cfg->retry_after : cfg->maintenance < 0 ? "30" : "1";
	if (cfg->maintenance < 0 || (cfg->maintenance > 0 && n <= (unsigned long)cfg->maintenance)) {
		respond_error(sv, rs, 503, "SoServiceUnavailableException",
		              "injected fault: maintenance (the tenant is not available; nothing was applied)",
		              "Retry-After", ra);
		return true;
	}
	if (cfg->throttle_every > 0 && n % (unsigned long)cfg->throttle_every == 0) {
		respond_error(sv, rs, 429, "SoTooManyRequestsException",
		              "injected fault: throttle (too many requests; nothing was applied)", "Retry-After", ra);
		return true;
	}
	return false;
}

/* PATH without the tenant prefix (--prefix /Cust12345): its length, or -1
 * when PATH does not start with it (then no route matches). */
static long strip_prefix(const td_config *cfg, char *path, size_t len)
{
	size_t pl = cfg->prefix ? strlen(cfg->prefix) : 0;
	if (!pl)
		return (long)len;
	if (len < pl || strncasecmp(path, cfg->prefix, pl) || (path[pl] && path[pl] != '/'))
		return -1;
	memmove(path, path + pl, len - pl + 1);
	return (long)(len - pl);
}

/* GET /api/state/CustNNNNN, the tenant status call of a --prefix tenant.
 * It is another service than the tenant's (online.superoffice.com, not
 * the tenant's sodN host): asked without credentials, never throttled, and
 * it answers while the tenant is in maintenance. True when answered. */
static bool tenant_state(td_server *sv, const td_request *rq, td_response *rs)
{
	static const char st[] = "/api/state/";
	const char *t = rq->target;
	if (!sv->cfg.prefix || strncasecmp(t, st, sizeof st - 1))
		return false;
	t += sizeof st - 1;
	size_t n = strcspn(t, "?");
	if (!n || strcspn(t, "/%") < n)
		return false;  /* the routes' 404 */
	if (strcmp(rq->method, "GET")) {
		respond_error(sv, rs, 405, "SoMethodNotAllowedException", "the tenant state is read with GET",
		              "Allow", "GET");
		return true;
	}
	respond(rs, 200, "application/json; charset=utf-8", td_tenant_state(&sv->cfg, t, n, client_host(rq), time(NULL)));
	return true;
}

/* --fault moved=URL: the tenant answers every call with a 302 to the same
 * request-target under URL (the part after --prefix), as an old endpoint
 * of a tenant that moved would. A target that is not printable ASCII goes
 * to URL/api/v1 (no client bytes in a header). True when answered. */
static bool moved(td_server *sv, const td_request *rq, td_response *rs)
{
	const char *url = sv->cfg.moved, *pre = sv->cfg.prefix, *t = rq->target;
	if (!url)
		return false;
	size_t pl = pre ? strlen(pre) : 0;
	if (pl && !strncasecmp(t, pre, pl))
		t += pl;
	bool keep = *t == '/' && strlen(t) < 2048 && td_printable_ascii(t);
	const char *body = "<html><head><title>Object moved</title></head><body><h2>Object moved</h2></body></html>\r\n";
	/* the body, a NUL, then the Location value: one allocation the response owns */
	size_t bl = strlen(body), n = bl + 1 + strlen(url) + (keep ? strlen(t) : sizeof "/api/v1") + 1;
	char *text = malloc(n);
	if (!text) {
		respond(rs, 500, NULL, NULL);
		return true;
	}
	memcpy(text, body, bl + 1);
	snprintf(text + bl + 1, n - bl - 1, "%s%s", url, keep ? t : "/api/v1");
	respond(rs, 302, "text/html; charset=utf-8", text);
	if (rs->status == 302) {
		rs->hdr = "Location";
		rs->hval = text + bl + 1;
	}
	return true;
}

void td_handle(td_server *sv, const td_request *rq, td_response *rs)
{
	const td_config *cfg = &sv->cfg;
	if (tenant_state(sv, rq, rs) || moved(sv, rq, rs))
		return;
	if (push_back(sv, rs))
		return;
	if (cfg->http500_every > 0) {
		pthread_mutex_lock(&sv->log_lock);
		unsigned long n = ++sv->nreq;
		pthread_mutex_unlock(&sv->log_lock);
		if (n % (unsigned long)cfg->http500_every == 0)
			return respond_error(sv, rs, 500, "SoInternalServerError",
			                     "injected fault: http500-every (nothing was applied)", NULL, NULL);
	}
	if (!auth_ok(cfg, header(rq, "Authorization"))) {
		const char *www = cfg->user ? "Basic realm=\"ticketd\"" : "Bearer realm=\"ticketd\"";
		return respond_error(sv, rs, 401, "SoUnauthorizedException",
		                     "missing or wrong credentials (Authorization: Basic, Bearer or SOTicket)",
		                     "WWW-Authenticate", www);
	}
	if (rq->body_too_big) {
		char msg[128];
		snprintf(msg, sizeof msg, "request body larger than %zu bytes", cfg->max_body);
		return respond_error(sv, rs, 413, "SoRequestTooLargeException", msg, NULL, NULL);
	}
	size_t tlen = strlen(rq->target);
	if (tlen > TD_MAX_TARGET) {
		char msg[128];
		snprintf(msg, sizeof msg, "request target of %zu bytes; at most %d are accepted", tlen, TD_MAX_TARGET);
		return respond_error(sv, rs, 414, "SoUriTooLongException", msg, NULL, NULL);
	}
	char *shown_target = td_escape(rq->target, tlen, " ");
	char noroute[700];
	snprintf(noroute, sizeof noroute, "No HTTP resource was found that matches the request URI 'http://%s%.500s'.",
	         client_host(rq), shown_target ? shown_target : "?");
	free(shown_target);
	size_t plen = strcspn(rq->target, "?"), len;
	const char *query = rq->target[plen] == '?' ? rq->target + plen + 1 : NULL;
	td_select *sel = NULL;
	char *path = td_pct_decode(rq->target, plen, false, &len);
	long left;
	if (!path || query_select(query, &sel)) {
		respond(rs, 500, NULL, NULL);  /* out of memory */
	} else if ((left = strip_prefix(cfg, path, len)) < 0) {
		respond_no_route(sv, rs, noroute);
	} else if (is_ticket_list(path, (size_t)left)) {
		ticket_list(sv, rq, rs, query);
	} else {
		route(sv, rq, rs, path, (size_t)left, query, sel, noroute);
	}
	select_free(sel);
	free(path);
}

/* fuzz_request.c — ticketd's request handling (src/server/request.c and the
 * save pipeline behind it), without a network. Input: an HTTP request in
 * plain text:
 *
 *     METHOD TARGET\n
 *     Name: value\n      (headers, any number)
 *     \n
 *     BODY               (the rest, bytes as they are)
 *
 * against a fresh store of tests/fuzz/request-data (tickets 900, 4711, 666,
 * 907, 908 and the lists; no message bodies). ticketd requires Basic u:p or the token T;
 * "X-Fuzz-Dates: offset|naive" picks the response date style.
 * Properties: the answer is a known status with a body that is valid
 * UTF-8, valid JSON (an error in the documented shape) unless it is a 500
 * without a body; an answer other than 200 changed no ticket; after every
 * request each ticket's serialized pieces say what its tree says, and a
 * GET of it is valid JSON. */
#include <strings.h>

#include "fuzz.h"
#include "../../src/server/ticketd.h"

#ifndef FUZZ_TOP
#define FUZZ_TOP "."
#endif

typedef struct {
	char *name[32], *value[32];
	size_t n;
} headers;

static const char *lookup(void *ctx, const char *name)
{
	headers *h = ctx;
	for (size_t i = 0; i < h->n; i++)
		if (!strcasecmp(h->name[i], name))
			return h->value[i];
	return NULL;
}

static char *body_text(const td_response *rs)
{
	char *s = malloc(rs->len + 1), *o = s;
	if (!s)
		return NULL;
	for (size_t i = 0; i < rs->nseg; i++) {
		memcpy(o, rs->seg[i].p, rs->seg[i].n);
		o += rs->seg[i].n;
	}
	*o = '\0';
	return s;
}

static bool known_status(int s)
{
	static const int ok[] = { 200, 204, 400, 401, 403, 404, 405, 409, 412, 413, 414, 415, 500 };
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++)
		if (ok[i] == s)
			return true;
	return false;
}

static void check_answer(const td_response *rs, const char *what)
{
	FUZZ_CHECK(known_status(rs->status), "%s: status %d", what, rs->status);
	char *text = body_text(rs);
	if (!text)
		return;
	size_t bad;
	FUZZ_CHECK(td_utf8_valid(text, rs->len, &bad), "%s: answer not UTF-8 at %zu: %s", what, bad, text);
	FUZZ_CHECK(strlen(text) == rs->len, "%s: a NUL in the answer", what);
	if (rs->status == 204) {
		FUZZ_CHECK(rs->len == 0, "%s: a 204 with a body", what);
	} else if (rs->status != 500 || rs->len) {
		char err[256];
		cJSON *j = json_parse(text, rs->len, "answer", err, sizeof err);
		FUZZ_CHECK(j, "%s: %d answer is not JSON (%s): %.300s", what, rs->status, err, text);
		/* the service's error body, or (a 404 for a path no route matches)
		 * the Web API host's {"Message": "..."} and nothing else */
		if (rs->status != 200)
			FUZZ_CHECK((cJSON_IsTrue(json_get(j, "Error")) && cJSON_IsString(json_get(j, "ErrorMessage"))) ||
			           (rs->status == 404 && cJSON_IsString(json_get(j, "Message")) &&
			            cJSON_GetArraySize(j) == 1),
			           "%s: error body shape: %.300s", what, text);
		cJSON_Delete(j);
	}
	free(text);
}

/* T's pieces, joined, parse to its tree (without _Links); a GET of it
 * answers valid JSON. */
static void check_ticket(td_server *sv, td_ticket *t)
{
	td_snap *s = snap_get(t);
	size_t len = s->len + s->n + 2;
	char *text = malloc(len + 1), *o = text;
	FUZZ_CHECK(text, "out of memory");
	*o++ = '{';
	for (size_t k = 0; k < s->n; k++) {
		if (!s->piece[k])
			continue;
		if (o > text + 1)
			*o++ = ',';
		memcpy(o, s->piece[k]->s, s->piece[k]->len);
		o += s->piece[k]->len;
	}
	*o++ = '}';
	*o = '\0';
	char err[256];
	cJSON *j = json_parse(text, (size_t)(o - text), "pieces", err, sizeof err);
	FUZZ_CHECK(j, "ticket %d: pieces are not JSON (%s)", t->id, err);
	cJSON *doc = cJSON_CreateObject();
	for (const cJSON *m = t->doc->child; m; m = m->next)  /* members kept as text parsed */
		if (strcmp(m->string, "_Links"))
			cJSON_AddItemToObject(doc, m->string, td_raw_parse(m));
	if (sv->store.dates != DATES_KEEP)
		ticket_dates(doc, sv->store.dates);
	FUZZ_CHECK(json_equal(j, doc), "ticket %d: pieces differ from the tree", t->id);
	cJSON_Delete(doc);
	cJSON_Delete(j);
	free(text);
	snap_put(s);

	headers auth = { { (char *)"Authorization" }, { (char *)"Basic dTpw" }, 1 };
	char target[64];
	snprintf(target, sizeof target, "/api/v1/Ticket/%d", t->id);
	td_request get = { .method = "GET", .target = target, .header = lookup, .hctx = &auth, .body = "" };
	td_response r2 = { 0 };
	td_handle(sv, &get, &r2);
	FUZZ_CHECK(r2.status == 200, "GET %s: %d", target, r2.status);
	check_answer(&r2, target);
	td_response_free(&r2);
}

/* One store per date style, loaded once; after each input the tickets a
 * save changed are put back from their pristine text. */
typedef struct {
	td_server sv;
	char **text;             /* each ticket's doc as loaded, printed */
	td_snap **snap;          /* its snapshot then (a reference is kept) */
	bool loaded;
} fuzz_store;

static fuzz_store stores[3];

static void check_ticket(td_server *sv, td_ticket *t);

static fuzz_store *store_for(td_dates d)
{
	fuzz_store *fs = &stores[d];
	char err[512];
	if (fs->loaded)
		return fs;
	fs->sv.cfg.max_body = 4096;
	fs->sv.cfg.user = "u";
	fs->sv.cfg.password = "p";
	fs->sv.cfg.token = "T";
	fs->sv.cfg.dates = d;
	pthread_mutex_init(&fs->sv.log_lock, NULL);
	FUZZ_CHECK(store_load(&fs->sv.store, FUZZ_TOP "/tests/fuzz/request-data", d, err, sizeof err) == 0,
	           "store: %s", err);
	size_t n = fs->sv.store.n;
	fs->text = calloc(n, sizeof *fs->text);
	fs->snap = calloc(n, sizeof *fs->snap);
	FUZZ_CHECK(fs->text && fs->snap, "out of memory");
	for (size_t i = 0; i < n; i++) {
		td_ticket *t = &fs->sv.store.t[i];
		fs->text[i] = json_print(t->doc, false);
		fs->snap[i] = snap_get(t);
		check_ticket(&fs->sv, t);
	}
	fs->loaded = true;
	return fs;
}

/* Ticket I back as it was loaded. */
static void reset_ticket(fuzz_store *fs, size_t i)
{
	td_ticket *t = &fs->sv.store.t[i];
	char err[256];
	cJSON_Delete(t->doc);
	for (size_t k = 0; k < t->npiece; k++)
		text_put(t->piece[k]);
	free(t->piece);
	t->piece = NULL;
	t->npiece = 0;
	snap_put(t->snap);
	t->doc = json_parse(fs->text[i], strlen(fs->text[i]), "pristine", err, sizeof err);
	FUZZ_CHECK(t->doc && ticket_render(t, fs->sv.store.dates, &t->snap) == 0, "reset: %s", err);
	snap_put(fs->snap[i]);
	fs->snap[i] = snap_get(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *in = malloc(size + 1);
	if (!in)
		return 0;
	memcpy(in, data, size);
	in[size] = '\0';
	/* request line */
	char *nl = memchr(in, '\n', size), *sp;
	if (!nl || !(sp = memchr(in, ' ', (size_t)(nl - in)))) {
		free(in);
		return 0;
	}
	*nl = *sp = '\0';
	const char *method = in, *target = sp + 1;
	/* headers, then the body */
	headers h = { 0 };
	char *p = nl + 1, *end = in + size;
	while (p < end && *p != '\n') {
		char *e = memchr(p, '\n', (size_t)(end - p)), *colon;
		if (!e)
			e = end;
		*e = '\0';
		if ((colon = strchr(p, ':')) && h.n < 32) {
			*colon = '\0';
			char *v = colon + 1;
			while (*v == ' ')
				v++;
			h.name[h.n] = p;
			h.value[h.n++] = v;
		}
		p = e + 1;
	}
	const char *body = p < end ? p + 1 : end;
	const char *ds = lookup(&h, "X-Fuzz-Dates");
	td_dates dates = ds && !strcmp(ds, "offset") ? DATES_OFFSET : ds && !strcmp(ds, "naive") ? DATES_NAIVE
	                                                                                       : DATES_KEEP;
	fuzz_store *fs = store_for(dates);
	td_server *sv = &fs->sv;
	td_request rq = { .method = method, .target = target, .header = lookup, .hctx = &h,
	                  .body = body, .body_len = (size_t)(end - body) };
	td_response rs = { 0 };
	td_handle(sv, &rq, &rs);
	check_answer(&rs, "request");
	int status = rs.status;
	td_response_free(&rs);
	for (size_t i = 0; i < sv->store.n; i++) {
		td_ticket *t = &sv->store.t[i];
		bool saved = t->snap != fs->snap[i];
		if (status != 200 || !saved) {
			/* nothing may change without a save, nor by a failed one */
			char *now = json_print(t->doc, false);
			FUZZ_CHECK(now && !strcmp(now, fs->text[i]), "a %d changed ticket %d", status, t->id);
			FUZZ_CHECK(!saved, "a %d published a new snapshot of ticket %d", status, t->id);
			free(now);
		} else {
			check_ticket(sv, t);
			reset_ticket(fs, i);
		}
	}
	free(in);
	return 0;
}

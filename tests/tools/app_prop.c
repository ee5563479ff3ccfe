/* app_prop — the property test of the save invariants against a real ticketd.
 *
 *   app_prop --url BASE --ticket ID [--seed N] [--count N] [--only K] [--verbose]
 *
 * Runs COUNT random sequences of what happens around one ticket: the user's
 * edits (Title, Author, AlertLevel, two custom fields, tags added and
 * removed; r, u, C-r; rows changed while in conflict), a colleague's PATCHes
 * sent straight to ticketd (plain replace, no tests; half of them on items
 * the user is editing), s (sometimes the quit prompt's), R, Esc with a
 * request in flight (which then reached ticketd or not), the user's choices
 * on the conflict screen (m, t, e), lost, refused and broken answers, and
 * restarts through the draft (written, read and restored as the editor
 * does). The user's side is the editor's own code: the model (model.h), the
 * save machine (save.h), value parsing (values.h), drafts (draft.h) and the
 * real api client (api.h), carried out as the editor's loop does. BASE is
 * ticketd's base URL (up to /api/v1); the user's client talks to it through
 * a small proxy in this process that drops or breaks the one request it is
 * told to (ticketd's own --fault drop-after-apply hits every PATCH). A
 * request the machine asks for is sent when the sequence delivers it, so a
 * colleague's PATCH in between lands before it, and a run depends on the
 * seed only, never on timing.
 *
 * A ledger holds what the user chose for each item (the value wanted, and
 * the server value the choice was made against) and ticketd's copy is kept
 * exactly (the colleague's answers, and ticketd's copy after every request
 * of the user's that may have changed it). After every step it checks:
 *   I1 nothing the user did not choose replaces a value the server changed:
 *      no PATCH while a conflict is open; every item a PATCH changes is one
 *      the user edited, set to the value the user wants, and guarded so that
 *      it cannot replace any other server value than the one the user chose
 *      against (checked by applying the PATCH to the form's base with that
 *      item changed); on ticketd, every change that is not the colleague's
 *      is such an item going from that value to the wanted one; and an open
 *      conflict closes only by m/t/e, or when a merge finds theirs equal to
 *      mine or back at the value the edit was made against;
 *   I2 an edit is sent again only after a re-read showed it is not on the
 *      server: no PATCH while an earlier one's outcome is unknown to the
 *      machine, and no PATCH carries an item that an earlier PATCH put on
 *      ticketd unseen by the machine (no GET or 2xx answer since);
 *   I3 every edit is on the server, in the form (the model) and in the draft
 *      (draft_edits_from_model, what the editor journals; an open conflict
 *      marked as one), at every step; the quit prompt's save leaves only
 *      with nothing unsaved;
 * and at the end of each sequence, after a quiet phase (no colleague, no
 * faults) in which the user decides and saves until done, that the machine
 * is idle with nothing modified, every wanted value is on ticketd, and a
 * reload shows ticketd's copy.
 *
 * Custom fields are never added or removed: as on a tenant, every defined
 * custom field is in CustomFields (an unset one ""), so every change of one
 * is a replace guarded by a test (x on the row empties it). (Earlier, keys
 * the user added went out as an unguarded "add" over a colleague's; that
 * case cannot arise any more.)
 *
 * Sequences are independent (the ticket's items are reset by a PATCH first)
 * and each has its own random stream from (SEED, K): --only K replays one.
 * On the first violation it prints the sequence's steps and state and exits
 * 1. Counts of what was exercised go to stdout as "count NAME N" lines.
 *
 * Written by hand because no library does it: the TCP proxy (a thread, one
 * request in flight at a time) and the HTTP framing it needs (header end,
 * Content-Length, the status line). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "ticketed/api.h"
#include "ticketed/draft.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/patch.h"
#include "ticketed/save.h"
#include "ticketed/schema.h"
#include "ticketed/values.h"

/* ---- random numbers (splitmix64: one stream per sequence) ------------------ */

static uint64_t splitmix(uint64_t *s)
{
	uint64_t z = (*s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

/* ---- the proxy ---------------------------------------------------------------- */

/* What happens to the user's request in flight. */
typedef enum {
	F_PASS,          /* forwarded both ways */
	F_DROP_BEFORE,   /* the request is read whole, then the connection closes: not applied */
	F_500_BEFORE,    /* answered 500 with an error body without forwarding: not applied */
	F_403_BEFORE,    /* answered 403 (refused: a definite answer) without forwarding */
	F_DROP_AFTER,    /* forwarded; once ticketd answers, the connection closes: applied (or refused) */
	F_HTML_AFTER,    /* forwarded; then an IIS-style HTML 500 page instead of ticketd's answer */
	F_GARBAGE_AFTER, /* forwarded; then a 200 whose JSON body is cut short */
	F_COUNT
} fault;

static const char *const fault_names[F_COUNT] = {
	"pass", "drop before apply", "500 before apply", "403 refused", "drop after apply", "HTML 500 after apply",
	"garbage 200 after apply",
};
static const char *const fault_keys[F_COUNT] = {
	"fault_pass", "fault_drop_before_apply", "fault_500_before_apply", "fault_403_refused", "fault_drop_after_apply",
	"fault_html_500_after_apply", "fault_garbage_200_after_apply",
};

typedef struct {
	int c, u;        /* client and upstream sockets (-1: closed) */
	int phase;       /* 0 pumping, 1 reading the request, 2 reading ticketd's answer */
	fault f;
	char *buf;
	size_t n, cap;
} pconn;

#define PX_MAXCONN 64

static struct {
	int lfd, wake[2];
	struct sockaddr_in up;
	pconn conns[PX_MAXCONN];
	atomic_int fault;
	pthread_t th;
	int port;
} px;

static void px_close(pconn *p)
{
	if (p->c >= 0)
		close(p->c);
	if (p->u >= 0)
		close(p->u);
	free(p->buf);
	memset(p, 0, sizeof *p);
	p->c = p->u = -1;
}

static void px_send(int fd, const char *b, size_t n)
{
	while (n) {
		ssize_t w = send(fd, b, n, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return;
		b += w;
		n -= (size_t)w;
	}
}

static void px_append(pconn *p, const char *b, size_t n)
{
	if (p->n + n + 1 > p->cap) {
		p->cap = (p->n + n + 1) * 2;
		p->buf = realloc(p->buf, p->cap);
		if (!p->buf) {
			perror("app_prop");
			exit(2);
		}
	}
	memcpy(p->buf + p->n, b, n);
	p->n += n;
	p->buf[p->n] = 0;
}

/* Offset just past the header block starting at FROM, or 0. */
static size_t hdr_end(const pconn *p, size_t from)
{
	const char *e = from < p->n ? strstr(p->buf + from, "\r\n\r\n") : NULL;
	return e ? (size_t)(e - p->buf) + 4 : 0;
}

/* Whether the buffered request is whole (headers and Content-Length body). */
static bool request_whole(const pconn *p)
{
	size_t end = hdr_end(p, 0), len = 0;
	const char *h;
	if (!end)
		return false;
	for (h = p->buf; h && h < p->buf + end; h = strstr(h, "\r\n")) {
		if (*h == '\r')
			h += 2;
		if (!strncasecmp(h, "Content-Length:", 15))
			len = (size_t)strtoul(h + 15, NULL, 10);
	}
	return p->n >= end + len;
}

/* Whether ticketd's buffered answer has the headers of a final status. */
static bool answer_started(const pconn *p)
{
	size_t from = 0, end;
	while ((end = hdr_end(p, from))) {
		const char *sp = strchr(p->buf + from, ' ');
		if (!sp || sp[1] != '1')
			return true;
		from = end;  /* 1xx: the next block */
	}
	return false;
}

static void px_reply(pconn *p, const char *status, const char *type, const char *body)
{
	char head[300];
	int n = snprintf(head, sizeof head, "HTTP/1.1 %s\r\nContent-Type: %s\r\nContent-Length: %zu\r\n"
	                 "Connection: close\r\n\r\n", status, type, strlen(body));
	px_send(p->c, head, (size_t)n);
	px_send(p->c, body, strlen(body));
}

/* The faulted request is whole: act on it. */
static void px_request_done(pconn *p)
{
	switch (p->f) {
	case F_DROP_BEFORE:
		px_close(p);
		return;
	case F_500_BEFORE:
		px_reply(p, "500 Internal Server Error", "application/json",
		         "{\"Error\":true,\"ErrorType\":\"SoInternalServerError\",\"ErrorMessage\":\"proxy: "
		         "not applied\",\"ErrorSource\":\"app_prop\"}");
		px_close(p);
		return;
	case F_403_BEFORE:
		px_reply(p, "403 Forbidden", "application/json",
		         "{\"Error\":true,\"ErrorType\":\"SoAccessDeniedException\",\"ErrorMessage\":\"proxy: "
		         "refused\",\"ErrorSource\":\"app_prop\"}");
		px_close(p);
		return;
	default:
		px_send(p->u, p->buf, p->n);
		p->n = 0;
		p->phase = 2;
	}
}

/* Ticketd answered the faulted request: it is applied or refused by now. */
static void px_answer_done(pconn *p)
{
	if (p->f == F_HTML_AFTER)
		px_reply(p, "500 Internal Server Error", "text/html",
		         "<html><head><title>Runtime Error</title></head><body>Server Error</body></html>");
	else if (p->f == F_GARBAGE_AFTER)
		px_reply(p, "200 OK", "application/json", "{\"TicketId\": 9");
	px_close(p);
}

static void px_from_client(pconn *p)
{
	char b[16384];
	ssize_t r = recv(p->c, b, sizeof b, 0);
	if (r <= 0) {
		px_close(p);
		return;
	}
	if (p->phase == 0) {
		fault f = (fault)atomic_load(&px.fault);
		if (f == F_PASS) {
			px_send(p->u, b, (size_t)r);
			return;
		}
		p->phase = 1;  /* requests go one at a time: this is the faulted one */
		p->f = f;
	}
	if (p->phase != 1)
		return;
	px_append(p, b, (size_t)r);
	if (request_whole(p))
		px_request_done(p);
}

static void px_from_upstream(pconn *p)
{
	char b[16384];
	ssize_t r = recv(p->u, b, sizeof b, 0);
	if (r <= 0) {
		px_close(p);
		return;
	}
	if (p->phase == 0) {
		px_send(p->c, b, (size_t)r);
		return;
	}
	if (p->phase != 2)
		return;
	px_append(p, b, (size_t)r);
	if (answer_started(p))
		px_answer_done(p);
}

static void px_accept(void)
{
	int c = accept(px.lfd, NULL, NULL), u, i, one = 1;
	if (c < 0)
		return;
	for (i = 0; i < PX_MAXCONN && px.conns[i].c >= 0; i++)
		;
	u = socket(AF_INET, SOCK_STREAM, 0);
	if (i == PX_MAXCONN || u < 0 || connect(u, (struct sockaddr *)&px.up, sizeof px.up) < 0) {
		close(c);
		if (u >= 0)
			close(u);
		return;
	}
	setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	setsockopt(u, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	px.conns[i].c = c;
	px.conns[i].u = u;
	px.conns[i].phase = 0;
}

static void *px_main(void *arg)
{
	(void)arg;
	for (;;) {
		struct pollfd fds[2 + 2 * PX_MAXCONN];
		int who[2 + 2 * PX_MAXCONN], n = 2, i;
		fds[0].fd = px.lfd;
		fds[1].fd = px.wake[0];
		fds[0].events = fds[1].events = POLLIN;
		for (i = 0; i < PX_MAXCONN; i++) {
			if (px.conns[i].c < 0)
				continue;
			fds[n].fd = px.conns[i].c;
			fds[n].events = POLLIN;
			who[n++] = i;
			fds[n].fd = px.conns[i].u;
			fds[n].events = POLLIN;
			who[n++] = -1 - i;
		}
		if (poll(fds, (nfds_t)n, -1) < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (fds[1].revents)
			break;
		for (i = 2; i < n; i++) {
			pconn *p = &px.conns[who[i] >= 0 ? who[i] : -1 - who[i]];
			if (!fds[i].revents || p->c < 0 || (who[i] >= 0 ? p->c : p->u) != fds[i].fd)
				continue;
			if (who[i] >= 0)
				px_from_client(p);
			else
				px_from_upstream(p);
		}
		if (fds[0].revents)
			px_accept();
	}
	return NULL;
}

/* Listen on 127.0.0.1 (a free port), forwarding to HOST:PORT. */
static int px_start(const char *host, int port)
{
	struct sockaddr_in a;
	socklen_t al = sizeof a;
	int i;
	for (i = 0; i < PX_MAXCONN; i++)
		px.conns[i].c = px.conns[i].u = -1;
	memset(&px.up, 0, sizeof px.up);
	px.up.sin_family = AF_INET;
	px.up.sin_port = htons((uint16_t)port);
	if (inet_pton(AF_INET, host, &px.up.sin_addr) != 1)
		return -1;
	px.lfd = socket(AF_INET, SOCK_STREAM, 0);
	memset(&a, 0, sizeof a);
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (px.lfd < 0 || bind(px.lfd, (struct sockaddr *)&a, sizeof a) < 0 || listen(px.lfd, 16) < 0 ||
	    getsockname(px.lfd, (struct sockaddr *)&a, &al) < 0 || pipe(px.wake) < 0)
		return -1;
	px.port = ntohs(a.sin_port);
	return pthread_create(&px.th, NULL, px_main, NULL) ? -1 : 0;
}

static void px_stop(void)
{
	int i;
	if (write(px.wake[1], "x", 1) != 1)
		return;
	pthread_join(px.th, NULL);
	for (i = 0; i < PX_MAXCONN; i++)
		if (px.conns[i].c >= 0)
			px_close(&px.conns[i]);
	close(px.lfd);
	close(px.wake[0]);
	close(px.wake[1]);
}

/* ---- items: what the ledger follows -------------------------------------------- */

typedef struct {
	const char *label;
	const char *field;   /* schema name */
	const char *key;     /* a CustomFields key, or NULL */
	long tag;            /* a tag id (present/absent), or 0 */
} item_def;

static const item_def items[] = {
	{ "Title", "Title", NULL, 0 },
	{ "Author", "Author", NULL, 0 },
	{ "AlertLevel", "AlertLevel", NULL, 0 },
	{ "CustomFields/x_foo", "CustomFields", "x_foo", 0 },
	{ "CustomFields/x_note", "CustomFields", "x_note", 0 },
	{ "Tags/2", "Tags", NULL, 2 },
	{ "Tags/779", "Tags", NULL, 779 },
	{ "Tags/5", "Tags", NULL, 5 },
	{ "Tags/1", "Tags", NULL, 1 },
	{ "Tags/12", "Tags", NULL, 12 },
};
#define NITEMS ((int)(sizeof items / sizeof items[0]))
#define IL 256

static const char *const pool_title[] = { "Printer jam", "Printer on fire", "Toner low", "Paper out" };
static const char *const pool_author[] = { "Ann", "Bo", "Cy", "Di" };
static const char *const pool_custom[] = { "red", "green", "blue" };

/* Copy an item text (both IL bytes at most). */
static void put(char dst[IL], const char *src)
{
	size_t n = strnlen(src, IL - 1);
	memmove(dst, src, n);
	dst[n] = 0;
}

static const field_def *item_field(const item_def *it) { return schema_find(it->field); }

static long elem_id(const cJSON *el)
{
	const cJSON *id = json_get_ci(el, "Id");
	return cJSON_IsNumber(id) ? (long)id->valuedouble : -1;
}

/* The item's value in field value FV as text: compact JSON, "absent", or
 * for a tag "present"/"absent". */
static void item_text(const item_def *it, const cJSON *fv, char out[IL])
{
	const cJSON *v = fv, *el;
	if (it->tag) {
		bool there = false;
		const cJSON *arr = cJSON_IsArray(fv) ? fv : NULL;
		cJSON_ArrayForEach(el, arr)
			there = there || elem_id(el) == it->tag;
		snprintf(out, IL, "%s", there ? "present" : "absent");
		return;
	}
	if (it->key)
		v = cJSON_IsObject(fv) ? json_get(fv, it->key) : NULL;
	if (!v) {
		snprintf(out, IL, "absent");
	} else {
		char *s = json_print(v, false);
		snprintf(out, IL, "%s", s ? s : "?");
		free(s);
	}
}

static void item_doc(const item_def *it, const cJSON *doc, char out[IL])
{
	item_text(it, doc ? json_get_ci(doc, it->field) : NULL, out);
}

static void item_model(const item_def *it, const model *m, char out[IL])
{
	item_text(it, model_value(m, item_field(it)), out);
}

static void item_base(const item_def *it, const model *m, char out[IL])
{
	item_text(it, model_base(m, item_field(it)), out);
}

static const model_clash *item_clash(const item_def *it, const model *m)
{
	return model_clash_of(m, item_field(it), it->key);
}

/* ---- a sequence ----------------------------------------------------------------- */

typedef struct {
	bool active;         /* the user has an edit of it that is not done */
	char want[IL];       /* the value the user chose */
	char basis[IL];      /* the server value the choice was made against */
	bool unseen;         /* a PATCH of ours put it on ticketd and the machine has not seen that */
} ledger;

enum {
	C_SEQ, C_STEPS, C_EDITS, C_COLLEAGUE, C_SAVES, C_RELOADS, C_CANCELS, C_CANCEL_APPLIED, C_PATCHES,
	C_AUTO_PATCHES, C_GETS, C_A200, C_A409, C_A412, C_AOTHER, C_CLASHES, C_RESOLVE_M, C_RESOLVE_T,
	C_RESOLVE_E, C_ALREADY, C_REBASED, C_RESTARTS, C_RESTORED, C_SAVE_REFUSED, C_FINAL_STEPS,
	C_EDIT_CLASHED, C_SAVED_AND_QUIT,
	C_FAULT, /* + fault */
	C_COUNT = C_FAULT + F_COUNT
};
static const char *const count_names[C_FAULT] = {
	"sequences", "steps", "user_edits", "colleague_writes", "s_pressed", "R_pressed", "esc_in_flight",
	"esc_after_applied", "patches_sent", "patches_sent_after_reread", "gets_sent", "answers_200",
	"answers_409", "answers_412", "answers_other", "clashes_opened", "chose_mine", "chose_theirs",
	"chose_edited", "merged_already_there", "merged_rebased", "restarts", "drafts_restored",
	"s_refused_conflict_open", "quiet_phase_steps",
	"edits_of_rows_in_conflict", "saved_and_quit",
};
static long counts[C_COUNT];

typedef struct {
	uint64_t rs;
	long k;              /* the sequence's number */
	bool strict;
	model m;
	save_machine s;
	save_send inflight;  /* what the machine has in flight (not yet sent: sent when delivered) */
	cJSON *patch;        /* the PATCH in flight */
	char ius[64];        /* its If-Unmodified-Since, or "" */
	bool machine_unknown;/* a PATCH's outcome is unknown and no re-read has come since */
	ledger led[NITEMS];
	ledger led_sent[NITEMS];  /* the ledger when the PATCH in flight was made */
	cJSON *server;       /* ticketd's copy, exactly */
	char *trace;
	size_t tn, tcap;
	bool failed;
	bool quiet;          /* the final phase: no faults */
	/* the open conflicts after the last step: mine and what it was made against */
	bool had_clash[NITEMS];
	char clash_mine[NITEMS][IL], clash_basis[NITEMS][IL];
	bool resolved[NITEMS];  /* the user chose m/t/e for it in this step */
	bool quit_asked;        /* the save the machine works on came from the quit prompt */
	bool session_done;      /* the editor left: the next step opens it again */
} seq;

static struct {
	const char *url;     /* ticketd */
	char purl[128];      /* the proxy */
	long id;
	api *user, *colleague;
	bool verbose;
	uint64_t seed;
} g;

static int rnd(seq *q, int n) { return (int)(splitmix(&q->rs) % (uint64_t)n); }

static void trace(seq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void trace(seq *q, const char *fmt, ...)
{
	char line[1200];
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof line)
		n = sizeof line - 1;
	if (q->tn + (size_t)n + 2 > q->tcap) {
		q->tcap = (q->tn + (size_t)n + 2) * 2;
		q->trace = realloc(q->trace, q->tcap);
		if (!q->trace)
			exit(2);
	}
	memcpy(q->trace + q->tn, line, (size_t)n);
	q->tn += (size_t)n;
	q->trace[q->tn++] = '\n';
	q->trace[q->tn] = 0;
	if (g.verbose)
		fprintf(stderr, "  %s\n", line);
}

static void dump_state(seq *q)
{
	int i;
	char mv[IL], mb[IL], sv[IL];
	fprintf(stderr, "state: machine %s, %zu clash(es), %d modified, in flight: %s\n",
	        save_states[q->s.st].name, model_nclashes(&q->m), q->m.base ? model_modified(&q->m) : 0,
	        q->inflight == SEND_PATCH ? "PATCH" : q->inflight == SEND_GET ? "GET" : "nothing");
	for (i = 0; i < NITEMS; i++) {
		const ledger *l = &q->led[i];
		if (!q->m.base)
			break;
		item_model(&items[i], &q->m, mv);
		item_base(&items[i], &q->m, mb);
		item_doc(&items[i], q->server, sv);
		fprintf(stderr, "  %-20s server %-18s form %-18s form base %-18s %s%s%s%s%s%s\n", items[i].label,
		        sv, mv, mb, l->active ? "wants " : "", l->active ? l->want : "",
		        l->active ? " against " : "", l->active ? l->basis : "", item_clash(&items[i], &q->m) ?
		        " [clash]" : "", l->unseen ? " [unseen]" : "");
	}
	if (q->patch) {
		char *p = json_print(q->patch, false);
		fprintf(stderr, "  PATCH in flight: %s\n", p);
		free(p);
	}
}

static void violation(seq *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void violation(seq *q, const char *fmt, ...)
{
	va_list ap;
	if (q->failed)
		return;
	q->failed = true;
	fprintf(stderr, "app_prop: sequence %ld failed (replay: APP_PROP_SEED=%llu APP_PROP_ONLY=%ld)\n", q->k,
	        (unsigned long long)g.seed, q->k);
	fprintf(stderr, "VIOLATION: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nsteps:\n%s", q->trace ? q->trace : "");
	dump_state(q);
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "app_prop: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(2);
}

/* ---- ticketd, directly -------------------------------------------------------------- */

static cJSON *direct_get(void)
{
	api_result *r = api_run(g.colleague, api_get_ticket(g.colleague, g.id));
	cJSON *j;
	if (!r || !r->ok)
		die("GET of ticket %ld from ticketd failed: %s", g.id, r ? r->message : "no result");
	j = api_result_take_json(r);
	api_result_free(r);
	return j;
}

/* The colleague's PATCH (no tests): the new server copy. */
static cJSON *direct_patch(const cJSON *ops)
{
	api_result *r = api_run(g.colleague, api_patch_ticket(g.colleague, g.id, ops, NULL));
	cJSON *j;
	if (!r || !r->ok) {
		char *p = json_print(ops, false);
		die("the colleague's PATCH %s failed: %s", p, r ? r->message : "no result");
	}
	j = api_result_take_json(r);
	api_result_free(r);
	return j;
}

/* The user's request through the proxy with fault F. */
static api_result *user_send(seq *q, save_send what, fault f)
{
	api_result *r;
	int id;
	atomic_store(&px.fault, (int)f);
	id = what == SEND_PATCH ? api_patch_ticket(g.user, g.id, q->patch, q->ius[0] ? q->ius : NULL)
	                        : api_get_ticket(g.user, g.id);
	r = api_run(g.user, id);
	atomic_store(&px.fault, F_PASS);
	if (!r)
		die("the user's request got no result");
	return r;
}

/* ---- checks ----------------------------------------------------------------------- */

/* I1 on ticketd: after a PATCH of the user's may have been applied, every
 * change since the last known copy must be one the user chose, made over
 * the value chosen against. UNSEEN: the machine will not see the answer.
 * ANSWER: ticketd's 200 answer to that PATCH (its copy right after the
 * apply, nothing else has happened since), else NULL: GET it. */
static void server_check(seq *q, bool unseen, const cJSON *answer)
{
	cJSON *now = answer ? cJSON_Duplicate(answer, 1) : direct_get();
	char o[IL], n[IL];
	int i;
	for (i = 0; i < NITEMS; i++) {
		const ledger *l = &q->led_sent[i];
		item_doc(&items[i], q->server, o);
		item_doc(&items[i], now, n);
		if (!strcmp(o, n))
			continue;
		trace(q, "    ticketd: %s %s -> %s", items[i].label, o, n);
		if (!l->active || strcmp(l->want, n))
			violation(q, "I1: the user's save changed %s on ticketd from %s to %s, which the user did not "
			          "choose (the ledger when it was sent: %s%s)", items[i].label, o, n,
			          l->active ? "wants " : "no edit", l->active ? l->want : "");
		else if (strcmp(l->basis, o))
			violation(q, "I1: the user's save replaced %s = %s on ticketd with %s, but the user chose "
			          "against %s", items[i].label, o, n, l->basis);
		if (unseen)
			q->led[i].unseen = true;
	}
	cJSON_Delete(q->server);
	q->server = now;
}

/* A copy of DOC with item IT set to another value than TEXT (its value). */
static cJSON *mutated(const item_def *it, const cJSON *doc, const char *text)
{
	cJSON *d = cJSON_Duplicate(doc, 1), *fv = json_get_ci(d, it->field);
	if (it->tag) {
		if (!strcmp(text, "absent")) {
			cJSON *el = cJSON_CreateObject();
			cJSON_AddNumberToObject(el, "Id", (double)it->tag);
			cJSON_AddStringToObject(el, "Name", "someone's");
			cJSON_AddItemToArray(fv, el);
		} else {
			int i = 0;
			cJSON *el;
			cJSON_ArrayForEach(el, fv) {
				if (elem_id(el) == it->tag)
					break;
				i++;
			}
			cJSON_DeleteItemFromArray(fv, i);
		}
	} else if (it->key) {
		cJSON_DeleteItemFromObjectCaseSensitive(fv, it->key);
		cJSON_AddStringToObject(fv, it->key, "someone else's");
	} else {
		cJSON_ReplaceItemInObjectCaseSensitive(d, fv->string, !strcmp(it->field, "AlertLevel") ?
		                                       cJSON_CreateNumber(77) : cJSON_CreateString("someone else's"));
	}
	return d;
}

/* I1 and I2 for the PATCH the machine asks to send. */
static void patch_check(seq *q, const cJSON *patch)
{
	cJSON *after = cJSON_Duplicate(q->m.base, 1);
	patch_error pe;
	char b[IL], a[IL], x[IL];
	int i;
	if (model_nclashes(&q->m))
		violation(q, "I1: a PATCH is sent while %zu conflict(s) are open", model_nclashes(&q->m));
	if (q->machine_unknown)
		violation(q, "I2: a PATCH is sent while an earlier one's outcome is unknown and no re-read came since");
	if (patch_apply(&after, patch, PATCH_SERVICE, &pe) != PATCH_OK) {
		violation(q, "the PATCH does not apply to the form's own base: %s", pe.msg);
		cJSON_Delete(after);
		return;
	}
	for (i = 0; i < NITEMS; i++) {
		const ledger *l = &q->led[i];
		cJSON *mut;
		item_doc(&items[i], q->m.base, b);
		item_doc(&items[i], after, a);
		if (!strcmp(a, b))
			continue;
		if (!l->active) {
			violation(q, "I1: the PATCH changes %s from %s to %s, which the user has no edit of", items[i].label, b, a);
			continue;
		}
		if (strcmp(a, l->want))
			violation(q, "I1: the PATCH sets %s to %s, the user chose %s", items[i].label, a, l->want);
		if (strcmp(b, l->basis))
			violation(q, "I1: the PATCH replaces %s = %s (the form's base), the user chose against %s",
			          items[i].label, b, l->basis);
		if (l->unseen)
			violation(q, "I2: the PATCH sends %s = %s again, but an earlier PATCH put it on ticketd and no "
			          "re-read has shown the machine that", items[i].label, a);
		/* the guard: had the server another value there, would this PATCH replace it? */
		mut = mutated(&items[i], q->m.base, b);
		item_doc(&items[i], mut, x);
		if (patch_apply(&mut, patch, PATCH_SERVICE, &pe) == PATCH_OK) {
			item_doc(&items[i], mut, a);
			if (strcmp(a, x))
				violation(q, "I1: the PATCH is not guarded for %s: had the server %s there instead of %s, "
				          "it would replace it with %s", items[i].label, x, b, a);
		}
		cJSON_Delete(mut);
	}
	cJSON_Delete(after);
}

/* The draft entry of item IT, or NULL. */
static const cJSON *draft_entry(const item_def *it, const cJSON *edits)
{
	const cJSON *e;
	cJSON_ArrayForEach(e, edits) {
		const cJSON *f = json_get(e, "field"), *k = json_get(e, "key");
		if (!cJSON_IsString(f) || strcasecmp(f->valuestring, it->field))
			continue;
		if (it->key && (!cJSON_IsString(k) || strcmp(k->valuestring, it->key)))
			continue;
		return e;
	}
	return NULL;
}

/* The draft's value of item IT (the editor journals draft_edits_from_model
 * after every key): the entry's value, or the base's when it has none. */
static void item_draft(const item_def *it, const cJSON *edits, const model *m, char out[IL])
{
	const cJSON *e = draft_entry(it, edits);
	if (e) {
		if (cJSON_IsTrue(json_get(e, "value_absent"))) {
			snprintf(out, IL, "absent");
			return;
		}
		if (it->key) {  /* a keyed entry holds the key's value */
			cJSON *wrap = cJSON_CreateObject();
			cJSON_AddItemToObject(wrap, it->key, cJSON_Duplicate(json_get(e, "value"), 1));
			item_text(it, wrap, out);
			cJSON_Delete(wrap);
		} else {
			item_text(it, json_get(e, "value"), out);
		}
		return;
	}
	item_base(it, m, out);
}

/* An open conflict closes only by the user's choice (m/t/e), or when a
 * merge finds theirs equal to mine (already there) or back at the value the
 * edit was made against (mine then rebases onto it). While open, the draft
 * keeps it marked as a conflict, so a restore asks again. */
static void clash_check(seq *q, const cJSON *edits)
{
	char theirs[IL];
	int i;
	for (i = 0; i < NITEMS; i++) {
		const model_clash *c = item_clash(&items[i], &q->m);
		const cJSON *e;
		if (q->had_clash[i] && !c && !q->resolved[i]) {
			item_base(&items[i], &q->m, theirs);
			if (strcmp(theirs, q->clash_mine[i]) && strcmp(theirs, q->clash_basis[i]))
				violation(q, "the conflict on %s closed without the user's choice: theirs %s, mine was %s, "
				          "made against %s; the form has it as %s now", items[i].label, theirs,
				          q->clash_mine[i], q->clash_basis[i], (item_model(&items[i], &q->m, theirs), theirs));
		}
		if (c && (!(e = draft_entry(&items[i], edits)) || !cJSON_IsTrue(json_get(e, "conflict"))))
			violation(q, "the conflict on %s is open but the draft does not keep it marked", items[i].label);
		q->had_clash[i] = c != NULL;
		q->resolved[i] = false;
		if (c) {
			item_model(&items[i], &q->m, q->clash_mine[i]);
			if (items[i].key) {  /* a keyed clash's basis is the key's value */
				cJSON *wrap = cJSON_CreateObject();
				if (c->basis)
					cJSON_AddItemToObject(wrap, items[i].key, cJSON_Duplicate(c->basis, 1));
				item_text(&items[i], wrap, q->clash_basis[i]);
				cJSON_Delete(wrap);
			} else {
				item_text(&items[i], c->basis, q->clash_basis[i]);
			}
		}
	}
}

/* I3, and which edits are done, after every step. */
static void step_check(seq *q)
{
	cJSON *edits = draft_edits_from_model(&q->m);
	char mv[IL], mb[IL], sv[IL], dv[IL];
	int i;
	if (save_busy(&q->s) != (q->inflight != SEND_NOTHING))
		violation(q, "the machine is %s but the loop has %s in flight", save_states[q->s.st].name,
		          q->inflight == SEND_NOTHING ? "nothing" : "a request");
	for (i = 0; i < NITEMS; i++) {
		ledger *l = &q->led[i];
		const model_clash *c = item_clash(&items[i], &q->m);
		if (c && !l->active && !items[i].tag)
			violation(q, "the form has a conflict on %s, which the user has no edit of", items[i].label);
		if (!l->active)
			continue;
		item_model(&items[i], &q->m, mv);
		item_base(&items[i], &q->m, mb);
		item_doc(&items[i], q->server, sv);
		item_draft(&items[i], edits, &q->m, dv);
		if (!strcmp(mv, l->want) && (strcmp(mv, mb) || c)) {
			if (strcmp(dv, l->want))
				violation(q, "I3: the edit %s = %s is in the form but the draft has %s", items[i].label,
				          l->want, dv);
		} else if (!strcmp(mv, l->want) && !strcmp(mb, l->want)) {
			l->active = false;  /* the form's base (a server copy) has it */
		} else if (!strcmp(sv, l->want)) {
			l->active = false;  /* ticketd has it */
		} else {
			violation(q, "I3: the edit %s = %s is lost: ticketd has %s, the form %s, the draft %s",
			          items[i].label, l->want, sv, mv, dv);
		}
	}
	clash_check(q, edits);
	cJSON_Delete(edits);
}

/* ---- the loop's side: carrying out what the machine asks --------------------------- */

static void count_merge(seq *q)
{
	size_t i;
	for (i = 0; i < q->s.rep.n; i++) {
		if (q->s.rep.v[i].cls == M3_ALREADY)
			counts[C_ALREADY]++;
		else if (q->s.rep.v[i].cls == M3_REBASE)
			counts[C_REBASED]++;
	}
	counts[C_CLASHES] += (long)q->s.rep.nconflicts;
}

static void abandon_inflight(seq *q, const char *why);

static void carry(seq *q, save_out *o, bool from_answer)
{
	if (o->status[0])
		trace(q, "    status: %s", o->status);
	if (o->show_conflicts && model_nclashes(&q->m))
		trace(q, "    conflict screen: %zu open", model_nclashes(&q->m));
	switch (o->send) {
	case SEND_PATCH: {
		char *p = json_print(o->patch, false);
		trace(q, "    machine sends PATCH %s", p);
		free(p);
		patch_check(q, o->patch);
		cJSON_Delete(q->patch);
		q->patch = o->patch;
		o->patch = NULL;
		q->ius[0] = 0;
		if (o->if_unmodified && model_if_unmodified_since(&q->m, q->ius, sizeof q->ius) < 0)
			q->ius[0] = 0;
		memcpy(q->led_sent, q->led, sizeof q->led);
		q->inflight = SEND_PATCH;
		counts[C_PATCHES]++;
		if (from_answer)
			counts[C_AUTO_PATCHES]++;
		break;
	}
	case SEND_GET:
		trace(q, "    machine sends GET");
		q->inflight = SEND_GET;
		counts[C_GETS]++;
		break;
	case SEND_CANCEL:
		abandon_inflight(q, "cancelled");
		break;
	case SEND_NOTHING:
		break;
	}
	if (o->preview)
		violation(q, "the machine asked for a preview, which nothing here asked for");
	if (o->done) {  /* the quit prompt's s finished: the editor leaves (exit 0) */
		if (!q->quit_asked)
			violation(q, "the machine left the editor, which only the quit prompt's s asks for");
		else if (model_modified(&q->m) || model_nclashes(&q->m))
			violation(q, "the quit prompt's save left the editor with %d unsaved edit(s) and %zu conflict(s)",
			          model_modified(&q->m), model_nclashes(&q->m));
		q->session_done = true;
		counts[C_SAVED_AND_QUIT]++;
	}
	save_out_free(o);
}

/* The request in flight is given up (Esc, or the session ends). A PATCH may
 * have reached ticketd all the same: the random stream decides. */
static void abandon_inflight(seq *q, const char *why)
{
	if (q->inflight == SEND_PATCH) {
		q->machine_unknown = true;
		if (rnd(q, 2)) {
			api_result *r = user_send(q, SEND_PATCH, F_PASS);
			trace(q, "    %s PATCH reached ticketd anyway: %ld", why, r->http_status);
			api_result_free(r);
			counts[C_CANCEL_APPLIED]++;
			server_check(q, true, NULL);
		} else {
			trace(q, "    %s PATCH never reached ticketd", why);
		}
	}
	q->inflight = SEND_NOTHING;
	cJSON_Delete(q->patch);
	q->patch = NULL;
}

static void user_event(seq *q, save_event ev, const char *name)
{
	save_out o;
	bool quit = ev == SE_SAVE && !q->quiet && rnd(q, 8) == 0;  /* q, then s at the quit prompt */
	trace(q, "%s%s [%s]", quit ? "q, s at the quit prompt: " : "", name, save_states[q->s.st].name);
	if (ev == SE_SAVE && (save_states[q->s.st].events & (1u << SE_SAVE)))
		q->quit_asked = quit;  /* the machine takes this save: it decides about leaving now */
	save_event_do(&q->s, &q->m, ev, quit, &o);
	if (ev == SE_SAVE && o.send == SEND_NOTHING && o.show_conflicts)
		counts[C_SAVE_REFUSED]++;
	carry(q, &o, false);
}

/* The answer to the request in flight arrives (through the proxy's fault). */
static void deliver(seq *q)
{
	save_send what = q->inflight;
	fault f = F_PASS;
	api_result *r;
	save_reply rep;
	save_out o;
	int dice = rnd(q, 100);
	if (!q->quiet && what == SEND_PATCH)
		f = dice < 60 ? F_PASS : dice < 68 ? F_DROP_AFTER : dice < 74 ? F_DROP_BEFORE :
		    dice < 80 ? F_500_BEFORE : dice < 85 ? F_403_BEFORE : dice < 92 ? F_HTML_AFTER : F_GARBAGE_AFTER;
	else if (!q->quiet)
		f = dice < 84 ? F_PASS : dice < 90 ? F_DROP_BEFORE : dice < 95 ? F_500_BEFORE : F_403_BEFORE;
	counts[C_FAULT + f]++;
	r = user_send(q, what, f);
	trace(q, "deliver %s (%s): HTTP %ld%s%s", what == SEND_PATCH ? "PATCH" : "GET", fault_names[f],
	      r->http_status, r->ok ? "" : ": ", r->ok ? "" : r->message);
	counts[r->http_status == 200 ? C_A200 : r->http_status == 409 ? C_A409 : r->http_status == 412 ? C_A412 :
	       C_AOTHER]++;
	q->inflight = SEND_NOTHING;
	rep.http_status = r->http_status;
	rep.sent = r->sent;
	rep.ticket = r->ok && cJSON_IsObject(r->json);
	rep.json = rep.ticket ? api_result_take_json(r) : NULL;
	rep.message = r->message;
	if (what == SEND_PATCH) {
		long h = r->http_status;
		bool definite = (h >= 200 && h < 300 && rep.ticket) || (h >= 300 && h < 500) || h == 503 ||
		                (h == 0 && !r->sent);
		server_check(q, !rep.ticket, f == F_PASS && rep.ticket ? rep.json : NULL);
		if (!definite)
			q->machine_unknown = true;
		cJSON_Delete(q->patch);
		q->patch = NULL;
	}
	if (rep.ticket) {  /* the machine sees what ticketd has */
		int i;
		q->machine_unknown = false;
		for (i = 0; i < NITEMS; i++)
			q->led[i].unseen = false;
	}
	save_answer(&q->s, &q->m, &rep, &o);
	cJSON_Delete(rep.json);
	if (what == SEND_GET && rep.ticket)
		count_merge(q);
	api_result_free(r);
	carry(q, &o, true);
}

/* ---- the user's steps -------------------------------------------------------------- */

/* The ledger after the user changed item I in the form. */
static void ledger_edit(seq *q, int i, const char *before)
{
	ledger *l = &q->led[i];
	char now[IL], mb[IL];
	item_model(&items[i], &q->m, now);
	if (!strcmp(now, before))
		return;
	item_base(&items[i], &q->m, mb);
	if (item_clash(&items[i], &q->m)) {
		/* nothing is chosen against theirs until m, t or e: the basis stays */
		if (!l->active && items[i].tag)  /* another tag of a set in conflict */
			item_text(&items[i], item_clash(&items[i], &q->m)->basis, l->basis);
		else if (!l->active)
			violation(q, "a conflict is open on %s, which the user has no edit of", items[i].label);
	} else {
		if (l->active && strcmp(mb, l->basis))
			violation(q, "I1: the form put the edit %s = %s onto %s, but the user chose against %s",
			          items[i].label, l->want, mb, l->basis);
		put(l->basis, mb);
	}
	put(l->want, now);
	l->active = strcmp(l->want, l->basis) || item_clash(&items[i], &q->m);
}

/* The items of field F (KEY: one map key; F NULL: all), their values before
 * a change. */
static void snapshot_items(seq *q, const field_def *f, const char *key, char before[][IL], bool *mine)
{
	int i;
	for (i = 0; i < NITEMS; i++) {
		mine[i] = !f || (item_field(&items[i]) == f && (!key || (items[i].key && !strcmp(items[i].key, key))));
		if (mine[i])
			item_model(&items[i], &q->m, before[i]);
	}
}

static void ledger_after(seq *q, char before[][IL], const bool *mine)
{
	int i;
	for (i = 0; i < NITEMS; i++)
		if (mine[i])
			ledger_edit(q, i, before[i]);
}

/* Text typed into the line editor for F (KEY: a custom field key). */
static void type_value(seq *q, const field_def *f, const char *key, const char *text)
{
	char err[240], before[NITEMS][IL];
	bool mine[NITEMS];
	size_t pos;
	cJSON *v;
	const cJSON *cur = key ? model_map_value(&q->m, f, key) : model_value(&q->m, f);
	if (value_from_text(&q->m, f, key, text, NULL, &v, err, sizeof err, &pos) < 0) {
		violation(q, "%s%s%s: \"%s\" refused: %s", f->name, key ? "/" : "", key ? key : "", text, err);
		return;
	}
	if (cur && json_equal(cur, v)) {  /* the edit screen: "unchanged" */
		cJSON_Delete(v);
		trace(q, "user types %s%s%s = \"%s\": unchanged", f->name, key ? "/" : "", key ? key : "", text);
		return;
	}
	trace(q, "user types %s%s%s = \"%s\" [%s]", f->name, key ? "/" : "", key ? key : "", text,
	      save_states[q->s.st].name);
	snapshot_items(q, f, key, before, mine);
	if (key)
		model_map_set(&q->m, f, key, v);
	else
		model_set(&q->m, f, v);
	ledger_after(q, before, mine);
}

static void user_edit(seq *q)
{
	const field_def *f;
	char text[64], before[NITEMS][IL];
	bool mine[NITEMS];
	int what = rnd(q, 8);
	if (!save_states[q->s.st].edits) {
		trace(q, "user tries to edit [%s]: refused", save_states[q->s.st].name);
		return;
	}
	counts[C_EDITS]++;
	switch (what) {
	case 0:
		type_value(q, schema_find("Title"), NULL, pool_title[rnd(q, 4)]);
		return;
	case 1:
		type_value(q, schema_find("Author"), NULL, pool_author[rnd(q, 4)]);
		return;
	case 2:
		snprintf(text, sizeof text, "%d", rnd(q, 5));
		type_value(q, schema_find("AlertLevel"), NULL, text);
		return;
	case 3: {
		const char *key = rnd(q, 2) ? "x_foo" : "x_note";
		f = schema_find("CustomFields");
		if (rnd(q, 3) == 0) {  /* x on the row: empties it (set_form_remove) */
			trace(q, "user empties CustomFields/%s (x)", key);
			type_value(q, f, key, "");
			return;
		}
		type_value(q, f, key, pool_custom[rnd(q, 3)]);
		return;
	}
	case 6: {  /* r on a row */
		const item_def *it = &items[rnd(q, NITEMS)];
		f = item_field(it);
		if (it->key ? !model_map_modified(&q->m, f, it->key) : !model_is_modified(&q->m, f)) {
			trace(q, "user reverts %s: not modified", it->key ? it->label : f->name);
			return;
		}
		trace(q, "user reverts %s [%s]", it->key ? it->label : f->name, save_states[q->s.st].name);
		snapshot_items(q, NULL, NULL, before, mine);
		if (it->key) {
			const cJSON *b = model_map_base(&q->m, f, it->key);
			model_map_set(&q->m, f, it->key, b ? cJSON_Duplicate(b, 1) : NULL);
		} else {
			model_revert(&q->m, f);
		}
		ledger_after(q, before, mine);
		return;
	}
	case 7: {  /* u or C-r */
		bool undo = rnd(q, 3) != 0;
		const field_def *ch;
		snapshot_items(q, NULL, NULL, before, mine);
		ch = undo ? model_undo(&q->m) : model_redo(&q->m);
		trace(q, "user presses %s: %s [%s]", undo ? "u" : "C-r", ch ? ch->name : "nothing to do",
		      save_states[q->s.st].name);
		ledger_after(q, before, mine);
		return;
	}
	default: {  /* the set screen: a adds a tag, d removes one */
		const cJSON *v, *el;
		cJSON *nv;
		int i = 5 + rnd(q, 5), idx = 0, at = -1;
		f = schema_find("Tags");
		v = model_value(&q->m, f);
		cJSON_ArrayForEach(el, v) {
			if (elem_id(el) == items[i].tag)
				at = idx;
			idx++;
		}
		nv = cJSON_IsArray(v) ? cJSON_Duplicate(v, 1) : cJSON_CreateArray();
		if (at >= 0) {
			cJSON_DeleteItemFromArray(nv, at);
		} else {
			cJSON *ne = cJSON_CreateObject();
			cJSON_AddNumberToObject(ne, "Id", (double)items[i].tag);
			cJSON_AddItemToArray(nv, ne);
		}
		trace(q, "user %s tag %ld [%s]", at >= 0 ? "removes" : "adds", items[i].tag, save_states[q->s.st].name);
		snapshot_items(q, f, NULL, before, mine);
		model_set(&q->m, f, nv);
		ledger_after(q, before, mine);
	}
	}
}

/* Esc from the conflict screen, then the user changes a row that is in
 * conflict on the form: back to the value the edit was made against (typed
 * again, or a key removed), r (theirs), or another value. The conflict
 * stays open: none of these is a choice. */
static void user_edit_clashed(seq *q)
{
	const model_clash *c = &q->m.clashes[rnd(q, (int)model_nclashes(&q->m))];
	const field_def *f = c->f;
	char before[NITEMS][IL], *sub = c->sub ? strdup(c->sub) : NULL, *label = strdup(c->label);
	bool mine[NITEMS];
	int how = rnd(q, 3);
	cJSON *v;
	if (f->kind == FK_REFSET || !save_states[q->s.st].edits) {
		free(sub);
		free(label);
		return;
	}
	counts[C_EDIT_CLASHED]++;
	if (how == 2) {  /* the line editor */
		char text[8];
		const char *t = f->kind == FK_INT32 ? (snprintf(text, sizeof text, "%d", rnd(q, 5)), text)
		                : sub ? pool_custom[rnd(q, 3)]
		                : !strcmp(f->name, "Title") ? pool_title[rnd(q, 4)] : pool_author[rnd(q, 4)];
		type_value(q, f, sub, t);
		free(sub);
		free(label);
		return;
	}
	snapshot_items(q, NULL, NULL, before, mine);
	if (how == 0) {
		trace(q, "user sets %s back to what the edit was made against [%s]", label, save_states[q->s.st].name);
		v = c->basis ? cJSON_Duplicate(c->basis, 1) : NULL;
		if (sub)
			model_map_set(&q->m, f, sub, v);
		else if (v)
			model_set(&q->m, f, v);
	} else {
		trace(q, "user reverts %s (r) [%s]", label, save_states[q->s.st].name);
		if (sub) {
			const cJSON *b = model_map_base(&q->m, f, sub);
			model_map_set(&q->m, f, sub, b ? cJSON_Duplicate(b, 1) : NULL);
		} else {
			model_revert(&q->m, f);
		}
	}
	ledger_after(q, before, mine);
	free(sub);
	free(label);
}

/* The conflict screen: m, t or e on one open clash. */
static void user_resolve(seq *q)
{
	size_t ci = (size_t)rnd(q, (int)model_nclashes(&q->m));
	const model_clash *c = &q->m.clashes[ci];
	const field_def *f = c->f;
	char *sub = c->sub ? strdup(c->sub) : NULL;
	char theirs[NITEMS][IL];
	bool in[NITEMS];
	int how = rnd(q, 3), i;
	save_out o;
	cJSON *v = NULL;
	if (how == 2 && f->kind == FK_REFSET)
		how = 0;  /* e on a set: mine is the starting point (the set screen follows) */
	for (i = 0; i < NITEMS; i++) {
		in[i] = item_field(&items[i]) == f && (!sub || (items[i].key && !strcmp(items[i].key, sub)));
		if (in[i])
			item_base(&items[i], &q->m, theirs[i]);
	}
	if (how == 2) {
		char err[200];
		size_t pos;
		const char *text = f->kind == FK_INT32 ? (rnd(q, 2) ? "3" : "4")
		                   : sub ? pool_custom[rnd(q, 3)]
		                   : !strcmp(f->name, "Title") ? pool_title[rnd(q, 4)] : pool_author[rnd(q, 4)];
		if (value_from_text(&q->m, f, sub, text, NULL, &v, err, sizeof err, &pos) < 0)  /* the edit screen */
			violation(q, "%s: \"%s\" refused: %s", c->label, text, err);
		trace(q, "user on the conflict screen: e on %s, types \"%s\"", c->label, text);
		counts[C_RESOLVE_E]++;
	} else {
		trace(q, "user on the conflict screen: %c on %s", how ? 't' : 'm', c->label);
		counts[how ? C_RESOLVE_T : C_RESOLVE_M]++;
	}
	model_resolve(&q->m, ci, how == 0 ? RESOLVE_MINE : how == 1 ? RESOLVE_THEIRS : RESOLVE_EDITED, v);
	for (i = 0; i < NITEMS; i++) {
		ledger *l = &q->led[i];
		if (!in[i])
			continue;
		q->resolved[i] = true;
		put(l->basis, theirs[i]);  /* the user has seen theirs and chose */
		item_model(&items[i], &q->m, l->want);
		l->active = strcmp(l->want, l->basis) != 0;
	}
	free(sub);
	save_event_do(&q->s, &q->m, SE_RESOLVED, false, &o);
	carry(q, &o, false);
}

/* A colleague changes one or two items on ticketd (no tests). */
static void colleague(seq *q)
{
	cJSON *ops = cJSON_CreateArray();
	int n = 1 + rnd(q, 2), k, picked = -1, tags = 0;
	char desc[600];
	size_t dl = 0;
	desc[0] = 0;
	for (k = 0; k < n; k++) {
		int i = rnd(q, NITEMS), j;
		if (rnd(q, 2))  /* half the time an item the user is editing: conflicts */
			for (j = 0; j < NITEMS; j++)
				if (q->led[(i + j) % NITEMS].active) {
					i = (i + j) % NITEMS;
					break;
				}
		cJSON *op = cJSON_CreateObject();
		char path[80];
		const char *kind = "replace";
		cJSON *val = NULL;
		if (i == picked || (items[i].tag && tags)) {
			cJSON_Delete(op);
			continue;
		}
		picked = i;
		if (items[i].tag) {
			const cJSON *arr = json_get_ci(q->server, "Tags"), *el;
			int idx = 0, at = -1;
			tags = 1;
			cJSON_ArrayForEach(el, arr) {
				if (elem_id(el) == items[i].tag)
					at = idx;
				idx++;
			}
			if (at >= 0) {
				kind = "remove";
				snprintf(path, sizeof path, "/Tags/%d", at);
			} else {
				kind = "add";
				snprintf(path, sizeof path, "/Tags/-");
				val = cJSON_CreateObject();
				cJSON_AddNumberToObject(val, "Id", (double)items[i].tag);
			}
		} else if (items[i].key) {
			snprintf(path, sizeof path, "/CustomFields/%s", items[i].key);
			val = cJSON_CreateString(rnd(q, 3) == 0 ? "" : pool_custom[rnd(q, 3)]);
		} else {
			snprintf(path, sizeof path, "/%s", items[i].field);
			val = !strcmp(items[i].field, "AlertLevel") ? cJSON_CreateNumber(rnd(q, 5))
			      : cJSON_CreateString(!strcmp(items[i].field, "Title") ? pool_title[rnd(q, 4)]
			                           : pool_author[rnd(q, 4)]);
		}
		cJSON_AddStringToObject(op, "op", kind);
		cJSON_AddStringToObject(op, "path", path);
		if (val)
			cJSON_AddItemToObject(op, "value", val);
		cJSON_AddItemToArray(ops, op);
		{
			char *t = val ? json_print(val, false) : NULL;
			dl += (size_t)snprintf(desc + dl, dl < sizeof desc ? sizeof desc - dl : 0, " %s %s%s%s", kind, path,
			                       t ? " " : "", t ? t : "");
			free(t);
		}
	}
	trace(q, "colleague PATCHes ticketd:%s", desc);
	cJSON_Delete(q->server);
	q->server = direct_patch(ops);
	cJSON_Delete(ops);
	counts[C_COLLEAGUE]++;
}

/* The session ends (the draft is journaled, a request in flight is given
 * up) and a new one opens the ticket and restores the draft, as the editor
 * does with --draft restore. */
static void restart(seq *q)
{
	char err[600], skipped[300];
	cJSON *dbase = NULL, *dedits = NULL, *server;
	model_merge_report rep;
	api_result *r;
	save_out o;
	int found, i;
	trace(q, "the session ends [%s] and a new one opens the ticket", save_states[q->s.st].name);
	counts[C_RESTARTS]++;
	abandon_inflight(q, "the ended session's");
	q->session_done = q->quit_asked = false;
	if (draft_save_model(g.purl, g.id, &q->m, err, sizeof err) < 0)
		die("draft_save_model: %s", err);
	model_free(&q->m);
	save_free(&q->s);
	save_init(&q->s, DIFF_FIELDS, q->strict, false);
	r = user_send(q, SEND_GET, F_PASS);
	if (!r->ok)
		die("the new session's load failed: %s", r->message);
	server = api_result_take_json(r);
	api_result_free(r);
	q->machine_unknown = false;
	for (i = 0; i < NITEMS; i++)
		q->led[i].unseen = false;
	found = draft_read(g.purl, g.id, &dbase, &dedits, NULL, 0, err, sizeof err);
	if (found < 0)
		die("draft_read: %s", err);
	if (!found) {
		trace(q, "    no draft: the server's copy");
		model_init(&q->m, server);
		return;
	}
	if (draft_restore(&q->m, dbase, dedits, server, &rep, skipped, sizeof skipped) < 0)
		violation(q, "the draft's edits are malformed");
	if (skipped[0])
		violation(q, "the draft restore dropped edits: %s", skipped);
	counts[C_RESTORED]++;
	trace(q, "    draft restored: %d edit(s), %zu clash(es)", model_modified(&q->m), model_nclashes(&q->m));
	cJSON_Delete(dbase);
	cJSON_Delete(dedits);
	save_merged(&q->s, &q->m, TRIG_DRAFT, &rep, &o);
	count_merge(q);
	carry(q, &o, true);
	if (draft_discard(g.purl, g.id, err, sizeof err) < 0)
		die("draft_discard: %s", err);
}

/* ---- sequences ------------------------------------------------------------------- */

static void step(seq *q)
{
	int d = rnd(q, 100);
	counts[C_STEPS]++;
	if (q->session_done) {  /* the editor left after saving: it is opened again */
		restart(q);
		return;
	}
	if (save_busy(&q->s)) {
		if (d < 55)
			deliver(q);
		else if (d < 70)
			colleague(q);
		else if (d < 82) {
			counts[C_CANCELS]++;
			user_event(q, SE_CANCEL, "Esc");
		} else if (d < 88)
			user_edit(q);
		else if (d < 94)
			user_event(q, SE_SAVE, "s");
		else
			restart(q);
		return;
	}
	if (model_nclashes(&q->m) && d < 25) {
		user_resolve(q);
		return;
	}
	if (model_nclashes(&q->m) && d < 45) {
		user_edit_clashed(q);
		return;
	}
	if (d < 40)
		user_edit(q);
	else if (d < 58)
		colleague(q);
	else if (d < 80) {
		counts[C_SAVES]++;
		user_event(q, SE_SAVE, "s");
	} else if (d < 90) {
		counts[C_RELOADS]++;
		user_event(q, SE_RELOAD, "R");
	} else if (d < 95)
		user_event(q, SE_CANCEL, "Esc (nothing in flight)");
	else
		restart(q);
}

/* Put the items back to where every sequence starts (whatever ticketd has
 * now, so a sequence replays alone); ticketd's copy after that. */
static cJSON *reset_ticket(void)
{
	static const char *const start =
		"[{\"op\":\"replace\",\"path\":\"/Title\",\"value\":\"suscipit\"},"
		"{\"op\":\"replace\",\"path\":\"/Author\",\"value\":\"Jane Doe\"},"
		"{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":0},"
		"{\"op\":\"replace\",\"path\":\"/CustomFields/x_foo\",\"value\":\"bar\"},"
		"{\"op\":\"replace\",\"path\":\"/CustomFields/x_note\",\"value\":\"\"},"
		"{\"op\":\"replace\",\"path\":\"/Tags\",\"value\":[{\"Id\":2},{\"Id\":779},{\"Id\":5}]}]";
	cJSON *ops = cJSON_Parse(start), *j;
	j = direct_patch(ops);
	cJSON_Delete(ops);
	return j;
}

static bool run_sequence(long k)
{
	seq q;
	int n, i;
	bool ok;
	memset(&q, 0, sizeof q);
	q.k = k;
	q.rs = g.seed * 0x100000001B3ull ^ (uint64_t)k * 0x9E3779B97F4A7C15ull;
	splitmix(&q.rs);
	q.strict = rnd(&q, 4) == 0;
	n = 5 + rnd(&q, 11);
	q.server = reset_ticket();
	model_init(&q.m, cJSON_Duplicate(q.server, 1));  /* the user opens the ticket */
	save_init(&q.s, DIFF_FIELDS, q.strict, false);
	trace(&q, "sequence %ld: %d steps, conflict mode %s", k, n, q.strict ? "strict" : "fields");
	counts[C_SEQ]++;
	for (i = 0; i < n && !q.failed; i++) {
		step(&q);
		if (!q.failed)
			step_check(&q);
	}
	/* the quiet phase: ticketd behaves, the user decides and saves until done */
	q.quiet = true;
	trace(&q, "-- quiet: no colleague, no faults; the user decides and saves until done");
	for (i = 0; i < 30 && !q.failed; i++) {
		if (q.session_done)
			restart(&q);
		else if (save_busy(&q.s))
			deliver(&q);
		else if (model_nclashes(&q.m))
			user_resolve(&q);
		else if (q.s.st == SV_UNCERTAIN || model_modified(&q.m))
			user_event(&q, SE_SAVE, "s");
		else
			break;
		counts[C_FINAL_STEPS]++;
		if (!q.failed)
			step_check(&q);
	}
	if (!q.failed && (save_busy(&q.s) || model_nclashes(&q.m) || model_modified(&q.m) || q.s.st != SV_IDLE))
		violation(&q, "the edits never reached ticketd: after 30 quiet steps the machine is %s with %d "
		          "modified and %zu conflict(s)", save_states[q.s.st].name, model_modified(&q.m),
		          model_nclashes(&q.m));
	if (!q.failed) {  /* R: the form shows what ticketd has */
		user_event(&q, SE_RELOAD, "R");
		deliver(&q);
		step_check(&q);
		if (!q.failed && (model_nclashes(&q.m) || model_modified(&q.m) || q.s.st != SV_IDLE))
			violation(&q, "a reload with nothing pending left the machine %s with %d modified",
			          save_states[q.s.st].name, model_modified(&q.m));
	}
	for (i = 0; i < NITEMS && !q.failed; i++) {
		char sv[IL], mb[IL];
		item_doc(&items[i], q.server, sv);
		item_base(&items[i], &q.m, mb);
		if (q.led[i].active)
			violation(&q, "I3: at the end the edit %s = %s is not on ticketd (%s)", items[i].label,
			          q.led[i].want, sv);
		else if (strcmp(sv, mb))
			violation(&q, "at the end the form's base has %s = %s, ticketd %s", items[i].label, mb, sv);
	}
	ok = !q.failed;
	model_free(&q.m);
	save_free(&q.s);
	cJSON_Delete(q.server);
	cJSON_Delete(q.patch);
	free(q.trace);
	return ok;
}

static void usage(void)
{
	fprintf(stderr, "usage: app_prop --url BASE --ticket ID [--seed N] [--count N] [--only K] [--verbose]\n");
	exit(2);
}

int main(int argc, char **argv)
{
	api_config cu, cc;
	char err[512], host[64];
	long count = 2000, only = -1, k, failed = 0;
	int port, i;
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--url") && i + 1 < argc)
			g.url = argv[++i];
		else if (!strcmp(argv[i], "--ticket") && i + 1 < argc)
			g.id = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			g.seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--count") && i + 1 < argc)
			count = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			only = strtol(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--verbose"))
			g.verbose = true;
		else
			usage();
	}
	if (!g.url || g.id <= 0 || sscanf(g.url, "http://%63[0-9.]:%d/", host, &port) != 2)
		usage();
	if (!getenv("XDG_STATE_HOME"))
		die("XDG_STATE_HOME must be set (drafts are written there)");
	if (px_start(host, port) < 0)
		die("cannot start the proxy: %s", strerror(errno));
	snprintf(g.purl, sizeof g.purl, "http://127.0.0.1:%d/api/v1", px.port);
	memset(&cu, 0, sizeof cu);
	cu.base_url = g.purl;
	cu.accept_language = "en";
	cu.timeout_s = 20;
	cc = cu;
	cc.base_url = g.url;
	if (!(g.user = api_new(&cu, err, sizeof err)) || !(g.colleague = api_new(&cc, err, sizeof err)))
		die("api_new: %s", err);
	for (k = only >= 0 ? only : 0; k < (only >= 0 ? only + 1 : count); k++) {
		if (!run_sequence(k)) {
			failed++;
			break;
		}
	}
	for (i = 0; i < C_COUNT; i++)
		printf("count %s %ld\n", i < C_FAULT ? count_names[i] : fault_keys[i - C_FAULT], counts[i]);
	api_free(g.user);
	api_free(g.colleague);
	px_stop();
	return failed ? 1 : 0;
}

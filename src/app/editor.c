/* editor.c — `ticketed [OPTIONS] [TICKET_ID...]`: start-up, the main loop
 * (the only place that draws, starts requests, rebuilds the form rows,
 * touches the draft files and pushes or pops screens), the screen stack,
 * and restoring the terminal on every exit path. What is sent when is the
 * save machine's decision (save.h); what a key does is its screen's (app.h).
 *
 * One session, one ticket at a time. The app's state is in two parts: the
 * session's (options, the api client, cached MDO lists, the replay and the
 * recording, the terminal) and the ticket's (the model, the form rows, the
 * screen stack, the save machine, the requests, the draft state, the exit
 * status), which ticket_reset forgets between tickets. Tickets follow one
 * another in two ways: a replay run over several TICKET_IDs (or
 * --ids-from) runs the whole script on each in turn, each with its own
 * load, save, conflicts and draft policy, and says one line per ticket;
 * and, on a terminal, the ticket picker (no TICKET_ID, or `o`) switches to
 * another ticket after the quit prompt's choice for the edits. */
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "loop.h"
#include "ticketed/api.h"
#include "ticketed/cfmeta.h"
#include "ticketed/date.h"
#include "ticketed/desk.h"
#include "ticketed/display.h"
#include "ticketed/draft.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/recent.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

#define MAX_SCREENS 12

#define MAX_REQUESTS 16

#define MAX_HISTORY 500   /* status messages kept for the ! view */

typedef struct {
	const screen_ops *ops;
	void *st;
} stack_entry;

struct app_request {
	bool post;
	char *path;
	char **query;        /* name, value, ..., NULL (a POST's too) */
	cJSON *body;
	int tag;
};

/* A status message as it was shown. */
typedef struct {
	time_t when;
	int role;
	char *text;
} status_entry;

/* A screen's request in flight: its answer goes to ST's answer op. */
typedef struct {
	int id;
	void *st;
	int tag;
} screen_request;

struct app {
	options *opt;
	api *api;
	model m;
	bool loaded;
	diff_mode mode;
	form_view form;
	stack_entry stack[MAX_SCREENS];
	int nstack;
	cJSON *lists;               /* MDO lists fetched so far, by name */
	cf_meta cf;                 /* the custom field definitions (GET Ticket/CustomField), once per run */
	bool cf_loaded;             /* cf holds them (else the keys and their encodings are shown) */
	bool cf_asked;              /* asked for once this run (a later ticket does not ask again) */
	int req_cf;                 /* GET Ticket/CustomField in flight */
	char status[640];
	int status_role;
	status_entry *hist;         /* the messages shown since start (a ring of MAX_HISTORY) */
	size_t nhist, hist_first;
	save_machine save;
	int req_ticket;             /* the first load, or the save machine's GET/PATCH */
	int req_list;               /* an MDO list for the screen that asked */
	screen_request reqs[MAX_REQUESTS]; /* screens' own requests (RX_REQUEST) */
	int nreqs;
	const char *req_list_name;
	void *req_list_st;          /* the state of the screen that asked (it gets the answer if still on top) */
	unsigned spin;
	bool full, dirty, done;
	int exit_code;
	char fatal[640];            /* printed on stderr after the terminal is restored */
	replay *rp;
	FILE *rec;
	bool rec_partial;           /* the recording's last line is unfinished */
	char rec_err[400];          /* why the recording stopped, said on stderr at the end */
	draft_sync_state ds;
	draft_policy draft;         /* what to do with a draft found on open */
	int reauth_id;              /* the request re-sent with credentials just typed */
	cJSON *dbase, *dedits;      /* that draft, until it is restored or set aside */
	char dsaved[32];
	char draft_note[512];       /* why this session's edits are not journaled, or "" */
	char save_failed[640];      /* the last save's failure (status line text), or "" once one succeeds */
	bool drafts_off;            /* the drafts directory cannot be used (draft_note says why) */
	bool discarded;             /* the user chose to drop the edits */
	desk *desk;                 /* the conversation: the unposted note, bodies read */
	char **saved;               /* labels of the fields saved in this session */
	size_t nsaved;
	char start_note[600];       /* said once the ticket is loaded: the locale, the theme; or "" */
	bool saved_any;             /* a save (or the re-read after one) took edits to the server */
	bool picked;                /* opened from the picker: a failed load goes back to it */
	long next_ticket;           /* RX_OPEN waiting for the quit prompt's choice, or 0 */
	char left_note[300];        /* what became of the ticket left for this one, for the status */
	/* the session's */
	bool batch;                 /* several tickets: one summary line each */
	int left_rc;                /* 3 once a ticket was left with its edits kept as a draft (picker) */
	struct out_line {           /* said after the terminal is restored (at once headless) */
		FILE *f;
		char *text;
	} *out;
	size_t nout;
};

static volatile sig_atomic_t ed_signal;

static void on_signal(int sig) { ed_signal = sig; }

static void install_signals(void)
{
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
}

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* ---- app.h: what screens may use ------------------------------------------ */

model *app_model(app *a) { return &a->m; }
desk *app_desk(app *a) { return a->desk; }
const options *app_options(const app *a) { return a->opt; }
long app_ticket_id(const app *a) { return a->opt->ticket_id; }
long app_next_ticket(const app *a) { return a->next_ticket; }
form_view *app_form(app *a) { return &a->form; }
const cJSON *app_list(const app *a, const char *name) { return a->lists ? json_get(a->lists, name) : NULL; }
const cJSON *app_lists(const app *a) { return a->lists; }
void app_learn_name(app *a, const char *key, long id, const char *name)
{
	cJSON *names, *byk;
	char ids[24];
	if (!a->lists)
		a->lists = cJSON_CreateObject();
	if (!(names = cJSON_GetObjectItemCaseSensitive(a->lists, VALUE_NAMES)))
		names = cJSON_AddObjectToObject(a->lists, VALUE_NAMES);
	if (!(byk = cJSON_GetObjectItemCaseSensitive(names, key)))
		byk = cJSON_AddObjectToObject(names, key);
	snprintf(ids, sizeof ids, "%ld", id);
	cJSON_DeleteItemFromObjectCaseSensitive(byk, ids);
	cJSON_AddStringToObject(byk, ids, name);
}


void app_list_merge(app *a, const char *name, const cJSON *items)
{
	cJSON *have, *it;
	if (!cJSON_IsArray(items))
		return;
	if (!a->lists)
		a->lists = cJSON_CreateObject();
	if (!(have = json_get(a->lists, name)))
		have = cJSON_AddArrayToObject(a->lists, name);
	cJSON_ArrayForEach(it, items) {
		const cJSON *id = json_get_ci(it, "Id"), *o;
		bool known = false;
		cJSON_ArrayForEach(o, have)
			known = known || json_equal(json_get_ci(o, "Id"), id);
		if (!known && json_is_int32(id))
			cJSON_AddItemToArray(have, cJSON_Duplicate(it, 1));
	}
}
bool app_busy(const app *a) { return a->req_ticket || a->req_list || a->nreqs || a->req_cf; }
const save_machine *app_save(const app *a) { return &a->save; }
diff_mode app_mode(const app *a) { return a->mode; }
unsigned app_spin(const app *a) { return a->spin; }
const char *app_status_text(const app *a) { return a->status; }
int app_status_role(const app *a) { return a->status_role; }

/* Keep the message now on the status line for the history (once, however
 * often the same text is set again). */
static void remember_status(app *a)
{
	status_entry *e;
	if (!a->status[0])
		return;
	if (a->nhist) {
		const status_entry *last = &a->hist[(a->hist_first + a->nhist - 1) % MAX_HISTORY];
		if (!strcmp(last->text, a->status) && last->role == a->status_role)
			return;
	}
	if (!a->hist)
		a->hist = xcalloc(MAX_HISTORY, sizeof *a->hist);
	if (a->nhist == MAX_HISTORY) {  /* forget the oldest */
		free(a->hist[a->hist_first].text);
		a->hist_first = (a->hist_first + 1) % MAX_HISTORY;
		a->nhist--;
	}
	e = &a->hist[(a->hist_first + a->nhist) % MAX_HISTORY];
	e->when = time(NULL);
	e->role = a->status_role;
	e->text = xstrdup(a->status);
	a->nhist++;
}

void app_status(app *a, int role, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->status, sizeof a->status, fmt, ap);
	va_end(ap);
	a->status_role = role;
	remember_status(a);
}

size_t app_status_count(const app *a) { return a->nhist; }

const char *app_status_at(const app *a, size_t i, time_t *when, int *role)
{
	const status_entry *e;
	if (i >= a->nhist)
		return NULL;
	e = &a->hist[(a->hist_first + i) % MAX_HISTORY];
	if (when)
		*when = e->when;
	if (role)
		*role = e->role;
	return e->text;
}

void app_status_clear(app *a)
{
	a->status[0] = 0;
	a->status_role = ROLE_STATUS;
}

reaction rx_push(const screen_ops *ops, void *state)
{
	reaction r = rx(RX_PUSH | RX_REDRAW);
	r.push = ops;
	r.state = state;
	return r;
}

reaction rx_request(app_request *req)
{
	reaction r = rx(RX_REQUEST | RX_REDRAW);
	r.request = req;
	return r;
}

static void take_query(app_request *q, va_list ap)
{
	size_t n = 0;
	const char *s;
	while ((s = va_arg(ap, const char *)) != NULL) {
		q->query = xreallocarray(q->query, n + 2, sizeof *q->query);
		q->query[n++] = xstrdup(s);
		q->query[n] = NULL;
	}
}

app_request *app_get(const char *path, int tag, ...)
{
	app_request *q = xcalloc(1, sizeof *q);
	va_list ap;
	q->path = xstrdup(path);
	q->tag = tag;
	va_start(ap, tag);
	take_query(q, ap);
	va_end(ap);
	return q;
}

app_request *app_post_query(const char *path, cJSON *body, int tag, ...)
{
	app_request *q = xcalloc(1, sizeof *q);
	va_list ap;
	q->post = true;
	q->path = xstrdup(path);
	q->body = body;
	q->tag = tag;
	va_start(ap, tag);
	take_query(q, ap);
	va_end(ap);
	return q;
}

app_request *app_post(const char *path, cJSON *body, int tag)
{
	app_request *q = xcalloc(1, sizeof *q);
	q->post = true;
	q->path = xstrdup(path);
	q->body = body;
	q->tag = tag;
	return q;
}

static void request_free(app_request *q)
{
	if (!q)
		return;
	for (size_t i = 0; q->query && q->query[i]; i++)
		free(q->query[i]);
	free(q->query);
	free(q->path);
	cJSON_Delete(q->body);
	free(q);
}

reaction rx_list(const char *name)
{
	reaction r = rx(RX_LIST | RX_REDRAW);
	r.list = name;
	return r;
}

reaction rx_goto(const char *path)
{
	reaction r = rx(RX_ROWS | RX_GOTO | RX_REDRAW);
	snprintf(r.path, sizeof r.path, "%s", path);
	return r;
}

/* ---- the screen stack --------------------------------------------------- */

static const stack_entry *top(const app *a) { return &a->stack[a->nstack - 1]; }

const char *app_top_name(const app *a) { return top(a)->ops->name; }
void *app_top_state(const app *a) { return top(a)->st; }
unsigned app_top_sc(const app *a) { return top(a)->ops->sc; }

static bool on_stack(const app *a, const screen_ops *ops)
{
	for (int i = 0; i < a->nstack; i++)
		if (a->stack[i].ops == ops)
			return true;
	return false;
}

static void push(app *a, const screen_ops *ops, void *st)
{
	if (a->nstack >= MAX_SCREENS) {  /* cannot happen with the screens there are */
		if (ops->free)
			ops->free(st);
		return;
	}
	a->stack[a->nstack].ops = ops;
	a->stack[a->nstack].st = st;
	a->nstack++;
}

static void pop(app *a)
{
	stack_entry *t;
	if (a->nstack <= 1)
		return;
	t = &a->stack[--a->nstack];
	if (a->req_list && a->req_list_st == t->st) {  /* nobody wants that list now */
		api_cancel(a->api, a->req_list);
		a->req_list = 0;
	}
	for (int i = a->nreqs - 1; i >= 0; i--)  /* nor the screen's own requests */
		if (a->reqs[i].st == t->st) {
			api_cancel(a->api, a->reqs[i].id);
			a->reqs[i] = a->reqs[--a->nreqs];
		}
	if (t->ops->free)
		t->ops->free(t->st);
}

/* ---- the form rows ---------------------------------------------------------- */

static bool selectable(const form_row *r) { return r->kind != ROW_SECTION; }

static void goto_path(app *a, const char *path)
{
	long i = path && *path ? form_find_path(&a->form.rows, path) : -1;
	a->form.cur = i >= 0 ? (size_t)i : a->form.cur;
	while (a->form.cur < a->form.rows.n && !selectable(&a->form.rows.v[a->form.cur]))
		a->form.cur++;
	if (a->form.cur >= a->form.rows.n)
		a->form.cur = 0;
}

static void rebuild_rows(app *a)
{
	char *path = a->form.cur < a->form.rows.n ? xstrdup(a->form.rows.v[a->form.cur].path) : NULL;
	a->m.cf = a->cf_loaded ? &a->cf : NULL;  /* a draft restore builds the model anew */
	form_rows_free(&a->form.rows);
	form_build(&a->form.rows, &a->m);
	a->form.cur = 0;
	goto_path(a, path);
	free(path);
}

/* ---- drawing ----------------------------------------------------------------- */

static char *append(char *a, const char *sep, const char *b)
{
	char *r = xstr_join(a, sep, b);
	free(a);
	return r;
}

/* The status message laid out for the screen as it is now: one line, or
 * two when it does not fit one (the form gives up a row). A message that
 * does not fit two either keeps its first line and as much of its end as
 * fits, whole words, with "… " between (the whole text is in the ! view).
 * Sets LINES_OUT[0..return) (malloc'd) and *CUT. */
static int status_layout(app *a, char *lines_out[2], bool *cut)
{
	int w = COLS - (app_busy(a) ? 2 : 0);
	char **l;
	size_t n;
	*cut = false;
	if (w < 4 || !a->status[0]) {
		lines_out[0] = xstrdup(a->status);
		return 1;
	}
	n = text_wrap(a->status, w, &l);
	lines_out[0] = xstrdup(l[0]);
	if (n == 1) {
		text_lines_free(l, n);
		return 1;
	}
	if (n == 2) {
		lines_out[1] = xstrdup(l[1]);
	} else {  /* the end: as many of the last words as fit, whole */
		char *flat = text_sanitize(a->status, -1), *tail;  /* escaped: no raw newline left */
		const char *p = flat + strlen(flat);
		int room = w - 2;
		for (;;) {  /* back a word at a time while the rest still fits */
			const char *q = p;
			while (q > flat && q[-1] == ' ')
				q--;
			while (q > flat && q[-1] != ' ')
				q--;
			if (q == p || text_width(q) > room)
				break;
			p = q;
		}
		if (!*p) {  /* the last word alone is wider than a line: its end */
			p = strrchr(flat, ' ') ? strrchr(flat, ' ') + 1 : flat;
			while (*p && text_width(p) > room)
				p += utf8_next(p, strlen(p), 0);
		}
		while (*p == ' ')
			p++;
		tail = append(xstrdup("\u2026"), " ", p);
		free(flat);
		lines_out[1] = tail;
		*cut = true;
	}
	text_lines_free(l, n);
	return 2;
}

int app_status_rows(app *a)
{
	char *l[2] = { NULL, NULL };
	bool cut;
	int n = status_layout(a, l, &cut);
	free(l[0]);
	free(l[1]);
	return n;
}

bool app_status_cut(app *a)
{
	char *l[2] = { NULL, NULL };
	bool cut;
	status_layout(a, l, &cut);
	free(l[0]);
	free(l[1]);
	return cut;
}

void app_draw_status(app *a)
{
	static const char spin[] = "|/-\\";
	char *l[2] = { NULL, NULL };
	bool cut;
	int n = status_layout(a, l, &cut), y = LINES - 1 - n, x = 0;
	attr_t at = a->status_role == ROLE_ERROR ? ui_attr[ROLE_ERROR] : ui_attr[a->status_role];
	for (int i = 0; i < n; i++) {
		ui_fill(y + i, 0, COLS, ui_attr[ROLE_STATUS]);
		if (a->req_ticket || a->req_list || a->nreqs) {  /* not for the custom field definitions read behind the form */
			char sp[3] = { i ? ' ' : spin[a->spin % 4], ' ', 0 };
			ui_puts(y + i, 0, sp, 2, ui_attr[ROLE_SPINNER]);
			x = 2;
		}
		move(y + i, x);
		text_draw(stdscr, l[i], COLS - x, true, at, ui_attr[ROLE_STATUS] | ui_attr[ROLE_CONTROL_CHAR]);
		free(l[i]);
	}
}

static bool top_applies(void *ctx, action_id act)
{
	app *a = ctx;
	const stack_entry *t = top(a);
	return t->ops->applies(a, t->st, act);
}

/* Before the ticket is there only leaving works. */
static bool loading_applies(void *ctx, action_id act)
{
	(void)ctx;
	return act == ACT_CANCEL || act == ACT_QUIT;
}

/* The form's first hint: what s does in the save machine's state now
 * (nothing to say while nothing is modified and nothing is pending). */
static const char *save_lead(app *a)
{
	if (!a->loaded || strcmp(top(a)->ops->name, "form"))
		return NULL;
	if (a->save.st == SV_IDLE && model_modified(&a->m) == 0)
		return NULL;
	return save_states[a->save.st].hint;
}

void app_draw_footer(app *a)
{
	char buf[512];
	const stack_entry *t = top(a);
	action_applies ap = !a->loaded ? loading_applies : t->ops->applies ? top_applies : NULL;
	action_footer(t->ops->sc, save_lead(a), ap, a, COLS - 2, buf, sizeof buf);
	ui_fill(LINES - 1, 0, COLS, ui_attr[ROLE_FOOTER]);
	ui_puts(LINES - 1, 1, buf, COLS - 1, ui_attr[ROLE_FOOTER]);
}

static void draw_too_small(void)
{
	char buf[64];
	for (int y = 0; y < LINES; y++)
		ui_fill(y, 0, COLS, A_NORMAL);
	ui_puts(LINES / 2, 0, "terminal too small", COLS, ui_attr[ROLE_ERROR]);
	snprintf(buf, sizeof buf, "need %dx%d", UI_MIN_COLS, UI_MIN_ROWS);
	if (LINES / 2 + 1 < LINES)
		ui_puts(LINES / 2 + 1, 0, buf, COLS, A_NORMAL);
}

/* The last full screen, then the status line and footer, then the modals
 * above it in order (a modal draws over what is beneath it). */
static void draw(app *a)
{
	int base = a->nstack - 1;
	if (!ui_big_enough()) {
		draw_too_small();
		return;
	}
	ui_cursor(false);
	while (base > 0 && a->stack[base].ops->modal)
		base--;
	a->stack[base].ops->draw(a, a->stack[base].st);
	app_draw_status(a);
	app_draw_footer(a);
	for (int i = base + 1; i < a->nstack; i++)
		a->stack[i].ops->draw(a, a->stack[i].st);
}

static void frame(app *a)
{
	draw(a);
	ui_flush(a->full);
	a->full = false;
	a->dirty = false;
}

void app_repaint(app *a) { a->full = a->dirty = true; }

void app_stop(app *a, int code)
{
	a->exit_code = code;
	a->done = true;
}

/* ---- drafts -------------------------------------------------------------------- */

static void journal(app *a)
{
	char err[512];
	if (!a->loaded || a->discarded)
		return;
	cJSON_Delete(a->ds.note);
	a->ds.note = desk_note_json(a->desk);  /* the unposted note goes with the edits */
	if (draft_sync(&a->ds, a->opt->url, a->opt->ticket_id, &a->m, err, sizeof err) < 0) {
		app_status(a, ROLE_ERROR, "Draft not saved: %s", err);
		snprintf(a->draft_note, sizeof a->draft_note, "%s", err);
	} else if (a->ds.owned) {
		a->draft_note[0] = 0;
	}
}

FILE *app_private_file(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	struct stat st;
	FILE *f;
	if (fd < 0) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode) || (st.st_mode & 077)) {
		/* an existing file others can read: make it the user's alone */
		if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && fchmod(fd, 0600) == 0) {
			/* fine */
		} else if (!S_ISREG(st.st_mode) && !S_ISCHR(st.st_mode)) {
			seterr(err, errlen, "%s: not a regular file", path);
			close(fd);
			return NULL;
		}
	}
	f = fdopen(fd, "w");
	if (!f) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

/* ---- requests --------------------------------------------------------------- */

static void start_load(app *a)
{
	if (!a->req_ticket)  /* (the first ticket's GET may be out already: open_editor) */
		a->req_ticket = api_get_ticket(a->api, a->opt->ticket_id);
	app_status(a, ROLE_STATUS, "Loading ticket %ld…", a->opt->ticket_id);
}

static reaction carry_out(app *a, save_out *o);

static void start_list(app *a, const char *name)
{
	if (a->req_list || a->req_ticket) {
		app_status(a, ROLE_STATUS, "A request is in flight (Esc cancels)");
		return;
	}
	a->req_list = api_get_list(a->api, name);
	a->req_list_name = name;
	a->req_list_st = top(a)->st;
	app_status(a, ROLE_STATUS, "Loading the %s list… (Esc cancels)", name);
}

/* The save machine asked for something: send it, show it. */
static reaction carry_out(app *a, save_out *o)
{
	reaction r = rx(RX_REDRAW);
	char ius[64];
	if (o->status[0])
		app_status(a, o->error ? ROLE_ERROR : ROLE_STATUS, "%s", o->status);
	if (o->status[0])  /* said again on stderr when the run ends keeping the edits */
		snprintf(a->save_failed, sizeof a->save_failed, "%s", o->error ? o->status : "");
	switch (o->send) {
	case SEND_PATCH:
		ius[0] = 0;
		if (o->if_unmodified &&
		    model_if_unmodified_since_tz(&a->m, a->opt->server_timezone, ius, sizeof ius) < 0)
			ius[0] = 0;
		a->req_ticket = api_patch_ticket(a->api, a->opt->ticket_id, o->patch, ius[0] ? ius : NULL);
		break;
	case SEND_GET:
		a->req_ticket = api_get_ticket(a->api, a->opt->ticket_id);
		break;
	case SEND_CANCEL:
		if (a->req_ticket)
			api_cancel(a->api, a->req_ticket);
		a->req_ticket = 0;
		break;
	case SEND_NOTHING:
		break;
	}
	if (o->changed)
		r.flags |= RX_ROWS;
	if (o->show_conflicts)
		r.flags |= RX_CONFLICTS;
	if (o->preview) {
		reaction p = preview_open(a, true);
		r.flags |= p.flags;
		r.push = p.push;
		r.state = p.state;
	}
	if (o->done) {
		a->exit_code = 0;
		r.flags |= RX_QUIT;
	} else if (!a->save.quit_after && !on_stack(a, &quit_screen)) {
		a->next_ticket = 0;  /* a save-and-open that did not save: stay on this ticket */
	}
	save_out_free(o);
	return r;
}

/* A 401 that the client could not cure by itself (need_credentials) on a
 * terminal: leave curses, ask once more for the password or token (no echo,
 * /dev/tty), hand it to the client and send the same request again. The new
 * request id, or 0 when that does not apply (headless, a replay, no
 * terminal, nothing typed, or the request already carried credentials just
 * typed: a wrong answer is not asked again). */
static int reauth(app *a, const api_result *r)
{
	char err[256];
	bool ok;
	int id;
	if (!r->need_credentials || a->rp || ui_headless() || !isatty(0) || r->id == a->reauth_id)
		return 0;
	def_prog_mode();
	endwin();
	ok = options_reprompt(a->opt, err, sizeof err) == 0 &&
	     api_set_secret(a->api, a->opt->secret, err, sizeof err) == 0;
	options_forget_secrets(a->opt);
	reset_prog_mode();
	a->full = a->dirty = true;
	if (!ok) {
		app_status(a, ROLE_ERROR, "%s", err);
		return 0;
	}
	id = api_retry(a->api, r);
	a->reauth_id = id > 0 ? id : 0;
	return a->reauth_id;
}

static void ticket_reset(app *a);

/* The load of the ticket failed: the program ends (exit 2), or, for a
 * ticket chosen in the picker, the picker comes back saying why. */
static reaction load_failed(app *a, api_result *r)
{
	if (r->http_status == 404 && r->so_error)
		snprintf(a->fatal, sizeof a->fatal, "ticket %ld not found", a->opt->ticket_id);
	else if (r->http_status == 0)
		snprintf(a->fatal, sizeof a->fatal, "cannot load ticket %ld from %s: %s", a->opt->ticket_id,
		         a->opt->url ? a->opt->url : "the server", r->message);
	else if (r->ok)
		snprintf(a->fatal, sizeof a->fatal, "ticket %ld: the server did not send a ticket object",
		         a->opt->ticket_id);
	else
		snprintf(a->fatal, sizeof a->fatal, "cannot load ticket %ld: %s", a->opt->ticket_id, r->message);
	if (a->picked) {
		char msg[sizeof a->fatal];
		reaction p;
		snprintf(msg, sizeof msg, "%s", a->fatal);
		ticket_reset(a);
		p = picker_open(a);
		app_status(a, ROLE_ERROR, "%s", msg);
		return p;
	}
	app_stop(a, 2);
	return rx(RX_REDRAW);
}

/* The draft found on open, once the ticket is there: the policy decides. */
static reaction offer_draft(app *a)
{
	reaction r = rx(RX_REDRAW);
	if (!a->dbase)
		return r;
	if (a->draft == DRAFT_RESTORE) {
		r = draft_restore_now(a, a->dbase, a->dedits);
		cJSON_Delete(a->dbase);
		cJSON_Delete(a->dedits);
		a->dbase = a->dedits = NULL;
		return r;
	}
	r = draft_screen_open(a->dbase, a->dedits, a->dsaved);  /* ask: the prompt takes them */
	a->dbase = a->dedits = NULL;
	return r;
}

static reaction first_load_done(app *a, api_result *r)
{
	char rerr[300];
	const cJSON *title;
	if (!r->ok || !cJSON_IsObject(r->json))
		return load_failed(a, r);
	a->save.last_status = r->http_status;
	model_init(&a->m, api_result_take_json(r));
	a->loaded = true;
	title = json_get_ci(a->m.base, "Title");
	rerr[0] = '\0';
	if (a->opt->url)  /* for the picker and shell completion; not worth a message unless it fails */
		recent_add(a->opt->url, a->opt->ticket_id, cJSON_IsString(title) ? title->valuestring : NULL,
		           time(NULL), rerr, sizeof rerr);
	/* the custom field definitions label and type CustomFields: asked for
	 * once, while the form is already usable */
	if (!a->cf_asked) {
		a->cf_asked = true;
		a->req_cf = api_get(a->api, "Ticket/CustomField", NULL);
	}
	rebuild_rows(a);
	for (size_t i = 0; i < a->form.rows.n; i++)  /* start on the first editable field (Title) */
		if (a->form.rows.v[i].editable) {
			a->form.cur = i;
			break;
		}
	if (a->drafts_off)
		app_status(a, ROLE_ERROR, "Drafts are off for this session: %s", a->draft_note);
	else if (!schema_ticket_updatable(a->m.base))
		app_status(a, ROLE_ERROR, "Read-only: your rights on ticket %ld do not include Update; "
		           "nothing can be changed or saved", a->opt->ticket_id);
	else if (rerr[0])
		app_status(a, ROLE_ERROR, "Loaded ticket %ld; recent tickets not kept: %s", a->opt->ticket_id, rerr);
	else
		app_status(a, ROLE_STATUS, "Loaded ticket %ld%s%s%s", a->opt->ticket_id, a->left_note,
		           a->start_note[0] ? "; " : "", a->start_note);
	return offer_draft(a);
}

/* Remember LABEL as saved in this session (once). */
static void saved_add(app *a, const char *label)
{
	for (size_t i = 0; i < a->nsaved; i++)
		if (!strcmp(a->saved[i], label))
			return;
	a->saved = xreallocarray(a->saved, a->nsaved + 1, sizeof *a->saved);
	a->saved[a->nsaved++] = xstrdup(label);
}

static reaction ticket_done(app *a, api_result *r)
{
	save_reply rep = { r->http_status, r->sent, r->ok && cJSON_IsObject(r->json), NULL, r->message };
	save_out o;
	bool *was = NULL, saving = a->save.st == SV_SAVING || a->save.st == SV_REREADING;
	int before = a->loaded ? model_modified(&a->m) : 0;
	a->req_ticket = 0;
	if (!a->loaded)
		return first_load_done(a, r);
	if (rep.ticket)
		rep.json = api_result_take_json(r);
	if (saving) {  /* which rows are modified before the answer of a save or its re-read */
		was = xcalloc(a->form.rows.n + 1, sizeof *was);
		for (size_t i = 0; i < a->form.rows.n; i++)
			was[i] = form_row_modified(&a->m, &a->form.rows.v[i]);
	}
	save_answer(&a->save, &a->m, &rep, &o);
	cJSON_Delete(rep.json);
	for (size_t i = 0; was && i < a->form.rows.n; i++)  /* an edit gone after it: on the server now */
		if (was[i] && !form_row_modified(&a->m, &a->form.rows.v[i]))
			saved_add(a, a->form.rows.v[i].label);
	free(was);
	if (saving && model_modified(&a->m) < before)  /* edits a save took off the model are on the server */
		a->saved_any = true;
	return carry_out(a, &o);
}

/* The custom field definitions arrived (or not): with them the form shows
 * labels, Rank order, hidden and read-only fields; without them (403, 404,
 * an older service) the keys, typed by their encodings, and one note says so. */
static reaction cf_done(app *a, api_result *r)
{
	char err[200];
	a->req_cf = 0;
	if (r->ok && cfmeta_parse(r->json, a->opt->so_language ? a->opt->so_language : a->opt->lang, &a->cf, err,
	                          sizeof err) == 0) {
		a->cf_loaded = true;
		return rx(RX_ROWS | RX_REDRAW);
	}
	cfmeta_free(&a->cf);
	app_status(a, ROLE_STATUS, "Custom fields are shown by key: their definitions are unavailable (%s)",
	           r->ok ? err : r->message);
	return rx(RX_REDRAW);
}

/* The MDO list arrived: cache it and hand it to the screen that asked. */
static reaction list_done(app *a, api_result *r)
{
	const char *name = a->req_list_name;
	const stack_entry *t = top(a);
	const cJSON *list = NULL;
	a->req_list = 0;
	if (r->ok && cJSON_IsArray(r->json)) {
		if (!a->lists)
			a->lists = cJSON_CreateObject();
		cJSON_DeleteItemFromObjectCaseSensitive(a->lists, name);
		cJSON_AddItemToObject(a->lists, name, api_result_take_json(r));
		list = json_get(a->lists, name);
		app_status_clear(a);
	}
	if (t->st != a->req_list_st || !t->ops->list_done)
		return rx(RX_REDRAW);  /* the screen that asked is gone: keep it cached */
	return t->ops->list_done(a, t->st, name, list, r->ok ? "empty" : r->message);
}

static void apply_reaction(app *a, reaction r);

/* Start a screen's request; its answer goes to the screen on top now. */
static void start_request(app *a, app_request *q)
{
	int id;
	if (a->nreqs >= MAX_REQUESTS) {
		app_status(a, ROLE_ERROR, "Too many requests in flight (Esc cancels)");
		request_free(q);
		return;
	}
	id = q->post ? api_post_query(a->api, q->path, (const char *const *)q->query, q->body)
	             : api_get(a->api, q->path, (const char *const *)q->query);
	a->reqs[a->nreqs].id = id;
	a->reqs[a->nreqs].st = top(a)->st;
	a->reqs[a->nreqs].tag = q->tag;
	a->nreqs++;
	request_free(q);
}

/* The answer to a screen's request: to the screen that asked, if still there. */
static reaction screen_answer(app *a, int k, api_result *r)
{
	screen_request q = a->reqs[k];
	a->reqs[k] = a->reqs[--a->nreqs];
	for (int i = a->nstack - 1; i >= 0; i--)
		if (a->stack[i].st == q.st && a->stack[i].ops->answer)
			return a->stack[i].ops->answer(a, q.st, q.tag, r);
	return rx(0);
}

static int find_request(const app *a, int id)
{
	for (int i = 0; i < a->nreqs; i++)
		if (a->reqs[i].id == id)
			return i;
	return -1;
}

reaction app_merged(app *a, save_trigger t, model_merge_report *rep)
{
	save_out o;
	save_merged(&a->save, &a->m, t, rep, &o);
	return carry_out(a, &o);
}

/* The screens that wait for the save machine hear that it moved. */
static void tell_saved(app *a)
{
	for (int i = a->nstack - 1; i >= 0 && i < a->nstack; i--)
		if (a->stack[i].ops->event)
			apply_reaction(a, a->stack[i].ops->event(a, a->stack[i].st, APP_EV_SAVED, NULL, NULL));
	const char *n = a->save.st == SV_IDLE && !a->req_ticket ? desk_notice_take(a->desk) : NULL;
	if (n)  /* what a post said, after the reload that followed it */
		app_status(a, ROLE_STATUS, "%s; the ticket was read again", n);
}

/* Collect finished requests; results of cancelled requests never arrive. */
static bool poll_net(app *a)
{
	api_result *r;
	bool any = false;
	while ((r = api_next(a->api))) {
		reaction rx_ = rx(0);
		int k = find_request(a, r->id);
		int again = (r->id == a->req_ticket || r->id == a->req_list || r->id == a->req_cf || k >= 0) ?
		            reauth(a, r) : 0;
		if (again) {  /* the same request with fresh credentials: the answer is still to come */
			if (r->id == a->req_ticket)
				a->req_ticket = again;
			else if (r->id == a->req_list)
				a->req_list = again;
			else if (r->id == a->req_cf)
				a->req_cf = again;
			else
				a->reqs[k].id = again;
			api_result_free(r);
			any = true;
			continue;
		}
		bool saved = false;
		if (k >= 0)
			rx_ = screen_answer(a, k, r);
		else if (a->req_ticket && r->id == a->req_ticket)
			rx_ = ticket_done(a, r), saved = a->loaded;
		else if (a->req_list && r->id == a->req_list)
			rx_ = list_done(a, r);
		else if (a->req_cf && r->id == a->req_cf)
			rx_ = cf_done(a, r);
		api_result_free(r);
		apply_reaction(a, rx_);
		if (saved)
			tell_saved(a);
		any = true;
	}
	return any;
}

/* ---- reactions ------------------------------------------------------------ */

static void to_save(app *a, save_event ev, bool quit_after)
{
	save_out o;
	save_event_do(&a->save, &a->m, ev, quit_after, &o);
	apply_reaction(a, carry_out(a, &o));
}

/* C-z: the draft is on disk already (journaled after every key); restore
 * the terminal, stop, and repaint when continued. */
static void suspend(app *a)
{
	if (ui_headless() || a->rp) {
		app_status(a, ROLE_STATUS, "C-z suspends only on a terminal");
		return;
	}
	journal(a);
	ui_suspend();
	a->full = a->dirty = true;
	app_status(a, ROLE_STATUS, "Continued%s", app_busy(a) ? " (the request in flight goes on)" : "");
}

static int check_draft(app *a, char *err, size_t errlen);
static void say_draft_kept(app *a, int rc);

/* Leave the ticket — its edits journaled, or dropped when the user
 * discarded them — and load ticket ID in its place (from the picker). */
static void switch_ticket(app *a, long id)
{
	char note[700], err[1024];
	int n = a->loaded ? model_modified(&a->m) : 0;
	size_t c = a->loaded ? model_nclashes(&a->m) : 0;
	long old = a->opt->ticket_id;
	note[0] = '\0';
	if (a->loaded && a->discarded) {
		draft_sync_discard(&a->ds, a->opt->url, old, err, sizeof err);
	} else if (a->loaded) {
		journal(a);
		if (desk_note_get(a->desk) && n == 0 && c == 0 && a->ds.owned)
			snprintf(note, sizeof note, " (ticket %ld: the unposted note kept as a draft)", old);
		if (desk_note_get(a->desk) && n == 0 && c == 0) {
			say_draft_kept(a, 3);
			a->left_rc = 3;
		}
		if (n > 0 || c > 0) {  /* said again when the program ends; its status is 3 then */
			say_draft_kept(a, 3);
			a->left_rc = 3;
		}
		if ((n > 0 || c > 0) && a->ds.owned)
			snprintf(note, sizeof note, " (ticket %ld: %d unsaved edit%s kept as a draft)", old, n,
			         n == 1 ? "" : "s");
		else if (n > 0 || c > 0)
			snprintf(note, sizeof note, " (ticket %ld: %d unsaved edit%s NOT kept: %s)", old, n,
			         n == 1 ? "" : "s", a->draft_note[0] ? a->draft_note : "an earlier draft was kept");
	}
	ticket_reset(a);
	a->opt->ticket_id = id;
	a->full = true;
	if (check_draft(a, err, sizeof err) != 0) {
		ticket_reset(a);
		apply_reaction(a, picker_open(a));
		app_status(a, ROLE_ERROR, "%s", err);
		return;
	}
	a->picked = true;
	start_load(a);
	snprintf(a->left_note, sizeof a->left_note, "%s", note);
	if (note[0])
		app_status(a, ROLE_STATUS, "Loading ticket %ld…%s", id, note);
}

/* RX_OPEN: ticket ID in place of this one; with unsaved edits the quit
 * prompt asks first (its choice comes back through quit()). */
static void open_ticket(app *a, long id)
{
	if (a->loaded && id == a->opt->ticket_id) {
		app_status(a, ROLE_STATUS, "Ticket %ld is open already", id);
		return;
	}
	if (a->loaded && (model_modified(&a->m) > 0 || model_nclashes(&a->m) > 0 || desk_note_get(a->desk))) {
		a->next_ticket = id;
		push(a, &quit_screen, NULL);
		return;
	}
	switch_ticket(a, id);
}

static void quit(app *a, reaction r)
{
	long next = a->next_ticket;
	if (r.flags & RX_DISCARD) {
		a->discarded = true;
		desk_note_drop(a->desk);
		a->exit_code = 0;
	} else if (r.flags & RX_KEEP) {
		a->exit_code = 3;
	}
	if (next) {  /* leaving for another ticket, not the program */
		switch_ticket(a, next);
		return;
	}
	a->done = true;
}

/* RX_EXTERNAL: TEXT (taken) edited in $VISUAL or $EDITOR with the
 * terminal restored around it (def_prog_mode/endwin, as the re-prompt);
 * the result goes to the top screen's event op. The file is the user's
 * alone (0600, mkstemp in $TMPDIR) and removed after. */
static void external_edit(app *a, char *text)
{
	const char *ed = getenv("VISUAL");
	char err[300] = "", *out = NULL;
	if (!ed || !*ed)
		ed = getenv("EDITOR");
	if (!ed || !*ed || ui_headless() || a->rp)
		snprintf(err, sizeof err, "No $VISUAL or $EDITOR, or no terminal to run it on");
	else {
		journal(a);  /* the note as it is, in case the line drops meanwhile */
		def_prog_mode();
		endwin();
		out = app_edit_text(ed, text ? text : "", err, sizeof err);
		reset_prog_mode();
		a->full = a->dirty = true;
	}
	free(text);
	const stack_entry *t = top(a);
	if (t->ops->event)
		apply_reaction(a, t->ops->event(a, t->st, APP_EV_EDITED, out, err));
	free(out);
}

static void apply_reaction(app *a, reaction r)
{
	if (!r.flags) {
		free(r.text);
		return;
	}
	if (r.flags & RX_CANCEL) {
		/* the custom field definitions load behind a usable form: Esc stops
		 * it only when nothing in the foreground is waiting */
		bool cf_only = !a->nreqs && !a->req_list && !a->req_ticket;
		while (a->nreqs) {  /* each screen learns its request was cancelled (sent or not: unknown) */
			api_result c;
			memset(&c, 0, sizeof c);
			c.id = a->reqs[0].id;
			c.curl_code = -1;
			c.sent = true;
			snprintf(c.message, sizeof c.message, "cancelled");
			api_cancel(a->api, c.id);
			app_status(a, ROLE_STATUS, "Cancelled");
			apply_reaction(a, screen_answer(a, 0, &c));
		}
		if (a->req_list) {
			api_cancel(a->api, a->req_list);
			a->req_list = 0;
			app_status(a, ROLE_STATUS, "Cancelled");
		}
		if (a->req_cf && cf_only) {
			api_cancel(a->api, a->req_cf);
			a->req_cf = 0;
			app_status(a, ROLE_STATUS, "Cancelled: custom fields are shown by key");
		}
		if (a->req_ticket && a->loaded) {
			to_save(a, SE_CANCEL, false);
		} else if (a->req_ticket && a->picked) {  /* back to the picker */
			long id = a->opt->ticket_id;
			ticket_reset(a);
			apply_reaction(a, picker_open(a));
			app_status(a, ROLE_STATUS, "Loading ticket %ld cancelled", id);
		} else if (a->req_ticket) {
			api_cancel(a->api, a->req_ticket);
			a->req_ticket = 0;
			snprintf(a->fatal, sizeof a->fatal, "loading ticket %ld cancelled", a->opt->ticket_id);
			app_stop(a, 2);
		}
	}
	if (r.flags & RX_DRAFT_DISCARD) {
		char err[512];
		if (draft_discard(a->opt->url, a->opt->ticket_id, err, sizeof err) < 0)
			app_status(a, ROLE_ERROR, "%s", err);
	}
	if (r.flags & RX_DRAFT_HOLD)
		a->ds.hold = true;
	if (r.flags & RX_DRAFT_RESTORED)
		draft_sync_restored(&a->ds);
	if ((r.flags & RX_POP) && top(a)->ops == &quit_screen && !(r.flags & (RX_QUIT | RX_SAVE)))
		a->next_ticket = 0;  /* Esc on the prompt: stay on this ticket */
	if (r.flags & RX_POP)
		pop(a);
	if (r.flags & RX_PUSH) {
		push(a, r.push, r.state);
		if (r.push->opened)
			apply_reaction(a, r.push->opened(a, r.state));
	}
	if (r.flags & RX_RESOLVED)
		to_save(a, SE_RESOLVED, false);
	if (r.flags & RX_ROWS)
		rebuild_rows(a);
	if (r.flags & RX_GOTO)
		goto_path(a, r.path);
	if (r.flags & RX_SAVE)
		to_save(a, SE_SAVE, (r.flags & RX_QUIT_SAVE) != 0);
	if (r.flags & RX_RELOAD)
		to_save(a, SE_RELOAD, false);
	if ((r.flags & RX_CONFLICTS) && !on_stack(a, &conflict_screen)) {
		reaction c = conflict_screen_open();
		push(a, c.push, c.state);
	}
	if (r.flags & RX_LIST)
		start_list(a, r.list);
	if (r.flags & RX_REQUEST)
		start_request(a, r.request);
	if (r.flags & RX_EXTERNAL)
		external_edit(a, r.text);
	if (r.flags & RX_SUSPEND)
		suspend(a);
	if (r.flags & RX_FULL)
		a->full = true;
	if (r.flags & RX_OPEN)
		open_ticket(a, r.ticket);
	if (r.flags & RX_QUIT)
		quit(a, r);
	a->dirty = true;
}

/* The central key dispatcher: the top screen's action for K, then its
 * handler. Before the ticket is loaded only quit, cancel and redraw work. */
static reaction dispatch(app *a, tkey k)
{
	const stack_entry *t = top(a);
	action_id act;
	if (k == TK_FN(KEY_RESIZE))
		return rx(RX_FULL | RX_REDRAW);
	act = action_for_key(t->ops->sc, k);
	if (act == ACT_SUSPEND)
		return rx(RX_SUSPEND | RX_REDRAW);
	if (!a->loaded && a->req_ticket) {  /* a ticket is loading (the picker and its help work without one) */
		if (act == ACT_CANCEL && a->picked)
			return rx(RX_CANCEL | RX_REDRAW);  /* back to the picker */
		if (act == ACT_QUIT || act == ACT_CANCEL)
			return rx(RX_CANCEL | RX_QUIT);
		return act == ACT_REDRAW ? rx(RX_FULL | RX_REDRAW) : rx(0);
	}
	return t->ops->key(a, t->st, act, k);
}

/* ---- input -------------------------------------------------------------- */

/* The recording cannot be written (ERRNUM): it stops, the status line
 * says so now and stderr at the end, so nobody takes a cut recording for a
 * whole one. The session goes on. */
static void rec_stop(app *a, int errnum)
{
	snprintf(a->rec_err, sizeof a->rec_err, "the recording %s stopped: %s; the keys after that are not in it",
	         a->opt->record, strerror(errnum ? errnum : EIO));
	fclose(a->rec);
	a->rec = NULL;
	app_status(a, ROLE_ERROR, "Recording stopped: %s", strerror(errnum ? errnum : EIO));
}

/* Close the recording at the end (its last line finished); a failure to
 * write it out is said like one during the session. */
static void rec_close(app *a)
{
	if (!a->rec)
		return;
	if (a->rec_partial)
		fputc('\n', a->rec);
	if (fflush(a->rec) != 0 || ferror(a->rec))
		rec_stop(a, errno);
	else if (fclose(a->rec) != 0)
		snprintf(a->rec_err, sizeof a->rec_err, "the recording %s may be incomplete: %s", a->opt->record,
		         strerror(errno));
	a->rec = NULL;
}

static void rec_key(app *a, tkey k)
{
	char buf[32];
	if (!a->rec)
		return;
	buf[0] = 0;
	replay_format_key(k, buf, sizeof buf);
	fputs(buf, a->rec);
	a->rec_partial = k != TK_ENTER;
	if (k == TK_ENTER)
		fputc('\n', a->rec);
	if (fflush(a->rec) != 0 || ferror(a->rec))
		rec_stop(a, errno);
}

/* The one input function: a key from the replay file or the terminal, or
 * TK_NONE after waiting (bounded) for the network or the terminal. */
static tkey next_input(app *a)
{
	tkey k;
	if (a->rp) {
		if (app_busy(a)) {
			api_wait(a->api, -1, 100);
			return TK_NONE;
		}
		k = replay_next_key(a, a->rp);
		if (replay_ended(a->rp))
			a->done = true;  /* as if the keyboard closed */
		return k;
	}
	k = ui_getkey();
	if (k == TK_NONE) {
		api_wait(a->api, ui_input_fd(), app_busy(a) ? 100 : 1000);
		k = ui_getkey();
	}
	if (k != TK_NONE && k != TK_FN(KEY_RESIZE))
		rec_key(a, k);
	return k;
}

/* On a signal: the value being typed in the line editor is an edit too
 * (committed if it is valid), so a dropped line keeps it in the draft. */
static void commit_typed(app *a)
{
	if (a->loaded && !strcmp(top(a)->ops->name, "edit"))
		apply_reaction(a, dispatch(a, TK_ENTER));
}

static void run(app *a)
{
	long last_spin = now_ms();
	if (a->opt->ticket_id)
		start_load(a);
	else
		apply_reaction(a, picker_open(a));  /* no TICKET_ID: choose one */
	a->dirty = true;
	while (!a->done) {
		tkey k;
		if (poll_net(a)) {
			a->dirty = true;
			journal(a);
		}
		if (ed_signal) {
			commit_typed(a);
			journal(a);
			if (!a->loaded) {
				snprintf(a->fatal, sizeof a->fatal, "interrupted by signal %d", (int)ed_signal);
				a->exit_code = 2;
			}
			break;
		}
		if (a->done)
			break;
		if (app_busy(a) && now_ms() - last_spin >= 100) {
			long st, left = api_retry_in(a->api, 0, &st);
			a->spin++;
			last_spin = now_ms();
			a->dirty = true;
			if (left > 0 && strstr(a->status, "the service asks to wait")) {
				/* the countdown goes on: the history keeps its start only */
				snprintf(a->status, sizeof a->status, "HTTP %ld: the service asks to wait; retrying "
				         "in %ld s (Esc cancels)", st, left);
				a->status_role = ROLE_STATUS;
			} else if (left > 0) {
				app_status(a, ROLE_STATUS, "HTTP %ld: the service asks to wait; retrying in %ld s "
				           "(Esc cancels)", st, left);
			}
		}
		if (a->dirty)
			frame(a);
		if (!a->rp && ui_headless() && a->loaded && !app_busy(a)) {
			/* headless without a replay: nothing will ever be typed */
			snprintf(a->fatal, sizeof a->fatal, "headless without --replay: ticket %ld loaded, "
			         "nothing to do", a->opt->ticket_id);
			break;
		}
		k = next_input(a);
		if (k != TK_NONE) {
			apply_reaction(a, dispatch(a, k));
			journal(a);
		}
	}
	if (ed_signal && !a->discarded)  /* a signal that ended a replay's read */
		commit_typed(a);
	if (a->discarded) {
		char err[512];
		draft_sync_discard(&a->ds, a->opt->url, a->opt->ticket_id, err, sizeof err);
	} else {
		journal(a);
	}
	if (!a->fatal[0] && a->exit_code != 4 && !a->discarded && a->loaded &&
	    (model_modified(&a->m) > 0 || model_nclashes(&a->m) > 0 || desk_note_get(a->desk)))
		a->exit_code = 3;
}

/* ---- start-up ----------------------------------------------------------- */

/* Add WHAT to the start-up NOTE ("; " between). */
static void note_add(char *note, size_t n, const char *what)
{
	size_t l = strlen(note);
	snprintf(note + l, n - l, "%s%s", l ? "; " : "", what);
}

/* The theme asked for (NOTE: why it is mono when it falls back). */
static int load_theme(const options *o, theme *t, bool *color, char *note, size_t nlen)
{
	const char *name = o->theme ? o->theme : getenv("TICKETED_THEME");
	const char *nc = getenv("NO_COLOR");
	char err[512];
	*color = !(o->no_color || (nc && *nc));
	if (!*color) {  /* asked for: nothing to say */
		theme_mono(t);
		return 0;
	}
	if (theme_load(name && *name ? name : "default", t, err, sizeof err) < 0) {
		char *e;
		if (name && *name) {
			e = text_sanitize(err, -1);
			fprintf(stderr, "ticketed: %s\n", e);
			free(e);
			return -1;
		}
		theme_mono(t);  /* the default theme is not installed: mono always works */
		note_add(note, nlen, "no colours: the default theme was not found (--theme FILE, "
		         "$TICKETED_THEMES or make install)");
	}
	return 0;
}

/* After the screen is open: why a theme with colours shows in mono. */
static void theme_fallback_note(const theme *t, bool color, char *note, size_t nlen)
{
	const char *term = getenv("TERM");
	char why[300];
	if (!color || strstr(note, "no colours") || t->colors_needed == 0)
		return;
	if (!has_colors())
		snprintf(why, sizeof why, "no colours: this terminal (TERM=%.40s) has none; theme %.60s shown "
		         "in mono", term ? term : "", t->name);
	else if (COLORS < t->colors_needed)
		snprintf(why, sizeof why, "no colours: theme %.60s needs %d colours, this terminal (TERM=%.40s) "
		         "has %d; shown in mono", t->name, t->colors_needed, term ? term : "", COLORS);
	else
		return;
	note_add(note, nlen, why);
}

static void app_free(app *a)
{
	while (a->nstack > 1)
		pop(a);
	if (a->nstack && a->stack[0].ops->free)
		a->stack[0].ops->free(a->stack[0].st);
	if (a->loaded)
		model_free(&a->m);
	save_free(&a->save);
	form_rows_free(&a->form.rows);
	cJSON_Delete(a->lists);
	cfmeta_free(&a->cf);
	replay_free(a->rp);
	rec_close(a);
	if (a->api)
		api_free(a->api);
	draft_sync_free(&a->ds);
	for (size_t i = 0; i < a->nhist; i++)
		free(a->hist[(a->hist_first + i) % MAX_HISTORY].text);
	free(a->hist);
	for (size_t i = 0; i < a->nsaved; i++)
		free(a->saved[i]);
	free(a->saved);
	desk_free(a->desk);
	cJSON_Delete(a->dbase);
	cJSON_Delete(a->dedits);
}

/* A draft of this ticket on this URL, before anything is loaded or sent:
 * the --draft policy decides. 0 go on, or the exit status (4) with the
 * message in ERR. */
static int check_draft(app *a, char *err, size_t errlen)
{
	char e2[512], age[64];
	char *fields;
	int r = draft_exists(a->opt->url, a->opt->ticket_id, e2, sizeof e2);
	if (r < 0) {
		a->ds.hold = true;  /* never overwrite a draft we cannot read */
		a->drafts_off = true;
		snprintf(a->draft_note, sizeof a->draft_note, "%s", e2);
		return 0;
	}
	if (r == 0)
		return 0;
	if (a->draft == DRAFT_DISCARD) {
		if (draft_discard(a->opt->url, a->opt->ticket_id, e2, sizeof e2) < 0) {
			seterr(err, errlen, "%s", e2);
			return 4;
		}
		return 0;
	}
	if (a->draft == DRAFT_KEEP) {
		a->ds.hold = true;
		snprintf(a->draft_note, sizeof a->draft_note, "the earlier draft of this ticket was kept (--draft keep)");
		return 0;
	}
	r = draft_read(a->opt->url, a->opt->ticket_id, &a->dbase, &a->dedits, a->dsaved, sizeof a->dsaved,
	               e2, sizeof e2);
	if (r < 0) {
		if (a->draft == DRAFT_FAIL || a->draft == DRAFT_RESTORE) {
			seterr(err, errlen, "%s", e2);
			return 4;
		}
		a->ds.hold = true;
		a->drafts_off = true;
		snprintf(a->draft_note, sizeof a->draft_note, "%s", e2);
		return 0;
	}
	if (a->draft != DRAFT_FAIL)
		return 0;
	fields = draft_fields_text(a->dedits);
	draft_age_text(a->dsaved, age, sizeof age);
	{
		char *s = text_sanitize(fields, 200);
		seterr(err, errlen, "ticket %ld has an unsaved draft from %s (%s) with edits of %s; nothing was "
		       "sent: pass --draft restore, --draft discard or --draft keep", a->opt->ticket_id,
		       a->dsaved, age, s);
		free(s);
	}
	free(fields);
	return 4;
}

/* Open the session: the replay, the draft policy, the api client, the
 * recording, the theme and the screen. With CHECK, the draft of the one
 * ticket is looked at first, before any credential is asked for or the
 * screen opens (a script that meets a draft stops before anything). */
static int open_editor(app *a, options *o, bool check, char *err, size_t errlen)
{
	api_config cfg;
	theme t;
	char tnote[400] = "";
	bool color, headless;
	int rc;
	headless = o->headless || !isatty(1);
	value_dates_init(o->server_timezone);
	if (o->replay && !(a->rp = replay_load(o->replay, err, errlen)))
		return 4;
	if (a->batch && a->rp && replay_rewind(a->rp) < 0) {
		seterr(err, errlen, "%s: a replay read from a pipe runs on one ticket only", o->replay);
		return 1;
	}
	if (!o->ticket_id && !o->replay && (headless || !isatty(0))) {
		seterr(err, errlen, "no TICKET_ID: the ticket picker needs a terminal (or --replay FILE)");
		return 1;
	}
	a->draft = o->draft != DRAFT_DEFAULT ? o->draft :
	           (o->replay || headless || !isatty(0)) ? DRAFT_FAIL : DRAFT_ASK;
	if (check && o->ticket_id && (rc = check_draft(a, err, errlen)) != 0)
		return rc;
	if (options_api_config(o, !o->replay && isatty(0), &cfg, err, errlen) < 0)
		return 1;
	value_set_language(o->so_language ? o->so_language : o->lang);  /* multi-language names */
	a->api = api_new(&cfg, err, errlen);
	options_forget_secrets(o);  /* the api holds its own copy */
	if (!a->api)
		return 1;
	if (o->record && !(a->rec = app_private_file(o->record, err, errlen)))
		return 1;
	if (o->ticket_id && !a->batch && check) {
		/* the ticket's GET goes out now and the service answers while the
		 * terminal is set up (run() takes it up) */
		a->req_ticket = api_get_ticket(a->api, o->ticket_id);
		api_kick(a->api);
	}
	if (load_theme(o, &t, &color, tnote, sizeof tnote) < 0) {
		err[0] = 0;
		return 1;
	}
	if (!headless && !o->replay && !isatty(0)) {
		seterr(err, errlen, "standard input is not a terminal (use --replay FILE or --headless)");
		return 1;
	}
	if (ui_open(headless, o->cols > 0 ? o->cols : 80, o->rows > 0 ? o->rows : 24, &t, color,
	            err, errlen) < 0)
		return 1;
	if (!headless) {  /* headless renders attributes only, by design: nothing to say */
		theme_fallback_note(&t, color, tnote, sizeof tnote);
		if (tnote[0])
			note_add(a->start_note, sizeof a->start_note, tnote);
	}
	return 0;
}

static void restore_terminal(void) { ui_close(); }

/* ---- what is said when a ticket is done ----------------------------------- */

/* A line for F (stdout: the command's result; stderr: what went wrong, a
 * draft kept): said at once while nothing is drawn on the terminal (before
 * the screen opens, or headless), else kept until it is given back. */
static void emit(app *a, FILE *f, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void emit(app *a, FILE *f, const char *fmt, ...)
{
	va_list ap;
	char *text;
	va_start(ap, fmt);
	if (vasprintf(&text, fmt, ap) < 0)
		text = NULL;
	va_end(ap);
	if (!text)
		return;
	if (!ui_is_open() || ui_headless()) {
		fputs(text, f);
		fflush(f);
		free(text);
		return;
	}
	a->out = xreallocarray(a->out, a->nout + 1, sizeof *a->out);
	a->out[a->nout].f = f;
	a->out[a->nout++].text = text;
}

/* What emit kept, once the terminal is back. */
static void flush_out(app *a)
{
	for (size_t i = 0; i < a->nout; i++) {
		fputs(a->out[i].text, a->out[i].f);
		free(a->out[i].text);
	}
	free(a->out);
	a->out = NULL;
	a->nout = 0;
	fflush(stdout);
	fflush(stderr);
}

/* The fields saved in this session, ", "-separated (sanitised), or NULL. */
static char *saved_fields(app *a)
{
	char *out = NULL;
	for (size_t i = 0; i < a->nsaved; i++) {
		char *s = text_sanitize(a->saved[i], 60), *t = out ? xstr_join(out, ", ", s) : xstrdup(s);
		free(out);
		free(s);
		out = t;
	}
	return out;
}

/* After the terminal is back: "900 saved: Title, Owner" when this session
 * saved something. It is the command's result, so it goes to stdout (a
 * script can read it; the screen never used stdout: a terminal is restored
 * first, a headless screen is drawn to /dev/null); what went wrong and
 * drafts kept go to stderr. */
static void say_saved(app *a)
{
	char *f = saved_fields(a);
	if (f)
		emit(a, stdout, "%ld saved: %s\n", a->opt->ticket_id, f);
	free(f);
}

/* The one line said on stderr whenever a run ends keeping a draft. */
static void say_draft_kept(app *a, int rc)
{
	cJSON *edits;
	char *fields, *s, path[1200];
	int n = model_modified(&a->m);
	if (rc != 3 || !a->loaded)
		return;
	if (a->save_failed[0]) {  /* why the edits are not saved: a headless run has no screen to read it on */
		char *why = text_sanitize(a->save_failed, 600);
		emit(a, stderr, "ticketed: ticket %ld: %s\n", a->opt->ticket_id, why ? why : a->save_failed);
		free(why);
	}
	if (!a->ds.owned) {
		emit(a, stderr, "ticketed: %d unsaved edit%s NOT kept as a draft (%s)\n", n, n == 1 ? "" : "s",
		     a->draft_note[0] ? a->draft_note : "an earlier draft of this ticket was kept for later");
		return;
	}
	edits = draft_edits_from_model(&a->m);
	if (desk_note_get(a->desk))
		cJSON_AddItemToArray(edits, desk_note_json(a->desk));
	fields = draft_fields_text(edits);
	s = text_sanitize(fields, 300);
	if (draft_path(a->opt->url, a->opt->ticket_id, path, sizeof path) < 0)
		snprintf(path, sizeof path, "(the drafts directory)");
	char what[64];
	const desk_note *dn = desk_note_get(a->desk);
	const char *kind = dn && dn->reply ? "reply" : "note";
	if (n == 0 && dn)
		snprintf(what, sizeof what, "an unposted %s", kind);
	else if (dn)
		snprintf(what, sizeof what, "%d unsaved edit%s and an unposted %s", n, n == 1 ? "" : "s", kind);
	else
		snprintf(what, sizeof what, "%d unsaved edit%s", n, n == 1 ? "" : "s");
	emit(a, stderr, "ticketed: %s kept as a draft: %s (%s); open ticket %ld again to restore it\n", what,
	     path, s, a->opt->ticket_id);
	free(s);
	free(fields);
	cJSON_Delete(edits);
}

/* A locale that names no character set (C, POSIX: plain ASCII) says
 * nothing about the terminal, and in it ncurses drops every key that is not
 * ASCII (typing "Ø" gave nothing at all). Such a terminal is nearly always
 * UTF-8 today (an SSH session without LANG), so the characters are read and
 * written as UTF-8 then; NOTE says so. A locale with a character set
 * (UTF-8, ISO-8859-1...) is the terminal's and is kept. */
static void utf8_terminal(char *note, size_t n)
{
	const char *cs = nl_langinfo(CODESET);
	if (!cs || (strcmp(cs, "ANSI_X3.4-1968") && strcmp(cs, "ASCII") && strcmp(cs, "US-ASCII")))
		return;
	if (setlocale(LC_CTYPE, "C.UTF-8") || setlocale(LC_CTYPE, "C.utf8"))
		snprintf(note, n, "the locale names no character set: the terminal is taken as UTF-8 "
		         "(set LANG, e.g. LANG=C.UTF-8)");
	else
		snprintf(note, n, "the locale names no character set and C.UTF-8 is missing: keys other "
		         "than ASCII cannot be read (set LANG to a UTF-8 locale)");
}

/* A batch's line for the ticket that ended with status RC: "900 saved",
 * "901 nothing to save", "902 conflict: edits kept as draft"... on stdout. */
static void say_outcome(app *a, int rc)
{
	long id = a->opt->ticket_id;
	const char *rep = a->rp ? replay_report(a->rp) : "";
	char *why = NULL;
	if (rc == 2) {
		why = text_sanitize(a->fatal[0] ? a->fatal : "the ticket could not be loaded", 300);
		emit(a, stdout, "%ld not loaded: %s\n", id, why);
	} else if (rc == 4 && rep[0]) {
		char first[600];
		snprintf(first, sizeof first, "%.*s", (int)strcspn(rep, "\n"), rep);
		why = text_sanitize(first, 300);
		emit(a, stdout, "%ld script failed: %s%s\n", id, why,
		     a->loaded && a->ds.owned && model_modified(&a->m) > 0 ? "; edits kept as draft" : "");
	} else if (rc == 3 || rc == 4) {
		const char *kept = a->ds.owned ? "edits kept as draft" : "edits NOT kept (an earlier draft is there)";
		if (a->loaded && model_nclashes(&a->m) > 0) {
			emit(a, stdout, "%ld conflict: %s\n", id, kept);
		} else if (a->status_role == ROLE_ERROR && a->status[0]) {
			why = text_sanitize(a->status, 200);
			emit(a, stdout, "%ld not saved (%s): %s\n", id, why, kept);
		} else {
			emit(a, stdout, "%ld not saved: %s\n", id, kept);
		}
	} else if (a->discarded) {
		emit(a, stdout, "%ld edits discarded\n", id);
	} else if (a->nsaved) {
		char *f = saved_fields(a);
		emit(a, stdout, "%ld saved: %s\n", id, f);
		free(f);
	} else {
		emit(a, stdout, "%ld %s\n", id, a->saved_any ? "saved" : "nothing to save");
	}
	free(why);
}

/* A batch's --dry-run: the patch each ticket would have been sent. */
static void say_dry_run(app *a)
{
	cJSON *patch = a->loaded ? model_patch(&a->m, a->mode) : NULL;
	char *text = patch && cJSON_GetArraySize(patch) > 0 ? json_print(patch, false) : NULL;
	char *s = text ? text_sanitize(text, -1) : NULL;  /* test ops hold server text */
	if (s)
		emit(a, stdout, "%ld dry run: %s\n", a->opt->ticket_id, s);
	else
		emit(a, stdout, "%ld dry run: nothing to save\n", a->opt->ticket_id);
	free(s);
	free(text);
	cJSON_Delete(patch);
}

/* The end of one ticket's run: its exit status and what is said about it
 * (the replay's report, a fatal error, a draft kept; in a batch, one line). */
static int finish_ticket(app *a)
{
	int own = a->exit_code;  /* this ticket's; a ticket left earlier with a draft makes it 3 */
	int rc = own > a->left_rc ? own : a->left_rc;
	if (a->rp)
		rc = replay_finish(a->rp, rc);
	if (a->rp && replay_report(a->rp)[0])
		emit(a, stderr, "%s", replay_report(a->rp));
	if (a->fatal[0]) {
		char *s = text_sanitize(a->fatal, -1);
		emit(a, stderr, "ticketed: %s\n", s);
		free(s);
	}
	if (a->batch && a->opt->dry_run && (rc == 3 || rc == 0)) {
		say_dry_run(a);  /* nothing was sent and nothing is kept: a dry run of a batch */
		return 0;
	}
	if (a->batch)
		say_outcome(a, rc);
	else
		say_saved(a);
	if ((rc == 3 || (rc == 4 && a->ds.owned)) && a->loaded &&
	    (model_modified(&a->m) > 0 || model_nclashes(&a->m) > 0 || desk_note_get(a->desk)))
		say_draft_kept(a, 3);
	return rc;
}

/* Forget the ticket — screens, requests, model, rows, save machine, draft
 * state, exit status — and keep the session: options, the api client,
 * cached MDO lists, the replay, the recording, the terminal. */
static void ticket_reset(app *a)
{
	while (a->nstack > 1)
		pop(a);  /* cancels the screens' requests */
	for (int i = 0; i < a->nreqs; i++)
		api_cancel(a->api, a->reqs[i].id);
	a->nreqs = 0;
	if (a->req_ticket)
		api_cancel(a->api, a->req_ticket);
	if (a->req_list)
		api_cancel(a->api, a->req_list);
	a->req_ticket = a->req_list = 0;
	if (a->loaded)
		model_free(&a->m);
	memset(&a->m, 0, sizeof a->m);
	a->loaded = false;
	form_rows_free(&a->form.rows);
	memset(&a->form, 0, sizeof a->form);
	save_free(&a->save);
	save_init(&a->save, a->mode, a->opt->conflict == CONFLICT_STRICT, a->opt->dry_run);
	draft_sync_free(&a->ds);
	memset(&a->ds, 0, sizeof a->ds);
	desk_free(a->desk);  /* the conversation and the note are the ticket's */
	a->desk = desk_new();
	cJSON_Delete(a->dbase);
	cJSON_Delete(a->dedits);
	a->dbase = a->dedits = NULL;
	a->dsaved[0] = a->draft_note[0] = a->fatal[0] = a->left_note[0] = a->save_failed[0] = '\0';
	a->drafts_off = a->discarded = a->saved_any = a->picked = a->done = false;
	for (size_t i = 0; i < a->nsaved; i++)
		free(a->saved[i]);
	free(a->saved);
	a->saved = NULL;
	a->nsaved = 0;
	a->reauth_id = 0;
	a->next_ticket = 0;
	a->exit_code = 0;
	app_status_clear(a);
	a->full = a->dirty = true;
}

/* Run the session on ticket ID (CHECKED: its draft was looked at already):
 * its exit status. */
static int one_ticket(app *a, long id, bool checked)
{
	char err[1024];
	int rc;
	if (!checked) {  /* (the first ticket's state is fresh, and its draft may be waiting) */
		ticket_reset(a);
		a->opt->ticket_id = id;
	}
	if (a->rp)
		replay_rewind(a->rp);  /* the whole script again (a batch's replay is a regular file) */
	if (a->batch && a->opt->dry_run)
		a->ds.hold = true;  /* a batch's dry run keeps no draft and touches none */
	if (!checked && (rc = check_draft(a, err, sizeof err)) != 0) {
		char *s = text_sanitize(err, -1);
		emit(a, stderr, "ticketed: %s\n", s);
		free(s);
		if (a->batch)
			emit(a, stdout, "%ld not run: a draft is in the way (see above); nothing was sent\n", id);
		return rc;
	}
	run(a);
	return finish_ticket(a);
}

static void on_oom(void)
{
	ui_close();
}

int cmd_edit(int argc, char **argv)
{
	options o;
	app a;
	char err[1024];
	int rc, worst = 0;
	memset(&o, 0, sizeof o);
	memset(&a, 0, sizeof a);
	setlocale(LC_ALL, "");
	utf8_terminal(a.start_note, sizeof a.start_note);
	xalloc_set_oom_hook(on_oom);
	rc = options_parse(argc, argv, OPTIONS_IDS, &o, err, sizeof err);
	if (rc != 0) {
		if (rc < 0)
			fprintf(stderr, "ticketed: %s\nTry 'ticketed --help'.\n", err);
		options_free(&o);
		return rc < 0 ? 1 : 0;
	}
	a.batch = o.nids > 1 || o.ids_from;
	if (a.batch && !o.replay) {
		fprintf(stderr, "ticketed: several tickets are for a script: --replay FILE (interactively, "
		        "o opens another ticket)\nTry 'ticketed --help'.\n");
		options_free(&o);
		return 1;
	}
	a.opt = &o;
	a.desk = desk_new();
	a.mode = o.conflict == CONFLICT_NONE ? DIFF_NONE : DIFF_FIELDS;
	save_init(&a.save, a.mode, o.conflict == CONFLICT_STRICT, o.dry_run);
	a.nstack = 1;
	a.stack[0].ops = &form_screen;
	a.status_role = ROLE_STATUS;
	err[0] = 0;
	if ((rc = open_editor(&a, &o, !a.batch, err, sizeof err)) != 0) {
		if (err[0]) {
			char *s = text_sanitize(err, -1);
			fprintf(stderr, "ticketed: %s\n", s);
			free(s);
		}
		app_free(&a);
		options_free(&o);
		return rc;
	}
	atexit(restore_terminal);
	install_signals();
	if (!o.nids) {  /* the picker */
		run(&a);
		worst = finish_ticket(&a);
	}
	for (size_t i = 0; i < o.nids; i++) {
		if (ed_signal) {  /* a hang-up or ^C stops the batch */
			emit(&a, stdout, "%ld not run: interrupted by signal %d\n", o.ids[i], (int)ed_signal);
			rc = 2;
		} else {
			rc = one_ticket(&a, o.ids[i], !a.batch);
		}
		worst = rc > worst ? rc : worst;
	}
	ui_close();
	rec_close(&a);
	if (a.rec_err[0]) {
		char *s = text_sanitize(a.rec_err, -1);
		emit(&a, stderr, "ticketed: %s\n", s);
		free(s);
	}
	flush_out(&a);
	app_free(&a);
	options_free(&o);
	return worst;
}

/* replayrun.c — runs a replay file through the editor's one input path. A
 * regular file is read and checked whole first (replay_load), so a bad line
 * is an error before the ticket is loaded or anything is sent; then one
 * line at a time runs only after the previous one was fully handled. A
 * FIFO or pipe has no end to read first (a test or another program writes
 * it as the editor goes): its lines are checked as they arrive. */
#include <errno.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "loop.h"
#include "ticketed/display.h"
#include "ticketed/errmsg.h"
#include "ticketed/screens.h"
#include "ticketed/text.h"
#include "ticketed/xalloc.h"

struct replay {
	char *name;
	FILE *stream;       /* a FIFO or pipe read line by line, or NULL */
	int lineno;
	rp_line *lines;
	size_t n, next;     /* the lines and the next one to run */
	tkey *q;            /* keys of the current line not yet handled */
	size_t nq, qpos;
	bool has_exit, ended, failed;
	long expect_exit;
	int exit_line;
	char *report;       /* printed on stderr after the terminal is restored */
};

/* Append to the report. */
static void say(replay *r, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(replay *r, const char *fmt, ...)
{
	va_list ap;
	char buf[2048];
	size_t old = r->report ? strlen(r->report) : 0, n;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	r->report = xrealloc(r->report, old + n + 1);
	memcpy(r->report + old, buf, n + 1);
}

/* A directive's arguments that can be checked before the run. */
static int check_line(const rp_line *l, char *err, size_t errlen)
{
	char *dir, *copy;
	struct stat st;
	int ok;
	switch (l->kind) {
	case RP_RESIZE:
		if (l->num < 1 || l->num2 < 1 || l->num > 1000 || l->num2 > 1000) {
			seterr(err, errlen, "expected a size between 1x1 and 1000x1000, found %ldx%ld", l->num, l->num2);
			return -1;
		}
		return 0;
	case RP_DUMP:
		copy = xstrdup(l->arg);
		dir = dirname(copy);
		ok = stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && access(dir, W_OK) == 0;
		if (!ok)
			seterr(err, errlen, "expected :dump into a writable directory, found %s: %s", dir,
			       errno ? strerror(errno) : "not a writable directory");
		free(copy);
		return ok ? 0 : -1;
	case RP_EXPECT_EXIT:
		if (l->num < 0 || l->num > 255) {
			seterr(err, errlen, "expected an exit status 0..255, found %ld", l->num);
			return -1;
		}
		return 0;
	case RP_EXPECT_STATUS:
		if (l->num < 0 || l->num > 999) {
			seterr(err, errlen, "expected an HTTP status 0..999, found %ld", l->num);
			return -1;
		}
		return 0;
	case RP_EXPECT_MODIFIED:
	case RP_EXPECT_CONFLICTS:
		if (l->num < 0) {
			seterr(err, errlen, "expected a count of 0 or more, found %ld", l->num);
			return -1;
		}
		return 0;
	default:
		return 0;
	}
}

/* Read and check the next line of R->stream into *L: 1, 0 at the end, -1
 * with what is wrong in ERR (R->lineno is the line). */
static int read_line(replay *r, rp_line *l, char *err, size_t errlen)
{
	char *line = NULL, e[300];
	size_t cap = 0;
	ssize_t len = getline(&line, &cap, r->stream);
	if (len < 0) {
		free(line);
		if (ferror(r->stream) && errno == EINTR)
			return 0;  /* a signal (hang-up) ends the run as the end of the file would */
		if (ferror(r->stream)) {
			seterr(err, errlen, "cannot read the replay file: %s", strerror(errno));
			return -1;
		}
		return 0;
	}
	r->lineno++;
	if (len > 0 && line[len - 1] == '\n')
		line[len - 1] = 0;
	errno = 0;
	if (replay_parse_line(line, r->lineno, l, e, sizeof e) < 0 || check_line(l, e, sizeof e) < 0) {
		char *t = text_sanitize(e, -1);
		seterr(err, errlen, "%s", t);
		free(t);
		rp_line_free(l);
		free(line);
		return -1;
	}
	free(line);
	return 1;
}

replay *replay_load(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "r");
	struct stat st;
	replay *r;
	rp_line l;
	int k;
	if (!f) {
		seterr(err, errlen, "%s: cannot open the replay file: %s", path, strerror(errno));
		return NULL;
	}
	r = xcalloc(1, sizeof *r);
	r->name = xstrdup(path);
	r->stream = f;
	if (fstat(fileno(f), &st) == 0 && !S_ISREG(st.st_mode))
		return r;  /* a FIFO or pipe: checked line by line as it arrives */
	while ((k = read_line(r, &l, err, errlen)) > 0) {
		r->lines = xreallocarray(r->lines, r->n + 1, sizeof *r->lines);
		r->lines[r->n++] = l;
	}
	fclose(f);
	r->stream = NULL;
	if (k < 0) {
		char msg[600];
		snprintf(msg, sizeof msg, "%s", err);
		seterr(err, errlen, "%s:%d: %s", path, r->lineno, msg);
		replay_free(r);
		return NULL;
	}
	return r;
}

void replay_free(replay *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++)
		rp_line_free(&r->lines[i]);
	free(r->lines);
	if (r->stream)
		fclose(r->stream);
	free(r->name);
	free(r->report);
	free(r);
}

bool replay_ended(const replay *r) { return r->ended; }

int replay_rewind(replay *r)
{
	if (r->stream)
		return -1;
	r->next = r->nq = r->qpos = 0;
	r->q = NULL;
	r->ended = r->failed = r->has_exit = false;
	free(r->report);
	r->report = NULL;
	return 0;
}
const char *replay_report(const replay *r) { return r->report ? r->report : ""; }

/* Stop the run: the message, the screen, exit 4. */
static void fail(app *a, replay *r, int line, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void fail(app *a, replay *r, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	char *dump, *s;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	s = text_sanitize(msg, -1);
	say(r, "%s:%d: %s\n", r->name, line, s);
	free(s);
	dump = ui_dump();
	say(r, "--- screen (%dx%d) ---\n%s--- end of screen ---\n", COLS, LINES, dump);
	free(dump);
	r->failed = true;
	app_stop(a, 4);
}

static void expect_field(app *a, replay *r, const rp_line *l)
{
	form_view *fv = app_form(a);
	long i = form_find_path(&fv->rows, l->arg);
	char *raw, *shown;
	if (i < 0) {
		fail(a, r, l->lineno, "expected field %s \"%s\", found no such field", l->arg, l->text);
		return;
	}
	raw = form_row_text(app_model(a), &fv->rows.v[i], app_lists(a));
	shown = text_sanitize(raw, -1);
	if (strcmp(shown, l->text))
		fail(a, r, l->lineno, "expected field %s \"%s\", found \"%s\"", l->arg, l->text, shown);
	free(raw);
	free(shown);
}

static void expect_screen(app *a, replay *r, const rp_line *l, bool want)
{
	char *dump = ui_dump();
	bool found = strstr(dump, l->text) != NULL;
	free(dump);
	if (found != want)
		fail(a, r, l->lineno, "expected %s\"%s\" on the screen, found it %s", want ? "" : "no ", l->text,
		     found ? "there" : "missing");
}

static void dump_to(app *a, replay *r, const rp_line *l)
{
	char *dump = ui_dump(), err[300];
	FILE *f = app_private_file(l->arg, err, sizeof err);
	bool ok = f && fputs(dump, f) >= 0;
	if (f && !ok)
		snprintf(err, sizeof err, "%s: %s", l->arg, strerror(errno));
	if (f && fclose(f) != 0 && ok) {  /* a buffered write fails only here (/dev/full) */
		ok = false;
		snprintf(err, sizeof err, "%s: %s", l->arg, strerror(errno));
	}
	if (!ok)
		fail(a, r, l->lineno, "expected to write the screen to %s, could not: %s", l->arg, err);
	free(dump);
}

/* :expect conflict FIELD — the conflict screen is up and FIELD (a form path,
 * e.g. Title or CustomFields/x_note) is an open conflict. */
static void expect_conflict(app *a, replay *r, const rp_line *l)
{
	model *m = app_model(a);
	char list[400];
	size_t i, n = 0;
	if (strcmp(app_top_name(a), "conflict")) {
		fail(a, r, l->lineno, "expected conflict %s, found no conflict screen", l->arg);
		return;
	}
	if (model_clash_find(m, l->arg) >= 0)
		return;
	list[0] = 0;
	for (i = 0; i < m->nclashes && n < sizeof list; i++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "", m->clashes[i].path);
	fail(a, r, l->lineno, "expected conflict %s, found conflicts: %s", l->arg, list[0] ? list : "none");
}

static void run_directive(app *a, replay *r, const rp_line *l)
{
	model *m = app_model(a);
	int mod = m->base ? model_modified(m) : 0;
	switch (l->kind) {
	case RP_NOP:
	case RP_KEYS:
		break;
	case RP_EXPECT_SCREEN: expect_screen(a, r, l, true); break;
	case RP_EXPECT_NO_SCREEN: expect_screen(a, r, l, false); break;
	case RP_EXPECT_FIELD: expect_field(a, r, l); break;
	case RP_EXPECT_STATUS:
		if (app_save(a)->last_status != l->num)
			fail(a, r, l->lineno, "expected status %ld, found %ld", l->num, app_save(a)->last_status);
		break;
	case RP_EXPECT_MODIFIED:
		if (mod != l->num)
			fail(a, r, l->lineno, "expected %ld modified, found %d", l->num, mod);
		break;
	case RP_EXPECT_EXIT:
		r->has_exit = true;
		r->expect_exit = l->num;
		r->exit_line = l->lineno;
		break;
	case RP_EXPECT_CONFLICT: expect_conflict(a, r, l); break;
	case RP_EXPECT_CONFLICTS:
		if (strcmp(app_top_name(a), "conflict"))
			fail(a, r, l->lineno, "expected %ld conflicts, found no conflict screen", l->num);
		else if ((long)conflict_screen_listed(app_top_state(a)) != l->num)
			fail(a, r, l->lineno, "expected %ld conflicts, found %zu", l->num,
			     conflict_screen_listed(app_top_state(a)));
		break;
	case RP_RESIZE:
		ui_resize((int)l->num, (int)l->num2);
		app_repaint(a);
		break;
	case RP_DUMP: dump_to(a, r, l); break;
	}
}

/* The next line to run, or NULL at the end (or after a bad streamed line,
 * which fails the run). */
static const rp_line *next_line(app *a, replay *r)
{
	char err[600];
	rp_line l;
	int k;
	if (!r->stream)
		return r->next < r->n ? &r->lines[r->next++] : NULL;
	k = read_line(r, &l, err, sizeof err);
	if (k <= 0) {
		if (k < 0)
			fail(a, r, r->lineno, "%s", err);
		return NULL;
	}
	r->lines = xreallocarray(r->lines, r->n + 1, sizeof *r->lines);
	r->lines[r->n++] = l;
	r->next = r->n;
	return &r->lines[r->n - 1];
}

tkey replay_next_key(app *a, replay *r)
{
	const rp_line *l;
	if (r->ended || r->failed)
		return TK_NONE;
	if (r->qpos < r->nq)
		return r->q[r->qpos++];
	while ((l = next_line(a, r)) != NULL) {
		if (l->kind == RP_KEYS && l->nkeys) {
			r->q = l->keys;
			r->nq = l->nkeys;
			r->qpos = 1;
			return r->q[0];
		}
		if (l->kind == RP_NOP || l->kind == RP_KEYS)
			continue;
		run_directive(a, r, l);
		return TK_NONE;  /* let the loop redraw before the next line */
	}
	if (!r->failed)
		r->ended = true;
	return TK_NONE;
}

int replay_finish(replay *r, int code)
{
	if (r->failed)
		return 4;
	if (!r->has_exit)
		return code;
	if (code != r->expect_exit) {
		say(r, "%s:%d: expected exit %ld, found exit %d\n", r->name, r->exit_line, r->expect_exit, code);
		return 4;
	}
	return code;
}

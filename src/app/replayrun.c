/* replayrun.c — runs a replay file (SPEC 7) through the editor's one input
 * path, one line at a time, and records interactive keys (--record). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/display.h"
#include "ticketed/editor.h"
#include "ticketed/text.h"

int rp_open(ed *e, const char *path, char *err, size_t errlen)
{
	ed_replay *rp = calloc(1, sizeof *rp);
	rp->f = fopen(path, "r");
	if (!rp->f) {
		snprintf(err, errlen, "%s: cannot open the replay file", path);
		free(rp);
		return -1;
	}
	rp->name = path;
	e->rp = rp;
	return 0;
}

void rp_close(ed *e)
{
	if (!e->rp)
		return;
	if (e->rp->f)
		fclose(e->rp->f);
	free(e->rp->q);
	free(e->rp);
	e->rp = NULL;
}

/* Append to the text printed on stderr once the terminal is restored. */
static void say(ed *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void say(ed *e, const char *fmt, ...)
{
	va_list ap;
	char buf[2048];
	size_t old = e->fail_dump ? strlen(e->fail_dump) : 0, n;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	n = strlen(buf);
	e->fail_dump = realloc(e->fail_dump, old + n + 1);
	memcpy(e->fail_dump + old, buf, n + 1);
}

/* Stop the run: the message, the screen, exit 4. */
static void rp_fail(ed *e, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void rp_fail(ed *e, int line, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	char *dump;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	say(e, "%s:%d: %s\n", e->rp->name, line, msg);
	dump = ui_dump();
	say(e, "--- screen (%dx%d) ---\n", COLS, LINES);
	say(e, "%s", dump);
	say(e, "--- end of screen ---\n");
	free(dump);
	e->exit_code = 4;
	e->done = true;
}

static void expect_field(ed *e, const rp_line *l)
{
	long i = form_find_path(&e->rows, l->arg);
	char *raw, *shown;
	if (i < 0) {
		rp_fail(e, l->lineno, "expected field %s \"%s\", found no such field", l->arg, l->text);
		return;
	}
	raw = form_row_text(&e->m, &e->rows.v[i]);
	shown = text_sanitize(raw, -1);
	if (strcmp(shown, l->text))
		rp_fail(e, l->lineno, "expected field %s \"%s\", found \"%s\"", l->arg, l->text, shown);
	free(raw);
	free(shown);
}

static void expect_screen(ed *e, const rp_line *l, bool want)
{
	char *dump = ui_dump();
	bool found = strstr(dump, l->text) != NULL;
	free(dump);
	if (found != want)
		rp_fail(e, l->lineno, "expected %s\"%s\" on the screen, found it %s", want ? "" : "no ",
		        l->text, found ? "there" : "missing");
}

static void dump_to(ed *e, const rp_line *l)
{
	char *dump = ui_dump();
	FILE *f = fopen(l->arg, "w");
	if (!f || fputs(dump, f) < 0)
		rp_fail(e, l->lineno, "expected to write the screen to %s, could not", l->arg);
	if (f)
		fclose(f);
	free(dump);
}

/* :expect conflict FIELD — the conflict screen lists FIELD (a form path,
 * e.g. Title or CustomFields/x_note) as a conflict now. */
static void expect_conflict(ed *e, const rp_line *l)
{
	char list[400];
	size_t i, n = 0;
	if (ed_top(e) != SCR_CONFLICT) {
		rp_fail(e, l->lineno, "expected conflict %s, found no conflict screen", l->arg);
		return;
	}
	if (conflict_find(&e->cf, l->arg) >= 0)
		return;
	list[0] = 0;
	for (i = 0; i < e->cf.n && n < sizeof list; i++)
		if (e->cf.v[i].cls == M3_CONFLICT)
			n += (size_t)snprintf(list + n, sizeof list - n, "%s%s",
			                      n ? ", " : "", e->cf.v[i].path);
	rp_fail(e, l->lineno, "expected conflict %s, found conflicts: %s", l->arg, list);
}

/* Run one directive. */
static void run_directive(ed *e, const rp_line *l)
{
	int mod = e->loaded ? model_modified(&e->m) : 0;
	switch (l->kind) {
	case RP_NOP:
	case RP_KEYS:
		break;
	case RP_EXPECT_SCREEN: expect_screen(e, l, true); break;
	case RP_EXPECT_NO_SCREEN: expect_screen(e, l, false); break;
	case RP_EXPECT_FIELD: expect_field(e, l); break;
	case RP_EXPECT_STATUS:
		if (e->last_status != l->num)
			rp_fail(e, l->lineno, "expected status %ld, found %ld", l->num, e->last_status);
		break;
	case RP_EXPECT_MODIFIED:
		if (mod != l->num)
			rp_fail(e, l->lineno, "expected %ld modified, found %d", l->num, mod);
		break;
	case RP_EXPECT_EXIT:
		e->rp->has_exit = true;
		e->rp->expect_exit = l->num;
		e->rp->exit_line = l->lineno;
		break;
	case RP_EXPECT_CONFLICT: expect_conflict(e, l); break;
	case RP_EXPECT_CONFLICTS:
		if (ed_top(e) != SCR_CONFLICT)
			rp_fail(e, l->lineno, "expected %ld conflicts, found no conflict screen", l->num);
		else if ((long)e->cf.nconflicts != l->num)
			rp_fail(e, l->lineno, "expected %ld conflicts, found %zu", l->num, e->cf.nconflicts);
		break;
	case RP_RESIZE:
		if (l->num < 1 || l->num2 < 1 || l->num > 1000 || l->num2 > 1000) {
			rp_fail(e, l->lineno, "expected a size between 1x1 and 1000x1000, found %ldx%ld", l->num, l->num2);
			break;
		}
		ui_resize((int)l->num, (int)l->num2);
		e->full = e->dirty = true;
		break;
	case RP_DUMP: dump_to(e, l); break;
	}
}

/* Read and run lines until one yields keys; false at the end of the file
 * or when the run failed. */
static bool read_line(ed *e)
{
	ed_replay *rp = e->rp;
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	while (!e->done && (n = getline(&line, &cap, rp->f)) >= 0) {
		rp_line l;
		char err[256];
		rp->lineno++;
		if (n > 0 && line[n - 1] == '\n')
			line[n - 1] = 0;
		if (replay_parse_line(line, rp->lineno, &l, err, sizeof err) < 0) {
			rp_fail(e, rp->lineno, "expected a replay line, found an error: %s", err);
			break;
		}
		if (l.kind == RP_KEYS && l.nkeys) {
			free(rp->q);
			rp->q = l.keys;
			rp->nq = l.nkeys;
			rp->qpos = 0;
			l.keys = NULL;
			rp_line_free(&l);
			free(line);
			return true;
		}
		rp_kind kind = l.kind;
		run_directive(e, &l);
		rp_line_free(&l);
		if (kind != RP_NOP && kind != RP_KEYS) {
			free(line);
			return false;  /* let the loop redraw before the next line */
		}
	}
	free(line);
	if (!e->done && feof(rp->f)) {
		rp->eof = true;
		e->done = true;  /* as if the keyboard closed */
	}
	return false;
}

tkey rp_next_key(ed *e)
{
	ed_replay *rp = e->rp;
	if (rp->eof || e->done)
		return TK_NONE;
	if (rp->qpos < rp->nq)
		return rp->q[rp->qpos++];
	if (read_line(e))
		return rp->q[rp->qpos++];
	return TK_NONE;
}

int rp_finish(ed *e, int code)
{
	if (code == 4 || !e->rp->has_exit)
		return code;
	if (code != e->rp->expect_exit) {
		say(e, "%s:%d: expected exit %ld, found exit %d\n", e->rp->name, e->rp->exit_line,
		    e->rp->expect_exit, code);
		return 4;
	}
	return code;
}

void rec_key(ed *e, tkey k)
{
	char buf[32];
	if (!e->rec)
		return;
	buf[0] = 0;
	replay_format_key(k, buf, sizeof buf);
	fputs(buf, e->rec);
	e->rec_partial = k != TK_ENTER;
	if (k == TK_ENTER)
		fputc('\n', e->rec);
	fflush(e->rec);
}

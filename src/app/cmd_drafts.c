/* cmd_drafts.c — `ticketed drafts [--url URL]` lists the unsaved drafts;
 * `ticketed drafts --discard ID [--url URL]` removes the draft(s) of ticket
 * ID (on every URL unless --url is given). Exit 0 done, 1 usage error, an
 * unsafe draft directory, or nothing to discard.
 *
 * Everything printed from a draft file (title, URL, save time, field names,
 * even its path) goes through text_sanitize: no raw control bytes reach the
 * terminal. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "commands.h"
#include "ticketed/options.h"
#include "ticketed/draft.h"
#include "ticketed/num.h"
#include "ticketed/text.h"

typedef struct {
	long discard;        /* ticket id to discard, 0: list */
	const char *url;     /* --url, or NULL */
} drafts_opts;

static void drafts_usage(FILE *f)
{
	fputs("usage: ticketed drafts [--url URL]              list unsaved drafts\n"
	      "       ticketed drafts --discard ID [--url URL]  remove the draft(s) of ticket ID\n"
	      "                                                (on every URL unless --url is given)\n"
	      "Drafts live in $XDG_STATE_HOME/ticketed/drafts (default ~/.local/state/ticketed/drafts).\n"
	      "Opening a ticket that has a draft offers to restore it.\n", f);
}

/* A positive ticket id, the whole string; -1 if it is not one. */
static long parse_id(const char *s)
{
	long v;
	return num_id(s, &v, NULL) == 0 ? v : -1;
}

/* 0 ok, 1 --help, -1 usage error (message printed). */
static int drafts_parse(int argc, char **argv, drafts_opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *v;
		bool missing = false;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help"))
			return 1;
		if ((v = options_value(argc, argv, &i, "--discard", &missing)) != NULL) {
			if ((o->discard = parse_id(v)) < 0) {
				fprintf(stderr, "ticketed drafts: --discard wants a ticket id, not '%s'\n", v);
				return -1;
			}
		} else if ((v = options_value(argc, argv, &i, "--url", &missing)) != NULL) {
			o->url = v;
		} else {
			if (missing)
				fprintf(stderr, "ticketed drafts: %s needs a value\n", argv[i]);
			else
				fprintf(stderr, "ticketed drafts: unknown argument '%s'\n", argv[i]);
			return -1;
		}
	}
	return 0;
}

/* Print S sanitised (or DFLT when S is NULL) to F. */
static void fput_safe(FILE *f, const char *s, const char *dflt)
{
	char *t = s ? text_sanitize(s, -1) : NULL;
	fputs(t ? t : dflt, f);
	free(t);
}

static void put_safe(const char *s, const char *dflt)
{
	fput_safe(stdout, s, dflt);
}

static void show_one(const draft_info *d)
{
	printf("%-7ld ", d->ticket_id);
	if (d->error) {
		fputs("unreadable: ", stdout);
		put_safe(d->error, "?");
		printf("\n        remove it with: ticketed drafts --discard %ld\n", d->ticket_id);
		return;
	}
	fputs("saved ", stdout);
	put_safe(d->saved_at, "");
	printf("  %zu edit%s: ", d->nedits, d->nedits == 1 ? "" : "s");
	put_safe(d->fields, "");
	fputs("\n        ", stdout);
	put_safe(d->url, "");
	fputs("\n        ", stdout);
	put_safe(d->title, "(no title)");
	fputc('\n', stdout);
}

/* Whether D is on URL (NULL: any). */
static bool url_matches(const draft_info *d, const char *url)
{
	char norm[DRAFT_URL_MAX];

	if (!url)
		return true;
	return d->url && draft_url_normalize(url, norm, sizeof norm) == 0 && !strcmp(norm, d->url);
}

static int drafts_show(const draft_info *v, size_t n, const char *url)
{
	size_t shown = 0;
	char dir[4096] = "";

	for (size_t i = 0; i < n; i++)
		if (url_matches(&v[i], url)) {
			show_one(&v[i]);
			shown++;
		}
	if (shown == 0) {
		draft_dir(dir, sizeof dir, false, NULL, 0);
		fputs("No drafts", stdout);
		if (url) {
			fputs(" for ", stdout);
			put_safe(url, "");
		}
		fputs(" (in ", stdout);
		put_safe(dir, "");
		fputs(").\n", stdout);
	}
	return 0;
}

static int drafts_discard(const draft_info *v, size_t n, long id, const char *url)
{
	char err[1024];
	int removed = 0, failed = 0;

	for (size_t i = 0; i < n; i++) {
		if (v[i].ticket_id != id || !url_matches(&v[i], url))
			continue;
		int r = draft_discard_key(v[i].key, err, sizeof err);
		if (r < 0) {
			fputs("ticketed: ", stderr);
			fput_safe(stderr, err, "?");
			fputc('\n', stderr);
			failed++;
			continue;
		}
		if (r == 0)
			continue;
		removed++;
		printf("Discarded the draft of ticket %ld", id);
		if (v[i].url) {
			fputs(" on ", stdout);
			put_safe(v[i].url, "");
			fputs(" (saved ", stdout);
			put_safe(v[i].saved_at, "");
			printf(", %zu edit%s)", v[i].nedits, v[i].nedits == 1 ? "" : "s");
		} else {
			fputs(" (unreadable)", stdout);
		}
		fputs(".\n", stdout);
	}
	if (failed)
		return 1;
	if (!removed) {
		fprintf(stderr, "ticketed: no draft for ticket %ld", id);
		if (url) {
			fputs(" on ", stderr);
			fput_safe(stderr, url, "");
		}
		fputc('\n', stderr);
		return 1;
	}
	return 0;
}

int cmd_drafts(int argc, char **argv)
{
	drafts_opts o;
	draft_info *v = NULL;
	size_t n = 0;
	char err[1024];

	setlocale(LC_CTYPE, "");
	int p = drafts_parse(argc, argv, &o);
	if (p != 0) {
		drafts_usage(p > 0 ? stdout : stderr);
		return p > 0 ? 0 : 1;
	}
	if (draft_list(&v, &n, err, sizeof err) != 0) {
		fputs("ticketed: ", stderr);
		fput_safe(stderr, err, "?");
		fputc('\n', stderr);
		return 1;
	}
	int rc = o.discard ? drafts_discard(v, n, o.discard, o.url) : drafts_show(v, n, o.url);
	draft_list_free(v, n);
	return rc;
}

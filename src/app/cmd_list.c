/* cmd_list.c — `ticketed list [OPTIONS] [--mine] [--status NAME]
 * [--category NAME] [--search TEXT] [--top N] [--json]`: tickets found with
 * GET {base}/Ticket (the Ticket archive, ticketlist.h), newest change
 * first, as a table for people or, with --json, one JSON object per line
 * for scripts. Status and category names are looked up in the MDO lists
 * (ticketstatus, ejcategory) and sent as ids; a number is taken as an id.
 * The service may answer a page at a time (odata.nextLink): the pages are
 * read with $skip until --top rows are there.
 *
 * Server text never reaches the terminal raw: the table is sanitised
 * (text.h) and measured in columns; --json escapes every control, C1 and
 * bidi character as \uXXXX (cJSON prints C1 and bidi characters as they
 * are). Exit 0 listed (also when nothing matches), 1 usage or configuration
 * error, 2 the list could not be fetched. */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>
#include "commands.h"
#include "ticketed/api.h"
#include "ticketed/escape.h"
#include "ticketed/json.h"
#include "ticketed/num.h"
#include "ticketed/options.h"
#include "ticketed/recent.h"
#include "ticketed/servertz.h"
#include "ticketed/text.h"
#include "ticketed/ticketlist.h"
#include "ticketed/xalloc.h"

#define LIST_TOP_DEFAULT 50
#define LIST_TOP_MAX 10000

typedef struct {
	bool mine, json;
	const char *status, *category, *search;
	long top;
} list_opts;

static void list_usage(FILE *f)
{
	fputs("usage: ticketed list [OPTIONS] [--mine] [--status NAME] [--category NAME]\n"
	      "                     [--search TEXT] [--top N] [--json]\n"
	      "Tickets from the service's ticket list (GET Ticket), the last changed first.\n"
	      "  --mine           the tickets you own (ownedBy currentAssociate)\n"
	      "  --status NAME    a status of the ticketstatus list (or its id); else a base\n"
	      "                   status: active, closed, postponed, deleted, merged\n"
	      "  --category NAME  a category by its path, its last part, or its id\n"
	      "  --search TEXT    every word in the title (a number: also that ticket id)\n"
	      "  --top N          at most N tickets (default 50)\n"
	      "  --json           one JSON object per line: ticketId, title, ticketStatusName,\n"
	      "                   priorityName, ownedBy, deadline, lastChanged\n"
	      "Connection options as for the editor (--url, --user, --auth, ...; see ticketed --help).\n"
	      "Exit: 0 listed, 1 usage or configuration error, 2 the list could not be fetched.\n", f);
}

/* Take list's own options out of ARGV into L; the rest (connection
 * options) into REST (argv[0] first). 0, 1 (--help), or -1 (printed). */
static int split_args(int argc, char **argv, list_opts *l, char **rest, int *nrest)
{
	bool after = false;
	*nrest = 0;
	rest[(*nrest)++] = argv[0];
	for (int i = 1; i < argc; i++) {
		const char *v;
		bool missing = false;
		if (after || !strncmp(argv[i], "--pass", 6)) {  /* --password: options_parse refuses it */
			rest[(*nrest)++] = argv[i];
			continue;
		}
		if (!strcmp(argv[i], "--")) {
			after = true;
			rest[(*nrest)++] = argv[i];
		} else if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			return 1;
		} else if (!strcmp(argv[i], "--mine")) {
			l->mine = true;
		} else if (!strcmp(argv[i], "--json")) {
			l->json = true;
		} else if ((v = options_value(argc, argv, &i, "--status", &missing))) {
			l->status = v;
		} else if ((v = options_value(argc, argv, &i, "--category", &missing))) {
			l->category = v;
		} else if ((v = options_value(argc, argv, &i, "--search", &missing))) {
			l->search = v;
		} else if ((v = options_value(argc, argv, &i, "--top", &missing))) {
			long long n;
			if (num_parse(v, 1, LIST_TOP_MAX, &n, NULL) < 0) {
				char *s = text_sanitize(v, 40);
				fprintf(stderr, "ticketed list: --top: expected 1..%d, not \"%s\"\n", LIST_TOP_MAX, s);
				free(s);
				return -1;
			}
			l->top = (long)n;
		} else if (missing) {
			fprintf(stderr, "ticketed list: %s: missing value\n", argv[i]);
			return -1;
		} else {
			rest[(*nrest)++] = argv[i];
		}
	}
	rest[*nrest] = NULL;
	return 0;
}

/* Print MSG (already sanitised by the api, or ours) after PREFIX. */
static void say(const char *what, const char *msg)
{
	char *s = text_sanitize(msg, -1);
	fprintf(stderr, "ticketed list: %s%s\n", what, s);
	free(s);
}

/* The id NAME means in MDO list LIST_NAME (fetched); 0, or -1 (said). */
static int lookup(api *a, const char *list_name, const char *what, const char *name, long *id, bool *base,
                  int *rc)
{
	char err[600];
	api_result *r;
	if (num_id(name, id, NULL) == 0)
		return 0;
	r = api_run(a, api_get_list(a, list_name));
	if (!r || !r->ok || !cJSON_IsArray(r->json)) {
		char msg[700];
		snprintf(msg, sizeof msg, "cannot read the %s list to find \"%s\": %s", list_name, name,
		         r ? r->message : "no answer");
		say("", msg);
		api_result_free(r);
		*rc = 2;
		return -1;
	}
	if (tlist_find_item(r->json, name, what, id, err, sizeof err) < 0) {
		if (base && (*id = tlist_base_status(name)) >= 0) {  /* "active": every active status */
			*base = true;
			api_result_free(r);
			return 0;
		}
		say("", err);
		api_result_free(r);
		*rc = 1;
		return -1;
	}
	api_result_free(r);
	return 0;
}

/* Up to TOP rows of Q into *ROWS (*N); *MORE when more match. 0, or -1 (said). */
static int fetch(api *a, const tlist_query *q, long top, tlist_row **rows, size_t *n, bool *more)
{
	char *filter = tlist_filter(q), err[300];
	int rc = 0;
	*more = false;
	for (int pages = 0; (long)*n < top && pages <= LIST_TOP_MAX / 10; pages++) {
		char stop[24], skip[24];
		long want = top - (long)*n;
		size_t before = *n;
		const char *query[13];
		int k = 0;
		api_result *r;
		/* one more than wanted: whether more match is then known (the
		 * service may answer fewer, with a nextLink) */
		snprintf(stop, sizeof stop, "%ld", want + 1);
		snprintf(skip, sizeof skip, "%zu", *n);
		query[k++] = "$select";
		query[k++] = TLIST_SELECT;
		if (*filter) {
			query[k++] = "$filter";
			query[k++] = filter;
		}
		query[k++] = "$orderBy";
		query[k++] = TLIST_ORDER;
		query[k++] = "$top";
		query[k++] = stop;
		if (*n) {
			query[k++] = "$skip";
			query[k++] = skip;
		}
		query[k] = NULL;
		r = api_run(a, api_get(a, "Ticket", query));
		if (!r || !r->ok) {
			say("cannot list tickets: ", r ? r->message : "no answer");
			api_result_free(r);
			rc = -1;
			break;
		}
		if (tlist_rows(r->json, rows, n, more, err, sizeof err) < 0) {
			say("", err);
			api_result_free(r);
			rc = -1;
			break;
		}
		api_result_free(r);
		/* our own $skip, never the nextLink's URL: credentials go only to --url */
		if (!*more || *n == before)
			break;
	}
	if ((long)*n > top) {  /* a service that sends more than asked */
		for (size_t i = (size_t)top; i < *n; i++) {
			tlist_row *t = &(*rows)[i];
			free(t->title); free(t->status); free(t->priority); free(t->owner); free(t->deadline); free(t->changed);
		}
		*n = (size_t)top;
		*more = true;
	}
	free(filter);
	return rc;
}

/* ---- output ------------------------------------------------------------- */

/* S as a JSON string: controls, C1, bidi and format characters, invalid
 * UTF-8 (as U+FFFD) escaped. */
static void json_string(FILE *f, const char *s)
{
	size_t n = strlen(s);
	fputc('"', f);
	for (size_t i = 0; i < n;) {
		uint32_t cp;
		char esc[ESC_MAX];
		size_t k = esc_unit(s, n, i, 0, &cp, esc);
		if (!esc[0] && cp != '"' && cp != '\\') {
			fwrite(s + i, 1, k, f);
		} else if (cp == '"' || cp == '\\') {
			fprintf(f, "\\%c", (char)cp);
		} else if (esc_utf8_decode(s, n, i, &cp) == 0) {
			fputs("\\ufffd", f);
			k = 1;
		} else if (cp == '\n') {
			fputs("\\n", f);
		} else if (cp == '\t') {
			fputs("\\t", f);
		} else if (cp == '\r') {
			fputs("\\r", f);
		} else {
			fprintf(f, "\\u%04x", (unsigned)cp);
		}
		i += k;
	}
	fputc('"', f);
}

static void print_json(const tlist_row *r)
{
	const char *names[] = { "title", "ticketStatusName", "priorityName", "ownedBy", "deadline", "lastChanged" };
	const char *vals[] = { r->title, r->status, r->priority, r->owner, r->deadline, r->changed };
	printf("{\"ticketId\":%ld", r->id);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		printf(",\"%s\":", names[i]);
		json_string(stdout, vals[i]);
	}
	printf("}\n");
}

/* S sanitised, cut (with '…') and padded to exactly W columns. */
static void cell(const char *s, int w, bool last)
{
	char *t = text_sanitize(s, -1);
	int tw = text_width(t);
	if (tw > w) {
		free(t);
		t = text_sanitize(s, w > 1 ? w - 1 : w);
		fputs(t, stdout);
		tw = text_width(t);
		if (w > 1) {
			fputs("\u2026", stdout);
			tw++;
		}
	} else {
		fputs(t, stdout);
	}
	if (!last)
		printf("%*s", w - tw + 2, "");
	free(t);
}

static int width_of(const char *s)
{
	char *t = text_sanitize(s, -1);
	int w = text_width(t);
	free(t);
	return w;
}

/* The width to fit: the terminal's, else $COLUMNS, else none (-1: into a
 * pipe or file the titles are not cut). */
static int term_cols(void)
{
	struct winsize ws;
	const char *c = getenv("COLUMNS");
	long long v;
	if (isatty(STDOUT_FILENO) && ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40)
		return ws.ws_col;
	if (c && num_parse(c, 40, 1000, &v, NULL) == 0)
		return (int)v;
	return -1;
}

static void print_table(tlist_row *rows, size_t n, int naive)
{
	const char *head[] = { "ID", "TITLE", "STATUS", "PRIORITY", "OWNER", "DEADLINE", "CHANGED" };
	int max[] = { 10, 0, 24, 14, 22, 16, 16 }, w[7];
	int cols = term_cols(), used = 0, nat_title;
	char (*dates)[2][40] = xcalloc(n ? n : 1, sizeof *dates);
	for (int k = 0; k < 7; k++)
		w[k] = (int)strlen(head[k]);
	for (size_t i = 0; i < n; i++) {
		char id[24];
		const char *v[] = { id, rows[i].title, rows[i].status, rows[i].priority, rows[i].owner,
		                    dates[i][0], dates[i][1] };
		snprintf(id, sizeof id, "%ld", rows[i].id);
		tlist_date(rows[i].deadline, naive, dates[i][0], sizeof dates[i][0]);
		tlist_date(rows[i].changed, naive, dates[i][1], sizeof dates[i][1]);
		for (int k = 0; k < 7; k++) {
			int cw = k == 0 || k >= 5 ? (int)strlen(v[k]) : width_of(v[k]);
			if (cw > w[k])
				w[k] = cw;
		}
	}
	for (int k = 0; k < 7; k++) {
		if (max[k] && w[k] > max[k])
			w[k] = max[k];
		if (k != 1)
			used += w[k] + 2;
	}
	nat_title = w[1];
	/* narrower than the table: the widest of title, owner, status and
	 * priority gives a column at a time, down to 16, 10, 10, 8 */
	while (cols > 0 && used + w[1] > cols) {
		static const int shrink[] = { 1, 4, 2, 3 }, least[] = { 16, 10, 10, 8 };
		int k = -1;
		for (int j = 0; j < 4; j++)
			if (w[shrink[j]] > least[j] && (k < 0 || w[shrink[j]] - least[j] > w[shrink[k]] - least[k]))
				k = j;
		if (k < 0)
			break;
		w[shrink[k]]--;
		if (shrink[k] != 1)
			used--;
	}
	/* still too wide: the deadline, then the priority column go */
	for (int k = 5, step = 0; cols > 0 && used + w[1] > cols && step < 2; k = 3, step++) {
		used -= w[k] + 2;
		w[k] = -2;
	}
	if (cols > 0 && cols - used > w[1])  /* room a dropped column left goes to the title */
		w[1] = cols - used < nat_title ? cols - used : nat_title;
	for (int k = 0; k < 7; k++) {
		if (k == 0)
			printf("%*s  ", w[0], head[0]);
		else if (w[k] >= 0)
			cell(head[k], w[k], k == 6);
	}
	printf("\n");
	for (size_t i = 0; i < n; i++) {
		const char *v[] = { NULL, rows[i].title, rows[i].status, rows[i].priority, rows[i].owner,
		                    dates[i][0], dates[i][1] };
		printf("%*ld  ", w[0], rows[i].id);
		for (int k = 1; k < 7; k++)
			if (w[k] >= 0)  /* a column that did not fit is -2 */
				cell(v[k], w[k], k == 6);
		printf("\n");
	}
	free(dates);
}

static int run_list(options *o, const list_opts *l)
{
	char err[600];
	api_config cfg;
	api *a;
	tlist_query q;
	tlist_row *rows = NULL;
	size_t n = 0;
	bool more = false, base = false;
	int rc = 0, naive = 0;
	if (options_api_config(o, isatty(STDIN_FILENO), &cfg, err, sizeof err) < 0) {
		say("", err);
		return 1;
	}
	a = api_new(&cfg, err, sizeof err);
	options_forget_secrets(o);  /* the api holds its own copy */
	if (!a) {
		say("", err);
		return 1;
	}
	tlist_query_init(&q);
	q.mine = l->mine;
	q.search = l->search;
	if (l->status && lookup(a, "ticketstatus", "status", l->status, &q.status_id, &base, &rc) < 0)
		goto out;
	if (base) {
		q.base_status = q.status_id;
		q.status_id = -1;
	}
	if (l->category && lookup(a, "ejcategory", "category", l->category, &q.category_id, NULL, &rc) < 0)
		goto out;
	if (fetch(a, &q, l->top, &rows, &n, &more) < 0) {
		rc = 2;
		goto out;
	}
	if (servertz_offset(o->server_timezone, NULL, &naive, err, sizeof err) < 0)
		naive = 0;
	if (l->json) {
		for (size_t i = 0; i < n; i++)
			print_json(&rows[i]);
	} else if (n) {
		print_table(rows, n, naive);
	}
	if (fflush(stdout) != 0) {
		say("", "cannot write the list");
		rc = 2;
	}
	if (!l->json && !n)
		fprintf(stderr, "ticketed list: no tickets match\n");
	else if (!l->json && more)
		fprintf(stderr, "ticketed list: more tickets match (--top %ld shows the first %ld)\n", l->top, l->top);
out:
	tlist_rows_free(rows, n);
	api_free(a);
	return rc;
}

int cmd_list(int argc, char **argv)
{
	list_opts l = { false, false, NULL, NULL, NULL, LIST_TOP_DEFAULT };
	char **rest = xcalloc((size_t)argc + 1, sizeof *rest), err[600];
	int nrest, rc;
	options o;
	setlocale(LC_ALL, "");
	rc = split_args(argc, argv, &l, rest, &nrest);
	if (rc != 0) {
		if (rc > 0)
			list_usage(stdout);
		free(rest);
		return rc > 0 ? 0 : 1;
	}
	rc = options_parse(nrest, rest, OPTIONS_NO_ID, &o, err, sizeof err);
	if (rc < 0) {
		say("", err);
		rc = 1;
	} else if (rc == 1) {
		rc = 0;
	} else {
		rc = run_list(&o, &l);
	}
	options_free(&o);
	free(rest);
	return rc;
}

/* ---- ticketed recent ---------------------------------------------------- */

int cmd_recent(int argc, char **argv)
{
	recent_entry *v;
	size_t n;
	char err[600];
	setlocale(LC_ALL, "");
	if (argc > 1) {
		bool help = !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help");
		fputs("usage: ticketed recent    the tickets opened lately, the latest first:\n"
		      "                          id, when, title and service URL\n", help ? stdout : stderr);
		return help ? 0 : 1;
	}
	if (recent_read(&v, &n, err, sizeof err) < 0) {
		say("", err);
		return 1;
	}
	for (size_t i = 0; i < n; i++) {
		char when[32];
		struct tm tm;
		char *title = text_sanitize(v[i].title, -1), *url = text_sanitize(v[i].url, -1);
		if (!localtime_r(&v[i].when, &tm) || !strftime(when, sizeof when, "%Y-%m-%d %H:%M", &tm))
			snprintf(when, sizeof when, "?");
		printf("%8ld  %s  %s  (%s)\n", v[i].id, when, title, url);
		free(title);
		free(url);
	}
	recent_free(v, n);
	return fflush(stdout) == 0 ? 0 : 1;
}

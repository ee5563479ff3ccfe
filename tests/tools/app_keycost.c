/* app_keycost.c — the editor's per-key cost, measured in-process on a
 * ticket file (benchmarks; prints figures, asserts nothing).
 *
 *   app_keycost [-n ROUNDS] [-k CUSTOM_KEYS_EDITED] TICKET.json
 *
 * The ticket is parsed as the service client parses it (lazily: Messages
 * kept as raw text). Each round is what the editor does for one committed
 * edit and for opening the preview:
 *   commit:  model_set (Title, or one CustomFields key with -k), rebuild the
 *            form rows, count the modified rows, journal the draft
 *            (draft_sync), the texts of the first screenful of rows;
 *   preview: model_patch, each op printed, and the "old -> new" text of
 *            every modified row (what view_screen.c builds).
 * The first commit writes the draft's base file; it is reported on its own
 * ("first") and left out of the median. Drafts go to $XDG_STATE_HOME (set
 * it to a scratch directory). Output, one line each:
 *   first_commit_ms X
 *   commit_ms MEDIAN      (median of ROUNDS)
 *   preview_ms MEDIAN
 *   synced_commit_ms MEDIAN  (median of 3 commits each made more than 1 s
 *                         after the last: the journal's record is fdatasync'ed
 *                         before draft_sync returns, as for a person's edits)
 *   journal_bytes N       (the draft journal's size at the end) */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ticketed/draft.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"
#include "ticketed/values.h"

#define URL "http://127.0.0.1:1/api/v1"
#define SCREEN_ROWS 20

static double now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec * 1e3 + (double)t.tv_nsec / 1e6;
}

static bool want(const char *key, void *ctx)
{
	(void)ctx;
	return strcasecmp(key, "Messages") != 0;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	return v[n / 2];
}

static void commit(model *m, form_rows *rows, draft_sync_state *ds, long id, int round, int keys)
{
	char v[64], err[512];
	const field_def *title = schema_find("Title"), *cf = schema_find("CustomFields");
	snprintf(v, sizeof v, "edit %d", round);
	if (keys > 0) {
		char k[32];
		snprintf(k, sizeof k, "x_field_%04d", round % keys);
		model_map_set(m, cf, k, cJSON_CreateString(v));
	} else {
		model_set(m, title, cJSON_CreateString(v));
	}
	form_rows_free(rows);
	form_build(rows, m);
	(void)model_modified(m);
	if (draft_sync(ds, URL, id, m, err, sizeof err) < 0) {
		fprintf(stderr, "app_keycost: draft_sync: %s\n", err);
		exit(1);
	}
	for (size_t i = 0; i < rows->n && i < SCREEN_ROWS; i++) {
		free(form_row_text(m, &rows->v[i], NULL));
		(void)form_row_modified(m, &rows->v[i]);
	}
	for (size_t i = 0; i < rows->n; i++)  /* the Messages summary row is on the first screen too */
		if (rows->v[i].kind == ROW_FIELD && !strcmp(rows->v[i].f->name, "Messages")) {
			free(form_row_text(m, &rows->v[i], NULL));
			break;
		}
}

static void preview(const model *m, const form_rows *rows)
{
	cJSON *patch = model_patch(m, DIFF_FIELDS), *op;
	cJSON_ArrayForEach(op, patch)
		free(json_print(op, true));
	for (size_t i = 0; i < rows->n; i++) {
		const form_row *r = &rows->v[i];
		char *old, *now;
		if (!form_row_modified(m, r))
			continue;
		if (r->kind == ROW_MAPKEY)
			old = form_json_text(model_map_base(m, r->f, r->sub));
		else
			old = value_text(r->f, model_base(m, r->f), NULL, "(absent)");
		now = form_row_text(m, r, NULL);
		free(old);
		free(now);
	}
	cJSON_Delete(patch);
}

int main(int argc, char **argv)
{
	int rounds = 101, keys = 0, opt;
	while ((opt = getopt(argc, argv, "n:k:")) != -1) {
		if (opt == 'n')
			rounds = atoi(optarg);
		else if (opt == 'k')
			keys = atoi(optarg);
		else
			return 2;
	}
	if (optind >= argc || rounds < 1) {
		fputs("usage: app_keycost [-n ROUNDS] [-k CUSTOM_KEYS_EDITED] TICKET.json\n", stderr);
		return 2;
	}
	size_t len;
	char err[512];
	char *buf = json_read_file(argv[optind], &len);
	if (!buf) {
		perror(argv[optind]);
		return 1;
	}
	cJSON *t = json_parse_lazy(buf, len, argv[optind], want, NULL, err, sizeof err);
	if (!t) {
		fprintf(stderr, "app_keycost: %s\n", err);
		return 1;
	}
	const cJSON *tid = json_get_ci(t, "TicketId");
	long id = cJSON_IsNumber(tid) ? (long)tid->valuedouble : 900;
	model m;
	form_rows rows = { 0 };
	draft_sync_state ds = { 0 };
	double *c = calloc((size_t)rounds, sizeof *c), *p = calloc((size_t)rounds, sizeof *p), t0, first;
	model_init(&m, t);
	form_build(&rows, &m);
	draft_discard(URL, id, err, sizeof err);
	t0 = now_ms();
	commit(&m, &rows, &ds, id, 0, keys);
	first = now_ms() - t0;
	for (int i = 0; i < rounds; i++) {
		t0 = now_ms();
		commit(&m, &rows, &ds, id, i + 1, keys);
		c[i] = now_ms() - t0;
		t0 = now_ms();
		preview(&m, &rows);
		p[i] = now_ms() - t0;
	}
	double sc[3];
	for (int i = 0; i < 3; i++) {
		usleep(1100000);
		t0 = now_ms();
		commit(&m, &rows, &ds, id, rounds + 1 + i, keys);
		sc[i] = now_ms() - t0;
	}
	char path[4200];
	struct stat st;
	long jbytes = draft_path(URL, id, path, sizeof path) == 0 && stat(path, &st) == 0 ? (long)st.st_size : -1;
	printf("first_commit_ms %.3f\ncommit_ms %.3f\npreview_ms %.3f\nsynced_commit_ms %.3f\n"
	       "journal_bytes %ld\n",
	       first, median(c, rounds), median(p, rounds), median(sc, 3), jbytes);
	draft_sync_discard(&ds, URL, id, err, sizeof err);
	draft_sync_free(&ds);
	form_rows_free(&rows);
	model_free(&m);
	free(c);
	free(p);
	return 0;
}

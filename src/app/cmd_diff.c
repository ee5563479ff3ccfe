/* cmd_diff.c — `ticketed diff` and `ticketed apply`: the core engine without a
 * terminal. Exit status: 0 ok, 1 usage or bad JSON, 2 the patch failed. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "commands.h"
#include "ticketed/diff.h"
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"
#include "ticketed/patch.h"

static const char diff_usage[] =
	"usage: ticketed diff [--mode fields|none] [--generic] [--pretty] BASE EDITED\n"
	"  Prints the JSON Patch that turns BASE into EDITED ('-' reads stdin).\n"
	"  --mode fields  guard every replace/remove with a test (default)\n"
	"  --mode none    no tests\n"
	"  --generic      diff any JSON, without the ticket schema\n"
	"  --pretty       indented output (default: compact)\n";

static const char apply_usage[] =
	"usage: ticketed apply [--merge] [--pretty] DOC PATCH\n"
	"  Applies PATCH to DOC atomically and prints the result ('-' reads stdin).\n"
	"  An array is a JSON Patch (RFC 6902), an object a merge patch (RFC 7396).\n"
	"  --merge        treat PATCH as a merge patch whatever its type\n"
	"  --pretty       indented output (default: compact)\n"
	"  Exit status: 0 applied, 1 usage or bad JSON, 2 the patch failed.\n";

static int usage(const char *text, const char *msg)
{
	if (msg)
		fprintf(stderr, "ticketed: %s\n", msg);
	fputs(text, stderr);
	return 1;
}

static int print_json(const cJSON *j, bool pretty)
{
	char *s = json_print(j, pretty);
	if (!s) {
		fputs("ticketed: out of memory\n", stderr);
		return 1;
	}
	fputs(s, stdout);
	fputc('\n', stdout);
	free(s);
	return fflush(stdout) ? 1 : 0;
}

/* The name errors give PATH ("-" is stdin). */
static const char *src_name(const char *path)
{
	return strcmp(path, "-") ? path : "<stdin>";
}

/* Read PATH whole; NULL (message on stderr) if it cannot be read or holds a
 * \u0000 escape, which cJSON would cut short (a test op could then pass on
 * a value that differs after the NUL). */
static char *read_checked(const char *path, size_t *len, bool *mapped)
{
	char *buf = json_map_file(path, len, mapped);
	if (!buf) {
		fprintf(stderr, "%s: %s\n", path, strerror(errno));
		return NULL;
	}
	int line, col;
	if (json_nul_escape(buf, *len, &line, &col)) {
		fprintf(stderr, "%s:%d:%d: \\u0000 (NUL) in a string is not supported\n", src_name(path), line, col);
		json_unmap_file(buf, *len, *mapped);
		return NULL;
	}
	return buf;
}

static cJSON *load(const char *path)
{
	size_t len = 0;
	bool mapped;
	char *buf = read_checked(path, &len, &mapped);
	if (!buf)
		return NULL;
	char err[512];
	cJSON *j = json_parse(buf, len, src_name(path), err, sizeof err);
	json_unmap_file(buf, len, mapped);
	if (!j)
		fprintf(stderr, "%s\n", err);
	return j;
}

/* Read PATH and parse it lazily (see json_parse_lazy); WANT NULL: fully. */
static cJSON *load_lazy(const char *path, bool (*want)(const char *, void *), void *ctx)
{
	size_t len = 0;
	bool mapped;
	char *buf = read_checked(path, &len, &mapped);
	if (!buf)
		return NULL;
	char err[512];
	/* a mapped file stays mapped until the command exits: the tree points into it */
	cJSON *j = (mapped ? json_parse_lazy_borrowed : json_parse_lazy)(buf, len, src_name(path), want, ctx, err,
	                                                                sizeof err);
	if (!j) {
		fprintf(stderr, "%s\n", err);
		if (mapped)
			json_unmap_file(buf, len, true);
	}
	return j;
}

/* diff: only editable schema fields and the rights that narrow them are
 * parsed; the rest (Messages, ...) compare as text. */
static bool want_editable(const char *key, void *ctx)
{
	(void)ctx;
	const field_def *f = schema_find(key);
	return (f && f->kind != FK_READONLY) || !strcasecmp(key, "TableRight") ||
	       !strcasecmp(key, "FieldProperties");
}

/* apply: only the top-level members a patch touches are parsed. */
static bool want_touched(const char *key, void *ctx)
{
	const cJSON *keys = ctx;
	for (const cJSON *k = keys->child; k; k = k->next)
		if (!strcasecmp(k->valuestring, key))
			return true;
	return false;
}

/* The first token of every path/from in PATCH (an array) or every member of a
 * merge patch (an object); NULL when the whole document is needed. */
static cJSON *touched_keys(const cJSON *patch, bool merge)
{
	cJSON *keys = cJSON_CreateArray();
	if (merge) {
		if (!cJSON_IsObject(patch)) {
			return keys; /* replaces the document: nothing of it is needed */
		}
		for (const cJSON *m = patch->child; m; m = m->next)
			cJSON_AddItemToArray(keys, cJSON_CreateString(m->string));
		return keys;
	}
	for (const cJSON *op = cJSON_IsArray(patch) ? patch->child : NULL; op; op = op->next) {
		const char *names[] = { "path", "from" };
		for (int i = 0; i < 2; i++) {
			const cJSON *p = json_get(op, names[i]);
			if (!p)
				continue;
			jptr ptr;
			if (!cJSON_IsString(p) || jptr_parse(p->valuestring, JPTR_STRICT, &ptr, NULL, 0) < 0 || ptr.n == 0) {
				if (cJSON_IsString(p) && ptr.n == 0)
					jptr_free(&ptr);
				cJSON_Delete(keys);
				return NULL; /* the root, or a bad path: let patch_apply see it all */
			}
			cJSON_AddItemToArray(keys, cJSON_CreateString(ptr.tok[0]));
			jptr_free(&ptr);
		}
	}
	return keys;
}

static void on_warn(const char *msg, void *ctx)
{
	(void)ctx;
	fprintf(stderr, "ticketed: warning: %s\n", msg);
}

typedef struct {
	bool pretty, generic, merge;
	diff_mode mode;
	const char *files[2];
	int nfiles;
} cli_opts;

/* Parse common options; returns -1 (usage error), 1 (help) or 0. */
static int parse_opts(int argc, char **argv, cli_opts *o, bool is_diff, const char **why)
{
	bool opts_done = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (!opts_done && a[0] == '-' && a[1]) {
			if (!strcmp(a, "--"))
				opts_done = true;
			else if (!strcmp(a, "-h") || !strcmp(a, "--help"))
				return 1;
			else if (!strcmp(a, "--pretty"))
				o->pretty = true;
			else if (is_diff && !strcmp(a, "--generic"))
				o->generic = true;
			else if (is_diff && (!strcmp(a, "--mode") || !strncmp(a, "--mode=", 7))) {
				const char *m = a[6] == '=' ? a + 7 : (i + 1 < argc ? argv[++i] : NULL);
				if (m && !strcmp(m, "fields"))
					o->mode = DIFF_FIELDS;
				else if (m && !strcmp(m, "none"))
					o->mode = DIFF_NONE;
				else
					return *why = "--mode takes fields or none", -1;
			} else if (!is_diff && !strcmp(a, "--merge"))
				o->merge = true;
			else
				return *why = "unknown option", -1;
			continue;
		}
		if (o->nfiles == 2)
			return *why = "too many arguments", -1;
		o->files[o->nfiles++] = a;
	}
	if (o->nfiles != 2)
		return *why = "two files are needed", -1;
	if (!strcmp(o->files[0], "-") && !strcmp(o->files[1], "-"))
		return *why = "only one file may be '-'", -1;
	return 0;
}

/* ticketed diff [--mode fields|none] [--generic] [--pretty] BASE EDITED */
int cmd_diff(int argc, char **argv)
{
	cli_opts o = { .mode = DIFF_FIELDS };
	const char *why = NULL;
	int r = parse_opts(argc, argv, &o, true, &why);
	if (r)
		return r > 0 ? (fputs(diff_usage, stdout), 0) : usage(diff_usage, why);
	bool lazy = !o.generic && !o.pretty;
	cJSON *base = lazy ? load_lazy(o.files[0], want_editable, NULL) : load(o.files[0]);
	cJSON *edited = !base ? NULL : lazy ? load_lazy(o.files[1], want_editable, NULL) : load(o.files[1]);
	if (!edited) {
		cJSON_Delete(base);
		return 1;
	}
	cJSON *patch = o.generic ? diff_generic(base, edited, o.mode)
	                         : diff_ticket(base, edited, o.mode, on_warn, NULL);
	int rc = patch ? print_json(patch, o.pretty) : 1;
	cJSON_Delete(patch);
	cJSON_Delete(base);
	cJSON_Delete(edited);
	return rc;
}

/* ticketed apply [--merge] [--pretty] DOC PATCH */
int cmd_apply(int argc, char **argv)
{
	cli_opts o = { .mode = DIFF_FIELDS };
	const char *why = NULL;
	int r = parse_opts(argc, argv, &o, false, &why);
	if (r)
		return r > 0 ? (fputs(apply_usage, stdout), 0) : usage(apply_usage, why);
	cJSON *patch = load(o.files[1]);
	if (!patch)
		return 1;
	cJSON *keys = o.pretty ? NULL : touched_keys(patch, o.merge || cJSON_IsObject(patch));
	cJSON *doc = keys ? load_lazy(o.files[0], want_touched, keys) : load(o.files[0]);
	cJSON_Delete(keys);
	if (!doc) {
		cJSON_Delete(patch);
		return 1;
	}
	int rc = 0;
	if (o.merge || cJSON_IsObject(patch)) {
		if (merge_apply(&doc, patch) != PATCH_OK) {
			fprintf(stderr, "ticketed: %s: out of memory applying the merge patch\n", o.files[1]);
			rc = 2;
		}
	} else {
		patch_error err;
		if (patch_apply(&doc, patch, PATCH_STRICT, &err) != PATCH_OK) {
			fprintf(stderr, "ticketed: %s: %s\n", o.files[1], err.msg);
			rc = 2;
		}
	}
	if (rc == 0)
		rc = print_json(doc, o.pretty);
	cJSON_Delete(doc);
	cJSON_Delete(patch);
	return rc;
}

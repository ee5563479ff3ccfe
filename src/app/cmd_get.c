/* cmd_get.c — `ticketed get [OPTIONS] [--pretty] TICKET_ID`: print the
 * ticket's JSON on stdout (compact, or indented with --pretty).
 * Exit 0 printed, 1 usage/configuration error, 2 the ticket could not be loaded. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "ticketed/api.h"
#include "ticketed/json.h"
#include "ticketed/options.h"

/* Copy ARGV without "--pretty" (before "--") into a new vector. */
static char **strip_pretty(int argc, char **argv, int *out_argc, bool *pretty)
{
	char **v = calloc((size_t)argc + 1, sizeof *v);
	int n = 0;
	bool rest = false;
	if (!v)
		return NULL;
	for (int i = 0; i < argc; i++) {
		if (!rest && i > 0 && !strcmp(argv[i], "--pretty")) {
			*pretty = true;
			continue;
		}
		if (!strcmp(argv[i], "--"))
			rest = true;
		v[n++] = argv[i];
	}
	*out_argc = n;
	return v;
}

/* Print MSG on stderr with C0/C1 control characters (server text could hold
 * terminal escapes) shown as '?'. */
static void print_message(const char *prefix, const char *msg)
{
	fputs(prefix, stderr);
	for (const unsigned char *p = (const unsigned char *)msg; *p; p++) {
		if (p[0] == 0xC2 && p[1] >= 0x80 && p[1] <= 0x9F) {
			fputc('?', stderr);
			p++;
		} else {
			fputc(*p < 0x20 || *p == 0x7f ? '?' : *p, stderr);
		}
	}
	fputc('\n', stderr);
}

static int fetch(options *o, bool pretty)
{
	char err[512], prefix[64];
	api_config cfg;
	if (options_api_config(o, isatty(STDIN_FILENO), &cfg, err, sizeof err) < 0) {
		fprintf(stderr, "ticketed get: %s\n", err);
		return 1;
	}
	api *a = api_new(&cfg, err, sizeof err);
	options_forget_secrets(o);  /* the api holds its own copy */
	if (!a) {
		fprintf(stderr, "ticketed get: %s\n", err);
		return 1;
	}
	api_result *r = api_run(a, api_get_ticket(a, o->ticket_id));
	int rc = 2;
	snprintf(prefix, sizeof prefix, "ticketed: ticket %ld: ", o->ticket_id);
	if (!r) {
		print_message(prefix, "no result");
	} else if (!r->ok) {
		print_message(prefix, r->message);
	} else {
		char *text = json_print(r->json, pretty);
		if (text && printf("%s\n", text) > 0 && fflush(stdout) == 0)
			rc = 0;
		else
			print_message(prefix, "cannot write the JSON");
		free(text);
	}
	api_result_free(r);
	api_free(a);
	return rc;
}

int cmd_get(int argc, char **argv)
{
	bool pretty = false;
	int n;
	char **v = strip_pretty(argc, argv, &n, &pretty);
	if (!v)
		return 1;
	options o;
	char err[512];
	int rc = options_parse(n, v, OPTIONS_ONE_ID, &o, err, sizeof err);
	if (rc < 0) {
		fprintf(stderr, "ticketed get: %s\n", err);
		rc = 1;
	} else if (rc == 1) {
		rc = 0;
	} else {
		rc = fetch(&o, pretty);
	}
	options_free(&o);
	free(v);
	return rc;
}

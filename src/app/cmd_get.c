/* cmd_get.c — `ticketed get [OPTIONS] [--pretty] TICKET_ID`: print the
 * ticket's JSON on stdout (compact, or indented with --pretty).
 * Exit 0 printed, 1 usage/configuration error, 2 the ticket could not be loaded.
 *
 * The service's text never reaches stdout raw, whether it is a terminal or
 * not (the same bytes either way): cJSON escapes C0 controls in strings,
 * and json_safe below writes what the terminal would still act on as JSON
 * escapes — C1 controls (U+009B is a one-byte CSI), DEL, bidi and format
 * controls, U+2028/U+2029 (the set core/escape.h escapes) as \uXXXX, so
 * the value is unchanged; a byte that is not UTF-8 (which JSON cannot
 * hold, and which a Latin-1 terminal reads as a control) as \ufffd. The
 * output is valid JSON. Messages on stderr go through esc_dup. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "commands.h"
#include "ticketed/api.h"
#include "ticketed/escape.h"
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

/* Print MSG on stderr sanitised (core/escape.h). */
static void print_message(const char *prefix, const char *msg)
{
	char *s = esc_dup(msg, strlen(msg), 0);
	fprintf(stderr, "%s%s\n", prefix, s ? s : "?");
	free(s);
}

/* The JSON text S (printed by cJSON) with every unit a terminal would act
 * on written as a JSON escape, as said above. New string, or NULL. */
static char *json_safe(const char *s)
{
	size_t len = strlen(s), cap = len + 1, o = 0;
	char *out = malloc(cap);
	for (size_t i = 0; out && i < len;) {
		const unsigned char c = (unsigned char)s[i];
		char esc[ESC_MAX], u[16];
		uint32_t cp = 0, cp2;
		size_t n = 1;
		const char *put = s + i;
		size_t plen = 1;
		if (c >= 0x7f) {  /* ASCII below DEL is JSON's own: cJSON escaped controls in strings */
			n = esc_utf8_decode(s, len, i, &cp);
			if (!n) {
				n = 1;
				put = "\\ufffd";
				plen = 6;
			} else if (esc_unit(s, len, i, 0, &cp2, esc) && esc[0]) {
				if (cp > 0xffff)  /* a surrogate pair, as JSON writes it */
					snprintf(u, sizeof u, "\\u%04x\\u%04x", 0xd800 + ((cp - 0x10000) >> 10),
					         0xdc00 + ((cp - 0x10000) & 0x3ff));
				else
					snprintf(u, sizeof u, "\\u%04x", (unsigned)cp);
				put = u;
				plen = strlen(u);
			} else {
				plen = n;
			}
		}
		if (o + plen + 1 > cap) {
			char *nb = realloc(out, cap = (o + plen + 1) * 2);
			if (!nb) {
				free(out);
				return NULL;
			}
			out = nb;
		}
		memcpy(out + o, put, plen);
		o += plen;
		i += n;
	}
	if (out)
		out[o] = '\0';
	return out;
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
		char *text = json_print(r->json, pretty), *safe = text ? json_safe(text) : NULL;
		if (safe && printf("%s\n", safe) > 0 && fflush(stdout) == 0)
			rc = 0;
		else
			print_message(prefix, "cannot write the JSON");
		free(text);
		free(safe);
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

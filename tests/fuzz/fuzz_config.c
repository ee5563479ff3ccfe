/* fuzz_config.c — the config file parser and its settings
 * (options_parse_config_text: config.c's lines, options.c's keys and
 * values) on arbitrary bytes.
 * Properties: an error is "fuzz.conf:LINE: ..." (or "fuzz.conf: ...")
 * naming the file, with a line number within the input, and carries no
 * raw control byte but tab (the file's text is echoed in it); a parse that
 * succeeds stores only values that appear in the input (trimmed, no NUL,
 * no newline) and sane enums; a second parse of the same text onto the
 * filled options is accepted and stores the same values. */
#include "fuzz.h"
#include "ticketed/config.h"
#include "ticketed/options.h"

static size_t lines_of(const char *s, size_t n)
{
	size_t l = 1;

	for (size_t i = 0; i < n; i++)
		l += s[i] == '\n';
	return l;
}

static void check_value(const char *v, const char *in, size_t n, const char *what)
{
	if (!v)
		return;
	FUZZ_CHECK(*v, "%s: empty value stored", what);
	FUZZ_CHECK(!strchr(v, '\n') && !strchr(v, '\r'), "%s: newline in the value", what);
	FUZZ_CHECK(v[0] != ' ' && v[0] != '\t' && v[strlen(v) - 1] != ' ' && v[strlen(v) - 1] != '\t',
	           "%s: value not trimmed: \"%s\"", what, v);
	FUZZ_CHECK(memmem(in, n, v, strlen(v)) != NULL, "%s: \"%s\" is not in the input", what, v);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data;
	char err[512];
	options o;
	int rc;

	memset(&o, 0, sizeof o);
	o.timeout_s = 30;
	err[0] = '\0';
	rc = options_parse_config_text(in, size, "fuzz.conf", &o, err, sizeof err);
	if (rc != 0) {
		FUZZ_CHECK(rc == -1, "rc %d", rc);
		FUZZ_CHECK(strncmp(err, "fuzz.conf:", 10) == 0 || strcmp(err, "out of memory") == 0,
		           "error without the file name: %s", err);
		if (err[10] >= '0' && err[10] <= '9') {
			long line = strtol(err + 10, NULL, 10);
			FUZZ_CHECK(line >= 1 && (size_t)line <= lines_of(in, size), "line %ld of %zu", line,
			           lines_of(in, size));
		}
		for (const unsigned char *p = (const unsigned char *)err; *p; p++)
			FUZZ_CHECK((*p >= 0x20 || *p == '\t') && *p != 0x7f, "raw byte \\x%02X in the error", *p);
	} else {
		check_value(o.url, in, size, "url");
		check_value(o.user, in, size, "user");
		check_value(o.theme, in, size, "theme");
		check_value(o.lang, in, size, "language");
		check_value(o.so_language, in, size, "so_language");
		check_value(o.culture, in, size, "culture");
		check_value(o.timezone, in, size, "timezone");
		check_value(o.server_timezone, in, size, "server_timezone");
		check_value(o.password_command, in, size, "password_command");
		check_value(o.token_command, in, size, "token_command");
		check_value(o.app_token_command, in, size, "app_token_command");
		FUZZ_CHECK(o.conflict == CONFLICT_FIELDS || o.conflict == CONFLICT_STRICT ||
		           o.conflict == CONFLICT_NONE, "conflict %d", (int)o.conflict);
		FUZZ_CHECK(o.timeout_s >= 1 && o.timeout_s <= 86400, "timeout %ld", o.timeout_s);
		/* The same text again onto the filled options: accepted, the same values. */
		char *url = o.url ? strdup(o.url) : NULL;
		long t = o.timeout_s;
		rc = options_parse_config_text(in, size, "fuzz.conf", &o, err, sizeof err);
		FUZZ_CHECK(rc == 0, "second parse failed: %s", err);
		FUZZ_CHECK(((!o.url && !url) || (o.url && url && !strcmp(o.url, url))) && o.timeout_s == t,
		           "second parse changed a value");
		free(url);
	}
	options_free(&o);
	return 0;
}

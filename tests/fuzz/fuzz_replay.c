/* fuzz_replay.c — the replay line parser, one line per input line.
 * Properties: parsed keys written back with replay_format_key parse to the
 * same keys; an error message is plain printable text. */
#include "fuzz.h"
#include "ticketed/replay.h"

static void check_msg(const char *err)
{
	for (const unsigned char *p = (const unsigned char *)err; *p; p++)
		FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "raw byte \\x%02X in error \"%s\"", *p, err);
}

static void roundtrip(const rp_line *l)
{
	char *buf = malloc(l->nkeys * 16 + 1), err[256];
	rp_line m;

	if (!buf)
		return;
	buf[0] = '\0';
	for (size_t i = 0; i < l->nkeys; i++)
		replay_format_key(l->keys[i], buf, l->nkeys * 16 + 1);
	FUZZ_CHECK(replay_parse_line(buf, 1, &m, err, sizeof err) == 0, "\"%s\": %s", buf, err);
	FUZZ_CHECK(m.kind == RP_KEYS && m.nkeys == l->nkeys &&
	           memcmp(m.keys, l->keys, l->nkeys * sizeof *l->keys) == 0, "\"%s\" read back differently", buf);
	rp_line_free(&m);
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), *line, *next;
	char err[256];
	int lineno = 0;

	if (!s)
		return 0;
	for (line = s; line; line = next) {
		rp_line l;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		err[0] = '\0';
		if (replay_parse_line(line, ++lineno, &l, err, sizeof err) != 0) {
			check_msg(err);
			continue;
		}
		if (l.kind == RP_KEYS && l.nkeys > 0)
			roundtrip(&l);
		rp_line_free(&l);
	}
	free(s);
	return 0;
}

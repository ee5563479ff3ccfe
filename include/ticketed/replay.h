/* replay.h — the replay file format: parse one line into keys or a
 * directive. Pure: the app runs the lines through its one input path.
 *
 * Ownership: an rp_line owns its keys and strings; free with rp_line_free. */
#ifndef TICKETED_REPLAY_H
#define TICKETED_REPLAY_H

#include <stddef.h>
#include "ticketed/keys.h"

typedef enum {
	RP_NOP,              /* blank line or # comment */
	RP_KEYS,             /* keys[0..nkeys) */
	RP_EXPECT_SCREEN,    /* text */
	RP_EXPECT_NO_SCREEN, /* text */
	RP_EXPECT_FIELD,     /* arg = PATH, text = VALUE */
	RP_EXPECT_STATUS,    /* num */
	RP_EXPECT_MODIFIED,  /* num */
	RP_EXPECT_EXIT,      /* num */
	RP_EXPECT_CONFLICT,  /* arg = FIELD */
	RP_EXPECT_CONFLICTS, /* num */
	RP_RESIZE,           /* num = cols, num2 = rows */
	RP_DUMP              /* arg = FILE */
} rp_kind;

typedef struct {
	rp_kind kind;
	int lineno;
	tkey *keys;
	size_t nkeys;
	char *arg;
	char *text;
	long num, num2;
} rp_line;

/* Parse LINE (without its newline; a trailing '\r' is ignored). Quoted
 * TEXT uses "..." with \" \\ \n \t \e escapes. Returns 0, or -1 with
 * "what was wrong" (no file/line prefix) in ERR. Invalid UTF-8 is an error. */
int replay_parse_line(const char *line, int lineno, rp_line *out, char *err, size_t errlen);
void rp_line_free(rp_line *l);

/* Append K to BUF in replay syntax (for --record). */
void replay_format_key(tkey k, char *buf, size_t n);

#endif

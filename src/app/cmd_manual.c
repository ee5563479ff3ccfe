/* cmd_manual.c — `ticketed help-roff keys|replay` (hidden): print the man
 * page's KEYS and REPLAY DIRECTIVES sections as roff, generated from the
 * action table (action.h) and the replay documentation (replay_doc.h), so the
 * page built by the Makefile cannot drift from the code. */
#include <stdio.h>
#include <string.h>
#include "commands.h"
#include "ticketed/action.h"
#include "ticketed/replay_doc.h"

/* The screen's heading (action_screens); a screen bit without one (a new
 * screen) is still documented, under "Other screen" (tests/install/man.t
 * wants every action). */
static const char *screen_name(unsigned sc)
{
	for (size_t i = 0; i < action_nscreens; i++)
		if (action_screens[i].sc == sc)
			return action_screens[i].name;
	return "Other screen";
}

/* Write S as roff text: backslash and '-' escaped, a leading '.' or '\''
 * protected so no text is read as a request. */
static void roff_text(FILE *f, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", f);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", f);
		else if (*s == '-')
			fputs("\\-", f);
		else
			fputc(*s, f);
	}
}

/* "s C-s F2" -> \fBs\fR, \fBC\-s\fR, \fBF2\fR (a label shown once even when
 * several codes have it, such as BS). */
static void roff_keys(FILE *f, const char *keys)
{
	char buf[256], *tok, *save, seen[256] = " ";
	bool first = true;
	snprintf(buf, sizeof buf, "%s", keys);
	fputs("\\&", f);
	for (tok = strtok_r(buf, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
		char word[64];
		snprintf(word, sizeof word, " %s ", tok);
		if (strstr(seen, word))
			continue;
		if (strlen(seen) + strlen(tok) + 2 < sizeof seen)
			strcat(strcat(seen, tok), " ");
		fputs(first ? "\\fB" : ", \\fB", f);
		roff_text(f, tok);
		fputs("\\fR", f);
		first = false;
	}
}

/* One screen's actions as .TP entries. */
static void print_screen_keys(FILE *f, unsigned sc)
{
	bool any = false;
	for (int a = 1; a < ACT_COUNT; a++) {
		const action_def *d = &action_table[a];
		char keys[160];
		if (!(d->screens & sc))
			continue;
		if (!any)
			fprintf(f, ".SS %s\n", screen_name(sc));
		any = true;
		action_keys_text((action_id)a, sc, keys, sizeof keys);
		fputs(".TP\n", f);
		if (keys[0])
			roff_keys(f, keys);
		else
			fputs("(no default key)", f);
		fputs("\n", f);
		roff_text(f, d->help);
		fputs(" \\%(\\fI", f);  /* \% first in the word: never hyphenated */
		roff_text(f, d->name);
		fputs("\\fR).\n", f);
	}
}

/* The KEYS section body: the named screens in order, then any other screen
 * bit an action uses. */
static void print_keys(FILE *f)
{
	unsigned used = 0, named = 0;
	for (int a = 1; a < ACT_COUNT; a++)
		used |= action_table[a].screens;
	for (size_t s = 0; s < action_nscreens; s++) {
		print_screen_keys(f, action_screens[s].sc);
		named |= action_screens[s].sc;
	}
	for (unsigned bit = 1; bit; bit <<= 1)
		if ((used & bit) && !(named & bit))
			print_screen_keys(f, bit);
}

/* The REPLAY DIRECTIVES section body: one .TP per line kind. */
static void print_replay(FILE *f)
{
	for (size_t i = 0; i < replay_ndoc; i++) {
		fputs(".TP\n\\&\\fB", f);
		roff_text(f, replay_doc[i].syntax);
		fputs("\\fR\n", f);
		roff_text(f, replay_doc[i].help);
		fputs("\nExample:\n.RS\n.EX\n", f);
		roff_text(f, replay_doc[i].example);
		fputs("\n.EE\n.RE\n", f);
	}
}

int cmd_manual(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "keys")) {
		print_keys(stdout);
	} else if (argc == 2 && !strcmp(argv[1], "replay")) {
		print_replay(stdout);
	} else {
		fputs("usage: ticketed help-roff keys|replay   (roff for the man page)\n", stderr);
		return 1;
	}
	return fflush(stdout) == 0 ? 0 : 1;
}

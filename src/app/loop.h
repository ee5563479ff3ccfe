/* loop.h — between the main loop (editor.c) and the replay runner
 * (replayrun.c), which together are the editor's one input path: a key
 * comes from the replay file or from the terminal, and directives of the
 * replay file check what the loop has shown. Private to src/app.
 *
 * Ownership: a replay owns its parsed lines (replay_free). */
#ifndef TICKETED_APP_LOOP_H
#define TICKETED_APP_LOOP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "ticketed/app.h"
#include "ticketed/replay.h"

typedef struct replay replay;

/* Read and check the whole replay file PATH before anything is loaded or
 * sent: every line parses, directives have valid arguments (:resize within
 * 1..1000, :dump into an existing directory). NULL with "PATH:LINE: what"
 * in ERR. */
replay *replay_load(const char *path, char *err, size_t errlen);
void replay_free(replay *r);

/* The next key of the replay, running the directives before it; TK_NONE
 * after a directive (so the loop redraws) or at the end of the file
 * (replay_ended then says so) or after a failed expectation. */
tkey replay_next_key(app *a, replay *r);
bool replay_ended(const replay *r);
/* Back to the first line for the next ticket of a batch (the report, the
 * failure and the end forgotten). 0, or -1 for a replay read from a FIFO
 * or pipe, which cannot be read again. */
int replay_rewind(replay *r);
/* The exit status once the loop ended with CODE: a failed expectation is 4;
 * an :expect exit that does not match CODE is 4 (with its message). */
int replay_finish(replay *r, int code);
/* What to print on stderr after the terminal is restored ("" if nothing). */
const char *replay_report(const replay *r);

/* What the replay runner needs of the loop. */
const char *app_top_name(const app *a);
/* The top screen's SC_ bit (the help starts with its keys). */
unsigned app_top_sc(const app *a);
/* The top screen's state (for the conflict screen's counts). */
void *app_top_state(const app *a);
/* The screen size changed (the next frame repaints everything). */
void app_repaint(app *a);
/* Stop the loop (a failed expectation): exit status CODE. */
void app_stop(app *a, int code);

/* TEXT edited in EDITOR ($VISUAL or $EDITOR, run by /bin/sh with the file
 * as "$1"; the caller has restored the terminal): the new text (malloc'd),
 * or NULL with ERR (the editor failed: the text is as it was). */
char *app_edit_text(const char *editor, const char *text, char *err, size_t errlen);

/* Create FILE for writing as the user alone can read it (0600), never
 * through a symlink; NULL with ERR. For --record and :dump. */
FILE *app_private_file(const char *path, char *err, size_t errlen);

#endif

/* recent.h — the tickets opened lately, for the ticket picker and shell
 * completion.
 *
 * Where: $XDG_STATE_HOME/ticketed/recent (beside drafts/; the directory is
 * checked and created as draft_dir does: the user's, not group/other
 * writable), mode 0600, replaced atomically (a temp file created O_EXCL,
 * fsync, rename), so a crash never leaves half a file.
 *
 * Format: one ticket a line, the newest first, at most RECENT_MAX lines:
 *     ID <TAB> UNIX-SECONDS <TAB> URL <TAB> TITLE
 * URL is the base URL normalised as the drafts key it (draft.h: no user
 * info, so never a credential); TITLE is the ticket's Title sanitised
 * (escape.h: no control character, tab or newline is ever written) and cut
 * to RECENT_TITLE_MAX bytes. A shell reads the ids with
 * `while IFS=$'\t' read -r id _; do ...`. Lines that are not of this shape
 * are skipped when reading (the file is ours, but never trusted).
 *
 * Ownership: recent_read gives an array the caller frees with recent_free;
 * no cJSON. */
#ifndef TICKETED_RECENT_H
#define TICKETED_RECENT_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#define RECENT_MAX 50
#define RECENT_TITLE_MAX 200

typedef struct {
	long id;
	time_t when;     /* when it was last opened */
	char *url;       /* normalised base URL */
	char *title;     /* sanitised, may be "" */
} recent_entry;

/* The file's path into OUT; with CREATE, its directory is created when
 * missing. 0, or -1 with ERR (unsafe directory, no home). */
int recent_path(char *out, size_t n, bool create, char *err, size_t errlen);

/* Every entry, newest first, into *OUT (*N; none: NULL, 0). A missing file
 * is no entries. 0, or -1 with ERR (unsafe directory or file). */
int recent_read(recent_entry **out, size_t *n, char *err, size_t errlen);
void recent_free(recent_entry *v, size_t n);

/* Ticket ID on URL with TITLE (raw server text, or NULL) was opened at NOW:
 * it goes first, any older line of the same (URL, ID) is dropped, the list
 * is cut to RECENT_MAX. 0, or -1 with ERR. */
int recent_add(const char *url, long id, const char *title, time_t now, char *err, size_t errlen);

#endif

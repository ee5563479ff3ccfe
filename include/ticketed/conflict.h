/* conflict.h — the three-way conflict flow (SPEC 4): after a 409, a 412, a
 * save whose response was lost, or a reload with unsaved edits, every edit
 * the user made is classified against the server's current ticket (theirs)
 * with merge3: rebased, already there, merged per element, or a conflict
 * the user resolves on the conflict screen (m keep mine, t take theirs,
 * e edit a merged value starting from mine, s resubmit, Esc to the form).
 *
 * The model always holds the merged state: conflict_apply makes theirs the
 * model's base and sets each edited field to its merged value (mine while
 * a conflict is open), so the next patch's tests guard THEIR values and no
 * edit is ever lost: it is on the server or still pending in the form.
 * A CustomFields edit is split into one item per changed key.
 *
 * Ownership: a conflict_set owns its items and their cJSON copies (free
 * with conflict_free); conflict_build only reads the model and THEIRS;
 * conflict_apply takes THEIRS (it becomes the model's base). */
#ifndef TICKETED_CONFLICT_H
#define TICKETED_CONFLICT_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/action.h"
#include "ticketed/keys.h"
#include "ticketed/merge3.h"
#include "ticketed/model.h"

typedef enum {
	CR_OPEN,    /* a conflict not decided yet (mine stays pending) */
	CR_MINE,    /* m: keep mine (sent with a test of theirs) */
	CR_THEIRS,  /* t: take theirs (no op) */
	CR_EDITED   /* e: a merged value the user typed */
} conflict_res;

typedef struct {
	const field_def *f;
	char *sub;                     /* CustomFields key, or NULL: the whole field */
	char *label;                   /* "Title", "Custom fields/x_note" */
	char *path;                    /* form path: "Title", "CustomFields/x_note" */
	cJSON *base, *mine, *theirs;   /* owned copies; NULL = absent */
	cJSON *merged;                 /* not a conflict: the value kept (owned; NULL = absent) */
	merge3_class cls;
	conflict_res res;
	char why[160];                 /* merge3's reason for a conflict */
} conflict_item;

typedef struct {
	conflict_item *v;
	size_t n;
	size_t nconflicts;
	size_t cur;        /* the selected item (a conflict), index into v */
	size_t top;        /* first screen line shown */
	bool scrolled;     /* the view was scrolled: do not pull it back to the selection */
	long trigger;      /* 409, 412, 0 (response lost) or 200 (reload) */
} conflict_set;

/* Classify every edit of M (base = the old base, edits = mine) against
 * THEIRS (a ticket object, only read). Returns the number of conflicts. */
size_t conflict_build(conflict_set *cs, const model *m, const cJSON *theirs);
void conflict_free(conflict_set *cs);

/* THEIRS (taken) becomes M's base, edits and undo history are replaced by
 * the items' values: merged for non-conflicts, by resolution for conflicts
 * (open: mine). Call once, after conflict_build on the same M. */
void conflict_apply(const conflict_set *cs, model *m, cJSON *theirs);

/* Resolve item I with R (CR_MINE / CR_THEIRS / CR_EDITED) and set its value
 * in M (already rebased by conflict_apply): mine, theirs, or (CR_EDITED)
 * mine as the starting point of the user's edit. */
void conflict_resolve(conflict_set *cs, model *m, size_t i, conflict_res r);

/* Conflicts not decided yet. */
size_t conflict_open(const conflict_set *cs);

/* Index of the conflict item for form PATH (case-insensitive), or -1. */
long conflict_find(const conflict_set *cs, const char *path);

/* Labels of the items of class C, ", "-separated, into BUF. Returns how many. */
size_t conflict_list(const conflict_set *cs, merge3_class c, char *buf, size_t n);

/* Name of a resolution ("open", "mine", "theirs", "edited"). */
const char *conflict_res_name(conflict_res r);

/* Lines of S (untrusted) for a column WIDTH columns wide: split at newlines,
 * sanitised (text.h), wrapped by columns (a wide character is never split).
 * Returns a malloc'd array of malloc'd lines in *OUT and their number (at
 * least one). Free with conflict_lines_free. */
size_t conflict_wrap(const char *s, int width, char ***out);
void conflict_lines_free(char **lines, size_t n);

/* The screen (the ed is editor.h's; these are its SCR_CONFLICT pair). */
typedef struct ed ed;
/* Start the flow with THEIRS (taken), the ticket just re-read after
 * TRIGGER (409, 412, 0 lost response, 200 reload with edits): classify,
 * rebase the model onto theirs, open the screen when a conflict needs the
 * user. Returns true when the edits rebased cleanly after a failed save
 * and should be resubmitted at once. */
bool conflict_begin(ed *e, cJSON *theirs, long trigger);
void conflict_draw(ed *e);
unsigned conflict_key(ed *e, action_id act, tkey k);

#endif

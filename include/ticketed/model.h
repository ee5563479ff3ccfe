/* model.h — the ticket being edited, without curses: the base document as
 * loaded, the user's edits field by field, undo/redo, and the patch built
 * from the edits (diff_field per edited field, never the whole document).
 *
 * An edit holds the whole value of one schema field (for CustomFields: the
 * whole map with the user's keys changed). A field whose edited value equals
 * its base value again is not modified. Unknown fields are never edited and
 * so round-trip untouched.
 *
 * Ownership: the model owns its base document (model_init and model_rebase
 * take it) and owned copies of every edited value; model_set takes VALUE.
 * Returned const cJSON * borrow from the model until its next change;
 * model_patch returns a new array the caller frees. */
#ifndef TICKETED_MODEL_H
#define TICKETED_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/diff.h"
#include "ticketed/schema.h"

typedef struct {
	const field_def *f;
	cJSON *value;        /* the edited value (NULL: member absent) */
} model_edit;

typedef struct {
	const field_def *f;
	bool was_modified;   /* the field's state before the step */
	cJSON *was;          /* its edited value then (if was_modified) */
} model_step;

typedef struct {
	model_step *v;
	size_t n, cap;
} model_stack;

/* An edit that could not be kept on reload because the server changed the
 * same field: base (the old base value), mine; theirs is the new base. For
 * the conflict screen. */
typedef struct {
	const field_def *f;
	char *sub;           /* map key, or NULL */
	cJSON *base, *mine;  /* NULL: absent */
} model_conflict;

typedef struct {
	cJSON *base;
	model_conflict *conflicts;
	size_t nconflicts;
	model_edit *edits;   /* in no particular order; the patch follows the schema */
	size_t nedits, capedits;
	model_stack undo, redo;
} model;

/* Take BASE (a ticket object) as the document being edited. */
void model_init(model *m, cJSON *base);
void model_free(model *m);

/* The base value of F (NULL if absent) and the current (edited or base) value. */
const cJSON *model_base(const model *m, const field_def *f);
const cJSON *model_value(const model *m, const field_def *f);
/* The member spelling in the base document, else the schema's. */
const char *model_key(const model *m, const field_def *f);

bool model_is_modified(const model *m, const field_def *f);

/* Set F to VALUE (taken; NULL removes the member). Recorded for undo; the
 * redo stack is cleared. A value equal to the base un-modifies the field. */
void model_set(model *m, const field_def *f, cJSON *value);

/* Revert F to its base value (an undoable step). Returns false if F was
 * not modified. */
bool model_revert(model *m, const field_def *f);

/* Undo / redo one step; returns the field it changed or NULL. */
const field_def *model_undo(model *m);
const field_def *model_redo(model *m);

/* Map fields (FK_MAP): one key's base / current value, whether it differs,
 * and setting it (VALUE taken; NULL removes the key). */
const cJSON *model_map_base(const model *m, const field_def *f, const char *key);
const cJSON *model_map_value(const model *m, const field_def *f, const char *key);
bool model_map_modified(const model *m, const field_def *f, const char *key);
void model_map_set(model *m, const field_def *f, const char *key, cJSON *value);

/* Number of modified rows (a map counts each changed key). */
int model_modified(const model *m);

/* The patch for the current edits, tests then mutations in form order. */
cJSON *model_patch(const model *m, diff_mode mode);

/* If-Unmodified-Since for strict mode: the base LastChanged truncated to the
 * second as an HTTP date. Returns 0, or -1 if LastChanged is missing/bad. */
int model_if_unmodified_since(const model *m, char *buf, size_t n);

/* The same when the service's dates without an offset are in SERVER_TZ (the
 * config's server_timezone, servertz.h; NULL: UTC). */
int model_if_unmodified_since_tz(const model *m, const char *server_tz, char *buf, size_t n);

/* After a successful save: NEWBASE (taken) becomes the base and the edits
 * and undo history are cleared. */
void model_rebase(model *m, cJSON *newbase);

/* Reload: NEWBASE (taken) becomes the base. Edits whose base value is the
 * same in NEWBASE are kept (dropped if NEWBASE already has the edited value);
 * the others move to m->conflicts (replacing earlier ones) and their labels
 * are listed in LOST (", "-separated). Returns the number of conflicts. */
int model_reload(model *m, cJSON *newbase, char *lost, size_t lostlen);

/* Forget the conflicts kept by the last reload. */
void model_clear_conflicts(model *m);

#endif

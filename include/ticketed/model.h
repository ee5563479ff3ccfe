/* model.h — the ticket being edited, without curses: the base document as
 * loaded, the user's edits field by field, undo/redo, and the patch built
 * from the edits (diff_field per edited field, never the whole document).
 *
 * An edit holds the whole value of one schema field (for CustomFields: the
 * whole map with the user's keys changed). A field whose edited value equals
 * its base value again is not modified. Unknown fields are never edited and
 * so round-trip untouched.
 *
 * Sizes: what the form and the draft ask per row or per key is answered
 * from indexes built once per base (load, rebase, merge) and once per edited
 * value: the base member of every schema field, a sorted key index
 * (mapidx.h) of every map field's base and edited value, the keys an edit
 * changes, the newest messages, and the open clashes sorted by path. So
 * loading, drawing, counting modified rows and merging a map of n keys cost
 * O(n log n), never a linear lookup per key. Setting one key of a map still
 * copies the map (the edit holds the whole value, and undo keeps the one
 * before): O(n) per key set.
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
#include "ticketed/mapidx.h"
#include "ticketed/merge3.h"
#include "ticketed/schema.h"

typedef struct {
	const field_def *f;
	cJSON *value;        /* the edited value (NULL: member absent) */
	/* map fields (FK_MAP): */
	mapidx idx;          /* the value's keys */
	const char **keys;   /* the keys whose value differs from the base: the
	                        value's in its order, then those it removed
	                        (names borrowed from the value or the base) */
	size_t nkeys;
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

/* An open conflict: the user's edit of field F (or of key SUB of a map
 * field) was made against BASIS, and the server's value (the model's base
 * value now: "theirs") is a different one that the user has not chosen
 * against yet. Mine is the model's current value. While a clash is open,
 * model_patch sends nothing for it, and it stays open until the user
 * decides (model_resolve) or a later merge finds it settled: theirs equal
 * to mine, or back at BASIS (mine then rebases). A value the user sets back
 * to BASIS on the form is not a choice: the clash stays open. */
typedef struct {
	const field_def *f;
	char *sub;           /* map key, or NULL: the whole field */
	char *label;         /* "Title", "Custom fields/x_note" */
	char *path;          /* the form path: "Title", "CustomFields/x_note" */
	cJSON *basis;        /* NULL: absent */
	char why[160];       /* the merge's reason */
} model_clash;

/* What model_merge did with one edit item. */
typedef struct {
	const field_def *f;
	char *sub;
	char *label, *path;
	merge3_class cls;
} model_merged;

typedef struct {
	model_merged *v;
	size_t n, cap;
	size_t nconflicts;
} model_merge_report;

/* How many of the newest messages the model keeps at hand (the form lists them). */
#define MODEL_NEWEST_MESSAGES 3

/* The base's Messages, summarised once per base: their number and the
 * newest few (by CreatedAt; for a member kept as raw text by a lazy parse,
 * the last ones in the array), newest first, as parsed copies. */
typedef struct {
	int total;
	int n;
	int index[MODEL_NEWEST_MESSAGES];     /* position in the array */
	cJSON *msg[MODEL_NEWEST_MESSAGES];    /* owned copies */
} model_messages;

typedef struct {
	cJSON *base;
	unsigned long base_gen;  /* changes (unique in the process) whenever the base does */
	unsigned long gen;       /* the same whenever the base, an edit or a clash does */
	const cJSON **member;    /* per schema field: its member in the base, or NULL */
	mapidx *base_idx;        /* per schema field: the keys of a map field's base value */
	model_messages msgs;
	/* The custom field definitions (cfmeta.h, GET Ticket/CustomField) that
	 * label and type the CustomFields keys, or NULL (not loaded, or not
	 * available): borrowed from the app, never freed by the model, kept by
	 * everything but model_init and model_free. */
	const struct cf_meta *cf;
	model_clash *clashes;
	size_t *clash_ix;        /* clashes sorted by path (case-insensitive), then exactly */
	size_t nclashes, capclashes;
	model_edit *edits;   /* in no particular order; the patch follows the schema */
	size_t nedits, capedits;
	model_stack undo, redo;
} model;

/* The Messages summary of the base. */
const model_messages *model_base_messages(const model *m);

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
/* The keys of map field F whose value differs from the base (*N of them;
 * the edited value's in its order, then the removed ones), borrowed until
 * the model's next change. */
const char *const *model_map_changed(const model *m, const field_def *f, size_t *n);

/* Number of modified rows (a map counts each changed key), open clashes
 * included. */
int model_modified(const model *m);

/* The patch for the current edits, tests then mutations in form order.
 * Fields and keys with an open clash are left out: nothing is ever sent
 * over a server value the user has not chosen against. */
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

/* Merge the edits onto THEIRS (taken; a newer server copy), the one merge
 * of every path that meets one (re-read after 409/412 or a lost response,
 * reload, draft restore): each edited field, and each changed key of a map
 * field, is classified with merge3_item against the value it was made
 * against (its clash's basis when one is open, else the old base value).
 * THEIRS becomes the base; rebased and merged edits are kept, edits already
 * there and untouched fields take theirs, and conflicts become open clashes
 * (replacing the earlier ones) holding mine as the current value. Undo
 * history is cleared. REP (may be NULL) receives what happened to each item
 * (free with model_merge_report_free). Returns the number of open clashes. */
size_t model_merge(model *m, cJSON *theirs, model_merge_report *rep);
void model_merge_report_free(model_merge_report *rep);

/* Open clashes. */
size_t model_nclashes(const model *m);
/* The index of the clash for form PATH (case-insensitive), or -1. */
long model_clash_find(const model *m, const char *path);
/* The clash on field F (SUB: map key or NULL), or NULL. */
const model_clash *model_clash_of(const model *m, const field_def *f, const char *sub);

/* Open a clash on F (SUB: map key or NULL) whose edit was made against
 * BASIS (copied; NULL = absent), replacing one on the same item: a draft
 * entry journaled while its conflict was open is restored with it, so the
 * next model_merge asks again even when the value is back at BASIS. */
void model_clash_open(model *m, const field_def *f, const char *sub, const cJSON *basis, const char *why);
/* The same for N items at once, in O(n log n) (a draft's conflict entries);
 * an item given twice: the last wins. */
typedef struct {
	const field_def *f;
	const char *sub;
	const cJSON *basis;
} model_clash_item;
void model_clashes_open(model *m, const model_clash_item *v, size_t n, const char *why);

typedef enum { RESOLVE_MINE, RESOLVE_THEIRS, RESOLVE_EDITED } model_resolution;

/* Close clash I: RESOLVE_MINE keeps the current value (the next patch tests
 * theirs), RESOLVE_THEIRS sets the field or key back to theirs,
 * RESOLVE_EDITED sets VALUE (taken; NULL = absent; only with EDITED).
 * Clears the undo history (a choice is not undone by u). */
void model_resolve(model *m, size_t i, model_resolution r, cJSON *value);

#endif

/* merge3.h — the one three-way merge of the user's edits onto the server's
 * current ticket ("theirs"). It serves every path that meets a newer server
 * copy: a re-read after 409/412, a reload with unsaved edits, a draft
 * restore, and a save whose response was lost.
 *
 * Given a schema field (or one key of a map field) with the value the user's
 * edit was made against (basis), the user's value (mine) and the server's
 * (theirs), say whether the edit rebases cleanly, is already there, merges
 * element by element (sets), or is a real conflict, and build the value to
 * keep. Map keys are compared exactly (JSON member names are case-sensitive;
 * the form shows each key as its own row).
 *
 * Ownership: inputs are only read (NULL = member absent); *OUT receives a new
 * tree the caller frees (NULL when the merged field is absent or on conflict). */
#ifndef TICKETED_MERGE3_H
#define TICKETED_MERGE3_H

#include <cjson/cJSON.h>
#include "ticketed/schema.h"

typedef enum {
	M3_THEIRS,   /* mine == base: the user did not change it; take theirs */
	M3_REBASE,   /* theirs == base: keep mine on top of theirs */
	M3_ALREADY,  /* theirs == mine: already there, nothing to send */
	M3_MERGED,   /* both changed different elements/keys: merged per element */
	M3_CONFLICT  /* both changed the same thing differently */
} merge3_class;

/* Classify and merge one field. References compare by their key member;
 * FK_REFSET merges per element (matched by key) and FK_MAP per key: my added
 * tag + their added tag -> both; a tag both removed -> gone; a tag I removed
 * that they changed (or vice versa) -> conflict. WHY (may be NULL) gets a
 * short reason on conflict. */
merge3_class merge3_field(const field_def *f, const cJSON *base, const cJSON *mine,
                          const cJSON *theirs, cJSON **out, char *why, size_t whylen);

/* One edit to merge: the whole field F (SUB NULL), or key SUB of map field F
 * (FK_MAP) whose values are the key's values. All borrowed; NULL = absent. */
typedef struct {
	const field_def *f;
	const char *sub;
	const cJSON *basis, *mine, *theirs;
} merge3_in;

/* Classify and merge one edit item. *OUT gets the value to keep: theirs as
 * the server has it for M3_THEIRS and M3_ALREADY (its names and spelling),
 * mine for M3_REBASE, the merged value for M3_MERGED, NULL on conflict (and
 * when the kept value is absent). */
merge3_class merge3_item(const merge3_in *in, cJSON **out, char *why, size_t whylen);

/* Name of a class ("rebase", "already", ...). */
const char *merge3_class_name(merge3_class c);

#endif

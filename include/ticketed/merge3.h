/* merge3.h — per-field three-way merge for the conflict screen (SPEC 4).
 *
 * Given a schema field and its base / mine / theirs values, say whether the
 * user's edit rebases cleanly, is already there, merges element by element
 * (sets and maps), or is a real conflict, and build the merged value.
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

/* Name of a class ("rebase", "already", ...). */
const char *merge3_class_name(merge3_class c);

#endif

/* diff.h — the minimal, guarded JSON Patch between two tickets,
 * and a generic JSON diff (objects recursively, arrays by LCS).
 *
 * Ownership: the returned patch is a new cJSON array the caller frees.
 * Inputs are only read; values in ops are copies. */
#ifndef TICKETED_DIFF_H
#define TICKETED_DIFF_H

#include <cjson/cJSON.h>
#include "ticketed/schema.h"

typedef enum {
	DIFF_FIELDS, /* guard every replace/remove with a test of the base value */
	DIFF_NONE    /* no tests */
} diff_mode;

/* Accumulates ops for one patch: tests and mutations are kept apart so the
 * finished patch has all tests first, then mutations, each in the order the
 * fields were added (form order). */
typedef struct {
	cJSON *tests;
	cJSON *ops;
	diff_mode mode;
} diff_acc;

void diff_acc_init(diff_acc *acc, diff_mode mode);
/* Returns the patch (tests then ops) and resets ACC; caller frees. */
cJSON *diff_acc_finish(diff_acc *acc);
void diff_acc_free(diff_acc *acc);

/* Diff one schema field. KEY is the member name as spelled in the base
 * document (or the schema's spelling when absent there). BV/EV are the base
 * and edited values (NULL when the member is absent). Appends the field's
 * ops to ACC. O(size of this field), never walks the rest of the ticket. */
void diff_field(diff_acc *acc, const field_def *f, const char *key,
                const cJSON *bv, const cJSON *ev);

/* Whole-ticket diff: every schema field in form order through diff_field.
 * Read-only and unknown fields, and fields BASE's rights (TableRight,
 * FieldProperties: schema_field_editable) make read-only, produce no op; if one differs, WARN (may be
 * NULL) is called with a message naming it. Keys of EDITED are matched to
 * BASE case-insensitively and paths use BASE's spelling. */
cJSON *diff_ticket(const cJSON *base, const cJSON *edited, diff_mode mode,
                   void (*warn)(const char *msg, void *ctx), void *ctx);

/* Schema-free diff of any JSON: objects member by member, arrays by a
 * longest common subsequence of elements (an insertion is one add). In
 * DIFF_FIELDS mode replace/remove ops are preceded by tests. */
cJSON *diff_generic(const cJSON *base, const cJSON *edited, diff_mode mode);

#endif

/* patch.h — JSON Patch (RFC 6902) and JSON Merge Patch (RFC 7396).
 *
 * Apply is atomic: on failure *DOC is exactly as it was. All six ops are
 * implemented; PATCH_SERVICE narrows to what the SuperOffice service allows.
 *
 * Ownership: patch_apply/merge_apply may replace *DOC (the old tree is freed
 * and the caller owns the new one). PATCH and MERGE are only read.
 * merge_to_patch returns a new array the caller frees. */
#ifndef TICKETED_PATCH_H
#define TICKETED_PATCH_H

#include <cjson/cJSON.h>

enum {
	PATCH_STRICT = 0,       /* RFC 6902 as written */
	PATCH_SERVICE = 1 << 0  /* paths case-insensitive, leading '/' optional,
	                           move/copy refused */
};

typedef enum {
	PATCH_OK = 0,
	PATCH_EMALFORMED,   /* not an array, op not an object, missing member, bad pointer */
	PATCH_EUNSUPPORTED, /* move/copy under PATCH_SERVICE, unknown op */
	PATCH_EPATH,        /* path (or from) does not exist / bad index */
	PATCH_ETEST,        /* a test op failed */
	PATCH_ENOMEM        /* out of memory (the document is untouched) */
} patch_status;

typedef struct {
	patch_status status;
	int index;          /* the failing op's index (0-based), -1 if the patch itself is bad */
	char msg[256];      /* human-readable reason */
} patch_error;

/* Apply PATCH (an array of ops) to *DOC. Returns PATCH_OK or the error,
 * with ERR filled (ERR may be NULL). */
patch_status patch_apply(cJSON **doc, const cJSON *patch, int flags, patch_error *err);

/* Apply a merge patch (RFC 7396) to *DOC, atomically: PATCH_OK, or
 * PATCH_ENOMEM with *DOC untouched. It goes through merge_to_patch and
 * patch_apply. */
patch_status merge_apply(cJSON **doc, const cJSON *merge);

/* Convert a merge patch into the JSON Patch that has the same effect on DOC
 * (add/replace/remove ops, object members in the merge's order). FLAGS:
 * PATCH_SERVICE matches DOC's keys case-insensitively and uses DOC's spelling.
 * NULL when out of memory (never a partial patch). */
cJSON *merge_to_patch(const cJSON *doc, const cJSON *merge, int flags);

#endif

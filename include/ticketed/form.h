/* form.h — the rows of the ticket form built from the schema table and the
 * model: section headings, one row per field, one per CustomFields key,
 * the Messages summary, unknown members (read-only, System). Also the value
 * of each row as text, as the form shows it (before sanitising). The
 * CustomFields rows follow the model's custom field definitions when it
 * has them (labels, Rank order, hidden and read-only fields, hints).
 *
 * Ownership: form_rows owns its rows and their strings (form_rows_free);
 * form_row_text returns a malloc'd string; the model is only read. */
#ifndef TICKETED_FORM_H
#define TICKETED_FORM_H

#include <stdbool.h>
#include <stddef.h>
#include "ticketed/model.h"

typedef enum {
	ROW_SECTION,   /* a heading */
	ROW_FIELD,     /* a schema field */
	ROW_MAPKEY,    /* one key of a FK_MAP field (sub = the key) */
	ROW_MESSAGE,   /* one of the newest messages (index = position in the array) */
	ROW_UNKNOWN,   /* a member the schema does not know (sub = its name) */
	ROW_NOTE       /* an informational line, e.g. "(none)" */
} row_kind;

typedef struct {
	row_kind kind;
	int section;             /* field_section */
	const field_def *f;      /* ROW_FIELD, ROW_MAPKEY */
	char *sub;               /* map key or unknown member name */
	int index;               /* ROW_MESSAGE */
	char *label;
	char *hint;              /* shown in the status line on the row (a custom field's Description), or NULL */
	char *path;              /* "Title", "CustomFields/x_note" (for :expect field) */
	bool editable;
} form_row;

typedef struct {
	form_row *v;
	size_t n;
} form_rows;

/* How many of the newest messages the form lists under the summary. */
#define FORM_MESSAGES_SHOWN MODEL_NEWEST_MESSAGES

/* Build the rows for the model's current state (edited map keys included). */
void form_build(form_rows *rows, const model *m);
void form_rows_free(form_rows *rows);

/* The row's value as shown (not yet sanitised); malloc'd. LISTS: the
 * cached MDO lists by name (names of set elements added by key), or NULL. */
char *form_row_text(const model *m, const form_row *r, const cJSON *lists);

/* Whether the row is modified (the '*' marker). */
bool form_row_modified(const model *m, const form_row *r);

/* The index of the row whose path is PATH (case-insensitive), or -1. */
long form_find_path(const form_rows *rows, const char *path);

/* The best row for NEEDLE (case-insensitive): an exact label or path, else
 * a prefix, else a substring; among equals the first at or after FROM
 * (wrapping). -1 if none. */
long form_find_label(const form_rows *rows, size_t from, const char *needle);

/* Text of a JSON value for the form: strings as is, null as "", numbers and
 * booleans as JSON, objects/arrays compact JSON. malloc'd. */
char *form_json_text(const cJSON *v);

#endif

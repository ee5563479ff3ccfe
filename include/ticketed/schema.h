/* schema.h — the TicketEntity schema: one table, in form order, that says
 * for each field its kind, section, whether it is editable and how it diffs.
 * Rights (FieldProperties / TableRight) narrow editability per ticket.
 *
 * Ownership: the table is static; functions only read the ticket passed in. */
#ifndef TICKETED_SCHEMA_H
#define TICKETED_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef enum {
	FK_STRING,   /* line editor, UTF-8 */
	FK_INT32,    /* line editor, digits, int32 range */
	FK_BOOL,     /* toggles (no ticket field uses it yet; custom values do) */
	FK_ENUM,     /* pick list of fixed names (field_def.enums) */
	FK_DATE,     /* line editor, validated, keeps the server's date style */
	FK_REF,      /* object diffed by its key member only, e.g. OwnedBy/AssociateId */
	FK_REFSET,   /* array of objects, a set matched by key, e.g. Tags by Id */
	FK_MAP,      /* object of free keys, one op per key (CustomFields) */
	FK_READONLY  /* shown, never edited, never diffed */
} field_kind;

typedef enum {
	SEC_SUMMARY, SEC_PEOPLE, SEC_TAGS, SEC_CUSTOM, SEC_TIMING, SEC_MESSAGES, SEC_SYSTEM,
	SEC_COUNT
} field_section;

typedef struct {
	const char *name;    /* JSON member, canonical spelling ("OwnedBy") */
	const char *label;   /* label in the form ("Owner") */
	field_kind kind;
	field_section section;
	const char *key;     /* FK_REF/FK_REFSET: key member ("AssociateId", "Id") */
	const char *display; /* FK_REF/FK_REFSET: member shown ("FullName", "Name") */
	const char *list;    /* MDO list name ("associate") or NULL */
	const char *const *enums; /* FK_ENUM: NULL-terminated names */
	bool search;         /* FK_REF/FK_REFSET: LIST is searched (?query=), never fetched whole */
} field_def;

extern const field_def schema_fields[];
extern const size_t schema_nfields;
extern const char *const schema_section_names[SEC_COUNT];

/* Field by JSON name, case-insensitive; NULL for fields the schema does not know. */
const field_def *schema_find(const char *name);

/* The key of a reference (FK_REF) or of one element of a set (FK_REFSET):
 * its key member, or the value itself when it has none. Borrowed from V. */
const cJSON *schema_ref_key(const field_def *f, const cJSON *v);

/* Whether A and B are the same value of F as the service sees it: a
 * reference by its key member, a set by the keys of its elements (order
 * and display names do not count), anything else by json_equal.
 * The diff, the merge and the form's "modified" all ask this one question. */
bool schema_same(const field_def *f, const cJSON *a, const cJSON *b);

/* Whether the ticket's TableRight grants Update (missing TableRight: yes). */
bool schema_ticket_updatable(const cJSON *ticket);

/* Whether field F may be edited in TICKET: kind not read-only, table
 * updatable, and FieldProperties.<name>.FieldRight.Mask (if present) grants
 * Write/Update/FULL without UIHintReadOnly. */
bool schema_field_editable(const cJSON *ticket, const field_def *f);

/* Whether FieldProperties marks F UIHintMandatory. */
bool schema_field_mandatory(const cJSON *ticket, const field_def *f);

/* Parse a FieldRight mask string ("Update, UIHintMandatory", "FULL",
 * "Read", "67") into EFieldRight bits: Read=1 Write=2 Unused1..4=4..32
 * Nullable=32 Mandatory=64 ReadOnly=128 UndefinedValue256=256. */
unsigned schema_mask_bits(const char *mask);

/* Parse a TableRight mask ("FULL", "Select, Update", "UR") into ETableRight
 * bits: Select=1 Update=2 Insert=4 Delete=8 Filtering=16
 * RestrictedUpdate=32 Unused1=64 Uninitialized=128; FULL=15. */
unsigned schema_table_bits(const char *mask);

#endif

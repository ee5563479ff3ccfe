/* values.h — field values as text and text as field values, without curses:
 * what the line editor starts from, what typed text becomes (or why it is
 * refused, and where), how a value reads on the form and the conflict
 * screen, and the items of a reference's pick list from its MDO list.
 * One copy of each, shared by every screen.
 *
 * Ownership: returned strings are malloc'd (free them); returned cJSON are
 * new trees the caller owns (usually handed to the model, which takes
 * them); LISTS and models are only read. */
#ifndef TICKETED_VALUES_H
#define TICKETED_VALUES_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/model.h"
#include "ticketed/schema.h"

/* The id OwnedBy uses for automatic assignment ("2147483647 (MaxInt) will
 * make it automatically assigned", TicketEntity reference). */
#define VALUE_OWNER_AUTO 2147483647L

/* A strict decimal id or int32: digits only (a leading '-' with SIGNED),
 * within int32. 0 and *OUT, or -1. */
int value_parse_int32(const char *s, bool allow_sign, long *out);

/* The text the line editor starts with for field F (SUB: map key) of M:
 * a reference's key id, a date as shown without its weekday, a custom
 * value decoded ("14" for "[I:14]"), a value as the form shows it otherwise. */
char *value_edit_text(const model *m, const field_def *f, const char *sub);

/* What TEXT (typed for field F, SUB a map key or NULL) becomes: *OUT a new
 * value (NULL: absent) and 0, or -1 with the reason in ERR (a predicate:
 * "is not a valid date: ...") and the byte offset of the problem in *ERRPOS
 * ((size_t)-1 when it is the whole text). A date is read in the user's
 * zone (date_parse_typed: "2026-12-05 17:00", "2026-12-05", "+3d",
 * "tomorrow 09:00"; blank empties it) and written in the server's style
 * (date_for_server; empty as 0001-01-01T00:00:00); the text it started with
 * gives the current value back unchanged. A CustomFields key takes what a
 * person types for its FieldType (the definition, else the encoding of its
 * value: "15" in an [I:14] field) and becomes a string encoded as the value
 * was ("[I:15]"): never a JSON number or boolean. SERVER_TZ is unused (kept
 * for callers; value_dates_init has it). */
int value_from_text(const model *m, const field_def *f, const char *sub, const char *text,
                    const char *server_tz, cJSON **out, char *err, size_t errlen, size_t *errpos);

/* TEXT read as a JSON-ish value: "text" quoted or bare text is a string, a
 * JSON number, true, false or null as such. NULL only for a malformed
 * quoted string (ERR says why). (CustomFields values are never typed this
 * way: they are encoded strings, see value_from_text.) */
cJSON *value_parse_custom(const char *text, char *err, size_t errlen);

/* Dates are shown and typed in the user's zone (the process's TZ) and
 * written back in the server's style: SERVER_TZ (the config's
 * server_timezone, may be NULL) reads naive dates and gives the offset of
 * what is written. Call once before the others. */
void value_dates_init(const char *server_tz);

/* The user's zone as the header names it: TZ ("Europe/Oslo"), else its
 * offset now ("UTC+01:00"). */
void value_zone_label(char *buf, size_t n);

/* Date S from the service as people read it: "2026-11-28 16:00 (Sat)" in
 * the user's zone, "" for an empty date (NULL, 0001-01-01T00:00:00), S
 * itself when it is not a date. malloc'd. */
char *value_date_show(const char *s);

/* The same to the minute ("2026-11-26 15:02 (Thu)"), for headers. */
char *value_date_minute(const char *s);

/* The zone that reads TEXT typed for a date ("Europe/Oslo (UTC+01:00)",
 * or the offset typed with it); "" when TEXT is blank or not a date. */
void value_date_zone_used(const char *text, char *buf, size_t n);

/* The language names are shown in (a tag as in Accept-Language, "nb-NO";
 * NULL or "": US/EN, then the first). Set once at start-up. */
void value_set_language(const char *tag);
/* S for people: a multi-language name ("NO:\"Leverandør\";US:\"Supplier\"")
 * in that language, anything else as it is. malloc'd. */
char *value_name_text(const char *s);

/* Custom field KEY's value V as a person reads it: decoded by the field's
 * FieldType (M's custom field definitions) or else by its encoding: "[I:14]"
 * reads 14, "[F:4.5]" 4.5, "[D:12/02/2026]" 2026-12-02, a checkbox yes/no,
 * text as it is; a value that does not decode as it came. malloc'd. */
char *value_custom_text(const model *m, const char *key, const cJSON *v);
/* Whether custom field KEY of map field F is a checkbox (by its definition,
 * or a JSON boolean from a service that is not a real one). */
bool value_custom_is_checkbox(const model *m, const field_def *f, const char *key);
/* The value a checkbox KEY toggles to ("[I:0]" <-> "[I:1]", unset -> "[I:1]"),
 * or NULL when KEY is not an encoded checkbox. */
cJSON *value_custom_toggle(const model *m, const field_def *f, const char *key);

/* A reference object (F->kind FK_REF) set to key ID: the current object's
 * other members dropped (names are the server's, never sent), the picked
 * item's name (ITEM "Name (Id)", may be NULL) as the display member. */
cJSON *value_ref(const field_def *f, long id, const char *item);

/* The member of the cached lists (LISTS below) that holds names learned
 * by id outside any MDO list: {"PersonId": {"501": "Ingrid Fjellheim"}}. */
#define VALUE_NAMES "_names"

/* A value as a person reads it: references "Name (id)" (people with their
 * e-mail), sets "Name, Name" (names of key-only elements from LISTS, the
 * cached MDO lists by name, may be NULL), dates as value_date_show (also
 * those of read-only fields), "" for null, JSON otherwise.
 * EMPTY is what an absent value reads as (NULL: ""). Not sanitised. */
char *value_text(const field_def *f, const cJSON *v, const cJSON *lists, const char *empty);

/* One element of a set of references as text: "Name <e-mail> (id)". */
char *value_elem_text(const field_def *f, const cJSON *el, const cJSON *lists);

/* Pick-list items for reference F from its MDO LIST (an array of
 * {Id, Name, FullName, Deleted, ChildItems...}): "Name (Id)" with the full
 * path for nested items, deleted items only when their id is CURRENT (then
 * marked "deleted"), OwnedBy's Unassigned (0) and Automatic first. Sets
 * *ITEMS and *IDS (malloc'd, N entries, the strings malloc'd) and *SEL to
 * CURRENT's index (or -1). Returns N. */
size_t value_ref_items(const field_def *f, const cJSON *list, long current, bool have_current,
                       char ***items, long **ids, long *sel);

/* The display name of the item with Id ID in MDO LIST (nested lists
 * searched too), or NULL. */
const char *value_list_name(const cJSON *list, long id);

#endif

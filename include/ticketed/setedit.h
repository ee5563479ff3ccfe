/* setedit.h — editing the collection fields of the ticket: the sub-list
 * screen for sets of references (Tags by Id, SecondaryPersons by PersonId:
 * a add, d/Del remove, Enter/Esc back; diffed as sets by diff_field),
 * adding and removing CustomFields keys and turning typed text into a
 * custom value of the right JSON type, and the items of a reference's pick
 * list from its MDO list (deleted items hidden unless selected, OwnedBy's
 * Unassigned 0 and Automatic 2147483647, categories as full paths).
 *
 * Screens: SCR_SET (the sub-list), SCR_SETPICK (a tag from the tags list)
 * and SCR_PROMPT (one line of text: a PersonId, a new key, a new value);
 * their draw/key functions are in screen_table.
 *
 * Ownership: values handed to the model are new cJSON the model takes; the
 * MDO lists stay owned by the ed (e->lists); setedit_ref_items returns
 * malloc'd arrays the caller frees. */
#ifndef TICKETED_SETEDIT_H
#define TICKETED_SETEDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/action.h"
#include "ticketed/api.h"
#include "ticketed/form.h"
#include "ticketed/schema.h"

typedef struct ed ed;
typedef unsigned reaction;

/* The id OwnedBy uses for automatic assignment (api-notes §8). */
#define SETEDIT_OWNER_AUTO 2147483647L

/* What SCR_PROMPT is asking for. */
typedef enum { PROMPT_SET_ID, PROMPT_CF_KEY, PROMPT_CF_VALUE } prompt_kind;

/* Pick-list items for reference F from its MDO LIST (an array of
 * {Id, Name, FullName, Deleted, ChildItems...}): "Name (Id)" with the full
 * path for nested items, deleted items only when their id is CURRENT (then
 * marked "deleted"), OwnedBy's Unassigned (0) and Automatic first. Sets
 * *ITEMS and *IDS (malloc'd, N entries, the strings malloc'd) and *SEL to
 * CURRENT's index (or -1). Returns N. */
size_t setedit_ref_items(const field_def *f, const cJSON *list, long current, bool have_current,
                         char ***items, long **ids, long *sel);

/* The display name of the element with key ID in MDO LIST, or NULL. */
const char *setedit_list_name(const cJSON *list, long id);

/* Open the sub-list screen for the set field at form row ROW. */
reaction setedit_open(ed *e, size_t row);

/* The form's add / remove actions on the current row (custom keys, sets). */
reaction setedit_form_add(ed *e);
reaction setedit_form_remove(ed *e);

/* The MDO list the sub-list asked for arrived (R; ok or not). */
void setedit_list_done(ed *e, api_result *r);

/* The line editor's TEXT as the new value of the custom field row R
 * by the current value's JSON type; NULL with a message in
 * the status line when refused. */
cJSON *setedit_map_value(ed *e, const form_row *r, const char *text);

/* TEXT read as a JSON-ish custom value: "text" or bare text is a string,
 * a JSON number, true, false or null; NULL only for a malformed quoted
 * string (ERR says why). */
cJSON *setedit_parse_value(const char *text, char *err, size_t errlen);

/* Screens. */
void setedit_draw(ed *e);
reaction setedit_key(ed *e, action_id act, tkey k);
void setpick_draw(ed *e);
reaction setpick_key(ed *e, action_id act, tkey k);
void prompt_draw(ed *e);
reaction prompt_key(ed *e, action_id act, tkey k);

#endif

/* screens.h — the screens of the editor, one file each (src/app/<name>_screen.c),
 * and how each is opened. Every open function returns the reaction that
 * pushes the screen (its state allocated, owned by the loop from then on).
 * See app.h for what a screen may do.
 *
 *   form_screen.c      the ticket form (the bottom of the stack)
 *   edit_screen.c      the line editor on a field value (modal)
 *   find_screen.c      find a field by its label (modal, on the status line)
 *   pick_screen.c      a pick list (modal)
 *   prompt_screen.c    a one-line prompt (modal, on the status line)
 *   view_screen.c      scrolling text: help and preview (modal)
 *   quit_screen.c      the quit prompt (modal)
 *   draft_screen.c     the prompt for a draft found on open (modal)
 *   set_screen.c       the elements of a set field: Tags, Other persons (modal)
 *   conflict_screen.c  base / mine / theirs of each open clash (full screen)
 *   picker_screen.c    the ticket picker: search, my open tickets, recent (full screen)
 *   messages_screen.c  the conversation: the ticket's messages (full screen)
 *   body_screen.c      one message's text (full screen)
 *   note_screen.c      writing and posting a note or reply, and a reply's confirmation (modal) */
#ifndef TICKETED_SCREENS_H
#define TICKETED_SCREENS_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "ticketed/app.h"
#include "ticketed/lineedit.h"
#include "ticketed/schema.h"

extern const screen_ops form_screen;
extern const screen_ops quit_screen;
extern const screen_ops conflict_screen;
extern const screen_ops picker_screen;

/* The form's helpers for screens opened over it. */
/* Rows of the form body (between the header and the status line, which
 * may take two rows). */
int form_body_rows(app *a);
/* Columns of the label column. */
int form_label_cols(void);
/* The screen row of form row I, or -1 when it is not shown (the form's
 * scrolling as of its last draw). */
int form_screen_row(app *a, size_t i);
/* Open the editor (line editor, pick list, toggle, set list) for form row I. */
reaction form_edit_row(app *a, size_t i);

/* The line editor on field F (SUB: map key or NULL) with LABEL, drawn on
 * form row ROW (-1: on a line above the status line). With CLASH >= 0 it
 * edits the merged value of that open clash: Enter resolves it
 * (model_resolve RESOLVE_EDITED), Esc leaves it open. The text starts as the
 * current value. */
reaction edit_screen_open(app *a, const field_def *f, const char *sub, const char *label, long clash,
                          long row);

/* A line-editor action (cursor, delete, kill) or a printable key applied to
 * LE: the line editor, find and the prompts share it. */
reaction lineedit_key(lineedit *le, action_id act, tkey k);

reaction find_screen_open(app *a);
/* The text of the last find ("" before the first); n/N: the next (DIR 1)
 * or previous (-1) row it matches, from the form's cursor. */
const char *find_last(void);
reaction find_again(app *a, int dir);
/* Whether the status line shows the last find's result now: on the form, n
 * is the next match then, and writes a note otherwise. */
bool find_live(app *a);

/* A pick list of N ITEMS (taken, with IDS taken, may be NULL), SEL
 * selected (-1: none). On Enter, COMMIT(a, ctx, index or -1, the filter)
 * returns the reaction (it pops the list with RX_POP when done); CTX is
 * freed with CTX_FREE (may be NULL) when the list closes. */
typedef reaction (*pick_commit)(app *a, void *ctx, long index, long id, const char *item,
                                const char *filter);
reaction pick_screen_open(const char *title, char **items, long *ids, size_t n, long sel,
                          pick_commit commit, void *ctx, void (*ctx_free)(void *));
/* The pick list for reference or enum field F (row path PATH) from its
 * cached MDO list; with CLASH >= 0 the pick resolves that clash. An empty
 * list gives RX_NONE (the caller falls back to typing the id). */
reaction pick_ref_open(app *a, const field_def *f, const cJSON *list, long clash);
reaction pick_enum_open(app *a, const field_def *f, long clash);
/* A search of the MDO list of field F that is searched, never fetched whole
 * (f->search: person_new): the typed words go out as ?query= and the answer
 * becomes a pick list in the search's place; typed digits are taken as the
 * id (COMMIT gets index -1 and the digits as the filter). COMMIT, CTX and
 * CTX_FREE as pick_screen_open's. */
reaction search_screen_open(app *a, const field_def *f, pick_commit commit, void *ctx, void (*ctx_free)(void *));
/* The search for reference F (CLASH >= 0: the pick resolves that clash). */
reaction pick_search_open(app *a, const field_def *f, long clash);

/* A one-line prompt LABEL with HINT in the status line. On Enter
 * COMMIT(a, ctx, text, &errpos) returns the reaction; a reaction without
 * RX_POP keeps the prompt open (the text kept, the cursor at ERRPOS). */
typedef reaction (*prompt_commit)(app *a, void *ctx, const char *text, size_t *errpos);
reaction prompt_screen_open(app *a, const char *label, const char *hint, prompt_commit commit,
                            void *ctx, void (*ctx_free)(void *));

/* Scrolling text: a document of lines. */
typedef struct view_doc view_doc;
view_doc *view_doc_new(const char *title);
void view_doc_add(view_doc *d, const char *key, const char *text, int role);
reaction view_screen_open(view_doc *doc);
reaction help_open(app *a);
/* The status messages of this session (app_status_at), newest at the end. */
reaction history_open(app *a);
/* The preview of the patch (DRY_RUN: the title says nothing was sent). */
reaction preview_open(app *a, bool dry_run);

/* How long ago a draft was saved at SAVED ("YYYY-MM-DDTHH:MM:SSZ"):
 * "5 min ago". */
void draft_age_text(const char *saved, char *buf, size_t n);
/* How long ago WHEN was: "40 s ago", "5 min ago", "3 h ago", "2 days ago". */
void age_text(time_t when, char *buf, size_t n);
/* The draft prompt: BASE and EDITS (taken) of the draft saved at SAVED_AT. */
reaction draft_screen_open(cJSON *base, cJSON *edits, const char *saved_at);
/* Restore the draft (BASE, EDITS borrowed) onto the current server copy:
 * the reaction, and the status set. Used by the prompt and by --draft restore. */
reaction draft_restore_now(app *a, const cJSON *base, const cJSON *edits);

/* The element list of set field F. */
reaction set_screen_open(app *a, const field_def *f);
/* The form's add/remove on row I: a custom field key, a set element. */
reaction set_form_add(app *a, size_t i);
reaction set_form_remove(app *a, size_t i);

/* A person added by PersonId to F (SecondaryPersons, Person) whose name is
 * not known: R plus GET Person/{ID} (tagged ID); the screen on top when R
 * is carried out passes the answer to person_answer, which learns the name
 * (app_learn_name) or says why there is none. Other fields: R. */
reaction person_lookup(app *a, const field_def *f, long id, reaction r);
reaction person_answer(app *a, int tag, api_result *res);
/* The ticket picker (no ticket loaded: Esc quits). Choosing a ticket is
 * RX_POP | RX_OPEN with its id. */
reaction picker_open(app *a);
/* The conversation (m on the form): the messages, newest first. */
reaction messages_screen_open(app *a);
/* Message ID's body; WHEN, AUTHOR, INTERNAL, IMPORTANT for its header (from
 * the list). */
reaction body_screen_open(app *a, long id, const char *when, const char *author, bool internal, bool important);
/* Write (or go on with) the session's note, or with REPLY a reply to the
 * customer. */
reaction note_screen_open(app *a, bool reply);

reaction conflict_screen_open(void);
/* How many conflicts the conflict screen with state ST lists (open and
 * decided on this visit). */
size_t conflict_screen_listed(const void *st);

#endif

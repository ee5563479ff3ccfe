/* action.h — the action table (like tig's request.h): every user action is
 * declared once with its name, default keys, help text, footer hint and the
 * screens where it applies. The dispatcher, the help screen, the key-hint
 * footer and the man page's key list all come from it.
 *
 * Ownership: the table is static; no cJSON. */
#ifndef TICKETED_ACTION_H
#define TICKETED_ACTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include "ticketed/keys.h"

/* Screens (bit flags) an action applies to. */
enum {
	SC_FORM = 1 << 0,     /* the ticket form */
	SC_EDIT = 1 << 1,     /* line editor (field values, find) */
	SC_PICK = 1 << 2,     /* pick list */
	SC_VIEW = 1 << 3,     /* preview and help (scrolling text) */
	SC_QUIT = 1 << 4,     /* the quit prompt */
	SC_CONFLICT = 1 << 5, /* the conflict screen */
	SC_SET = 1 << 6,      /* the sub-list of a set field (Tags, Other persons) */
	SC_DRAFT = 1 << 7,    /* the prompt for an unsaved draft found on open */
	SC_PICKER = 1 << 8,   /* the ticket picker (no TICKET_ID, or o): letters are the search */
	SC_MSGS = 1 << 9,     /* the conversation: the ticket's messages */
	SC_BODY = 1 << 10,    /* one message's body */
	SC_NOTE = 1 << 11,    /* writing an internal note or a reply */
	SC_CONFIRM = 1 << 12  /* a reply's confirmation: recipients and text */
};

/* Screens that scroll a list or a text, and every screen (for redraw and suspend). */
#define SC_DESK (SC_MSGS | SC_BODY | SC_NOTE | SC_CONFIRM)

/* X(ID, name, screens, hint, help) — hint is the footer label or NULL. */
#define ACTIONS(X) \
	X(UP,          "move-up",      SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_CONFLICT | SC_PICKER | SC_DESK, NULL, "Move up one row") \
	X(DOWN,        "move-down",    SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_CONFLICT | SC_PICKER | SC_DESK, NULL, "Move down one row") \
	X(PAGE_UP,     "page-up",      SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_CONFLICT | SC_PICKER | SC_DESK, NULL, "Move up one page") \
	X(PAGE_DOWN,   "page-down",    SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_CONFLICT | SC_PICKER | SC_DESK, NULL, "Move down one page") \
	X(FIRST,       "move-first",   SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_MSGS | SC_BODY, NULL, "Go to the first row") \
	X(LAST,        "move-last",    SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_MSGS | SC_BODY, NULL, "Go to the last row") \
	X(NEXT_FIELD,  "next-field",   SC_FORM,           NULL,      "Next editable field") \
	X(PREV_FIELD,  "prev-field",   SC_FORM,           NULL,      "Previous editable field") \
	X(FIND,        "find",         SC_FORM,           "find",    "Find a field: labels first, then values") \
	X(FIND_NEXT,   "find-next",    SC_FORM,           "next",    "The next field the last find matches (on the form: while the status line shows the find; else n writes a note)") \
	X(FIND_PREV,   "find-prev",    SC_FORM,           NULL,      "The previous field the last find matches") \
	X(EDIT,        "edit",         SC_FORM,           "edit",    "Edit the field (pick list for choices)") \
	X(TOGGLE,      "toggle",       SC_FORM,           "toggle",  "Toggle a true/false value") \
	X(ADD,         "add",          SC_FORM | SC_SET,  "add",     "Add: a custom field key (in Custom fields), a tag or person (in a set)") \
	X(REMOVE,      "remove",       SC_FORM | SC_SET,  "remove",  "Remove the custom field key or the set element under the cursor") \
	X(REVERT,      "revert",       SC_FORM,           "revert",  "Revert the field to its loaded value") \
	X(UNDO,        "undo",         SC_FORM,           "undo",    "Undo the last change") \
	X(REDO,        "redo",         SC_FORM,           NULL,      "Redo the change undone last") \
	X(PREVIEW,     "preview",      SC_FORM,           "preview", "Show the changes and the exact patch") \
	X(SAVE,        "save",         SC_FORM | SC_QUIT | SC_VIEW, "save", "Save: send the patch to the server (also from the preview)") \
	X(VIEW_TOGGLE, "toggle-json",  SC_VIEW,           "JSON",    "Preview: switch between the readable changes and the patch as JSON") \
	X(RELOAD,      "reload",       SC_FORM | SC_MSGS, "reload",  "Reload the ticket from the server, keeping edits (messages: the list anew)") \
	X(HELP,        "help",         SC_FORM | SC_SET | SC_CONFLICT | SC_PICKER | SC_MSGS | SC_BODY, "help", "Show this help") \
	X(HISTORY,     "history",      SC_FORM,           "history", "Show the status messages of this session") \
	X(OPEN,        "open",         SC_FORM,           NULL,      "Open another ticket: the ticket picker (yours, a search, recent ones)") \
	X(QUIT,        "quit",         SC_FORM,           "quit",    "Quit (asks when edits are unsaved)") \
	X(SUSPEND,     "suspend",      SC_FORM | SC_EDIT | SC_PICK | SC_VIEW | SC_QUIT | SC_SET | SC_CONFLICT | SC_DRAFT | SC_PICKER | SC_DESK, NULL, "Suspend to the shell (the draft is saved first; fg comes back)") \
	X(REDRAW,      "redraw",       SC_FORM | SC_EDIT | SC_PICK | SC_VIEW | SC_QUIT | SC_SET | SC_CONFLICT | SC_DRAFT | SC_PICKER | SC_DESK, NULL, "Repaint the whole screen") \
	X(CLOSE,       "close",        SC_VIEW | SC_SET | SC_CONFLICT | SC_DESK, "close", "Close this screen (conflicts: edits kept; a note or reply: kept for later)") \
	X(CANCEL,      "cancel",       SC_EDIT | SC_PICK | SC_QUIT | SC_FORM | SC_PICKER, "cancel", "Cancel (a request in flight, an edit, a prompt; the picker: clear the search, then close)") \
	X(COMMIT,      "commit",       SC_EDIT | SC_PICK | SC_PICKER, "accept", "Accept the value (the picker: open the ticket, or search for the words typed)") \
	X(DISCARD,     "discard",      SC_QUIT | SC_DRAFT, "discard", "Quit and discard the edits (draft prompt: delete the draft)") \
	X(DRAFT_RESTORE, "draft-restore", SC_DRAFT,       "restore", "Restore the draft's edits onto the server copy (clashes go to the conflict screen)") \
	X(DRAFT_KEEP,  "draft-keep",   SC_DRAFT | SC_QUIT, "keep",   "Draft prompt: keep the draft for later and go on without it (Esc does the same); quit prompt: keep the edits as a draft and quit") \
	X(KEEP_MINE,   "keep-mine",    SC_CONFLICT,       "mine",    "Keep my value (the save tests theirs, so a newer change conflicts again)") \
	X(TAKE_THEIRS, "take-theirs",  SC_CONFLICT,       "theirs",  "Take their value (nothing is sent for the field)") \
	X(EDIT_MERGED, "edit-merged",  SC_CONFLICT,       "edit",    "Edit a merged value, starting from mine") \
	X(RESUBMIT,    "resubmit",     SC_CONFLICT,       "resubmit", "Send the resolved edits as a new patch guarded by their values") \
	X(MESSAGES,    "messages",     SC_FORM,           "messages", "The conversation: the ticket's messages, newest first") \
	X(NOTE,        "note",         SC_FORM | SC_MSGS, "note",    "Write an internal note (in $VISUAL or $EDITOR when set), with a status change if you like") \
	X(REPLY,       "reply",        SC_MSGS | SC_BODY, "reply",   "Reply to the customer (the recipients and the text are shown before anything is sent)") \
	X(READ,        "read",         SC_MSGS,           "read",    "Read the message") \
	X(SEARCH,      "search",       SC_BODY,           "search",  "Search the message's text") \
	X(SEARCH_NEXT, "search-next",  SC_BODY,           NULL,      "Next match of the search") \
	X(SEARCH_PREV, "search-prev",  SC_BODY,           NULL,      "Previous match of the search") \
	X(QUOTES,      "quotes",       SC_BODY,           "quotes",  "Show quoted text whole, or collapse it again") \
	X(POST,        "post",         SC_NOTE,           "post",    "Post the note (a status change is saved first; a reply is shown for confirmation first)") \
	X(STATUS,      "status",       SC_NOTE,           "status",  "Pick the ticket's status after posting (saved with the note)") \
	X(EXT_EDITOR,  "editor",       SC_NOTE,           "editor",  "Edit the text in $VISUAL or $EDITOR") \
	X(NEWLINE,     "newline",      SC_NOTE,           NULL,      "Start a new line") \
	X(SEND,        "send",         SC_CONFIRM,        "send",    "Send the reply to these recipients (--dry-run: shows it, sends nothing)") \
	X(LE_LEFT,     "cursor-left",  SC_EDIT | SC_NOTE,           NULL,      "Cursor one character left") \
	X(LE_RIGHT,    "cursor-right", SC_EDIT | SC_NOTE,           NULL,      "Cursor one character right") \
	X(LE_HOME,     "cursor-home",  SC_EDIT | SC_NOTE,           NULL,      "Cursor to the start (of the line)") \
	X(LE_END,      "cursor-end",   SC_EDIT | SC_NOTE,           NULL,      "Cursor to the end (of the line)") \
	X(LE_BS,       "delete-back",  SC_EDIT | SC_PICK | SC_PICKER | SC_NOTE, NULL, "Delete the character before the cursor") \
	X(LE_DEL,      "delete",       SC_EDIT | SC_NOTE,           NULL,      "Delete the character under the cursor") \
	X(LE_KILL_START, "kill-start", SC_EDIT | SC_PICKER | SC_NOTE,          "clear",   "Delete to the start of the line") \
	X(LE_KILL_END, "kill-end",     SC_EDIT | SC_NOTE,           NULL,      "Delete to the end of the line") \
	X(LE_KILL_WORD, "kill-word",   SC_EDIT | SC_PICKER | SC_NOTE,          NULL,      "Delete the word before the cursor")

typedef enum {
	ACT_NONE = 0,
#define X(id, name, sc, hint, help) ACT_##id,
	ACTIONS(X)
#undef X
	ACT_COUNT
} action_id;

typedef struct {
	action_id id;
	const char *name;
	unsigned screens;
	const char *hint;
	const char *help;
} action_def;

/* A default key binding. */
typedef struct {
	tkey key;
	action_id act;
	unsigned screens;   /* where this key means ACT (0: wherever ACT applies) */
} key_binding;

extern const action_def action_table[ACT_COUNT];

/* Each screen bit with its heading, in the order help and the man page list
 * them. */
typedef struct {
	unsigned sc;
	const char *name;
} action_screen;
extern const action_screen action_screens[];
extern const size_t action_nscreens;
extern const key_binding action_keys[];
extern const size_t action_nkeys;

/* The action KEY triggers on SCREEN (one SC_* bit); ACT_NONE if none. */
action_id action_for_key(unsigned screen, tkey key);

/* The keys bound to ACT on SCREEN as text ("s, <C-s>, <F2>"). */
void action_keys_text(action_id act, unsigned screen, char *buf, size_t n);

/* Whether action ACT does something on the screen now (CTX: the screen's). */
typedef bool (*action_applies)(void *ctx, action_id act);

/* The one-line key hint for SCREEN within COLS columns: LEAD first when
 * given (e.g. the save state's "Esc:cancel"; it replaces the save and
 * cancel hints), then "key:hint" for each action of the screen that
 * APPLIES (NULL: every one), most important first, two spaces apart, and
 * "?:help" last whenever help is on the screen. A hint that does not fit
 * is left out whole (a smaller one after it may still fit); help is never
 * left out for another. Returns the columns used. */
int action_footer(unsigned screen, const char *lead, action_applies applies, void *ctx, int cols,
                  char *buf, size_t n);

/* Call FN(KEYS, HELP, CTX) for each action of SCREEN that has a key there, in
 * table order (KEYS as action_keys_text gives them); help and `keys` list these. */
void action_each_key(unsigned screen, void (*fn)(const char *keys, const char *help, void *ctx),
                     void *ctx);

/* Print the key list of every screen (for the man page / --help-keys). */
void action_print(FILE *f);

#endif

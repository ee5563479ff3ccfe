/* editor.h — the editor's state shared by the main loop (editor.c), the
 * screens (screens.c) and the replay runner (replayrun.c).
 *
 * Screens are states with a draw and a key function; key functions return
 * reactions and only the main loop draws (ui_flush) and starts requests.
 * A later screen (conflict, draft restore) is one more SCR_* entry with its
 * pair of functions in screen_table.
 *
 * Ownership: the ed owns its model, rows, widgets, view lines and api
 * handle; options are borrowed from cmd_edit. */
#ifndef TICKETED_EDITOR_H
#define TICKETED_EDITOR_H

#include <stdbool.h>
#include <stdio.h>
#include "ticketed/action.h"
#include "ticketed/api.h"
#include "ticketed/conflict.h"
#include "ticketed/draft.h"
#include "ticketed/form.h"
#include "ticketed/lineedit.h"
#include "ticketed/model.h"
#include "ticketed/options.h"
#include "ticketed/picklist.h"
#include "ticketed/replay.h"
#include "ticketed/theme.h"

typedef enum { SCR_FORM, SCR_EDIT, SCR_PICK, SCR_VIEW, SCR_QUIT, SCR_FIND,
               SCR_SET, SCR_SETPICK, SCR_PROMPT, /* setedit.h */
               SCR_CONFLICT, /* conflict.h */
               SCR_DRAFT,    /* the draft prompt on open (draft.h) */
               SCR_COUNT } screen_id;

/* What a key handler asks the loop to do. */
enum {
	RX_NONE = 0,
	RX_REDRAW = 1 << 0,  /* draw the frame */
	RX_FULL = 1 << 1,    /* repaint everything (C-l) */
	RX_QUIT = 1 << 2,    /* leave the loop */
	RX_SAVE = 1 << 3,    /* start a save */
	RX_RELOAD = 1 << 4,  /* start a reload */
	RX_CANCEL = 1 << 5,  /* cancel the request in flight */
	RX_ROWS = 1 << 6,    /* rebuild the form rows (map keys changed) */
	RX_LIST = 1 << 7     /* fetch the MDO list for the reference at list_row */
};
typedef unsigned reaction;

typedef struct ed ed;

typedef struct {
	unsigned sc;                      /* SC_* for the action table */
	void (*draw)(ed *e);
	reaction (*key)(ed *e, action_id act, tkey k);
} screen_def;

extern const screen_def screen_table[SCR_COUNT];

typedef struct {
	char *key;   /* help: the keys column (help-key role), or NULL */
	char *text;  /* the line (sanitised when drawn) */
	int role;    /* theme_role */
} view_line;

typedef struct {
	FILE *f;
	const char *name;
	int lineno;
	tkey *q;           /* keys of the current line not yet handled */
	size_t nq, qpos;
	bool has_exit;
	long expect_exit;
	int exit_line;
	bool eof;
} ed_replay;

struct ed {
	options *opt;
	api *api;
	model m;
	bool loaded;
	diff_mode mode;
	form_rows rows;
	size_t cur, top;            /* cursor row, first row shown */
	screen_id stack[8];
	int nstack;
	lineedit le;                /* SCR_EDIT / SCR_FIND */
	size_t edit_row, find_origin;
	picklist pick;              /* SCR_PICK */
	size_t pick_row;
	long *pick_ids;             /* SCR_PICK on a reference: the Id of each item */
	size_t list_row;            /* the reference row whose MDO list is loading */
	cJSON *lists;               /* MDO lists fetched so far, by name (owned) */
	size_t set_row, set_cur;    /* SCR_SET: the set field's row, the selected element */
	int prompt;                 /* SCR_PROMPT: what it asks for (prompt_kind) */
	char *cf_key;               /* SCR_PROMPT: the custom key being added (owned) */
	view_line *view;            /* SCR_VIEW */
	size_t nview, view_top;
	char view_title[128];
	char status[512];
	int status_role;
	int req_load, req_save, req_list; /* request ids in flight (0: none) */
	bool quit_after_save;
	conflict_set cf;            /* SCR_CONFLICT: the edits classified against theirs */
	bool cf_pending;            /* a re-read after a failed save is in flight */
	long cf_trigger;            /* its cause: 409, 412, or 0 (the response was lost) */
	int cf_auto;                /* automatic resubmits in a row (rebased, no conflict) */
	char cf_note[400];          /* what the last rebase did, for the "Saved" status */
	long last_status;           /* HTTP status of the last save, else of the load */
	unsigned spin;
	bool full;                  /* repaint everything on the next frame */
	bool dirty;
	ed_replay *rp;
	FILE *rec;
	bool rec_partial;           /* the recording's last line is unfinished */
	bool done;
	bool discarded;             /* the user chose to drop the edits */
	int exit_code;
	char fatal[600];            /* printed on stderr after the terminal is restored */
	char *fail_dump;            /* replay failure: the screen */
	draft_sync_state ds;        /* the draft of this session (draft.h) */
	cJSON *dbase, *dedits;      /* SCR_DRAFT: the draft found on open */
	char dsaved[32];
	char draft_note[512];       /* why this session's edits are not journaled, or "" */
};

/* screens.c */
void ed_push(ed *e, screen_id s);
void ed_pop(ed *e);
screen_id ed_top(const ed *e);
void ed_draw(ed *e);
reaction ed_key(ed *e, tkey k);
/* A line-editor action (cursor, delete, kill) or a printable key applied to
 * LE; shared by every screen that edits a line. */
reaction ed_lineedit_key(lineedit *le, action_id act, tkey k);
/* A pick-list action (move, backspace, redraw, Esc closing it) or a printable
 * key applied to e->pick; shared by every pick-list screen (Enter is theirs). */
reaction ed_picklist_key(ed *e, action_id act, tkey k);
/* Close the pick list on top (its items and ids freed) and pop its screen. */
void ed_pick_close(ed *e);
void ed_status(ed *e, int role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void ed_rebuild_rows(ed *e);
void ed_view_clear(ed *e);
void ed_view_add(ed *e, const char *key, const char *text, int role);
void ed_show_preview(ed *e, bool dry_run);
bool ed_busy(const ed *e);
/* Open the pick list for the reference at ROW from the cached MDO list
 * LIST (an array of {Id, Name, Deleted...}); false if it has no entries. */
bool ed_open_ref_pick(ed *e, size_t row, const cJSON *list);
/* Open the line editor on the row's value (references: the key id). */
reaction ed_open_line_editor(ed *e, size_t row);

/* replayrun.c: open FILE; 0 or -1 with ERR. */
int rp_open(ed *e, const char *path, char *err, size_t errlen);
/* The next key of the replay (running directives between lines); TK_NONE
 * while a directive ran or the file ended (e->done is then set). */
tkey rp_next_key(ed *e);
/* At the end: check :expect exit. Returns the final exit status. */
int rp_finish(ed *e, int code);
void rp_close(ed *e);
void rec_key(ed *e, tkey k);

/* editor.c: journal the edits as a draft if they changed (draft_sync). */
void ed_journal(ed *e);

#endif

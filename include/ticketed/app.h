/* app.h — what a screen may use of the editor: the narrow API between the
 * main loop (editor.c) and the screens (*_screen.c).
 *
 * A screen is a state with a draw and a key function (screen_ops). Its
 * state is its own struct, allocated when it is opened and freed by the
 * loop when it is popped. Key functions change the model and their own
 * state, set the status line, and return a reaction: what the loop must do
 * next (draw, push or pop a screen, save, reload, fetch a list, leave).
 * They never draw to the terminal, rebuild the form rows, start or cancel
 * requests, touch files, or call another screen's key function: the loop
 * does those when it carries out the reaction (htop's Htop_Reaction).
 *
 * Modal screens (help, preview, pick list, line editor, prompts) are drawn
 * over the screens beneath them: the loop draws the stack from the last
 * full screen up, with the status line and footer between the full screen
 * and the modals.
 *
 * Ownership: the app owns the model, the form rows, the cached MDO lists
 * and every screen state on the stack; pointers returned here borrow from
 * it until the next reaction is carried out. A reaction's push state is
 * taken by the loop (freed with its ops->free). */
#ifndef TICKETED_APP_H
#define TICKETED_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>
#include <cjson/cJSON.h>
#include "ticketed/action.h"
#include "ticketed/api.h"
#include "ticketed/form.h"
#include "ticketed/keys.h"
#include "ticketed/model.h"
#include "ticketed/options.h"
#include "ticketed/save.h"

typedef struct app app;

/* What a key function asks the loop to do (flags of a reaction). */
enum {
	RX_REDRAW = 1 << 0,   /* draw the frame */
	RX_FULL = 1 << 1,     /* repaint everything (C-l, resize) */
	RX_QUIT = 1 << 2,     /* leave: no unsaved edits, or the user chose */
	RX_SAVE = 1 << 3,     /* save (the save machine decides what is sent) */
	RX_RELOAD = 1 << 4,   /* reload from the server */
	RX_CANCEL = 1 << 5,   /* cancel the request in flight */
	RX_ROWS = 1 << 6,     /* the model changed: rebuild the form rows */
	RX_LIST = 1 << 7,     /* fetch MDO list .list, then call the top screen's list_done */
	RX_PUSH = 1 << 8,     /* push .push with state .state */
	RX_POP = 1 << 9,      /* pop the top screen (before a push in the same reaction) */
	RX_RESOLVED = 1 << 10,/* a clash was decided (model_resolve) */
	RX_DISCARD = 1 << 11, /* with RX_QUIT: the user discarded the edits */
	RX_KEEP = 1 << 12,    /* with RX_QUIT: keep the edits as a draft and leave */
	RX_QUIT_SAVE = 1 << 13,/* with RX_SAVE: leave once saved */
	RX_SUSPEND = 1 << 14, /* C-z: journal, restore the terminal, stop */
	RX_GOTO = 1 << 15,    /* after RX_ROWS: put the form cursor on row .path */
	RX_CONFLICTS = 1 << 16,/* open (or return to) the conflict screen */
	RX_DRAFT_DISCARD = 1 << 17, /* remove the draft found on open */
	RX_DRAFT_HOLD = 1 << 18,    /* keep the draft found on open untouched; do not journal */
	RX_DRAFT_RESTORED = 1 << 19,/* the draft found on open is now this session's */
	RX_REQUEST = 1 << 20,       /* start .request; its answer goes to this screen's answer() */
	RX_OPEN = 1 << 21,          /* leave this ticket for ticket .ticket (unsaved edits: the quit
	                               prompt asks first: save, keep as draft, discard, stay) */
	RX_EXTERNAL = 1 << 22       /* edit .text (taken) in $VISUAL/$EDITOR; the result comes to
	                               this screen's event() as APP_EV_EDITED */
};

/* What the loop tells the screens that wait for it (screen_ops.event). */
typedef enum {
	APP_EV_SAVED,   /* the save machine handled an answer (its state may have changed) */
	APP_EV_EDITED   /* the external editor ran: TEXT is the file's content, or NULL with ERR */
} app_event;

/* A request a screen asks the loop to send (GET or POST under the base URL;
 * the client escapes PATH's segments and the query). Its answer comes back
 * to the asking screen's answer op with TAG, if that screen is still on the
 * stack; a screen popped before its answer arrives cancels it. */
typedef struct app_request app_request;
/* GET PATH with QUERY name, value pairs ending in NULL (none: just NULL). */
app_request *app_get(const char *path, int tag, ...);
/* POST BODY (taken) to PATH. */
app_request *app_post(const char *path, cJSON *body, int tag);
/* POST BODY (taken; NULL: an empty body) to PATH with QUERY name, value
 * pairs ending in NULL. */
app_request *app_post_query(const char *path, cJSON *body, int tag, ...);

typedef struct screen_ops screen_ops;

typedef struct {
	unsigned flags;
	const screen_ops *push;  /* RX_PUSH */
	void *state;             /* RX_PUSH: the new screen's state (taken) */
	const char *list;        /* RX_LIST: the list name (static string) */
	char path[256];          /* RX_GOTO: the row's path */
	app_request *request;    /* RX_REQUEST (taken) */
	long ticket;             /* RX_OPEN: the ticket id */
	char *text;              /* RX_EXTERNAL: the text to edit (taken) */
} reaction;

struct screen_ops {
	const char *name;
	unsigned sc;    /* SC_* bit: which bindings of the action table apply */
	bool modal;     /* drawn over the screen beneath */
	void (*draw)(app *a, void *st);
	reaction (*key)(app *a, void *st, action_id act, tkey k);
	void (*free)(void *st);
	/* An MDO list this screen asked for arrived (LIST, cached by the app)
	 * or failed (LIST NULL, ERR says why). May be NULL. */
	reaction (*list_done)(app *a, void *st, const char *name, const cJSON *list, const char *err);
	/* Whether ACT does something here now (the footer shows only those). May
	 * be NULL: every action of the screen applies. */
	bool (*applies)(app *a, void *st, action_id act);
	/* Called once right after the screen is pushed; its reaction is carried
	 * out next (a screen that opens another at once). May be NULL. */
	reaction (*opened)(app *a, void *st);
	/* The answer R (borrowed; take its JSON with api_result_take_json) to
	 * the request this screen sent with TAG. A request cancelled by Esc is
	 * answered too: http_status 0, curl_code -1, sent true (it may have
	 * been processed), message "cancelled". May be NULL. */
	reaction (*answer)(app *a, void *st, int tag, api_result *r);
	/* Something the loop did that the screen may wait for (app_event); TEXT
	 * and ERR as APP_EV_EDITED says (borrowed). APP_EV_SAVED goes to every
	 * screen on the stack that has this op, top first; APP_EV_EDITED to the
	 * screen that asked. May be NULL. */
	reaction (*event)(app *a, void *st, app_event ev, const char *text, const char *err);
};

/* Reactions. */
static inline reaction rx(unsigned flags)
{
	reaction r = { flags, NULL, NULL, NULL, { 0 }, NULL, 0, NULL };
	return r;
}
reaction rx_push(const screen_ops *ops, void *state);
reaction rx_request(app_request *req);
reaction rx_list(const char *name);
reaction rx_goto(const char *path);

/* ---- what screens may use ------------------------------------------------ */

/* The conversation's state of this session: the unposted note, the
 * message bodies read so far (desk.h). */
typedef struct desk desk;
desk *app_desk(app *a);

model *app_model(app *a);
const options *app_options(const app *a);
long app_ticket_id(const app *a);
/* The ticket the user is leaving this one for (RX_OPEN, while the quit
 * prompt asks what to do with the edits), or 0 when the prompt is to quit. */
long app_next_ticket(const app *a);

/* The form: rows built from the model, the cursor and the first row shown. */
typedef struct {
	form_rows rows;
	size_t cur, top;
} form_view;
form_view *app_form(app *a);

/* The cached MDO list NAME, or NULL when not fetched yet. */
const cJSON *app_list(const app *a, const char *name);
/* Every cached MDO list, by name (form_row_text's LISTS), or NULL. */
const cJSON *app_lists(const app *a);
/* Remember NAME for the element with key member KEY = ID (a person added
 * by PersonId, looked up with GET Person/{id}): value_text shows it (the
 * lists' "_names" entry, values.h). Names are shown, never sent. */
void app_learn_name(app *a, const char *key, long id, const char *name);

/* Add the items of a search in MDO list NAME (ITEMS, an array; copied) to
 * its cache, those whose Id it has not yet: elements picked from a search
 * then read by name. (A searched list, person_new, is never fetched whole:
 * its cache holds what searches found.) */
void app_list_merge(app *a, const char *name, const cJSON *items);
/* Whether a request is in flight. */
bool app_busy(const app *a);
/* The save machine (state, last merge report, trigger). */
const save_machine *app_save(const app *a);
/* The diff mode of this session (fields or none). */
diff_mode app_mode(const app *a);

/* The model's edits were merged onto a newer server copy outside the save
 * machine (a draft restore; REP taken): tell the machine. The reaction
 * opens the conflict screen when clashes are open. */
reaction app_merged(app *a, save_trigger t, model_merge_report *rep);

void app_status(app *a, int role, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Clear the status line. */
void app_status_clear(app *a);
const char *app_status_text(const app *a);
int app_status_role(const app *a);
/* The status messages shown since start, oldest first (the ! view): how
 * many, and the I-th with when it was shown and its role. */
size_t app_status_count(const app *a);
const char *app_status_at(const app *a, size_t i, time_t *when, int *role);
/* Rows the status line takes now (1, or 2 for a message that does not fit
 * one), and whether its message is shortened in the middle to fit two. */
int app_status_rows(app *a);
bool app_status_cut(app *a);

/* A spinner frame (changes while a request is in flight). */
unsigned app_spin(const app *a);

/* Draw the status line (the app_status_rows rows above the footer) and the
 * footer (LINES-1) for the top screen. Called by the loop; screens that
 * draw a prompt on the status line draw it after. */
void app_draw_status(app *a);
void app_draw_footer(app *a);

#endif

/* desk.h — the conversation's state for one editor session, without
 * curses: the note or reply being written until it is posted, and the
 * message bodies read so far (fetched on demand, kept while the program
 * runs). The note is journaled with the draft (draft.h: an entry
 * {"field": "note", "value": desk_note_json}) so a hang-up loses nothing.
 *
 * A POST is not idempotent. Each note gets a MessageId of its own
 * ("<ticketed.TICKET.RANDOM@ticketed.invalid>", the TicketMessage's
 * "X-Message-Id header value", sent with it); after a POST whose answer was
 * lost or cancelled the message list is read again and the note counts as
 * posted when a message with that MessageId is there (desk_find_posted),
 * and is sent again only when none is.
 *
 * A reply's text starts with header lines, "To:", "Cc:", "Subject:", up to
 * the first empty line; desk_reply_parse reads them (recipients: e-mail
 * addresses or phone numbers, comma-separated).
 *
 * Ownership: the desk owns its note and bodies; pointers returned borrow
 * from it until the next change. desk_note_json and desk_note_body return
 * new trees the caller frees; desk_note_restore and desk_body_put never
 * keep what they are given. */
#ifndef TICKETED_DESK_H
#define TICKETED_DESK_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef struct {
	bool reply;           /* to the customer (External), else an internal note */
	char *text;           /* as written (a reply: headers, an empty line, the text) */
	char message_id[96];  /* sent as MessageId: finds the note again after a lost answer */
	long status_id;       /* the ticket's status after posting; 0: unchanged */
	char *status_name;    /* its name, for the screen (or NULL) */
	bool unsure;          /* a POST of it may have been applied: look before sending again */
	long posted_id;       /* a reply posted but not sent yet: its message id; else 0 */
} desk_note;

typedef struct {
	long id;
	char *text;           /* HtmlBody when html, else Body */
	bool html;
	char *author, *created, *slevel, *header;  /* for the body's header lines (raw) */
	bool important;
} desk_body;

struct desk;
typedef struct desk desk;

desk *desk_new(void);
void desk_free(desk *d);

/* The note being written, or NULL. */
desk_note *desk_note_get(desk *d);
/* Start a note (REPLY: a reply) on ticket TICKET with TEXT (copied; NULL:
 * empty). Returns it; NULL when one is pending already. */
desk_note *desk_note_start(desk *d, bool reply, long ticket, const char *text);
/* Replace the note's text (copied). */
void desk_note_set_text(desk *d, const char *text);
/* Forget the note (posted, or emptied). */
void desk_note_drop(desk *d);

/* The draft entry of the note: {"field": "note", "value": {...}}, new, or
 * NULL when there is none. */
cJSON *desk_note_json(const desk *d);
/* Take the note back from the draft entry E (as desk_note_json made it;
 * the "value" member suffices). 0, or -1 with ERR (malformed: nothing
 * changes). A pending note is replaced. */
int desk_note_restore(desk *d, const cJSON *e, char *err, size_t errlen);

/* The body of a TicketMessage POST for NOTE on TICKET (a reply: its text
 * without the header lines), new. */
cJSON *desk_note_body(const desk_note *note, long ticket);

/* A reply's header lines: recipients and subject into new strings (the
 * caller frees; cc and subject may be ""), the text after them into
 * *BODY (points into TEXT). 0, or -1 with "line N: what" in ERR. */
typedef struct {
	char *to, *cc, *subject;
	const char *body;
} desk_reply;
int desk_reply_parse(const char *text, desk_reply *out, char *err, size_t errlen);
void desk_reply_free(desk_reply *r);
/* The header lines a new reply starts with: "To: TO\nCc: \nSubject: Re: TITLE\n\n" (malloc'd). */
char *desk_reply_template(const char *to, const char *title);

/* In ANSWER (a Ticket/{id}/Messages archive answer with the messageId and
 * ticketMessageId columns), the id of the message whose messageId is
 * MESSAGE_ID: > 0 found, 0 not there, -1 ANSWER is no archive answer. */
long desk_find_posted(const cJSON *answer, const char *message_id);

/* A message for the status line once the reload after a post is done
 * (the reload's own message would hide it): set, then taken (NULL: none;
 * the pointer lives until the next desk_notice_set or desk_free). */
void desk_notice_set(desk *d, const char *text);
const char *desk_notice_take(desk *d);

/* Bodies read so far: by message id, or NULL. */
const desk_body *desk_body_get(const desk *d, long id);
/* Keep the body of ENTITY (a TicketMessageEntity); returns it, or NULL
 * when ENTITY is no message (no EjMessageId). */
const desk_body *desk_body_put(desk *d, const cJSON *entity);

#endif

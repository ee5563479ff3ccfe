/* draft.h — unsaved edits journaled to disk, so a dropped
 * SSH session, a signal or a crash never costs the user their edits.
 *
 * Where: $XDG_STATE_HOME/ticketed/drafts/ (an absolute XDG_STATE_HOME, else
 * $HOME/.local/state/ticketed/drafts/). Missing directories are created with
 * mode 0700. An existing drafts directory that is not owned by the user or
 * grants group/other any access (drafts hold customer data), or a ticketed/
 * directory above it that is not the user's or is group/other-writable, is
 * refused with an error naming it and the chmod that fixes it, as ssh does.
 *
 * Key: one draft per (base URL, ticket id). The URL is normalised first:
 * userinfo ("user:pass@") removed — no credential is ever written or
 * hashed —, scheme and host lower-cased, trailing slashes stripped. KEY =
 * "<id>-<16 hex digits of FNV-1a 64 of the normalised URL>".
 *
 * Files:
 *   KEY.base-H.json           the base document as loaded (compact JSON);
 *                             H = FNV-1a 64 of its bytes. Written once per
 *                             base (the first edit after a load, a save or
 *                             a merge), never on later edits.
 *   KEY.json                  the journal (version 2): JSON Lines. Line 1,
 *                             the header:
 *     {"version":2, "url":URL, "ticket_id":N, "created_at":"YYYY-MM-DDTHH:MM:SSZ",
 *      "title":<base Title or null>, "base_file":"KEY.base-H.json", "base_hash":"H"}
 *                             then one record per change of the edits, appended:
 *     {"sum":"S","rec":{"at":"YYYY-MM-DDTHH:MM:SSZ","set":[EDIT...],"drop":[{"field":F,"key":K}...]}}
 *                             S = FNV-1a 64 (16 hex digits) of the bytes of
 *                             the "rec" value as written. "set" gives an
 *                             edit's new state (one per field, or per
 *                             field and key), "drop" says a field or key is
 *                             no longer edited. The edits are the records
 *                             replayed in order; their order is that of
 *                             each edit's first record. The draft's save
 *                             time is the last record's "at".
 * Writing: the base file and a compacted journal (header plus one record
 * holding every edit) are each written atomically: a temp file "." + name +
 * ".tmp-*" created O_EXCL|O_NOFOLLOW mode 0600 in the same directory, fsync,
 * rename over the old one, fsync of the directory; the new base file is
 * renamed in before the journal that names it, and base files of KEY no
 * longer named are removed after. A change of the edits on the same base
 * appends one record (O_APPEND, O_NOFOLLOW) to the journal this session
 * wrote, checked to be the same file (device, inode, size) first, else the
 * journal is written compacted. A journal grown past 4 times its compacted
 * size (plus 16 KiB) is compacted. So an edit costs what its record costs,
 * whatever the ticket's size.
 * fsync policy: an appended record is fdatasync'ed at once when the last
 * data sync of the journal is 1 s old or more (a person's edits, one at a
 * time); records appended within that second (a replay, bursts of undo)
 * are synced by the next append after it, by a compaction, or when the
 * session ends (draft_sync_free). Everything written is in the kernel's
 * hands when draft_sync returns, so a crash, a kill or a hangup of the
 * editor loses nothing; a crash of the machine may lose at most the
 * records of that last second.
 * Reading: a last line that is incomplete (no newline) or whose sum does
 * not match is a torn append and is ignored (the draft is as it was before
 * it); any other bad line is a damaged draft (reported, never guessed at).
 * Version 1 journals (one JSON object holding "saved_at" and the whole
 * "edits" array, rewritten on every edit) are still read; the next write
 * replaces them with version 2.
 * Every file is opened O_NONBLOCK|O_NOFOLLOW and checked with fstat to be a
 * regular file before it is read: a FIFO or device there is refused, never
 * waited on. A crash at any point leaves a consistent draft (at worst an
 * orphan base file, a temp file or a torn last record, removed or ignored
 * by the next write — temp files once older than 10 minutes — or discard).
 * A draft is "there" when its journal is. One editor per (URL, ticket) is
 * assumed: two at once overwrite each other's journal.
 *
 * Edits: a JSON array of objects, each with "field" (a non-empty string,
 * the schema name, e.g. "Title" or "CustomFields"), and as the editor needs
 * "base" (the field's base value) and "value" (the edited value), with
 * "base_absent"/"value_absent" booleans for members that are absent, and
 * "key" (a string: a map key, e.g. for CustomFields). Only this shape is
 * checked; the values are the editor's business.
 *
 * Corrupt or inconsistent drafts are reported as "PATH:LINE:COLUMN: what"
 * (or "PATH: what"), never crash, and are never deleted except by an
 * explicit discard. No function here uses curses or signals: safe to call
 * after endwin() on an error path (not from a signal handler).
 *
 * Ownership: functions taking const cJSON * never keep or free it;
 * draft_read gives the caller new *BASE and *EDITS trees to cJSON_Delete;
 * draft_edits_from_model returns a new array the caller deletes;
 * draft_restore takes SERVER (the model owns it, as model_init does);
 * a draft_sync_state owns its record of the edits (draft_sync_free);
 * draft_list gives an array the caller frees with draft_list_free. */
#ifndef TICKETED_DRAFT_H
#define TICKETED_DRAFT_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/model.h"

/* Longest normalised URL and key handled. */
#define DRAFT_URL_MAX 2048
#define DRAFT_KEY_MAX 48

typedef struct {
	char *key;          /* "<id>-<hash>", the journal is KEY.json */
	char *path;         /* the journal's full path */
	long ticket_id;     /* from the file name (valid even when unreadable) */
	char *url;          /* normalised base URL, NULL if unreadable */
	char saved_at[64];  /* "YYYY-MM-DDTHH:MM:SSZ" (escaped, core/escape.h), "" if unreadable */
	char *title;        /* the base Title, raw UTF-8 (sanitise before showing), or NULL */
	size_t nedits;
	char *fields;       /* edited fields, ", "-separated ("CustomFields/x_foo" for keyed edits) */
	char *error;        /* non-NULL: the draft could not be read; why, with its path */
} draft_info;

/* Normalise URL into OUT (no userinfo, lower-case scheme and host, no
 * trailing '/'). Returns 0, or -1 if it is empty or does not fit. */
int draft_url_normalize(const char *url, char *out, size_t n);

/* The key of (URL, ID) into OUT. Returns 0, or -1 (bad URL, ID < 1). */
int draft_key(const char *url, long id, char *out, size_t n);

/* The drafts directory path into OUT; with CREATE, create it (0700) and
 * its missing parents. Either way an existing directory is checked as said
 * above. Returns 1 exists and is safe, 0 does not exist (only without
 * CREATE), -1 error in ERR. */
int draft_dir(char *out, size_t n, bool create, char *err, size_t errlen);

/* Journal the draft of ticket ID on URL: BASE (the ticket as loaded) and
 * EDITS (an array, shape above). An empty EDITS removes the draft instead,
 * so the editor may simply call this after every change of its edits.
 * Returns 0, or -1 with ERR (nothing half-written is left behind). */
int draft_write(const char *url, long id, const cJSON *base, const cJSON *edits,
		char *err, size_t errlen);

/* Read the draft of ticket ID on URL: new trees into *BASE and *EDITS,
 * its save time into SAVED_AT (escaped; may be NULL). Returns 1 found, 0 none, or
 * -1 with ERR (unsafe directory, corrupt or inconsistent files). */
int draft_read(const char *url, long id, cJSON **base, cJSON **edits,
		char *saved_at, size_t sn, char *err, size_t errlen);

/* Whether a draft (its journal) exists for ticket ID on URL: 1 yes, 0 no,
 * -1 error in ERR (unsafe directory, bad URL). Cheap: reads nothing. */
int draft_exists(const char *url, long id, char *err, size_t errlen);

/* Remove the draft of ticket ID on URL (after a successful save or an
 * explicit discard). Returns 1 removed, 0 there was none, -1 error. */
int draft_discard(const char *url, long id, char *err, size_t errlen);

/* Remove the draft with KEY (as in draft_info.key), even an unreadable one.
 * Returns 1 removed, 0 there was none, -1 error (also for a malformed KEY). */
int draft_discard_key(const char *key, char *err, size_t errlen);

/* Every draft, sorted by ticket id then URL, into *OUT (*N entries; none:
 * NULL, 0). Unreadable drafts are listed with .error set. Returns 0, or -1
 * with ERR (unsafe directory, cannot list). */
int draft_list(draft_info **out, size_t *n, char *err, size_t errlen);
void draft_list_free(draft_info *v, size_t n);

/* Check the shape of an edits array; 0, or -1 with "edit N: what" in ERR. */
int draft_edits_check(const cJSON *edits, char *err, size_t errlen);

/* --- the editor's side: a model (model.h) to and from the draft shape --- */

/* M's pending edits as a new draft edits array, in form order: one edit
 * per modified field ({"field","base","value"} with *_absent flags), one per
 * changed key of a map field (with "key"). An edit with an open clash
 * (model.h) has the clash's basis as its "base" and "conflict": true, so a
 * restore meets the same clash again. */
cJSON *draft_edits_from_model(const model *m);

/* The edited fields of EDITS, ", "-separated ("CustomFields/x_foo" for keyed
 * edits), malloc'd ("" for none). */
char *draft_fields_text(const cJSON *edits);

/* The journal's path of the draft of ticket ID on URL into OUT; 0 or -1. */
int draft_path(const char *url, long id, char *out, size_t n);

/* Journal M (its base and draft_edits_from_model) for ticket ID on URL;
 * with no edits and no conflicts the draft is removed. Call it after every
 * change of the edits. Returns 0, or -1 with ERR (show it, keep editing). */
int draft_save_model(const char *url, long id, const model *m, char *err, size_t errlen);

/* Restore a draft (BASE, EDITS from draft_read) onto SERVER, the current
 * server copy (taken): M (not initialised, or freed) becomes the model of
 * the draft's base with its edits, merged onto SERVER with model_merge (the
 * one merge): edits of fields the server did not change are kept, edits
 * already on the server dropped, the others (and entries whose basis the
 * server no longer has) become open clashes for the conflict screen; REP
 * (may be NULL) says what happened to each. Edits of fields the schema does
 * not know or SERVER does not let the user edit are dropped and named in
 * SKIPPED (NULL: not reported). Returns the number of clashes, or -1 if
 * EDITS is malformed (M then holds SERVER with no edits). */
int draft_restore(model *m, const cJSON *base, const cJSON *edits, cJSON *server,
		  model_merge_report *rep, char *skipped, size_t sklen);

/* The editor's one hook: call draft_sync after every handled key (and
 * after a reload, a save, or before exiting on a signal or fatal error).
 * A key that changed nothing in the model (its generation, model.h) costs
 * nothing. Otherwise it journals M only when its edits
 * (draft_edits_from_model, which carry their base values) differ from the
 * last ones journaled, and then only what changed (one appended record;
 * the base file is written once per base): an edit costs the size of the
 * edits, not of the ticket. When the edits
 * become empty (a successful save, undo of the last edit) the journal is
 * removed (the base file stays while the base is the same, for the next
 * edit, and goes with draft_sync_free). Until this session first writes
 * (or restores, draft_sync_restored) a draft, no edits means nothing is
 * done, so an existing draft stays while the restore prompt is up. HOLD
 * (the user chose "keep for later") stops all writing and removing, so the
 * kept draft is never overwritten or deleted. Zero-initialise it. */
struct draft_item;
typedef struct {
	bool owned;    /* the draft on disk is this session's */
	bool hold;
	cJSON *note;   /* an entry journaled after the edits (the unposted note,
	                  {"field": "note", "value": ...}), owned here, or NULL */

	/* the rest is draft.c's own */
	char key[DRAFT_KEY_MAX];          /* "" until this session writes */
	unsigned long base_gen;           /* the model base its base file holds (0: none) */
	unsigned long model_gen;          /* the model state last journaled (0: none) */
	char base_name[DRAFT_KEY_MAX + 32];
	long long base_size;
	unsigned long long jdev, jino;    /* the journal as this session left it */
	long long jsize;                  /* -1: unknown, write it compacted */
	size_t header_len;                /* its header line's length */
	long long synced_ms;              /* CLOCK_MONOTONIC ms of its last data sync */
	bool unsynced;                    /* appended since */
	struct draft_item *items;         /* the edits journaled, sorted by field and key */
	size_t nitems;
	char *note_text;                  /* the note as last journaled (compact JSON), or NULL */
} draft_sync_state;

/* Returns 1 journaled (or removed), 0 nothing to do, -1 error in ERR (the
 * edits stay in memory; the next call retries). S->note, when set, is
 * journaled as one more entry (a draft with only a note is kept). */
int draft_sync(draft_sync_state *s, const char *url, long id, const model *m, char *err, size_t errlen);

/* The note entry of EDITS ({"field": "note", ...}; draft_restore and the
 * edit listing leave it to the editor), or NULL. */
const cJSON *draft_note_entry(const cJSON *edits);
/* After draft_restore: the draft on disk is now this session's; the next
 * draft_sync rewrites it (or removes it if nothing was left to restore). */
void draft_sync_restored(draft_sync_state *s);
/* The user discarded the edits (quit, `d`): remove this session's draft
 * (a held one stays). Returns as draft_discard. */
int draft_sync_discard(draft_sync_state *s, const char *url, long id, char *err, size_t errlen);
/* The session ends: records not yet synced are fdatasync'ed, a base file
 * kept without a journal is removed, and S is freed. */
void draft_sync_free(draft_sync_state *s);

#endif

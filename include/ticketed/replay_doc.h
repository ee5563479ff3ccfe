/* replay_doc.h — the documentation of every replay line kind, one
 * entry per rp_kind, for the man page's REPLAY DIRECTIVES section (ticketed
 * help-roff replay) so the page cannot drift from the parser.
 *
 * Ownership: the table is static; no cJSON. */
#ifndef TICKETED_REPLAY_DOC_H
#define TICKETED_REPLAY_DOC_H

#include <stddef.h>
#include "ticketed/replay.h"

typedef struct {
	rp_kind kind;
	const char *syntax;    /* how the line is written: ":expect status CODE" */
	const char *example;   /* a line that replay_parse_line reads as KIND */
	const char *help;      /* one or two sentences */
} replay_doc_entry;

extern const replay_doc_entry replay_doc[];
extern const size_t replay_ndoc;

/* The entry documenting KIND, or NULL if it has none. */
const replay_doc_entry *replay_doc_for(rp_kind kind);

#endif

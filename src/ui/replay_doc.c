/* replay_doc.c — one documentation entry per replay line kind (replay_doc.h).
 * tests/unit/test_ui_replay_doc.c checks every rp_kind has one and that each
 * example parses as its kind. */
#include "ticketed/replay_doc.h"

const replay_doc_entry replay_doc[] = {
	{ RP_NOP, "# COMMENT", "# close a ticket as a script",
	  "A comment; blank lines are skipped too." },
	{ RP_KEYS, "KEYS", "/Title<Enter><C-u>Printer on fire<Enter>",
	  "Any line not starting with ':' or '#' is keys: literal characters plus <Name> for "
	  "special keys: <Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <Enter> <Esc> "
	  "<Tab> <S-Tab> <BS> <Del> <Space> <F1>...<F12>, <C-a>...<C-z>, and <lt> for a literal '<'." },
	{ RP_EXPECT_SCREEN, ":expect screen \"TEXT\"", ":expect screen \"Saved\"",
	  "TEXT is on the screen now." },
	{ RP_EXPECT_NO_SCREEN, ":expect no-screen \"TEXT\"", ":expect no-screen \"error\"",
	  "TEXT is not on the screen now." },
	{ RP_EXPECT_FIELD, ":expect field PATH \"VALUE\"", ":expect field Title \"Printer on fire\"",
	  "The field's current value as shown (PATH like Title, OwnedBy, CustomFields/x_note)." },
	{ RP_EXPECT_STATUS, ":expect status CODE", ":expect status 200",
	  "The HTTP status of the last save, or of the load while nothing was saved yet." },
	{ RP_EXPECT_MODIFIED, ":expect modified N", ":expect modified 1",
	  "N fields carry unsaved edits." },
	{ RP_EXPECT_EXIT, ":expect exit CODE", ":expect exit 0",
	  "The exit status, checked when the program ends." },
	{ RP_EXPECT_CONFLICT, ":expect conflict FIELD", ":expect conflict Title",
	  "FIELD is listed on the conflict screen." },
	{ RP_EXPECT_CONFLICTS, ":expect conflicts N", ":expect conflicts 2",
	  "The conflict screen lists N conflicts." },
	{ RP_RESIZE, ":resize COLS ROWS", ":resize 100 30",
	  "Resize the (headless or real) screen as a terminal resize would." },
	{ RP_DUMP, ":dump FILE", ":dump screen.txt",
	  "Write the screen as plain text to FILE." },
};
const size_t replay_ndoc = sizeof replay_doc / sizeof replay_doc[0];

const replay_doc_entry *replay_doc_for(rp_kind kind)
{
	for (size_t i = 0; i < replay_ndoc; i++)
		if (replay_doc[i].kind == kind)
			return &replay_doc[i];
	return NULL;
}

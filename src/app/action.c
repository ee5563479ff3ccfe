/* action.c — the one action table and the default key bindings. */
#include <stdio.h>
#include <string.h>
#include <curses.h>
#include "commands.h"
#include "ticketed/action.h"

const action_def action_table[ACT_COUNT] = {
	{ ACT_NONE, "none", 0, NULL, NULL },
#define X(id, nm, sc, hi, he) { ACT_##id, nm, sc, hi, he },
	ACTIONS(X)
#undef X
};

#define FN(k) TK_FN(k)
#define ED (SC_EDIT | SC_NOTE)
#define LIST (SC_FORM | SC_PICK | SC_VIEW | SC_SET | SC_MSGS | SC_BODY)
#define SCROLL (SC_FORM | SC_VIEW | SC_MSGS | SC_BODY)  /* screens where j k g G move */

/* Default keys, in the order the help and footer show them. Letters that
 * are text in the line editor and pick list are bound to list screens only. */
const key_binding action_keys[] = {
	{ FN(KEY_UP), ACT_UP, 0 }, { 'k', ACT_UP, SCROLL },
	{ FN(KEY_DOWN), ACT_DOWN, 0 }, { 'j', ACT_DOWN, SCROLL },
	{ FN(KEY_PPAGE), ACT_PAGE_UP, 0 }, { FN(KEY_NPAGE), ACT_PAGE_DOWN, 0 },
	{ ' ', ACT_PAGE_DOWN, SC_VIEW | SC_BODY | SC_CONFIRM },
	{ FN(KEY_HOME), ACT_FIRST, LIST }, { 'g', ACT_FIRST, SCROLL },
	{ FN(KEY_END), ACT_LAST, LIST }, { 'G', ACT_LAST, SCROLL },
	{ '\t', ACT_NEXT_FIELD, 0 }, { FN(KEY_BTAB), ACT_PREV_FIELD, 0 },
	{ '/', ACT_FIND, 0 }, { 'n', ACT_FIND_NEXT, 0 }, { 'N', ACT_FIND_PREV, 0 },
	{ TK_ENTER, ACT_EDIT, SC_FORM }, { 'e', ACT_EDIT, 0 },
	{ ' ', ACT_TOGGLE, SC_FORM },
	{ 'a', ACT_ADD, 0 },
	{ 'x', ACT_REMOVE, SC_FORM }, { 'd', ACT_REMOVE, SC_SET }, { FN(KEY_DC), ACT_REMOVE, SC_FORM | SC_SET },
	{ 'r', ACT_REVERT, 0 },
	{ 'u', ACT_UNDO, 0 }, { TK_CTRL('r'), ACT_REDO, 0 },
	{ 'p', ACT_PREVIEW, 0 }, { '\t', ACT_VIEW_TOGGLE, 0 },
	{ 's', ACT_SAVE, 0 }, { TK_CTRL('s'), ACT_SAVE, SC_FORM }, { FN(KEY_F(2)), ACT_SAVE, SC_FORM },
	{ 'R', ACT_RELOAD, 0 }, { FN(KEY_F(5)), ACT_RELOAD, 0 },
	{ '?', ACT_HELP, 0 }, { FN(KEY_F(1)), ACT_HELP, 0 }, { '!', ACT_HISTORY, 0 }, { 'o', ACT_OPEN, 0 },
	{ 'q', ACT_QUIT, 0 }, { FN(KEY_F(10)), ACT_QUIT, 0 }, { TK_CTRL('c'), ACT_QUIT, SC_FORM },
	{ TK_CTRL('z'), ACT_SUSPEND, 0 },
	{ TK_CTRL('l'), ACT_REDRAW, 0 },
	{ TK_ESC, ACT_CLOSE, 0 }, { 'q', ACT_CLOSE, SC_VIEW | SC_MSGS | SC_BODY | SC_CONFIRM },
	{ FN(KEY_F(10)), ACT_CLOSE, SC_VIEW | SC_DESK },
	{ TK_ENTER, ACT_CLOSE, SC_VIEW | SC_SET },
	{ TK_ESC, ACT_CANCEL, 0 }, { TK_CTRL('c'), ACT_CANCEL, SC_EDIT | SC_PICK | SC_QUIT | SC_PICKER },
	{ TK_CTRL('c'), ACT_CLOSE, SC_VIEW | SC_SET | SC_CONFLICT | SC_DESK },
	{ TK_ENTER, ACT_COMMIT, 0 },
	{ 'd', ACT_DISCARD, 0 },
	{ 'r', ACT_DRAFT_RESTORE, 0 }, { 'k', ACT_DRAFT_KEEP, 0 }, { TK_ESC, ACT_DRAFT_KEEP, SC_DRAFT },
	{ TK_CTRL('c'), ACT_DRAFT_KEEP, SC_DRAFT },
	{ 'm', ACT_KEEP_MINE, 0 }, { 't', ACT_TAKE_THEIRS, 0 }, { 'e', ACT_EDIT_MERGED, 0 },
	{ 's', ACT_RESUBMIT, 0 }, { TK_CTRL('s'), ACT_RESUBMIT, 0 }, { FN(KEY_F(2)), ACT_RESUBMIT, 0 },
	{ 'm', ACT_MESSAGES, 0 }, { 'n', ACT_NOTE, 0 }, { 'r', ACT_REPLY, 0 }, { TK_ENTER, ACT_READ, 0 },
	{ '/', ACT_SEARCH, 0 }, { 'n', ACT_SEARCH_NEXT, 0 }, { 'N', ACT_SEARCH_PREV, 0 }, { 't', ACT_QUOTES, 0 },
	{ TK_CTRL('s'), ACT_POST, 0 }, { FN(KEY_F(2)), ACT_POST, 0 }, { TK_CTRL('t'), ACT_STATUS, 0 },
	{ TK_CTRL('o'), ACT_EXT_EDITOR, 0 }, { FN(KEY_F(4)), ACT_EXT_EDITOR, 0 }, { TK_ENTER, ACT_NEWLINE, 0 },
	{ 'y', ACT_SEND, 0 }, { TK_ENTER, ACT_SEND, 0 },
	{ FN(KEY_LEFT), ACT_LE_LEFT, 0 }, { FN(KEY_RIGHT), ACT_LE_RIGHT, 0 },
	{ FN(KEY_HOME), ACT_LE_HOME, ED }, { TK_CTRL('a'), ACT_LE_HOME, 0 },
	{ FN(KEY_END), ACT_LE_END, ED }, { TK_CTRL('e'), ACT_LE_END, 0 },
	{ FN(KEY_BACKSPACE), ACT_LE_BS, 0 }, { 127, ACT_LE_BS, 0 }, { TK_CTRL('h'), ACT_LE_BS, 0 },
	{ FN(KEY_DC), ACT_LE_DEL, 0 }, { TK_CTRL('d'), ACT_LE_DEL, 0 },
	{ TK_CTRL('u'), ACT_LE_KILL_START, 0 }, { TK_CTRL('k'), ACT_LE_KILL_END, 0 },
	{ TK_CTRL('w'), ACT_LE_KILL_WORD, 0 },
};
const size_t action_nkeys = sizeof action_keys / sizeof action_keys[0];

static bool binding_applies(const key_binding *b, unsigned screen)
{
	unsigned where = b->screens ? b->screens : action_table[b->act].screens;
	return (where & screen) && (action_table[b->act].screens & screen);
}

action_id action_for_key(unsigned screen, tkey key)
{
	size_t i;
	for (i = 0; i < action_nkeys; i++)
		if (action_keys[i].key == key && binding_applies(&action_keys[i], screen))
			return action_keys[i].act;
	return ACT_NONE;
}

/* A key as the help and footer show it: "Enter", "C-s", "s", "Space". */
static void key_label(tkey k, char *buf, size_t n)
{
	char tmp[32];
	size_t l;
	if (k == ' ') {
		snprintf(buf, n, "Space");
		return;
	}
	if (k == '\t') {
		snprintf(buf, n, "Tab");
		return;
	}
	key_name(k, tmp, sizeof tmp);
	l = strlen(tmp);
	if (l > 2 && tmp[0] == '<' && tmp[l - 1] == '>' && strcmp(tmp, "<lt>")) {
		tmp[l - 1] = 0;
		snprintf(buf, n, "%s", tmp + 1);
	} else {
		snprintf(buf, n, "%s", tmp);
	}
}

/* Whether the space-separated LIST already holds the label NAME. */
static bool label_listed(const char *list, const char *name)
{
	size_t k = strlen(name);
	for (const char *p = list; (p = strstr(p, name)); p += k)
		if ((p == list || p[-1] == ' ') && (p[k] == ' ' || p[k] == '\0'))
			return true;
	return false;
}

void action_keys_text(action_id act, unsigned screen, char *buf, size_t n)
{
	size_t i, l = 0;
	buf[0] = 0;
	for (i = 0; i < action_nkeys && l + 1 < n; i++) {
		char name[32];
		if (action_keys[i].act != act || !binding_applies(&action_keys[i], screen))
			continue;
		key_label(action_keys[i].key, name, sizeof name);
		if (label_listed(buf, name)) /* 127, C-h and KEY_BACKSPACE are all "BS" */
			continue;
		l += (size_t)snprintf(buf + l, n - l, "%s%s", l ? " " : "", name);
		if (l >= n)
			l = n - 1;
	}
}

/* The footer's actions, most important first: what finishes or leaves
 * the screen's one task, then saving, then editing the current row, then
 * moving around; help is added last by action_footer. */
static const action_id footer_order[] = {
	ACT_COMMIT, ACT_SAVE, ACT_RESUBMIT, ACT_KEEP_MINE, ACT_TAKE_THEIRS, ACT_EDIT_MERGED,
	ACT_DRAFT_RESTORE, ACT_DISCARD, ACT_DRAFT_KEEP, ACT_CANCEL, ACT_EDIT, ACT_TOGGLE, ACT_ADD, ACT_REMOVE,
	ACT_REVERT, ACT_UNDO, ACT_PREVIEW, ACT_VIEW_TOGGLE, ACT_LE_KILL_START, ACT_CLOSE, ACT_QUIT,
	ACT_SEND, ACT_POST, ACT_STATUS, ACT_EXT_EDITOR, ACT_READ, ACT_REPLY, ACT_NOTE, ACT_SEARCH, ACT_QUOTES,
	ACT_RELOAD, ACT_OPEN, ACT_FIND, ACT_FIND_NEXT, ACT_MESSAGES, ACT_HISTORY,
};

/* "key:hint" of ACT on SCREEN (its first key there) into BUF; false when
 * it has no hint or no key there. */
static bool footer_hint(action_id act, unsigned screen, char *buf, size_t n)
{
	const action_def *d = &action_table[act];
	char name[32];
	size_t i;
	if (!d->hint || !(d->screens & screen))
		return false;
	for (i = 0; i < action_nkeys; i++)
		if (action_keys[i].act == act && binding_applies(&action_keys[i], screen))
			break;
	if (i == action_nkeys)
		return false;
	key_label(action_keys[i].key, name, sizeof name);
	snprintf(buf, n, "%s:%s", name, d->hint);
	return true;
}

/* Append HINT (W columns: hints are ASCII) to BUF at *L if it fits in
 * COLS columns with its separator. */
static bool footer_add(char *buf, size_t n, size_t *l, int *used, int cols, const char *hint)
{
	int w = (int)strlen(hint) + (*used ? 2 : 0);
	if (*used + w > cols || *l + (size_t)w + 1 > n)
		return false;
	*l += (size_t)snprintf(buf + *l, n - *l, "%s%s", *used ? "  " : "", hint);
	*used += w;
	return true;
}

int action_footer(unsigned screen, const char *lead, action_applies applies, void *ctx, int cols,
                  char *buf, size_t n)
{
	char help[48], hint[48];
	size_t l = 0, k;
	int used = 0, room;
	bool have_help = footer_hint(ACT_HELP, screen, help, sizeof help) && (!applies || applies(ctx, ACT_HELP));
	if (n)
		buf[0] = 0;
	room = cols - (have_help ? (int)strlen(help) + 2 : 0);  /* help's place is kept */
	if (lead && *lead)
		footer_add(buf, n, &l, &used, room, lead);
	for (k = 0; k < sizeof footer_order / sizeof footer_order[0]; k++) {
		action_id act = footer_order[k];
		if (lead && *lead && (act == ACT_SAVE || act == ACT_CANCEL))
			continue;
		if (!footer_hint(act, screen, hint, sizeof hint) || (applies && !applies(ctx, act)))
			continue;
		footer_add(buf, n, &l, &used, room, hint);
	}
	if (have_help)
		footer_add(buf, n, &l, &used, cols, help);
	return used;
}

const action_screen action_screens[] = {
	{ SC_FORM, "Form" }, { SC_EDIT, "Line editor (field values, find)" },
	{ SC_PICK, "Pick list" }, { SC_SET, "Set list (Tags, Other persons)" },
	{ SC_MSGS, "Messages (the conversation)" }, { SC_BODY, "A message" },
	{ SC_NOTE, "Note or reply (the text editor)" }, { SC_CONFIRM, "Reply confirmation" },
	{ SC_VIEW, "Preview and help" }, { SC_QUIT, "Quit prompt" },
	{ SC_CONFLICT, "Conflict screen" }, { SC_DRAFT, "Draft prompt (on open)" },
	{ SC_PICKER, "Ticket picker (ticketed without TICKET_ID, or o)" },
};
const size_t action_nscreens = sizeof action_screens / sizeof action_screens[0];

/* A screen's keys as its footer ranks them (what finishes its task first:
 * Enter "read" on the message list), then the rest (moving) in table order. */
void action_each_key(unsigned screen, void (*fn)(const char *keys, const char *help, void *ctx),
                     void *ctx)
{
	bool done[ACT_COUNT] = { false };
	size_t nf = sizeof footer_order / sizeof footer_order[0];
	for (size_t i = 0; i < nf + ACT_COUNT; i++) {
		int a = i < nf ? (int)footer_order[i] : (int)(i - nf);
		char keys[128];
		if (a <= 0 || done[a] || !(action_table[a].screens & screen))
			continue;
		done[a] = true;
		action_keys_text((action_id)a, screen, keys, sizeof keys);
		if (keys[0])
			fn(keys, action_table[a].help, ctx);
	}
}

static void print_key_line(const char *keys, const char *help, void *f)
{
	fprintf(f, "  %-22s %s\n", keys, help);
}

void action_print(FILE *f)
{
	for (size_t s = 0; s < action_nscreens; s++) {
		fprintf(f, "%s:\n", action_screens[s].name);
		action_each_key(action_screens[s].sc, print_key_line, f);
	}
}

int cmd_keys(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	action_print(stdout);
	return 0;
}

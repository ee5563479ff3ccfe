/* theme.h — colour themes as named roles.
 *
 * File format: one rule a line, "color ROLE FG BG [ATTR...]", "#" comments.
 * Colours: default, black red green yellow blue magenta cyan white,
 * bright-<name>, 0..255. Attributes: bold dim underline reverse standout italic. */
#ifndef TICKETED_THEME_H
#define TICKETED_THEME_H

#include <stdbool.h>
#include <stddef.h>
#include <curses.h>

#define THEME_ROLES(X) \
	X(HEADER, "header") X(FOOTER, "footer") X(SECTION, "section") X(LABEL, "label") \
	X(VALUE, "value") X(MODIFIED, "modified") X(READONLY, "readonly") X(INVALID, "invalid") \
	X(CURSOR, "cursor") X(STATUS, "status") X(ERROR, "error") X(SPINNER, "spinner") \
	X(POPUP, "popup") X(POPUP_SELECTED, "popup-selected") X(DIFF_ADD, "diff-add") \
	X(DIFF_REMOVE, "diff-remove") X(DIFF_TEST, "diff-test") X(CONFLICT_BASE, "conflict-base") \
	X(CONFLICT_MINE, "conflict-mine") X(CONFLICT_THEIRS, "conflict-theirs") \
	X(CONTROL_CHAR, "control-char") X(HELP_KEY, "help-key")

typedef enum {
#define X(id, name) ROLE_##id,
	THEME_ROLES(X)
#undef X
	ROLE_COUNT
} theme_role;

extern const char *const theme_role_names[ROLE_COUNT];

typedef struct {
	short fg, bg;      /* -1 = terminal default, 0..255 */
	attr_t attr;       /* A_BOLD | ... */
} theme_rule;

typedef struct {
	char name[64];
	theme_rule rule[ROLE_COUNT];
	int colors_needed; /* 0 (mono), 8, 16 or 256 */
} theme;

/* Parse theme TEXT. FILENAME labels errors "FILE:LINE: message" in ERR.
 * Roles not mentioned keep the mono defaults. Returns 0 or -1. */
int theme_parse(const char *text, const char *filename, theme *out, char *err, size_t errlen);

/* Find NAME.theme in $TICKETED_THEMES, $XDG_CONFIG_HOME/ticketed/themes
 * (or ~/.config/...), the installed share dir, ./themes; parse it. NAME may
 * also be a path containing '/'. Returns 0 or -1 with ERR. */
int theme_load(const char *name, theme *out, char *err, size_t errlen);

/* The built-in mono theme (attributes only). */
void theme_mono(theme *out);

/* After start_color() (if COLOR_OK): init colour pairs for T and fill
 * ATTRS[role] with the attr_t to use for each role. Falls back to mono when
 * the terminal has fewer colours than T needs or COLOR_OK is false. Returns
 * true if colours are used. */
bool theme_apply(const theme *t, bool color_ok, attr_t attrs[ROLE_COUNT]);

#endif

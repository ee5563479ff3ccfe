/* theme.c — colour themes as named roles: parse, find, apply.
 *
 * A theme file holds names and numbers only; anything else is an error that
 * names the file and line, and error messages show untrusted bytes as \xNN,
 * so a theme can never put an escape sequence on the terminal. */
#include "ticketed/theme.h"
#include "ticketed/errmsg.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define THEME_FILE_MAX (64 * 1024)
#define TOKEN_MAX 8          /* color ROLE FG BG + up to 4 attributes (more is an error) */
#define SHOW_MAX 32          /* bytes of a bad token shown in a message */

const char *const theme_role_names[ROLE_COUNT] = {
#define X(id, name) name,
	THEME_ROLES(X)
#undef X
};

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white"
};

static const struct {
	const char *name;
	attr_t attr;
} attr_names[] = {
	{ "bold", A_BOLD }, { "dim", A_DIM }, { "underline", A_UNDERLINE },
	{ "reverse", A_REVERSE }, { "standout", A_STANDOUT }, { "italic", A_ITALIC },
	{ "normal", A_NORMAL },
};

/* TOK for a message: printable ASCII as is, other bytes as \xNN, cut. */
static const char *show(const char *tok, char *buf, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; tok[i] && o + 5 < n; i++) {
		unsigned char c = (unsigned char)tok[i];

		if (i == SHOW_MAX) {
			o += (size_t)snprintf(buf + o, n - o, "...");
			break;
		}
		if (c >= 0x20 && c < 0x7f && c != '\'')
			buf[o++] = (char)c;
		else
			o += (size_t)snprintf(buf + o, n - o, "\\x%02X", c);
	}
	buf[o < n ? o : n - 1] = '\0';
	return buf;
}

void theme_mono(theme *out)
{
	static const attr_t mono[ROLE_COUNT] = {
		[ROLE_HEADER] = A_REVERSE | A_BOLD,   [ROLE_FOOTER] = A_REVERSE,
		[ROLE_SECTION] = A_BOLD | A_UNDERLINE, [ROLE_LABEL] = A_NORMAL,
		[ROLE_VALUE] = A_NORMAL,              [ROLE_MODIFIED] = A_BOLD,
		[ROLE_READONLY] = A_DIM,              [ROLE_INVALID] = A_BOLD | A_UNDERLINE,
		[ROLE_CURSOR] = A_REVERSE,            [ROLE_STATUS] = A_NORMAL,
		[ROLE_ERROR] = A_BOLD,                [ROLE_SPINNER] = A_BOLD,
		[ROLE_POPUP] = A_NORMAL,              [ROLE_POPUP_SELECTED] = A_REVERSE,
		[ROLE_DIFF_ADD] = A_BOLD,             [ROLE_DIFF_REMOVE] = A_DIM,
		[ROLE_DIFF_TEST] = A_UNDERLINE,       [ROLE_CONFLICT_BASE] = A_DIM,
		[ROLE_CONFLICT_MINE] = A_BOLD,        [ROLE_CONFLICT_THEIRS] = A_UNDERLINE,
		[ROLE_CONTROL_CHAR] = A_UNDERLINE,    [ROLE_HELP_KEY] = A_BOLD,
	};

	memset(out, 0, sizeof *out);
	snprintf(out->name, sizeof out->name, "mono");
	for (int r = 0; r < ROLE_COUNT; r++) {
		out->rule[r].fg = -1;
		out->rule[r].bg = -1;
		out->rule[r].attr = mono[r];
	}
	out->colors_needed = 0;
}

static int find_role(const char *tok)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		if (strcmp(tok, theme_role_names[r]) == 0)
			return r;
	return -1;
}

/* A colour name or number; -2 if unknown. *NEED: the colours it needs. */
static int parse_color(const char *tok, int *need)
{
	const char *base = tok;
	int bright = 0;

	if (strcmp(tok, "default") == 0) {
		*need = 0;
		return -1;
	}
	if (tok[0] >= '0' && tok[0] <= '9') {
		int v = 0;

		for (const char *p = tok; *p; p++) {
			if (*p < '0' || *p > '9' || p - tok >= 3)
				return -2;
			v = v * 10 + (*p - '0');
		}
		if (v > 255 || (tok[0] == '0' && tok[1]))
			return -2;
		*need = v < 8 ? 8 : v < 16 ? 16 : 256;
		return v;
	}
	if (strncmp(tok, "bright-", 7) == 0) {
		base = tok + 7;
		bright = 8;
	}
	for (int i = 0; i < 8; i++) {
		if (strcmp(base, color_names[i]) == 0) {
			*need = bright ? 16 : 8;
			return i + bright;
		}
	}
	return -2;
}

static int parse_attr(const char *tok, attr_t *out)
{
	for (size_t i = 0; i < sizeof attr_names / sizeof attr_names[0]; i++) {
		if (strcmp(tok, attr_names[i].name) == 0) {
			*out |= attr_names[i].attr;
			return 0;
		}
	}
	return -1;
}

/* Split LINE (modified in place) into blank-separated tokens up to a '#'
 * comment. Returns the count, or TOKEN_MAX + 1 when there are too many. */
static int tokenize(char *line, char **tok)
{
	int n = 0;
	char *p = line;

	for (;;) {
		while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\f' || *p == '\v')
			p++;
		if (!*p || *p == '#')
			return n;
		if (n == TOKEN_MAX)
			return TOKEN_MAX + 1;
		tok[n++] = p;
		while (*p && *p != ' ' && *p != '\t' && *p != '\r' && *p != '\f' && *p != '\v')
			p++;
		if (*p)
			*p++ = '\0';
	}
}

typedef struct {
	const char *file;
	int line;
	char *err;
	size_t errlen;
} theme_ctx;

/* "FILE:LINE: WHAT 'TOK' HINT" (TOK and HINT optional); returns -1. */
static int line_err(const theme_ctx *c, const char *what, const char *tok, const char *hint)
{
	char shown[SHOW_MAX * 4 + 8];

	if (tok)
		seterr(c->err, c->errlen, "%s:%d: %s '%s'%s%s", c->file, c->line, what,
		       show(tok, shown, sizeof shown), hint ? " " : "", hint ? hint : "");
	else
		seterr(c->err, c->errlen, "%s:%d: %s", c->file, c->line, what);
	return -1;
}

#define COLOR_HINT "(default, black..white, bright-NAME, 0..255)"

static int parse_rule(const theme_ctx *c, char **tok, int n, theme *out, int *need)
{
	int role, fg, bg, nf = 0, nb = 0;
	attr_t attr = A_NORMAL;

	if (strcmp(tok[0], "color") != 0)
		return line_err(c, "unknown keyword", tok[0], "(expected 'color ROLE FG BG [ATTR...]')");
	if (n < 2)
		return line_err(c, "missing role after 'color'", NULL, NULL);
	if ((role = find_role(tok[1])) < 0)
		return line_err(c, "unknown role", tok[1], NULL);
	if (n < 4)
		return line_err(c, n < 3 ? "missing foreground and background colours" :
		                "missing background colour", NULL, NULL);
	if ((fg = parse_color(tok[2], &nf)) == -2)
		return line_err(c, "unknown colour", tok[2], COLOR_HINT);
	if ((bg = parse_color(tok[3], &nb)) == -2)
		return line_err(c, "unknown colour", tok[3], COLOR_HINT);
	for (int i = 4; i < n; i++)
		if (parse_attr(tok[i], &attr) < 0)
			return line_err(c, "unknown attribute", tok[i],
			                "(bold dim underline reverse standout italic)");
	out->rule[role] = (theme_rule){ (short)fg, (short)bg, attr };
	if (nf > *need)
		*need = nf;
	if (nb > *need)
		*need = nb;
	return 0;
}

/* NAME for the theme: FILENAME's base name without ".theme". */
static void set_name(theme *out, const char *filename)
{
	const char *base = strrchr(filename, '/');
	size_t len;

	base = base ? base + 1 : filename;
	len = strlen(base);
	if (len > 6 && strcmp(base + len - 6, ".theme") == 0)
		len -= 6;
	if (len >= sizeof out->name)
		len = sizeof out->name - 1;
	memcpy(out->name, base, len);
	out->name[len] = '\0';
}

int theme_parse(const char *text, const char *filename, theme *out, char *err, size_t errlen)
{
	theme_ctx c = { filename ? filename : "theme", 0, err, errlen };
	const char *p = text ? text : "";
	char *tok[TOKEN_MAX];
	char line[512];
	int need = 0, n;
	theme t;

	theme_mono(&t);
	set_name(&t, c.file);
	while (*p) {
		const char *nl = strchr(p, '\n');
		size_t len = nl ? (size_t)(nl - p) : strlen(p);

		c.line++;
		if (len >= sizeof line)
			return line_err(&c, "line too long", NULL, NULL);
		memcpy(line, p, len);
		line[len] = '\0';
		p += len + (nl ? 1 : 0);
		if ((n = tokenize(line, tok)) == 0)
			continue;
		if (n > TOKEN_MAX)
			return line_err(&c, "too many words (color ROLE FG BG and at most 4 attributes)",
			                NULL, NULL);
		if (parse_rule(&c, tok, n, &t, &need) < 0)
			return -1;
	}
	t.colors_needed = need;
	*out = t;
	return 0;
}

/* ---- finding and loading ------------------------------------------------ */

static char *read_small_file(const char *path, char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!f) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	buf = malloc(THEME_FILE_MAX + 1);
	n = buf ? fread(buf, 1, THEME_FILE_MAX + 1, f) : 0;
	fclose(f);
	if (!buf) {
		seterr(err, errlen, "%s: out of memory", path);
		return NULL;
	}
	if (n > THEME_FILE_MAX) {
		seterr(err, errlen, "%s: larger than %d bytes", path, THEME_FILE_MAX);
		free(buf);
		return NULL;
	}
	if (memchr(buf, '\0', n)) {
		seterr(err, errlen, "%s: contains a NUL byte (not a text file)", path);
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	return buf;
}

static int load_path(const char *path, theme *out, char *err, size_t errlen)
{
	char *text = read_small_file(path, err, errlen);
	int rc;

	if (!text)
		return -1;
	rc = theme_parse(text, path, out, err, errlen);
	free(text);
	return rc;
}

static bool name_ok(const char *name)
{
	if (!name[0] || name[0] == '.' || strlen(name) > 60)
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* BUF = share/ticketed/themes next to the running binary (BINDIR/..), so an
 * install under DESTDIR or a moved PREFIX still finds its themes; 0 or -1. */
static int exe_share_dir(char *buf, size_t n)
{
	char exe[1024];
	ssize_t l = readlink("/proc/self/exe", exe, sizeof exe - 1);
	char *slash;

	if (l <= 0)
		return -1;
	exe[l] = '\0';
	if (!(slash = strrchr(exe, '/')))
		return -1;
	*slash = '\0';
	return snprintf(buf, n, "%s/../share/ticketed/themes", exe) < (int)n ? 0 : -1;
}

/* The search directories, in order; DIRS[i] points into BUFS. */
static int theme_dirs(char bufs[5][1024], const char *dirs[5])
{
	const char *env = getenv("TICKETED_THEMES"), *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	int n = 0;

	if (env && *env)
		snprintf(bufs[n], sizeof bufs[n], "%s", env), dirs[n] = bufs[n], n++;
	if (xdg && *xdg)
		snprintf(bufs[n], sizeof bufs[n], "%s/ticketed/themes", xdg), dirs[n] = bufs[n], n++;
	else if (home && *home)
		snprintf(bufs[n], sizeof bufs[n], "%s/.config/ticketed/themes", home), dirs[n] = bufs[n], n++;
	if (exe_share_dir(bufs[n], sizeof bufs[n]) == 0)
		dirs[n] = bufs[n], n++;
#ifdef TICKETED_DATADIR
	snprintf(bufs[n], sizeof bufs[n], "%s/themes", TICKETED_DATADIR), dirs[n] = bufs[n], n++;
#endif
	snprintf(bufs[n], sizeof bufs[n], "./themes"), dirs[n] = bufs[n], n++;
	return n;
}

int theme_load(const char *name, theme *out, char *err, size_t errlen)
{
	char bufs[5][1024], path[1100], shown[SHOW_MAX * 4 + 8];
	const char *dirs[5];
	int n;
	FILE *f;

	if (!name) {
		seterr(err, errlen, "no theme name");
		return -1;
	}
	if (strchr(name, '/'))
		return load_path(name, out, err, errlen);
	if (!name_ok(name)) {
		seterr(err, errlen, "bad theme name '%s' (letters, digits, '-', '_', '.')",
		       show(name, shown, sizeof shown));
		return -1;
	}
	n = theme_dirs(bufs, dirs);
	for (int i = 0; i < n; i++) {
		snprintf(path, sizeof path, "%s/%s.theme", dirs[i], name);
		if ((f = fopen(path, "rb")) != NULL) {
			fclose(f);
			return load_path(path, out, err, errlen);
		}
	}
	seterr(err, errlen, "theme '%s' not found (looked in $TICKETED_THEMES, "
	       "$XDG_CONFIG_HOME/ticketed/themes, BINDIR/../share/ticketed/themes, %s/themes, ./themes)", name,
#ifdef TICKETED_DATADIR
	       TICKETED_DATADIR
#else
	       "the share dir"
#endif
	);
	return -1;
}

/* ---- applying ----------------------------------------------------------- */

static void mono_attrs(const theme *t, attr_t attrs[ROLE_COUNT])
{
	theme m;

	if (t->colors_needed == 0) {  /* an attributes-only theme is its own fallback */
		for (int r = 0; r < ROLE_COUNT; r++)
			attrs[r] = t->rule[r].attr;
		return;
	}
	theme_mono(&m);
	for (int r = 0; r < ROLE_COUNT; r++)
		attrs[r] = m.rule[r].attr;
}

bool theme_apply(const theme *t, bool color_ok, attr_t attrs[ROLE_COUNT])
{
	bool defaults;

	if (!color_ok || t->colors_needed == 0 || !has_colors() || COLORS < t->colors_needed ||
	    COLOR_PAIRS <= ROLE_COUNT) {
		mono_attrs(t, attrs);
		return false;
	}
	defaults = use_default_colors() == OK;
	for (int r = 0; r < ROLE_COUNT; r++) {
		short fg = t->rule[r].fg, bg = t->rule[r].bg;

		if (fg < 0 && bg < 0) {
			attrs[r] = t->rule[r].attr;
			continue;
		}
		if (!defaults) {
			fg = fg < 0 ? COLOR_WHITE : fg;
			bg = bg < 0 ? COLOR_BLACK : bg;
		}
		init_pair((short)(r + 1), fg, bg);
		attrs[r] = COLOR_PAIR(r + 1) | t->rule[r].attr;
	}
	return true;
}

/* config.c — the configuration file and credential commands.
 *
 * `key = value` lines; blank lines and lines starting with `#` are skipped
 * (a `#` inside a value is kept). This file reads the lines; which keys
 * exist, what their values mean and which source wins is options.c's. A
 * file that group or others can write is
 * refused whatever it holds (it decides where the credentials go); one with
 * a `*_command` must not be readable by them either, as ssh insists for its
 * keys. Commands run without a shell: the value is split into words (blanks
 * separate; '...' and "..." quote; backslash escapes), then posix_spawnp,
 * in a process group of their own that is killed at the time limit (and
 * whatever a helper leaves running in it once it has answered); while one
 * runs, its group is the terminal's foreground group, so it may prompt. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <termios.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include "ticketed/config.h"
#include "ticketed/errmsg.h"
#include "ticketed/xalloc.h"

#define LINE_MAX_LEN 4096
#define CMD_TIMEOUT_MS 60000
#define CMD_POLL_MS 50          /* how often a helper's exit is looked for */
#define CMD_MAX_WORDS 64

extern char **environ;

typedef struct {
	const char *path;
	int line;
} cfg_pos;

static int fail(const cfg_pos *f, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static int fail(const cfg_pos *f, char *err, size_t errlen, const char *fmt, ...)
{
	char msg[300];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	seterr(err, errlen, "%s:%d: %s", f->path, f->line, msg);
	return -1;
}

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	size_t n = strlen(s);
	while (n > 0 && strchr(" \t\r\n", s[n - 1]))
		s[--n] = '\0';
	return s;
}

static bool is_command_key(const char *key)
{
	size_t n = strlen(key);
	return n > 8 && !strcmp(key + n - 8, "_command");
}

static void add_entry(config_file *c, const char *key, const char *value, int line)
{
	c->v = xreallocarray(c->v, c->n + 1, sizeof *c->v);
	c->v[c->n].key = xstrdup(key);
	c->v[c->n].value = xstrdup(value);
	c->v[c->n].line = line;
	c->n++;
	c->has_command |= is_command_key(key);
}

/* One line of the file. */
static int parse_line(config_file *c, char *line, const cfg_pos *f, char *err, size_t errlen)
{
	char *s = trim(line);
	if (!*s || *s == '#')
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f)  /* no CR, ESC... in values or messages */
			return fail(f, err, errlen, "control character 0x%02X in column %d", *p,
			            (int)((const char *)p - line) + 1);
	char *eq = strchr(s, '=');
	if (!eq)
		return fail(f, err, errlen, "expected \"key = value\", not \"%.60s\"", s);
	*eq = '\0';
	char *key = trim(s), *value = trim(eq + 1);
	for (size_t i = 0; i < c->n; i++)
		if (!strcmp(c->v[i].key, key))
			return fail(f, err, errlen, "duplicate key \"%.60s\"", key);
	if (*key && !*value)
		return fail(f, err, errlen, "empty value for \"%.60s\"", key);
	add_entry(c, key, value, f->line);
	return 0;
}

/* Refuse a file that group or others can change, whatever it holds. */
static int check_not_writable(FILE *fp, const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (fstat(fileno(fp), &st) < 0 || !(st.st_mode & 022))
		return 0;
	seterr(err, errlen, "%s: writable by group or others (mode %04o): whoever can change it decides "
	       "where your credentials go; run: chmod go-w %s", path, (unsigned)(st.st_mode & 07777), path);
	return -1;
}

/* Refuse a file with commands that others could read or change. */
static int check_private(FILE *fp, const config_file *c, char *err, size_t errlen)
{
	struct stat st;
	if (!c->has_command || fstat(fileno(fp), &st) < 0)
		return 0;
	if ((st.st_mode & 077) || st.st_uid != getuid()) {
		seterr(err, errlen, "%s: holds a *_command but is accessible to others (mode %04o%s); "
		       "run: chmod 600 %s", c->path, (unsigned)(st.st_mode & 07777),
		       st.st_uid != getuid() ? ", not your file" : "", c->path);
		return -1;
	}
	return 0;
}

static int read_lines(config_file *c, FILE *fp, char *err, size_t errlen)
{
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	int rc = 0;
	cfg_pos f = { c->path, 0 };
	while (rc == 0 && (n = getline(&line, &cap, fp)) >= 0) {
		f.line++;
		if (n > LINE_MAX_LEN)
			rc = fail(&f, err, errlen, "line longer than %d bytes", LINE_MAX_LEN);
		else if ((size_t)n != strlen(line))
			rc = fail(&f, err, errlen, "NUL byte in the line");
		else
			rc = parse_line(c, line, &f, err, errlen);
	}
	free(line);
	if (rc == 0 && ferror(fp)) {
		seterr(err, errlen, "%s: read error: %s", c->path, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* The config path into BUF; *EXPLICIT when named by --config/TICKETED_CONFIG. */
static const char *config_path(const char *given, char *buf, size_t len, bool *explicit_path)
{
	const char *v;
	*explicit_path = true;
	if (given)
		return given;
	if ((v = getenv("TICKETED_CONFIG")) && *v)
		return v;
	*explicit_path = false;
	if ((v = getenv("XDG_CONFIG_HOME")) && *v == '/')
		snprintf(buf, len, "%s/ticketed/config", v);
	else if ((v = getenv("HOME")) && *v)
		snprintf(buf, len, "%s/.config/ticketed/config", v);
	else
		return NULL;
	return buf;
}

int config_read(const char *given, config_file *c, char *err, size_t errlen)
{
	char buf[4096];
	bool explicit_path;
	const char *path = config_path(given, buf, sizeof buf, &explicit_path);
	struct stat st;
	FILE *fp;
	int rc;
	memset(c, 0, sizeof *c);
	if (!path)
		return 0;
	fp = fopen(path, "re");
	if (!fp) {
		if (!explicit_path && errno == ENOENT)
			return 0;
		seterr(err, errlen, "%s: cannot read the config file: %s", path, strerror(errno));
		return -1;
	}
	if (fstat(fileno(fp), &st) == 0 && !S_ISREG(st.st_mode)) {
		seterr(err, errlen, "%s: the config is not a regular file", path);
		fclose(fp);
		return -1;
	}
	if (check_not_writable(fp, path, err, errlen) < 0) {
		fclose(fp);
		return -1;
	}
	c->path = xstrdup(path);
	rc = read_lines(c, fp, err, errlen);
	if (rc == 0)
		rc = check_private(fp, c, err, errlen);
	fclose(fp);
	if (rc < 0)
		config_file_free(c);
	return rc;
}

int config_parse_text(const char *buf, size_t len, const char *name, config_file *c, char *err,
                      size_t errlen)
{
	FILE *fp = len ? fmemopen((void *)buf, len, "r") : fopen("/dev/null", "re");
	int rc;
	memset(c, 0, sizeof *c);
	if (!fp) {
		seterr(err, errlen, "%s: cannot read the config: %s", name, strerror(errno));
		return -1;
	}
	c->path = xstrdup(name);
	rc = read_lines(c, fp, err, errlen);
	fclose(fp);
	if (rc < 0)
		config_file_free(c);
	return rc;
}

void config_file_free(config_file *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->v[i].key);
		free(c->v[i].value);
	}
	free(c->v);
	free(c->path);
	memset(c, 0, sizeof *c);
}

/* --- credential commands ------------------------------------------------- */

/* Split S into words in BUF (same size as S + 1); WORDS gets pointers.
 * Returns the word count, or -1 with ERR. */
static int split_words(const char *s, char *buf, char **words, int max, char *err, size_t errlen)
{
	int n = 0;
	char *o = buf;
	while (*s) {
		while (*s == ' ' || *s == '\t')
			s++;
		if (!*s)
			break;
		if (n == max) {
			seterr(err, errlen, "too many words (more than %d)", max);
			return -1;
		}
		words[n++] = o;
		while (*s && *s != ' ' && *s != '\t') {
			char q = *s;
			if (q == '\'' || q == '"') {
				for (s++; *s && *s != q; s++) {
					if (q == '"' && *s == '\\' && (s[1] == '"' || s[1] == '\\'))
						s++;
					*o++ = *s;
				}
				if (!*s) {
					seterr(err, errlen, "unterminated %c quote", q);
					return -1;
				}
				s++;
			} else {
				if (q == '\\' && s[1])
					s++;
				*o++ = *s++;
			}
		}
		*o++ = '\0';
	}
	words[n] = NULL;
	if (n == 0)
		seterr(err, errlen, "empty command");
	return n > 0 ? n : -1;
}

static long now_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1000L + t.tv_nsec / 1000000L;
}

/* The time limit of a command; TICKETED_TEST_COMMAND_TIMEOUT_MS (tests
 * only) shortens it. */
static long cmd_limit_ms(void)
{
	const char *v = getenv("TICKETED_TEST_COMMAND_TIMEOUT_MS");
	char *end;
	long ms = v ? strtol(v, &end, 10) : 0;
	return v && *v && !*end && ms > 0 && ms < CMD_TIMEOUT_MS ? ms : CMD_TIMEOUT_MS;
}

/* Whether PID has exited (left a zombie: its process group id cannot be
 * reused until it is reaped, so killing the group stays safe). */
static bool has_exited(pid_t pid)
{
	siginfo_t si;
	memset(&si, 0, sizeof si);
	return waitid(P_PID, (id_t)pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == pid;
}

/* Read the helper's output from FD into BUF (at most LEN-1 bytes kept)
 * until EOF, or until the helper PID has exited with a whole first line
 * read (a child it left behind may hold the pipe open), or the deadline
 * END. 0, or -1 at the deadline. */
static int read_output(int fd, pid_t pid, char *buf, size_t len, size_t *got, long end)
{
	char sink[4096];
	bool exited = false;
	*got = 0;
	for (;;) {
		exited = exited || has_exited(pid);
		if (exited && memchr(buf, '\n', *got))
			return 0;
		long left = end - now_ms();
		if (left <= 0)
			return -1;
		struct pollfd p = { .fd = fd, .events = POLLIN };
		int n = poll(&p, 1, (int)(left < CMD_POLL_MS ? left : CMD_POLL_MS));
		if (n < 0 && errno != EINTR)
			return -1;
		if (n <= 0)
			continue;  /* nothing yet: look at the clock and the helper again */
		bool room = *got + 1 < len;
		ssize_t r = read(fd, room ? buf + *got : sink, room ? len - 1 - *got : sizeof sink);
		if (r == 0)
			return 0;
		if (r < 0 && errno != EINTR && errno != EAGAIN)
			return -1;
		if (r > 0 && room)
			*got += (size_t)r;
	}
}

/* Wait (bounded by END) for PID to exit; false at the deadline. */
static bool wait_exit(pid_t pid, long end)
{
	while (!has_exited(pid)) {
		long left = end - now_ms();
		if (left <= 0)
			return false;
		struct timespec ts = { 0, (left < CMD_POLL_MS ? left : CMD_POLL_MS) * 1000000L };
		nanosleep(&ts, NULL);
	}
	return true;
}

static pid_t spawn(char **argv, int out_fd, char *err, size_t errlen)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	pid_t pid;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, out_fd, STDOUT_FILENO);
	posix_spawnattr_init(&at);
	/* its own process group: the whole of it can be killed at the limit */
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP);
	posix_spawnattr_setpgroup(&at, 0);
	int rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	posix_spawnattr_destroy(&at);
	if (rc != 0) {
		seterr(err, errlen, "cannot run \"%.100s\": %s", argv[0], strerror(rc));
		return -1;
	}
	return pid;
}

/* Make PGRP the terminal's foreground process group (a helper may prompt
 * on /dev/tty; in a background group it would be stopped). Returns the
 * terminal's fd to give it back with, or -1 when we are not in the
 * foreground of a terminal. */
static int give_terminal(pid_t pgrp)
{
	int fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	if (tcgetpgrp(fd) != getpgrp() || tcsetpgrp(fd, pgrp) < 0) {
		close(fd);
		return -1;
	}
	kill(-pgrp, SIGCONT);  /* in case it read the terminal before it was its */
	return fd;
}

/* Take the terminal back (from the background: SIGTTOU is held meanwhile). */
static void take_terminal(int fd)
{
	sigset_t block, old;
	if (fd < 0)
		return;
	sigemptyset(&block);
	sigaddset(&block, SIGTTOU);
	sigprocmask(SIG_BLOCK, &block, &old);
	tcsetpgrp(fd, getpgrp());
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
}

/* Kill what is left of the helper's process group, reap the helper; its
 * exit status (128 + signal when killed). */
static int reap(pid_t pid)
{
	int st = 0;
	kill(-pid, SIGKILL);
	while (waitpid(pid, &st, 0) < 0)
		if (errno != EINTR)
			return -1;
	return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}

static int run_words(char **argv, char **out, char *err, size_t errlen)
{
	int p[2];
	long limit = cmd_limit_ms(), end = now_ms() + limit;
	if (pipe2(p, O_CLOEXEC) < 0) {
		seterr(err, errlen, "pipe: %s", strerror(errno));
		return -1;
	}
	pid_t pid = spawn(argv, p[1], err, errlen);
	close(p[1]);
	if (pid < 0) {
		close(p[0]);
		return -1;
	}
	int tty = give_terminal(pid);
	char buf[8192];
	size_t got = 0;
	bool timed_out = read_output(p[0], pid, buf, sizeof buf, &got, end) < 0 || !wait_exit(pid, end);
	close(p[0]);
	take_terminal(tty);
	int status = reap(pid);
	buf[got] = '\0';
	buf[strcspn(buf, "\r\n")] = '\0';
	int rc = -1;
	if (timed_out)
		seterr(err, errlen, "\"%.100s\" did not finish within %ld s", argv[0], (limit + 999) / 1000);
	else if (status != 0)
		seterr(err, errlen, "\"%.100s\" failed (exit status %d)", argv[0], status);
	else if (!buf[0])
		seterr(err, errlen, "\"%.100s\" printed nothing", argv[0]);
	else if (!(*out = strdup(buf)))
		seterr(err, errlen, "out of memory");
	else
		rc = 0;
	explicit_bzero(buf, sizeof buf);
	return rc;
}

int config_run_command(const char *what, const char *command, char **out, char *err, size_t errlen)
{
	char msg[400];
	char *buf = malloc(strlen(command) + 1);
	char *argv[CMD_MAX_WORDS + 1];
	*out = NULL;
	if (!buf) {
		seterr(err, errlen, "out of memory");
		return -1;
	}
	int rc = split_words(command, buf, argv, CMD_MAX_WORDS, msg, sizeof msg);
	if (rc > 0)
		rc = run_words(argv, out, msg, sizeof msg);
	if (rc < 0)
		seterr(err, errlen, "%s: %s", what, msg);
	free(buf);
	return rc < 0 ? -1 : 0;
}

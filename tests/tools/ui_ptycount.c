/* ui_ptycount — run a command in a pseudo-terminal of a given size, drive it
 * with a small script and count the bytes it writes to the terminal (for
 * tests/bench/ui.sh; figures are printed, never asserted).
 *
 *   ui_ptycount [-c COLS] [-r ROWS] SCRIPT -- COMMAND [ARGS...]
 *
 * SCRIPT lines:  expect TEXT   read until TEXT appears in the output since
 *                              the last expect (10 s limit); prints the ms
 *                              since the start
 *                settle MS     read until the output is quiet for MS ms
 *                idle          read until the command has answered the keys
 *                              sent since the last idle/expect: it wrote
 *                              something, then went back to waiting for
 *                              input (blocked in poll/select/read, nothing
 *                              left unread on its terminal), and every byte
 *                              it wrote has been read (a marker written to
 *                              the terminal after it has come back out);
 *                              a condition, not a time (10 s limit). Use it
 *                              after keys that change the screen.
 *                send TEXT     write TEXT (\e = Esc, \r = Enter, \\ = \,
 *                              \xHH = the byte HH, e.g. \x15 for C-u)
 *                waitfile PATH N TEXT  read (and count) until the file PATH
 *                              holds N lines with TEXT (10 s limit; e.g. a
 *                              server's log line for a request answered in
 *                              the background, N counting earlier runs')
 *                reset         zero the byte counter
 *                count LABEL   print "LABEL BYTES" (bytes since reset)
 * At the end the child is waited for and its peak RSS printed ("maxrss KB"). */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdbool.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static int master = -1, slave = -1;
static pid_t child;
static size_t counted, out_since_send;
static char seen[1 << 20];
static size_t nseen;

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Read what is available within TIMEOUT ms; returns bytes read, -1 at EOF. */
static long pump(int timeout)
{
	struct pollfd p = { master, POLLIN, 0 };
	char buf[65536];
	ssize_t n;
	if (poll(&p, 1, timeout) <= 0)
		return 0;
	n = read(master, buf, sizeof buf);
	if (n <= 0)
		return -1;
	counted += (size_t)n;
	out_since_send += (size_t)n;
	if (nseen + (size_t)n >= sizeof seen) {  /* keep the tail */
		nseen = 0;
	}
	memcpy(seen + nseen, buf, (size_t)n);
	nseen += (size_t)n;
	seen[nseen] = 0;
	return n;
}

static int expect(const char *text, long t0)
{
	long end = now_ms() + 10000;
	while (now_ms() < end) {
		if (memmem(seen, nseen, text, strlen(text))) {
			printf("expect %s %ld ms\n", text, now_ms() - t0);
			nseen = 0;
			return 0;
		}
		if (pump(50) < 0)
			break;
	}
	printf("expect %s TIMEOUT\n", text);
	return -1;
}

static void settle(long ms)
{
	long quiet_since = now_ms(), end = now_ms() + 10000;
	while (now_ms() - quiet_since < ms && now_ms() < end) {
		long n = pump(10);
		if (n < 0)
			return;
		if (n > 0)
			quiet_since = now_ms();
	}
}

/* The child is blocked waiting for input: in one of the calls a terminal
 * program waits in (the syscall number from /proc/PID/syscall), with nothing
 * unread on its terminal. */
static int child_waiting(void)
{
	static const long waits[] = {
#ifdef SYS_poll
		SYS_poll,
#endif
#ifdef SYS_select
		SYS_select,
#endif
#ifdef SYS_epoll_wait
		SYS_epoll_wait,
#endif
		SYS_ppoll, SYS_pselect6, SYS_epoll_pwait, SYS_read,
	};
	char path[64], buf[256];
	int unread = 0;
	snprintf(path, sizeof path, "/proc/%d/syscall", (int)child);
	FILE *f = fopen(path, "r");
	if (!f)
		return 0;
	long nr = -1;
	if (!fgets(buf, sizeof buf, f) || sscanf(buf, "%ld", &nr) != 1)
		nr = -1;
	fclose(f);
	if (ioctl(slave, FIONREAD, &unread) < 0 || unread > 0)
		return 0;
	for (size_t i = 0; i < sizeof waits / sizeof waits[0]; i++)
		if (nr == waits[i])
			return 1;
	return 0;
}

static void idle(void)
{
	static unsigned serial;
	char marker[64];
	long end = now_ms() + 10000;
	while (now_ms() < end && !(out_since_send > 0 && child_waiting())) {
		siginfo_t si = { 0 };
		if (pump(10) < 0 ||
		    (waitid(P_PID, (id_t)child, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid == child))
			return;  /* the child has ended: nothing more will come */
	}
	if (now_ms() >= end) {
		printf("idle TIMEOUT\n");
		return;
	}
	/* Bytes the child wrote may still be on their way through the pty; the
	 * marker, written after them, comes out after them. */
	int n = snprintf(marker, sizeof marker, "\x1b[ptycount-idle-%u]", ++serial);
	if (write(slave, marker, (size_t)n) != n) {
		perror("write marker");
		return;
	}
	while (!memmem(seen, nseen, marker, (size_t)n)) {
		if (now_ms() >= end || pump(50) < 0) {
			printf("idle TIMEOUT\n");
			return;
		}
	}
	counted -= (size_t)n;  /* the marker is not the child's */
}

static long lines_with(const char *path, const char *text)
{
	FILE *f = fopen(path, "r");
	char line[4096];
	long n = 0;
	if (!f)
		return 0;
	while (fgets(line, sizeof line, f))
		n += strstr(line, text) != NULL;
	fclose(f);
	return n;
}

static void waitfile(char *arg)
{
	char *num = strchr(arg, ' '), *text = num ? strchr(num + 1, ' ') : NULL;
	long end = now_ms() + 10000, want;
	if (!text) {
		printf("waitfile: PATH N TEXT expected\n");
		return;
	}
	*num++ = 0;
	*text++ = 0;
	want = atol(num);
	while (lines_with(arg, text) < want) {
		if (now_ms() >= end) {
			printf("waitfile TIMEOUT\n");
			return;
		}
		pump(10);
	}
}

static void send_text(const char *s)
{
	char out[512];
	size_t o = 0;
	for (; *s && o < sizeof out; s++) {
		if (*s == '\\' && s[1] == 'x' && s[2] && s[3]) {
			char hex[3] = { s[2], s[3], 0 };
			out[o++] = (char)strtol(hex, NULL, 16);
			s += 3;
		} else if (*s == '\\' && s[1]) {
			s++;
			out[o++] = *s == 'e' ? 27 : *s == 'r' ? '\r' : *s;
		} else {
			out[o++] = *s;
		}
	}
	out_since_send = 0;
	if (write(master, out, o) < 0)
		perror("write");
}

static void run_script(FILE *f, long t0)
{
	char line[1024];
	while (fgets(line, sizeof line, f)) {
		char *arg;
		line[strcspn(line, "\n")] = 0;
		arg = strchr(line, ' ');
		if (arg)
			*arg++ = 0;
		else
			arg = line + strlen(line);
		if (!strcmp(line, "expect"))
			expect(arg, t0);
		else if (!strcmp(line, "settle"))
			settle(atol(arg));
		else if (!strcmp(line, "idle"))
			idle();
		else if (!strcmp(line, "send"))
			send_text(arg);
		else if (!strcmp(line, "waitfile"))
			waitfile(arg);
		else if (!strcmp(line, "reset"))
			counted = 0;
		else if (!strcmp(line, "count"))
			printf("%s %zu\n", arg, counted);
		fflush(stdout);
	}
}

int main(int argc, char **argv)
{
	struct winsize ws = { 24, 80, 0, 0 };
	struct rusage ru;
	FILE *script;
	pid_t pid;
	int opt, status = 0;
	long t0;
	while ((opt = getopt(argc, argv, "+c:r:")) != -1) {
		if (opt == 'c')
			ws.ws_col = (unsigned short)atoi(optarg);
		else if (opt == 'r')
			ws.ws_row = (unsigned short)atoi(optarg);
		else
			return 2;
	}
	if (argc - optind < 3 || strcmp(argv[optind + 1], "--")) {
		fprintf(stderr, "usage: ui_ptycount [-c COLS] [-r ROWS] SCRIPT -- COMMAND [ARGS...]\n");
		return 2;
	}
	script = fopen(argv[optind], "r");
	if (!script) {
		perror(argv[optind]);
		return 2;
	}
	t0 = now_ms();
	char name[256];
	pid = forkpty(&master, name, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[optind + 2], argv + optind + 2);
		_exit(127);
	}
	child = pid;
	slave = open(name, O_RDWR | O_NOCTTY | O_CLOEXEC);
	if (slave < 0)
		perror(name);
	run_script(script, t0);
	fclose(script);
	settle(200);
	kill(pid, SIGTERM);
	while (pump(100) >= 0 && waitpid(pid, &status, WNOHANG) == 0)
		;
	if (wait4(pid, &status, 0, &ru) < 0 && errno != ECHILD)
		perror("wait4");
	getrusage(RUSAGE_CHILDREN, &ru);
	printf("maxrss %ld KB\n", ru.ru_maxrss);
	return 0;
}

/* core_rusage.c — run a command, report its wall time and peak RSS.
 *
 *   core_rusage CMD [ARGS...]
 *
 * The command inherits stdin/stdout/stderr. On exit, one line
 * "WALL_MS MAXRSS_KB STATUS" goes to the file named by $CORE_RUSAGE_OUT (or
 * stderr). Exit status is the command's. Used by tests/bench/core.sh so the
 * benchmark does not depend on GNU time. */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: core_rusage CMD [ARGS...]\n", stderr);
		return 2;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid_t pid = fork();
	if (pid < 0)
		return 127;
	if (pid == 0) {
		execvp(argv[1], argv + 1);
		perror(argv[1]);
		_exit(127);
	}
	int status = 0;
	struct rusage ru;
	if (wait4(pid, &status, 0, &ru) < 0)
		return 127;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
	int rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	const char *path = getenv("CORE_RUSAGE_OUT");
	FILE *out = path ? fopen(path, "a") : stderr;
	if (out) {
		fprintf(out, "%.1f %ld %d\n", ms, ru.ru_maxrss, rc);
		if (out != stderr)
			fclose(out);
	}
	return rc;
}

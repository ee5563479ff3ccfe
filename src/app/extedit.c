/* extedit.c — a text edited in the user's $VISUAL or $EDITOR (loop.h).
 * The editor string runs through /bin/sh as git runs it ("$EDITOR" may be
 * "code --wait" or "vim -c 'set tw=72'"), on a file only the user can read
 * (notes are customer data), removed afterwards. While it runs, ticketed
 * ignores SIGINT and SIGQUIT as system() does (C-c belongs to the
 * editor); the child gets the default actions back. */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "loop.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/xalloc.h"

char *app_edit_text(const char *editor, const char *text, char *err, size_t errlen)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	snprintf(path, sizeof path, "%s/ticketed-note-XXXXXX.txt", dir && *dir ? dir : "/tmp");
	int fd = mkstemps(path, 4);  /* O_EXCL, mode 0600 */
	if (fd < 0) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (json_write_all(fd, text, strlen(text)) < 0 || close(fd) < 0) {
		seterr(err, errlen, "%s: %s", path, strerror(errno));
		unlink(path);
		return NULL;
	}
	char *cmd = xmalloc(strlen(editor) + 8);
	sprintf(cmd, "%s \"$1\"", editor);
	struct sigaction ign, old_int, old_quit;
	memset(&ign, 0, sizeof ign);
	ign.sa_handler = SIG_IGN;
	sigemptyset(&ign.sa_mask);
	sigaction(SIGINT, &ign, &old_int);
	sigaction(SIGQUIT, &ign, &old_quit);
	pid_t pid = fork();
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		signal(SIGQUIT, SIG_DFL);
		signal(SIGPIPE, SIG_DFL);
		execl("/bin/sh", "sh", "-c", cmd, "sh", path, (char *)NULL);
		_exit(127);
	}
	int st = 0;
	pid_t w = pid;
	while (pid > 0 && (w = waitpid(pid, &st, 0)) < 0 && errno == EINTR)
		;
	sigaction(SIGINT, &old_int, NULL);
	sigaction(SIGQUIT, &old_quit, NULL);
	free(cmd);
	char *out = NULL;
	if (pid < 0 || w < 0) {
		seterr(err, errlen, "Cannot run the editor: %s", strerror(errno));
	} else if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
		seterr(err, errlen, "The editor ended with %s %d; the text is as it was",
		       WIFEXITED(st) ? "status" : "signal", WIFEXITED(st) ? WEXITSTATUS(st) : WTERMSIG(st));
	} else {
		size_t len;
		out = json_read_file(path, &len);
		if (!out)
			seterr(err, errlen, "%s: %s", path, strerror(errno));
		(void)len;  /* a NUL byte in the file ends the text */
	}
	unlink(path);
	return out;
}

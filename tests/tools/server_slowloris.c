/* server_slowloris — a hostile client for ticketd's tests: it holds many
 * connections that never finish their request header.
 *
 *   server_slowloris HOST PORT CONNECTIONS INTERVAL_S HOLD_S
 *
 * Opens CONNECTIONS TCP connections to HOST:PORT (an IPv4 literal), sends
 * each the start of a request ("GET /api/v1/Ticket/900 HTTP/1.1\r\n
 * Host: x\r\nX-Slow: ") and then one more header byte every INTERVAL_S
 * seconds, never the blank line that ends the header. Once every
 * connection is attempted it prints "ready opened=N failed=N" and flushes.
 * It stops after HOLD_S seconds, or as soon as the server has closed every
 * connection it opened, and prints "done opened=N closed_by_server=N
 * max_seconds_to_close=S" (S: how long the last connection the server
 * closed lived, 0 if none). Every wait is bounded by HOLD_S; exit status 0
 * unless the arguments are wrong. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int open_one(const struct sockaddr_in *sa)
{
	static const char head[] = "GET /api/v1/Ticket/900 HTTP/1.1\r\nHost: x\r\nX-Slow: ";
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	struct timeval tv = { 2, 0 };  /* connect and send give up after 2 s */
	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
	if (connect(fd, (const struct sockaddr *)sa, sizeof *sa) < 0 ||
	    send(fd, head, sizeof head - 1, MSG_NOSIGNAL) != (ssize_t)(sizeof head - 1)) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fputs("usage: server_slowloris HOST PORT CONNECTIONS INTERVAL_S HOLD_S\n", stderr);
		return 2;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	int n = atoi(argv[3]);
	double interval = atof(argv[4]), hold = atof(argv[5]);
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || n < 1 || n > 20000 || interval <= 0 || hold <= 0) {
		fputs("server_slowloris: bad arguments\n", stderr);
		return 2;
	}
	struct rlimit rl;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < (rlim_t)n + 64) {
		rl.rlim_cur = rl.rlim_max < (rlim_t)n + 64 ? rl.rlim_max : (rlim_t)n + 64;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	struct pollfd *p = calloc((size_t)n, sizeof *p);
	double *opened_at = calloc((size_t)n, sizeof *opened_at);
	if (!p || !opened_at)
		return 1;
	double t0 = now_s();
	int opened = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		p[i].fd = now_s() - t0 < hold ? open_one(&sa) : -1;
		p[i].events = POLLIN;
		opened_at[i] = now_s();
		if (p[i].fd >= 0)
			opened++;
		else
			failed++;
	}
	printf("ready opened=%d failed=%d\n", opened, failed);
	fflush(stdout);
	int open_now = opened, closed = 0;
	double last_close = 0, next_byte = now_s() + interval;
	while (open_now > 0 && now_s() - t0 < hold) {
		double wait = next_byte - now_s();
		double left = hold - (now_s() - t0);
		if (wait > left)
			wait = left;
		if (wait > 0.5)
			wait = 0.5;  /* look at the clock at least twice a second */
		int r = poll(p, (nfds_t)n, wait > 0 ? (int)(wait * 1000) : 0);
		if (r < 0 && errno != EINTR)
			break;
		for (int i = 0; r > 0 && i < n; i++) {
			if (p[i].fd < 0 || !p[i].revents)
				continue;
			char buf[512];
			ssize_t got = recv(p[i].fd, buf, sizeof buf, MSG_DONTWAIT);
			if (got > 0)
				continue;  /* an answer (408, 413...) before the close: keep reading */
			if (got < 0 && (errno == EAGAIN || errno == EINTR))
				continue;
			close(p[i].fd);
			p[i].fd = -1;
			open_now--;
			closed++;
			if (now_s() - opened_at[i] > last_close)
				last_close = now_s() - opened_at[i];
		}
		if (now_s() >= next_byte) {
			for (int i = 0; i < n; i++)
				if (p[i].fd >= 0 && send(p[i].fd, "x", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0 &&
				    errno != EAGAIN) {
					close(p[i].fd);
					p[i].fd = -1;
					open_now--;
					closed++;
					if (now_s() - opened_at[i] > last_close)
						last_close = now_s() - opened_at[i];
				}
			next_byte = now_s() + interval;
		}
	}
	for (int i = 0; i < n; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	printf("done opened=%d closed_by_server=%d max_seconds_to_close=%.1f\n", opened, closed, last_close);
	free(p);
	free(opened_at);
	return 0;
}

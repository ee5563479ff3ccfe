/* main.c — ticketd: command line, start-up, the libmicrohttpd daemon (a
 * bounded pool of epoll worker threads, connection limits and timeouts),
 * clean shutdown on SIGINT/SIGTERM. See `ticketd --help` and
 * src/server/README.md. */
#include "http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#define DEFAULT_LATENCY_MS 250
#define DEFAULT_THREADS 4
#define DEFAULT_CONN_TIMEOUT 15
#define DEFAULT_PER_IP_LIMIT 64
#define DEFAULT_ASSOCIATE 12   /* Jürgen Groß in the sample data, owner of the demo ticket 900 */

static void usage(FILE *f)
{
	fputs("usage: ticketd [options]\n"
	      "A local stand-in for the SuperOffice Ticket REST API: /api/v1/Ticket/{id}, the Ticket\n"
	      "archive, Ticket/CustomField, MDOList/{name} and the conversation (see ticketd(1)).\n\n"
	      "  --listen ADDR        address to bind (default 127.0.0.1; IPv6 literals work)\n"
	      "  --port N             port, 0 = any free port (default 8080)\n"
	      "  --port-file F        write the port to F (atomically) once listening\n"
	      "  --data DIR           tickets/ and lists/ JSON files (default: the shipped sample data,\n"
	      "                       BINDIR/../../tests/data/service, BINDIR/../share/ticketed/service,\n"
	      "                       else " TICKETED_DATADIR "/service)\n"
	      "  --persist            write changed tickets back to DIR (temp file + rename)\n"
	      "  --user U --password P|--password-file F  require HTTP Basic credentials\n"
	      "  --token T|--token-file F  require 'Bearer T' or 'SOTicket T' (F's first line, per request)\n"
	      "  --dates keep|offset|naive  date style in responses (default keep: as stored)\n"
	      "  --associate ID       the archive's currentAssociate when the Basic user is no\n"
	      "                       associate's UserName (default 12, who owns the demo ticket 900)\n"
	      "  --log FILE           one line per request (Authorization never logged)\n"
	      "  --latency-ms N       delay every answer by N ms\n"
	      "  --max-body BYTES     largest request body (default 1048576; larger: 413)\n"
	      "  --threads N          worker threads (default 4)\n"
	      "  --conn-timeout SEC   close a connection silent that long, also one stuck in its\n"
	      "                       header (default 15)\n"
	      "  --per-ip-limit N     connections per client address, 0 = none (default: none when\n"
	      "                       --listen is a loopback address, else 64)\n"
	      "  --max-conns N        connections in all (default: what the open-file limit allows)\n"
	      "  --prefix /CustNNNNN  serve under PREFIX/api/v1 (a SuperOffice Online tenant's path)\n"
	      "  --fault SPEC         repeatable: http500-every=N, html-error, drop-after-apply, drop-after-post,\n"
	      "                       garbage-json, slow-body, latency[=MS], throttle=N, maintenance[=N],\n"
	      "                       retry-after=S, customfield-404|403, untranslated, moved=URL\n"
	      "  --help, --version    this text; the versions of ticketd and its libraries\n", f);
}

static int parse_fault(td_config *cfg, const char *spec)
{
	long v;
	if (!strncmp(spec, "http500-every=", 14) && td_parse_long(spec + 14, 1, LONG_MAX, &v) == 0)
		cfg->http500_every = v;
	else if (!strcmp(spec, "html-error"))
		cfg->html_error = true;
	else if (!strcmp(spec, "drop-after-apply"))
		cfg->drop_after_apply = true;
	else if (!strcmp(spec, "drop-after-post"))
		cfg->drop_after_post = true;
	else if (!strcmp(spec, "garbage-json"))
		cfg->garbage_json = true;
	else if (!strcmp(spec, "slow-body"))
		cfg->slow_body = true;
	else if (!strcmp(spec, "latency"))
		cfg->latency_ms = cfg->latency_ms > 0 ? cfg->latency_ms : DEFAULT_LATENCY_MS;
	else if (!strncmp(spec, "latency=", 8) && td_parse_long(spec + 8, 0, 600000, &v) == 0)
		cfg->latency_ms = v;
	else if (!strncmp(spec, "throttle=", 9) && td_parse_long(spec + 9, 1, LONG_MAX, &v) == 0)
		cfg->throttle_every = v;
	else if (!strcmp(spec, "maintenance"))
		cfg->maintenance = -1;
	else if (!strncmp(spec, "maintenance=", 12) && td_parse_long(spec + 12, 1, LONG_MAX, &v) == 0)
		cfg->maintenance = v;
	else if (!strncmp(spec, "retry-after=", 12) && td_parse_long(spec + 12, 0, 86400, &v) == 0)
		cfg->retry_after = spec + 12;  /* argv lives as long as the process */
	else if (!strcmp(spec, "customfield-404"))
		cfg->cf_meta_status = 404;
	else if (!strcmp(spec, "customfield-403"))
		cfg->cf_meta_status = 403;
	else if (!strcmp(spec, "untranslated"))
		cfg->untranslated = true;
	else if (!strncmp(spec, "moved=", 6) && (!strncmp(spec + 6, "http://", 7) || !strncmp(spec + 6, "https://", 8)) &&
	         strlen(spec + 6) < 200 && spec[6 + strcspn(spec + 6, " \"<>\\^`{|}?#")] == '\0' && td_printable_ascii(spec + 6))
		cfg->moved = spec + 6;
	else
		return -1;
	return 0;
}

/* The shipped sample data: relative to the binary, else the install dir. */
static char *default_data_dir(void)
{
	char exe[PATH_MAX], buf[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	struct stat st;
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash)
			*slash = '\0';
		snprintf(buf, sizeof buf, "%s/../../tests/data/service", exe);
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return realpath(buf, NULL);
		snprintf(buf, sizeof buf, "%s/../share/ticketed/service", exe);  /* installed */
		if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
			return realpath(buf, NULL);
	}
	return strdup(TICKETED_DATADIR "/service");
}

enum { O_LISTEN = 256, O_PORT, O_PORT_FILE, O_DATA, O_PERSIST, O_USER, O_PASSWORD, O_TOKEN, O_TOKEN_FILE, O_PASSWORD_FILE, O_LOG,
       O_LATENCY, O_FAULT, O_MAX_BODY, O_DATES, O_THREADS, O_CONN_TIMEOUT, O_PER_IP, O_MAX_CONNS,
       O_PREFIX, O_HELP, O_VERSION, O_ASSOCIATE };

static int parse_args(int argc, char **argv, td_config *cfg)
{
	static const struct option opts[] = {
		{ "listen", required_argument, NULL, O_LISTEN }, { "port", required_argument, NULL, O_PORT },
		{ "port-file", required_argument, NULL, O_PORT_FILE }, { "data", required_argument, NULL, O_DATA },
		{ "persist", no_argument, NULL, O_PERSIST }, { "user", required_argument, NULL, O_USER },
		{ "password", required_argument, NULL, O_PASSWORD }, { "token", required_argument, NULL, O_TOKEN },
		{ "token-file", required_argument, NULL, O_TOKEN_FILE },
		{ "password-file", required_argument, NULL, O_PASSWORD_FILE },
		{ "log", required_argument, NULL, O_LOG }, { "latency-ms", required_argument, NULL, O_LATENCY },
		{ "fault", required_argument, NULL, O_FAULT }, { "max-body", required_argument, NULL, O_MAX_BODY },
		{ "dates", required_argument, NULL, O_DATES }, { "threads", required_argument, NULL, O_THREADS },
		{ "conn-timeout", required_argument, NULL, O_CONN_TIMEOUT },
		{ "per-ip-limit", required_argument, NULL, O_PER_IP },
		{ "max-conns", required_argument, NULL, O_MAX_CONNS }, { "help", no_argument, NULL, O_HELP },
		{ "prefix", required_argument, NULL, O_PREFIX },
		{ "version", no_argument, NULL, O_VERSION }, { "associate", required_argument, NULL, O_ASSOCIATE },
		{ NULL, 0, NULL, 0 }
	};
	long v;
	int o;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case O_LISTEN: cfg->listen = optarg; break;
		case O_PORT:
			if (td_parse_long(optarg, 0, 65535, &v))
				return fprintf(stderr, "ticketd: --port: '%s' is not 0..65535\n", optarg), -1;
			cfg->port = (int)v;
			break;
		case O_PORT_FILE: cfg->port_file = optarg; break;
		case O_DATA: cfg->data = optarg; break;
		case O_PERSIST: cfg->persist = true; break;
		case O_USER: cfg->user = optarg; break;
		case O_PASSWORD: cfg->password = optarg; break;
		case O_TOKEN: cfg->token = optarg; break;
		case O_TOKEN_FILE:
			if (access(optarg, R_OK))
				return fprintf(stderr, "ticketd: --token-file: %s: %s\n", optarg, strerror(errno)), -1;
			cfg->token_file = optarg;
			break;
		case O_PASSWORD_FILE:
			if (access(optarg, R_OK))
				return fprintf(stderr, "ticketd: --password-file: %s: %s\n", optarg, strerror(errno)), -1;
			cfg->password_file = optarg;
			break;
		case O_LOG: cfg->log_path = optarg; break;
		case O_LATENCY:
			if (td_parse_long(optarg, 0, 600000, &v))
				return fprintf(stderr, "ticketd: --latency-ms: '%s' is not 0..600000\n", optarg), -1;
			cfg->latency_ms = v;
			break;
		case O_FAULT:
			if (parse_fault(cfg, optarg))
				return fprintf(stderr, "ticketd: --fault: unknown fault '%s' (see --help)\n", optarg), -1;
			break;
		case O_MAX_BODY:
			if (td_parse_long(optarg, 1, LONG_MAX, &v))
				return fprintf(stderr, "ticketd: --max-body: '%s' is not a positive size\n", optarg), -1;
			cfg->max_body = (size_t)v;
			break;
		case O_DATES:
			if (!strcmp(optarg, "offset"))
				cfg->dates = DATES_OFFSET;
			else if (!strcmp(optarg, "naive"))
				cfg->dates = DATES_NAIVE;
			else if (!strcmp(optarg, "keep"))
				cfg->dates = DATES_KEEP;
			else
				return fprintf(stderr, "ticketd: --dates: expected keep, offset or naive\n"), -1;
			break;
		case O_THREADS:
			if (td_parse_long(optarg, 1, 256, &v))
				return fprintf(stderr, "ticketd: --threads: '%s' is not 1..256\n", optarg), -1;
			cfg->threads = v;
			break;
		case O_CONN_TIMEOUT:
			if (td_parse_long(optarg, 1, 86400, &v))
				return fprintf(stderr, "ticketd: --conn-timeout: '%s' is not 1..86400\n", optarg), -1;
			cfg->conn_timeout = v;
			break;
		case O_PER_IP:
			if (td_parse_long(optarg, 0, 1000000, &v))
				return fprintf(stderr, "ticketd: --per-ip-limit: '%s' is not 0..1000000\n", optarg), -1;
			cfg->per_ip_limit = v;
			break;
		case O_MAX_CONNS:
			if (td_parse_long(optarg, 1, 1000000, &v))
				return fprintf(stderr, "ticketd: --max-conns: '%s' is not 1..1000000\n", optarg), -1;
			cfg->max_conns = v;
			break;
		case O_ASSOCIATE:
			if (td_parse_long(optarg, 0, 2147483647L, &v))
				return fprintf(stderr, "ticketd: --associate: '%s' is not an associate id\n", optarg), -1;
			cfg->associate = v;
			break;
		case O_PREFIX:
			if (optarg[0] != '/' || strlen(optarg) < 2 || strlen(optarg) > 200 ||
			    optarg[strlen(optarg) - 1] == '/' || strpbrk(optarg, "?#% \\"))
				return fprintf(stderr, "ticketd: --prefix: '%s' is not a path like /Cust12345\n", optarg), -1;
			cfg->prefix = optarg;
			break;
		case O_HELP: case 'h':
			usage(stdout);
			exit(0);
		case O_VERSION:
			printf("ticketd %s\nlibmicrohttpd %s\ncJSON %s\n", TICKETED_VERSION, MHD_get_version(),
			       cJSON_Version());
			exit(0);
		default:
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc)
		return fprintf(stderr, "ticketd: unexpected argument '%s'\n", argv[optind]), -1;
	if (cfg->user && !cfg->password && !cfg->password_file)
		return fprintf(stderr, "ticketd: --user needs --password or --password-file\n"), -1;
	return 0;
}

static int write_port_file(const char *path, unsigned port)
{
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp)
		return -1;
	snprintf(tmp, n, "%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC);  /* a new file: never a planted symlink */
	FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
	int rc = -1;
	if (f) {
		fprintf(f, "%u\n", port);
		rc = fchmod(fileno(f), 0644) == 0 && fclose(f) == 0 ? rename(tmp, path) : (fclose(f), -1);
	} else if (fd >= 0) {
		close(fd);
	}
	if (rc) {
		fprintf(stderr, "ticketd: %s: %s\n", path, strerror(errno));
		if (fd >= 0)
			unlink(tmp);
	}
	free(tmp);
	return rc;
}

/* Whether ADDR (an IPv4 or IPv6 literal) is a loopback address. */
static bool loopback(const char *addr)
{
	struct in_addr a4;
	struct in6_addr a6;
	if (inet_pton(AF_INET, addr, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	return inet_pton(AF_INET6, addr, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
}

/* Connections in all: what --max-conns says, else what the open-file limit
 * allows (raised to its hard limit, at most 65536) less room for files. */
static unsigned conn_limit(const td_config *cfg)
{
	struct rlimit rl;
	rlim_t files = 1024;
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
		rlim_t want = rl.rlim_max < 65536 ? rl.rlim_max : 65536;
		if (rl.rlim_cur < want) {
			rl.rlim_cur = want;
			setrlimit(RLIMIT_NOFILE, &rl);
			getrlimit(RLIMIT_NOFILE, &rl);
		}
		files = rl.rlim_cur == RLIM_INFINITY ? 65536 : rl.rlim_cur;
	}
	unsigned room = files > 128 ? (unsigned)(files - 64) : (unsigned)(files / 2);
	if (cfg->max_conns > 0 && (unsigned long)cfg->max_conns < room)
		return (unsigned)cfg->max_conns;
	return room;
}

static struct MHD_Daemon *start_daemon(td_server *sv)
{
	struct sockaddr_storage ss;
	memset(&ss, 0, sizeof ss);
	struct sockaddr_in *in4 = (struct sockaddr_in *)&ss;
	struct sockaddr_in6 *in6 = (struct sockaddr_in6 *)&ss;
	/* A bounded pool of threads, each polling many connections with epoll:
	 * a silent connection costs a socket and a little memory, not a thread.
	 * Delays suspend a connection (timer in http.c) instead of sleeping. */
	unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
	                 MHD_USE_ERROR_LOG;
	if (inet_pton(AF_INET, sv->cfg.listen, &in4->sin_addr) == 1) {
		in4->sin_family = AF_INET;
		in4->sin_port = htons((uint16_t)sv->cfg.port);
	} else if (inet_pton(AF_INET6, sv->cfg.listen, &in6->sin6_addr) == 1) {
		in6->sin6_family = AF_INET6;
		in6->sin6_port = htons((uint16_t)sv->cfg.port);
		flags |= MHD_USE_IPv6;
	} else {
		fprintf(stderr, "ticketd: --listen: '%s' is not an IPv4 or IPv6 address\n", sv->cfg.listen);
		return NULL;
	}
	/* Per-IP limit: on loopback every client is 127.0.0.1 (or ::1), so a
	 * per-address limit would be a global one that the first misbehaving
	 * local program fills, locking the others out; it applies by default
	 * only when ticketd listens on a network address (README). */
	long per_ip = sv->cfg.per_ip_limit >= 0 ? sv->cfg.per_ip_limit
	                                        : loopback(sv->cfg.listen) ? 0 : DEFAULT_PER_IP_LIMIT;
	unsigned threads = (unsigned)sv->cfg.threads, limit = conn_limit(&sv->cfg);
	if (limit < threads)
		limit = threads;
	struct MHD_Daemon *d = MHD_start_daemon(flags, (uint16_t)sv->cfg.port, NULL, NULL, http_handler, sv,
	                                        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
	                                        MHD_OPTION_URI_LOG_CALLBACK, http_uri_log, sv,
	                                        MHD_OPTION_NOTIFY_COMPLETED, http_completed, sv,
	                                        MHD_OPTION_NOTIFY_CONNECTION, http_connection, sv,
	                                        MHD_OPTION_THREAD_POOL_SIZE, threads,
	                                        MHD_OPTION_CONNECTION_LIMIT, limit,
	                                        MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)per_ip,
	                                        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)sv->cfg.conn_timeout,
	                                        MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)1024,
	                                        MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
	                                        MHD_OPTION_END);
	if (!d)
		fprintf(stderr, "ticketd: cannot listen on %s port %d\n", sv->cfg.listen, sv->cfg.port);
	return d;
}

int main(int argc, char **argv)
{
	static td_server sv;
	sv.cfg.listen = "127.0.0.1";
	sv.cfg.port = 8080;
	sv.cfg.max_body = 1024 * 1024;
	sv.cfg.threads = DEFAULT_THREADS;
	sv.cfg.conn_timeout = DEFAULT_CONN_TIMEOUT;
	sv.cfg.per_ip_limit = -1;
	sv.cfg.associate = DEFAULT_ASSOCIATE;
	if (parse_args(argc, argv, &sv.cfg))
		return 2;
	char *data = sv.cfg.data ? strdup(sv.cfg.data) : default_data_dir();
	char err[512];
	if (!data) {
		fprintf(stderr, "ticketd: out of memory\n");
		return 1;
	}
	if (store_load(&sv.store, data, sv.cfg.dates, err, sizeof err)) {
		fprintf(stderr, "ticketd: %s\n", err);
		store_free(&sv.store);
		free(data);
		return 1;
	}
	free(data);
	pthread_mutex_init(&sv.log_lock, NULL);
	if (sv.cfg.log_path && !(sv.log = fopen(sv.cfg.log_path, "a"))) {
		fprintf(stderr, "ticketd: %s: %s\n", sv.cfg.log_path, strerror(errno));
		store_free(&sv.store);
		return 1;
	}
	/* Block the stop signals in every thread; main waits for them. */
	sigset_t stop;
	sigemptyset(&stop);
	sigaddset(&stop, SIGINT);
	sigaddset(&stop, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &stop, NULL);
	signal(SIGPIPE, SIG_IGN);
	int rc = 1;
	struct MHD_Daemon *d = NULL;
	if (http_timer_start(&sv)) {
		fprintf(stderr, "ticketd: cannot start the timer thread\n");
		goto out;
	}
	if (!(d = start_daemon(&sv)))
		goto out;
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	unsigned port = info ? info->port : (unsigned)sv.cfg.port;
	if (sv.cfg.port_file && write_port_file(sv.cfg.port_file, port))
		goto stop;
	bool v6 = strchr(sv.cfg.listen, ':') != NULL;
	fprintf(stderr, "ticketd: listening on http://%s%s%s:%u/api/v1 (%zu tickets)\n", v6 ? "[" : "",
	        sv.cfg.listen, v6 ? "]" : "", port, sv.store.n);
	int sig;
	sigwait(&stop, &sig);
	fprintf(stderr, "ticketd: %s, stopping\n", sig == SIGINT ? "SIGINT" : "SIGTERM");
	rc = 0;
stop:
	http_timer_stop(&sv);  /* resumes every delayed connection first */
	MHD_stop_daemon(d);
out:
	http_timer_stop(&sv);
	http_timer_free(&sv);
	if (sv.log)
		fclose(sv.log);
	pthread_mutex_destroy(&sv.log_lock);
	store_free(&sv.store);
	return rc;
}

/* server_load — a fixed amount of work against one URL, for ticketd's
 * benchmark (tests/bench/server.sh).
 *
 *   server_load URL CLIENTS REQUESTS [patch]
 *
 * CLIENTS threads, each with one keep-alive connection (libcurl), each do
 * REQUESTS requests: GETs of URL, or with "patch" PATCHes that set
 * AlertLevel to a new value each time (an effective change). The clock
 * runs from the start of the first request to the end of the last answer,
 * so no answer is cut off at the end of a time window (with 32 answers of
 * 5 MB in flight that would undercount a fixed-duration run). Prints one
 * line:
 *   clients=C requests=N seconds=S rps=R ms_per_answer=M p50_ms=X p99_ms=Y bytes=B errors=E
 * (ms_per_answer = 1000 / rps). Exit status 0 unless a request could not
 * be made at all or an answer was not a 200. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>

typedef struct {
	const char *url;
	int id, n;
	bool patch;
	double *lat;             /* seconds per answer */
	unsigned long long bytes;
	long errors;
} worker;

static double now_s(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static size_t count(char *data, size_t size, size_t nmemb, void *cls)
{
	(void)data;
	*(unsigned long long *)cls += size * nmemb;
	return size * nmemb;
}

static void *run(void *arg)
{
	worker *w = arg;
	CURL *c = curl_easy_init();
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json-patch+json");
	char body[128];
	if (!c) {
		w->errors = w->n;
		return NULL;
	}
	curl_easy_setopt(c, CURLOPT_URL, w->url);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, count);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &w->bytes);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 60L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	if (w->patch) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, "PATCH");
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	}
	for (int i = 0; i < w->n; i++) {
		if (w->patch) {
			snprintf(body, sizeof body, "[{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":%d}]",
			         w->id * 100000 + i + 1);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
		}
		double t0 = now_s();
		long status = 0;
		if (curl_easy_perform(c) == CURLE_OK)
			curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		w->lat[i] = now_s() - t0;
		if (status != 200)
			w->errors++;
	}
	curl_slist_free_all(hdrs);
	curl_easy_cleanup(c);
	return NULL;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc < 4 || argc > 5 || (argc == 5 && strcmp(argv[4], "patch"))) {
		fputs("usage: server_load URL CLIENTS REQUESTS [patch]\n", stderr);
		return 2;
	}
	int clients = atoi(argv[2]), n = atoi(argv[3]);
	if (clients < 1 || clients > 1000 || n < 1 || n > 1000000)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	worker *w = calloc((size_t)clients, sizeof *w);
	pthread_t *t = calloc((size_t)clients, sizeof *t);
	double *lat = calloc((size_t)clients * (size_t)n, sizeof *lat);
	if (!w || !t || !lat)
		return 1;
	double t0 = now_s();
	for (int i = 0; i < clients; i++) {
		w[i] = (worker){ .url = argv[1], .id = i, .n = n, .patch = argc == 5, .lat = lat + (size_t)i * (size_t)n };
		pthread_create(&t[i], NULL, run, &w[i]);
	}
	unsigned long long bytes = 0;
	long errors = 0;
	for (int i = 0; i < clients; i++) {
		pthread_join(t[i], NULL);
		bytes += w[i].bytes;
		errors += w[i].errors;
	}
	double secs = now_s() - t0;
	size_t total = (size_t)clients * (size_t)n;
	qsort(lat, total, sizeof *lat, cmp_double);
	double rps = (double)total / secs;
	printf("clients=%d requests=%zu seconds=%.3f rps=%.2f ms_per_answer=%.3f p50_ms=%.3f p99_ms=%.3f bytes=%llu "
	       "errors=%ld\n", clients, total, secs, rps, 1000.0 / rps, lat[total / 2] * 1000,
	       lat[(total * 99) / 100 < total ? (total * 99) / 100 : total - 1] * 1000, bytes, errors);
	free(w);
	free(t);
	free(lat);
	curl_global_cleanup();
	return errors ? 1 : 0;
}

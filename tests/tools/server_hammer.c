/* server_hammer — concurrency client for ticketd's integration tests.
 *
 *   server_hammer BASE_URL TICKET_ID CLIENTS ROUNDS
 *
 * CLIENTS threads each do ROUNDS guarded increments of AlertLevel: GET the
 * ticket ($select=AlertLevel), then PATCH [test AlertLevel = what was read,
 * replace AlertLevel = that + 1]. No retries. Prints one line
 * "ok=N conflict=N other=N" (200s, 409s, anything else) and exits 0 unless
 * a request could not be made at all. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>
#include <curl/curl.h>

typedef struct {
	const char *base;
	int id, rounds;
	long ok, conflict, other, failed;
} worker;

typedef struct {
	char *p;
	size_t n;
} buf;

static size_t collect(char *data, size_t size, size_t nmemb, void *cls)
{
	buf *b = cls;
	size_t n = size * nmemb;
	char *np = realloc(b->p, b->n + n + 1);
	if (!np)
		return 0;
	memcpy(np + b->n, data, n);
	b->p = np;
	b->n += n;
	b->p[b->n] = '\0';
	return n;
}

/* One request; returns the HTTP status (0 on transport failure), body in B. */
static long perform(CURL *c, const char *url, const char *method, const char *body,
                    struct curl_slist *hdrs, buf *b)
{
	b->n = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	if (body) {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	} else {
		curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, NULL);
		curl_easy_setopt(c, CURLOPT_HTTPGET, 1L);
	}
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdrs);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, b);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 30L);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	long status = 0;
	if (curl_easy_perform(c) != CURLE_OK)
		return 0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
	return status;
}

static void *run(void *arg)
{
	worker *w = arg;
	CURL *c = curl_easy_init();
	char url[512], sel[600], body[256];
	buf b = { NULL, 0 };
	struct curl_slist *hdrs = curl_slist_append(NULL, "Content-Type: application/json-patch+json");
	snprintf(url, sizeof url, "%s/Ticket/%d", w->base, w->id);
	snprintf(sel, sizeof sel, "%s?$select=AlertLevel", url);
	for (int i = 0; c && i < w->rounds; i++) {
		if (perform(c, sel, "GET", NULL, NULL, &b) != 200) {
			w->failed++;
			continue;
		}
		cJSON *j = cJSON_Parse(b.p);
		cJSON *al = cJSON_GetObjectItemCaseSensitive(j, "AlertLevel");
		if (!cJSON_IsNumber(al)) {
			cJSON_Delete(j);
			w->failed++;
			continue;
		}
		int v = al->valueint;
		cJSON_Delete(j);
		snprintf(body, sizeof body,
		         "[{\"op\":\"test\",\"path\":\"/AlertLevel\",\"value\":%d},"
		         "{\"op\":\"replace\",\"path\":\"/AlertLevel\",\"value\":%d}]", v, v + 1);
		long st = perform(c, url, "PATCH", body, hdrs, &b);
		if (st == 200)
			w->ok++;
		else if (st == 409)
			w->conflict++;
		else if (st == 0)
			w->failed++;
		else
			w->other++;
	}
	curl_slist_free_all(hdrs);
	free(b.p);
	if (c)
		curl_easy_cleanup(c);
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: server_hammer BASE_URL TICKET_ID CLIENTS ROUNDS\n");
		return 2;
	}
	int n = atoi(argv[3]);
	if (n < 1 || n > 1000)
		return 2;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	worker *w = calloc((size_t)n, sizeof *w);
	pthread_t *t = calloc((size_t)n, sizeof *t);
	for (int i = 0; i < n; i++) {
		w[i] = (worker){ .base = argv[1], .id = atoi(argv[2]), .rounds = atoi(argv[4]) };
		pthread_create(&t[i], NULL, run, &w[i]);
	}
	long ok = 0, conflict = 0, other = 0, failed = 0;
	for (int i = 0; i < n; i++) {
		pthread_join(t[i], NULL);
		ok += w[i].ok;
		conflict += w[i].conflict;
		other += w[i].other;
		failed += w[i].failed;
	}
	printf("ok=%ld conflict=%ld other=%ld failed=%ld\n", ok, conflict, other, failed);
	free(w);
	free(t);
	curl_global_cleanup();
	return failed ? 1 : 0;
}

/* core_jget.c — the value at a JSON Pointer in the JSON on stdin, printed as
 * python's json.dumps(v, ensure_ascii=False) prints it ("[1, 2]",
 * {"k": "v"}): the replay checks compare against that text, and a python
 * start per check cost more than the replay itself.
 *
 *   core_jget POINTER < doc.json
 *
 * Exit 1 (and a message) when stdin is no JSON or POINTER is not in it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/json.h"
#include "ticketed/jsonptr.h"

static void put(const cJSON *v)
{
	const cJSON *c;
	if (cJSON_IsArray(v) || cJSON_IsObject(v)) {
		int obj = cJSON_IsObject(v);
		putchar(obj ? '{' : '[');
		for (c = v->child; c; c = c->next) {
			if (obj) {
				cJSON *k = cJSON_CreateString(c->string);
				char *ks = cJSON_PrintUnformatted(k);
				printf("%s: ", ks ? ks : "\"\"");
				free(ks);
				cJSON_Delete(k);
			}
			put(c);
			if (c->next)
				fputs(", ", stdout);
		}
		putchar(obj ? '}' : ']');
		return;
	}
	char *s = cJSON_PrintUnformatted(v);
	fputs(s ? s : "null", stdout);
	free(s);
}

int main(int argc, char **argv)
{
	char err[256], *buf = NULL;
	size_t len = 0, cap = 0, n;
	if (argc != 2) {
		fprintf(stderr, "usage: core_jget POINTER < doc.json\n");
		return 2;
	}
	do {
		if (len + 65536 > cap && !(buf = realloc(buf, cap = (cap + 65536) * 2)))
			return 2;
		n = fread(buf + len, 1, cap - len, stdin);
		len += n;
	} while (n > 0);
	cJSON *doc = json_parse(buf ? buf : "", len, "stdin", err, sizeof err);
	free(buf);
	if (!doc) {
		fprintf(stderr, "core_jget: %s\n", err);
		return 1;
	}
	const cJSON *v = jptr_get(doc, argv[1], 0);
	if (!v) {
		fprintf(stderr, "core_jget: %s: no such member\n", argv[1]);
		cJSON_Delete(doc);
		return 1;
	}
	put(v);
	putchar('\n');
	cJSON_Delete(doc);
	return 0;
}

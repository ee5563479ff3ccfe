/* fuzz_jsonptr.c — JSON Pointer parse/format/resolve on arbitrary text.
 * Properties: format(parse(x)) parses to the same tokens; every token
 * escapes and joins to a pointer that parses back to it; resolving never
 * crashes, strict or service. */
#include "fuzz.h"
#include "ticketed/jsonptr.h"

static cJSON *doc(void)
{
	static cJSON *d;
	char err[128];
	static const char text[] =
		"{\"Title\":\"t\",\"a/b\":{\"m~n\":[1,{\"x\":[[0]]}]},\"\":{\"\":2},"
		"\"OwnedBy\":{\"AssociateId\":5},\"Tags\":[{\"Id\":1},{\"Id\":2}],\"CustomFields\":{\"x_foo\":null}}";

	if (!d)
		d = json_parse(text, sizeof text - 1, "doc", err, sizeof err);
	return d;
}

static void check_roundtrip(const char *s, int flags)
{
	char err[256];
	jptr p, q;
	char *text;

	if (jptr_parse(s, flags, &p, err, sizeof err) != 0)
		return;
	text = jptr_format(&p);
	FUZZ_CHECK(text != NULL, "format failed");
	FUZZ_CHECK(jptr_parse(text, JPTR_STRICT, &q, err, sizeof err) == 0, "reparse %s: %s", text, err);
	FUZZ_CHECK(q.n == p.n, "%zu tokens became %zu", p.n, q.n);
	for (size_t i = 0; i < p.n; i++) {
		char *esc = jptr_escape(p.tok[i]), *joined = jptr_join("", p.tok[i]);
		jptr r;

		FUZZ_CHECK(strcmp(p.tok[i], q.tok[i]) == 0, "token %zu changed", i);
		FUZZ_CHECK(esc && joined, "escape/join failed");
		FUZZ_CHECK(jptr_parse(joined, JPTR_STRICT, &r, err, sizeof err) == 0 && r.n == 1 &&
		           strcmp(r.tok[0], p.tok[i]) == 0, "join(%s) does not parse back", esc);
		jptr_free(&r);
		(void)jptr_index(p.tok[i]);
		free(esc);
		free(joined);
	}
	{
		const char *last = NULL;

		(void)jptr_parent(doc(), &p, flags, &last);
	}
	free(text);
	jptr_free(&p);
	jptr_free(&q);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	check_roundtrip(s, JPTR_STRICT);
	check_roundtrip(s, JPTR_SERVICE);
	(void)jptr_get(doc(), s, JPTR_STRICT);
	(void)jptr_get(doc(), s, JPTR_SERVICE);
	free(s);
	return 0;
}

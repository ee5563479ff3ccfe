/* fuzz_codec.c — the SuperOffice value codecs: custom field values
 * (cfvalue), multi-language strings (mlstring) and typed whole numbers
 * (num). Input: any text.
 * Properties: for every field kind, a value that decodes encodes to text
 * that decodes to the same value and encodes to the same text again, and
 * shows without error; typed input that is accepted encodes to a value
 * that decodes for that kind; ml_pick of an encoded string is one of its
 * entries' texts; num_parse's column lies within the text. */
#include "fuzz.h"
#include "ticketed/cfvalue.h"
#include "ticketed/mlstring.h"
#include "ticketed/num.h"

static bool same_value(const cf_value *a, const cf_value *b)
{
	char x[8192], y[8192];
	return cf_display(a, x, sizeof x) >= 0 && cf_display(b, y, sizeof y) >= 0 && !strcmp(x, y) &&
	       a->kind == b->kind && a->empty == b->empty;
}

static void codec_cf(const char *s)
{
	for (int k = 0; k <= 16; k++) {
		cf_value v, w, u;
		text_error e;
		char enc[8192], enc2[8192], shown[8192];
		if (cf_decode(s, (cf_kind)k, &v, &e) == 0) {
			FUZZ_CHECK(cf_display(&v, shown, sizeof shown) >= 0, "display %s", s);
			if (cf_encode(&v, enc, sizeof enc) >= 0) {
				FUZZ_CHECK(cf_decode(enc, (cf_kind)k, &w, &e) == 0, "kind %d: %s -> %s: %s", k, s, enc, e.msg);
				FUZZ_CHECK(same_value(&v, &w), "kind %d: %s -> %s changed", k, s, enc);
				FUZZ_CHECK(cf_encode(&w, enc2, sizeof enc2) >= 0 && !strcmp(enc, enc2),
				           "kind %d: %s -> %s -> %s", k, s, enc, enc2);
			}
		} else {
			FUZZ_CHECK(e.col >= 0 && e.msg[0], "kind %d: %s: error without a message", k, s);
		}
		if (cf_from_user((cf_kind)k, s, NULL, &u, &e) == 0 && cf_encode(&u, enc, sizeof enc) >= 0)
			FUZZ_CHECK(cf_decode(enc, (cf_kind)k, &w, &e) == 0, "kind %d: typed %s -> %s: %s", k, s, enc, e.msg);
	}
}

static void codec_ml(const char *s)
{
	char *p = ml_pick(s, "nb-NO"), *q = ml_pick(s, NULL);
	FUZZ_CHECK(p && q, "ml_pick returned NULL");
	if (ml_is_encoded(s))
		FUZZ_CHECK(strstr(s, p) && strstr(s, q), "picked text is not part of %s", s);
	else
		FUZZ_CHECK(!strcmp(p, s), "not encoded but changed: %s", s);
	free(p);
	free(q);
}

static void codec_num(const char *s)
{
	long long v;
	text_error e;
	if (num_parse(s, INT32_MIN, INT32_MAX, &v, &e) == 0)
		FUZZ_CHECK(v >= INT32_MIN && v <= INT32_MAX, "%s -> %lld", s, v);
	else
		FUZZ_CHECK(e.col >= 1 && e.col <= (int)strlen(s) + 1, "%s: column %d", s, e.col);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size);

	if (!s)
		return 0;
	codec_cf(s);
	codec_ml(s);
	codec_num(s);
	free(s);
	return 0;
}

/* fuzz_text.c — sanitising untrusted text (text.h) on arbitrary bytes.
 * Properties: the sanitised copy is valid UTF-8 with no C0, DEL, C1 or
 * bidi/format control left and no zero-width character; its width is what
 * text_width says and a cut never exceeds its columns nor splits a
 * character; utf8_next and utf8_prev visit the same boundaries. */
#include <locale.h>
#include <wchar.h>

#include "fuzz.h"
#include "ticketed/text.h"

static void check_clean(const char *out, const char *in)
{
	size_t len = strlen(out), i = 0, l;
	uint32_t cp;

	FUZZ_CHECK(utf8_valid(out, len), "invalid UTF-8 out of \"%s\"", in);
	while (i < len) {
		l = utf8_decode(out, len, i, &cp);
		FUZZ_CHECK(cp >= 0x20 && cp != 0x7f && !(cp >= 0x80 && cp <= 0x9f),
		           "control U+%04X left", (unsigned)cp);
		FUZZ_CHECK(!(cp == 0x200e || cp == 0x200f || (cp >= 0x202a && cp <= 0x202e) ||
		             (cp >= 0x2066 && cp <= 0x2069) || cp == 0xfeff), "bidi U+%04X left", (unsigned)cp);
		FUZZ_CHECK(wcwidth((wchar_t)cp) >= 1, "U+%04X of width %d left", (unsigned)cp,
		           wcwidth((wchar_t)cp));
		i += l;
	}
}

static void check_steps(const char *s, size_t len)
{
	size_t *fwd = malloc((len + 1) * sizeof *fwd), n = 0, i = 0;

	if (!fwd)
		return;
	while (i < len) {
		fwd[n++] = i;
		i = utf8_next(s, len, i);
	}
	for (i = len; n > 0; ) {
		i = utf8_prev(s, i);
		FUZZ_CHECK(i == fwd[--n], "utf8_prev gives %zu, utf8_next visited %zu", i, fwd[n]);
	}
	free(fwd);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	char *s, *all, *cut;
	int w, max;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = true;
	}
	if (!(s = fuzz_cstr(data, size)))
		return 0;
	all = text_sanitize(s, -1);
	FUZZ_CHECK(all != NULL, "sanitize failed");
	check_clean(all, s);
	w = text_width(s);
	FUZZ_CHECK(text_width(all) == w, "sanitised width %d, text_width %d", text_width(all), w);
	cut = text_sanitize(all, -1);
	FUZZ_CHECK(cut && strcmp(cut, all) == 0, "sanitising is not idempotent");
	free(cut);
	max = size ? data[0] % 40 : 0;
	cut = text_sanitize(s, max);
	FUZZ_CHECK(cut && strncmp(all, cut, strlen(cut)) == 0, "cut is not a prefix");
	FUZZ_CHECK(text_width(cut) <= max, "cut to %d is %d wide", max, text_width(cut));
	/* the widest unit is an escape such as "<U+E0001>", 9 columns */
	FUZZ_CHECK(w <= max || text_width(cut) >= max - 8, "cut to %d is only %d wide", max,
	           text_width(cut));
	free(cut);
	free(all);
	check_steps((const char *)data, size);
	free(s);
	return 0;
}

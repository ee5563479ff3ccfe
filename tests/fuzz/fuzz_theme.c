/* fuzz_theme.c — the theme parser on arbitrary text.
 * Properties: an error is "FILE:LINE: ..." in plain printable text (a theme
 * cannot inject escapes); a parsed theme has sane colours and needs. */
#include "fuzz.h"
#include "ticketed/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_cstr(data, size), err[512];
	theme t;

	if (!s)
		return 0;
	err[0] = '\0';
	if (theme_parse(s, "fuzz.theme", &t, err, sizeof err) != 0) {
		FUZZ_CHECK(strncmp(err, "fuzz.theme:", 11) == 0, "error without position: %s", err);
		for (const unsigned char *p = (const unsigned char *)err; *p; p++)
			FUZZ_CHECK(*p >= 0x20 && *p < 0x7f, "raw byte \\x%02X in error", *p);
	} else {
		FUZZ_CHECK(t.colors_needed == 0 || t.colors_needed == 8 || t.colors_needed == 16 ||
		           t.colors_needed == 256, "colors_needed %d", t.colors_needed);
		for (int r = 0; r < ROLE_COUNT; r++)
			FUZZ_CHECK(t.rule[r].fg >= -1 && t.rule[r].fg <= 255 && t.rule[r].bg >= -1 &&
			           t.rule[r].bg <= 255, "role %d colour out of range", r);
	}
	free(s);
	return 0;
}

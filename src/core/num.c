/* num.c — strict decimal integers (see num.h). Written by hand because
 * strtol accepts what a typed id must not ("+5", " 5", "5 ", "0x1F" with
 * base 0) and reports neither the column nor the reason. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include "ticketed/num.h"

int num_parse(const char *s, long long min, long long max, long long *out, text_error *err)
{
	size_t i = 0;
	bool neg = s[0] == '-';
	unsigned long long mag = 0, limit;
	bool over = false;
	char what[32];

	if (!*s) {
		text_error_set(err, 1, "a whole number is needed");
		return -1;
	}
	if (neg && !s[1]) {
		text_error_set(err, 2, "a digit is needed after '-'");
		return -1;
	}
	for (i = neg; s[i]; i++) {
		if (s[i] < '0' || s[i] > '9') {
			text_char_name(s + i, what, sizeof what);
			text_error_set(err, text_col(s, i), "not a whole number: %s is not a digit", what);
			return -1;
		}
	}
	/* the magnitude may reach 2^63 (for INT64_MIN) */
	limit = neg ? (unsigned long long)INT64_MAX + 1 : (unsigned long long)INT64_MAX;
	for (i = neg; s[i]; i++) {
		unsigned d = (unsigned)(s[i] - '0');
		if (mag > (limit - d) / 10) {
			over = true;
			break;
		}
		mag = mag * 10 + d;
	}
	if (neg && mag > 0 && min >= 0) {
		text_error_set(err, 1, "must not be negative");
		return -1;
	}
	long long v = over ? 0 : neg ? (mag == (unsigned long long)INT64_MAX + 1 ? INT64_MIN : -(long long)mag)
	                             : (long long)mag;
	if ((over && neg) || (!over && v < min)) {
		text_error_set(err, 1, "must be %lld or more", min);
		return -1;
	}
	if (over || v > max) {
		text_error_set(err, 1, "must be %lld or less", max);
		return -1;
	}
	*out = v;
	return 0;
}

int num_int32(const char *s, int32_t *out, text_error *err)
{
	long long v;

	if (num_parse(s, INT32_MIN, INT32_MAX, &v, err) < 0)
		return -1;
	*out = (int32_t)v;
	return 0;
}

int num_id(const char *s, long *out, text_error *err)
{
	long long v;

	if (num_parse(s, 1, INT32_MAX, &v, err) < 0)
		return -1;
	*out = (long)v;
	return 0;
}

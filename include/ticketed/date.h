/* date.h — the service's date-time strings and HTTP dates. Pure, no I/O.
 *
 * Two styles arrive from the service: "2009-12-14T18:25:51.2209411+01:00"
 * (offset, up to 7 fractional digits; also "Z" or "+0100") and
 * "2020-04-22T15:51:25" (naive: the server's zone). Empty dates are null or
 * "0001-01-01T00:00:00". A parsed date remembers its style so a value edited
 * by the user is written back the way the server wrote it. */
#ifndef TICKETED_DATE_H
#define TICKETED_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

typedef enum {
	DATE_NAIVE,         /* no offset */
	DATE_OFFSET,        /* +01:00 */
	DATE_OFFSET_NOCOLON,/* +0100 */
	DATE_ZULU           /* Z */
} date_style;

typedef struct {
	int64_t utc;        /* seconds since the epoch, UTC (naive: minus naive offset) */
	int32_t frac;       /* fraction in 100 ns units (0..9999999) */
	int frac_digits;    /* digits as written (0..7) */
	int offset_min;     /* offset as written (naive: the assumed server offset) */
	date_style style;
	bool empty;         /* 0001-01-01T00:00:00 */
} tdate;

/* Parse S. NAIVE_OFFSET_MIN is the server zone's offset for naive dates
 * (0 = UTC). Validates ranges (month, day of month incl. leap years, hour...).
 * Returns 0, or -1 with a reason in ERR. */
int date_parse(const char *s, int naive_offset_min, tdate *out, char *err, size_t errlen);

/* Format D in its own style (and offset), e.g. after the user changed it. */
void date_format(const tdate *d, char *buf, size_t n);

/* Parse what a user typed for a date field and return it in the style of
 * TEMPLATE (the base value's style; NULL: naive). Accepts full ISO forms and
 * the short forms "YYYY-MM-DD" and "YYYY-MM-DD HH:MM[:SS]" (wall-clock time
 * in TEMPLATE's zone; a typed offset is converted to it). Keeps TEMPLATE's
 * style, offset and fraction digits (more if typed). Blank input gives an
 * empty date (out->empty) — the caller decides between null and
 * "0001-01-01T00:00:00". */
int date_from_user(const char *typed, const tdate *tmpl, int naive_offset_min,
                   tdate *out, char *err, size_t errlen);

/* RFC 9110 IMF-fixdate "Wed, 21 Oct 2015 07:28:00 GMT" for T (UTC). */
void date_http(time_t t, char *buf, size_t n);

/* Parse an IMF-fixdate (and the obsolete RFC 850 and asctime forms; RFC 850
 * two-digit years 70..99 are 19xx, 00..69 20xx); -1 on error. */
int date_http_parse(const char *s, time_t *out);

/* Fill OUT with the instant UTC + FRAC (100 ns units) in STYLE at OFFSET_MIN
 * with FRAC_DIGITS fractional digits (e.g. a server stamping LastChanged). */
void date_from_unix(int64_t utc, int32_t frac, date_style style, int offset_min,
                    int frac_digits, tdate *out);

/* Order of two instants (utc, then frac): <0, 0, >0. Empty dates sort first. */
int date_compare(const tdate *a, const tdate *b);

/* Days since 1970-01-01 of the proleptic Gregorian date Y-M-D (no timegm). */
int64_t date_days_from_civil(int64_t y, int m, int d);

#endif

/* date.h — the service's date-time strings and HTTP dates; dates shown in
 * and typed by people in their own zone. Pure, no I/O: time zones come in
 * as a date_zone the caller fills (from the tz database, a fixed offset).
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
#include "ticketed/errmsg.h"

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

/* ---- people's dates: zones, display, typed input ----------------------- */

/* A time zone as the caller knows it. OFFSET_AT gives the minutes east of
 * UTC at the instant UTC (DST included); NULL means FIXED_MIN always. NAME
 * (may be NULL) is what a header shows ("Europe/Oslo"). */
typedef struct {
	const char *name;
	int (*offset_at)(int64_t utc, void *ctx);
	void *ctx;
	int fixed_min;
} date_zone;

/* Z becomes the fixed offset OFFSET_MIN named NAME (may be NULL). */
void date_zone_fixed(date_zone *z, int offset_min, const char *name);

/* Z's offset at instant UTC (minutes east). */
int date_zone_offset(const date_zone *z, int64_t utc);

/* "Europe/Oslo (UTC+01:00)", "UTC", "UTC-05:30": Z as of instant AT. */
void date_zone_label(const date_zone *z, int64_t at, char *buf, size_t n);

/* A fixed zone written as "+HH:MM", "+HHMM", "+HH" (or '-'), or UTC ("",
 * "UTC", "GMT", "Z"): 1 with *MIN set, 0 if Z is none of these (an IANA
 * name, say), -1 if it is but out of range (beyond 14:00, minutes > 59). */
int date_fixed_offset(const char *z, int *min);

/* A date value from the service, where null is allowed too: S NULL or
 * "0001-01-01T00:00:00" (any style) reads as empty; else as date_parse. */
int date_read(const char *s, int naive_offset_min, tdate *out, char *err, size_t errlen);

/* D for people, in zone Z: "2026-11-28 16:00 (Sat)", ":SS" added when the
 * seconds are not 0; "" for an empty date. */
void date_show(const tdate *d, const date_zone *z, char *buf, size_t n);

/* A date a person typed, read at instant NOW in zone Z. */
typedef struct {
	bool empty;           /* blank: the date is to be emptied */
	int64_t utc;          /* the instant */
	int32_t frac;         /* 100 ns units */
	int frac_digits;      /* as typed */
	bool zone_typed;      /* the text gave its own offset ("Z", "+05:00") */
	char zone_used[64];   /* the zone that read the wall clock, for the status line */
} date_typed;

/* Parse TYPED at NOW (UTC seconds) in zone Z. Accepts, blanks around
 * ignored and words in any case:
 *   2026-12-05 17:00[:SS]    wall-clock time in Z ('T' works too, and a
 *                            typed "Z" or "+01:00" is used instead of Z)
 *   2026-12-05               00:00 that day in Z
 *   today, tomorrow, yesterday [HH:MM]   (00:00 without a time)
 *   now
 *   +3d  -1w  +2h  +90m      from now; days and weeks keep the wall-clock
 *                            time in Z across a DST change, hours do not
 *   (blank)                  an emptied date
 * A wall-clock time in a DST gap is read with the offset before the gap
 * (02:30 becomes 03:30); one that happens twice is the first. 0, or -1
 * with the reason and its column in ERR. */
int date_parse_typed(const char *typed, int64_t now, const date_zone *z, date_typed *out, text_error *err);

/* IN written the way the service writes the field whose current value is
 * TMPL (NULL: naive): with an offset (TMPL's style: "+01:00", "+0100" or
 * "Z"), it is SERVER's offset at that instant (TMPL's own offset when
 * SERVER is NULL) with 7 fraction digits; naive, it is the wall clock in
 * SERVER (UTC when NULL) with TMPL's fraction digits. An emptied date is
 * always 0001-01-01T00:00:00, which a typed service accepts where it
 * refuses null. */
void date_for_server(const date_typed *in, const tdate *tmpl, const date_zone *server, tdate *out);

#endif

/* date.c — the service's ISO date-time strings and RFC 9110 HTTP dates.
 *
 * Written by hand and pure: no strptime/strftime (locale), no timegm
 * (non-standard, zone state), no libcurl (core must not link it). Day
 * arithmetic is Howard Hinnant's days_from_civil / civil_from_days. */
#include "ticketed/date.h"
#include "ticketed/errmsg.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define FRAC_MAX_DIGITS 7
#define OFFSET_MAX_MIN (14 * 60)   /* the widest real-world offsets are +14:00 / -12:00 */
#define USER_MAX 80

static const char *const month_abbr[12] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"
};
static const char *const wday_abbr[7] = { "Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" };
static const char *const wday_long[7] = {
	"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"
};

/* The fields of a written date-time, before it becomes an instant. */
typedef struct {
	int y, mo, d, h, mi, s;
	int32_t frac;
	int frac_digits;
	bool has_zone;
	date_style style;
	int offset_min;
} dt_fields;

int64_t date_days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in_month(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

static bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Describe the character at P for an error message (printable or \xNN). */
static const char *char_desc(const char *p, char *buf, size_t n)
{
	unsigned char c = (unsigned char)*p;

	if (c == 0)
		snprintf(buf, n, "end of text");
	else if (c >= 0x20 && c < 0x7f)
		snprintf(buf, n, "'%c'", c);
	else
		snprintf(buf, n, "byte \\x%02X", c);
	return buf;
}

/* Read exactly NDIG digits at *P into OUT; advance. */
static bool take_digits(const char **p, int ndig, int *out)
{
	int v = 0;

	for (int i = 0; i < ndig; i++) {
		if (!is_digit((*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += ndig;
	*out = v;
	return true;
}

/* Expect digits or a separator at *P; on failure explain with the column. */
static bool expect_num(const char *s, const char **p, int ndig, int *out, const char *what,
                       char *err, size_t errlen)
{
	char cd[24];
	const char *bad = *p;

	if (take_digits(p, ndig, out))
		return true;
	while (is_digit(*bad))
		bad++;
	seterr(err, errlen, "expected %d-digit %s at column %d, found %s", ndig, what,
	       (int)(bad - s) + 1, char_desc(bad, cd, sizeof cd));
	return false;
}

static bool expect_char(const char *s, const char **p, char want, char *err, size_t errlen)
{
	char cd[24];

	if (**p == want) {
		(*p)++;
		return true;
	}
	seterr(err, errlen, "expected '%c' at column %d, found %s", want, (int)(*p - s) + 1,
	       char_desc(*p, cd, sizeof cd));
	return false;
}

static bool parse_ymd(const char *s, const char **p, dt_fields *f, char *err, size_t errlen)
{
	return expect_num(s, p, 4, &f->y, "year", err, errlen) &&
	       expect_char(s, p, '-', err, errlen) &&
	       expect_num(s, p, 2, &f->mo, "month", err, errlen) &&
	       expect_char(s, p, '-', err, errlen) &&
	       expect_num(s, p, 2, &f->d, "day", err, errlen);
}

/* HH:MM, then :SS unless SECONDS_OPTIONAL and absent. */
static bool parse_hms(const char *s, const char **p, bool seconds_optional, dt_fields *f,
                      char *err, size_t errlen)
{
	if (!expect_num(s, p, 2, &f->h, "hour", err, errlen) ||
	    !expect_char(s, p, ':', err, errlen) ||
	    !expect_num(s, p, 2, &f->mi, "minute", err, errlen))
		return false;
	f->s = 0;
	if (seconds_optional && **p != ':')
		return true;
	return expect_char(s, p, ':', err, errlen) &&
	       expect_num(s, p, 2, &f->s, "second", err, errlen);
}

/* Optional ".d{1,7}". */
static bool parse_frac(const char *s, const char **p, dt_fields *f, char *err, size_t errlen)
{
	int n = 0;
	int32_t v = 0;

	f->frac = 0;
	f->frac_digits = 0;
	if (**p != '.')
		return true;
	(*p)++;
	while (is_digit((*p)[n])) {
		if (n == FRAC_MAX_DIGITS) {
			seterr(err, errlen, "more than %d fractional digits at column %d",
			       FRAC_MAX_DIGITS, (int)(*p - s) + n + 1);
			return false;
		}
		v = v * 10 + ((*p)[n] - '0');
		n++;
	}
	if (n == 0) {
		seterr(err, errlen, "expected a digit after '.' at column %d", (int)(*p - s) + 1);
		return false;
	}
	*p += n;
	for (int i = n; i < FRAC_MAX_DIGITS; i++)
		v *= 10;
	f->frac = v;
	f->frac_digits = n;
	return true;
}

/* Optional "Z", "+HH:MM", "+HHMM" (or '-'). */
static bool parse_zone(const char *s, const char **p, dt_fields *f, char *err, size_t errlen)
{
	int sign, oh, om;
	const char *start = *p;

	f->has_zone = false;
	f->style = DATE_NAIVE;
	f->offset_min = 0;
	if (**p == 'Z' || **p == 'z') {
		(*p)++;
		f->has_zone = true;
		f->style = DATE_ZULU;
		return true;
	}
	if (**p != '+' && **p != '-')
		return true;
	sign = **p == '-' ? -1 : 1;
	(*p)++;
	if (!expect_num(s, p, 2, &oh, "offset hour", err, errlen))
		return false;
	f->style = DATE_OFFSET_NOCOLON;
	if (**p == ':') {
		(*p)++;
		f->style = DATE_OFFSET;
	}
	if (!expect_num(s, p, 2, &om, "offset minute", err, errlen))
		return false;
	if (om > 59 || oh * 60 + om > OFFSET_MAX_MIN) {
		seterr(err, errlen, "offset %.*s out of range (at most 14:00) at column %d",
		       (int)(*p - start), start, (int)(start - s) + 1);
		return false;
	}
	f->has_zone = true;
	f->offset_min = sign * (oh * 60 + om);
	return true;
}

static bool validate(const dt_fields *f, char *err, size_t errlen)
{
	if (f->y < 1) {
		seterr(err, errlen, "year %04d out of range (0001..9999)", f->y);
		return false;
	}
	if (f->mo < 1 || f->mo > 12) {
		seterr(err, errlen, "month %02d out of range (01..12)", f->mo);
		return false;
	}
	if (f->d < 1 || f->d > days_in_month(f->y, f->mo)) {
		seterr(err, errlen, "day %02d out of range for %04d-%02d (01..%02d)", f->d, f->y,
		       f->mo, days_in_month(f->y, f->mo));
		return false;
	}
	if (f->h > 23 || f->mi > 59 || f->s > 59) {
		seterr(err, errlen, "time %02d:%02d:%02d out of range (00:00:00..23:59:59)",
		       f->h, f->mi, f->s);
		return false;
	}
	return true;
}

static bool expect_end(const char *s, const char *p, char *err, size_t errlen)
{
	char cd[24];

	if (*p == '\0')
		return true;
	seterr(err, errlen, "unexpected %s at column %d", char_desc(p, cd, sizeof cd),
	       (int)(p - s) + 1);
	return false;
}

/* Turn validated fields written at OFFSET_MIN into a tdate. */
static void fields_to_date(const dt_fields *f, int offset_min, tdate *out)
{
	int64_t days = date_days_from_civil(f->y, f->mo, f->d);

	memset(out, 0, sizeof *out);
	out->utc = days * 86400 + f->h * 3600 + f->mi * 60 + f->s - (int64_t)offset_min * 60;
	out->frac = f->frac;
	out->frac_digits = f->frac_digits;
	out->offset_min = offset_min;
	out->style = f->style;
	out->empty = f->y == 1 && f->mo == 1 && f->d == 1 && f->h == 0 && f->mi == 0 &&
	             f->s == 0 && f->frac == 0;
}

int date_parse(const char *s, int naive_offset_min, tdate *out, char *err, size_t errlen)
{
	dt_fields f;
	const char *p = s;

	if (!s) {
		seterr(err, errlen, "no date");
		return -1;
	}
	memset(&f, 0, sizeof f);
	if (!parse_ymd(s, &p, &f, err, errlen) || !expect_char(s, &p, 'T', err, errlen) ||
	    !parse_hms(s, &p, false, &f, err, errlen) || !parse_frac(s, &p, &f, err, errlen) ||
	    !parse_zone(s, &p, &f, err, errlen) || !expect_end(s, p, err, errlen) ||
	    !validate(&f, err, errlen))
		return -1;
	fields_to_date(&f, f.has_zone ? f.offset_min : naive_offset_min, out);
	return 0;
}

static void zone_suffix(const tdate *d, char *buf, size_t n)
{
	int a = d->offset_min < 0 ? -d->offset_min : d->offset_min;
	char sign = d->offset_min < 0 ? '-' : '+';

	switch (d->style) {
	case DATE_ZULU:
		snprintf(buf, n, "Z");
		break;
	case DATE_OFFSET:
		snprintf(buf, n, "%c%02d:%02d", sign, a / 60, a % 60);
		break;
	case DATE_OFFSET_NOCOLON:
		snprintf(buf, n, "%c%02d%02d", sign, a / 60, a % 60);
		break;
	default:
		buf[0] = '\0';
		break;
	}
}

static void frac_text(const tdate *d, char *buf, size_t n)
{
	int digits = d->frac_digits;
	int32_t v = d->frac;

	if (digits <= 0 || digits > FRAC_MAX_DIGITS) {
		buf[0] = '\0';
		return;
	}
	for (int i = digits; i < FRAC_MAX_DIGITS; i++)
		v /= 10;
	snprintf(buf, n, ".%0*ld", digits, (long)v);
}

void date_format(const tdate *d, char *buf, size_t n)
{
	char fr[16], zone[16];
	int64_t local, days, y, sod;
	int m, dd;

	if (!buf || n == 0)
		return;
	frac_text(d, fr, sizeof fr);
	zone_suffix(d, zone, sizeof zone);
	if (d->empty) {
		snprintf(buf, n, "0001-01-01T00:00:00%s%s", fr, zone);
		return;
	}
	local = d->utc + (int64_t)(d->style == DATE_ZULU ? 0 : d->offset_min) * 60;
	days = floor_div(local, 86400);
	sod = local - days * 86400;
	civil_from_days(days, &y, &m, &dd);
	snprintf(buf, n, "%04lld-%02d-%02dT%02d:%02d:%02d%s%s", (long long)y, m, dd,
	         (int)(sod / 3600), (int)(sod / 60 % 60), (int)(sod % 60), fr, zone);
}

/* Whether LOCAL seconds fall in years 0001..9999. */
static bool in_year_range(int64_t local)
{
	int64_t y;
	int m, d;

	civil_from_days(floor_div(local, 86400), &y, &m, &d);
	return y >= 1 && y <= 9999;
}

/* Copy TYPED without surrounding blanks into BUF; false if too long. */
static bool trim_copy(const char *typed, char *buf, size_t n)
{
	size_t len;

	while (*typed == ' ' || *typed == '\t')
		typed++;
	len = strlen(typed);
	while (len > 0 && (typed[len - 1] == ' ' || typed[len - 1] == '\t'))
		len--;
	if (len >= n)
		return false;
	memcpy(buf, typed, len);
	buf[len] = '\0';
	return true;
}

/* Parse the user's forms: "YYYY-MM-DD", "YYYY-MM-DD[ T]HH:MM[:SS[.f]][zone]". */
static int parse_user(const char *s, dt_fields *f, char *err, size_t errlen)
{
	const char *p = s;

	memset(f, 0, sizeof *f);
	if (!parse_ymd(s, &p, f, err, errlen))
		return -1;
	if (*p == ' ' || *p == 'T' || *p == 't') {
		p++;
		while (*p == ' ')
			p++;
		if (!parse_hms(s, &p, true, f, err, errlen) ||
		    !parse_frac(s, &p, f, err, errlen) || !parse_zone(s, &p, f, err, errlen))
			return -1;
	}
	if (!expect_end(s, p, err, errlen) || !validate(f, err, errlen))
		return -1;
	return 0;
}

int date_from_user(const char *typed, const tdate *tmpl, int naive_offset_min,
                   tdate *out, char *err, size_t errlen)
{
	char buf[USER_MAX];
	dt_fields f;
	date_style style = tmpl ? tmpl->style : DATE_NAIVE;
	int target_off = naive_offset_min;
	int digits = tmpl ? tmpl->frac_digits : 0;

	if (style == DATE_OFFSET || style == DATE_OFFSET_NOCOLON)
		target_off = tmpl->offset_min;
	else if (style == DATE_ZULU)
		target_off = 0;
	if (!typed || !trim_copy(typed, buf, sizeof buf)) {
		seterr(err, errlen, typed ? "date too long" : "no date");
		return -1;
	}
	if (buf[0] == '\0') {
		date_from_unix(0, 0, style, target_off, digits, out);
		out->empty = true;
		return 0;
	}
	if (parse_user(buf, &f, err, errlen) < 0)
		return -1;
	if (f.frac_digits > digits)
		digits = f.frac_digits;
	f.style = style;
	fields_to_date(&f, f.has_zone ? f.offset_min : target_off, out);
	out->offset_min = target_off;
	out->frac_digits = digits;
	if (f.has_zone && !in_year_range(out->utc + (int64_t)target_off * 60)) {
		seterr(err, errlen, "%s is outside years 0001..9999 in the field's time zone", buf);
		return -1;
	}
	return 0;
}

void date_from_unix(int64_t utc, int32_t frac, date_style style, int offset_min,
                    int frac_digits, tdate *out)
{
	memset(out, 0, sizeof *out);
	out->utc = utc;
	out->frac = frac < 0 ? 0 : frac % 10000000;
	out->frac_digits = frac_digits < 0 ? 0 : frac_digits > FRAC_MAX_DIGITS ? FRAC_MAX_DIGITS : frac_digits;
	out->style = style;
	out->offset_min = style == DATE_ZULU ? 0 : offset_min;
	out->empty = false;
}

int date_compare(const tdate *a, const tdate *b)
{
	if (a->empty || b->empty)
		return (a->empty ? 0 : 1) - (b->empty ? 0 : 1);
	if (a->utc != b->utc)
		return a->utc < b->utc ? -1 : 1;
	if (a->frac != b->frac)
		return a->frac < b->frac ? -1 : 1;
	return 0;
}

/* ---- HTTP dates (RFC 9110 section 5.6.7) -------------------------------- */

void date_http(time_t t, char *buf, size_t n)
{
	int64_t days = floor_div((int64_t)t, 86400), sod = (int64_t)t - days * 86400, y;
	int m, d, wd = (int)((days % 7 + 11) % 7); /* 1970-01-01 was a Thursday */

	civil_from_days(days, &y, &m, &d);
	snprintf(buf, n, "%s, %02d %s %04lld %02d:%02d:%02d GMT", wday_abbr[wd], d,
	         month_abbr[m - 1], (long long)y, (int)(sod / 3600), (int)(sod / 60 % 60),
	         (int)(sod % 60));
}

static bool word_eq(const char *p, size_t len, const char *w)
{
	return strlen(w) == len && strncasecmp(p, w, len) == 0;
}

/* Read letters at *P; return the weekday / month index among NAMES or -1. */
static int take_name(const char **p, const char *const *names, int count)
{
	size_t len = 0;

	while (((*p)[len] >= 'A' && (*p)[len] <= 'Z') || ((*p)[len] >= 'a' && (*p)[len] <= 'z'))
		len++;
	for (int i = 0; i < count; i++) {
		if (word_eq(*p, len, names[i])) {
			*p += len;
			return i;
		}
	}
	return -1;
}

static bool take_lit(const char **p, const char *lit)
{
	size_t n = strlen(lit);

	if (strncmp(*p, lit, n) != 0)
		return false;
	*p += n;
	return true;
}

static bool take_time(const char **p, dt_fields *f)
{
	return take_digits(p, 2, &f->h) && take_lit(p, ":") && take_digits(p, 2, &f->mi) &&
	       take_lit(p, ":") && take_digits(p, 2, &f->s);
}

/* "06 Nov 1994 08:49:37 GMT" (after "Sun, ") */
static bool parse_imf_rest(const char *p, dt_fields *f)
{
	return take_digits(&p, 2, &f->d) && take_lit(&p, " ") &&
	       (f->mo = take_name(&p, month_abbr, 12) + 1) > 0 && take_lit(&p, " ") &&
	       take_digits(&p, 4, &f->y) && take_lit(&p, " ") && take_time(&p, f) &&
	       take_lit(&p, " GMT") && *p == '\0';
}

/* "06-Nov-94 08:49:37 GMT" (after "Sunday, "). Two-digit years: 70..99 are
 * 19xx, 00..69 are 20xx (a fixed pivot keeps this function pure). */
static bool parse_rfc850_rest(const char *p, dt_fields *f)
{
	if (!(take_digits(&p, 2, &f->d) && take_lit(&p, "-") &&
	      (f->mo = take_name(&p, month_abbr, 12) + 1) > 0 && take_lit(&p, "-") &&
	      take_digits(&p, 2, &f->y) && take_lit(&p, " ") && take_time(&p, f) &&
	      take_lit(&p, " GMT") && *p == '\0'))
		return false;
	f->y += f->y < 70 ? 2000 : 1900;
	return true;
}

/* "Nov  6 08:49:37 1994" (after "Sun ") */
static bool parse_asctime_rest(const char *p, dt_fields *f)
{
	if ((f->mo = take_name(&p, month_abbr, 12) + 1) <= 0 || !take_lit(&p, " "))
		return false;
	if (*p == ' ') {
		p++;
		if (!take_digits(&p, 1, &f->d))
			return false;
	} else if (!take_digits(&p, 2, &f->d)) {
		return false;
	}
	return take_lit(&p, " ") && take_time(&p, f) && take_lit(&p, " ") &&
	       take_digits(&p, 4, &f->y) && *p == '\0';
}

int date_http_parse(const char *s, time_t *out)
{
	dt_fields f;
	const char *p = s;
	char buf[64];
	bool ok;
	int leap;

	if (!s || !trim_copy(s, buf, sizeof buf))
		return -1;
	p = buf;
	memset(&f, 0, sizeof f);
	if (take_name(&p, wday_abbr, 7) >= 0) {
		if (take_lit(&p, ", "))
			ok = parse_imf_rest(p, &f);
		else
			ok = take_lit(&p, " ") && parse_asctime_rest(p, &f);
	} else if (take_name(&p, wday_long, 7) >= 0) {
		ok = take_lit(&p, ", ") && parse_rfc850_rest(p, &f);
	} else {
		ok = false;
	}
	leap = ok && f.s == 60;  /* RFC 9110 allows a leap second */
	f.s -= leap;
	if (!ok || !validate(&f, NULL, 0))
		return -1;
	*out = (time_t)(date_days_from_civil(f.y, f.mo, f.d) * 86400 + f.h * 3600 +
	                f.mi * 60 + f.s + leap);
	return 0;
}

/* ---- people's dates: zones, display, typed input ----------------------- */

void date_zone_fixed(date_zone *z, int offset_min, const char *name)
{
	z->name = name;
	z->offset_at = NULL;
	z->ctx = NULL;
	z->fixed_min = offset_min;
}

int date_zone_offset(const date_zone *z, int64_t utc)
{
	int off;

	if (!z)
		return 0;
	off = z->offset_at ? z->offset_at(utc, z->ctx) : z->fixed_min;
	return off < -OFFSET_MAX_MIN ? -OFFSET_MAX_MIN : off > OFFSET_MAX_MIN ? OFFSET_MAX_MIN : off;
}

static void offset_text(int off, char *buf, size_t n)
{
	int a = off < 0 ? -off : off;

	snprintf(buf, n, "UTC%c%02d:%02d", off < 0 ? '-' : '+', a / 60, a % 60);
}

void date_zone_label(const date_zone *z, int64_t at, char *buf, size_t n)
{
	char off[16];
	int o = date_zone_offset(z, at);

	offset_text(o, off, sizeof off);
	if (z && z->name && *z->name && !(o == 0 && !strcasecmp(z->name, "UTC")))
		snprintf(buf, n, "%s (%s)", z->name, off);
	else
		snprintf(buf, n, "%s", o == 0 ? "UTC" : off);
}

int date_fixed_offset(const char *z, int *min)
{
	size_t n;
	int h, m = 0;

	if (!z || !*z || !strcasecmp(z, "UTC") || !strcasecmp(z, "GMT") || !strcmp(z, "Z")) {
		*min = 0;
		return 1;
	}
	n = strlen(z);
	if ((z[0] != '+' && z[0] != '-') || n < 3 || !is_digit(z[1]) || !is_digit(z[2]))
		return 0;
	h = (z[1] - '0') * 10 + (z[2] - '0');
	if (n == 6 && z[3] == ':' && is_digit(z[4]) && is_digit(z[5]))
		m = (z[4] - '0') * 10 + (z[5] - '0');
	else if (n == 5 && is_digit(z[3]) && is_digit(z[4]))
		m = (z[3] - '0') * 10 + (z[4] - '0');
	else if (n != 3)
		return 0;
	if (m > 59 || h * 60 + m > OFFSET_MAX_MIN)
		return -1;
	*min = (z[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 1;
}

int date_read(const char *s, int naive_offset_min, tdate *out, char *err, size_t errlen)
{
	if (!s) {
		date_from_unix(0, 0, DATE_NAIVE, naive_offset_min, 0, out);
		out->empty = true;
		return 0;
	}
	return date_parse(s, naive_offset_min, out, err, errlen);
}

/* Wall-clock seconds (local "epoch" seconds) of instant UTC in Z. */
static int64_t wall_of(const date_zone *z, int64_t utc)
{
	return utc + (int64_t)date_zone_offset(z, utc) * 60;
}

void date_show(const tdate *d, const date_zone *z, char *buf, size_t n)
{
	int64_t local, days, y, sod;
	int m, dd, wd;

	if (!buf || n == 0)
		return;
	if (d->empty) {
		buf[0] = '\0';
		return;
	}
	local = wall_of(z, d->utc);
	days = floor_div(local, 86400);
	sod = local - days * 86400;
	civil_from_days(days, &y, &m, &dd);
	wd = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
	if (sod % 60)
		snprintf(buf, n, "%04lld-%02d-%02d %02d:%02d:%02d (%s)", (long long)y, m, dd, (int)(sod / 3600),
		         (int)(sod / 60 % 60), (int)(sod % 60), wday_abbr[wd]);
	else
		snprintf(buf, n, "%04lld-%02d-%02d %02d:%02d (%s)", (long long)y, m, dd, (int)(sod / 3600),
		         (int)(sod / 60 % 60), wday_abbr[wd]);
}

/* The instant whose wall clock in Z is WALL: in a DST gap the offset from
 * before the gap, for a wall clock that happens twice the first. */
static int64_t utc_of_wall(const date_zone *z, int64_t wall)
{
	int o1 = date_zone_offset(z, wall - 86400), o2 = date_zone_offset(z, wall + 86400);
	int64_t u1 = wall - (int64_t)o1 * 60, u2 = wall - (int64_t)o2 * 60;
	bool ok1 = date_zone_offset(z, u1) == o1, ok2 = date_zone_offset(z, u2) == o2;

	if (ok1 && ok2)
		return u1 < u2 ? u1 : u2;
	if (ok1 != ok2)
		return ok1 ? u1 : u2;
	return o1 < o2 ? u1 : u2; /* a gap: read with the smaller offset, so it lands after */
}

typedef struct {
	const char *s;  /* the typed text (for columns) */
	const char *p;
	text_error *err;
} tcur;

static int tfail(tcur *c, const char *at, const char *msg)
{
	text_error_set(c->err, text_col(c->s, (size_t)(at - c->s)), "%s", msg);
	return -1;
}

static const char *skip_sp(const char *p)
{
	while (*p == ' ' || *p == '\t')
		p++;
	return p;
}

/* A word (case-insensitive) followed by a blank or the end. */
static bool take_word(const char **p, const char *w)
{
	size_t n = strlen(w);

	if (strncasecmp(*p, w, n) || ((*p)[n] && (*p)[n] != ' ' && (*p)[n] != '\t'))
		return false;
	*p += n;
	return true;
}

/* H[H]:MM[:SS] typed; fields into F. */
static int typed_time(tcur *c, dt_fields *f, bool two_digit_hour)
{
	const char *h = c->p;
	int n = 0;

	while (is_digit(c->p[n]) && n < 3)
		n++;
	if (n == 0 || n > 2 || (two_digit_hour && n != 2) || c->p[n] != ':')
		return tfail(c, h, "expected a time like 09:00");
	f->h = n == 1 ? c->p[0] - '0' : (c->p[0] - '0') * 10 + (c->p[1] - '0');
	c->p += n + 1;
	if (!is_digit(c->p[0]) || !is_digit(c->p[1]) || is_digit(c->p[2]))
		return tfail(c, c->p, "expected a 2-digit minute");
	f->mi = (c->p[0] - '0') * 10 + (c->p[1] - '0');
	c->p += 2;
	f->s = 0;
	if (*c->p == ':') {
		c->p++;
		if (!is_digit(c->p[0]) || !is_digit(c->p[1]) || is_digit(c->p[2]))
			return tfail(c, c->p, "expected 2-digit seconds");
		f->s = (c->p[0] - '0') * 10 + (c->p[1] - '0');
		c->p += 2;
	}
	if (f->h > 23)
		return tfail(c, h, "hour out of range (00..23)");
	if (f->mi > 59)
		return tfail(c, h + n + 1, "minute out of range (00..59)");
	if (f->s > 59)
		return tfail(c, h + n + 4, "seconds out of range (00..59)");
	return 0;
}

/* YYYY-MM-DD typed; fields into F. */
static int typed_ymd(tcur *c, dt_fields *f)
{
	const char *y = c->p;
	char err[160];

	if (!(is_digit(y[0]) && is_digit(y[1]) && is_digit(y[2]) && is_digit(y[3]) && y[4] == '-'))
		return tfail(c, y, "expected a date like 2026-12-05 (or +3d, today, tomorrow 09:00)");
	if (!parse_ymd(c->s, &c->p, f, err, sizeof err))
		return tfail(c, c->p, "expected a date like 2026-12-05");
	if (f->mo < 1 || f->mo > 12)
		return tfail(c, y + 5, "month out of range (01..12)");
	if (f->y < 1 || f->d < 1 || f->d > days_in_month(f->y, f->mo))
		return tfail(c, y + 8, "day out of range for that month");
	return 0;
}

static int typed_end(tcur *c)
{
	char what[32];

	c->p = skip_sp(c->p);
	if (!*c->p)
		return 0;
	text_char_name(c->p, what, sizeof what);
	char msg[80];
	snprintf(msg, sizeof msg, "unexpected %s", what);
	return tfail(c, c->p, msg);
}

/* "+3d", "-2h": from NOW. */
static int typed_relative(tcur *c, int64_t now, const date_zone *z, date_typed *out)
{
	int sign = *c->p == '-' ? -1 : 1;
	const char *num = ++c->p;
	int64_t n = 0;

	if (!is_digit(*c->p))
		return tfail(c, num, "expected a number after the sign, like +3d");
	while (is_digit(*c->p)) {
		if (n > 100000)
			return tfail(c, num, "too far from now");
		n = n * 10 + (*c->p++ - '0');
	}
	char u = (char)(*c->p | 0x20);
	if (u != 'd' && u != 'w' && u != 'h' && u != 'm')
		return tfail(c, c->p, "expected d, w, h or m after the number (days, weeks, hours, minutes)");
	c->p++;
	if (typed_end(c) < 0)
		return -1;
	if (u == 'h' || u == 'm') {
		out->utc = now + sign * n * (u == 'h' ? 3600 : 60);
	} else {
		out->utc = utc_of_wall(z, wall_of(z, now) + sign * n * 86400 * (u == 'w' ? 7 : 1));
	}
	if (!in_year_range(out->utc - 86400) || !in_year_range(out->utc + 86400))
		return tfail(c, num, "too far from now");
	return 0;
}

int date_parse_typed(const char *typed, int64_t now, const date_zone *z, date_typed *out, text_error *err)
{
	tcur c = { typed ? typed : "", NULL, err };
	dt_fields f;
	int64_t day_wall = 0; /* wall-clock midnight of a named day */
	bool named_day = true;
	int64_t day;

	memset(out, 0, sizeof *out);
	memset(&f, 0, sizeof f);
	c.p = skip_sp(c.s);
	date_zone_label(z, now, out->zone_used, sizeof out->zone_used);
	if (!*c.p) {
		out->empty = true;
		return 0;
	}
	if (*c.p == '+' || *c.p == '-')
		return typed_relative(&c, now, z, out);
	if (take_word(&c.p, "now")) {
		out->utc = now;
		return typed_end(&c);
	}
	day = floor_div(wall_of(z, now), 86400);
	if (take_word(&c.p, "today"))
		day_wall = day * 86400;
	else if (take_word(&c.p, "tomorrow"))
		day_wall = (day + 1) * 86400;
	else if (take_word(&c.p, "yesterday"))
		day_wall = (day - 1) * 86400;
	else
		named_day = false;
	if (named_day) {
		c.p = skip_sp(c.p);
		if (*c.p && typed_time(&c, &f, false) < 0)
			return -1;
		if (typed_end(&c) < 0)
			return -1;
		out->utc = utc_of_wall(z, day_wall + f.h * 3600 + f.mi * 60 + f.s);
		date_zone_label(z, out->utc, out->zone_used, sizeof out->zone_used);
		return 0;
	}
	if (typed_ymd(&c, &f) < 0)
		return -1;
	if (*c.p == 'T' || *c.p == 't' || *c.p == ' ') {
		const char *after = skip_sp(c.p + 1);
		if (*c.p != ' ' || *after) {
			c.p = after;
			if (typed_time(&c, &f, false) < 0)
				return -1;
			char e2[160];
			if (!parse_frac(c.s, &c.p, &f, e2, sizeof e2) || !parse_zone(c.s, &c.p, &f, e2, sizeof e2))
				return tfail(&c, c.p, e2);
		}
	}
	if (typed_end(&c) < 0)
		return -1;
	int64_t wall = date_days_from_civil(f.y, f.mo, f.d) * 86400 + f.h * 3600 + f.mi * 60 + f.s;
	if (f.has_zone) {
		out->utc = wall - (int64_t)f.offset_min * 60;
		out->zone_typed = true;
		offset_text(f.offset_min, out->zone_used, sizeof out->zone_used);
		if (f.offset_min == 0)
			snprintf(out->zone_used, sizeof out->zone_used, "UTC");
	} else {
		out->utc = utc_of_wall(z, wall);
		date_zone_label(z, out->utc, out->zone_used, sizeof out->zone_used);
	}
	out->frac = f.frac;
	out->frac_digits = f.frac_digits;
	/* a day's margin, so that every zone can write it */
	if (!in_year_range(out->utc - 86400) || !in_year_range(out->utc + 86400))
		return tfail(&c, c.s + (skip_sp(c.s) - c.s), "too close to or outside the years 0001..9999");
	return 0;
}

void date_for_server(const date_typed *in, const tdate *tmpl, const date_zone *server, tdate *out)
{
	date_style style = tmpl ? tmpl->style : DATE_NAIVE;

	if (in->empty) {
		date_from_unix(0, 0, DATE_NAIVE, 0, 0, out);
		out->empty = true;
		return;
	}
	if (style == DATE_NAIVE) {
		int off = server ? date_zone_offset(server, in->utc) : 0;
		int digits = tmpl && !tmpl->empty ? tmpl->frac_digits : 0;
		date_from_unix(in->utc, in->frac, DATE_NAIVE, off, digits > in->frac_digits ? digits : in->frac_digits, out);
		return;
	}
	int off = style == DATE_ZULU ? 0 : server ? date_zone_offset(server, in->utc) : tmpl->offset_min;
	date_from_unix(in->utc, in->frac, style, off, FRAC_MAX_DIGITS, out);
}

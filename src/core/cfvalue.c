/* cfvalue.c — SuperOffice custom field values (see cfvalue.h for the docs
 * this follows). Written by hand: the CultureDataFormatter encoding is
 * SuperOffice's own, and no C library reads it. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/cfvalue.h"
#include "ticketed/num.h"

static const char *const kind_names[] = {
	"Unknown", "Integer", "ShortText", "LongText", "Date", "Blob", "Checkbox", "MdoList",
	"Decimal", "DateTime", "Time", "TimeSpan", "RelationTo", "Attachment", "DynamicLink", "ListText",
};
#define NKINDS ((int)(sizeof kind_names / sizeof kind_names[0]))

static const struct {
	const char *tag;
	cf_enc enc;
} monikers[] = {
	{ "I", CFE_I }, { "F", CFE_F }, { "M", CFE_M }, { "DT", CFE_DT }, { "D", CFE_D },
	{ "TS", CFE_TS }, { "T", CFE_T }, { "A", CFE_A }, { "B", CFE_B },
};

/* ---- kinds ---------------------------------------------------------------- */

cf_kind cf_kind_from_name(const char *name)
{
	long long n;

	if (!name)
		return CFK_UNKNOWN;
	for (int i = 1; i < NKINDS; i++)
		if (!strcasecmp(name, kind_names[i]))
			return (cf_kind)i;
	if (num_parse(name, 0, NKINDS - 1, &n, NULL) == 0)
		return (cf_kind)n;
	return CFK_UNKNOWN;
}

cf_kind cf_kind_from_json(const cJSON *v)
{
	if (cJSON_IsString(v))
		return cf_kind_from_name(v->valuestring);
	if (cJSON_IsNumber(v) && v->valuedouble >= 0 && v->valuedouble < NKINDS &&
	    v->valuedouble == (double)(int)v->valuedouble)
		return (cf_kind)(int)v->valuedouble;
	return CFK_UNKNOWN;
}

const char *cf_kind_name(cf_kind k)
{
	return (int)k >= 0 && (int)k < NKINDS ? kind_names[k] : kind_names[0];
}

bool cf_kind_is_text(cf_kind k)
{
	return k == CFK_SHORTTEXT || k == CFK_LONGTEXT || k == CFK_LISTTEXT || k == CFK_DYNAMICLINK;
}

static bool kind_is_int(cf_kind k)
{
	return k == CFK_INTEGER || k == CFK_MDOLIST || k == CFK_RELATION || k == CFK_ATTACHMENT ||
	       k == CFK_TIMESPAN || k == CFK_CHECKBOX;
}

static bool kind_is_date(cf_kind k)
{
	return k == CFK_DATE || k == CFK_DATETIME || k == CFK_TIME;
}

/* The kind an encoding stands for when there is no metadata. */
static cf_kind kind_of_enc(cf_enc e)
{
	switch (e) {
	case CFE_I: return CFK_INTEGER;
	case CFE_F: case CFE_M: return CFK_DECIMAL;
	case CFE_D: return CFK_DATE;
	case CFE_DT: return CFK_DATETIME;
	case CFE_T: return CFK_TIME;
	case CFE_TS: return CFK_TIMESPAN;
	case CFE_B: return CFK_BLOB;
	case CFE_A: return CFK_UNKNOWN;
	default: return CFK_SHORTTEXT;
	}
}

static const char *enc_tag(cf_enc e)
{
	for (size_t i = 0; i < sizeof monikers / sizeof monikers[0]; i++)
		if (monikers[i].enc == e)
			return monikers[i].tag;
	return "";
}

/* The encoding a kind is written with when nothing says otherwise. */
static cf_enc default_enc(cf_kind k)
{
	if (kind_is_int(k))
		return CFE_I;
	switch (k) {
	case CFK_DECIMAL: return CFE_F;
	case CFK_DATE: return CFE_D;
	case CFK_DATETIME: return CFE_DT;
	case CFK_TIME: return CFE_T;
	default: return CFE_NONE;
	}
}

/* ---- small parsers (P: the text, OFF: its column offset in the whole) ---- */

typedef struct {
	const char *s;   /* the whole string, for columns */
	const char *p;   /* where we are */
	const char *end; /* end of the part being parsed */
	text_error *err;
} cursor;

static int col_of(const cursor *c, const char *at)
{
	return text_col(c->s, (size_t)(at - c->s));
}

static bool fail_at(cursor *c, const char *at, const char *msg)
{
	text_error_set(c->err, col_of(c, at), "%s", msg);
	return false;
}

static bool digit(char ch)
{
	return ch >= '0' && ch <= '9';
}

/* 1..MAXN digits (exactly N when MINN == MAXN) into *OUT. */
static bool take_num(cursor *c, int minn, int maxn, int *out, const char *what)
{
	int n = 0, v = 0;

	while (c->p + n < c->end && n < maxn && digit(c->p[n]))
		v = v * 10 + (c->p[n++] - '0');
	if (n < minn || (c->p + n < c->end && digit(c->p[n]))) {
		char buf[64];
		snprintf(buf, sizeof buf, "expected the %s here", what);
		return fail_at(c, c->p, buf);
	}
	c->p += n;
	*out = v;
	return true;
}

static bool take_ch(cursor *c, char ch)
{
	if (c->p < c->end && *c->p == ch) {
		c->p++;
		return true;
	}
	return false;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dim[m - 1];
}

/* Range checks of a date whose fields start at the given places. */
static bool check_date(cursor *c, cf_value *v, const char *yat, const char *mat, const char *dat)
{
	if (v->y < 1)
		return fail_at(c, yat, "year out of range (0001..9999)");
	if (v->mo < 1 || v->mo > 12)
		return fail_at(c, mat, "month out of range (01..12)");
	if (v->d < 1 || v->d > month_days(v->y, v->mo))
		return fail_at(c, dat, "day out of range for that month");
	return true;
}

/* A date in one of the three forms; sets the style's form. */
static bool parse_date_part(cursor *c, cf_value *v)
{
	const char *start = c->p, *a = c->p, *b, *d;
	int n1, n2;

	if (c->end - c->p >= 5 && digit(c->p[0]) && digit(c->p[1]) && digit(c->p[2]) && digit(c->p[3]) &&
	    c->p[4] == '-') {
		v->style.date_form = CFD_ISO;
		if (!take_num(c, 4, 4, &v->y, "year") || !take_ch(c, '-'))
			return fail_at(c, c->p, "expected a date like 2019-06-19");
		b = c->p;
		if (!take_num(c, 2, 2, &v->mo, "month") || !take_ch(c, '-'))
			return fail_at(c, c->p, "expected a date like 2019-06-19");
		d = c->p;
		return take_num(c, 2, 2, &v->d, "day") && check_date(c, v, a, b, d);
	}
	if (!take_num(c, 1, 2, &n1, "date") || c->p >= c->end || (*c->p != '/' && *c->p != '.'))
		return fail_at(c, start, "expected a date like 2019-06-19");
	v->style.date_form = *c->p == '/' ? CFD_MDY : CFD_DMY;
	char sep = *c->p++;
	b = c->p;
	if (!take_num(c, 1, 2, &n2, "date") || !take_ch(c, sep))
		return fail_at(c, start, "expected a date like 2019-06-19");
	d = c->p;
	if (!take_num(c, 4, 4, &v->y, "year"))
		return false;
	if (v->style.date_form == CFD_MDY) {
		v->mo = n1;
		v->d = n2;
		return check_date(c, v, d, a, b);
	}
	v->d = n1;
	v->mo = n2;
	return check_date(c, v, d, b, a);
}

/* HH:MM[:SS[.fffffff]] */
static bool parse_time_part(cursor *c, cf_value *v)
{
	const char *h = c->p, *m;

	if (!take_num(c, 1, 2, &v->h, "hour") || !take_ch(c, ':'))
		return fail_at(c, h, "expected a time like 14:35");
	m = c->p;
	if (!take_num(c, 2, 2, &v->mi, "minute"))
		return false;
	v->style.has_time = true;
	v->style.has_seconds = false;
	v->s = 0;
	v->frac = 0;
	v->style.frac_digits = 0;
	if (take_ch(c, ':')) {
		const char *sat = c->p;
		if (!take_num(c, 2, 2, &v->s, "seconds"))
			return false;
		v->style.has_seconds = true;
		if (v->s > 59)
			return fail_at(c, sat, "seconds out of range (00..59)");
		if (take_ch(c, '.')) {
			int n = 0;
			int32_t f = 0;
			while (c->p < c->end && digit(*c->p) && n < 7) {
				f = f * 10 + (*c->p++ - '0');
				n++;
			}
			if (n == 0 || (c->p < c->end && digit(*c->p)))
				return fail_at(c, c->p, "expected 1 to 7 fraction digits");
			for (int i = n; i < 7; i++)
				f *= 10;
			v->frac = f;
			v->style.frac_digits = n;
		}
	}
	if (v->h > 23)
		return fail_at(c, h, "hour out of range (00..23)");
	if (v->mi > 59)
		return fail_at(c, m, "minute out of range (00..59)");
	return true;
}

static bool at_end(cursor *c, const char *what)
{
	if (c->p == c->end)
		return true;
	char name[32];
	text_char_name(c->p, name, sizeof name);
	char msg[96];
	snprintf(msg, sizeof msg, "unexpected %s after the %s", name, what);
	return fail_at(c, c->p, msg);
}

/* A date and/or time payload (D, DT, T) or typed date. */
static bool parse_datetime(cursor *c, cf_value *v, bool time_only_ok)
{
	const char *p0 = c->p;

	v->style.has_date = v->style.has_time = false;
	/* "14:52": a time only */
	const char *q = c->p;
	while (q < c->end && digit(*q))
		q++;
	if (time_only_ok && q < c->end && *q == ':' && q - c->p <= 2) {
		v->y = 1;
		v->mo = v->d = 1;
		return parse_time_part(c, v) && at_end(c, "time");
	}
	if (!parse_date_part(c, v))
		return false;
	v->style.has_date = true;
	if (c->p < c->end && (*c->p == ' ' || (*c->p == 'T' && v->style.date_form == CFD_ISO))) {
		v->style.iso_t = *c->p == 'T';
		c->p++;
		if (!parse_time_part(c, v))
			return false;
	}
	(void)p0;
	return at_end(c, v->style.has_time ? "time" : "date");
}

/* An F/M number: -?d+(.d+)?([eE][+-]?d+)? kept as text. */
static bool parse_decimal(cursor *c, cf_value *v, bool allow_exp)
{
	const char *p0 = c->p;
	size_t len;

	if (take_ch(c, '-') && c->p == c->end)
		return fail_at(c, c->p, "not a decimal number: a digit is needed after '-'");
	if (c->p >= c->end || !digit(*c->p))
		return fail_at(c, c->p, "not a decimal number (use digits and '.', like 4.5)");
	while (c->p < c->end && digit(*c->p))
		c->p++;
	if (take_ch(c, '.')) {
		if (c->p >= c->end || !digit(*c->p))
			return fail_at(c, c->p, "not a decimal number: a digit is needed after '.'");
		while (c->p < c->end && digit(*c->p))
			c->p++;
	}
	if (allow_exp && c->p < c->end && (*c->p == 'E' || *c->p == 'e')) {
		c->p++;
		if (c->p < c->end && (*c->p == '+' || *c->p == '-'))
			c->p++;
		if (c->p >= c->end || !digit(*c->p))
			return fail_at(c, c->p, "not a decimal number: a digit is needed in the exponent");
		while (c->p < c->end && digit(*c->p))
			c->p++;
	}
	if (c->p < c->end) {
		if (*c->p == ',')
			return fail_at(c, c->p, "use '.' as the decimal separator, not ','");
		return fail_at(c, c->p, "not a decimal number (use digits and '.', like 4.5)");
	}
	len = (size_t)(c->p - p0);
	if (len >= sizeof v->num)
		return fail_at(c, p0, "decimal number too long");
	memcpy(v->num, p0, len);
	v->num[len] = '\0';
	if (!isfinite(strtod(v->num, NULL)))
		return fail_at(c, p0, "decimal number out of range");
	return true;
}

/* A whole number [lo, hi] over [c->p, c->end). */
static bool parse_int(cursor *c, cf_value *v, long long lo, long long hi)
{
	char buf[32];
	size_t len = (size_t)(c->end - c->p);
	text_error e;

	if (len >= sizeof buf) {
		/* too long for any int32: let num_parse report it on a copy that fits */
		len = sizeof buf - 1;
	}
	memcpy(buf, c->p, len);
	buf[len] = '\0';
	if (num_parse(buf, lo, hi, &v->i, &e) < 0) {
		int off = e.col > 0 ? e.col - 1 : 0;
		const char *at = c->p;
		for (int k = 0; k < off && at < c->end; at++)  /* E.col counts characters */
			k += ((unsigned char)at[1] & 0xC0) != 0x80;
		if ((size_t)(c->end - c->p) >= sizeof buf && !strstr(e.msg, "digit"))
			snprintf(e.msg, sizeof e.msg, "must be %lld or less", hi);
		return fail_at(c, at, e.msg);
	}
	c->p = c->end;
	return true;
}

/* ---- decode ---------------------------------------------------------------- */

static void as_text(const char *s, cf_kind kind, cf_value *v)
{
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->style.enc = CFE_NONE;
	v->text = s;
	v->text_len = strlen(s);
	v->empty = !*s;
}

/* The moniker of "[TAG:...]" and where its payload starts; CFE_NONE if S is
 * not of that shape. */
static cf_enc moniker_of(const char *s, const char **payload)
{
	size_t len = strlen(s);

	if (len < 3 || s[0] != '[' || s[len - 1] != ']')
		return CFE_NONE;
	for (size_t i = 0; i < sizeof monikers / sizeof monikers[0]; i++) {
		size_t n = strlen(monikers[i].tag);
		if (!strncmp(s + 1, monikers[i].tag, n) && s[1 + n] == ':') {
			*payload = s + 2 + n;
			return monikers[i].enc;
		}
	}
	return CFE_NONE;
}

/* Whether a value encoded ENC can be read as kind K. */
static bool enc_fits(cf_enc enc, cf_kind k)
{
	switch (enc) {
	case CFE_I: return kind_is_int(k) || k == CFK_DECIMAL;
	case CFE_F: case CFE_M: return k == CFK_DECIMAL;
	case CFE_D: case CFE_DT: case CFE_T: return kind_is_date(k);
	case CFE_TS: return k == CFK_TIMESPAN;
	case CFE_B: return k == CFK_BLOB;
	case CFE_A: return false;
	default: return true;
	}
}

static const char *expected_form(cf_kind k)
{
	switch (k) {
	case CFK_DECIMAL: return "a decimal like [F:4.5]";
	case CFK_DATE: return "a date like [D:06/19/2019]";
	case CFK_DATETIME: return "a date and time like [DT:06/19/2019 14:35:56]";
	case CFK_TIME: return "a time like [T:14:52]";
	case CFK_CHECKBOX: return "a checkbox value [I:1] or [I:0]";
	default: return "a whole number like [I:123]";
	}
}

/* Parse the payload [P, END) of ENC into V; S is the whole string. */
static bool decode_payload(cursor *c, cf_enc enc, cf_value *v)
{
	switch (enc) {
	case CFE_I:
	case CFE_TS:
		return parse_int(c, v, enc == CFE_I ? INT32_MIN : INT64_MIN, enc == CFE_I ? INT32_MAX : INT64_MAX);
	case CFE_F:
	case CFE_M:
		return parse_decimal(c, v, true);
	case CFE_D:
	case CFE_DT:
	case CFE_T:
		return parse_datetime(c, v, enc == CFE_T);
	default: /* A, B: kept as text */
		v->text = c->p;
		v->text_len = (size_t)(c->end - c->p);
		c->p = c->end;
		return true;
	}
}

int cf_decode(const char *s, cf_kind expect, cf_value *out, text_error *err)
{
	const char *payload = NULL;
	cf_enc enc;
	cf_value v;
	text_error e;

	if (!s)
		s = "";
	enc = moniker_of(s, &payload);
	if (cf_kind_is_text(expect) || (expect == CFK_BLOB && enc != CFE_B) || (enc == CFE_NONE && expect == CFK_UNKNOWN)) {
		as_text(s, expect == CFK_UNKNOWN ? CFK_SHORTTEXT : expect, out);
		return 0;
	}
	memset(&v, 0, sizeof v);
	v.kind = expect != CFK_UNKNOWN ? expect : kind_of_enc(enc);
	v.style.enc = enc;
	if (enc == CFE_NONE) { /* a typed field without encoding */
		cursor c = { s, s, s + strlen(s), &e };
		if (!*s) {
			v.empty = true;
		} else {
			bool ok = kind_is_int(expect) ? parse_int(&c, &v, INT32_MIN, INT32_MAX)
			          : expect == CFK_DECIMAL ? parse_decimal(&c, &v, true)
			          : parse_datetime(&c, &v, expect == CFK_TIME);
			if (!ok) {
				text_error_set(err, e.col, "%s (expected %s)", e.msg, expected_form(expect));
				return -1;
			}
		}
	} else {
		cursor c = { s, payload, s + strlen(s) - 1, &e };
		if (expect != CFK_UNKNOWN && !enc_fits(enc, expect)) {
			text_error_set(err, 2, "expected %s, found [%s:", expected_form(expect), enc_tag(enc));
			return -1;
		}
		if (!decode_payload(&c, enc, &v)) {
			if (expect == CFK_UNKNOWN) { /* "[I:am here]" in an untyped field: text */
				as_text(s, CFK_SHORTTEXT, out);
				return 0;
			}
			if (err)
				*err = e;
			return -1;
		}
		if (expect == CFK_CHECKBOX && v.i != 0 && v.i != 1) {
			text_error_set(err, col_of(&c, payload), "a checkbox is [I:1] or [I:0], not [I:%lld]", v.i);
			return -1;
		}
	}
	*out = v;
	return 0;
}

/* ---- encode and display ------------------------------------------------- */

static int put(char *buf, size_t n, int len)
{
	if (len < 0 || (size_t)len >= n) {
		if (n)
			buf[0] = '\0';
		return -1;
	}
	return len;
}

/* The date and time of V in its style (no brackets). */
static void datetime_text(const cf_value *v, char *buf, size_t n)
{
	char date[16] = "", tm[32] = "";

	if (v->style.has_date) {
		if (v->style.date_form == CFD_ISO)
			snprintf(date, sizeof date, "%04d-%02d-%02d", v->y, v->mo, v->d);
		else if (v->style.date_form == CFD_DMY)
			snprintf(date, sizeof date, "%02d.%02d.%04d", v->d, v->mo, v->y);
		else
			snprintf(date, sizeof date, "%02d/%02d/%04d", v->mo, v->d, v->y);
	}
	if (v->style.has_time) {
		int len = snprintf(tm, sizeof tm, "%02d:%02d", v->h, v->mi);
		if (v->style.has_seconds)
			len += snprintf(tm + len, sizeof tm - (size_t)len, ":%02d", v->s);
		if (v->style.has_seconds && v->style.frac_digits > 0) {
			char f7[16];
			int nd = v->style.frac_digits > 7 ? 7 : v->style.frac_digits;
			snprintf(f7, sizeof f7, "%07ld", (long)(v->frac % 10000000));
			snprintf(tm + len, sizeof tm - (size_t)len, ".%.*s", nd, f7);
		}
	}
	snprintf(buf, n, "%s%s%s", date, v->style.has_date && v->style.has_time ? (v->style.iso_t ? "T" : " ") : "", tm);
}

/* The value's own text, for the plain (un-encoded) form of a typed field. */
static void plain_text(const cf_value *v, char *buf, size_t n)
{
	if (v->empty)
		snprintf(buf, n, "%s", "");
	else if (kind_is_int(v->kind) || v->style.enc == CFE_I || v->style.enc == CFE_TS)
		snprintf(buf, n, "%lld", v->i);
	else if (v->kind == CFK_DECIMAL)
		snprintf(buf, n, "%s", v->num);
	else
		datetime_text(v, buf, n);
}

int cf_encode(const cf_value *v, char *buf, size_t n)
{
	char inner[96];

	if (v->style.enc == CFE_NONE) {
		if (v->text || cf_kind_is_text(v->kind) || v->kind == CFK_UNKNOWN || v->kind == CFK_BLOB)
			return put(buf, n, snprintf(buf, n, "%.*s", (int)v->text_len, v->text ? v->text : ""));
		plain_text(v, inner, sizeof inner);
		return put(buf, n, snprintf(buf, n, "%s", inner));
	}
	if (v->style.enc == CFE_A || v->style.enc == CFE_B)
		return put(buf, n, snprintf(buf, n, "[%s:%.*s]", enc_tag(v->style.enc), (int)v->text_len, v->text));
	if (v->style.enc == CFE_I || v->style.enc == CFE_TS)
		snprintf(inner, sizeof inner, "%lld", v->i);
	else if (v->style.enc == CFE_F || v->style.enc == CFE_M)
		snprintf(inner, sizeof inner, "%s", v->num);
	else
		datetime_text(v, inner, sizeof inner);
	return put(buf, n, snprintf(buf, n, "[%s:%s]", enc_tag(v->style.enc), inner));
}

int cf_display(const cf_value *v, char *buf, size_t n)
{
	if (v->empty)
		return put(buf, n, snprintf(buf, n, "%s", ""));
	if (v->text)
		return put(buf, n, snprintf(buf, n, "%.*s", (int)v->text_len, v->text));
	if (v->kind == CFK_CHECKBOX)
		return put(buf, n, snprintf(buf, n, "%s", v->i ? "yes" : "no"));
	if (v->style.enc == CFE_I || v->style.enc == CFE_TS || (v->style.enc == CFE_NONE && kind_is_int(v->kind)))
		return put(buf, n, snprintf(buf, n, "%lld", v->i));
	if (v->style.enc == CFE_F || v->style.enc == CFE_M || v->kind == CFK_DECIMAL)
		return put(buf, n, snprintf(buf, n, "%s", v->num));
	/* dates and times: ISO, minutes, seconds only when not :00 */
	char date[16] = "", tm[16] = "";
	bool show_date = v->kind != CFK_TIME && v->style.has_date;
	bool show_time = v->style.has_time && (v->kind != CFK_DATE || !show_date);
	if (show_date)
		snprintf(date, sizeof date, "%04d-%02d-%02d", v->y, v->mo, v->d);
	if (show_time && v->s)
		snprintf(tm, sizeof tm, "%02d:%02d:%02d", v->h, v->mi, v->s);
	else if (show_time && !(v->kind == CFK_DATETIME && show_date && !v->h && !v->mi && !v->style.has_seconds))
		snprintf(tm, sizeof tm, "%02d:%02d", v->h, v->mi);
	return put(buf, n, snprintf(buf, n, "%s%s%s", date, *date && *tm ? " " : "", tm));
}

/* ---- typed input ---------------------------------------------------------- */

static bool word_in(const char *s, const char *const *words)
{
	for (; *words; words++)
		if (!strcasecmp(s, *words))
			return true;
	return false;
}

/* Copy TYPED without surrounding blanks; NULL if too long for BUF. */
static const char *trimmed(const char *typed, char *buf, size_t n, size_t *lead)
{
	const char *p = typed ? typed : "";
	size_t len;

	*lead = 0;
	while (*p == ' ' || *p == '\t') {
		p++;
		(*lead)++;
	}
	len = strlen(p);
	while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
		len--;
	if (len >= n)
		return NULL;
	memcpy(buf, p, len);
	buf[len] = '\0';
	return buf;
}

static int user_checkbox(const char *t, cf_value *v, text_error *err)
{
	static const char *const yes[] = { "yes", "y", "1", "true", "x", "on", "ja", NULL };
	static const char *const no[] = { "no", "n", "0", "false", "off", "", "nei", NULL };

	if (word_in(t, yes))
		v->i = 1;
	else if (word_in(t, no))
		v->i = 0;
	else {
		text_error_set(err, 1, "a checkbox is yes or no (or 1/0, x, true/false)");
		return -1;
	}
	v->empty = false;
	return 0;
}

/* The style a new value of KIND gets: BASE's when it can hold it. */
static void pick_style(cf_kind kind, const cf_value *base, cf_value *v)
{
	cf_enc want = default_enc(kind);

	memset(&v->style, 0, sizeof v->style);
	v->style.enc = want;
	if (kind == CFK_DATE || kind == CFK_DATETIME) {
		v->style.has_date = true;
		v->style.date_form = CFD_MDY;
	}
	if (kind == CFK_DATETIME) {
		v->style.has_time = v->style.has_seconds = true;
		v->style.frac_digits = 7;
	}
	if (kind == CFK_TIME)
		v->style.has_time = true;
	if (base && !base->text && (base->style.enc != CFE_NONE || !base->empty))
		v->style = base->style;
}

int cf_from_user(cf_kind kind, const char *typed, const cf_value *base, cf_value *out, text_error *err)
{
	char buf[256];
	size_t lead;
	const char *t = trimmed(typed, buf, sizeof buf, &lead);
	cf_value v;
	text_error e;

	memset(&v, 0, sizeof v);
	v.kind = kind;
	if (cf_kind_is_text(kind) || kind == CFK_UNKNOWN || kind == CFK_BLOB) {
		as_text(typed ? typed : "", kind, out);
		return 0;
	}
	if (!t) {
		text_error_set(err, 1, "too long");
		return -1;
	}
	pick_style(kind, base, &v);
	if (kind == CFK_CHECKBOX) {
		if (user_checkbox(t, &v, &e) < 0)
			goto fail;
		*out = v;
		return 0;
	}
	if (!*t) {
		memset(&v.style, 0, sizeof v.style);
		v.empty = true;
		*out = v;
		return 0;
	}
	cursor c = { t, t, t + strlen(t), &e };
	if (kind_is_int(kind)) {
		if (!parse_int(&c, &v, INT32_MIN, INT32_MAX))
			goto fail;
	} else if (kind == CFK_DECIMAL) {
		if (!parse_decimal(&c, &v, false))
			goto fail;
		bool whole = !strchr(v.num, '.');
		if (v.style.enc == CFE_I && !whole)
			v.style.enc = CFE_F;    /* [I:] cannot hold 4.75 */
		if (v.style.enc == CFE_I && num_parse(v.num, INT32_MIN, INT32_MAX, &v.i, NULL) < 0)
			v.style.enc = CFE_F;
		if (v.style.enc == CFE_NONE && !base)
			v.style.enc = CFE_F;
	} else {
		cf_style keep = v.style;
		cf_value typed_v = v;
		if (kind == CFK_TIME) {
			if (!parse_time_part(&c, &typed_v) || !at_end(&c, "time"))
				goto fail;
			v.h = typed_v.h;
			v.mi = typed_v.mi;
			v.s = typed_v.s;
			v.frac = typed_v.frac;
			if (!keep.has_date) {
				v.y = v.mo = v.d = 1;
			} else if (base) {
				v.y = base->y;
				v.mo = base->mo;
				v.d = base->d;
			}
			v.style = keep;
			v.style.has_time = true;
			if (!keep.has_seconds && (typed_v.s || typed_v.frac))
				v.style.has_seconds = true;
		} else {
			if (!parse_datetime(&c, &typed_v, false))
				goto fail;
			if (kind == CFK_DATE && typed_v.style.has_time) {
				const char *sp = strpbrk(t, " T");
				text_error_set(&e, text_col(t, sp ? (size_t)(sp - t) : 0),
				               "%s", "a date only, like 2019-06-19 (this field has no time)");
				goto fail;
			}
			v.y = typed_v.y;
			v.mo = typed_v.mo;
			v.d = typed_v.d;
			v.h = typed_v.h;
			v.mi = typed_v.mi;
			v.s = typed_v.s;
			v.frac = typed_v.frac;
			v.style = keep;
			v.style.has_date = true;
			if (kind == CFK_DATETIME && !keep.has_time && base && keep.enc == CFE_DT && typed_v.style.has_time)
				v.style.has_time = true;
			if (v.style.has_time && !v.style.has_seconds && (typed_v.s || typed_v.frac))
				v.style.has_seconds = true;
			if (typed_v.style.frac_digits > v.style.frac_digits && v.style.has_seconds)
				v.style.frac_digits = typed_v.style.frac_digits;
		}
	}
	*out = v;
	return 0;
fail:
	text_error_set(err, e.col ? e.col + (int)lead : 0, "%s", e.msg);
	return -1;
}

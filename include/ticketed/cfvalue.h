/* cfvalue.h — SuperOffice custom field values: the encoded strings of a
 * ticket's CustomFields (a StringDictionary) and the FieldType of
 * GET Ticket/CustomField, decoded to typed values, shown, parsed from what a
 * person types, and encoded back in the style the server used.
 *
 * What the docs say (repository SuperOfficeDocs/superoffice-docs):
 * - docs/en/api/reference/webapi/SuperOffice.WebApi.Data.TicketEntity.yml:
 *   CustomFields "The value string is the encoded value: "[I:123]" or
 *   "[DT:2019-09-11]"".
 * - docs/api/globalization-and-localization/culturedataformatter.md: an
 *   encoded value is [MONIKER:value]; monikers B (binary), D (date,
 *   [D:09.11.2017]), DT ([DT:11/09/2017 14:53:18]), F (double/decimal,
 *   [F:123.4]), I ([I:123]), A (int array, [A:3,4,5]), M (money,
 *   [M:123.45]), T ([T:14:52]), TS (time span, [TS:500]); strings are not
 *   encoded.
 * - docs/api/services/ns-web-services/91-r-3-date-time-changes.md: data is
 *   .ToString(CultureInfo.InvariantInfo); D, DT and T share one encoder,
 *   date "d" (MM/dd/yyyy) + " " + time; D and DT may be mixed for one column.
 * - docs/api/netserver/erp-connectors/api/field-value-formats-and-conventions.md:
 *   EncodeDateTime gives "[DT:12/31/2013 23:59:59.0000000]"; a checkbox
 *   (boolean) is EncodeInt of 1 or 0: "[I:1]" / "[I:0]".
 * - docs/en/api/reference/webapi/SuperOffice.WebApi.Data.CustomFieldType.yml:
 *   the FieldType names and numbers of cf_kind below, with their encodings
 *   ([I:123] for Integer, MdoList, Checkbox, TimeSpan, RelationTo and
 *   Attachment; [D:06/19/2019]; [F:3.14159]; [DT:06/19/2019 14:35:56.00000];
 *   [T:06/19/2019 14:35:56.00000]; plain text for the text kinds).
 * - docs/en/api/reference/restful/rest/Ticket/v1TicketEntity_GetCustomFieldInfoList.md:
 *   FieldType is a string in the JSON.
 * Where they differ (ISO or US or dotted dates, 0 to 7 fraction digits,
 * [T:] with or without a date), every form is read and a value is written
 * back in the form it came in. A new value is written as the encoders write
 * it: [D:MM/dd/yyyy], [DT:MM/dd/yyyy HH:mm:ss.fffffff], [T:HH:mm], [I:n],
 * [F:n]. A typed field whose value arrives without encoding is accepted (the
 * formatter "accepts un-encoded values also") and written back without.
 *
 * Ownership: no cJSON kept; a cf_value's text points into the string it was
 * decoded from (or the typed text), which must outlive it. */
#ifndef TICKETED_CFVALUE_H
#define TICKETED_CFVALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>
#include "ticketed/errmsg.h"

/* CustomFieldType, with the service's numbers. */
typedef enum {
	CFK_UNKNOWN = 0,
	CFK_INTEGER = 1,
	CFK_SHORTTEXT = 2,
	CFK_LONGTEXT = 3,
	CFK_DATE = 4,
	CFK_BLOB = 5,
	CFK_CHECKBOX = 6,
	CFK_MDOLIST = 7,
	CFK_DECIMAL = 8,
	CFK_DATETIME = 9,
	CFK_TIME = 10,
	CFK_TIMESPAN = 11,
	CFK_RELATION = 12,
	CFK_ATTACHMENT = 13,
	CFK_DYNAMICLINK = 14,
	CFK_LISTTEXT = 15
} cf_kind;

/* The moniker a value is written with (CFE_NONE: not encoded). */
typedef enum { CFE_NONE, CFE_I, CFE_F, CFE_M, CFE_D, CFE_DT, CFE_T, CFE_TS, CFE_A, CFE_B } cf_enc;

/* How the date part of a D/DT/T value is written. */
typedef enum {
	CFD_MDY,  /* 06/19/2019 (invariant "d", what the encoder writes) */
	CFD_ISO,  /* 2019-06-19 */
	CFD_DMY   /* 19.06.2019 */
} cf_date_form;

/* Everything needed to write a value back the way it came. */
typedef struct {
	cf_enc enc;
	cf_date_form date_form;
	bool has_date;     /* D/DT/T: a date part (a T may be time only) */
	bool has_time;     /* a time part */
	bool has_seconds;
	bool iso_t;        /* ISO date and time joined by 'T', not ' ' */
	int frac_digits;   /* 0..7 fraction-of-second digits */
} cf_style;

typedef struct {
	cf_kind kind;      /* from the metadata, else from the encoding */
	cf_style style;
	bool empty;        /* no value ("" for a typed field) */
	long long i;       /* I, TS; a checkbox is 0 or 1 */
	char num[48];      /* F, M: the number as written ("4.50" stays "4.50") */
	int y, mo, d, h, mi, s;
	int32_t frac;      /* 100 ns units */
	const char *text;  /* text kinds, A, B: the characters (not NUL-terminated) */
	size_t text_len;
} cf_value;

/* The FieldType of the metadata: a name ("Integer", case-insensitive), or
 * its number (as a JSON number or a string). CFK_UNKNOWN otherwise. */
cf_kind cf_kind_from_name(const char *name);
cf_kind cf_kind_from_json(const cJSON *v);
const char *cf_kind_name(cf_kind k);

/* Whether values of K are plain text (short/long/list text, dynamic link). */
bool cf_kind_is_text(cf_kind k);

/* Decode S (NULL reads as "") for a field of kind EXPECT (CFK_UNKNOWN: no
 * metadata, the encoding decides). A text field takes anything as text; an
 * undecodable value of an untyped field is text too. For a typed field a
 * value that does not fit is an error naming what was expected (column in
 * ERR). 0, or -1. */
int cf_decode(const char *s, cf_kind expect, cf_value *out, text_error *err);

/* Write V in its style into BUF; its length, or -1 if N is too small. */
int cf_encode(const cf_value *v, char *buf, size_t n);

/* V for people: 14, 4.5, 2019-06-19, 2019-06-19 14:35, 14:35, yes/no, the
 * text (not sanitised: the caller's draw does that). Its length, or -1. */
int cf_display(const cf_value *v, char *buf, size_t n);

/* Parse what a person typed into a field of kind KIND: whole numbers for
 * Integer and the id kinds, a decimal with '.' for Decimal, 2019-06-19 or
 * 19.06.2019 [HH:MM[:SS]] for dates, HH:MM[:SS] for Time, yes/no (1/0,
 * true/false, x, on/off) for Checkbox, anything for text. BASE (may be
 * NULL) is the field's current value: its style is kept when it can hold
 * the new value. Blank input is an empty value. 0, or -1 with the reason
 * and its column in ERR ("fifteen" -> column 1). */
int cf_from_user(cf_kind kind, const char *typed, const cf_value *base, cf_value *out, text_error *err);

#endif

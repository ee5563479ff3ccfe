/* mlstring.h — SuperOffice multi-language strings, as list names and custom
 * field labels arrive when no Accept-Language picked one:
 * NO:"Leverandør";US:"Supplier".
 *
 * The grammar, from the SuperOffice docs (SuperOfficeDocs/superoffice-docs:
 * docs/api/globalization-and-localization/culturedataformatter.md shows
 * US:"Legal";NO:"Lovlig"; with a trailing ';', the CRMScript reference for
 * parseSOMultiLanguageString shows US:"..";GE:"..";NO:".." and its language
 * list, docs/en/developer-portal/standard-app/requirements/localization.md
 * writes NO: "Bil", US: "Car"): entries CODE:"TEXT" separated by ';' (or
 * ','), an optional trailing separator, blanks allowed around the tokens.
 * CODE is two upper-case ASCII letters (US, NO, GE, ... — SuperOffice's own
 * codes, not ISO: German is GE). No escaping is documented, so a '"' inside
 * TEXT is part of it unless a separator or the end of the string follows it.
 * Anything else is not multi-language encoded and is shown as it is.
 *
 * Ownership: no cJSON; ml_pick returns a malloc'd string the caller frees;
 * ml_entry texts point into the string parsed. */
#ifndef TICKETED_MLSTRING_H
#define TICKETED_MLSTRING_H

#include <stdbool.h>
#include <stddef.h>

typedef struct {
	char code[3];      /* "US", "NO", ... */
	const char *text;  /* into the parsed string, not NUL-terminated */
	size_t len;
} ml_entry;

/* Parse S into up to MAX entries (V may be NULL when MAX is 0); *N gets how
 * many S has (it may exceed MAX). 0, or -1 if S is not multi-language
 * encoded (V and *N then undefined). */
int ml_parse(const char *s, ml_entry *v, size_t max, size_t *n);

/* Whether S is a multi-language string (at least one entry). */
bool ml_is_encoded(const char *s);

/* The SuperOffice codes to look for, best first, for a language tag as in
 * Accept-Language or a locale ("nb-NO", "nn_NO.UTF-8", "de", "en-GB"):
 * the language's code(s), then the region. Up to MAX codes into CODES;
 * returns how many. 0 for an empty or unusable tag. */
size_t ml_codes_for_tag(const char *tag, char (*codes)[3], size_t max);

/* The text of S for language TAG (NULL: none): the tag's codes, else US or
 * EN, else the first entry. S itself (copied) when not encoded. malloc'd;
 * NULL only when out of memory. */
char *ml_pick(const char *s, const char *tag);

#endif

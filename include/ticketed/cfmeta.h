/* cfmeta.h — the custom field definitions of tickets, as GET
 * Ticket/CustomField answers them (FieldName, DisplayName, FieldType,
 * Description, IsMandatory, IsReadOnly, HideField, Rank, ...; the docs:
 * SuperOfficeDocs/superoffice-docs docs/en/api/reference/restful/rest/
 * Ticket/v1TicketEntity_GetCustomFieldInfoList.md): what the form labels,
 * orders, hides, keeps read-only and types each CustomFields key by.
 *
 * Ownership: a cf_meta owns its strings (cfmeta_free); cfmeta_parse only
 * reads the JSON it is given. */
#ifndef TICKETED_CFMETA_H
#define TICKETED_CFMETA_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>
#include "ticketed/cfvalue.h"

typedef struct {
	char *name;          /* FieldName: "x_affected_users", "SuperOffice:2" */
	char *label;         /* DisplayName in the user's language (the name when it has none) */
	char *description;   /* Description in the user's language, or "" */
	cf_kind kind;        /* FieldType (CFK_UNKNOWN: not one the client knows) */
	bool mandatory, readonly, hidden;
	long rank;
} cf_field;

typedef struct cf_meta {
	cf_field *v;         /* in Rank order (ties: as the service listed them) */
	size_t n;
} cf_meta;

/* Read the answer J (an array of definitions) with the multi-language
 * labels in language LANG (a tag such as "nb-NO"; NULL: US/EN, then the
 * first). Definitions without a FieldName are skipped. 0, or -1 with ERR
 * when J is not an array. */
int cfmeta_parse(const cJSON *j, const char *lang, cf_meta *out, char *err, size_t errlen);
void cfmeta_free(cf_meta *m);

/* The definition of field NAME (case-insensitive), or NULL. M may be NULL. */
const cf_field *cfmeta_find(const cf_meta *m, const char *name);

#endif

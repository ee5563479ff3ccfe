/* cfmeta.c — custom field definitions (cfmeta.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/errmsg.h"
#include "ticketed/cfmeta.h"
#include "ticketed/json.h"
#include "ticketed/mlstring.h"
#include "ticketed/xalloc.h"

static char *text_of(const cJSON *d, const char *member, const char *lang)
{
	const cJSON *v = json_get_ci(d, member);
	return cJSON_IsString(v) ? ml_pick(v->valuestring, lang) : NULL;
}

static long rank_of(const cJSON *d)
{
	const cJSON *r = json_get_ci(d, "Rank");
	return json_is_int32(r) ? (long)r->valuedouble : 0;
}

int cfmeta_parse(const cJSON *j, const char *lang, cf_meta *out, char *err, size_t errlen)
{
	const cJSON *d;
	size_t n = 0;
	out->v = NULL;
	out->n = 0;
	if (!cJSON_IsArray(j)) {
		seterr(err, errlen, "the custom field definitions are not an array");
		return -1;
	}
	out->v = xcalloc((size_t)cJSON_GetArraySize(j) + 1, sizeof *out->v);
	cJSON_ArrayForEach(d, j) {
		const cJSON *name = json_get_ci(d, "FieldName");
		cf_field *f;
		size_t at;
		if (!cJSON_IsString(name) || !name->valuestring[0] || cfmeta_find(out, name->valuestring))
			continue;
		/* insertion by Rank keeps the service's order among equal ranks */
		at = n;
		while (at > 0 && out->v[at - 1].rank > rank_of(d))
			at--;
		memmove(&out->v[at + 1], &out->v[at], (n - at) * sizeof *out->v);
		f = &out->v[at];
		memset(f, 0, sizeof *f);
		f->name = xstrdup(name->valuestring);
		f->label = text_of(d, "DisplayName", lang);
		if (!f->label || !f->label[0]) {
			free(f->label);
			f->label = xstrdup(f->name);
		}
		f->description = text_of(d, "Description", lang);
		if (!f->description)
			f->description = xstrdup("");
		f->kind = cf_kind_from_json(json_get_ci(d, "FieldType"));
		f->mandatory = cJSON_IsTrue(json_get_ci(d, "IsMandatory"));
		f->readonly = cJSON_IsTrue(json_get_ci(d, "IsReadOnly"));
		f->hidden = cJSON_IsTrue(json_get_ci(d, "HideField"));
		f->rank = rank_of(d);
		out->n = ++n;
	}
	return 0;
}

void cfmeta_free(cf_meta *m)
{
	for (size_t i = 0; m && i < m->n; i++) {
		free(m->v[i].name);
		free(m->v[i].label);
		free(m->v[i].description);
	}
	if (m) {
		free(m->v);
		m->v = NULL;
		m->n = 0;
	}
}

const cf_field *cfmeta_find(const cf_meta *m, const char *name)
{
	for (size_t i = 0; m && name && i < m->n; i++)
		if (!strcasecmp(m->v[i].name, name))
			return &m->v[i];
	return NULL;
}

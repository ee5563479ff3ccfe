/* form.c — form rows from the schema table and the model; values as text. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include "ticketed/cfmeta.h"
#include "ticketed/errmsg.h"
#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/values.h"
#include "ticketed/xalloc.h"

static form_row *row_add(form_rows *rows, size_t *cap, row_kind kind, int section)
{
	form_row *r;
	if (rows->n == *cap) {
		*cap = *cap ? *cap * 2 : 64;
		rows->v = xrealloc(rows->v, *cap * sizeof *rows->v);
	}
	r = &rows->v[rows->n++];
	memset(r, 0, sizeof *r);
	r->kind = kind;
	r->section = section;
	return r;
}

/* The row for key C of map field F (scalar values editable if EDITABLE),
 * labelled LABEL (NULL: the key), with HINT for the status line (or NULL). */
static void add_map_key_row(form_rows *rows, size_t *cap, const field_def *f, const cJSON *c,
                            bool editable, const char *label, const char *hint)
{
	form_row *r = row_add(rows, cap, ROW_MAPKEY, f->section);
	r->f = f;
	r->sub = xstrdup(c->string);
	r->label = xstrdup(label ? label : c->string);
	r->hint = hint && *hint ? xstrdup(hint) : NULL;
	r->path = str_join(f->name, "/", c->string);
	r->editable = editable && !cJSON_IsObject(c) && !cJSON_IsArray(c);
}

/* The member of B or V named NAME (case-insensitive), V's first. */
static const cJSON *either(const cJSON *b, const cJSON *v, const char *name)
{
	const cJSON *c = v ? json_get_ci(v, name) : NULL;
	return c ? c : b ? json_get_ci(b, name) : NULL;
}

/* Rows for the keys of a map field. With custom field definitions (the
 * model's cf): the defined fields in Rank order, labelled by DisplayName,
 * hidden ones (HideField) left out, read-only ones (IsReadOnly) not
 * editable, the Description as the row's hint; then any other key. Keys as
 * they come otherwise: base keys in order, then keys only the edited value
 * has. */
static void add_map_rows(form_rows *rows, size_t *cap, const model *m, const field_def *f)
{
	const cJSON *b = model_base(m, f), *v = model_value(m, f), *c;
	bool editable = schema_field_editable(m->base, f), any = false;
	const cf_meta *cf = f->kind == FK_MAP ? m->cf : NULL;
	form_row *r;
	if (!cJSON_IsObject(b))  /* a server's array or scalar has no keys (members without names) */
		b = NULL;
	if (!cJSON_IsObject(v))
		v = NULL;
	for (size_t i = 0; cf && i < cf->n; i++) {
		const cf_field *d = &cf->v[i];
		const cJSON *kc = b ? json_get_ci(b, d->name) : NULL;
		if (!kc)
			kc = either(b, v, d->name);
		if (!kc || d->hidden)
			continue;
		add_map_key_row(rows, cap, f, kc, editable && !d->readonly, d->label, d->description);
		any = true;
	}
	cJSON_ArrayForEach(c, b) {
		if (cfmeta_find(cf, c->string))
			continue;
		add_map_key_row(rows, cap, f, c, editable, NULL, NULL);
		any = true;
	}
	cJSON_ArrayForEach(c, v) {
		if ((b && model_map_base(m, f, c->string)) || cfmeta_find(cf, c->string))
			continue;
		add_map_key_row(rows, cap, f, c, editable, NULL, NULL);
		any = true;
	}
	if (!any) {
		r = row_add(rows, cap, ROW_NOTE, f->section);
		r->label = xstrdup(f->label);
		r->path = xstrdup(f->name);
	}
}

/* The newest messages, from the model's summary of the base (computed once
 * per base: a rebuild never walks the messages). */
static void add_message_rows(form_rows *rows, size_t *cap, const model *m, const field_def *f)
{
	const model_messages *ms = model_base_messages(m);
	for (int k = 0; k < ms->n; k++) {
		form_row *r = row_add(rows, cap, ROW_MESSAGE, f->section);
		const cJSON *id = json_get_ci(ms->msg[k], "TicketMessageId");
		char lab[64];
		if (cJSON_IsNumber(id))
			snprintf(lab, sizeof lab, "  #%.0f", id->valuedouble);
		else
			snprintf(lab, sizeof lab, "  #%d", ms->index[k] + 1);
		r->f = f;
		r->index = ms->index[k];
		r->label = xstrdup(lab);
		snprintf(lab, sizeof lab, "Messages/%d", ms->index[k]);
		r->path = xstrdup(lab);
	}
}

static void add_field_rows(form_rows *rows, size_t *cap, const model *m, const field_def *f)
{
	form_row *r;
	if (f->kind == FK_MAP) {
		add_map_rows(rows, cap, m, f);
		return;
	}
	r = row_add(rows, cap, ROW_FIELD, f->section);
	r->f = f;
	r->label = xstrdup(f->label);
	r->path = xstrdup(f->name);
	r->editable = f->kind != FK_READONLY && schema_field_editable(m->base, f);
	if (!strcasecmp(f->name, "Messages"))
		add_message_rows(rows, cap, m, f);
}

static void add_unknown_rows(form_rows *rows, size_t *cap, const model *m)
{
	const cJSON *c;
	cJSON_ArrayForEach(c, m->base) {
		form_row *r;
		if (!c->string || schema_find(c->string))
			continue;
		r = row_add(rows, cap, ROW_UNKNOWN, SEC_SYSTEM);
		r->sub = xstrdup(c->string);
		r->label = xstrdup(c->string);
		r->path = xstrdup(c->string);
	}
}

void form_build(form_rows *rows, const model *m)
{
	size_t cap = 0, i;
	int s;
	rows->v = NULL;
	rows->n = 0;
	for (s = 0; s < SEC_COUNT; s++) {
		form_row *h = row_add(rows, &cap, ROW_SECTION, s);
		h->label = xstrdup(schema_section_names[s]);
		h->path = xstrdup("");
		for (i = 0; i < schema_nfields; i++)
			if ((int)schema_fields[i].section == s)
				add_field_rows(rows, &cap, m, &schema_fields[i]);
		if (s == SEC_SYSTEM)
			add_unknown_rows(rows, &cap, m);
	}
}

void form_rows_free(form_rows *rows)
{
	size_t i;
	for (i = 0; i < rows->n; i++) {
		free(rows->v[i].sub);
		free(rows->v[i].hint);
		free(rows->v[i].label);
		free(rows->v[i].path);
	}
	free(rows->v);
	rows->v = NULL;
	rows->n = 0;
}

char *form_json_text(const cJSON *v)
{
	char *s;
	if (!v || cJSON_IsNull(v))
		return xstrdup("");
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring ? v->valuestring : "");
	s = json_print(v, false);
	return s ? s : xstrdup("?");
}

static char *message_text(const cJSON *msg)
{
	const cJSON *t = json_get_ci(msg, "CreatedAt"), *a = json_get_ci(msg, "Author");
	const cJSON *s = json_get_ci(msg, "Slevel");
	char *ts = value_date_show(cJSON_IsString(t) ? t->valuestring : NULL), *as = form_json_text(a);
	char *ss = form_json_text(s), *out;
	size_t n = strlen(ts) + strlen(as) + strlen(ss) + 8;
	out = xmalloc(n);
	snprintf(out, n, "%s  %s%s%s%s", ts, as, ss[0] ? " [" : "", ss, ss[0] ? "]" : "");
	free(ts);
	free(as);
	free(ss);
	return out;
}

static char *readonly_text(const model *m, const field_def *f, const cJSON *v)
{
	char buf[64];
	if (f->key && cJSON_IsObject(v))
		return value_text(f, v, NULL, NULL);
	if ((cJSON_IsArray(v) || cJSON_IsRaw(v)) && !strcasecmp(f->name, "Messages")) {
		int n = model_base_messages(m)->total;
		if (n > FORM_MESSAGES_SHOWN)
			snprintf(buf, sizeof buf, "%d messages, the %d newest below", n, FORM_MESSAGES_SHOWN);
		else
			snprintf(buf, sizeof buf, "%d message%s", n, n == 1 ? "" : "s");
		return xstrdup(buf);
	}
	if (cJSON_IsString(v))  /* a date reads as one */
		return value_text(f, v, NULL, NULL);
	return form_json_text(v);
}

char *form_row_text(const model *m, const form_row *r, const cJSON *lists)
{
	const cJSON *v;
	switch (r->kind) {
	case ROW_SECTION:
		return xstrdup("");
	case ROW_NOTE:
		return xstrdup("(none)");
	case ROW_UNKNOWN:
		return form_json_text(json_get(m->base, r->sub));
	case ROW_MAPKEY:
		v = model_map_value(m, r->f, r->sub);
		return v ? value_custom_text(m, r->sub, v) : xstrdup("(removed)");
	case ROW_MESSAGE: {
		const model_messages *ms = model_base_messages(m);
		for (int k = 0; k < ms->n; k++)
			if (ms->index[k] == r->index)
				return message_text(ms->msg[k]);
		return message_text(NULL);
	}
	case ROW_FIELD:
		break;
	}
	v = model_value(m, r->f);
	switch (r->f->kind) {
	case FK_REF:
	case FK_REFSET:
	case FK_DATE: return value_text(r->f, v, lists, NULL);
	case FK_READONLY: return readonly_text(m, r->f, v);
	default: return form_json_text(v);
	}
}

bool form_row_modified(const model *m, const form_row *r)
{
	if (r->kind == ROW_FIELD)
		return model_is_modified(m, r->f);
	if (r->kind == ROW_MAPKEY)
		return model_map_modified(m, r->f, r->sub);
	return false;
}

long form_find_path(const form_rows *rows, const char *path)
{
	size_t i;
	for (i = 0; i < rows->n; i++)
		if (rows->v[i].kind != ROW_SECTION && !strcasecmp(rows->v[i].path, path))
			return (long)i;
	for (i = 0; i < rows->n; i++)  /* also by label ("Owner") */
		if (rows->v[i].kind != ROW_SECTION && !strcasecmp(rows->v[i].label, path))
			return (long)i;
	return -1;
}

/* Match quality of row R for NEEDLE: 3 exact label or path, 2 prefix,
 * 1 substring, 0 none. */
static int find_score(const form_row *r, const char *needle)
{
	size_t n = strlen(needle);
	if (r->kind == ROW_SECTION || r->kind == ROW_NOTE)
		return 0;
	if (!strcasecmp(r->label, needle) || !strcasecmp(r->path, needle))
		return 3;
	if (!strncasecmp(r->label, needle, n) || !strncasecmp(r->path, needle, n))
		return 2;
	return strcasestr(r->label, needle) || strcasestr(r->path, needle) ? 1 : 0;
}

long form_find_label(const form_rows *rows, size_t from, const char *needle)
{
	size_t k;
	int want;
	if (!rows->n)
		return -1;
	for (want = 3; want >= 1; want--)
		for (k = 0; k < rows->n; k++) {
			size_t i = (from + k) % rows->n;
			if (find_score(&rows->v[i], needle) == want)
				return (long)i;
		}
	return -1;
}

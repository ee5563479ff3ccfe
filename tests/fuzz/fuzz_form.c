/* fuzz_form.c — server JSON into the form model: json_parse, model_init,
 * the form rows (form.h) and every row's text through text_sanitize, as
 * the editor draws them.
 * Properties: no crash on any ticket object; every label and value, once
 * sanitised (full width and cut to 40 columns), is valid UTF-8 without a
 * raw control byte (C0, DEL, C1); a cut never exceeds its columns; drawing
 * never changes the data (the base document is unchanged); with no edits
 * the patch is empty; an edit of the first editable string field gives a
 * patch that applies to the base (PATCH_SERVICE) and yields exactly it.
 * An input that is not an object is tried as the value of every schema
 * field in turn (the server sending a field with the wrong type). */
#include <locale.h>

#include "fuzz.h"
#include "ticketed/form.h"
#include "ticketed/model.h"
#include "ticketed/patch.h"
#include "ticketed/text.h"

static void check_shown(const char *s, const char *what)
{
	char *full = text_sanitize(s, -1), *cut = text_sanitize(s, 40);

	FUZZ_CHECK(full && cut, "out of memory");
	for (int k = 0; k < 2; k++) {
		const unsigned char *p = (const unsigned char *)(k ? cut : full);
		size_t len = strlen((const char *)p);
		FUZZ_CHECK(utf8_valid((const char *)p, len), "%s: invalid UTF-8 shown", what);
		for (size_t i = 0; i < len; i++) {
			FUZZ_CHECK(p[i] >= 0x20 && p[i] != 0x7f, "%s: raw byte \\x%02X shown", what, p[i]);
			FUZZ_CHECK(!(p[i] == 0xc2 && i + 1 < len && p[i + 1] >= 0x80 && p[i + 1] <= 0x9f),
			           "%s: raw C1 control shown", what);
		}
	}
	FUZZ_CHECK(text_width(cut) <= 40, "%s: cut to 40 columns is %d wide", what, text_width(cut));
	free(full);
	free(cut);
}

/* Top-level members that differ only by case make "the field's value"
 * ambiguous for the edit property; such inputs skip it. */
static bool members_distinct_ci(const cJSON *o)
{
	for (const cJSON *a = o->child; a; a = a->next)
		for (const cJSON *b = a->next; b; b = b->next)
			if (a->string && b->string && strcasecmp(a->string, b->string) == 0)
				return false;
	return true;
}

static void check_edit(model *m)
{
	const field_def *f = NULL;
	cJSON *patch, *doc;
	patch_error pe;

	for (size_t i = 0; i < schema_nfields && !f; i++)
		if (schema_fields[i].kind == FK_STRING && schema_field_editable(m->base, &schema_fields[i]))
			f = &schema_fields[i];
	if (!f || !members_distinct_ci(m->base))
		return;
	model_set(m, f, cJSON_CreateString("fuzz \xe2\x9c\x93 edit"));
	for (int mode = 0; mode < 2; mode++) {
		patch = model_patch(m, mode ? DIFF_NONE : DIFF_FIELDS);
		doc = cJSON_Duplicate(m->base, 1);
		FUZZ_CHECK(patch && doc, "out of memory");
		FUZZ_CHECK(patch_apply(&doc, patch, PATCH_SERVICE, &pe) == PATCH_OK,
		           "the patch for %s does not apply to its base: %s", f->name, pe.msg);
		const cJSON *v = json_get_ci(doc, f->name);
		FUZZ_CHECK(cJSON_IsString(v) && strcmp(v->valuestring, "fuzz \xe2\x9c\x93 edit") == 0,
		           "%s after the patch is not the edit", f->name);
		cJSON_Delete(doc);
		cJSON_Delete(patch);
	}
}

/* The whole pipeline on ticket J (taken). */
static void check_ticket(cJSON *j)
{
	cJSON *copy;
	model m;
	form_rows rows;

	copy = cJSON_Duplicate(j, 1);
	model_init(&m, j);
	form_build(&rows, &m);
	for (size_t i = 0; i < rows.n; i++) {
		char *t = form_row_text(&m, &rows.v[i], NULL);
		FUZZ_CHECK(rows.v[i].label, "row %zu has no label", i);
		check_shown(rows.v[i].label, "label");
		if (t)
			check_shown(t, rows.v[i].label);
		free(t);
		(void)form_row_modified(&m, &rows.v[i]);
	}
	FUZZ_CHECK(json_equal(m.base, copy), "building the form changed the data");
	cJSON *patch = model_patch(&m, DIFF_FIELDS);
	FUZZ_CHECK(cJSON_IsArray(patch) && cJSON_GetArraySize(patch) == 0, "a patch without edits");
	cJSON_Delete(patch);
	form_rows_free(&rows);
	check_edit(&m);
	model_free(&m);
	cJSON_Delete(copy);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool init;
	char err[256];
	cJSON *j;

	if (!init) {
		setlocale(LC_ALL, "C.UTF-8");
		init = true;
	}
	j = json_parse((const char *)data, size, "fuzz", err, sizeof err);
	if (!j || (!getenv("FUZZ_RAW_JSON") && !fuzz_json_sane(j))) {
		cJSON_Delete(j);
		return 0;
	}
	if (cJSON_IsObject(j)) {
		check_ticket(j);
		return 0;
	}
	/* Any other value: as the value of every schema field in turn (a server
	 * sending the wrong type for a field). */
	for (size_t i = 0; i < schema_nfields; i++) {
		cJSON *t = cJSON_CreateObject();
		cJSON_AddNumberToObject(t, "TicketId", 900);
		cJSON_AddItemToObject(t, schema_fields[i].name, cJSON_Duplicate(j, 1));
		check_ticket(t);
	}
	cJSON_Delete(j);
	return 0;
}

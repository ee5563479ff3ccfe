/* test_app_form.c — the form shows every field of the schema: one
 * row per schema field, with its label, under its section's heading, in
 * schema order; a row per CustomFields key; also for a ticket that lacks most
 * members. The first editable row is the Title (where the cursor starts). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ticketed/form.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"

static cJSON *load(const char *path)
{
	char err[256], full[1024];
	const char *top = getenv("TOP");
	FILE *f;
	char *buf;
	long n;
	cJSON *j;
	snprintf(full, sizeof full, "%s/%s", top ? top : ".", path);
	f = fopen(full, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	j = json_parse(buf, (size_t)n, full, err, sizeof err);
	free(buf);
	assert_non_null(j);
	return j;
}

/* Every schema field has its row, under its own section heading, in order. */
static void assert_every_field(const form_rows *r)
{
	long last = -1;
	for (size_t i = 0; i < schema_nfields; i++) {
		const field_def *f = &schema_fields[i];
		long at;
		if (f->kind == FK_MAP)
			continue;
		at = form_find_path(r, f->name);
		if (at < 0)
			fail_msg("no row for schema field %s", f->name);
		assert_int_equal(r->v[at].kind, ROW_FIELD);
		assert_ptr_equal(r->v[at].f, f);
		assert_string_equal(r->v[at].label, f->label);
		assert_int_equal(r->v[at].section, (int)f->section);
		for (long k = at; k >= 0; k--)  /* the nearest heading above is its section's */
			if (r->v[k].kind == ROW_SECTION) {
				assert_string_equal(r->v[k].label, schema_section_names[f->section]);
				break;
			}
		if (i > 0 && schema_fields[i - 1].section == f->section && schema_fields[i - 1].kind != FK_MAP)
			assert_true(at > last);
		last = at;
	}
}

static long first_editable(const form_rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		if (r->v[i].editable)
			return (long)i;
	return -1;
}

static void test_demo_ticket(void **state)
{
	model m;
	form_rows r;
	const cJSON *cf, *c;
	(void)state;
	model_init(&m, load("tests/data/service/tickets/900.json"));
	form_build(&r, &m);
	assert_every_field(&r);
	cf = json_get_ci(m.base, "CustomFields");
	assert_true(cJSON_IsObject(cf));
	cJSON_ArrayForEach(c, cf) {
		char path[256];
		long at;
		snprintf(path, sizeof path, "CustomFields/%s", c->string);
		at = form_find_path(&r, path);
		if (at < 0)
			fail_msg("no row for %s", path);
		assert_int_equal(r.v[at].kind, ROW_MAPKEY);
	}
	assert_string_equal(r.v[first_editable(&r)].path, "Title");
	assert_false(r.v[form_find_path(&r, "TicketId")].editable);
	form_rows_free(&r);
	model_free(&m);
}

static void test_sparse_ticket(void **state)
{
	char err[128];
	model m;
	form_rows r;
	(void)state;
	model_init(&m, json_parse("{\"TicketId\":1}", 14, "t", err, sizeof err));
	form_build(&r, &m);
	assert_every_field(&r);
	assert_string_equal(r.v[first_editable(&r)].path, "Title");
	form_rows_free(&r);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_ticket),
		cmocka_unit_test(test_sparse_ticket),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

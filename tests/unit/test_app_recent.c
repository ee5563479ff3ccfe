/* test_app_recent.c — the recent tickets file: newest first, one line per
 * (URL, id), cut to RECENT_MAX, mode 0600, hostile titles escaped (no tab or
 * newline ever written), malformed lines skipped, no credential from the URL,
 * a planted symlink never followed. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ticketed/recent.h"
#include "testutil.h"

#define URL "http://127.0.0.1:8080/api/v1"

static char g_root[256];
static char g_file[512];

static int setup(void **state)
{
	(void)state;
	snprintf(g_root, sizeof g_root, "/tmp/ticketed-recent-test.XXXXXX");
	if (!mkdtemp(g_root))
		return -1;
	setenv("XDG_STATE_HOME", g_root, 1);
	snprintf(g_file, sizeof g_file, "%s/ticketed/recent", g_root);
	umask(022);
	return 0;
}

static int teardown(void **state)
{
	char cmd[600];
	(void)state;
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", g_root);
	return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	assert_non_null(f);
	assert_true(fread(buf, 1, 65535, f) < 65535);
	fclose(f);
	return buf;
}

static void test_order_and_dedupe(void **state)
{
	recent_entry *v;
	size_t n;
	char err[512], path[600];
	struct stat st;
	(void)state;
	assert_int_equal(recent_read(&v, &n, err, sizeof err), 0);  /* no file yet: nothing */
	assert_int_equal(n, 0);
	assert_int_equal(recent_add(URL, 900, "VPN drops", 1000, err, sizeof err), 0);
	assert_int_equal(recent_add(URL, 4711, "Printer", 1001, err, sizeof err), 0);
	assert_int_equal(recent_add("HTTP://Other.example/api/v1/", 900, "Elsewhere", 1002, err, sizeof err), 0);
	assert_int_equal(recent_add(URL, 900, "VPN drops (renamed)", 1003, err, sizeof err), 0);
	assert_int_equal(recent_read(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].id, 900);
	assert_string_equal(v[0].title, "VPN drops (renamed)");
	assert_int_equal((long)v[0].when, 1003);
	assert_string_equal(v[0].url, URL);
	assert_int_equal(v[1].id, 900);
	assert_string_equal(v[1].url, "http://other.example/api/v1");  /* normalised as the drafts key it */
	assert_int_equal(v[2].id, 4711);
	recent_free(v, n);
	assert_int_equal(stat(g_file, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	assert_int_equal(recent_path(path, sizeof path, false, err, sizeof err), 0);
	assert_string_equal(path, g_file);
}

static void test_cut_to_max(void **state)
{
	recent_entry *v;
	size_t n;
	char err[512];
	(void)state;
	for (long i = 1; i <= RECENT_MAX + 7; i++)
		assert_int_equal(recent_add(URL, i, "t", (time_t)i, err, sizeof err), 0);
	assert_int_equal(recent_read(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, RECENT_MAX);
	assert_int_equal(v[0].id, RECENT_MAX + 7);
	assert_int_equal(v[RECENT_MAX - 1].id, 8);
	recent_free(v, n);
}

static void test_hostile_text(void **state)
{
	recent_entry *v;
	size_t n;
	char err[512], *text, *longt;
	(void)state;
	assert_int_equal(recent_add("http://bob:secret@host/api/v1", 666,
	                            "Urgent\x1b[2J\tinvoice\r\nOVERWRITTEN \xc2\x9b" "31m \xe2\x80\xae" "exe\xff", 5,
	                            err, sizeof err), 0);
	text = slurp(g_file);
	assert_null(strstr(text, "secret"));           /* no credential from the URL */
	assert_null(strchr(text, 0x1b));
	assert_non_null(strstr(text, "666\t5\thttp://host/api/v1\tUrgent^[[2J\\tinvoice\\r\\nOVERWRITTEN \\x9B31m "
	                             "<U+202E>exe\\xFF\n"));
	free(text);
	longt = malloc(1000);
	memset(longt, 'a', 999);
	longt[999] = '\0';
	memcpy(longt + RECENT_TITLE_MAX - 1, "\xc3\xb8", 2);  /* a character across the cut */
	assert_int_equal(recent_add(URL, 7, longt, 6, err, sizeof err), 0);
	free(longt);
	assert_int_equal(recent_read(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_true(strlen(v[0].title) <= RECENT_TITLE_MAX);
	assert_int_equal(strlen(v[0].title), RECENT_TITLE_MAX - 1);  /* cut before the ø, not in it */
	recent_free(v, n);
	/* a URL that is not one */
	assert_int_equal(recent_add("", 8, "x", 7, err, sizeof err), -1);
}

static void test_malformed_lines(void **state)
{
	recent_entry *v;
	size_t n;
	char err[512];
	(void)state;
	assert_int_equal(recent_add(URL, 1, "one", 1, err, sizeof err), 0);  /* creates the directory */
	tu_write_file(g_file, "900\t10\t" URL "\tgood\n"
	                      "garbage line\n"
	                      "0\t10\t" URL "\tbad id\n"
	                      "12x\t10\t" URL "\tbad id\n"
	                      "901\t-1\t" URL "\tbad time\n"
	                      "902\t10\t\tno url\n"
	                      "903\t10\thttp://h\x1b[2J/api/v1\tescape in the url\n"
	                      "904\t10\t" URL "\tan \x1b[31m escape in the title\n"
	                      "905\t10\t" URL "\n");
	assert_int_equal(recent_read(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, 900);
	assert_int_equal(v[1].id, 904);
	assert_string_equal(v[1].title, "an ^[[31m escape in the title");
	recent_free(v, n);
}

static void test_symlink_refused(void **state)
{
	recent_entry *v;
	size_t n;
	char err[512], target[600];
	FILE *f;
	(void)state;
	assert_int_equal(recent_add(URL, 1, "one", 1, err, sizeof err), 0);
	unlink(g_file);
	snprintf(target, sizeof target, "%s/elsewhere", g_root);
	f = fopen(target, "w");
	fputs("precious\n", f);
	fclose(f);
	assert_int_equal(symlink(target, g_file), 0);
	assert_int_equal(recent_read(&v, &n, err, sizeof err), -1);  /* not read through */
	assert_non_null(strstr(err, g_file));
	/* adding fails (the old file cannot be read) and the target is untouched */
	assert_int_equal(recent_add(URL, 2, "two", 2, err, sizeof err), -1);
	{
		char *text = slurp(target);
		assert_string_equal(text, "precious\n");
		free(text);
	}
}

static void test_unsafe_directory(void **state)
{
	char err[512], dir[600];
	recent_entry *v;
	size_t n;
	(void)state;
	snprintf(dir, sizeof dir, "%s/ticketed", g_root);
	assert_int_equal(mkdir(dir, 0777), 0);
	assert_int_equal(chmod(dir, 0777), 0);
	assert_int_equal(recent_add(URL, 1, "one", 1, err, sizeof err), -1);
	assert_non_null(strstr(err, "ticketed"));
	assert_int_equal(recent_read(&v, &n, err, sizeof err), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_order_and_dedupe, setup, teardown),
		cmocka_unit_test_setup_teardown(test_cut_to_max, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hostile_text, setup, teardown),
		cmocka_unit_test_setup_teardown(test_malformed_lines, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_directory, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

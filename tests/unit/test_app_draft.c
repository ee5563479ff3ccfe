/* test_app_draft.c — drafts on disk: round trip, atomic replace, modes,
 * unsafe directories refused, corrupt files reported, keys, no secrets. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ticketed/draft.h"
#include "ticketed/json.h"
#include "ticketed/model.h"
#include "ticketed/schema.h"
#include "testutil.h"

#define URL "http://127.0.0.1:8080/api/v1"

static char g_root[256];   /* XDG_STATE_HOME of the test */
static char g_dir[512];    /* .../ticketed/drafts */

static int setup(void **state)
{
	(void)state;
	snprintf(g_root, sizeof g_root, "/tmp/ticketed-draft-test.XXXXXX");
	if (!mkdtemp(g_root))
		return -1;
	setenv("XDG_STATE_HOME", g_root, 1);
	snprintf(g_dir, sizeof g_dir, "%s/ticketed/drafts", g_root);
	umask(022);
	return 0;
}

static int teardown(void **state)
{
	char cmd[1024];

	(void)state;
	snprintf(cmd, sizeof cmd, "chmod -R u+rwx '%s'; rm -rf '%s'", g_root, g_root);
	return system(cmd) == 0 ? 0 : -1;
}

static cJSON *ticket(const char *title)
{
	cJSON *t = tu_parse("{\"TicketId\":900,\"LastChanged\":\"2024-01-02T03:04:05\","
			    "\"Priority\":{\"TicketPriorityId\":2,\"Name\":\"High\"},"
			    "\"CustomFields\":{\"x_a\":1}}");
	cJSON_AddStringToObject(t, "Title", title);
	return t;
}

static cJSON *edits_title(const char *base, const char *value)
{
	cJSON *a = cJSON_CreateArray(), *e = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "field", "Title");
	cJSON_AddStringToObject(e, "base", base);
	cJSON_AddStringToObject(e, "value", value);
	cJSON_AddItemToArray(a, e);
	return a;
}

static void write_ok(const char *url, long id, const cJSON *base, const cJSON *edits)
{
	char err[512] = "";
	if (draft_write(url, id, base, edits, err, sizeof err) != 0)
		fail_msg("draft_write: %s", err);
}

/* Names in the drafts directory, sorted, ' '-joined. */
static void dir_names(char *out, size_t n)
{
	struct dirent **v;
	int k = scandir(g_dir, &v, NULL, alphasort);

	out[0] = '\0';
	if (k < 0 && access(g_dir, F_OK) != 0)
		return;
	assert_true(k >= 0);
	for (int i = 0; i < k; i++) {
		if (strcmp(v[i]->d_name, ".") && strcmp(v[i]->d_name, ".."))
			snprintf(out + strlen(out), n - strlen(out), "%s%s", out[0] ? " " : "", v[i]->d_name);
		free(v[i]);
	}
	free(v);
}

static int count_files(void)
{
	char names[4096];
	int k = 0;

	dir_names(names, sizeof names);
	for (char *p = names; *p; p++)
		k += *p == ' ';
	return names[0] ? k + 1 : 0;
}

/* The full path of the (single) base file in the drafts directory. */
static void base_file(char *out, size_t n)
{
	char names[2048];

	dir_names(names, sizeof names);
	char *b = strstr(names, ".base-");
	assert_non_null(b);
	while (b > names && b[-1] != ' ')
		b--;
	b[strcspn(b, " ")] = '\0';
	snprintf(out, n, "%s/%s", g_dir, b);
}

static const char *jstr_or(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);
	return cJSON_IsString(v) ? v->valuestring : "";
}

static void path_of(char *out, size_t n, const char *url, long id, const char *suffix)
{
	char key[DRAFT_KEY_MAX];
	assert_int_equal(draft_key(url, id, key, sizeof key), 0);
	snprintf(out, n, "%s/%s%s", g_dir, key, suffix);
}

static void test_round_trip(void **state)
{
	cJSON *base = ticket("Printer \xc3\xa9 broken"), *edits = edits_title("Printer \xc3\xa9 broken", "On fire");
	cJSON *rb = NULL, *re = NULL;
	char when[32] = "", err[512] = "";

	(void)state;
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	assert_int_equal(draft_read(URL, 900, &rb, &re, when, sizeof when, err, sizeof err), 0);
	assert_int_equal(access(g_dir, F_OK), -1); /* reading creates nothing */
	write_ok(URL, 900, base, edits);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 1);
	assert_int_equal(draft_read(URL, 900, &rb, &re, when, sizeof when, err, sizeof err), 1);
	assert_true(json_equal(base, rb));
	assert_true(json_equal(edits, re));
	assert_int_equal(strlen(when), 20);
	assert_int_equal(when[10], 'T');
	assert_int_equal(when[19], 'Z');
	cJSON_Delete(rb);
	cJSON_Delete(re);
	assert_int_equal(draft_discard(URL, 900, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	assert_int_equal(draft_discard(URL, 900, err, sizeof err), 0);
	assert_int_equal(count_files(), 0);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_empty_edits_remove(void **state)
{
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *none = cJSON_CreateArray();
	char err[512] = "";

	(void)state;
	write_ok(URL, 900, base, edits);
	assert_int_equal(count_files(), 2);
	write_ok(URL, 900, base, none);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	assert_int_equal(count_files(), 0);
	cJSON_Delete(base);
	cJSON_Delete(edits);
	cJSON_Delete(none);
}

static void test_atomic_replace_no_temp(void **state)
{
	cJSON *b1 = ticket("one"), *b2 = ticket("two"), *e1 = edits_title("one", "x"), *e2 = edits_title("two", "y");
	cJSON *rb, *re;
	char base1[PATH_MAX + 64], names[4096], err[512];
	struct stat st1, st2;

	(void)state;
	write_ok(URL, 900, b1, e1);
	dir_names(names, sizeof names);
	assert_int_equal(count_files(), 2);
	assert_true(names[0] != '.' && !strstr(names, " ."));
	/* Base file name: the journal's base_file. */
	char key[DRAFT_KEY_MAX];
	draft_key(URL, 900, key, sizeof key);
	assert_non_null(strstr(names, key));
	base_file(base1, sizeof base1);
	assert_int_equal(stat(base1, &st1), 0);
	/* Another edit on the same base rewrites only the journal. */
	write_ok(URL, 900, b1, e2);
	assert_int_equal(stat(base1, &st2), 0);
	assert_int_equal(st1.st_ino, st2.st_ino);
	assert_int_equal(count_files(), 2);
	/* A new base replaces the old base file, and still no temp files. */
	write_ok(URL, 900, b2, e2);
	assert_int_equal(access(base1, F_OK), -1);
	assert_int_equal(count_files(), 2);
	dir_names(names, sizeof names);
	assert_null(strstr(names, "tmp"));
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_true(json_equal(rb, b2));
	assert_true(json_equal(re, e2));
	cJSON_Delete(rb);
	cJSON_Delete(re);
	cJSON_Delete(b1);
	cJSON_Delete(b2);
	cJSON_Delete(e1);
	cJSON_Delete(e2);
}

static void test_modes(void **state)
{
	cJSON *base = ticket("T"), *edits = edits_title("T", "U");
	char path[2 * PATH_MAX], parent[PATH_MAX + 16], names[4096];
	struct stat st;

	(void)state;
	umask(0); /* modes must not depend on the umask */
	snprintf(g_root + strlen(g_root), sizeof g_root - strlen(g_root), "/new/state");
	setenv("XDG_STATE_HOME", g_root, 1);
	snprintf(g_dir, sizeof g_dir, "%s/ticketed/drafts", g_root);
	write_ok(URL, 900, base, edits);
	assert_int_equal(stat(g_dir, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	snprintf(parent, sizeof parent, "%s/ticketed", g_root);
	assert_int_equal(stat(parent, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	assert_int_equal(stat(g_root, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0700);
	dir_names(names, sizeof names);
	for (char *name = strtok(names, " "); name; name = strtok(NULL, " ")) {
		snprintf(path, sizeof path, "%s/%s", g_dir, name);
		assert_int_equal(lstat(path, &st), 0);
		assert_true(S_ISREG(st.st_mode));
		assert_int_equal(st.st_mode & 07777, 0600);
	}
	/* A journal replaced by a later edit keeps 0600. */
	write_ok(URL, 900, base, edits);
	path_of(path, sizeof path, URL, 900, ".json");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 07777, 0600);
	umask(022);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void expect_refused(const char *what, const char *fix)
{
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *rb, *re;
	draft_info *v;
	size_t n;
	char err[1024] = "";

	assert_int_equal(draft_write(URL, 900, base, edits, err, sizeof err), -1);
	if (!strstr(err, what) || !strstr(err, fix))
		fail_msg("error does not name %s and %s: %s", what, fix, err);
	err[0] = '\0';
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, what));
	assert_int_equal(draft_list(&v, &n, err, sizeof err), -1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), -1);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_unsafe_dir_refused(void **state)
{
	char parent[PATH_MAX + 16];

	(void)state;
	snprintf(parent, sizeof parent, "%s/ticketed", g_root);
	assert_int_equal(mkdir(parent, 0700), 0);
	assert_int_equal(mkdir(g_dir, 0700), 0);
	assert_int_equal(chmod(g_dir, 0755), 0);   /* others may read drafts */
	expect_refused(g_dir, "chmod 700");
	assert_int_equal(chmod(g_dir, 0730), 0);   /* group may write */
	expect_refused(g_dir, "chmod 700");
	assert_int_equal(chmod(g_dir, 0700), 0);
	assert_int_equal(chmod(parent, 0777), 0);  /* drafts/ could be swapped */
	expect_refused(parent, "chmod go-w");
	assert_int_equal(chmod(parent, 0755), 0);  /* readable parent is fine */
	cJSON *base = ticket("T"), *edits = edits_title("T", "U");
	write_ok(URL, 900, base, edits);
	cJSON_Delete(base);
	cJSON_Delete(edits);
	/* A file where the directory should be. */
	char cmd[3 * PATH_MAX + 64];
	snprintf(cmd, sizeof cmd, "rm -rf '%s' && touch '%s'", g_dir, g_dir);
	assert_int_equal(system(cmd), 0);
	char err[1024] = "";
	assert_int_equal(draft_dir(NULL, 0, false, err, sizeof err), -1);
	assert_non_null(strstr(err, g_dir));
	if (geteuid() == 0) { /* as root: a directory owned by someone else */
		snprintf(cmd, sizeof cmd, "rm -f '%s' && mkdir -m 700 '%s' && chown 65534 '%s'", g_dir, g_dir, g_dir);
		assert_int_equal(system(cmd), 0);
		expect_refused(g_dir, "owned by uid 65534");
	}
}

static void test_corrupt_reported(void **state)
{
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *rb = NULL, *re = NULL;
	char journal[PATH_MAX + 64], err[1024] = "", pos[PATH_MAX + 80];
	draft_info *v;
	size_t n;

	(void)state;
	write_ok(URL, 900, base, edits);
	path_of(journal, sizeof journal, URL, 900, ".json");
	tu_write_file(journal, "{\"version\": 1,\n  \"url\": oops}");
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	snprintf(pos, sizeof pos, "%s:2:", journal);
	if (!strstr(err, pos))
		fail_msg("no path:line in: %s", err);
	assert_null(rb);
	assert_null(re);
	assert_int_equal(access(journal, F_OK), 0); /* never deleted automatically */
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 1);
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].ticket_id, 900);
	assert_non_null(v[0].error);
	assert_non_null(strstr(v[0].error, pos));
	draft_list_free(v, n);

	/* Valid JSON, wrong shape. */
	tu_write_file(journal, "[1,2]");
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, journal));
	tu_write_file(journal, "");
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, journal));

	/* A damaged base file: its hash no longer matches. */
	write_ok(URL, 900, base, edits);
	char basefile[PATH_MAX + 64];
	base_file(basefile, sizeof basefile);
	tu_write_file(basefile, "{\"Title\":\"tampered\"}");
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, basefile));
	assert_non_null(strstr(err, "damaged"));
	assert_int_equal(access(basefile, F_OK), 0);
	/* A truncated base file. */
	assert_int_equal(truncate(basefile, 0), 0);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, basefile));
	/* The base file missing. */
	unlink(basefile);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, basefile));
	/* An explicit discard removes even a broken draft. */
	assert_int_equal(draft_discard(URL, 900, err, sizeof err), 1);
	assert_int_equal(count_files(), 0);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_journal_shape_checked(void **state)
{
	static const char *const bad[] = {
		"{\"version\":2}",
		"{\"version\":1,\"url\":\"http://other/api/v1\",\"ticket_id\":900}",
		"{\"version\":1,\"url\":\"" URL "\",\"ticket_id\":901}",
		"{\"version\":1,\"url\":\"" URL "\",\"ticket_id\":900,\"saved_at\":\"x\","
		"\"base_file\":\"../../etc/passwd\",\"base_hash\":\"0123456789abcdef\",\"edits\":[]}",
		"{\"version\":1,\"url\":\"" URL "\",\"ticket_id\":900,\"saved_at\":\"x\","
		"\"base_file\":\"KEY.base-0123456789abcdef.json\",\"base_hash\":\"0123456789abcdef\",\"edits\":[{}]}",
		"{\"version\":1,\"url\":\"" URL "\",\"ticket_id\":900,\"saved_at\":\"x\","
		"\"base_file\":\"KEY.base-0123456789abcdef.json\",\"base_hash\":\"0123456789abcdef\",\"edits\":{}}",
	};
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *rb, *re;
	char journal[PATH_MAX + 64], key[DRAFT_KEY_MAX], text[1024], err[1024];

	(void)state;
	write_ok(URL, 900, base, edits);
	path_of(journal, sizeof journal, URL, 900, ".json");
	draft_key(URL, 900, key, sizeof key);
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		char *k = strstr(strcpy(text, bad[i]), "KEY");
		if (k) {
			memmove(k + strlen(key), k + 3, strlen(k + 3) + 1);
			memcpy(k, key, strlen(key));
		}
		tu_write_file(journal, text);
		err[0] = '\0';
		rb = re = NULL;
		if (draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err) != -1)
			fail_msg("accepted journal %zu: %s", i, text);
		assert_non_null(strstr(err, journal));
		assert_null(rb);
		assert_null(re);
	}
	/* a newer ticketed's journal says so */
	tu_write_file(journal, "{\"version\":3,\"url\":\"x\"}\n{\"rec\":1}\n");
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, "unsupported draft version 3"));
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_edits_shape(void **state)
{
	static const char *const bad[] = {
		"{}", "[1]", "[{\"value\":1}]", "[{\"field\":\"\"}]", "[{\"field\":5}]",
		"[{\"field\":\"Title\",\"key\":1}]", "[{\"field\":\"Title\",\"value_absent\":\"yes\"}]",
	};
	cJSON *base = ticket("T");
	char err[512];

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		cJSON *e = tu_parse(bad[i]);
		err[0] = '\0';
		assert_int_equal(draft_edits_check(e, err, sizeof err), -1);
		assert_true(err[0] != '\0');
		assert_int_equal(draft_write(URL, 900, base, e, err, sizeof err), -1);
		cJSON_Delete(e);
	}
	assert_int_equal(draft_write(URL, 900, base, NULL, err, sizeof err), -1);
	cJSON *ok = tu_parse("[{\"field\":\"CustomFields\",\"key\":\"x_a\",\"base\":1,\"value\":2},"
			     "{\"field\":\"Deadline\",\"base_absent\":true,\"value\":\"2024-01-01T00:00:00\"},"
			     "{\"field\":\"Author\",\"base\":\"a\",\"value_absent\":true}]");
	assert_int_equal(draft_edits_check(ok, err, sizeof err), 0);
	cJSON *notobj = cJSON_CreateArray();
	assert_int_equal(draft_write(URL, 900, notobj, ok, err, sizeof err), -1);
	assert_int_equal(count_files(), 0);
	cJSON_Delete(notobj);
	cJSON_Delete(ok);
	cJSON_Delete(base);
}

static void test_keys_separate(void **state)
{
	static const char *const urls[] = { URL, "http://127.0.0.1:8081/api/v1", "https://online.superoffice.com/Cust1/api/v1" };
	char k1[DRAFT_KEY_MAX], k2[DRAFT_KEY_MAX], err[512];
	cJSON *base = ticket("T");

	(void)state;
	/* Same ticket, different URLs / different tickets, same URL. */
	for (size_t i = 0; i < 3; i++)
		for (long id = 900; id <= 901; id++) {
			char v[32];
			snprintf(v, sizeof v, "%zu-%ld", i, id);
			cJSON *e = edits_title("T", v);
			write_ok(urls[i], id, base, e);
			cJSON_Delete(e);
		}
	for (size_t i = 0; i < 3; i++)
		for (long id = 900; id <= 901; id++) {
			cJSON *rb, *re;
			char v[32];
			snprintf(v, sizeof v, "%zu-%ld", i, id);
			assert_int_equal(draft_read(urls[i], id, &rb, &re, NULL, 0, err, sizeof err), 1);
			assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(re, 0), "value")->valuestring, v);
			cJSON_Delete(rb);
			cJSON_Delete(re);
		}
	assert_int_equal(draft_discard(urls[1], 900, err, sizeof err), 1);
	assert_int_equal(draft_exists(urls[0], 900, err, sizeof err), 1);
	assert_int_equal(draft_exists(urls[1], 901, err, sizeof err), 1);
	/* Normalisation: trailing slashes, host case, userinfo do not split keys. */
	draft_key("https://online.superoffice.com/Cust1/api/v1", 7, k1, sizeof k1);
	draft_key("HTTPS://bob:pw@Online.SuperOffice.com/Cust1/api/v1//", 7, k2, sizeof k2);
	assert_string_equal(k1, k2);
	assert_int_equal(strncmp(k1, "7-", 2), 0);
	assert_int_equal(strlen(k1), 2 + 16);
	/* ... but the path's case does. */
	draft_key("https://online.superoffice.com/cust1/api/v1", 7, k2, sizeof k2);
	assert_string_not_equal(k1, k2);
	assert_int_equal(draft_key(URL, 0, k1, sizeof k1), -1);
	assert_int_equal(draft_key("", 1, k1, sizeof k1), -1);
	assert_int_equal(draft_key("http://", 1, k1, sizeof k1), -1);
	cJSON_Delete(base);
}

static void test_userinfo_stripped(void **state)
{
	char norm[DRAFT_URL_MAX], cmd[PATH_MAX + 128], err[512];
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *rb, *re;
	const char *secret_url = "http://alice:s3cr3t-pw@127.0.0.1:8080/api/v1/";

	(void)state;
	assert_int_equal(draft_url_normalize(secret_url, norm, sizeof norm), 0);
	assert_string_equal(norm, URL);
	assert_int_equal(draft_url_normalize("https://tok@h/x?a=b@c", norm, sizeof norm), 0);
	assert_string_equal(norm, "https://h/x?a=b@c");
	assert_int_equal(draft_url_normalize("u:p@Host/x/?r=http://a@b/", norm, sizeof norm), 0);
	assert_string_equal(norm, "host/x/?r=http://a@b");
	write_ok(secret_url, 900, base, edits);
	snprintf(cmd, sizeof cmd, "grep -r -q -e s3cr3t -e alice '%s'", g_dir);
	assert_int_not_equal(system(cmd), 0);
	/* The plain URL finds the same draft. */
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	cJSON_Delete(rb);
	cJSON_Delete(re);
	draft_info *v;
	size_t n;
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].url, URL);
	draft_list_free(v, n);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_list(void **state)
{
	cJSON *b1 = ticket("Printer \x1b[31m on fire"), *b2 = ticket("Second");
	cJSON *e2 = tu_parse("[{\"field\":\"Title\",\"value\":\"a\"},{\"field\":\"CustomFields\",\"key\":\"x_a\",\"value\":2},"
			     "{\"field\":\"CustomFields\",\"key\":\"x_b\",\"value\":3},{\"field\":\"Title\",\"value\":\"b\"}]");
	cJSON *e1 = edits_title("x", "y");
	draft_info *v;
	size_t n;
	char err[512];

	(void)state;
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 0);
	assert_null(v);
	write_ok("http://b/api/v1", 4711, b2, e2);
	write_ok("http://a/api/v1", 4711, b2, e1);
	write_ok(URL, 900, b1, e1);
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 3);
	assert_int_equal(v[0].ticket_id, 900);
	assert_string_equal(v[0].title, "Printer \x1b[31m on fire"); /* raw: the CLI sanitises */
	assert_int_equal(v[1].ticket_id, 4711);
	assert_string_equal(v[1].url, "http://a/api/v1");
	assert_string_equal(v[2].url, "http://b/api/v1");
	assert_int_equal(v[2].nedits, 3);  /* the journal keeps one state per field and key: Title's last */
	assert_string_equal(v[2].fields, "Title, CustomFields/x_a, CustomFields/x_b");
	assert_null(v[2].error);
	assert_string_equal(v[2].title, "Second");
	assert_non_null(strstr(v[2].path, g_dir));
	assert_int_equal(draft_discard_key(v[2].key, err, sizeof err), 1);
	assert_int_equal(draft_discard_key("../x", err, sizeof err), -1);
	assert_int_equal(draft_discard_key("900-0123", err, sizeof err), -1);
	draft_list_free(v, n);
	assert_int_equal(draft_exists("http://b/api/v1", 4711, err, sizeof err), 0);
	cJSON_Delete(b1);
	cJSON_Delete(b2);
	cJSON_Delete(e1);
	cJSON_Delete(e2);
}

static void test_state_home_fallback(void **state)
{
	char home[512], dir[PATH_MAX], err[512];

	(void)state;
	snprintf(home, sizeof home, "%s/home", g_root);
	setenv("HOME", home, 1);
	setenv("XDG_STATE_HOME", "relative/ignored", 1);
	assert_int_equal(draft_dir(dir, sizeof dir, true, err, sizeof err), 1);
	assert_non_null(strstr(dir, "/home/.local/state/ticketed/drafts"));
	unsetenv("XDG_STATE_HOME");
	assert_int_equal(draft_dir(dir, sizeof dir, false, err, sizeof err), 1);
	setenv("XDG_STATE_HOME", g_root, 1);
}

static const field_def *F(const char *name)
{
	const field_def *f = schema_find(name);
	assert_non_null(f);
	return f;
}

static const char *str_of(const cJSON *j)
{
	assert_true(cJSON_IsString(j));
	return j->valuestring;
}

#define MBASE "{\"TicketId\":900,\"Title\":\"A\",\"Author\":\"au\"," \
	"\"Priority\":{\"TicketPriorityId\":1,\"Name\":\"Low\"},\"CustomFields\":{\"x_a\":1,\"x_b\":2}}"

/* The server copy: a colleague changed Author and Priority meanwhile. */
static cJSON *server_copy(void)
{
	return tu_parse("{\"TicketId\":900,\"Title\":\"A\",\"Author\":\"them\","
		        "\"Priority\":{\"TicketPriorityId\":2,\"Name\":\"High\"},\"CustomFields\":{\"x_a\":1,\"x_b\":2}}");
}

static void check_restored(model *m, const model_merge_report *rep)
{
	assert_string_equal(str_of(model_value(m, F("Title"))), "Mine");
	assert_false(model_is_modified(m, F("Priority")));
	assert_int_equal(cJSON_GetObjectItem(model_value(m, F("Priority")), "TicketPriorityId")->valueint, 2);
	assert_int_equal(json_get(model_value(m, F("CustomFields")), "x_a")->valueint, 5);
	assert_null(json_get(model_value(m, F("CustomFields")), "x_b"));
	/* Author is an open clash: mine stays the value, made against "au". */
	assert_int_equal(model_nclashes(m), 1);
	assert_string_equal(m->clashes[0].f->name, "Author");
	assert_string_equal(str_of(m->clashes[0].basis), "au");
	assert_string_equal(str_of(model_value(m, F("Author"))), "me");
	assert_int_equal(rep->nconflicts, 1);
	/* and the patch sends nothing for it while it is open */
	cJSON *p = model_patch(m, DIFF_FIELDS);
	char *t = cJSON_PrintUnformatted(p);
	assert_null(strstr(t, "Author"));
	free(t);
	cJSON_Delete(p);
}

static void test_model_round_trip(void **state)
{
	model m, m2;
	cJSON *rb, *re;
	char err[512] = "", skipped[256];
	model_merge_report rep;
	draft_info *v;
	size_t n;

	(void)state;
	model_init(&m, tu_parse(MBASE));
	model_set(&m, F("Title"), cJSON_CreateString("Mine"));
	model_set(&m, F("Author"), cJSON_CreateString("me"));
	model_map_set(&m, F("CustomFields"), "x_a", cJSON_CreateNumber(5));
	model_map_set(&m, F("CustomFields"), "x_b", NULL);
	cJSON *edits = draft_edits_from_model(&m);
	assert_int_equal(draft_edits_check(edits, err, sizeof err), 0);
	assert_int_equal(cJSON_GetArraySize(edits), 4);
	cJSON *xb = cJSON_GetArrayItem(edits, 3);
	assert_string_equal(jstr_or(xb, "key"), "x_b");
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(xb, "value_absent")));
	assert_int_equal(cJSON_GetObjectItem(xb, "base")->valueint, 2);
	cJSON_Delete(edits);

	if (draft_save_model(URL, 900, &m, err, sizeof err) != 0)
		fail_msg("%s", err);
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].fields, "Title, Author, CustomFields/x_a, CustomFields/x_b");
	assert_int_equal(v[0].nedits, 4);
	draft_list_free(v, n);
	model_free(&m);

	/* Restore onto the server copy: Title and the map keys rebased,
	 * Priority taken from the server, Author is a real conflict. */
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_int_equal(draft_restore(&m2, rb, re, server_copy(), &rep, skipped, sizeof skipped), 1);
	assert_string_equal(skipped, "");
	check_restored(&m2, &rep);
	model_merge_report_free(&rep);
	cJSON_Delete(rb);
	cJSON_Delete(re);

	/* The unresolved conflict is journaled too and survives a second crash. */
	if (draft_save_model(URL, 900, &m2, err, sizeof err) != 0)
		fail_msg("%s", err);
	model_free(&m2);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	{  /* the clash's entry: marked, and based on what mine was made against */
		const cJSON *au = cJSON_GetArrayItem(re, 1);
		assert_string_equal(jstr_or(au, "field"), "Author");
		assert_true(cJSON_IsTrue(cJSON_GetObjectItem(au, "conflict")));
		assert_string_equal(str_of(cJSON_GetObjectItem(au, "base")), "au");
	}
	assert_int_equal(draft_restore(&m2, rb, re, server_copy(), &rep, NULL, 0), 1);
	check_restored(&m2, &rep);
	model_merge_report_free(&rep);
	cJSON_Delete(rb);
	cJSON_Delete(re);

	/* Resolving everything (no edits, no conflicts) removes the draft. */
	model_rebase(&m2, server_copy());
	assert_int_equal(draft_save_model(URL, 900, &m2, err, sizeof err), 0);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	model_free(&m2);
}

/* A conflict still open when the draft was written, its value set back on
 * the form to what the edit was made against: restored as the same open
 * conflict, never as theirs. */
static void test_restore_clash_back_at_basis(void **state)
{
	model m, m2;
	cJSON *edits;
	(void)state;
	model_init(&m, tu_parse(MBASE));
	model_set(&m, F("Author"), cJSON_CreateString("me"));
	assert_int_equal(model_merge(&m, server_copy(), NULL), 1);
	model_set(&m, F("Author"), cJSON_CreateString("au"));
	edits = draft_edits_from_model(&m);
	assert_int_equal(cJSON_GetArraySize(edits), 1);
	assert_true(cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetArrayItem(edits, 0), "conflict")));
	assert_int_equal(draft_restore(&m2, m.base, edits, server_copy(), NULL, NULL, 0), 1);
	assert_int_equal(model_nclashes(&m2), 1);
	assert_string_equal(str_of(m2.clashes[0].basis), "au");
	assert_string_equal(str_of(model_value(&m2, F("Author"))), "au");
	cJSON *p = model_patch(&m2, DIFF_FIELDS);
	char *t = cJSON_PrintUnformatted(p);
	assert_null(strstr(t, "Author"));
	free(t);
	cJSON_Delete(p);
	cJSON_Delete(edits);
	model_free(&m);
	model_free(&m2);
}

static void test_restore_edges(void **state)
{
	model m;
	char skipped[256];
	cJSON *base = tu_parse(MBASE);
	cJSON *edits = tu_parse("[{\"field\":\"Title\",\"base\":\"A\",\"value\":\"A2\"},"
			        "{\"field\":\"Bogus\",\"base\":1,\"value\":2},"
			        "{\"field\":\"CreatedAt\",\"base\":\"x\",\"value\":\"y\"},"
			        "{\"field\":\"Title\",\"key\":\"k\",\"value\":1},"
			        "{\"field\":\"Author\",\"base\":\"au\",\"value\":\"them\"}]");

	(void)state;
	/* Already on the server (Author): dropped; unknown/read-only: skipped. */
	assert_int_equal(draft_restore(&m, base, edits, server_copy(), NULL, skipped, sizeof skipped), 0);
	assert_string_equal(skipped, "Bogus, CreatedAt, Title/k");
	assert_string_equal(str_of(model_value(&m, F("Title"))), "A2");
	assert_false(model_is_modified(&m, F("Author")));
	assert_int_equal(model_modified(&m), 1);
	model_free(&m);
	/* Malformed edits: -1, the model holds the server copy untouched. */
	cJSON *bad = tu_parse("[{\"value\":1}]");
	assert_int_equal(draft_restore(&m, base, bad, server_copy(), NULL, NULL, 0), -1);
	assert_int_equal(model_modified(&m), 0);
	assert_string_equal(str_of(model_value(&m, F("Author"))), "them");
	model_free(&m);
	cJSON_Delete(bad);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_leftovers_cleaned(void **state)
{
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *rb, *re;
	char key[DRAFT_KEY_MAX], stale[PATH_MAX], fresh[PATH_MAX], basefile[PATH_MAX + 64], err[512];
	struct timespec old[2] = { { 1000000000, 0 }, { 1000000000, 0 } };

	(void)state;
	write_ok(URL, 900, base, edits);
	draft_key(URL, 900, key, sizeof key);
	/* A temp file left by a crash long ago goes at the next write; one that
	 * may be another process's write in progress stays. */
	snprintf(stale, sizeof stale, "%s/.%s.json.tmp-1-0", g_dir, key);
	snprintf(fresh, sizeof fresh, "%s/.%s.json.tmp-2-0", g_dir, key);
	tu_write_file(stale, "{");
	tu_write_file(fresh, "{");
	assert_int_equal(utimensat(AT_FDCWD, stale, old, 0), 0);
	write_ok(URL, 900, base, edits);
	assert_int_equal(access(stale, F_OK), -1);
	assert_int_equal(access(fresh, F_OK), 0);
	/* A damaged base file (same size) is rewritten by the next write. */
	base_file(basefile, sizeof basefile);
	FILE *f = fopen(basefile, "r+");
	assert_non_null(f);
	fputc('X', f);
	fclose(f);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	write_ok(URL, 900, base, edits);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_true(json_equal(rb, base));
	cJSON_Delete(rb);
	cJSON_Delete(re);
	/* An orphan base file (crash between base and journal) goes too. */
	char orphan[PATH_MAX];
	snprintf(orphan, sizeof orphan, "%s/%s.base-0123456789abcdef.json", g_dir, key);
	tu_write_file(orphan, "{}");
	write_ok(URL, 900, base, edits);
	assert_int_equal(access(orphan, F_OK), -1);
	/* Discard removes every file of the key, temp files included. */
	assert_int_equal(draft_discard(URL, 900, err, sizeof err), 1);
	assert_int_equal(count_files(), 0);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

static void test_sync(void **state)
{
	draft_sync_state s = { 0 };
	model m;
	char err[512] = "";
	cJSON *older = edits_title("A", "older session"), *rb, *re;

	(void)state;
	/* A draft from an earlier session stays while nothing is edited. */
	model_init(&m, tu_parse(MBASE));
	write_ok(URL, 900, m.base, older);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 0);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 1);
	/* Each change is journaled once; a key that changes nothing writes nothing. */
	model_set(&m, F("Title"), cJSON_CreateString("B"));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 0);
	model_map_set(&m, F("CustomFields"), "x_a", cJSON_CreateNumber(7));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_int_equal(cJSON_GetArraySize(re), 2);
	cJSON_Delete(rb);
	cJSON_Delete(re);
	/* Undo back to nothing removes it; redo journals it again. */
	model_undo(&m);
	model_undo(&m);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 0);
	model_redo(&m);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 1);
	/* A successful save (rebase) removes it. */
	model_rebase(&m, tu_parse(MBASE));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	/* Discard on quit removes this session's draft. */
	model_set(&m, F("Title"), cJSON_CreateString("C"));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_sync_discard(&s, URL, 900, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	draft_sync_free(&s);
	model_free(&m);

	/* Keep for later: the kept draft is neither overwritten nor removed. */
	draft_sync_state k = { 0 };
	k.hold = true;
	model_init(&m, tu_parse(MBASE));
	write_ok(URL, 900, m.base, older);
	model_set(&m, F("Title"), cJSON_CreateString("D"));
	assert_int_equal(draft_sync(&k, URL, 900, &m, err, sizeof err), 0);
	assert_int_equal(draft_sync_discard(&k, URL, 900, err, sizeof err), 0);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_true(json_equal(re, older));
	model_free(&m);

	/* A restore that leaves nothing (all already on the server) removes it. */
	cJSON *server = tu_parse(MBASE);
	cJSON_ReplaceItemInObject(server, "Title", cJSON_CreateString("older session"));
	assert_int_equal(draft_restore(&m, rb, re, server, NULL, NULL, 0), 0);
	assert_int_equal(model_modified(&m), 0);
	draft_sync_restored(&k);
	assert_int_equal(draft_sync(&k, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	cJSON_Delete(rb);
	cJSON_Delete(re);
	draft_sync_free(&k);
	model_free(&m);
	cJSON_Delete(older);
}

/* A FIFO (or anything but a regular file) where a draft file should be is
 * refused at once, never opened for a blocking read: checked with fstat on
 * a descriptor opened O_NONBLOCK|O_NOFOLLOW. alarm() bounds the test: a
 * blocked open ends it with SIGALRM (a failure), not a hang. */
static void test_fifo_refused(void **state)
{
	cJSON *base = ticket("T"), *edits = edits_title("T", "U"), *rb = NULL, *re = NULL;
	char journal[PATH_MAX + 64], basefile[PATH_MAX + 64], err[1024] = "";
	draft_info *v;
	size_t n;

	(void)state;
	alarm(20);
	write_ok(URL, 900, base, edits);
	base_file(basefile, sizeof basefile);
	assert_int_equal(unlink(basefile), 0);
	assert_int_equal(mkfifo(basefile, 0600), 0);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, basefile));
	assert_non_null(strstr(err, "not a regular file"));
	assert_null(rb);
	assert_null(re);
	/* writing the same base again replaces the FIFO with the real file */
	write_ok(URL, 900, base, edits);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_true(json_equal(rb, base));
	cJSON_Delete(rb);
	cJSON_Delete(re);
	/* the journal itself */
	path_of(journal, sizeof journal, URL, 900, ".json");
	assert_int_equal(unlink(journal), 0);
	assert_int_equal(mkfifo(journal, 0600), 0);
	err[0] = '\0';
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	assert_non_null(strstr(err, journal));
	assert_non_null(strstr(err, "not a regular file"));
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_non_null(v[0].error);
	draft_list_free(v, n);
	assert_int_equal(draft_discard(URL, 900, err, sizeof err), 1);
	assert_int_equal(count_files(), 0);
	alarm(0);
	cJSON_Delete(base);
	cJSON_Delete(edits);
}

/* The unposted note rides along with the edits: journaled (a draft with
 * only a note is kept), listed as "note", found by draft_note_entry, and
 * left alone by draft_restore (it is the editor's, not a field). */
static void test_sync_note(void **state)
{
	draft_sync_state s = { 0 };
	model m, m2;
	char err[512] = "", skipped[256];
	cJSON *rb, *re;
	draft_info *v;
	size_t n;

	(void)state;
	model_init(&m, tu_parse(MBASE));
	s.note = tu_parse("{\"field\":\"note\",\"value\":{\"kind\":\"note\",\"text\":\"Called her\","
	                  "\"message_id\":\"<m@x>\"}}");
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 1);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 0);  /* unchanged: not written again */
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].fields, "note");
	draft_list_free(v, n);
	model_set(&m, F("Title"), cJSON_CreateString("With a note"));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_int_equal(draft_edits_check(re, err, sizeof err), 0);
	const cJSON *note = draft_note_entry(re);
	assert_non_null(note);
	assert_string_equal(str_of(json_get(json_get(note, "value"), "text")), "Called her");
	/* the restore takes the Title edit and says nothing about the note */
	assert_int_equal(draft_restore(&m2, rb, re, tu_parse(MBASE), NULL, skipped, sizeof skipped), 0);
	assert_string_equal(skipped, "");
	assert_string_equal(str_of(model_value(&m2, F("Title"))), "With a note");
	assert_int_equal(model_modified(&m2), 1);
	model_free(&m2);
	cJSON_Delete(rb);
	cJSON_Delete(re);
	/* the note posted, the edit saved: the draft goes */
	cJSON_Delete(s.note);
	s.note = NULL;
	model_rebase(&m, tu_parse(MBASE));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	assert_int_equal(draft_exists(URL, 900, err, sizeof err), 0);
	assert_null(draft_note_entry(NULL));
	draft_sync_free(&s);
	model_free(&m);
}

/* --- the append-only journal ----------------------------------------------- */

static size_t g_cjson_bytes;  /* bytes cJSON allocated (its hook) */

static void *bytes_malloc(size_t n)
{
	g_cjson_bytes += n;
	return malloc(n);
}

/* The whole file PATH (NUL-terminated) and its size. */
static char *slurp(const char *path, size_t *len)
{
	char *buf = json_read_file(path, len);
	assert_non_null(buf);
	return buf;
}

/* A ticket with the fields of MBASE and NMSG messages of ~300 bytes each. */
static cJSON *ticket_with_messages(int nmsg)
{
	cJSON *t = tu_parse(MBASE), *msgs = cJSON_AddArrayToObject(t, "Messages");
	char body[300];
	memset(body, 'x', sizeof body - 1);
	body[sizeof body - 1] = '\0';
	for (int i = 0; i < nmsg; i++) {
		cJSON *m = cJSON_CreateObject();
		cJSON_AddNumberToObject(m, "TicketMessageId", i + 1);
		cJSON_AddStringToObject(m, "CreatedAt", "2024-01-01T00:00:00");
		cJSON_AddStringToObject(m, "Body", body);
		cJSON_AddItemToArray(msgs, m);
	}
	return t;
}

typedef struct {
	size_t grew[4];      /* journal bytes added by edits 2..5 */
	size_t cjson[4];     /* bytes cJSON allocated during each of those syncs */
} append_run;

/* Five Title edits on a ticket with NMSG messages, each journaled. */
static void edits_on(int nmsg, append_run *out)
{
	draft_sync_state s = { 0 };
	model m;
	char err[512] = "", journal[PATH_MAX + 64], basefile[PATH_MAX + 64];
	struct stat b0, b1, j0, j1;
	cJSON_Hooks hooks = { bytes_malloc, free };

	model_init(&m, ticket_with_messages(nmsg));
	path_of(journal, sizeof journal, URL, 900, ".json");
	model_set(&m, F("Title"), cJSON_CreateString("edit 1"));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	base_file(basefile, sizeof basefile);
	assert_int_equal(stat(basefile, &b0), 0);
	for (int i = 2; i <= 5; i++) {
		char v[32];
		size_t before_len, after_len;
		char *before = slurp(journal, &before_len);
		assert_int_equal(stat(journal, &j0), 0);
		snprintf(v, sizeof v, "edit %d", i);
		model_set(&m, F("Title"), cJSON_CreateString(v));
		g_cjson_bytes = 0;
		cJSON_InitHooks(&hooks);
		assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
		cJSON_InitHooks(NULL);
		out->cjson[i - 2] = g_cjson_bytes;
		/* appended: the same file, its earlier bytes untouched */
		char *after = slurp(journal, &after_len);
		assert_int_equal(stat(journal, &j1), 0);
		assert_int_equal(j0.st_ino, j1.st_ino);
		assert_true(after_len > before_len);
		assert_memory_equal(before, after, before_len);
		assert_int_equal(after[after_len - 1], '\n');
		out->grew[i - 2] = after_len - before_len;
		free(before);
		free(after);
	}
	/* the base file was written once */
	assert_int_equal(stat(basefile, &b1), 0);
	assert_int_equal(b0.st_ino, b1.st_ino);
	assert_int_equal(b0.st_mtim.tv_sec, b1.st_mtim.tv_sec);
	assert_int_equal(b0.st_mtim.tv_nsec, b1.st_mtim.tv_nsec);
	/* and the draft reads back as the model is */
	cJSON *rb, *re, *want = draft_edits_from_model(&m);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_true(json_equal(re, want));
	assert_true(json_equal(rb, m.base));
	cJSON_Delete(rb);
	cJSON_Delete(re);
	cJSON_Delete(want);
	assert_int_equal(draft_sync_discard(&s, URL, 900, err, sizeof err), 1);
	draft_sync_free(&s);
	model_free(&m);
}

/* An edit appends one record; what it writes and allocates is the same for
 * a ticket without messages and one with 5,000 (1.6 MB): its cost does
 * not depend on the ticket's size. */
static void test_append_only(void **state)
{
	append_run small, big;

	(void)state;
	edits_on(0, &small);
	edits_on(5000, &big);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(small.grew[i], big.grew[i]);
		if (big.cjson[i] > small.cjson[i] + 4096)
			fail_msg("edit %d allocated %zu bytes through cJSON on the big ticket, %zu on the small one",
				 i + 2, big.cjson[i], small.cjson[i]);
	}
}

/* Journal EDITS records on a small model: Title, then an Author edit, then
 * the Title back to the base (a "drop"). Returns the journal's path. */
static void three_records(char *journal, size_t n)
{
	draft_sync_state s = { 0 };
	model m;
	char err[512] = "";

	model_init(&m, tu_parse(MBASE));
	model_set(&m, F("Title"), cJSON_CreateString("T1"));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	model_set(&m, F("Author"), cJSON_CreateString("me"));
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	model_set(&m, F("Title"), cJSON_CreateString("A"));  /* the base value: Title is no longer edited */
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	draft_sync_free(&s);
	model_free(&m);
	path_of(journal, n, URL, 900, ".json");
}

static char *edits_text(void)
{
	cJSON *rb, *re;
	char err[512] = "";
	if (draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err) != 1)
		fail_msg("draft_read: %s", err);
	char *t = draft_fields_text(re);
	cJSON_Delete(rb);
	cJSON_Delete(re);
	return t;
}

/* A torn last record (a crash in the middle of an append) is ignored: the
 * draft is as it was before it. A damaged record before the last one is
 * an error naming its line. */
static void test_torn_record(void **state)
{
	char journal[PATH_MAX + 64], err[512] = "", *t;
	size_t len;
	cJSON *rb = NULL, *re = NULL;

	(void)state;
	three_records(journal, sizeof journal);
	char *text = slurp(journal, &len);
	assert_int_equal(len > 0 && text[len - 1] == '\n', 1);
	t = edits_text();
	assert_string_equal(t, "Author");  /* Title set, Author set, Title dropped */
	free(t);
	/* the last record cut short (no newline): the draft before it */
	char *last = text + len - 1;
	while (last > text && last[-1] != '\n')
		last--;
	size_t keep = (size_t)(last - text) + (len - (size_t)(last - text)) / 2;
	assert_int_equal(truncate(journal, (off_t)keep), 0);
	t = edits_text();
	assert_string_equal(t, "Title, Author");
	free(t);
	/* a complete last line whose sum does not match: torn too */
	FILE *f = fopen(journal, "w");
	assert_non_null(f);
	fwrite(text, 1, len, f);
	fclose(f);
	f = fopen(journal, "r+");
	fseek(f, (long)(last - text) + 40, SEEK_SET);
	fputc('Z', f);
	fclose(f);
	t = edits_text();
	assert_string_equal(t, "Title, Author");
	free(t);
	/* junk appended after a good last record: ignored */
	f = fopen(journal, "w");
	fwrite(text, 1, len, f);
	fputs("{\"sum\":\"00", f);
	fclose(f);
	t = edits_text();
	assert_string_equal(t, "Author");
	free(t);
	/* the second record damaged, the third intact: an error with the line */
	char *second = strchr(strchr(text, '\n') + 1, '\n') + 1;  /* line 3 is the second record */
	f = fopen(journal, "w");
	fwrite(text, 1, len, f);
	fclose(f);
	f = fopen(journal, "r+");
	fseek(f, (long)(second - text) + 45, SEEK_SET);
	fputc('Z', f);
	fclose(f);
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), -1);
	char want[PATH_MAX + 160];
	snprintf(want, sizeof want, "%s:3: damaged record", journal);
	if (!strstr(err, want))
		fail_msg("want \"%s\" in: %s", want, err);
	assert_null(rb);
	assert_null(re);
	free(text);
}

/* A version 1 journal (one JSON object, from an older ticketed) reads; the
 * next write of the session that restored it is version 2. */
static void test_version1_reads(void **state)
{
	char journal[PATH_MAX + 64], key[DRAFT_KEY_MAX], bpath[PATH_MAX + 128], err[512] = "", text[2048];
	cJSON *base = tu_parse(MBASE), *rb, *re;
	char *bt = json_print(base, false);
	uint64_t h = 0xcbf29ce484222325ULL;
	char hash[17];
	draft_info *v;
	size_t n;

	(void)state;
	for (const char *p = bt; *p; p++) {
		h ^= (unsigned char)*p;
		h *= 0x100000001b3ULL;
	}
	snprintf(hash, sizeof hash, "%016llx", (unsigned long long)h);
	assert_int_equal(draft_dir(NULL, 0, true, err, sizeof err), 1);
	draft_key(URL, 900, key, sizeof key);
	snprintf(bpath, sizeof bpath, "%s/%s.base-%s.json", g_dir, key, hash);
	tu_write_file(bpath, bt);
	snprintf(text, sizeof text,
		 "{\n  \"version\": 1,\n  \"url\": \"%s\",\n  \"ticket_id\": 900,\n  \"saved_at\": \"2024-05-06T07:08:09Z\",\n"
		 "  \"title\": \"A\",\n  \"base_file\": \"%s.base-%s.json\",\n  \"base_hash\": \"%s\",\n"
		 "  \"edits\": [{\"field\": \"Title\", \"base\": \"A\", \"value\": \"old format\"}]\n}\n",
		 URL, key, hash, hash);
	path_of(journal, sizeof journal, URL, 900, ".json");
	tu_write_file(journal, text);
	char when[32];
	assert_int_equal(draft_read(URL, 900, &rb, &re, when, sizeof when, err, sizeof err), 1);
	assert_string_equal(when, "2024-05-06T07:08:09Z");
	assert_true(json_equal(rb, base));
	assert_string_equal(jstr_or(cJSON_GetArrayItem(re, 0), "value"), "old format");
	assert_int_equal(draft_list(&v, &n, err, sizeof err), 0);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].saved_at, "2024-05-06T07:08:09Z");
	assert_string_equal(v[0].fields, "Title");
	draft_list_free(v, n);
	/* restored by a session, which then journals version 2 */
	draft_sync_state s = { 0 };
	model m;
	assert_int_equal(draft_restore(&m, rb, re, tu_parse(MBASE), NULL, NULL, 0), 0);
	draft_sync_restored(&s);
	assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
	size_t len;
	char *now = slurp(journal, &len);
	assert_int_equal(strncmp(now, "{\"version\":2,", 13), 0);
	free(now);
	free(edits_text());
	draft_sync_free(&s);
	model_free(&m);
	cJSON_Delete(rb);
	cJSON_Delete(re);
	cJSON_Delete(base);
	free(bt);
}

/* Thousands of edits of one field: the journal is compacted as it grows,
 * so it stays within a few times the size of what it holds. */
static void test_compaction(void **state)
{
	draft_sync_state s = { 0 };
	model m;
	char err[512] = "", journal[PATH_MAX + 64];
	struct stat st;
	off_t most = 0;

	(void)state;
	model_init(&m, tu_parse(MBASE));
	path_of(journal, sizeof journal, URL, 900, ".json");
	for (int i = 0; i < 2000; i++) {
		char v[32];
		snprintf(v, sizeof v, "value %d", i);
		model_set(&m, F("Title"), cJSON_CreateString(v));
		assert_int_equal(draft_sync(&s, URL, 900, &m, err, sizeof err), 1);
		assert_int_equal(stat(journal, &st), 0);
		if (st.st_size > most)
			most = st.st_size;
	}
	assert_true(most < 4 * 1024 + 16384 + 512);
	char *t = edits_text();
	assert_string_equal(t, "Title");
	free(t);
	cJSON *rb, *re;
	assert_int_equal(draft_read(URL, 900, &rb, &re, NULL, 0, err, sizeof err), 1);
	assert_string_equal(jstr_or(cJSON_GetArrayItem(re, 0), "value"), "value 1999");
	cJSON_Delete(rb);
	cJSON_Delete(re);
	draft_sync_free(&s);
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_edits_remove, setup, teardown),
		cmocka_unit_test_setup_teardown(test_atomic_replace_no_temp, setup, teardown),
		cmocka_unit_test_setup_teardown(test_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_leftovers_cleaned, setup, teardown),
		cmocka_unit_test_setup_teardown(test_unsafe_dir_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_corrupt_reported, setup, teardown),
		cmocka_unit_test_setup_teardown(test_journal_shape_checked, setup, teardown),
		cmocka_unit_test_setup_teardown(test_edits_shape, setup, teardown),
		cmocka_unit_test_setup_teardown(test_keys_separate, setup, teardown),
		cmocka_unit_test_setup_teardown(test_userinfo_stripped, setup, teardown),
		cmocka_unit_test_setup_teardown(test_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_state_home_fallback, setup, teardown),
		cmocka_unit_test_setup_teardown(test_model_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_restore_clash_back_at_basis, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync, setup, teardown),
		cmocka_unit_test_setup_teardown(test_fifo_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_append_only, setup, teardown),
		cmocka_unit_test_setup_teardown(test_torn_record, setup, teardown),
		cmocka_unit_test_setup_teardown(test_version1_reads, setup, teardown),
		cmocka_unit_test_setup_teardown(test_compaction, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_note, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

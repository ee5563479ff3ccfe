/* test_app_ticketlist.c — the ticket list's query and answer (ticketlist.h):
 * the $filter for each criterion, string literals quoted as the Archive
 * agent documents, the rows of an archive answer (and of answers that are
 * not), dates for people, MDO items found by name in flat and tree lists. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "ticketed/ticketlist.h"
#include "testutil.h"

static void filter_is(const tlist_query *q, const char *want)
{
	char *f = tlist_filter(q);
	assert_string_equal(f, want);
	free(f);
}

static void test_filter(void **state)
{
	tlist_query q;
	(void)state;
	tlist_query_init(&q);
	filter_is(&q, "");
	q.mine = true;
	filter_is(&q, "ownedBy currentAssociate");
	q.base_status = 1;
	filter_is(&q, "ownedBy currentAssociate and status eq 1");
	tlist_query_init(&q);
	q.status_id = 6;
	q.category_id = 4;
	q.search = "  vpn   Bergen ";
	filter_is(&q, "ticketStatusName eq 6 and categoryFullName eq 4 and title contains 'vpn' and "
	              "title contains 'Bergen'");
	tlist_query_init(&q);
	q.search = "900 x";
	filter_is(&q, "(ticketId eq 900 or title contains '900') and title contains 'x'");
	q.search = "0 -5 2147483648";  /* not ids: words only */
	filter_is(&q, "title contains '0' and title contains '-5' and title contains '2147483648'");
	q.search = "it's a\\b";
	filter_is(&q, "title contains 'it\\'s' and title contains 'a\\\\b'");
	q.search = "";
	filter_is(&q, "");
}

static void test_quote(void **state)
{
	char *s;
	(void)state;
	s = tlist_quote("Bob's \\ 'x'");
	assert_string_equal(s, "'Bob\\'s \\\\ \\'x\\''");
	free(s);
	s = tlist_quote("");
	assert_string_equal(s, "''");
	free(s);
}

static void test_rows(void **state)
{
	tlist_row *rows = NULL;
	size_t n = 0;
	bool more = true;
	char err[200];
	cJSON *a = tu_parse("{\"odata.metadata\":\"m\",\"value\":["
	                    "{\"PrimaryKey\":900,\"EntityName\":\"ticket\",\"ticketId\":900,\"title\":\"VPN\\u001b[2J\","
	                    "\"ticketStatusName\":\"Open\",\"priorityName\":\"High\",\"ownedBy\":\"J\",\"deadline\":"
	                    "\"0001-01-01T00:00:00\",\"lastChanged\":\"2026-11-26T15:02:44\"},"
	                    "{\"PrimaryKey\":901,\"title\":5},"
	                    "{\"ticketId\":\"902\"},{\"ticketId\":-3},{\"ticketId\":1.5},7,null]}");
	(void)state;
	assert_int_equal(tlist_rows(a, &rows, &n, &more, err, sizeof err), 0);
	assert_false(more);
	assert_int_equal(n, 2);  /* rows without a whole positive id are skipped */
	assert_int_equal(rows[0].id, 900);
	assert_string_equal(rows[0].title, "VPN\x1b[2J");  /* raw: sanitised where it is shown */
	assert_string_equal(rows[0].status, "Open");
	assert_string_equal(rows[0].changed, "2026-11-26T15:02:44");
	assert_int_equal(rows[1].id, 901);            /* PrimaryKey when there is no ticketId */
	assert_string_equal(rows[1].title, "5");
	assert_string_equal(rows[1].owner, "");
	cJSON_Delete(a);
	a = tu_parse("{\"value\":[{\"ticketId\":950}],\"odata.nextLink\":\"http://h/api/v1/Ticket?$skip=1\"}");
	assert_int_equal(tlist_rows(a, &rows, &n, &more, err, sizeof err), 0);
	assert_true(more);
	assert_int_equal(n, 3);  /* appended */
	assert_int_equal(rows[2].id, 950);
	cJSON_Delete(a);
	a = tu_parse("[{\"ticketId\":1}]");
	assert_int_equal(tlist_rows(a, &rows, &n, &more, err, sizeof err), -1);
	assert_non_null(strstr(err, "did not send a ticket list"));
	cJSON_Delete(a);
	assert_int_equal(tlist_rows(NULL, &rows, &n, &more, err, sizeof err), -1);
	assert_int_equal(n, 3);
	tlist_rows_free(rows, n);
}

static void test_date(void **state)
{
	char buf[40];
	(void)state;
	setenv("TZ", "UTC", 1);
	tlist_date("2026-11-28T16:00:00.0000000+01:00", 0, buf, sizeof buf);
	assert_string_equal(buf, "2026-11-28 15:00");
	tlist_date("2026-11-28T16:00:00", 60, buf, sizeof buf);  /* naive: the server's zone */
	assert_string_equal(buf, "2026-11-28 15:00");
	tlist_date("0001-01-01T00:00:00", 0, buf, sizeof buf);
	assert_string_equal(buf, "");
	tlist_date("tomorrow", 0, buf, sizeof buf);
	assert_string_equal(buf, "");
	tlist_date(NULL, 0, buf, sizeof buf);
	assert_string_equal(buf, "");
}

static void test_find_item(void **state)
{
	long id = 0;
	char err[400];
	cJSON *flat = tu_parse("[{\"Id\":1,\"Name\":\"Open\"},{\"Id\":2,\"Name\":\"Closed\"},"
	                       "{\"Id\":6,\"Name\":\"Waiting for customer\"},{\"Id\":7,\"Name\":\"Escalated\"},"
	                       "{\"Id\":\"x\",\"Name\":\"No id\"}]");
	cJSON *tree = tu_parse("[{\"Id\":1,\"Name\":\"Support\",\"ChildItems\":[{\"Id\":2,\"Name\":\"Printers\"},"
	                       "{\"Id\":3,\"Name\":\"Network\",\"ChildItems\":[{\"Id\":4,\"Name\":\"VPN\"}]}]},"
	                       "{\"Id\":6,\"Name\":\"Sales\",\"ChildItems\":[{\"Id\":7,\"Name\":\"Printers\"}]}]");
	(void)state;
	assert_int_equal(tlist_find_item(flat, "waiting for CUSTOMER", "status", &id, err, sizeof err), 0);
	assert_int_equal(id, 6);
	assert_int_equal(tlist_find_item(flat, "wait", "status", &id, err, sizeof err), 0);  /* a unique part */
	assert_int_equal(id, 6);
	assert_int_equal(tlist_find_item(flat, "42", "status", &id, err, sizeof err), 0);  /* an id as it is */
	assert_int_equal(id, 42);
	assert_int_equal(tlist_find_item(flat, "e", "status", &id, err, sizeof err), -1);
	assert_string_equal(err, "status \"e\" is ambiguous: Open, Closed, Waiting for customer, Escalated");
	assert_int_equal(tlist_find_item(flat, "nosuch", "status", &id, err, sizeof err), -1);
	assert_string_equal(err, "no status \"nosuch\"; there are: Open, Closed, Waiting for customer, Escalated");
	assert_int_equal(tlist_find_item(flat, "", "status", &id, err, sizeof err), -1);
	/* a tree: full paths, a last part, a part */
	assert_int_equal(tlist_find_item(tree, "support/network/vpn", "category", &id, err, sizeof err), 0);
	assert_int_equal(id, 4);
	assert_int_equal(tlist_find_item(tree, "VPN", "category", &id, err, sizeof err), 0);
	assert_int_equal(id, 4);
	assert_int_equal(tlist_find_item(tree, "Sales/Printers", "category", &id, err, sizeof err), 0);
	assert_int_equal(id, 7);
	assert_int_equal(tlist_find_item(tree, "printers", "category", &id, err, sizeof err), -1);
	assert_string_equal(err, "category \"printers\" is ambiguous: Support/Printers, Sales/Printers");
	assert_int_equal(tlist_find_item(tree, "netw", "category", &id, err, sizeof err), -1);  /* two contain it */
	assert_non_null(strstr(err, "Support/Network, Support/Network/VPN"));
	cJSON_Delete(flat);
	cJSON_Delete(tree);
	assert_int_equal(tlist_base_status("closed"), 2);
	assert_int_equal(tlist_base_status("Merged"), 5);
	assert_int_equal(tlist_base_status("open"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_filter),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_rows),
		cmocka_unit_test(test_date),
		cmocka_unit_test(test_find_item),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* test_core_html.c — message bodies as text (html.h): paragraphs and line
 * breaks, lists with markers and indent, quotes with their depth, links
 * numbered and listed, entities decoded, no tag in the text, scripts and
 * styles skipped, control characters passed on for the sanitiser, plain
 * text with "> " quotes and tabs; hostile and broken markup never crashes
 * and never leaks a tag. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ticketed/html.h"

/* The doc as one string: a line per logical line, "q<depth>|" before quoted
 * ones, the indent as blanks, "#" before headings, "---" for a rule. */
static char *dump(const html_doc *d)
{
	size_t cap = 64, n = 0;
	char *s = malloc(cap);
	assert_non_null(s);
	s[0] = '\0';
	for (size_t i = 0; i < d->n; i++) {
		const html_line *l = &d->v[i];
		size_t need = strlen(l->text) + (size_t)l->indent + 32;
		while (n + need >= cap)
			s = realloc(s, cap *= 2);
		assert_non_null(s);
		if (l->quote)
			n += (size_t)sprintf(s + n, "q%d|", l->quote);
		n += (size_t)sprintf(s + n, "%*s%s%s%s\n", l->indent, "", l->kind == HL_HEADING ? "#" : "",
		                     l->kind == HL_RULE ? "---" : "", l->text);
	}
	return s;
}

static void html_is(const char *in, const char *want)
{
	html_doc d;
	assert_int_equal(html_render(in, strlen(in), &d), 0);
	char *got = dump(&d);
	if (strcmp(got, want))
		fail_msg("html: %s\n--- want ---\n%s--- got ---\n%s", in, want, got);
	free(got);
	html_doc_free(&d);
}

static void plain_is(const char *in, const char *want)
{
	html_doc d;
	assert_int_equal(html_render_plain(in, strlen(in), &d), 0);
	char *got = dump(&d);
	if (strcmp(got, want))
		fail_msg("plain: %s\n--- want ---\n%s--- got ---\n%s", in, want, got);
	free(got);
	html_doc_free(&d);
}

static void test_paragraphs_and_breaks(void **state)
{
	(void)state;
	html_is("<p>one</p><p>two</p>", "one\n\ntwo\n");
	html_is("  <p>\n  spaced   out\n text </p>  ", "spaced out text\n");
	html_is("a<br>b<br/>c<br />d", "a\nb\nc\nd\n");
	html_is("a<br><br>b", "a\n\nb\n");
	html_is("a<br><br><br><br>b", "a\n\nb\n");
	html_is("<br><br><p>top</p><br><br>", "top\n");
	html_is("<div>line one</div><div>line two</div>", "line one\nline two\n");
	html_is("<h1>Title</h1><p>text</p>", "#Title\n\ntext\n");
	html_is("above<hr>below", "above\n---\nbelow\n");
	html_is("<b>bold</b> and <i>it</i><span>alic</span>", "bold and italic\n");
	html_is("", "");
	html_is("just text", "just text\n");
}

static void test_lists(void **state)
{
	(void)state;
	html_is("<p>Tried:</p><ul><li>one</li><li>two</li></ul><p>end</p>",
	        "Tried:\n\n  \u2022 one\n  \u2022 two\n\nend\n");
	html_is("<ol><li>a<li>b<li>c</ol>", "  1. a\n  2. b\n  3. c\n");
	html_is("<ol start=\"9\"><li>nine<li>ten</ol>", "  9. nine\n  10. ten\n");
	html_is("<ul><li>outer<ul><li>inner</li></ul></li><li>next</li></ul>",
	        "  \u2022 outer\n    \u25e6 inner\n  \u2022 next\n");
	html_is("<ul><li>item<br>more of it</li></ul>", "  \u2022 item\n    more of it\n");
	html_is("<li>stray item", "  \u2022 stray item\n");
	html_doc d;
	const char *s = "<ol><li>run the tool and wait for it to finish</li></ol>";
	assert_int_equal(html_render(s, strlen(s), &d), 0);
	assert_int_equal(d.n, 1);
	assert_int_equal(d.v[0].indent, 2);
	assert_int_equal(d.v[0].hang, 3);  /* wrapped lines go under the text, past "1. " */
	html_doc_free(&d);
}

static void test_quotes(void **state)
{
	(void)state;
	html_is("<p>Reply</p><blockquote><p>quoted one</p><p>quoted two</p></blockquote><p>after</p>",
	        "Reply\n\nq1|quoted one\nq1|\nq1|quoted two\n\nafter\n");
	html_is("<blockquote>a<blockquote>b</blockquote>c</blockquote>", "q1|a\nq1|\nq2|b\nq1|\nq1|c\n");
	plain_is("Hi\n\nOn Monday Bob wrote:\n> first\n> > nested\n>> also nested\n>\n> last\n",
	         "Hi\n\nOn Monday Bob wrote:\nq1|first\nq2|nested\nq2|also nested\nq1|\nq1|last\n");
}

static void test_links(void **state)
{
	(void)state;
	html_is("see <a href=\"https://kb.example/1\">the guide</a> and <a href='https://kb.example/2'>this</a>.",
	        "see the guide[1] and this[2].\n\nLinks:\n[1] https://kb.example/1\n[2] https://kb.example/2\n");
	html_is("<a href=https://x.example/a?b=1&amp;c=2>x</a> <a href=\"https://x.example/a?b=1&c=2\">again</a>",
	        "x[1] again[1]\n\nLinks:\n[1] https://x.example/a?b=1&c=2\n");
	html_is("<a href=\"#top\">top</a> <a name=x>anchor</a>", "top anchor\n");
	html_is("<a href=\"u\">unclosed", "unclosed[1]\n\nLinks:\n[1] u\n");
	html_is("<img src=x alt=\"a chart\"> <img src=y>", "[image: a chart]\n");
}

static void test_entities(void **state)
{
	(void)state;
	html_is("&amp; &lt;b&gt; &quot;q&quot; &apos;a&apos; caf&eacute; &Oslash;ystein &rsquo; &mdash; &hellip;",
	        "& <b> \"q\" 'a' caf\u00e9 \u00d8ystein \u2019 \u2014 \u2026\n");
	html_is("&#65;&#x42;&#X43; &#8209; &#150; &#128;", "ABC \u2011 \u2013 \u20ac\n");
	html_is("&#0; &#xD800; &#1114112; &#99999999999999;", "\ufffd \ufffd \ufffd \ufffd\n");
	html_is("&nosuch; &amp &copy2 AT&T &", "&nosuch; & \u00a92 AT&T &\n");
	html_is("a&nbsp;b", "a\u00a0b\n");
	assert_int_equal(html_entity("amp", 3), '&');
	assert_int_equal(html_entity("Oslash", 6), 0xD8);
	assert_int_equal(html_entity("oslash", 6), 0xF8);
	assert_int_equal(html_entity("OSLASH", 6), 0);
	assert_int_equal(html_entity("zwnj", 4), 0x200C);
	assert_int_equal(html_entity("am", 2), 0);
}

static void test_no_tags_no_scripts(void **state)
{
	(void)state;
	html_is("<html><head><title>T</title><style>p{x:y}</style><script>alert('<p>x</p>')</script></head>"
	        "<body onload=\"evil()\">shown<!-- <p>hidden</p> --></body></html>", "shown\n");
	html_is("<SCRIPT type=text/javascript>a</SCRIPT >b<Script>c</script\n>d", "bd\n");
	html_is("a<script>never closed <p>x", "a\n");
	html_is("<!DOCTYPE html><?xml x?>x<!-- unterminated comment", "x\n");
	html_is("<svg><text>drawn</text><svg>inner</svg>still</svg>after", "after\n");
	html_is("1 < 2 and 3<4, a <-> b, </ >x", "1 < 2 and 3<4, a <-> b, x\n");
	html_is("<p title='a>b'>quoted gt</p>", "quoted gt\n");
	html_is("<textarea><p>not a tag</p> &amp;</textarea>", "<p>not a tag</p> &\n");
	html_is("<pre>\n\tx\ty\n  kept  blanks</pre>", "        x       y\n  kept  blanks\n");
	html_is("<table><tr><th>A</th><th>B</th></tr><tr><td>1</td><td>2</td></tr></table>", "A | B\n1 | 2\n");
}

static void test_controls_passed_on(void **state)
{
	(void)state;
	/* the sanitiser at the draw boundary shows these as escapes: they
	 * must reach it, neither dropped nor interpreted */
	html_is("a\x1b[2Jb &#27;]0;x&#7; \xc2\x9b c", "a\x1b[2Jb \x1b]0;x\x07 \xc2\x9b c\n");
	html_is("bad \xff\xfe utf8", "bad \xff\xfe utf8\n");
	plain_is("raw\x1b[31m red\r\nnext\rsame", "raw\x1b[31m red\nnext\rsame\n");
}

static void test_plain(void **state)
{
	(void)state;
	plain_is("one\ntwo\r\n\r\nthree\n\n\n", "one\ntwo\n\nthree\n");
	plain_is("\tindented\tand tabbed", "        indented        and tabbed\n");
	plain_is("trailing   \n", "trailing\n");
	plain_is("", "");
	plain_is(">x\n>\n", "q1|x\n");
}

static void test_deep_nesting(void **state)
{
	(void)state;
	size_t n = 20000;
	char *s = malloc(n * 16 + 64), *o = s;
	assert_non_null(s);
	for (size_t i = 0; i < n; i++)
		o += sprintf(o, "<ul><li>%zu", i % 10);
	o += sprintf(o, "<blockquote>");
	for (size_t i = 0; i < 1000; i++)
		o += sprintf(o, "<blockquote>");
	sprintf(o, "deep");
	html_doc d;
	assert_int_equal(html_render(s, strlen(s), &d), 0);
	for (size_t i = 0; i < d.n; i++) {
		assert_true(d.v[i].indent <= 2 * HTML_MAX_DEPTH + 4);
		assert_true(d.v[i].quote <= HTML_MAX_DEPTH);
	}
	assert_string_equal(d.v[d.n - 1].text, "deep");
	html_doc_free(&d);
	free(s);
}

/* Every prefix of a tricky document renders without a tag in the text. */
static void test_truncated_input(void **state)
{
	(void)state;
	const char *s = "<p class=\"x\">a &amp; b<a href='h?a=1&amp;b'>l</a><!-- c --><script>s</script>"
	                "<ol start=3><li>i</ol><pre>\tp</pre><textarea>t</textarea>&#x41;&#65;&eacute;";
	size_t n = strlen(s);
	for (size_t k = 0; k <= n; k++) {
		html_doc d;
		assert_int_equal(html_render(s, k, &d), 0);
		for (size_t i = 0; i < d.n; i++)
			if (d.v[i].kind != HL_LINK && (strstr(d.v[i].text, "<p") || strstr(d.v[i].text, "<a") ||
			                               strstr(d.v[i].text, "script")))
				fail_msg("prefix %zu: a tag in line %zu: %s", k, i, d.v[i].text);
		html_doc_free(&d);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paragraphs_and_breaks),
		cmocka_unit_test(test_lists),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_links),
		cmocka_unit_test(test_entities),
		cmocka_unit_test(test_no_tags_no_scripts),
		cmocka_unit_test(test_controls_passed_on),
		cmocka_unit_test(test_plain),
		cmocka_unit_test(test_deep_nesting),
		cmocka_unit_test(test_truncated_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

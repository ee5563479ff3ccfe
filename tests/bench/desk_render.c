/* desk_render.c — how long a message body takes from its text to rows on
 * the screen: html_render (or html_render_plain), every character through
 * the sanitiser (bodyview_init), wrapped to 78 columns (bodyview_layout).
 * Built and run by tests/bench/desk.sh with the build's compiler and -O2.
 *
 *   desk_render KBYTES RUNS
 *
 * Generates an HTML e-mail of KBYTES KB (paragraphs with entities and
 * links, lists, quoted replies nested three deep, a table, preformatted
 * lines, a script and a style) and a plain-text one of the same size
 * ("> " quotes), renders each RUNS times interleaved, and prints the
 * median milliseconds: "html MS ROWS" and "plain MS ROWS". */
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "ticketed/bodyview.h"

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static char *make_html(size_t want)
{
	char *s = malloc(want + 4096);
	size_t n = 0;
	int i = 0;
	n += (size_t)sprintf(s + n, "<html><head><style>p { margin: 0 }</style><script>var x = 1;</script></head><body>");
	while (n < want) {
		switch (i % 6) {
		case 0:
			n += (size_t)sprintf(s + n, "<p>Paragraph %d: since Monday the VPN connection from the Bergen office "
			                     "drops every 10&nbsp;minutes &mdash; it&rsquo;s back after 30&nbsp;s. See "
			                     "<a href=\"https://support.example.com/kb/%d\">KB %d</a>.</p>", i, i, i);
			break;
		case 1:
			n += (size_t)sprintf(s + n, "<ul><li>restarting the FortiGate</li><li>another laptop (&Oslash;ystein&apos;s)"
			                     "</li><li>a wired connection instead of Wi&#8209;Fi</li></ul>");
			break;
		case 2:
			n += (size_t)sprintf(s + n, "<blockquote><p>On %d.11.2026 Ingrid wrote:</p><blockquote><p>quoted text "
			                     "with &lt;angle brackets&gt; and caf&eacute;</p><blockquote>deepest</blockquote>"
			                     "</blockquote></blockquote>", i % 28 + 1);
			break;
		case 3:
			n += (size_t)sprintf(s + n, "<table><tr><th>Host</th><th>Drops</th></tr><tr><td>laptop%02d</td>"
			                     "<td>%d</td></tr></table>", i % 100, i);
			break;
		case 4:
			n += (size_t)sprintf(s + n, "<pre>2026-11-21 11:%02d:00 ike: rekey\tSA %d\n2026-11-21 11:%02d:30 tunnel "
			                     "down</pre>", i % 60, i, i % 60);
			break;
		default:
			n += (size_t)sprintf(s + n, "<div>Kind regards,<br>J&uuml;rgen Gro&szlig;<br>2nd line support</div>");
		}
		i++;
	}
	strcpy(s + n, "</body></html>");
	return s;
}

static char *make_plain(size_t want)
{
	char *s = malloc(want + 512);
	size_t n = 0;
	int i = 0;
	while (n < want) {
		n += (size_t)sprintf(s + n, i % 3 ? "> > quoted line %d of an older mail in the thread\n"
		                                  : "Line %d: since Monday the VPN drops every 10 minutes; it is back "
		                                    "after 30 s.\tTabbed.\n", i);
		i++;
	}
	return s;
}

static double run(const char *text, bool html, size_t *rows)
{
	bodyview b;
	double t0 = now_ms();
	if (bodyview_init(&b, text, strlen(text), html) < 0 || bodyview_layout(&b, 78, false) < 0) {
		fprintf(stderr, "desk_render: out of memory\n");
		exit(1);
	}
	double t = now_ms() - t0;
	*rows = b.nrows;
	bodyview_free(&b);
	return t;
}

int main(int argc, char **argv)
{
	size_t kb = argc > 1 ? (size_t)atoi(argv[1]) : 200;
	int runs = argc > 2 ? atoi(argv[2]) : 9;
	setlocale(LC_ALL, "C.UTF-8");
	char *html = make_html(kb * 1024), *plain = make_plain(kb * 1024);
	double *th = calloc((size_t)runs, sizeof *th), *tp = calloc((size_t)runs, sizeof *tp);
	size_t rh = 0, rp = 0;
	for (int i = 0; i < runs; i++) {  /* interleaved */
		th[i] = run(html, true, &rh);
		tp[i] = run(plain, false, &rp);
	}
	qsort(th, (size_t)runs, sizeof *th, cmp);
	qsort(tp, (size_t)runs, sizeof *tp, cmp);
	printf("html %.2f %zu %zu\nplain %.2f %zu %zu\n", th[runs / 2], rh, strlen(html), tp[runs / 2], rp, strlen(plain));
	free(th);
	free(tp);
	free(html);
	free(plain);
	return 0;
}

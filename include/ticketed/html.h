/* html.h — message bodies as readable text, without curses: HTML (the
 * HtmlBody of a TicketMessage) and plain text (its Body) become logical
 * lines with their layout (indent, list marker width, quote depth, kind),
 * to be wrapped to a width and sanitised where they are drawn.
 *
 * HTML: paragraphs and headings are separated by a blank line, <br> and
 * block elements (div, li, tr, ...) start a line; lists get a marker
 * ("• ", "◦ ", "1. ") and 2 columns of indent per level; blockquotes raise
 * the quote depth; <pre> and <textarea> keep their lines (tabs expanded to
 * 8 columns); <hr> is a rule. Links are numbered where they end ("text[1]")
 * and listed after the text ("[1] URL", kind HL_LINK); <img alt> shows as
 * "[image: alt]". Entities are decoded (the HTML 4 named set and &apos;,
 * numeric references; the C1 range as windows-1252 does, as browsers do; 0,
 * surrogates and values beyond U+10FFFF become U+FFFD); an unknown entity
 * stays as written. No tag reaches the text: script, style, head, title,
 * template, svg, iframe, object and noscript are skipped with their
 * content, as are comments, <!...> and <?...>. Whitespace collapses as in a
 * browser. A NUL becomes U+FFFD (a C string cannot hold it), as browsers
 * show it. Everything else, control characters and invalid UTF-8 included,
 * is passed on as it is: the drawing sanitises (text.h). Nesting deeper
 * than HTML_MAX_DEPTH lists or quotes adds no more indent.
 *
 * Plain text: one logical line per line (CR LF or LF); leading ">" marks
 * (with or without blanks between them) are the quote depth, removed with
 * the blank after them; tabs are expanded to 8 columns.
 *
 * Both run in one pass over the input (a 200 KB body renders in a few
 * milliseconds; tests/bench/desk.sh measures it) and never fail on any
 * input except when out of memory.
 *
 * Ownership: an html_doc owns its lines and links (html_doc_free). No
 * cJSON. */
#ifndef TICKETED_HTML_H
#define TICKETED_HTML_H

#include <stdbool.h>
#include <stddef.h>

#define HTML_MAX_DEPTH 16

typedef enum {
	HL_TEXT,     /* running text */
	HL_HEADING,  /* h1..h6 */
	HL_PRE,      /* preformatted: its blanks are kept */
	HL_RULE,     /* <hr>: the text is empty */
	HL_LINK      /* the link list after the text: "[1] URL" (and its heading "Links:") */
} html_kind;

typedef struct {
	char *text;     /* UTF-8 as received (unsanitised), without a trailing newline */
	int indent;     /* columns before the text (list levels) */
	int hang;       /* further columns for its wrapped lines (a list marker's width) */
	int quote;      /* quote depth (blockquote levels, "> " levels) */
	html_kind kind;
} html_line;

typedef struct {
	html_line *v;
	size_t n, cap;
	char **links;   /* the link targets, numbered from 1 (links[0] is [1]) */
	size_t nlinks, linkcap;
} html_doc;

/* Render LEN bytes of HTML S into DOC (overwritten). 0, or -1 when out of
 * memory (DOC is then empty). */
int html_render(const char *s, size_t len, html_doc *doc);

/* Render LEN bytes of plain text S into DOC (overwritten). 0 or -1 as above. */
int html_render_plain(const char *s, size_t len, html_doc *doc);

void html_doc_free(html_doc *doc);

/* The code point of the named entity NAME (LEN bytes, without '&' and
 * ';'), or 0 when HTML 4 (and &apos;) has no such name. Case-sensitive. */
unsigned html_entity(const char *name, size_t len);

#endif

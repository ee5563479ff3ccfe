/* keys.h — one encoding for a key press, shared by the terminal, replay
 * files, recordings, the action table and the help screen.
 *
 * A tkey is a Unicode code point (printable characters and the control
 * characters C-a..C-z = 1..26, Esc = 27, Backspace may arrive as 127) or an
 * ncurses function key code (KEY_UP, KEY_F(1), KEY_BTAB, KEY_RESIZE...)
 * tagged with TK_FN so the two ranges never collide. */
#ifndef TICKETED_KEYS_H
#define TICKETED_KEYS_H

#include <stddef.h>
#include <stdint.h>
#include <curses.h>  /* first, so its own key_name(wchar_t) is declared before the macro below */

typedef int32_t tkey;

#define TK_FN_BIT   0x40000000
#define TK_FN(k)    ((tkey)(TK_FN_BIT | (k)))  /* k: an ncurses KEY_* code */
#define TK_IS_FN(k) (((k) & TK_FN_BIT) != 0)
/* A key that types text (not a function key, control character or DEL). */
#define TK_IS_TEXT(k) (!TK_IS_FN(k) && (k) >= 0x20 && (k) != 0x7F)
#define TK_CODE(k)  ((k) & ~TK_FN_BIT)
#define TK_CTRL(c)  ((tkey)((c) & 0x1f))       /* TK_CTRL('s') */
#define TK_ESC      27
#define TK_ENTER    '\n'
#define TK_NONE     ((tkey)-1)

/* Conventions (one canonical tkey per key, so bindings need one entry):
 *   Enter is '\n'. '\r' (C-m), C-j and KEY_ENTER all become '\n'.
 *   Tab is '\t' (= C-i); S-Tab is TK_FN(KEY_BTAB).
 *   Backspace is TK_FN(KEY_BACKSPACE): DEL (127) and ^H (8, C-h) become it,
 *   since terminals send either for the Backspace key; so <C-h> = <BS>.
 *   Del is TK_FN(KEY_DC); Space is ' '; Esc is 27.
 * Names beyond the documented replay syntax: <Resize> (KEY_RESIZE, in recordings), <Ins>,
 * <F13>..<F63>, <U+XXXX> (any code point, e.g. a C1 control or a literal
 * '#' or ':' at the start of a replay line) and <Key-N> (another ncurses
 * code N, decimal). Names are matched case-insensitively ("<enter>"). */

/* Name of K in replay syntax: "a", "<Enter>", "<C-s>", "<F2>", "<lt>",
 * "<Space>"; writes into BUF (at least 16 bytes). Returns BUF.
 * (Named tkey_name because ncursesw already exports key_name(wchar_t); the
 * three-argument macro keeps key_name(k, buf, n) working.) */
const char *tkey_name(tkey k, char *buf, size_t n);
#define key_name(k, buf, n) tkey_name((k), (buf), (n))

/* Parse one "<Name>" (without the brackets, e.g. "Enter", "C-s", "F2",
 * "S-Tab", "lt") into a key; TK_NONE if unknown. */
tkey key_parse_name(const char *name);

/* The canonical tkey for K (see the conventions above): '\r' -> '\n',
 * 8/127 -> <BS>, TK_FN(KEY_ENTER) -> '\n'. Other keys unchanged. */
tkey key_normalize(tkey k);

/* The canonical tkey for what wget_wch() returned (RC = OK or
 * KEY_CODE_YES, CH the character or key code); TK_NONE for ERR. */
tkey key_from_curses(int rc, unsigned int ch);

#endif

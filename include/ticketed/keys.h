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

typedef int32_t tkey;

#define TK_FN_BIT   0x40000000
#define TK_FN(k)    ((tkey)(TK_FN_BIT | (k)))  /* k: an ncurses KEY_* code */
#define TK_IS_FN(k) (((k) & TK_FN_BIT) != 0)
#define TK_CODE(k)  ((k) & ~TK_FN_BIT)
#define TK_CTRL(c)  ((tkey)((c) & 0x1f))       /* TK_CTRL('s') */
#define TK_ESC      27
#define TK_ENTER    '\n'
#define TK_NONE     ((tkey)-1)

/* Name of K in replay syntax: "a", "<Enter>", "<C-s>", "<F2>", "<lt>",
 * "<Space>"; writes into BUF (at least 16 bytes). Returns BUF. */
const char *key_name(tkey k, char *buf, size_t n);

/* Parse one "<Name>" (without the brackets, e.g. "Enter", "C-s", "F2",
 * "S-Tab", "lt") into a key; TK_NONE if unknown. */
tkey key_parse_name(const char *name);

#endif

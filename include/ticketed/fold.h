/* fold.h — search folding for type-to-filter: case- and accent-insensitive
 * matching of UTF-8 text ("bjorn" finds "Bjørn", "ase" finds "Åse").
 * Latin letters with diacritics (Latin-1 and Latin Extended-A) fold to their
 * ASCII base through a small table (ø→o, å→a, æ→ae, ß→ss, þ→th, œ→oe, ł→l),
 * combining marks (U+0300..U+036F) are dropped, other characters are
 * lowercased with towlower() and invalid bytes are kept as they are.
 *
 * Ownership: no cJSON; fold_text returns a malloc'd string the caller frees. */
#ifndef TICKETED_FOLD_H
#define TICKETED_FOLD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The ASCII folding of code point CP ("o" for U+00F8), or NULL when the
 * table has none (the caller then lowercases CP itself). */
const char *fold_cp(uint32_t cp);

/* S folded for matching; malloc'd. */
char *fold_text(const char *s);

/* Whether NEEDLE occurs in HAY once both are folded (an empty NEEDLE
 * matches everything). A letter of HAY with two usual ASCII spellings
 * matches either: æ "ae" or "a", ø "o" or "oe", å "a" or "aa", ä ö ü the
 * vowel or the vowel + "e" ("kvarno", "kvaerno" and "kvaernoe" all find
 * "Kværnø"). */
bool fold_contains(const char *hay, const char *needle);

#endif

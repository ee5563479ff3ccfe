/* num.h — the one strict parser for whole numbers typed by a person or read
 * from options, config and URLs: decimal only (no '+', no spaces, no other
 * bases; leading zeros are decimal), range-checked, with an error that says
 * what is wrong and at which column.
 *
 * Ownership: no cJSON; nothing is allocated. */
#ifndef TICKETED_NUM_H
#define TICKETED_NUM_H

#include <stdint.h>
#include "ticketed/errmsg.h"

/* All of S as a decimal integer in [MIN, MAX]: an optional '-' then digits.
 * Returns 0 with *OUT set, or -1 with ERR (may be NULL) filled and *OUT
 * untouched. Messages: "a whole number is needed", "not a whole number:
 * 'x' is not a digit" (at its column), "must not be negative", "must be
 * MIN or more", "must be MAX or less". */
int num_parse(const char *s, long long min, long long max, long long *out, text_error *err);

/* num_parse over the int32 range (the service's int fields). */
int num_int32(const char *s, int32_t *out, text_error *err);

/* A SuperOffice id (ticket, person, associate, list item): 1..2147483647. */
int num_id(const char *s, long *out, text_error *err);

#endif

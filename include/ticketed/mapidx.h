/* mapidx.h — member lookups in big JSON objects without cJSON's linear walk.
 *
 * cJSON keeps an object's members in a linked list, so json_get costs
 * O(members); called once per key of a map (a ticket's CustomFields) that
 * made loads and restores O(n^2). A mapidx is a sorted array of the
 * object's members, built once (O(n log n) with libc's qsort) and searched
 * with bsearch (O(log n)). map_updated builds a changed copy of a map in
 * one pass, so n changes cost O(n log n) instead of n copies of the map.
 *
 * Ownership: a mapidx borrows the object's items (valid while no member is
 * added, removed or renamed; rebuild it after) and owns only its array.
 * map_updated returns a new tree the caller owns; it copies the values it
 * is given and never keeps or frees them. */
#ifndef TICKETED_MAPIDX_H
#define TICKETED_MAPIDX_H

#include <stdbool.h>
#include <stddef.h>
#include <cjson/cJSON.h>

typedef struct {
	const cJSON **v;     /* the members, sorted by name (byte order), then position */
	size_t n;
} mapidx;

/* Index the members of OBJ (NULL or not an object: an empty index). */
void mapidx_build(mapidx *ix, const cJSON *obj);
void mapidx_free(mapidx *ix);

/* The first member named KEY (exact, case-sensitive, as json_get), or NULL. */
const cJSON *mapidx_get(const mapidx *ix, const char *key);

/* One change of a map: set KEY to a copy of VALUE, or remove it (VALUE NULL). */
typedef struct {
	const char *key;
	const cJSON *value;
} map_change;

/* A copy of MAP (NULL or not an object: an empty one) with the N changes
 * made, as if one after the other: members keep their order, a removed key
 * goes, a new key is added at the end (in the order of CH); when a key is
 * changed more than once the last change wins. New tree. */
cJSON *map_updated(const cJSON *map, const map_change *ch, size_t n);

#endif

/* mapidx.c — sorted member indexes and one-pass map updates (mapidx.h).
 * Nothing here is hand-made beyond the bookkeeping: the sorting and the
 * searching are libc's qsort and bsearch. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "ticketed/mapidx.h"
#include "ticketed/xalloc.h"

/* An entry while sorting: the member and its position (repeated names
 * keep document order, so the first is found as json_get finds it). */
typedef struct {
	const cJSON *item;
	size_t pos;
} ent;

static int ent_cmp(const void *a, const void *b)
{
	const ent *x = a, *y = b;
	int c = strcmp(x->item->string, y->item->string);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

void mapidx_build(mapidx *ix, const cJSON *obj)
{
	size_t n = 0, i = 0;
	const cJSON *c;
	ent *tmp;

	ix->v = NULL;
	ix->n = 0;
	if (!cJSON_IsObject(obj))
		return;
	for (c = obj->child; c; c = c->next)
		n += c->string != NULL;
	if (!n)
		return;
	tmp = xreallocarray(NULL, n, sizeof *tmp);
	for (c = obj->child; c; c = c->next)
		if (c->string) {
			tmp[i].item = c;
			tmp[i].pos = i;
			i++;
		}
	qsort(tmp, n, sizeof *tmp, ent_cmp);
	ix->v = xreallocarray(NULL, n, sizeof *ix->v);
	for (i = 0; i < n; i++)
		ix->v[i] = tmp[i].item;
	ix->n = n;
	free(tmp);
}

void mapidx_free(mapidx *ix)
{
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}

static int key_cmp(const void *k, const void *e)
{
	return strcmp(k, (*(const cJSON *const *)e)->string);
}

const cJSON *mapidx_get(const mapidx *ix, const char *key)
{
	const cJSON *const *p;

	if (!ix->n || !key)
		return NULL;
	p = bsearch(key, ix->v, ix->n, sizeof *ix->v, key_cmp);
	if (!p)
		return NULL;
	while (p > ix->v && !strcmp(p[-1]->string, key))  /* the first of a repeated name */
		p--;
	return *p;
}

/* A change while sorting: its position in the caller's array. */
typedef struct {
	const map_change *ch;
	size_t pos;
	bool met;   /* the map had the key (it was changed there) */
} chg;

static int chg_cmp(const void *a, const void *b)
{
	const chg *x = a, *y = b;
	int c = strcmp(x->ch->key, y->ch->key);
	if (c)
		return c;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int chg_pos_cmp(const void *a, const void *b)
{
	const chg *x = a, *y = b;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

static int chg_key_cmp(const void *k, const void *e)
{
	return strcmp(k, ((const chg *)e)->ch->key);
}

cJSON *map_updated(const cJSON *map, const map_change *ch, size_t n)
{
	cJSON *out = cJSON_CreateObject();
	chg *s = xreallocarray(NULL, n ? n : 1, sizeof *s);
	size_t i, k = 0;
	const cJSON *c;

	for (i = 0; i < n; i++) {
		s[i].ch = &ch[i];
		s[i].pos = i;
		s[i].met = false;
	}
	qsort(s, n, sizeof *s, chg_cmp);
	for (i = 0; i < n; i++) {  /* the last change of each key wins, placed where its first was */
		size_t pos = s[i].pos;
		while (i + 1 < n && !strcmp(s[i].ch->key, s[i + 1].ch->key))
			i++;
		s[k] = s[i];
		s[k++].pos = pos;
	}
	n = k;
	for (c = cJSON_IsObject(map) ? map->child : NULL; c; c = c->next) {
		chg *hit = c->string && n ? bsearch(c->string, s, n, sizeof *s, chg_key_cmp) : NULL;
		const cJSON *v = c;
		if (hit && !hit->met) {  /* a repeated name: only the first changes */
			v = hit->ch->value;
			hit->met = true;
		}
		if (v && c->string)
			cJSON_AddItemToObject(out, c->string, cJSON_Duplicate(v, 1));
	}
	for (i = k = 0; i < n; i++)  /* keys the map did not have, in the order given */
		if (!s[i].met && s[i].ch->value)
			s[k++] = s[i];
	qsort(s, k, sizeof *s, chg_pos_cmp);
	for (i = 0; i < k; i++)
		cJSON_AddItemToObject(out, s[i].ch->key, cJSON_Duplicate(s[i].ch->value, 1));
	free(s);
	return out;
}

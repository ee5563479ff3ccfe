/* render.c — what ticketd answers for a ticket, without copying it per
 * request.
 *
 * Each member of a ticket is kept serialized (a piece, `"Name":value`, in
 * the response date style) beside the tree. A save re-renders only the
 * members it changed; a full GET is the pieces in order plus a _Links piece
 * for the client's Host, handed to the network as they are (no copy, no
 * tree walk); the pieces of one moment form a snapshot that answers hold by
 * reference count, so a save never waits for a slow reader and 32 readers
 * share one copy of the text. A $select answer is built from the members it
 * names only: whole members from their pieces, nested paths from the tree,
 * everything else "null". */
#include "ticketd.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "ticketed/date.h"
#include "ticketed/json.h"

/* ---- pieces -------------------------------------------------------------- */

/* A JSON string literal for S (as cJSON writes keys) appended at O. */
static size_t quote(char *o, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	char *start = o;
	*o++ = '"';
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"': *o++ = '\\'; *o++ = '"'; break;
		case '\\': *o++ = '\\'; *o++ = '\\'; break;
		case '\b': *o++ = '\\'; *o++ = 'b'; break;
		case '\f': *o++ = '\\'; *o++ = 'f'; break;
		case '\n': *o++ = '\\'; *o++ = 'n'; break;
		case '\r': *o++ = '\\'; *o++ = 'r'; break;
		case '\t': *o++ = '\\'; *o++ = 't'; break;
		default:
			if (*p < 0x20) {
				memcpy(o, "\\u00", 4);
				o += 4;
				*o++ = hex[*p >> 4];
				*o++ = hex[*p & 15];
			} else {
				*o++ = (char)*p;
			}
		}
	}
	*o++ = '"';
	return (size_t)(o - start);
}

static td_text *text_new(const char *key, const char *value, size_t vlen)
{
	size_t kmax = strlen(key) * 6 + 3;
	td_text *t = malloc(sizeof *t + kmax + vlen + 1);
	if (!t)
		return NULL;
	atomic_init(&t->refs, 1);
	t->ml = false;
	t->klen = quote(t->s, key);
	t->s[t->klen++] = ':';
	memcpy(t->s + t->klen, value, vlen);
	t->len = t->klen + vlen;
	t->s[t->len] = '\0';
	return t;
}

static const char *const date_names[] = {
	"CreatedAt", "LastChanged", "ReadByOwner", "ReadByCustomer", "FirstReadByOwner", "FirstReadByUser",
	"Activate", "ClosedAt", "RepliedAt", "AlertTimeout", "Deadline", "ChangedAt", NULL
};

/* Whether the member NAME of a ticket holds dates the response style rewrites. */
static bool has_dates(const char *name)
{
	if (!strcmp(name, "Messages"))
		return true;
	for (const char *const *n = date_names; *n; n++)
		if (!strcmp(*n, name))
			return true;
	return false;
}

cJSON *td_raw_parse(const cJSON *m)
{
	char err[128];
	cJSON *t = cJSON_IsRaw(m) && m->valuestring
	           ? json_parse(m->valuestring, strlen(m->valuestring), "member", err, sizeof err)
	           : cJSON_Duplicate(m, true);
	return t;
}

td_text *text_member(const cJSON *m, td_dates d)
{
	char *value;
	if (d != DATES_KEEP && has_dates(m->string)) {
		/* restyle a copy inside a one-member object, as ticket_dates sees it */
		cJSON *wrap = cJSON_CreateObject(), *copy = td_raw_parse(m);
		if (!wrap || !copy) {
			cJSON_Delete(wrap);
			cJSON_Delete(copy);
			return NULL;
		}
		cJSON_AddItemToObject(wrap, m->string, copy);
		ticket_dates(wrap, d);
		value = json_print(wrap->child, false);
		cJSON_Delete(wrap);
	} else {
		value = json_print(m, false);
	}
	if (!value)
		return NULL;
	td_text *t = text_new(m->string, value, strlen(value));
	free(value);
	if (t)
		t->ml = td_member_translatable(m);
	return t;
}

void text_put(td_text *t)
{
	if (t && atomic_fetch_sub(&t->refs, 1) == 1)
		free(t);
}

/* ---- snapshots -------------------------------------------------------------- */

int ticket_render(td_ticket *t, td_dates d, td_snap **out)
{
	size_t n = (size_t)cJSON_GetArraySize(t->doc);
	if (n > t->npiece) {
		td_text **np = realloc(t->piece, n * sizeof *np);
		if (!np)
			return -1;
		memset(np + t->npiece, 0, (n - t->npiece) * sizeof *np);
		t->piece = np;
		t->npiece = n;
	}
	td_snap *s = malloc(sizeof *s + n * sizeof s->piece[0]);
	if (!s)
		return -1;
	atomic_init(&s->refs, 1);
	s->n = n;
	s->len = 0;
	size_t i = 0;
	for (const cJSON *m = t->doc->child; m; m = m->next, i++) {
		if (!strcmp(m->string, "_Links")) {
			s->piece[i] = NULL;  /* built per answer for the client's Host */
			continue;
		}
		if (!t->piece[i] && !(t->piece[i] = text_member(m, d))) {
			s->n = i;
			snap_put(s);
			return -1;
		}
		s->piece[i] = t->piece[i];
		atomic_fetch_add(&s->piece[i]->refs, 1);
		s->len += s->piece[i]->len;
	}
	*out = s;
	return 0;
}

td_snap *snap_get(td_ticket *t)
{
	pthread_mutex_lock(&t->snap_lock);
	td_snap *s = t->snap;
	atomic_fetch_add(&s->refs, 1);
	pthread_mutex_unlock(&t->snap_lock);
	return s;
}

void snap_put(td_snap *s)
{
	if (!s || atomic_fetch_sub(&s->refs, 1) != 1)
		return;
	for (size_t i = 0; i < s->n; i++)
		text_put(s->piece[i]);
	free(s);
}

/* ---- $select ---------------------------------------------------------------- */

typedef struct {
	char **tok;
	size_t n;
} sel_path;

struct td_select {
	char *copy;              /* the tokens point into it */
	sel_path *paths;
	size_t n;
};

void select_free(td_select *sel)
{
	if (!sel)
		return;
	for (size_t i = 0; i < sel->n; i++)
		free(sel->paths[i].tok);
	free(sel->paths);
	free(sel->copy);
	free(sel);
}

/* "Title, OwnedBy/AssociateId" -> paths of tokens split at '/' and '.',
 * blanks around each path trimmed, empty ones skipped. */
td_select *select_parse(const char *select)
{
	td_select *sel = calloc(1, sizeof *sel);
	if (!sel || !select || !(sel->copy = strdup(select))) {
		free(sel);
		return NULL;
	}
	char *save = NULL;
	for (char *p = strtok_r(sel->copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		while (*p == ' ')
			p++;
		size_t len = strlen(p);
		while (len && p[len - 1] == ' ')
			p[--len] = '\0';
		sel_path sp = { NULL, 0 };
		char *save2 = NULL;
		for (char *t = strtok_r(p, "/.", &save2); t; t = strtok_r(NULL, "/.", &save2)) {
			char **nt = realloc(sp.tok, (sp.n + 1) * sizeof *nt);
			if (!nt)
				goto nomem;
			sp.tok = nt;
			sp.tok[sp.n++] = t;
		}
		if (!sp.n)
			continue;
		sel_path *np = realloc(sel->paths, (sel->n + 1) * sizeof *np);
		if (!np) {
			free(sp.tok);
			goto nomem;
		}
		sel->paths = np;
		sel->paths[sel->n++] = sp;
	}
	if (sel->n)
		return sel;
nomem:
	select_free(sel);
	return NULL;
}

/* Which of PATHS (at DEPTH) name member NAME: WHOLE if one ends there, the
 * longer ones copied to SUB (room for NP); returns how many went to SUB. */
static size_t sel_match(const sel_path *paths, size_t np, size_t depth, const char *name, bool *whole,
                        sel_path *sub)
{
	size_t ns = 0;
	*whole = false;
	for (size_t i = 0; name && i < np; i++) {
		if (strcasecmp(paths[i].tok[depth], name))
			continue;
		if (paths[i].n == depth + 1)
			*whole = true;
		else
			sub[ns++] = paths[i];
	}
	return ns;
}

static cJSON *select_value(const cJSON *v, const sel_path *paths, size_t np, size_t depth);

/* A new object with OBJ's members: those PATHS name whole copied, those
 * named by longer paths selected further, the rest null. */
static cJSON *select_object(const cJSON *obj, const sel_path *paths, size_t np, size_t depth)
{
	cJSON *out = cJSON_CreateObject();
	sel_path *sub = malloc((np ? np : 1) * sizeof *sub);
	if (!out || !sub) {
		free(sub);
		cJSON_Delete(out);
		return NULL;
	}
	for (const cJSON *m = obj->child; m; m = m->next) {
		bool whole;
		size_t ns = sel_match(paths, np, depth, m->string, &whole, sub);
		cJSON *v = whole ? cJSON_Duplicate(m, true) : ns ? select_value(m, sub, ns, depth + 1)
		                                                 : cJSON_CreateNull();
		if (!v || !m->string) {
			cJSON_Delete(v);
			continue;
		}
		cJSON_AddItemToObject(out, m->string, v);
	}
	free(sub);
	return out;
}

/* V selected by PATHS that go deeper (at DEPTH): objects member by member,
 * arrays element by element (elements that are not objects kept), null
 * kept, any other value null. */
static cJSON *select_value(const cJSON *v, const sel_path *paths, size_t np, size_t depth)
{
	if (cJSON_IsObject(v))
		return select_object(v, paths, np, depth);
	if (cJSON_IsArray(v)) {
		cJSON *out = cJSON_CreateArray();
		for (const cJSON *el = v->child; out && el; el = el->next) {
			cJSON *x = cJSON_IsObject(el) ? select_object(el, paths, np, depth) : cJSON_Duplicate(el, true);
			if (x)
				cJSON_AddItemToArray(out, x);
		}
		return out;
	}
	return cJSON_CreateNull();
}

/* A growing text buffer. */
typedef struct {
	char *p;
	size_t n, cap;
	bool oom;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n + 1 > b->cap) {
		size_t cap = (b->n + n + 1) * 2;
		char *np = realloc(b->p, cap);
		if (!np) {
			b->oom = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

/* Member M (its `"Name":` prefix PREFIX) under SEL into B: whole from
 * PIECE (or printed), nested paths rebuilt, else null. */
static void select_member(sbuf *b, const cJSON *m, const td_text *piece, const char *prefix, size_t plen,
                          const td_select *sel, sel_path *sub, td_dates d)
{
	bool whole;
	size_t ns = sel_match(sel->paths, sel->n, 0, m->string, &whole, sub);
	if (whole && piece) {
		sb_add(b, piece->s, piece->len);
		return;
	}
	sb_add(b, prefix, plen);
	cJSON *tree = !whole && ns && cJSON_IsRaw(m) ? td_raw_parse(m) : NULL;
	cJSON *v = whole ? NULL : ns ? select_value(tree ? tree : m, sub, ns, 1) : NULL;
	cJSON_Delete(tree);
	char *text = NULL;
	if (whole) {
		td_text *t = text_member(m, d);
		if (t)
			sb_add(b, t->s + t->klen, t->len - t->klen);
		else
			b->oom = true;
		text_put(t);
		return;
	}
	if (v && d != DATES_KEEP && has_dates(m->string)) {
		cJSON *wrap = cJSON_CreateObject();
		if (wrap) {
			cJSON_AddItemToObject(wrap, m->string, v);
			ticket_dates(wrap, d);
			v = cJSON_DetachItemViaPointer(wrap, wrap->child);
			cJSON_Delete(wrap);
		}
	}
	text = v ? json_print(v, false) : NULL;
	if (text)
		sb_add(b, text, strlen(text));
	else
		sb_add(b, "null", 4);
	free(text);
	cJSON_Delete(v);
}

char *ticket_select_text(const td_ticket *t, const td_select *sel, const cJSON *links, td_dates d)
{
	sbuf b = { 0 };
	sel_path *sub = malloc(sel->n * sizeof *sub);
	if (!sub)
		return NULL;
	sb_add(&b, "{", 1);
	size_t i = 0;
	bool first = true;
	for (const cJSON *m = t->doc->child; m; m = m->next, i++) {
		const td_text *piece = i < t->npiece ? t->piece[i] : NULL;
		if (!strcmp(m->string, "_Links"))
			continue;
		if (!first)
			sb_add(&b, ",", 1);
		first = false;
		if (piece) {
			select_member(&b, m, piece, piece->s, piece->klen, sel, sub, d);
		} else {
			td_text *k = text_new(m->string, "", 0);
			if (!k) {
				b.oom = true;
				break;
			}
			select_member(&b, m, NULL, k->s, k->klen, sel, sub, d);
			text_put(k);
		}
	}
	if (links) {
		td_text *k = text_new("_Links", "", 0);
		if (k) {
			if (!first)
				sb_add(&b, ",", 1);
			select_member(&b, links, NULL, k->s, k->klen, sel, sub, DATES_KEEP);
			text_put(k);
		} else {
			b.oom = true;
		}
	}
	sb_add(&b, "}", 1);
	free(sub);
	if (b.oom) {
		free(b.p);
		return NULL;
	}
	return b.p;
}

/* ---- response date style ---------------------------------------------------- */

static void restyle_member(cJSON *obj, const char *name, td_dates style)
{
	cJSON *v = json_get(obj, name);
	tdate d;
	char err[128], buf[64];
	if (!cJSON_IsString(v) || date_parse(v->valuestring, 0, &d, err, sizeof err) || d.empty)
		return;
	if (style == DATES_OFFSET) {
		if (d.style == DATE_NAIVE)
			d.offset_min = 0;
		d.style = DATE_OFFSET;
		d.frac_digits = 7;
	} else {
		d.style = DATE_NAIVE;
		d.offset_min = 0;
		d.frac_digits = 0;
	}
	date_format(&d, buf, sizeof buf);
	cJSON *nv = cJSON_CreateString(buf);
	if (!nv)
		return;
	nv->string = v->string;
	nv->type &= ~cJSON_StringIsConst;
	v->string = NULL;
	cJSON_ReplaceItemViaPointer(obj, v, nv);
}

void ticket_dates(cJSON *doc, td_dates style)
{
	if (style == DATES_KEEP)
		return;
	for (const char *const *n = date_names; *n; n++)
		restyle_member(doc, *n, style);
	cJSON *msg;
	cJSON_ArrayForEach(msg, json_get(doc, "Messages"))
		for (const char *const *n = date_names; *n; n++)
			restyle_member(msg, *n, style);
}

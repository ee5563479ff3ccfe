/* desk.c — the conversation's state for one session (rules in desk.h). */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>
#include <time.h>
#include <unistd.h>
#include "ticketed/desk.h"
#include "ticketed/errmsg.h"
#include "ticketed/json.h"
#include "ticketed/xalloc.h"

struct desk {
	desk_note *note;
	char notice[400];
	bool has_notice;
	desk_body *bodies;
	size_t nbodies;
};

desk *desk_new(void)
{
	return xcalloc(1, sizeof(desk));
}

static void note_free(desk_note *n)
{
	if (!n)
		return;
	free(n->text);
	free(n->status_name);
	free(n);
}

void desk_free(desk *d)
{
	if (!d)
		return;
	note_free(d->note);
	for (size_t i = 0; i < d->nbodies; i++) {
		free(d->bodies[i].text);
		free(d->bodies[i].author);
		free(d->bodies[i].created);
		free(d->bodies[i].slevel);
		free(d->bodies[i].header);
	}
	free(d->bodies);
	free(d);
}

desk_note *desk_note_get(desk *d)
{
	return d ? d->note : NULL;
}

/* A MessageId no other note has: the ticket, the time and 64 random bits. */
static void new_message_id(long ticket, char *out, size_t n)
{
	unsigned long long r = 0;
	if (getrandom(&r, sizeof r, 0) != (ssize_t)sizeof r)
		r = ((unsigned long long)time(NULL) << 20) ^ (unsigned long long)getpid() ^ (unsigned long long)clock();
	snprintf(out, n, "<ticketed.%ld.%llx.%016llx@ticketed.invalid>", ticket, (unsigned long long)time(NULL), r);
}

desk_note *desk_note_start(desk *d, bool reply, long ticket, const char *text)
{
	if (d->note)
		return NULL;
	desk_note *n = xcalloc(1, sizeof *n);
	n->reply = reply;
	n->text = xstrdup(text ? text : "");
	new_message_id(ticket, n->message_id, sizeof n->message_id);
	d->note = n;
	return n;
}

void desk_note_set_text(desk *d, const char *text)
{
	if (!d->note)
		return;
	free(d->note->text);
	d->note->text = xstrdup(text ? text : "");
}

void desk_note_drop(desk *d)
{
	note_free(d->note);
	d->note = NULL;
}

cJSON *desk_note_json(const desk *d)
{
	const desk_note *n = d ? d->note : NULL;
	if (!n)
		return NULL;
	cJSON *e = cJSON_CreateObject(), *v = cJSON_CreateObject();
	cJSON_AddStringToObject(e, "field", "note");
	cJSON_AddItemToObject(e, "value", v);
	cJSON_AddStringToObject(v, "kind", n->reply ? "reply" : "note");
	cJSON_AddStringToObject(v, "text", n->text);
	cJSON_AddStringToObject(v, "message_id", n->message_id);
	if (n->status_id > 0) {
		cJSON_AddNumberToObject(v, "status_id", (double)n->status_id);
		cJSON_AddStringToObject(v, "status_name", n->status_name ? n->status_name : "");
	}
	if (n->unsure)
		cJSON_AddBoolToObject(v, "unsure", true);
	if (n->posted_id > 0)
		cJSON_AddNumberToObject(v, "posted_id", (double)n->posted_id);
	return e;
}

int desk_note_restore(desk *d, const cJSON *e, char *err, size_t errlen)
{
	const cJSON *v = json_get(e, "value");
	if (!v)
		v = e;
	const cJSON *kind = json_get(v, "kind"), *text = json_get(v, "text"), *mid = json_get(v, "message_id");
	const cJSON *sid = json_get(v, "status_id"), *sname = json_get(v, "status_name");
	const cJSON *unsure = json_get(v, "unsure"), *posted = json_get(v, "posted_id");
	if (!cJSON_IsObject(v) || !cJSON_IsString(kind) || (strcmp(kind->valuestring, "note") &&
	                                                      strcmp(kind->valuestring, "reply"))) {
		seterr(err, errlen, "the draft's note: \"kind\" is not \"note\" or \"reply\"");
		return -1;
	}
	if (!cJSON_IsString(text) || !cJSON_IsString(mid) || !mid->valuestring[0] ||
	    strlen(mid->valuestring) >= sizeof d->note->message_id) {
		seterr(err, errlen, "the draft's note: \"text\" or \"message_id\" is missing or not a string");
		return -1;
	}
	if ((sid && !json_is_int32(sid)) || (sname && !cJSON_IsString(sname)) || (unsure && !cJSON_IsBool(unsure)) ||
	    (posted && !json_is_int32(posted))) {
		seterr(err, errlen, "the draft's note: a member has the wrong type");
		return -1;
	}
	desk_note_drop(d);
	desk_note *n = xcalloc(1, sizeof *n);
	n->reply = !strcmp(kind->valuestring, "reply");
	n->text = xstrdup(text->valuestring);
	snprintf(n->message_id, sizeof n->message_id, "%s", mid->valuestring);
	n->status_id = sid && sid->valueint > 0 ? sid->valueint : 0;
	n->status_name = n->status_id && sname ? xstrdup(sname->valuestring) : NULL;
	n->unsure = cJSON_IsTrue(unsure);
	n->posted_id = posted && posted->valueint > 0 ? posted->valueint : 0;
	d->note = n;
	return 0;
}

/* ---- replies ------------------------------------------------------------- */

static bool recipient_ok(const char *r)
{
	const char *at = strchr(r, '@');
	if (at) {
		if (at == r || !at[1] || strchr(at + 1, '@'))
			return false;
		for (const unsigned char *p = (const unsigned char *)r; *p; p++)
			if (*p <= ' ' || *p == 0x7f || *p == '<' || *p == '>' || *p == ',' || *p == ';')
				return false;
		return true;
	}
	const char *p = r + (*r == '+');
	if (!*p)
		return false;
	for (; *p; p++)
		if (!isdigit((unsigned char)*p) && *p != ' ' && *p != '-')
			return false;
	return true;
}

/* VALUE (LEN bytes) as a checked, normalised recipient list ("a, b") in
 * *OUT; -1 with ERR naming line LINE. */
static int recipients(const char *value, size_t len, int line, char **out, char *err, size_t errlen)
{
	char *v = xstrndup(value, len), *save = NULL;
	size_t cap = len + 16, o = 0;
	char *res = xmalloc(cap);
	res[0] = '\0';
	for (char *tok = strtok_r(v, ",;", &save); tok; tok = strtok_r(NULL, ",;", &save)) {
		while (*tok == ' ' || *tok == '\t')
			tok++;
		size_t n = strlen(tok);
		while (n && (tok[n - 1] == ' ' || tok[n - 1] == '\t'))
			tok[--n] = '\0';
		if (!n)
			continue;
		if (!recipient_ok(tok)) {
			seterr(err, errlen, "line %d: \"%.60s\" is neither an e-mail address nor a phone number", line, tok);
			free(v);
			free(res);
			return -1;
		}
		o += (size_t)snprintf(res + o, cap - o, "%s%s", o ? ", " : "", tok);
	}
	free(v);
	*out = res;
	return 0;
}

int desk_reply_parse(const char *text, desk_reply *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	const char *p = text;
	int line = 1;
	while (*p) {
		const char *nl = strchr(p, '\n'), *colon;
		size_t len = nl ? (size_t)(nl - p) : strlen(p);
		if (len == 0 || (len == 1 && p[0] == '\r')) {
			p += len + (nl ? 1 : 0);
			break;
		}
		colon = memchr(p, ':', len);
		if (!colon) {
			seterr(err, errlen, "line %d: a header line (To:, Cc:, Subject:) or an empty line before the text "
			       "was expected", line);
			desk_reply_free(out);
			return -1;
		}
		size_t nlen = (size_t)(colon - p);
		const char *val = colon + 1;
		size_t vlen = len - nlen - 1;
		while (vlen && (*val == ' ' || *val == '\t'))
			val++, vlen--;
		while (vlen && (val[vlen - 1] == '\r' || val[vlen - 1] == ' '))
			vlen--;
		char **slot = nlen == 2 && !strncasecmp(p, "To", 2) ? &out->to
		            : nlen == 2 && !strncasecmp(p, "Cc", 2) ? &out->cc
		            : nlen == 7 && !strncasecmp(p, "Subject", 7) ? &out->subject : NULL;
		if (!slot) {
			seterr(err, errlen, "line %d: \"%.*s\" is not a header a reply has (To, Cc, Subject)", line,
			       (int)(nlen > 40 ? 40 : nlen), p);
			desk_reply_free(out);
			return -1;
		}
		if (*slot) {
			seterr(err, errlen, "line %d: %.*s is given twice", line, (int)nlen, p);
			desk_reply_free(out);
			return -1;
		}
		if (slot == &out->subject)
			*slot = xstrndup(val, vlen);
		else if (recipients(val, vlen, line, slot, err, errlen) < 0) {
			desk_reply_free(out);
			return -1;
		}
		line++;
		p += len + (nl ? 1 : 0);
		if (!nl)
			break;
	}
	if (!out->to || !out->to[0]) {
		seterr(err, errlen, "line 1: To: names nobody: the reply needs a recipient");
		desk_reply_free(out);
		return -1;
	}
	if (!out->cc)
		out->cc = xstrdup("");
	if (!out->subject)
		out->subject = xstrdup("");
	out->body = p;
	const char *q = p;
	while (*q == ' ' || *q == '\n' || *q == '\r' || *q == '\t')
		q++;
	if (!*q) {
		seterr(err, errlen, "line %d: the reply has no text", line + 1);
		desk_reply_free(out);
		return -1;
	}
	return 0;
}

void desk_reply_free(desk_reply *r)
{
	free(r->to);
	free(r->cc);
	free(r->subject);
	memset(r, 0, sizeof *r);
}

char *desk_reply_template(const char *to, const char *title)
{
	const char *t = title ? title : "";
	bool re = !strncasecmp(t, "Re:", 3);
	size_t n = strlen(to ? to : "") + strlen(t) + 48;
	char *s = xmalloc(n);
	snprintf(s, n, "To: %s\nCc: \nSubject: %s%s\n\n", to ? to : "", re ? "" : "Re: ", t);
	return s;
}

/* ---- posting ---------------------------------------------------------------- */

/* TEXT without trailing blank lines and blanks (copied). */
static char *trimmed(const char *text)
{
	size_t n = strlen(text);
	while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ' || text[n - 1] == '\t'))
		n--;
	return xstrndup(text, n);
}

cJSON *desk_note_body(const desk_note *note, long ticket)
{
	cJSON *b = cJSON_CreateObject(), *t = cJSON_CreateObject();
	cJSON_AddNumberToObject(t, "TicketId", (double)ticket);
	cJSON_AddItemToObject(b, "Ticket", t);
	cJSON_AddStringToObject(b, "Slevel", note->reply ? "External" : "Internal");
	cJSON_AddStringToObject(b, "Type", "Plain");
	desk_reply r;
	char err[200], *body;
	if (note->reply && desk_reply_parse(note->text, &r, err, sizeof err) == 0) {
		body = trimmed(r.body);
		desk_reply_free(&r);
	} else {
		body = trimmed(note->text);
	}
	cJSON_AddStringToObject(b, "Body", body);
	free(body);
	cJSON_AddStringToObject(b, "MessageId", note->message_id);
	return b;
}

long desk_find_posted(const cJSON *answer, const char *message_id)
{
	const cJSON *rows = json_get(answer, "value"), *r;
	if (!cJSON_IsArray(rows))
		return -1;
	cJSON_ArrayForEach(r, rows) {
		const cJSON *m = json_get_ci(r, "messageId"), *id = json_get_ci(r, "ticketMessageId");
		if (!id)
			id = json_get_ci(r, "PrimaryKey");
		if (cJSON_IsString(m) && !strcmp(m->valuestring, message_id))
			return json_is_int32(id) && id->valueint > 0 ? id->valueint : 1;
	}
	return 0;
}

void desk_notice_set(desk *d, const char *text)
{
	snprintf(d->notice, sizeof d->notice, "%s", text ? text : "");
	d->has_notice = text != NULL;
}

const char *desk_notice_take(desk *d)
{
	if (!d || !d->has_notice)
		return NULL;
	d->has_notice = false;
	return d->notice;
}

/* ---- bodies ------------------------------------------------------------------ */

const desk_body *desk_body_get(const desk *d, long id)
{
	for (size_t i = 0; d && i < d->nbodies; i++)
		if (d->bodies[i].id == id)
			return &d->bodies[i];
	return NULL;
}

static char *str_member(const cJSON *o, const char *name)
{
	const cJSON *v = json_get_ci(o, name);
	return xstrdup(cJSON_IsString(v) ? v->valuestring : "");
}

const desk_body *desk_body_put(desk *d, const cJSON *entity)
{
	const cJSON *id = json_get_ci(entity, "EjMessageId");
	if (!json_is_int32(id) || id->valueint <= 0)
		return NULL;
	const cJSON *type = json_get_ci(entity, "Type"), *html = json_get_ci(entity, "HtmlBody");
	const cJSON *body = json_get_ci(entity, "Body");
	bool has_html = cJSON_IsString(html) && html->valuestring[0];
	bool has_text = cJSON_IsString(body) && body->valuestring[0];
	bool is_html = has_html && (!has_text || (cJSON_IsString(type) && !strcasecmp(type->valuestring, "Html")));
	desk_body *b = (desk_body *)desk_body_get(d, id->valueint);
	if (!b) {
		d->bodies = xreallocarray(d->bodies, d->nbodies + 1, sizeof *d->bodies);
		b = &d->bodies[d->nbodies++];
	} else {
		free(b->text);
		free(b->author);
		free(b->created);
		free(b->slevel);
		free(b->header);
	}
	b->id = id->valueint;
	b->html = is_html;
	b->text = xstrdup(is_html ? html->valuestring : has_text ? body->valuestring : "");
	b->author = str_member(entity, "Author");
	b->created = str_member(entity, "CreatedAt");
	b->slevel = str_member(entity, "Slevel");
	b->header = str_member(entity, "EmailHeader");
	b->important = cJSON_IsTrue(json_get_ci(entity, "Important"));
	return b;
}

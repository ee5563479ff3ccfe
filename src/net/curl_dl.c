/*
 * libcurl, loaded on first use.
 *
 * Debian's libcurl is linked with BIND_NOW and pulls in OpenSSL, GnuTLS,
 * LDAP, Kerberos, SSH and RTMP: binding all of that took 6 ms of every
 * start, a third of `ticketed diff` on a 5 MB pair, which never speaks to a
 * server. So `ticketed` is not linked with -lcurl; the libcurl functions it
 * calls are defined here and forward to the library opened with dlopen the
 * first time one of them is called. The variadic setopt/getinfo calls pass
 * their one argument on by the type libcurl itself reads it as (the
 * option's number range names it: long, object pointer, function pointer,
 * curl_off_t, blob).
 *
 * A program that is linked with -lcurl anyway (the unit tests) gets the
 * already loaded library from dlopen: one copy either way.
 */
#define CURL_DISABLE_TYPECHECK 1
#include <dlfcn.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <curl/curl.h>

static void *curl_lib;

static void *curl_sym(const char *name)
{
	void *f;
	if (!curl_lib) {
		curl_lib = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
		if (!curl_lib) {
			const char *e = dlerror();
			fprintf(stderr, "ticketed: cannot load libcurl (libcurl.so.4): %s\n", e ? e : "not found");
			exit(2);
		}
	}
	f = dlsym(curl_lib, name);
	if (!f) {
		fprintf(stderr, "ticketed: libcurl.so.4 has no %s (libcurl 7.80 or newer is needed)\n", name);
		exit(2);
	}
	return f;
}

/* P_NAME: the library's NAME, looked up once. */
#define CURL_FN(name) \
	static __typeof__(&name) p_##name; \
	if (!p_##name) \
		p_##name = (__typeof__(&name))curl_sym(#name)

typedef void (*curl_any_fn)(void);

CURLcode curl_global_init(long flags)
{
	CURL_FN(curl_global_init);
	return p_curl_global_init(flags);
}

char *curl_version(void)
{
	CURL_FN(curl_version);
	return p_curl_version();
}

CURL *curl_easy_init(void)
{
	CURL_FN(curl_easy_init);
	return p_curl_easy_init();
}

void curl_easy_cleanup(CURL *h)
{
	CURL_FN(curl_easy_cleanup);
	p_curl_easy_cleanup(h);
}

void curl_easy_reset(CURL *h)
{
	CURL_FN(curl_easy_reset);
	p_curl_easy_reset(h);
}

const char *curl_easy_strerror(CURLcode c)
{
	CURL_FN(curl_easy_strerror);
	return p_curl_easy_strerror(c);
}

char *curl_easy_escape(CURL *h, const char *s, int n)
{
	CURL_FN(curl_easy_escape);
	return p_curl_easy_escape(h, s, n);
}

void curl_free(void *p)
{
	CURL_FN(curl_free);
	p_curl_free(p);
}

CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
	CURL_FN(curl_easy_setopt);
	va_list ap;
	CURLcode rc;
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = p_curl_easy_setopt(h, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = p_curl_easy_setopt(h, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = p_curl_easy_setopt(h, opt, va_arg(ap, curl_any_fn));
	else if (opt < CURLOPTTYPE_BLOB)
		rc = p_curl_easy_setopt(h, opt, va_arg(ap, curl_off_t));
	else
		rc = p_curl_easy_setopt(h, opt, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	CURL_FN(curl_easy_getinfo);
	va_list ap;
	CURLcode rc;
	va_start(ap, info);
	rc = p_curl_easy_getinfo(h, info, va_arg(ap, void *));  /* always a pointer to the answer */
	va_end(ap);
	return rc;
}

struct curl_slist *curl_slist_append(struct curl_slist *l, const char *s)
{
	CURL_FN(curl_slist_append);
	return p_curl_slist_append(l, s);
}

void curl_slist_free_all(struct curl_slist *l)
{
	CURL_FN(curl_slist_free_all);
	p_curl_slist_free_all(l);
}

CURLU *curl_url(void)
{
	CURL_FN(curl_url);
	return p_curl_url();
}

void curl_url_cleanup(CURLU *u)
{
	CURL_FN(curl_url_cleanup);
	p_curl_url_cleanup(u);
}

CURLUcode curl_url_set(CURLU *u, CURLUPart what, const char *part, unsigned int flags)
{
	CURL_FN(curl_url_set);
	return p_curl_url_set(u, what, part, flags);
}

/* libcurl 8 declares the handle const; 7.x does not. */
#if LIBCURL_VERSION_NUM >= 0x080000
#define CURL_URL_GET_HANDLE const CURLU
#else
#define CURL_URL_GET_HANDLE CURLU
#endif
CURLUcode curl_url_get(CURL_URL_GET_HANDLE *u, CURLUPart what, char **part, unsigned int flags)
{
	CURL_FN(curl_url_get);
	return p_curl_url_get(u, what, part, flags);
}

CURLM *curl_multi_init(void)
{
	CURL_FN(curl_multi_init);
	return p_curl_multi_init();
}

CURLMcode curl_multi_cleanup(CURLM *m)
{
	CURL_FN(curl_multi_cleanup);
	return p_curl_multi_cleanup(m);
}

CURLMcode curl_multi_add_handle(CURLM *m, CURL *h)
{
	CURL_FN(curl_multi_add_handle);
	return p_curl_multi_add_handle(m, h);
}

CURLMcode curl_multi_remove_handle(CURLM *m, CURL *h)
{
	CURL_FN(curl_multi_remove_handle);
	return p_curl_multi_remove_handle(m, h);
}

CURLMcode curl_multi_perform(CURLM *m, int *running)
{
	CURL_FN(curl_multi_perform);
	return p_curl_multi_perform(m, running);
}

CURLMcode curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int n, int timeout_ms, int *numfds)
{
	CURL_FN(curl_multi_poll);
	return p_curl_multi_poll(m, extra, n, timeout_ms, numfds);
}

CURLMsg *curl_multi_info_read(CURLM *m, int *left)
{
	CURL_FN(curl_multi_info_read);
	return p_curl_multi_info_read(m, left);
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	CURL_FN(curl_multi_setopt);
	va_list ap;
	CURLMcode rc;
	va_start(ap, opt);
	if (opt < CURLOPTTYPE_OBJECTPOINT)
		rc = p_curl_multi_setopt(m, opt, va_arg(ap, long));
	else if (opt < CURLOPTTYPE_FUNCTIONPOINT)
		rc = p_curl_multi_setopt(m, opt, va_arg(ap, void *));
	else if (opt < CURLOPTTYPE_OFF_T)
		rc = p_curl_multi_setopt(m, opt, va_arg(ap, curl_any_fn));
	else
		rc = p_curl_multi_setopt(m, opt, va_arg(ap, curl_off_t));
	va_end(ap);
	return rc;
}

/* http.h — ticketd on libmicrohttpd (http.c): the callbacks main.c hands
 * to MHD_start_daemon, and the timer that delays answers (--latency-ms,
 * slow-body) by suspending connections instead of sleeping in a worker
 * thread that serves many connections.
 *
 * Ownership: a request's state is made in http_uri_log and freed in
 * http_completed; answers own their body until libmicrohttpd destroys them. */
#ifndef TICKETD_HTTP_H
#define TICKETD_HTTP_H

#include <microhttpd.h>

#include "ticketd.h"

/* MHD_OPTION_URI_LOG_CALLBACK (CLS: td_server): keeps the request-target
 * exactly as received, before libmicrohttpd decodes it. */
void *http_uri_log(void *cls, const char *uri, struct MHD_Connection *c);
/* The access handler and MHD_OPTION_NOTIFY_COMPLETED (CLS: td_server). */
enum MHD_Result http_handler(void *cls, struct MHD_Connection *c, const char *url, const char *method,
                             const char *version, const char *upload, size_t *upload_size, void **con_cls);
void http_completed(void *cls, struct MHD_Connection *c, void **con_cls, enum MHD_RequestTerminationCode toe);

/* MHD_OPTION_NOTIFY_CONNECTION: a new connection's socket gets a send
 * buffer of HTTP_SNDBUF bytes. */
void http_connection(void *cls, struct MHD_Connection *c, void **socket_context,
                     enum MHD_ConnectionNotificationCode code);
/* Many clients reading a 5 MB ticket at once are served faster when each
 * socket buffers 256 KiB than with Linux's autotuning, which lets every
 * connection buffer up to 4 MiB (tcp_wmem): 32 of those no longer fit the
 * CPU caches (tests/bench/server.sh). One client is not slower. */
#define HTTP_SNDBUF (256 * 1024)

/* Start the timer thread (sv->timer); 0 or -1. */
int http_timer_start(td_server *sv);
/* Resume every connection still waiting and stop the thread; call before
 * MHD_stop_daemon (libmicrohttpd must not stop with suspended connections).
 * Later delays do not wait. */
void http_timer_stop(td_server *sv);
/* Free the timer after MHD_stop_daemon. */
void http_timer_free(td_server *sv);

#endif

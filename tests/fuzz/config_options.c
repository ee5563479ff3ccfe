/* config_options.c — src/app/options.c for fuzz_config (its value parsers
 * and options_free), built without the Makefile's -DTICKETED_VERSION and
 * without libcurl (--version is never called). */
#ifndef TICKETED_VERSION
#define TICKETED_VERSION "fuzz"
#endif
#include <curl/curl.h>
#define curl_version fuzz_curl_version
static char *fuzz_curl_version(void) { return (char *)"libcurl (fuzz stub)"; }
#include "../../src/app/options.c"

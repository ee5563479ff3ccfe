/* servertz.h — the config's server_timezone: the offset of the
 * server's zone for dates the service sends without one ("naive"), to pass
 * as date_parse's / date_from_user's NAIVE_OFFSET_MIN.
 *
 * Ownership: no allocations, no cJSON. Not thread-safe: an IANA zone is
 * looked up by setting TZ for the duration of the call (then restored). */
#ifndef TICKETED_SERVERTZ_H
#define TICKETED_SERVERTZ_H

#include <stddef.h>

/* Check ZONE: NULL or "" (UTC), "UTC"/"GMT"/"Z", a fixed "+HH:MM", "-HHMM",
 * "+HH", or an IANA name found in the tz database ($TZDIR, default
 * /usr/share/zoneinfo), e.g. "Europe/Oslo". 0, or -1 with ERR. */
int servertz_check(const char *zone, char *err, size_t errlen);

/* *OFFSET_MIN = minutes east of UTC that ZONE had at the wall-clock time of
 * the naive date NAIVE ("2020-04-22T15:51:25"; NULL or empty: now). Times in
 * a DST gap or overlap take the offset mktime chooses. 0, or -1 with ERR. */
int servertz_offset(const char *zone, const char *naive, int *offset_min, char *err, size_t errlen);

#endif

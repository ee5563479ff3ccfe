/* servertz.c — server_timezone: fixed offsets, or IANA zones through the C
 * library's tz database (TZ set around mktime, then restored). */
#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>
#include "ticketed/errmsg.h"
#include "ticketed/date.h"
#include "ticketed/servertz.h"

/* UTC or a fixed "+HH:MM" offset (date_fixed_offset): 1, -1 out of range, 0 an IANA name. */
static int fixed_zone(const char *z, int *min)
{
	*min = 0;
	return date_fixed_offset(z ? z : "", min);
}

/* An IANA name: letters, digits, '_', '-', '+', '/' components, no "..",
 * and a file of that name in the tz database. */
static bool iana_ok(const char *z)
{
	char path[1200];
	const char *dir = getenv("TZDIR");
	if (strlen(z) > 100 || z[0] == '/' || strstr(z, ".."))
		return false;
	for (const char *p = z; *p; p++)
		if (!isalnum((unsigned char)*p) && !strchr("_-+/", *p))
			return false;
	snprintf(path, sizeof path, "%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo", z);
	return access(path, R_OK) == 0;
}

int servertz_check(const char *zone, char *err, size_t errlen)
{
	int m;
	switch (fixed_zone(zone, &m)) {
	case 1:
		return 0;
	case -1:
		seterr(err, errlen, "server_timezone \"%.40s\": offset out of range (-14:00..+14:00)", zone);
		return -1;
	default:
		break;
	}
	if (iana_ok(zone))
		return 0;
	seterr(err, errlen, "server_timezone \"%.60s\": not UTC, an offset like +01:00, or a zone "
	         "of the tz database like Europe/Oslo", zone);
	return -1;
}

/* The UTC offset (minutes) ZONE has at wall-clock time WALL (broken down). */
static int zone_offset_at(const char *zone, struct tm wall)
{
	const char *old = getenv("TZ");
	char *saved = old ? strdup(old) : NULL;
	time_t t;
	int off;
	setenv("TZ", zone, 1);
	tzset();
	wall.tm_isdst = -1;
	t = mktime(&wall);
	off = t == (time_t)-1 ? 0 : (int)(wall.tm_gmtoff / 60);
	if (saved) {
		setenv("TZ", saved, 1);
		free(saved);
	} else {
		unsetenv("TZ");
	}
	tzset();
	return off;
}

int servertz_offset(const char *zone, const char *naive, int *offset_min, char *err, size_t errlen)
{
	tdate d;
	struct tm wall;
	time_t t;
	*offset_min = 0;
	if (servertz_check(zone, err, errlen) < 0)
		return -1;
	if (naive && *naive) {
		if (date_parse(naive, 0, &d, err, errlen) < 0)
			return -1;
		if (d.empty)
			return 0;    /* 0001-01-01: no instant, no zone */
		t = (time_t)d.utc;   /* the wall clock, read as if it were UTC */
	} else {
		t = time(NULL);
	}
	if (fixed_zone(zone, offset_min) == 1)
		return 0;
	if (!gmtime_r(&t, &wall)) {
		seterr(err, errlen, "date out of range");
		return -1;
	}
	*offset_min = zone_offset_at(zone, wall);
	return 0;
}

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
#include "ticketed/date.h"
#include "ticketed/servertz.h"

static bool is_utc(const char *z)
{
	return !z || !*z || !strcasecmp(z, "UTC") || !strcasecmp(z, "GMT") || !strcmp(z, "Z");
}

/* "+HH", "+HHMM", "+HH:MM" (or '-'): 1 with *MIN, 0 if not that form, -1 if
 * that form but out of range. */
static int fixed_offset(const char *z, int *min)
{
	int h, m = 0;
	size_t n = strlen(z);
	if ((z[0] != '+' && z[0] != '-') || n < 3 || !isdigit((unsigned char)z[1]) ||
	    !isdigit((unsigned char)z[2]))
		return 0;
	h = (z[1] - '0') * 10 + (z[2] - '0');
	if (n == 6 && z[3] == ':' && isdigit((unsigned char)z[4]) && isdigit((unsigned char)z[5]))
		m = (z[4] - '0') * 10 + (z[5] - '0');
	else if (n == 5 && isdigit((unsigned char)z[3]) && isdigit((unsigned char)z[4]))
		m = (z[3] - '0') * 10 + (z[4] - '0');
	else if (n != 3)
		return 0;
	if (h > 14 || m > 59)
		return -1;
	*min = (z[0] == '-' ? -1 : 1) * (h * 60 + m);
	return 1;
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
	if (is_utc(zone))
		return 0;
	switch (fixed_offset(zone, &m)) {
	case 1:
		return 0;
	case -1:
		snprintf(err, errlen, "server_timezone \"%.40s\": offset out of range (-14:00..+14:00)", zone);
		return -1;
	default:
		break;
	}
	if (iana_ok(zone))
		return 0;
	snprintf(err, errlen, "server_timezone \"%.60s\": not UTC, an offset like +01:00, or a zone "
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
	if (is_utc(zone) || fixed_offset(zone, offset_min) == 1)
		return 0;
	if (!gmtime_r(&t, &wall)) {
		snprintf(err, errlen, "date out of range");
		return -1;
	}
	*offset_min = zone_offset_at(zone, wall);
	return 0;
}

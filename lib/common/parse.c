/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Strict parsing of the numbers, booleans, durations and scores found in a CIB. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <hamgr/common.h>

int ham_parse_int64(const char *s, int64_t *ret)
{
	char *end = NULL;
	long long v;

	if (s == NULL || *s == '\0' || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 10);
	if (errno == ERANGE)
		return -ERANGE;
	if (end == s || *end != '\0')
		return -EINVAL;
	*ret = v;
	return 0;
}

int ham_parse_uint32(const char *s, uint32_t *ret)
{
	int64_t v;
	int r = ham_parse_int64(s, &v);

	if (r < 0)
		return r;
	if (v < 0 || v > UINT32_MAX)
		return -ERANGE;
	*ret = (uint32_t)v;
	return 0;
}

int ham_parse_bool(const char *s, bool *ret)
{
	static const char *const yes[] = { "true", "yes", "on", "y", "1" };
	static const char *const no[] = { "false", "no", "off", "n", "0" };
	size_t i;

	if (s == NULL)
		return -EINVAL;
	for (i = 0; i < HAM_ARRAY_SIZE(yes); i++) {
		if (strcasecmp(s, yes[i]) == 0) {
			*ret = true;
			return 0;
		}
		if (strcasecmp(s, no[i]) == 0) {
			*ret = false;
			return 0;
		}
	}
	return -EINVAL;
}

/* Multiplies and adds with an overflow check against UINT64_MAX / 2. */
static int acc(uint64_t *total, uint64_t v, uint64_t mult)
{
	const uint64_t limit = UINT64_MAX / 2;

	if (v != 0 && mult > limit / v)
		return -ERANGE;
	if (*total > limit - v * mult)
		return -ERANGE;
	*total += v * mult;
	return 0;
}

/* ISO 8601 duration: PnYnMnDTnHnMnS (also PnW); fractions only on seconds. */
static int parse_iso_duration(const char *s, uint64_t *ret_ms)
{
	const char *p = s + 1;
	bool in_time = false, any = false;
	uint64_t total = 0;

	while (*p) {
		uint64_t v = 0, frac_ms = 0, mult;
		const char *start;

		if (*p == 'T') {
			if (in_time)
				return -EINVAL;
			in_time = true;
			p++;
			continue;
		}
		start = p;
		while (isdigit((unsigned char)*p)) {
			if (v > UINT64_MAX / 20)
				return -ERANGE;
			v = v * 10 + (uint64_t)(*p - '0');
			p++;
		}
		if (p == start)
			return -EINVAL;
		if (*p == '.' || *p == ',') {
			uint64_t scale = 100;

			p++;
			if (!isdigit((unsigned char)*p))
				return -EINVAL;
			for (; isdigit((unsigned char)*p); p++) {
				frac_ms += (uint64_t)(*p - '0') * scale;
				scale /= 10;
			}
			if (*p != 'S')
				return -EINVAL;
		}
		switch (*p) {
		case 'Y':
			if (in_time)
				return -EINVAL;
			mult = 365ull * 86400000ull;
			break;
		case 'M':
			mult = in_time ? 60000ull : 30ull * 86400000ull;
			break;
		case 'W':
			if (in_time)
				return -EINVAL;
			mult = 7ull * 86400000ull;
			break;
		case 'D':
			if (in_time)
				return -EINVAL;
			mult = 86400000ull;
			break;
		case 'H':
			/* Pacemaker also takes hours and seconds without the 'T'
			 * ("P10S"): unambiguous, so accepted; "M" stays months. */
			mult = 3600000ull;
			break;
		case 'S':
			mult = 1000ull;
			break;
		default:
			return -EINVAL;
		}
		p++;
		if (acc(&total, v, mult) < 0 || acc(&total, frac_ms, 1) < 0)
			return -ERANGE;
		any = true;
	}
	if (!any)
		return -EINVAL;
	*ret_ms = total;
	return 0;
}

int ham_parse_duration_ms(const char *s, uint64_t *ret_ms)
{
	static const struct {
		const char *unit;
		uint64_t num, den; /* ms = value * num / den, rounded up */
	} units[] = {
		{ "", 1000, 1 },     { "s", 1000, 1 },    { "sec", 1000, 1 },
		{ "ms", 1, 1 },      { "msec", 1, 1 },    { "us", 1, 1000 },
		{ "usec", 1, 1000 }, { "m", 60000, 1 },   { "min", 60000, 1 },
		{ "h", 3600000, 1 }, { "hr", 3600000, 1 },
	};
	const char *p;
	uint64_t v = 0;
	size_t i;

	if (s == NULL)
		return -EINVAL;
	while (isspace((unsigned char)*s))
		s++;
	if (*s == 'P')
		return parse_iso_duration(s, ret_ms);
	if (*s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return -EINVAL;
	for (p = s; isdigit((unsigned char)*p); p++) {
		if (v > UINT64_MAX / 20)
			return -ERANGE;
		v = v * 10 + (uint64_t)(*p - '0');
	}
	while (isspace((unsigned char)*p))
		p++;
	for (i = 0; i < HAM_ARRAY_SIZE(units); i++) {
		size_t n = strlen(units[i].unit);

		if (strncasecmp(p, units[i].unit, n) != 0)
			continue;
		if (p[n] != '\0' && !isspace((unsigned char)p[n]))
			continue;
		{
			const char *q = p + n;

			while (isspace((unsigned char)*q))
				q++;
			if (*q != '\0')
				return -EINVAL;
		}
		if (units[i].num != 0 && v > UINT64_MAX / 2 / units[i].num)
			return -ERANGE;
		*ret_ms = (v * units[i].num + units[i].den - 1) / units[i].den;
		return 0;
	}
	return -EINVAL;
}

int ham_score_parse(const char *s, int *ret)
{
	int64_t v;
	int r;

	if (s == NULL)
		return -EINVAL;
	if (strcasecmp(s, "INFINITY") == 0 || strcasecmp(s, "+INFINITY") == 0) {
		*ret = HAM_SCORE_INFINITY;
		return 0;
	}
	if (strcasecmp(s, "-INFINITY") == 0) {
		*ret = -HAM_SCORE_INFINITY;
		return 0;
	}
	if (*s == '+')
		s++;
	r = ham_parse_int64(s, &v);
	if (r == -ERANGE) {
		/* A huge number is still a number: clamp it like any other. */
		*ret = s[0] == '-' ? -HAM_SCORE_INFINITY : HAM_SCORE_INFINITY;
		return 0;
	}
	if (r < 0)
		return r;
	if (v > HAM_SCORE_INFINITY)
		v = HAM_SCORE_INFINITY;
	if (v < -HAM_SCORE_INFINITY)
		v = -HAM_SCORE_INFINITY;
	*ret = (int)v;
	return 0;
}

int ham_score_add(int a, int b)
{
	long sum;

	if (a <= -HAM_SCORE_INFINITY || b <= -HAM_SCORE_INFINITY)
		return -HAM_SCORE_INFINITY;
	if (a >= HAM_SCORE_INFINITY || b >= HAM_SCORE_INFINITY)
		return HAM_SCORE_INFINITY;
	sum = (long)a + (long)b;
	if (sum >= HAM_SCORE_INFINITY)
		return HAM_SCORE_INFINITY;
	if (sum <= -HAM_SCORE_INFINITY)
		return -HAM_SCORE_INFINITY;
	return (int)sum;
}

const char *ham_score_str(int score, char buf[16])
{
	if (score >= HAM_SCORE_INFINITY)
		return "INFINITY";
	if (score <= -HAM_SCORE_INFINITY)
		return "-INFINITY";
	snprintf(buf, 16, "%d", score);
	return buf;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Value types of the CIB model: roles, actions, versions, dates, nvset lookup. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "cib_private.h"

static const char *const role_names[HAM_CIB_ROLE_MAX] = {
	[HAM_CIB_ROLE_UNSET] = "",
	[HAM_CIB_ROLE_STOPPED] = "Stopped",
	[HAM_CIB_ROLE_STARTED] = "Started",
	[HAM_CIB_ROLE_UNPROMOTED] = "Unpromoted",
	[HAM_CIB_ROLE_PROMOTED] = "Promoted",
};

const char *ham_cib_role_str(enum ham_cib_role r)
{
	if ((int)r < 0 || r >= HAM_CIB_ROLE_MAX)
		return "invalid";
	return role_names[r];
}

enum ham_cib_role ham_cib_role_from_str(const char *s)
{
	int i;

	if (s == NULL)
		return HAM_CIB_ROLE_INVALID;
	for (i = HAM_CIB_ROLE_STOPPED; i < HAM_CIB_ROLE_MAX; i++)
		if (strcmp(s, role_names[i]) == 0)
			return (enum ham_cib_role)i;
	if (strcmp(s, "Master") == 0)
		return HAM_CIB_ROLE_PROMOTED;
	if (strcmp(s, "Slave") == 0)
		return HAM_CIB_ROLE_UNPROMOTED;
	return HAM_CIB_ROLE_INVALID;
}

static const char *const action_names[HAM_CIB_ACTION_MAX] = {
	[HAM_CIB_ACTION_UNSET] = "",
	[HAM_CIB_ACTION_START] = "start",
	[HAM_CIB_ACTION_STOP] = "stop",
	[HAM_CIB_ACTION_PROMOTE] = "promote",
	[HAM_CIB_ACTION_DEMOTE] = "demote",
};

const char *ham_cib_action_str(enum ham_cib_action a)
{
	if ((int)a < 0 || a >= HAM_CIB_ACTION_MAX)
		return "invalid";
	return action_names[a];
}

enum ham_cib_action ham_cib_action_from_str(const char *s)
{
	int i;

	if (s == NULL)
		return HAM_CIB_ACTION_INVALID;
	for (i = HAM_CIB_ACTION_START; i < HAM_CIB_ACTION_MAX; i++)
		if (strcmp(s, action_names[i]) == 0)
			return (enum ham_cib_action)i;
	return HAM_CIB_ACTION_INVALID;
}

int ham_cib_version_cmp(const struct ham_cib_version *a, const struct ham_cib_version *b)
{
	if (a->admin_epoch != b->admin_epoch)
		return a->admin_epoch < b->admin_epoch ? -1 : 1;
	if (a->epoch != b->epoch)
		return a->epoch < b->epoch ? -1 : 1;
	if (a->num_updates != b->num_updates)
		return a->num_updates < b->num_updates ? -1 : 1;
	return 0;
}

int cib_parse_tri(const char *s, enum ham_cib_tri *ret)
{
	bool b;

	if (s == NULL) {
		*ret = HAM_CIB_UNSET;
		return 0;
	}
	if (ham_parse_bool(s, &b) < 0)
		return -EINVAL;
	*ret = b ? HAM_CIB_TRUE : HAM_CIB_FALSE;
	return 0;
}

/* ---- ISO 8601 dates ---- */

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t ham_cib_days_from_civil(int64_t y, int64_t m, int64_t d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void ham_cib_civil_from_days(int64_t z, int64_t *ret_y, int64_t *ret_m, int64_t *ret_d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*ret_d = doy - (153 * mp + 2) / 5 + 1;
	*ret_m = mp < 10 ? mp + 3 : mp - 9;
	*ret_y = yoe + era * 400 + (*ret_m <= 2);
}

static bool leap(int64_t y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned month_days(int64_t y, unsigned m)
{
	static const unsigned days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return m == 2 && leap(y) ? 29 : days[m - 1];
}

/* Reads exactly n digits. */
static bool digits(const char **p, unsigned n, int64_t *ret)
{
	int64_t v = 0;
	unsigned i;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*ret = v;
	return true;
}

static size_t count_digits(const char *p)
{
	size_t n = 0;

	while (isdigit((unsigned char)p[n]))
		n++;
	return n;
}

/* Monday of ISO week 1 of year y, in days since the epoch. */
static int64_t iso_week1_monday(int64_t y)
{
	int64_t jan4 = ham_cib_days_from_civil(y, 1, 4);
	int64_t wd = ((jan4 % 7) + 7 + 3) % 7; /* 0 = Monday (1970-01-01 was a Thursday) */

	return jan4 - wd;
}

static int parse_date_part(const char **pp, int64_t *ret_days)
{
	const char *p = *pp;
	int64_t y = 0, m = 0, d = 0, w = 0;
	size_t nd = count_digits(p);

	if (nd == 8) { /* YYYYMMDD */
		digits(&p, 4, &y);
		digits(&p, 2, &m);
		digits(&p, 2, &d);
		goto calendar;
	}
	if (nd != 4 || !digits(&p, 4, &y) || *p != '-')
		return -EINVAL;
	p++;
	if (*p == 'W') { /* YYYY-Www[-D] */
		p++;
		if (!digits(&p, 2, &w) || w < 1 || w > 53)
			return -EINVAL;
		d = 1;
		if (*p == '-') {
			p++;
			if (!digits(&p, 1, &d) || d < 1 || d > 7)
				return -EINVAL;
		}
		if (w == 53 && iso_week1_monday(y + 1) - iso_week1_monday(y) < 53 * 7)
			return -EINVAL;
		*ret_days = iso_week1_monday(y) + (w - 1) * 7 + (d - 1);
		*pp = p;
		return 0;
	}
	nd = count_digits(p);
	if (nd == 3) { /* YYYY-DDD */
		digits(&p, 3, &d);
		if (d < 1 || d > (leap(y) ? 366 : 365))
			return -EINVAL;
		*ret_days = ham_cib_days_from_civil(y, 1, 1) + d - 1;
		*pp = p;
		return 0;
	}
	if (!digits(&p, 2, &m) || *p != '-')
		return -EINVAL;
	p++;
	if (!digits(&p, 2, &d))
		return -EINVAL;
calendar:
	if (m < 1 || m > 12 || d < 1 || d > month_days(y, (unsigned)m))
		return -EINVAL;
	*ret_days = ham_cib_days_from_civil(y, m, d);
	*pp = p;
	return 0;
}

static int parse_time_part(const char **pp, int64_t *ret_s)
{
	const char *p = *pp;
	int64_t h = 0, mi = 0, s = 0;
	size_t nd = count_digits(p);

	if (nd == 6) { /* HHMMSS */
		digits(&p, 2, &h);
		digits(&p, 2, &mi);
		digits(&p, 2, &s);
	} else if (nd == 4) {
		digits(&p, 2, &h);
		digits(&p, 2, &mi);
	} else {
		if (!digits(&p, 2, &h))
			return -EINVAL;
		if (*p == ':') {
			p++;
			if (!digits(&p, 2, &mi))
				return -EINVAL;
			if (*p == ':') {
				p++;
				if (!digits(&p, 2, &s))
					return -EINVAL;
			}
		}
	}
	if (*p == '.' || *p == ',') { /* fractions of a second are dropped */
		p++;
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (h > 24 || mi > 59 || s > 60 || (h == 24 && (mi != 0 || s != 0)))
		return -EINVAL;
	*ret_s = h * 3600 + mi * 60 + s;
	*pp = p;
	return 0;
}

static int parse_zone(const char **pp, int64_t *ret_offset_s)
{
	const char *p = *pp;
	int64_t h = 0, m = 0;
	int sign;

	while (*p == ' ')
		p++;
	if (*p == '\0') {
		*ret_offset_s = 0;
		*pp = p;
		return 0;
	}
	if (*p == 'Z') {
		*ret_offset_s = 0;
		*pp = p + 1;
		return 0;
	}
	if (*p != '+' && *p != '-')
		return -EINVAL;
	sign = *p == '-' ? -1 : 1;
	p++;
	if (!digits(&p, 2, &h))
		return -EINVAL;
	if (*p == ':')
		p++;
	if (isdigit((unsigned char)*p) && !digits(&p, 2, &m))
		return -EINVAL;
	if (h > 23 || m > 59)
		return -EINVAL;
	*ret_offset_s = sign * (h * 3600 + m * 60);
	*pp = p;
	return 0;
}

int ham_cib_time_parse(const char *s, int64_t *ret_epoch_s)
{
	const char *p = s;
	int64_t days, secs = 0, off = 0;

	if (s == NULL)
		return -EINVAL;
	while (*p == ' ')
		p++;
	if (parse_date_part(&p, &days) < 0)
		return -EINVAL;
	if (*p == 'T' || *p == ' ') {
		const char *q = p;

		while (*q == ' ')
			q++;
		if (*q == 'T')
			q++;
		if (isdigit((unsigned char)*q)) {
			p = q;
			if (parse_time_part(&p, &secs) < 0)
				return -EINVAL;
		}
	}
	if (parse_zone(&p, &off) < 0)
		return -EINVAL;
	while (*p == ' ')
		p++;
	if (*p != '\0')
		return -EINVAL;
	*ret_epoch_s = days * 86400 + secs - off;
	return 0;
}

/* date_spec fields: "N" or "N-M", non-negative, N <= M. */
int cib_parse_date_spec_range(const char *s, struct ham_cib_range *ret)
{
	const char *dash;
	int64_t lo, hi;
	char buf[32];

	if (s == NULL) {
		ret->set = false;
		return 0;
	}
	dash = strchr(s, '-');
	if (dash == NULL) {
		if (ham_parse_int64(s, &lo) < 0 || lo < 0)
			return -EINVAL;
		hi = lo;
	} else {
		size_t n = (size_t)(dash - s);

		if (n == 0 || n >= sizeof(buf))
			return -EINVAL;
		memcpy(buf, s, n);
		buf[n] = '\0';
		if (ham_parse_int64(buf, &lo) < 0 || lo < 0)
			return -EINVAL;
		if (ham_parse_int64(dash + 1, &hi) < 0 || hi < lo)
			return -EINVAL;
	}
	ret->set = true;
	ret->lo = lo;
	ret->hi = hi;
	return 0;
}

/* ---- nvsets ---- */

const char *ham_cib_nvset_get(const struct ham_cib_nvset *set, const char *name)
{
	size_t i;

	if (set == NULL || name == NULL)
		return NULL;
	for (i = 0; i < set->n_pairs; i++)
		if (ham_streq(set->pairs[i].name, name))
			return set->pairs[i].value;
	return NULL;
}

const char *ham_cib_nvsets_get(const struct ham_cib_nvset *const *sets, size_t n,
			       const char *name)
{
	size_t i, j;

	for (i = 0; i < n; i++) {
		const struct ham_cib_nvset *set = sets[i];

		for (j = 0; j < set->n_pairs; j++)
			if (ham_streq(set->pairs[j].name, name))
				return set->pairs[j].value;
	}
	return NULL;
}

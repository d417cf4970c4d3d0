/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Date expressions of rules, evaluated against the engine's "now" (seconds
 * since the epoch, UTC), as "Pacemaker Explained" documents them:
 *   gt        now is after start;
 *   lt        now is before end;
 *   in_range  now is at or after start (when given) and at or before end,
 *             or start + duration when no end is given;
 *   date_spec every field given matches now (a field is N or N-M).
 */
#include "config.h"

#include "model.h"

static bool in_range(const struct ham_cib_range *r, int64_t v)
{
	return !r->set || (v >= r->lo && v <= r->hi);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

void pe_time_fields(int64_t t, struct pe_time_fields *f)
{
	int64_t days = floor_div(t, 86400), secs = t - days * 86400;
	int64_t jan1, next_jan4, wd_jan4, week1;

	ham_cib_civil_from_days(days, &f->year, &f->month, &f->monthday);
	f->hour = secs / 3600;
	f->minute = secs / 60 % 60;
	f->second = secs % 60;
	jan1 = ham_cib_days_from_civil(f->year, 1, 1);
	f->yearday = days - jan1 + 1;
	/* 1970-01-01 was a Thursday (ISO weekday 4) */
	f->weekday = ((days % 7) + 7 + 3) % 7 + 1;
	/* ISO 8601 week: week 1 holds the year's first Thursday (so January 4) */
	f->weekyear = f->year;
	for (;;) {
		int64_t jan4 = ham_cib_days_from_civil(f->weekyear, 1, 4);

		wd_jan4 = ((jan4 % 7) + 7 + 3) % 7 + 1;
		week1 = jan4 - (wd_jan4 - 1); /* the Monday of week 1 */
		if (days < week1) {
			f->weekyear--;
			continue;
		}
		next_jan4 = ham_cib_days_from_civil(f->weekyear + 1, 1, 4);
		wd_jan4 = ((next_jan4 % 7) + 7 + 3) % 7 + 1;
		if (days >= next_jan4 - (wd_jan4 - 1)) {
			f->weekyear++;
			continue;
		}
		break;
	}
	f->week = (days - week1) / 7 + 1;
}

bool pe_date_spec_match(const struct ham_cib_date_spec *s, int64_t now)
{
	struct pe_time_fields f;

	pe_time_fields(now, &f);
	return in_range(&s->years, f.year) && in_range(&s->months, f.month) &&
	       in_range(&s->monthdays, f.monthday) && in_range(&s->hours, f.hour) &&
	       in_range(&s->minutes, f.minute) && in_range(&s->seconds, f.second) &&
	       in_range(&s->yeardays, f.yearday) && in_range(&s->weekyears, f.weekyear) &&
	       in_range(&s->weeks, f.week) && in_range(&s->weekdays, f.weekday);
}

int64_t pe_time_add(int64_t t, const struct ham_cib_duration *d)
{
	struct pe_time_fields f;
	int64_t months, y, m, first, mdays, days;

	pe_time_fields(t, &f);
	/* years and months move the calendar date (the day clamped to the
	 * length of the month reached); the rest are fixed lengths */
	months = f.month - 1 + d->months + 12 * d->years;
	y = f.year + floor_div(months, 12);
	m = months - floor_div(months, 12) * 12 + 1;
	first = ham_cib_days_from_civil(y, m, 1);
	mdays = (m == 12 ? ham_cib_days_from_civil(y + 1, 1, 1) : ham_cib_days_from_civil(y, m + 1, 1)) - first;
	days = first + (f.monthday < mdays ? f.monthday : mdays) - 1;
	return days * 86400 + f.hour * 3600 + f.minute * 60 + f.second +
	       d->weeks * 7 * 86400 + d->days * 86400 + d->hours * 3600 + d->minutes * 60 +
	       d->seconds;
}

bool pe_date_eval(const struct pe_date *d, int64_t now)
{
	int64_t end;

	switch (d->op) {
	case HAM_CIB_DATE_GT:
		return d->start.set && now > d->start.epoch_s;
	case HAM_CIB_DATE_LT:
		return d->end.set && now < d->end.epoch_s;
	case HAM_CIB_DATE_IN_RANGE:
		if (!d->start.set && !d->end.set)
			return false;
		if (d->start.set && now < d->start.epoch_s)
			return false;
		if (d->end.set)
			end = d->end.epoch_s;
		else if (d->start.set && d->duration.set)
			end = pe_time_add(d->start.epoch_s, &d->duration);
		else
			return true; /* from start on */
		return now <= end;
	case HAM_CIB_DATE_SPEC:
		return d->has_spec && pe_date_spec_match(&d->spec, now);
	}
	return false;
}

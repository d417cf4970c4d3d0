/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/config_args.c: see config_args.h. */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include "config_args.h"

int hactl_nv_split(const char *s, struct ham_cib_nv *nv)
{
	const char *eq = strchr(s, '=');

	if (eq == NULL || eq == s)
		return -EINVAL;
	nv->name = ham_strndup(s, (size_t)(eq - s));
	nv->value = eq + 1;
	return 0;
}

static void push_nv(struct ham_cib_nv **v, size_t *n, struct ham_cib_nv nv)
{
	*v = ham_reallocarray(*v, *n + 1, sizeof(**v));
	(*v)[(*n)++] = nv;
}

int hactl_rsc_args_parse(int argc, char **argv, bool allow_group, struct hactl_rsc_args *a,
			 char **ret_err)
{
	enum { PARAMS, OP, META } where = PARAMS;
	/* each op's attributes, gathered separately then attached */
	struct ham_cib_nv **op_attrs = NULL;
	size_t *op_n = NULL, i;
	int k;

	memset(a, 0, sizeof(*a));
	*ret_err = NULL;
	for (k = 0; k < argc; k++) {
		const char *s = argv[k];
		struct ham_cib_nv nv;

		if (allow_group && (ham_streq(s, "--group") || strncmp(s, "--group=", 8) == 0)) {
			const char *v = s[7] == '=' ? s + 8 : (k + 1 < argc ? argv[++k] : NULL);

			if (v == NULL || v[0] == '\0') {
				*ret_err = ham_strdup("--group needs a group id");
				goto fail;
			}
			a->spec.group = v;
		} else if (allow_group && ham_streq(s, "--disabled")) {
			a->spec.disabled = true;
		} else if (ham_streq(s, "--force")) {
			a->force = true;
		} else if (s[0] == '-' && s[1] == '-') {
			*ret_err = ham_asprintf("no option '%s' here", s);
			goto fail;
		} else if (ham_streq(s, "op")) {
			if (k + 1 >= argc || strchr(argv[k + 1], '=') || argv[k + 1][0] == '\0') {
				*ret_err = ham_strdup("'op' needs an action (op ACTION [NAME=VALUE]...)");
				goto fail;
			}
			a->ops = ham_reallocarray(a->ops, a->n_ops + 1, sizeof(*a->ops));
			op_attrs = ham_reallocarray(op_attrs, a->n_ops + 1, sizeof(*op_attrs));
			op_n = ham_reallocarray(op_n, a->n_ops + 1, sizeof(*op_n));
			memset(&a->ops[a->n_ops], 0, sizeof(a->ops[0]));
			a->ops[a->n_ops].action = argv[++k];
			op_attrs[a->n_ops] = NULL;
			op_n[a->n_ops] = 0;
			a->n_ops++;
			where = OP;
		} else if (ham_streq(s, "meta")) {
			where = META;
		} else if (hactl_nv_split(s, &nv) < 0) {
			*ret_err = ham_asprintf("'%s' is not NAME=VALUE", s);
			goto fail;
		} else if (where == PARAMS) {
			push_nv(&a->params, &a->n_params, nv);
		} else if (where == META) {
			push_nv(&a->meta, &a->n_meta, nv);
		} else {
			push_nv(&op_attrs[a->n_ops - 1], &op_n[a->n_ops - 1], nv);
		}
	}
	for (i = 0; i < a->n_ops; i++) {
		a->ops[i].attrs = op_attrs[i];
		a->ops[i].n_attrs = op_n[i];
	}
	free(op_attrs);
	free(op_n);
	a->spec.params = a->params;
	a->spec.n_params = a->n_params;
	a->spec.meta = a->meta;
	a->spec.n_meta = a->n_meta;
	a->spec.ops = a->ops;
	a->spec.n_ops = a->n_ops;
	return 0;
fail:
	for (i = 0; i < a->n_ops; i++) {
		a->ops[i].attrs = op_attrs[i];
		a->ops[i].n_attrs = op_n[i];
	}
	free(op_attrs);
	free(op_n);
	hactl_rsc_args_free(a);
	return -HAM_E_USAGE;
}

static void free_nvs(const struct ham_cib_nv *v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free((char *)v[i].name);
	free((void *)v);
}

void hactl_rsc_args_free(struct hactl_rsc_args *a)
{
	size_t i;

	free_nvs(a->params, a->n_params);
	free_nvs(a->meta, a->n_meta);
	for (i = 0; i < a->n_ops; i++)
		free_nvs(a->ops[i].attrs, a->ops[i].n_attrs);
	free(a->ops);
	memset(a, 0, sizeof(*a));
}

/* ---- the lifecycle commands (move, ban, clear, cleanup, refresh) ---------- */

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int hactl_lifetime_end(const char *s, int64_t now, int64_t *ret_end)
{
	/* Y M W D (date part), H M S (time part) */
	static const char date_units[] = "YMWD", time_units[] = "HMS";
	int64_t f[7] = { 0 }, days, secs, y, m, d, months, first, next, mdays, t;
	const char *p = s;
	bool in_time = false, any = false;
	int last = -1;

	if (s == NULL || *p++ != 'P')
		return -EINVAL;
	while (*p) {
		const char *u;
		int64_t v = 0;
		int idx;

		if (*p == 'T') {
			if (in_time || p[1] == '\0')
				return -EINVAL;
			in_time = true;
			p++;
			continue;
		}
		if (!isdigit((unsigned char)*p))
			return -EINVAL;
		for (; isdigit((unsigned char)*p); p++) {
			if (v > 100000000)
				return -ERANGE;
			v = v * 10 + (*p - '0');
		}
		if (*p == '\0')
			return -EINVAL;
		/* as Pacemaker, hours and seconds also without the 'T' ("P10S") */
		if (!in_time && (*p == 'H' || *p == 'S'))
			idx = *p == 'H' ? 4 : 6;
		else if ((u = strchr(in_time ? time_units : date_units, *p)) != NULL)
			idx = in_time ? 4 + (int)(u - time_units) : (int)(u - date_units);
		else
			return -EINVAL;
		if (idx <= last)
			return -EINVAL; /* out of order or repeated */
		last = idx;
		f[idx] = v;
		any = true;
		p++;
	}
	if (!any)
		return -EINVAL;
	days = floor_div(now, 86400);
	secs = now - days * 86400;
	ham_cib_civil_from_days(days, &y, &m, &d);
	months = m - 1 + f[1] + 12 * f[0];
	y += floor_div(months, 12);
	m = months - floor_div(months, 12) * 12 + 1;
	if (y > 9999)
		return -ERANGE;
	first = ham_cib_days_from_civil(y, m, 1);
	next = m == 12 ? ham_cib_days_from_civil(y + 1, 1, 1) : ham_cib_days_from_civil(y, m + 1, 1);
	mdays = next - first;
	t = (first + (d < mdays ? d : mdays) - 1) * 86400 + secs + f[2] * 7 * 86400 + f[3] * 86400 +
	    f[4] * 3600 + f[5] * 60 + f[6];
	if (t >= ham_cib_days_from_civil(10000, 1, 1) * 86400)
		return -ERANGE;
	if (t <= now)
		return -EINVAL;
	*ret_end = t;
	return 0;
}

void hactl_format_utc(int64_t t, char *buf)
{
	int64_t days = floor_div(t, 86400), secs = t - days * 86400, y, m, d;

	ham_cib_civil_from_days(days, &y, &m, &d);
	/* years 0-9999 (hactl_lifetime_end()): the fields fit in an int */
	snprintf(buf, HACTL_UTC_LEN, "%04d-%02d-%02dT%02d:%02d:%02dZ", (int)(y % 10000), (int)m,
		 (int)d, (int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60));
}

static const char *const lc_names[] = { "move", "ban", "clear", "cleanup", "refresh" };

/* An option's value: "--opt=V" or "--opt V" (advancing *k). NULL: none given. */
static const char *opt_value(const char *opt, int argc, char **argv, int *k, bool *ret_match)
{
	const char *s = argv[*k];
	size_t l = strlen(opt);

	*ret_match = false;
	if (strncmp(s, opt, l) != 0 || (s[l] != '\0' && s[l] != '='))
		return NULL;
	*ret_match = true;
	if (s[l] == '=')
		return s + l + 1;
	return *k + 1 < argc ? argv[++*k] : NULL;
}

int hactl_lc_args_parse(enum hactl_lc_cmd cmd, int argc, char **argv, int64_t now,
			struct hactl_lc_args *a, char **ret_err)
{
	const char *name = lc_names[cmd];
	bool node_opt = cmd == HACTL_LC_CLEANUP || cmd == HACTL_LC_REFRESH;
	const char *pos[2];
	int k, n_pos = 0, r;

	memset(a, 0, sizeof(*a));
	*ret_err = NULL;
	a->wait_ms = 60000;
	for (k = 0; k < argc; k++) {
		const char *s = argv[k], *v = NULL;
		bool match = false;

		if (cmd <= HACTL_LC_BAN && ((v = opt_value("--lifetime", argc, argv, &k, &match)) ||
					    match)) {
			if (v == NULL || v[0] == '\0') {
				*ret_err = ham_strdup("--lifetime needs an ISO 8601 duration (e.g. PT10M, P1D)");
				return -HAM_E_USAGE;
			}
			r = hactl_lifetime_end(v, now, &a->end_s);
			if (r < 0) {
				*ret_err = ham_asprintf(r == -ERANGE ? "--lifetime '%s' is too long" :
							"--lifetime '%s' is not an ISO 8601 duration "
							"of more than zero (e.g. PT10M, P1D)", v);
				return -HAM_E_USAGE;
			}
			a->lifetime = v;
		} else if (cmd <= HACTL_LC_BAN && ham_streq(s, "--promoted")) {
			a->promoted = true;
		} else if (cmd == HACTL_LC_CLEAR && ham_streq(s, "--expired")) {
			a->expired = true;
		} else if (cmd == HACTL_LC_MOVE && (ham_streq(s, "--wait") ||
						    strncmp(s, "--wait=", 7) == 0)) {
			a->wait = true;
			if (s[6] == '=' && (ham_parse_duration_ms(s + 7, &a->wait_ms) < 0 ||
					    a->wait_ms == 0)) {
				*ret_err = ham_asprintf("--wait '%s' is not a number of seconds", s + 7);
				return -HAM_E_USAGE;
			}
		} else if (node_opt && (ham_streq(s, "-N") ||
					(v = opt_value("--node", argc, argv, &k, &match)) || match)) {
			if (ham_streq(s, "-N"))
				v = k + 1 < argc ? argv[++k] : NULL;
			if (v == NULL || v[0] == '\0') {
				*ret_err = ham_asprintf("%s needs a node name", s);
				return -HAM_E_USAGE;
			}
			a->node = v;
		} else if (s[0] == '-' && s[1] != '\0') {
			*ret_err = ham_asprintf("'resource %s' has no option '%s'", name, s);
			return -HAM_E_USAGE;
		} else if (s[0] == '\0') {
			*ret_err = ham_asprintf("'resource %s' got an empty argument", name);
			return -HAM_E_USAGE;
		} else if (n_pos == (node_opt ? 1 : 2)) {
			*ret_err = ham_asprintf("'resource %s' takes %s, not also '%s'", name,
						node_opt ? "one resource id (the node with --node)"
							 : "a resource id and a node", s);
			return -HAM_E_USAGE;
		} else {
			pos[n_pos++] = s;
		}
	}
	if (n_pos == 0 && !node_opt) {
		*ret_err = ham_asprintf("'resource %s' needs a resource id", name);
		return -HAM_E_USAGE;
	}
	a->rsc = n_pos > 0 ? pos[0] : NULL;
	if (!node_opt && n_pos > 1)
		a->node = pos[1];
	return 0;
}

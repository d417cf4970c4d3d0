/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Alerts: the checks of the loaded <alert>s (check.c calls them), their
 * resolution into one entry per alert and recipient, <select> filtering,
 * timestamps with date(1)'s %N, and the CRM_alert_* environment.
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/alerts.h>
#include <hamgr/common.h>

#include "load_private.h"

static const char *const kind_names[HAM_ALERT_KIND_MAX] = {
	[HAM_ALERT_NODE] = "node",
	[HAM_ALERT_FENCING] = "fencing",
	[HAM_ALERT_RESOURCE] = "resource",
	[HAM_ALERT_ATTRIBUTE] = "attribute",
};

const char *ham_alert_kind_str(enum ham_alert_kind k)
{
	return (unsigned)k < HAM_ALERT_KIND_MAX ? kind_names[k] : "unknown";
}

enum ham_alert_kind ham_alert_kind_from_str(const char *s)
{
	int i;

	for (i = 0; s != NULL && i < HAM_ALERT_KIND_MAX; i++)
		if (strcmp(s, kind_names[i]) == 0)
			return (enum ham_alert_kind)i;
	return HAM_ALERT_KIND_INVALID;
}

const struct ham_cib_alert *const *ham_cib_alerts(const ham_cib *cib, size_t *ret_n)
{
	*ret_n = cib->n_alerts;
	return cib->alerts;
}

/* ---- checks (after references are resolved) ---- */

/* The meta attribute name of recipient r, else of alert a (NULL: unset). */
static const char *meta_get(const struct ham_cib_alert *a, const struct ham_cib_alert_recipient *r,
			    const char *name)
{
	const char *v = r ? ham_cib_nvsets_get(r->meta, r->n_meta, name) : NULL;

	return v ? v : ham_cib_nvsets_get(a->meta, a->n_meta, name);
}

static int check_timeout(const char *v, uint64_t *ret_ms)
{
	uint64_t ms;

	if (v == NULL) {
		*ret_ms = HAM_ALERT_DEFAULT_TIMEOUT_MS;
		return 0;
	}
	if (ham_parse_duration_ms(v, &ms) < 0 || ms == 0)
		return -EINVAL;
	*ret_ms = ms;
	return 0;
}

/* Whether meta attribute enabled (the recipient's, else the alert's) parses. */
static bool enabled_ok(const struct ham_cib_alert *a, const struct ham_cib_alert_recipient *r)
{
	const char *v = meta_get(a, r, HAM_ALERT_META_ENABLED);
	bool b;

	return v == NULL || ham_parse_bool(v, &b) == 0;
}

/* Whether the alert runs for recipient r (NULL: without one): enabled=false
 * on the alert disables it with its recipients, on a recipient that one. */
static bool enabled(const struct ham_cib_alert *a, const struct ham_cib_alert_recipient *r)
{
	const char *v = ham_cib_nvsets_get(a->meta, a->n_meta, HAM_ALERT_META_ENABLED);
	bool b = true;

	if (v != NULL && ham_parse_bool(v, &b) == 0 && !b)
		return false;
	v = r ? ham_cib_nvsets_get(r->meta, r->n_meta, HAM_ALERT_META_ENABLED) : NULL;
	return !(v != NULL && ham_parse_bool(v, &b) == 0 && !b);
}

/* Why the alert (with recipient r, NULL: its own settings) cannot run; NULL if it can. */
static const char *alert_problem(const struct ham_cib_alert *a,
				 const struct ham_cib_alert_recipient *r, uint64_t *ret_timeout_ms)
{
	const char *fmt;

	if (a->path == NULL || a->path[0] != '/')
		return "path must be an absolute file name";
	if (check_timeout(meta_get(a, r, HAM_ALERT_META_TIMEOUT), ret_timeout_ms) < 0)
		return "timeout must be a positive duration (such as 30s)";
	fmt = meta_get(a, r, HAM_ALERT_META_TIMESTAMP_FORMAT);
	if (fmt != NULL && fmt[0] == '\0')
		return "timestamp-format must not be empty";
	if (!enabled_ok(a, r))
		return "enabled must be a boolean";
	return NULL;
}

static bool sets_have_rules(const struct ham_cib_nvset *const *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i]->n_rules > 0)
			return true;
	return false;
}

void check_alerts(struct loader *ld)
{
	size_t i, j;
	uint64_t ms;

	for (i = 0; i < ld->cib->n_alerts; i++) {
		const struct ham_cib_alert *a = ld->cib->alerts[i];
		const char *why = alert_problem(a, NULL, &ms);

		if (why != NULL)
			load_diag(ld, HAM_E_CONFIG, HAM_CIB_ERROR, a->line, "alert", a->id, "%s",
				  why);
		if (sets_have_rules(a->meta, a->n_meta) || sets_have_rules(a->instance, a->n_instance))
			load_install_error(ld, HAM_E_UNSUPPORTED, a->line, "alert", a->id,
					   "rules in alert attributes are not supported");
		for (j = 0; why == NULL && j < a->n_recipients; j++) {
			const struct ham_cib_alert_recipient *r = &a->recipients[j];
			const char *rwhy = alert_problem(a, r, &ms);

			if (rwhy != NULL)
				load_diag(ld, HAM_E_CONFIG, HAM_CIB_ERROR, r->line, "recipient", r->id,
					  "(of alert '%s') %s", a->id, rwhy);
			if (sets_have_rules(r->meta, r->n_meta) ||
			    sets_have_rules(r->instance, r->n_instance))
				load_install_error(ld, HAM_E_UNSUPPORTED, r->line, "recipient", r->id,
						   "rules in alert attributes are not supported");
		}
	}
}

/* ---- the resolved list ---- */

struct ham_alert_list {
	struct ham_alert_entry *e;
	size_t n;
};

static char **strv_from(const char *const *v, size_t n)
{
	char **out = ham_newa0(char *, n + 1);
	size_t i;

	for (i = 0; i < n; i++)
		out[i] = ham_strdup(v[i]);
	return out;
}

static void strv_free(char **v)
{
	size_t i;

	for (i = 0; v != NULL && v[i] != NULL; i++)
		free(v[i]);
	free(v);
}

/* Adds the pairs of sets whose names are not in names yet (first wins). */
static void add_params(char ***names, char ***values, size_t *n,
		       const struct ham_cib_nvset *const *sets, size_t n_sets)
{
	size_t i, j, k;

	for (i = 0; i < n_sets; i++)
		for (j = 0; j < sets[i]->n_pairs; j++) {
			const struct ham_cib_nvpair *p = &sets[i]->pairs[j];

			if (p->name == NULL)
				continue;
			for (k = 0; k < *n; k++)
				if (strcmp((*names)[k], p->name) == 0)
					break;
			if (k < *n)
				continue;
			*names = ham_realloc(*names, (*n + 2) * sizeof(char *));
			*values = ham_realloc(*values, (*n + 2) * sizeof(char *));
			(*names)[*n] = ham_strdup(p->name);
			(*values)[*n] = ham_strdup(p->value ? p->value : "");
			(*n)++;
			(*names)[*n] = NULL;
			(*values)[*n] = NULL;
		}
}

static void fill_entry(struct ham_alert_entry *e, const struct ham_cib_alert *a,
		       const struct ham_cib_alert_recipient *r, uint64_t timeout_ms)
{
	const char *fmt = meta_get(a, r, HAM_ALERT_META_TIMESTAMP_FORMAT);
	size_t n = 0;

	e->alert_id = ham_strdup(a->id);
	e->recipient_id = r ? ham_strdup(r->id) : NULL;
	e->recipient = r ? ham_strdup(r->value) : NULL;
	e->path = ham_strdup(a->path);
	e->timeout_ms = timeout_ms;
	e->timestamp_format = ham_strdup(fmt ? fmt : HAM_ALERT_DEFAULT_TIMESTAMP_FORMAT);
	e->select = a->select;
	e->select_attrs = strv_from(a->select_attrs, a->n_select_attrs);
	e->param_names = ham_newa0(char *, 1);
	e->param_values = ham_newa0(char *, 1);
	if (r != NULL)
		add_params(&e->param_names, &e->param_values, &n, r->instance, r->n_instance);
	add_params(&e->param_names, &e->param_values, &n, a->instance, a->n_instance);
}

static void entry_clear(struct ham_alert_entry *e)
{
	free(e->alert_id);
	free(e->recipient_id);
	free(e->recipient);
	free(e->path);
	free(e->timestamp_format);
	strv_free(e->select_attrs);
	strv_free(e->param_names);
	strv_free(e->param_values);
}

int ham_alert_list_from_cib(const ham_cib *cib, ham_alert_list **ret, char **ret_err)
{
	const struct ham_cib_alert *const *alerts;
	ham_alert_list *l = ham_new0(ham_alert_list);
	size_t n, i, j, cap = 0;

	alerts = ham_cib_alerts(cib, &n);
	for (i = 0; i < n; i++)
		cap += alerts[i]->n_recipients ? alerts[i]->n_recipients : 1;
	l->e = ham_newa0(struct ham_alert_entry, cap ? cap : 1);
	for (i = 0; i < n; i++) {
		const struct ham_cib_alert *a = alerts[i];
		size_t nr = a->n_recipients ? a->n_recipients : 1;

		for (j = 0; j < nr; j++) {
			const struct ham_cib_alert_recipient *r =
				a->n_recipients ? &a->recipients[j] : NULL;
			uint64_t ms = 0;
			const char *why = alert_problem(a, r, &ms);

			if (why != NULL) {
				if (ret_err)
					*ret_err = r ? ham_asprintf("recipient '%s' of alert '%s': %s",
								    r->id, a->id, why)
						     : ham_asprintf("alert '%s': %s", a->id, why);
				ham_alert_list_free(l);
				return -EINVAL;
			}
			if (enabled(a, r))
				fill_entry(&l->e[l->n++], a, r, ms);
		}
	}
	*ret = l;
	return 0;
}

ham_alert_list *ham_alert_list_free(ham_alert_list *l)
{
	size_t i;

	if (l == NULL)
		return NULL;
	for (i = 0; i < l->n; i++)
		entry_clear(&l->e[i]);
	free(l->e);
	free(l);
	return NULL;
}

size_t ham_alert_list_count(const ham_alert_list *l)
{
	return l ? l->n : 0;
}

const struct ham_alert_entry *ham_alert_list_get(const ham_alert_list *l, size_t i)
{
	return l && i < l->n ? &l->e[i] : NULL;
}

bool ham_alert_wants(const struct ham_alert_entry *e, enum ham_alert_kind kind,
		     const char *attr_name)
{
	size_t i;

	if ((unsigned)kind >= HAM_ALERT_KIND_MAX || !(e->select & (1u << kind)))
		return false;
	if (kind != HAM_ALERT_ATTRIBUTE || e->select_attrs == NULL || e->select_attrs[0] == NULL ||
	    attr_name == NULL)
		return true;
	for (i = 0; e->select_attrs[i] != NULL; i++)
		if (strcmp(e->select_attrs[i], attr_name) == 0)
			return true;
	return false;
}

/* ---- timestamps ---- */

int ham_alert_format_timestamp(const char *fmt, const struct timespec *ts, char *buf,
			       size_t size)
{
	ham_buf b = HAM_BUF_INIT;
	struct tm tm;
	time_t t = ts->tv_sec;
	const char *p;
	size_t len;
	int ret = 0;

	/* %N is replaced here by its digits, the rest is strftime()'s. */
	for (p = fmt; *p != '\0'; p++) {
		const char *q = p + 1;
		unsigned width = 0;

		if (*p != '%') {
			ham_buf_addc(&b, *p);
			continue;
		}
		if (*q == '%') {
			ham_buf_add(&b, "%%");
			p = q;
			continue;
		}
		while (*q >= '0' && *q <= '9')
			width = width * 10 + (unsigned)(*q++ - '0');
		if (*q == 'N') {
			char digits[16];

			if (width == 0 || width > 9)
				width = 9;
			snprintf(digits, sizeof(digits), "%09ld", (long)ts->tv_nsec);
			ham_buf_addn(&b, digits, width);
			p = q;
			continue;
		}
		ham_buf_addc(&b, '%');
	}
	if (size == 0)
		goto out;
	buf[0] = '\0';
	localtime_r(&t, &tm);
	if (ham_buf_str(&b)[0] == '\0')
		goto out;
	/* The format is the operator's timestamp-format, by design. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	len = strftime(buf, size, ham_buf_str(&b), &tm);
#pragma GCC diagnostic pop
	if (len == 0) {
		buf[0] = '\0';
		ret = -ENOSPC;
	}
out:
	ham_buf_free(&b);
	return size == 0 ? -ENOSPC : ret;
}

/* ---- descriptions ---- */

const char *ham_alert_resource_desc(int status, int rc)
{
	switch (status) {
	case 0:
		switch (rc) {
		case 0: return "ok";
		case 1: return "error";
		case 2: return "invalid parameter";
		case 3: return "unimplemented feature";
		case 4: return "insufficient privileges";
		case 5: return "not installed";
		case 6: return "not configured";
		case 7: return "not running";
		case 8: return "promoted";
		case 9: return "promoted (failed)";
		case 190: return "degraded";
		case 191: return "degraded promoted";
		default: return "unknown";
		}
	case -1: return "Pending";
	case 1: return "Cancelled";
	case 2: return "Timed Out";
	case 3: return "NOT SUPPORTED";
	case 4: return "Error";
	case 5: return "No fence device";
	case 6: return "No secrets";
	case 7: return "Not installed";
	case 8: return "Internal communication failure";
	case 9: return "Cannot execute now";
	default: return "Unknown";
	}
}

/* ---- the environment ---- */

struct envb {
	char **v;
	size_t n, cap;
};

static void env_add(struct envb *e, const char *name, const char *value)
{
	if (e->n + 2 > e->cap) {
		e->cap = e->cap ? e->cap * 2 : 48;
		e->v = ham_realloc(e->v, e->cap * sizeof(char *));
	}
	e->v[e->n++] = ham_asprintf("%s=%s", name, value ? value : "");
	e->v[e->n] = NULL;
}

/* CRM_alert_<key>, and CRM_notify_<key> for the keys ClusterMon's external
 * agents knew (compat says so). */
static void env_key(struct envb *e, const char *key, const char *value, bool notify_too)
{
	char name[64];

	snprintf(name, sizeof(name), "CRM_alert_%s", key);
	env_add(e, name, value);
	if (notify_too) {
		snprintf(name, sizeof(name), "CRM_notify_%s", key);
		env_add(e, name, value);
	}
}

static void env_keyf(struct envb *e, const char *key, bool notify_too, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
static void env_keyf(struct envb *e, const char *key, bool notify_too, const char *fmt, ...)
{
	char v[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(v, sizeof(v), fmt, ap);
	va_end(ap);
	env_key(e, key, v, notify_too);
}

/* Whether name may be an environment variable name set from an
 * instance attribute (not one of ours, not PATH). */
static bool param_name_ok(const char *name)
{
	const char *p;

	if (name[0] == '\0' || (name[0] >= '0' && name[0] <= '9') || strcmp(name, "PATH") == 0 ||
	    strncmp(name, "CRM_alert_", 10) == 0 || strncmp(name, "CRM_notify_", 11) == 0)
		return false;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_'))
			return false;
	return true;
}

char **ham_alert_env(const struct ham_alert_entry *e, const struct ham_alert_event *ev,
		     uint64_t sequence, const char *path_env)
{
	struct envb b = { 0 };
	char ts[256];
	size_t i;

	env_add(&b, "PATH", path_env ? path_env : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (i = 0; e->param_names[i] != NULL; i++)
		if (param_name_ok(e->param_names[i]))
			env_add(&b, e->param_names[i], e->param_values[i]);

	env_key(&b, "kind", ham_alert_kind_str(ev->kind), true);
	env_key(&b, "version", HAM_ALERT_VERSION, true);
	env_key(&b, "recipient", e->recipient ? e->recipient : "", true);
	env_keyf(&b, "node_sequence", true, "%llu", (unsigned long long)sequence);
	if (ham_alert_format_timestamp(e->timestamp_format, &ev->when, ts, sizeof(ts)) < 0)
		ts[0] = '\0';
	env_key(&b, "timestamp", ts, true);
	env_keyf(&b, "timestamp_epoch", false, "%lld", (long long)ev->when.tv_sec);
	env_keyf(&b, "timestamp_usec", false, "%ld", (long)(ev->when.tv_nsec / 1000));
	env_key(&b, "node", ev->node, true);

	switch (ev->kind) {
	case HAM_ALERT_NODE:
		env_keyf(&b, "nodeid", true, "%u", ev->nodeid);
		env_key(&b, "desc", ev->desc, true);
		break;
	case HAM_ALERT_FENCING:
		env_key(&b, "task", ev->task, true);
		env_keyf(&b, "rc", true, "%d", ev->rc);
		env_key(&b, "desc", ev->desc, true);
		break;
	case HAM_ALERT_RESOURCE:
		env_key(&b, "rsc", ev->rsc, true);
		env_key(&b, "task", ev->task, true);
		env_keyf(&b, "interval", true, "%llu", (unsigned long long)ev->interval_ms);
		env_keyf(&b, "target_rc", true, "%d", ev->target_rc);
		env_keyf(&b, "status", true, "%d", ev->status);
		env_keyf(&b, "rc", true, "%d", ev->rc);
		env_keyf(&b, "exec_time", false, "%llu", (unsigned long long)ev->exec_ms);
		env_key(&b, "desc", ev->desc ? ev->desc : ham_alert_resource_desc(ev->status, ev->rc),
			true);
		break;
	case HAM_ALERT_ATTRIBUTE:
		env_key(&b, "attribute_name", ev->attr_name, false);
		env_key(&b, "attribute_value", ev->attr_value, false);
		break;
	default:
		break;
	}
	return b.v;
}

char **ham_alert_env_free(char **env)
{
	strv_free(env);
	return NULL;
}

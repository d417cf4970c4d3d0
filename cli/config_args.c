/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/config_args.c: see config_args.h. */
#include "config.h"

#include <errno.h>
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

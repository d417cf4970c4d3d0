/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/config_args.h: the arguments of hactl's configuration commands in
 * pcs's shapes (NAME=VALUE lists, "op ACTION ..." and "meta ..." blocks)
 * turned into lib/cib's typed specs.
 */
#ifndef HACTL_CONFIG_ARGS_H
#define HACTL_CONFIG_ARGS_H

#include <stdbool.h>

#include <hamgr/cib.h>

/* What `resource create|update` and `stonith create` were given. */
struct hactl_rsc_args {
	struct ham_cib_rsc_spec spec; /* points into the arrays below and argv */
	struct ham_cib_nv *params, *meta;
	struct ham_cib_op_spec *ops;
	size_t n_params, n_meta, n_ops;
	bool force;                   /* --force: skip the agent's meta-data checks */
	const char *timeout;          /* --timeout (delete) */
};

/*
 * Parses ARGS: [NAME=VALUE]... [op ACTION [NAME=VALUE]...]... [meta
 * [NAME=VALUE]...] with the options --group G (if allow_group), --disabled
 * (if allow_group), --force, in any place. Returns 0, or -HAM_E_USAGE with
 * *ret_err (malloc'd) naming the argument. Free with hactl_rsc_args_free().
 */
int hactl_rsc_args_parse(int argc, char **argv, bool allow_group, struct hactl_rsc_args *ret,
			 char **ret_err);
void hactl_rsc_args_free(struct hactl_rsc_args *a);

/* Splits NAME=VALUE into nv (name malloc'd, value pointing into s); -EINVAL without '='. */
int hactl_nv_split(const char *s, struct ham_cib_nv *nv);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/config_args.h: the arguments of hactl's configuration commands in
 * pcs's shapes (NAME=VALUE lists, "op ACTION ..." and "meta ..." blocks)
 * turned into lib/cib's typed specs.
 */
#ifndef HACTL_CONFIG_ARGS_H
#define HACTL_CONFIG_ARGS_H

#include <stdbool.h>
#include <stdint.h>

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

/*
 * An ISO 8601 duration (PnYnMnWnDTnHnMnS, the fields in that order, each at
 * most once; no fractions; H and S also before the T, as Pacemaker takes
 * them) added to now (seconds since the epoch, UTC),
 * years and months on the calendar (the day clamped to the month's
 * length): *ret_end. Returns 0, -EINVAL (not such a duration, or zero
 * length) or -ERANGE (past the year 9999).
 */
int hactl_lifetime_end(const char *duration, int64_t now, int64_t *ret_end);
/* t as "YYYY-MM-DDTHH:MM:SSZ" into buf (at least HACTL_UTC_LEN bytes). */
#define HACTL_UTC_LEN 32
void hactl_format_utc(int64_t t, char *buf);

/* The commands of a resource's lifecycle: move, ban, clear, cleanup, refresh. */
enum hactl_lc_cmd { HACTL_LC_MOVE, HACTL_LC_BAN, HACTL_LC_CLEAR, HACTL_LC_CLEANUP,
		    HACTL_LC_REFRESH };

struct hactl_lc_args {
	const char *rsc;       /* NULL: none given (cleanup, refresh) */
	const char *node;      /* positional NODE (move, ban, clear) or --node (cleanup, refresh) */
	const char *lifetime;  /* --lifetime as given */
	int64_t end_s;         /* with lifetime: when it ends */
	bool promoted;         /* --promoted (move, ban) */
	bool expired;          /* --expired (clear) */
	bool wait;             /* --wait[=S] (move) */
	uint64_t wait_ms;      /* default 60 s */
};

/*
 * Parses the arguments after the subcommand:
 *   move RSC [NODE] [--lifetime D] [--promoted] [--wait[=S]]
 *   ban RSC [NODE] [--lifetime D] [--promoted]
 *   clear RSC [NODE] [--expired]
 *   cleanup [RSC] [--node NODE]
 *   refresh [RSC] [--node NODE]
 * now: the time a lifetime starts. Returns 0, or -HAM_E_USAGE with *ret_err
 * (malloc'd, one line) naming what is wrong.
 */
int hactl_lc_args_parse(enum hactl_lc_cmd cmd, int argc, char **argv, int64_t now,
			struct hactl_lc_args *ret, char **ret_err);

#endif

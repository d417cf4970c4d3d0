/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/opstools_args.h: the command lines of hactl status, cib push, config
 * backup|restore and stonith fence|confirm|history, parsed without side
 * effects (unit-tested). Each parser takes the subcommand's argv (argv[0]
 * its name) and returns 0, or -1 with a one-line message in error.
 */
#ifndef HACTL_OPSTOOLS_ARGS_H
#define HACTL_OPSTOOLS_ARGS_H

#include <stdbool.h>
#include <stdint.h>

/* hactl status [--watch [--interval DURATION]] [--inactive|-r] [--failcounts] */
#define HACTL_WATCH_DEFAULT_MS 2000u
#define HACTL_WATCH_MIN_MS 200u
struct hactl_status_args {
	bool help, watch, inactive, failcounts;
	uint64_t interval_ms;
	char error[256];
};
/* machine_output: -o json or xml was given (--watch refuses it). */
int hactl_status_parse(int argc, char **argv, bool machine_output, struct hactl_status_args *ret);

/* hactl cib push [--force] FILE | --diff-against ORIG FILE */
struct hactl_cib_push_args {
	const char *file, *diff_against;
	bool force;
	char error[256];
};
int hactl_cib_push_parse(int argc, char **argv, struct hactl_cib_push_args *ret);

/* hactl config backup FILE | restore [--force] FILE */
struct hactl_config_args {
	bool backup, restore, force, help;
	const char *file;
	char error[256];
};
int hactl_config_parse(int argc, char **argv, struct hactl_config_args *ret);

/* hactl stonith fence NODE [--timeout DURATION] | confirm NODE | history [NODE] */
#define HACTL_FENCE_TIMEOUT_DEFAULT_MS 120000u
struct hactl_stonith_op_args {
	const char *node;       /* history: NULL for every node */
	uint64_t timeout_ms;
	char error[256];
};
int hactl_stonith_fence_parse(int argc, char **argv, struct hactl_stonith_op_args *ret);
int hactl_stonith_confirm_parse(int argc, char **argv, struct hactl_stonith_op_args *ret);
int hactl_stonith_history_parse(int argc, char **argv, struct hactl_stonith_op_args *ret);

#endif

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hactl: the operator's command-line tool. Each command lives in its own
 * cli/cmd_*.c and is listed once in cli/commands.def.
 */
#ifndef HACTL_H
#define HACTL_H

#include <stdbool.h>

#include <hamgr/common.h>

enum hactl_output {
	HACTL_OUTPUT_TEXT,
	HACTL_OUTPUT_JSON,
	HACTL_OUTPUT_XML,
};

/* Options that every command understands, parsed before the command name
 * (or, for convenience, anywhere among the command's own options). */
struct hactl_ctx {
	enum hactl_output output;
	int verbose;
	const char *prog;    /* "hactl" */
	const char *command; /* the command's name */
	const char *cib_file; /* -f FILE: configuration commands edit this file offline */
};

/*
 * A command: argv[0] is the command's name, the rest its arguments with the
 * global options already removed. Returns the process exit status.
 */
typedef int (*hactl_cmd_fn)(struct hactl_ctx *ctx, int argc, char **argv);

#define HACTL_CMD(name, fn, summary) int fn(struct hactl_ctx *ctx, int argc, char **argv);
#include "commands.def"
#undef HACTL_CMD

/* Prints "hactl COMMAND: error: ..." to stderr. */
void hactl_err(const struct hactl_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Usage error: prints the message and a hint, returns HAM_EXIT_USAGE. */
int hactl_usage_error(const struct hactl_ctx *ctx, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

#endif

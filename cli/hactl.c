/* SPDX-License-Identifier: GPL-2.0-or-later */
/* hactl: global options, command dispatch, and shared error reporting. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hactl.h"

struct command {
	const char *name;
	hactl_cmd_fn fn;
	const char *summary;
};

static const struct command commands[] = {
#define HACTL_CMD(name, fn, summary) { #name, fn, summary },
#include "commands.def"
#undef HACTL_CMD
};

static void print_help(FILE *out)
{
	size_t i;

	fprintf(out,
		"Usage: hactl [-f FILE] [--output text|json|xml] [--verbose] COMMAND [ARGS...]\n"
		"\n"
		"The hamgr cluster manager's command-line tool.\n"
		"\n"
		"Commands:\n");
	for (i = 0; i < HAM_ARRAY_SIZE(commands); i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\n"
		"Global options:\n"
		"  -f, --file FILE      configuration commands (resource create, property set,\n"
		"                       constraint ...) edit the CIB file FILE, offline\n"
		"  -o, --output FORMAT  text (default), json or xml\n"
		"  -V, --verbose        more detail; repeat for debug messages\n"
		"  -h, --help           this help; 'hactl COMMAND --help' for a command\n"
		"      --version        print the version\n"
		"\n"
		"Exit status: 0 success, 1 error, 2 usage, 3 invalid configuration,\n"
		"4 not found, 5 permission denied, 6 daemon unreachable, 7 no quorum,\n"
		"124 timeout (see hactl(8)).\n");
}

void hactl_err(const struct hactl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: error: ", ctx->prog, ctx->command ? " " : "",
		ctx->command ? ctx->command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int hactl_usage_error(const struct hactl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s%s%s: ", ctx->prog, ctx->command ? " " : "",
		ctx->command ? ctx->command : "");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '%s%s%s --help'.\n", ctx->prog, ctx->command ? " " : "",
		ctx->command ? ctx->command : "");
	return HAM_EXIT_USAGE;
}

int hactl_cmd_version(struct hactl_ctx *ctx, int argc, char **argv)
{
	if (argc > 1)
		return hactl_usage_error(ctx, "takes no arguments");
	if (ctx->output == HACTL_OUTPUT_JSON)
		printf("{\"version\":\"%s\"}\n", HAM_VERSION);
	else
		printf("hactl (hamgr) %s\n", HAM_VERSION);
	return HAM_EXIT_OK;
}

static int parse_output(struct hactl_ctx *ctx, const char *v)
{
	if (strcmp(v, "text") == 0)
		ctx->output = HACTL_OUTPUT_TEXT;
	else if (strcmp(v, "json") == 0)
		ctx->output = HACTL_OUTPUT_JSON;
	else if (strcmp(v, "xml") == 0)
		ctx->output = HACTL_OUTPUT_XML;
	else
		return hactl_usage_error(ctx, "invalid --output '%s': expected text, json or xml", v);
	return 0;
}

/*
 * Takes the global options out of argv wherever they stand, so that both
 * "hactl --output json status" and "hactl status --output json" work.
 * Stops at "--". Returns 0 or an exit status.
 */
static int take_global_options(struct hactl_ctx *ctx, int *argc, char **argv)
{
	int i, out = 1, r;
	bool before_command = true;

	for (i = 1; i < *argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--") == 0) {
			for (; i < *argc; i++)
				argv[out++] = argv[i];
			break;
		}
		if (strcmp(a, "-o") == 0 || strcmp(a, "--output") == 0) {
			if (i + 1 >= *argc)
				return hactl_usage_error(ctx, "%s needs a value", a);
			if ((r = parse_output(ctx, argv[++i])) != 0)
				return r;
		} else if (strncmp(a, "--output=", 9) == 0) {
			if ((r = parse_output(ctx, a + 9)) != 0)
				return r;
		} else if (strcmp(a, "-V") == 0 || strcmp(a, "--verbose") == 0) {
			ctx->verbose++;
		} else if (before_command && (strcmp(a, "-f") == 0 || strcmp(a, "--file") == 0)) {
			/* only before the command: commands have their own -f/FILE arguments */
			if (i + 1 >= *argc || argv[i + 1][0] == '\0')
				return hactl_usage_error(ctx, "%s needs a CIB file", a);
			ctx->cib_file = argv[++i];
		} else {
			if (a[0] != '-')
				before_command = false;
			argv[out++] = argv[i];
		}
	}
	*argc = out;
	argv[out] = NULL;
	return 0;
}

int main(int argc, char **argv)
{
	struct hactl_ctx ctx = { .output = HACTL_OUTPUT_TEXT, .prog = "hactl" };
	size_t i;
	int r;

	r = take_global_options(&ctx, &argc, argv);
	if (r != 0)
		return r;
	ham_log_init("hactl", HAM_LOG_TOOL, ctx.verbose, NULL);

	if (argc < 2) {
		print_help(stderr);
		return HAM_EXIT_USAGE;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		print_help(stdout);
		return HAM_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("hactl (hamgr) %s\n", HAM_VERSION);
		return HAM_EXIT_OK;
	}
	if (ctx.cib_file && strcmp(argv[1], "resource") != 0 && strcmp(argv[1], "property") != 0 &&
	    strcmp(argv[1], "constraint") != 0 && strcmp(argv[1], "stonith") != 0 &&
	    strcmp(argv[1], "node") != 0) {
		r = hactl_usage_error(&ctx, "-f FILE applies to the configuration commands "
				      "(resource, property, constraint, stonith, node attribute), "
				      "not to '%s'", argv[1]);
		ham_log_fini();
		return r;
	}
	for (i = 0; i < HAM_ARRAY_SIZE(commands); i++) {
		if (strcmp(argv[1], commands[i].name) == 0) {
			ctx.command = commands[i].name;
			r = commands[i].fn(&ctx, argc - 1, argv + 1);
			ham_log_fini();
			return r;
		}
	}
	r = hactl_usage_error(&ctx, "unknown command '%s'", argv[1]);
	ham_log_fini();
	return r;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/opstools_args.c: command lines of the operator tools (opstools_args.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <hamgr/common.h>
#include "opstools_args.h"

static int bad(char *error, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int bad(char *error, size_t size, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(error, size, fmt, ap);
	va_end(ap);
	return -1;
}

#define BAD(a, ...) bad((a)->error, sizeof((a)->error), __VA_ARGS__)

/* "--name VALUE" or "--name=VALUE" at argv[*i]: the value (and *i moved), or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, bool *ret_missing)
{
	size_t l = strlen(name);

	*ret_missing = false;
	if (strncmp(argv[*i], name, l) == 0 && argv[*i][l] == '=')
		return argv[*i] + l + 1;
	if (strcmp(argv[*i], name) != 0)
		return NULL;
	if (*i + 1 >= argc) {
		*ret_missing = true;
		return NULL;
	}
	return argv[++*i];
}

static bool is_node_name(const char *s)
{
	size_t i;

	if (s == NULL || s[0] == '\0' || s[0] == '-' || strlen(s) > 255)
		return false;
	for (i = 0; s[i]; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '<' || s[i] == '>' || s[i] == '"' ||
		    s[i] == '&' || s[i] == '\'')
			return false;
	return true;
}

int hactl_status_parse(int argc, char **argv, bool machine_output, struct hactl_status_args *ret)
{
	bool interval_given = false, missing;
	const char *v;
	int i;

	memset(ret, 0, sizeof(*ret));
	ret->interval_ms = HACTL_WATCH_DEFAULT_MS;
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			ret->help = true;
			return 0;
		} else if (strcmp(a, "-w") == 0 || strcmp(a, "--watch") == 0) {
			ret->watch = true;
		} else if (strcmp(a, "-r") == 0 || strcmp(a, "--inactive") == 0) {
			ret->inactive = true;
		} else if (strcmp(a, "--failcounts") == 0) {
			ret->failcounts = true;
		} else if ((v = opt_value(argc, argv, &i, "--interval", &missing)) != NULL || missing) {
			if (missing)
				return BAD(ret, "--interval needs a duration (e.g. 2s or 500ms)");
			if (ham_parse_duration_ms(v, &ret->interval_ms) < 0)
				return BAD(ret, "invalid --interval '%s': expected a duration such as 2s "
					   "or 500ms", v);
			if (ret->interval_ms < HACTL_WATCH_MIN_MS)
				return BAD(ret, "--interval %s is below the minimum of %ums", v,
					   HACTL_WATCH_MIN_MS);
			interval_given = true;
		} else if (a[0] == '-') {
			return BAD(ret, "unknown option '%s'", a);
		} else {
			return BAD(ret, "takes no arguments, only options (got '%s')", a);
		}
	}
	if (interval_given && !ret->watch)
		return BAD(ret, "--interval applies only with --watch");
	if (ret->watch && machine_output)
		return BAD(ret, "--watch redraws text for a terminal: it does not combine with "
			   "-o json or -o xml");
	return 0;
}

int hactl_cib_push_parse(int argc, char **argv, struct hactl_cib_push_args *ret)
{
	bool missing;
	const char *v;
	int i;

	memset(ret, 0, sizeof(*ret));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "--force") == 0) {
			ret->force = true;
		} else if ((v = opt_value(argc, argv, &i, "--diff-against", &missing)) != NULL ||
			   missing) {
			if (missing || v[0] == '\0')
				return BAD(ret, "--diff-against needs the ORIG file");
			if (ret->diff_against)
				return BAD(ret, "--diff-against is given twice");
			ret->diff_against = v;
		} else if (a[0] == '-' && a[1] != '\0') {
			return BAD(ret, "unknown option '%s' of 'cib push'", a);
		} else if (ret->file) {
			return BAD(ret, "'cib push' takes one FILE, got '%s' and '%s'", ret->file, a);
		} else {
			ret->file = a;
		}
	}
	if (ret->file == NULL)
		return BAD(ret, "'cib push' needs a FILE (or - for standard input)");
	if (ret->force && ret->diff_against)
		return BAD(ret, "--force does not apply with --diff-against (the difference is "
			   "applied to the cluster's current configuration)");
	return 0;
}

int hactl_config_parse(int argc, char **argv, struct hactl_config_args *ret)
{
	int i;

	memset(ret, 0, sizeof(*ret));
	if (argc < 2)
		return BAD(ret, "needs a subcommand: backup FILE or restore FILE");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		ret->help = true;
		return 0;
	}
	if (strcmp(argv[1], "backup") == 0)
		ret->backup = true;
	else if (strcmp(argv[1], "restore") == 0)
		ret->restore = true;
	else
		return BAD(ret, "unknown subcommand '%s': expected backup or restore", argv[1]);
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];

		if (ret->restore && strcmp(a, "--force") == 0)
			ret->force = true;
		else if (a[0] == '-' && a[1] != '\0')
			return BAD(ret, "unknown option '%s' of 'config %s'", a, argv[1]);
		else if (ret->file)
			return BAD(ret, "'config %s' takes one FILE, got '%s' and '%s'", argv[1],
				   ret->file, a);
		else
			ret->file = a;
	}
	if (ret->file == NULL || ret->file[0] == '\0')
		return BAD(ret, "'config %s' needs a FILE", argv[1]);
	if (ret->backup && strcmp(ret->file, "-") != 0 && ret->file[strlen(ret->file) - 1] == '/')
		return BAD(ret, "'config backup' needs a file name, not a directory ('%s')", ret->file);
	return 0;
}

static int node_arg(struct hactl_stonith_op_args *ret, const char *cmd, const char *a)
{
	if (ret->node)
		return BAD(ret, "'stonith %s' takes one NODE, got '%s' and '%s'", cmd, ret->node, a);
	if (!is_node_name(a))
		return BAD(ret, "'%s' is not a node name", a);
	ret->node = a;
	return 0;
}

int hactl_stonith_fence_parse(int argc, char **argv, struct hactl_stonith_op_args *ret)
{
	bool missing;
	const char *v;
	int i;

	memset(ret, 0, sizeof(*ret));
	ret->timeout_ms = HACTL_FENCE_TIMEOUT_DEFAULT_MS;
	for (i = 1; i < argc; i++) {
		if ((v = opt_value(argc, argv, &i, "--timeout", &missing)) != NULL || missing) {
			if (missing)
				return BAD(ret, "--timeout needs a duration (e.g. 120s)");
			if (ham_parse_duration_ms(v, &ret->timeout_ms) < 0 || ret->timeout_ms == 0)
				return BAD(ret, "invalid --timeout '%s': expected a duration such as 120s",
					   v);
		} else if (argv[i][0] == '-') {
			return BAD(ret, "unknown option '%s' of 'stonith fence'", argv[i]);
		} else if (node_arg(ret, "fence", argv[i]) < 0) {
			return -1;
		}
	}
	if (ret->node == NULL)
		return BAD(ret, "'stonith fence' needs the NODE to fence");
	return 0;
}

int hactl_stonith_confirm_parse(int argc, char **argv, struct hactl_stonith_op_args *ret)
{
	int i;

	memset(ret, 0, sizeof(*ret));
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			return BAD(ret, "unknown option '%s' of 'stonith confirm'", argv[i]);
		if (node_arg(ret, "confirm", argv[i]) < 0)
			return -1;
	}
	if (ret->node == NULL)
		return BAD(ret, "'stonith confirm' needs the NODE that is down");
	return 0;
}

int hactl_stonith_history_parse(int argc, char **argv, struct hactl_stonith_op_args *ret)
{
	int i;

	memset(ret, 0, sizeof(*ret));
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '-')
			return BAD(ret, "unknown option '%s' of 'stonith history'", argv[i]);
		if (node_arg(ret, "history", argv[i]) < 0)
			return -1;
	}
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_cib.c: `hactl cib show` prints the cluster's CIB; `hactl cib push
 * FILE` replaces the configuration through the cluster (checked by the
 * daemon first; a rejected push changes nothing).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include "hactl.h"
#include "hactl_ipc.h"

#define PUSH_TIMEOUT_MS 30000
#define SHOW_TIMEOUT_MS 10000

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl cib show\n"
		"       hactl cib push [--force] FILE|-\n"
		"\n"
		"show  print the cluster's CIB (configuration and status) as XML\n"
		"push  replace the configuration with FILE's (a <cib> document; '-' reads\n"
		"      stdin). The daemon checks it first; it is applied on every node in\n"
		"      the same order and the command returns once it is applied. Refused\n"
		"      without quorum. FILE names the version it was taken from by its\n"
		"      admin_epoch and epoch: one older than the cluster's is refused, so\n"
		"      that a stale copy does not undo newer changes.\n"
		"      --force  push it even when it is older than the cluster's\n");
}

/* Reads a file (or stdin) up to the IPC limit. */
static int read_input(const struct hactl_ctx *ctx, const char *path, char **ret, size_t *ret_len)
{
	size_t cap = 65536, len = 0, limit = HAM_IPC_MAX_MSG - 64;
	char *buf = ham_malloc(cap);
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		hactl_err(ctx, "cannot open %s: %s", path, strerror(errno));
		free(buf);
		return errno == ENOENT ? HAM_EXIT_NOT_FOUND : HAM_EXIT_ERROR;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			cap *= 2;
			buf = ham_realloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			hactl_err(ctx, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > limit) {
			hactl_err(ctx, "%s is larger than the limit of %zu bytes", path, limit);
			goto fail;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (len == 0) {
		hactl_err(ctx, "%s is empty", path);
		free(buf);
		return HAM_EXIT_INVALID;
	}
	*ret = buf;
	*ret_len = len;
	return HAM_EXIT_OK;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return HAM_EXIT_ERROR;
}

int hactl_cmd_cib(struct hactl_ctx *ctx, int argc, char **argv)
{
	char *reply = NULL, *input = NULL;
	size_t len, ilen;
	int rc;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: show or push");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return HAM_EXIT_OK;
	}
	if (strcmp(argv[1], "show") == 0) {
		if (argc != 2)
			return hactl_usage_error(ctx, "'cib show' takes no arguments");
		rc = hactl_ipc_call(ctx, HAM_IPC_CIB_QUERY, NULL, 0, SHOW_TIMEOUT_MS, &reply, &len);
		if (rc != HAM_EXIT_OK)
			return rc;
		if (ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf b = HAM_BUF_INIT;

			ham_buf_add(&b, "{\"cib\":");
			ham_buf_add_json(&b, reply);
			ham_buf_add(&b, "}\n");
			fputs(ham_buf_str(&b), stdout);
			ham_buf_free(&b);
		} else {
			printf("%s\n", reply);
		}
		free(reply);
		return HAM_EXIT_OK;
	}
	if (strcmp(argv[1], "push") == 0) {
		bool force = argc == 4 && strcmp(argv[2], "--force") == 0;

		if (argc != 3 + force)
			return hactl_usage_error(ctx, "'cib push' needs exactly one FILE (or -), "
						 "after --force if given");
		rc = read_input(ctx, argv[2 + force], &input, &ilen);
		if (rc != HAM_EXIT_OK)
			return rc;
		rc = hactl_ipc_call(ctx, force ? HAM_IPC_CIB_REPLACE_FORCE : HAM_IPC_CIB_REPLACE,
				    input, ilen, PUSH_TIMEOUT_MS, &reply, &len);
		free(input);
		if (rc != HAM_EXIT_OK)
			return rc;
		free(reply);
		if (ctx->output == HACTL_OUTPUT_JSON)
			printf("{\"pushed\":true}\n");
		else if (ctx->verbose)
			printf("Configuration applied.\n");
		return HAM_EXIT_OK;
	}
	return hactl_usage_error(ctx, "unknown subcommand '%s': expected show or push", argv[1]);
}

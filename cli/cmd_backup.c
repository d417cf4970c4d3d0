/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_backup.c: `hactl config backup FILE` writes the whole CIB as the
 * cluster has it, atomically (a temporary file in FILE's directory, fsync,
 * rename, fsync of the directory); `hactl config restore FILE` checks it as
 * `hactl verify` does and pushes its configuration through the cluster with
 * the stale-version check of `hactl cib push`.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include "hactl.h"
#include "hactl_ipc.h"
#include "cmd_cib.h"
#include "opstools_args.h"

#define BACKUP_TIMEOUT_MS 10000

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl config backup FILE|-\n"
		"       hactl config restore [--force] FILE|-\n"
		"\n"
		"backup   write the cluster's whole CIB (configuration and status, as this\n"
		"         node's hamgrd holds it) to FILE, atomically: FILE is either the old\n"
		"         file or the complete new one, never a partial write. Mode 0600:\n"
		"         fence device parameters may hold passwords. '-': standard output.\n"
		"restore  push FILE's configuration through the cluster. FILE is checked\n"
		"         first as 'hactl verify' does; one that fails is refused (exit 3)\n"
		"         with the reason. As 'hactl cib push', a FILE older than the\n"
		"         cluster's configuration (its admin_epoch and epoch) is refused so\n"
		"         that a stale copy does not undo newer changes, unless --force.\n"
		"         The status section of FILE is ignored: the cluster keeps its own.\n");
}

static int write_all(int fd, const char *buf, size_t len)
{
	while (len > 0) {
		ssize_t w = write(fd, buf, len);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		buf += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Writes buf to path through a temporary file in the same directory. */
static int write_atomic(const struct hactl_ctx *ctx, const char *path, const char *buf,
			size_t len)
{
	char *copy = ham_strdup(path), *dir = dirname(copy);
	char *tmp = ham_asprintf("%s.tmp.XXXXXX", path);
	int fd = mkostemp(tmp, O_CLOEXEC), dfd = -1, r;

	if (fd < 0) {
		r = -errno;
		hactl_err(ctx, "cannot create a file next to %s: %s", path, strerror(-r));
		goto out;
	}
	if (fchmod(fd, 0600) < 0 || (r = write_all(fd, buf, len)) < 0 ||
	    (r = write_all(fd, "\n", 1)) < 0 || fsync(fd) < 0) {
		r = r < 0 ? r : -errno;
		hactl_err(ctx, "cannot write %s: %s", tmp, strerror(-r));
		goto fail;
	}
	if (close(fd) < 0) {
		fd = -1;
		r = -errno;
		hactl_err(ctx, "cannot write %s: %s", tmp, strerror(-r));
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		r = -errno;
		hactl_err(ctx, "cannot rename %s to %s: %s", tmp, path, strerror(-r));
		goto fail;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd >= 0) {
		fsync(dfd);
		close(dfd);
	}
	r = 0;
	goto out;
fail:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(copy);
	return r;
}

static int backup(const struct hactl_ctx *ctx, const char *path)
{
	char *reply = NULL;
	size_t len;
	int rc;

	rc = hactl_ipc_call(ctx, HAM_IPC_CIB_QUERY, NULL, 0, BACKUP_TIMEOUT_MS, &reply, &len);
	if (rc != HAM_EXIT_OK)
		return rc;
	if (len < 5 || strncmp(reply, "<cib", 4) != 0) {
		hactl_err(ctx, "hamgrd sent a CIB that is not a <cib> document: nothing written");
		free(reply);
		return HAM_EXIT_ERROR;
	}
	if (strcmp(path, "-") == 0) {
		printf("%s\n", reply);
		rc = fflush(stdout) == 0 ? HAM_EXIT_OK : HAM_EXIT_ERROR;
	} else {
		rc = write_atomic(ctx, path, reply, len) == 0 ? HAM_EXIT_OK : HAM_EXIT_ERROR;
		if (rc == HAM_EXIT_OK && ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf b = HAM_BUF_INIT;

			ham_buf_add(&b, "{\"backup\":true,\"file\":");
			ham_buf_add_json(&b, path);
			ham_buf_addf(&b, ",\"bytes\":%zu}\n", len + 1);
			fputs(ham_buf_str(&b), stdout);
			ham_buf_free(&b);
		} else if (rc == HAM_EXIT_OK)
			printf("Wrote the cluster's CIB to %s (%zu bytes).\n", path, len + 1);
	}
	free(reply);
	return rc;
}

static int restore(const struct hactl_ctx *ctx, const char *path, bool force)
{
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA };
	ham_cib_diags *diags = ham_cib_diags_new();
	ham_cib *cib = NULL;
	char *buf = NULL, *why;
	size_t len;
	int rc, r;

	rc = hactl_read_input(ctx, path, &buf, &len);
	if (rc != HAM_EXIT_OK)
		goto out;
	r = ham_cib_load_mem(buf, len, path, &opts, &cib, diags);
	if (r < 0) {
		why = ham_cib_diags_message(diags, r);
		hactl_err(ctx, "%s fails verify, not restored: %s", path, why);
		free(why);
		rc = HAM_EXIT_INVALID;
		goto out;
	}
	rc = hactl_push_cib(ctx, buf, len, force);
	if (rc != HAM_EXIT_OK)
		goto out;
	if (ctx->output == HACTL_OUTPUT_JSON)
		printf("{\"restored\":true}\n");
	else
		printf("Restored the configuration of %s.\n", path);
out:
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	free(buf);
	return rc;
}

int hactl_cmd_config(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct hactl_config_args a;

	if (hactl_config_parse(argc, argv, &a) < 0)
		return hactl_usage_error(ctx, "%s", a.error);
	if (a.help) {
		usage(stdout);
		return HAM_EXIT_OK;
	}
	return a.backup ? backup(ctx, a.file) : restore(ctx, a.file, a.force);
}

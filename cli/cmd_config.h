/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_config.h: the configuration commands' shared path: edits built by
 * lib/cib go to the daemon (live) or to the CIB file of `hactl -f FILE`.
 */
#ifndef HACTL_CMD_CONFIG_H
#define HACTL_CMD_CONFIG_H

#include <hamgr/common.h>
#include "hactl.h"

struct _xmlDoc;

/*
 * Applies edits (the inside of a <modify>): to ctx->cib_file when set,
 * checked and written atomically, else through the daemon. Returns an exit
 * status; errors are printed.
 */
int hactl_config_apply(const struct hactl_ctx *ctx, const ham_buf *edits);
/* The CIB to read: ctx->cib_file's, else the cluster's. Exit status; xmlFreeDoc() it. */
int hactl_config_read(const struct hactl_ctx *ctx, struct _xmlDoc **ret_doc);

/* hactl resource create|update|delete (argv[0] "resource", argv[1] the subcommand). */
int hactl_resource_create(struct hactl_ctx *ctx, int argc, char **argv);
int hactl_resource_update(struct hactl_ctx *ctx, int argc, char **argv);
/* hactl resource defaults ..., hactl resource op defaults ... */
int hactl_resource_defaults(struct hactl_ctx *ctx, int argc, char **argv);
/* hactl resource group add|remove GROUP ID..., resource clone|promotable ID [meta ...] */
int hactl_resource_group(struct hactl_ctx *ctx, int argc, char **argv);
int hactl_resource_clone(struct hactl_ctx *ctx, int argc, char **argv);

/* hactl stonith fence|confirm|history (cli/cmd_fence.c; argv[0] the subcommand). */
int hactl_stonith_fence(struct hactl_ctx *ctx, int argc, char **argv);
int hactl_stonith_confirm(struct hactl_ctx *ctx, int argc, char **argv);
int hactl_stonith_history(struct hactl_ctx *ctx, int argc, char **argv);

#endif

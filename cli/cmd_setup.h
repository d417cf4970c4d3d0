/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/cmd_setup.h: `hactl cluster setup` and `hactl cluster start`. */
#ifndef HACTL_CMD_SETUP_H
#define HACTL_CMD_SETUP_H

#include "hactl.h"

/* argv[0] is "setup" / "start"; returns an exit status (errors printed). */
int hactl_cluster_setup(struct hactl_ctx *ctx, int argc, char **argv);
int hactl_cluster_start(struct hactl_ctx *ctx, int argc, char **argv);

#endif

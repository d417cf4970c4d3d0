# SPDX-License-Identifier: GPL-2.0-or-later
# cli: hactl. Modules add their command files to hactl_SOURCES in their own
# local.mk and one line to cli/commands.def.

sbin_PROGRAMS += hactl
hactl_SOURCES += cli/hactl.c cli/hactl.h cli/commands.def
hactl_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cli

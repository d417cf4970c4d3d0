# SPDX-License-Identifier: GPL-2.0-or-later
# cli: hactl. Modules add their command files to hactl_SOURCES in their own
# local.mk and one line to cli/commands.def.

sbin_PROGRAMS += hactl
hactl_SOURCES += cli/hactl.c cli/hactl.h cli/commands.def

# configuration commands (resource create/update/delete, property, constraint, stonith)
hactl_SOURCES += cli/cmd_config.c cli/cmd_config.h cli/config_args.c cli/config_args.h
hactl_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cli

# cluster setup / cluster start (writing corosync.conf and the authkey)
hactl_SOURCES += cli/cmd_setup.c cli/cmd_setup.h cli/setup_conf.c cli/setup_conf.h
check_PROGRAMS += cli/tests/test_setup_conf
cli_tests_test_setup_conf_SOURCES = cli/tests/test_setup_conf.c cli/setup_conf.c cli/setup_conf.h
cli_tests_test_setup_conf_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/cli
cli_tests_test_setup_conf_LDADD = lib/common/libham_common.la $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += cli/tests/test_config_args
cli_tests_test_config_args_SOURCES = cli/tests/test_config_args.c cli/config_args.c \
	cli/config_args.h
cli_tests_test_config_args_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS) -I$(top_srcdir)/cli
cli_tests_test_config_args_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

# operator tools: cib push --diff-against, config backup/restore
hactl_SOURCES += cli/cib_diff.c cli/cib_diff.h cli/cmd_backup.c cli/cmd_cib.h \
	cli/opstools_args.c cli/opstools_args.h cli/cmd_fence.c
check_PROGRAMS += cli/tests/test_cib_diff
cli_tests_test_cib_diff_SOURCES = cli/tests/test_cib_diff.c cli/cib_diff.c cli/cib_diff.h
cli_tests_test_cib_diff_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) $(XML_CFLAGS) -I$(top_srcdir)/cli
cli_tests_test_cib_diff_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la $(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)
check_PROGRAMS += cli/tests/test_opstools_args
cli_tests_test_opstools_args_SOURCES = cli/tests/test_opstools_args.c cli/opstools_args.c \
	cli/opstools_args.h
cli_tests_test_opstools_args_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/cli
cli_tests_test_opstools_args_LDADD = lib/common/libham_common.la $(CMOCKA_LIBS) $(QB_LIBS)

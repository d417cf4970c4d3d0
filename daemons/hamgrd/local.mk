# SPDX-License-Identifier: GPL-2.0-or-later
# daemons/hamgrd: the cluster daemon. Its logic (node state, CIB document,
# status) is a convenience library so that unit tests can drive it on the
# fake transport.

noinst_LTLIBRARIES += daemons/hamgrd/libhamgrd_core.la
daemons_hamgrd_libhamgrd_core_la_SOURCES = \
	include/hamgr/ipc.h \
	daemons/hamgrd/cibdoc.h \
	daemons/hamgrd/cibedit.h \
	daemons/hamgrd/node.c daemons/hamgrd/node.h \
	daemons/hamgrd/opmsg.c daemons/hamgrd/opmsg.h \
	daemons/hamgrd/peinput.c daemons/hamgrd/peinput.h \
	daemons/hamgrd/persist.c daemons/hamgrd/persist.h \
	daemons/hamgrd/runner.c daemons/hamgrd/runner.h \
	daemons/hamgrd/shutdown.c daemons/hamgrd/shutdown.h \
	daemons/hamgrd/status.c daemons/hamgrd/status.h
daemons_hamgrd_libhamgrd_core_la_LIBADD = lib/policy/libham_policy.la lib/cib/libham_cib.la lib/cluster/libham_cluster.la \
	lib/common/libham_common.la $(XML_LIBS) $(QB_LIBS)

sbin_PROGRAMS += hamgrd
hamgrd_SOURCES = daemons/hamgrd/main.c daemons/hamgrd/ipc.c daemons/hamgrd/ipc.h \
	daemons/hamgrd/lrm.c daemons/hamgrd/lrm.h \
	daemons/hamgrd/alerts.c daemons/hamgrd/alerts.h
hamgrd_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
hamgrd_LDADD = daemons/hamgrd/libhamgrd_core.la lib/exec/libham_exec.la lib/cib/libham_cib.la lib/cluster/libham_cluster.la \
	lib/common/libham_common.la $(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) \
	$(XML_LIBS) $(SYSTEMD_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_node
daemons_hamgrd_tests_test_node_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_node_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_sync
daemons_hamgrd_tests_test_sync_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_sync_LDADD = $(daemons_hamgrd_tests_test_node_LDADD)

noinst_PROGRAMS += daemons/hamgrd/tests/cib-store
daemons_hamgrd_tests_cib_store_SOURCES = daemons/hamgrd/tests/cib_store.c
daemons_hamgrd_tests_cib_store_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(XML_LIBS) $(QB_LIBS)

# systemd unit and man page
systemdsystemunit_DATA = daemons/hamgrd/hamgr.service
CLEANFILES += daemons/hamgrd/hamgr.service
EXTRA_DIST += daemons/hamgrd/hamgr.service.in
daemons/hamgrd/hamgr.service: $(top_srcdir)/daemons/hamgrd/hamgr.service.in Makefile
	$(AM_V_GEN)mkdir -p daemons/hamgrd && \
	$(SED) -e 's|@sbindir[@]|$(sbindir)|g' -e 's|@localstatedir[@]|$(localstatedir)|g' \
		-e 's|@ocfdir[@]|$(ocfdir)|g' -e 's|@fencedir[@]|$(fencedir)|g' \
		$(top_srcdir)/daemons/hamgrd/hamgr.service.in > $@
dist_man8_MANS += daemons/hamgrd/hamgrd.8

# hactl's cluster commands (IPC client side)
hactl_SOURCES += cli/cmd_status.c cli/cmd_cib.c cli/hactl_ipc.c cli/hactl_ipc.h \
	cli/cmd_resource.c cli/cmd_node.c cli/cmd_cluster.c cli/cmd_cluster.h
hactl_LDADD += $(XML_LIBS) $(QB_LIBS)
hactl_SOURCES += cli/nodeattr.c cli/nodeattr.h

check_PROGRAMS += daemons/hamgrd/tests/test_ipc
daemons_hamgrd_tests_test_ipc_SOURCES = daemons/hamgrd/tests/test_ipc.c daemons/hamgrd/ipc.c
daemons_hamgrd_tests_test_ipc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_ipc_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_oprec
daemons_hamgrd_tests_test_oprec_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_oprec_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_runner
daemons_hamgrd_tests_test_runner_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_runner_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_cibedit
daemons_hamgrd_tests_test_cibedit_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_cibedit_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/policy/libham_policy.la lib/cib/libham_cib.la lib/cluster/libham_cluster.la \
	lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_hactl_ops
daemons_hamgrd_tests_test_hactl_ops_SOURCES = daemons/hamgrd/tests/test_hactl_ops.c \
	daemons/hamgrd/ipc.c cli/cmd_resource.c cli/cmd_node.c cli/cmd_cluster.c cli/hactl_ipc.c \
	cli/cmd_setup.c cli/setup_conf.c cli/cmd_config.c cli/config_args.c cli/nodeattr.c \
	cli/cmd_fence.c cli/opstools_args.c cli/cmd_cib.c cli/cib_diff.c cli/cmd_backup.c
daemons_hamgrd_tests_test_hactl_ops_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) \
	-I$(top_srcdir)/daemons/hamgrd -I$(top_srcdir)/cli
daemons_hamgrd_tests_test_hactl_ops_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/exec/libham_exec.la $(SYSTEMD_LIBS) lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

# The fencing retry scenario's test agent (cts/scenarios/fence-retry).
EXTRA_DIST += cts/lib/fence_hamgr_flaky

check_PROGRAMS += daemons/hamgrd/tests/test_shutdown
daemons_hamgrd_tests_test_shutdown_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_shutdown_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/policy/libham_policy.la lib/cib/libham_cib.la lib/cluster/libham_cluster.la \
	lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_peinput
daemons_hamgrd_tests_test_peinput_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_peinput_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += daemons/hamgrd/tests/test_persist
daemons_hamgrd_tests_test_persist_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/daemons/hamgrd
daemons_hamgrd_tests_test_persist_LDADD = daemons/hamgrd/libhamgrd_core.la \
	lib/cib/libham_cib.la lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

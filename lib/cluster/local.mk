# SPDX-License-Identifier: GPL-2.0-or-later
# lib/cluster: corosync CPG/votequorum/cmap bindings, the wire format, and an
# in-process fake transport for unit tests.

noinst_LTLIBRARIES += lib/cluster/libham_cluster.la
lib_cluster_libham_cluster_la_SOURCES = \
	include/hamgr/cluster.h \
	lib/cluster/internal.h \
	lib/cluster/core.c \
	lib/cluster/corosync.c \
	lib/cluster/fake.c \
	lib/cluster/wire.c
lib_cluster_libham_cluster_la_CFLAGS = $(AM_CFLAGS) $(CPG_CFLAGS) $(QUORUM_CFLAGS) $(VOTEQUORUM_CFLAGS) $(CMAP_CFLAGS)
lib_cluster_libham_cluster_la_LIBADD = $(CPG_LIBS) $(QUORUM_LIBS) $(VOTEQUORUM_LIBS) $(CMAP_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/cluster/tests/test_wire lib/cluster/tests/test_fake
lib_cluster_tests_test_wire_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cluster_tests_test_wire_LDADD = lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(QB_LIBS)
lib_cluster_tests_test_fake_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cluster_tests_test_fake_LDADD = lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(QB_LIBS)

# A cts tool: sends malformed messages to the group over real corosync.
noinst_PROGRAMS += lib/cluster/tests/cpg-inject
lib_cluster_tests_cpg_inject_SOURCES = lib/cluster/tests/cpg_inject.c
lib_cluster_tests_cpg_inject_CFLAGS = $(AM_CFLAGS) $(CPG_CFLAGS)
lib_cluster_tests_cpg_inject_LDADD = lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(CPG_LIBS) $(QB_LIBS)

# A cts tool: one large message (fragments) between real corosync nodes.
noinst_PROGRAMS += lib/cluster/tests/cpg-big
lib_cluster_tests_cpg_big_SOURCES = lib/cluster/tests/cpg_big.c
lib_cluster_tests_cpg_big_CFLAGS = $(AM_CFLAGS)
lib_cluster_tests_cpg_big_LDADD = lib/cluster/libham_cluster.la lib/common/libham_common.la \
	$(QB_LIBS)

# SPDX-License-Identifier: GPL-2.0-or-later
# lib/exec: running agent actions (OCF, systemd, LSB, fence) on the main loop.

noinst_LTLIBRARIES += lib/exec/libham_exec.la
lib_exec_libham_exec_la_SOURCES = \
	include/hamgr/exec.h \
	include/hamgr/ocf.h \
	lib/exec/exec_private.h \
	lib/exec/exec.c \
	lib/exec/meta.c \
	lib/exec/systemd.c
lib_exec_libham_exec_la_CFLAGS = $(AM_CFLAGS) $(SYSTEMD_CFLAGS)
lib_exec_libham_exec_la_CPPFLAGS = $(AM_CPPFLAGS) -DHAM_TOOLS_DIR='"$(toolsdir)"'
lib_exec_libham_exec_la_LIBADD = lib/common/libham_common.la $(SYSTEMD_LIBS) $(XML_LIBS) $(QB_LIBS)

hactl_SOURCES += cli/cmd_agent.c
hactl_LDADD += lib/exec/libham_exec.la $(SYSTEMD_LIBS) $(XML_LIBS)

check_PROGRAMS += lib/exec/tests/test_exec lib/exec/tests/test_meta
lib_exec_tests_test_exec_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_exec_tests_test_exec_LDADD = lib/exec/libham_exec.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(SYSTEMD_LIBS) $(XML_LIBS) $(QB_LIBS)
lib_exec_tests_test_meta_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_exec_tests_test_meta_LDADD = lib/exec/libham_exec.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(SYSTEMD_LIBS) $(XML_LIBS) $(QB_LIBS)

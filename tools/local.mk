# SPDX-License-Identifier: GPL-2.0-or-later
# tools: hamgr's crm_attribute, attrd_updater, crm_node and crm_master, for
# the resource agents hamgrd runs. Installed in a private directory
# (configure --with-toolsdir) that lib/exec puts first on the agents' PATH
# and makes their HA_SBIN_DIR; they talk to the local hamgrd as hactl does
# (cli/hactl_ipc.c) and read node attributes as hactl node does (cli/nodeattr.c).

noinst_LTLIBRARIES += tools/libham_attrtool.la
tools_libham_attrtool_la_SOURCES = tools/attr_args.c tools/attr_args.h \
	tools/attr_tool.c tools/attr_tool.h cli/hactl_ipc.c cli/hactl_ipc.h \
	cli/nodeattr.c cli/nodeattr.h
tools_libham_attrtool_la_CFLAGS = $(AM_CFLAGS) -I$(top_srcdir)/cli -I$(top_srcdir)/tools

ATTRTOOL_LIBS = tools/libham_attrtool.la lib/cib/libham_cib.la lib/common/libham_common.la $(XML_LIBS) $(QB_LIBS)

toolsdir = @toolsdir@
tools_PROGRAMS = tools/crm_attribute tools/attrd_updater tools/crm_node
dist_tools_SCRIPTS = tools/crm_master
tools_crm_attribute_SOURCES = tools/crm_attribute.c
tools_crm_attribute_CFLAGS = $(tools_libham_attrtool_la_CFLAGS)
tools_crm_attribute_LDADD = $(ATTRTOOL_LIBS)
tools_attrd_updater_SOURCES = tools/attrd_updater.c
tools_attrd_updater_CFLAGS = $(tools_libham_attrtool_la_CFLAGS)
tools_attrd_updater_LDADD = $(ATTRTOOL_LIBS)
tools_crm_node_SOURCES = tools/crm_node.c
tools_crm_node_CFLAGS = $(tools_libham_attrtool_la_CFLAGS)
tools_crm_node_LDADD = $(ATTRTOOL_LIBS)

# cts runs from the build tree: crm_master beside the programs it calls.
all-local: tools/crm_master-in-build
tools/crm_master-in-build: $(top_srcdir)/tools/crm_master
	@$(MKDIR_P) tools
	@if test "$(top_srcdir)" != "$(top_builddir)"; then \
		cp $(top_srcdir)/tools/crm_master tools/crm_master && chmod +x tools/crm_master; fi
	@touch $@
CLEANFILES += tools/crm_master-in-build
clean-local: clean-local-tools
clean-local-tools:
	@if test "$(top_srcdir)" != "$(top_builddir)"; then rm -f tools/crm_master; fi
.PHONY: clean-local-tools

check_PROGRAMS += tools/tests/test_attr_args
tools_tests_test_attr_args_SOURCES = tools/tests/test_attr_args.c tools/attr_args.c \
	cli/nodeattr.c
tools_tests_test_attr_args_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS) -I$(top_srcdir)/cli \
	-I$(top_srcdir)/tools
tools_tests_test_attr_args_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la $(CMOCKA_LIBS) $(XML_LIBS) \
	$(QB_LIBS)

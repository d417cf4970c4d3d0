# SPDX-License-Identifier: GPL-2.0-or-later
# lib/cib: the CIB (XML <-> typed model, checks, editing, persistence).

noinst_LTLIBRARIES += lib/cib/libham_cib.la
lib_cib_libham_cib_la_SOURCES = \
	include/hamgr/cib.h \
	lib/cib/cib_private.h \
	lib/cib/load_private.h \
	lib/cib/arena.c \
	lib/cib/check.c \
	lib/cib/diag.c \
	lib/cib/load.c \
	lib/cib/values.c
lib_cib_libham_cib_la_LIBADD = $(XML_LIBS) $(QB_LIBS)

hactl_SOURCES += cli/cmd_verify.c
hactl_LDADD += lib/cib/libham_cib.la $(XML_LIBS)

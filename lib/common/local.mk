# SPDX-License-Identifier: GPL-2.0-or-later
# lib/common: logging, result codes, allocation, parsing helpers.

noinst_LTLIBRARIES += lib/common/libham_common.la
HAM_COMMON_C = \
	lib/common/crc.c \
	lib/common/log.c \
	lib/common/parse.c \
	lib/common/result.c \
	lib/common/util.c
lib_common_libham_common_la_SOURCES = include/hamgr/common.h $(HAM_COMMON_C)
lib_common_libham_common_la_LIBADD = $(QB_LIBS)

hactl_LDADD += lib/common/libham_common.la $(QB_LIBS)

check_PROGRAMS += lib/common/tests/test_common
lib_common_tests_test_common_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_common_tests_test_common_LDADD = lib/common/libham_common.la $(CMOCKA_LIBS) $(QB_LIBS)

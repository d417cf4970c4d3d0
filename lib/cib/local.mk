# SPDX-License-Identifier: GPL-2.0-or-later
# lib/cib: the CIB (XML <-> typed model, checks, editing, persistence).

noinst_LTLIBRARIES += lib/cib/libham_cib.la
# HAM_CIB_C is also what the fuzz targets compile (here and in
# lib/policy/local.mk): a file added to the library reaches them.
HAM_CIB_C = \
	lib/cib/alerts.c \
	lib/cib/arena.c \
	lib/cib/build.c \
	lib/cib/check.c \
	lib/cib/config.c \
	lib/cib/diag.c \
	lib/cib/doc.c \
	lib/cib/edit.c \
	lib/cib/load.c \
	lib/cib/store.c \
	lib/cib/values.c \
	lib/cib/xml.c
lib_cib_libham_cib_la_SOURCES = \
	include/hamgr/alerts.h \
	include/hamgr/cib.h \
	include/hamgr/xml.h \
	lib/cib/cib_private.h \
	lib/cib/load_private.h \
	$(HAM_CIB_C)
lib_cib_libham_cib_la_LIBADD = $(XML_LIBS) $(QB_LIBS)

hactl_SOURCES += cli/cmd_verify.c
hactl_LDADD += lib/cib/libham_cib.la $(XML_LIBS)

check_PROGRAMS += lib/cib/tests/test_load lib/cib/tests/test_store lib/cib/tests/test_doc \
	lib/cib/tests/test_config lib/cib/tests/test_alerts
lib_cib_tests_test_config_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cib_tests_test_config_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)
lib_cib_tests_test_alerts_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cib_tests_test_alerts_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)
lib_cib_tests_test_load_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cib_tests_test_load_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)
lib_cib_tests_test_doc_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cib_tests_test_doc_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)
lib_cib_tests_test_store_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cib_tests_test_store_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/cib/tests/test_node_attrs
lib_cib_tests_test_node_attrs_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_cib_tests_test_node_attrs_LDADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(CMOCKA_LIBS) $(XML_LIBS) $(QB_LIBS)

EXTRA_DIST += lib/cib/fuzz/corpus lib/cib/fuzz/fuzz_cib.c lib/cib/tests/data \
	cts/verify-unsupported.tsv doc/cib.md

# Fuzzing (clang + libFuzzer): `make fuzz` builds the target, `make fuzz-run
# FUZZ_SECONDS=60` runs it for that long over the seed corpus. Built outside
# libtool with clang's sanitizers, from the sources directly.
FUZZ_CC = clang
FUZZ_SECONDS = 60
FUZZ_CFLAGS = -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined
# Sources are named relative to the source tree; the recipes compile from
# there (prerequisites are found through VPATH).
FUZZ_CPPFLAGS = -I$(abs_top_builddir) -I$(abs_top_srcdir)/include $(AM_CPPFLAGS)
FUZZ_SRCS = lib/cib/fuzz/fuzz_cib.c $(HAM_CIB_C) $(HAM_COMMON_C)

lib/cib/fuzz/fuzz_cib: $(FUZZ_SRCS) $(top_srcdir)/include/hamgr/cib.h
	@$(MKDIR_P) lib/cib/fuzz
	cd $(top_srcdir) && $(FUZZ_CC) $(FUZZ_CFLAGS) $(DEFS) $(FUZZ_CPPFLAGS) \
		-I$(abs_top_srcdir)/lib/cib $(QB_CFLAGS) $(XML_CFLAGS) \
		-o $(abs_builddir)/$@ $(FUZZ_SRCS) $(XML_LIBS) $(QB_LIBS)

fuzz: lib/cib/fuzz/fuzz_cib

fuzz-run: lib/cib/fuzz/fuzz_cib
	@$(MKDIR_P) lib/cib/fuzz/run-corpus
	HAMGR_SCHEMA_DIR='$(abs_top_srcdir)/xml' ./lib/cib/fuzz/fuzz_cib \
		-max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 lib/cib/fuzz/run-corpus $(top_srcdir)/lib/cib/fuzz/corpus

CLEANFILES += lib/cib/fuzz/fuzz_cib
.PHONY: fuzz fuzz-run

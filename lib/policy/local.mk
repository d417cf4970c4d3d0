# SPDX-License-Identifier: GPL-2.0-or-later
# lib/policy: the policy engine (pure: CIB -> transition) and hactl simulate.

noinst_LTLIBRARIES += lib/policy/libham_policy.la
HAM_POLICY_C = \
	lib/policy/input.c \
	lib/policy/from_model.c \
	lib/policy/sched.c \
	lib/policy/rules.c \
	lib/policy/output.c \
	lib/policy/actions.c
lib_policy_libham_policy_la_SOURCES = \
	include/hamgr/policy.h \
	lib/policy/model.h \
	lib/policy/transition.h \
	$(HAM_POLICY_C)
lib_policy_libham_policy_la_LIBADD = lib/cib/libham_cib.la lib/common/libham_common.la \
	$(XML_LIBS) $(QB_LIBS)

hactl_SOURCES += cli/cmd_simulate.c
hactl_LDADD += lib/policy/libham_policy.la $(XML_LIBS)

check_PROGRAMS += lib/policy/tests/test_policy
lib_policy_tests_test_policy_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_policy_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/policy/tests/test_from_model
lib_policy_tests_test_from_model_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_from_model_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/policy/tests/test_history
lib_policy_tests_test_history_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_history_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/policy/tests/test_clones
lib_policy_tests_test_clones_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_clones_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/policy/tests/test_promotion
lib_policy_tests_test_promotion_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_promotion_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/policy/tests/test_rules
lib_policy_tests_test_rules_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_rules_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

check_PROGRAMS += lib/policy/tests/test_actions
lib_policy_tests_test_actions_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_actions_LDADD = lib/policy/libham_policy.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

# The conformance ratchet (cts/scenarios/conformance) reads these.
EXTRA_DIST += cts/conformance-floor.tsv cts/conformance-unsupported.tsv

# Fuzzing the engine (clang + libFuzzer), next to the CIB loader's target in
# lib/cib/local.mk: `make fuzz` builds both, `make fuzz-run` runs each for
# FUZZ_SECONDS over the seed CIBs.
FUZZ_POLICY_SRCS = lib/policy/fuzz/fuzz_policy.c $(HAM_POLICY_C) $(HAM_CIB_C) $(HAM_COMMON_C)

lib/policy/fuzz/fuzz_policy: $(FUZZ_POLICY_SRCS) $(top_srcdir)/include/hamgr/policy.h \
		$(top_srcdir)/include/hamgr/cib.h
	@$(MKDIR_P) lib/policy/fuzz
	cd $(top_srcdir) && $(FUZZ_CC) $(FUZZ_CFLAGS) $(DEFS) $(FUZZ_CPPFLAGS) \
		-I$(abs_top_srcdir)/lib/policy -I$(abs_top_srcdir)/lib/cib $(QB_CFLAGS) $(XML_CFLAGS) \
		-o $(abs_builddir)/$@ $(FUZZ_POLICY_SRCS) $(XML_LIBS) $(QB_LIBS)

fuzz-policy-run: lib/policy/fuzz/fuzz_policy
	@$(MKDIR_P) lib/policy/fuzz/run-corpus
	HAMGR_SCHEMA_DIR='$(abs_top_srcdir)/xml' ./lib/policy/fuzz/fuzz_policy \
		-max_total_time=$(FUZZ_SECONDS) -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
		-print_final_stats=1 lib/policy/fuzz/run-corpus \
		$(top_srcdir)/lib/cib/fuzz/corpus $(top_srcdir)/lib/policy/fuzz/corpus

fuzz: lib/policy/fuzz/fuzz_policy
fuzz-run: fuzz-policy-run
CLEANFILES += lib/policy/fuzz/fuzz_policy
EXTRA_DIST += lib/policy/fuzz/fuzz_policy.c lib/policy/fuzz/corpus lib/policy/tests/data
.PHONY: fuzz-policy-run

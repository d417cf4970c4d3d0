# SPDX-License-Identifier: GPL-2.0-or-later
# lib/policy: the policy engine (pure: CIB -> transition) and hactl simulate.

noinst_LTLIBRARIES += lib/policy/libham_policy.la
lib_policy_libham_policy_la_SOURCES = \
	include/hamgr/policy.h \
	lib/policy/model.h \
	lib/policy/transition.h \
	lib/policy/input.c \
	lib/policy/xmlin.c \
	lib/policy/sched.c \
	lib/policy/output.c
lib_policy_libham_policy_la_LIBADD = lib/common/libham_common.la $(XML_LIBS) $(QB_LIBS)

hactl_SOURCES += cli/cmd_simulate.c
hactl_LDADD += lib/policy/libham_policy.la $(XML_LIBS)

check_PROGRAMS += lib/policy/tests/test_policy
lib_policy_tests_test_policy_CFLAGS = $(AM_CFLAGS) $(CMOCKA_CFLAGS)
lib_policy_tests_test_policy_LDADD = lib/policy/libham_policy.la \
	lib/common/libham_common.la $(XML_LIBS) $(CMOCKA_LIBS) $(QB_LIBS)

# The conformance ratchet (cts/scenarios/conformance) reads these.
EXTRA_DIST += cts/conformance-floor.tsv cts/conformance-unsupported.tsv

# SPDX-License-Identifier: GPL-2.0-or-later
# bench: benchmarks (run by hand: bench/policy [--quick]); shipped in the tarball.
dist_noinst_SCRIPTS += bench/policy bench/gen-cib.py
dist_noinst_SCRIPTS += bench/cluster
dist_noinst_SCRIPTS += bench/failover
dist_noinst_SCRIPTS += bench/scale
# bench/cib-event FILE: a DC event's cost before the engine computes (text
# path against the model in memory), and the compute.
noinst_PROGRAMS += bench/cib-event
bench_cib_event_LDADD = lib/policy/libham_policy.la lib/cib/libham_cib.la \
	lib/common/libham_common.la $(XML_LIBS) $(QB_LIBS)

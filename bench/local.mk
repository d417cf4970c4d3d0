# SPDX-License-Identifier: GPL-2.0-or-later
# bench: benchmarks (run by hand: bench/policy [--quick]); shipped in the tarball.
dist_noinst_SCRIPTS += bench/policy bench/gen-cib.py
dist_noinst_SCRIPTS += bench/cluster
dist_noinst_SCRIPTS += bench/failover
dist_noinst_SCRIPTS += bench/scale

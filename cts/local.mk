# SPDX-License-Identifier: GPL-2.0-or-later
# cts: the cluster test suite (run from the build tree with cts/run).
dist_noinst_SCRIPTS += cts/run
EXTRA_DIST += cts/scenarios
EXTRA_DIST += cts/lib/cluster.sh cts/demo
EXTRA_DIST += cts/lib/chaospoll

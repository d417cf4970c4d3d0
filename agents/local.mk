# SPDX-License-Identifier: GPL-2.0-or-later
# agents: the resource and fence agents hamgr ships.
# OCF agents go to $(ocfdir)/resource.d/hamgr, the fence agent to $(fencedir).

ocfhamgrdir = $(ocfdir)/resource.d/hamgr
dist_ocfhamgr_SCRIPTS = agents/ocf/hamgr/dummy agents/ocf/hamgr/mariadb
dist_fence_SCRIPTS = agents/fence/fence_hamgr_netns

# The test harness's power switch that fence_hamgr_netns talks to, and the
# helpers of the executor's cts scenarios.
EXTRA_DIST += cts/lib/powerswitch cts/lib/exec-common.sh
# The failover scenarios' client and double-active poller.
EXTRA_DIST += cts/lib/dbclient cts/lib/dbpoll cts/lib/pacemaker.sh

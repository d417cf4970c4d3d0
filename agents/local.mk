# SPDX-License-Identifier: GPL-2.0-or-later
# agents: the resource and fence agents hamgr ships.
# OCF agents go to $(ocfdir)/resource.d/hamgr, the fence agent to $(sbindir).

ocfhamgrdir = $(ocfdir)/resource.d/hamgr
dist_ocfhamgr_SCRIPTS = agents/ocf/hamgr/dummy agents/ocf/hamgr/mariadb

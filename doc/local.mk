# SPDX-License-Identifier: GPL-2.0-or-later
# doc: man pages and the documentation of the CIB subset.
dist_man8_MANS += doc/hactl.8

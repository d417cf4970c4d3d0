# SPDX-License-Identifier: GPL-2.0-or-later
# lib/cluster: build description (owned by this directory).

# SPDX-License-Identifier: GPL-2.0-or-later
# daemons/hamgrd: build description (owned by this directory).

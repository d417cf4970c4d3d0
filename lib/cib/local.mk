# SPDX-License-Identifier: GPL-2.0-or-later
# lib/cib: build description (owned by this directory).

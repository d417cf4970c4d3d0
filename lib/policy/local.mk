# SPDX-License-Identifier: GPL-2.0-or-later
# lib/policy: build description (owned by this directory).

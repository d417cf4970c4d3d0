# SPDX-License-Identifier: GPL-2.0-or-later
# agents: build description (owned by this directory).

# SPDX-License-Identifier: GPL-2.0-or-later
# lib/exec: build description (owned by this directory).

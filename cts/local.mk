# SPDX-License-Identifier: GPL-2.0-or-later
# cts: build description (owned by this directory).

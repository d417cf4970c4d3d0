# SPDX-License-Identifier: GPL-2.0-or-later
# examples: build description (owned by this directory).

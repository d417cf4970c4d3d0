# SPDX-License-Identifier: GPL-2.0-or-later
# bench: build description (owned by this directory).

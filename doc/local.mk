# SPDX-License-Identifier: GPL-2.0-or-later
# doc: build description (owned by this directory).

# SPDX-License-Identifier: GPL-2.0-or-later
# xml: build description (owned by this directory).

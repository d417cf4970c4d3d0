# SPDX-License-Identifier: GPL-2.0-or-later
# xml: hamgr's RelaxNG schema for the CIB, installed where lib/cib looks for it
# (HAM_SCHEMA_DIR = $(pkgdatadir)/xml).
hamxmldir = $(pkgdatadir)/xml
dist_hamxml_DATA = xml/hamgr.rng

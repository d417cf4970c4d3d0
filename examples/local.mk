# SPDX-License-Identifier: GPL-2.0-or-later
# examples: configurations shipped as data ($(pkgdatadir)/examples).
hamexamplesdir = $(pkgdatadir)/examples
dist_hamexamples_DATA = examples/cib-example.xml

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/cib_store.c: cib-store PATH < XML writes XML as the
 * stored CIB hamgrd loads at start (checksum line and all, lib/cib): for
 * cluster scenarios that start with a CIB too big to push over IPC.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <hamgr/common.h>
#include <hamgr/cib.h>

int main(int argc, char **argv)
{
	size_t cap = 1u << 20, len = 0, got;
	char *buf = malloc(cap);
	int r;

	if (argc != 2) {
		fprintf(stderr, "usage: cib-store PATH < XML\n");
		return 2;
	}
	if (buf == NULL)
		return 1;
	while ((got = fread(buf + len, 1, cap - len, stdin)) > 0) {
		len += got;
		if (len == cap) {
			char *more = realloc(buf, cap *= 2);

			if (more == NULL) {
				free(buf);
				return 1;
			}
			buf = more;
		}
	}
	r = ham_cib_store_save(argv[1], buf, len, 0);
	free(buf);
	if (r < 0) {
		fprintf(stderr, "cib-store: cannot write %s: %s\n", argv[1], ham_strerror(r));
		return 1;
	}
	return 0;
}

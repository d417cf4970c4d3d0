/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/common/crc.c: CRC-32C (Castagnoli), the one checksum of hamgr: cluster
 * message payloads (lib/cluster) and the stored CIB's checksum line (lib/cib).
 * None of our libraries exports one (zlib's crc32 is CRC-32 and not ours to
 * link), so it is written here once.
 */
#include "config.h"

#include <stdbool.h>
#include <stdint.h>

#include <hamgr/common.h>

static uint32_t crc_table[8][256];
static bool crc_ready;

static void crc_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c & 1) ? (c >> 1) ^ 0x82f63b78u : c >> 1;
		crc_table[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			crc_table[j][i] = (crc_table[j - 1][i] >> 8) ^ crc_table[0][crc_table[j - 1][i] & 0xff];
	crc_ready = true;
}

uint32_t ham_crc32c(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint32_t crc = 0xffffffffu;

	if (!crc_ready)
		crc_init();
	/* Slicing by 8: a CIB of a few MB must not cost milliseconds. */
	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);
		crc = crc_table[7][lo & 0xff] ^ crc_table[6][(lo >> 8) & 0xff] ^
		      crc_table[5][(lo >> 16) & 0xff] ^ crc_table[4][lo >> 24] ^
		      crc_table[3][p[4]] ^ crc_table[2][p[5]] ^
		      crc_table[1][p[6]] ^ crc_table[0][p[7]];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ crc_table[0][(crc ^ *p++) & 0xff];
	return crc ^ 0xffffffffu;
}

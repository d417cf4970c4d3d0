/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster/wire.c: the message header (see include/hamgr/cluster.h),
 * encoding and the checks every received message passes.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>

static const char *const type_names[HAM_MSG_TYPE_MAX] = {
	[HAM_MSG_INVALID] = NULL,
	[HAM_MSG_CIB_SYNC] = "cib-sync",
	[HAM_MSG_CIB_REPLACE] = "cib-replace",
	[HAM_MSG_NODE_LEAVING] = "node-leaving",
	[HAM_MSG_PING] = "ping",
	[HAM_MSG_OP_RESULT] = "op-result",
	[HAM_MSG_ACTION] = "action",
	[HAM_MSG_CIB_MODIFY] = "cib-modify",
};

const char *ham_msg_type_name(uint16_t type)
{
	return type < HAM_MSG_TYPE_MAX ? type_names[type] : NULL;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

int ham_msg_encode_parts(uint16_t type, uint32_t sender, uint64_t seq, uint32_t flags,
			 const void *head, size_t head_len, const void *payload, size_t len,
			 void **ret_buf, size_t *ret_len)
{
	size_t total = head_len + len;
	uint8_t *b;

	if (ham_msg_type_name(type) == NULL || (flags & ~HAM_MSG_F_ALL) != 0)
		return -EINVAL;
	if (head_len > HAM_MSG_MAX_FRAGMENT || len > HAM_MSG_MAX_FRAGMENT ||
	    total > HAM_MSG_MAX_FRAGMENT)
		return -EMSGSIZE;
	b = ham_malloc(HAM_MSG_HEADER_SIZE + total);
	if (head_len > 0)
		memcpy(b + HAM_MSG_HEADER_SIZE, head, head_len);
	if (len > 0)
		memcpy(b + HAM_MSG_HEADER_SIZE + head_len, payload, len);
	put32(b, HAM_MSG_MAGIC);
	put16(b + 4, HAM_MSG_VERSION);
	put16(b + 6, type);
	put32(b + 8, (uint32_t)total);
	put32(b + 12, sender);
	put64(b + 16, seq);
	put32(b + 24, flags);
	put32(b + 28, ham_crc32c(b + HAM_MSG_HEADER_SIZE, total));
	*ret_buf = b;
	*ret_len = HAM_MSG_HEADER_SIZE + total;
	return 0;
}

int ham_msg_encode(uint16_t type, uint32_t sender, uint64_t seq,
		   const void *payload, size_t len, void **ret_buf, size_t *ret_len)
{
	return ham_msg_encode_parts(type, sender, seq, 0, NULL, 0, payload, len, ret_buf, ret_len);
}

int ham_msg_peek_seq(const void *buf, size_t len, uint32_t expected_sender,
		     uint64_t *ret_seq)
{
	const uint8_t *b = buf;
	uint64_t seq;

	if (buf == NULL || len < HAM_MSG_HEADER_SIZE || get32(b) != HAM_MSG_MAGIC ||
	    get32(b + 12) != expected_sender)
		return -HAM_E_PROTOCOL;
	seq = get64(b + 16);
	if (seq == 0)
		return -HAM_E_PROTOCOL;
	*ret_seq = seq;
	return 0;
}

int ham_msg_decode(const void *buf, size_t len, uint32_t expected_sender,
		   struct ham_msg *ret, const char **ret_why)
{
	const uint8_t *b = buf;
	const char *why;
	struct ham_msg m;

	if (buf == NULL || len < HAM_MSG_HEADER_SIZE) {
		why = "shorter than the header";
		goto fail;
	}
	if (get32(b) != HAM_MSG_MAGIC) {
		why = "bad magic";
		goto fail;
	}
	m.version = get16(b + 4);
	if (m.version != HAM_MSG_VERSION) {
		why = "unsupported version";
		goto fail;
	}
	m.type = get16(b + 6);
	if (ham_msg_type_name(m.type) == NULL) {
		why = "unknown message type";
		goto fail;
	}
	m.length = get32(b + 8);
	if (m.length > HAM_MSG_MAX_FRAGMENT) {
		why = "payload over the size limit";
		goto fail;
	}
	if (m.length < len - HAM_MSG_HEADER_SIZE) {
		why = "trailing bytes after the payload";
		goto fail;
	}
	if (m.length > len - HAM_MSG_HEADER_SIZE) {
		why = "truncated payload";
		goto fail;
	}
	m.sender = get32(b + 12);
	if (m.sender != expected_sender) {
		why = "sender differs from the transport's sender";
		goto fail;
	}
	m.seq = get64(b + 16);
	if (m.seq == 0) {
		why = "sequence number 0";
		goto fail;
	}
	m.flags = get32(b + 24);
	if ((m.flags & ~HAM_MSG_F_ALL) != 0) {
		why = "reserved flags set";
		goto fail;
	}
	if (m.flags != 0 && !(m.flags & HAM_MSG_F_FRAG)) {
		why = "fragment flags without the fragment flag";
		goto fail;
	}
	if ((m.flags & HAM_MSG_F_FIRST) && m.length < 8) {
		why = "first fragment shorter than its total length";
		goto fail;
	}
	if (get32(b + 28) != ham_crc32c(b + HAM_MSG_HEADER_SIZE, m.length)) {
		why = "payload checksum mismatch";
		goto fail;
	}
	m.payload = b + HAM_MSG_HEADER_SIZE;
	*ret = m;
	return 0;
fail:
	if (ret_why)
		*ret_why = why;
	return -HAM_E_PROTOCOL;
}

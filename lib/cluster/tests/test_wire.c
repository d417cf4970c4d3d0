/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/cluster/tests/test_wire.c: the message header and every receive check. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>

static void encode(uint16_t type, const char *payload, void **buf, size_t *len)
{
	assert_int_equal(ham_msg_encode(type, 7, 42, payload, strlen(payload), buf, len), 0);
}

static void test_roundtrip(void **state)
{
	struct ham_msg m;
	void *buf;
	size_t len;

	encode(HAM_MSG_CIB_REPLACE, "<cib/>", &buf, &len);
	assert_int_equal(len, HAM_MSG_HEADER_SIZE + 6);
	/* Fixed little-endian layout. */
	assert_memory_equal(buf, "HAMG\x01\x00\x02\x00\x06\x00\x00\x00\x07\x00\x00\x00\x2a", 17);
	assert_int_equal(ham_msg_decode(buf, len, 7, &m, NULL), 0);
	assert_int_equal(m.type, HAM_MSG_CIB_REPLACE);
	assert_int_equal(m.length, 6);
	assert_int_equal(m.sender, 7);
	assert_int_equal(m.seq, 42);
	assert_memory_equal(m.payload, "<cib/>", 6);
	free(buf);
}

static void test_empty_payload(void **state)
{
	struct ham_msg m;
	void *buf;
	size_t len;

	assert_int_equal(ham_msg_encode(HAM_MSG_PING, 1, 1, NULL, 0, &buf, &len), 0);
	assert_int_equal(ham_msg_decode(buf, len, 1, &m, NULL), 0);
	assert_int_equal(m.length, 0);
	free(buf);
}

static void test_encode_rejects(void **state)
{
	void *buf = NULL;
	size_t len = 0;

	assert_int_equal(ham_msg_encode(HAM_MSG_INVALID, 1, 1, "x", 1, &buf, &len), -EINVAL);
	assert_int_equal(ham_msg_encode(HAM_MSG_TYPE_MAX, 1, 1, "x", 1, &buf, &len), -EINVAL);
	assert_int_equal(ham_msg_encode(HAM_MSG_PING, 1, 1, "x", HAM_MSG_MAX_FRAGMENT + 1, &buf, &len),
			 -EMSGSIZE);
	assert_int_equal(ham_msg_encode_parts(HAM_MSG_PING, 1, 1, 0x10, NULL, 0, "x", 1, &buf, &len),
			 -EINVAL);
	assert_null(buf);
}

/* Decodes a garbled copy and checks which check caught it. */
static void expect_drop(const void *buf, size_t len, uint32_t sender, const char *why_part)
{
	struct ham_msg m;
	const char *why = NULL;

	assert_int_equal(ham_msg_decode(buf, len, sender, &m, &why), -HAM_E_PROTOCOL);
	assert_non_null(why);
	if (strstr(why, why_part) == NULL)
		fail_msg("expected '%s', got '%s'", why_part, why);
}

static void test_garbled(void **state)
{
	uint8_t *b, *g;
	void *buf;
	size_t len;

	encode(HAM_MSG_CIB_SYNC, "payload!", &buf, &len);
	b = buf;
	g = malloc(len + 8);

	expect_drop(NULL, 0, 7, "shorter");
	expect_drop(b, HAM_MSG_HEADER_SIZE - 1, 7, "shorter");

	memcpy(g, b, len);
	g[0] ^= 0xff;
	expect_drop(g, len, 7, "magic");

	memcpy(g, b, len);
	g[4] = 2;
	expect_drop(g, len, 7, "version");

	memcpy(g, b, len);
	g[6] = 99;
	expect_drop(g, len, 7, "unknown message type");
	g[6] = 0;
	expect_drop(g, len, 7, "unknown message type");

	memcpy(g, b, len);
	expect_drop(g, len - 1, 7, "truncated");

	memcpy(g, b, len);
	g[len] = 'x';
	expect_drop(g, len + 1, 7, "trailing");

	memcpy(g, b, len);
	g[8] = 0xff; g[9] = 0xff; g[10] = 0xff; g[11] = 0x7f;
	expect_drop(g, len, 7, "size limit");

	expect_drop(b, len, 8, "sender");

	memcpy(g, b, len);
	memset(g + 16, 0, 8);
	expect_drop(g, len, 7, "sequence number 0");

	memcpy(g, b, len);
	g[24] = 0x10;
	expect_drop(g, len, 7, "reserved");

	memcpy(g, b, len);
	g[24] = HAM_MSG_F_LAST;
	expect_drop(g, len, 7, "without the fragment flag");

	memcpy(g, b, len);
	g[HAM_MSG_HEADER_SIZE + 3] ^= 0x20;
	expect_drop(g, len, 7, "checksum");

	free(g);
	free(buf);
}

/* The sequence number survives what decoding rejects, but not a foreign sender. */
static void test_peek_seq(void **state)
{
	uint64_t seq = 0;
	uint8_t *g;
	void *buf;
	size_t len;

	encode(HAM_MSG_PING, "payload", &buf, &len);
	g = buf;
	g[4] = 9;  /* a newer version */
	g[6] = 77; /* a newer type */
	g[HAM_MSG_HEADER_SIZE] ^= 1; /* and a bad checksum */
	assert_int_equal(ham_msg_decode(g, len, 7, &(struct ham_msg){ 0 }, NULL), -HAM_E_PROTOCOL);
	assert_int_equal(ham_msg_peek_seq(g, len, 7, &seq), 0);
	assert_int_equal(seq, 42);
	assert_int_equal(ham_msg_peek_seq(g, len, 8, &seq), -HAM_E_PROTOCOL);
	assert_int_equal(ham_msg_peek_seq(g, HAM_MSG_HEADER_SIZE - 1, 7, &seq), -HAM_E_PROTOCOL);
	free(buf);
}

static void test_type_names(void **state)
{
	assert_string_equal(ham_msg_type_name(HAM_MSG_CIB_SYNC), "cib-sync");
	assert_null(ham_msg_type_name(HAM_MSG_INVALID));
	assert_null(ham_msg_type_name(HAM_MSG_TYPE_MAX));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),
		cmocka_unit_test(test_empty_payload),
		cmocka_unit_test(test_encode_rejects),
		cmocka_unit_test(test_garbled),
		cmocka_unit_test(test_type_names),
		cmocka_unit_test(test_peek_seq),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

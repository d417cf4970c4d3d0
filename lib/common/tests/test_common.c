/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/common: result codes, parsing, scores, buffers, UTF-8. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <stdio.h>

#include <cmocka.h>

#include <hamgr/common.h>

static void test_strerror(void **state)
{
	(void)state;
	assert_string_equal(ham_strerror(0), "Success");
	assert_string_equal(ham_strerror(-HAM_E_XML), "Malformed XML");
	assert_string_equal(ham_strerror(-ENOENT), strerror(ENOENT));
	assert_string_equal(ham_strerror(-HAM_E_MAX - 5), "Unknown error");
	for (int e = HAM_E_BASE; e < HAM_E_MAX; e++)
		assert_non_null(ham_strerror(-e));
}

static void test_exit_status(void **state)
{
	(void)state;
	assert_int_equal(ham_exit_status(0), HAM_EXIT_OK);
	assert_int_equal(ham_exit_status(-HAM_E_SCHEMA), HAM_EXIT_INVALID);
	assert_int_equal(ham_exit_status(-HAM_E_USAGE), HAM_EXIT_USAGE);
	assert_int_equal(ham_exit_status(-ENOENT), HAM_EXIT_NOT_FOUND);
	assert_int_equal(ham_exit_status(-EACCES), HAM_EXIT_PERMISSION);
	assert_int_equal(ham_exit_status(-ETIMEDOUT), HAM_EXIT_TIMEOUT);
	assert_int_equal(ham_exit_status(-EIO), HAM_EXIT_ERROR);
}

static void test_parse_int(void **state)
{
	int64_t v = 7;
	uint32_t u = 7;

	(void)state;
	assert_int_equal(ham_parse_int64("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(ham_parse_int64("-3", &v), 0);
	assert_int_equal(v, -3);
	assert_int_equal(ham_parse_int64("", &v), -EINVAL);
	assert_int_equal(ham_parse_int64(" 1", &v), -EINVAL);
	assert_int_equal(ham_parse_int64("1x", &v), -EINVAL);
	assert_int_equal(ham_parse_int64("99999999999999999999", &v), -ERANGE);
	assert_int_equal(v, -3); /* untouched on failure */
	assert_int_equal(ham_parse_uint32("-1", &u), -ERANGE);
	assert_int_equal(ham_parse_uint32("4294967295", &u), 0);
	assert_int_equal(u, 4294967295u);
}

static void test_parse_bool(void **state)
{
	bool b = false;

	(void)state;
	assert_int_equal(ham_parse_bool("TRUE", &b), 0);
	assert_true(b);
	assert_int_equal(ham_parse_bool("off", &b), 0);
	assert_false(b);
	assert_int_equal(ham_parse_bool("maybe", &b), -EINVAL);
	assert_int_equal(ham_parse_bool(NULL, &b), -EINVAL);
}

static void test_duration(void **state)
{
	uint64_t ms = 0;

	(void)state;
	assert_int_equal(ham_parse_duration_ms("10", &ms), 0);
	assert_int_equal(ms, 10000);
	assert_int_equal(ham_parse_duration_ms("10s", &ms), 0);
	assert_int_equal(ms, 10000);
	assert_int_equal(ham_parse_duration_ms("250ms", &ms), 0);
	assert_int_equal(ms, 250);
	assert_int_equal(ham_parse_duration_ms("2min", &ms), 0);
	assert_int_equal(ms, 120000);
	assert_int_equal(ham_parse_duration_ms("1h", &ms), 0);
	assert_int_equal(ms, 3600000);
	assert_int_equal(ham_parse_duration_ms("1500us", &ms), 0);
	assert_int_equal(ms, 2);
	assert_int_equal(ham_parse_duration_ms("0", &ms), 0);
	assert_int_equal(ms, 0);
	assert_int_equal(ham_parse_duration_ms("PT1M30S", &ms), 0);
	assert_int_equal(ms, 90000);
	assert_int_equal(ham_parse_duration_ms("PT0.5S", &ms), 0);
	assert_int_equal(ms, 500);
	assert_int_equal(ham_parse_duration_ms("P1D", &ms), 0);
	assert_int_equal(ms, 86400000);
	assert_int_equal(ham_parse_duration_ms("-5s", &ms), -EINVAL);
	assert_int_equal(ham_parse_duration_ms("5 parsecs", &ms), -EINVAL);
	assert_int_equal(ham_parse_duration_ms("s", &ms), -EINVAL);
	assert_int_equal(ham_parse_duration_ms("P", &ms), -EINVAL);
	assert_int_equal(ham_parse_duration_ms("PT5H3D", &ms), -EINVAL);
	assert_int_equal(ham_parse_duration_ms("P10S", &ms), 0);
	assert_int_equal(ms, 10000);
	assert_int_equal(ham_parse_duration_ms("P1M", &ms), 0); /* a month */
	assert_int_equal(ms, 30ull * 86400000ull);
	assert_int_equal(ham_parse_duration_ms("99999999999999999999999", &ms), -ERANGE);
}

static void test_scores(void **state)
{
	int s = 0;
	char buf[16];

	(void)state;
	assert_int_equal(ham_score_parse("INFINITY", &s), 0);
	assert_int_equal(s, HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_parse("+INFINITY", &s), 0);
	assert_int_equal(s, HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_parse("-infinity", &s), 0);
	assert_int_equal(s, -HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_parse("+100", &s), 0);
	assert_int_equal(s, 100);
	assert_int_equal(ham_score_parse("5000000", &s), 0);
	assert_int_equal(s, HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_parse("-99999999999999999999999", &s), 0);
	assert_int_equal(s, -HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_parse("lots", &s), -EINVAL);
	assert_int_equal(ham_score_parse("", &s), -EINVAL);

	assert_int_equal(ham_score_add(HAM_SCORE_INFINITY, -HAM_SCORE_INFINITY),
			 -HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_add(999999, 10), HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_add(-999999, -10), -HAM_SCORE_INFINITY);
	assert_int_equal(ham_score_add(5, -7), -2);
	assert_string_equal(ham_score_str(HAM_SCORE_INFINITY, buf), "INFINITY");
	assert_string_equal(ham_score_str(-HAM_SCORE_INFINITY, buf), "-INFINITY");
	assert_string_equal(ham_score_str(-12, buf), "-12");
}

static void test_buf(void **state)
{
	ham_buf b = HAM_BUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(ham_buf_str(&b), "");
	ham_buf_add(&b, "a");
	ham_buf_addf(&b, "%d-%s", 12, "x");
	ham_buf_add_json(&b, "q\"\\\n\x01");
	ham_buf_add_xml(&b, "<&>\"'");
	assert_string_equal(ham_buf_str(&b),
			    "a12-x\"q\\\"\\\\\\n\\u0001\"&lt;&amp;&gt;&quot;&apos;");
	ham_buf_clear(&b);
	assert_int_equal(b.len, 0);
	for (int i = 0; i < 10000; i++)
		ham_buf_addc(&b, 'z');
	assert_int_equal(strlen(ham_buf_str(&b)), 10000);
	s = ham_buf_steal(&b);
	assert_null(b.s);
	free(s);
	ham_buf_add_json(&b, NULL);
	assert_string_equal(ham_buf_str(&b), "null");
	ham_buf_free(&b);

	s = ham_asprintf("%s:%d", "n", 3);
	assert_string_equal(s, "n:3");
	s = ham_free(s);
	assert_null(s);
	assert_null(ham_strdup(NULL));
}

static void test_utf8(void **state)
{
	(void)state;
	assert_true(ham_utf8_valid("plain", 5));
	assert_true(ham_utf8_valid("h\xc3\xa9", 3));
	assert_true(ham_utf8_valid("\xf0\x9f\x98\x80", 4));
	assert_false(ham_utf8_valid("\xc3", 1));          /* truncated */
	assert_false(ham_utf8_valid("\xc0\xaf", 2));      /* overlong */
	assert_false(ham_utf8_valid("\xed\xa0\x80", 3));  /* surrogate */
	assert_false(ham_utf8_valid("\xff", 1));
	assert_false(ham_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	ham_buf b = HAM_BUF_INIT;
	char chunk[256];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ham_buf_addn(&b, chunk, n);
	fclose(f);
	return ham_buf_steal(&b);
}

/* The daemon's log file: messages land there, and SIGHUP's reopen follows a rotation. */
static void test_log_file(void **state)
{
	char dir[] = "/tmp/ham-log-XXXXXX";
	char *path, *rotated, *text;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = ham_asprintf("%s/hamgrd.log", dir);
	rotated = ham_asprintf("%s/hamgrd.log.1", dir);

	assert_int_equal(ham_log_init("test", HAM_LOG_DAEMON, 1, path), 0);
	assert_int_equal(ham_log_verbosity(), 1);
	qb_log(LOG_INFO, "first message %d", 1);
	qb_log(LOG_DEBUG, "hidden debug message");
	assert_int_equal(rename(path, rotated), 0);
	assert_int_equal(ham_log_reopen(), 0);
	qb_log(LOG_NOTICE, "second message");
	ham_log_fini();

	text = read_all(rotated);
	assert_non_null(text);
	assert_non_null(strstr(text, "first message 1"));
	assert_null(strstr(text, "hidden debug"));
	assert_null(strstr(text, "second message"));
	free(text);
	text = read_all(path);
	assert_non_null(text);
	assert_non_null(strstr(text, "second message"));
	free(text);

	/* A log file that cannot be opened is an error, not a silent loss. */
	assert_true(ham_log_init("test", HAM_LOG_DAEMON, 0, "/nonexistent-dir/x.log") < 0);
	ham_log_fini();

	unlink(path);
	unlink(rotated);
	rmdir(dir);
	free(path);
	free(rotated);
}

static void test_streq(void **state)
{
	(void)state;
	assert_true(ham_streq("a", "a"));
	assert_false(ham_streq("a", "ab"));
	assert_false(ham_streq(NULL, "a"));
	assert_true(ham_streq(NULL, NULL));
	assert_true(ham_strcaseeq("Abc", "aBC"));
}

static void test_crc32c(void **state)
{
	unsigned char zeros[32] = { 0 }, ones[32], inc[32];
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(inc); i++) {
		ones[i] = 0xff;
		inc[i] = (unsigned char)i;
	}
	/* The check value of CRC-32C, and RFC 3720's (iSCSI) test vectors,
	 * which go through the 8-bytes-at-a-time path. */
	assert_int_equal(ham_crc32c("123456789", 9), 0xe3069283u);
	assert_int_equal(ham_crc32c("", 0), 0);
	assert_int_equal(ham_crc32c(zeros, sizeof(zeros)), 0x8a9136aau);
	assert_int_equal(ham_crc32c(ones, sizeof(ones)), 0x62a8ab43u);
	assert_int_equal(ham_crc32c(inc, sizeof(inc)), 0x46dd794eu);
	/* An unaligned start and a tail shorter than 8 bytes. */
	assert_int_equal(ham_crc32c((const char *)"x123456789" + 1, 9), 0xe3069283u);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_strerror),   cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_parse_int),  cmocka_unit_test(test_parse_bool),
		cmocka_unit_test(test_duration),   cmocka_unit_test(test_scores),
		cmocka_unit_test(test_buf),        cmocka_unit_test(test_utf8),
		cmocka_unit_test(test_streq),      cmocka_unit_test(test_log_file),
		cmocka_unit_test(test_crc32c),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

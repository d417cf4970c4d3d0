/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/tests/test_opstools_args.c: command lines of status, cib push, config, stonith ops. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "opstools_args.h"

#define ARGV(...) ((char *[]){ __VA_ARGS__, NULL })
#define ARGC(...) ((int)(sizeof((char *[]){ __VA_ARGS__ }) / sizeof(char *)))
#define STATUS(machine, ...) hactl_status_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), machine, &s)

static void says(const char *error, const char *needle)
{
	if (strstr(error, needle) == NULL)
		fail_msg("'%s' does not say '%s'", error, needle);
}

static void test_status(void **state)
{
	struct hactl_status_args s;

	(void)state;
	assert_int_equal(STATUS(false, "status"), 0);
	assert_false(s.watch || s.inactive || s.failcounts);
	assert_int_equal(STATUS(false, "status", "--watch", "--inactive", "--failcounts"), 0);
	assert_true(s.watch && s.inactive && s.failcounts);
	assert_int_equal(s.interval_ms, HACTL_WATCH_DEFAULT_MS);
	assert_int_equal(STATUS(false, "status", "-w", "-r", "--interval", "500ms"), 0);
	assert_true(s.watch && s.inactive);
	assert_int_equal(s.interval_ms, 500);
	assert_int_equal(STATUS(false, "status", "-w", "--interval=3s"), 0);
	assert_int_equal(s.interval_ms, 3000);
	assert_int_equal(STATUS(true, "status", "--inactive", "--failcounts"), 0);

	assert_int_equal(STATUS(true, "status", "--watch"), -1);
	says(s.error, "does not combine with -o json");
	assert_int_equal(STATUS(false, "status", "--interval", "1s"), -1);
	says(s.error, "only with --watch");
	assert_int_equal(STATUS(false, "status", "-w", "--interval", "soon"), -1);
	says(s.error, "invalid --interval 'soon'");
	assert_int_equal(STATUS(false, "status", "-w", "--interval", "10ms"), -1);
	says(s.error, "below the minimum");
	assert_int_equal(STATUS(false, "status", "-w", "--interval"), -1);
	says(s.error, "--interval needs a duration");
	assert_int_equal(STATUS(false, "status", "--inactiv"), -1);
	says(s.error, "unknown option '--inactiv'");
	assert_int_equal(STATUS(false, "status", "now"), -1);
	says(s.error, "takes no arguments");
	assert_int_equal(STATUS(false, "status", "--help"), 0);
	assert_true(s.help);
}

#define PUSH(...) hactl_cib_push_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &p)

static void test_cib_push(void **state)
{
	struct hactl_cib_push_args p;

	(void)state;
	assert_int_equal(PUSH("push", "new.xml"), 0);
	assert_string_equal(p.file, "new.xml");
	assert_null(p.diff_against);
	assert_false(p.force);
	assert_int_equal(PUSH("push", "--force", "-"), 0);
	assert_true(p.force);
	assert_string_equal(p.file, "-");
	assert_int_equal(PUSH("push", "--diff-against", "orig.xml", "new.xml"), 0);
	assert_string_equal(p.diff_against, "orig.xml");
	assert_string_equal(p.file, "new.xml");
	assert_int_equal(PUSH("push", "new.xml", "--diff-against=orig.xml"), 0);
	assert_string_equal(p.diff_against, "orig.xml");

	assert_int_equal(PUSH("push"), -1);
	says(p.error, "needs a FILE");
	assert_int_equal(PUSH("push", "a", "b"), -1);
	says(p.error, "one FILE, got 'a' and 'b'");
	assert_int_equal(PUSH("push", "--diff-against"), -1);
	says(p.error, "--diff-against needs the ORIG file");
	assert_int_equal(PUSH("push", "--diff-against", "o", "--diff-against", "p", "f"), -1);
	says(p.error, "given twice");
	assert_int_equal(PUSH("push", "--force", "--diff-against", "o", "f"), -1);
	says(p.error, "--force does not apply with --diff-against");
	assert_int_equal(PUSH("push", "--diff-against", "o"), -1);
	says(p.error, "needs a FILE");
	assert_int_equal(PUSH("push", "--frce", "f"), -1);
	says(p.error, "unknown option '--frce'");
}

#define CONFIG(...) hactl_config_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &c)

static void test_config(void **state)
{
	struct hactl_config_args c;

	(void)state;
	assert_int_equal(CONFIG("config", "backup", "/tmp/b.xml"), 0);
	assert_true(c.backup && !c.restore);
	assert_string_equal(c.file, "/tmp/b.xml");
	assert_int_equal(CONFIG("config", "restore", "--force", "b.xml"), 0);
	assert_true(c.restore && c.force);
	assert_int_equal(CONFIG("config", "--help"), 0);
	assert_true(c.help);

	assert_int_equal(CONFIG("config"), -1);
	says(c.error, "needs a subcommand");
	assert_int_equal(CONFIG("config", "save", "x"), -1);
	says(c.error, "unknown subcommand 'save'");
	assert_int_equal(CONFIG("config", "backup"), -1);
	says(c.error, "'config backup' needs a FILE");
	assert_int_equal(CONFIG("config", "backup", "--force", "x"), -1);
	says(c.error, "unknown option '--force' of 'config backup'");
	assert_int_equal(CONFIG("config", "restore", "a", "b"), -1);
	says(c.error, "one FILE");
	assert_int_equal(CONFIG("config", "backup", "/tmp/"), -1);
	says(c.error, "not a directory");
}

#define FENCE(...) hactl_stonith_fence_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &f)
#define CONFIRM(...) hactl_stonith_confirm_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &f)
#define HISTORY(...) hactl_stonith_history_parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &f)

static void test_stonith(void **state)
{
	struct hactl_stonith_op_args f;

	(void)state;
	assert_int_equal(FENCE("fence", "node2"), 0);
	assert_string_equal(f.node, "node2");
	assert_int_equal(f.timeout_ms, HACTL_FENCE_TIMEOUT_DEFAULT_MS);
	assert_int_equal(FENCE("fence", "--timeout", "30s", "node2"), 0);
	assert_int_equal(f.timeout_ms, 30000);
	assert_int_equal(FENCE("fence"), -1);
	says(f.error, "needs the NODE");
	assert_int_equal(FENCE("fence", "a", "b"), -1);
	says(f.error, "one NODE");
	assert_int_equal(FENCE("fence", "node2", "--timeout", "never"), -1);
	says(f.error, "invalid --timeout 'never'");
	assert_int_equal(FENCE("fence", "node2", "--off"), -1);
	says(f.error, "unknown option '--off'");
	assert_int_equal(FENCE("fence", "no<de"), -1);
	says(f.error, "not a node name");

	assert_int_equal(CONFIRM("confirm", "node3"), 0);
	assert_string_equal(f.node, "node3");
	assert_int_equal(CONFIRM("confirm"), -1);
	says(f.error, "needs the NODE that is down");
	assert_int_equal(CONFIRM("confirm", "--force", "node3"), -1);
	says(f.error, "unknown option '--force'");

	assert_int_equal(HISTORY("history"), 0);
	assert_null(f.node);
	assert_int_equal(HISTORY("history", "node1"), 0);
	assert_string_equal(f.node, "node1");
	assert_int_equal(HISTORY("history", "node1", "node2"), -1);
	says(f.error, "one NODE");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_status),
		cmocka_unit_test(test_cib_push),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_stonith),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

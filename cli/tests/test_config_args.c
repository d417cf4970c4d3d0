/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/tests/test_config_args.c: the arguments of resource create/update in
 * pcs's shapes: parameters, op blocks, meta, options anywhere, and what is
 * refused.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "config_args.h"

static void test_shapes(void **state)
{
	char *argv[] = { "ip=10.0.0.1", "--group", "web", "op", "monitor", "interval=10s",
			 "timeout=5s", "op", "start", "timeout=40s", "meta", "priority=2",
			 "is-managed=", "--disabled", NULL };
	struct hactl_rsc_args a;
	char *err = NULL;

	(void)state;
	assert_int_equal(hactl_rsc_args_parse(14, argv, true, &a, &err), 0);
	assert_int_equal(a.spec.n_params, 1);
	assert_string_equal(a.spec.params[0].name, "ip");
	assert_string_equal(a.spec.params[0].value, "10.0.0.1");
	assert_int_equal(a.spec.n_ops, 2);
	assert_string_equal(a.spec.ops[0].action, "monitor");
	assert_int_equal(a.spec.ops[0].n_attrs, 2);
	assert_string_equal(a.spec.ops[0].attrs[1].name, "timeout");
	assert_string_equal(a.spec.ops[1].action, "start");
	assert_int_equal(a.spec.ops[1].n_attrs, 1);
	assert_int_equal(a.spec.n_meta, 2);
	assert_string_equal(a.spec.meta[1].name, "is-managed");
	assert_string_equal(a.spec.meta[1].value, "");
	assert_string_equal(a.spec.group, "web");
	assert_true(a.spec.disabled);
	assert_false(a.force);
	hactl_rsc_args_free(&a);
}

static void refused(int argc, char **argv, bool allow_group, const char *what)
{
	struct hactl_rsc_args a;
	char *err = NULL;

	assert_int_equal(hactl_rsc_args_parse(argc, argv, allow_group, &a, &err), -HAM_E_USAGE);
	assert_non_null(err);
	if (strstr(err, what) == NULL)
		fail_msg("'%s' not in '%s'", what, err);
	free(err);
}

static void test_refused(void **state)
{
	char *plain[] = { "ip" }, *op_no_action[] = { "op", "interval=1s" };
	char *op_end[] = { "a=1", "op" }, *group[] = { "--group", "g" };
	char *nogroup[] = { "--group" }, *unknown[] = { "--fast" }, *noname[] = { "=x" };

	(void)state;
	refused(1, plain, true, "'ip' is not NAME=VALUE");
	refused(2, op_no_action, true, "'op' needs an action");
	refused(2, op_end, true, "'op' needs an action");
	refused(2, group, false, "no option '--group'");
	refused(1, nogroup, true, "--group needs a group id");
	refused(1, unknown, true, "no option '--fast'");
	refused(1, noname, true, "'=x' is not NAME=VALUE");
}

/* ---- lifecycle commands ------------------------------------------------------ */

static int64_t at(const char *iso)
{
	int64_t t;

	assert_int_equal(ham_cib_time_parse(iso, &t), 0);
	return t;
}

static void end_is(const char *dur, const char *from, const char *want)
{
	char buf[HACTL_UTC_LEN];
	int64_t end = 0;

	if (hactl_lifetime_end(dur, at(from), &end) != 0)
		fail_msg("'%s' refused", dur);
	hactl_format_utc(end, buf);
	if (strcmp(buf, want) != 0)
		fail_msg("%s + %s: %s, not %s", from, dur, buf, want);
}

static void test_lifetime(void **state)
{
	static const char *const bad[] = { "", "P", "PT", "10M", "PT10", "PT1D", "P1S1H",
					    "PT1M1H", "P1D1D", "P1.5D", "PT1,5S", "-PT1M",
					    "pt10m", "PT10M ", "P1DT", "PT0S", "P0D", "P0Y0M",
					    "PT10Mx", "garbage" };
	int64_t end;
	size_t i;

	(void)state;
	end_is("PT10M", "2026-12-06T03:00:00Z", "2026-12-06T03:10:00Z");
	end_is("PT20S", "2026-12-06T23:59:50Z", "2026-12-07T00:00:10Z");
	end_is("P1D", "2026-12-06T03:00:00Z", "2026-12-07T03:00:00Z");
	end_is("P1W", "2026-12-06T03:00:00Z", "2026-12-13T03:00:00Z");
	end_is("PT1H30M", "2026-12-06T03:00:00Z", "2026-12-06T04:30:00Z");
	end_is("P1DT2H", "2026-12-06T03:00:00Z", "2026-12-07T05:00:00Z");
	/* months and years on the calendar, the day clamped to the month */
	end_is("P1M", "2026-01-31T12:00:00Z", "2026-02-28T12:00:00Z");
	end_is("P1M", "2028-01-31T12:00:00Z", "2028-02-29T12:00:00Z");
	end_is("P1Y", "2028-02-29T00:00:00Z", "2029-02-28T00:00:00Z");
	end_is("P1Y2M", "2026-12-06T00:00:00Z", "2028-02-06T00:00:00Z");
	end_is("P0DT1S", "2026-12-06T00:00:00Z", "2026-12-06T00:00:01Z");
	end_is("P10S", "2026-12-06T00:00:00Z", "2026-12-06T00:00:10Z");
	end_is("P1DT1M", "2026-12-06T00:00:00Z", "2026-12-07T00:01:00Z");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (hactl_lifetime_end(bad[i], at("2026-12-06T00:00:00Z"), &end) != -EINVAL)
			fail_msg("'%s' accepted", bad[i]);
	assert_int_equal(hactl_lifetime_end("P8000Y", at("2026-12-06T00:00:00Z"), &end), -ERANGE);
	assert_int_equal(hactl_lifetime_end("PT99999999999S", 0, &end), -ERANGE);
}

static void lc_refused(enum hactl_lc_cmd cmd, int argc, char **argv, const char *what)
{
	struct hactl_lc_args a;
	char *err = NULL;

	assert_int_equal(hactl_lc_args_parse(cmd, argc, argv, 1000, &a, &err), -HAM_E_USAGE);
	assert_non_null(err);
	if (strstr(err, what) == NULL)
		fail_msg("'%s' not in '%s'", what, err);
	assert_null(strchr(err, '\n'));
	free(err);
}

static void test_lc_args(void **state)
{
	char *move[] = { "--wait=30", "d1", "--lifetime", "PT20S", "node2", "--promoted" };
	char *move2[] = { "d1", "--lifetime=P1D", "--wait" };
	char *clear[] = { "d1", "node2", "--expired" };
	char *cleanup[] = { "--node", "node3" }, *refresh[] = { "d1", "-N", "node1" };
	char *ban_wait[] = { "d1", "--wait" }, *clear_life[] = { "d1", "--lifetime", "PT1M" };
	char *move_none[] = { "--promoted" }, *garbage[] = { "d1", "--lifetime", "10 minutes" };
	char *three[] = { "d1", "n1", "n2" }, *two_cleanup[] = { "d1", "d2" };
	char *node_none[] = { "--node" }, *cleanup_exp[] = { "--expired" };
	char *wait_bad[] = { "d1", "--wait=soon" }, *empty[] = { "d1", "" };
	struct hactl_lc_args a;
	char *err = NULL;

	(void)state;
	assert_int_equal(hactl_lc_args_parse(HACTL_LC_MOVE, 6, move, 1000, &a, &err), 0);
	assert_string_equal(a.rsc, "d1");
	assert_string_equal(a.node, "node2");
	assert_string_equal(a.lifetime, "PT20S");
	assert_int_equal(a.end_s, 1020);
	assert_true(a.promoted);
	assert_true(a.wait);
	assert_int_equal(a.wait_ms, 30000);
	assert_int_equal(hactl_lc_args_parse(HACTL_LC_MOVE, 3, move2, 1000, &a, &err), 0);
	assert_null(a.node);
	assert_int_equal(a.end_s, 1000 + 86400);
	assert_int_equal(a.wait_ms, 60000);
	assert_false(a.promoted);
	assert_int_equal(hactl_lc_args_parse(HACTL_LC_CLEAR, 3, clear, 1000, &a, &err), 0);
	assert_true(a.expired);
	assert_string_equal(a.node, "node2");
	assert_int_equal(hactl_lc_args_parse(HACTL_LC_CLEANUP, 2, cleanup, 1000, &a, &err), 0);
	assert_null(a.rsc);
	assert_string_equal(a.node, "node3");
	assert_int_equal(hactl_lc_args_parse(HACTL_LC_REFRESH, 3, refresh, 1000, &a, &err), 0);
	assert_string_equal(a.rsc, "d1");
	assert_string_equal(a.node, "node1");
	assert_int_equal(hactl_lc_args_parse(HACTL_LC_REFRESH, 0, refresh, 1000, &a, &err), 0);
	assert_null(a.rsc);
	assert_null(a.node);

	lc_refused(HACTL_LC_BAN, 2, ban_wait, "'resource ban' has no option '--wait'");
	lc_refused(HACTL_LC_CLEAR, 3, clear_life, "has no option '--lifetime'");
	lc_refused(HACTL_LC_MOVE, 1, move_none, "'resource move' needs a resource id");
	lc_refused(HACTL_LC_BAN, 3, garbage, "--lifetime '10 minutes' is not an ISO 8601 duration");
	lc_refused(HACTL_LC_MOVE, 2, garbage, "--lifetime needs an ISO 8601 duration");
	lc_refused(HACTL_LC_MOVE, 3, three, "not also 'n2'");
	lc_refused(HACTL_LC_CLEANUP, 2, two_cleanup, "not also 'd2'");
	lc_refused(HACTL_LC_REFRESH, 1, node_none, "--node needs a node name");
	lc_refused(HACTL_LC_CLEANUP, 1, cleanup_exp, "has no option '--expired'");
	lc_refused(HACTL_LC_MOVE, 2, wait_bad, "--wait 'soon' is not a number of seconds");
	lc_refused(HACTL_LC_CLEAR, 2, empty, "an empty argument");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_lifetime),
		cmocka_unit_test(test_lc_args),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

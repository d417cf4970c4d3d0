/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/tests/test_config_args.c: the arguments of resource create/update in
 * pcs's shapes: parameters, op blocks, meta, options anywhere, and what is
 * refused.
 */
#include "config.h"

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shapes),
		cmocka_unit_test(test_refused),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

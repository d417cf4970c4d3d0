/* SPDX-License-Identifier: GPL-2.0-or-later */
/* daemons/hamgrd/tests/test_ipc.c: who may use the daemon (root, group haclient). */
#include "config.h"

#include <pwd.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include "ipc.h"

static void test_allowed(void **state)
{
	struct passwd *pw = getpwuid(65534);
	/* Copy: getpwuid() reuses its storage on the next call. */
	gid_t nobody_gid = pw ? pw->pw_gid : 0;

	/* root always; the group's gid as primary group; nobody else. */
	assert_true(hamgrd_ipc_allowed(0, 0, 4242));
	assert_true(hamgrd_ipc_allowed(4243, 4242, 4242));
	assert_false(hamgrd_ipc_allowed(4243, 4244, 4242));
	if (pw != NULL) {
		/* A member through the group database (here: its own primary group,
		 * found by getgrouplist although the connection's gid differs). */
		assert_true(hamgrd_ipc_allowed(65534, 1, nobody_gid));
		assert_false(hamgrd_ipc_allowed(65534, nobody_gid, nobody_gid + 4242));
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_allowed),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

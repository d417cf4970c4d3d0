/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for cli/setup_conf.c: the arguments of `hactl cluster setup`
 * and the corosync.conf it writes. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hamgr/common.h>
#include "setup_conf.h"

static void spec_of(struct setup_spec *spec, const char *name, const char *const *nodes)
{
	char *err = NULL;

	memset(spec, 0, sizeof(*spec));
	spec->cluster_name = ham_strdup(name);
	for (; *nodes; nodes++) {
		assert_int_equal(setup_add_node(spec, *nodes, &err), 0);
		assert_null(err);
	}
}

/* Asserts that the conf has line (tabs and all) exactly once, or never. */
static void assert_line(const char *conf, const char *line, bool present)
{
	char *l = ham_asprintf("\n%s\n", line);
	const char *p = strstr(conf, l);

	if (present) {
		assert_non_null(p);
		assert_null(strstr(p + 1, l));
	} else {
		assert_null(p);
	}
	free(l);
}

static void test_names(void **state)
{
	(void)state;
	assert_true(setup_name_ok("node1"));
	assert_true(setup_name_ok("db-a.example_2"));
	assert_false(setup_name_ok(""));
	assert_false(setup_name_ok("-x"));
	assert_false(setup_name_ok(".x"));
	assert_false(setup_name_ok("a b"));
	assert_false(setup_name_ok("a}"));
	assert_false(setup_name_ok("a\nb"));
	assert_true(setup_name_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));  /* 63 */
	assert_false(setup_name_ok("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")); /* 64 */
}

static void test_add_node(void **state)
{
	struct setup_spec s = { 0 };
	char *err = NULL;

	(void)state;
	assert_int_equal(setup_add_node(&s, "n1=10.0.0.1", &err), 0);
	assert_int_equal(setup_add_node(&s, "n2", &err), 0);
	assert_int_equal(setup_add_node(&s, "n3=fd00::3", &err), 0);
	assert_int_equal(s.n_nodes, 3);
	assert_string_equal(s.nodes[0].name, "n1");
	assert_string_equal(s.nodes[0].addr, "10.0.0.1");
	assert_null(s.nodes[1].addr);
	assert_string_equal(s.nodes[2].addr, "fd00::3");

	assert_int_equal(setup_add_node(&s, "n4=10.0.0.300", &err), -EINVAL);
	assert_non_null(strstr(err, "10.0.0.300"));
	free(err);
	err = NULL;
	assert_int_equal(setup_add_node(&s, "n4=", &err), -EINVAL);
	free(err);
	err = NULL;
	assert_int_equal(setup_add_node(&s, "bad node=10.0.0.4", &err), -EINVAL);
	assert_non_null(strstr(err, "bad node"));
	free(err);
	err = NULL;
	assert_int_equal(setup_add_node(&s, "=10.0.0.4", &err), -EINVAL);
	free(err);
	assert_int_equal(s.n_nodes, 3);
	setup_spec_clear(&s);
}

static void test_token(void **state)
{
	unsigned ms = 0;
	char *err = NULL;

	(void)state;
	assert_int_equal(setup_parse_token("1000", &ms, &err), 0);
	assert_int_equal(ms, 1000);
	for (const char *const *b = (const char *const[]){ "", "99", "600001", "-5", "1e3", "10x",
							     " 100", "99999999999999999999", NULL };
	     *b; b++) {
		assert_int_equal(setup_parse_token(*b, &ms, &err), -EINVAL);
		assert_non_null(strstr(err, "--token"));
		free(err);
		err = NULL;
	}
	assert_int_equal(ms, 1000);
}

static void check_fails(struct setup_spec *s, const char *needle)
{
	char *err = NULL;

	assert_int_equal(setup_check(s, &err), -EINVAL);
	assert_non_null(strstr(err, needle));
	free(err);
	setup_spec_clear(s);
}

static void test_check(void **state)
{
	struct setup_spec s;
	char *err = NULL;

	(void)state;
	spec_of(&s, "c", (const char *const[]){ "a=10.0.0.1", "b=10.0.0.2", NULL });
	assert_int_equal(setup_check(&s, &err), 0);
	setup_spec_clear(&s);

	spec_of(&s, "c", (const char *const[]){ NULL });
	check_fails(&s, "at least one NODE");
	spec_of(&s, "c d", (const char *const[]){ "a=10.0.0.1", NULL });
	check_fails(&s, "cluster name");
	spec_of(&s, "c", (const char *const[]){ "a=10.0.0.1", "a=10.0.0.2", NULL });
	check_fails(&s, "node a is named twice");
	spec_of(&s, "c", (const char *const[]){ "a=10.0.0.1", "b=10.0.0.1", NULL });
	check_fails(&s, "same address 10.0.0.1");
	spec_of(&s, "c", (const char *const[]){ "a=10.0.0.1", "b=fd00::2", NULL });
	check_fails(&s, "same family");
	spec_of(&s, "c", (const char *const[]){ "a=10.0.0.1", "b", NULL });
	check_fails(&s, "node b has no usable address");
}

static void test_render_three(void **state)
{
	struct setup_spec s;
	char *conf;

	(void)state;
	spec_of(&s, "prod", (const char *const[]){ "n1=10.1.0.1", "n2=10.1.0.2", "n3=10.1.0.3", NULL });
	s.token_ms = 1500;
	conf = setup_render_conf(&s);
	assert_line(conf, "\tcluster_name: prod", true);
	assert_line(conf, "\ttransport: knet", true);
	assert_line(conf, "\ttoken: 1500", true);
	assert_line(conf, "\tcrypto_cipher: aes256", true);
	assert_line(conf, "\tcrypto_hash: sha256", true);
	assert_line(conf, "\tkeyfile: /etc/corosync/authkey", true);
	assert_line(conf, "\tprovider: corosync_votequorum", true);
	assert_line(conf, "\ttwo_node: 1", false);
	assert_non_null(strstr(conf, "\tnode {\n\t\tring0_addr: 10.1.0.1\n\t\tname: n1\n\t\tnodeid: 1\n\t}\n"
				     "\tnode {\n\t\tring0_addr: 10.1.0.2\n\t\tname: n2\n\t\tnodeid: 2\n\t}\n"
				     "\tnode {\n\t\tring0_addr: 10.1.0.3\n\t\tname: n3\n\t\tnodeid: 3\n\t}\n}\n"));
	free(conf);
	setup_spec_clear(&s);
}

static void test_render_two(void **state)
{
	struct setup_spec s;
	char *conf;

	(void)state;
	spec_of(&s, "pair", (const char *const[]){ "a=fd00::1", "b=fd00::2", NULL });
	conf = setup_render_conf(&s);
	assert_line(conf, "\ttwo_node: 1", true);
	assert_null(strstr(conf, "token:"));
	assert_line(conf, "\t\tring0_addr: fd00::2", true);
	free(conf);
	setup_spec_clear(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_add_node),
		cmocka_unit_test(test_token),
		cmocka_unit_test(test_check),
		cmocka_unit_test(test_render_three),
		cmocka_unit_test(test_render_two),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

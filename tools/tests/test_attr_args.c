/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * tools/tests/test_attr_args.c: crm_attribute's and attrd_updater's command
 * lines as resource agents write them (Debian's resource-agents), and the
 * wrong ones refused with a reason.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include "attr_args.h"

#define MAX_ARGS 16

/* Splits a command line on spaces (no quoting needed here). */
static int split(const char *line, char *buf, char **argv)
{
	int argc = 0;
	char *p;

	strcpy(buf, line);
	for (p = strtok(buf, " "); p && argc < MAX_ARGS; p = strtok(NULL, " "))
		argv[argc++] = p;
	argv[argc] = NULL;
	return argc;
}

static void ca(const char *line, const char *instance, struct attr_req *r)
{
	char buf[512], *argv[MAX_ARGS + 1], *err = NULL;
	int argc = split(line, buf, argv);

	if (crm_attribute_args(argc, argv, instance, r, &err) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

static void ca_bad(const char *line, const char *instance, const char *why)
{
	char buf[512], *argv[MAX_ARGS + 1], *err = NULL;
	int argc = split(line, buf, argv);
	struct attr_req r;

	assert_int_equal(crm_attribute_args(argc, argv, instance, &r, &err), -1);
	assert_non_null(err);
	if (strstr(err, why) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", line, err, why);
	free(err);
}

static void au(const char *line, struct attr_req *r)
{
	char buf[512], *argv[MAX_ARGS + 1], *err = NULL;
	int argc = split(line, buf, argv);

	if (attrd_updater_args(argc, argv, r, &err) != 0)
		fail_msg("'%s' refused: %s", line, err);
}

static void au_bad(const char *line, const char *why)
{
	char buf[512], *argv[MAX_ARGS + 1], *err = NULL;
	int argc = split(line, buf, argv);
	struct attr_req r;

	assert_int_equal(attrd_updater_args(argc, argv, &r, &err), -1);
	if (strstr(err, why) == NULL)
		fail_msg("'%s': '%s' does not say '%s'", line, err, why);
	free(err);
}

static void test_crm_attribute_node(void **state)
{
	struct attr_req r;

	(void)state;
	/* galera's form: a transient attribute of a named node, set */
	ca("crm_attribute -N node2 -l reboot --name galera-last-committed -v 1234", NULL, &r);
	assert_int_equal(r.op, ATTR_UPDATE);
	assert_null(r.section);
	assert_int_equal(r.kind, NODEATTR_TRANSIENT);
	assert_string_equal(r.node, "node2");
	assert_string_equal(r.name, "galera-last-committed");
	assert_string_equal(r.value, "1234");
	attr_req_clear(&r);
	/* long options with '=', query by default, quiet */
	ca("crm_attribute --lifetime=reboot --name=pending --node=node1 --quiet", NULL, &r);
	assert_int_equal(r.op, ATTR_QUERY);
	assert_int_equal(r.kind, NODEATTR_TRANSIENT);
	assert_true(r.quiet);
	assert_string_equal(r.node, "node1");
	attr_req_clear(&r);
	/* -N without a lifetime: permanent; -G -q clustered */
	ca("crm_attribute -N node1 -n site -Gq", NULL, &r);
	assert_int_equal(r.op, ATTR_QUERY);
	assert_int_equal(r.kind, NODEATTR_PERMANENT);
	assert_true(r.quiet);
	attr_req_clear(&r);
	/* a lifetime without a node: this node's */
	ca("crm_attribute -l forever -n site -D", NULL, &r);
	assert_int_equal(r.op, ATTR_DELETE);
	assert_null(r.node);
	assert_null(r.section);
	assert_int_equal(r.kind, NODEATTR_PERMANENT);
	attr_req_clear(&r);
	ca("crm_attribute -t status -N node3 -n x -v1", NULL, &r);
	assert_int_equal(r.kind, NODEATTR_TRANSIENT);
	assert_string_equal(r.value, "1");
	attr_req_clear(&r);
	ca("crm_attribute -z -N node3 -n cpu -v 4", NULL, &r);
	assert_int_equal(r.kind, NODEATTR_UTILIZATION);
	attr_req_clear(&r);
	/* no node, no lifetime: a cluster option */
	ca("crm_attribute --type crm_config --name redis_REPL_INFO -s redis_replication -v n1", NULL,
	   &r);
	assert_string_equal(r.section, "crm_config");
	assert_string_equal(r.value, "n1");
	attr_req_clear(&r);
	ca("crm_attribute -n cluster-delay -G -d 60s", NULL, &r);
	assert_string_equal(r.section, "crm_config");
	assert_string_equal(r.dflt, "60s");
	attr_req_clear(&r);
}

static void test_crm_attribute_promotion(void **state)
{
	struct attr_req r;

	(void)state;
	/* ocf_promotion_score: crm_attribute -p -v 5, from the environment,
	 * the clone instance number dropped; lifetime reboot; this node */
	ca("crm_attribute -p -v 5", "stateful:1", &r);
	assert_string_equal(r.name, "master-stateful");
	assert_int_equal(r.kind, NODEATTR_TRANSIENT);
	assert_null(r.node);
	assert_int_equal(r.op, ATTR_UPDATE);
	attr_req_clear(&r);
	ca("crm_attribute --promotion -D", "db", &r);
	assert_string_equal(r.name, "master-db");
	assert_int_equal(r.op, ATTR_DELETE);
	attr_req_clear(&r);
	/* crm_master's translation of -r RSC; an explicit lifetime wins */
	ca("crm_attribute --promotion=web:12 -l forever -N node2 -G -q", "db", &r);
	assert_string_equal(r.name, "master-web");
	assert_int_equal(r.kind, NODEATTR_PERMANENT);
	attr_req_clear(&r);
	ca("crm_attribute -pweb -v 1", NULL, &r);
	assert_string_equal(r.name, "master-web");
	attr_req_clear(&r);
	/* a name that merely ends in ':' or letters keeps them */
	ca("crm_attribute -p -v 1", "a:b", &r);
	assert_string_equal(r.name, "master-a:b");
	attr_req_clear(&r);
	ca_bad("crm_attribute -p -v 5", NULL, "OCF_RESOURCE_INSTANCE is not set");
	ca_bad("crm_attribute -p -n x -v 5", "db", "not also --name");
}

static void test_crm_attribute_errors(void **state)
{
	(void)state;
	ca_bad("crm_attribute -N node1 -v 1", NULL, "an attribute name is needed");
	ca_bad("crm_attribute -N node1 -n x -v 1 -D", NULL, "only one of");
	ca_bad("crm_attribute -N node1 -n x -l sometimes", NULL, "invalid lifetime 'sometimes'");
	ca_bad("crm_attribute -N node1 -n x -t tickets", NULL, "invalid --type 'tickets'");
	ca_bad("crm_attribute -N node1 -n x -t crm_config", NULL, "not a node attribute");
	ca_bad("crm_attribute -N node1 -n x -t status -l forever", NULL, "not forever");
	ca_bad("crm_attribute -z -l reboot -n cpu -v 1", NULL, "lifetime forever");
	ca_bad("crm_attribute -N node1 -n x --frobnicate", NULL, "unknown option '--frobnicate'");
	ca_bad("crm_attribute -N node1 -n x -X", NULL, "unknown option '-X'");
	ca_bad("crm_attribute -N node1 -n", NULL, "option '-n' needs a value");
	ca_bad("crm_attribute -N node1 --name", NULL, "option '--name' needs a value");
	ca_bad("crm_attribute -N node1 -n x stray", NULL, "unexpected argument 'stray'");
	ca_bad("crm_attribute -N node1 --quiet=yes -n x", NULL, "takes no value");
}

static void test_attrd_updater(void **state)
{
	struct attr_req r;

	(void)state;
	au("attrd_updater -p -n db-gtid -U 0-1-42", &r);
	assert_int_equal(r.op, ATTR_UPDATE);
	assert_int_equal(r.kind, NODEATTR_TRANSIENT);
	assert_null(r.section);
	assert_null(r.node);
	assert_string_equal(r.name, "db-gtid");
	assert_string_equal(r.value, "0-1-42");
	attr_req_clear(&r);
	au("attrd_updater -p -N node2 -n db-gtid -Q", &r);
	assert_int_equal(r.op, ATTR_QUERY);
	assert_string_equal(r.node, "node2");
	attr_req_clear(&r);
	au("attrd_updater -d 5 -S status -n openstack_ip -v 10.0.0.1", &r);
	assert_int_equal(r.op, ATTR_UPDATE);
	assert_string_equal(r.value, "10.0.0.1");
	attr_req_clear(&r);
	au("attrd_updater -n x -N node1 -D", &r);
	assert_int_equal(r.op, ATTR_DELETE);
	attr_req_clear(&r);
	au("attrd_updater --name=x --query --all", &r);
	assert_true(r.all);
	attr_req_clear(&r);
	au("attrd_updater -R", &r);
	assert_int_equal(r.op, ATTR_NOOP);
	attr_req_clear(&r);
	au_bad("attrd_updater -n x", "a command is needed");
	au_bad("attrd_updater -U 1", "an attribute name is needed");
	au_bad("attrd_updater -n x -U 1 -Q", "only one of");
	au_bad("attrd_updater -n x -D -A", "-A (all nodes) goes with -Q only");
	au_bad("attrd_updater -n x -U", "needs a value");
	au_bad("attrd_updater -n x -Q -z", "unknown option '-z'");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_crm_attribute_node),
		cmocka_unit_test(test_crm_attribute_promotion),
		cmocka_unit_test(test_crm_attribute_errors),
		cmocka_unit_test(test_attrd_updater),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/cib persistence (atomic write, backups, checksum
 * refusal) and for the editable document used by the daemon. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <hamgr/cib.h>

static char dir[256];
static char schema_dir[4096];

static int setup(void **state)
{
	(void)state;
	strcpy(dir, "test_store.XXXXXX");
	assert_non_null(mkdtemp(dir));
	snprintf(schema_dir, sizeof(schema_dir), "%s/xml",
		 getenv("HAM_SRCDIR") ? getenv("HAM_SRCDIR") : "..");
	return 0;
}

static int teardown(void **state)
{
	char cmd[512];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static char *path_of(const char *name)
{
	static char p[512];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return p;
}

static const char *doc_v(int v)
{
	static char buf[512];

	snprintf(buf, sizeof(buf),
		 "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"%d\" "
		 "num_updates=\"0\"><configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/><resources/>"
		 "<constraints/></configuration></cib>\n",
		 v);
	return buf;
}

/* The file starts with a CRC-32C checksum line over the rest. */
static void test_checksum_line(void **state)
{
	char want[128], got[128] = "";
	FILE *f;

	(void)state;
	assert_int_equal(ham_cib_store_save(path_of("sum.xml"), "123456789", 9, 1), 0);
	snprintf(want, sizeof(want), "<!-- hamgr-crc32c:%08x length:9 -->\n123456789",
		 0xe3069283u);
	f = fopen(path_of("sum.xml"), "r");
	assert_non_null(f);
	assert_int_equal(fread(got, 1, sizeof(got) - 1, f), strlen(want));
	fclose(f);
	assert_string_equal(got, want);
}

static void test_save_load_rotate(void **state)
{
	char *path = strdup(path_of("cib.xml"));
	char *buf = NULL, name[600];
	size_t len;
	int v;
	ham_cib_diags *d = ham_cib_diags_new();
	struct stat st;

	(void)state;
	for (v = 1; v <= 13; v++)
		assert_int_equal(ham_cib_store_save(path, doc_v(v), strlen(doc_v(v)), 10), 0);
	assert_int_equal(ham_cib_store_load(path, &buf, &len, d), 0);
	assert_string_equal(buf, doc_v(13));
	assert_int_equal(len, strlen(doc_v(13)));
	free(buf);
	/* PATH.1 is the previous version, PATH.10 the oldest kept, no PATH.11. */
	for (v = 1; v <= 10; v++) {
		snprintf(name, sizeof(name), "%s.%d", path, v);
		assert_int_equal(ham_cib_store_load(name, &buf, &len, d), 0);
		assert_string_equal(buf, doc_v(13 - v));
		free(buf);
	}
	snprintf(name, sizeof(name), "%s.11", path);
	assert_int_equal(stat(name, &st), -1);
	/* no temporary file is left behind */
	{
		char cmd[700];

		snprintf(cmd, sizeof(cmd), "ls '%s' | grep -q tmp", dir);
		assert_int_not_equal(system(cmd), 0);
	}
	assert_int_equal(ham_cib_diags_count(d), 0);
	ham_cib_diags_free(d);
	free(path);
}

static void corrupt(const char *path, long off)
{
	int fd = open(path, O_RDWR);
	char c;

	assert_true(fd >= 0);
	assert_int_equal(pread(fd, &c, 1, off), 1);
	c ^= 0x20;
	assert_int_equal(pwrite(fd, &c, 1, off), 1);
	close(fd);
}

static void test_corruption_names_previous(void **state)
{
	char *path = strdup(path_of("c.xml"));
	char name[600];
	char *buf = NULL;
	size_t len;
	ham_cib_diags *d = ham_cib_diags_new();
	const char *msg;
	int v;

	(void)state;
	for (v = 1; v <= 4; v++)
		assert_int_equal(ham_cib_store_save(path, doc_v(v), strlen(doc_v(v)), 0), 0);
	/* Corrupt the current file and the newest backup: .2 is the good one. */
	corrupt(path, 80);
	snprintf(name, sizeof(name), "%s.1", path);
	corrupt(name, 90);
	assert_int_equal(ham_cib_store_load(path, &buf, &len, d), -HAM_E_CHECKSUM);
	assert_null(buf);
	msg = ham_cib_diags_get(d, 0)->message;
	snprintf(name, sizeof(name), "%s.2", path);
	assert_non_null(strstr(msg, "corrupted"));
	assert_non_null(strstr(msg, name));
	ham_cib_diags_free(d);

	/* A truncated file is refused too. */
	d = ham_cib_diags_new();
	assert_int_equal(truncate(path, 100), 0);
	assert_int_equal(ham_cib_store_load(path, &buf, &len, d), -HAM_E_CHECKSUM);
	assert_non_null(strstr(ham_cib_diags_get(d, 0)->message, "truncated"));
	ham_cib_diags_free(d);

	/* A file without the checksum line, and no good backup at all. */
	d = ham_cib_diags_new();
	{
		char *p2 = strdup(path_of("plain.xml"));
		FILE *f = fopen(p2, "w");

		fputs(doc_v(1), f);
		fclose(f);
		assert_int_equal(ham_cib_store_load(p2, &buf, &len, d), -HAM_E_CHECKSUM);
		assert_non_null(strstr(ham_cib_diags_get(d, 0)->message, "No good previous"));
		free(p2);
	}
	ham_cib_diags_free(d);
	/* A missing file is -ENOENT. */
	d = ham_cib_diags_new();
	assert_int_equal(ham_cib_store_load(path_of("missing.xml"), &buf, &len, d), -ENOENT);
	ham_cib_diags_free(d);
	free(path);
}

static void test_save_errors(void **state)
{
	(void)state;
	assert_int_equal(ham_cib_store_save("/nonexistent-dir/x/cib.xml", "x", 1, 0), -ENOENT);
	assert_int_equal(ham_cib_store_save(NULL, "x", 1, 0), -EINVAL);
}

/* A CIB text: configuration revision cfg (a resource per revision), status revision st. */
static const char *doc_cs(int epoch, int cfg, int st)
{
	static char buf[1024];

	snprintf(buf, sizeof(buf),
		 "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"%d\" "
		 "num_updates=\"%d\"><configuration><crm_config/><nodes/><resources>"
		 "<primitive id=\"r%d\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		 "</resources><constraints/></configuration><status><node_state id=\"1\" "
		 "uname=\"n1\" in_ccm=\"%s\"/></status></cib>",
		 epoch, st, cfg, st % 2 ? "true" : "false");
	return buf;
}

static bool exists(const char *path, int n)
{
	char name[600];
	struct stat st;

	snprintf(name, sizeof(name), "%s.%d", path, n);
	return stat(name, &st) == 0;
}

static void assert_backup(const char *path, int n, const char *want)
{
	char name[600], *buf = NULL;
	ham_cib_diags *d = ham_cib_diags_new();
	size_t len;

	snprintf(name, sizeof(name), "%s.%d", path, n);
	assert_int_equal(ham_cib_store_load(name, &buf, &len, d), 0);
	assert_string_equal(buf, want);
	free(buf);
	ham_cib_diags_free(d);
}

/* Status updates replace the file without rotating; configurations rotate. */
static void test_backups_are_configurations(void **state)
{
	char *path = strdup(path_of("cfg.xml")), *want;
	bool rotated = true;
	int i;

	(void)state;
	assert_int_equal(ham_cib_store_save_cib(path, doc_cs(1, 1, 0), strlen(doc_cs(1, 1, 0)), 0,
						&rotated), 0);
	assert_false(rotated); /* nothing to keep yet */
	for (i = 1; i <= 25; i++) {
		assert_int_equal(ham_cib_store_save_cib(path, doc_cs(1, 1, i),
							strlen(doc_cs(1, 1, i)), 0, &rotated), 0);
		assert_false(rotated);
	}
	assert_false(exists(path, 1));
	/* A configuration change keeps the last version of the previous one. */
	want = strdup(doc_cs(1, 1, 25));
	assert_int_equal(ham_cib_store_save_cib(path, doc_cs(2, 2, 26), strlen(doc_cs(2, 2, 26)), 0,
						&rotated), 0);
	assert_true(rotated);
	assert_backup(path, 1, want);
	assert_false(exists(path, 2));
	free(want);
	/* More status updates: still one backup, the same one. */
	for (i = 27; i <= 40; i++)
		assert_int_equal(ham_cib_store_save_cib(path, doc_cs(2, 2, i), strlen(doc_cs(2, 2, i)),
							0, NULL), 0);
	assert_false(exists(path, 2));
	assert_backup(path, 1, doc_cs(1, 1, 25));
	/* The same epoch with another configuration (a split cluster's) rotates too. */
	assert_int_equal(ham_cib_store_save_cib(path, doc_cs(2, 3, 41), strlen(doc_cs(2, 3, 41)), 0,
						&rotated), 0);
	assert_true(rotated);
	assert_backup(path, 1, doc_cs(2, 2, 40));
	/* The last 10 configurations are kept, no more. */
	for (i = 4; i <= 20; i++)
		assert_int_equal(ham_cib_store_save_cib(path, doc_cs(i, i, 100 + i),
							strlen(doc_cs(i, i, 100 + i)), 0, NULL), 0);
	for (i = 1; i <= 10; i++)
		assert_backup(path, i, doc_cs(20 - i, 20 - i, 100 + 20 - i));
	assert_false(exists(path, 11));
	free(path);
}

/* A corrupted file in place is never rotated into the backups. */
static void test_corrupt_not_rotated(void **state)
{
	char *path = strdup(path_of("bad.xml"));
	bool rotated = true;

	(void)state;
	assert_int_equal(ham_cib_store_save_cib(path, doc_cs(1, 1, 0), strlen(doc_cs(1, 1, 0)), 0,
						NULL), 0);
	corrupt(path, 60);
	assert_int_equal(ham_cib_store_save_cib(path, doc_cs(5, 5, 0), strlen(doc_cs(5, 5, 0)), 0,
						&rotated), 0);
	assert_false(rotated);
	assert_false(exists(path, 1));
	free(path);
}

static void test_config_differs(void **state)
{
	char *a = strdup(doc_cs(3, 3, 1)), *b;

	(void)state;
	b = strdup(doc_cs(3, 3, 9));
	assert_false(ham_cib_store_config_differs(a, strlen(a), b, strlen(b)));
	free(b);
	b = strdup(doc_cs(3, 4, 1));
	assert_true(ham_cib_store_config_differs(a, strlen(a), b, strlen(b)));
	free(b);
	b = strdup(doc_cs(4, 3, 1)); /* same content, new epoch */
	assert_true(ham_cib_store_config_differs(a, strlen(a), b, strlen(b)));
	free(b);
	assert_true(ham_cib_store_config_differs(a, strlen(a), "<cib", 4));
	assert_true(ham_cib_store_config_differs("", 0, a, strlen(a)));
	free(a);
}

static const char *live =
	"<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"3\" num_updates=\"7\">\n"
	"  <configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/></nodes>"
	"<resources><primitive id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	"</resources><constraints/></configuration>\n"
	"  <status/>\n</cib>\n";

static void test_doc_edits(void **state)
{
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA, .schema_dir = schema_dir };
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib_doc *doc = NULL;
	ham_cib *cib = NULL;
	struct ham_cib_version v;
	const struct ham_cib_node_state *ns;
	const struct ham_cib_resource *r;
	const char *op1[] = { "id", "r1_last_0", "operation", "start", "call-id", "4",
			      "rc-code", "0", "op-status", "0", "interval", "0", NULL };
	const char *op2[] = { "id", "r1_last_0", "operation", "stop", "call-id", "5",
			      "rc-code", "0", "op-status", "0", "interval", "0", NULL };
	const char *newconf =
		"<configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes><node id=\"1\" uname=\"n1\"/></nodes>"
		"<resources><primitive id=\"r2\" class=\"systemd\" type=\"nginx\"/></resources>"
		"<constraints/></configuration>";
	char *out;
	size_t len;

	(void)state;
	assert_int_equal(ham_cib_doc_parse(live, strlen(live), &doc, d), 0);
	assert_int_equal(ham_cib_doc_get_version(doc, &v), 0);
	assert_int_equal(v.epoch, 3);
	assert_int_equal(v.num_updates, 7);
	assert_int_equal(ham_cib_doc_bump_num_updates(doc), 0);
	assert_int_equal(ham_cib_doc_set_node_state_attr(doc, "1", "n1", "in_ccm", "true"), 1);
	assert_int_equal(ham_cib_doc_set_node_state_attr(doc, "1", "n1", "crmd", "online"), 1);
	assert_int_equal(ham_cib_doc_put_rsc_op(doc, "1", "r1", "ocf", "heartbeat", "Dummy", op1), 0);
	assert_int_equal(ham_cib_doc_put_rsc_op(doc, "1", "r1", "ocf", "heartbeat", "Dummy", op2), 0);
	assert_int_equal(ham_cib_doc_set_cib_attr(doc, "dc-uuid", "1"), 0);
	assert_int_equal(ham_cib_doc_to_model(doc, &opts, &cib, d), 0);
	assert_int_equal(ham_cib_model(cib)->version.num_updates, 8);
	assert_string_equal(ham_cib_model(cib)->dc_uuid, "1");
	assert_int_equal(ham_cib_find_node_state(cib, "1", &ns), 0);
	assert_true(ns->crmd_online);
	assert_int_equal(ns->n_lrm_resources, 1);
	assert_int_equal(ns->lrm_resources[0].n_ops, 1); /* replaced, same id */
	assert_string_equal(ns->lrm_resources[0].ops[0].operation, "stop");
	assert_int_equal(ns->lrm_resources[0].ops[0].call_id, 5);
	cib = ham_cib_free(cib);

	/* A configuration change bumps the epoch and resets num_updates. */
	assert_int_equal(ham_cib_doc_replace_configuration(doc, newconf, strlen(newconf), d), 0);
	assert_int_equal(ham_cib_doc_bump_epoch(doc), 0);
	assert_int_equal(ham_cib_doc_to_model(doc, &opts, &cib, d), 0);
	assert_int_equal(ham_cib_model(cib)->version.epoch, 4);
	assert_int_equal(ham_cib_model(cib)->version.num_updates, 0);
	assert_int_equal(ham_cib_find_resource(cib, "r2", &r), 0);
	assert_int_equal(ham_cib_find_resource(cib, "r1", &r), -ENOENT);
	assert_int_equal(ham_cib_find_node_state(cib, "1", &ns), 0); /* status kept */
	cib = ham_cib_free(cib);

	assert_int_equal(ham_cib_doc_delete_lrm_resource(doc, "1", "r1"), 0);
	assert_int_equal(ham_cib_doc_delete_lrm_resource(doc, "1", "r1"), -ENOENT);
	assert_int_equal(ham_cib_doc_dump(doc, &out, &len), 0);
	assert_null(strstr(out, "lrm_resource "));
	/* round trip through the store */
	assert_int_equal(ham_cib_store_save(path_of("doc.xml"), out, len, 0), 0);
	free(out);
	assert_int_equal(ham_cib_store_load(path_of("doc.xml"), &out, &len, d), 0);
	assert_int_equal(ham_cib_load_mem(out, len, "doc", &opts, &cib, d), 0);
	free(out);
	cib = ham_cib_free(cib);

	/* Bad edits are refused. */
	assert_int_equal(ham_cib_doc_replace_configuration(doc, "<x/>", 4, d), -EINVAL);
	assert_int_equal(ham_cib_doc_replace_configuration(doc, "<x", 2, d), -HAM_E_XML);
	assert_int_equal(ham_cib_doc_put_rsc_op(doc, "1", "r1", NULL, NULL, NULL, op1 + 2),
			 -EINVAL);
	ham_cib_doc_free(doc);
	/* Unsafe or wrong documents are refused at parse time. */
	assert_int_equal(ham_cib_doc_parse("<!DOCTYPE cib><cib/>", 20, &doc, d), -HAM_E_XML);
	assert_int_equal(ham_cib_doc_parse("<nope/>", 7, &doc, d), -HAM_E_SCHEMA);
	ham_cib_diags_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum_line),
		cmocka_unit_test(test_save_load_rotate),
		cmocka_unit_test(test_corruption_names_previous),
		cmocka_unit_test(test_save_errors),
		cmocka_unit_test(test_backups_are_configurations),
		cmocka_unit_test(test_corrupt_not_rotated),
		cmocka_unit_test(test_config_differs),
		cmocka_unit_test(test_doc_edits),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/cib/alerts.c: the model of <alerts>, its checks, select filtering,
 * timestamps and the CRM_alert_* environment. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include <hamgr/alerts.h>
#include <hamgr/cib.h>
#include <hamgr/common.h>

static char schema_dir[4096];
static struct ham_cib_load_opts opts;

static int setup(void **state)
{
	(void)state;
	snprintf(schema_dir, sizeof(schema_dir), "%s/xml",
		 getenv("HAM_SRCDIR") ? getenv("HAM_SRCDIR") : "..");
	opts.flags = HAM_CIB_LOAD_SCHEMA;
	opts.schema_dir = schema_dir;
	setenv("TZ", "UTC", 1);
	tzset();
	return 0;
}

static int load_alerts(const char *alerts, ham_cib **ret, ham_cib_diags *d)
{
	ham_buf b = HAM_BUF_INIT;
	int r;

	ham_buf_addf(&b, "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" "
			 "num_updates=\"0\"><configuration><crm_config><cluster_property_set "
			 "id=\"c\"><nvpair id=\"c-f\" name=\"stonith-enabled\" value=\"false\"/>"
			 "</cluster_property_set></crm_config><nodes/><resources/><constraints/>"
			 "%s</configuration></cib>", alerts);
	r = ham_cib_load_mem(b.s, b.len, "test", &opts, ret, d);
	ham_buf_free(&b);
	return r;
}

/* An error whose message has needle, about the element of that id. */
static bool has_error(const ham_cib_diags *d, const char *id, const char *needle)
{
	size_t i;

	for (i = 0; i < ham_cib_diags_count(d); i++) {
		const struct ham_cib_diag *g = ham_cib_diags_get(d, i);

		if (g->severity == HAM_CIB_ERROR && g->id != NULL && strcmp(g->id, id) == 0 &&
		    strstr(g->message, needle))
			return true;
	}
	return false;
}

static const char *env_get(char **env, const char *name)
{
	size_t n = strlen(name), i;

	for (i = 0; env[i] != NULL; i++)
		if (strncmp(env[i], name, n) == 0 && env[i][n] == '=')
			return env[i] + n + 1;
	return NULL;
}

static const char *const full =
	"<alerts>"
	"<alert id=\"a1\" path=\"/usr/local/bin/alert.sh\">"
	"<select><select_nodes/><select_attributes><attribute id=\"a1-s-1\" name=\"standby\"/>"
	"</select_attributes></select>"
	"<meta_attributes id=\"a1-m\"><nvpair id=\"a1-m-t\" name=\"timeout\" value=\"15s\"/>"
	"<nvpair id=\"a1-m-f\" name=\"timestamp-format\" value=\"%Y-%m-%d %H:%M:%S.%03N\"/>"
	"</meta_attributes>"
	"<instance_attributes id=\"a1-i\"><nvpair id=\"a1-i-1\" name=\"debug_exec_order\" "
	"value=\"false\"/><nvpair id=\"a1-i-2\" name=\"level\" value=\"1\"/></instance_attributes>"
	"<recipient id=\"a1-r1\" value=\"/var/log/one.log\"/>"
	"<recipient id=\"a1-r2\" value=\"/var/log/two.log\">"
	"<meta_attributes id=\"a1-r2-m\"><nvpair id=\"a1-r2-m-t\" name=\"timeout\" value=\"2s\"/>"
	"</meta_attributes>"
	"<instance_attributes id=\"a1-r2-i\"><nvpair id=\"a1-r2-i-1\" name=\"level\" value=\"2\"/>"
	"</instance_attributes></recipient>"
	"</alert>"
	"<alert id=\"a2\" path=\"/bin/true\"/>"
	"</alerts>";

static void test_model_and_entries(void **state)
{
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	const struct ham_cib_alert *const *a;
	const struct ham_alert_entry *e;
	ham_alert_list *l = NULL;
	char *err = NULL;
	size_t n;

	(void)state;
	assert_int_equal(load_alerts(full, &cib, d), 0);
	assert_int_equal(ham_cib_diags_errors(d), 0);
	assert_int_equal(ham_cib_diags_warnings(d), 0);
	a = ham_cib_alerts(cib, &n);
	assert_int_equal(n, 2);
	assert_string_equal(a[0]->id, "a1");
	assert_string_equal(a[0]->path, "/usr/local/bin/alert.sh");
	assert_int_equal(a[0]->select, HAM_ALERT_SELECT_NODES | HAM_ALERT_SELECT_ATTRIBUTES);
	assert_int_equal(a[0]->n_select_attrs, 1);
	assert_string_equal(a[0]->select_attrs[0], "standby");
	assert_int_equal(a[0]->n_recipients, 2);
	assert_string_equal(a[0]->recipients[1].value, "/var/log/two.log");
	assert_int_equal(a[1]->select, HAM_ALERT_SELECT_ALL);

	assert_int_equal(ham_alert_list_from_cib(cib, &l, &err), 0);
	assert_int_equal(ham_alert_list_count(l), 3);
	e = ham_alert_list_get(l, 0);
	assert_string_equal(e->recipient, "/var/log/one.log");
	assert_int_equal(e->timeout_ms, 15000);
	assert_string_equal(e->timestamp_format, "%Y-%m-%d %H:%M:%S.%03N");
	assert_string_equal(e->param_names[1], "level");
	assert_string_equal(e->param_values[1], "1");
	e = ham_alert_list_get(l, 1);
	assert_string_equal(e->recipient_id, "a1-r2");
	assert_int_equal(e->timeout_ms, 2000); /* the recipient's meta wins */
	assert_string_equal(e->param_names[0], "level");
	assert_string_equal(e->param_values[0], "2"); /* and its instance attributes */
	assert_null(e->param_names[2]);
	e = ham_alert_list_get(l, 2);
	assert_null(e->recipient);
	assert_int_equal(e->timeout_ms, HAM_ALERT_DEFAULT_TIMEOUT_MS);
	assert_string_equal(e->timestamp_format, HAM_ALERT_DEFAULT_TIMESTAMP_FORMAT);
	ham_alert_list_free(l);
	ham_cib_free(cib);
	ham_cib_diags_free(d);
}

static void test_select(void **state)
{
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	ham_alert_list *l = NULL;
	const struct ham_alert_entry *e, *all, *none;

	(void)state;
	assert_int_equal(load_alerts("<alerts><alert id=\"a1\" path=\"/bin/true\"><select>"
				     "<select_nodes/><select_attributes><attribute id=\"x\" "
				     "name=\"standby\"/></select_attributes></select></alert>"
				     "<alert id=\"a2\" path=\"/bin/true\"/>"
				     "<alert id=\"a3\" path=\"/bin/true\"><select/></alert></alerts>",
				     &cib, d), 0);
	assert_int_equal(ham_alert_list_from_cib(cib, &l, NULL), 0);
	e = ham_alert_list_get(l, 0);
	all = ham_alert_list_get(l, 1);
	none = ham_alert_list_get(l, 2);
	assert_true(ham_alert_wants(e, HAM_ALERT_NODE, NULL));
	assert_false(ham_alert_wants(e, HAM_ALERT_FENCING, NULL));
	assert_false(ham_alert_wants(e, HAM_ALERT_RESOURCE, NULL));
	assert_true(ham_alert_wants(e, HAM_ALERT_ATTRIBUTE, "standby"));
	assert_false(ham_alert_wants(e, HAM_ALERT_ATTRIBUTE, "fail-count-x"));
	assert_true(ham_alert_wants(all, HAM_ALERT_FENCING, NULL));
	assert_true(ham_alert_wants(all, HAM_ALERT_RESOURCE, NULL));
	assert_true(ham_alert_wants(all, HAM_ALERT_ATTRIBUTE, "anything"));
	assert_false(ham_alert_wants(none, HAM_ALERT_NODE, NULL));
	assert_false(ham_alert_wants(all, HAM_ALERT_KIND_MAX, NULL));
	ham_alert_list_free(l);
	ham_cib_free(cib);
	ham_cib_diags_free(d);
}

static void test_enabled(void **state)
{
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	ham_alert_list *l = NULL;

	(void)state;
	assert_int_equal(load_alerts("<alerts><alert id=\"off\" path=\"/bin/true\">"
				     "<meta_attributes id=\"off-m\"><nvpair id=\"off-m-e\" "
				     "name=\"enabled\" value=\"false\"/></meta_attributes>"
				     "<recipient id=\"off-r\" value=\"x\"/></alert>"
				     "<alert id=\"on\" path=\"/bin/true\">"
				     "<recipient id=\"on-r1\" value=\"1\"><meta_attributes id=\"on-r1-m\">"
				     "<nvpair id=\"on-r1-m-e\" name=\"enabled\" value=\"no\"/>"
				     "</meta_attributes></recipient>"
				     "<recipient id=\"on-r2\" value=\"2\"/></alert></alerts>",
				     &cib, d), 0);
	assert_int_equal(ham_alert_list_from_cib(cib, &l, NULL), 0);
	assert_int_equal(ham_alert_list_count(l), 1);
	assert_string_equal(ham_alert_list_get(l, 0)->recipient_id, "on-r2");
	ham_alert_list_free(l);
	ham_cib_free(cib);
	ham_cib_diags_free(d);
}

static void test_errors_name_the_alert(void **state)
{
	static const struct {
		const char *xml, *id, *needle;
	} cases[] = {
		{ "<alerts><alert id=\"rel\" path=\"alert.sh\"/></alerts>",
		  "rel", "path must be an absolute file name" },
		{ "<alerts><alert id=\"to\" path=\"/bin/true\"><meta_attributes id=\"to-m\">"
		  "<nvpair id=\"to-m-t\" name=\"timeout\" value=\"soon\"/></meta_attributes>"
		  "</alert></alerts>", "to", "timeout must be a positive duration" },
		{ "<alerts><alert id=\"z\" path=\"/bin/true\"><meta_attributes id=\"z-m\">"
		  "<nvpair id=\"z-m-t\" name=\"timeout\" value=\"0\"/></meta_attributes>"
		  "</alert></alerts>", "z", "timeout must be" },
		{ "<alerts><alert id=\"r\" path=\"/bin/true\"><recipient id=\"r-1\" value=\"x\">"
		  "<meta_attributes id=\"r-1-m\"><nvpair id=\"r-1-m-t\" name=\"timeout\" "
		  "value=\"-3\"/></meta_attributes></recipient></alert></alerts>",
		  "r-1", "(of alert 'r') timeout must be" },
		{ "<alerts><alert id=\"np\"/></alerts>", "np", "path" },
		{ "<alerts><alert id=\"en\" path=\"/bin/true\"><meta_attributes id=\"en-m\">"
		  "<nvpair id=\"en-m-e\" name=\"enabled\" value=\"maybe\"/></meta_attributes>"
		  "</alert></alerts>", "en", "enabled must be a boolean" },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HAM_ARRAY_SIZE(cases); i++) {
		ham_cib_diags *d = ham_cib_diags_new();
		ham_cib *cib = NULL;
		int r = load_alerts(cases[i].xml, &cib, d);

		if (r >= 0 || !has_error(d, cases[i].id, cases[i].needle))
			fail_msg("case %zu: %d, wanted an error with '%s' (%s)", i, r,
				 cases[i].needle,
				 ham_cib_diags_count(d) ? ham_cib_diags_get(d, 0)->message : "");
		ham_cib_free(cib);
		ham_cib_diags_free(d);
	}
}

static void test_timestamp(void **state)
{
	struct timespec ts = { .tv_sec = 1764974096, .tv_nsec = 123456789 }; /* 2025-12-05 22:34:56 UTC */
	char buf[128];

	(void)state;
	assert_int_equal(ham_alert_format_timestamp(HAM_ALERT_DEFAULT_TIMESTAMP_FORMAT, &ts, buf,
						    sizeof(buf)), 0);
	assert_string_equal(buf, "22:34:56.123456");
	assert_int_equal(ham_alert_format_timestamp("%Y-%m-%d %H:%M:%S.%3N", &ts, buf,
						    sizeof(buf)), 0);
	assert_string_equal(buf, "2025-12-05 22:34:56.123");
	assert_int_equal(ham_alert_format_timestamp("%s.%N", &ts, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "1764974096.123456789");
	assert_int_equal(ham_alert_format_timestamp("100%% %N%%", &ts, buf, sizeof(buf)), 0);
	assert_string_equal(buf, "100% 123456789%");
	assert_int_equal(ham_alert_format_timestamp("%Y-%m-%d", &ts, buf, 4), -ENOSPC);
	assert_string_equal(buf, "");
}

static void test_env(void **state)
{
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	ham_alert_list *l = NULL;
	struct ham_alert_event ev = { 0 };
	char **env;

	(void)state;
	assert_int_equal(load_alerts(full, &cib, d), 0);
	assert_int_equal(ham_alert_list_from_cib(cib, &l, NULL), 0);

	ev.kind = HAM_ALERT_RESOURCE;
	ev.when.tv_sec = 1764974096;
	ev.when.tv_nsec = 5000;
	ev.node = "node2";
	ev.rsc = "d1";
	ev.task = "monitor";
	ev.interval_ms = 10000;
	ev.status = 0;
	ev.rc = 7;
	ev.target_rc = 0;
	ev.exec_ms = 42;
	env = ham_alert_env(ham_alert_list_get(l, 0), &ev, 12, "/bin:/usr/bin");
	assert_string_equal(env_get(env, "PATH"), "/bin:/usr/bin");
	assert_string_equal(env_get(env, "CRM_alert_kind"), "resource");
	assert_string_equal(env_get(env, "CRM_alert_version"), HAM_ALERT_VERSION);
	assert_string_equal(env_get(env, "CRM_alert_recipient"), "/var/log/one.log");
	assert_string_equal(env_get(env, "CRM_alert_node_sequence"), "12");
	assert_string_equal(env_get(env, "CRM_alert_timestamp"), "2025-12-05 22:34:56.000");
	assert_string_equal(env_get(env, "CRM_alert_timestamp_epoch"), "1764974096");
	assert_string_equal(env_get(env, "CRM_alert_timestamp_usec"), "5"); /* a number, as Pacemaker has it */
	assert_string_equal(env_get(env, "CRM_alert_node"), "node2");
	assert_string_equal(env_get(env, "CRM_alert_rsc"), "d1");
	assert_string_equal(env_get(env, "CRM_alert_task"), "monitor");
	assert_string_equal(env_get(env, "CRM_alert_interval"), "10000");
	assert_string_equal(env_get(env, "CRM_alert_status"), "0");
	assert_string_equal(env_get(env, "CRM_alert_rc"), "7");
	assert_string_equal(env_get(env, "CRM_alert_target_rc"), "0");
	assert_string_equal(env_get(env, "CRM_alert_exec_time"), "42");
	assert_string_equal(env_get(env, "CRM_alert_desc"), "not running");
	assert_string_equal(env_get(env, "CRM_notify_desc"), "not running");
	assert_string_equal(env_get(env, "level"), "1");
	assert_string_equal(env_get(env, "debug_exec_order"), "false");
	assert_null(env_get(env, "CRM_alert_nodeid"));
	assert_null(env_get(env, "CRM_alert_attribute_name"));
	ham_alert_env_free(env);

	ev.status = 2; /* a timeout: the status says it */
	env = ham_alert_env(ham_alert_list_get(l, 0), &ev, 13, NULL);
	assert_string_equal(env_get(env, "CRM_alert_desc"), "Timed Out");
	assert_non_null(env_get(env, "PATH"));
	ham_alert_env_free(env);

	memset(&ev, 0, sizeof(ev));
	ev.kind = HAM_ALERT_NODE;
	ev.node = "node3";
	ev.nodeid = 3;
	ev.desc = "lost";
	env = ham_alert_env(ham_alert_list_get(l, 2), &ev, 1, NULL);
	assert_string_equal(env_get(env, "CRM_alert_kind"), "node");
	assert_string_equal(env_get(env, "CRM_alert_nodeid"), "3");
	assert_string_equal(env_get(env, "CRM_alert_desc"), "lost");
	assert_string_equal(env_get(env, "CRM_alert_recipient"), "");
	assert_null(env_get(env, "CRM_alert_rsc"));
	ham_alert_env_free(env);

	memset(&ev, 0, sizeof(ev));
	ev.kind = HAM_ALERT_FENCING;
	ev.node = "node3";
	ev.task = "reboot";
	ev.rc = 0;
	ev.desc = "Operation reboot of node3 by node1: OK";
	env = ham_alert_env(ham_alert_list_get(l, 1), &ev, 2, NULL);
	assert_string_equal(env_get(env, "CRM_alert_kind"), "fencing");
	assert_string_equal(env_get(env, "CRM_alert_task"), "reboot");
	assert_string_equal(env_get(env, "CRM_alert_rc"), "0");
	assert_string_equal(env_get(env, "CRM_alert_node"), "node3");
	assert_string_equal(env_get(env, "level"), "2");
	ham_alert_env_free(env);

	memset(&ev, 0, sizeof(ev));
	ev.kind = HAM_ALERT_ATTRIBUTE;
	ev.node = "node1";
	ev.attr_name = "standby";
	ev.attr_value = "on";
	env = ham_alert_env(ham_alert_list_get(l, 0), &ev, 3, NULL);
	assert_string_equal(env_get(env, "CRM_alert_attribute_name"), "standby");
	assert_string_equal(env_get(env, "CRM_alert_attribute_value"), "on");
	ham_alert_env_free(env);

	ham_alert_list_free(l);
	ham_cib_free(cib);
	ham_cib_diags_free(d);
}

static void test_kind_strings(void **state)
{
	int k;

	(void)state;
	for (k = 0; k < HAM_ALERT_KIND_MAX; k++)
		assert_int_equal(ham_alert_kind_from_str(ham_alert_kind_str(k)), k);
	assert_int_equal(ham_alert_kind_from_str("bogus"), HAM_ALERT_KIND_INVALID);
	assert_string_equal(ham_alert_resource_desc(1, 0), "Cancelled");
	assert_string_equal(ham_alert_resource_desc(0, 0), "ok");
}

static int n_seen;
static char seen[256];

static void observe(const ham_cib_doc *doc, const char *node_id, const char *uname,
		    const char *name, const char *value, void *ud)
{
	(void)doc;
	(void)ud;
	n_seen++;
	snprintf(seen, sizeof(seen), "%s/%s %s=%s", node_id, uname ? uname : "-", name,
		 value ? value : "(deleted)");
}

static void test_attr_observer(void **state)
{
	ham_cib_doc *d = ham_cib_doc_new_empty();

	(void)state;
	ham_cib_set_attr_observer(observe, NULL);
	assert_int_equal(ham_cib_doc_set_transient_attr(d, "1", "n1", "standby", "on"), 1);
	assert_int_equal(n_seen, 1);
	assert_string_equal(seen, "1/n1 standby=on");
	assert_int_equal(ham_cib_doc_set_transient_attr(d, "1", "n1", "standby", "on"), 0);
	assert_int_equal(n_seen, 1); /* no change, no alert */
	assert_int_equal(ham_cib_doc_set_transient_attr(d, "1", "n1", "standby", NULL), 1);
	assert_int_equal(n_seen, 2);
	assert_string_equal(seen, "1/n1 standby=(deleted)");
	ham_cib_set_attr_observer(NULL, NULL);
	assert_int_equal(ham_cib_doc_set_transient_attr(d, "1", "n1", "x", "1"), 1);
	assert_int_equal(n_seen, 2);
	ham_cib_doc_free(d);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_and_entries),
		cmocka_unit_test(test_select),
		cmocka_unit_test(test_enabled),
		cmocka_unit_test(test_errors_name_the_alert),
		cmocka_unit_test(test_timestamp),
		cmocka_unit_test(test_env),
		cmocka_unit_test(test_kind_strings),
		cmocka_unit_test(test_attr_observer),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

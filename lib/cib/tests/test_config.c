/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/cib/tests/test_config.c: the configuration commands' edits: what the
 * builders write, what each edit does to a document (create, set-attr,
 * set-op, delete, set-property), what they refuse (nothing changed), and a
 * CIB file edited offline.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cib.h>

#define CIB \
	"<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"3\" validate-with=\"pacemaker-3.0\">" \
	"<configuration><crm_config><cluster_property_set id=\"cib-bootstrap-options\">" \
	"<nvpair id=\"o-stonith\" name=\"stonith-enabled\" value=\"false\"/>" \
	"</cluster_property_set></crm_config>" \
	"<nodes><node id=\"1\" uname=\"node1\"/><node id=\"2\" uname=\"node2\"/></nodes>" \
	"<resources><primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\">" \
	"<instance_attributes id=\"d1-ia\"><nvpair id=\"d1-ia-a\" name=\"a\" value=\"1\"/>" \
	"</instance_attributes>" \
	"<operations><op id=\"d1-mon\" name=\"monitor\" interval=\"10s\"/></operations>" \
	"</primitive>" \
	"<group id=\"g\"><primitive id=\"g1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>" \
	"</group></resources>" \
	"<constraints><rsc_location id=\"l-g1\" rsc=\"g1\" node=\"node1\" score=\"10\"/>" \
	"<rsc_colocation id=\"c-d1-g\" rsc=\"d1\" with-rsc=\"g\" score=\"INFINITY\"/>" \
	"</constraints></configuration><status/></cib>"

static ham_cib_doc *load(void)
{
	ham_cib_doc *d = NULL;

	assert_int_equal(ham_cib_doc_parse(CIB, strlen(CIB), &d, NULL), 0);
	return d;
}

static char *dump(const ham_cib_doc *d)
{
	char *s;
	size_t len;

	assert_int_equal(ham_cib_doc_dump(d, &s, &len), 0);
	return s;
}

/* Checks then applies edits as the daemon's origin and every node would. */
static int run(ham_cib_doc *d, const ham_buf *edits, char **ret_err)
{
	ham_buf m = HAM_BUF_INIT;
	bool changed;
	int r;

	ham_buf_add(&m, "<modify>");
	ham_buf_add(&m, ham_buf_str(edits));
	ham_buf_add(&m, "</modify>");
	r = ham_cib_doc_check_modify(d, ham_buf_str(&m), m.len, ret_err);
	if (r == 0)
		r = ham_cib_doc_apply_modify(d, ham_buf_str(&m), m.len, &changed, ret_err);
	ham_buf_free(&m);
	return r;
}

/* run() expected to fail with r and a message containing what; d unchanged. */
static void refused(ham_cib_doc *d, const ham_buf *edits, int r, const char *what)
{
	char *before = dump(d), *after, *err = NULL;

	assert_int_equal(run(d, edits, &err), r);
	assert_non_null(err);
	if (strstr(err, what) == NULL)
		fail_msg("'%s' not in '%s'", what, err);
	after = dump(d);
	assert_string_equal(before, after);
	free(before);
	free(after);
	free(err);
}

static void test_create_primitive(void **state)
{
	struct ham_cib_nv params[] = { { "ip", "10.0.0.5" } }, meta[] = { { "priority", "3" } };
	struct ham_cib_nv mon[] = { { "interval", "30s" }, { "timeout", "20s" } };
	struct ham_cib_op_spec ops[] = { { "monitor", mon, 2 }, { "start", NULL, 0 } };
	struct ham_cib_rsc_spec s = { .id = "vip", .agent = "ocf:heartbeat:IPaddr2",
				      .params = params, .n_params = 1, .meta = meta, .n_meta = 1,
				      .ops = ops, .n_ops = 2, .disabled = true };
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	struct ham_cib_version v;
	char *err = NULL, *x;

	(void)state;
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "<primitive id=\"vip\" class=\"ocf\" provider=\"heartbeat\" "
				  "type=\"IPaddr2\"><instance_attributes id=\"vip-instance_attributes\">"
				  "<nvpair id=\"vip-instance_attributes-ip\" name=\"ip\" "
				  "value=\"10.0.0.5\"/></instance_attributes>"));
	assert_non_null(strstr(x, "<nvpair id=\"vip-meta_attributes-priority\" name=\"priority\" "
				  "value=\"3\"/><nvpair id=\"vip-meta_attributes-target-role\" "
				  "name=\"target-role\" value=\"Stopped\"/>"));
	assert_non_null(strstr(x, "<op id=\"vip-monitor-interval-30s\" name=\"monitor\" "
				  "interval=\"30s\" timeout=\"20s\"/>"));
	assert_non_null(strstr(x, "<op id=\"vip-start-interval-0s\" name=\"start\" "
				  "interval=\"0s\"/>"));
	ham_cib_doc_get_version(d, &v);
	assert_int_equal(v.epoch, 6);
	assert_int_equal(v.num_updates, 0);
	free(x);
	/* the same id again: refused, nothing changed */
	refused(d, &e, -EEXIST, "the id 'vip' is already used by a <primitive>");
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

static void test_create_group(void **state)
{
	struct ham_cib_rsc_spec s = { .id = "g2", .agent = "systemd:nginx", .group = "g" };
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x;

	(void)state;
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	s.id = "n1";
	s.group = "newgroup";
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "<primitive id=\"g1\" class=\"ocf\" provider=\"hamgr\" "
				  "type=\"dummy\"/><primitive id=\"g2\" class=\"systemd\" "
				  "type=\"nginx\"/></group>"));
	assert_non_null(strstr(x, "<group id=\"newgroup\"><primitive id=\"n1\""));
	free(x);
	/* a group that is a primitive */
	s.id = "n2";
	s.group = "d1";
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), 0);
	refused(d, &e, -HAM_E_USAGE, "'d1' is a <primitive>, not a group");
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

static void test_builders_refuse(void **state)
{
	struct ham_cib_nv twice[] = { { "a", "1" }, { "a", "2" } };
	struct ham_cib_rsc_spec s = { .id = "1bad", .agent = "ocf:heartbeat:Dummy" };
	ham_buf e = HAM_BUF_INIT;
	char *err = NULL;

	(void)state;
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), -HAM_E_USAGE);
	assert_non_null(strstr(err, "'1bad' is not a valid id"));
	free(err);
	s.id = "ok";
	s.agent = "ocf:Dummy";
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), -HAM_E_USAGE);
	assert_non_null(strstr(err, "an ocf agent needs a provider"));
	free(err);
	s.agent = "systemd:x:y";
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), -HAM_E_USAGE);
	assert_non_null(strstr(err, "only ocf agents have a provider"));
	free(err);
	s.agent = "nginx";
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), -HAM_E_USAGE);
	free(err);
	s.agent = "ocf:heartbeat:Dummy";
	s.params = twice;
	s.n_params = 2;
	assert_int_equal(ham_cib_edit_rsc_create(&s, &e, &err), -HAM_E_USAGE);
	assert_non_null(strstr(err, "the parameter 'a' is given twice"));
	free(err);
	s.n_params = 0;
	assert_int_equal(ham_cib_edit_rsc_update(&s, &e, &err), -HAM_E_USAGE);
	assert_non_null(strstr(err, "nothing to change"));
	free(err);
	assert_int_equal(ham_cib_edit_location("d1", "node1", "lots", &e, &err), -HAM_E_USAGE);
	free(err);
	assert_int_equal(ham_cib_edit_colocation("d1", "d1", NULL, &e, &err), -HAM_E_USAGE);
	free(err);
	assert_int_equal(ham_cib_edit_order("begin", "d1", NULL, "g", NULL, &e, &err),
			 -HAM_E_USAGE);
	free(err);
	assert_int_equal(ham_cib_edit_order(NULL, "d1", NULL, "g", "Sometimes", &e, &err),
			 -HAM_E_USAGE);
	free(err);
	/* nothing was appended by a refused builder */
	assert_int_equal(e.len, 0);
	ham_buf_free(&e);
}

static void test_update(void **state)
{
	struct ham_cib_nv params[] = { { "a", "" }, { "b", "2" } }, meta[] = { { "priority", "7" } };
	struct ham_cib_nv mon[] = { { "interval", "20s" } };
	struct ham_cib_op_spec ops[] = { { "monitor", mon, 1 } };
	struct ham_cib_rsc_spec s = { .id = "d1", .params = params, .n_params = 2, .meta = meta,
				      .n_meta = 1, .ops = ops, .n_ops = 1 };
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x;

	(void)state;
	assert_int_equal(ham_cib_edit_rsc_update(&s, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_null(strstr(x, "name=\"a\""));
	assert_non_null(strstr(x, "name=\"b\" value=\"2\""));
	assert_non_null(strstr(x, "<nvpair id=\"d1-meta_attributes-priority\" name=\"priority\" "
				  "value=\"7\"/>"));
	assert_null(strstr(x, "id=\"d1-mon\""));
	assert_non_null(strstr(x, "<op name=\"monitor\" interval=\"20s\" "
				  "id=\"d1-monitor-interval-20s\"/>"));
	free(x);
	/* an unknown resource; a bad value (verify's rules) */
	s.id = "nosuch";
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_rsc_update(&s, &e, &err), 0);
	refused(d, &e, -ENOENT, "no resource 'nosuch'");
	meta[0].value = "high";
	s.id = "d1";
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_rsc_update(&s, &e, &err), 0);
	refused(d, &e, -HAM_E_CONFIG, "'priority'");
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

static void test_delete(void **state)
{
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x;

	(void)state;
	/* g1 is g's only member: g goes, with the constraints naming either */
	ham_cib_edit_delete("g1", "resource", &e);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_null(strstr(x, "id=\"g\""));
	assert_null(strstr(x, "l-g1"));
	assert_null(strstr(x, "c-d1-g"));
	assert_non_null(strstr(x, "id=\"d1\""));
	free(x);
	ham_buf_clear(&e);
	ham_cib_edit_delete("g1", "resource", &e);
	refused(d, &e, -ENOENT, "no resource 'g1'");
	/* a tag loses the reference; a tag left empty goes */
	ham_buf_free(&e);
	ham_cib_doc_free(d);
	{
		const char *tagged = "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			"validate-with=\"pacemaker-3.0\">"
			"<configuration><crm_config><cluster_property_set id=\"o\">"
			"<nvpair id=\"o-s\" name=\"stonith-enabled\" value=\"false\"/>"
			"</cluster_property_set></crm_config><nodes/><resources>"
			"<primitive id=\"p\" class=\"systemd\" type=\"p\"/>"
			"<primitive id=\"q\" class=\"systemd\" type=\"q\"/></resources>"
			"<constraints/><tags><tag id=\"t1\"><obj_ref id=\"p\"/><obj_ref id=\"q\"/>"
			"</tag><tag id=\"t2\"><obj_ref id=\"p\"/></tag></tags></configuration>"
			"<status/></cib>";

		assert_int_equal(ham_cib_doc_parse(tagged, strlen(tagged), &d, NULL), 0);
	}
	e = (ham_buf)HAM_BUF_INIT;
	ham_cib_edit_delete("p", "resource", &e);
	if (run(d, &e, &err) != 0)
		fail_msg("%s", err);
	x = dump(d);
	assert_non_null(strstr(x, "<tag id=\"t1\"><obj_ref id=\"q\"/></tag>"));
	assert_null(strstr(x, "t2"));
	free(x);
	ham_buf_free(&e);
	ham_cib_doc_free(d);

	d = load();
	e = (ham_buf)HAM_BUF_INIT;
	/* a constraint is not a resource */
	ham_cib_edit_delete("l-g1", "resource", &e);
	refused(d, &e, -ENOENT, "no resource 'l-g1'");
	ham_buf_clear(&e);
	ham_cib_edit_delete("l-g1", "constraint", &e);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_null(strstr(x, "l-g1"));
	assert_non_null(strstr(x, "id=\"g1\""));
	free(x);
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

static void test_constraints(void **state)
{
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x;

	(void)state;
	assert_int_equal(ham_cib_edit_location("d1", "node2", "-INFINITY", &e, &err), 0);
	assert_int_equal(ham_cib_edit_colocation("g", "d1", "-50", &e, &err), 0);
	assert_int_equal(ham_cib_edit_order("promote", "d1", NULL, "g", "Optional", &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "<rsc_location id=\"location-d1-node2--INFINITY\" rsc=\"d1\" "
				  "node=\"node2\" score=\"-INFINITY\"/>"));
	assert_non_null(strstr(x, "<rsc_colocation id=\"colocation-g-d1--50\" rsc=\"g\" "
				  "with-rsc=\"d1\" score=\"-50\"/>"));
	assert_non_null(strstr(x, "<rsc_order id=\"order-d1-g-Optional\" first=\"d1\" "
				  "first-action=\"promote\" then=\"g\" then-action=\"start\" "
				  "kind=\"Optional\"/>"));
	free(x);
	/* a resource the configuration lacks: verify's reference check refuses it */
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_colocation("d1", "ghost", NULL, &e, &err), 0);
	refused(d, &e, -HAM_E_CONFIG, "'ghost'");
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

static void test_properties(void **state)
{
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x, *v;

	(void)state;
	ham_cib_edit_property("crm_config", "no-quorum-policy", "freeze", &e);
	ham_cib_edit_property("crm_config", "maintenance-mode", "true", &e);
	ham_cib_edit_property("rsc_defaults", "resource-stickiness", "100", &e);
	ham_cib_edit_property("op_defaults", "timeout", "30s", &e);
	assert_int_equal(run(d, &e, &err), 0);
	v = ham_cib_doc_property(d, "no-quorum-policy");
	assert_string_equal(v, "freeze");
	free(v);
	v = ham_cib_doc_property(d, "maintenance-mode");
	assert_string_equal(v, "true");
	free(v);
	ham_buf_clear(&e);
	ham_cib_edit_property("crm_config", "maintenance-mode", "", &e);
	assert_int_equal(run(d, &e, &err), 0);
	assert_null(ham_cib_doc_property(d, "maintenance-mode"));
	/* without stonith-enabled=false and no fence device: not installable */
	ham_buf_clear(&e);
	ham_cib_edit_property("crm_config", "stonith-enabled", NULL, &e);
	refused(d, &e, -HAM_E_CONFIG, "fenc");
	x = dump(d);
	assert_non_null(strstr(x, "<rsc_defaults><meta_attributes id=\"rsc-options\"><nvpair "
				  "id=\"rsc-options-resource-stickiness\" "
				  "name=\"resource-stickiness\" value=\"100\"/>"));
	assert_non_null(strstr(x, "<op_defaults><meta_attributes id=\"op-options\">"));
	free(x);
	ham_buf_clear(&e);
	ham_cib_edit_property("crm_config", "no-quorum-policy", "sometimes", &e);
	refused(d, &e, -HAM_E_CONFIG, "no-quorum-policy");
	assert_non_null(ham_cib_property_info("no-quorum-policy"));
	assert_string_equal(ham_cib_property_info("no-quorum-policy")->default_value, "stop");
	assert_null(ham_cib_property_info("no-such-property"));
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

/* Two edits made from the same version, applied in turn: neither is lost. */
static void test_concurrent(void **state)
{
	struct ham_cib_rsc_spec a = { .id = "a", .agent = "systemd:a" };
	struct ham_cib_rsc_spec b = { .id = "b", .agent = "systemd:b" };
	ham_buf ea = HAM_BUF_INIT, eb = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x;

	(void)state;
	assert_int_equal(ham_cib_edit_rsc_create(&a, &ea, &err), 0);
	assert_int_equal(ham_cib_edit_rsc_create(&b, &eb, &err), 0);
	assert_int_equal(run(d, &ea, &err), 0);
	assert_int_equal(run(d, &eb, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "<primitive id=\"a\""));
	assert_non_null(strstr(x, "<primitive id=\"b\""));
	assert_non_null(strstr(x, "epoch=\"7\""));
	free(x);
	ham_buf_free(&ea);
	ham_buf_free(&eb);
	ham_cib_doc_free(d);
}

static void test_groups_clones(void **state)
{
	const char *both[] = { "d1", "g1" }, *one[] = { "d1" }, *ghost[] = { "ghost" };
	struct ham_cib_nv meta[] = { { "interleave", "true" } };
	ham_buf e = HAM_BUF_INIT;
	ham_cib_doc *d = load();
	char *err = NULL, *x;

	(void)state;
	/* g1 leaves g for h: g is left empty and goes, with the constraint naming it */
	assert_int_equal(ham_cib_edit_group_add("h", both, 2, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "<group id=\"h\"><primitive id=\"d1\""));
	assert_non_null(strstr(x, "</primitive><primitive id=\"g1\" class=\"ocf\" "
				  "provider=\"hamgr\" type=\"dummy\"/></group>"));
	assert_null(strstr(x, "<group id=\"g\""));
	assert_null(strstr(x, "c-d1-g"));
	assert_non_null(strstr(x, "l-g1"));
	free(x);
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_group_remove("h", one, 1, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "</group><primitive id=\"d1\""));
	free(x);
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_group_remove("h", ghost, 1, &e, &err), 0);
	refused(d, &e, -ENOENT, "'ghost' is not a member of the group 'h'");
	/* clone, then the same again: the clone id is used */
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_clone("h", meta, 1, true, &e, &err), 0);
	assert_int_equal(run(d, &e, &err), 0);
	x = dump(d);
	assert_non_null(strstr(x, "<clone id=\"h-clone\"><meta_attributes "
				  "id=\"h-clone-meta_attributes\"><nvpair "
				  "id=\"h-clone-meta_attributes-interleave\" name=\"interleave\" "
				  "value=\"true\"/><nvpair id=\"h-clone-meta_attributes-promotable\" "
				  "name=\"promotable\" value=\"true\"/></meta_attributes>"
				  "<group id=\"h\">"));
	free(x);
	refused(d, &e, -EEXIST, "'h-clone' is already used");
	/* a primitive in a clone cannot join a group */
	ham_buf_clear(&e);
	assert_int_equal(ham_cib_edit_group_add("k", both + 1, 1, &e, &err), 0);
	refused(d, &e, -HAM_E_USAGE, "it cannot join a group");
	ham_buf_free(&e);
	ham_cib_doc_free(d);
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = calloc(1, 65536);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, 65535, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static void test_file(void **state)
{
	char dir[] = "/tmp/test_config.XXXXXX", *path, *before, *after, *err = NULL;
	const char *ok = "<modify><set-property section=\"crm_config\" name=\"maintenance-mode\" "
			 "value=\"true\"/></modify>";
	const char *bad = "<modify><delete id=\"ghost\"/></modify>";
	bool changed = false;
	FILE *f;

	(void)state;
	assert_non_null(mkdtemp(dir));
	path = ham_asprintf("%s/cib.xml", dir);
	f = fopen(path, "w");
	fputs(CIB, f);
	fclose(f);
	assert_int_equal(ham_cib_file_apply_modify(path, ok, strlen(ok), &changed, &err), 0);
	assert_true(changed);
	before = slurp(path);
	assert_non_null(strstr(before, "name=\"maintenance-mode\" value=\"true\""));
	assert_non_null(strstr(before, "epoch=\"6\""));
	assert_int_equal(ham_cib_file_apply_modify(path, bad, strlen(bad), &changed, &err),
			 -ENOENT);
	assert_non_null(strstr(err, "ghost"));
	free(err);
	after = slurp(path);
	assert_string_equal(before, after);
	free(before);
	free(after);
	/* a file that is not a CIB */
	f = fopen(path, "w");
	fputs("<nope/>", f);
	fclose(f);
	assert_true(ham_cib_file_apply_modify(path, ok, strlen(ok), &changed, &err) < 0);
	free(err);
	after = slurp(path);
	assert_string_equal(after, "<nope/>");
	free(after);
	unlink(path);
	rmdir(dir);
	free(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_create_primitive),
		cmocka_unit_test(test_create_group),
		cmocka_unit_test(test_builders_refuse),
		cmocka_unit_test(test_update),
		cmocka_unit_test(test_delete),
		cmocka_unit_test(test_constraints),
		cmocka_unit_test(test_properties),
		cmocka_unit_test(test_concurrent),
		cmocka_unit_test(test_groups_clones),
		cmocka_unit_test(test_file),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for lib/cib loading: the model built from known inputs, and the
 * refusal of every class of malformed input with the id or line named. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <dirent.h>

#include <hamgr/cib.h>
#include <hamgr/xml.h>

static char schema_dir[4096];
static struct ham_cib_load_opts opts;

static char *slurp(const char *rel, size_t *ret_len)
{
	char path[4096];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", getenv("HAM_SRCDIR") ? getenv("HAM_SRCDIR") : "..",
		 rel);
	f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	*ret_len = (size_t)n;
	return buf;
}

static int setup(void **state)
{
	(void)state;
	snprintf(schema_dir, sizeof(schema_dir), "%s/xml",
		 getenv("HAM_SRCDIR") ? getenv("HAM_SRCDIR") : "..");
	opts.flags = HAM_CIB_LOAD_SCHEMA;
	opts.schema_dir = schema_dir;
	return 0;
}

static int load_str(const char *s, ham_cib **ret, ham_cib_diags *d)
{
	return ham_cib_load_mem(s, strlen(s), "test", &opts, ret, d);
}

/* True if some error diagnostic mentions needle (in id or message). */
static bool has_error(const ham_cib_diags *d, const char *needle)
{
	size_t i;

	for (i = 0; i < ham_cib_diags_count(d); i++) {
		const struct ham_cib_diag *g = ham_cib_diags_get(d, i);

		if (g->severity != HAM_CIB_ERROR)
			continue;
		if ((g->id && strstr(g->id, needle)) || strstr(g->message, needle))
			return true;
	}
	return false;
}

static const char *find_pair(const struct ham_cib_nvset *s, const char *name)
{
	return ham_cib_nvset_get(s, name);
}

static void test_example(void **state)
{
	size_t len;
	char *buf = slurp("examples/cib-example.xml", &len);
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	const struct ham_cib_model *m;
	const struct ham_cib_resource *db, *ip, *web;
	const struct ham_cib_node *n;
	const struct ham_cib_node_state *ns;

	(void)state;
	assert_int_equal(ham_cib_load_mem(buf, len, "example", &opts, &cib, d), 0);
	assert_int_equal(ham_cib_diags_errors(d), 0);
	m = ham_cib_model(cib);
	assert_int_equal(m->version.epoch, 12);
	assert_string_equal(m->validate_with, "pacemaker-3.9");
	assert_int_equal(m->n_nodes, 3);
	assert_int_equal(m->n_resources, 3);
	assert_int_equal(m->n_all_resources, 6);
	assert_string_equal(ham_cib_property(cib, "no-quorum-policy"), "stop");

	assert_int_equal(ham_cib_find_resource(cib, "db", &db), 0);
	assert_int_equal(db->kind, HAM_CIB_RSC_GROUP);
	assert_int_equal(db->n_children, 2);
	assert_string_equal(db->children[0]->id, "db-ip");
	assert_string_equal(db->children[1]->id, "db-mariadb");
	assert_ptr_equal(db->children[0]->parent, db);
	ip = db->children[0];
	assert_string_equal(ip->class_, "ocf");
	assert_string_equal(ip->provider, "heartbeat");
	assert_string_equal(ip->type, "IPaddr2");
	assert_int_equal(ip->n_ops, 1);
	assert_int_equal(ip->ops[0].interval_ms, 10000);
	assert_int_equal(ip->ops[0].timeout_ms, 20000);
	assert_string_equal(find_pair(ip->instance_attributes[0], "ip"), "192.0.2.10");
	assert_int_equal(db->children[1]->n_ops, 3);
	assert_string_equal(db->children[1]->ops[2].on_fail, "restart");

	assert_int_equal(ham_cib_find_resource(cib, "web-clone", &web), 0);
	assert_int_equal(web->kind, HAM_CIB_RSC_CLONE);
	assert_false(web->promotable);
	assert_int_equal(ham_cib_find_resource(cib, "nope", &web), -ENOENT);

	assert_int_equal(ham_cib_find_node_by_name(cib, "node3", &n), 0);
	assert_string_equal(n->id, "3");
	assert_string_equal(find_pair(n->utilization[0], "memory"), "8192");

	assert_int_equal(m->n_locations, 3);
	assert_ptr_equal(m->locations[0]->rsc.rsc, db);
	assert_int_equal(m->locations[0]->score.value, 50);
	assert_int_equal(m->locations[1]->n_rules, 1);
	assert_int_equal(m->locations[1]->rules[0]->score.value, -HAM_SCORE_INFINITY);
	assert_int_equal(m->locations[2]->rules[0]->n_exprs, 2);
	assert_int_equal(m->locations[2]->rules[0]->exprs[1].kind, HAM_CIB_EXPR_DATE);
	assert_true(m->locations[2]->rules[0]->exprs[1].u.date.start.set);
	assert_int_equal(m->locations[2]->rules[0]->exprs[1].u.date.start.epoch_s, 1893456000);
	assert_int_equal(m->n_colocations, 1);
	assert_int_equal(m->colocations[0]->score.value, HAM_SCORE_INFINITY);
	assert_int_equal(m->n_orders, 1);
	assert_int_equal(m->orders[0]->kind, HAM_CIB_KIND_OPTIONAL);

	assert_int_equal(m->n_node_states, 3);
	assert_int_equal(ham_cib_find_node_state(cib, "1", &ns), 0);
	assert_true(ns->in_ccm_yes);
	assert_true(ns->crmd_online);
	assert_int_equal(ns->n_lrm_resources, 1);
	assert_ptr_equal(ns->lrm_resources[0].rsc, ip);
	assert_int_equal(ns->lrm_resources[0].n_ops, 1);
	assert_int_equal(ns->lrm_resources[0].ops[0].call_id, 10);
	assert_int_equal(ns->lrm_resources[0].ops[0].last_rc_change, 1700000000);
	assert_string_equal(ns->transient_attributes[0]->pairs[0].name, "#health-disk");
	assert_int_equal(ham_cib_find_node_state(cib, "3", &ns), 0);
	assert_false(ns->in_ccm_yes);

	ham_cib_free(cib);

	/* Without the status section, and with the text kept. */
	{
		struct ham_cib_load_opts o = opts;
		size_t tlen = 0;

		o.flags |= HAM_CIB_LOAD_NO_STATUS | HAM_CIB_LOAD_KEEP_TEXT;
		assert_int_equal(ham_cib_load_mem(buf, len, "example", &o, &cib, d), 0);
		assert_int_equal(ham_cib_model(cib)->n_node_states, 0);
		assert_int_equal(ham_cib_model(cib)->n_all_resources, 6);
		assert_non_null(ham_cib_text(cib, &tlen));
		assert_int_equal(tlen, len);
		assert_memory_equal(ham_cib_text(cib, NULL), buf, len);
		ham_cib_free(cib);
	}
	ham_cib_diags_free(d);
	free(buf);
}

static void test_rules_refs_templates(void **state)
{
	size_t len;
	char *buf = slurp("lib/cib/fuzz/corpus/rules.xml", &len);
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	const struct ham_cib_model *m;
	const struct ham_cib_resource *a, *b, *c, *bc;
	const struct ham_cib_rule *r;
	const struct ham_cib_node_state *ns;
	const struct ham_cib_ticket_state *ts;
	const struct ham_cib_tag *tag;

	(void)state;
	assert_int_equal(ham_cib_load_mem(buf, len, "rules", &opts, &cib, d), 0);
	m = ham_cib_model(cib);
	assert_true(m->execution_date.set);
	assert_int_equal(m->execution_date.epoch_s, 1700000000);
	assert_int_equal(m->crm_config[0]->score.value, 10);
	assert_int_equal(m->crm_config[0]->n_rules, 1);
	r = m->crm_config[0]->rules[0];
	assert_int_equal(r->exprs[0].u.date.op, HAM_CIB_DATE_SPEC);
	assert_int_equal(r->exprs[0].u.date.spec->hours.lo, 9);
	assert_int_equal(r->exprs[0].u.date.spec->hours.hi, 17);

	assert_int_equal(ham_cib_find_resource(cib, "a", &a), 0);
	assert_non_null(a->tmpl);
	assert_string_equal(a->tmpl->id, "tmpl");
	assert_string_equal(a->class_, "ocf");
	assert_string_equal(a->type, "Dummy");
	assert_int_equal(a->tmpl->ops[0].interval_ms, 10000); /* "P10S" */

	assert_int_equal(ham_cib_find_resource(cib, "b", &b), 0);
	assert_int_equal(b->n_instance_attributes, 2);
	assert_string_equal(b->instance_attributes[1]->id_ref, "b-ia2");
	assert_string_equal(find_pair(b->instance_attributes[1], "q"), "2");
	assert_int_equal(ham_cib_find_resource(cib, "c", &c), 0);
	assert_int_equal(c->n_ops, 2); /* operations id-ref */
	assert_int_equal(c->ops[0].role, HAM_CIB_ROLE_PROMOTED);
	assert_int_equal(ham_cib_find_resource(cib, "b-clone", &bc), 0);
	assert_true(bc->promotable);

	r = m->locations[0]->rules[0];
	assert_string_equal(r->score_attribute, "pref");
	assert_int_equal(r->boolean_op, HAM_CIB_BOOL_OR);
	assert_int_equal(r->n_exprs, 3);
	assert_string_equal(r->exprs[0].u.attr.attribute, "#uname");
	assert_int_equal(r->exprs[0].u.attr.op, HAM_CIB_OP_NE);
	assert_int_equal(r->exprs[1].u.attr.type, HAM_CIB_TYPE_INTEGER);
	assert_int_equal(r->exprs[2].kind, HAM_CIB_EXPR_RULE);
	assert_int_equal(r->exprs[2].u.rule->exprs[0].u.date.duration.days, 7);
	/* 2024-W01-1 is Monday 1 January 2024 */
	assert_int_equal(r->exprs[2].u.rule->exprs[0].u.date.start.epoch_s, 1704067200);
	assert_string_equal(m->locations[1]->rsc_pattern, "^[ab]$");
	assert_int_equal(m->locations[1]->discovery, HAM_CIB_DISCOVERY_NEVER);

	assert_int_equal(m->orders[0]->kind, HAM_CIB_KIND_SERIALIZE);
	assert_int_equal(m->orders[0]->n_sets, 2);
	assert_int_equal(m->orders[0]->sets[0].sequential, HAM_CIB_FALSE);
	assert_ptr_equal(m->orders[0]->sets[0].refs[1].rsc, b);
	assert_int_equal(m->orders[0]->sets[1].action, HAM_CIB_ACTION_PROMOTE);
	assert_int_equal(m->colocations[0]->with_rsc_role, HAM_CIB_ROLE_PROMOTED);
	assert_int_equal(m->colocations[0]->influence, HAM_CIB_FALSE);
	assert_int_equal(m->tickets[0]->loss_policy, HAM_CIB_LOSS_DEMOTE);
	assert_int_equal(ham_cib_find_tag(cib, "tag1", &tag), 0);
	assert_int_equal(tag->n_refs, 2);

	assert_int_equal(ham_cib_find_node_state(cib, "n1", &ns), 0);
	assert_int_equal(ns->in_ccm_since_s, 1700000000);
	assert_true(ns->in_ccm_yes);
	assert_true(ns->crmd_online);
	assert_ptr_equal(ns->lrm_resources[0].rsc, c); /* "c:0" */
	assert_null(ns->lrm_resources[1].rsc);        /* orphan */
	assert_int_equal(ns->lrm_resources[1].ops[0].last_rc_change, -1);
	assert_int_equal(ham_cib_find_ticket_state(cib, "T1", &ts), 0);
	assert_int_equal(ts->granted, HAM_CIB_TRUE);

	ham_cib_free(cib);
	ham_cib_diags_free(d);
	free(buf);
}

#define BASE_HEAD \
	"<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">\n" \
	"<configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config>\n<nodes><node id=\"1\" uname=\"n1\"/>\n<node id=\"2\" uname=\"n2\"/></nodes>\n" \
	"<resources>\n<primitive id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">\n" \
	"<operations><op id=\"r1-mon\" name=\"monitor\" interval=\"10s\"/></operations></primitive>\n"
#define BASE_MID "</resources>\n<constraints>\n"
#define BASE_TAIL "</constraints></configuration><status/></cib>\n"

#define STATUS_OPEN BASE_HEAD BASE_MID "</constraints></configuration>\n<status>\n"
#define STATUS_CLOSE_NOCIB "</status>"
#define STATUS_CLOSE STATUS_CLOSE_NOCIB "</cib>\n"
#define LRM_OPEN \
	"<node_state id=\"1\" uname=\"n1\"><lrm id=\"1\"><lrm_resources>" \
	"<lrm_resource id=\"r1\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">"
#define LRM_CLOSE "</lrm_resource></lrm_resources></lrm></node_state>"

struct bad_case {
	const char *name;
	const char *doc;
	int code;           /* expected return */
	const char *needle; /* in an error's id or message */
	unsigned line;      /* expected line of that error, 0: don't check */
};

static const struct bad_case bad_cases[] = {
	{ "empty", "", -HAM_E_XML, "empty", 1 },
	{ "whitespace", "  \n\t ", -HAM_E_XML, "empty", 1 },
	{ "not xml", "hello world", -HAM_E_XML, "XML", 1 },
	{ "truncated", BASE_HEAD, -HAM_E_XML, "XML", 0 },
	{ "wrong root", "<config/>", -HAM_E_SCHEMA, "root element", 1 },
	{ "misspelt element",
	  BASE_HEAD "<primitve id=\"r2\" class=\"ocf\" provider=\"x\" type=\"y\"/>" BASE_MID BASE_TAIL,
	  -HAM_E_SCHEMA, "primitve", 8 },
	{ "unknown attribute",
	  "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">\n"
	  "<configuration><crm_config/><nodes>\n<node id=\"1\" uname=\"a\" colour=\"blue\"/>\n"
	  "</nodes><resources/><constraints/></configuration></cib>",
	  -HAM_E_SCHEMA, "colour", 3 },
	{ "missing section",
	  "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">\n"
	  "<configuration><crm_config/><resources/><constraints/></configuration></cib>",
	  -HAM_E_SCHEMA, "has no <nodes>", 2 },
	{ "dangling reference",
	  BASE_HEAD BASE_MID "<rsc_location id=\"l1\" rsc=\"r9\" node=\"n1\" score=\"1\"/>" BASE_TAIL,
	  -HAM_E_CONFIG, "r9", 10 },
	{ "duplicate id",
	  BASE_HEAD "<primitive id=\"r1-mon\" class=\"ocf\" provider=\"x\" type=\"y\"/>" BASE_MID BASE_TAIL,
	  -HAM_E_CONFIG, "duplicate id 'r1-mon'", 8 },
	{ "duplicate node name",
	  "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">"
	  "<configuration><crm_config/><nodes><node id=\"1\" uname=\"n1\"/>\n<node id=\"2\" uname=\"n1\"/>"
	  "</nodes><resources/><constraints/></configuration></cib>",
	  -HAM_E_CONFIG, "duplicate node name 'n1'", 2 },
	{ "bad score",
	  BASE_HEAD BASE_MID "<rsc_location id=\"l1\" rsc=\"r1\" node=\"n1\" score=\"lots\"/>" BASE_TAIL,
	  -HAM_E_CONFIG, "lots", 10 },
	{ "bad interval",
	  BASE_HEAD "<primitive id=\"r2\" class=\"ocf\" provider=\"x\" type=\"y\"><operations>"
		    "<op id=\"r2-mon\" name=\"monitor\" interval=\"10 parsecs\"/></operations></primitive>"
		    BASE_MID BASE_TAIL,
	  -HAM_E_CONFIG, "10 parsecs", 8 },
	{ "bad timeout",
	  BASE_HEAD "<primitive id=\"r2\" class=\"ocf\" provider=\"x\" type=\"y\"><operations>"
		    "<op id=\"r2-mon\" name=\"monitor\" interval=\"10\" timeout=\"soon\"/></operations></primitive>"
		    BASE_MID BASE_TAIL,
	  -HAM_E_CONFIG, "r2-mon", 8 },
	{ "bad enumeration",
	  BASE_HEAD BASE_MID "<rsc_order id=\"o1\" first=\"r1\" then=\"r1\" kind=\"Sometimes\"/>" BASE_TAIL,
	  -HAM_E_CONFIG, "Sometimes", 10 },
	{ "bad property value",
	  "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">"
	  "<configuration><crm_config><cluster_property_set id=\"c\">\n<nvpair id=\"c-nq\" "
	  "name=\"no-quorum-policy\" value=\"panic\"/></cluster_property_set></crm_config><nodes/>"
	  "<resources/><constraints/></configuration></cib>",
	  -HAM_E_CONFIG, "c-nq", 2 },
	{ "negative epoch",
	  "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"-1\" num_updates=\"0\">"
	  "<configuration><crm_config/><nodes/><resources/><constraints/></configuration></cib>",
	  -HAM_E_CONFIG, "epoch", 1 },
	{ "bad date",
	  BASE_HEAD BASE_MID "<rsc_location id=\"l1\" rsc=\"r1\"><rule id=\"l1-r\" score=\"1\">"
		   "<date_expression id=\"l1-d\" operation=\"gt\" start=\"2024-02-30\"/></rule></rsc_location>"
		   BASE_TAIL,
	  -HAM_E_CONFIG, "2024-02-30", 10 },
	{ "rule without value",
	  BASE_HEAD BASE_MID "<rsc_location id=\"l1\" rsc=\"r1\"><rule id=\"l1-r\" score=\"1\">"
		   "<expression id=\"l1-e\" attribute=\"a\" operation=\"eq\"/></rule></rsc_location>"
		   BASE_TAIL,
	  -HAM_E_CONFIG, "l1-e", 10 },
	{ "unsupported bundle",
	  BASE_HEAD "<bundle id=\"bun\"/>" BASE_MID BASE_TAIL, -HAM_E_UNSUPPORTED, "outside the subset", 8 },
	{ "old schema",
	  "<cib validate-with=\"pacemaker-1.2\" admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\">"
	  "<configuration><crm_config/><nodes/><resources/><constraints/></configuration></cib>",
	  -HAM_E_UNSUPPORTED, "pacemaker-1.2", 1 },
	{ "doctype",
	  "<?xml version=\"1.0\"?>\n<!DOCTYPE cib [<!ENTITY a \"x\">]>\n<cib/>", -HAM_E_XML, "DOCTYPE", 2 },
	{ "billion laughs",
	  "<!DOCTYPE l [<!ENTITY l0 \"ha\"><!ENTITY l1 \"&l0;&l0;&l0;&l0;&l0;&l0;&l0;&l0;\">"
	  "<!ENTITY l2 \"&l1;&l1;&l1;&l1;&l1;&l1;&l1;&l1;\">]><cib>&l2;</cib>", -HAM_E_XML, "DOCTYPE", 1 },
	{ "external entity",
	  "<!DOCTYPE cib [<!ENTITY x SYSTEM \"file:///etc/passwd\">]><cib validate-with=\"&x;\"/>",
	  -HAM_E_XML, "DOCTYPE", 1 },
	{ "undefined entity", "<cib>&x;</cib>", -HAM_E_XML, "XML", 1 },
	{ "invalid utf-8", "<cib validate-with=\"\xc3\x28\"/>", -HAM_E_XML, "UTF-8", 1 },
	{ "overlong utf-8", "<cib>\n<x a=\"\xc0\xaf\"/></cib>", -HAM_E_XML, "UTF-8", 2 },
	{ "nul byte", "<cib>\n\n<x\0/></cib>", -HAM_E_XML, "XML", 0 },
	/* The status section: checked by the loader, not by RelaxNG (load.c). */
	{ "status: unknown attribute",
	  STATUS_OPEN LRM_OPEN "<lrm_rsc_op id=\"r1_monitor_0\" operation=\"monitor\" bogus=\"1\"/>"
	  LRM_CLOSE STATUS_CLOSE,
	  -HAM_E_SCHEMA, "bogus", 12 },
	{ "status: empty id",
	  STATUS_OPEN LRM_OPEN "<lrm_rsc_op id=\"\" operation=\"monitor\"/>" LRM_CLOSE STATUS_CLOSE,
	  -HAM_E_SCHEMA, "invalid value '' for attribute 'id'", 12 },
	{ "status: node_state attribute",
	  STATUS_OPEN "<node_state id=\"1\" uname=\"n1\" colour=\"red\"/>" STATUS_CLOSE,
	  -HAM_E_SCHEMA, "colour", 12 },
	{ "status: attribute on status",
	  BASE_HEAD BASE_MID "</constraints></configuration>\n<status foo=\"1\">\n" STATUS_CLOSE,
	  -HAM_E_SCHEMA, "foo", 11 },
	{ "status: namespaced element",
	  STATUS_OPEN LRM_OPEN "<lrm_rsc_op xmlns=\"urn:x\" id=\"a\" operation=\"monitor\"/>"
	  LRM_CLOSE STATUS_CLOSE,
	  -HAM_E_SCHEMA, "namespace", 12 },
	{ "status: two lrm_resources",
	  STATUS_OPEN "<node_state id=\"1\" uname=\"n1\"><lrm id=\"1\"><lrm_resources/>"
	  "<lrm_resources/></lrm></node_state>" STATUS_CLOSE,
	  -HAM_E_SCHEMA, "more than one <lrm_resources>", 12 },
	{ "status: rule in transient attributes",
	  STATUS_OPEN "<node_state id=\"1\" uname=\"n1\"><transient_attributes id=\"1\">"
	  "<instance_attributes id=\"ta\"><rule id=\"ta-r\" score=\"0\"/></instance_attributes>"
	  "</transient_attributes></node_state>" STATUS_CLOSE,
	  -HAM_E_SCHEMA, "not allowed in the status section", 12 },
	{ "status: bad ticket count",
	  STATUS_OPEN "<tickets><ticket_state id=\"t\" last-granted=\"soon\"/></tickets>" STATUS_CLOSE,
	  -HAM_E_CONFIG, "soon", 12 },
	{ "status: element after status",
	  STATUS_OPEN STATUS_CLOSE_NOCIB "\n<status/></cib>",
	  -HAM_E_SCHEMA, "after <status>", 13 },
};

static void test_bad_inputs(void **state)
{
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(bad_cases) / sizeof(bad_cases[0]); i++) {
		const struct bad_case *c = &bad_cases[i];
		ham_cib_diags *d = ham_cib_diags_new();
		ham_cib *cib = NULL;
		size_t len = strcmp(c->name, "nul byte") == 0 ? 20 : strlen(c->doc);
		int r = ham_cib_load_mem(c->doc, len, "bad", &opts, &cib, d);
		size_t j;
		bool line_ok = c->line == 0;

		if (r != c->code || !has_error(d, c->needle)) {
			print_error("case '%s': r=%d (want %d)\n", c->name, r, c->code);
			for (j = 0; j < ham_cib_diags_count(d); j++)
				print_error("  %u: %s: %s\n", ham_cib_diags_get(d, j)->line,
					    ham_cib_diags_get(d, j)->id ? ham_cib_diags_get(d, j)->id : "-",
					    ham_cib_diags_get(d, j)->message);
		}
		assert_int_equal(r, c->code);
		assert_null(cib);
		assert_true(has_error(d, c->needle));
		for (j = 0; j < ham_cib_diags_count(d); j++) {
			const struct ham_cib_diag *g = ham_cib_diags_get(d, j);

			if (g->line == c->line &&
			    ((g->id && strstr(g->id, c->needle)) || strstr(g->message, c->needle)))
				line_ok = true;
		}
		if (!line_ok)
			for (j = 0; j < ham_cib_diags_count(d); j++)
				print_error("case '%s': want line %u, got %u: %s\n", c->name, c->line,
					    ham_cib_diags_get(d, j)->line, ham_cib_diags_get(d, j)->message);
		assert_true(line_ok);
		ham_cib_diags_free(d);
	}
}

/* Every error of a semantic check names the element's id. */
static void test_errors_name_ids(void **state)
{
	const char *doc = BASE_HEAD BASE_MID
		"<rsc_colocation id=\"c1\" rsc=\"r1\" with-rsc=\"ghost\" score=\"10\"/>\n"
		"<rsc_order id=\"o1\" first=\"ghost2\" then=\"r1\"/>\n" BASE_TAIL;
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	size_t i;

	(void)state;
	assert_int_equal(load_str(doc, &cib, d), -HAM_E_CONFIG);
	assert_int_equal(ham_cib_diags_errors(d), 2);
	for (i = 0; i < ham_cib_diags_count(d); i++) {
		assert_non_null(ham_cib_diags_get(d, i)->id);
		assert_true(ham_cib_diags_get(d, i)->line >= 10);
	}
	assert_string_equal(ham_cib_diags_get(d, 0)->id, "c1");
	assert_string_equal(ham_cib_diags_get(d, 1)->id, "o1");
	ham_cib_diags_free(d);
}

/* Fencing enabled (explicitly or by default) without a fence device: an
 * error, or a warning when the input is only run (HAM_CIB_LOAD_TO_RUN). */
static void test_fencing_without_device(void **state)
{
	static const char *const props[] = {
		"<crm_config/>",
		"<crm_config><cluster_property_set id=\"c\"><nvpair id=\"c-st\" "
		"name=\"stonith-enabled\" value=\"true\"/></cluster_property_set></crm_config>",
		"<crm_config><cluster_property_set id=\"c\"><nvpair id=\"c-st\" "
		"name=\"fencing-enabled\" value=\"yes\"/></cluster_property_set></crm_config>",
	};
	const char *fencer = "<primitive id=\"f\" class=\"stonith\" type=\"fence_x\"/>";
	size_t i;

	(void)state;
	for (i = 0; i < HAM_ARRAY_SIZE(props); i++) {
		struct ham_cib_load_opts run = opts;
		int pass;

		for (pass = 0; pass < 3; pass++) {
			ham_buf b = HAM_BUF_INIT;
			ham_cib_diags *d = ham_cib_diags_new();
			ham_cib *cib = NULL;
			int r;

			ham_buf_add(&b, "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" "
					"epoch=\"1\" num_updates=\"0\"><configuration>");
			ham_buf_add(&b, props[i]);
			ham_buf_addf(&b, "<nodes/><resources>%s</resources><constraints/>"
					 "</configuration></cib>",
				     pass == 2 ? fencer : "<primitive id=\"p\" class=\"ocf\" "
				     "provider=\"heartbeat\" type=\"Dummy\"/>");
			run.flags = opts.flags | (pass == 1 ? HAM_CIB_LOAD_TO_RUN : 0);
			r = ham_cib_load_mem(b.s, b.len, "f", &run, &cib, d);
			if (pass == 0) {
				assert_int_equal(r, -HAM_E_CONFIG);
				assert_int_equal(ham_cib_diags_errors(d), 1);
				assert_true(has_error(d, "no fence device"));
			} else {
				assert_int_equal(r, 0);
				assert_int_equal(ham_cib_diags_errors(d), 0);
				assert_int_equal(ham_cib_diags_warnings(d), pass == 1 ? 1 : 0);
			}
			ham_cib_free(cib);
			ham_cib_diags_free(d);
			ham_buf_free(&b);
		}
	}
}

/* What hamgr would ignore is refused by name: by everyone when the engine
 * would ignore it, only for installing when only the daemon would. */
static void test_unsupported_by_name(void **state)
{
	static const struct {
		const char *props, *rsc, *extra;
		int engine;      /* 1: refused by the engine, 2: by the daemon, 0: accepted */
		const char *needle;
	} cases[] = {
		{ "<nvpair id=\"c-sl\" name=\"shutdown-lock\" value=\"true\"/>", "", "", 1,
		  "'shutdown-lock=true' is not supported" },
		{ "<nvpair id=\"c-sl\" name=\"shutdown-lock\" value=\"false\"/>", "", "", 0, NULL },
		{ "", "<meta_attributes id=\"m\"><nvpair id=\"m-r\" name=\"requires\" "
		  "value=\"unfencing\"/></meta_attributes>", "", 1,
		  "'requires=unfencing' is not supported" },
		{ "", "<meta_attributes id=\"m\"><nvpair id=\"m-r\" name=\"requires\" "
		  "value=\"quorum\"/></meta_attributes>", "", 0, NULL },
		{ "", "<meta_attributes id=\"m\"><nvpair id=\"m-g\" name=\"remote-node\" "
		  "value=\"g1\"/></meta_attributes>", "", 1, "'remote-node' is not supported" },
		{ "<nvpair id=\"c-st\" name=\"stonith-timeout\" value=\"90s\"/>", "", "", 2,
		  "'stonith-timeout' is not supported by the hamgr daemon" },
		{ "", "", "<fencing-topology><fencing-level id=\"fl\" index=\"1\" target=\"n1\" "
		  "devices=\"f\"/></fencing-topology>", 2,
		  "fencing-topology (devices are not tried by level) is not supported by the hamgr daemon" },
		{ "", "", "<alerts><alert id=\"al\" path=\"/bin/true\"><select><select_nodes/>"
		  "</select></alert></alerts>", 0, NULL },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HAM_ARRAY_SIZE(cases); i++) {
		int pass;

		/* 0: install, 1: run (simulate), 2: the daemon's installed copy */
		for (pass = 0; pass < 3; pass++) {
			struct ham_cib_load_opts o = opts;
			ham_buf b = HAM_BUF_INIT;
			ham_cib_diags *d = ham_cib_diags_new();
			ham_cib *cib = NULL;
			int r, want;

			ham_buf_addf(&b, "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" "
					 "epoch=\"1\" num_updates=\"0\"><configuration><crm_config>"
					 "<cluster_property_set id=\"c\"><nvpair id=\"c-f\" "
					 "name=\"stonith-enabled\" value=\"false\"/>%s"
					 "</cluster_property_set></crm_config><nodes><node id=\"1\" "
					 "uname=\"n1\"/></nodes><resources><primitive id=\"f\" "
					 "class=\"stonith\" type=\"fence_x\"/><primitive id=\"p\" "
					 "class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\">%s"
					 "</primitive></resources><constraints/>%s</configuration></cib>",
				     cases[i].props, cases[i].rsc, cases[i].extra);
			if (pass >= 1)
				o.flags |= HAM_CIB_LOAD_TO_RUN;
			if (pass == 2)
				o.flags |= HAM_CIB_LOAD_INSTALLED;
			r = ham_cib_load_mem(b.s, b.len, "u", &o, &cib, d);
			want = (cases[i].engine == 1 && pass < 2) ||
					       (cases[i].engine == 2 && pass == 0)
				       ? -HAM_E_UNSUPPORTED : 0;
			if (r != want || (want < 0 && !has_error(d, cases[i].needle)) ||
			    (want == 0 && ham_cib_diags_errors(d) != 0))
				fail_msg("case %zu pass %d: %d, expected %d (%s)", i, pass, r, want,
					 ham_cib_diags_count(d) ? ham_cib_diags_get(d, 0)->message : "");
			/* run: what only the daemon ignores is a warning */
			if (cases[i].engine != 0 && pass == 2)
				assert_int_equal(ham_cib_diags_warnings(d), 1);
			if (cases[i].engine == 2 && pass == 1)
				assert_int_equal(ham_cib_diags_warnings(d), 1);
			ham_cib_free(cib);
			ham_cib_diags_free(d);
			ham_buf_free(&b);
		}
	}
}

/*
 * An order of two clones, the second interleaved, is per node; the engine
 * does that for a start after a start, promote or stop, and refuses other
 * actions between interleaved clones by name (never accepts and ignores).
 */
static void test_interleaved_order_actions(void **state)
{
	static const struct {
		const char *fa, *ta, *interleave;
		bool refused;
	} cases[] = {
		{ "start", "start", "true", false },
		{ "promote", "start", "true", false },
		{ "stop", "start", "true", false },
		{ "demote", "start", "true", true },
		{ "start", "promote", "true", true },
		{ "promote", "promote", "true", true },
		{ "stop", "stop", "true", true },
		{ "start", "promote", "false", false },
	};
	size_t i;

	(void)state;
	for (i = 0; i < HAM_ARRAY_SIZE(cases); i++) {
		ham_buf b = HAM_BUF_INIT;
		ham_cib_diags *d = ham_cib_diags_new();
		ham_cib *cib = NULL;
		int r;

		ham_buf_addf(&b, "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" "
				 "epoch=\"1\" num_updates=\"0\"><configuration><crm_config>"
				 "<cluster_property_set id=\"c\"><nvpair id=\"c-f\" "
				 "name=\"stonith-enabled\" value=\"false\"/></cluster_property_set>"
				 "</crm_config><nodes><node id=\"1\" uname=\"n1\"/></nodes><resources>"
				 "<clone id=\"a\"><meta_attributes id=\"am\"><nvpair id=\"am-p\" "
				 "name=\"promotable\" value=\"true\"/></meta_attributes>"
				 "<primitive id=\"ac\" class=\"ocf\" provider=\"pacemaker\" "
				 "type=\"Stateful\"/></clone><clone id=\"b\"><meta_attributes id=\"bm\">"
				 "<nvpair id=\"bm-p\" name=\"promotable\" value=\"true\"/><nvpair "
				 "id=\"bm-i\" name=\"interleave\" value=\"%s\"/></meta_attributes>"
				 "<primitive id=\"bc\" class=\"ocf\" provider=\"pacemaker\" "
				 "type=\"Stateful\"/></clone></resources><constraints><rsc_order "
				 "id=\"o\" first=\"a\" first-action=\"%s\" then=\"b\" "
				 "then-action=\"%s\"/></constraints></configuration></cib>",
			     cases[i].interleave, cases[i].fa, cases[i].ta);
		r = ham_cib_load_mem(b.s, b.len, "u", &opts, &cib, d);
		if (r != (cases[i].refused ? -HAM_E_UNSUPPORTED : 0) ||
		    (cases[i].refused && !has_error(d, "an order of interleaved clone 'b'")))
			fail_msg("case %zu (%s then %s): %d (%s)", i, cases[i].fa, cases[i].ta, r,
				 ham_cib_diags_count(d) ? ham_cib_diags_get(d, 0)->message : "");
		ham_cib_free(cib);
		ham_cib_diags_free(d);
		ham_buf_free(&b);
	}
}

static void test_big_attribute(void **state)
{
	const size_t n = 8u * 1024 * 1024;
	const char *head = "<cib validate-with=\"pacemaker-3.0\" admin_epoch=\"0\" epoch=\"1\" "
			   "num_updates=\"0\"><configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/><resources>\n"
			   "<primitive id=\"big\" class=\"ocf\" provider=\"x\" type=\"y\" description=\"";
	const char *tail = "\"/></resources><constraints/></configuration></cib>";
	size_t hl = strlen(head), tl = strlen(tail);
	char *doc = malloc(hl + n + tl + 1);
	ham_cib_diags *d = ham_cib_diags_new();
	ham_cib *cib = NULL;
	struct ham_cib_load_opts big = opts;
	const struct ham_cib_resource *r;

	(void)state;
	memcpy(doc, head, hl);
	memset(doc + hl, 'x', n);
	memcpy(doc + hl + n, tail, tl + 1);
	/* Refused with the default limit, naming the attribute... */
	assert_int_equal(ham_cib_load_mem(doc, hl + n + tl, "big", &opts, &cib, d), -HAM_E_CONFIG);
	assert_true(has_error(d, "too long"));
	assert_int_equal(ham_cib_diags_get(d, 0)->line, 2);
	ham_cib_diags_free(d);
	/* ...and accepted when the limit allows it. */
	d = ham_cib_diags_new();
	big.max_attr_bytes = 16u * 1024 * 1024;
	big.flags = 0;
	assert_int_equal(ham_cib_load_mem(doc, hl + n + tl, "big", &big, &cib, d), 0);
	assert_int_equal(ham_cib_find_resource(cib, "big", &r), 0);
	assert_int_equal(strlen(r->description), n);
	ham_cib_free(cib);
	ham_cib_diags_free(d);
	/* A document over the size limit is refused before parsing. */
	d = ham_cib_diags_new();
	big.max_doc_bytes = 1024;
	assert_int_equal(ham_cib_load_mem(doc, hl + n + tl, "big", &big, &cib, d), -EFBIG);
	ham_cib_diags_free(d);
	free(doc);
}

static void test_times(void **state)
{
	int64_t t;

	(void)state;
	assert_int_equal(ham_cib_time_parse("1970-01-01", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(ham_cib_time_parse("2019-09-20 15:10:52 +00:00", &t), 0);
	assert_int_equal(t, 1568992252);
	assert_int_equal(ham_cib_time_parse("2019-09-20T17:10:52+02:00", &t), 0);
	assert_int_equal(t, 1568992252);
	assert_int_equal(ham_cib_time_parse("2019-263T15:10:52Z", &t), 0); /* ordinal */
	assert_int_equal(t, 1568992252);
	assert_int_equal(ham_cib_time_parse("2019-W38-5T15:10:52Z", &t), 0); /* week */
	assert_int_equal(t, 1568992252);
	assert_int_equal(ham_cib_time_parse("2020-02-29", &t), 0);
	assert_int_equal(ham_cib_time_parse("2019-02-29", &t), -EINVAL);
	assert_int_equal(ham_cib_time_parse("2019-13-01", &t), -EINVAL);
	assert_int_equal(ham_cib_time_parse("2019-01-01T25:00", &t), -EINVAL);
	assert_int_equal(ham_cib_time_parse("yesterday", &t), -EINVAL);
	assert_int_equal(ham_cib_time_parse("2019-01-01 junk", &t), -EINVAL);
	assert_int_equal(ham_cib_role_from_str("Master"), HAM_CIB_ROLE_PROMOTED);
	assert_int_equal(ham_cib_role_from_str("Slave"), HAM_CIB_ROLE_UNPROMOTED);
	assert_int_equal(ham_cib_role_from_str("master"), HAM_CIB_ROLE_INVALID);
	assert_string_equal(ham_cib_role_str(HAM_CIB_ROLE_STARTED), "Started");
}

static void test_version_cmp(void **state)
{
	struct ham_cib_version a = { 0, 5, 9 }, b = { 0, 6, 0 }, c = { 1, 0, 0 };

	(void)state;
	assert_true(ham_cib_version_cmp(&a, &b) < 0);
	assert_true(ham_cib_version_cmp(&c, &b) > 0);
	assert_int_equal(ham_cib_version_cmp(&a, &a), 0);
}

/* Inputs that once crashed the loader (found by the fuzzer) load cleanly. */
static void test_fuzz_regressions(void **state)
{
	char path[4096];
	DIR *dir;
	struct dirent *e;
	int n = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/lib/cib/tests/data",
		 getenv("HAM_SRCDIR") ? getenv("HAM_SRCDIR") : "..");
	dir = opendir(path);
	assert_non_null(dir);
	while ((e = readdir(dir)) != NULL) {
		char rel[600];
		size_t len;
		char *buf;
		int pass;

		if (strncmp(e->d_name, "crash-", 6) != 0)
			continue;
		snprintf(rel, sizeof(rel), "lib/cib/tests/data/%s", e->d_name);
		buf = slurp(rel, &len);
		/* 0: install, 1: run (simulate), 2: the daemon's installed copy */
		for (pass = 0; pass < 3; pass++) {
			struct ham_cib_load_opts o = opts;
			ham_cib_diags *d = ham_cib_diags_new();
			ham_cib *cib = NULL;
			ham_cib_doc *doc = NULL;

			o.flags = pass ? HAM_CIB_LOAD_SCHEMA : 0;
			if (ham_cib_load_mem(buf, len, e->d_name, &o, &cib, d) < 0)
				assert_true(ham_cib_diags_errors(d) > 0);
			ham_cib_free(cib);
			if (ham_cib_doc_parse(buf, len, &doc, d) == 0)
				ham_cib_doc_free(doc);
			ham_cib_diags_free(d);
		}
		free(buf);
		n++;
	}
	closedir(dir);
	assert_true(n > 0);
}

/* include/hamgr/xml.h: element lookup and attribute defaults. */
static void test_xml_helpers(void **state)
{
	static const char xml[] = "<a x=\"1\" e=\"\"><!-- c -->text<b/><c y=\"2\"/><c y=\"3\"/></a>";
	xmlDoc *doc = xmlReadMemory(xml, (int)strlen(xml), "t.xml", NULL, XML_PARSE_NONET);
	xmlNode *a, *c;

	(void)state;
	assert_non_null(doc);
	a = xmlDocGetRootElement(doc);
	assert_true(ham_xml_is(a, "a"));
	assert_false(ham_xml_is(a, "b"));
	assert_false(ham_xml_is(NULL, "a"));
	assert_false(ham_xml_is(a->children, "a")); /* the comment */
	c = ham_xml_child(a, "c");
	assert_non_null(c);
	assert_string_equal(ham_xml_attr(c, "y", NULL), "2"); /* the first one */
	assert_non_null(ham_xml_child(a, "b"));
	assert_null(ham_xml_child(a, "d"));
	assert_null(ham_xml_child(NULL, "c"));
	assert_string_equal(ham_xml_attr(a, "x", NULL), "1");
	assert_null(ham_xml_attr(a, "missing", NULL));
	assert_string_equal(ham_xml_attr(a, "missing", "dflt"), "dflt");
	assert_string_equal(ham_xml_attr(a, "e", "dflt"), "dflt"); /* empty value */
	assert_string_equal(ham_xml_attr(NULL, "x", "none"), "none");
	xmlFreeDoc(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_example),
		cmocka_unit_test(test_rules_refs_templates),
		cmocka_unit_test(test_bad_inputs),
		cmocka_unit_test(test_errors_name_ids),
		cmocka_unit_test(test_big_attribute),
		cmocka_unit_test(test_fencing_without_device),
		cmocka_unit_test(test_unsupported_by_name),
		cmocka_unit_test(test_interleaved_order_actions),
		cmocka_unit_test(test_times),
		cmocka_unit_test(test_version_cmp),
		cmocka_unit_test(test_fuzz_regressions),
		cmocka_unit_test(test_xml_helpers),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}

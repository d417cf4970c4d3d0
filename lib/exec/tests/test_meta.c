/* SPDX-License-Identifier: GPL-2.0-or-later */
/* lib/exec unit tests: meta-data parsing and parameter validation. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include <hamgr/exec.h>

static const char good[] =
	"<?xml version=\"1.0\"?>\n"
	"<resource-agent name=\"thing\" version=\"2.0\">\n"
	"<version>1.1</version>\n"
	"<longdesc lang=\"en\">Long</longdesc>\n"
	"<shortdesc lang=\"de\">Kurz</shortdesc><shortdesc lang=\"en\">Short</shortdesc>\n"
	"<parameters>\n"
	"<parameter name=\"path\" required=\"1\" unique=\"1\"><shortdesc>P</shortdesc>"
	"<content type=\"string\"/></parameter>\n"
	"<parameter name=\"port\" unique-group=\"addr\"><content type=\"integer\" default=\"3306\"/></parameter>\n"
	"<parameter name=\"flag\"><content type=\"boolean\" default=\"false\"/></parameter>\n"
	"<parameter name=\"mode\"><content type=\"select\"><option value=\"a\"/><option value=\"b\"/></content></parameter>\n"
	"<parameter name=\"old\" deprecated=\"true\"><content type=\"string\"/></parameter>\n"
	"</parameters>\n"
	"<actions><action name=\"start\" timeout=\"20s\"/>"
	"<action name=\"monitor\" timeout=\"30\" interval=\"10s\" depth=\"0\"/></actions>\n"
	"</resource-agent>\n";

static void test_parse(void **state)
{
	ham_agent_meta *m = NULL;
	const ham_agent_param *p;

	assert_int_equal(ham_agent_meta_parse(good, strlen(good), &m, NULL), 0);
	assert_string_equal(m->name, "thing");
	assert_string_equal(m->version, "1.1");
	assert_string_equal(m->shortdesc, "Short");
	assert_int_equal(m->n_params, 5);
	p = ham_agent_meta_param(m, "path");
	assert_true(p->required && p->unique);
	p = ham_agent_meta_param(m, "port");
	assert_true(p->unique);
	assert_string_equal(p->unique_group, "addr");
	assert_int_equal(p->type, HAM_PARAM_INTEGER);
	assert_string_equal(p->default_value, "3306");
	p = ham_agent_meta_param(m, "mode");
	assert_int_equal(p->type, HAM_PARAM_SELECT);
	assert_string_equal(p->options[1], "b");
	assert_null(p->options[2]);
	assert_true(ham_agent_meta_param(m, "old")->deprecated);
	assert_null(ham_agent_meta_param(m, "nope"));
	assert_int_equal(m->n_actions, 2);
	assert_int_equal(m->actions[0].timeout_ms, 20000);
	assert_int_equal(m->actions[1].timeout_ms, 30000);
	assert_int_equal(m->actions[1].interval_ms, 10000);
	ham_agent_meta_free(m);
}

static void test_validate(void **state)
{
	ham_agent_meta *m = NULL;
	char *msg = NULL;
	ham_exec_param ok[] = { { "path", "/x" }, { "port", "1" }, { "flag", "yes" }, { "mode", "a" },
				{ "unknown", "whatever" } };
	ham_exec_param p[2];

	assert_int_equal(ham_agent_meta_parse(good, strlen(good), &m, NULL), 0);
	assert_int_equal(ham_agent_meta_validate(m, ok, HAM_ARRAY_SIZE(ok), &msg), 0);
	assert_int_equal(ham_agent_meta_validate(m, ok + 1, 1, &msg), -EINVAL);
	assert_non_null(strstr(msg, "'path'"));
	free(msg);
	p[0] = ok[0];
	p[1] = (ham_exec_param){ "port", "12x" };
	assert_int_equal(ham_agent_meta_validate(m, p, 2, &msg), -EINVAL);
	assert_non_null(strstr(msg, "'port'"));
	free(msg);
	p[1] = (ham_exec_param){ "flag", "maybe" };
	assert_int_equal(ham_agent_meta_validate(m, p, 2, &msg), -EINVAL);
	assert_non_null(strstr(msg, "boolean"));
	free(msg);
	p[1] = (ham_exec_param){ "mode", "c" };
	assert_int_equal(ham_agent_meta_validate(m, p, 2, &msg), -EINVAL);
	assert_non_null(strstr(msg, "'mode'"));
	free(msg);
	p[0] = (ham_exec_param){ "path", "" };
	assert_int_equal(ham_agent_meta_validate(m, p, 1, &msg), -EINVAL);
	free(msg);
	ham_agent_meta_free(m);
}

static void test_malformed(void **state)
{
	ham_agent_meta *m = NULL;
	char *msg = NULL;
	static const char bad[] = "<resource-agent name=\"x\"><parameters></resource-agent>";
	static const char wrong_root[] = "<html/>";
	static const char noname[] = "<resource-agent><parameters><parameter/></parameters></resource-agent>";

	assert_int_equal(ham_agent_meta_parse(bad, strlen(bad), &m, &msg), -HAM_E_XML);
	assert_non_null(strstr(msg, "line"));
	free(msg);
	assert_int_equal(ham_agent_meta_parse(wrong_root, strlen(wrong_root), &m, &msg), -HAM_E_XML);
	assert_non_null(strstr(msg, "<html>"));
	free(msg);
	assert_int_equal(ham_agent_meta_parse(noname, strlen(noname), &m, &msg), -HAM_E_XML);
	free(msg);
	assert_null(m);
}

static void test_no_entities(void **state)
{
	static const char xxe[] =
		"<?xml version=\"1.0\"?>\n"
		"<!DOCTYPE r [<!ENTITY e SYSTEM \"file:///etc/passwd\"><!ENTITY i \"INTERNAL\">]>\n"
		"<resource-agent name=\"x\"><shortdesc>[&e;]</shortdesc><longdesc>[&i;]</longdesc>"
		"</resource-agent>";
	ham_agent_meta *m = NULL;
	char *msg = NULL;
	int r = ham_agent_meta_parse(xxe, strlen(xxe), &m, &msg);

	if (r == 0) {
		/* external entities never load */
		assert_null(strstr(m->shortdesc ? m->shortdesc : "", "root:"));
		ham_agent_meta_free(m);
	} else {
		free(msg);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse),
		cmocka_unit_test(test_validate),
		cmocka_unit_test(test_malformed),
		cmocka_unit_test(test_no_entities),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

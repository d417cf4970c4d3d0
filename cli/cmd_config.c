/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_config.c: the configuration commands (resource create/update,
 * ...): arguments in pcs's shapes, checked against the agent's meta-data
 * where it is installed here, turned into edits by lib/cib, and applied
 * either through the daemon or to the CIB file of `hactl -f FILE`.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/cib.h>
#include <hamgr/exec.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "cmd_config.h"
#include "config_args.h"
#include "hactl_ipc.h"

int hactl_config_apply(const struct hactl_ctx *ctx, const ham_buf *edits)
{
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;
	int r;

	if (ctx->cib_file == NULL)
		return hactl_modify(ctx, edits);
	ham_buf_add(&b, "<modify>");
	ham_buf_add(&b, ham_buf_str(edits));
	ham_buf_add(&b, "</modify>");
	r = ham_cib_file_apply_modify(ctx->cib_file, ham_buf_str(&b), b.len, NULL, &err);
	ham_buf_free(&b);
	if (r < 0) {
		hactl_err(ctx, "%s: nothing changed", err ? err : ham_strerror(r));
		free(err);
		return r == -EEXIST ? HAM_EXIT_ERROR : ham_exit_status(r);
	}
	return HAM_EXIT_OK;
}

int hactl_config_read(const struct hactl_ctx *ctx, xmlDoc **ret_doc)
{
	xmlDoc *doc;

	if (ctx->cib_file == NULL)
		return hactl_get_cib(ctx, ret_doc);
	doc = xmlReadFile(ctx->cib_file, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
					       XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (doc == NULL || !ham_xml_is(xmlDocGetRootElement(doc), "cib")) {
		hactl_err(ctx, "%s is not a readable CIB (a <cib> document)", ctx->cib_file);
		xmlFreeDoc(doc);
		return HAM_EXIT_INVALID;
	}
	*ret_doc = doc;
	return HAM_EXIT_OK;
}

/* ---- the agent's meta-data --------------------------------------------------- */

struct meta_state {
	qb_loop_t *loop;
	int r;
	char *msg;
	ham_agent_meta *meta; /* a copy is not offered: checked inside the callback */
	const struct ham_cib_nv *params;
	size_t n_params;
	bool update;
	bool stonith;
	char *problem;
	char *mon_interval, *mon_timeout; /* the agent's advertised monitor, if any */
};

/* A duration for an op attribute: whole seconds as "Ns", else "Nms". */
static char *duration_str(uint64_t ms)
{
	return ms % 1000 == 0 ? ham_asprintf("%llus", (unsigned long long)(ms / 1000))
			      : ham_asprintf("%llums", (unsigned long long)ms);
}

/* Parameters the cluster itself gives every fence device. */
static bool fence_common(const char *name)
{
	return strncmp(name, "pcmk_", 5) == 0 || ham_streq(name, "priority");
}

static void got_meta(int r, const ham_agent_meta *m, const char *msg, void *user)
{
	struct meta_state *st = user;
	ham_exec_param *v;
	size_t i, n = 0;

	qb_loop_stop(st->loop);
	st->r = r;
	if (r < 0) {
		st->msg = ham_strdup(msg ? msg : ham_strerror(r));
		return;
	}
	for (i = 0; i < m->n_actions && st->mon_interval == NULL; i++) {
		const ham_agent_action *a = &m->actions[i];

		if (ham_streq(a->name, "monitor") && a->interval_ms > 0 &&
		    (a->role == NULL || ham_streq(a->role, "Started"))) {
			st->mon_interval = duration_str(a->interval_ms);
			st->mon_timeout = a->timeout_ms ? duration_str(a->timeout_ms) : NULL;
		}
	}
	for (i = 0; i < st->n_params; i++) {
		const ham_agent_param *p = ham_agent_meta_param(m, st->params[i].name);

		if (p == NULL && !(st->stonith && fence_common(st->params[i].name))) {
			st->problem = ham_asprintf("the agent has no parameter '%s'",
						   st->params[i].name);
			return;
		}
		if (p && p->required && st->update && st->params[i].value[0] == '\0') {
			st->problem = ham_asprintf("the parameter '%s' is required: it cannot be "
						   "removed", p->name);
			return;
		}
	}
	if (st->update)
		return;
	v = ham_newa0(ham_exec_param, st->n_params + 1);
	for (i = 0; i < st->n_params; i++) {
		v[n].name = st->params[i].name;
		v[n++].value = st->params[i].value;
	}
	if (ham_agent_meta_validate(m, v, n, &st->problem) < 0 && st->problem == NULL)
		st->problem = ham_strdup("the parameters do not match the agent's meta-data");
	free(v);
}

/*
 * Checks params against agent's meta-data: unknown names, and (create)
 * missing required ones and bad values. An agent that is not installed here
 * or has no meta-data is reported and not checked. Returns an exit status.
 */
static int check_agent(const struct hactl_ctx *ctx, const char *agent,
		       const struct ham_cib_nv *params, size_t n_params, bool update,
		       char **ret_mon_interval, char **ret_mon_timeout)
{
	struct ham_exec_options o = { .max_concurrent = 1, .output_cap = 1024 * 1024 };
	struct meta_state st = { .params = params, .n_params = n_params, .update = update };
	const char *fence = getenv("HAMGR_FENCE_DIR"), *lsb = getenv("HAMGR_LSB_DIR");
	ham_agent_spec spec;
	ham_exec *e;
	int r, rc = HAM_EXIT_OK;

	if (ham_agent_spec_parse(agent, &spec) < 0) {
		hactl_err(ctx, "'%s' is not an agent: expected CLASS:[PROVIDER:]TYPE such as "
			  "ocf:heartbeat:IPaddr2", agent);
		return HAM_EXIT_USAGE;
	}
	if (fence && *fence)
		o.fence_dir = fence;
	if (lsb && *lsb)
		o.lsb_dir = lsb;
	st.stonith = spec.cls == HAM_AGENT_STONITH;
	st.loop = qb_loop_create();
	e = ham_exec_new(st.loop, &o);
	r = ham_exec_get_meta(e, &spec, got_meta, &st);
	if (r == 0) {
		qb_loop_run(st.loop);
		r = st.r;
	}
	if (r == -EOPNOTSUPP) {
		/* systemd and LSB agents describe no parameters */
		if (n_params > 0 && spec.cls != HAM_AGENT_OCF && spec.cls != HAM_AGENT_STONITH) {
			hactl_err(ctx, "%s agents take no parameters", ham_agent_class_str(spec.cls));
			rc = HAM_EXIT_USAGE;
		}
	} else if (r < 0) {
		fprintf(stderr, "%s %s: warning: the meta-data of %s cannot be read here (%s): "
			"its parameters are not checked\n", ctx->prog, ctx->command, agent,
			st.msg ? st.msg : ham_strerror(r));
	} else if (st.problem) {
		hactl_err(ctx, "%s: %s (--force to skip this check)", agent, st.problem);
		rc = HAM_EXIT_INVALID;
	}
	if (rc == HAM_EXIT_OK && ret_mon_interval) {
		*ret_mon_interval = st.mon_interval;
		*ret_mon_timeout = st.mon_timeout;
		st.mon_interval = st.mon_timeout = NULL;
	}
	free(st.mon_interval);
	free(st.mon_timeout);
	free(st.msg);
	free(st.problem);
	ham_exec_free(e);
	qb_loop_destroy(st.loop);
	ham_agent_spec_clear(&spec);
	return rc;
}

/* ---- resource create / update ---------------------------------------------------- */

static int applied(const struct hactl_ctx *ctx, const char *what, const char *id)
{
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "{\"command\":");
		ham_buf_add_json(&b, what);
		ham_buf_add(&b, ",\"id\":");
		ham_buf_add_json(&b, id);
		ham_buf_add(&b, ",\"file\":");
		ham_buf_add_json(&b, ctx->cib_file);
		ham_buf_add(&b, ",\"applied\":true}\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "<applied command=\"");
		ham_buf_add_xml(&b, what);
		ham_buf_add(&b, "\" id=\"");
		ham_buf_add_xml(&b, id);
		ham_buf_add(&b, "\"/>\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	} else if (ctx->verbose) {
		printf("%s %s: applied\n", what, id);
	}
	return HAM_EXIT_OK;
}

static int create_common(struct hactl_ctx *ctx, const char *id, const char *agent, int argc,
			 char **argv, bool allow_group, const char *what)
{
	struct hactl_rsc_args a;
	ham_buf e = HAM_BUF_INIT;
	char *err = NULL, *mon_interval = NULL, *mon_timeout = NULL;
	struct ham_cib_nv mon[2];
	size_t i;
	int rc;

	if (hactl_rsc_args_parse(argc, argv, allow_group, &a, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		free(err);
		return rc;
	}
	a.spec.id = id;
	a.spec.agent = agent;
	/* the syntax first (a bad id or agent is a usage error before any agent runs) */
	if (ham_cib_edit_rsc_create(&a.spec, &e, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		goto out;
	}
	if (!a.force && (rc = check_agent(ctx, agent, a.params, a.n_params, false, &mon_interval,
					  &mon_timeout)) != HAM_EXIT_OK)
		goto out;
	for (i = 0; i < a.n_ops && !ham_streq(a.ops[i].action, "monitor"); i++)
		;
	if (i == a.n_ops && mon_interval) {
		/* as pcs does: without a monitor op failures would go unnoticed; the
		 * agent's advertised one is added */
		mon[0].name = "interval";
		mon[0].value = mon_interval;
		mon[1].name = "timeout";
		mon[1].value = mon_timeout;
		a.ops = ham_reallocarray(a.ops, a.n_ops + 1, sizeof(*a.ops));
		a.ops[a.n_ops].action = "monitor";
		a.ops[a.n_ops].attrs = mon;
		a.ops[a.n_ops].n_attrs = mon_timeout ? 2 : 1;
		a.spec.ops = a.ops;
		a.spec.n_ops = a.n_ops + 1;
		ham_buf_clear(&e);
		if (ham_cib_edit_rsc_create(&a.spec, &e, &err) < 0) {
			rc = hactl_usage_error(ctx, "%s", err);
			goto out;
		}
	}
	rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, what, id);
out:
	/* (a.n_ops does not count the added monitor: its attributes are not the parser's) */
	free(mon_interval);
	free(mon_timeout);
	free(err);
	ham_buf_free(&e);
	hactl_rsc_args_free(&a);
	return rc;
}

int hactl_resource_create(struct hactl_ctx *ctx, int argc, char **argv)
{
	if (argc < 4 || argv[2][0] == '-' || argv[3][0] == '-')
		return hactl_usage_error(ctx, "'resource create' needs an id and an agent: "
					 "resource create ID CLASS:[PROVIDER:]TYPE [NAME=VALUE]...");
	return create_common(ctx, argv[2], argv[3], argc - 4, argv + 4, true, "create");
}

/* The agent of primitive id in doc ("class:[provider:]type", malloc'd), or NULL. */
static char *agent_of(xmlDoc *doc, const char *id, bool *ret_found)
{
	xmlNode *res = ham_xml_child(ham_xml_child(xmlDocGetRootElement(doc), "configuration"),
				     "resources");
	xmlNode *stack[8], *x;
	int depth = 0;

	*ret_found = false;
	x = res ? res->children : NULL;
	while (x || depth > 0) {
		if (x == NULL) {
			x = stack[--depth]->next;
			continue;
		}
		if (x->type == XML_ELEMENT_NODE && ham_streq(ham_xml_attr(x, "id", NULL), id)) {
			*ret_found = true;
			if (!ham_xml_is(x, "primitive") || ham_xml_attr(x, "class", NULL) == NULL)
				return NULL;
			return ham_xml_attr(x, "provider", NULL)
				       ? ham_asprintf("%s:%s:%s", ham_xml_attr(x, "class", ""),
						      ham_xml_attr(x, "provider", ""),
						      ham_xml_attr(x, "type", ""))
				       : ham_asprintf("%s:%s", ham_xml_attr(x, "class", ""),
						      ham_xml_attr(x, "type", ""));
		}
		if (x->type == XML_ELEMENT_NODE && x->children && depth < 8 &&
		    (ham_xml_is(x, "group") || ham_xml_is(x, "clone") || ham_xml_is(x, "master"))) {
			stack[depth++] = x;
			x = x->children;
			continue;
		}
		x = x->next;
	}
	return NULL;
}

int hactl_resource_update(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct hactl_rsc_args a;
	ham_buf e = HAM_BUF_INIT;
	char *err = NULL, *agent = NULL;
	xmlDoc *doc = NULL;
	bool found;
	int rc;

	if (argc < 3 || argv[2][0] == '-')
		return hactl_usage_error(ctx, "'resource update' needs an id: resource update ID "
					 "[NAME=VALUE]... [op ACTION NAME=VALUE...]... [meta NAME=VALUE...]");
	if (hactl_rsc_args_parse(argc - 3, argv + 3, false, &a, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		free(err);
		return rc;
	}
	a.spec.id = argv[2];
	if (ham_cib_edit_rsc_update(&a.spec, &e, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		goto out;
	}
	if (!a.force && a.n_params > 0) {
		if ((rc = hactl_config_read(ctx, &doc)) != HAM_EXIT_OK)
			goto out;
		agent = agent_of(doc, argv[2], &found);
		if (!found) {
			hactl_err(ctx, "no resource '%s' in the configuration", argv[2]);
			rc = HAM_EXIT_NOT_FOUND;
			goto out;
		}
		if (agent && (rc = check_agent(ctx, agent, a.params, a.n_params, true, NULL,
					       NULL)) != HAM_EXIT_OK)
			goto out;
	}
	rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, "update", argv[2]);
out:
	xmlFreeDoc(doc);
	free(agent);
	free(err);
	ham_buf_free(&e);
	hactl_rsc_args_free(&a);
	return rc;
}

/* ---- properties and defaults ----------------------------------------------------- */

/* NAME=VALUE... as set-property edits of section; unset: names only. */
static int property_edits(struct hactl_ctx *ctx, const char *section, int argc, char **argv,
			  bool unset, bool check_known, ham_buf *e)
{
	bool force = false;
	int i, n = 0;

	for (i = 0; i < argc; i++)
		if (ham_streq(argv[i], "--force"))
			force = true;
	for (i = 0; i < argc; i++) {
		struct ham_cib_nv nv;

		if (ham_streq(argv[i], "--force"))
			continue;
		if (argv[i][0] == '-')
			return hactl_usage_error(ctx, "no option '%s' here", argv[i]);
		if (unset) {
			if (strchr(argv[i], '=') || argv[i][0] == '\0')
				return hactl_usage_error(ctx, "'%s' is not a name", argv[i]);
			nv.name = ham_strdup(argv[i]);
			nv.value = NULL;
		} else if (hactl_nv_split(argv[i], &nv) < 0) {
			return hactl_usage_error(ctx, "'%s' is not NAME=VALUE", argv[i]);
		}
		if (check_known && !force && ham_cib_property_info(nv.name) == NULL) {
			hactl_err(ctx, "hamgr has no cluster property '%s' ('property list --all' "
				  "lists them; --force to set it anyway)", nv.name);
			free((char *)nv.name);
			return HAM_EXIT_USAGE;
		}
		ham_cib_edit_property(section, nv.name, nv.value, e);
		free((char *)nv.name);
		n++;
	}
	if (n == 0)
		return hactl_usage_error(ctx, unset ? "needs a NAME" : "needs NAME=VALUE");
	return HAM_EXIT_OK;
}

/* The nvpairs of every set named set_name under section (first set first). */
static xmlNode *section_of(xmlDoc *doc, const char *section)
{
	return ham_xml_child(ham_xml_child(xmlDocGetRootElement(doc), "configuration"), section);
}

static const char *set_value(xmlNode *sec, const char *set_name, const char *name)
{
	xmlNode *s, *nv;

	for (s = sec ? sec->children : NULL; s; s = s->next)
		if (ham_xml_is(s, set_name))
			for (nv = s->children; nv; nv = nv->next)
				if (ham_xml_is(nv, "nvpair") &&
				    ham_streq(ham_xml_attr(nv, "name", NULL), name))
					return ham_xml_attr(nv, "value", "");
	return NULL;
}

static void list_entry(const struct hactl_ctx *ctx, ham_buf *b, bool *first, const char *name,
		       const char *value, const char *def, const char *desc)
{
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(b, *first ? "{\"name\":" : ",{\"name\":");
		ham_buf_add_json(b, name);
		ham_buf_add(b, ",\"value\":");
		ham_buf_add_json(b, value);
		ham_buf_add(b, ",\"default\":");
		ham_buf_add_json(b, def);
		ham_buf_add(b, ",\"description\":");
		ham_buf_add_json(b, desc);
		ham_buf_add(b, "}");
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf_add(b, "  <property name=\"");
		ham_buf_add_xml(b, name);
		ham_buf_add(b, "\"");
		if (value) {
			ham_buf_add(b, " value=\"");
			ham_buf_add_xml(b, value);
			ham_buf_add(b, "\"");
		}
		if (def) {
			ham_buf_add(b, " default=\"");
			ham_buf_add_xml(b, def);
			ham_buf_add(b, "\"");
		}
		if (desc) {
			ham_buf_add(b, " description=\"");
			ham_buf_add_xml(b, desc);
			ham_buf_add(b, "\"");
		}
		ham_buf_add(b, "/>\n");
	} else if (desc) {
		ham_buf_addf(b, "  %s=%s%s\n      %s\n", name, value ? value : def ? def : "",
			     value ? "" : " (default)", desc);
	} else {
		ham_buf_addf(b, "  %s=%s\n", name, value ? value : "");
	}
	*first = false;
}

/* Lists the names set in section (and, with all, every known property). */
static int list_set(struct hactl_ctx *ctx, const char *section, const char *set_name,
		    const char *title, bool all)
{
	const struct ham_cib_property_info *p;
	ham_buf b = HAM_BUF_INIT;
	xmlNode *sec, *s, *nv;
	xmlDoc *doc;
	bool first = true;
	int rc;

	if ((rc = hactl_config_read(ctx, &doc)) != HAM_EXIT_OK)
		return rc;
	sec = section_of(doc, section);
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_addf(&b, "{\"%s\":[", section);
	else if (ctx->output == HACTL_OUTPUT_XML)
		ham_buf_addf(&b, "<%s>\n", section);
	else
		ham_buf_addf(&b, "%s:\n", title);
	for (s = sec ? sec->children : NULL; s; s = s->next) {
		if (!ham_xml_is(s, set_name))
			continue;
		for (nv = s->children; nv; nv = nv->next) {
			const char *name = ham_xml_attr(nv, "name", NULL);

			if (!ham_xml_is(nv, "nvpair") || name == NULL ||
			    set_value(sec, set_name, name) != ham_xml_attr(nv, "value", ""))
				continue; /* a later set's repeat of a name does not apply */
			p = all ? ham_cib_property_info(name) : NULL;
			list_entry(ctx, &b, &first, name, ham_xml_attr(nv, "value", ""),
				   p ? p->default_value : NULL, p ? p->description : NULL);
		}
	}
	for (p = all ? ham_cib_property_infos() : NULL; p && p->name; p++)
		if (set_value(sec, set_name, p->name) == NULL)
			list_entry(ctx, &b, &first, p->name, NULL, p->default_value,
				   p->description);
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "]}\n");
	else if (ctx->output == HACTL_OUTPUT_XML)
		ham_buf_addf(&b, "</%s>\n", section);
	else if (first)
		ham_buf_add(&b, "  (none set)\n");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

static void property_usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl [-f FILE] property set NAME=VALUE... [--force]\n"
		"       hactl [-f FILE] property unset NAME...\n"
		"       hactl [-f FILE] property list [--all]\n"
		"\n"
		"set    set cluster properties (crm_config); an unknown name is refused\n"
		"       unless --force, a bad value always; an empty VALUE unsets\n"
		"unset  remove them (their defaults apply again)\n"
		"list   the properties set; --all: every property hamgr knows, with its\n"
		"       default and what it does\n");
}

int hactl_cmd_property(struct hactl_ctx *ctx, int argc, char **argv)
{
	ham_buf e = HAM_BUF_INIT;
	int rc;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: set, unset or list");
	if (ham_streq(argv[1], "-h") || ham_streq(argv[1], "--help")) {
		property_usage(stdout);
		return HAM_EXIT_OK;
	}
	if (ham_streq(argv[1], "list")) {
		bool all = argc == 3 && ham_streq(argv[2], "--all");

		if (argc > 2 + all)
			return hactl_usage_error(ctx, "'property list' takes only --all");
		return list_set(ctx, "crm_config", "cluster_property_set", "Cluster properties",
				all);
	}
	if (!ham_streq(argv[1], "set") && !ham_streq(argv[1], "unset"))
		return hactl_usage_error(ctx, "unknown subcommand '%s': expected set, unset or list",
					 argv[1]);
	rc = property_edits(ctx, "crm_config", argc - 2, argv + 2, ham_streq(argv[1], "unset"),
			    ham_streq(argv[1], "set"), &e);
	if (rc == HAM_EXIT_OK)
		rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, argv[1], "crm_config");
	ham_buf_free(&e);
	return rc;
}

int hactl_resource_defaults(struct hactl_ctx *ctx, int argc, char **argv)
{
	/* resource defaults [set NAME=VALUE...] | resource op defaults [set NAME=VALUE...] */
	bool op = ham_streq(argv[1], "op");
	const char *section = op ? "op_defaults" : "rsc_defaults";
	int k = op ? 3 : 2, rc;
	ham_buf e = HAM_BUF_INIT;

	if (op && (argc < 3 || !ham_streq(argv[2], "defaults")))
		return hactl_usage_error(ctx, "expected 'resource op defaults [set NAME=VALUE...]'");
	if (argc == k)
		return list_set(ctx, section, "meta_attributes",
				op ? "Operation defaults" : "Resource defaults", false);
	if (!ham_streq(argv[k], "set"))
		return hactl_usage_error(ctx, "unknown subcommand '%s': expected set", argv[k]);
	rc = property_edits(ctx, section, argc - k - 1, argv + k + 1, false, false, &e);
	if (rc == HAM_EXIT_OK)
		rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, "defaults set", section);
	ham_buf_free(&e);
	return rc;
}

static bool first_child_el(xmlNode *n)
{
	xmlNode *k;

	for (k = n->children; k; k = k->next)
		if (k->type == XML_ELEMENT_NODE)
			return true;
	return false;
}

/* ---- constraints ---------------------------------------------------------------- */

static void constraint_usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl [-f FILE] constraint location RSC prefers NODE[=SCORE]...\n"
		"       hactl [-f FILE] constraint location RSC avoids NODE[=SCORE]...\n"
		"       hactl [-f FILE] constraint colocation add RSC with OTHER [SCORE]\n"
		"       hactl [-f FILE] constraint order [ACTION] FIRST then [ACTION] THEN\n"
		"                       [kind=Mandatory|Optional|Serialize]\n"
		"       hactl [-f FILE] constraint list\n"
		"       hactl [-f FILE] constraint delete ID\n"
		"\n"
		"location    RSC prefers NODE with SCORE (default INFINITY), or avoids it\n"
		"            (score -SCORE, default -INFINITY)\n"
		"colocation  RSC runs where OTHER runs (SCORE default INFINITY; negative:\n"
		"            apart)\n"
		"order       THEN's ACTION after FIRST's (ACTION: start (default), stop,\n"
		"            promote, demote)\n"
		"list        every constraint (--output json|xml for scripts)\n"
		"delete      remove the constraint ID\n"
		"\n"
		"Each is checked with every rule of 'hactl verify' (unknown resources,\n"
		"scores) before anything changes.\n");
}

static int constraint_location(struct hactl_ctx *ctx, int argc, char **argv, ham_buf *e)
{
	bool avoids;
	char *err = NULL;
	int i, rc;

	if (argc < 5 || (!ham_streq(argv[3], "prefers") && !ham_streq(argv[3], "avoids")))
		return hactl_usage_error(ctx, "expected 'constraint location RSC prefers|avoids "
					 "NODE[=SCORE]...'");
	avoids = ham_streq(argv[3], "avoids");
	for (i = 4; i < argc; i++) {
		const char *eq = strchr(argv[i], '=');
		char *node = eq ? ham_strndup(argv[i], (size_t)(eq - argv[i])) : ham_strdup(argv[i]);
		char *score;

		if (eq && (eq[1] == '\0' || eq[1] == '-' || eq[1] == '+'))
			score = ham_strdup("?");
		else if (eq)
			score = ham_asprintf("%s%s", avoids ? "-" : "", eq + 1);
		else
			score = ham_strdup(avoids ? "-INFINITY" : "INFINITY");
		if (ham_streq(score, "?")) {
			rc = hactl_usage_error(ctx, "'%s': SCORE is a non-negative integer or INFINITY "
					       "(avoids makes it negative)", argv[i]);
			free(node);
			free(score);
			return rc;
		}
		rc = ham_cib_edit_location(argv[2], node, score, e, &err);
		free(node);
		free(score);
		if (rc < 0) {
			rc = hactl_usage_error(ctx, "%s", err);
			free(err);
			return rc;
		}
	}
	return HAM_EXIT_OK;
}

static int constraint_colocation(struct hactl_ctx *ctx, int argc, char **argv, ham_buf *e)
{
	char *err = NULL;
	int rc;

	if (argc < 6 || argc > 7 || !ham_streq(argv[2], "add") || !ham_streq(argv[4], "with"))
		return hactl_usage_error(ctx, "expected 'constraint colocation add RSC with OTHER "
					 "[SCORE]'");
	if (ham_cib_edit_colocation(argv[3], argv[5], argc == 7 ? argv[6] : NULL, e, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		free(err);
		return rc;
	}
	return HAM_EXIT_OK;
}

static int constraint_order(struct hactl_ctx *ctx, int argc, char **argv, ham_buf *e)
{
	const char *fa = NULL, *first, *ta = NULL, *then, *kind = NULL;
	char *err = NULL;
	int i = 2, rc;

	/* [ACTION] FIRST then [ACTION] THEN [kind=K] */
	if (argc > i + 1 && !ham_streq(argv[i + 1], "then"))
		fa = argv[i++];
	if (argc <= i + 2 || !ham_streq(argv[i + 1], "then"))
		return hactl_usage_error(ctx, "expected 'constraint order [ACTION] FIRST then "
					 "[ACTION] THEN [kind=KIND]'");
	first = argv[i];
	i += 2;
	if (argc > i + 1 && strncmp(argv[i + 1], "kind=", 5) != 0)
		ta = argv[i++];
	then = argv[i++];
	if (i < argc) {
		if (strncmp(argv[i], "kind=", 5) != 0 || i + 1 != argc)
			return hactl_usage_error(ctx, "'%s': after THEN only kind=KIND", argv[i]);
		kind = argv[i] + 5;
	}
	if (ham_cib_edit_order(fa, first, ta, then, kind, e, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		free(err);
		return rc;
	}
	return HAM_EXIT_OK;
}

static const char *const cons_attrs[] = { "rsc", "with-rsc", "node", "score", "role",
					  "first", "first-action", "then", "then-action", "kind",
					  "symmetrical", "rsc-role", "with-rsc-role", NULL };

static int constraint_list(struct hactl_ctx *ctx, int argc)
{
	ham_buf b = HAM_BUF_INIT;
	xmlNode *cons, *k;
	xmlDoc *doc;
	bool first = true;
	int rc;
	size_t i;

	if (argc != 2)
		return hactl_usage_error(ctx, "'constraint list' takes no arguments");
	if ((rc = hactl_config_read(ctx, &doc)) != HAM_EXIT_OK)
		return rc;
	cons = section_of(doc, "constraints");
	if (ctx->output == HACTL_OUTPUT_XML) {
		xmlBuffer *xb = xmlBufferCreate();

		if (cons)
			xmlNodeDump(xb, doc, cons, 0, 1);
		printf("%s\n", cons ? (const char *)xmlBufferContent(xb) : "<constraints/>");
		xmlBufferFree(xb);
		xmlFreeDoc(doc);
		return HAM_EXIT_OK;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "{\"constraints\":[");
	for (k = cons ? cons->children : NULL; k; k = k->next) {
		if (k->type != XML_ELEMENT_NODE)
			continue;
		if (ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf_add(&b, first ? "{\"type\":" : ",{\"type\":");
			ham_buf_add_json(&b, (const char *)k->name);
			ham_buf_add(&b, ",\"id\":");
			ham_buf_add_json(&b, ham_xml_attr(k, "id", ""));
			for (i = 0; cons_attrs[i]; i++)
				if (ham_xml_attr(k, cons_attrs[i], NULL)) {
					ham_buf_addf(&b, ",\"%s\":", cons_attrs[i]);
					ham_buf_add_json(&b, ham_xml_attr(k, cons_attrs[i], NULL));
				}
			ham_buf_addf(&b, ",\"has_sets_or_rules\":%s}", first_child_el(k) ? "true"
											 : "false");
		} else if (ham_xml_is(k, "rsc_location")) {
			ham_buf_addf(&b, "  location %s: %s %s %s (score %s)%s\n",
				     ham_xml_attr(k, "id", ""), ham_xml_attr(k, "rsc", "(set)"),
				     ham_xml_attr(k, "score", "0")[0] == '-' ? "avoids" : "prefers",
				     ham_xml_attr(k, "node", "(rule)"), ham_xml_attr(k, "score", "-"),
				     ham_xml_attr(k, "role", NULL) ? " role" : "");
		} else if (ham_xml_is(k, "rsc_colocation")) {
			ham_buf_addf(&b, "  colocation %s: %s with %s (score %s)\n",
				     ham_xml_attr(k, "id", ""), ham_xml_attr(k, "rsc", "(set)"),
				     ham_xml_attr(k, "with-rsc", "(set)"), ham_xml_attr(k, "score", "-"));
		} else if (ham_xml_is(k, "rsc_order")) {
			ham_buf_addf(&b, "  order %s: %s %s then %s %s (%s)\n",
				     ham_xml_attr(k, "id", ""), ham_xml_attr(k, "first-action", "start"),
				     ham_xml_attr(k, "first", "(set)"),
				     ham_xml_attr(k, "then-action", "start"),
				     ham_xml_attr(k, "then", "(set)"),
				     ham_xml_attr(k, "kind", "Mandatory"));
		} else {
			ham_buf_addf(&b, "  %s %s\n", (const char *)k->name, ham_xml_attr(k, "id", ""));
		}
		first = false;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "]}\n");
	else if (first)
		ham_buf_add(&b, "  (no constraints)\n");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

int hactl_cmd_constraint(struct hactl_ctx *ctx, int argc, char **argv)
{
	ham_buf e = HAM_BUF_INIT;
	int rc, j;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: location, colocation, order, "
					 "list or delete");
	for (j = 1; j < argc; j++)
		if (ham_streq(argv[j], "-h") || ham_streq(argv[j], "--help")) {
			constraint_usage(stdout);
			return HAM_EXIT_OK;
		}
	if (ham_streq(argv[1], "list"))
		return constraint_list(ctx, argc);
	if (ham_streq(argv[1], "location"))
		rc = constraint_location(ctx, argc, argv, &e);
	else if (ham_streq(argv[1], "colocation"))
		rc = constraint_colocation(ctx, argc, argv, &e);
	else if (ham_streq(argv[1], "order"))
		rc = constraint_order(ctx, argc, argv, &e);
	else if (ham_streq(argv[1], "delete")) {
		if (argc != 3)
			return hactl_usage_error(ctx, "'constraint delete' takes one constraint id");
		ham_cib_edit_delete(argv[2], "constraint", &e);
		rc = HAM_EXIT_OK;
	} else
		return hactl_usage_error(ctx, "unknown subcommand '%s'", argv[1]);
	if (rc == HAM_EXIT_OK)
		rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, argv[1], argc > 2 ? argv[2] : "");
	ham_buf_free(&e);
	return rc;
}

/* ---- groups, clones ---------------------------------------------------------------- */

int hactl_resource_group(struct hactl_ctx *ctx, int argc, char **argv)
{
	ham_buf e = HAM_BUF_INIT;
	char *err = NULL;
	bool add;
	int i, rc;

	if (argc < 5 || (!ham_streq(argv[2], "add") && !ham_streq(argv[2], "remove")))
		return hactl_usage_error(ctx, "expected 'resource group add|remove GROUP ID...'");
	add = ham_streq(argv[2], "add");
	for (i = 4; i < argc; i++)
		if (argv[i][0] == '-')
			return hactl_usage_error(ctx, "no option '%s' here", argv[i]);
	rc = add ? ham_cib_edit_group_add(argv[3], (const char *const *)argv + 4,
					  (size_t)(argc - 4), &e, &err)
		 : ham_cib_edit_group_remove(argv[3], (const char *const *)argv + 4,
					     (size_t)(argc - 4), &e, &err);
	if (rc < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		free(err);
		ham_buf_free(&e);
		return rc;
	}
	rc = hactl_config_apply(ctx, &e);
	ham_buf_free(&e);
	return rc == HAM_EXIT_OK ? applied(ctx, add ? "group add" : "group remove", argv[3]) : rc;
}

/* resource clone ID [meta] [NAME=VALUE]..., resource promotable ID ... */
int hactl_resource_clone(struct hactl_ctx *ctx, int argc, char **argv)
{
	bool promotable = ham_streq(argv[1], "promotable");
	struct ham_cib_nv *meta = NULL;
	ham_buf e = HAM_BUF_INIT;
	char *err = NULL;
	size_t n = 0, j;
	int i, rc;

	if (argc < 3 || argv[2][0] == '-')
		return hactl_usage_error(ctx, "'resource %s' needs a resource id", argv[1]);
	for (i = 3; i < argc; i++) {
		struct ham_cib_nv nv;

		if (i == 3 && ham_streq(argv[i], "meta"))
			continue;
		if (hactl_nv_split(argv[i], &nv) < 0) {
			rc = hactl_usage_error(ctx, "'%s' is not NAME=VALUE", argv[i]);
			goto out;
		}
		meta = ham_reallocarray(meta, n + 1, sizeof(*meta));
		meta[n++] = nv;
	}
	if (ham_cib_edit_clone(argv[2], meta, n, promotable, &e, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		goto out;
	}
	rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, argv[1], argv[2]);
out:
	for (j = 0; j < n; j++)
		free((char *)meta[j].name);
	free(meta);
	free(err);
	ham_buf_free(&e);
	return rc;
}

/* ---- stonith ------------------------------------------------------------------------ */

static void stonith_usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl [-f FILE] stonith create ID AGENT [NAME=VALUE]... [op ACTION\n"
		"             [NAME=VALUE]...]... [meta [NAME=VALUE]...] [--disabled] [--force]\n"
		"       hactl stonith list\n"
		"       hactl stonith fence NODE [--timeout DURATION]\n"
		"       hactl stonith confirm NODE\n"
		"       hactl stonith history [NODE]\n"
		"\n"
		"create  add a fence device: a primitive of class stonith running the fence\n"
		"        agent AGENT (fence_xvm, or stonith:fence_xvm), its parameters checked\n"
		"        against the agent's meta-data where it is installed (pcmk_*\n"
		"        parameters are the cluster's own and always accepted)\n"
		"list    the fence agents installed on this node\n"
		"fence   have the cluster fence NODE, a member: the DC fences it with the\n"
		"        configured devices and the cluster's stonith-action, records the\n"
		"        result as any fencing, and the command waits for that result\n"
		"        (--timeout, default 120s: exit 124) and reports it (exit 1: failed,\n"
		"        the cluster keeps trying)\n"
		"confirm the operator's word that NODE is down (as stonith_admin --confirm):\n"
		"        recorded as a manual fencing, the cluster then takes NODE as safely\n"
		"        down and recovers what it ran. Refused for a node in the membership.\n"
		"        Confirming a node that is NOT down risks running its resources twice.\n"
		"history the fencing actions recorded since this node's hamgrd started:\n"
		"        target, action, result, device, origin, time\n");
}

int hactl_cmd_stonith(struct hactl_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: create, list, fence, confirm or "
					 "history");
	if (ham_streq(argv[1], "-h") || ham_streq(argv[1], "--help")) {
		stonith_usage(stdout);
		return HAM_EXIT_OK;
	}
	if (ham_streq(argv[1], "create")) {
		char *agent;
		int rc;

		if (argc < 4 || argv[2][0] == '-' || argv[3][0] == '-')
			return hactl_usage_error(ctx, "'stonith create' needs an id and a fence agent");
		agent = strncmp(argv[3], "stonith:", 8) == 0 ? ham_strdup(argv[3])
							    : ham_asprintf("stonith:%s", argv[3]);
		rc = create_common(ctx, argv[2], agent, argc - 4, argv + 4, false, "stonith create");
		free(agent);
		return rc;
	}
	if (ham_streq(argv[1], "fence") || ham_streq(argv[1], "confirm") ||
	    ham_streq(argv[1], "history")) {
		if (ctx->cib_file)
			return hactl_usage_error(ctx, "-f FILE does not apply to 'stonith %s': it acts "
						 "on the running cluster", argv[1]);
		return ham_streq(argv[1], "fence")   ? hactl_stonith_fence(ctx, argc - 1, argv + 1) :
		       ham_streq(argv[1], "confirm") ? hactl_stonith_confirm(ctx, argc - 1, argv + 1) :
						       hactl_stonith_history(ctx, argc - 1, argv + 1);
	}
	if (ham_streq(argv[1], "list")) {
		struct ham_exec_options o = { .max_concurrent = 1 };
		const char *fence = getenv("HAMGR_FENCE_DIR");
		qb_loop_t *loop;
		ham_exec *e;
		char **v = NULL, **p;
		ham_buf b = HAM_BUF_INIT;
		int r;

		if (argc != 2)
			return hactl_usage_error(ctx, "'stonith list' takes no arguments");
		if (ctx->cib_file)
			return hactl_usage_error(ctx, "-f FILE does not apply to 'stonith list'");
		if (fence && *fence)
			o.fence_dir = fence;
		loop = qb_loop_create();
		e = ham_exec_new(loop, &o);
		r = ham_exec_list_agents(e, HAM_AGENT_STONITH, NULL, &v);
		ham_exec_free(e);
		qb_loop_destroy(loop);
		if (r < 0) {
			hactl_err(ctx, "cannot list the fence agents: %s", ham_strerror(r));
			return ham_exit_status(r);
		}
		if (ctx->output == HACTL_OUTPUT_JSON)
			ham_buf_add(&b, "{\"agents\":[");
		else if (ctx->output == HACTL_OUTPUT_XML)
			ham_buf_add(&b, "<agents>\n");
		for (p = v; p && *p; p++) {
			if (ctx->output == HACTL_OUTPUT_JSON) {
				ham_buf_add(&b, p == v ? "" : ",");
				ham_buf_add_json(&b, *p);
			} else if (ctx->output == HACTL_OUTPUT_XML) {
				ham_buf_add(&b, "  <agent name=\"");
				ham_buf_add_xml(&b, *p);
				ham_buf_add(&b, "\"/>\n");
			} else {
				ham_buf_addf(&b, "%s\n", *p);
			}
		}
		if (ctx->output == HACTL_OUTPUT_JSON)
			ham_buf_add(&b, "]}\n");
		else if (ctx->output == HACTL_OUTPUT_XML)
			ham_buf_add(&b, "</agents>\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
		ham_strv_free(v);
		return HAM_EXIT_OK;
	}
	return hactl_usage_error(ctx, "unknown subcommand '%s': expected create, list, fence, "
				 "confirm or history", argv[1]);
}

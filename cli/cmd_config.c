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
};

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
		       const struct ham_cib_nv *params, size_t n_params, bool update)
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
	char *err = NULL;
	int rc;

	if (hactl_rsc_args_parse(argc, argv, allow_group, &a, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		free(err);
		return rc;
	}
	a.spec.id = id;
	a.spec.agent = agent;
	if (ham_cib_edit_rsc_create(&a.spec, &e, &err) < 0) {
		rc = hactl_usage_error(ctx, "%s", err);
		goto out;
	}
	if (!a.force && (rc = check_agent(ctx, agent, a.params, a.n_params, false)) != HAM_EXIT_OK)
		goto out;
	rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK)
		rc = applied(ctx, what, id);
out:
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
		if (agent && (rc = check_agent(ctx, agent, a.params, a.n_params, true)) != HAM_EXIT_OK)
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

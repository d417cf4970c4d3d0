/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hactl agent list|describe|run: the executor from the command line, on a
 * private qb_loop, for debugging agents locally without a cluster.
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hamgr/exec.h>

#include "hactl.h"

static void agent_help(void)
{
	printf("Usage:\n"
	       "  hactl agent list [CLASS[:PROVIDER]]\n"
	       "  hactl agent describe CLASS:[PROVIDER:]TYPE\n"
	       "  hactl agent run CLASS:[PROVIDER:]TYPE ACTION [--param NAME=VALUE]...\n"
	       "                  [--meta NAME=VALUE]... [--timeout DURATION] [--id RESOURCE]\n"
	       "                  [--target NODE] [--no-validate]\n"
	       "\n"
	       "Classes: ocf, systemd, lsb, stonith (fence agents). OCF agents are found under\n"
	       "$OCF_ROOT/resource.d (default /usr/lib/ocf), LSB scripts in /etc/init.d\n"
	       "($HAMGR_LSB_DIR), fence agents in /usr/sbin ($HAMGR_FENCE_DIR). systemd is\n"
	       "reached on the system bus, or at the sd-bus address in $HAMGR_SYSTEMD_BUS\n"
	       "(e.g. unix:path=/run/systemd/private).\n"
	       "\n"
	       "'run' executes one action locally, as the cluster would, and exits with the\n"
	       "agent's OCF result code (0-9, 190, 191; other classes mapped onto OCF);\n"
	       "124 if it timed out (default timeout 20 s; DURATION in seconds or with a unit\n"
	       "such as 500ms), 6 if parameters fail the agent's meta-data (not configured),\n"
	       "5 if the agent is not installed, 1 if it could not be run at all.\n"
	       "Fence agents take the node to act on with --target; pcmk_host_map and\n"
	       "pcmk_host_list parameters map it to a port.\n");
}

static struct ham_exec_options exec_options(void)
{
	struct ham_exec_options o = { 0 };
	const char *bus = getenv("HAMGR_SYSTEMD_BUS");
	const char *fence = getenv("HAMGR_FENCE_DIR");
	const char *lsb = getenv("HAMGR_LSB_DIR");

	if (bus != NULL && *bus)
		o.systemd_bus = bus;
	if (fence != NULL && *fence)
		o.fence_dir = fence;
	if (lsb != NULL && *lsb)
		o.lsb_dir = lsb;
	o.max_concurrent = 1;
	o.output_cap = 1024 * 1024;
	return o;
}

/* ------------------------------------------------------------------ */
/* list                                                                */
/* ------------------------------------------------------------------ */

static int cmd_list(struct hactl_ctx *ctx, int argc, char **argv)
{
	qb_loop_t *loop;
	ham_exec *e;
	struct ham_exec_options o = exec_options();
	enum ham_agent_class classes[HAM_AGENT_CLASS_MAX];
	size_t nc = 0, i;
	char *provider = NULL;
	bool first = true;
	int status = HAM_EXIT_OK;

	if (argc > 2)
		return hactl_usage_error(ctx, "list takes at most one argument: CLASS[:PROVIDER]");
	if (argc == 2) {
		char *c = ham_strdup(argv[1]), *colon = strchr(c, ':');

		if (colon != NULL) {
			*colon = '\0';
			provider = ham_strdup(colon + 1);
		}
		classes[0] = ham_agent_class_from_str(c);
		free(c);
		if (classes[0] == HAM_AGENT_CLASS_INVALID ||
		    (provider != NULL && classes[0] != HAM_AGENT_OCF)) {
			free(provider);
			return hactl_usage_error(ctx, "invalid class '%s': expected ocf[:PROVIDER], "
						 "systemd, lsb or stonith", argv[1]);
		}
		nc = 1;
	} else {
		classes[nc++] = HAM_AGENT_OCF;
		classes[nc++] = HAM_AGENT_LSB;
		classes[nc++] = HAM_AGENT_STONITH;
		classes[nc++] = HAM_AGENT_SYSTEMD;
	}
	loop = qb_loop_create();
	e = ham_exec_new(loop, &o);
	if (ctx->output == HACTL_OUTPUT_JSON)
		printf("{\"agents\":[");
	else if (ctx->output == HACTL_OUTPUT_XML)
		printf("<agents>\n");
	for (i = 0; i < nc; i++) {
		char **v = NULL, **p;
		int r = ham_exec_list_agents(e, classes[i], provider, &v);

		if (r < 0) {
			/* listing systemd without a bus is not an error unless asked for */
			if (nc == 1) {
				hactl_err(ctx, "cannot list %s agents: %s", ham_agent_class_str(classes[i]),
					  ham_strerror(r));
				status = HAM_EXIT_ERROR;
			}
			continue;
		}
		for (p = v; *p; p++) {
			ham_buf b = HAM_BUF_INIT;

			if (ctx->output == HACTL_OUTPUT_JSON) {
				ham_buf_add_json(&b, *p);
				printf("%s%s", first ? "" : ",", ham_buf_str(&b));
			} else if (ctx->output == HACTL_OUTPUT_XML) {
				ham_buf_add_xml(&b, *p);
				printf("  <agent name=\"%s\"/>\n", ham_buf_str(&b));
			} else {
				printf("%s\n", *p);
			}
			first = false;
			ham_buf_free(&b);
		}
		ham_strv_free(v);
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		printf("]}\n");
	else if (ctx->output == HACTL_OUTPUT_XML)
		printf("</agents>\n");
	ham_exec_free(e);
	qb_loop_destroy(loop);
	free(provider);
	return status;
}

/* ------------------------------------------------------------------ */
/* describe                                                            */
/* ------------------------------------------------------------------ */

struct describe_state {
	qb_loop_t *loop;
	struct hactl_ctx *ctx;
	int status;
};

static void print_meta_text(const ham_agent_meta *m)
{
	size_t i;

	printf("%s%s%s\n", m->name ? m->name : "(unnamed)", m->shortdesc ? ": " : "",
	       m->shortdesc ? m->shortdesc : "");
	if (m->version)
		printf("version: %s\n", m->version);
	if (m->longdesc)
		printf("\n%s\n", m->longdesc);
	printf("\nParameters:\n");
	for (i = 0; i < m->n_params; i++) {
		const ham_agent_param *p = &m->params[i];

		printf("  %s (%s%s%s%s)%s%s\n", p->name, p->type_name ? p->type_name : "string",
		       p->required ? ", required" : "", p->unique ? ", unique" : "",
		       p->deprecated ? ", deprecated" : "", p->shortdesc ? ": " : "",
		       p->shortdesc ? p->shortdesc : "");
		if (p->default_value != NULL && *p->default_value)
			printf("      default: %s\n", p->default_value);
		if (p->options != NULL) {
			char **o;

			printf("      one of:");
			for (o = p->options; *o; o++)
				printf(" %s", *o);
			printf("\n");
		}
	}
	printf("\nActions:\n");
	for (i = 0; i < m->n_actions; i++) {
		const ham_agent_action *a = &m->actions[i];

		printf("  %s", a->name ? a->name : "?");
		if (a->timeout_ms)
			printf(" timeout=%" PRIu64 "ms", a->timeout_ms);
		if (a->interval_ms)
			printf(" interval=%" PRIu64 "ms", a->interval_ms);
		if (a->role)
			printf(" role=%s", a->role);
		printf("\n");
	}
}

static void print_meta_json(const ham_agent_meta *m)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i;

	ham_buf_add(&b, "{\"name\":");
	ham_buf_add_json(&b, m->name);
	ham_buf_add(&b, ",\"version\":");
	ham_buf_add_json(&b, m->version);
	ham_buf_add(&b, ",\"shortdesc\":");
	ham_buf_add_json(&b, m->shortdesc);
	ham_buf_add(&b, ",\"longdesc\":");
	ham_buf_add_json(&b, m->longdesc);
	ham_buf_add(&b, ",\"parameters\":[");
	for (i = 0; i < m->n_params; i++) {
		const ham_agent_param *p = &m->params[i];

		ham_buf_add(&b, i ? ",{\"name\":" : "{\"name\":");
		ham_buf_add_json(&b, p->name);
		ham_buf_add(&b, ",\"type\":");
		ham_buf_add_json(&b, p->type_name ? p->type_name : "string");
		ham_buf_addf(&b, ",\"required\":%s,\"unique\":%s,\"deprecated\":%s,\"default\":",
			     p->required ? "true" : "false", p->unique ? "true" : "false",
			     p->deprecated ? "true" : "false");
		ham_buf_add_json(&b, p->default_value);
		ham_buf_add(&b, ",\"shortdesc\":");
		ham_buf_add_json(&b, p->shortdesc);
		ham_buf_add(&b, "}");
	}
	ham_buf_add(&b, "],\"actions\":[");
	for (i = 0; i < m->n_actions; i++) {
		const ham_agent_action *a = &m->actions[i];

		ham_buf_add(&b, i ? ",{\"name\":" : "{\"name\":");
		ham_buf_add_json(&b, a->name);
		ham_buf_addf(&b, ",\"timeout_ms\":%" PRIu64 ",\"interval_ms\":%" PRIu64 "}",
			     a->timeout_ms, a->interval_ms);
	}
	ham_buf_add(&b, "]}");
	printf("%s\n", ham_buf_str(&b));
	ham_buf_free(&b);
}

static void xml_attr(ham_buf *b, const char *name, const char *v)
{
	if (v == NULL)
		return;
	ham_buf_addf(b, " %s=\"", name);
	ham_buf_add_xml(b, v);
	ham_buf_add(b, "\"");
}

/* Our own summary of the meta-data (not the agent's raw XML). */
static void print_meta_xml(const ham_agent_meta *m)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i;

	ham_buf_add(&b, "<agent");
	xml_attr(&b, "name", m->name);
	xml_attr(&b, "version", m->version);
	xml_attr(&b, "shortdesc", m->shortdesc);
	ham_buf_add(&b, ">\n");
	for (i = 0; i < m->n_params; i++) {
		const ham_agent_param *p = &m->params[i];

		ham_buf_add(&b, "  <parameter");
		xml_attr(&b, "name", p->name);
		xml_attr(&b, "type", p->type_name ? p->type_name : "string");
		ham_buf_addf(&b, " required=\"%s\" unique=\"%s\"", p->required ? "true" : "false",
			     p->unique ? "true" : "false");
		xml_attr(&b, "default", p->default_value);
		xml_attr(&b, "shortdesc", p->shortdesc);
		ham_buf_add(&b, "/>\n");
	}
	for (i = 0; i < m->n_actions; i++) {
		ham_buf_add(&b, "  <action");
		xml_attr(&b, "name", m->actions[i].name);
		ham_buf_addf(&b, " timeout-ms=\"%" PRIu64 "\" interval-ms=\"%" PRIu64 "\"/>\n",
			     m->actions[i].timeout_ms, m->actions[i].interval_ms);
	}
	ham_buf_add(&b, "</agent>");
	printf("%s\n", ham_buf_str(&b));
	ham_buf_free(&b);
}

static void described(int r, const ham_agent_meta *m, const char *msg, void *user)
{
	struct describe_state *st = user;

	qb_loop_stop(st->loop);
	if (r < 0) {
		hactl_err(st->ctx, "cannot read meta-data: %s", msg ? msg : ham_strerror(r));
		st->status = r == -ENOENT ? HAM_EXIT_NOT_FOUND : HAM_EXIT_ERROR;
		return;
	}
	if (st->ctx->output == HACTL_OUTPUT_JSON)
		print_meta_json(m);
	else if (st->ctx->output == HACTL_OUTPUT_XML)
		print_meta_xml(m);
	else
		print_meta_text(m);
	st->status = HAM_EXIT_OK;
}

static int cmd_describe(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct ham_exec_options o = exec_options();
	struct describe_state st = { 0 };
	ham_agent_spec spec;
	ham_exec *e;
	int r;

	if (argc != 2)
		return hactl_usage_error(ctx, "describe takes one agent: CLASS:[PROVIDER:]TYPE");
	if (ham_agent_spec_parse(argv[1], &spec) < 0)
		return hactl_usage_error(ctx, "invalid agent '%s': expected CLASS:[PROVIDER:]TYPE "
					 "such as ocf:heartbeat:Dummy", argv[1]);
	st.loop = qb_loop_create();
	st.ctx = ctx;
	st.status = HAM_EXIT_ERROR;
	e = ham_exec_new(st.loop, &o);
	r = ham_exec_get_meta(e, &spec, described, &st);
	if (r == -EOPNOTSUPP) {
		hactl_err(ctx, "%s agents have no meta-data", ham_agent_class_str(spec.cls));
	} else if (r < 0) {
		hactl_err(ctx, "cannot read meta-data of %s: %s", argv[1], ham_strerror(r));
	} else {
		qb_loop_run(st.loop);
	}
	ham_exec_free(e);
	qb_loop_destroy(st.loop);
	ham_agent_spec_clear(&spec);
	return st.status;
}

/* ------------------------------------------------------------------ */
/* run                                                                 */
/* ------------------------------------------------------------------ */

struct run_state {
	qb_loop_t *loop;
	struct hactl_ctx *ctx;
	const char *agent;
	const char *action;
	int status;
};

static void print_stream(const char *name, const char *s, size_t len, bool trunc)
{
	if (len == 0)
		return;
	printf("--- %s%s ---\n%s%s", name, trunc ? " (truncated)" : "", s,
	       s[len - 1] == '\n' ? "" : "\n");
}

static void ran(ham_exec_op *op, const ham_exec_result *res, void *user)
{
	struct run_state *st = user;
	struct hactl_ctx *ctx = st->ctx;

	qb_loop_stop(st->loop);
	switch (res->status) {
	case HAM_EXEC_DONE:
	case HAM_EXEC_NOT_INSTALLED:
	case HAM_EXEC_INVALID:
		st->status = res->rc;
		break;
	case HAM_EXEC_TIMEOUT:
		st->status = HAM_EXIT_TIMEOUT;
		break;
	default:
		st->status = HAM_EXIT_ERROR;
		break;
	}
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "{\"agent\":");
		ham_buf_add_json(&b, st->agent);
		ham_buf_add(&b, ",\"action\":");
		ham_buf_add_json(&b, st->action);
		ham_buf_add(&b, ",\"status\":");
		ham_buf_add_json(&b, ham_exec_status_str(res->status));
		ham_buf_addf(&b, ",\"rc\":%d,\"rc_text\":", res->rc);
		ham_buf_add_json(&b, ham_ocf_rc_str(res->rc));
		ham_buf_addf(&b, ",\"exit_code\":%d,\"exit_status\":%d,\"duration_ms\":%" PRIu64
				 ",\"exit_reason\":",
			     res->exit_code, st->status, res->duration_ms);
		ham_buf_add_json(&b, res->exit_reason);
		ham_buf_add(&b, ",\"detail\":");
		ham_buf_add_json(&b, res->detail);
		ham_buf_add(&b, ",\"stdout\":");
		ham_buf_add_json(&b, res->out);
		ham_buf_addf(&b, ",\"stdout_truncated\":%s,\"stderr\":",
			     res->out_truncated ? "true" : "false");
		ham_buf_add_json(&b, res->err);
		ham_buf_addf(&b, ",\"stderr_truncated\":%s}", res->err_truncated ? "true" : "false");
		printf("%s\n", ham_buf_str(&b));
		ham_buf_free(&b);
		return;
	}
	if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "<result agent=\"");
		ham_buf_add_xml(&b, st->agent);
		ham_buf_add(&b, "\" action=\"");
		ham_buf_add_xml(&b, st->action);
		ham_buf_addf(&b, "\" status=\"%s\" rc=\"%d\" rc-text=\"%s\" exit-code=\"%d\" "
				 "exit-status=\"%d\" duration-ms=\"%" PRIu64 "\"",
			     ham_exec_status_str(res->status), res->rc, ham_ocf_rc_str(res->rc),
			     res->exit_code, st->status, res->duration_ms);
		if (res->exit_reason) {
			ham_buf_add(&b, " exit-reason=\"");
			ham_buf_add_xml(&b, res->exit_reason);
			ham_buf_add(&b, "\"");
		}
		if (res->detail) {
			ham_buf_add(&b, " detail=\"");
			ham_buf_add_xml(&b, res->detail);
			ham_buf_add(&b, "\"");
		}
		ham_buf_addf(&b, ">\n  <stdout truncated=\"%s\">", res->out_truncated ? "true" : "false");
		ham_buf_add_xml(&b, res->out);
		ham_buf_addf(&b, "</stdout>\n  <stderr truncated=\"%s\">",
			     res->err_truncated ? "true" : "false");
		ham_buf_add_xml(&b, res->err);
		ham_buf_add(&b, "</stderr>\n</result>");
		printf("%s\n", ham_buf_str(&b));
		ham_buf_free(&b);
		return;
	}
	printf("%s %s: %s, rc=%d (%s), %" PRIu64 " ms\n", st->agent, st->action,
	       ham_exec_status_str(res->status), res->rc, ham_ocf_rc_str(res->rc),
	       res->duration_ms);
	switch (ham_ocf_rc_severity(res->rc)) {
	case HAM_OCF_SEV_SOFT:
		printf("meaning: a soft failure: the cluster would recover it on this node\n");
		break;
	case HAM_OCF_SEV_HARD:
		printf("meaning: a hard failure: the cluster would not run it on this node again\n");
		break;
	case HAM_OCF_SEV_FATAL:
		printf("meaning: a fatal failure: the configuration is wrong, no node may run it\n");
		break;
	default:
		break;
	}
	if (res->exit_reason)
		printf("exit reason: %s\n", res->exit_reason);
	if (res->detail)
		printf("detail: %s\n", res->detail);
	print_stream("stdout", res->out, res->out_len, res->out_truncated);
	print_stream("stderr", res->err, res->err_len, res->err_truncated);
}

/* Ctrl-C or TERM: stop waiting; ham_exec_free() then kills the agent's group. */
static int32_t interrupted(int32_t sig, void *data)
{
	struct run_state *st = data;

	hactl_err(st->ctx, "interrupted by signal %d: killing the agent", sig);
	st->status = 128 + sig;
	qb_loop_stop(st->loop);
	return 0;
}

static int add_pair(struct hactl_ctx *ctx, const char *opt, const char *arg, ham_exec_param **v,
		    size_t *n)
{
	const char *eq = arg ? strchr(arg, '=') : NULL;

	if (eq == NULL || eq == arg)
		return hactl_usage_error(ctx, "%s needs NAME=VALUE, got '%s'", opt, arg ? arg : "");
	*v = ham_reallocarray(*v, *n + 1, sizeof(**v));
	(*v)[*n].name = ham_strndup(arg, (size_t)(eq - arg));
	(*v)[*n].value = eq + 1;
	(*n)++;
	return 0;
}

static void free_pairs(ham_exec_param *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i].name);
	free(v);
}

static int cmd_run(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct ham_exec_options o = exec_options();
	struct run_state st = { 0 };
	ham_exec_request req = { 0 };
	ham_exec_param *params = NULL, *meta = NULL;
	size_t np = 0, nm = 0;
	const char *spec_s = NULL, *action = NULL;
	ham_exec *e;
	int i, r, status = HAM_EXIT_USAGE;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = i + 1 < argc ? argv[i + 1] : NULL;

		if (strcmp(a, "--param") == 0 || strcmp(a, "-p") == 0) {
			if ((r = add_pair(ctx, a, val, &params, &np)) != 0)
				goto out;
			i++;
		} else if (strcmp(a, "--meta") == 0) {
			if ((r = add_pair(ctx, a, val, &meta, &nm)) != 0)
				goto out;
			i++;
		} else if (strcmp(a, "--timeout") == 0 || strcmp(a, "-t") == 0) {
			if (val == NULL || ham_parse_duration_ms(val, &req.timeout_ms) < 0 ||
			    req.timeout_ms == 0) {
				hactl_usage_error(ctx, "invalid --timeout '%s': expected a positive "
						  "duration such as 20 or 500ms", val ? val : "");
				goto out;
			}
			i++;
		} else if (strcmp(a, "--id") == 0 || strcmp(a, "--target") == 0) {
			if (val == NULL) {
				hactl_usage_error(ctx, "%s needs a value", a);
				goto out;
			}
			if (a[2] == 'i')
				req.rsc_id = val;
			else
				req.target = val;
			i++;
		} else if (strcmp(a, "--no-validate") == 0) {
			o.no_validate = true;
		} else if (a[0] == '-' && a[1] != '\0') {
			hactl_usage_error(ctx, "unknown option '%s'", a);
			goto out;
		} else if (spec_s == NULL) {
			spec_s = a;
		} else if (action == NULL) {
			action = a;
		} else {
			hactl_usage_error(ctx, "unexpected argument '%s'", a);
			goto out;
		}
	}
	if (spec_s == NULL || action == NULL) {
		hactl_usage_error(ctx, "run needs an agent and an action");
		goto out;
	}
	if (ham_agent_spec_parse(spec_s, &req.agent) < 0) {
		hactl_usage_error(ctx, "invalid agent '%s': expected CLASS:[PROVIDER:]TYPE such as "
				  "ocf:heartbeat:Dummy", spec_s);
		goto out;
	}
	req.action = action;
	req.params = params;
	req.n_params = np;
	req.meta = meta;
	req.n_meta = nm;

	st.loop = qb_loop_create();
	st.ctx = ctx;
	st.agent = spec_s;
	st.action = action;
	st.status = HAM_EXIT_ERROR;
	e = ham_exec_new(st.loop, &o);
	r = ham_exec_submit(e, &req, ran, &st, NULL);
	if (r < 0) {
		hactl_usage_error(ctx, "cannot run %s %s: %s (check parameter names%s)", spec_s,
				  action, ham_strerror(r),
				  req.agent.cls == HAM_AGENT_STONITH ? " and --target" : "");
		status = HAM_EXIT_USAGE;
	} else {
		qb_loop_signal_handle hint, hterm;

		qb_loop_signal_add(st.loop, QB_LOOP_HIGH, SIGINT, &st, interrupted, &hint);
		qb_loop_signal_add(st.loop, QB_LOOP_HIGH, SIGTERM, &st, interrupted, &hterm);
		qb_loop_run(st.loop);
		status = st.status;
	}
	ham_exec_free(e);
	qb_loop_destroy(st.loop);
	ham_agent_spec_clear(&req.agent);
out:
	free_pairs(params, np);
	free_pairs(meta, nm);
	return status;
}

int hactl_cmd_agent(struct hactl_ctx *ctx, int argc, char **argv)
{
	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: list, describe or run");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		agent_help();
		return HAM_EXIT_OK;
	}
	if (strcmp(argv[1], "list") == 0)
		return cmd_list(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "describe") == 0)
		return cmd_describe(ctx, argc - 1, argv + 1);
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(ctx, argc - 1, argv + 1);
	return hactl_usage_error(ctx, "unknown subcommand '%s': expected list, describe or run",
				 argv[1]);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_resource.c: `hactl resource ...`: the operator's resource
 * commands. list and show read the status; move, ban, clear, enable,
 * disable, cleanup and refresh are CIB edits the daemon applies atomically on every
 * node (HAM_IPC_CIB_MODIFY) with the constraint and attribute names of
 * Pacemaker's crm_resource; restart stops, waits, starts and waits.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <libxml/tree.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "cmd_config.h"
#include "config_args.h"
#include "hactl.h"
#include "hactl_ipc.h"

#define DEFAULT_RESTART_TIMEOUT_MS 60000
#define POLL_MS 250

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl resource list\n"
		"       hactl resource show RSC\n"
		"       hactl [-f FILE] resource move RSC [NODE] [--lifetime DURATION] [--promoted]\n"
		"             [--wait[=SECONDS]]\n"
		"       hactl [-f FILE] resource ban RSC [NODE] [--lifetime DURATION] [--promoted]\n"
		"       hactl [-f FILE] resource clear RSC [NODE] [--expired]\n"
		"       hactl resource enable|disable RSC\n"
		"       hactl resource restart RSC [--timeout DURATION]\n"
		"       hactl resource cleanup [RSC] [--node NODE]\n"
		"       hactl resource refresh [RSC] [--node NODE]\n"
		"       hactl [-f FILE] resource create ID CLASS:[PROVIDER:]TYPE [NAME=VALUE]...\n"
		"             [op ACTION [NAME=VALUE]...]... [meta [NAME=VALUE]...]\n"
		"             [--group GROUP] [--disabled] [--force]\n"
		"       hactl [-f FILE] resource update ID [NAME=VALUE]... [op ACTION [NAME=VALUE]...]...\n"
		"             [meta [NAME=VALUE]...] [--force]\n"
		"       hactl [-f FILE] resource delete ID [--timeout DURATION] [--force]\n"
		"       hactl [-f FILE] resource [op] defaults [set NAME=VALUE...]\n"
		"       hactl [-f FILE] resource group add|remove GROUP ID...\n"
		"       hactl [-f FILE] resource clone|promotable ID [meta] [NAME=VALUE]...\n"
		"\n"
		"list     every configured primitive: role, where it runs, failed or not\n"
		"show     one resource (a group or clone: its members) and its fail counts\n"
		"move     prefer NODE (location cli-prefer-RSC, score INFINITY); a ban of\n"
		"         RSC on NODE is lifted. Without NODE: ban RSC from the one node\n"
		"         where it runs now. --promoted: for the Promoted role only (without\n"
		"         NODE, away from where it is promoted). --wait: until it runs there\n"
		"         (or elsewhere), at most SECONDS (default 60; exit 124 after)\n"
		"ban      keep RSC off NODE (location cli-ban-RSC-on-NODE, -INFINITY);\n"
		"         NODE defaults to the one node where RSC runs now\n"
		"         --lifetime DURATION (move, ban): an ISO 8601 duration (PT10M, PT1H30M,\n"
		"         P1D, P1Y2M): the constraint holds a rule that stops counting then\n"
		"         (date_expression lt END); the cluster computes again at END and\n"
		"         removes the ended constraint\n"
		"clear    remove the constraints move and ban made (on NODE only, if given);\n"
		"         --expired: only those whose lifetime has ended\n"
		"enable   meta attribute target-role=Started\n"
		"disable  meta attribute target-role=Stopped\n"
		"restart  stop RSC, wait until it is stopped cluster-wide, restore its\n"
		"         target-role, wait until it runs again (default timeout 60s)\n"
		"cleanup  forget RSC's operation history and fail counts (on NODE, else on\n"
		"         every node): the cluster probes it again and recomputes. Without\n"
		"         RSC: every resource that failed, where it failed\n"
		"refresh  forget RSC's whole operation history and fail counts (without\n"
		"         RSC: every resource's; on NODE only with --node): the cluster\n"
		"         probes again what runs where\n"
		"create   add a primitive with its instance attributes, operations and meta\n"
		"         attributes (to GROUP, created if missing; --disabled: target-role=\n"
		"         Stopped), checked against the agent's meta-data where it is\n"
		"         installed (unknown and missing required parameters; --force skips)\n"
		"         and against every rule of 'hactl verify'; without a monitor op,\n"
		"         the one the agent's meta-data advertises is added\n"
		"update   set instance attributes and meta attributes (an empty VALUE\n"
		"         removes one); an op replaces the resource's ops of that ACTION\n"
		"delete   stop the resource (target-role=Stopped), wait until it is stopped\n"
		"         (default 60s; --force: do not stop it first), then remove it and\n"
		"         the constraints naming it (a group left empty goes too)\n"
		"defaults show or set resource (rsc_defaults) or operation (op_defaults)\n"
		"         meta attribute defaults; an empty VALUE removes one\n"
		"group    add primitives to GROUP (created if missing; a group they leave\n"
		"         empty goes), or remove them from it (an emptied group goes)\n"
		"clone    wrap a primitive or group in a clone ID-clone with these meta\n"
		"         attributes; promotable: with promotable=true\n"
		"\n"
		"With -f FILE, create, update, delete, move, ban and clear edit the CIB file\n"
		"FILE instead (written atomically; same checks, nothing is stopped; move and\n"
		"ban need the NODE). cleanup and refresh need a live cluster.\n"
		"\n"
		"Every change goes through the cluster and the command returns once it is\n"
		"applied on every node. An unknown resource or node changes nothing\n"
		"(exit status 4).\n");
}

/* ---- argument handling --------------------------------------------------- */

struct args {
	const char *pos[3];
	int n_pos;
	const char *node;       /* --node */
	const char *timeout;    /* --timeout */
};

/*
 * Splits argv (after the subcommand) into positional arguments and the
 * options this subcommand takes. Returns 0 or an exit status (printed).
 */
static int parse_args(struct hactl_ctx *ctx, int argc, char **argv, bool want_node,
		      bool want_timeout, int min_pos, int max_pos, struct args *ret)
{
	int i;

	memset(ret, 0, sizeof(*ret));
	for (i = 2; i < argc; i++) {
		const char *a = argv[i];
		const char **slot = NULL, *v = NULL;

		if (want_node && (strcmp(a, "--node") == 0 || strcmp(a, "-N") == 0))
			slot = &ret->node;
		else if (want_node && strncmp(a, "--node=", 7) == 0)
			slot = &ret->node, v = a + 7;
		else if (want_timeout && strcmp(a, "--timeout") == 0)
			slot = &ret->timeout;
		else if (want_timeout && strncmp(a, "--timeout=", 10) == 0)
			slot = &ret->timeout, v = a + 10;
		else if (a[0] == '-' && a[1] != '\0')
			return hactl_usage_error(ctx, "'%s %s' has no option '%s'", ctx->command,
						 argv[1], a);
		if (slot) {
			if (v == NULL) {
				if (i + 1 >= argc)
					return hactl_usage_error(ctx, "%s needs a value", a);
				v = argv[++i];
			}
			if (v[0] == '\0')
				return hactl_usage_error(ctx, "%s needs a non-empty value", a);
			*slot = v;
			continue;
		}
		if (a[0] == '\0')
			return hactl_usage_error(ctx, "an empty argument");
		if (ret->n_pos == max_pos)
			return hactl_usage_error(ctx, "too many arguments for '%s %s'", ctx->command,
						 argv[1]);
		ret->pos[ret->n_pos++] = a;
	}
	if (ret->n_pos < min_pos)
		return hactl_usage_error(ctx, "'%s %s' needs %s", ctx->command, argv[1],
					 min_pos == 1 ? "a resource id" : "a resource id and a node");
	return 0;
}

/* ---- status helpers -------------------------------------------------------- */

/* The element with id below n (configuration/resources), or NULL. */
static xmlNode *find_id(xmlNode *n, const char *id)
{
	xmlNode *x, *f;

	for (x = n ? n->children : NULL; x; x = x->next) {
		if (x->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp(ham_xml_attr(x, "id", ""), id) == 0)
			return x;
		if ((f = find_id(x, id)) != NULL)
			return f;
	}
	return NULL;
}

/* Whether a status <resource> is rsc or one of its members (by the status's parents). */
static bool st_belongs(xmlNode *st_rsc, const char *rsc, xmlNode *resources)
{
	const char *parent = ham_xml_attr(st_rsc, "parent", "");
	xmlNode *r;

	if (strcmp(ham_xml_attr(st_rsc, "id", ""), rsc) == 0 || strcmp(parent, rsc) == 0)
		return true;
	/* a group in a clone: the member names the group, the group the clone */
	for (r = resources ? resources->children : NULL; parent[0] && r; r = r->next)
		if (ham_xml_is(r, HAM_ST_RESOURCE) &&
		    strcmp(ham_xml_attr(r, "id", ""), parent) == 0)
			return st_belongs(r, rsc, resources);
	return false;
}

static void add_word_once(ham_buf *b, const char *w, size_t len)
{
	const char *p = ham_buf_str(b);

	while (*p) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);

		if (l == len && strncmp(p, w, len) == 0)
			return;
		p += l;
		while (*p == ' ')
			p++;
	}
	if (b->len)
		ham_buf_addc(b, ' ');
	ham_buf_addf(b, "%.*s", (int)len, w);
}

/* Whether the space-separated list has the word w. */
static bool has_word(const char *list, const char *w)
{
	size_t l = strlen(w);
	const char *p;

	for (p = list; (p = strstr(p, w)) != NULL; p += l)
		if ((p == list || p[-1] == ' ') && (p[l] == '\0' || p[l] == ' '))
			return true;
	return false;
}

/*
 * Where rsc (or its members) runs, by the status: a space-separated list of
 * node names in *ret (ham_buf). Returns how many status resources matched.
 */
static size_t where_runs(xmlNode *status_root, const char *rsc, ham_buf *ret, bool *ret_all_started,
			 bool *ret_all_stopped)
{
	xmlNode *rs = ham_xml_child(status_root, HAM_ST_RESOURCES), *r;
	size_t matched = 0;
	bool all_started = true, all_stopped = true;

	for (r = rs ? rs->children : NULL; r; r = r->next) {
		const char *nodes, *p;

		if (!ham_xml_is(r, HAM_ST_RESOURCE) || !st_belongs(r, rsc, rs))
			continue;
		matched++;
		nodes = ham_xml_attr(r, "nodes", "");
		if (nodes[0] == '\0')
			all_started = false;
		else
			all_stopped = false;
		if (strcmp(ham_xml_attr(r, "failed", ""), "true") == 0)
			all_started = false;
		for (p = nodes; *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);

			add_word_once(ret, p, l);
			p += l;
			while (*p == ' ')
				p++;
		}
	}
	if (ret_all_started)
		*ret_all_started = matched > 0 && all_started;
	if (ret_all_stopped)
		*ret_all_stopped = all_stopped;
	return matched;
}

/* ---- output -------------------------------------------------------------- */

static void json_rsc(ham_buf *b, xmlNode *r)
{
	const char *nodes = ham_xml_attr(r, "nodes", ""), *p;

	ham_buf_add(b, "{\"id\":");
	ham_buf_add_json(b, ham_xml_attr(r, "id", ""));
	ham_buf_add(b, ",\"agent\":");
	ham_buf_add_json(b, ham_xml_attr(r, "agent", ""));
	ham_buf_add(b, ",\"parent\":");
	ham_buf_add_json(b, ham_xml_attr(r, "parent", NULL));
	ham_buf_add(b, ",\"role\":");
	ham_buf_add_json(b, ham_xml_attr(r, "role", ""));
	ham_buf_addf(b, ",\"failed\":%s",
		     strcmp(ham_xml_attr(r, "failed", ""), "true") == 0 ? "true" : "false");
	ham_buf_add(b, ",\"target_role\":");
	ham_buf_add_json(b, ham_xml_attr(r, "target-role", NULL));
	ham_buf_add(b, ",\"nodes\":[");
	for (p = nodes; *p;) {
		const char *e = strchr(p, ' ');
		size_t l = e ? (size_t)(e - p) : strlen(p);
		char *one = ham_strndup(p, l);

		ham_buf_add(b, p == nodes ? "" : ",");
		ham_buf_add_json(b, one);
		free(one);
		p += l;
		while (*p == ' ')
			p++;
	}
	ham_buf_add(b, "]}");
}

static void text_rsc(xmlNode *r)
{
	printf("  %-20s (%s)%s%s: %s%s%s%s%s%s\n", ham_xml_attr(r, "id", ""),
	       ham_xml_attr(r, "agent", ""), ham_xml_attr(r, "parent", "")[0] ? " in " : "",
	       ham_xml_attr(r, "parent", ""), ham_xml_attr(r, "role", ""),
	       ham_xml_attr(r, "nodes", "")[0] ? " on " : "", ham_xml_attr(r, "nodes", ""),
	       strcmp(ham_xml_attr(r, "failed", ""), "true") == 0 ? " (FAILED)" : "",
	       ham_xml_attr(r, "target-role", "")[0] ? " target-role=" : "",
	       ham_xml_attr(r, "target-role", ""));
}

static void xml_out(xmlDoc *doc, xmlNode *n)
{
	xmlBuffer *xb = xmlBufferCreate();

	xmlNodeDump(xb, doc, n, 0, 0);
	printf("%s\n", (const char *)xmlBufferContent(xb));
	xmlBufferFree(xb);
}

static int cmd_list(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct args a;
	xmlDoc *doc;
	xmlNode *rs, *r;
	ham_buf b = HAM_BUF_INIT;
	bool first = true;
	int rc;

	if ((rc = parse_args(ctx, argc, argv, false, false, 0, 0, &a)) != 0)
		return rc;
	if ((rc = hactl_get_status(ctx, &doc)) != HAM_EXIT_OK)
		return rc;
	rs = ham_xml_child(xmlDocGetRootElement(doc), HAM_ST_RESOURCES);
	if (ctx->output == HACTL_OUTPUT_XML) {
		xml_out(doc, rs);
	} else if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(&b, "{\"resources\":[");
		for (r = rs ? rs->children : NULL; r; r = r->next) {
			if (!ham_xml_is(r, HAM_ST_RESOURCE))
				continue;
			ham_buf_add(&b, first ? "" : ",");
			first = false;
			json_rsc(&b, r);
		}
		ham_buf_add(&b, "]}\n");
		fputs(ham_buf_str(&b), stdout);
	} else {
		for (r = rs ? rs->children : NULL; r; r = r->next)
			if (ham_xml_is(r, HAM_ST_RESOURCE)) {
				text_rsc(r);
				first = false;
			}
		if (first)
			printf("  (none configured)\n");
	}
	ham_buf_free(&b);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

static int cmd_show(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct args a;
	xmlDoc *doc;
	xmlNode *root, *rs, *r, *fcs;
	ham_buf b = HAM_BUF_INIT;
	const char *rsc;
	bool first = true;
	size_t n = 0;
	int rc;

	if ((rc = parse_args(ctx, argc, argv, false, false, 1, 1, &a)) != 0)
		return rc;
	rsc = a.pos[0];
	if ((rc = hactl_get_status(ctx, &doc)) != HAM_EXIT_OK)
		return rc;
	root = xmlDocGetRootElement(doc);
	rs = ham_xml_child(root, HAM_ST_RESOURCES);
	fcs = ham_xml_child(root, HAM_ST_FAILCOUNTS);
	for (r = rs ? rs->children : NULL; r; r = r->next)
		if (ham_xml_is(r, HAM_ST_RESOURCE) && st_belongs(r, rsc, rs))
			n++;
	if (n == 0) {
		hactl_err(ctx, "no resource '%s' in the configuration", rsc);
		xmlFreeDoc(doc);
		return HAM_EXIT_NOT_FOUND;
	}
	if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf_add(&b, "<resource-status id=\"");
		ham_buf_add_xml(&b, rsc);
		ham_buf_add(&b, "\">");
		fputs(ham_buf_str(&b), stdout);
		for (r = rs->children; r; r = r->next)
			if (ham_xml_is(r, HAM_ST_RESOURCE) && st_belongs(r, rsc, rs))
				xml_out(doc, r);
		for (r = fcs ? fcs->children : NULL; r; r = r->next) {
			if (!ham_xml_is(r, HAM_ST_FAILCOUNT))
				continue;
			{
				xmlNode *s;
				bool mine = false;

				for (s = rs->children; s; s = s->next)
					if (ham_xml_is(s, HAM_ST_RESOURCE) &&
					    st_belongs(s, rsc, rs) &&
					    strcmp(ham_xml_attr(s, "id", ""),
						   ham_xml_attr(r, "resource", "")) == 0)
						mine = true;
				if (mine)
					xml_out(doc, r);
			}
		}
		printf("</resource-status>\n");
		ham_buf_free(&b);
		xmlFreeDoc(doc);
		return HAM_EXIT_OK;
	}
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(&b, "{\"id\":");
		ham_buf_add_json(&b, rsc);
		ham_buf_add(&b, ",\"resources\":[");
	} else {
		printf("Resource %s:\n", rsc);
	}
	for (r = rs->children; r; r = r->next) {
		if (!ham_xml_is(r, HAM_ST_RESOURCE) || !st_belongs(r, rsc, rs))
			continue;
		if (ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf_add(&b, first ? "" : ",");
			json_rsc(&b, r);
		} else {
			text_rsc(r);
		}
		first = false;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "],\"fail_counts\":[");
	first = true;
	for (r = fcs ? fcs->children : NULL; r; r = r->next) {
		xmlNode *s;
		bool mine = false;

		if (!ham_xml_is(r, HAM_ST_FAILCOUNT))
			continue;
		for (s = rs->children; s; s = s->next)
			if (ham_xml_is(s, HAM_ST_RESOURCE) && st_belongs(s, rsc, rs) &&
			    strcmp(ham_xml_attr(s, "id", ""), ham_xml_attr(r, "resource", "")) == 0)
				mine = true;
		if (!mine)
			continue;
		if (ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf_add(&b, first ? "{\"resource\":" : ",{\"resource\":");
			ham_buf_add_json(&b, ham_xml_attr(r, "resource", ""));
			ham_buf_add(&b, ",\"node\":");
			ham_buf_add_json(&b, ham_xml_attr(r, "node", ""));
			ham_buf_add(&b, ",\"operation\":");
			ham_buf_add_json(&b, ham_xml_attr(r, "operation", ""));
			ham_buf_addf(&b, ",\"interval_ms\":%s,\"count\":",
				     ham_xml_attr(r, "interval", "0"));
			ham_buf_add_json(&b, ham_xml_attr(r, "count", ""));
			ham_buf_add(&b, "}");
		} else {
			if (first)
				printf("Fail counts:\n");
			printf("  %s on %s: fail-count=%s (%s_%s)\n",
			       ham_xml_attr(r, "resource", ""), ham_xml_attr(r, "node", ""),
			       ham_xml_attr(r, "count", ""), ham_xml_attr(r, "operation", ""),
			       ham_xml_attr(r, "interval", ""));
		}
		first = false;
	}
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf_add(&b, "]}\n");
		fputs(ham_buf_str(&b), stdout);
	}
	ham_buf_free(&b);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

/* ---- changes ------------------------------------------------------------------ */

static int done_until(struct hactl_ctx *ctx, const char *what, const char *rsc,
		      const char *node, const char *until)
{
	if (ctx->output == HACTL_OUTPUT_JSON) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "{\"command\":");
		ham_buf_add_json(&b, what);
		ham_buf_add(&b, ",\"resource\":");
		ham_buf_add_json(&b, rsc);
		ham_buf_add(&b, ",\"node\":");
		ham_buf_add_json(&b, node);
		if (until) {
			ham_buf_add(&b, ",\"lifetime_end\":");
			ham_buf_add_json(&b, until);
		}
		ham_buf_add(&b, ",\"applied\":true}\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		ham_buf b = HAM_BUF_INIT;

		ham_buf_add(&b, "<applied command=\"");
		ham_buf_add_xml(&b, what);
		ham_buf_add(&b, "\"");
		if (rsc) {
			ham_buf_add(&b, " resource=\"");
			ham_buf_add_xml(&b, rsc);
			ham_buf_add(&b, "\"");
		}
		if (node) {
			ham_buf_add(&b, " node=\"");
			ham_buf_add_xml(&b, node);
			ham_buf_add(&b, "\"");
		}
		if (until) {
			ham_buf_add(&b, " lifetime-end=\"");
			ham_buf_add_xml(&b, until);
			ham_buf_add(&b, "\"");
		}
		ham_buf_add(&b, "/>\n");
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	} else if (ctx->verbose) {
		printf("%s%s%s%s%s%s%s: applied\n", what, rsc ? " " : "", rsc ? rsc : "",
		       node ? " " : "", node ? node : "", until ? " until " : "", until ? until : "");
	}
	return HAM_EXIT_OK;
}

static int done(struct hactl_ctx *ctx, const char *what, const char *rsc, const char *node)
{
	return done_until(ctx, what, rsc, node, NULL);
}

/* Parses the lifecycle commands' arguments (config_args.h); prints the error. */
static int lc_parse(struct hactl_ctx *ctx, enum hactl_lc_cmd cmd, int argc, char **argv,
		    struct hactl_lc_args *a)
{
	char *err = NULL;
	int rc;

	if (hactl_lc_args_parse(cmd, argc - 2, argv + 2, (int64_t)time(NULL), a, &err) == 0)
		return HAM_EXIT_OK;
	rc = hactl_usage_error(ctx, "%s", err);
	free(err);
	return rc;
}

/* Whether lrm_resource id lrm_id is the history of primitive prim (or its instance "prim:N"). */
static bool history_is(const char *lrm_id, const char *prim)
{
	size_t l = strlen(prim);

	return lrm_id && strncmp(lrm_id, prim, l) == 0 && (lrm_id[l] == '\0' || lrm_id[l] == ':');
}

static void primitives_of(xmlNode *x, char ***ids, size_t *n);

/* The last one-shot or monitor result of an lrm_resource that says Promoted. */
static bool promoted_there(xmlNode *lr)
{
	xmlNode *o, *last = NULL;
	long best = -1;

	for (o = lr->children; o; o = o->next) {
		long call;

		if (!ham_xml_is(o, "lrm_rsc_op") ||
		    strstr(ham_xml_attr(o, "id", ""), "_last_failure_") != NULL)
			continue;
		call = strtol(ham_xml_attr(o, "call-id", "-1"), NULL, 10);
		if (call > best) {
			best = call;
			last = o;
		}
	}
	return last && (ham_streq(ham_xml_attr(last, "rc-code", NULL), "8") ||
			(ham_streq(ham_xml_attr(last, "rc-code", NULL), "0") &&
			 ham_streq(ham_xml_attr(last, "operation", NULL), "promote")));
}

/* Where rsc (its primitives) is promoted, by the CIB's history: names into *ret. */
static int where_promoted(struct hactl_ctx *ctx, const char *rsc, ham_buf *ret)
{
	xmlNode *root, *x, *ns, *lr;
	char **ids = NULL;
	size_t n = 0, i;
	xmlDoc *cib;
	int rc;

	if ((rc = hactl_get_cib(ctx, &cib)) != HAM_EXIT_OK)
		return rc;
	root = xmlDocGetRootElement(cib);
	x = find_id(ham_xml_child(ham_xml_child(root, "configuration"), "resources"), rsc);
	if (x)
		primitives_of(x, &ids, &n);
	for (ns = ham_xml_child(ham_xml_child(root, "status"), "node_state"); ns; ns = ns->next) {
		if (!ham_xml_is(ns, "node_state"))
			continue;
		for (lr = ham_xml_child(ham_xml_child(ham_xml_child(ns, "lrm"), "lrm_resources"),
					"lrm_resource");
		     lr; lr = lr->next)
			for (i = 0; i < n; i++)
				if (ham_xml_is(lr, "lrm_resource") &&
				    history_is(ham_xml_attr(lr, "id", NULL), ids[i]) &&
				    promoted_there(lr)) {
					const char *u = ham_xml_attr(ns, "uname", "");

					add_word_once(ret, u, strlen(u));
				}
	}
	for (i = 0; i < n; i++)
		free(ids[i]);
	free(ids);
	xmlFreeDoc(cib);
	if (x == NULL) {
		hactl_err(ctx, "no resource '%s' in the configuration", rsc);
		return HAM_EXIT_NOT_FOUND;
	}
	return HAM_EXIT_OK;
}

/*
 * The one node where rsc runs now (promoted: where it is promoted), for a
 * move or ban without a node, into *where. Exit status, errors printed.
 */
static int current_node(struct hactl_ctx *ctx, const char *what, const char *rsc, bool promoted,
			ham_buf *where)
{
	xmlDoc *doc;
	size_t n;
	int rc;

	if (ctx->cib_file)
		return hactl_usage_error(ctx, "'resource %s' on a file (-f) needs the node: the file "
					 "does not say where %s runs", what, rsc);
	if (promoted) {
		if ((rc = where_promoted(ctx, rsc, where)) != HAM_EXIT_OK)
			return rc;
	} else {
		if ((rc = hactl_get_status(ctx, &doc)) != HAM_EXIT_OK)
			return rc;
		n = where_runs(xmlDocGetRootElement(doc), rsc, where, NULL, NULL);
		xmlFreeDoc(doc);
		if (n == 0) {
			hactl_err(ctx, "no resource '%s' in the configuration", rsc);
			return HAM_EXIT_NOT_FOUND;
		}
	}
	if (where->len == 0 || strchr(ham_buf_str(where), ' ')) {
		hactl_err(ctx, "%s %s on %s: name the node to %s it %s", rsc,
			  promoted ? "is promoted" : "runs", where->len ? ham_buf_str(where) : "no node",
			  what, ham_streq(what, "ban") ? "from" : "away from");
		return HAM_EXIT_USAGE;
	}
	return HAM_EXIT_OK;
}

/* A location of move or ban: with a lifetime, a rule that ends (lib/cib's set-location end). */
static void add_location(ham_buf *e, const char *id, const struct hactl_lc_args *a,
			 const char *node, const char *score, const char *until)
{
	hactl_edit_add(e, "set-location", "id", id, "rsc", a->rsc, "role",
		       a->promoted ? "Promoted" : "Started", "node", node, "score", score, "end",
		       until, NULL);
}

static int wait_moved(struct hactl_ctx *ctx, const char *rsc, const char *to, const char *from,
		      uint64_t wait_ms);

/*
 * move RSC NODE: prefer NODE (cli-prefer-RSC), lifting a ban of RSC there;
 * move RSC: ban it from the one node where it runs (cli-ban-RSC-on-NODE).
 */
static int cmd_move(struct hactl_ctx *ctx, int argc, char **argv)
{
	ham_buf e = HAM_BUF_INIT, where = HAM_BUF_INIT;
	char until[HACTL_UTC_LEN], *prefer = NULL, *ban = NULL;
	struct hactl_lc_args a;
	const char *from = NULL;
	int rc;

	if ((rc = lc_parse(ctx, HACTL_LC_MOVE, argc, argv, &a)) != HAM_EXIT_OK)
		return rc;
	if (a.wait && ctx->cib_file)
		return hactl_usage_error(ctx, "--wait needs a live cluster, not a file (-f)");
	if (a.lifetime)
		hactl_format_utc(a.end_s, until);
	if (a.node == NULL) {
		if ((rc = current_node(ctx, "move", a.rsc, a.promoted, &where)) != HAM_EXIT_OK)
			goto out;
		from = ham_buf_str(&where);
		ban = ham_asprintf("cli-ban-%s-on-%s", a.rsc, from);
		add_location(&e, ban, &a, from, "-INFINITY", a.lifetime ? until : NULL);
	} else {
		prefer = ham_asprintf("cli-prefer-%s", a.rsc);
		ban = ham_asprintf("cli-ban-%s-on-%s", a.rsc, a.node);
		hactl_edit_add(&e, "delete-location", "id", ban, NULL);
		add_location(&e, prefer, &a, a.node, "INFINITY", a.lifetime ? until : NULL);
	}
	rc = hactl_config_apply(ctx, &e);
	if (rc == HAM_EXIT_OK && a.wait)
		rc = wait_moved(ctx, a.rsc, a.node, from, a.wait_ms);
	if (rc == HAM_EXIT_OK)
		rc = done_until(ctx, "move", a.rsc, a.node ? a.node : from, a.lifetime ? until : NULL);
out:
	free(prefer);
	free(ban);
	ham_buf_free(&e);
	ham_buf_free(&where);
	return rc;
}

static int cmd_ban(struct hactl_ctx *ctx, int argc, char **argv)
{
	ham_buf e = HAM_BUF_INIT, where = HAM_BUF_INIT;
	char until[HACTL_UTC_LEN], *ban;
	struct hactl_lc_args a;
	const char *node;
	int rc;

	if ((rc = lc_parse(ctx, HACTL_LC_BAN, argc, argv, &a)) != HAM_EXIT_OK)
		return rc;
	node = a.node;
	if (node == NULL) {
		if ((rc = current_node(ctx, "ban", a.rsc, a.promoted, &where)) != HAM_EXIT_OK) {
			ham_buf_free(&where);
			return rc;
		}
		node = ham_buf_str(&where);
	}
	if (a.lifetime)
		hactl_format_utc(a.end_s, until);
	ban = ham_asprintf("cli-ban-%s-on-%s", a.rsc, node);
	add_location(&e, ban, &a, node, "-INFINITY", a.lifetime ? until : NULL);
	rc = hactl_config_apply(ctx, &e);
	free(ban);
	ham_buf_free(&e);
	if (rc == HAM_EXIT_OK)
		rc = done_until(ctx, "ban", a.rsc, node, a.lifetime ? until : NULL);
	ham_buf_free(&where);
	return rc;
}

static int cmd_clear(struct hactl_ctx *ctx, int argc, char **argv)
{
	ham_buf e = HAM_BUF_INIT;
	struct hactl_lc_args a;
	char now[24];
	int rc;

	if ((rc = lc_parse(ctx, HACTL_LC_CLEAR, argc, argv, &a)) != HAM_EXIT_OK)
		return rc;
	/* the time is ours, so that every node removes the same */
	snprintf(now, sizeof(now), "%lld", (long long)time(NULL));
	hactl_edit_add(&e, "clear", "rsc", a.rsc, "node", a.node, "expired-by",
		       a.expired ? now : NULL, NULL);
	rc = hactl_config_apply(ctx, &e);
	ham_buf_free(&e);
	return rc == HAM_EXIT_OK ? done(ctx, a.expired ? "clear --expired" : "clear", a.rsc,
					a.node) : rc;
}

static int set_target_role(struct hactl_ctx *ctx, const char *rsc, const char *role)
{
	ham_buf e = HAM_BUF_INIT;
	int rc;

	hactl_edit_add(&e, "set-meta", "rsc", rsc, "name", "target-role", "value", role, NULL);
	rc = hactl_modify(ctx, &e);
	ham_buf_free(&e);
	return rc;
}

static int cmd_enable(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct args a;
	bool enable = strcmp(argv[1], "enable") == 0;
	int rc;

	if ((rc = parse_args(ctx, argc, argv, false, false, 1, 1, &a)) != 0)
		return rc;
	rc = set_target_role(ctx, a.pos[0], enable ? "Started" : "Stopped");
	return rc == HAM_EXIT_OK ? done(ctx, argv[1], a.pos[0], NULL) : rc;
}

/*
 * cleanup [RSC] [--node NODE]: RSC's history and fail counts; without RSC,
 * those of every resource that failed, where it failed. refresh [RSC]
 * [--node NODE]: the whole history (every resource's without RSC).
 */
static int cmd_cleanup(struct hactl_ctx *ctx, int argc, char **argv)
{
	bool refresh = ham_streq(argv[1], "refresh");
	ham_buf e = HAM_BUF_INIT;
	struct hactl_lc_args a;
	int rc;

	if ((rc = lc_parse(ctx, refresh ? HACTL_LC_REFRESH : HACTL_LC_CLEANUP, argc, argv, &a)) !=
	    HAM_EXIT_OK)
		return rc;
	hactl_edit_add(&e, refresh ? "refresh" : "cleanup", "rsc", a.rsc, "node", a.node, NULL);
	rc = hactl_modify(ctx, &e);
	ham_buf_free(&e);
	return rc == HAM_EXIT_OK ? done(ctx, argv[1], a.rsc, a.node) : rc;
}

/* Waits until rsc is stopped everywhere (want_started false) or runs. */
static int wait_for(struct hactl_ctx *ctx, const char *rsc, bool want_started, uint64_t deadline_ms)
{
	for (;;) {
		ham_buf where = HAM_BUF_INIT;
		bool started = false, stopped = false;
		xmlDoc *doc;
		size_t n;
		int rc;
		struct timespec ts = { 0, POLL_MS * 1000000L };

		if ((rc = hactl_get_status(ctx, &doc)) != HAM_EXIT_OK)
			return rc;
		n = where_runs(xmlDocGetRootElement(doc), rsc, &where, &started, &stopped);
		xmlFreeDoc(doc);
		ham_buf_free(&where);
		if (n == 0) {
			hactl_err(ctx, "no resource '%s' in the configuration", rsc);
			return HAM_EXIT_NOT_FOUND;
		}
		if (want_started ? started : stopped)
			return HAM_EXIT_OK;
		if (ham_now_mono_ms() >= deadline_ms)
			return HAM_EXIT_TIMEOUT;
		nanosleep(&ts, NULL);
	}
}

/*
 * move --wait: until rsc runs (every part of it started) on to, or, moved
 * away without a target, somewhere but from; HAM_EXIT_TIMEOUT after wait_ms.
 */
static int wait_moved(struct hactl_ctx *ctx, const char *rsc, const char *to, const char *from,
		      uint64_t wait_ms)
{
	uint64_t deadline = ham_now_mono_ms() + wait_ms;

	for (;;) {
		ham_buf where = HAM_BUF_INIT;
		struct timespec ts = { 0, POLL_MS * 1000000L };
		bool started = false, there;
		xmlDoc *doc;
		size_t n;
		int rc;

		if ((rc = hactl_get_status(ctx, &doc)) != HAM_EXIT_OK)
			return rc;
		n = where_runs(xmlDocGetRootElement(doc), rsc, &where, &started, NULL);
		xmlFreeDoc(doc);
		there = to ? ham_streq(ham_buf_str(&where), to)
			   : where.len > 0 && !has_word(ham_buf_str(&where), from);
		ham_buf_free(&where);
		if (n == 0) {
			hactl_err(ctx, "no resource '%s' in the configuration", rsc);
			return HAM_EXIT_NOT_FOUND;
		}
		if (started && there)
			return HAM_EXIT_OK;
		if (ham_now_mono_ms() >= deadline) {
			hactl_err(ctx, "%s did not move %s%s within %llu ms (the constraint stays)",
				  rsc, to ? "to " : "away from ", to ? to : from,
				  (unsigned long long)wait_ms);
			return HAM_EXIT_TIMEOUT;
		}
		nanosleep(&ts, NULL);
	}
}

static int cmd_restart(struct hactl_ctx *ctx, int argc, char **argv)
{
	uint64_t timeout_ms = DEFAULT_RESTART_TIMEOUT_MS, deadline;
	ham_buf e = HAM_BUF_INIT;
	xmlNode *res, *x, *set, *nv;
	const char *rsc, *orig = NULL;
	char *orig_copy = NULL;
	struct args a;
	xmlDoc *cib;
	int rc;

	if ((rc = parse_args(ctx, argc, argv, false, true, 1, 1, &a)) != 0)
		return rc;
	rsc = a.pos[0];
	if (a.timeout && (ham_parse_duration_ms(a.timeout, &timeout_ms) < 0 || timeout_ms == 0))
		return hactl_usage_error(ctx, "--timeout '%s' is not a duration (e.g. 90, 90s, 2min)",
					 a.timeout);
	if ((rc = hactl_get_cib(ctx, &cib)) != HAM_EXIT_OK)
		return rc;
	res = ham_xml_child(ham_xml_child(xmlDocGetRootElement(cib), "configuration"), "resources");
	x = find_id(res, rsc);
	if (x == NULL || !(ham_xml_is(x, "primitive") || ham_xml_is(x, "group") ||
			   ham_xml_is(x, "clone") || ham_xml_is(x, "master"))) {
		hactl_err(ctx, "no resource '%s' in the configuration", rsc);
		xmlFreeDoc(cib);
		return HAM_EXIT_NOT_FOUND;
	}
	set = ham_xml_child(x, "meta_attributes");
	for (nv = set ? set->children : NULL; nv; nv = nv->next)
		if (ham_xml_is(nv, "nvpair") &&
		    strcmp(ham_xml_attr(nv, "name", ""), "target-role") == 0)
			orig = ham_xml_attr(nv, "value", "");
	orig_copy = orig ? ham_strdup(orig) : NULL;
	xmlFreeDoc(cib);
	if (orig_copy && strcasecmp(orig_copy, "Stopped") == 0) {
		hactl_err(ctx, "%s is disabled (target-role=Stopped): use 'hactl resource enable %s'",
			  rsc, rsc);
		free(orig_copy);
		return HAM_EXIT_ERROR;
	}
	deadline = ham_now_mono_ms() + timeout_ms;
	rc = set_target_role(ctx, rsc, "Stopped");
	if (rc != HAM_EXIT_OK)
		goto out;
	rc = wait_for(ctx, rsc, false, deadline);
	if (rc == HAM_EXIT_TIMEOUT)
		hactl_err(ctx, "%s did not stop within %llu ms; its target-role is restored", rsc,
			  (unsigned long long)timeout_ms);
	/* Restore what was there (or nothing) whatever happened. */
	hactl_edit_add(&e, "set-meta", "rsc", rsc, "name", "target-role", "value", orig_copy, NULL);
	{
		int r2 = hactl_modify(ctx, &e);

		if (rc == HAM_EXIT_OK)
			rc = r2;
	}
	if (rc != HAM_EXIT_OK)
		goto out;
	rc = wait_for(ctx, rsc, true, deadline);
	if (rc == HAM_EXIT_TIMEOUT)
		hactl_err(ctx, "%s did not start again within %llu ms", rsc,
			  (unsigned long long)timeout_ms);
	if (rc == HAM_EXIT_OK)
		rc = done(ctx, "restart", rsc, NULL);
out:
	ham_buf_free(&e);
	free(orig_copy);
	return rc;
}

static void primitives_of(xmlNode *x, char ***ids, size_t *n)
{
	xmlNode *k;

	if (ham_xml_is(x, "primitive")) {
		*ids = ham_reallocarray(*ids, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = ham_strdup(ham_xml_attr(x, "id", ""));
		return;
	}
	for (k = x->children; k; k = k->next)
		if (ham_xml_is(k, "primitive") || ham_xml_is(k, "group") || ham_xml_is(k, "clone") ||
		    ham_xml_is(k, "master"))
			primitives_of(k, ids, n);
}

/*
 * Waits until every primitive of rsc (by the configuration: the status
 * names a cloned group's members by the group only) is stopped everywhere.
 */
static int wait_primitives_stopped(struct hactl_ctx *ctx, const char *rsc, uint64_t deadline)
{
	xmlNode *x;
	xmlDoc *cib;
	char **ids = NULL;
	size_t n = 0, i;
	int rc;

	if ((rc = hactl_get_cib(ctx, &cib)) != HAM_EXIT_OK)
		return rc;
	x = find_id(ham_xml_child(ham_xml_child(xmlDocGetRootElement(cib), "configuration"),
				  "resources"), rsc);
	if (x)
		primitives_of(x, &ids, &n);
	xmlFreeDoc(cib);
	if (n == 0) {
		hactl_err(ctx, "no resource '%s' in the configuration", rsc);
		return HAM_EXIT_NOT_FOUND;
	}
	for (i = 0, rc = HAM_EXIT_OK; i < n; i++) {
		if (rc == HAM_EXIT_OK)
			rc = wait_for(ctx, ids[i], false, deadline);
		free(ids[i]);
	}
	free(ids);
	return rc;
}

static int cmd_delete(struct hactl_ctx *ctx, int argc, char **argv)
{
	uint64_t timeout_ms = DEFAULT_RESTART_TIMEOUT_MS;
	ham_buf e = HAM_BUF_INIT;
	const char *rsc = NULL, *timeout = NULL;
	bool force = false;
	int i, rc;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--force") == 0)
			force = true;
		else if (strcmp(argv[i], "--timeout") == 0 && i + 1 < argc)
			timeout = argv[++i];
		else if (strncmp(argv[i], "--timeout=", 10) == 0)
			timeout = argv[i] + 10;
		else if (argv[i][0] == '-' || argv[i][0] == '\0' || rsc)
			return hactl_usage_error(ctx, "'resource delete' takes one resource id and "
						 "--timeout DURATION, --force");
		else
			rsc = argv[i];
	}
	if (rsc == NULL)
		return hactl_usage_error(ctx, "'resource delete' needs a resource id");
	if (timeout && (ham_parse_duration_ms(timeout, &timeout_ms) < 0 || timeout_ms == 0))
		return hactl_usage_error(ctx, "--timeout '%s' is not a duration (e.g. 90, 90s, 2min)",
					 timeout);
	if (ctx->cib_file == NULL && !force) {
		uint64_t deadline = ham_now_mono_ms() + timeout_ms;

		/* Stopped first, so that removing it does not leave it running unmanaged. */
		rc = set_target_role(ctx, rsc, "Stopped");
		if (rc == HAM_EXIT_OK)
			rc = wait_primitives_stopped(ctx, rsc, deadline);
		if (rc == HAM_EXIT_TIMEOUT)
			hactl_err(ctx, "%s did not stop within %llu ms: not deleted (it stays "
				  "disabled)", rsc, (unsigned long long)timeout_ms);
		if (rc != HAM_EXIT_OK)
			return rc;
	}
	ham_cib_edit_delete(rsc, "resource", &e);
	rc = hactl_config_apply(ctx, &e);
	ham_buf_free(&e);
	return rc == HAM_EXIT_OK ? done(ctx, "delete", rsc, NULL) : rc;
}

static const struct {
	const char *name;
	int (*fn)(struct hactl_ctx *ctx, int argc, char **argv);
} subs[] = {
	{ "list", cmd_list },     { "show", cmd_show },       { "move", cmd_move },
	{ "ban", cmd_ban },       { "clear", cmd_clear },     { "enable", cmd_enable },
	{ "disable", cmd_enable },{ "restart", cmd_restart }, { "cleanup", cmd_cleanup },
	{ "refresh", cmd_cleanup },
	{ "create", hactl_resource_create }, { "update", hactl_resource_update },
	{ "delete", cmd_delete },            { "defaults", hactl_resource_defaults },
	{ "op", hactl_resource_defaults },  { "group", hactl_resource_group },
	{ "clone", hactl_resource_clone },   { "promotable", hactl_resource_clone },
};

int hactl_cmd_resource(struct hactl_ctx *ctx, int argc, char **argv)
{
	size_t i;
	int j;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: list, show, move, ban, clear, "
					 "enable, disable, restart, cleanup, refresh, create, update "
					 "or delete");
	for (j = 1; j < argc; j++)
		if (strcmp(argv[j], "-h") == 0 || strcmp(argv[j], "--help") == 0) {
			usage(stdout);
			return HAM_EXIT_OK;
		}
	if (ctx->cib_file && (ham_streq(argv[1], "cleanup") || ham_streq(argv[1], "refresh")))
		return hactl_usage_error(ctx, "'resource %s' needs a live cluster (it erases "
					 "operation history the cluster then re-probes), not a file "
					 "(-f)", argv[1]);
	if (ctx->cib_file && strcmp(argv[1], "create") != 0 && strcmp(argv[1], "update") != 0 &&
	    strcmp(argv[1], "delete") != 0 && strcmp(argv[1], "defaults") != 0 &&
	    strcmp(argv[1], "op") != 0 && strcmp(argv[1], "group") != 0 &&
	    strcmp(argv[1], "clone") != 0 && strcmp(argv[1], "promotable") != 0 &&
	    strcmp(argv[1], "move") != 0 && strcmp(argv[1], "ban") != 0 &&
	    strcmp(argv[1], "clear") != 0)
		return hactl_usage_error(ctx, "-f FILE applies to the configuration subcommands "
					 "only, not to '%s'", argv[1]);
	for (i = 0; i < HAM_ARRAY_SIZE(subs); i++)
		if (strcmp(argv[1], subs[i].name) == 0)
			return subs[i].fn(ctx, argc, argv);
	return hactl_usage_error(ctx, "unknown subcommand '%s'", argv[1]);
}

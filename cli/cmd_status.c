/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_status.c: `hactl status`: asks the local hamgrd for the status
 * document and prints it as text, JSON or XML.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "hactl.h"
#include "hactl_ipc.h"
#include "opstools_args.h"

#define STATUS_TIMEOUT_MS 5000

static bool battr(const xmlNode *n, const char *name)
{
	return strcmp(ham_xml_attr(n, name, ""), "true") == 0;
}

static void json_num(ham_buf *b, const char *key, const char *v, bool comma)
{
	int64_t x = 0;

	ham_parse_int64(v, &x);
	ham_buf_addf(b, "%s\"%s\":%lld", comma ? "," : "", key, (long long)x);
}

static void json_str(ham_buf *b, const char *key, const char *v, bool comma)
{
	ham_buf_addf(b, "%s\"%s\":", comma ? "," : "", key);
	ham_buf_add_json(b, v);
}

static void json_bool(ham_buf *b, const char *key, bool v, bool comma)
{
	ham_buf_addf(b, "%s\"%s\":%s", comma ? "," : "", key, v ? "true" : "false");
}

static void print_json(xmlNode *root)
{
	xmlNode *cib = ham_xml_child(root, HAM_ST_CIB), *n;
	ham_buf b = HAM_BUF_INIT;
	bool first;

	ham_buf_addc(&b, '{');
	json_str(&b, "cluster", ham_xml_attr(root, "cluster", ""), false);
	ham_buf_add(&b, ",\"dc\":");
	ham_buf_add_json(&b, ham_xml_attr(root, "dc", NULL));
	json_bool(&b, "quorate", battr(root, "quorate"), true);
	json_num(&b, "votes", ham_xml_attr(root, "votes", ""), true);
	json_num(&b, "expected_votes", ham_xml_attr(root, "expected-votes", ""), true);
	json_str(&b, "local", ham_xml_attr(root, "local", ""), true);
	json_bool(&b, "joined", battr(root, "joined"), true);
	json_bool(&b, "syncing", battr(root, "syncing"), true);
	json_bool(&b, "maintenance_mode", battr(root, "maintenance-mode"), true);
	json_num(&b, "dropped_actions", ham_xml_attr(root, "dropped-actions", "0"), true);
	json_num(&b, "dropped_results", ham_xml_attr(root, "dropped-results", "0"), true);
	json_str(&b, "store", ham_xml_attr(root, "store", "ok"), true);
	if (ham_xml_attr(root, "store-since", NULL))
		json_num(&b, "store_since", ham_xml_attr(root, "store-since", "0"), true);
	if (ham_xml_attr(root, "store-reason", NULL))
		json_str(&b, "store_reason", ham_xml_attr(root, "store-reason", ""), true);
	ham_buf_add(&b, ",\"cib\":{");
	json_num(&b, "admin_epoch", ham_xml_attr(cib, "admin_epoch", ""), false);
	json_num(&b, "epoch", ham_xml_attr(cib, "epoch", ""), true);
	json_num(&b, "num_updates", ham_xml_attr(cib, "num_updates", ""), true);
	ham_buf_add(&b, "},\"nodes\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
		if (!ham_xml_is(n, HAM_ST_NODE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "name", ham_xml_attr(n, "name", ""), false);
		json_num(&b, "id", ham_xml_attr(n, "id", ""), true);
		json_bool(&b, "online", battr(n, "online"), true);
		json_bool(&b, "standby", battr(n, "standby"), true);
		json_bool(&b, "maintenance", battr(n, "maintenance"), true);
		json_bool(&b, "dc", battr(n, "dc"), true);
		json_bool(&b, "unclean", battr(n, "unclean"), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "],\"resources\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_RESOURCES), HAM_ST_RESOURCE); n;
	     n = n->next) {
		const char *nodes, *p;

		if (!ham_xml_is(n, HAM_ST_RESOURCE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "id", ham_xml_attr(n, "id", ""), false);
		json_str(&b, "agent", ham_xml_attr(n, "agent", ""), true);
		ham_buf_add(&b, ",\"parent\":");
		ham_buf_add_json(&b, ham_xml_attr(n, "parent", NULL));
		json_str(&b, "role", ham_xml_attr(n, "role", ""), true);
		json_bool(&b, "failed", battr(n, "failed"), true);
		ham_buf_add(&b, ",\"nodes\":[");
		nodes = ham_xml_attr(n, "nodes", "");
		for (p = nodes; *p;) {
			const char *e = strchr(p, ' ');
			size_t l = e ? (size_t)(e - p) : strlen(p);
			char *one = ham_strndup(p, l);

			ham_buf_add(&b, p == nodes ? "" : ",");
			ham_buf_add_json(&b, one);
			free(one);
			p += l;
			while (*p == ' ')
				p++;
		}
		ham_buf_add(&b, "]}");
	}
	ham_buf_add(&b, "],\"failures\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILURES), HAM_ST_FAILURE); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILURE))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "resource", ham_xml_attr(n, "resource", ""), false);
		json_str(&b, "node", ham_xml_attr(n, "node", ""), true);
		json_str(&b, "operation", ham_xml_attr(n, "operation", ""), true);
		json_num(&b, "rc", ham_xml_attr(n, "rc", ""), true);
		json_str(&b, "reason", ham_xml_attr(n, "reason", ""), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "],\"fail_counts\":[");
	first = true;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILCOUNTS), HAM_ST_FAILCOUNT); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILCOUNT))
			continue;
		ham_buf_add(&b, first ? "{" : ",{");
		first = false;
		json_str(&b, "resource", ham_xml_attr(n, "resource", ""), false);
		json_str(&b, "node", ham_xml_attr(n, "node", ""), true);
		json_str(&b, "operation", ham_xml_attr(n, "operation", ""), true);
		json_num(&b, "interval_ms", ham_xml_attr(n, "interval", ""), true);
		/* INFINITY stays a string; a count is a number. */
		if (strcmp(ham_xml_attr(n, "count", ""), "INFINITY") == 0)
			json_str(&b, "count", "INFINITY", true);
		else
			json_num(&b, "count", ham_xml_attr(n, "count", ""), true);
		json_num(&b, "last_failure", ham_xml_attr(n, "last-failure", ""), true);
		ham_buf_addc(&b, '}');
	}
	ham_buf_add(&b, "]}\n");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
}

/* The stored CIB, from hamgrd's store="ok|failing|rejected". */
static void print_store(xmlNode *root, ham_buf *b)
{
	const char *store = ham_xml_attr(root, "store", "ok");
	int64_t since = 0;
	char when[64] = "";

	if (strcmp(store, "failing") == 0) {
		time_t t;
		struct tm tm;

		ham_parse_int64(ham_xml_attr(root, "store-since", "0"), &since);
		t = (time_t)since;
		if (localtime_r(&t, &tm))
			strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		ham_buf_addf(b, "Store: FAILING since %s: %s\n", when, ham_xml_attr(root, "store-reason", ""));
	} else if (strcmp(store, "rejected") == 0) {
		ham_buf_addf(b, "Store: stored CIB REJECTED: %s\n", ham_xml_attr(root, "store-reason", ""));
		ham_buf_addf(b, "*** This node manages nothing until it has the cluster's CIB ***\n");
	} else {
		ham_buf_addf(b, "Store: %s\n", store);
	}
}

static void print_text(xmlNode *root, const struct hactl_status_args *opt, int verbose,
		       ham_buf *b)
{
	xmlNode *cib = ham_xml_child(root, HAM_ST_CIB), *n;
	unsigned configured = 0, hidden = 0;
	bool any;

	ham_buf_addf(b, "Cluster: %s\n", ham_xml_attr(root, "cluster", "(unnamed)"));
	if (!battr(root, "joined"))
		ham_buf_addf(b, "This node (%s) has not joined the cluster yet.\n",
		       ham_xml_attr(root, "local", ""));
	ham_buf_addf(b, "DC: %s\n", ham_xml_attr(root, "dc", "none"));
	ham_buf_addf(b, "Quorum: %s (%s of %s expected votes)\n", battr(root, "quorate") ? "yes" : "NO",
	       ham_xml_attr(root, "votes", ""), ham_xml_attr(root, "expected-votes", ""));
	ham_buf_addf(b, "CIB version: %s:%s:%s%s\n", ham_xml_attr(cib, "admin_epoch", ""),
	       ham_xml_attr(cib, "epoch", ""), ham_xml_attr(cib, "num_updates", ""),
	       battr(root, "syncing") ? " (synchronising)" : "");
	if (battr(root, "maintenance-mode"))
		ham_buf_addf(b, "*** The cluster is in maintenance mode ***\n");
	print_store(root, b);
	ham_buf_addf(b, "\nNodes:\n");
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_NODES), HAM_ST_NODE); n; n = n->next) {
		if (!ham_xml_is(n, HAM_ST_NODE))
			continue;
		ham_buf_addf(b, "  %-16s id %-4s %s%s%s%s%s\n", ham_xml_attr(n, "name", ""),
		       ham_xml_attr(n, "id", ""), battr(n, "online") ? "online" : "OFFLINE",
		       battr(n, "unclean") ? " (unclean)" : "",
		       battr(n, "standby") ? " standby" : "",
		       battr(n, "maintenance") ? " maintenance" : "",
		       battr(n, "dc") ? " [DC]" : "");
	}
	ham_buf_addf(b, "\nResources:\n");
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_RESOURCES), HAM_ST_RESOURCE); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_RESOURCE))
			continue;
		configured++;
		/* As crm_mon: what runs nowhere (and has not failed) only with --inactive. */
		if (!opt->inactive && ham_streq(ham_xml_attr(n, "role", ""), "Stopped") &&
		    !battr(n, "failed")) {
			hidden++;
			continue;
		}
		ham_buf_addf(b, "  %-20s (%s)%s%s: %s%s%s%s%s\n", ham_xml_attr(n, "id", ""),
		       ham_xml_attr(n, "agent", ""), ham_xml_attr(n, "parent", "")[0] ? " in " : "",
		       ham_xml_attr(n, "parent", ""), ham_xml_attr(n, "role", ""),
		       ham_xml_attr(n, "nodes", "")[0] ? " on " : "", ham_xml_attr(n, "nodes", ""),
		       battr(n, "failed") ? " (FAILED)" : "",
		       ham_streq(ham_xml_attr(n, "target-role", ""), "Stopped") ? " (disabled)" : "");
	}
	if (configured == 0)
		ham_buf_addf(b, "  (none configured)\n");
	else if (hidden > 0)
		ham_buf_addf(b, "  (%u inactive resource%s not shown: --inactive lists them)\n", hidden,
			     hidden == 1 ? "" : "s");
	any = false;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILURES), HAM_ST_FAILURE); n;
	     n = n->next) {
		if (!ham_xml_is(n, HAM_ST_FAILURE))
			continue;
		if (!any)
			ham_buf_addf(b, "\nFailed actions:\n");
		any = true;
		ham_buf_addf(b, "  %s %s on %s: rc=%s%s%s\n", ham_xml_attr(n, "resource", ""),
		       ham_xml_attr(n, "operation", ""), ham_xml_attr(n, "node", ""),
		       ham_xml_attr(n, "rc", ""), ham_xml_attr(n, "reason", "")[0] ? " " : "",
		       ham_xml_attr(n, "reason", ""));
	}
	any = false;
	for (n = ham_xml_child(ham_xml_child(root, HAM_ST_FAILCOUNTS), HAM_ST_FAILCOUNT);
	     opt->failcounts && n; n = n->next) {
		int64_t interval_ms = 0, last = 0;
		char when[64] = "";

		if (!ham_xml_is(n, HAM_ST_FAILCOUNT))
			continue;
		if (!any)
			ham_buf_addf(b, "\nFail counts (resource on node: operation, count, last failure):\n");
		any = true;
		ham_parse_int64(ham_xml_attr(n, "interval", "0"), &interval_ms);
		if (ham_parse_int64(ham_xml_attr(n, "last-failure", ""), &last) == 0 && last > 0) {
			time_t t = (time_t)last;
			struct tm tm;

			if (localtime_r(&t, &tm))
				strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", &tm);
		}
		if (interval_ms > 0)
			ham_buf_addf(b, "  %s on %s: %s every %llums, fail-count=%s%s%s\n",
				     ham_xml_attr(n, "resource", ""), ham_xml_attr(n, "node", ""),
				     ham_xml_attr(n, "operation", ""), (unsigned long long)interval_ms,
				     ham_xml_attr(n, "count", ""), when[0] ? ", last " : "", when);
		else
			ham_buf_addf(b, "  %s on %s: %s, fail-count=%s%s%s\n",
				     ham_xml_attr(n, "resource", ""), ham_xml_attr(n, "node", ""),
				     ham_xml_attr(n, "operation", ""), ham_xml_attr(n, "count", ""),
				     when[0] ? ", last " : "", when);
	}
	if (opt->failcounts && !any)
		ham_buf_addf(b, "\nFail counts: none\n");
	if (verbose)
		ham_buf_addf(b, "\n(answered by %s, node id %s)\n", ham_xml_attr(root, "local", ""),
		       ham_xml_attr(root, "local-id", ""));
}

static void status_usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl [--output text|json|xml] status [--inactive] [--failcounts]\n"
		"       hactl status --watch [--interval DURATION] [--inactive] [--failcounts]\n"
		"\n"
		"Show the cluster as this node's hamgrd sees it: name, DC, quorum,\n"
		"nodes, resources and where they run, failed actions, CIB version.\n"
		"\n"
		"  -r, --inactive   also list the resources that run nowhere (as crm_mon,\n"
		"                   the text hides them by default and says how many)\n"
		"  --failcounts     list the fail counts: per resource, node and operation,\n"
		"                   with the time of the last failure\n"
		"  -w, --watch      redraw whenever the cluster changes, until Ctrl-C or\n"
		"                   SIGTERM (exit 0); text only\n"
		"  --interval D     how often --watch asks hamgrd (default 2s, at least 200ms)\n"
		"JSON and XML always hold every resource and fail count.\n");
}

/* Asks hamgrd for the status document. Exit status; errors printed unless quiet. */
static int fetch(const struct hactl_ctx *ctx, bool quiet, char **ret, size_t *ret_len)
{
	int saved = -1, devnull, rc;

	if (quiet) {
		/* --watch: an unreachable daemon is shown on the screen, not
		 * printed to stderr at every poll */
		fflush(stderr);
		saved = dup(STDERR_FILENO);
		devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
		if (saved >= 0 && devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		if (devnull >= 0)
			close(devnull);
	}
	rc = hactl_ipc_call(ctx, HAM_IPC_STATUS, NULL, 0, STATUS_TIMEOUT_MS, ret, ret_len);
	if (saved >= 0) {
		fflush(stderr);
		dup2(saved, STDERR_FILENO);
		close(saved);
	}
	return rc;
}

static xmlDoc *parse_status(const char *reply, size_t len, xmlNode **ret_root)
{
	xmlDoc *doc = len <= INT32_MAX ? xmlReadMemory(reply, (int)len, "status", NULL,
						       XML_PARSE_NONET | XML_PARSE_NOERROR |
						       XML_PARSE_NOWARNING | XML_PARSE_HUGE)
				       : NULL;
	xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;

	if (root == NULL || !ham_xml_is(root, HAM_ST_ROOT)) {
		xmlFreeDoc(doc);
		return NULL;
	}
	*ret_root = root;
	return doc;
}

/* One --watch screen (the text status, or why there is none), in b. */
static void watch_screen(const struct hactl_ctx *ctx, const struct hactl_status_args *opt,
			 ham_buf *b)
{
	char *reply = NULL;
	size_t len;
	xmlNode *root;
	xmlDoc *doc;
	int rc = fetch(ctx, true, &reply, &len);

	if (rc != HAM_EXIT_OK) {
		ham_buf_addf(b, "Cannot get the status from hamgrd on this node (exit status %d: %s); "
			     "trying again.\n", rc, rc == HAM_EXIT_UNREACHABLE ? "not reachable" :
			     rc == HAM_EXIT_PERMISSION ? "permission denied" :
			     rc == HAM_EXIT_TIMEOUT ? "no answer in time" : "error");
		return;
	}
	doc = parse_status(reply, len, &root);
	free(reply);
	if (doc == NULL) {
		ham_buf_addf(b, "hamgrd sent a status that is not a <%s> document; trying again.\n",
			     HAM_ST_ROOT);
		return;
	}
	print_text(root, opt, ctx->verbose, b);
	xmlFreeDoc(doc);
}

/*
 * --watch: polls, and redraws only when what it would show changed. SIGINT
 * and SIGTERM are blocked and taken by sigtimedwait() between polls, so a
 * signal never interrupts a redraw and always ends the loop at once.
 */
static int watch(const struct hactl_ctx *ctx, const struct hactl_status_args *opt)
{
	ham_buf last = HAM_BUF_INIT, cur = HAM_BUF_INIT;
	bool tty = isatty(STDOUT_FILENO), first = true;
	sigset_t set, old;
	struct timespec ts = { .tv_sec = (time_t)(opt->interval_ms / 1000u),
			       .tv_nsec = (long)(opt->interval_ms % 1000u) * 1000000L };
	int sig;

	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	sigprocmask(SIG_BLOCK, &set, &old);
	for (;;) {
		ham_buf_clear(&cur);
		watch_screen(ctx, opt, &cur);
		if (first || strcmp(ham_buf_str(&cur), ham_buf_str(&last)) != 0) {
			time_t now = time(NULL);
			struct tm tm;
			char when[32] = "";

			if (localtime_r(&now, &tm))
				strftime(when, sizeof(when), "%H:%M:%S", &tm);
			/* a terminal is redrawn; a pipe or file gets one screen after another */
			printf("%s--- hactl status --watch, every %llums; changed at %s (Ctrl-C ends)\n%s",
			       tty ? "\033[H\033[2J" : (first ? "" : "\n"),
			       (unsigned long long)opt->interval_ms, when, ham_buf_str(&cur));
			fflush(stdout);
			ham_buf_clear(&last);
			ham_buf_add(&last, ham_buf_str(&cur));
			first = false;
		}
		sig = sigtimedwait(&set, NULL, &ts);
		if (sig == SIGINT || sig == SIGTERM)
			break;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	ham_buf_free(&last);
	ham_buf_free(&cur);
	return HAM_EXIT_OK;
}

int hactl_cmd_status(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct hactl_status_args opt;
	xmlDoc *doc;
	xmlNode *root;
	char *reply = NULL;
	ham_buf b = HAM_BUF_INIT;
	size_t len;
	int rc;

	if (hactl_status_parse(argc, argv, ctx->output != HACTL_OUTPUT_TEXT, &opt) < 0)
		return hactl_usage_error(ctx, "%s", opt.error);
	if (opt.help) {
		status_usage(stdout);
		return HAM_EXIT_OK;
	}
	if (opt.watch)
		return watch(ctx, &opt);
	rc = fetch(ctx, false, &reply, &len);
	if (rc != HAM_EXIT_OK)
		return rc;
	if (ctx->output == HACTL_OUTPUT_XML) {
		printf("%s\n", reply);
		free(reply);
		return HAM_EXIT_OK;
	}
	doc = parse_status(reply, len, &root);
	free(reply);
	if (doc == NULL) {
		hactl_err(ctx, "hamgrd sent a status that is not a <%s> document", HAM_ST_ROOT);
		return HAM_EXIT_ERROR;
	}
	if (ctx->output == HACTL_OUTPUT_JSON) {
		print_json(root);
	} else {
		print_text(root, &opt, ctx->verbose, &b);
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	}
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_hactl_ops.c: hactl's resource and node commands
 * against a real IPC server: argument handling (usage errors before any
 * request), and every change end to end: hactl -> libqb IPC -> hamgrd's
 * request handling -> the replicated edit (two nodes on lib/cluster's fake
 * transport, in a child process) -> the CIB, read back with a CIB query;
 * unknown ids exit 4 with the CIB unchanged.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <cmocka.h>

#include <libxml/tree.h>
#include <qb/qbloop.h>

#include <hamgr/cluster.h>
#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include "hactl.h"
#include "hactl_ipc.h"
#include "ipc.h"
#include "node.h"

static const char conf[] =
	"<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" validate-with=\"pacemaker-3.0\">"
	"<configuration><crm_config><cluster_property_set id=\"opts\">"
	"<nvpair id=\"o-st\" name=\"stonith-enabled\" value=\"false\"/>"
	"</cluster_property_set></crm_config><nodes/>"
	"<resources><primitive id=\"d1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
	"<group id=\"g\"><primitive id=\"g1\" class=\"ocf\" provider=\"hamgr\" type=\"dummy\"/>"
	"</group></resources><constraints/></configuration><status/></cib>";

/* ---- hactl's error printers (hactl.c has main()) --------------------------- */

static char last_err[1024];

void hactl_err(const struct hactl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
}

int hactl_usage_error(const struct hactl_ctx *ctx, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(last_err, sizeof(last_err), fmt, ap);
	va_end(ap);
	return HAM_EXIT_USAGE;
}

/* ---- the server: two nodes on the fake transport, node1 serves IPC ------- */

static struct {
	qb_loop_t *loop;
	ham_fake_net *net;
	struct hamgrd_ipc *ipc;
	qb_loop_timer_handle timer;
} srv;

static void on_push_done(void *ud, uint64_t cookie, int result, const char *msg)
{
	hamgrd_ipc_push_done(srv.ipc, cookie, result, msg);
}

static void tick(void *data)
{
	ham_fake_net_run(srv.net);
	qb_loop_timer_add(srv.loop, QB_LOOP_HIGH, 2 * 1000000ull, NULL, tick, &srv.timer);
}

static void serve(int ready_fd)
{
	const struct hnode_callbacks cb = { .push_done = on_push_done };
	hnode *h[2];
	ham_cluster *c[2];
	char *err = NULL;
	uint32_t i;

	srv.loop = qb_loop_create();
	srv.net = ham_fake_net_new(2, "test");
	ham_fake_net_add_node(srv.net, 1, "node1");
	ham_fake_net_add_node(srv.net, 2, "node2");
	for (i = 0; i < 2; i++) {
		if (hnode_new(NULL, &cb, NULL, &h[i]) < 0 ||
		    ham_fake_connect(srv.net, i + 1, 100 + i, &hnode_cluster_callbacks, h[i], &c[i]) < 0)
			_exit(3);
		hnode_attach(h[i], c[i]);
	}
	ham_fake_net_run(srv.net);
	if (hnode_push_config(h[0], conf, strlen(conf), 0, &err) < 0)
		_exit(4);
	ham_fake_net_run(srv.net);
	if (hamgrd_ipc_start(srv.loop, h[0], &srv.ipc) < 0)
		_exit(5);
	tick(NULL);
	if (write(ready_fd, "r", 1) != 1)
		_exit(6);
	qb_loop_run(srv.loop);
	_exit(0);
}

static pid_t server_pid;
static char ipc_name[64];

static int setup(void **state)
{
	int p[2];
	char c;

	if (geteuid() != 0)
		return 0; /* hamgrd serves root and group haclient only */
	snprintf(ipc_name, sizeof(ipc_name), "hamgr-test-ops-%d", (int)getpid());
	setenv(HAM_IPC_NAME_ENV, ipc_name, 1);
	if (pipe(p) < 0)
		return -1;
	server_pid = fork();
	if (server_pid < 0)
		return -1;
	if (server_pid == 0) {
		close(p[0]);
		serve(p[1]);
	}
	close(p[1]);
	if (read(p[0], &c, 1) != 1) {
		close(p[0]);
		return -1;
	}
	close(p[0]);
	return 0;
}

static int teardown(void **state)
{
	int st;

	if (server_pid > 0) {
		kill(server_pid, SIGTERM);
		waitpid(server_pid, &st, 0);
	}
	return 0;
}

/* ---- helpers ---------------------------------------------------------------- */

static struct hactl_ctx ctx = { .output = HACTL_OUTPUT_TEXT, .prog = "hactl" };

static int run(int (*fn)(struct hactl_ctx *, int, char **), const char *cmd, ...)
{
	char *argv[16];
	const char *a;
	va_list ap;
	int argc = 0, rc;
	FILE *saved;

	argv[argc++] = (char *)cmd;
	va_start(ap, cmd);
	while ((a = va_arg(ap, const char *)) != NULL && argc < 15)
		argv[argc++] = (char *)a;
	va_end(ap);
	argv[argc] = NULL;
	last_err[0] = '\0';
	ctx.command = cmd;
	/* The commands' normal output is not what is checked here. */
	fflush(stdout);
	saved = stdout;
	stdout = fopen("/dev/null", "w");
	rc = fn(&ctx, argc, argv);
	fclose(stdout);
	stdout = saved;
	return rc;
}

static char *cib(void)
{
	xmlDoc *doc = NULL;
	xmlBuffer *b = xmlBufferCreate();
	char *s;

	assert_int_equal(hactl_get_cib(&ctx, &doc), HAM_EXIT_OK);
	xmlNodeDump(b, doc, xmlDocGetRootElement(doc), 0, 0);
	s = ham_strdup((const char *)xmlBufferContent(b));
	xmlBufferFree(b);
	xmlFreeDoc(doc);
	return s;
}

/* The <configuration> part only: the status has the version, which moves. */
static char *configuration(void)
{
	char *s = cib(), *a = strstr(s, "<configuration>"), *e = strstr(s, "</configuration>"), *r;

	assert_non_null(a);
	assert_non_null(e);
	r = ham_strndup(a, (size_t)(e - a));
	free(s);
	return r;
}

/* ---- tests ---------------------------------------------------------------------- */

static void test_usage(void **state)
{
	/* Refused before any request: no server needed. */
	assert_int_equal(run(hactl_cmd_resource, "resource", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "'resource move' needs a resource id"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "n1", "--lifetime",
			     "10min", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "--lifetime '10min' is not an ISO 8601 duration"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "d1", "--lifetime", "PT1M",
			     NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "refresh", "d1", "d2", NULL),
			 HAM_EXIT_USAGE);
	/* on a file: cleanup and refresh need the cluster; move and ban a node */
	ctx.cib_file = "/nonexistent/cib.xml";
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "'resource cleanup' needs a live cluster"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "refresh", "d1", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "'resource refresh' needs a live cluster"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "ban", "d1", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "needs the node"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "n1", "--wait", NULL),
			 HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "--wait needs a live cluster"));
	ctx.cib_file = NULL;
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "n1", "n2", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "frob", "d1", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "unknown subcommand 'frob'"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "ban", "d1", "--force", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", "d1", "--node", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", "d1", "--node=", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "restart", "d1", "--timeout", "soon",
			     NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "enable", "", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_resource, "resource", "--help", NULL), HAM_EXIT_OK);
	assert_int_equal(run(hactl_cmd_node, "node", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "standby", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "maintenance", "node1", "maybe", NULL),
			 HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "'maybe' is not on or off"));
	assert_int_equal(run(hactl_cmd_node, "node", "list", "extra", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "--help", NULL), HAM_EXIT_OK);
}

static void test_edit_text(void **state)
{
	ham_buf b = HAM_BUF_INIT;

	hactl_edit_add(&b, "set-location", "id", "cli-prefer-a<b", "node", NULL, "score",
		       "INFINITY", NULL);
	assert_string_equal(ham_buf_str(&b),
			    "<set-location id=\"cli-prefer-a&lt;b\" score=\"INFINITY\"/>");
	ham_buf_free(&b);
}

static void test_changes(void **state)
{
	char *before, *s;

	if (server_pid <= 0)
		skip();
	/* move, ban, clear */
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "node2", NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "<rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" role=\"Started\" "
				  "node=\"node2\" score=\"INFINITY\"/>"));
	free(s);
	assert_int_equal(run(hactl_cmd_resource, "resource", "ban", "g", "node1", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "ban", "d1", "node1", NULL), 0);
	/* a move to node1 lifts the ban there */
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "node1", NULL), 0);
	s = configuration();
	assert_null(strstr(s, "cli-ban-d1-on-node1"));
	assert_non_null(strstr(s, "id=\"cli-ban-g-on-node1\" rsc=\"g\" role=\"Started\" "
				  "node=\"node1\" score=\"-INFINITY\""));
	free(s);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "d1", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "g", "node1", NULL), 0);
	s = configuration();
	assert_null(strstr(s, "cli-"));
	free(s);
	/* ban without a node: g runs nowhere here */
	assert_int_equal(run(hactl_cmd_resource, "resource", "ban", "g", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "g runs on no node"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "g", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "g runs on no node"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "g", "--promoted", NULL),
			 HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "g is promoted on no node"));

	/* lifetimes: a rule that ends; clear --expired keeps what has not */
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "node2", "--lifetime",
			     "PT1H", "--promoted", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "ban", "g", "node1", "--lifetime=P1D",
			     NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "<rsc_location id=\"cli-prefer-d1\" rsc=\"d1\" role=\"Promoted\">"
				  "<rule id=\"cli-prefer-d1-rule\" score=\"INFINITY\" "
				  "boolean-op=\"and\"><expression id=\"cli-prefer-d1-expr\" "
				  "attribute=\"#uname\" operation=\"eq\" value=\"node2\" "
				  "type=\"string\"/><date_expression id=\"cli-prefer-d1-lifetime\" "
				  "operation=\"lt\" end=\""));
	assert_non_null(strstr(s, "id=\"cli-ban-g-on-node1-lifetime\" operation=\"lt\""));
	free(s);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "d1", "--expired", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "g", "--expired", NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "cli-prefer-d1"));
	assert_non_null(strstr(s, "cli-ban-g-on-node1"));
	free(s);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "g", "node1", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "d1", NULL), 0);
	s = configuration();
	assert_null(strstr(s, "cli-"));
	free(s);

	/* disable, enable */
	assert_int_equal(run(hactl_cmd_resource, "resource", "disable", "g", NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "<meta_attributes id=\"g-meta_attributes\"><nvpair "
				  "id=\"g-meta_attributes-target-role\" name=\"target-role\" "
				  "value=\"Stopped\"/>"));
	free(s);
	assert_int_equal(run(hactl_cmd_resource, "resource", "restart", "g", NULL), HAM_EXIT_ERROR);
	assert_non_null(strstr(last_err, "g is disabled"));
	assert_int_equal(run(hactl_cmd_resource, "resource", "enable", "g", NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "name=\"target-role\" value=\"Started\""));
	free(s);
	/* restart: no executor here, so it never starts again: a timeout, and
	 * target-role is restored (to Started, as enable left it). */
	assert_int_equal(run(hactl_cmd_resource, "resource", "restart", "g", "--timeout", "1s",
			     NULL), HAM_EXIT_TIMEOUT);
	assert_non_null(strstr(last_err, "did not start again"));
	s = configuration();
	assert_non_null(strstr(s, "name=\"target-role\" value=\"Started\""));
	free(s);

	/* nodes */
	assert_int_equal(run(hactl_cmd_node, "node", "standby", "node2", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "maintenance", "node1", "on", NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "<node id=\"2\" uname=\"node2\"><instance_attributes "
				  "id=\"nodes-2\"><nvpair id=\"nodes-2-standby\" name=\"standby\" "
				  "value=\"on\"/>"));
	assert_non_null(strstr(s, "<nvpair id=\"nodes-1-maintenance\" name=\"maintenance\" "
				  "value=\"on\"/>"));
	free(s);
	assert_int_equal(run(hactl_cmd_node, "node", "unstandby", "node2", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "maintenance", "node1", "off", NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "name=\"standby\" value=\"off\""));
	assert_non_null(strstr(s, "name=\"maintenance\" value=\"off\""));
	free(s);
	assert_int_equal(run(hactl_cmd_node, "node", "list", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "list", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "show", "g", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", "d1", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", "g", "--node", "node2",
			     NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", "-N", "node1", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "refresh", NULL), 0);
	assert_int_equal(run(hactl_cmd_resource, "resource", "refresh", "g", "--node=node2", NULL),
			 0);

	/* Unknown ids: exit 4, the daemon's message names them, nothing changes. */
	before = cib();
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "nosuch", "node1", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_string_equal(last_err, "no resource 'nosuch' in the configuration");
	assert_int_equal(run(hactl_cmd_resource, "resource", "move", "d1", "node9", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_string_equal(last_err, "no node 'node9' in the cluster");
	assert_int_equal(run(hactl_cmd_resource, "resource", "disable", "nosuch", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_resource, "resource", "restart", "nosuch", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_resource, "resource", "show", "nosuch", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_resource, "resource", "cleanup", "d1", "--node", "node9",
			     NULL), HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_node, "node", "standby", "node9", NULL), HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_resource, "resource", "refresh", "--node", "node9", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_resource, "resource", "refresh", "nosuch", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_resource, "resource", "clear", "nosuch", "--expired", NULL),
			 HAM_EXIT_NOT_FOUND);
	s = cib();
	assert_string_equal(s, before);
	free(s);
	free(before);
}

/* ---- operator tools: cib push --diff-against, config backup/restore, stonith ---- */

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	assert_int_equal(fputs(text, f) >= 0, true);
	assert_int_equal(fclose(f), 0);
}

/* s with the first `from` replaced by `to` (a new string). */
static char *replaced(const char *s, const char *from, const char *to)
{
	const char *p = strstr(s, from);

	assert_non_null(p);
	return ham_asprintf("%.*s%s%s", (int)(p - s), s, to, p + strlen(from));
}

static void test_operator_tools(void **state)
{
	char dir[] = "/tmp/test_hactl_ops.XXXXXX", *orig_path, *new_path, *bak_path;
	char *orig, *edited, *s, *before;

	if (server_pid <= 0)
		skip();
	assert_non_null(mkdtemp(dir));
	orig_path = ham_asprintf("%s/orig.xml", dir);
	new_path = ham_asprintf("%s/new.xml", dir);
	bak_path = ham_asprintf("%s/backup.xml", dir);

	/* backup: the whole CIB, as the cluster has it */
	assert_int_equal(run(hactl_cmd_config, "config", "backup", bak_path, NULL), 0);
	/* diff push: one change from ORIG, a concurrent change survives */
	orig = cib();
	write_file(orig_path, orig);
	edited = replaced(orig, "<constraints/>",
			  "<constraints><rsc_location id=\"l-d1\" rsc=\"d1\" node=\"node2\" "
			  "score=\"5\"/></constraints>");
	write_file(new_path, edited);
	free(edited);
	assert_int_equal(run(hactl_cmd_resource, "resource", "disable", "d1", NULL), 0);
	assert_int_equal(run(hactl_cmd_cib, "cib", "push", "--diff-against", orig_path, new_path,
			     NULL), 0);
	s = configuration();
	assert_non_null(strstr(s, "<rsc_location id=\"l-d1\" rsc=\"d1\" node=\"node2\" score=\"5\"/>"));
	assert_non_null(strstr(s, "name=\"target-role\" value=\"Stopped\""));
	free(s);
	/* a conflict: FILE removes d1, which was changed meanwhile: nothing pushed */
	free(orig);
	orig = cib();
	write_file(orig_path, orig);
	edited = replaced(orig, "<primitive id=\"d1\"", "<primitive id=\"d1x\"");
	write_file(new_path, edited);
	free(edited);
	assert_int_equal(run(hactl_cmd_resource, "resource", "enable", "d1", NULL), 0);
	before = cib();
	assert_int_equal(run(hactl_cmd_cib, "cib", "push", "--diff-against", orig_path, new_path,
			     NULL), HAM_EXIT_ERROR);
	assert_non_null(strstr(last_err, "conflict with the cluster's CIB, nothing pushed: "
				       "primitive 'd1' was changed"));
	s = cib();
	assert_string_equal(s, before);
	free(s);
	free(before);

	/* restore: the backup is older than the cluster's configuration now */
	assert_int_equal(run(hactl_cmd_config, "config", "restore", bak_path, NULL), HAM_EXIT_ERROR);
	assert_non_null(strstr(last_err, "older than the cluster's"));
	assert_int_equal(run(hactl_cmd_config, "config", "restore", "--force", bak_path, NULL), 0);
	s = configuration();
	assert_null(strstr(s, "l-d1"));
	free(s);

	/* stonith: fencing is disabled here; node2 is a member */
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "fence", "node2", NULL), HAM_EXIT_INVALID);
	assert_non_null(strstr(last_err, "fencing is disabled"));
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "fence", "node9", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "confirm", "node2", NULL), HAM_EXIT_ERROR);
	assert_non_null(strstr(last_err, "online in the membership"));
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "history", NULL), 0);
	/* enabled, without a device: refused; with one: requested (no DC runs
	 * here, so no result comes: a timeout), node2's terminate=true recorded */
	free(orig);
	orig = cib();
	write_file(orig_path, orig);
	s = replaced(orig, "name=\"stonith-enabled\" value=\"false\"",
		     "name=\"stonith-enabled\" value=\"true\"");
	edited = replaced(s, "<resources>",
			  "<resources><primitive id=\"fencer\" class=\"stonith\" "
			  "type=\"fence_hamgr_netns\"><instance_attributes id=\"fencer-ia\">"
			  "<nvpair id=\"fencer-hl\" name=\"pcmk_host_list\" value=\"node3\"/>"
			  "</instance_attributes></primitive>");
	free(s);
	write_file(new_path, edited);
	free(edited);
	assert_int_equal(run(hactl_cmd_cib, "cib", "push", "--diff-against", orig_path, new_path,
			     NULL), 0);
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "fence", "node2", NULL), HAM_EXIT_INVALID);
	assert_non_null(strstr(last_err, "no configured fence device can fence node 'node2'"));
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "create", "fencer2", "fence_hamgr_netns",
			     "pcmk_host_list=node2", "--force", NULL), 0);
	assert_int_equal(run(hactl_cmd_stonith, "stonith", "fence", "node2", "--timeout", "1s",
			     NULL), HAM_EXIT_TIMEOUT);
	s = cib();
	assert_non_null(strstr(s, "name=\"terminate\" value=\"true\""));
	free(s);

	free(orig);
	unlink(orig_path);
	unlink(new_path);
	unlink(bak_path);
	rmdir(dir);
	free(orig_path);
	free(new_path);
	free(bak_path);
}

/* hactl node attribute|utilization, live: permanent, transient (the node's
 * status), utilization; queries; deletes; then the same on a CIB file (-f). */
static void test_node_attributes(void **state)
{
	char path[] = "/tmp/test_hactl_ops.XXXXXX", *s, *before;
	FILE *f;
	int fd;

	if (server_pid <= 0)
		skip();
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "site=east", "rack=4",
			     NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "master-d1=10",
			     "--lifetime", "reboot", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "utilization", "node2", "cpu=4", NULL), 0);
	s = cib();
	assert_non_null(strstr(s, "<nvpair id=\"nodes-2-site\" name=\"site\" value=\"east\"/>"));
	assert_non_null(strstr(s, "<nvpair id=\"nodes-2-rack\" name=\"rack\" value=\"4\"/>"));
	assert_non_null(strstr(s, "<utilization id=\"nodes-2-utilization\"><nvpair "
				  "id=\"nodes-2-utilization-cpu\" name=\"cpu\" value=\"4\"/>"));
	/* (test_operator_tools may have left node2's terminate request before it) */
	assert_non_null(strstr(s, "<transient_attributes id=\"2\"><instance_attributes "
				  "id=\"status-2\"><nvpair "));
	assert_non_null(strstr(strstr(s, "<transient_attributes id=\"2\">"),
			       "<nvpair id=\"status-2-master-d1\" name=\"master-d1\" value=\"10\"/>"));
	free(s);
	/* queries: found (0) or not (4), by lifetime */
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "master-d1", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "master-d1",
			     "--lifetime=forever", NULL), HAM_EXIT_NOT_FOUND);
	assert_string_equal(last_err, "node 'node2' has no attribute 'master-d1'");
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "site", "-l", "reboot",
			     NULL), HAM_EXIT_NOT_FOUND);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node9", NULL),
			 HAM_EXIT_NOT_FOUND);
	/* deletes: without a lifetime both kinds go; an empty value deletes */
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "site=", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "--lifetime", "reboot",
			     "rack=7", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "--delete", "rack",
			     "master-d1", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "utilization", "node2", "cpu=", NULL), 0);
	s = cib();
	assert_null(strstr(s, "name=\"site\""));
	assert_null(strstr(s, "name=\"rack\""));
	assert_null(strstr(s, "name=\"master-d1\""));
	assert_null(strstr(s, "name=\"cpu\""));
	free(s);
	/* usage errors, and an unknown node changes nothing */
	before = cib();
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "a=1", "b", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "a", "b", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "=1", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "--delete", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node2", "a=1", "--lifetime",
			     "always", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "utilization", "node2", "cpu", NULL),
			 HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node9", "a=1", NULL),
			 HAM_EXIT_NOT_FOUND);
	assert_string_equal(last_err, "no node 'node9' in the cluster");
	s = cib();
	assert_string_equal(s, before);
	free(s);
	free(before);

	/* offline, on a file: the same edits, no transient ones */
	fd = mkstemp(path);
	assert_true(fd >= 0);
	f = fdopen(fd, "w");
	fputs("<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
	      "validate-with=\"pacemaker-3.0\"><configuration><crm_config><cluster_property_set "
	      "id=\"o\"><nvpair id=\"o-st\" name=\"stonith-enabled\" value=\"false\"/>"
	      "</cluster_property_set></crm_config><nodes><node id=\"1\" "
	      "uname=\"node1\"/></nodes><resources/><constraints/></configuration><status/></cib>",
	      f);
	fclose(f);
	ctx.cib_file = path;
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node1", "site=west", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "utilization", "node1", "memory=512", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node1", "site", NULL), 0);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node1", "x=1", "--lifetime",
			     "reboot", NULL), HAM_EXIT_USAGE);
	assert_non_null(strstr(last_err, "a CIB file (-f) has none"));
	assert_int_equal(run(hactl_cmd_node, "node", "standby", "node1", NULL), HAM_EXIT_USAGE);
	assert_int_equal(run(hactl_cmd_node, "node", "attribute", "node5", "x=1", NULL),
			 HAM_EXIT_NOT_FOUND);
	ctx.cib_file = NULL;
	f = fopen(path, "r");
	assert_non_null(f);
	{
		char buf[4096];
		size_t n = fread(buf, 1, sizeof(buf) - 1, f);

		buf[n] = '\0';
		assert_non_null(strstr(buf, "name=\"site\" value=\"west\""));
		assert_non_null(strstr(buf, "<utilization id=\"nodes-1-utilization\">"));
		assert_null(strstr(buf, "name=\"x\""));
	}
	fclose(f);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_usage),
		cmocka_unit_test(test_edit_text),
		cmocka_unit_test(test_changes),
		cmocka_unit_test(test_operator_tools),
		cmocka_unit_test(test_node_attributes),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

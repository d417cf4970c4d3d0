/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/tests/test_node.c: the node logic on the fake transport:
 * DC agreement, replicated configuration pushes, crash and rejoin with the
 * newest CIB, a push during a sync round, quorum refusal, persistence.
 */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>
#include "node.h"
#include "status.h"

struct tnode {
	hnode *h;
	ham_cluster *c;
	uint32_t id;
	int pushes;
	int last_result;
	char path[256];
};

static char tmpdir[64];

static void push_done(void *ud, uint64_t cookie, int result, const char *msg)
{
	struct tnode *t = ud;

	t->pushes++;
	t->last_result = result;
}

static const struct hnode_callbacks ncb = { .push_done = push_done };

static void start(ham_fake_net *net, struct tnode *t, uint32_t id, uint32_t pid)
{
	t->id = id;
	snprintf(t->path, sizeof(t->path), "%s/cib-%u.xml", tmpdir, id);
	assert_int_equal(hnode_new(t->path, &ncb, t, &t->h), 0);
	assert_int_equal(ham_fake_connect(net, id, pid, &hnode_cluster_callbacks, t->h, &t->c), 0);
	hnode_attach(t->h, t->c);
}

static void stop(struct tnode *t, bool crash)
{
	if (crash)
		ham_fake_crash(t->c);
	t->c = ham_cluster_free(t->c);
	t->h = hnode_free(t->h);
}

static ham_fake_net *new_net(void)
{
	ham_fake_net *net = ham_fake_net_new(3, "testcluster");

	ham_fake_net_add_node(net, 1, "node1");
	ham_fake_net_add_node(net, 2, "node2");
	ham_fake_net_add_node(net, 3, "node3");
	return net;
}

static void version(struct tnode *t, struct cib_version *v)
{
	cibdoc_get_version(hnode_cib(t->h), v);
}

static char *dump(struct tnode *t)
{
	char *s;
	size_t len;

	cibdoc_dump(hnode_cib(t->h), &s, &len);
	return s;
}

static void assert_same_cib(struct tnode *a, struct tnode *b)
{
	char *x = dump(a), *y = dump(b);

	assert_string_equal(x, y);
	free(x);
	free(y);
}

static const char *const config_a =
	"<cib admin_epoch=\"0\" epoch=\"5\" num_updates=\"0\" validate-with=\"pacemaker-3.0\"><configuration>"
	"<crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/><resources><primitive id=\"dummy\" class=\"ocf\" "
	"provider=\"heartbeat\" type=\"Dummy\"/></resources><constraints/>"
	"</configuration><status/></cib>";
static const char *const config_b =
	"<cib admin_epoch=\"0\" epoch=\"0\" num_updates=\"0\" validate-with=\"pacemaker-3.0\"><configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/><resources>"
	"<primitive id=\"other\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
	"</resources><constraints/></configuration></cib>";

static int setup(void **state)
{
	char *cmd;

	snprintf(tmpdir, sizeof(tmpdir), "test_node.XXXXXX");
	assert_non_null(mkdtemp(tmpdir));
	(void)cmd;
	return 0;
}

static int teardown(void **state)
{
	char *cmd = ham_asprintf("rm -rf '%s'", tmpdir);
	int r = system(cmd);

	free(cmd);
	return r == 0 ? 0 : -1;
}

static void clean_files(void)
{
	char *cmd = ham_asprintf("rm -f '%s'/cib-*", tmpdir);

	assert_int_equal(system(cmd), 0);
	free(cmd);
}

static void test_form_and_push(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v;
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_true(hnode_joined(n[i].h));
		assert_true(hnode_quorate(n[i].h));
		assert_false(hnode_syncing(n[i].h));
		assert_int_equal(hnode_dc(n[i].h), 1);
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "3", "in_ccm"), "true");
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "2", "uname"), "node2");
	}
	assert_same_cib(&n[0], &n[1]);
	assert_same_cib(&n[0], &n[2]);

	/* A push on a non-DC node applies everywhere, answered once. */
	assert_int_equal(hnode_push_config(n[1].h, config_a, strlen(config_a), 7, &err), 0);
	assert_null(err);
	ham_fake_net_run(net);
	assert_int_equal(n[1].pushes, 1);
	assert_int_equal(n[1].last_result, 0);
	assert_int_equal(n[0].pushes, 0);
	for (i = 0; i < 3; i++) {
		version(&n[i], &v);
		assert_int_equal(v.epoch, 1);
		assert_int_equal(v.num_updates, 0);
	}
	assert_same_cib(&n[0], &n[2]);
	{
		char *s = dump(&n[2]);

		assert_non_null(strstr(s, "id=\"dummy\""));
		free(s);
	}

	/* A rejected push changes nothing. */
	{
		const char *bad = "<cib admin_epoch=\"0\" epoch=\"0\" num_updates=\"0\" "
				  "validate-with=\"pacemaker-3.0\"><configuration><bogus/>"
				  "</configuration></cib>";

		assert_int_equal(hnode_push_config(n[0].h, bad, strlen(bad), 8, &err), -HAM_E_SCHEMA);
	}
	assert_non_null(strstr(err, "bogus"));
	free(err);
	assert_int_equal(hnode_push_config(n[0].h, "<cib", 4, 9, &err), -HAM_E_XML);
	free(err);
	ham_fake_net_run(net);
	version(&n[0], &v);
	assert_int_equal(v.epoch, 1);

	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_crash_and_rejoin(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v1, v2;
	ham_buf b = HAM_BUF_INIT;
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);

	/* The DC crashes: the others agree on node 2 and keep quorum; node 1
	 * is down but expected (unclean). */
	stop(&n[0], true);
	ham_fake_net_run(net);
	for (i = 1; i < 3; i++) {
		assert_int_equal(hnode_dc(n[i].h), 2);
		assert_true(hnode_quorate(n[i].h));
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "1", "in_ccm"), "false");
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "1", "expected"), "member");
	}
	hamgrd_status_xml(n[1].h, &b);
	assert_non_null(strstr(ham_buf_str(&b), "<node name=\"node1\" id=\"1\" online=\"false\""));
	assert_non_null(strstr(ham_buf_str(&b), "unclean=\"true\""));
	assert_non_null(strstr(ham_buf_str(&b), "dc=\"node2\""));
	ham_buf_free(&b);

	/* The survivors change the configuration meanwhile. */
	assert_int_equal(hnode_push_config(n[2].h, config_b, strlen(config_b), 1, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].last_result, 0);

	/* Node 1 comes back with its stored, older copy and takes the newest. */
	start(net, &n[0], 1, 200);
	version(&n[0], &v1);
	version(&n[1], &v2);
	assert_true(cib_version_cmp(&v1, &v2) < 0);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[0].h), 1);
	assert_same_cib(&n[0], &n[1]);
	assert_same_cib(&n[0], &n[2]);
	version(&n[0], &v1);
	assert_int_equal(v1.epoch, 1);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[0].h), "1", "in_ccm"), "true");

	/* An orderly leave marks the node expected down. */
	stop(&n[2], false);
	ham_fake_net_run(net);
	assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[0].h), "3", "expected"), "down");

	stop(&n[0], false);
	stop(&n[1], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_full_restart_newest_wins(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v;
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	/* Node 3 stops; the other two change the configuration twice more. */
	stop(&n[2], false);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config_force(n[0].h, config_b, strlen(config_b), true, 2, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[1].h, config_a, strlen(config_a), 3, &err), 0);
	ham_fake_net_run(net);
	stop(&n[0], false);
	stop(&n[1], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);

	/* Everything restarts, the stale node first. */
	net = new_net();
	start(net, &n[2], 3, 300);
	version(&n[2], &v);
	assert_int_equal(v.epoch, 1);
	ham_fake_net_run(net);
	assert_false(hnode_quorate(n[2].h));
	/* A partition without quorum has a DC too (it applies no-quorum-policy). */
	assert_int_equal(hnode_dc(n[2].h), 3);
	/* Without quorum, pushes are refused. */
	assert_int_equal(hnode_push_config(n[2].h, config_b, strlen(config_b), 4, &err),
			 -HAM_E_NO_QUORUM);
	free(err);
	start(net, &n[0], 1, 301);
	start(net, &n[1], 2, 302);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		version(&n[i], &v);
		assert_int_equal(v.epoch, 3);
		assert_int_equal(hnode_dc(n[i].h), 1);
	}
	assert_same_cib(&n[0], &n[2]);
	assert_same_cib(&n[1], &n[2]);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_push_during_sync(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v;
	char *err = NULL;
	int i;

	clean_files();
	start(net, &n[0], 1, 100);
	start(net, &n[1], 2, 101);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	stop(&n[0], false);
	stop(&n[1], false);
	ham_fake_net_run(net);
	/* Node 1 restarts with epoch 1 and a joiner with nothing; a push is
	 * sent right after the join, before the offers are delivered. */
	start(net, &n[0], 1, 200);
	start(net, &n[1], 2, 201);
	ham_fake_net_run(net);
	start(net, &n[2], 3, 202);
	/* The confchg for node 3 is queued; deliver it, and the offers that
	 * it triggers are queued after our push. */
	assert_int_equal(hnode_push_config_force(n[1].h, config_b, strlen(config_b), true, 2, &err), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		version(&n[i], &v);
		assert_int_equal(v.epoch, 2);
	}
	assert_same_cib(&n[0], &n[2]);
	assert_same_cib(&n[1], &n[2]);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * A replace held during a sync round keeps its length: one with a NUL inside
 * was copied as a string and then read with its full length (a heap
 * over-read on every node, which the sanitizer build reports).
 */
static void test_deferred_replace_with_nul(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v;
	size_t plen = strlen(config_a) + 1 + 4096;
	char *payload = ham_malloc(plen);
	int i;

	clean_files();
	start(net, &n[0], 1, 100);
	start(net, &n[1], 2, 101);
	ham_fake_net_run(net);
	/* A NUL after the document, then more bytes the copy did not keep. */
	memcpy(payload, config_a, strlen(config_a) + 1);
	memset(payload + strlen(config_a) + 1, 'A', 4096);
	start(net, &n[2], 3, 102);  /* opens a round ... */
	/* ... during which the replace arrives */
	assert_int_equal(ham_cluster_send(n[1].c, HAM_MSG_CIB_REPLACE, payload, plen, NULL), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_false(hnode_syncing(n[i].h));
		version(&n[i], &v);
		assert_int_equal(v.epoch, 0); /* not XML: rejected everywhere */
	}
	free(payload);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/*
 * Every push names its base version: an older one is refused (naming both
 * versions) unless forced, and two pushes from the same base racing each
 * other are decided in agreed order: the second is refused everywhere.
 */
static void test_stale_push(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v;
	char *err = NULL, *x, *y;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 500 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	version(&n[0], &v);
	assert_int_equal(v.epoch, 1);

	/* Two edits of the current copy (epoch 1), racing. */
	x = ham_asprintf("<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\"><configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/>"
			 "<resources><primitive id=\"x\" class=\"ocf\" provider=\"heartbeat\" "
			 "type=\"Dummy\"/></resources><constraints/></configuration></cib>");
	y = ham_asprintf("<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"0\" "
			 "validate-with=\"pacemaker-3.0\"><configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/>"
			 "<resources><primitive id=\"y\" class=\"ocf\" provider=\"heartbeat\" "
			 "type=\"Dummy\"/></resources><constraints/></configuration></cib>");
	assert_int_equal(hnode_push_config(n[1].h, x, strlen(x), 2, &err), 0);
	assert_int_equal(hnode_push_config(n[2].h, y, strlen(y), 3, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[1].pushes, 1);
	assert_int_equal(n[1].last_result, 0);
	assert_int_equal(n[2].pushes, 1);
	assert_int_equal(n[2].last_result, -ESTALE);
	for (i = 0; i < 3; i++) {
		char *s = dump(&n[i]);

		version(&n[i], &v);
		assert_int_equal(v.epoch, 2);
		assert_non_null(strstr(s, "id=\"x\""));
		assert_null(strstr(s, "id=\"y\""));
		free(s);
	}

	/* The older copy is refused at once, naming both versions. */
	assert_int_equal(hnode_push_config(n[2].h, y, strlen(y), 4, &err), -ESTALE);
	assert_non_null(err);
	assert_non_null(strstr(err, "0:1"));
	assert_non_null(strstr(err, "0:2"));
	assert_non_null(strstr(err, "--force"));
	free(err);
	err = NULL;
	/* ... and forced, it is applied everywhere. */
	assert_int_equal(hnode_push_config_force(n[2].h, y, strlen(y), true, 5, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[2].last_result, 0);
	for (i = 0; i < 3; i++) {
		version(&n[i], &v);
		assert_int_equal(v.epoch, 3);
	}
	assert_same_cib(&n[0], &n[1]);
	assert_same_cib(&n[0], &n[2]);
	free(x);
	free(y);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void silent_deliver(void *ud, const struct ham_member *s, const struct ham_msg *m) { }
static void silent_membership(void *ud, const struct ham_member *m, size_t nm,
			      const struct ham_member *l, size_t nl,
			      const struct ham_member *j, size_t nj) { }
static void silent_quorum(void *ud, bool q, uint32_t v, uint32_t e) { }

/*
 * A member that joins the group but never offers (a stuck hamgrd): the round
 * does not stay open for ever; at its deadline it is closed in agreed order
 * without it, and it is not counted as joined (join=banned), nor the DC.
 */
static void test_member_never_offers(void **state)
{
	static const struct ham_cluster_callbacks silent = {
		.deliver = silent_deliver, .membership = silent_membership,
		.quorum = silent_quorum,
	};
	ham_fake_net *net = new_net();
	struct tnode n[2] = { 0 };
	ham_cluster *stuck = NULL;
	uint64_t dl;
	int i;

	clean_files();
	start(net, &n[1], 2, 601);
	start(net, &n[0], 3, 600);
	ham_fake_net_run(net);
	assert_false(hnode_syncing(n[0].h));
	assert_int_equal(hnode_next_deadline(n[0].h), 0);
	/* node 1 (the lowest id, the DC-to-be) joins and never offers */
	assert_int_equal(ham_fake_connect(net, 1, 602, &silent, NULL, &stuck), 0);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++)
		assert_true(hnode_syncing(n[i].h));
	dl = hnode_next_deadline(n[0].h);
	assert_true(dl > 0);
	/* before the deadline nothing happens */
	hnode_tick(n[0].h, dl - 1);
	ham_fake_net_run(net);
	assert_true(hnode_syncing(n[0].h));
	/* at the deadline one member closes the round, the same way everywhere */
	hnode_tick(n[0].h, dl);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++) {
		assert_false(hnode_syncing(n[i].h));
		assert_int_equal(hnode_next_deadline(n[i].h), 0);
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "1", "join"), "banned");
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "2", "join"), "member");
		assert_int_equal(hnode_dc(n[i].h), 2);
	}
	assert_same_cib(&n[0], &n[1]);
	/* once it leaves, a later round does not remember it */
	stuck = ham_cluster_free(stuck);
	ham_fake_net_run(net);
	for (i = 0; i < 2; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void test_store_checksum(void **state)
{
	char *path = ham_asprintf("%s/store.xml", tmpdir), *buf, *cmd;
	size_t len;
	hnode *h = NULL;
	FILE *f;

	assert_int_equal(cibdoc_store_save(path, "<cib/>", 6), 0);
	assert_int_equal(cibdoc_store_save(path, "<cib epoch=\"1\"/>", 16), 0);
	assert_int_equal(cibdoc_store_load(path, &buf, &len, NULL), 0);
	assert_string_equal(buf, "<cib epoch=\"1\"/>");
	free(buf);
	cmd = ham_asprintf("%s.1", path);
	assert_int_equal(cibdoc_store_load(cmd, &buf, &len, NULL), 0);
	assert_string_equal(buf, "<cib/>");
	free(buf);
	free(cmd);
	/* A flipped byte is caught, and the daemon refuses the file. */
	f = fopen(path, "r+");
	assert_non_null(f);
	fseek(f, -3, SEEK_END);
	fputc('X', f);
	fclose(f);
	{
		char *why = NULL;

		assert_int_equal(cibdoc_store_load(path, &buf, &len, &why), -HAM_E_CHECKSUM);
		/* The message names the newest good backup. */
		assert_non_null(why);
		assert_non_null(strstr(why, "store.xml.1"));
		free(why);
	}
	/* The daemon starts without a configuration, the file rejected (named why). */
	assert_int_equal(hnode_new(path, NULL, NULL, &h), 0);
	assert_non_null(hnode_store_rejected(h));
	assert_non_null(strstr(hnode_store_rejected(h), "store.xml.1"));
	h = hnode_free(h);
	assert_int_equal(cibdoc_store_load("/nonexistent/x", &buf, &len, NULL), -ENOENT);
	free(path);
}

static char *read_raw(const char *path)
{
	FILE *f = fopen(path, "r");
	char *buf = ham_malloc(1 << 16);
	size_t n;

	assert_non_null(f);
	n = fread(buf, 1, (1 << 16) - 1, f);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

/*
 * A corrupted stored CIB: alone, the node stays rejected with no
 * configuration and writes nothing over the file; joining the cluster it
 * takes the cluster's copy, which is then stored.
 */
static void test_store_rejected_takes_cluster_copy(void **state)
{
	ham_fake_net *net = new_net(), *alone = new_net();
	struct tnode n[3] = { 0 };
	struct cib_version v0, v2;
	char *err = NULL, *before, *after, *buf, *cmd;
	size_t len;
	FILE *f;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 500 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	stop(&n[2], false);
	ham_fake_net_run(net);
	f = fopen(n[2].path, "r+");
	assert_non_null(f);
	fseek(f, -20, SEEK_END);
	fputc('#', f);
	fclose(f);
	before = read_raw(n[2].path);

	/* Alone: rejected, nothing configured, nothing written. */
	start(alone, &n[2], 3, 520);
	ham_fake_net_run(alone);
	assert_true(hnode_joined(n[2].h));
	assert_non_null(hnode_store_rejected(n[2].h));
	version(&n[2], &v2);
	assert_int_equal(v2.epoch, 0);
	after = read_raw(n[2].path);
	assert_string_equal(before, after);
	free(after);
	cmd = ham_asprintf("ls '%s' | grep -q 'cib-3.xml.corrupt-'", tmpdir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	stop(&n[2], false);
	ham_fake_net_run(alone);
	ham_fake_net_free(alone);

	/* With the cluster: its copy replaces the rejected one, and is stored. */
	start(net, &n[2], 3, 530);
	assert_non_null(hnode_store_rejected(n[2].h));
	ham_fake_net_run(net);
	assert_null(hnode_store_rejected(n[2].h));
	assert_same_cib(&n[0], &n[2]);
	version(&n[0], &v0);
	assert_true(v0.epoch >= 1);
	assert_int_equal(cibdoc_store_load(n[2].path, &buf, &len, NULL), 0);
	assert_non_null(strstr(buf, "id=\"dummy\""));
	free(buf);
	free(before);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_free(net);
}

static void test_check_config(void **state)
{
	char *err = NULL;

	assert_int_equal(cibdoc_check_config(config_a, strlen(config_a), &err), 0);
	assert_int_equal(cibdoc_check_config("<x/>", 4, &err), -HAM_E_SCHEMA);
	free(err);
	assert_int_equal(cibdoc_check_config("<cib epoch=\"-1\"><configuration/></cib>", 38, &err),
			 -HAM_E_CONFIG);
	free(err);
	{
		const char *dup = "<cib admin_epoch=\"0\" epoch=\"0\" num_updates=\"0\" "
				  "validate-with=\"pacemaker-3.0\"><configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes/>"
				  "<resources><primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" "
				  "type=\"Dummy\"/><primitive id=\"a\" class=\"ocf\" provider=\"heartbeat\" "
				  "type=\"Dummy\"/></resources><constraints/></configuration></cib>";

		assert_true(cibdoc_check_config(dup, strlen(dup), &err) < 0);
		assert_non_null(err);
		assert_non_null(strstr(err, "\"a\""));
		free(err);
	}
	{
		/* fencing on by default, no fence device: refused, as verify does */
		const char *nofence = "<cib admin_epoch=\"0\" epoch=\"0\" num_updates=\"0\" "
				      "validate-with=\"pacemaker-3.0\"><configuration><crm_config/>"
				      "<nodes/><resources><primitive id=\"a\" class=\"ocf\" "
				      "provider=\"heartbeat\" type=\"Dummy\"/></resources>"
				      "<constraints/></configuration></cib>";

		assert_int_equal(cibdoc_check_config(nofence, strlen(nofence), &err), -HAM_E_CONFIG);
		assert_non_null(err);
		assert_non_null(strstr(err, "no fence device"));
		free(err);
	}
	{
		const char *doctype = "<!DOCTYPE cib [<!ENTITY x \"y\">]><cib><configuration/></cib>";

		assert_true(cibdoc_check_config(doctype, strlen(doctype), &err) < 0);
		free(err);
	}
}


static void test_status_resources(void **state)
{
	static const char *const cib =
		"<cib admin_epoch=\"1\" epoch=\"7\" num_updates=\"3\" validate-with=\"pacemaker-3.0\">"
		"<configuration><crm_config><cluster_property_set id=\"cps\"><nvpair id=\"cps-st\" name=\"stonith-enabled\" value=\"false\"/></cluster_property_set></crm_config><nodes>"
		"<node id=\"2\" uname=\"node2\"><instance_attributes id=\"n2\">"
		"<nvpair id=\"n2-s\" name=\"standby\" value=\"on\"/></instance_attributes></node>"
		"</nodes><resources>"
		"<primitive id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\"/>"
		"<group id=\"g\"><primitive id=\"db\" class=\"ocf\" provider=\"hamgr\" type=\"mariadb\"/></group>"
		"<primitive id=\"web\" class=\"ocf\" provider=\"heartbeat\" type=\"apache\"/>"
		"<clone id=\"c\"><primitive id=\"ping\" class=\"ocf\" provider=\"pacemaker\" type=\"ping\"/></clone>"
		"</resources><constraints/></configuration><status>"
		"<node_state id=\"1\" uname=\"node1\" in_ccm=\"true\" crmd=\"online\" expected=\"member\"><lrm id=\"1\"><lrm_resources>"
		"<lrm_resource id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\">"
		"<lrm_rsc_op id=\"ip_start_0\" operation=\"start\" call-id=\"3\" rc-code=\"0\" interval=\"0\"/>"
		"<lrm_rsc_op id=\"ip_monitor_10000\" operation=\"monitor\" call-id=\"4\" rc-code=\"0\" interval=\"10000\"/>"
		"</lrm_resource>"
		"<lrm_resource id=\"db\" class=\"ocf\" provider=\"hamgr\" type=\"mariadb\">"
		"<lrm_rsc_op id=\"db_start_0\" operation=\"start\" call-id=\"5\" rc-code=\"1\" interval=\"0\" exit-reason=\"no datadir\"/>"
		"</lrm_resource>"
		"<lrm_resource id=\"web\" class=\"ocf\" provider=\"heartbeat\" type=\"apache\">"
		"<lrm_rsc_op id=\"web_start_0\" operation=\"start\" call-id=\"7\" rc-code=\"0\" interval=\"0\"/>"
		"<lrm_rsc_op id=\"web_monitor_5000\" operation=\"monitor\" call-id=\"8\" rc-code=\"7\" interval=\"5000\"/>"
		"</lrm_resource>"
		"<lrm_resource id=\"ping:0\" class=\"ocf\" provider=\"pacemaker\" type=\"ping\">"
		"<lrm_rsc_op id=\"ping_start_0\" operation=\"start\" call-id=\"6\" rc-code=\"0\" interval=\"0\"/>"
		"</lrm_resource></lrm_resources></lrm></node_state>"
		"<node_state id=\"2\" uname=\"node2\" in_ccm=\"true\" crmd=\"online\" expected=\"member\"><lrm id=\"2\"><lrm_resources>"
		"<lrm_resource id=\"ping:1\" class=\"ocf\" provider=\"pacemaker\" type=\"ping\">"
		"<lrm_rsc_op id=\"ping_start_0\" operation=\"start\" call-id=\"2\" rc-code=\"0\" interval=\"0\"/>"
		"</lrm_resource>"
		"<lrm_resource id=\"ip\" class=\"ocf\" provider=\"heartbeat\" type=\"IPaddr2\">"
		"<lrm_rsc_op id=\"ip_stop_0\" operation=\"stop\" call-id=\"9\" rc-code=\"0\" interval=\"0\"/>"
		"</lrm_resource>"
		"<lrm_resource id=\"db\" class=\"ocf\" provider=\"hamgr\" type=\"mariadb\">"
		"<lrm_rsc_op id=\"db_monitor_0\" operation=\"monitor\" call-id=\"1\" rc-code=\"7\" interval=\"0\"/>"
		"</lrm_resource></lrm_resources></lrm></node_state>"
		"</status></cib>";
	char *path = ham_asprintf("%s/status-cib.xml", tmpdir);
	ham_buf b = HAM_BUF_INIT;
	const char *x;
	hnode *h = NULL;

	assert_int_equal(cibdoc_store_save(path, cib, strlen(cib)), 0);
	assert_int_equal(hnode_new(path, NULL, NULL, &h), 0);
	hamgrd_status_xml(h, &b);
	x = ham_buf_str(&b);
	assert_non_null(strstr(x, "<cib-version admin_epoch=\"1\" epoch=\"7\" num_updates=\"3\"/>"));
	/* Started on node1 (stopped on node2 later does not count there). */
	assert_non_null(strstr(x, "<resource id=\"ip\" agent=\"ocf:heartbeat:IPaddr2\" role=\"Started\" "
				  "failed=\"false\" nodes=\"node1\"/>"));
	/* A failed start: not running, marked failed, listed as a failure. */
	assert_non_null(strstr(x, "<resource id=\"db\" agent=\"ocf:hamgr:mariadb\" parent=\"g\" "
				  "role=\"Stopped\" failed=\"true\" nodes=\"\"/>"));
	assert_non_null(strstr(x, "<failure resource=\"db\" node=\"node1\" operation=\"start\" rc=\"1\" "
				  "reason=\"no datadir\"/>"));
	/* A recurring monitor that finds it gone: failed, and listed. */
	assert_non_null(strstr(x, "<resource id=\"web\" agent=\"ocf:heartbeat:apache\" role=\"Stopped\" "
				  "failed=\"true\" nodes=\"\"/>"));
	assert_non_null(strstr(x, "<failure resource=\"web\" node=\"node1\" operation=\"monitor\" rc=\"7\"/>"));
	/* A probe saying "not running" is no failure. */
	assert_null(strstr(x, "<failure resource=\"db\" node=\"node2\""));
	/* Clone instances on both nodes. */
	assert_non_null(strstr(x, "id=\"ping\" agent=\"ocf:pacemaker:ping\" parent=\"c\" role=\"Started\" "
				  "failed=\"false\" nodes=\"node1 node2\""));
	/* Node attributes: standby from the configuration. */
	assert_non_null(strstr(x, "<node name=\"node2\" id=\"2\" online=\"false\" standby=\"true\""));
	ham_buf_free(&b);
	hnode_free(h);
	free(path);
}

static void test_partition_and_heal(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	const uint32_t minority[] = { 3 };
	struct cib_version v;
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);

	ham_fake_net_partition(net, minority, 1);
	ham_fake_net_run(net);
	assert_false(hnode_quorate(n[2].h));
	assert_int_equal(hnode_dc(n[2].h), 3);
	assert_true(hnode_quorate(n[0].h));
	assert_int_equal(hnode_dc(n[1].h), 1);
	/* The minority refuses changes; the majority makes one. */
	assert_int_equal(hnode_push_config(n[2].h, config_b, strlen(config_b), 1, &err),
			 -HAM_E_NO_QUORUM);
	free(err);
	assert_int_equal(hnode_push_config(n[1].h, config_a, strlen(config_a), 2, &err), 0);
	ham_fake_net_run(net);
	assert_int_equal(n[1].last_result, 0);
	version(&n[2], &v);
	assert_int_equal(v.epoch, 0);

	ham_fake_net_heal(net);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		version(&n[i], &v);
		assert_int_equal(v.epoch, 1);
		assert_int_equal(hnode_dc(n[i].h), 1);
		assert_false(hnode_syncing(n[i].h));
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "3", "in_ccm"), "true");
		assert_string_equal(cibdoc_get_node_state_attr(hnode_cib(n[i].h), "1", "in_ccm"), "true");
	}
	assert_same_cib(&n[0], &n[2]);
	assert_same_cib(&n[1], &n[2]);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

/* Both sides quorate (expected votes 1) and both change the configuration to
 * the same version: healing still ends with one CIB everywhere. */
static void test_split_brain_converges(void **state)
{
	ham_fake_net *net = ham_fake_net_new(1, "two");
	struct tnode n[2] = { 0 };
	const uint32_t side[] = { 2 };
	struct cib_version v;
	char *err = NULL;

	clean_files();
	ham_fake_net_add_node(net, 1, "node1");
	ham_fake_net_add_node(net, 2, "node2");
	start(net, &n[0], 1, 100);
	start(net, &n[1], 2, 101);
	ham_fake_net_run(net);
	ham_fake_net_partition(net, side, 1);
	ham_fake_net_run(net);
	assert_true(hnode_quorate(n[0].h));
	assert_true(hnode_quorate(n[1].h));
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	assert_int_equal(hnode_push_config_force(n[1].h, config_b, strlen(config_b), true, 2, &err), 0);
	ham_fake_net_run(net);
	ham_fake_net_heal(net);
	ham_fake_net_run(net);
	version(&n[0], &v);
	assert_int_equal(v.epoch, 1);
	assert_same_cib(&n[0], &n[1]);
	stop(&n[0], false);
	stop(&n[1], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

static void send_op(struct tnode *t, const char *op, int rc)
{
	struct hop_result r = { 0 };
	char name[16];

	snprintf(name, sizeof(name), "node%u", t->id);
	r.nodeid = t->id;
	r.node = name;
	r.rsc = (char *)"dummy";
	r.cls = (char *)"ocf";
	r.provider = (char *)"heartbeat";
	r.type = (char *)"Dummy";
	r.op = (char *)op;
	r.call_id = 1;
	r.rc = rc;
	r.op_status = HAM_CIB_OP_DONE;
	r.last_run_s = r.last_rc_change_s = 1000;
	assert_int_equal(hnode_send_result(t->h, &r), 0);
}

/*
 * A partition without quorum has its own DC; when it merges back, the
 * majority's CIB wins (here its version is lower: the minority recorded
 * more), but each node that ran through the split keeps its own resource
 * history: node3's stop is not lost, node1's start is not lost.
 */
static void test_merge_keeps_own_history(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	const uint32_t minority[] = { 3 };
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 200 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	send_op(&n[2], "start", 0);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++)
		assert_true(cibdoc_rsc_active(hnode_cib(n[i].h), "3", "dummy"));

	ham_fake_net_partition(net, minority, 1);
	ham_fake_net_run(net);
	assert_int_equal(hnode_dc(n[2].h), 3);
	assert_int_equal(hnode_dc(n[0].h), 1);
	/* The minority stops dummy (no-quorum-policy=stop) and records it, more
	 * than once: its num_updates ends higher than the majority's. */
	send_op(&n[2], "stop", 0);
	send_op(&n[2], "stop", 0);
	send_op(&n[2], "stop", 0);
	ham_fake_net_run(net);
	assert_false(cibdoc_rsc_active(hnode_cib(n[2].h), "3", "dummy"));
	/* The majority starts it on node1; it still believes node3 runs it. */
	send_op(&n[0], "start", 0);
	ham_fake_net_run(net);
	assert_true(cibdoc_rsc_active(hnode_cib(n[1].h), "3", "dummy"));

	ham_fake_net_heal(net);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		const cibdoc *d = hnode_cib(n[i].h);

		assert_false(hnode_syncing(n[i].h));
		assert_int_equal(hnode_dc(n[i].h), 1);
		assert_false(cibdoc_rsc_active(d, "3", "dummy"));
		assert_true(cibdoc_rsc_active(d, "1", "dummy"));
		assert_string_equal(cibdoc_get_node_state_attr(d, "3", "in_ccm"), "true");
	}
	assert_same_cib(&n[0], &n[1]);
	assert_same_cib(&n[0], &n[2]);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_free(net);
}

/* Transient attributes (fail counts) go when a node leaves in an orderly
 * way, and when a node that restarted joins again (its stored ones are stale). */
/*
 * A member whose hamgrd restarts (its offer is not from a live member) has
 * its resource history erased, so the engine probes it again.
 */
static void test_fresh_history_erased(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 400 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	send_op(&n[1], "start", 0);
	send_op(&n[2], "start", 0);
	ham_fake_net_run(net);
	assert_true(cibdoc_has_history(hnode_cib(n[0].h), "2", "dummy"));

	/* hamgrd on node2 is killed and restarts (its stored copy has the history) */
	stop(&n[1], true);
	ham_fake_net_run(net);
	assert_true(cibdoc_has_history(hnode_cib(n[0].h), "2", "dummy"));
	start(net, &n[1], 2, 410);
	assert_true(cibdoc_has_history(hnode_cib(n[1].h), "2", "dummy"));
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_false(hnode_syncing(n[i].h));
		assert_false(cibdoc_has_history(hnode_cib(n[i].h), "2", "dummy"));
		/* the members that ran through keep theirs */
		assert_true(cibdoc_has_history(hnode_cib(n[i].h), "3", "dummy"));
	}
	assert_same_cib(&n[0], &n[1]);
	assert_same_cib(&n[0], &n[2]);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_free(net);
}

static void test_transient_erased(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	const char *fc = "fail-count-dummy#start_0";
	char *err = NULL;
	int i;

	clean_files();
	for (i = 0; i < 3; i++)
		start(net, &n[i], (uint32_t)i + 1, 300 + (uint32_t)i);
	ham_fake_net_run(net);
	assert_int_equal(hnode_push_config(n[0].h, config_a, strlen(config_a), 1, &err), 0);
	ham_fake_net_run(net);
	send_op(&n[1], "start", 1);
	send_op(&n[2], "start", 1);
	ham_fake_net_run(net);
	assert_non_null(cibdoc_get_transient_attr(hnode_cib(n[0].h), "2", fc));
	assert_non_null(cibdoc_get_transient_attr(hnode_cib(n[0].h), "3", fc));

	/* node2 leaves in an orderly way (its failed start stopped first:
	 * a leaver whose status shows a resource active is not clean) */
	send_op(&n[1], "stop", 0);
	ham_fake_net_run(net);
	stop(&n[1], false);
	ham_fake_net_run(net);
	assert_null(cibdoc_get_transient_attr(hnode_cib(n[0].h), "2", fc));
	assert_non_null(cibdoc_get_transient_attr(hnode_cib(n[0].h), "3", fc));

	/* node3 crashes (its stored CIB keeps its fail count) and restarts */
	stop(&n[2], true);
	ham_fake_net_run(net);
	assert_non_null(cibdoc_get_transient_attr(hnode_cib(n[0].h), "3", fc));
	start(net, &n[2], 3, 310);
	start(net, &n[1], 2, 311);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_null(cibdoc_get_transient_attr(hnode_cib(n[i].h), "3", fc));
		assert_null(cibdoc_get_transient_attr(hnode_cib(n[i].h), "2", fc));
	}
	assert_same_cib(&n[0], &n[2]);
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_free(net);
}

static bool panic(struct tnode *t)
{
	xmlChar *v = xmlGetProp(cibdoc_root(hnode_cib(t->h)), BAD_CAST "no-quorum-panic");
	bool on = v && strcmp((const char *)v, "1") == 0;

	xmlFree(v);
	return on;
}

/* no-quorum-panic marks a partition that lost the quorum it had, only. */
static void test_no_quorum_panic(void **state)
{
	ham_fake_net *net = new_net();
	struct tnode n[3] = { 0 };
	const uint32_t minority[] = { 3 };
	int i;

	clean_files();
	start(net, &n[0], 1, 400);
	ham_fake_net_run(net);
	/* alone from the start: no quorum, never had it, so no panic */
	assert_false(hnode_quorate(n[0].h));
	assert_int_equal(hnode_dc(n[0].h), 1);
	assert_false(panic(&n[0]));
	start(net, &n[1], 2, 401);
	start(net, &n[2], 3, 402);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++)
		assert_false(panic(&n[i]));
	ham_fake_net_partition(net, minority, 1);
	ham_fake_net_run(net);
	assert_true(panic(&n[2]));
	assert_false(panic(&n[0]));
	assert_false(panic(&n[1]));
	ham_fake_net_heal(net);
	ham_fake_net_run(net);
	for (i = 0; i < 3; i++) {
		assert_true(hnode_quorate(n[i].h));
		assert_false(panic(&n[i]));
	}
	for (i = 0; i < 3; i++)
		stop(&n[i], false);
	ham_fake_net_free(net);
}

/*
 * 4 nodes split 2/2: until votequorum answers for the new ring, no half
 * reports quorum or takes it as known (the old rule, "a minority of the
 * votes loses quorum", left an exact half quorate); after the answer,
 * neither half is quorate; after the heal, all are.
 */
static void test_split_half_quorum(void **state)
{
	ham_fake_net *net = ham_fake_net_new(4, "testcluster");
	const uint32_t side[] = { 3, 4 };
	struct tnode n[4] = { 0 };
	int i;

	clean_files();
	for (i = 0; i < 4; i++) {
		char name[16];

		snprintf(name, sizeof(name), "node%d", i + 1);
		ham_fake_net_add_node(net, (uint32_t)i + 1, name);
	}
	for (i = 0; i < 4; i++)
		start(net, &n[i], (uint32_t)i + 1, 100 + (uint32_t)i);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_true(hnode_quorate(n[i].h));
		assert_true(hnode_quorum_current(n[i].h));
	}
	ham_fake_net_hold_quorum(net, true);
	ham_fake_net_partition(net, side, 2);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_false(hnode_quorum_current(n[i].h));
		assert_false(hnode_quorate(n[i].h));
	}
	ham_fake_net_hold_quorum(net, false);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_true(hnode_quorum_current(n[i].h));
		assert_false(hnode_quorate(n[i].h));
	}
	ham_fake_net_heal(net);
	ham_fake_net_run(net);
	for (i = 0; i < 4; i++) {
		assert_true(hnode_quorum_current(n[i].h));
		assert_true(hnode_quorate(n[i].h));
	}
	for (i = 0; i < 4; i++)
		stop(&n[i], false);
	ham_fake_net_run(net);
	ham_fake_net_free(net);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_form_and_push),
		cmocka_unit_test(test_crash_and_rejoin),
		cmocka_unit_test(test_full_restart_newest_wins),
		cmocka_unit_test(test_push_during_sync),
		cmocka_unit_test(test_deferred_replace_with_nul),
		cmocka_unit_test(test_stale_push),
		cmocka_unit_test(test_member_never_offers),
		cmocka_unit_test(test_store_checksum),
		cmocka_unit_test(test_store_rejected_takes_cluster_copy),
		cmocka_unit_test(test_check_config),
		cmocka_unit_test(test_status_resources),
		cmocka_unit_test(test_partition_and_heal),
		cmocka_unit_test(test_split_brain_converges),
		cmocka_unit_test(test_merge_keeps_own_history),
		cmocka_unit_test(test_transient_erased),
		cmocka_unit_test(test_fresh_history_erased),
		cmocka_unit_test(test_no_quorum_panic),
		cmocka_unit_test(test_split_half_quorum),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

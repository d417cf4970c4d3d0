/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/cluster/corosync.c: the real backend. CPG for messages, group
 * membership (agreed order, virtual synchrony) and the totem ring id;
 * libquorum's v1 model for quorum with the ring id it is for (the answer of
 * the configured provider, votequorum), votequorum for the vote counts; cmap
 * for the cluster name, the node list, the token timeout and crypto.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include <corosync/cmap.h>
#include <corosync/cpg.h>
#include <corosync/quorum.h>
#include <corosync/votequorum.h>

#include <hamgr/common.h>
#include "internal.h"

struct coro {
	cpg_handle_t cpg;
	quorum_handle_t q;
	votequorum_handle_t vq;
	cmap_handle_t cmap;
	struct cpg_name group;
	int cpg_fd;
	int q_fd;
	uint32_t max_fragment;
	bool joined;
};

static int cs_to_errno(cs_error_t e)
{
	switch (e) {
	case CS_OK:
		return 0;
	case CS_ERR_TRY_AGAIN:
		return -EAGAIN;
	case CS_ERR_LIBRARY:
	case CS_ERR_BAD_HANDLE:
		return -ENOTCONN;
	case CS_ERR_NO_MEMORY:
		return -ENOMEM;
	case CS_ERR_NOT_EXIST:
		return -ENOENT;
	case CS_ERR_ACCESS:
		return -EACCES;
	case CS_ERR_TOO_BIG:
		return -EMSGSIZE;
	case CS_ERR_INVALID_PARAM:
		return -EINVAL;
	default:
		return -EIO;
	}
}

static struct ham_cluster *from_cpg(cpg_handle_t h)
{
	void *ctx = NULL;

	if (cpg_context_get(h, &ctx) != CS_OK)
		return NULL;
	return ctx;
}

static void on_deliver(cpg_handle_t h, const struct cpg_name *group, uint32_t nodeid,
		       uint32_t pid, void *msg, size_t len)
{
	struct ham_cluster *c = from_cpg(h);

	if (c != NULL)
		cluster_receive(c, nodeid, pid, msg, len);
}

static struct ham_member *to_members(const struct cpg_address *a, size_t n)
{
	struct ham_member *m = ham_newa0(struct ham_member, n ? n : 1);
	size_t i;

	for (i = 0; i < n; i++) {
		m[i].nodeid = a[i].nodeid;
		m[i].pid = a[i].pid;
		m[i].reason = a[i].reason;
	}
	return m;
}

static void on_confchg(cpg_handle_t h, const struct cpg_name *group,
		       const struct cpg_address *members, size_t n_members,
		       const struct cpg_address *left, size_t n_left,
		       const struct cpg_address *joined, size_t n_joined)
{
	struct ham_cluster *c = from_cpg(h);
	struct ham_member *m, *l, *j;

	if (c == NULL)
		return;
	m = to_members(members, n_members);
	l = to_members(left, n_left);
	j = to_members(joined, n_joined);
	cluster_membership(c, m, n_members, l, n_left, j, n_joined);
	free(m);
	free(l);
	free(j);
}

static void on_totem(cpg_handle_t h, struct cpg_ring_id ring_id, uint32_t n_nodes,
		     const uint32_t *nodes)
{
	struct ham_cluster *c = from_cpg(h);

	if (c != NULL)
		cluster_ring(c, ring_id.nodeid, ring_id.seq, nodes, n_nodes);
}

/* quorum_context_get() gives back what quorum_model_initialize() was passed. */
static void on_quorum(quorum_handle_t h, uint32_t quorate, struct quorum_ring_id ring_id,
		      uint32_t n_nodes, const uint32_t *nodes)
{
	const void *ctx = NULL;
	struct ham_cluster *c;
	struct coro *co;
	struct votequorum_info info;
	uint32_t total = 0, expected = 0;

	if (quorum_context_get(h, &ctx) != CS_OK || ctx == NULL)
		return;
	c = (struct ham_cluster *)ctx;
	co = c->be_data;
	/* Counts only: the verdict is the notification's, for its ring. */
	memset(&info, 0, sizeof(info));
	if (co->vq && votequorum_getinfo(co->vq, 0, &info) == CS_OK) {
		total = info.total_votes;
		expected = info.node_expected_votes > info.highest_expected ?
			   info.node_expected_votes : info.highest_expected;
	}
	qb_log(LOG_DEBUG, "quorum notification: quorate=%u ring %u/%llu, %u nodes, %u of %u votes",
	       quorate, ring_id.nodeid, (unsigned long long)ring_id.seq, n_nodes, total, expected);
	cluster_quorum(c, ring_id.nodeid, ring_id.seq, quorate != 0, total, expected);
}

static int coro_send(struct ham_cluster *c, const void *buf, size_t len)
{
	struct coro *co = c->be_data;
	struct iovec iov = { .iov_base = (void *)buf, .iov_len = len };

	return cs_to_errno(cpg_mcast_joined(co->cpg, CPG_TYPE_AGREED, &iov, 1));
}

static size_t coro_fds(const struct ham_cluster *c, int *fds, size_t max)
{
	const struct coro *co = c->be_data;
	size_t n = 0;

	if (n < max)
		fds[n++] = co->cpg_fd;
	if (n < max)
		fds[n++] = co->q_fd;
	return n;
}

static int coro_dispatch(struct ham_cluster *c, int fd)
{
	struct coro *co = c->be_data;
	cs_error_t e;

	if (fd == co->cpg_fd)
		e = cpg_dispatch(co->cpg, CS_DISPATCH_ALL);
	else if (fd == co->q_fd)
		e = quorum_dispatch(co->q, CS_DISPATCH_ALL);
	else
		return -EBADF;
	if (e == CS_OK || e == CS_ERR_TRY_AGAIN)
		return 0;
	c->dead = true;
	if (c->cb.disconnected)
		c->cb.disconnected(c->ud);
	return -ENOTCONN;
}

static char *coro_name(struct ham_cluster *c)
{
	struct coro *co = c->be_data;
	char *s = NULL, *r;

	if (cmap_get_string(co->cmap, "totem.cluster_name", &s) != CS_OK)
		return NULL;
	r = ham_strdup(s);
	free(s);
	return r;
}

static int coro_nodes(struct ham_cluster *c, struct ham_cluster_node **ret, size_t *ret_n)
{
	struct coro *co = c->be_data;
	struct ham_cluster_node *nodes = NULL;
	size_t n = 0;
	unsigned i;

	for (i = 0; i < 1024; i++) {
		char key[CMAP_KEYNAME_MAXLEN];
		uint32_t id;
		char *s = NULL;

		snprintf(key, sizeof(key), "nodelist.node.%u.nodeid", i);
		if (cmap_get_uint32(co->cmap, key, &id) != CS_OK)
			break;
		snprintf(key, sizeof(key), "nodelist.node.%u.name", i);
		if (cmap_get_string(co->cmap, key, &s) != CS_OK) {
			snprintf(key, sizeof(key), "nodelist.node.%u.ring0_addr", i);
			if (cmap_get_string(co->cmap, key, &s) != CS_OK)
				s = NULL;
		}
		nodes = ham_reallocarray(nodes, n + 1, sizeof(*nodes));
		nodes[n].nodeid = id;
		nodes[n].name = s ? ham_strdup(s) : ham_asprintf("node%u", id);
		free(s);
		n++;
	}
	*ret = nodes;
	*ret_n = n;
	return 0;
}

static uint32_t coro_token_ms(struct ham_cluster *c)
{
	struct coro *co = c->be_data;
	uint32_t v = 0;

	if (cmap_get_uint32(co->cmap, "runtime.config.totem.token", &v) != CS_OK)
		return 0;
	return v;
}

static char *cmap_str(cmap_handle_t h, const char *key)
{
	char *s = NULL, *r;

	if (cmap_get_string(h, key, &s) != CS_OK)
		return NULL;
	r = ham_strdup(s);
	free(s);
	return r;
}

static int coro_crypto(struct ham_cluster *c, char **ret_cipher, char **ret_hash)
{
	struct coro *co = c->be_data;

	*ret_cipher = cmap_str(co->cmap, "totem.crypto_cipher");
	*ret_hash = cmap_str(co->cmap, "totem.crypto_hash");
	return 0;
}

static size_t coro_max_fragment(struct ham_cluster *c)
{
	struct coro *co = c->be_data;

	return co->max_fragment;
}

static void coro_free(struct ham_cluster *c)
{
	struct coro *co = c->be_data;

	if (co == NULL)
		return;
	if (co->joined && !c->dead)
		cpg_leave(co->cpg, &co->group);
	if (co->cpg)
		cpg_finalize(co->cpg);
	if (co->q)
		quorum_finalize(co->q);
	if (co->vq)
		votequorum_finalize(co->vq);
	if (co->cmap)
		cmap_finalize(co->cmap);
	free(co);
}

static const struct cluster_backend coro_backend = {
	.send = coro_send,
	.fds = coro_fds,
	.dispatch = coro_dispatch,
	.name = coro_name,
	.nodes = coro_nodes,
	.token_ms = coro_token_ms,
	.max_fragment = coro_max_fragment,
	.crypto = coro_crypto,
	.free = coro_free,
};

int ham_cluster_connect(const char *group, const struct ham_cluster_callbacks *cb,
			void *ud, ham_cluster **ret)
{
	cpg_model_v1_data_t model = {
		.model = CPG_MODEL_V1,
		.cpg_deliver_fn = on_deliver,
		.cpg_confchg_fn = on_confchg,
		.cpg_totem_confchg_fn = on_totem,
		.flags = CPG_MODEL_V1_DELIVER_INITIAL_TOTEM_CONF,
	};
	quorum_model_v1_data_t qmodel = {
		.model = QUORUM_MODEL_V1,
		.quorum_notify_fn = on_quorum,
		.nodelist_notify_fn = NULL,
	};
	votequorum_callbacks_t vcb = { 0 };
	uint32_t quorum_type = 0, atomic = 0;
	struct coro *co;
	struct ham_cluster *c;
	unsigned int nodeid = 0;
	cs_error_t e;
	int r;

	if (strlen(group) >= CPG_MAX_NAME_LENGTH)
		return -EINVAL;
	co = ham_new0(struct coro);
	co->group.length = (uint32_t)strlen(group);
	memcpy(co->group.value, group, co->group.length);
	c = cluster_new(&coro_backend, co, cb, ud);

	e = cmap_initialize(&co->cmap);
	if (e != CS_OK) {
		co->cmap = 0;
		r = e == CS_ERR_LIBRARY ? -ENOTCONN : cs_to_errno(e);
		goto fail;
	}
	e = cpg_model_initialize(&co->cpg, CPG_MODEL_V1, (cpg_model_data_t *)&model, c);
	if (e != CS_OK) {
		co->cpg = 0;
		r = e == CS_ERR_LIBRARY ? -ENOTCONN : cs_to_errno(e);
		goto fail;
	}
	e = quorum_model_initialize(&co->q, QUORUM_MODEL_V1, (quorum_model_data_t *)&qmodel,
				    &quorum_type, c);
	if (e != CS_OK) {
		co->q = 0;
		r = e == CS_ERR_LIBRARY ? -ENOTCONN : cs_to_errno(e);
		goto fail;
	}
	e = votequorum_initialize(&co->vq, &vcb);
	if (e != CS_OK) {
		co->vq = 0;
		r = e == CS_ERR_LIBRARY ? -ENOTCONN : cs_to_errno(e);
		goto fail;
	}
	if ((e = cpg_local_get(co->cpg, &nodeid)) != CS_OK ||
	    (e = cpg_fd_get(co->cpg, &co->cpg_fd)) != CS_OK ||
	    (e = quorum_fd_get(co->q, &co->q_fd)) != CS_OK) {
		r = cs_to_errno(e);
		goto fail;
	}
	co->max_fragment = HAM_MSG_MAX_FRAGMENT;
	if (cpg_max_atomic_msgsize_get(co->cpg, &atomic) == CS_OK &&
	    atomic > HAM_MSG_HEADER_SIZE + 1024 &&
	    atomic - HAM_MSG_HEADER_SIZE < co->max_fragment)
		co->max_fragment = atomic - HAM_MSG_HEADER_SIZE;
	c->nodeid = nodeid;
	c->pid = (uint32_t)getpid();
	do {
		e = cpg_join(co->cpg, &co->group);
	} while (e == CS_ERR_TRY_AGAIN);
	if (e != CS_OK) {
		r = cs_to_errno(e);
		goto fail;
	}
	co->joined = true;
	e = quorum_trackstart(co->q, CS_TRACK_CHANGES | CS_TRACK_CURRENT);
	if (e != CS_OK) {
		r = cs_to_errno(e);
		goto fail;
	}
	*ret = c;
	return 0;
fail:
	ham_cluster_free(c);
	return r;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/ipc.c: the libqb IPC server: who may connect (root and
 * group haclient), request checks (size, type, payload), and the answers.
 * A configuration push or an edit is answered when it has been applied in
 * agreed order.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <time.h>

#include <qb/qbipcs.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include "ipc.h"
#include "runner.h"
#include "shutdown.h"
#include "status.h"

struct waiting {
	struct waiting *next;
	uint64_t cookie;
	int32_t request;
	qb_ipcs_connection_t *conn;
};

struct hamgrd_ipc {
	qb_loop_t *loop;
	qb_ipcs_service_t *svc;
	hnode *node;
	gid_t group_gid;
	bool have_group;
	uint64_t next_cookie;
	struct waiting *waiting;
};

/* libqb calls the handlers without a context pointer: one server per process. */
static struct hamgrd_ipc *the_ipc;

bool hamgrd_ipc_allowed(uid_t uid, gid_t gid, gid_t group_gid)
{
	struct passwd *pw;
	gid_t groups[256];
	int n = HAM_ARRAY_SIZE(groups), i;

	if (uid == 0 || gid == group_gid)
		return true;
	pw = getpwuid(uid);
	if (pw == NULL || getgrouplist(pw->pw_name, pw->pw_gid, groups, &n) < 0)
		return false;
	for (i = 0; i < n; i++)
		if (groups[i] == group_gid)
			return true;
	return false;
}

static int32_t on_accept(qb_ipcs_connection_t *c, uid_t uid, gid_t gid)
{
	struct hamgrd_ipc *ipc = the_ipc;

	if (uid == 0 || (ipc->have_group && hamgrd_ipc_allowed(uid, gid, ipc->group_gid)))
		return 0;
	qb_log(LOG_WARNING, "Refused a client with uid %u gid %u: only root and members of "
	       "group %s may use hamgrd", (unsigned)uid, (unsigned)gid, HAM_IPC_GROUP);
	return -EACCES;
}

static void reply(qb_ipcs_connection_t *c, int32_t id, int error, const void *payload, size_t len)
{
	struct qb_ipc_response_header h;
	struct iovec iov[2];
	ssize_t r;

	int32_t room = qb_ipcs_connection_get_buffer_size(c);

	if (room > 0 && sizeof(h) + len > (size_t)room && len > 0) {
		/* The client's rings are too small: say so; it asks again with
		 * larger ones (HAM_IPC_SMALL_MSG, then HAM_IPC_MAX_MSG). */
		memset(&h, 0, sizeof(h));
		h.id = id;
		h.size = (int32_t)sizeof(h);
		h.error = -EMSGSIZE;
		r = qb_ipcs_response_send(c, &h, sizeof(h));
		if (r < 0)
			qb_log(LOG_WARNING, "Cannot answer an IPC client: %s", ham_strerror((int)r));
		return;
	}
	if (len > HAM_IPC_MAX_MSG - sizeof(h)) {
		static const char msg[] = "the answer is over the IPC size limit";

		error = -EMSGSIZE;
		payload = msg;
		len = sizeof(msg) - 1;
	}
	memset(&h, 0, sizeof(h));
	h.id = id;
	h.size = (int32_t)(sizeof(h) + len);
	h.error = error;
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)payload;
	iov[1].iov_len = len;
	r = qb_ipcs_response_sendv(c, iov, len ? 2 : 1);
	if (r == -EMSGSIZE && len > 0) {
		/* The client's buffer is too small: say so; it retries with a larger one. */
		h.size = (int32_t)sizeof(h);
		h.error = -EMSGSIZE;
		r = qb_ipcs_response_send(c, &h, sizeof(h));
	}
	if (r < 0)
		qb_log(LOG_WARNING, "Cannot answer an IPC client: %s", ham_strerror((int)r));
}

static void reply_err(qb_ipcs_connection_t *c, int32_t id, int error, const char *msg)
{
	reply(c, id, error, msg, msg ? strlen(msg) : 0);
}

/* Answers the connection when push_done(cookie) comes. */
static void wait_for(struct hamgrd_ipc *ipc, qb_ipcs_connection_t *c, int32_t request,
		     uint64_t cookie)
{
	struct waiting *w = ham_new0(struct waiting);

	w->cookie = cookie;
	w->request = request;
	w->conn = c;
	qb_ipcs_connection_ref(c);
	w->next = ipc->waiting;
	ipc->waiting = w;
}

/*
 * HAM_IPC_NODE_STOP: names, one per line, or "*" (every member). Every name
 * is checked before anything is sent: all or none.
 */
static int node_stop(struct hamgrd_ipc *ipc, const char *payload, size_t plen, uint64_t cookie,
		     char **ret_err)
{
	struct hshutdown_request q = { .time_s = (int64_t)time(NULL) };
	char *text, *line, *save = NULL, *buf;
	size_t len, i;
	int r = 0;

	*ret_err = NULL;
	if (plen == 0 || plen > 64u * 1024u || !ham_utf8_valid(payload, plen) ||
	    memchr(payload, '\0', plen)) {
		*ret_err = ham_strdup("the node list must be non-empty UTF-8 text");
		return -HAM_E_PROTOCOL;
	}
	if (!hnode_joined(ipc->node)) {
		*ret_err = ham_strdup("this node has not joined the cluster");
		return -EAGAIN;
	}
	text = ham_strndup(payload, plen);
	q.nodes = ham_newa0(uint32_t, HSHUTDOWN_MAX_NODES);
	if (strcmp(text, "*") == 0) {
		size_t nk;
		const uint32_t *known = hnode_known_nodes(ipc->node, &nk);

		for (i = 0; i < nk && q.n_nodes < HSHUTDOWN_MAX_NODES; i++)
			if (hnode_is_member(ipc->node, known[i]))
				q.nodes[q.n_nodes++] = known[i];
	} else {
		for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
			uint32_t id = hnode_node_id(ipc->node, line);

			if (id == 0) {
				*ret_err = ham_asprintf("unknown node '%s'", line);
				r = -ENOENT;
				break;
			}
			if (!hnode_is_member(ipc->node, id)) {
				*ret_err = ham_asprintf("node '%s' is not in the cluster (offline)", line);
				r = -EHOSTDOWN;
				break;
			}
			for (i = 0; i < q.n_nodes && q.nodes[i] != id; i++)
				;
			if (i == q.n_nodes) {
				if (q.n_nodes == HSHUTDOWN_MAX_NODES) {
					*ret_err = ham_strdup("too many nodes");
					r = -E2BIG;
					break;
				}
				q.nodes[q.n_nodes++] = id;
			}
		}
	}
	if (r == 0 && q.n_nodes == 0) {
		*ret_err = ham_strdup("no node to stop");
		r = -ENOENT;
	}
	if (r == 0) {
		hshutdown_request_encode(&q, &buf, &len);
		qb_log(LOG_NOTICE, "An operator asks %zu node(s) to leave the cluster", q.n_nodes);
		r = hnode_send_leaving(ipc->node, buf, len, cookie, ret_err);
		free(buf);
	}
	free(q.nodes);
	free(text);
	return r;
}

/*
 * HAM_IPC_STONITH_FENCE: the operator asks the cluster to fence a member.
 * Recorded as the node's transient terminate=true (a <fence> edit, applied
 * by every node in agreed order), which the DC's policy engine answers by
 * fencing it with the configured devices; checked here first so that a
 * request nothing would carry out is refused at once.
 */
static int stonith_fence(struct hamgrd_ipc *ipc, const char *name, uint64_t cookie,
			 char **ret_err)
{
	const cibdoc *cib = hnode_cib(ipc->node);
	uint32_t id = hnode_node_id(ipc->node, name);
	char *v = cibdoc_property(cib, "fencing-enabled");
	bool enabled = true;
	ham_buf b = HAM_BUF_INIT;
	int r;

	if (v == NULL)
		v = cibdoc_property(cib, "stonith-enabled");
	if (v && ham_parse_bool(v, &enabled) < 0)
		enabled = true;
	free(v);
	if (!hnode_joined(ipc->node)) {
		*ret_err = ham_strdup("this node has not joined the cluster");
		return -EAGAIN;
	}
	if (id == 0) {
		*ret_err = ham_asprintf("unknown node '%s'", name);
		return -ENOENT;
	}
	if (!hnode_is_member(ipc->node, id)) {
		*ret_err = ham_asprintf("node '%s' is not in the membership: the cluster fences a "
					"node that dropped out by itself; if it is down, confirm it "
					"with 'hactl stonith confirm %s'", name, name);
		return -EHOSTDOWN;
	}
	if (!enabled) {
		*ret_err = ham_strdup("fencing is disabled (stonith-enabled=false): the cluster "
				      "fences nothing");
		return -HAM_E_CONFIG;
	}
	if (hrunner_fence_device_count(cib, name) == 0) {
		*ret_err = ham_asprintf("no configured fence device can fence node '%s' (none "
					"configured, or their pcmk_host_list, pcmk_host_map or "
					"pcmk_host_check leave it out)", name);
		return -HAM_E_CONFIG;
	}
	ham_buf_add(&b, "<modify><fence node=\"");
	ham_buf_add_xml(&b, name);
	ham_buf_add(&b, "\"/></modify>");
	qb_log(LOG_WARNING, "An operator asks the cluster to fence node %s", name);
	r = hnode_push_modify(ipc->node, ham_buf_str(&b), b.len, cookie, ret_err);
	ham_buf_free(&b);
	return r;
}

static int32_t on_msg(qb_ipcs_connection_t *c, void *data, size_t size)
{
	struct hamgrd_ipc *ipc = the_ipc;
	struct qb_ipc_request_header *h = data;
	const char *payload;
	size_t plen;

	if (size < sizeof(*h) || h->size < (int32_t)sizeof(*h) || (size_t)h->size != size) {
		qb_log(LOG_WARNING, "Dropped a malformed IPC request (%zu bytes)", size);
		reply_err(c, 0, -HAM_E_PROTOCOL, "malformed request: size mismatch");
		return 0;
	}
	if (size > HAM_IPC_MAX_MSG) {
		reply_err(c, h->id, -EMSGSIZE, "request over the size limit");
		return 0;
	}
	payload = (const char *)data + sizeof(*h);
	plen = size - sizeof(*h);

	switch (h->id) {
	case HAM_IPC_STATUS: {
		ham_buf b = HAM_BUF_INIT;

		if (plen != 0) {
			reply_err(c, h->id, -HAM_E_PROTOCOL, "a status request takes no payload");
			break;
		}
		hamgrd_status_xml(ipc->node, &b);
		reply(c, h->id, 0, ham_buf_str(&b), b.len);
		ham_buf_free(&b);
		break;
	}
	case HAM_IPC_CIB_QUERY: {
		char *xml, dc[16];
		size_t len;

		if (plen != 0) {
			reply_err(c, h->id, -HAM_E_PROTOCOL, "a CIB query takes no payload");
			break;
		}
		/* What the cluster knows beside the document (quorum, the DC,
		 * nodes in <nodes>) in it: the CIB shown is a complete input for
		 * hactl simulate, as Pacemaker's is for crm_simulate. */
		snprintf(dc, sizeof(dc), "%u", hnode_dc(ipc->node));
		cibdoc_dump_for_policy(hnode_cib(ipc->node), hnode_quorate(ipc->node),
				       hnode_dc(ipc->node) ? dc : NULL, &xml, &len);
		reply(c, h->id, 0, xml, len);
		free(xml);
		break;
	}
	case HAM_IPC_CIB_REPLACE:
	case HAM_IPC_CIB_REPLACE_FORCE:
	case HAM_IPC_CIB_MODIFY: {
		struct waiting *w;
		char *err = NULL;
		uint64_t cookie = ++ipc->next_cookie;
		int r;

		if (plen == 0 || !ham_utf8_valid(payload, plen) || memchr(payload, '\0', plen)) {
			reply_err(c, h->id, -HAM_E_XML, h->id != HAM_IPC_CIB_MODIFY ?
				  "the configuration must be non-empty UTF-8 text" :
				  "the edit must be non-empty UTF-8 text");
			break;
		}
		if (h->id != HAM_IPC_CIB_MODIFY)
			r = hnode_push_config_force(ipc->node, payload, plen,
						    h->id == HAM_IPC_CIB_REPLACE_FORCE, cookie, &err);
		else
			r = hnode_push_modify(ipc->node, payload, plen, cookie, &err);
		if (r < 0) {
			reply_err(c, h->id, r, err ? err : ham_strerror(r));
			free(err);
			break;
		}
		w = ham_new0(struct waiting);
		w->cookie = cookie;
		w->request = h->id;
		w->conn = c;
		qb_ipcs_connection_ref(c);
		w->next = ipc->waiting;
		ipc->waiting = w;
		break;
	}
	case HAM_IPC_NODE_STOP: {
		char *err = NULL;
		uint64_t cookie = ++ipc->next_cookie;
		int r = node_stop(ipc, payload, plen, cookie, &err);

		if (r < 0) {
			reply_err(c, h->id, r, err ? err : ham_strerror(r));
			free(err);
			break;
		}
		wait_for(ipc, c, h->id, cookie);
		break;
	}
	case HAM_IPC_STONITH_FENCE:
	case HAM_IPC_STONITH_CONFIRM: {
		char *err = NULL, *name;
		uint64_t cookie = ++ipc->next_cookie;
		int r;

		if (plen == 0 || plen > 255 || !ham_utf8_valid(payload, plen) ||
		    memchr(payload, '\0', plen) || memchr(payload, '\n', plen)) {
			reply_err(c, h->id, -HAM_E_PROTOCOL, "the payload must be one node name");
			break;
		}
		name = ham_strndup(payload, plen);
		if (h->id == HAM_IPC_STONITH_FENCE)
			r = stonith_fence(ipc, name, cookie, &err);
		else
			r = hnode_confirm_fenced(ipc->node, name, &err);
		free(name);
		if (r < 0) {
			reply_err(c, h->id, r, err ? err : ham_strerror(r));
			free(err);
			break;
		}
		if (h->id == HAM_IPC_STONITH_FENCE)
			wait_for(ipc, c, h->id, cookie);
		else
			reply(c, h->id, 0, NULL, 0);
		break;
	}
	default:
		qb_log(LOG_WARNING, "Dropped an IPC request of unknown type %d", h->id);
		reply_err(c, h->id, -HAM_E_PROTOCOL, "unknown request type");
		break;
	}
	return 0;
}

void hamgrd_ipc_push_done(struct hamgrd_ipc *ipc, uint64_t cookie, int result, const char *msg)
{
	struct waiting **pp, *w;

	if (ipc == NULL)
		return;
	for (pp = &ipc->waiting; (w = *pp); pp = &w->next) {
		if (w->cookie == cookie) {
			*pp = w->next;
			if (result < 0)
				reply_err(w->conn, w->request, result,
					  msg ? msg : ham_strerror(result));
			else
				reply(w->conn, w->request, 0, NULL, 0);
			qb_ipcs_connection_unref(w->conn);
			free(w);
			return;
		}
	}
}

static int32_t on_closed(qb_ipcs_connection_t *c)
{
	return 0;
}

static void on_destroyed(qb_ipcs_connection_t *c)
{
}

static int32_t loop_dispatch_add(enum qb_loop_priority p, int32_t fd, int32_t evts,
				 void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_add(the_ipc->loop, p, fd, evts, data, fn);
}

static int32_t loop_dispatch_mod(enum qb_loop_priority p, int32_t fd, int32_t evts,
				 void *data, qb_ipcs_dispatch_fn_t fn)
{
	return qb_loop_poll_mod(the_ipc->loop, p, fd, evts, data, fn);
}

static int32_t loop_dispatch_del(int32_t fd)
{
	return qb_loop_poll_del(the_ipc->loop, fd);
}

static int32_t loop_job_add(enum qb_loop_priority p, void *data, qb_loop_job_dispatch_fn fn)
{
	return qb_loop_job_add(the_ipc->loop, p, data, fn);
}

int hamgrd_ipc_start(qb_loop_t *loop, hnode *node, struct hamgrd_ipc **ret)
{
	static struct qb_ipcs_service_handlers sh = {
		.connection_accept = on_accept,
		.msg_process = on_msg,
		.connection_closed = on_closed,
		.connection_destroyed = on_destroyed,
	};
	static struct qb_ipcs_poll_handlers ph = {
		.job_add = loop_job_add,
		.dispatch_add = loop_dispatch_add,
		.dispatch_mod = loop_dispatch_mod,
		.dispatch_del = loop_dispatch_del,
	};
	struct hamgrd_ipc *ipc = ham_new0(struct hamgrd_ipc);
	const char *name = getenv(HAM_IPC_NAME_ENV);
	struct group *gr = getgrnam(HAM_IPC_GROUP);
	int r;

	if (name == NULL || name[0] == '\0')
		name = HAM_IPC_NAME;
	ipc->loop = loop;
	ipc->node = node;
	if (gr != NULL) {
		ipc->group_gid = gr->gr_gid;
		ipc->have_group = true;
	} else {
		qb_log(LOG_WARNING, "Group %s does not exist: only root may use hamgrd", HAM_IPC_GROUP);
	}
	the_ipc = ipc;
	ipc->svc = qb_ipcs_create(name, 0, QB_IPC_NATIVE, &sh);
	if (ipc->svc == NULL) {
		r = -errno;
		goto fail;
	}
	qb_ipcs_poll_handlers_set(ipc->svc, &ph);
	/*
	 * No qb_ipcs_enforce_buffer_size(): it sets a floor, and every
	 * connection would allocate three rings of the largest size. Clients
	 * ask for what they need (HAM_IPC_SMALL_MSG first); requests are still
	 * checked against HAM_IPC_MAX_MSG.
	 */
	r = qb_ipcs_run(ipc->svc);
	if (r < 0)
		goto fail;
	*ret = ipc;
	return 0;
fail:
	if (ipc->svc)
		qb_ipcs_destroy(ipc->svc);
	free(ipc);
	the_ipc = NULL;
	return r;
}

void hamgrd_ipc_stop(struct hamgrd_ipc *ipc)
{
	if (ipc == NULL)
		return;
	while (ipc->waiting)
		hamgrd_ipc_push_done(ipc, ipc->waiting->cookie, -ECANCELED, "hamgrd is stopping");
	qb_ipcs_destroy(ipc->svc);
	free(ipc);
	the_ipc = NULL;
}

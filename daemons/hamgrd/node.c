/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/node.c: membership, quorum, the DC and the replicated CIB
 * (see node.h).
 *
 * Replication relies on CPG's virtual synchrony: every member sees the same
 * configuration changes and messages in the same order. So:
 *  - node_state membership is derived from each configuration change, on
 *    every node alike, without messages;
 *  - a configuration change that brings a joiner opens a sync round: every
 *    member offers its CIB's version and checksum (tagged with the member
 *    list of the round), not the CIB itself; once the offers of all round
 *    members are in, every node ranks them alike (highest version, then
 *    highest checksum, then lowest member) and the winner alone sends its
 *    whole CIB, which only the members whose offer differs from it parse;
 *    when every offer is equal nothing is sent at all;
 *  - each member that ran through the change (a partition merging back,
 *    not a restart) puts its own node_state in its offer and is
 *    authoritative for its own resource history and transient attributes:
 *    what it ran or stopped while apart is taken from its offer, so a
 *    minority's stops are not lost when the majority's CIB wins; a member
 *    that (re)started has its resource history and transient attributes
 *    erased (it is probed again), and a node that leaves in an orderly way
 *    its transient attributes;
 *  - a round has a deadline: members that have not offered by then are
 *    dropped from it, and so is a winner whose CIB stops arriving (the next
 *    candidate sends its own);
 *  - a replace that arrives during a round waits for its end, so that it is
 *    applied to the same copy everywhere.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include "node.h"
#include "cibedit.h"
#include "shutdown.h"

#define MAX_ROUND_MEMBERS 256
/*
 * The first word of a HAM_MSG_CIB_SYNC payload: the round's member count
 * and these flags.
 *  OFFER_LIVE: the sender ran through the change (its own resource history
 *   and transient attributes are current, not a stored copy).
 *  SYNC_CLOSE: not an offer but the round's deadline passed (sent by a member
 *   whose timer ran out; the first one delivered closes that step of the
 *   round the same way on every node).
 *  SYNC_OFFER2: an offer of (version, checksum, own node_state), not the CIB.
 *   Offers without it are what hamgrd sent before (the whole CIB in every
 *   offer): they are refused, logged, and their sender dropped from the
 *   round; an older hamgrd refuses ours as malformed (its count is too big).
 *  SYNC_OFFER2 | SYNC_FULL: the round winner's whole CIB.
 */
#define OFFER_LIVE 0x80000000u
#define SYNC_CLOSE 0x40000000u
#define SYNC_OFFER2 0x20000000u
#define SYNC_FULL 0x10000000u
#define SYNC_FLAGS (OFFER_LIVE | SYNC_CLOSE | SYNC_OFFER2 | SYNC_FULL)
/* An offer after the member list: u64 admin_epoch, epoch, num_updates; u32
 * checksum (CRC-32C of the serialized CIB); u32 own_len; u64 CIB length;
 * then own_len bytes: the sender's own node_state (live offers only). */
#define OFFER_FIXED 40u
/* The winner's CIB after the member list: u32 attempt, u32 checksum of the
 * text, then the text. A close: u32 attempt (absent from an older hamgrd: 0). */
#define FULL_FIXED 8u

enum { OFFER_NONE, OFFER_FRESH, OFFER_FROM_LIVE };

/*
 * A forced replace (hactl cib push --force) starts with these two bytes: a
 * NUL, which no configuration holds, then 'F'. Without it the payload is
 * the document alone, which must not be older than the copy it replaces.
 */
#define FORCE_MARK "\0F"

struct pending {
	struct pending *next;
	uint64_t seq;
	uint64_t cookie;
};

struct deferred {
	struct deferred *next;
	uint16_t type;
	struct ham_member sender;
	uint64_t seq;
	char *xml;
	size_t len;
};

/* One member's offer in the current round. */
struct round_offer {
	bool valid;              /* an offer of this version arrived */
	bool out;                /* left the group or dropped: not a candidate */
	uint8_t kind;            /* OFFER_NONE, OFFER_FRESH, OFFER_FROM_LIVE */
	struct cib_version v;
	uint32_t crc;
	uint64_t len;
	ham_cib_own_state *own;  /* a live sender's own node_state (may be NULL) */
};

struct name_entry {
	uint32_t nodeid;
	char *name;
};

struct hnode {
	struct hnode_callbacks cb;
	void *ud;
	ham_cluster *cl;
	char *cib_path;
	cibdoc *cib;
	char *cluster_name;

	struct ham_member *members;
	size_t n_members;
	bool joined;
	bool quorate;
	bool quorum_known;
	bool quorum_current;     /* quorate is votequorum's answer for this membership */
	uint32_t votes, expected;
	uint32_t dc;

	/* sync round */
	bool syncing;
	struct ham_member *round;
	bool *round_got;
	struct round_offer *round_offer; /* what each member offered */
	size_t n_round;
	uint32_t round_attempt;  /* 0: collecting offers; k: the k-th winner sends */
	size_t round_winner;     /* index in round of the member sending its CIB */
	uint64_t round_progress; /* bytes of the winner's CIB seen at the last tick */
	uint64_t round_start_ms; /* monotonic */
	char *round_dump;        /* our CIB as we offered it, sent as is if we win */
	size_t round_dump_len;
	struct cib_version round_dump_v;
	uint64_t cib_bytes;      /* our CIB's size when last serialized or loaded */
	struct hnode_sync_stats sync_stats;
	bool synced_once;        /* a round finished since this process joined */
	bool had_quorum;         /* quorate at some time since this process started */
	uint64_t round_deadline_ms; /* monotonic; the round is closed when it passes */
	struct ham_member *nacked; /* members dropped from a round: not joined */
	size_t n_nacked;
	/* Members that offered in a finished round and are still in the group:
	 * each node's hamgrd. Another process of the group on a node (it could
	 * join it with corosync's credentials) is never taken for it. */
	struct ham_member *daemons;
	size_t n_daemons;
	struct deferred *def_head, *def_tail;

	struct pending *pending;

	struct name_entry *names;
	size_t n_names;
	uint32_t *known;
	size_t n_known;

	/* Message authority: the DC incarnation whose transitions are tracked,
	 * the highest transition id seen from it, what was dropped and from
	 * whom (logged once per sender). */
	struct ham_member auth_dc;
	uint64_t auth_transition;
	uint64_t dropped_actions, dropped_results;
	struct ham_member *dropped_from;
	size_t n_dropped_from;

	uint64_t membership_ms;  /* last membership change with a node lost/added */
	bool defer_store;        /* persist() only marks unsaved; hnode_store() writes */
	bool unsaved;
	/* The stored CIB was corrupted: why; nothing is stored, and the daemon
	 * manages nothing, until the cluster's copy is taken (or pushed). */
	char *store_rejected;
	int64_t store_failing_since; /* writes fail since (0: they do not) */
	char *store_failing;         /* and why */
	/* Fencing results recorded since this process started (oldest first). */
	struct hnode_fencing *fencings;
	size_t n_fencings;
	uint64_t fencing_seq;
};

static uint64_t now_real_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void version_str(const cibdoc *d, char buf[80])
{
	struct cib_version v;

	cibdoc_get_version(d, &v);
	snprintf(buf, 80, "%llu:%llu:%llu", (unsigned long long)v.admin_epoch,
		 (unsigned long long)v.epoch, (unsigned long long)v.num_updates);
}

static void write_cib(hnode *n);

static void persist(hnode *n)
{
	/* A rejected store holds the corrupted file until the cluster's copy
	 * replaces it: an empty CIB written there would pass for a good one at
	 * the next start. */
	if (n->cib_path == NULL || n->store_rejected != NULL)
		return;
	if (n->defer_store) {
		n->unsaved = true;
		return;
	}
	write_cib(n);
}

static void write_cib(hnode *n)
{
	char *buf;
	size_t len;
	int r;

	n->unsaved = false;
	cibdoc_dump(n->cib, &buf, &len);
	r = cibdoc_store_save(n->cib_path, buf, len);
	if (r < 0)
		qb_log(LOG_ERR, "Cannot store the CIB in %s: %s", n->cib_path, ham_strerror(r));
	free(buf);
}

static void notify_changed(hnode *n)
{
	if (n->cb.changed)
		n->cb.changed(n->ud);
}

/* ---- names ---------------------------------------------------------- */

static void refresh_names(hnode *n)
{
	struct ham_cluster_node *nodes;
	size_t i, k;

	if (n->cl == NULL || ham_cluster_nodes(n->cl, &nodes, &k) < 0)
		return;
	for (i = 0; i < n->n_names; i++)
		free(n->names[i].name);
	free(n->names);
	n->names = ham_newa0(struct name_entry, k ? k : 1);
	for (i = 0; i < k; i++) {
		n->names[i].nodeid = nodes[i].nodeid;
		n->names[i].name = nodes[i].name ? nodes[i].name : ham_asprintf("node%u", nodes[i].nodeid);
		nodes[i].name = NULL;
	}
	n->n_names = k;
	ham_cluster_nodes_free(nodes, k);
}

const char *hnode_node_name(hnode *n, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n->n_names; i++)
		if (n->names[i].nodeid == nodeid)
			return n->names[i].name;
	refresh_names(n);
	for (i = 0; i < n->n_names; i++)
		if (n->names[i].nodeid == nodeid)
			return n->names[i].name;
	/* Not in corosync's node list: remember a generated name. */
	n->names = ham_reallocarray(n->names, n->n_names + 1, sizeof(*n->names));
	n->names[n->n_names].nodeid = nodeid;
	n->names[n->n_names].name = ham_asprintf("node%u", nodeid);
	return n->names[n->n_names++].name;
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

static void add_known(hnode *n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n->n_known; i++)
		if (n->known[i] == id)
			return;
	n->known = ham_reallocarray(n->known, n->n_known + 1, sizeof(*n->known));
	n->known[n->n_known++] = id;
	qsort(n->known, n->n_known, sizeof(*n->known), cmp_u32);
}

const uint32_t *hnode_known_nodes(hnode *n, size_t *ret_count)
{
	char **ids = cibdoc_node_state_ids(n->cib);
	size_t i;

	for (i = 0; i < n->n_names; i++)
		add_known(n, n->names[i].nodeid);
	for (i = 0; i < n->n_members; i++)
		add_known(n, n->members[i].nodeid);
	for (i = 0; ids[i]; i++) {
		uint32_t id;

		if (ham_parse_uint32(ids[i], &id) == 0 && id > 0)
			add_known(n, id);
		free(ids[i]);
	}
	free(ids);
	*ret_count = n->n_known;
	return n->known;
}

/* ---- membership and DC ---------------------------------------------- */

bool hnode_is_member(const hnode *n, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n->n_members; i++)
		if (n->members[i].nodeid == nodeid)
			return true;
	return false;
}

static bool member_in(const struct ham_member *set, size_t n_set, const struct ham_member *m)
{
	size_t i;

	for (i = 0; i < n_set; i++)
		if (set[i].nodeid == m->nodeid && set[i].pid == m->pid)
			return true;
	return false;
}

/* The hamgrd of node `nodeid` in this group and in good standing (it offered
 * in a finished round and was not dropped from a later one), or NULL. */
static const struct ham_member *node_daemon(const hnode *n, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n->n_daemons; i++)
		if (n->daemons[i].nodeid == nodeid &&
		    !member_in(n->nacked, n->n_nacked, &n->daemons[i]))
			return &n->daemons[i];
	return NULL;
}

/*
 * Whether node `nodeid` is not counted as joined: one of its members was
 * dropped from a round and none of its members is its hamgrd in good
 * standing (a silent extra process on a node does not take the node out).
 */
static bool is_nacked(const hnode *n, uint32_t nodeid)
{
	size_t i;

	for (i = 0; i < n->n_nacked; i++)
		if (n->nacked[i].nodeid == nodeid)
			return node_daemon(n, nodeid) == NULL;
	return false;
}

/* Records the members that offered in the round just finished as hamgrds. */
static void daemons_add_round(hnode *n)
{
	size_t i;

	for (i = 0; i < n->n_round; i++) {
		if (n->round_offer[i].kind == OFFER_NONE || !hnode_is_member(n, n->round[i].nodeid) ||
		    member_in(n->daemons, n->n_daemons, &n->round[i]))
			continue;
		n->daemons = ham_reallocarray(n->daemons, n->n_daemons + 1, sizeof(*n->daemons));
		n->daemons[n->n_daemons++] = n->round[i];
	}
}

/* Forgets the hamgrds that left the group. */
static void daemons_prune(hnode *n)
{
	size_t i, k = 0;

	for (i = 0; i < n->n_daemons; i++)
		if (member_in(n->members, n->n_members, &n->daemons[i]))
			n->daemons[k++] = n->daemons[i];
	n->n_daemons = k;
}

static void update_dc(hnode *n, const char *why)
{
	uint32_t dc = 0;
	size_t i;

	/*
	 * Every partition has a DC, quorate or not: the DC of a partition
	 * without quorum runs the engine with have-quorum=0, which applies
	 * no-quorum-policy (stop, freeze, ignore, suicide) there.
	 */
	if (n->joined)
		for (i = 0; i < n->n_members; i++)
			if ((dc == 0 || n->members[i].nodeid < dc) &&
			    !is_nacked(n, n->members[i].nodeid))
				dc = n->members[i].nodeid;
	if (dc != n->dc) {
		n->dc = dc;
		qb_log(LOG_NOTICE, "event=dc t_ms=%llu dc=%u name=%s quorate=%d members=%zu why=%s",
		       (unsigned long long)now_real_ms(), dc, dc ? hnode_node_name(n, dc) : "none",
		       n->quorate, n->n_members, why);
	}
}

static bool erase_transient(hnode *n, uint32_t id);

/*
 * no-quorum-panic="1" on <cib> while this partition has lost the quorum it
 * had: the engine fences the partition for no-quorum-policy=suicide only
 * then (a node that never had quorum, such as one booting alone, stops).
 */
static void set_panic(hnode *n)
{
	ham_cib_doc_set_cib_attr(n->cib, "no-quorum-panic",
				 n->had_quorum && !n->quorate ? "1" : NULL);
}

/* Whether a node that left the group on its own left nothing active. */
static bool leave_is_clean(hnode *n, uint32_t id)
{
	char *active = NULL;

	if (hshutdown_node_idle(n->cib, id, &active))
		return true;
	qb_log(LOG_WARNING, "event=unclean-leave t_ms=%llu node=%u name=%s rsc=%s: it left the "
	       "group while its status shows %s active; it stays unclean",
	       (unsigned long long)now_real_ms(), id, hnode_node_name(n, id), active, active);
	free(active);
	return false;
}

/*
 * Writes membership into node_state: members are up; a node that left on
 * its own (orderly) with nothing active is expected down, one that dropped out keeps
 * expected=member (it is unclean). Returns true if anything changed.
 */
static bool apply_membership_status(hnode *n, const struct ham_member *left, size_t n_left)
{
	char **ids = cibdoc_node_state_ids(n->cib);
	bool changed = false;
	char id[16];
	size_t i;

	for (i = 0; i < n->n_members; i++) {
		const char *name = hnode_node_name(n, n->members[i].nodeid);

		snprintf(id, sizeof(id), "%u", n->members[i].nodeid);
		changed |= cibdoc_set_node_state_attr(n->cib, id, name, "in_ccm", "true") > 0;
		changed |= cibdoc_set_node_state_attr(n->cib, id, name, "crmd", "online") > 0;
		/* A member dropped from a sync round has not joined: the engine
		 * fences it (join=banned, Pacemaker's value for a refused join)
		 * when fencing is enabled. "nack" is not a value the CIB model
		 * takes: every transition failed on it. */
		changed |= cibdoc_set_node_state_attr(n->cib, id, name, "join",
						      is_nacked(n, n->members[i].nodeid) ?
						      "banned" : "member") > 0;
		changed |= cibdoc_set_node_state_attr(n->cib, id, name, "expected", "member") > 0;
	}
	for (i = 0; i < n_left; i++) {
		if (hnode_is_member(n, left[i].nodeid))
			continue;
		snprintf(id, sizeof(id), "%u", left[i].nodeid);
		/* Leaving the group is orderly only when the node's status shows
		 * nothing active (shutdown.h); otherwise it stays unclean. */
		if (left[i].reason == HAM_REASON_LEAVE && leave_is_clean(n, left[i].nodeid)) {
			changed |= cibdoc_set_node_state_attr(n->cib, id, hnode_node_name(n, left[i].nodeid),
							      "expected", "down") > 0;
			/* An orderly leave erases its transient attributes (fail counts). */
			changed |= erase_transient(n, left[i].nodeid);
		}
	}
	for (i = 0; ids[i]; i++) {
		uint32_t nid;

		if (ham_parse_uint32(ids[i], &nid) == 0 && !hnode_is_member(n, nid)) {
			changed |= cibdoc_set_node_state_attr(n->cib, ids[i], NULL, "in_ccm", "false") > 0;
			changed |= cibdoc_set_node_state_attr(n->cib, ids[i], NULL, "crmd", "offline") > 0;
			/* A node that dropped out keeps join=member until it is fenced:
			 * with fencing enabled, that is what makes it unclean to the
			 * policy engine (expected=member, not in the membership). */
			if (!ham_streq(cibdoc_get_node_state_attr(n->cib, ids[i], "expected"), "member"))
				changed |= cibdoc_set_node_state_attr(n->cib, ids[i], NULL, "join",
								      "down") > 0;
		}
		free(ids[i]);
	}
	free(ids);
	if (changed)
		cibdoc_bump_num_updates(n->cib);
	return changed;
}

/* ---- a node's own status -------------------------------------------- */

/* Erases a node's transient attributes (fail counts, ...). */
static bool erase_transient(hnode *n, uint32_t id)
{
	char ids[16];

	snprintf(ids, sizeof(ids), "%u", id);
	return ham_cib_doc_erase_transient(n->cib, ids) > 0;
}

/*
 * A member whose hamgrd started afresh: its stored history says nothing of
 * what runs there now (it ran unmonitored while hamgrd was down), so its
 * resource history goes with its transient attributes; the engine probes
 * the node again, adopts what it finds running and resumes its recurring
 * monitors.
 */
static bool erase_fresh(hnode *n, uint32_t id)
{
	bool changed = erase_transient(n, id);
	char ids[16];

	snprintf(ids, sizeof(ids), "%u", id);
	return ham_cib_doc_erase_history(n->cib, ids) > 0 || changed;
}

/*
 * A node that ran through a partition is authoritative for its own resource
 * history and transient attributes: they replace our copy's. own: its
 * node_state as it offered it (NULL: it has none, so it has no history).
 */
static bool adopt_own(hnode *n, uint32_t id, const ham_cib_own_state *own)
{
	char ids[16];

	snprintf(ids, sizeof(ids), "%u", id);
	return ham_cib_doc_adopt_node_state(n->cib, ids, hnode_node_name(n, id), own) > 0;
}

/* ---- sync rounds ---------------------------------------------------- */

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* The header of every sync message: flags | count, then the round's members. */
static uint8_t *sync_msg(hnode *n, uint32_t flags, size_t extra, size_t *ret_hl)
{
	size_t i, hl = 4 + 8 * n->n_round;
	uint8_t *p = ham_malloc(hl + extra);

	put32(p, (uint32_t)n->n_round | flags);
	for (i = 0; i < n->n_round; i++) {
		put32(p + 4 + 8 * i, n->round[i].nodeid);
		put32(p + 8 + 8 * i, n->round[i].pid);
	}
	*ret_hl = hl;
	return p;
}

static bool is_me(const hnode *n, const struct ham_member *m)
{
	return n->cl && m->nodeid == ham_cluster_local_nodeid(n->cl) &&
	       m->pid == ham_cluster_local_pid(n->cl);
}

/*
 * Our offer: the CIB's version, its checksum and length, and (when we ran
 * through the change) our own node_state. A few hundred bytes plus our own
 * history, whatever the size of the CIB.
 */
static void send_sync(hnode *n)
{
	struct cib_version v;
	char *own = NULL;
	size_t len, hl, own_len = 0;
	uint8_t *p, *q;
	char *xml;
	int r;

	cibdoc_dump(n->cib, &xml, &len);
	n->cib_bytes = len;
	cibdoc_get_version(n->cib, &v);
	if (n->synced_once) {
		char ids[16];

		snprintf(ids, sizeof(ids), "%u", ham_cluster_local_nodeid(n->cl));
		if (ham_cib_doc_dump_node_state(n->cib, ids, &own, &own_len) < 0)
			own_len = 0;
	}
	p = sync_msg(n, SYNC_OFFER2 | (n->synced_once ? OFFER_LIVE : 0), OFFER_FIXED + own_len, &hl);
	q = p + hl;
	put64(q, v.admin_epoch);
	put64(q + 8, v.epoch);
	put64(q + 16, v.num_updates);
	put32(q + 24, ham_crc32c(xml, len));
	put32(q + 28, (uint32_t)own_len);
	put64(q + 32, len);
	if (own_len > 0)
		memcpy(q + OFFER_FIXED, own, own_len);
	r = ham_cluster_send(n->cl, HAM_MSG_CIB_SYNC, p, hl + OFFER_FIXED + own_len, NULL);
	if (r < 0)
		qb_log(LOG_ERR, "Cannot offer our CIB to the group: %s", ham_strerror(r));
	free(own);
	free(p);
	/* Kept: serializing a big CIB again costs as much as the first time. */
	free(n->round_dump);
	n->round_dump = xml;
	n->round_dump_len = len;
	n->round_dump_v = v;
}

static void drop_round_dump(hnode *n)
{
	free(n->round_dump);
	n->round_dump = NULL;
	n->round_dump_len = 0;
}

/* As the round's winner: our whole CIB, in fragments (lib/cluster). */
static void send_full(hnode *n)
{
	size_t len, hl;
	uint64_t t0 = ham_now_mono_ms();
	struct cib_version v;
	bool reused = false;
	uint8_t *p;
	char *xml;
	int r;

	/*
	 * The copy we offered, unless a member left since (its status changed
	 * the version): what differs otherwise (no-quorum-panic) is set again
	 * by every node when the round ends.
	 */
	cibdoc_get_version(n->cib, &v);
	if (n->round_dump && cib_version_cmp(&v, &n->round_dump_v) == 0) {
		xml = n->round_dump;
		len = n->round_dump_len;
		n->round_dump = NULL;
		reused = true;
	} else {
		cibdoc_dump(n->cib, &xml, &len);
	}
	drop_round_dump(n);
	p = sync_msg(n, SYNC_OFFER2 | SYNC_FULL, FULL_FIXED + len, &hl);
	put32(p + hl, n->round_attempt);
	put32(p + hl + 4, ham_crc32c(xml, len));
	memcpy(p + hl + FULL_FIXED, xml, len);
	free(xml);
	r = ham_cluster_send(n->cl, HAM_MSG_CIB_SYNC, p, hl + FULL_FIXED + len, NULL);
	free(p);
	if (r < 0) {
		qb_log(LOG_ERR, "Cannot send our CIB (%zu bytes) to the group: %s", len,
		       ham_strerror(r));
		return;
	}
	n->sync_stats.sent++;
	n->sync_stats.sent_bytes += len;
	qb_log(LOG_NOTICE, "event=sync-send t_ms=%llu bytes=%zu attempt=%u prepare_ms=%llu "
	       "offered_copy=%d", (unsigned long long)now_real_ms(), len, n->round_attempt,
	       (unsigned long long)(ham_now_mono_ms() - t0), reused);
}

/* The round's deadline passed here: asks every member to close this step. */
static void send_close(hnode *n)
{
	size_t hl;
	uint8_t *p = sync_msg(n, SYNC_CLOSE, 4, &hl);
	int r;

	put32(p + hl, n->round_attempt);
	r = ham_cluster_send(n->cl, HAM_MSG_CIB_SYNC, p, hl + 4, NULL);
	if (r < 0)
		qb_log(LOG_ERR, "Cannot ask the group to close the sync round: %s", ham_strerror(r));
	free(p);
}

/* The largest CIB of the round as far as we know: ours, and those offered. */
static uint64_t round_cib_bytes(const hnode *n)
{
	uint64_t b = n->cib_bytes;
	size_t i;

	for (i = 0; n->round_offer && i < n->n_round; i++)
		if (n->round_offer[i].valid && n->round_offer[i].len > b)
			b = n->round_offer[i].len;
	return b;
}

/*
 * How long a round waits for offers, or for the next fragment of the
 * winner's CIB: ten token timeouts (a message needs a few token rotations,
 * more with retransmits) and 5 s for a busy machine, plus 1 s per MiB of
 * the round's largest CIB: before it offers, a member serializes its copy
 * (0.7 s of CPU for 55 MB here), and its loop may be busy with a
 * transition over that CIB; on a machine loaded ten times over its cores,
 * 55 MB took 22 s to be offered and the DC was dropped from the round.
 */
static uint64_t round_timeout_ms(hnode *n)
{
	uint32_t token = n->cl ? ham_cluster_token_ms(n->cl) : 0;

	return 5000u + 10u * (uint64_t)(token ? token : 1000u) +
	       round_cib_bytes(n) / (1024u * 1024u) * 1000u;
}

static void nack_add(hnode *n, const struct ham_member *m)
{
	size_t i;

	for (i = 0; i < n->n_nacked; i++)
		if (n->nacked[i].nodeid == m->nodeid && n->nacked[i].pid == m->pid)
			return;
	n->nacked = ham_reallocarray(n->nacked, n->n_nacked + 1, sizeof(*n->nacked));
	n->nacked[n->n_nacked++] = *m;
}

/* Keeps only the nacked members still in the group and not offering now. */
static void nack_prune(hnode *n, const struct ham_member *offered)
{
	size_t i, k = 0;

	for (i = 0; i < n->n_nacked; i++) {
		const struct ham_member *m = &n->nacked[i];
		bool keep = false;
		size_t j;

		for (j = 0; j < n->n_members; j++)
			if (n->members[j].nodeid == m->nodeid && n->members[j].pid == m->pid)
				keep = true;
		if (offered && offered->nodeid == m->nodeid && offered->pid == m->pid)
			keep = false;
		if (keep)
			n->nacked[k++] = *m;
	}
	n->n_nacked = k;
}

static void apply_replace(hnode *n, const struct ham_member *sender, uint64_t seq,
			  const char *xml, size_t len);
static void apply_op_result(hnode *n, const struct ham_member *sender, const char *buf,
			    size_t len);
static void apply_modify(hnode *n, const struct ham_member *sender, uint64_t seq,
			 const char *buf, size_t len);
static void apply_leaving(hnode *n, const struct ham_member *sender, uint64_t seq,
			  const char *buf, size_t len);

static void clear_round_offers(hnode *n)
{
	size_t i;

	for (i = 0; n->round_offer && i < n->n_round; i++)
		ham_cib_own_state_free(n->round_offer[i].own);
	free(n->round_offer);
	n->round_offer = NULL;
}

/* Whether another member's CIB was offered in the round being finished. */
static bool round_had_peer(const hnode *n)
{
	uint32_t me = n->cl ? ham_cluster_local_nodeid(n->cl) : 0;
	size_t i;

	for (i = 0; i < n->n_round; i++)
		if (n->round[i].nodeid != me && n->round_offer && n->round_offer[i].kind != OFFER_NONE)
			return true;
	return false;
}

/* The rejected store is replaced by the copy now held (how: for the log). */
static void store_accept(hnode *n, const char *how)
{
	char v[80];

	version_str(n->cib, v);
	qb_log(LOG_NOTICE, "event=store-replaced The stored CIB was rejected (%s); it is replaced "
	       "by the cluster's copy, version %s, %s", n->store_rejected, v, how);
	n->store_rejected = ham_free(n->store_rejected);
}

static void finish_round(hnode *n)
{
	bool changed = false;
	char v[80];
	size_t i;

	n->syncing = false;
	drop_round_dump(n);
	daemons_add_round(n);
	if (n->store_rejected != NULL && round_had_peer(n))
		store_accept(n, "taken from the cluster in the sync round");
	/* The same offers in the same order everywhere: every node merges alike. */
	for (i = 0; i < n->n_round; i++) {
		const struct round_offer *o = &n->round_offer[i];

		if (o->kind == OFFER_FROM_LIVE)
			changed |= adopt_own(n, n->round[i].nodeid, o->own);
		else if (o->kind == OFFER_FRESH)
			changed |= erase_fresh(n, n->round[i].nodeid);
	}
	clear_round_offers(n);
	set_panic(n);
	if (changed)
		cibdoc_bump_num_updates(n->cib);
	if (n->joined)
		n->synced_once = true;
	update_dc(n, "sync"); /* a member dropped from the round is not the DC */
	apply_membership_status(n, NULL, 0);
	n->sync_stats.rounds++;
	n->sync_stats.last_ms = ham_now_mono_ms() - n->round_start_ms;
	version_str(n->cib, v);
	qb_log(LOG_NOTICE, "event=synced t_ms=%llu version=%s members=%zu round_ms=%llu",
	       (unsigned long long)now_real_ms(), v, n->n_members,
	       (unsigned long long)n->sync_stats.last_ms);
	persist(n);
	while (n->def_head && !n->syncing) {
		struct deferred *d = n->def_head;

		n->def_head = d->next;
		if (n->def_head == NULL)
			n->def_tail = NULL;
		if (d->type == HAM_MSG_OP_RESULT)
			apply_op_result(n, &d->sender, d->xml, d->len);
		else if (d->type == HAM_MSG_CIB_MODIFY)
			apply_modify(n, &d->sender, d->seq, d->xml, d->len);
		else if (d->type == HAM_MSG_NODE_LEAVING)
			apply_leaving(n, &d->sender, d->seq, d->xml, d->len);
		else
			apply_replace(n, &d->sender, d->seq, d->xml, d->len);
		free(d->xml);
		free(d);
	}
	notify_changed(n);
}

/* Whether offer a ranks before offer b (a < b: indices into the sorted round). */
static bool round_better(const hnode *n, size_t a, size_t b)
{
	const struct round_offer *x = &n->round_offer[a], *y = &n->round_offer[b];
	int c = cib_version_cmp(&x->v, &y->v);

	if (c != 0)
		return c > 0;
	if (x->crc != y->crc)
		return x->crc > y->crc;
	return a < b;
}

static bool round_same(const hnode *n, size_t a, size_t b)
{
	const struct round_offer *x = &n->round_offer[a], *y = &n->round_offer[b];

	return cib_version_cmp(&x->v, &y->v) == 0 && x->crc == y->crc && x->len == y->len;
}

/* Whether a candidate member still offering holds another copy than w's. */
static bool round_needs_transfer(const hnode *n, size_t w)
{
	size_t i;

	for (i = 0; i < n->n_round; i++)
		if (n->round_offer[i].valid && !n->round_offer[i].out && !round_same(n, i, w))
			return true;
	return false;
}

/*
 * All offers are in, or the winner is out: picks the best candidate still
 * in the round. When every member already holds its copy the round ends
 * here; otherwise it alone sends its CIB. Every node decides alike: the
 * offers and the drops came in agreed order.
 *
 * A winner that leaves or goes silent is replaced by the next candidate,
 * not by a new round: every member's copy is still the one it offered (CIB
 * changes wait for the round's end), so the ranking already known on every
 * node stays valid, and no second exchange of offers is needed.
 */
static void round_next(hnode *n)
{
	size_t i, best = n->n_round;
	char v[80];

	for (i = 0; i < n->n_round; i++)
		if (n->round_offer[i].valid && !n->round_offer[i].out &&
		    (best == n->n_round || round_better(n, i, best)))
			best = i;
	if (best == n->n_round || !round_needs_transfer(n, best)) {
		finish_round(n);
		return;
	}
	n->round_attempt++;
	n->round_winner = best;
	n->round_progress = 0;
	n->round_deadline_ms = ham_now_mono_ms() + round_timeout_ms(n);
	snprintf(v, sizeof(v), "%llu:%llu:%llu",
		 (unsigned long long)n->round_offer[best].v.admin_epoch,
		 (unsigned long long)n->round_offer[best].v.epoch,
		 (unsigned long long)n->round_offer[best].v.num_updates);
	qb_log(LOG_NOTICE, "event=sync-winner t_ms=%llu node=%u pid=%u version=%s crc=%08x "
	       "bytes=%llu attempt=%u", (unsigned long long)now_real_ms(),
	       n->round[best].nodeid, n->round[best].pid, v, n->round_offer[best].crc,
	       (unsigned long long)n->round_offer[best].len, n->round_attempt);
	if (is_me(n, &n->round[best]))
		send_full(n);
}

static void check_round_done(hnode *n)
{
	size_t i;

	if (!n->syncing)
		return;
	if (n->round_attempt > 0) {
		if (n->round_offer[n->round_winner].out)
			round_next(n);
		else if (!round_needs_transfer(n, n->round_winner))
			finish_round(n); /* those who lacked its copy are gone */
		return;
	}
	for (i = 0; i < n->n_round; i++)
		if (!n->round_got[i])
			return;
	round_next(n);
}

static int cmp_member(const void *a, const void *b)
{
	const struct ham_member *x = a, *y = b;

	if (x->nodeid != y->nodeid)
		return x->nodeid < y->nodeid ? -1 : 1;
	return x->pid < y->pid ? -1 : x->pid > y->pid;
}

static void start_round(hnode *n)
{
	clear_round_offers(n);
	drop_round_dump(n);
	free(n->round);
	free(n->round_got);
	n->n_round = n->n_members;
	n->round = ham_newa0(struct ham_member, n->n_round ? n->n_round : 1);
	memcpy(n->round, n->members, n->n_round * sizeof(*n->round));
	/* Sorted, so that offers name the round the same way on every node. */
	qsort(n->round, n->n_round, sizeof(*n->round), cmp_member);
	n->round_got = ham_newa0(bool, n->n_round ? n->n_round : 1);
	n->round_offer = ham_newa0(struct round_offer, n->n_round ? n->n_round : 1);
	n->round_attempt = 0;
	n->round_winner = 0;
	n->round_progress = 0;
	n->syncing = true;
	n->round_start_ms = ham_now_mono_ms();
	n->round_deadline_ms = n->round_start_ms + round_timeout_ms(n);
	nack_prune(n, NULL);
}

static void round_drop_left(hnode *n, const struct ham_member *left, size_t n_left)
{
	size_t i, j;

	for (j = 0; j < n_left; j++)
		for (i = 0; i < n->n_round; i++)
			if (n->round[i].nodeid == left[j].nodeid && n->round[i].pid == left[j].pid) {
				n->round_got[i] = true; /* nothing more will come from it */
				n->round_offer[i].out = true;
			}
}

/* Drops member i from the round: it is not joined (join=banned) until it offers again. */
static void round_nack(hnode *n, size_t i, const char *why)
{
	n->round_got[i] = true;
	n->round_offer[i].out = true;
	nack_add(n, &n->round[i]);
	qb_log(LOG_WARNING, "event=sync-dropped t_ms=%llu node=%u pid=%u why=%s; it is not "
	       "counted as joined (join=banned) until it offers in a later round",
	       (unsigned long long)now_real_ms(), n->round[i].nodeid, n->round[i].pid, why);
}

/* The index of sender in the round, or n_round. */
static size_t round_index(const hnode *n, const struct ham_member *sender)
{
	size_t i;

	for (i = 0; i < n->n_round; i++)
		if (n->round[i].nodeid == sender->nodeid && n->round[i].pid == sender->pid)
			return i;
	return n->n_round;
}

/* A close, in agreed order: every node drops the same members. */
static void on_close(hnode *n, const struct ham_member *sender, const uint8_t *body, size_t len)
{
	uint32_t attempt = len >= 4 ? get32(body) : 0; /* an older hamgrd: offers only */
	char why[160];
	size_t i;

	if (attempt != n->round_attempt) {
		qb_log(LOG_DEBUG, "Ignored a close of step %u of the sync round from node %u "
		       "(now at step %u)", attempt, sender->nodeid, n->round_attempt);
		return;
	}
	if (attempt == 0) {
		snprintf(why, sizeof(why), "no offer before the round's deadline (closed by "
			 "node %u)", sender->nodeid);
		for (i = 0; i < n->n_round; i++)
			if (!n->round_got[i])
				round_nack(n, i, why);
	} else {
		snprintf(why, sizeof(why), "its CIB stopped arriving as the round's winner "
			 "(closed by node %u); the next candidate sends its own", sender->nodeid);
		round_nack(n, n->round_winner, why);
	}
	check_round_done(n);
}

/* Reads a live offer's own node_state: one <node_state> whose id is the sender's. */
static int parse_own(const uint8_t *buf, size_t len, uint32_t nodeid, ham_cib_own_state **ret)
{
	char ids[16];

	*ret = NULL;
	if (len == 0)
		return 0;
	snprintf(ids, sizeof(ids), "%u", nodeid);
	return ham_cib_own_state_parse((const char *)buf, len, ids, ret);
}

static void on_offer(hnode *n, const struct ham_member *sender, bool live, const uint8_t *body,
		     size_t len)
{
	size_t i = round_index(n, sender);
	struct round_offer *o;
	uint32_t own_len;
	const char *why = NULL;
	ham_cib_own_state *own = NULL;

	if (i == n->n_round || n->round_got[i] || n->round_attempt > 0) {
		qb_log(LOG_DEBUG, "Ignored a late or repeated CIB offer from node %u", sender->nodeid);
		return;
	}
	if (len < OFFER_FIXED || (own_len = get32(body + 28)) != len - OFFER_FIXED)
		why = "its length does not match its contents";
	else if (own_len > 0 && !live)
		why = "a restarted member offered a status of its own";
	else if (parse_own(body + OFFER_FIXED, own_len, sender->nodeid, &own) < 0)
		why = "its own node_state is not one <node_state> with its node id";
	if (why != NULL) {
		char *w = ham_asprintf("a malformed offer (%s)", why);

		round_nack(n, i, w);
		free(w);
		check_round_done(n);
		return;
	}
	nack_prune(n, sender);
	o = &n->round_offer[i];
	n->round_got[i] = true;
	o->valid = true;
	o->kind = live ? OFFER_FROM_LIVE : OFFER_FRESH;
	o->v.admin_epoch = get64(body);
	o->v.epoch = get64(body + 8);
	o->v.num_updates = get64(body + 16);
	o->crc = get32(body + 24);
	o->len = get64(body + 32);
	o->own = own;
	check_round_done(n);
}

/* The winner's whole CIB: members whose offer differs take it. */
static void on_full(hnode *n, const struct ham_member *sender, const uint8_t *body, size_t len)
{
	size_t me = n->n_round, i;
	const char *text;
	cibdoc *doc = NULL;
	char *err = NULL, v[80];
	uint64_t t0;
	int r;

	if (n->round_attempt == 0 || len < FULL_FIXED || get32(body) != n->round_attempt ||
	    round_index(n, sender) != n->round_winner) {
		qb_log(LOG_DEBUG, "Ignored a CIB from node %u that is not the round's winner now",
		       sender->nodeid);
		return;
	}
	for (i = 0; i < n->n_round; i++)
		if (is_me(n, &n->round[i]))
			me = i;
	if (me < n->n_round && n->round_offer[me].valid && round_same(n, me, n->round_winner)) {
		n->sync_stats.skipped++;
		qb_log(LOG_INFO, "event=sync-skip t_ms=%llu from=%u bytes=%zu: we hold that copy",
		       (unsigned long long)now_real_ms(), sender->nodeid, len - FULL_FIXED);
		finish_round(n);
		return;
	}
	t0 = ham_now_mono_ms();
	text = (const char *)body + FULL_FIXED;
	len -= FULL_FIXED;
	if (get32(body + 4) != ham_crc32c(text, len)) {
		r = -HAM_E_CHECKSUM;
		err = ham_strdup("its checksum does not match its contents");
	} else {
		r = cibdoc_parse(text, len, &doc, &err);
	}
	if (r < 0) {
		/* Every receiver got the same bytes and decides alike: the winner is
		 * dropped and the next candidate sends its copy. */
		qb_log(LOG_ERR, "The CIB sent by node %u (%zu bytes) is unusable: %s", sender->nodeid,
		       len, err ? err : ham_strerror(r));
		free(err);
		round_nack(n, n->round_winner, "the CIB it sent is unusable");
		check_round_done(n);
		return;
	}
	cibdoc_free(n->cib);
	n->cib = doc;
	n->cib_bytes = len;
	n->sync_stats.taken++;
	version_str(n->cib, v);
	qb_log(LOG_NOTICE, "event=sync-taken t_ms=%llu from=%u version=%s bytes=%zu parse_ms=%llu",
	       (unsigned long long)now_real_ms(), sender->nodeid, v, len,
	       (unsigned long long)(ham_now_mono_ms() - t0));
	finish_round(n);
}

static void on_sync(hnode *n, const struct ham_member *sender, const struct ham_msg *m)
{
	const uint8_t *p = m->payload;
	uint32_t word, count;
	size_t i, hl;

	if (m->length < 4 || (count = (word = get32(p)) & ~SYNC_FLAGS) > MAX_ROUND_MEMBERS ||
	    m->length < 4 + 8 * (size_t)count) {
		qb_log(LOG_WARNING, "Dropped a malformed CIB sync message from node %u",
		       sender->nodeid);
		return;
	}
	hl = 4 + 8 * (size_t)count;
	if (!n->syncing || count != n->n_round) {
		qb_log(LOG_DEBUG, "Ignored a CIB offer from node %u of an earlier round", sender->nodeid);
		return;
	}
	for (i = 0; i < count; i++)
		if (get32(p + 4 + 8 * i) != n->round[i].nodeid ||
		    get32(p + 8 + 8 * i) != n->round[i].pid) {
			qb_log(LOG_DEBUG, "Ignored a CIB offer from node %u of another round",
			       sender->nodeid);
			return;
		}
	if (word & SYNC_CLOSE) {
		on_close(n, sender, p + hl, m->length - hl);
	} else if ((word & (SYNC_OFFER2 | SYNC_FULL)) == (SYNC_OFFER2 | SYNC_FULL)) {
		on_full(n, sender, p + hl, m->length - hl);
	} else if (word & SYNC_OFFER2) {
		on_offer(n, sender, (word & OFFER_LIVE) != 0, p + hl, m->length - hl);
	} else if ((i = round_index(n, sender)) < n->n_round && !n->round_got[i] &&
		   n->round_attempt == 0) {
		/* Never parsed as one of ours: its bytes mean something else. */
		qb_log(LOG_ERR, "event=sync-old-format t_ms=%llu node=%u: its offer carries its "
		       "whole CIB, as a hamgrd older than this one sends; offers here carry "
		       "(version, checksum) and this node cannot take that one: upgrade "
		       "hamgrd on node %u", (unsigned long long)now_real_ms(), sender->nodeid,
		       sender->nodeid);
		round_nack(n, i, "an offer in an older hamgrd's format");
		check_round_done(n);
	}
}

/* ---- configuration replacement -------------------------------------- */

static void finish_pending(hnode *n, uint64_t seq, int result, const char *msg)
{
	struct pending **pp, *p;

	for (pp = &n->pending; (p = *pp); pp = &p->next) {
		if (p->seq == seq) {
			*pp = p->next;
			if (n->cb.push_done)
				n->cb.push_done(n->ud, p->cookie, result, msg);
			free(p);
			return;
		}
	}
}

static void apply_replace(hnode *n, const struct ham_member *sender, uint64_t seq,
			  const char *xml, size_t len)
{
	bool mine = sender->nodeid == ham_cluster_local_nodeid(n->cl) &&
		    sender->pid == ham_cluster_local_pid(n->cl);
	char *err = NULL;
	bool force = false;
	char v[80];
	int r;

	if (len >= sizeof(FORCE_MARK) - 1 && memcmp(xml, FORCE_MARK, sizeof(FORCE_MARK) - 1) == 0) {
		force = true;
		xml += sizeof(FORCE_MARK) - 1;
		len -= sizeof(FORCE_MARK) - 1;
	}
	/*
	 * The origin validated it fully (schema and semantics) before sending.
	 * Here every node only parses it safely and applies it: all nodes then
	 * take the same decision even if they run different versions (a
	 * rolling upgrade with a newer schema on some nodes must not split
	 * the cluster's CIB).
	 */
	if (memchr(xml, '\0', len) != NULL) {
		r = -HAM_E_XML;
		err = ham_strdup("the configuration holds a NUL byte");
	} else {
		r = cibdoc_replace_configuration(n->cib, xml, len, force, &err);
	}
	if (r < 0) {
		qb_log(LOG_WARNING, "Rejected a configuration from node %u: %s", sender->nodeid,
		       err ? err : ham_strerror(r));
	} else {
		version_str(n->cib, v);
		qb_log(LOG_NOTICE, "event=cib-applied t_ms=%llu version=%s origin=%u seq=%llu",
		       (unsigned long long)now_real_ms(), v, sender->nodeid,
		       (unsigned long long)seq);
		if (n->store_rejected != NULL)
			store_accept(n, "a configuration pushed to the cluster");
		persist(n);
	}
	if (mine)
		finish_pending(n, seq, r, err);
	free(err);
	notify_changed(n);
}

/* A CIB change that arrives during a sync round waits for its end. */
static bool defer(hnode *n, const struct ham_member *sender, const struct ham_msg *m)
{
	struct deferred *d;

	if (!n->syncing)
		return false;
	d = ham_new0(struct deferred);
	d->type = m->type;
	d->sender = *sender;
	d->seq = m->seq;
	d->xml = ham_malloc(m->length + 1);
	memcpy(d->xml, m->payload, m->length);
	d->xml[m->length] = '\0';
	d->len = m->length;
	if (n->def_tail)
		n->def_tail->next = d;
	else
		n->def_head = d;
	n->def_tail = d;
	return true;
}

/* ---- operation results and action requests --------------------------- */

uint32_t hnode_node_id(hnode *n, const char *name)
{
	char **ids;
	uint32_t found = 0;
	size_t i;

	for (i = 0; i < n->n_names; i++)
		if (ham_streq(n->names[i].name, name))
			return n->names[i].nodeid;
	ids = cibdoc_node_state_ids(n->cib);
	for (i = 0; ids[i]; i++) {
		uint32_t id;

		if (!found && ham_streq(cibdoc_get_node_state_attr(n->cib, ids[i], "uname"), name) &&
		    ham_parse_uint32(ids[i], &id) == 0)
			found = id;
		free(ids[i]);
	}
	free(ids);
	return found;
}

/* ---- message authority ------------------------------------------------ */

/* Whether sender is the hamgrd of its node (see node_daemon()). */
static bool sender_is_daemon(const hnode *n, const struct ham_member *sender)
{
	return member_in(n->daemons, n->n_daemons, sender);
}

/* Whether sender is the current DC of this view (its node id and process). */
static bool sender_is_dc(const hnode *n, const struct ham_member *sender)
{
	const struct ham_member *d;

	if (n->dc == 0 || sender->nodeid != n->dc)
		return false;
	d = node_daemon(n, n->dc);
	return d != NULL && d->pid == sender->pid;
}

/* Counts a message refused for its sender; logs it once per sender process. */
static void drop_unauthorized(hnode *n, const struct ham_member *sender, bool action,
			      const char *what, const char *why)
{
	size_t i;

	if (action)
		n->dropped_actions++;
	else
		n->dropped_results++;
	for (i = 0; i < n->n_dropped_from; i++)
		if (n->dropped_from[i].nodeid == sender->nodeid &&
		    n->dropped_from[i].pid == sender->pid)
			return;
	if (n->n_dropped_from < MAX_ROUND_MEMBERS) {
		n->dropped_from = ham_reallocarray(n->dropped_from, n->n_dropped_from + 1,
						   sizeof(*n->dropped_from));
		n->dropped_from[n->n_dropped_from++] = *sender;
	}
	qb_log(LOG_WARNING, "event=message-dropped t_ms=%llu sender=%u pid=%u type=%s what=%s "
	       "why=%s (further ones from this sender are counted, not logged)",
	       (unsigned long long)now_real_ms(), sender->nodeid, sender->pid,
	       action ? "action" : "op-result", what, why);
}

void hnode_dropped(const hnode *n, uint64_t *ret_actions, uint64_t *ret_results)
{
	*ret_actions = n->dropped_actions;
	*ret_results = n->dropped_results;
}

/*
 * Whether an action request may be run: only from the current DC, for its
 * current transition (a transition id below one already seen from this DC
 * process is stale). Returns NULL or why not.
 */
static const char *action_refused(hnode *n, const struct ham_member *sender,
				  const struct hop_action *a)
{
	char dc[16];

	if (!sender_is_dc(n, sender))
		return "the sender is not the DC";
	snprintf(dc, sizeof(dc), "%u", sender->nodeid);
	if (a->dc_uuid && !ham_streq(a->dc_uuid, dc))
		return "dc-uuid is not the sender";
	if (n->auth_dc.nodeid != sender->nodeid || n->auth_dc.pid != sender->pid) {
		n->auth_dc = *sender;
		n->auth_transition = 0;
	}
	if (a->transition_id < n->auth_transition)
		return "a stale transition";
	n->auth_transition = a->transition_id;
	return NULL;
}

/* ---- fencing history ---------------------------------------------------- */

bool hnode_fencing_is_manual(const char *device)
{
	return ham_streq(device, HNODE_FENCING_MANUAL);
}

static void fencing_forget_oldest(hnode *n)
{
	struct hnode_fencing *f = &n->fencings[0];

	free(f->target);
	free(f->action);
	free(f->device);
	free(f->origin);
	free(f->exit_reason);
	memmove(&n->fencings[0], &n->fencings[1], (n->n_fencings - 1) * sizeof(*n->fencings));
	n->n_fencings--;
}

/* Keeps a fencing result (every node alike: results are applied in agreed order). */
static void fencing_record(hnode *n, const struct hop_result *r)
{
	struct hnode_fencing *f;

	if (r->op_status == HAM_CIB_OP_PENDING)
		return;
	if (n->n_fencings == HNODE_FENCING_HISTORY_MAX)
		fencing_forget_oldest(n);
	n->fencings = ham_reallocarray(n->fencings, n->n_fencings + 1, sizeof(*n->fencings));
	f = &n->fencings[n->n_fencings++];
	memset(f, 0, sizeof(*f));
	f->seq = ++n->fencing_seq;
	f->target = ham_strdup(r->fence_target);
	f->action = ham_strdup(r->op);
	f->device = ham_strdup(r->rsc);
	f->origin = ham_strdup(r->node);
	f->exit_reason = ham_strdup(r->exit_reason);
	f->rc = r->rc;
	f->op_status = r->op_status;
	f->time_s = r->last_rc_change_s ? r->last_rc_change_s :
		    r->last_run_s ? r->last_run_s : (int64_t)time(NULL);
	f->manual = hnode_fencing_is_manual(r->rsc);
}

const struct hnode_fencing *hnode_fencing_history(const hnode *n, size_t *ret_count)
{
	*ret_count = n->n_fencings;
	return n->fencings;
}

int hnode_confirm_fenced(hnode *n, const char *target, char **ret_err)
{
	struct hop_result r = { 0 };
	uint32_t id = hnode_node_id(n, target), me = hnode_local_id(n);
	int64_t now = (int64_t)time(NULL);
	int ret;

	*ret_err = NULL;
	if (id == 0) {
		*ret_err = ham_asprintf("unknown node '%s'", target);
		return -ENOENT;
	}
	if (hnode_is_member(n, id)) {
		*ret_err = ham_asprintf("node '%s' is online in the membership: it cannot be "
					"confirmed down", target);
		return -EBUSY;
	}
	if (!hnode_joined(n) || me == 0) {
		*ret_err = ham_strdup("this node has not joined the cluster");
		return -EAGAIN;
	}
	r.nodeid = me;
	r.node = (char *)hnode_node_name(n, me);
	r.rsc = (char *)HNODE_FENCING_MANUAL;
	r.cls = (char *)"stonith";
	r.type = (char *)"manual";
	r.op = (char *)"off";
	r.rc = 0;
	r.op_status = HAM_CIB_OP_DONE;
	r.call_id = 0;
	r.last_run_s = r.last_rc_change_s = now;
	r.exit_reason = (char *)"confirmed down by an operator";
	r.fence_target = (char *)target;
	qb_log(LOG_WARNING, "An operator confirms that node %s is down (manual fencing)", target);
	ret = hnode_send_result(n, &r);
	if (ret < 0)
		*ret_err = ham_asprintf("cannot send the confirmation: %s", ham_strerror(ret));
	return ret;
}

/*
 * Whether a result may be recorded. A node's results come from that node;
 * the DC alone records fencing (it runs the fence agents) and its own
 * timeout of an action it dispatched, and that only while the node's
 * pending record of that very action is current (so a result the node
 * reported first is never overwritten). Returns NULL, or why not;
 * *ret_forged says whether to count it (a superseded timeout is not).
 */
static const char *result_refused(hnode *n, const struct ham_member *sender,
				  const struct hop_result *r, bool *ret_forged)
{
	*ret_forged = true;
	if (r->fence_target != NULL && hnode_fencing_is_manual(r->rsc)) {
		uint32_t target = hnode_node_id(n, r->fence_target);

		if (r->nodeid != sender->nodeid || !sender_is_daemon(n, sender))
			return "a manual fencing confirmation for another node's name";
		if (target == 0 || hnode_is_member(n, target)) {
			*ret_forged = false; /* the node came back (or is unknown) meanwhile */
			return "a manual fencing confirmation of a node that is in the membership";
		}
		return NULL;
	}
	if (r->fence_target != NULL) {
		if (!sender_is_dc(n, sender))
			return "a fencing result from a node that is not the DC";
		if (r->nodeid != sender->nodeid)
			return "a fencing result for another node's name";
		return NULL;
	}
	if (r->nodeid == sender->nodeid)
		return sender_is_daemon(n, sender) ? NULL :
		       "a result from a process of the group that is not the node's hamgrd";
	if (!sender_is_dc(n, sender) || r->op_status != HAM_CIB_OP_TIMEOUT)
		return "a result for another node";
	if (!cibdoc_rsc_op_pending(n->cib, r)) {
		*ret_forged = false;
		return "the DC's timeout of an action that is not pending there";
	}
	return NULL;
}

static void apply_op_result(hnode *n, const struct ham_member *sender, const char *buf,
			    size_t len)
{
	struct hop_result r;
	const char *why = NULL;
	bool forged;
	char v[80];

	if (hop_result_decode(buf, len, &r, &why) < 0) {
		qb_log(LOG_WARNING, "Dropped a malformed operation result from node %u: %s",
		       sender->nodeid, why);
		return;
	}
	why = result_refused(n, sender, &r, &forged);
	if (why != NULL) {
		char *what = ham_asprintf("%s_%s_%llu@%u%s%s", r.rsc, r.op,
					  (unsigned long long)r.interval_ms, r.nodeid,
					  r.fence_target ? " target=" : "",
					  r.fence_target ? r.fence_target : "");

		if (forged)
			drop_unauthorized(n, sender, false, what, why);
		else
			qb_log(LOG_NOTICE, "Not recorded from node %u: %s: %s", sender->nodeid,
			       what, why);
		free(what);
		hop_result_clear(&r);
		return;
	}
	/* A manual confirmation ran no device: no resource history. */
	if (!(r.fence_target && hnode_fencing_is_manual(r.rsc)))
		cibdoc_put_rsc_op(n->cib, &r);
	if (r.fence_target && r.rc == 0 && r.op_status == HAM_CIB_OP_DONE) {
		uint32_t id = hnode_node_id(n, r.fence_target);
		char ids[16];

		snprintf(ids, sizeof(ids), "%u", id);
		if (id != 0 && !hnode_is_member(n, id))
			cibdoc_node_fenced(n->cib, ids, r.fence_target);
		else if (id != 0) /* the operator's request (hactl stonith fence) is done */
			cibdoc_set_transient_attr(n->cib, ids, r.fence_target, "terminate", NULL);
	}
	if (r.fence_target)
		fencing_record(n, &r);
	cibdoc_bump_num_updates(n->cib);
	version_str(n->cib, v);
	qb_log(LOG_NOTICE, "event=op-recorded t_ms=%llu node=%s rsc=%s op=%s interval=%llu rc=%d "
	       "status=%d call=%lld version=%s",
	       (unsigned long long)now_real_ms(), r.node, r.rsc, r.op,
	       (unsigned long long)r.interval_ms, r.rc, r.op_status, (long long)r.call_id, v);
	if (n->cb.op_result)
		n->cb.op_result(n->ud, &r);
	persist(n);
	hop_result_clear(&r);
	notify_changed(n);
}

static void on_op_result(hnode *n, const struct ham_member *sender, const struct ham_msg *m)
{
	if (!defer(n, sender, m))
		apply_op_result(n, sender, m->payload, m->length);
}

static void on_action(hnode *n, const struct ham_member *sender, const struct ham_msg *m)
{
	struct hop_action a;
	const char *why = NULL;

	if (hop_action_decode(m->payload, m->length, &a, &why) < 0) {
		qb_log(LOG_WARNING, "Dropped a malformed action request from node %u: %s",
		       sender->nodeid, why);
		return;
	}
	if (n->cl && a.target == ham_cluster_local_nodeid(n->cl) && n->cb.action) {
		const char *refused = action_refused(n, sender, &a);

		if (refused) {
			char *what = ham_asprintf("%s_%s_%llu transition=%llu", a.rsc, a.op,
						  (unsigned long long)a.interval_ms,
						  (unsigned long long)a.transition_id);

			drop_unauthorized(n, sender, true, what, refused);
			free(what);
		} else {
			n->cb.action(n->ud, &a);
		}
	}
	hop_action_clear(&a);
}

int hnode_send_action(hnode *n, const struct hop_action *a)
{
	char *buf;
	size_t len;
	int r;

	if (n->cl == NULL)
		return -ENOTCONN;
	hop_action_encode(a, &buf, &len);
	r = ham_cluster_send(n->cl, HAM_MSG_ACTION, buf, len, NULL);
	free(buf);
	return r;
}

int hnode_send_result(hnode *n, const struct hop_result *res)
{
	char *buf;
	size_t len;
	int r;

	if (n->cl == NULL)
		return -ENOTCONN;
	hop_result_encode(res, &buf, &len);
	r = ham_cluster_send(n->cl, HAM_MSG_OP_RESULT, buf, len, NULL);
	free(buf);
	return r;
}

static void on_replace(hnode *n, const struct ham_member *sender, const struct ham_msg *m)
{
	/* Held with its length, not as a string: the payload may hold a NUL. */
	if (!defer(n, sender, m))
		apply_replace(n, sender, m->seq, m->payload, m->length);
}

int hnode_push_config(hnode *n, const char *xml, size_t len, uint64_t cookie, char **ret_err)
{
	return hnode_push_config_force(n, xml, len, false, cookie, ret_err);
}

int hnode_push_config_force(hnode *n, const char *xml, size_t len, bool force, uint64_t cookie,
			    char **ret_err)
{
	struct pending *p;
	uint64_t seq;
	char *msg;
	int r;

	*ret_err = NULL;
	if (n->cl == NULL || !n->joined) {
		*ret_err = ham_strdup("this node has not joined the cluster yet");
		return -EAGAIN;
	}
	if (!n->quorate) {
		*ret_err = ham_strdup("this partition has no quorum; the configuration was not changed");
		return -HAM_E_NO_QUORUM;
	}
	if (len > HAM_MSG_MAX_PAYLOAD) {
		*ret_err = ham_asprintf("the configuration is %zu bytes, over the limit of %u",
					len, HAM_MSG_MAX_PAYLOAD);
		return -EMSGSIZE;
	}
	r = cibdoc_check_config(xml, len, ret_err);
	if (r < 0)
		return r;
	/* Refused here already when stale against our copy; checked again in
	 * agreed order, against the copy it is applied to. */
	if (!force && (r = cibdoc_check_base(n->cib, xml, len, ret_err)) < 0)
		return r;
	msg = ham_malloc(sizeof(FORCE_MARK) - 1 + len);
	memcpy(msg, FORCE_MARK, sizeof(FORCE_MARK) - 1);
	memcpy(msg + sizeof(FORCE_MARK) - 1, xml, len);
	if (force)
		r = ham_cluster_send(n->cl, HAM_MSG_CIB_REPLACE, msg, len + sizeof(FORCE_MARK) - 1, &seq);
	else
		r = ham_cluster_send(n->cl, HAM_MSG_CIB_REPLACE, xml, len, &seq);
	free(msg);
	if (r < 0) {
		*ret_err = ham_asprintf("cannot send to the cluster: %s", ham_strerror(r));
		return r;
	}
	qb_log(LOG_NOTICE, "event=cib-sent t_ms=%llu seq=%llu bytes=%zu",
	       (unsigned long long)now_real_ms(), (unsigned long long)seq, len);
	p = ham_new0(struct pending);
	p->seq = seq;
	p->cookie = cookie;
	p->next = n->pending;
	n->pending = p;
	return 0;
}

/* ---- operator edits (cibedit.h) -------------------------------------- */

static void apply_modify(hnode *n, const struct ham_member *sender, uint64_t seq,
			 const char *buf, size_t len)
{
	bool mine = n->cl && sender->nodeid == ham_cluster_local_nodeid(n->cl) &&
		    sender->pid == ham_cluster_local_pid(n->cl);
	bool changed = false;
	char *err = NULL;
	char v[80];
	int r;

	/* Every node holds the same CIB here, so every node decides the same. */
	r = cibedit_apply(n->cib, buf, len, &changed, &err);
	if (r < 0) {
		qb_log(LOG_WARNING, "Rejected a CIB edit from node %u: %s", sender->nodeid,
		       err ? err : ham_strerror(r));
	} else {
		version_str(n->cib, v);
		qb_log(LOG_NOTICE, "event=cib-modified t_ms=%llu version=%s origin=%u seq=%llu "
		       "changed=%d", (unsigned long long)now_real_ms(), v, sender->nodeid,
		       (unsigned long long)seq, changed);
		if (changed)
			persist(n);
	}
	if (mine)
		finish_pending(n, seq, r, err);
	free(err);
	if (r == 0 && changed)
		notify_changed(n);
}

int hnode_push_modify(hnode *n, const char *buf, size_t len, uint64_t cookie, char **ret_err)
{
	struct pending *p;
	uint64_t seq;
	int r;

	*ret_err = NULL;
	if (n->cl == NULL || !n->joined) {
		*ret_err = ham_strdup("this node has not joined the cluster yet");
		return -EAGAIN;
	}
	if (!n->quorate) {
		*ret_err = ham_strdup("this partition has no quorum; the CIB was not changed");
		return -HAM_E_NO_QUORUM;
	}
	if (len > HAM_MSG_MAX_PAYLOAD) {
		*ret_err = ham_asprintf("the edit is %zu bytes, over the limit of %u", len,
					HAM_MSG_MAX_PAYLOAD);
		return -EMSGSIZE;
	}
	/* Checked against our copy first; applied in agreed order everywhere. */
	r = cibedit_check(n->cib, buf, len, ret_err);
	if (r < 0)
		return r;
	r = ham_cluster_send(n->cl, HAM_MSG_CIB_MODIFY, buf, len, &seq);
	if (r < 0) {
		*ret_err = ham_asprintf("cannot send to the cluster: %s", ham_strerror(r));
		return r;
	}
	p = ham_new0(struct pending);
	p->seq = seq;
	p->cookie = cookie;
	p->next = n->pending;
	n->pending = p;
	return 0;
}

/* ---- orderly shutdown requests (shutdown.h) --------------------------- */

/*
 * Sets shutdown=<time> on each named member, in agreed order on every node.
 * Nodes not in the membership are skipped: the attribute only means
 * something for an online node.
 */
static void apply_leaving(hnode *n, const struct ham_member *sender, uint64_t seq,
			  const char *buf, size_t len)
{
	bool mine = n->cl && sender->nodeid == ham_cluster_local_nodeid(n->cl) &&
		    sender->pid == ham_cluster_local_pid(n->cl);
	struct hshutdown_request q;
	const char *why = NULL;
	bool changed = false;
	char ids[16], when[24];
	size_t i;
	int r;

	r = hshutdown_request_decode(buf, len, &q, &why);
	if (r < 0) {
		qb_log(LOG_WARNING, "Dropped a malformed shutdown request from node %u: %s",
		       sender->nodeid, why);
		if (mine)
			finish_pending(n, seq, r, why);
		return;
	}
	snprintf(when, sizeof(when), "%lld", (long long)q.time_s);
	for (i = 0; i < q.n_nodes; i++) {
		if (!hnode_is_member(n, q.nodes[i]))
			continue;
		snprintf(ids, sizeof(ids), "%u", q.nodes[i]);
		changed |= cibdoc_set_transient_attr(n->cib, ids, hnode_node_name(n, q.nodes[i]),
						     HSHUTDOWN_ATTR, when) > 0;
		qb_log(LOG_NOTICE, "event=shutdown-requested t_ms=%llu node=%u name=%s origin=%u "
		       "time=%s", (unsigned long long)now_real_ms(), q.nodes[i],
		       hnode_node_name(n, q.nodes[i]), sender->nodeid, when);
	}
	hshutdown_request_clear(&q);
	if (changed) {
		cibdoc_bump_num_updates(n->cib);
		persist(n);
	}
	if (mine)
		finish_pending(n, seq, 0, NULL);
	if (changed)
		notify_changed(n);
}

int hnode_send_leaving(hnode *n, const char *buf, size_t len, uint64_t cookie, char **ret_err)
{
	uint64_t seq;
	int r;

	*ret_err = NULL;
	if (n->cl == NULL || !n->joined) {
		*ret_err = ham_strdup("this node has not joined the cluster");
		return -EAGAIN;
	}
	r = ham_cluster_send(n->cl, HAM_MSG_NODE_LEAVING, buf, len, &seq);
	if (r < 0) {
		*ret_err = ham_asprintf("cannot send to the cluster: %s", ham_strerror(r));
		return r;
	}
	if (cookie != 0) {
		struct pending *p = ham_new0(struct pending);

		p->seq = seq;
		p->cookie = cookie;
		p->next = n->pending;
		n->pending = p;
	}
	return 0;
}

size_t hnode_member_count(const hnode *n) { return n->n_members; }

/* ---- cluster callbacks ---------------------------------------------- */

static void cb_deliver(void *ud, const struct ham_member *sender, const struct ham_msg *m)
{
	hnode *n = ud;

	switch (m->type) {
	case HAM_MSG_CIB_SYNC:
		on_sync(n, sender, m);
		break;
	case HAM_MSG_CIB_REPLACE:
		on_replace(n, sender, m);
		break;
	case HAM_MSG_OP_RESULT:
		on_op_result(n, sender, m);
		break;
	case HAM_MSG_ACTION:
		on_action(n, sender, m);
		break;
	case HAM_MSG_CIB_MODIFY:
		if (!defer(n, sender, m))
			apply_modify(n, sender, m->seq, m->payload, m->length);
		break;
	case HAM_MSG_NODE_LEAVING:
		if (!defer(n, sender, m))
			apply_leaving(n, sender, m->seq, m->payload, m->length);
		break;
	default:
		qb_log(LOG_DEBUG, "Ignored %s from node %u", ham_msg_type_name(m->type),
		       sender->nodeid);
		break;
	}
}

static void cb_membership(void *ud, const struct ham_member *members, size_t n_members,
			  const struct ham_member *left, size_t n_left,
			  const struct ham_member *joined, size_t n_joined)
{
	hnode *n = ud;
	uint32_t me = n->cl ? ham_cluster_local_nodeid(n->cl) : 0;
	uint32_t mypid = n->cl ? ham_cluster_local_pid(n->cl) : 0;
	size_t i;
	ham_buf b = HAM_BUF_INIT;

	free(n->members);
	n->members = ham_newa0(struct ham_member, n_members ? n_members : 1);
	memcpy(n->members, members, n_members * sizeof(*members));
	n->n_members = n_members;
	for (i = 0; i < n_members; i++)
		if (members[i].nodeid == me && members[i].pid == mypid)
			n->joined = true;
	daemons_prune(n);

	if (n_left > 0 || n_joined > 0)
		n->membership_ms = now_real_ms();
	for (i = 0; i < n_left; i++) {
		ham_buf_addf(&b, "%s%u/%u", i ? "," : "", left[i].nodeid, left[i].reason);
		/* The DC process whose transitions we track is gone: the next one
		 * counts anew, even with the same pid (a PID namespace). */
		if (left[i].nodeid == n->auth_dc.nodeid && left[i].pid == n->auth_dc.pid) {
			memset(&n->auth_dc, 0, sizeof(n->auth_dc));
			n->auth_transition = 0;
		}
	}
	qb_log(LOG_NOTICE, "event=membership t_ms=%llu members=%zu joined=%zu left=%s",
	       (unsigned long long)now_real_ms(), n_members, n_joined, n_left ? ham_buf_str(&b) : "-");
	ham_buf_free(&b);

	/*
	 * Quorum comes on its own connection, before or after the membership:
	 * lib/cluster says whether its answer is for this membership. Until it
	 * is, nothing is decided here (hnode_quorum_current()).
	 */
	n->quorum_current = n->cl && ham_cluster_quorum_current(n->cl);
	if (n_joined > 0)
		start_round(n);
	else if (n->syncing)
		round_drop_left(n, left, n_left);

	/* The DC first: it is what the cluster waits for; the status write and
	 * its fsync follow. */
	update_dc(n, "membership");
	if (apply_membership_status(n, left, n_left) && !n->syncing)
		persist(n);
	if (n_joined > 0 && n->joined)
		send_sync(n);
	else if (n->syncing)
		check_round_done(n);
	notify_changed(n);
}

static void cb_quorum(void *ud, bool quorate, uint32_t votes, uint32_t expected)
{
	hnode *n = ud;

	bool current = n->cl && ham_cluster_quorum_current(n->cl);

	if (!n->quorum_known || quorate != n->quorate || current != n->quorum_current)
		qb_log(LOG_NOTICE, "event=quorum t_ms=%llu quorate=%d votes=%u expected=%u current=%d",
		       (unsigned long long)now_real_ms(), quorate, votes, expected, current);
	n->quorum_known = true;
	n->quorum_current = current;
	n->quorate = quorate;
	n->had_quorum |= quorate;
	set_panic(n);
	n->votes = votes;
	n->expected = expected;
	update_dc(n, "quorum");
	notify_changed(n);
}

static void cb_disconnected(void *ud)
{
	hnode *n = ud;

	qb_log(LOG_ERR, "Lost the connection to corosync");
	n->joined = false;
	n->quorate = false;
	n->quorum_current = false;
	n->synced_once = false; /* our own status is not current any more */
	set_panic(n);
	update_dc(n, "disconnected");
	notify_changed(n);
}

const struct ham_cluster_callbacks hnode_cluster_callbacks = {
	.deliver = cb_deliver,
	.membership = cb_membership,
	.quorum = cb_quorum,
	.disconnected = cb_disconnected,
};

/* ---- life cycle and accessors ---------------------------------------- */

/*
 * A corrupted stored CIB (checksum, unparsable, version nonsense): the node
 * starts without a configuration and takes the cluster's copy when it
 * joins; the bad file stays in place (so a restart meanwhile rejects it
 * again rather than starting empty) and is linked aside for the operator.
 */
static void store_reject(hnode *n, char *why)
{
	char *aside = ham_asprintf("%s.corrupt-%lld", n->cib_path, (long long)time(NULL));

	if (link(n->cib_path, aside) < 0 && errno != EEXIST)
		qb_log(LOG_WARNING, "Cannot keep the rejected CIB aside as %s: %s", aside,
		       ham_strerror(-errno));
	qb_log(LOG_ERR, "event=store-rejected The stored CIB is rejected: %s. It is kept as %s. "
	       "Starting without a configuration: the cluster's copy replaces it when this "
	       "node joins a cluster; alone, this node manages nothing (restore a backup or "
	       "push a configuration with hactl cib push)", why, aside);
	free(aside);
	free(n->store_rejected);
	n->store_rejected = why;
}

int hnode_new(const char *cib_path, const struct hnode_callbacks *cb, void *ud, hnode **ret)
{
	hnode *n = ham_new0(hnode);
	char *buf = NULL, *err = NULL;
	size_t len;
	int r;

	if (cb)
		n->cb = *cb;
	n->ud = ud;
	n->cib_path = ham_strdup(cib_path);
	if (cib_path) {
		r = cibdoc_store_load(cib_path, &buf, &len, &err);
		if (r == 0) {
			n->cib_bytes = len;
			r = cibdoc_parse(buf, len, &n->cib, &err);
			free(buf);
			if (r < 0)
				store_reject(n, ham_asprintf("%s does not parse: %s", cib_path,
							     err ? err : ham_strerror(r)));
		} else if (r == -HAM_E_CHECKSUM) {
			store_reject(n, err ? ham_strdup(err) : ham_asprintf("%s: %s", cib_path,
									      ham_strerror(r)));
		} else if (r != -ENOENT) {
			qb_log(LOG_ERR, "Cannot use the stored CIB: %s",
			       err ? err : ham_strerror(r));
			free(err);
			hnode_free(n);
			return r;
		}
		free(err);
		err = NULL;
	}
	if (n->cib == NULL)
		n->cib = cibdoc_new_empty();
	set_panic(n); /* a stored panic is not ours: we never had quorum yet */
	*ret = n;
	return 0;
}

void hnode_attach(hnode *n, ham_cluster *c)
{
	n->cl = c;
	free(n->cluster_name);
	n->cluster_name = ham_cluster_name(c);
	refresh_names(n);
}

hnode *hnode_free(hnode *n)
{
	size_t i;

	if (n == NULL)
		return NULL;
	if (n->unsaved && n->cib)
		write_cib(n); /* a deferred change is not lost at exit */
	while (n->pending) {
		struct pending *p = n->pending;

		n->pending = p->next;
		if (n->cb.push_done)
			n->cb.push_done(n->ud, p->cookie, -ECANCELED, "the daemon is stopping");
		free(p);
	}
	while (n->def_head) {
		struct deferred *d = n->def_head;

		n->def_head = d->next;
		free(d->xml);
		free(d);
	}
	for (i = 0; i < n->n_names; i++)
		free(n->names[i].name);
	free(n->names);
	free(n->known);
	free(n->nacked);
	free(n->daemons);
	free(n->members);
	free(n->dropped_from);
	clear_round_offers(n);
	free(n->round_dump);
	free(n->round);
	free(n->round_got);
	cibdoc_free(n->cib);
	free(n->cib_path);
	free(n->cluster_name);
	free(n->store_rejected);
	free(n->store_failing);
	while (n->n_fencings)
		fencing_forget_oldest(n);
	free(n->fencings);
	free(n);
	return NULL;
}

uint64_t hnode_next_deadline(const hnode *n)
{
	return n->syncing ? n->round_deadline_ms : 0;
}

void hnode_tick(hnode *n, uint64_t now_ms)
{
	if (!n->syncing || now_ms < n->round_deadline_ms || n->cl == NULL || !n->joined)
		return;
	if (n->round_attempt > 0) {
		const struct ham_member *w = &n->round[n->round_winner];
		uint64_t got = ham_cluster_partial_bytes(n->cl, w->nodeid, w->pid, HAM_MSG_CIB_SYNC);

		if (got > n->round_progress) {
			/* Its CIB is arriving: the deadline counts silence, not size. */
			n->round_progress = got;
			n->round_deadline_ms = now_ms + round_timeout_ms(n);
			return;
		}
		qb_log(LOG_WARNING, "The sync round's winner, node %u, sent nothing of its CIB "
		       "for %llu ms: dropping it from the round", w->nodeid,
		       (unsigned long long)round_timeout_ms(n));
	} else {
		/* The offers that came may show a bigger CIB than ours: more time. */
		uint64_t due = n->round_start_ms + round_timeout_ms(n);

		if (now_ms < due) {
			n->round_deadline_ms = due;
			return;
		}
		qb_log(LOG_WARNING, "The sync round is past its deadline (%llu ms): closing it "
		       "without the members that did not offer",
		       (unsigned long long)(now_ms - n->round_start_ms));
	}
	send_close(n);
	/* Again after another period if the close is lost with a stuck group. */
	n->round_deadline_ms = now_ms + round_timeout_ms(n);
}

ham_cluster *hnode_cluster(hnode *n) { return n->cl; }
bool hnode_joined(const hnode *n) { return n->joined; }
bool hnode_quorate(const hnode *n) { return n->quorate && n->quorum_current; }
bool hnode_quorum_current(const hnode *n) { return n->quorum_current; }
uint32_t hnode_dc(const hnode *n) { return n->dc; }
const cibdoc *hnode_cib(const hnode *n) { return n->cib; }
bool hnode_syncing(const hnode *n) { return n->syncing; }
void hnode_sync_stats(const hnode *n, struct hnode_sync_stats *ret) { *ret = n->sync_stats; }

void hnode_votes(const hnode *n, uint32_t *ret_votes, uint32_t *ret_expected)
{
	*ret_votes = n->votes;
	*ret_expected = n->expected;
}

uint64_t hnode_membership_changed_ms(const hnode *n) { return n->membership_ms; }
void hnode_set_deferred_store(hnode *n, bool on) { n->defer_store = on; }

bool hnode_take_unsaved(hnode *n)
{
	bool unsaved = n->unsaved && n->cib_path != NULL;

	n->unsaved = false;
	return unsaved;
}

const char *hnode_store_rejected(const hnode *n) { return n->store_rejected; }

void hnode_set_store_state(hnode *n, int64_t failing_since_s, const char *reason)
{
	n->store_failing_since = reason ? failing_since_s : 0;
	free(n->store_failing);
	n->store_failing = reason ? ham_strdup(reason) : NULL;
}

bool hnode_store_state(const hnode *n, int64_t *ret_since_s, const char **ret_reason)
{
	if (n->store_failing == NULL)
		return false;
	*ret_since_s = n->store_failing_since;
	*ret_reason = n->store_failing;
	return true;
}

bool hnode_store(hnode *n)
{
	if (!n->unsaved || n->cib_path == NULL)
		return false;
	write_cib(n);
	return true;
}

uint32_t hnode_local_id(const hnode *n)
{
	return n->cl ? ham_cluster_local_nodeid(n->cl) : 0;
}

const char *hnode_cluster_name(hnode *n)
{
	return n->cluster_name ? n->cluster_name : "";
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/cibdoc.h: the daemon's narrow view of the CIB document: the
 * version triple, configuration replacement, node_state attributes,
 * serialization and atomic storage. Validation and storage go through
 * lib/cib; editing is a small libxml2 DOM of our own (status reporting walks
 * it), standing in for lib/cib's ham_cib_doc_*, which keeps its DOM opaque;
 * each function names its lib/cib counterpart.
 */
#ifndef HAMGRD_CIBDOC_H
#define HAMGRD_CIBDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

struct cib_version {
	uint64_t admin_epoch;
	uint64_t epoch;
	uint64_t num_updates;
};
int cib_version_cmp(const struct cib_version *a, const struct cib_version *b);

typedef struct cibdoc cibdoc;

/* A new, empty CIB (version 0:0:0, empty configuration and status). */
cibdoc *cibdoc_new_empty(void);
/*
 * Parses a whole <cib> document (no DTD, no entities, no network) and checks
 * the version attributes. Returns 0 and a new document, or -HAM_E_XML /
 * -HAM_E_CONFIG with *ret_err (malloc'd, may be NULL) saying what and where.
 * (lib/cib: ham_cib_doc_parse)
 */
int cibdoc_parse(const char *buf, size_t len, cibdoc **ret, char **ret_err);
cibdoc *cibdoc_free(cibdoc *d);
/* A deep copy (free with cibdoc_free()). */
cibdoc *cibdoc_copy(const cibdoc *d);

void cibdoc_get_version(const cibdoc *d, struct cib_version *ret);
void cibdoc_set_version(cibdoc *d, const struct cib_version *v);
void cibdoc_bump_num_updates(cibdoc *d);

/*
 * Checks a configuration an administrator pushes: our safe parse (a <cib>
 * root with valid versions), then lib/cib's ham_cib_load_mem() with schema
 * validation and every semantic check. Returns 0, or -HAM_E_XML,
 * -HAM_E_SCHEMA, -HAM_E_CONFIG, -HAM_E_UNSUPPORTED with *ret_err naming
 * the first errors (line, element, id, what).
 */
int cibdoc_check_config(const char *buf, size_t len, char **ret_err);

/*
 * Replaces <configuration> with the pushed document's, bumps epoch (and
 * takes the pushed admin_epoch when it is higher), resets num_updates.
 * The pushed document names its base version by its admin_epoch and epoch:
 * one older than d's is refused with -ESTALE (*ret_err naming both
 * versions) unless force. The input must have passed cibdoc_check_config().
 * (lib/cib: ham_cib_doc_replace_configuration + ham_cib_doc_bump_epoch)
 */
int cibdoc_replace_configuration(cibdoc *d, const char *buf, size_t len, bool force,
				 char **ret_err);
/*
 * Whether a pushed document's base (admin_epoch, epoch) is older than d's:
 * -ESTALE and *ret_err (malloc'd) naming both versions, 0 if not (or when
 * it does not parse: cibdoc_check_config() reports that).
 */
int cibdoc_check_base(const cibdoc *d, const char *buf, size_t len, char **ret_err);

/*
 * Sets an attribute of node_state[id], creating it (with uname) under
 * <status>. Returns 1 if the value changed, 0 if it was already so.
 * (lib/cib: ham_cib_doc_set_node_state_attr)
 */
int cibdoc_set_node_state_attr(cibdoc *d, const char *id, const char *uname,
			       const char *name, const char *value);
/* The value of node_state[id]/@name, or NULL. */
const char *cibdoc_get_node_state_attr(const cibdoc *d, const char *id, const char *name);
/* The ids of every node_state (a new NULL-terminated array; free each and it). */
char **cibdoc_node_state_ids(const cibdoc *d);

struct hop_result;

/*
 * Records an operation result in node_state[nodeid]/lrm/lrm_resources/
 * lrm_resource[rsc]/lrm_rsc_op, with Pacemaker's ids and attributes:
 * "<rsc>_last_0" for one-shot operations, "<rsc>_<op>_<interval>" for
 * recurring ones, "<rsc>_last_failure_0" as well for a failure; a successful
 * stop drops the resource's recurring entries. A failure that counts
 * (hop_result_counts_as_failure) also sets the node's transient attributes
 * fail-count-<rsc>#<op>_<interval> (+1, or INFINITY for a failed stop, and
 * for a failed start when start-failure-is-fatal, the default) and
 * last-failure-<rsc>#<op>_<interval> (the result's last_rc_change_s), as
 * Pacemaker's controller does. A pending record (op-status -1, call-id -1)
 * replaces the entry and counts nothing; a node's late result for an action
 * the DC recorded as timed out replaces that record without counting the
 * failure twice. Does not bump the version.
 * (lib/cib: ham_cib_doc_put_rsc_op)
 */
void cibdoc_put_rsc_op(cibdoc *d, const struct hop_result *r);
/*
 * Whether r's node has r's operation pending (op-status -1) for the same
 * action (transition key: action, transition, expected rc, DC), i.e. the
 * node acknowledged it and has not reported its result yet.
 */
bool cibdoc_rsc_op_pending(const cibdoc *d, const struct hop_result *r);
/* A pending operation in the status (op-status -1). */
struct cib_pending {
	uint32_t nodeid;
	char *rsc, *op;
	char *cls, *provider, *type; /* the lrm_resource's agent (provider may be NULL) */
};
/* Every pending operation; free with cibdoc_pending_free(). */
void cibdoc_pending_ops(const cibdoc *d, struct cib_pending **ret, size_t *ret_n);
void cibdoc_pending_free(struct cib_pending *p, size_t n);
/*
 * Transient node attributes (node_state[id]/transient_attributes/
 * instance_attributes, Pacemaker's ids "status-<id>" and
 * "status-<id>-<name>"): set (value NULL: delete); returns 1 if anything
 * changed. Does not bump the version.
 */
int cibdoc_set_transient_attr(cibdoc *d, const char *id, const char *uname,
			      const char *name, const char *value);
/* A transient attribute's value (owned by d), or NULL. */
const char *cibdoc_get_transient_attr(const cibdoc *d, const char *id, const char *name);
/*
 * Deletes fail-count-<rsc>#* and last-failure-<rsc>#* (and of its clone
 * instances "<rsc>:<n>") on node_state[id]. Returns 1 if anything changed.
 */
int cibdoc_clear_failures(cibdoc *d, const char *id, const char *rsc);

/*
 * A node was fenced: its resource history goes (everything there is
 * stopped), so do its transient attributes (fail counts), and its
 * node_state says it is down and expected down. Returns
 * 1 if anything changed.
 */
int cibdoc_node_fenced(cibdoc *d, const char *id, const char *uname);
/*
 * Whether rsc is active on node_state[id] by its last one-shot operation
 * (a start, promote or demote that succeeded, or a probe that found it
 * running), and whether its recurring entry "<rsc>_monitor_<interval>" is
 * there.
 */
bool cibdoc_rsc_active(const cibdoc *d, const char *id, const char *rsc);
bool cibdoc_has_recurring(const cibdoc *d, const char *id, const char *rsc, uint64_t interval_ms);
/* Whether node_state[id] has history for resource rsc. */
bool cibdoc_has_history(const cibdoc *d, const char *id, const char *rsc);

/* A primitive of the configuration, as the runner needs it. */
struct cib_prim {
	char *id, *cls, *provider, *type;
	char **param_names, **param_values;
	size_t n_params;
	uint64_t start_timeout_ms, stop_timeout_ms, monitor_timeout_ms; /* 0: unset */
	uint64_t monitor_interval_ms; /* the first recurring monitor op; 0: none */
};
/* Every primitive (also inside groups and clones). free with cibdoc_prims_free(). */
void cibdoc_prims(const cibdoc *d, struct cib_prim **ret, size_t *ret_n);
void cibdoc_prims_free(struct cib_prim *p, size_t n);
/* A crm_config property's value (malloc'd), or NULL. */
char *cibdoc_property(const cibdoc *d, const char *name);

/*
 * Serializes for the policy engine: the document plus what the coordinator
 * knows and the engine needs: have-quorum and dc-uuid on <cib>, and a
 * <node> entry in <nodes> for every node_state the configuration lacks.
 */
void cibdoc_dump_for_policy(const cibdoc *d, bool quorate, const char *dc_uuid,
			    char **ret_buf, size_t *ret_len);

/* Serializes: a malloc'd, NUL-terminated string. (lib/cib: ham_cib_doc_dump) */
void cibdoc_dump(const cibdoc *d, char **ret_buf, size_t *ret_len);

/* The root element, for read-only walks (status reporting). */
xmlNode *cibdoc_root(const cibdoc *d);

/*
 * Atomic storage through lib/cib (ham_cib_store_save/_load): temp file,
 * fsync, previous copies kept as PATH.1 .. PATH.10, rename, fsync of the
 * directory; a checksum line first.
 */
int cibdoc_store_save(const char *path, const char *buf, size_t len);
/*
 * Returns 0 and the content, -ENOENT, or -HAM_E_CHECKSUM; on failure
 * *ret_err (may be NULL) says what, naming the newest good backup.
 */
int cibdoc_store_load(const char *path, char **ret_buf, size_t *ret_len, char **ret_err);

#endif

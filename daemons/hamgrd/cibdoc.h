/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/cibdoc.h: the daemon's names for lib/cib's document
 * (<hamgr/cib.h>, "The document"), which holds every CIB operation: each
 * function here is a call of its lib/cib counterpart, converting the
 * daemon's operation result and turning lib/cib's diagnostics into one
 * message. Kept so that call sites read as before; new code calls lib/cib.
 */
#ifndef HAMGRD_CIBDOC_H
#define HAMGRD_CIBDOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <hamgr/cib.h>
#include <hamgr/xml.h>
#include "opmsg.h"

#define cib_version ham_cib_version
#define cib_pending ham_cib_pending
#define cib_prim ham_cib_prim
typedef ham_cib_doc cibdoc;

static inline int cib_version_cmp(const struct ham_cib_version *a,
				  const struct ham_cib_version *b)
{
	return ham_cib_version_cmp(a, b);
}

static inline cibdoc *cibdoc_new_empty(void)
{
	return ham_cib_doc_new_empty();
}

/* ham_cib_doc_parse(), its diagnostics as one message in *ret_err (may be NULL). */
static inline int cibdoc_parse(const char *buf, size_t len, cibdoc **ret, char **ret_err)
{
	ham_cib_diags *diags = ham_cib_diags_new();
	int r = ham_cib_doc_parse(buf, len, ret, diags);

	if (r < 0 && ret_err)
		*ret_err = ham_cib_diags_message(diags, r);
	ham_cib_diags_free(diags);
	return r;
}

static inline cibdoc *cibdoc_free(cibdoc *d)
{
	return ham_cib_doc_free(d);
}

static inline cibdoc *cibdoc_copy(const cibdoc *d)
{
	return ham_cib_doc_copy(d);
}

static inline void cibdoc_get_version(const cibdoc *d, struct ham_cib_version *ret)
{
	ham_cib_doc_get_version(d, ret);
}

static inline void cibdoc_set_version(cibdoc *d, const struct ham_cib_version *v)
{
	ham_cib_doc_set_version(d, v);
}

static inline void cibdoc_bump_num_updates(cibdoc *d)
{
	ham_cib_doc_bump_num_updates(d);
}

static inline int cibdoc_check_config(const char *buf, size_t len, char **ret_err)
{
	return ham_cib_doc_check_config(buf, len, ret_err);
}

static inline int cibdoc_replace_configuration(cibdoc *d, const char *buf, size_t len,
					       bool force, char **ret_err)
{
	return ham_cib_doc_push_configuration(d, buf, len, force, ret_err);
}

static inline int cibdoc_check_base(const cibdoc *d, const char *buf, size_t len,
				    char **ret_err)
{
	return ham_cib_doc_check_base(d, buf, len, ret_err);
}

static inline int cibdoc_set_node_state_attr(cibdoc *d, const char *id, const char *uname,
					     const char *name, const char *value)
{
	return ham_cib_doc_set_node_state_attr(d, id, uname, name, value);
}

static inline const char *cibdoc_get_node_state_attr(const cibdoc *d, const char *id,
						     const char *name)
{
	return ham_cib_doc_get_node_state_attr(d, id, name);
}

static inline char **cibdoc_node_state_ids(const cibdoc *d)
{
	return ham_cib_doc_node_state_ids(d);
}

/* The daemon's operation result as lib/cib's (pointing into r). */
static inline struct ham_cib_op_result cibdoc_op_of(const struct hop_result *r)
{
	struct ham_cib_op_result o = {
		.nodeid = r->nodeid, .node = r->node, .rsc = r->rsc, .cls = r->cls,
		.provider = r->provider, .type = r->type, .op = r->op,
		.interval_ms = r->interval_ms, .call_id = r->call_id, .rc = r->rc,
		.op_status = r->op_status, .expected_rc = r->expected_rc,
		.action_id = r->action_id, .transition_id = r->transition_id,
		.dc_uuid = r->dc_uuid, .last_run_s = r->last_run_s,
		.last_rc_change_s = r->last_rc_change_s, .exec_ms = r->exec_ms,
		.queue_ms = r->queue_ms, .exit_reason = r->exit_reason,
	};

	return o;
}

static inline void cibdoc_put_rsc_op(cibdoc *d, const struct hop_result *r)
{
	struct ham_cib_op_result o = cibdoc_op_of(r);

	ham_cib_doc_record_op(d, &o);
}

static inline bool cibdoc_rsc_op_pending(const cibdoc *d, const struct hop_result *r)
{
	struct ham_cib_op_result o = cibdoc_op_of(r);

	return ham_cib_doc_op_pending(d, &o);
}

static inline void cibdoc_pending_ops(const cibdoc *d, struct ham_cib_pending **ret,
				      size_t *ret_n)
{
	ham_cib_doc_pending_ops(d, ret, ret_n);
}

static inline void cibdoc_pending_free(struct ham_cib_pending *p, size_t n)
{
	ham_cib_pending_free(p, n);
}

static inline int cibdoc_set_transient_attr(cibdoc *d, const char *id, const char *uname,
					    const char *name, const char *value)
{
	return ham_cib_doc_set_transient_attr(d, id, uname, name, value);
}

static inline const char *cibdoc_get_transient_attr(const cibdoc *d, const char *id,
						    const char *name)
{
	return ham_cib_doc_get_transient_attr(d, id, name);
}

static inline int cibdoc_clear_failures(cibdoc *d, const char *id, const char *rsc)
{
	return ham_cib_doc_clear_failures(d, id, rsc);
}

static inline int cibdoc_node_fenced(cibdoc *d, const char *id, const char *uname)
{
	return ham_cib_doc_node_fenced(d, id, uname);
}

static inline bool cibdoc_rsc_active(const cibdoc *d, const char *id, const char *rsc)
{
	return ham_cib_doc_rsc_active(d, id, rsc);
}

static inline bool cibdoc_has_recurring(const cibdoc *d, const char *id, const char *rsc,
					uint64_t interval_ms)
{
	return ham_cib_doc_has_recurring(d, id, rsc, interval_ms);
}

static inline bool cibdoc_has_history(const cibdoc *d, const char *id, const char *rsc)
{
	return ham_cib_doc_has_history(d, id, rsc);
}

static inline void cibdoc_prims(const cibdoc *d, struct ham_cib_prim **ret, size_t *ret_n)
{
	ham_cib_doc_prims(d, ret, ret_n);
}

static inline void cibdoc_prims_free(struct ham_cib_prim *p, size_t n)
{
	ham_cib_prims_free(p, n);
}

static inline char *cibdoc_property(const cibdoc *d, const char *name)
{
	return ham_cib_doc_property(d, name);
}

static inline void cibdoc_dump_for_policy(const cibdoc *d, bool quorate, const char *dc_uuid,
					  char **ret_buf, size_t *ret_len)
{
	ham_cib_doc_dump_for_policy(d, quorate, dc_uuid, ret_buf, ret_len);
}

static inline void cibdoc_dump(const cibdoc *d, char **ret_buf, size_t *ret_len)
{
	ham_cib_doc_dump(d, ret_buf, ret_len);
}

/* The root element, for read-only walks that have no lib/cib call yet. */
static inline xmlNode *cibdoc_root(const cibdoc *d)
{
	return ham_cib_doc_root(d);
}

/*
 * Atomic storage through lib/cib (ham_cib_store_save_cib/_load): temp file,
 * fsync, the last configurations kept as PATH.1 .. PATH.10 (rotated only
 * when the configuration changed), rename, fsync of the directory; a
 * checksum line first.
 */
static inline int cibdoc_store_save(const char *path, const char *buf, size_t len)
{
	return ham_cib_store_save_cib(path, buf, len, 0, NULL);
}

/*
 * Returns 0 and the content, -ENOENT, or -HAM_E_CHECKSUM; on failure
 * *ret_err (may be NULL) says what, naming the newest good backup.
 */
static inline int cibdoc_store_load(const char *path, char **ret_buf, size_t *ret_len,
				    char **ret_err)
{
	ham_cib_diags *diags = ham_cib_diags_new();
	int r = ham_cib_store_load(path, ret_buf, ret_len, diags);

	if (r < 0 && ret_err != NULL)
		*ret_err = ham_cib_diags_count(diags) > 0 ?
			   ham_strdup(ham_cib_diags_get(diags, 0)->message) : NULL;
	ham_cib_diags_free(diags);
	return r;
}

#endif

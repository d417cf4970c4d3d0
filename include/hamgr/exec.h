/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/exec: runs one agent action (OCF, systemd, LSB, fence) and reports its
 * result asynchronously on a libqb main loop. Children are fork+exec'd with
 * an argv and a clean environment, in their own process group, with a timeout
 * (TERM, then KILL after a grace) and capped output capture.
 */
#ifndef HAMGR_EXEC_H
#define HAMGR_EXEC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <qb/qbloop.h>

#include <hamgr/common.h>
#include <hamgr/ocf.h>

/* ------------------------------------------------------------------ */
/* Agent classes and specs                                             */
/* ------------------------------------------------------------------ */

enum ham_agent_class {
	HAM_AGENT_OCF,
	HAM_AGENT_SYSTEMD,
	HAM_AGENT_LSB,
	HAM_AGENT_STONITH, /* fence agents ("stonith" as in Pacemaker's CIB) */
	HAM_AGENT_CLASS_MAX,
	HAM_AGENT_CLASS_INVALID = -1,
};
const char *ham_agent_class_str(enum ham_agent_class c);
/* "ocf", "systemd", "lsb", "stonith" (or "fence"); HAM_AGENT_CLASS_INVALID otherwise. */
enum ham_agent_class ham_agent_class_from_str(const char *s);

/* An agent: class, provider (OCF only) and type. */
typedef struct ham_agent_spec {
	enum ham_agent_class cls;
	char *provider; /* NULL except for OCF */
	char *type;
} ham_agent_spec;

/*
 * Parses "CLASS:[PROVIDER:]TYPE" ("ocf:heartbeat:Dummy", "systemd:nginx",
 * "lsb:ssh", "stonith:fence_hamgr_netns"). OCF needs a provider, the others
 * must not have one; the type must be a plain file name (no '/', not "." or
 * ".."). Returns 0 and fills *ret, or -EINVAL with *ret untouched.
 */
int ham_agent_spec_parse(const char *s, ham_agent_spec *ret);
void ham_agent_spec_clear(ham_agent_spec *s);
/* "class:provider:type" or "class:type"; free() the result. */
char *ham_agent_spec_str(const ham_agent_spec *s);

/* ------------------------------------------------------------------ */
/* Results                                                             */
/* ------------------------------------------------------------------ */

/* A short name ("ok", "not running", ...) for any code; unknown codes
 * (other exit statuses) read "unknown error" as OCF 1.1 says to treat them. */
const char *ham_ocf_rc_str(int rc);
/* How far a failure reaches, per OCF 1.1: soft (retry here), hard (not on
 * this node), fatal (nowhere). */
enum ham_ocf_severity { HAM_OCF_SEV_NONE, HAM_OCF_SEV_SOFT, HAM_OCF_SEV_HARD, HAM_OCF_SEV_FATAL };
enum ham_ocf_severity ham_ocf_rc_severity(int rc);
const char *ham_ocf_severity_str(enum ham_ocf_severity s);

/* How the execution itself went (independent of the agent's answer). */
enum ham_exec_status {
	HAM_EXEC_DONE,          /* the agent ran and answered: see rc */
	HAM_EXEC_TIMEOUT,       /* killed after timeout_ms; rc is HAM_OCF_ERR_GENERIC */
	HAM_EXEC_ERROR,         /* could not run it (fork, exec, bus...), see detail */
	HAM_EXEC_NOT_INSTALLED, /* no such agent; rc is HAM_OCF_ERR_INSTALLED */
	HAM_EXEC_INVALID,       /* parameters rejected against the meta-data; rc ERR_CONFIGURED */
	HAM_EXEC_CANCELLED,     /* only seen by ham_exec_free() draining; never in callbacks otherwise */
	HAM_EXEC_STATUS_MAX,
};
const char *ham_exec_status_str(enum ham_exec_status s);

typedef struct ham_exec_result {
	enum ham_exec_status status;
	int rc;              /* mapped OCF rc (enum ham_ocf_rc) */
	int exit_code;       /* raw exit status; -SIGNAL if killed; -1 if none */
	const char *exit_reason; /* last "ocf-exit-reason:" line of stderr, or NULL */
	const char *detail;  /* why status != DONE, or NULL */
	const char *out;     /* captured stdout (NUL-terminated, capped) */
	size_t out_len;
	bool out_truncated;
	const char *err;     /* captured stderr (NUL-terminated, capped) */
	size_t err_len;
	bool err_truncated;
	uint64_t duration_ms;
	unsigned run;        /* 1 for the first run of a recurring op, 2 for the next... */
} ham_exec_result;

/* ------------------------------------------------------------------ */
/* Executor                                                            */
/* ------------------------------------------------------------------ */

typedef struct ham_exec ham_exec;
typedef struct ham_exec_op ham_exec_op;

struct ham_exec_options {
	const char *ocf_root;     /* NULL: $OCF_ROOT, else /usr/lib/ocf */
	const char *lsb_dir;      /* NULL: /etc/init.d */
	const char *fence_dir;    /* NULL: /usr/sbin */
	const char *systemd_bus;  /* NULL: the system bus; else an sd-bus address
				   * such as "unix:path=/run/systemd/private" */
	unsigned max_concurrent;  /* 0: 4; actions beyond wait in a queue: one-shot
				   * actions first (FIFO), then recurring monitor
				   * runs; fencing (off/on/reboot) is never held */
	size_t output_cap;        /* bytes kept per stream; 0: 64 KiB */
	uint64_t kill_grace_ms;   /* TERM -> KILL on timeout; 0: 2000 */
	bool no_validate;         /* skip checking start parameters against meta-data */
	const char *tools_dir;    /* hamgr's crm_attribute, attrd_updater, crm_node and
				   * crm_master for the agents: first on their PATH and
				   * their HA_SBIN_DIR (where resource-agents' scripts
				   * look). NULL: $HAMGR_TOOLS_DIR, else configure's
				   * --with-toolsdir. Not used if not a directory. */
};

typedef struct ham_exec_param {
	const char *name;
	const char *value;
} ham_exec_param;

typedef struct ham_exec_request {
	ham_agent_spec agent;
	const char *action;       /* "start", "monitor", "meta-data", "off"... */
	const char *rsc_id;       /* OCF_RESOURCE_INSTANCE; NULL: the type */
	const ham_exec_param *params;
	size_t n_params;
	const ham_exec_param *meta; /* become OCF_RESKEY_CRM_meta_<name> ('-' -> '_') */
	size_t n_meta;
	uint64_t timeout_ms;      /* 0: 20000 */
	uint64_t interval_ms;     /* > 0: recurring (monitor) until cancelled */
	const char *target;       /* fence: the node to act on */
} ham_exec_request;

/*
 * Called on the loop once per completed run. For a one-shot op, op is freed
 * right after the callback returns; a recurring op lives on until
 * ham_exec_cancel(). res and its strings are valid during the call only.
 */
typedef void (*ham_exec_cb)(ham_exec_op *op, const ham_exec_result *res, void *user);

/*
 * A new executor on loop (borrowed; must outlive it). opts may be NULL.
 * Children are watched through pidfds on the loop (a 10 ms reap timer where
 * pidfd_open() is missing): no SIGCHLD handler is installed or needed, but
 * SIGCHLD must not be ignored (reset to default here if it is). Release with
 * ham_exec_free(), which kills running children (SIGKILL to their process
 * groups) and reaps them without calling callbacks; never call it from a
 * callback.
 */
ham_exec *ham_exec_new(qb_loop_t *loop, const struct ham_exec_options *opts);
ham_exec *ham_exec_free(ham_exec *e);

/*
 * Submits an action. Everything in req is copied. A "stop" cancels the
 * recurring ops of the same rsc_id first. Unless opts.no_validate, a "start"
 * of an OCF or fence agent is first checked against the agent's meta-data
 * (run once per agent and cached; warm the cache with ham_exec_get_meta() to
 * keep that off a failover's critical path): required parameters, integer,
 * boolean and select types, and unique parameters against the resources of
 * the same agent this executor has started (and not stopped). A failed check
 * arrives as HAM_EXEC_INVALID with rc HAM_OCF_ERR_CONFIGURED; missing or
 * broken meta-data does not block the start. Recurring ops run at once, then
 * interval_ms after each completion. Returns 0 and (if ret_op is not
 * NULL) the op handle, borrowed until its last callback; or -EINVAL for a
 * malformed request (bad parameter name, missing action, fence action without
 * target where one is needed). Agent problems (not installed, timeout...)
 * arrive through the callback, never synchronously.
 */
int ham_exec_submit(ham_exec *e, const ham_exec_request *req, ham_exec_cb cb, void *user,
		    ham_exec_op **ret_op);

/* Cancels an op: dequeues it, or kills its running child (no callback
 * follows), and stops its recurrence. Returns 0, or -ENOENT if already gone. */
int ham_exec_cancel(ham_exec *e, ham_exec_op *op);
/* Cancels every recurring op of rsc_id. Returns how many. */
unsigned ham_exec_cancel_rsc(ham_exec *e, const char *rsc_id);

/* Number of ops running and queued (for tests and status). */
unsigned ham_exec_running(const ham_exec *e);
unsigned ham_exec_queued(const ham_exec *e);

/* The OCF root and directories in force. */
const char *ham_exec_ocf_root(const ham_exec *e);

/* ------------------------------------------------------------------ */
/* Agent meta-data                                                     */
/* ------------------------------------------------------------------ */

enum ham_param_type {
	HAM_PARAM_STRING,
	HAM_PARAM_INTEGER,
	HAM_PARAM_BOOLEAN,
	HAM_PARAM_SELECT,
	HAM_PARAM_OTHER, /* a content type we don't check */
};

typedef struct ham_agent_param {
	char *name;
	char *shortdesc;
	char *longdesc;
	char *type_name;   /* as written in <content type=...> */
	enum ham_param_type type;
	char *default_value;
	char **options;    /* select: NULL-terminated allowed values */
	bool required;
	bool unique;       /* unique="1" or a unique-group */
	char *unique_group;
	bool deprecated;
} ham_agent_param;

typedef struct ham_agent_action {
	char *name;
	uint64_t timeout_ms; /* 0 if unset */
	uint64_t interval_ms;
	char *role;
	uint32_t depth;
} ham_agent_action;

typedef struct ham_agent_meta {
	char *name;
	char *version;
	char *shortdesc;
	char *longdesc;
	ham_agent_param *params;
	size_t n_params;
	ham_agent_action *actions;
	size_t n_actions;
} ham_agent_meta;

/*
 * Parses OCF resource-agent meta-data XML (also the fence-agents flavour)
 * from memory; no network, no entity expansion, no DTD loading. Returns 0
 * and a new meta (free with ham_agent_meta_free()), or -HAM_E_XML with a
 * message in *ret_msg (free() it) when ret_msg is not NULL.
 */
int ham_agent_meta_parse(const char *xml, size_t len, ham_agent_meta **ret, char **ret_msg);
ham_agent_meta *ham_agent_meta_free(ham_agent_meta *m);
const ham_agent_param *ham_agent_meta_param(const ham_agent_meta *m, const char *name);

/*
 * Checks params against m: every required parameter is present and not
 * empty, integers and booleans parse, select values are allowed. Unknown
 * parameters are accepted (agents differ in what they document). Returns 0,
 * or -EINVAL with a message naming the parameter in *ret_msg (free() it).
 */
int ham_agent_meta_validate(const ham_agent_meta *m, const ham_exec_param *params, size_t n,
			    char **ret_msg);

/*
 * The meta-data of an agent, from the executor's cache or by running its
 * meta-data action (systemd units and LSB scripts have none: -EOPNOTSUPP,
 * returned at once without a callback). cb is called on
 * the loop with 0 and the meta (owned by the cache, valid until
 * ham_exec_free()), or a negative code and a message.
 */
typedef void (*ham_exec_meta_cb)(int r, const ham_agent_meta *m, const char *msg, void *user);
int ham_exec_get_meta(ham_exec *e, const ham_agent_spec *agent, ham_exec_meta_cb cb, void *user);

/* ------------------------------------------------------------------ */
/* Listing agents                                                      */
/* ------------------------------------------------------------------ */

/*
 * Agents installed for class (and provider, for OCF; NULL: all): a
 * NULL-terminated, sorted array of "class:[provider:]type" strings (free
 * with ham_strv_free()). systemd lists service unit files over sd-bus.
 * Returns 0 or a negative code.
 */
int ham_exec_list_agents(ham_exec *e, enum ham_agent_class cls, const char *provider,
			 char ***ret);
/* OCF providers under the OCF root: as above. */
int ham_exec_list_providers(ham_exec *e, char ***ret);
void ham_strv_free(char **v);

/* ------------------------------------------------------------------ */
/* Fencing helpers                                                     */
/* ------------------------------------------------------------------ */

/*
 * The port (plug) for node according to pcmk_host_map ("node1:port1;node2:port2",
 * entries separated by ';', ',' or blanks, node and port by ':' or '=') and
 * pcmk_host_list (nodes this device can fence; NULL/empty: any). Without a
 * map entry the port is the node name. Returns 0 and a new string, -ENOENT
 * if the device cannot fence node, -EINVAL for a malformed map.
 */
int ham_fence_port_for(const char *host_map, const char *host_list, const char *node,
		       char **ret_port);

#endif /* HAMGR_EXEC_H */

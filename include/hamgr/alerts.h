/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Alerts (lib/cib): the CIB's <alerts> section as a typed model, the
 * resolved list of agents to run (one entry per alert and recipient), which
 * events each wants (<select>), and the CRM_alert_* environment an alert
 * agent is run with, as Pacemaker runs them. No I/O: the daemon runs the
 * agents (daemons/hamgrd/alerts.c).
 */
#ifndef HAMGR_ALERTS_H
#define HAMGR_ALERTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include <hamgr/cib.h>

/* XML names of the section. */
#define HAM_XE_ALERTS "alerts"
#define HAM_XE_ALERT "alert"
#define HAM_XE_RECIPIENT "recipient"
#define HAM_XE_SELECT "select"
#define HAM_XA_PATH "path"
#define HAM_XA_VALUE "value"
#define HAM_ALERT_META_TIMEOUT "timeout"
#define HAM_ALERT_META_TIMESTAMP_FORMAT "timestamp-format"
#define HAM_ALERT_META_ENABLED "enabled"

#define HAM_ALERT_DEFAULT_TIMEOUT_MS 30000u
#define HAM_ALERT_DEFAULT_TIMESTAMP_FORMAT "%H:%M:%S.%06N"
/* What CRM_alert_version says: the Pacemaker version whose alert interface
 * this is (agents refuse to run without one). */
#define HAM_ALERT_VERSION "2.1.5"

enum ham_alert_kind {
	HAM_ALERT_NODE = 0,
	HAM_ALERT_FENCING,
	HAM_ALERT_RESOURCE,
	HAM_ALERT_ATTRIBUTE,
	HAM_ALERT_KIND_MAX,
	HAM_ALERT_KIND_INVALID = -1,
};
/* "node", "fencing", "resource", "attribute" (CRM_alert_kind). */
const char *ham_alert_kind_str(enum ham_alert_kind k);
enum ham_alert_kind ham_alert_kind_from_str(const char *s);

/* <select> children, as flags (1u << kind). */
#define HAM_ALERT_SELECT_NODES (1u << HAM_ALERT_NODE)
#define HAM_ALERT_SELECT_FENCING (1u << HAM_ALERT_FENCING)
#define HAM_ALERT_SELECT_RESOURCES (1u << HAM_ALERT_RESOURCE)
#define HAM_ALERT_SELECT_ATTRIBUTES (1u << HAM_ALERT_ATTRIBUTE)
#define HAM_ALERT_SELECT_ALL 0xfu

/* ---- the model (owned by the ham_cib it comes from) ---- */

struct ham_cib_alert_recipient {
	const char *id;
	const char *value;
	const struct ham_cib_nvset *const *instance; /* instance_attributes */
	size_t n_instance;
	const struct ham_cib_nvset *const *meta;     /* meta_attributes */
	size_t n_meta;
	unsigned line;
};

struct ham_cib_alert {
	const char *id;
	const char *path;
	/* HAM_ALERT_SELECT_ALL without <select>; else what it selects (an
	 * empty <select/> selects nothing). */
	uint32_t select;
	/* <select_attributes><attribute name/>: only these attributes (none
	 * listed: every attribute). */
	const char *const *select_attrs;
	size_t n_select_attrs;
	const struct ham_cib_nvset *const *instance;
	size_t n_instance;
	const struct ham_cib_nvset *const *meta;
	size_t n_meta;
	const struct ham_cib_alert_recipient *recipients;
	size_t n_recipients;
	unsigned line;
};

/* The <alert>s of a loaded CIB in document order; owned by cib. */
const struct ham_cib_alert *const *ham_cib_alerts(const ham_cib *cib, size_t *ret_n);

/* ---- the resolved list: what to run ---- */

/*
 * One agent run per event: an alert with one recipient (or with none:
 * recipient NULL), unless meta attribute enabled=false (on the alert: for
 * every recipient; on a recipient: that one). The recipient's meta and instance attributes override
 * the alert's. params: the instance attributes, set as environment
 * variables of their own.
 */
struct ham_alert_entry {
	char *alert_id;
	char *recipient_id; /* NULL without recipient */
	char *path;
	char *recipient;    /* the recipient's value; NULL without recipient */
	uint64_t timeout_ms;
	char *timestamp_format;
	uint32_t select;
	char **select_attrs; /* NULL-terminated; empty: every attribute */
	char **param_names;  /* NULL-terminated, parallel to param_values */
	char **param_values;
};

typedef struct ham_alert_list ham_alert_list;

/*
 * The entries of every alert of cib (a deep copy: cib may be freed after).
 * Returns 0 and a new list (free with ham_alert_list_free()), or -EINVAL
 * with a message naming the alert in *ret_err (malloc'd) for what the
 * loader's checks would have refused (a relative path, a bad timeout).
 */
int ham_alert_list_from_cib(const ham_cib *cib, ham_alert_list **ret, char **ret_err);
ham_alert_list *ham_alert_list_free(ham_alert_list *l);
size_t ham_alert_list_count(const ham_alert_list *l);
const struct ham_alert_entry *ham_alert_list_get(const ham_alert_list *l, size_t i);

/*
 * Whether entry e runs for an event of kind (and, for attributes, of that
 * attribute name; NULL: any).
 */
bool ham_alert_wants(const struct ham_alert_entry *e, enum ham_alert_kind kind,
		     const char *attr_name);

/*
 * Attribute alerts: cb is called (from ham_cib_doc_set_transient_attr(),
 * also when an operation result sets a fail count) for every change of a
 * transient node attribute in any document: node_id, uname (may be NULL),
 * the name, and the new value (NULL: deleted). One observer per process;
 * NULL: none. Removals of a node's whole set (a node that left or was
 * fenced) are not reported.
 */
typedef void (*ham_cib_attr_observer)(const ham_cib_doc *doc, const char *node_id,
				      const char *uname, const char *name, const char *value,
				      void *ud);
void ham_cib_set_attr_observer(ham_cib_attr_observer cb, void *ud);

/* ---- one event ---- */

struct ham_alert_event {
	enum ham_alert_kind kind;
	struct timespec when;  /* CLOCK_REALTIME */
	const char *node;      /* the node concerned (fencing: the target) */
	uint32_t nodeid;       /* node alerts */
	const char *desc;      /* node: "member"/"lost"; fencing: a summary;
				* resource: NULL (derived from status and rc) */
	const char *rsc;       /* resource */
	const char *task;      /* resource and fencing */
	uint64_t interval_ms;  /* resource */
	int status;            /* resource: the operation status (lrm_rsc_op op-status) */
	int target_rc;         /* resource */
	int rc;                /* resource and fencing */
	uint64_t exec_ms;      /* resource */
	const char *attr_name, *attr_value; /* attribute */
};

/*
 * Formats ts in local time with fmt as strftime() does, plus date(1)'s
 * %N: the fraction of the second, %N nine digits, %<width>N (a leading 0
 * allowed: %06N) the first width digits (1 to 9). Returns 0, or -ENOSPC
 * if the result does not fit in size (buf then holds "").
 */
int ham_alert_format_timestamp(const char *fmt, const struct timespec *ts, char *buf,
			       size_t size);

/*
 * The readable description of a resource operation's result, as
 * CRM_alert_desc has it: the exit code's name ("ok", "not running",
 * "error"...) when the operation completed, else its status ("Timed Out",
 * "Cancelled", "Error"...). Static text.
 */
const char *ham_alert_resource_desc(int status, int rc);

/*
 * The environment of one run: CRM_alert_* (and their CRM_notify_*
 * counterparts), the entry's instance attributes, and PATH (path_env;
 * NULL: a default). sequence: CRM_alert_node_sequence. A NULL-terminated
 * array of "NAME=value" strings; free with ham_alert_env_free().
 */
char **ham_alert_env(const struct ham_alert_entry *e, const struct ham_alert_event *ev,
		     uint64_t sequence, const char *path_env);
char **ham_alert_env_free(char **env);

#endif

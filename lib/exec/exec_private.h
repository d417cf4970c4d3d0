/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/exec internals shared between the process runner (exec.c), the
 * systemd class (systemd.c) and meta-data handling (meta.c).
 */
#ifndef HAM_EXEC_PRIVATE_H
#define HAM_EXEC_PRIVATE_H

#include <sys/types.h>
#include <qb/qblist.h>
#include <qb/qbmap.h>

#include <hamgr/exec.h>

struct sd_state;

enum op_state {
	OP_NEW,
	OP_QUEUED,
	OP_META,     /* waiting for meta-data before a validated start */
	OP_RUNNING,
	OP_WAITING,  /* recurring, between runs */
	OP_DONE,
};

struct ham_exec {
	qb_loop_t *loop;
	char *ocf_root;
	char *lsb_dir;
	char *fence_dir;
	char *systemd_bus;
	unsigned max_concurrent;
	size_t output_cap;
	uint64_t kill_grace_ms;
	bool no_validate;

	struct qb_list_head ops;   /* every live op */
	struct qb_list_head queue; /* OP_QUEUED, FIFO */
	unsigned n_running;
	qb_map_t *meta_cache;      /* "class:provider:type" -> struct meta_entry */
	struct qb_list_head started; /* struct started_rsc: for unique checks */
	struct sd_state *sd;
	bool freeing;
	uint64_t next_id;
	struct qb_list_head jobs;  /* struct exec_job: loop jobs to delete on free */
	char *tools_dir;           /* the agents' tools (ham_exec_options), or NULL */
	char *ipc_name;            /* $HAMGR_IPC_NAME, passed on to agents, or NULL */
};

/* A loop job the executor may have to withdraw (ham_exec_free()). */
struct exec_job {
	struct qb_list_head node;
	ham_exec *e;
	void (*fn)(void *data);
	void (*drop)(void *data);
	void *data;
};
/* Runs fn(data) from the loop soon; drop(data) instead if the executor is freed first. */
void exec_job_add(ham_exec *e, void (*fn)(void *), void (*drop)(void *), void *data);
/* The live op with this id, or NULL. */
struct ham_exec_op *exec_op_by_id(ham_exec *e, uint64_t id);

struct stream {
	int fd;
	ham_buf buf;
	bool truncated;
};

struct ham_exec_op {
	ham_exec *e;
	uint64_t id;
	struct qb_list_head node;  /* in e->ops */
	struct qb_list_head qnode; /* in e->queue while queued */
	enum op_state state;

	/* the request, copied */
	ham_agent_spec agent;
	char *action;
	char *rsc_id;
	ham_exec_param *params;
	size_t n_params;
	ham_exec_param *meta;
	size_t n_meta;
	uint64_t timeout_ms;
	uint64_t interval_ms;
	char *target;

	ham_exec_cb cb;
	void *user;
	bool internal;    /* a meta-data fetch of our own */
	bool cancelled;
	bool in_callback;
	bool validated;
	unsigned run;

	/* the current run */
	uint64_t started_ms;
	pid_t pid;
	int pidfd;
	bool timed_out;
	bool exited;
	int wstatus;
	struct stream out, err;
	qb_loop_timer_handle timeout_timer, kill_timer, interval_timer, reap_timer;
	bool timeout_armed, kill_armed, interval_armed, reap_armed;

	/* systemd */
	void *sd_slot;
	char *sd_job;
	char *sd_unit_path;
	int sd_step;
};

/* Completes the current run of op with a result (not for process runs). */
void exec_finish(struct ham_exec_op *op, enum ham_exec_status status, int rc, const char *detail);
/* The same from the loop, for results known while the op is being started:
 * callbacks never run inside ham_exec_submit(). */
void exec_finish_later(struct ham_exec_op *op, enum ham_exec_status status, int rc,
		       const char *detail);

/* systemd.c */
int sd_op_start(ham_exec *e, struct ham_exec_op *op);
void sd_op_abort(struct ham_exec_op *op);
void sd_fini(ham_exec *e);
int sd_list_units(ham_exec *e, char ***ret);

/* meta.c */
void meta_cache_free(ham_exec *e);

#endif

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/exec: the executor. Queues actions under a concurrency limit, runs
 * OCF, LSB and fence agents as children (fork+exec, argv, clean environment,
 * own process group, capped output through non-blocking pipes, exit seen
 * through a pidfd), enforces timeouts and reschedules recurring monitors.
 */
#include "config.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "exec_private.h"

#define DEFAULT_TIMEOUT_MS 20000
#define DEFAULT_CAP (64 * 1024)
#define DEFAULT_GRACE_MS 2000
#define DEFAULT_CONCURRENT 4
#define STDIN_MAX (60 * 1024) /* fits an empty pipe: written at once */
#define SAFE_PATH "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

/* ------------------------------------------------------------------ */
/* Names                                                               */
/* ------------------------------------------------------------------ */

static const char *const class_names[HAM_AGENT_CLASS_MAX] = {
	[HAM_AGENT_OCF] = "ocf",
	[HAM_AGENT_SYSTEMD] = "systemd",
	[HAM_AGENT_LSB] = "lsb",
	[HAM_AGENT_STONITH] = "stonith",
};

const char *ham_agent_class_str(enum ham_agent_class c)
{
	if ((int)c < 0 || c >= HAM_AGENT_CLASS_MAX)
		return "invalid";
	return class_names[c];
}

enum ham_agent_class ham_agent_class_from_str(const char *s)
{
	int i;

	if (s == NULL)
		return HAM_AGENT_CLASS_INVALID;
	for (i = 0; i < HAM_AGENT_CLASS_MAX; i++)
		if (strcmp(s, class_names[i]) == 0)
			return (enum ham_agent_class)i;
	if (strcmp(s, "fence") == 0)
		return HAM_AGENT_STONITH;
	return HAM_AGENT_CLASS_INVALID;
}

static bool plain_name(const char *s)
{
	if (s == NULL || *s == '\0' || strcmp(s, ".") == 0 || strcmp(s, "..") == 0)
		return false;
	for (; *s; s++)
		if (*s == '/' || *s == ':' || (unsigned char)*s < 0x20)
			return false;
	return true;
}

int ham_agent_spec_parse(const char *s, ham_agent_spec *ret)
{
	const char *c1, *c2;
	char *cls;
	enum ham_agent_class k;
	ham_agent_spec sp = { HAM_AGENT_CLASS_INVALID, NULL, NULL };

	if (s == NULL || (c1 = strchr(s, ':')) == NULL)
		return -EINVAL;
	cls = ham_strndup(s, (size_t)(c1 - s));
	k = ham_agent_class_from_str(cls);
	free(cls);
	if (k == HAM_AGENT_CLASS_INVALID)
		return -EINVAL;
	c2 = strchr(c1 + 1, ':');
	if (k == HAM_AGENT_OCF) {
		if (c2 == NULL)
			return -EINVAL;
		sp.provider = ham_strndup(c1 + 1, (size_t)(c2 - c1 - 1));
		sp.type = ham_strdup(c2 + 1);
		if (!plain_name(sp.provider) || !plain_name(sp.type))
			goto fail;
	} else {
		if (c2 != NULL && k != HAM_AGENT_SYSTEMD)
			return -EINVAL;
		/* systemd units may be written "systemd:foo@bar:baz.service"? no: ':' is rejected below */
		sp.type = ham_strdup(c1 + 1);
		if (!plain_name(sp.type))
			goto fail;
	}
	sp.cls = k;
	*ret = sp;
	return 0;
fail:
	ham_agent_spec_clear(&sp);
	return -EINVAL;
}

void ham_agent_spec_clear(ham_agent_spec *s)
{
	if (s == NULL)
		return;
	s->provider = ham_free(s->provider);
	s->type = ham_free(s->type);
}

char *ham_agent_spec_str(const ham_agent_spec *s)
{
	if (s->provider != NULL)
		return ham_asprintf("%s:%s:%s", ham_agent_class_str(s->cls), s->provider, s->type);
	return ham_asprintf("%s:%s", ham_agent_class_str(s->cls), s->type ? s->type : "");
}

const char *ham_ocf_rc_str(int rc)
{
	switch (rc) {
	case HAM_OCF_OK: return "ok";
	case HAM_OCF_ERR_GENERIC: return "generic error";
	case HAM_OCF_ERR_ARGS: return "invalid argument";
	case HAM_OCF_ERR_UNIMPLEMENTED: return "unimplemented feature";
	case HAM_OCF_ERR_PERM: return "insufficient privileges";
	case HAM_OCF_ERR_INSTALLED: return "not installed";
	case HAM_OCF_ERR_CONFIGURED: return "not configured";
	case HAM_OCF_NOT_RUNNING: return "not running";
	case HAM_OCF_RUNNING_PROMOTED: return "running promoted";
	case HAM_OCF_FAILED_PROMOTED: return "failed promoted";
	case HAM_OCF_DEGRADED: return "degraded";
	case HAM_OCF_DEGRADED_PROMOTED: return "degraded promoted";
	default: return "unknown error";
	}
}

enum ham_ocf_severity ham_ocf_rc_severity(int rc)
{
	switch (rc) {
	case HAM_OCF_OK:
	case HAM_OCF_NOT_RUNNING: /* an expected answer for probes and stopped resources */
	case HAM_OCF_RUNNING_PROMOTED:
	case HAM_OCF_DEGRADED:
	case HAM_OCF_DEGRADED_PROMOTED:
		return HAM_OCF_SEV_NONE;
	case HAM_OCF_ERR_ARGS:
	case HAM_OCF_ERR_PERM:
	case HAM_OCF_ERR_INSTALLED:
		return HAM_OCF_SEV_HARD;
	case HAM_OCF_ERR_CONFIGURED:
		return HAM_OCF_SEV_FATAL;
	default:
		return HAM_OCF_SEV_SOFT;
	}
}

const char *ham_ocf_severity_str(enum ham_ocf_severity s)
{
	switch (s) {
	case HAM_OCF_SEV_NONE: return "none";
	case HAM_OCF_SEV_SOFT: return "soft";
	case HAM_OCF_SEV_HARD: return "hard";
	case HAM_OCF_SEV_FATAL: return "fatal";
	}
	return "invalid";
}

static const char *const status_names[HAM_EXEC_STATUS_MAX] = {
	[HAM_EXEC_DONE] = "done",
	[HAM_EXEC_TIMEOUT] = "timeout",
	[HAM_EXEC_ERROR] = "error",
	[HAM_EXEC_NOT_INSTALLED] = "not installed",
	[HAM_EXEC_INVALID] = "invalid parameters",
	[HAM_EXEC_CANCELLED] = "cancelled",
};

const char *ham_exec_status_str(enum ham_exec_status s)
{
	if ((int)s < 0 || s >= HAM_EXEC_STATUS_MAX)
		return "invalid";
	return status_names[s];
}

void ham_strv_free(char **v)
{
	char **p;

	if (v == NULL)
		return;
	for (p = v; *p; p++)
		free(*p);
	free(v);
}

/* ------------------------------------------------------------------ */
/* Executor lifetime                                                   */
/* ------------------------------------------------------------------ */

/*
 * The directory of hamgr's own crm_attribute & co., for the agents' PATH
 * and HA_SBIN_DIR, when it exists; and the IPC name they must use to reach
 * this hamgrd when it is not the default one.
 */
static void tools_dir_init(ham_exec *e, const char *dir)
{
	const char *ipc = getenv("HAMGR_IPC_NAME");
	struct stat st;

	if (dir == NULL || *dir == '\0')
		dir = getenv("HAMGR_TOOLS_DIR");
	if (dir == NULL || *dir == '\0')
		dir = HAM_TOOLS_DIR;
	if (stat(dir, &st) == 0 && S_ISDIR(st.st_mode) && strchr(dir, ':') == NULL)
		e->tools_dir = ham_strdup(dir);
	else
		qb_log(LOG_INFO, "No agent tools directory %s: agents get the system's "
		       "crm_attribute and attrd_updater, if any", dir);
	if (ipc != NULL && *ipc != '\0')
		e->ipc_name = ham_strdup(ipc);
}

ham_exec *ham_exec_new(qb_loop_t *loop, const struct ham_exec_options *opts)
{
	struct ham_exec_options none = { 0 };
	ham_exec *e = ham_new0(ham_exec);
	const char *root;

	struct sigaction sa;

	if (opts == NULL)
		opts = &none;
	/* With SIGCHLD ignored the kernel reaps our children itself and their
	 * exit status is lost: every agent would seem to exit 0. */
	if (sigaction(SIGCHLD, NULL, &sa) == 0 && sa.sa_handler == SIG_IGN) {
		qb_log(LOG_WARNING, "SIGCHLD was ignored; restoring its default so agents' exit "
				    "statuses can be collected");
		signal(SIGCHLD, SIG_DFL);
	}
	/* Pipes must never land on 0-2, or the child's dup2() calls would
	 * overwrite one another: keep those taken (by /dev/null if closed). */
	for (int fd = 0; fd < 3; fd++)
		if (fcntl(fd, F_GETFD) < 0 && open("/dev/null", O_RDWR) < 0)
			qb_log(LOG_WARNING, "cannot open /dev/null: %s", strerror(errno));
	e->loop = loop;
	root = opts->ocf_root;
	if (root == NULL)
		root = getenv("OCF_ROOT");
	if (root == NULL || *root == '\0')
		root = "/usr/lib/ocf";
	e->ocf_root = ham_strdup(root);
	e->lsb_dir = ham_strdup(opts->lsb_dir ? opts->lsb_dir : "/etc/init.d");
	e->fence_dir = ham_strdup(opts->fence_dir ? opts->fence_dir : "/usr/sbin");
	e->systemd_bus = ham_strdup(opts->systemd_bus);
	e->max_concurrent = opts->max_concurrent ? opts->max_concurrent : DEFAULT_CONCURRENT;
	e->output_cap = opts->output_cap ? opts->output_cap : DEFAULT_CAP;
	e->kill_grace_ms = opts->kill_grace_ms ? opts->kill_grace_ms : DEFAULT_GRACE_MS;
	e->no_validate = opts->no_validate;
	tools_dir_init(e, opts->tools_dir);
	qb_list_init(&e->ops);
	qb_list_init(&e->queue);
	qb_list_init(&e->started);
	qb_list_init(&e->jobs);
	e->meta_cache = qb_hashtable_create(64);
	return e;
}

const char *ham_exec_ocf_root(const ham_exec *e)
{
	return e->ocf_root;
}

unsigned ham_exec_running(const ham_exec *e)
{
	return e->n_running;
}

unsigned ham_exec_queued(const ham_exec *e)
{
	return (unsigned)qb_list_length((struct qb_list_head *)&e->queue);
}

/* ------------------------------------------------------------------ */
/* Ops                                                                 */
/* ------------------------------------------------------------------ */

struct started_rsc {
	struct qb_list_head node;
	char *rsc_id;
	char *agent;
	ham_exec_param *params;
	size_t n_params;
};

static ham_exec_param *copy_params(const ham_exec_param *p, size_t n)
{
	ham_exec_param *c;
	size_t i;

	if (n == 0)
		return NULL;
	c = ham_newa0(ham_exec_param, n);
	for (i = 0; i < n; i++) {
		c[i].name = ham_strdup(p[i].name);
		c[i].value = ham_strdup(p[i].value ? p[i].value : "");
	}
	return c;
}

static void free_params(ham_exec_param *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free((char *)p[i].name);
		free((char *)p[i].value);
	}
	free(p);
}

static const char *param_get(const ham_exec_param *p, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(p[i].name, name) == 0)
			return p[i].value;
	return NULL;
}

static void started_free(struct started_rsc *s)
{
	qb_list_del(&s->node);
	free(s->rsc_id);
	free(s->agent);
	free_params(s->params, s->n_params);
	free(s);
}

static void stream_close(ham_exec *e, struct stream *s)
{
	if (s->fd >= 0) {
		qb_loop_poll_del(e->loop, s->fd);
		close(s->fd);
		s->fd = -1;
	}
}

static void timer_stop(ham_exec *e, qb_loop_timer_handle *th, bool *armed)
{
	if (*armed) {
		qb_loop_timer_del(e->loop, *th);
		*armed = false;
	}
}

static void op_stop_timers(struct ham_exec_op *op)
{
	timer_stop(op->e, &op->timeout_timer, &op->timeout_armed);
	timer_stop(op->e, &op->kill_timer, &op->kill_armed);
	timer_stop(op->e, &op->interval_timer, &op->interval_armed);
	timer_stop(op->e, &op->reap_timer, &op->reap_armed);
}

static void op_release_run(struct ham_exec_op *op)
{
	ham_exec *e = op->e;

	stream_close(e, &op->out);
	stream_close(e, &op->err);
	if (op->pidfd >= 0) {
		qb_loop_poll_del(e->loop, op->pidfd);
		close(op->pidfd);
		op->pidfd = -1;
	}
	ham_buf_free(&op->out.buf);
	ham_buf_free(&op->err.buf);
	op->out.truncated = op->err.truncated = false;
	op->timed_out = op->exited = false;
	op->pid = 0;
}

static void op_free(struct ham_exec_op *op)
{
	op_stop_timers(op);
	op_release_run(op);
	if (op->sd_slot != NULL)
		sd_op_abort(op);
	if (op->state == OP_QUEUED)
		qb_list_del(&op->qnode);
	qb_list_del(&op->node);
	ham_agent_spec_clear(&op->agent);
	free(op->action);
	free(op->rsc_id);
	free_params(op->params, op->n_params);
	free_params(op->meta, op->n_meta);
	free(op->target);
	free(op->sd_job);
	free(op->sd_unit_path);
	free(op);
}

static bool env_name_ok(const char *s)
{
	if (s == NULL || *s == '\0' || isdigit((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
			return false;
	return true;
}

static bool fence_needs_target(const char *action)
{
	return strcmp(action, "on") == 0 || strcmp(action, "off") == 0 ||
	       strcmp(action, "reboot") == 0 || strcmp(action, "status") == 0;
}

static void op_start(struct ham_exec_op *op);
static void pump_queue(ham_exec *e);

int ham_exec_submit(ham_exec *e, const ham_exec_request *req, ham_exec_cb cb, void *user,
		    ham_exec_op **ret_op)
{
	struct ham_exec_op *op;
	size_t i;

	if (e == NULL || req == NULL || req->action == NULL || *req->action == '\0' ||
	    req->agent.type == NULL || (int)req->agent.cls < 0 ||
	    req->agent.cls >= HAM_AGENT_CLASS_MAX)
		return -EINVAL;
	if (req->agent.cls == HAM_AGENT_OCF && !plain_name(req->agent.provider))
		return -EINVAL;
	if (!plain_name(req->agent.type))
		return -EINVAL;
	for (i = 0; i < req->n_params; i++) {
		/* fence agents take key=value lines: a name may not hold '=' or newlines */
		if (!env_name_ok(req->params[i].name))
			return -EINVAL;
		if (req->agent.cls == HAM_AGENT_STONITH && req->params[i].value != NULL &&
		    strchr(req->params[i].value, '\n') != NULL)
			return -EINVAL;
	}
	for (i = 0; i < req->n_meta; i++)
		if (!env_name_ok(req->meta[i].name))
			return -EINVAL;
	if (req->agent.cls == HAM_AGENT_STONITH && fence_needs_target(req->action) &&
	    (req->target == NULL || *req->target == '\0'))
		return -EINVAL;
	if (req->target != NULL && strchr(req->target, '\n') != NULL)
		return -EINVAL;

	if (strcmp(req->action, "stop") == 0 && req->rsc_id != NULL)
		ham_exec_cancel_rsc(e, req->rsc_id);

	op = ham_new0(struct ham_exec_op);
	op->e = e;
	op->id = ++e->next_id;
	op->agent.cls = req->agent.cls;
	op->agent.provider = ham_strdup(req->agent.provider);
	op->agent.type = ham_strdup(req->agent.type);
	op->action = ham_strdup(req->action);
	op->rsc_id = ham_strdup(req->rsc_id ? req->rsc_id : req->agent.type);
	op->params = copy_params(req->params, req->n_params);
	op->n_params = req->n_params;
	op->meta = copy_params(req->meta, req->n_meta);
	op->n_meta = req->n_meta;
	op->timeout_ms = req->timeout_ms ? req->timeout_ms : DEFAULT_TIMEOUT_MS;
	op->interval_ms = req->interval_ms;
	op->target = ham_strdup(req->target);
	op->cb = cb;
	op->user = user;
	op->pid = 0;
	op->pidfd = -1;
	op->out.fd = op->err.fd = -1;
	op->state = OP_NEW;
	qb_list_add_tail(&op->node, &e->ops);

	qb_list_add_tail(&op->qnode, &e->queue);
	op->state = OP_QUEUED;
	pump_queue(e);
	if (ret_op != NULL)
		*ret_op = op;
	return 0;
}

static void job_run(void *data)
{
	struct exec_job *j = data;

	qb_list_del(&j->node);
	j->fn(j->data);
	free(j);
}

void exec_job_add(ham_exec *e, void (*fn)(void *), void (*drop)(void *), void *data)
{
	struct exec_job *j = ham_new0(struct exec_job);

	j->e = e;
	j->fn = fn;
	j->drop = drop;
	j->data = data;
	qb_list_add_tail(&j->node, &e->jobs);
	qb_loop_job_add(e->loop, QB_LOOP_HIGH, j, job_run);
}

struct ham_exec_op *exec_op_by_id(ham_exec *e, uint64_t id)
{
	struct ham_exec_op *o;

	qb_list_for_each_entry(o, &e->ops, node)
		if (o->id == id)
			return o;
	return NULL;
}

static bool op_alive(ham_exec *e, struct ham_exec_op *op)
{
	struct ham_exec_op *o;

	qb_list_for_each_entry(o, &e->ops, node)
		if (o == op)
			return true;
	return false;
}

static void kill_group(struct ham_exec_op *op, int sig)
{
	if (op->pid > 0)
		kill(-op->pid, sig);
}

/* Reaps a child that is known to have exited (or was just KILLed). */
static void reap_now(struct ham_exec_op *op)
{
	int st = 0;
	pid_t r;

	if (op->pid <= 0)
		return;
	do
		r = waitpid(op->pid, &st, 0);
	while (r < 0 && errno == EINTR);
	op->wstatus = st;
	op->exited = true;
}

int ham_exec_cancel(ham_exec *e, ham_exec_op *op)
{
	if (e == NULL || op == NULL || !op_alive(e, op))
		return -ENOENT;
	if (op->cancelled)
		return -ENOENT;
	op->cancelled = true;
	op->interval_ms = 0;
	if (op->in_callback)
		return 0; /* freed when the callback returns */
	if (op->state == OP_RUNNING || op->state == OP_META) {
		if (op->pid > 0 && !op->exited) {
			kill_group(op, SIGKILL);
			reap_now(op);
		}
		if (op->state == OP_RUNNING && e->n_running > 0)
			e->n_running--;
	}
	op_free(op);
	pump_queue(e);
	return 0;
}

unsigned ham_exec_cancel_rsc(ham_exec *e, const char *rsc_id)
{
	struct ham_exec_op *op, *tmp;
	unsigned n = 0;

	qb_list_for_each_entry_safe(op, tmp, &e->ops, node) {
		if (op->interval_ms > 0 && !op->cancelled && ham_streq(op->rsc_id, rsc_id)) {
			ham_exec_cancel(e, op);
			n++;
		}
	}
	return n;
}

ham_exec *ham_exec_free(ham_exec *e)
{
	struct ham_exec_op *op, *tmp;

	if (e == NULL)
		return NULL;
	e->freeing = true;
	qb_list_for_each_entry_safe(op, tmp, &e->ops, node) {
		if (op->pid > 0 && !op->exited) {
			kill_group(op, SIGKILL);
			reap_now(op);
		}
		if (op->internal && op->cb != NULL) {
			/* our own meta-data fetches: let their waiters release themselves */
			ham_exec_result res = { .status = HAM_EXEC_CANCELLED,
						.rc = HAM_OCF_ERR_GENERIC,
						.exit_code = -1,
						.detail = "the executor is shutting down",
						.out = "",
						.err = "" };
			op->cb(op, &res, op->user);
		}
		op_free(op);
	}
	while (!qb_list_empty(&e->jobs)) {
		struct exec_job *j = qb_list_first_entry(&e->jobs, struct exec_job, node);

		qb_list_del(&j->node);
		qb_loop_job_del(e->loop, QB_LOOP_HIGH, j, job_run);
		if (j->drop != NULL)
			j->drop(j->data);
		free(j);
	}
	while (!qb_list_empty(&e->started))
		started_free(qb_list_first_entry(&e->started, struct started_rsc, node));
	sd_fini(e);
	meta_cache_free(e);
	free(e->ocf_root);
	free(e->lsb_dir);
	free(e->fence_dir);
	free(e->tools_dir);
	free(e->ipc_name);
	free(e->systemd_bus);
	free(e);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* Completion                                                          */
/* ------------------------------------------------------------------ */

static char *find_exit_reason(const char *err)
{
	const char *p = err, *last = NULL, *end;
	static const char tag[] = "ocf-exit-reason:";

	while (p != NULL && *p) {
		if (strncmp(p, tag, sizeof(tag) - 1) == 0)
			last = p + sizeof(tag) - 1;
		p = strchr(p, '\n');
		if (p != NULL)
			p++;
	}
	if (last == NULL)
		return NULL;
	end = strchr(last, '\n');
	return ham_strndup(last, end ? (size_t)(end - last) : strlen(last));
}

static void interval_fire(void *data)
{
	struct ham_exec_op *op = data;

	op->interval_armed = false;
	if (op->state != OP_WAITING)
		return;
	qb_list_add_tail(&op->qnode, &op->e->queue);
	op->state = OP_QUEUED;
	pump_queue(op->e);
}

static void record_started(struct ham_exec_op *op)
{
	ham_exec *e = op->e;
	struct started_rsc *s, *tmp;
	char *key = ham_agent_spec_str(&op->agent);

	qb_list_for_each_entry_safe(s, tmp, &e->started, node)
		if (strcmp(s->rsc_id, op->rsc_id) == 0)
			started_free(s);
	if (strcmp(op->action, "start") == 0) {
		s = ham_new0(struct started_rsc);
		s->rsc_id = ham_strdup(op->rsc_id);
		s->agent = key;
		s->params = copy_params(op->params, op->n_params);
		s->n_params = op->n_params;
		qb_list_add_tail(&s->node, &e->started);
	} else {
		free(key);
	}
}

static void deliver(struct ham_exec_op *op, enum ham_exec_status status, int rc, int exit_code,
		    const char *detail)
{
	ham_exec *e = op->e;
	ham_exec_result res = { 0 };
	char *reason = NULL;
	bool was_running = op->state == OP_RUNNING;

	op_stop_timers(op);
	if (was_running && e->n_running > 0)
		e->n_running--;
	op->run++;
	reason = find_exit_reason(ham_buf_str(&op->err.buf));
	res.status = status;
	res.rc = rc;
	res.exit_code = exit_code;
	res.exit_reason = reason;
	res.detail = detail;
	res.out = ham_buf_str(&op->out.buf);
	res.out_len = op->out.buf.len;
	res.out_truncated = op->out.truncated;
	res.err = ham_buf_str(&op->err.buf);
	res.err_len = op->err.buf.len;
	res.err_truncated = op->err.truncated;
	res.duration_ms = ham_now_mono_ms() - op->started_ms;
	res.run = op->run;

	if (status == HAM_EXEC_DONE && rc == HAM_OCF_OK &&
	    (strcmp(op->action, "start") == 0 || strcmp(op->action, "stop") == 0))
		record_started(op);

	qb_log(status == HAM_EXEC_DONE ? LOG_DEBUG : LOG_INFO,
	       "%s %s_%s_%" PRIu64 ": %s, rc=%d (%s) in %" PRIu64 " ms%s%s", op->agent.type,
	       op->rsc_id, op->action, op->interval_ms, ham_exec_status_str(status), rc,
	       ham_ocf_rc_str(rc), res.duration_ms, reason ? ": " : "", reason ? reason : "");
	if (res.err_len > 0)
		qb_log(status != HAM_EXEC_DONE || ham_ocf_rc_severity(rc) != HAM_OCF_SEV_NONE
			       ? LOG_INFO : LOG_DEBUG,
		       "%s %s stderr: %.*s", op->rsc_id, op->action,
		       (int)(res.err_len > 2048 ? 2048 : res.err_len), res.err);

	op->state = OP_DONE;
	if (op->cb != NULL) {
		op->in_callback = true;
		op->cb(op, &res, op->user);
		op->in_callback = false;
	}
	free(reason);
	op_release_run(op);
	if (op->interval_ms > 0 && !op->cancelled && !e->freeing) {
		op->state = OP_WAITING;
		qb_loop_timer_add(e->loop, QB_LOOP_MED, op->interval_ms * QB_TIME_NS_IN_MSEC, op,
				  interval_fire, &op->interval_timer);
		op->interval_armed = true;
	} else {
		op_free(op);
	}
	pump_queue(e);
}

void exec_finish(struct ham_exec_op *op, enum ham_exec_status status, int rc, const char *detail)
{
	deliver(op, status, rc, -1, detail);
}

/* Maps a child's exit status onto an OCF rc, per class. */
static int map_exit(const struct ham_exec_op *op, int code)
{
	if (op->agent.cls == HAM_AGENT_LSB) {
		if (strcmp(op->action, "status") == 0 || strcmp(op->action, "monitor") == 0) {
			/* LSB status: 0 running, 1 dead+pidfile, 2 dead+lock, 3 stopped, 4 unknown */
			if (code == 0)
				return HAM_OCF_OK;
			if (code >= 1 && code <= 3)
				return HAM_OCF_NOT_RUNNING;
			return HAM_OCF_ERR_GENERIC;
		}
		/* other LSB actions share OCF's 0-7 (7 = not running) */
		if (code >= 0 && code <= 7)
			return code;
		return HAM_OCF_ERR_GENERIC;
	}
	if (op->agent.cls == HAM_AGENT_STONITH) {
		/* fence-agents: 0 success/on, 2 off (status), anything else failure */
		if (code == 0)
			return HAM_OCF_OK;
		if (code == 2 && (strcmp(op->action, "status") == 0 ||
				  strcmp(op->action, "monitor") == 0))
			return HAM_OCF_NOT_RUNNING;
		return HAM_OCF_ERR_GENERIC;
	}
	return code; /* OCF: the code is the answer; unknown codes stay as they are */
}

static void finish_child(struct ham_exec_op *op)
{
	int st = op->wstatus, code, rc;
	char detail[128];

	if (op->timed_out) {
		snprintf(detail, sizeof(detail), "timed out after %" PRIu64 " ms", op->timeout_ms);
		deliver(op, HAM_EXEC_TIMEOUT, HAM_OCF_ERR_GENERIC,
			WIFSIGNALED(st) ? -WTERMSIG(st) : WEXITSTATUS(st), detail);
		return;
	}
	if (WIFSIGNALED(st)) {
		snprintf(detail, sizeof(detail), "killed by signal %d (%s)", WTERMSIG(st),
			 strsignal(WTERMSIG(st)));
		deliver(op, HAM_EXEC_DONE, HAM_OCF_ERR_GENERIC, -WTERMSIG(st), detail);
		return;
	}
	code = WEXITSTATUS(st);
	rc = map_exit(op, code);
	deliver(op, HAM_EXEC_DONE, rc, code, NULL);
}

/* Reads what is available; keeps up to the cap and discards the rest so the
 * child never blocks on a full pipe. Returns true at EOF or error. */
static bool stream_read(ham_exec *e, struct stream *s)
{
	char chunk[16384];
	ssize_t n;

	for (;;) {
		n = read(s->fd, chunk, sizeof(chunk));
		if (n > 0) {
			size_t room = e->output_cap > s->buf.len ? e->output_cap - s->buf.len : 0;
			size_t take = (size_t)n < room ? (size_t)n : room;

			if (take > 0)
				ham_buf_addn(&s->buf, chunk, take);
			if (take < (size_t)n)
				s->truncated = true;
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		return true;
	}
}

static int32_t stream_ready(int32_t fd, int32_t revents, void *data)
{
	struct ham_exec_op *op = data;
	struct stream *s = fd == op->out.fd ? &op->out : &op->err;

	if (stream_read(op->e, s))
		stream_close(op->e, s);
	return 0;
}

static void child_exited(struct ham_exec_op *op)
{
	/* The leader is a zombie until reaped, so its pid (= the group id)
	 * cannot be reused yet: after a timeout, kill what is left of the group. */
	if (op->timed_out)
		kill_group(op, SIGKILL);
	reap_now(op);
	/* Whatever the child wrote before exiting is in the pipes now. A
	 * daemon it started may still hold them: don't wait for EOF. */
	if (op->out.fd >= 0)
		stream_read(op->e, &op->out);
	if (op->err.fd >= 0)
		stream_read(op->e, &op->err);
	stream_close(op->e, &op->out);
	stream_close(op->e, &op->err);
	finish_child(op);
}

static int32_t pidfd_ready(int32_t fd, int32_t revents, void *data)
{
	struct ham_exec_op *op = data;

	qb_loop_poll_del(op->e->loop, op->pidfd);
	close(op->pidfd);
	op->pidfd = -1;
	child_exited(op);
	return 0;
}

/* Without pidfds: poll for the exit every 10 ms. */
static void reap_poll(void *data)
{
	struct ham_exec_op *op = data;
	siginfo_t si;

	op->reap_armed = false;
	memset(&si, 0, sizeof(si));
	if (waitid(P_PID, (id_t)op->pid, &si, WEXITED | WNOHANG | WNOWAIT) == 0 && si.si_pid != 0) {
		child_exited(op);
		return;
	}
	qb_loop_timer_add(op->e->loop, QB_LOOP_MED, 10 * QB_TIME_NS_IN_MSEC, op, reap_poll,
			  &op->reap_timer);
	op->reap_armed = true;
}

static void kill_fire(void *data)
{
	struct ham_exec_op *op = data;

	op->kill_armed = false;
	qb_log(LOG_WARNING, "%s %s: still running %" PRIu64 " ms after TERM, sending KILL",
	       op->rsc_id, op->action, op->e->kill_grace_ms);
	kill_group(op, SIGKILL);
}

static void timeout_fire(void *data)
{
	struct ham_exec_op *op = data;

	op->timeout_armed = false;
	if (op->state != OP_RUNNING)
		return;
	if (op->pid <= 0) { /* systemd: nothing to kill */
		char detail[96];

		if (op->sd_slot != NULL)
			sd_op_abort(op);
		snprintf(detail, sizeof(detail), "timed out after %" PRIu64 " ms", op->timeout_ms);
		deliver(op, HAM_EXEC_TIMEOUT, HAM_OCF_ERR_GENERIC, -1, detail);
		return;
	}
	qb_log(LOG_WARNING, "%s %s: timed out after %" PRIu64 " ms, sending TERM", op->rsc_id,
	       op->action, op->timeout_ms);
	op->timed_out = true;
	kill_group(op, SIGTERM);
	qb_loop_timer_add(op->e->loop, QB_LOOP_HIGH, op->e->kill_grace_ms * QB_TIME_NS_IN_MSEC, op,
			  kill_fire, &op->kill_timer);
	op->kill_armed = true;
}

/* ------------------------------------------------------------------ */
/* Spawning                                                            */
/* ------------------------------------------------------------------ */

struct strv {
	char **v;
	size_t n, cap;
};

static void strv_push(struct strv *s, char *str)
{
	if (s->n + 2 > s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->v = ham_reallocarray(s->v, s->cap, sizeof(char *));
	}
	s->v[s->n++] = str;
	s->v[s->n] = NULL;
}

static char *env_key(const char *prefix, const char *name)
{
	char *k = ham_asprintf("%s%s", prefix, name), *p;

	for (p = k; *p; p++)
		if (*p == '-')
			*p = '_';
	return k;
}

static void build_env(const struct ham_exec_op *op, struct strv *env)
{
	ham_exec *e = op->e;
	size_t i;

	if (e->tools_dir)
		strv_push(env, ham_asprintf("PATH=%s:" SAFE_PATH, e->tools_dir));
	else
		strv_push(env, ham_strdup("PATH=" SAFE_PATH));
	strv_push(env, ham_strdup("LC_ALL=C"));
	if (e->ipc_name)
		strv_push(env, ham_asprintf("HAMGR_IPC_NAME=%s", e->ipc_name));
	if (op->agent.cls == HAM_AGENT_LSB)
		return;
	strv_push(env, ham_asprintf("OCF_ROOT=%s", e->ocf_root));
	if (e->tools_dir)
		strv_push(env, ham_asprintf("HA_SBIN_DIR=%s", e->tools_dir));
	strv_push(env, ham_strdup("OCF_RA_VERSION_MAJOR=1"));
	strv_push(env, ham_strdup("OCF_RA_VERSION_MINOR=1"));
	if (op->agent.cls == HAM_AGENT_OCF) {
		strv_push(env, ham_asprintf("OCF_RESOURCE_INSTANCE=%s", op->rsc_id));
		strv_push(env, ham_asprintf("OCF_RESOURCE_TYPE=%s", op->agent.type));
		strv_push(env, ham_asprintf("OCF_RESOURCE_PROVIDER=%s", op->agent.provider));
		strv_push(env, ham_asprintf("OCF_RESKEY_CRM_meta_timeout=%" PRIu64, op->timeout_ms));
		strv_push(env, ham_asprintf("OCF_RESKEY_CRM_meta_interval=%" PRIu64, op->interval_ms));
		for (i = 0; i < op->n_params; i++) {
			char *k = env_key("OCF_RESKEY_", op->params[i].name);

			strv_push(env, ham_asprintf("%s=%s", k, op->params[i].value));
			free(k);
		}
		for (i = 0; i < op->n_meta; i++) {
			char *k = env_key("OCF_RESKEY_CRM_meta_", op->meta[i].name);

			strv_push(env, ham_asprintf("%s=%s", k, op->meta[i].value));
			free(k);
		}
	}
}

/* key=value lines for a fence agent's stdin; pcmk_* are ours, not the agent's. */
static int build_fence_stdin(const struct ham_exec_op *op, ham_buf *in, char **ret_msg)
{
	const char *map = param_get(op->params, op->n_params, "pcmk_host_map");
	const char *list = param_get(op->params, op->n_params, "pcmk_host_list");
	size_t i;
	int r;

	ham_buf_addf(in, "action=%s\n", op->action);
	if (op->target != NULL && *op->target) {
		char *port = NULL;

		r = ham_fence_port_for(map, list, op->target, &port);
		if (r == -ENOENT) {
			*ret_msg = ham_asprintf("node '%s' is not in this device's pcmk_host_list",
						op->target);
			return r;
		}
		if (r < 0) {
			*ret_msg = ham_asprintf("malformed pcmk_host_map '%s'", map);
			return r;
		}
		ham_buf_addf(in, "port=%s\nnodename=%s\n", port, op->target);
		free(port);
	}
	for (i = 0; i < op->n_params; i++) {
		if (strncmp(op->params[i].name, "pcmk_", 5) == 0)
			continue;
		ham_buf_addf(in, "%s=%s\n", op->params[i].name, op->params[i].value);
	}
	if (in->len > STDIN_MAX) {
		*ret_msg = ham_strdup("fence parameters too long");
		return -E2BIG;
	}
	return 0;
}

static void close_from(int lowfd, int keep)
{
	long fd, max;
	DIR *d;

#ifdef SYS_close_range
	if (keep > lowfd)
		syscall(SYS_close_range, (unsigned)lowfd, (unsigned)keep - 1, 0u);
	if (syscall(SYS_close_range, (unsigned)keep + 1, ~0u, 0u) == 0)
		return;
#endif
	/* no close_range: walk /proc/self/fd (not strictly async-signal-safe,
	 * but we are single-threaded at this point) */
	d = opendir("/proc/self/fd");
	if (d != NULL) {
		struct dirent *de;
		int dfd = dirfd(d);

		while ((de = readdir(d)) != NULL) {
			fd = strtol(de->d_name, NULL, 10);
			if (fd >= lowfd && fd != keep && fd != dfd && de->d_name[0] != '.')
				close((int)fd);
		}
		closedir(d);
		return;
	}
	max = sysconf(_SC_OPEN_MAX);
	for (fd = lowfd; fd < max; fd++)
		if (fd != keep)
			close((int)fd);
}

static void __attribute__((noreturn)) child(const char *path, char **argv, char **envp, int in,
					    int out, int err, int errpipe)
{
	sigset_t none;
	int s, e;

	setpgid(0, 0);
	for (s = 1; s < NSIG; s++)
		if (s != SIGKILL && s != SIGSTOP)
			signal(s, SIG_DFL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		goto fail;
	close_from(3, errpipe);
	if (chdir("/") < 0)
		goto fail;
	execve(path, argv, envp);
fail:
	e = errno;
	if (write(errpipe, &e, sizeof(e)) < 0)
		_exit(127);
	_exit(127);
}

static char *agent_path(const struct ham_exec_op *op)
{
	ham_exec *e = op->e;

	switch (op->agent.cls) {
	case HAM_AGENT_OCF:
		return ham_asprintf("%s/resource.d/%s/%s", e->ocf_root, op->agent.provider,
				    op->agent.type);
	case HAM_AGENT_LSB:
		return ham_asprintf("%s/%s", e->lsb_dir, op->agent.type);
	case HAM_AGENT_STONITH:
		return ham_asprintf("%s/%s", e->fence_dir, op->agent.type);
	default:
		return NULL;
	}
}

static const char *agent_action(const struct ham_exec_op *op)
{
	if (op->agent.cls == HAM_AGENT_LSB && strcmp(op->action, "monitor") == 0)
		return "status";
	return op->action;
}

static void fail_async_job(void *data);
static void fail_async_drop(void *data);

struct async_fail {
	ham_exec *e;
	uint64_t id;
	enum ham_exec_status status;
	int rc;
	char *detail;
};

/* Reports a failure to start a run from the loop, never from inside submit. */
static void fail_async(struct ham_exec_op *op, enum ham_exec_status status, int rc, char *detail)
{
	struct async_fail *f = ham_new0(struct async_fail);

	op->state = OP_RUNNING;
	op->e->n_running++;
	f->e = op->e;
	f->id = op->id;
	f->status = status;
	f->rc = rc;
	f->detail = detail;
	exec_job_add(op->e, fail_async_job, fail_async_drop, f);
}

void exec_finish_later(struct ham_exec_op *op, enum ham_exec_status status, int rc,
		       const char *detail)
{
	struct async_fail *f = ham_new0(struct async_fail);

	f->e = op->e;
	f->id = op->id;
	f->status = status;
	f->rc = rc;
	f->detail = ham_strdup(detail);
	exec_job_add(op->e, fail_async_job, fail_async_drop, f);
}

static void fail_async_drop(void *data)
{
	struct async_fail *f = data;

	free(f->detail);
	free(f);
}

static void fail_async_job(void *data)
{
	struct async_fail *f = data;
	struct ham_exec_op *op = exec_op_by_id(f->e, f->id);

	if (op != NULL && op->state == OP_RUNNING && op->pid == 0)
		deliver(op, f->status, f->rc, -1, f->detail);
	fail_async_drop(f);
}


static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

/* Writes the parameters; an agent that exits without reading them must not
 * kill us with SIGPIPE, so the signal is blocked and any pending one consumed. */
static void write_stdin(struct ham_exec_op *op, int fd, const ham_buf *in)
{
	sigset_t pipe_set, old;
	struct timespec zero = { 0, 0 };
	ssize_t n;

	sigemptyset(&pipe_set);
	sigaddset(&pipe_set, SIGPIPE);
	pthread_sigmask(SIG_BLOCK, &pipe_set, &old);
	set_nonblock(fd);
	n = write(fd, in->s, in->len);
	if (n < 0 || (size_t)n < in->len)
		qb_log(LOG_WARNING, "%s %s: cannot write parameters to the agent: %s", op->rsc_id,
		       op->action, n < 0 ? strerror(errno) : "short write");
	while (sigtimedwait(&pipe_set, NULL, &zero) > 0)
		;
	pthread_sigmask(SIG_SETMASK, &old, NULL);
}

static void spawn(struct ham_exec_op *op)
{
	ham_exec *e = op->e;
	struct strv argv = { 0 }, env = { 0 };
	ham_buf in = HAM_BUF_INIT;
	char *path = agent_path(op), *msg = NULL;
	int pin[2] = { -1, -1 }, pout[2] = { -1, -1 }, perr[2] = { -1, -1 }, pexec[2] = { -1, -1 };
	struct stat st;
	pid_t pid;
	int child_errno = 0;
	ssize_t n;

	op->started_ms = ham_now_mono_ms();
	if (stat(path, &st) < 0 || !S_ISREG(st.st_mode)) {
		fail_async(op, HAM_EXEC_NOT_INSTALLED, HAM_OCF_ERR_INSTALLED,
			   ham_asprintf("agent %s not found", path));
		goto out;
	}
	if (op->agent.cls == HAM_AGENT_STONITH && build_fence_stdin(op, &in, &msg) < 0) {
		fail_async(op, HAM_EXEC_INVALID, HAM_OCF_ERR_CONFIGURED, msg);
		goto out;
	}
	strv_push(&argv, ham_strdup(path));
	if (op->agent.cls != HAM_AGENT_STONITH)
		strv_push(&argv, ham_strdup(agent_action(op)));
	build_env(op, &env);

	if (pipe2(pin, O_CLOEXEC) < 0 || pipe2(pout, O_CLOEXEC) < 0 || pipe2(perr, O_CLOEXEC) < 0 ||
	    pipe2(pexec, O_CLOEXEC) < 0) {
		fail_async(op, HAM_EXEC_ERROR, HAM_OCF_ERR_GENERIC,
			   ham_asprintf("pipe: %s", strerror(errno)));
		goto out;
	}
	pid = fork();
	if (pid < 0) {
		fail_async(op, HAM_EXEC_ERROR, HAM_OCF_ERR_GENERIC,
			   ham_asprintf("fork: %s", strerror(errno)));
		goto out;
	}
	if (pid == 0)
		child(path, argv.v, env.v, pin[0], pout[1], perr[1], pexec[1]);

	setpgid(pid, pid); /* also in the child: whichever runs first */
	close(pexec[1]);
	pexec[1] = -1;
	do
		n = read(pexec[0], &child_errno, sizeof(child_errno));
	while (n < 0 && errno == EINTR);
	op->pid = pid;
	op->state = OP_RUNNING;
	e->n_running++;
	if (n == (ssize_t)sizeof(child_errno)) {
		reap_now(op);
		op->pid = 0;
		if (child_errno == ENOENT)
			fail_async(op, HAM_EXEC_NOT_INSTALLED, HAM_OCF_ERR_INSTALLED,
				   ham_asprintf("cannot execute %s: %s", path, strerror(child_errno)));
		else
			fail_async(op, HAM_EXEC_ERROR,
				   child_errno == EACCES ? HAM_OCF_ERR_PERM : HAM_OCF_ERR_GENERIC,
				   ham_asprintf("cannot execute %s: %s", path, strerror(child_errno)));
		e->n_running--; /* fail_async counted it again */
		goto out;
	}
	/* stdin: fence parameters (fit the empty pipe), else nothing */
	if (in.len > 0)
		write_stdin(op, pin[1], &in);

	op->out.fd = pout[0];
	op->err.fd = perr[0];
	pout[0] = perr[0] = -1;
	set_nonblock(op->out.fd);
	set_nonblock(op->err.fd);
	qb_loop_poll_add(e->loop, QB_LOOP_MED, op->out.fd, POLLIN, op, stream_ready);
	qb_loop_poll_add(e->loop, QB_LOOP_MED, op->err.fd, POLLIN, op, stream_ready);

	op->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (op->pidfd >= 0) {
		fcntl(op->pidfd, F_SETFD, FD_CLOEXEC);
		qb_loop_poll_add(e->loop, QB_LOOP_LOW, op->pidfd, POLLIN, op, pidfd_ready);
	} else {
		qb_loop_timer_add(e->loop, QB_LOOP_MED, 10 * QB_TIME_NS_IN_MSEC, op, reap_poll,
				  &op->reap_timer);
		op->reap_armed = true;
	}
	qb_loop_timer_add(e->loop, QB_LOOP_HIGH, op->timeout_ms * QB_TIME_NS_IN_MSEC, op,
			  timeout_fire, &op->timeout_timer);
	op->timeout_armed = true;
out:
	if (pin[0] >= 0) close(pin[0]);
	if (pin[1] >= 0) close(pin[1]);
	if (pout[0] >= 0) close(pout[0]);
	if (pout[1] >= 0) close(pout[1]);
	if (perr[0] >= 0) close(perr[0]);
	if (perr[1] >= 0) close(perr[1]);
	if (pexec[0] >= 0) close(pexec[0]);
	if (pexec[1] >= 0) close(pexec[1]);
	for (size_t i = 0; i < argv.n; i++)
		free(argv.v[i]);
	free(argv.v);
	for (size_t i = 0; i < env.n; i++)
		free(env.v[i]);
	free(env.v);
	ham_buf_free(&in);
	free(path);
}

/* ------------------------------------------------------------------ */
/* Validation before start                                             */
/* ------------------------------------------------------------------ */

static bool wants_validation(const struct ham_exec_op *op)
{
	return !op->e->no_validate && !op->validated && !op->internal &&
	       (op->agent.cls == HAM_AGENT_OCF || op->agent.cls == HAM_AGENT_STONITH) &&
	       strcmp(op->action, "start") == 0;
}

/* Unique parameters may not repeat among the resources started here. */
static char *check_unique(const struct ham_exec_op *op, const ham_agent_meta *m)
{
	struct started_rsc *s;
	char *key = ham_agent_spec_str(&op->agent);
	char *msg = NULL;
	size_t i;

	qb_list_for_each_entry(s, &op->e->started, node) {
		if (strcmp(s->agent, key) != 0 || strcmp(s->rsc_id, op->rsc_id) == 0)
			continue;
		for (i = 0; i < m->n_params && msg == NULL; i++) {
			const char *a, *b;

			if (!m->params[i].unique)
				continue;
			a = param_get(op->params, op->n_params, m->params[i].name);
			b = param_get(s->params, s->n_params, m->params[i].name);
			if (a != NULL && b != NULL && strcmp(a, b) == 0)
				msg = ham_asprintf("parameter '%s' must be unique, but resource "
						   "'%s' already uses '%s'",
						   m->params[i].name, s->rsc_id, a);
		}
	}
	free(key);
	return msg;
}

struct meta_wait {
	ham_exec *e;
	uint64_t id;
};

static void start_after_meta(int r, const ham_agent_meta *m, const char *msg, void *user)
{
	struct meta_wait *w = user;
	struct ham_exec_op *op = exec_op_by_id(w->e, w->id);
	char *why = NULL;

	free(w);
	if (op == NULL || op->cancelled || op->state != OP_META)
		return;
	op->validated = true;
	if (r == 0 && ham_agent_meta_validate(m, op->params, op->n_params, &why) == 0)
		why = check_unique(op, m);
	else if (r < 0)
		qb_log(LOG_INFO, "%s: no meta-data to validate against (%s), starting anyway",
		       op->rsc_id, msg ? msg : ham_strerror(r));
	if (why != NULL) {
		op->started_ms = ham_now_mono_ms();
		op->state = OP_RUNNING;
		op->e->n_running++;
		deliver(op, HAM_EXEC_INVALID, HAM_OCF_ERR_CONFIGURED, -1, why);
		free(why);
		return;
	}
	op->state = OP_QUEUED;
	qb_list_add(&op->qnode, &op->e->queue); /* first in line: it already waited */
	pump_queue(op->e);
}

static void op_start(struct ham_exec_op *op)
{
	if (wants_validation(op)) {
		struct meta_wait *w = ham_new0(struct meta_wait);

		w->e = op->e;
		w->id = op->id;
		op->state = OP_META;
		if (ham_exec_get_meta(op->e, &op->agent, start_after_meta, w) < 0) {
			free(w);
			op->validated = true;
			op->state = OP_QUEUED;
			qb_list_add(&op->qnode, &op->e->queue);
		}
		return;
	}
	op->timed_out = false;
	op->exited = false;
	if (op->agent.cls == HAM_AGENT_SYSTEMD) {
		op->started_ms = ham_now_mono_ms();
		op->state = OP_RUNNING;
		op->e->n_running++;
		qb_loop_timer_add(op->e->loop, QB_LOOP_HIGH, op->timeout_ms * QB_TIME_NS_IN_MSEC, op,
				  timeout_fire, &op->timeout_timer);
		op->timeout_armed = true;
		sd_op_start(op->e, op);
		return;
	}
	spawn(op);
}

/* Fencing must never wait behind anything: it is what recovery waits for. */
static bool is_fencing(const struct ham_exec_op *op)
{
	return op->agent.cls == HAM_AGENT_STONITH &&
	       (strcmp(op->action, "off") == 0 || strcmp(op->action, "reboot") == 0 ||
		strcmp(op->action, "on") == 0);
}

/*
 * Starts what the limit allows: fencing at once, then one-shot actions
 * (starts, stops, probes: a transition waits for them) in FIFO order, and
 * only then the runs of recurring monitors, which can wait a little.
 */
static void pump_queue(ham_exec *e)
{
	bool progress = true;

	while (progress && !e->freeing) {
		struct ham_exec_op *op, *pick = NULL;

		progress = false;
		qb_list_for_each_entry(op, &e->queue, qnode) {
			/* validation needs no slot; runs do */
			if (wants_validation(op) || is_fencing(op)) {
				pick = op;
				break;
			}
			if (e->n_running >= e->max_concurrent)
				continue;
			if (op->interval_ms == 0) {
				pick = op;
				break;
			}
			if (pick == NULL)
				pick = op;
		}
		if (pick != NULL) {
			qb_list_del(&pick->qnode);
			op_start(pick);
			progress = true;
		}
	}
}

/* ------------------------------------------------------------------ */
/* Internal meta-data runs (used by meta.c)                            */
/* ------------------------------------------------------------------ */

int exec_submit_internal(ham_exec *e, const ham_agent_spec *agent, ham_exec_cb cb, void *user);

int exec_submit_internal(ham_exec *e, const ham_agent_spec *agent, ham_exec_cb cb, void *user)
{
	ham_exec_request req = { 0 };
	ham_exec_op *op;
	int r;

	req.agent = *agent;
	req.action = "meta-data";
	req.timeout_ms = 10000;
	r = ham_exec_submit(e, &req, cb, user, &op);
	if (r == 0)
		op->internal = true;
	return r;
}

/* ------------------------------------------------------------------ */
/* Listing                                                             */
/* ------------------------------------------------------------------ */

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void list_dir(const char *dir, const char *prefix, const char *name_prefix,
		     bool dirs, struct strv *out)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *p;

		if (de->d_name[0] == '.')
			continue;
		if (name_prefix != NULL && strncmp(de->d_name, name_prefix, strlen(name_prefix)) != 0)
			continue;
		p = ham_asprintf("%s/%s", dir, de->d_name);
		if (stat(p, &st) == 0 &&
		    (dirs ? S_ISDIR(st.st_mode) : (S_ISREG(st.st_mode) && (st.st_mode & 0111))))
			strv_push(out, ham_asprintf("%s%s", prefix, de->d_name));
		free(p);
	}
	closedir(d);
}

int ham_exec_list_providers(ham_exec *e, char ***ret)
{
	struct strv out = { 0 };
	char *dir = ham_asprintf("%s/resource.d", e->ocf_root);

	list_dir(dir, "", NULL, true, &out);
	free(dir);
	strv_push(&out, NULL);
	out.n--;
	qsort(out.v, out.n, sizeof(char *), cmp_str);
	*ret = out.v;
	return 0;
}

int ham_exec_list_agents(ham_exec *e, enum ham_agent_class cls, const char *provider,
			 char ***ret)
{
	struct strv out = { 0 };
	char **prov = NULL, **p;

	switch (cls) {
	case HAM_AGENT_OCF:
		ham_exec_list_providers(e, &prov);
		for (p = prov; *p; p++) {
			char *dir, *pre;

			if (provider != NULL && strcmp(provider, *p) != 0)
				continue;
			dir = ham_asprintf("%s/resource.d/%s", e->ocf_root, *p);
			pre = ham_asprintf("ocf:%s:", *p);
			list_dir(dir, pre, NULL, false, &out);
			free(dir);
			free(pre);
		}
		ham_strv_free(prov);
		break;
	case HAM_AGENT_LSB:
		list_dir(e->lsb_dir, "lsb:", NULL, false, &out);
		break;
	case HAM_AGENT_STONITH:
		list_dir(e->fence_dir, "stonith:", "fence_", false, &out);
		break;
	case HAM_AGENT_SYSTEMD:
		return sd_list_units(e, ret);
	default:
		return -EINVAL;
	}
	strv_push(&out, NULL);
	out.n--;
	qsort(out.v, out.n, sizeof(char *), cmp_str);
	*ret = out.v;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Fencing: node -> port                                               */
/* ------------------------------------------------------------------ */

static bool in_list(const char *list, const char *node)
{
	const char *p = list;
	size_t n = strlen(node);

	while (*p) {
		size_t len;

		p += strspn(p, " ,;\t");
		len = strcspn(p, " ,;\t");
		if (len == n && strncmp(p, node, n) == 0)
			return true;
		p += len;
	}
	return false;
}

int ham_fence_port_for(const char *host_map, const char *host_list, const char *node,
		       char **ret_port)
{
	const char *p;
	bool mapped = false;
	char *port = NULL;

	if (node == NULL || *node == '\0')
		return -EINVAL;
	if (host_map != NULL) {
		p = host_map;
		while (*p) {
			size_t len, klen;
			const char *sep;

			p += strspn(p, " ,;\t");
			if (*p == '\0')
				break;
			len = strcspn(p, " ,;\t");
			sep = memchr(p, ':', len);
			if (sep == NULL)
				sep = memchr(p, '=', len);
			if (sep == NULL || sep == p || sep == p + len - 1) {
				free(port);
				return -EINVAL;
			}
			klen = (size_t)(sep - p);
			if (!mapped && klen == strlen(node) && strncmp(p, node, klen) == 0) {
				port = ham_strndup(sep + 1, len - klen - 1);
				mapped = true;
			}
			p += len;
		}
	}
	if (host_list != NULL && host_list[strspn(host_list, " ,;\t")] != '\0' &&
	    !in_list(host_list, node)) {
		free(port);
		return -ENOENT;
	}
	*ret_port = mapped ? port : ham_strdup(node);
	return 0;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/alerts.c: wires this node's events to lib/cib's alerts and
 * runs the agents: posix_spawn with an argv and the CRM_alert_* environment,
 * in their own process group, output to /dev/null, exit watched through a
 * pidfd on the loop, TERM at the timeout and KILL after a grace.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <qb/qblog.h>

#include <hamgr/alerts.h>
#include <hamgr/common.h>

#include "alerts.h"

#define KILL_GRACE_MS 2000u
#define REAP_POLL_MS 100u    /* without pidfds only */
#define MAX_RUNNING 64u      /* beyond: dropped, with a warning */

struct run {
	struct run *next;
	halerts *a;
	pid_t pid;
	int pidfd;
	qb_loop_timer_handle timer;
	bool timer_armed;
	bool term_sent;
	uint64_t timeout_ms;
	uint64_t started_ms;
	char *what;
};

struct halerts {
	qb_loop_t *loop;
	hnode *node;
	ham_alert_list *list;
	struct ham_cib_version version; /* of the configuration list was made from */
	bool have_list;
	uint64_t sequence;
	uint32_t *members;
	size_t n_members;
	struct run *runs;
	unsigned running;
	char *path_env;
};

/* ---- configuration ---- */

/* The entries for the CIB in force (rebuilt when its configuration changed). */
static const ham_alert_list *current_list(halerts *a)
{
	const cibdoc *doc = hnode_cib(a->node);
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_NO_STATUS | HAM_CIB_LOAD_TO_RUN |
						   HAM_CIB_LOAD_INSTALLED };
	struct ham_cib_version v = { 0 };
	ham_cib_diags *diags;
	ham_cib *cib = NULL;
	char *err = NULL;
	int r;

	if (doc == NULL)
		return NULL;
	ham_cib_doc_get_version(doc, &v);
	if (a->have_list && v.admin_epoch == a->version.admin_epoch && v.epoch == a->version.epoch)
		return a->list;
	a->list = ham_alert_list_free(a->list);
	a->version = v;
	a->have_list = true;
	diags = ham_cib_diags_new();
	r = ham_cib_doc_to_model(doc, &opts, &cib, diags);
	if (r < 0) {
		err = ham_cib_diags_message(diags, r);
		qb_log(LOG_ERR, "Alerts are not run: the configuration does not load: %s",
		       err ? err : ham_strerror(r));
	} else if (ham_alert_list_from_cib(cib, &a->list, &err) < 0) {
		qb_log(LOG_ERR, "Alerts are not run: %s", err ? err : "invalid alert");
	} else if (ham_alert_list_count(a->list) > 0) {
		qb_log(LOG_INFO, "%zu alert agent run(s) per event configured",
		       ham_alert_list_count(a->list));
	}
	free(err);
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return a->list;
}

/* ---- running one agent ---- */

static void run_free(struct run *run)
{
	halerts *a = run->a;
	struct run **pp;

	for (pp = &a->runs; *pp != NULL; pp = &(*pp)->next)
		if (*pp == run) {
			*pp = run->next;
			break;
		}
	if (run->timer_armed)
		qb_loop_timer_del(a->loop, run->timer);
	if (run->pidfd >= 0) {
		qb_loop_poll_del(a->loop, run->pidfd);
		close(run->pidfd);
	}
	a->running--;
	free(run->what);
	free(run);
}

/* Reaps run if it exited: true (and run freed) if it did. */
static bool reap(struct run *run)
{
	uint64_t took = ham_now_mono_ms() - run->started_ms;
	int st = 0;
	pid_t p = waitpid(run->pid, &st, WNOHANG);

	if (p == 0 || (p < 0 && errno == EINTR))
		return false;
	if (p < 0)
		qb_log(LOG_WARNING, "Alert agent %s: cannot reap it: %s", run->what,
		       ham_strerror(-errno));
	else if (run->term_sent)
		qb_log(LOG_WARNING, "Alert agent %s timed out after %llu ms (killed)", run->what,
		       (unsigned long long)run->timeout_ms);
	else if (WIFEXITED(st) && WEXITSTATUS(st) == 0)
		qb_log(LOG_DEBUG, "Alert agent %s succeeded (%llu ms)", run->what,
		       (unsigned long long)took);
	else if (WIFEXITED(st))
		qb_log(LOG_WARNING, "Alert agent %s failed: exit status %d (%llu ms)", run->what,
		       WEXITSTATUS(st), (unsigned long long)took);
	else
		qb_log(LOG_WARNING, "Alert agent %s failed: killed by signal %d", run->what,
		       WIFSIGNALED(st) ? WTERMSIG(st) : 0);
	run_free(run);
	return true;
}

static int32_t on_pidfd(int32_t fd, int32_t revents, void *data)
{
	(void)fd;
	(void)revents;
	reap(data);
	return 0;
}

static void on_timer(void *data);

static void arm(struct run *run, uint64_t ms)
{
	if (run->timer_armed)
		qb_loop_timer_del(run->a->loop, run->timer);
	run->timer_armed = qb_loop_timer_add(run->a->loop, QB_LOOP_LOW, ms * 1000000ull, run,
					     on_timer, &run->timer) == 0;
}

static void on_timer(void *data)
{
	struct run *run = data;
	uint64_t now = ham_now_mono_ms();

	run->timer_armed = false;
	if (reap(run))
		return;
	if (now >= run->started_ms + run->timeout_ms + KILL_GRACE_MS) {
		kill(-run->pid, SIGKILL);
		arm(run, REAP_POLL_MS);
	} else if (now >= run->started_ms + run->timeout_ms) {
		if (!run->term_sent) {
			run->term_sent = true;
			kill(-run->pid, SIGTERM);
		}
		arm(run, run->pidfd >= 0 ? run->started_ms + run->timeout_ms + KILL_GRACE_MS - now
					 : REAP_POLL_MS);
	} else {
		arm(run, run->pidfd >= 0 ? run->started_ms + run->timeout_ms - now : REAP_POLL_MS);
	}
}

static int spawn(const char *path, char **env, pid_t *ret_pid)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	sigset_t none, def;
	char *argv[] = { (char *)path, NULL };
	int r;

	sigemptyset(&none);
	sigemptyset(&def);
	sigaddset(&def, SIGPIPE);
	sigaddset(&def, SIGTERM);
	sigaddset(&def, SIGINT);
	sigaddset(&def, SIGHUP);
	sigaddset(&def, SIGCHLD);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	posix_spawnattr_init(&at);
	posix_spawnattr_setsigmask(&at, &none);
	posix_spawnattr_setsigdefault(&at, &def);
	posix_spawnattr_setpgroup(&at, 0);
	posix_spawnattr_setflags(&at, POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK |
					      POSIX_SPAWN_SETSIGDEF);
	r = posix_spawn(ret_pid, path, &fa, &at, argv, env);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	return -r;
}

static void run_one(halerts *a, const struct ham_alert_entry *e, const struct ham_alert_event *ev,
		    uint64_t seq)
{
	char *what = e->recipient_id
			     ? ham_asprintf("%s (alert %s, recipient %s, %s event)", e->path,
					    e->alert_id, e->recipient_id, ham_alert_kind_str(ev->kind))
			     : ham_asprintf("%s (alert %s, %s event)", e->path, e->alert_id,
					    ham_alert_kind_str(ev->kind));
	char **env;
	struct run *run;
	pid_t pid;
	int r;

	if (a->running >= MAX_RUNNING) {
		qb_log(LOG_WARNING, "Alert agent %s not run: %u agents are running already", what,
		       a->running);
		free(what);
		return;
	}
	env = ham_alert_env(e, ev, seq, a->path_env);
	r = spawn(e->path, env, &pid);
	ham_alert_env_free(env);
	if (r < 0) {
		qb_log(LOG_WARNING, "Alert agent %s cannot run: %s", what, ham_strerror(r));
		free(what);
		return;
	}
	run = ham_new0(struct run);
	run->a = a;
	run->pid = pid;
	run->what = what;
	run->timeout_ms = e->timeout_ms;
	run->started_ms = ham_now_mono_ms();
	run->pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	run->next = a->runs;
	a->runs = run;
	a->running++;
	if (run->pidfd >= 0 &&
	    qb_loop_poll_add(a->loop, QB_LOOP_LOW, run->pidfd, POLLIN, run, on_pidfd) != 0) {
		close(run->pidfd);
		run->pidfd = -1;
	}
	qb_log(LOG_DEBUG, "Alert agent %s started (pid %d)", what, (int)pid);
	arm(run, run->pidfd >= 0 ? run->timeout_ms : REAP_POLL_MS);
}

/* Runs every entry that wants ev. */
static void emit(halerts *a, struct ham_alert_event *ev)
{
	const ham_alert_list *l = current_list(a);
	size_t i, n = ham_alert_list_count(l);
	bool any = false;

	for (i = 0; i < n; i++)
		if (ham_alert_wants(ham_alert_list_get(l, i), ev->kind, ev->attr_name))
			any = true;
	if (!any)
		return;
	a->sequence++;
	for (i = 0; i < n; i++) {
		const struct ham_alert_entry *e = ham_alert_list_get(l, i);

		if (ham_alert_wants(e, ev->kind, ev->attr_name))
			run_one(a, e, ev, a->sequence);
	}
}

/* ---- events ---- */

void halerts_op_result(halerts *a, const struct hop_result *r)
{
	struct ham_alert_event ev = { 0 };
	char *desc = NULL;

	if (a == NULL || r->op_status == HAM_CIB_OP_PENDING)
		return;
	clock_gettime(CLOCK_REALTIME, &ev.when);
	if (r->fence_target != NULL) {
		/* Every node learns of fencing (recorded in agreed order). */
		desc = ham_asprintf("Operation %s of %s by %s with device %s: %s", r->op,
				    r->fence_target, r->node, r->rsc,
				    r->op_status == HAM_CIB_OP_DONE && r->rc == 0 ? "OK"
				    : r->op_status == HAM_CIB_OP_TIMEOUT ? "Timed Out"
									  : "Error");
		ev.kind = HAM_ALERT_FENCING;
		ev.node = r->fence_target;
		ev.task = r->op;
		ev.rc = r->rc;
		ev.desc = desc;
		emit(a, &ev);
		free(desc);
		return;
	}
	/* Resource results: on the node that ran the operation only; not a
	 * probe that found what was expected. */
	if (r->nodeid != hnode_local_id(a->node))
		return;
	if (r->interval_ms == 0 && ham_streq(r->op, "monitor") && r->op_status == HAM_CIB_OP_DONE &&
	    r->rc == r->expected_rc)
		return;
	ev.kind = HAM_ALERT_RESOURCE;
	ev.node = r->node;
	ev.rsc = r->rsc;
	ev.task = r->op;
	ev.interval_ms = r->interval_ms;
	ev.status = r->op_status;
	ev.rc = r->rc;
	ev.target_rc = r->expected_rc;
	ev.exec_ms = r->exec_ms;
	emit(a, &ev);
}

static bool in(const uint32_t *v, size_t n, uint32_t x)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (v[i] == x)
			return true;
	return false;
}

static void node_event(halerts *a, uint32_t id, const char *desc)
{
	struct ham_alert_event ev = { 0 };

	clock_gettime(CLOCK_REALTIME, &ev.when);
	ev.kind = HAM_ALERT_NODE;
	ev.node = hnode_node_name(a->node, id);
	ev.nodeid = id;
	ev.desc = desc;
	emit(a, &ev);
}

void halerts_changed(halerts *a)
{
	size_t n_known, i, n = 0;
	const uint32_t *known;
	uint32_t *now;

	if (a == NULL)
		return;
	known = hnode_known_nodes(a->node, &n_known);
	now = ham_newa0(uint32_t, n_known + a->n_members + 1);
	for (i = 0; i < n_known; i++)
		if (hnode_is_member(a->node, known[i]))
			now[n++] = known[i];
	for (i = 0; i < a->n_members; i++)
		if (!in(now, n, a->members[i]))
			node_event(a, a->members[i], "lost");
	for (i = 0; i < n; i++)
		if (!in(a->members, a->n_members, now[i]))
			node_event(a, now[i], "member");
	free(a->members);
	a->members = now;
	a->n_members = n;
}

/*
 * A transient attribute changed in some document: an attribute alert when
 * it is the node's CIB and this node is the DC (Pacemaker's attribute
 * writer sends them, once for the cluster).
 */
static void on_attr(const ham_cib_doc *doc, const char *node_id, const char *uname,
		    const char *name, const char *value, void *ud)
{
	halerts *a = ud;
	struct ham_alert_event ev = { 0 };
	uint32_t id = 0;

	if (doc != hnode_cib(a->node) || hnode_dc(a->node) == 0 ||
	    hnode_dc(a->node) != hnode_local_id(a->node))
		return;
	if (uname == NULL && ham_parse_uint32(node_id, &id) == 0)
		uname = hnode_node_name(a->node, id);
	clock_gettime(CLOCK_REALTIME, &ev.when);
	ev.kind = HAM_ALERT_ATTRIBUTE;
	ev.node = uname ? uname : node_id;
	ev.attr_name = name;
	ev.attr_value = value ? value : "";
	emit(a, &ev);
}

/* ---- life ---- */

halerts *halerts_new(qb_loop_t *loop, hnode *node)
{
	halerts *a = ham_new0(halerts);
	const char *path = getenv("PATH");

	a->loop = loop;
	a->node = node;
	a->path_env = ham_strdup(path && path[0] ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	ham_cib_set_attr_observer(on_attr, a);
	return a;
}

halerts *halerts_free(halerts *a)
{
	if (a == NULL)
		return NULL;
	ham_cib_set_attr_observer(NULL, NULL);
	while (a->runs != NULL) {
		struct run *run = a->runs;

		kill(-run->pid, SIGKILL);
		while (waitpid(run->pid, NULL, 0) < 0 && errno == EINTR)
			;
		run_free(run);
	}
	ham_alert_list_free(a->list);
	free(a->members);
	free(a->path_env);
	free(a);
	return NULL;
}

unsigned halerts_running(const halerts *a)
{
	return a ? a->running : 0;
}

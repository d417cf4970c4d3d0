/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/main.c: the daemon's process: options, the libqb main loop
 * (corosync fds, IPC, timers, signals), systemd notification and watchdog.
 * The cluster logic lives in node.c; this file only wires events to it.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <qb/qbloop.h>
#include <systemd/sd-daemon.h>

#include <hamgr/common.h>
#include <hamgr/cluster.h>
#include "alerts.h"
#include "ipc.h"
#include "lrm.h"
#include "node.h"
#include "peinput.h"
#include "persist.h"
#include "runner.h"
#include "shutdown.h"

#define CONNECT_RETRY_MS 250
#define FLUSH_RETRY_MS 20
#define EXPIRE_CHECK_MS 500
#define WAKE_MIN_MS 50
/* How long a stop waits for the last change of the CIB to be stored. */
#define STORE_DRAIN_MS 15000

struct daemon {
	qb_loop_t *loop;
	halerts *alerts;
	hnode *node;
	ham_cluster *cl;
	struct hamgrd_ipc *ipc;
	const char *group;
	uint64_t connect_deadline_ms;
	qb_loop_timer_handle connect_timer;
	qb_loop_timer_handle flush_timer;
	bool flush_armed;
	uint64_t watchdog_usec;
	qb_loop_timer_handle watchdog_timer;
	bool ready;
	struct hlrm *lrm;
	hrunner *runner;
	bool run_queued;
	qb_loop_timer_handle expire_timer;
	bool expire_armed;
	qb_loop_timer_handle wake_timer; /* the runner's own next computation */
	bool wake_armed;
	uint64_t wake_at_ms;
	int exit_code;
	char *last_status;
	bool insecure; /* --insecure: start even when corosync does not encrypt */
	hshutdown *shutdown;      /* the leave protocol (shutdown.h) */
	qb_loop_timer_handle shutdown_timer;
	bool shutdown_armed;
	uint64_t shutdown_at_ms;
	qb_loop_timer_handle sync_timer; /* the sync round's deadline */
	bool sync_armed;
	hpersist *persist;        /* writes the CIB off the loop (persist.h) */
	hpeinput *peinput;        /* the DC's saved scheduler inputs (peinput.h) */
	bool refusal_logged;      /* the stored CIB was rejected: said once */
};

static struct daemon d;

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hamgrd [OPTIONS]\n"
		"\n"
		"The hamgr cluster daemon: one per node, on corosync.\n"
		"\n"
		"  -s, --state-dir DIR   where the CIB is stored (default %s/lib/hamgr)\n"
		"  -l, --log-file FILE   also log to FILE (reopened on SIGHUP)\n"
		"  -g, --group NAME      corosync process group (default hamgr)\n"
		"      --ocf-root DIR    OCF agents' root (default $OCF_ROOT, else /usr/lib/ocf)\n"
		"      --fence-dir DIR   where fence agents are (default /usr/sbin)\n"
		"  -w, --wait SECONDS    wait this long for corosync at start (default 60)\n"
		"      --insecure        start even if corosync neither encrypts nor\n"
		"                        authenticates (totem.crypto_cipher/crypto_hash)\n"
		"  -V, --verbose         more detail (repeat for debug)\n"
		"  -h, --help            this help\n"
		"      --version         print the version\n"
		"\n"
		"See hamgrd(8).\n", HAM_LOCALSTATEDIR);
}

static void stop_loop(int code)
{
	d.exit_code = code;
	qb_loop_stop(d.loop);
}

static void update_status(void)
{
	uint32_t votes, expected, dc = hnode_dc(d.node);
	const char *why;
	int64_t since;
	char *s;

	hnode_votes(d.node, &votes, &expected);
	if (!hnode_joined(d.node))
		s = ham_strdup("Joining the cluster");
	else
		s = ham_asprintf("%s, DC %s, %u of %u votes%s%s",
				 hnode_quorate(d.node) ? "quorate" : "NOT quorate",
				 dc ? hnode_node_name(d.node, dc) : "none", votes, expected,
				 hnode_syncing(d.node) ? ", synchronising" : "",
				 hnode_store_rejected(d.node) ? ", stored CIB rejected: managing nothing" :
				 hnode_store_state(d.node, &since, &why) ? ", CIB store failing" : "");
	if (!ham_streq(s, d.last_status)) {
		sd_notifyf(0, "STATUS=%s", s);
		free(d.last_status);
		d.last_status = s;
	} else {
		free(s);
	}
}

static void on_flush(void *data);
static void schedule_run(void);

static void arm_flush(void)
{
	if (d.cl && ham_cluster_has_queued(d.cl) && !d.flush_armed) {
		d.flush_armed = true;
		qb_loop_timer_add(d.loop, QB_LOOP_HIGH, FLUSH_RETRY_MS * 1000000ull, NULL,
				  on_flush, &d.flush_timer);
	}
}

static void on_flush(void *data)
{
	d.flush_armed = false;
	if (d.cl)
		ham_cluster_flush(d.cl);
	arm_flush();
}

static void on_shutdown_timer(void *data);

/* Re-evaluates the leave protocol and keeps its escalation timer armed. */
static void shutdown_step(void)
{
	uint64_t at, now;

	if (d.shutdown == NULL)
		return;
	hshutdown_step(d.shutdown, ham_now_mono_ms());
	arm_flush();
	at = hshutdown_next_wakeup(d.shutdown);
	if (at == 0 || (d.shutdown_armed && d.shutdown_at_ms == at))
		return;
	if (d.shutdown_armed)
		qb_loop_timer_del(d.loop, d.shutdown_timer);
	now = ham_now_mono_ms();
	d.shutdown_armed = true;
	d.shutdown_at_ms = at;
	qb_loop_timer_add(d.loop, QB_LOOP_MED, (at > now ? at - now : 1) * 1000000ull, NULL,
			  on_shutdown_timer, &d.shutdown_timer);
}

static void on_shutdown_timer(void *data)
{
	d.shutdown_armed = false;
	d.shutdown_at_ms = 0;
	shutdown_step();
}

static void arm_sync(void);

static void on_sync_deadline(void *data)
{
	d.sync_armed = false;
	hnode_tick(d.node, ham_now_mono_ms());
	arm_flush();
	arm_sync();
}

/* node.c has no loop: its sync round's deadline is a timer here. */
static void arm_sync(void)
{
	uint64_t at = hnode_next_deadline(d.node), now = ham_now_mono_ms();

	if (at == 0 || d.sync_armed)
		return;
	d.sync_armed = true;
	qb_loop_timer_add(d.loop, QB_LOOP_HIGH, (at > now ? at - now : 1) * 1000000ull, NULL,
			  on_sync_deadline, &d.sync_timer);
}

static void node_changed(void *ud)
{
	arm_sync();
	if (!d.ready && hnode_joined(d.node) && !hnode_syncing(d.node)) {
		/* We serve once we are in the group and hold the cluster's CIB
		 * (our first sync round is over); the IPC server already runs. */
		d.ready = true;
		sd_notify(0, "READY=1");
		qb_log(LOG_NOTICE, "Joined the cluster as node %u (%s)", hnode_local_id(d.node),
		       hnode_node_name(d.node, hnode_local_id(d.node)));
	}
	if (d.lrm)
		hlrm_node_changed(d.lrm);
	halerts_changed(d.alerts);
	update_status();
	schedule_run();
	shutdown_step();
	arm_flush();
}

static void on_expire(void *data)
{
	d.expire_armed = false;
	if (d.runner && hrunner_expire(d.runner, ham_now_mono_ms()) > 0)
		arm_flush();
	schedule_run();
}

static void on_wake(void *data)
{
	d.wake_armed = false;
	schedule_run();
}

/* A computation when the runner asks for one (fencing retry, failure-timeout,
 * cluster-recheck-interval). */
static void arm_wake(void)
{
	uint64_t at = hrunner_next_wakeup(d.runner), now = ham_now_mono_ms();

	if (at == 0 || (d.wake_armed && d.wake_at_ms <= at))
		return;
	if (d.wake_armed)
		qb_loop_timer_del(d.loop, d.wake_timer);
	d.wake_armed = true;
	d.wake_at_ms = at;
	/* at least WAKE_MIN_MS: a wish already due does not make a busy loop */
	qb_loop_timer_add(d.loop, QB_LOOP_MED,
			  (at > now + WAKE_MIN_MS ? at - now : WAKE_MIN_MS) * 1000000ull, NULL,
			  on_wake, &d.wake_timer);
}

/* A change not stored yet goes to the writer (persist.h). */
static void store_changes(void)
{
	if (hnode_take_unsaved(d.node) && d.persist)
		hpersist_changed(d.persist);
}

static void persist_snapshot(void *ud, char **ret_buf, size_t *ret_len)
{
	cibdoc_dump(hnode_cib(d.node), ret_buf, ret_len);
}

static void persist_state(void *ud, int64_t since_s, const char *reason)
{
	hnode_set_store_state(d.node, since_s, reason);
	update_status();
}

/*
 * A node whose stored CIB was rejected has no configuration: it manages
 * nothing (no computation, so no action) until it has the cluster's copy.
 */
static bool refuse_to_manage(void)
{
	const char *why = hnode_store_rejected(d.node);

	if (why == NULL) {
		if (d.refusal_logged)
			qb_log(LOG_NOTICE, "The cluster's CIB replaces the rejected one: managing "
			       "resources again");
		d.refusal_logged = false;
		return false;
	}
	if (!d.refusal_logged && hnode_joined(d.node) && !hnode_syncing(d.node))
		qb_log(LOG_ERR, "event=store-refused Refusing to manage anything: the stored CIB "
		       "was rejected (%s) and no other member has offered the cluster's copy (%u "
		       "member(s) here). Waiting for the cluster; or restore a backup, or push a "
		       "configuration with hactl cib push", why,
		       (unsigned)hnode_member_count(d.node));
	d.refusal_logged = hnode_joined(d.node) && !hnode_syncing(d.node);
	return true;
}

static void run_job(void *data)
{
	int r;

	d.run_queued = false;
	if (d.runner == NULL)
		return;
	if (refuse_to_manage())
		return;
	/* Compute and dispatch first, then store the CIB (off the loop). */
	r = hrunner_run(d.runner, ham_now_mono_ms(), (int64_t)time(NULL));
	if (r > 0) {
		arm_flush();
		if (d.cl)
			ham_cluster_flush(d.cl);
	}
	store_changes();
	arm_wake();
	if (hrunner_in_flight(d.runner) > 0 && !d.expire_armed) {
		d.expire_armed = true;
		qb_loop_timer_add(d.loop, QB_LOOP_LOW, EXPIRE_CHECK_MS * 1000000ull, NULL, on_expire,
				  &d.expire_timer);
	}
}

/*
 * Every change leads to one computation, after the events queued with it.
 * HIGH: libqb's loop visits the lower levels only every second or third
 * round and may block in poll() meanwhile, which delayed the DC's reaction
 * by up to the next timer (~50-70 ms measured).
 */
static void schedule_run(void)
{
	if (d.run_queued || d.runner == NULL)
		return;
	d.run_queued = true;
	qb_loop_job_add(d.loop, QB_LOOP_HIGH, NULL, run_job);
}

static void on_action(void *ud, const struct hop_action *a)
{
	if (hshutdown_is_action(a)) {
		if (d.shutdown)
			hshutdown_permit(d.shutdown, a);
		shutdown_step();
		return;
	}
	if (d.lrm)
		hlrm_action(d.lrm, a);
	arm_flush();
}

/* ---- the leave protocol's hooks (shutdown.h) ---- */

static void sd_run_local(void *ud, const struct hop_action *a)
{
	if (d.lrm)
		hlrm_action(d.lrm, a);
	arm_flush();
}

static unsigned sd_busy(void *ud)
{
	return d.lrm ? hlrm_busy(d.lrm) : 0;
}

static void sd_leave(void *ud, bool clean)
{
	/* The loop ends; leaving the group follows (ham_cluster_free()). */
	stop_loop(clean ? 0 : HAM_EXIT_ERROR);
}

static int sd_send_leaving(void *ud, const char *buf, size_t len)
{
	char *err = NULL;
	int r = hnode_send_leaving(d.node, buf, len, 0, &err);

	if (r < 0)
		qb_log(LOG_ERR, "Cannot ask to leave: %s", err ? err : ham_strerror(r));
	free(err);
	arm_flush();
	return r;
}

static void on_op_result(void *ud, const struct hop_result *r)
{
	halerts_op_result(d.alerts, r);
	if (d.runner)
		hrunner_result(d.runner, r);
}

static int runner_send_action(void *ud, const struct hop_action *a)
{
	return hnode_send_action(d.node, a);
}

static int runner_send_result(void *ud, const struct hop_result *r)
{
	return hnode_send_result(d.node, r);
}

/* The series' bound from its property (peinput.h); a negative value keeps all. */
static const char *runner_save_input(void *ud, int series)
{
	long dflt, max;
	const char *name = hpeinput_property((enum hpeinput_series)series, &dflt);
	char *v = cibdoc_property(hnode_cib(d.node), name), dc[16];
	int64_t n;

	max = dflt;
	if (v && ham_parse_int64(v, &n) == 0)
		max = n < 0 ? -1 : n > LONG_MAX ? LONG_MAX : (long)n;
	else if (v)
		qb_log(LOG_WARNING, "Ignored %s '%s': not an integer", name, v);
	free(v);
	if (d.peinput == NULL)
		return NULL;
	snprintf(dc, sizeof(dc), "%u", hnode_local_id(d.node));
	return hpeinput_save(d.peinput, (enum hpeinput_series)series, max, hnode_cib(d.node),
			     hnode_quorate(d.node), dc);
}

static void push_done(void *ud, uint64_t cookie, int result, const char *msg)
{
	hamgrd_ipc_push_done(d.ipc, cookie, result, msg);
}

static int32_t on_cluster_fd(int32_t fd, int32_t revents, void *data)
{
	int r = ham_cluster_dispatch(d.cl, fd);

	if (r < 0) {
		qb_log(LOG_ERR, "The connection to corosync is lost: stopping");
		stop_loop(1);
		return -1;
	}
	arm_flush();
	return 0;
}

/*
 * Design decision 8: the ring is encrypted and authenticated, or any host
 * that reaches it can send us actions. true: refuse to run.
 */
static bool crypto_refused(void)
{
	char *desc = NULL;
	int r = ham_cluster_crypto(d.cl, &desc);
	bool refuse = false;

	if (r < 0) {
		qb_log(LOG_ERR, "Cannot read totem.crypto_cipher and totem.crypto_hash from corosync: %s",
		       ham_strerror(r));
		refuse = !d.insecure;
	} else if (r == 0 && d.insecure) {
		qb_log(LOG_WARNING, "corosync does not encrypt and authenticate the ring (%s): "
		       "running anyway (--insecure); any host that reaches the ring can "
		       "control this cluster", desc);
	} else if (r == 0) {
		qb_log(LOG_ERR, "corosync does not encrypt and authenticate the ring (%s): refusing "
		       "to start. Set crypto_cipher (e.g. aes256) and crypto_hash (e.g. sha256) in "
		       "the totem section of corosync.conf, create the key with corosync-keygen on "
		       "one node and copy it to every node, restart corosync; or start hamgrd "
		       "with --insecure", desc);
		refuse = true;
	}
	free(desc);
	return refuse;
}

static void try_connect(void *data)
{
	int fds[2], r;
	size_t n, i;

	r = ham_cluster_connect(d.group, &hnode_cluster_callbacks, d.node, &d.cl);
	if (r < 0) {
		if (ham_now_mono_ms() >= d.connect_deadline_ms) {
			qb_log(LOG_ERR, "Cannot connect to corosync: %s", ham_strerror(r));
			stop_loop(1);
			return;
		}
		qb_log(LOG_DEBUG, "corosync not reachable yet (%s); retrying", ham_strerror(r));
		qb_loop_timer_add(d.loop, QB_LOOP_MED, CONNECT_RETRY_MS * 1000000ull, NULL,
				  try_connect, &d.connect_timer);
		return;
	}
	if (crypto_refused()) {
		d.cl = ham_cluster_free(d.cl);
		stop_loop(HAM_EXIT_ERROR);
		return;
	}
	hnode_attach(d.node, d.cl);
	n = ham_cluster_fds(d.cl, fds, 2);
	for (i = 0; i < n; i++)
		qb_loop_poll_add(d.loop, QB_LOOP_HIGH, fds[i], POLLIN | POLLPRI, NULL, on_cluster_fd);
	qb_log(LOG_INFO, "Connected to corosync as node %u (token %u ms)",
	       ham_cluster_local_nodeid(d.cl), ham_cluster_token_ms(d.cl));
}

/*
 * SIGTERM/SIGINT: leave in order (shutdown.h). A second signal while we
 * wait is logged and changes nothing: giving up the protocol would leave
 * resources running unknown to the cluster. SIGKILL is the hard stop.
 */
static int32_t on_term(int32_t sig, void *data)
{
	qb_log(LOG_NOTICE, "Received signal %d: leaving the cluster in order", sig);
	sd_notify(0, "STOPPING=1");
	/* Without a configuration this node manages nothing: nothing to hand over. */
	if (d.shutdown == NULL || hnode_store_rejected(d.node) != NULL) {
		stop_loop(0);
		return 0;
	}
	hshutdown_begin(d.shutdown, ham_now_mono_ms(), (int64_t)time(NULL),
			sig == SIGTERM ? "SIGTERM" : "SIGINT");
	shutdown_step();
	return 0;
}

static int32_t on_hup(int32_t sig, void *data)
{
	int r = ham_log_reopen();

	if (r < 0)
		qb_log(LOG_ERR, "Cannot reopen the log file: %s", ham_strerror(r));
	else
		qb_log(LOG_NOTICE, "Reopened the log file");
	return 0;
}

static void on_watchdog(void *data)
{
	sd_notify(0, "WATCHDOG=1");
	qb_loop_timer_add(d.loop, QB_LOOP_HIGH, d.watchdog_usec / 2 * 1000ull, NULL,
			  on_watchdog, &d.watchdog_timer);
}

/* Creates the state directory (0750) and its missing parents (0755). */
static int make_dir(const char *path)
{
	char *p, *s;
	int r = 0;

	if (path[0] == '\0')
		return -EINVAL;
	p = ham_strdup(path);
	for (s = strchr(p + 1, '/'); s && r == 0; s = strchr(s + 1, '/')) {
		*s = '\0';
		if (mkdir(p, 0755) < 0 && errno != EEXIST)
			r = -errno;
		*s = '/';
	}
	if (r == 0 && mkdir(p, 0750) < 0 && errno != EEXIST)
		r = -errno;
	free(p);
	return r;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "state-dir", required_argument, NULL, 's' },
		{ "log-file", required_argument, NULL, 'l' },
		{ "group", required_argument, NULL, 'g' },
		{ "wait", required_argument, NULL, 'w' },
		{ "verbose", no_argument, NULL, 'V' },
		{ "foreground", no_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 1 },
		{ "ocf-root", required_argument, NULL, 2 },
		{ "fence-dir", required_argument, NULL, 3 },
		{ "insecure", no_argument, NULL, 4 },
		{ NULL, 0, NULL, 0 },
	};
	const struct hnode_callbacks ncb = { .push_done = push_done, .changed = node_changed,
					     .action = on_action, .op_result = on_op_result };
	const struct hrunner_ops rops = { .send_action = runner_send_action,
					  .send_result = runner_send_result,
					  .save_input = runner_save_input };
	const struct hshutdown_ops sops = { .run_local = sd_run_local, .busy = sd_busy,
					    .leave = sd_leave, .send_leaving = sd_send_leaving };
	const struct hpersist_ops pops = { .snapshot = persist_snapshot, .state = persist_state };
	struct ham_exec_options eopts = { 0 };
	const char *state_dir = HAM_LOCALSTATEDIR "/lib/hamgr", *logfile = NULL;
	qb_loop_signal_handle sh;
	uint32_t wait_s = 60;
	int verbose = 0, c, r;
	char *cib_path;

	d.group = "hamgr";
	while ((c = getopt_long(argc, argv, "s:l:g:w:Vfh", opts, NULL)) != -1) {
		switch (c) {
		case 's': state_dir = optarg; break;
		case 'l': logfile = optarg; break;
		case 'g': d.group = optarg; break;
		case 'w':
			if (ham_parse_uint32(optarg, &wait_s) < 0) {
				fprintf(stderr, "hamgrd: invalid --wait '%s': expected seconds\n", optarg);
				return HAM_EXIT_USAGE;
			}
			break;
		case 'V': verbose++; break;
		case 'f': break; /* always in the foreground (systemd Type=notify) */
		case 'h': usage(stdout); return 0;
		case 1: printf("hamgrd (hamgr) %s\n", HAM_VERSION); return 0;
		case 2: eopts.ocf_root = optarg; break;
		case 3: eopts.fence_dir = optarg; break;
		case 4: d.insecure = true; break;
		default: usage(stderr); return HAM_EXIT_USAGE;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "hamgrd: unexpected argument '%s'\n", argv[optind]);
		return HAM_EXIT_USAGE;
	}
	r = ham_log_init("hamgrd", HAM_LOG_DAEMON, verbose, logfile);
	if (r < 0) {
		fprintf(stderr, "hamgrd: cannot open log file %s: %s\n", logfile, ham_strerror(r));
		return HAM_EXIT_ERROR;
	}
	r = make_dir(state_dir);
	if (r < 0) {
		qb_log(LOG_ERR, "Cannot create the state directory %s: %s", state_dir, ham_strerror(r));
		return HAM_EXIT_ERROR;
	}
	cib_path = ham_asprintf("%s/cib.xml", state_dir);
	r = hnode_new(cib_path, &ncb, NULL, &d.node);
	if (r < 0) {
		free(cib_path);
		return ham_exit_status(r);
	}
	hnode_set_deferred_store(d.node, true);

	signal(SIGPIPE, SIG_IGN);
	d.loop = qb_loop_create();
	d.persist = hpersist_new(d.loop, cib_path, &pops, NULL);
	free(cib_path);
	cib_path = ham_asprintf("%s/pengine", state_dir);
	d.peinput = hpeinput_new(d.loop, cib_path);
	free(cib_path);
	qb_loop_signal_add(d.loop, QB_LOOP_HIGH, SIGTERM, NULL, on_term, &sh);
	qb_loop_signal_add(d.loop, QB_LOOP_HIGH, SIGINT, NULL, on_term, &sh);
	qb_loop_signal_add(d.loop, QB_LOOP_HIGH, SIGHUP, NULL, on_hup, &sh);

	d.lrm = hlrm_new(d.loop, d.node, &eopts);
	if (d.lrm == NULL) {
		d.persist = hpersist_free(d.persist);
		hnode_free(d.node);
		qb_loop_destroy(d.loop);
		return HAM_EXIT_ERROR;
	}
	d.alerts = halerts_new(d.loop, d.node);
	d.runner = hrunner_new(d.node, &rops, NULL);
	d.shutdown = hshutdown_new(d.node, &sops, NULL, (int64_t)time(NULL));

	r = hamgrd_ipc_start(d.loop, d.node, &d.ipc);
	if (r < 0) {
		qb_log(LOG_ERR, "Cannot start the IPC server: %s", ham_strerror(r));
		hrunner_free(d.runner);
		hlrm_free(d.lrm);
		d.persist = hpersist_free(d.persist);
		hnode_free(d.node);
		return HAM_EXIT_ERROR;
	}
	if (sd_watchdog_enabled(0, &d.watchdog_usec) > 0 && d.watchdog_usec > 0)
		on_watchdog(NULL);
	d.connect_deadline_ms = ham_now_mono_ms() + (uint64_t)wait_s * 1000u;
	try_connect(NULL);
	update_status();

	qb_log(LOG_INFO, "hamgrd %s started (state in %s)", HAM_VERSION, state_dir);
	qb_loop_run(d.loop);

	sd_notify(0, "STOPPING=1");
	hamgrd_ipc_stop(d.ipc);
	/* Leaving the group follows (ham_cluster_free()): peers take us as
	 * cleanly down only if our status shows nothing active. */
	/* libqb does not free a job still queued when the loop is destroyed. */
	if (d.run_queued)
		qb_loop_job_del(d.loop, QB_LOOP_HIGH, NULL, run_job);
	if (d.expire_armed)
		qb_loop_timer_del(d.loop, d.expire_timer);
	if (d.wake_armed)
		qb_loop_timer_del(d.loop, d.wake_timer);
	if (d.shutdown_armed)
		qb_loop_timer_del(d.loop, d.shutdown_timer);
	d.shutdown = hshutdown_free(d.shutdown);
	if (d.sync_armed)
		qb_loop_timer_del(d.loop, d.sync_timer);
	d.runner = hrunner_free(d.runner);
	d.lrm = hlrm_free(d.lrm);
	d.alerts = halerts_free(d.alerts);
	d.cl = ham_cluster_free(d.cl);
	/* A clean stop does not lose the last change: wait for it (bounded). */
	store_changes();
	r = hpersist_drain(d.persist, STORE_DRAIN_MS);
	if (r < 0)
		qb_log(LOG_ERR, "The last change of the CIB is not stored: %s", ham_strerror(r));
	d.persist = hpersist_free(d.persist);
	d.peinput = hpeinput_free(d.peinput);
	hnode_free(d.node);
	qb_loop_destroy(d.loop);
	free(d.last_status);
	qb_log(LOG_NOTICE, "hamgrd stopped");
	ham_log_fini();
	return d.exit_code;
}

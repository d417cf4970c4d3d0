/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * lib/exec unit tests: real agent scripts in a temporary OCF root (inside
 * the build tree) run through the executor on a real qb_loop. No root.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include <hamgr/exec.h>

static char root[PATH_MAX]; /* temp dir: OCF root, lsb dir, fence dir */

struct got {
	int n;
	int want;
	enum ham_exec_status status[16];
	int rc[16];
	char *out[16];
	char *err[16];
	char *reason[16];
	bool out_trunc[16];
	size_t out_len[16];
	uint64_t dur[16];
	qb_loop_t *loop;
	ham_exec *e;
	bool cancel_at_want;
};

static void write_file(const char *rel, const char *text, mode_t mode)
{
	char path[PATH_MAX * 2];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static void mkdir_rel(const char *rel)
{
	char path[PATH_MAX * 2];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	mkdir(path, 0755);
}

static char *path_of(const char *rel)
{
	return ham_asprintf("%s/%s", root, rel);
}

static const char codes_agent[] =
	"#!/bin/sh\n"
	"case \"$1\" in\n"
	"meta-data) echo '<resource-agent name=\"codes\"><parameters>"
	"<parameter name=\"code\" required=\"1\"><content type=\"integer\"/></parameter>"
	"</parameters></resource-agent>'; exit 0;;\n"
	"esac\n"
	"echo \"ran $1\"\n"
	"echo \"ocf-exit-reason:first\" >&2\n"
	"echo \"ocf-exit-reason:code was $OCF_RESKEY_code\" >&2\n"
	"exit \"$OCF_RESKEY_code\"\n";

static const char hung_agent[] =
	"#!/bin/sh\n"
	"trap '' TERM\n"
	"sh -c 'trap \"\" TERM; echo $$ > \"$OCF_RESKEY_pidfile\"; while :; do sleep 1; done' &\n"
	"while :; do sleep 1; done\n";

static const char noisy_agent[] =
	"#!/bin/sh\n"
	"head -c 5000000 /dev/zero | tr '\\0' x\n"
	"head -c 3000000 /dev/zero | tr '\\0' y >&2\n"
	"exit 0\n";

static const char echo_agent[] =
	"#!/bin/sh\n"
	"printf '%s' \"$OCF_RESKEY_value\" > \"$OCF_RESKEY_out\"\n"
	"exit 0\n";

/* counts its meta-data runs; "path" is unique */
static const char counted_agent[] =
	"#!/bin/sh\n"
	"case \"$1\" in\n"
	"meta-data) echo x >> \"$OCF_ROOT/meta-runs\";\n"
	"  echo '<resource-agent name=\"counted\"><parameters>"
	"<parameter name=\"path\" unique=\"1\"><content type=\"string\"/></parameter>"
	"</parameters></resource-agent>'; exit 0;;\n"
	"esac\n"
	"exit 0\n";

static const char fds_agent[] = "#!/bin/sh\nexec /bin/ls -1 /proc/self/fd\n";
static const char env_agent[] = "#!/bin/sh\nexec /usr/bin/env\n";
static const char sleep_agent[] = "#!/bin/sh\nsleep 0.3\nexit 0\n";
static const char ok_agent[] = "#!/bin/sh\n[ \"$1\" = meta-data ] && echo '<nope' && exit 0\nexit 0\n";

static const char lsb_script[] =
	"#!/bin/sh\n"
	"case \"$1\" in start) exit 0;; stop) exit 0;; status) exit 3;; *) exit 3;; esac\n";

static const char fence_deaf[] = "#!/bin/sh\nexit 0\n";

static const char fence_agent[] =
	"#!/bin/sh\n"
	"cat\n"
	"exit 0\n";

static int setup_root(void **state)
{
	char cwd[PATH_MAX - 32];

	assert_non_null(getcwd(cwd, sizeof(cwd)));
	snprintf(root, sizeof(root), "%s/test_exec.XXXXXX", cwd);
	assert_non_null(mkdtemp(root));
	mkdir_rel("resource.d");
	mkdir_rel("resource.d/test");
	mkdir_rel("init.d");
	mkdir_rel("fence");
	write_file("resource.d/test/codes", codes_agent, 0755);
	write_file("resource.d/test/hung", hung_agent, 0755);
	write_file("resource.d/test/noisy", noisy_agent, 0755);
	write_file("resource.d/test/echo", echo_agent, 0755);
	write_file("resource.d/test/fds", fds_agent, 0755);
	write_file("resource.d/test/counted", counted_agent, 0755);
	write_file("resource.d/test/env", env_agent, 0755);
	write_file("resource.d/test/sleep", sleep_agent, 0755);
	write_file("resource.d/test/badmeta", ok_agent, 0755);
	write_file("resource.d/test/noexec", ok_agent, 0644);
	write_file("init.d/svc", lsb_script, 0755);
	write_file("fence/fence_test", fence_agent, 0755);
	write_file("fence/fence_deaf", fence_deaf, 0755);
	/* orphans of timed-out agents come back to us, so we can check them */
	prctl(PR_SET_CHILD_SUBREAPER, 1);
	return 0;
}

static int teardown_root(void **state)
{
	char *cmd = ham_asprintf("rm -rf '%s'", root);
	int r = system(cmd);

	free(cmd);
	return r == 0 ? 0 : -1;
}

static void got_clear(struct got *g)
{
	for (int i = 0; i < g->n; i++) {
		free(g->out[i]);
		free(g->err[i]);
		free(g->reason[i]);
	}
	memset(g, 0, sizeof(*g));
}

static void on_result(ham_exec_op *op, const ham_exec_result *res, void *user)
{
	struct got *g = user;
	int i = g->n;

	assert_true(i < 16);
	g->status[i] = res->status;
	g->rc[i] = res->rc;
	g->out[i] = ham_strdup(res->out);
	g->err[i] = ham_strdup(res->err);
	g->reason[i] = ham_strdup(res->exit_reason);
	g->out_trunc[i] = res->out_truncated;
	g->out_len[i] = res->out_len;
	g->dur[i] = res->duration_ms;
	g->n++;
	if (g->n >= g->want) {
		if (g->cancel_at_want)
			assert_int_equal(ham_exec_cancel(g->e, op), 0);
		qb_loop_stop(g->loop);
	}
}

static void guard_fire(void *data)
{
	qb_loop_stop(data);
}

/* Runs the loop until the wanted results arrived or limit_ms passed. */
static void run_loop(qb_loop_t *loop, uint64_t limit_ms)
{
	qb_loop_timer_handle th;

	qb_loop_timer_add(loop, QB_LOOP_LOW, limit_ms * QB_TIME_NS_IN_MSEC, loop, guard_fire, &th);
	qb_loop_run(loop);
	qb_loop_timer_del(loop, th);
}

static ham_exec *new_exec(qb_loop_t *loop, unsigned max, size_t cap)
{
	struct ham_exec_options o = { 0 };
	char *lsb = path_of("init.d"), *fence = path_of("fence");
	ham_exec *e;

	o.ocf_root = root;
	o.lsb_dir = lsb;
	o.fence_dir = fence;
	o.max_concurrent = max;
	o.output_cap = cap;
	o.kill_grace_ms = 300;
	e = ham_exec_new(loop, &o);
	free(lsb);
	free(fence);
	return e;
}

static ham_exec_request ocf_req(const char *type, const char *action)
{
	ham_exec_request r = { 0 };

	r.agent.cls = HAM_AGENT_OCF;
	r.agent.provider = (char *)"test";
	r.agent.type = (char *)type;
	r.action = action;
	r.timeout_ms = 5000;
	return r;
}

/* Runs one action and waits for its result. */
static void run_one(ham_exec_request *req, struct got *g, unsigned max, size_t cap,
		    uint64_t limit_ms)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, max, cap);

	got_clear(g);
	g->loop = loop;
	g->e = e;
	g->want = 1;
	assert_int_equal(ham_exec_submit(e, req, on_result, g, NULL), 0);
	/* results never arrive synchronously */
	assert_int_equal(g->n, 0);
	run_loop(loop, limit_ms);
	assert_int_equal(g->n, 1);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

static void test_every_exit_code(void **state)
{
	static const int codes[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 190, 191 };
	struct got g = { 0 };
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(codes); i++) {
		ham_exec_request req = ocf_req("codes", "monitor");
		char code[8];
		ham_exec_param p = { "code", code };

		snprintf(code, sizeof(code), "%d", codes[i]);
		req.params = &p;
		req.n_params = 1;
		run_one(&req, &g, 4, 0, 5000);
		assert_int_equal(g.status[0], HAM_EXEC_DONE);
		assert_int_equal(g.rc[0], codes[i]);
		assert_string_equal(g.out[0], "ran monitor\n");
		assert_non_null(g.reason[0]);
		/* the last exit reason wins */
		assert_true(strncmp(g.reason[0], "code was ", 9) == 0);
		assert_string_not_equal(ham_ocf_rc_str(codes[i]), "unknown error");
	}
	assert_string_equal(ham_ocf_rc_str(42), "unknown error");
	assert_int_equal(ham_ocf_rc_severity(6), HAM_OCF_SEV_FATAL);
	assert_int_equal(ham_ocf_rc_severity(5), HAM_OCF_SEV_HARD);
	assert_int_equal(ham_ocf_rc_severity(1), HAM_OCF_SEV_SOFT);
	assert_int_equal(ham_ocf_rc_severity(7), HAM_OCF_SEV_NONE);
	got_clear(&g);
}

static bool proc_gone(pid_t pid)
{
	char path[64];
	FILE *f;
	char st = 0;
	int r;

	/* our subreaper status makes orphans ours: reap if it is a zombie */
	r = waitpid(pid, NULL, WNOHANG);
	if (r == pid)
		return true;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "r");
	if (f == NULL)
		return true;
	if (fscanf(f, "%*d (%*[^)]) %c", &st) != 1)
		st = 0;
	fclose(f);
	return st == 'Z';
}

static void test_timeout_kills_group(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("hung", "monitor");
	char *pidfile = path_of("hung.pid");
	ham_exec_param p = { "pidfile", pidfile };
	FILE *f;
	int pid = 0;
	uint64_t t0 = ham_now_mono_ms();

	req.params = &p;
	req.n_params = 1;
	req.timeout_ms = 400;
	run_one(&req, &g, 4, 0, 10000);
	assert_int_equal(g.status[0], HAM_EXEC_TIMEOUT);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_GENERIC);
	/* TERM is ignored: KILL after the 300 ms grace */
	assert_true(ham_now_mono_ms() - t0 >= 700);
	assert_true(ham_now_mono_ms() - t0 < 5000);
	f = fopen(pidfile, "r");
	assert_non_null(f);
	assert_int_equal(fscanf(f, "%d", &pid), 1);
	fclose(f);
	assert_true(pid > 1);
	/* the agent's own child, in its process group, is dead too */
	for (int i = 0; i < 50 && !proc_gone(pid); i++)
		usleep(20000);
	assert_true(proc_gone(pid));
	free(pidfile);
	got_clear(&g);
}

static void test_noisy_capped(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("noisy", "monitor");

	run_one(&req, &g, 4, 65536, 20000);
	assert_int_equal(g.status[0], HAM_EXEC_DONE);
	assert_int_equal(g.rc[0], 0);
	assert_true(g.out_trunc[0]);
	assert_int_equal(g.out_len[0], 65536);
	assert_int_equal(strlen(g.out[0]), 65536);
	assert_int_equal(g.out[0][0], 'x');
	assert_true(strlen(g.err[0]) == 65536);
	got_clear(&g);
}

static char *read_all(const char *path)
{
	FILE *f = fopen(path, "r");
	ham_buf b = HAM_BUF_INIT;
	char chunk[4096];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		ham_buf_addn(&b, chunk, n);
	fclose(f);
	ham_buf_add(&b, "");
	return ham_buf_steal(&b);
}

static void test_hostile_values_are_data(void **state)
{
	static const char *const values[] = {
		"; rm -rf \"$OCF_ROOT\"; touch pwned1",
		"$(touch pwned2)",
		"`touch pwned3`",
		"line1\nline2\n; touch pwned4",
		"' \" \\ * ? [a] ~ $HOME",
	};
	struct got g = { 0 };
	size_t i;

	for (i = 0; i < HAM_ARRAY_SIZE(values); i++) {
		ham_exec_request req = ocf_req("echo", "monitor");
		char *out = path_of("echo.out");
		ham_exec_param p[2] = { { "value", values[i] }, { "out", out } };
		char *got;

		req.params = p;
		req.n_params = 2;
		run_one(&req, &g, 4, 0, 5000);
		assert_int_equal(g.rc[0], 0);
		got = read_all(out);
		assert_non_null(got);
		assert_string_equal(got, values[i]);
		free(got);
		free(out);
	}
	for (i = 1; i <= 4; i++) {
		char rel[32];
		char *p;
		struct stat st;

		snprintf(rel, sizeof(rel), "pwned%zu", i);
		p = path_of(rel);
		assert_int_not_equal(stat(p, &st), 0);
		assert_int_not_equal(stat(rel, &st), 0);
		free(p);
	}
	/* the OCF root is still there */
	{
		char *p = path_of("resource.d/test/echo");
		struct stat st;

		assert_int_equal(stat(p, &st), 0);
		free(p);
	}
	got_clear(&g);
}

static void test_bad_names_rejected(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 4, 0);
	ham_exec_request req = ocf_req("echo", "monitor");
	ham_exec_param p = { "a=b", "x" };
	ham_exec_param q = { "ok", "x" };

	req.params = &p;
	req.n_params = 1;
	assert_int_equal(ham_exec_submit(e, &req, on_result, NULL, NULL), -EINVAL);
	p.name = "with space";
	assert_int_equal(ham_exec_submit(e, &req, on_result, NULL, NULL), -EINVAL);
	req.params = &q;
	req.agent.type = (char *)"../../bin/sh";
	assert_int_equal(ham_exec_submit(e, &req, on_result, NULL, NULL), -EINVAL);
	req.agent.type = (char *)"echo";
	req.action = NULL;
	assert_int_equal(ham_exec_submit(e, &req, on_result, NULL, NULL), -EINVAL);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

static void test_fds_closed(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("fds", "monitor");
	int leak = open("/dev/null", O_RDONLY); /* deliberately without O_CLOEXEC */

	assert_true(leak >= 0);
	run_one(&req, &g, 4, 0, 5000);
	close(leak);
	assert_int_equal(g.rc[0], 0);
	/* 0-2 plus the one ls opens to read the directory */
	assert_string_equal(g.out[0], "0\n1\n2\n3\n");
	got_clear(&g);
}

static void test_env_clean(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("env", "monitor");
	ham_exec_param p = { "my-param", "v1" };
	ham_exec_param m = { "on-fail", "restart" };
	char *want;

	setenv("HAM_TEST_SECRET", "leak", 1);
	req.params = &p;
	req.n_params = 1;
	req.meta = &m;
	req.n_meta = 1;
	req.rsc_id = "rsc1";
	req.interval_ms = 0;
	run_one(&req, &g, 4, 0, 5000);
	unsetenv("HAM_TEST_SECRET");
	assert_int_equal(g.rc[0], 0);
	assert_null(strstr(g.out[0], "HAM_TEST_SECRET"));
	assert_null(strstr(g.out[0], "HOME="));
	want = ham_asprintf("OCF_ROOT=%s\n", root);
	assert_non_null(strstr(g.out[0], want));
	free(want);
	assert_non_null(strstr(g.out[0], "OCF_RESOURCE_INSTANCE=rsc1\n"));
	assert_non_null(strstr(g.out[0], "OCF_RESOURCE_TYPE=env\n"));
	assert_non_null(strstr(g.out[0], "OCF_RESOURCE_PROVIDER=test\n"));
	assert_non_null(strstr(g.out[0], "OCF_RESKEY_my_param=v1\n"));
	assert_non_null(strstr(g.out[0], "OCF_RESKEY_CRM_meta_on_fail=restart\n"));
	assert_non_null(strstr(g.out[0], "OCF_RESKEY_CRM_meta_timeout=5000\n"));
	assert_non_null(strstr(g.out[0], "PATH="));
	got_clear(&g);
}

/* hamgr's agent tools (crm_attribute & co.) come first on an agent's PATH
 * and are its HA_SBIN_DIR, when the directory exists. */
static void test_env_tools_dir(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("env", "monitor");
	char *dir = ham_asprintf("%s/fence", root), *want, *out;

	req.interval_ms = 0;
	setenv("HAMGR_TOOLS_DIR", dir, 1);
	setenv("HAMGR_IPC_NAME", "hamgr-test", 1);
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], 0);
	out = ham_asprintf("\n%s", g.out[0]); /* every line starts after a newline */
	want = ham_asprintf("\nPATH=%s:/usr/local/sbin:", dir);
	assert_non_null(strstr(out, want));
	free(want);
	want = ham_asprintf("\nHA_SBIN_DIR=%s\n", dir);
	assert_non_null(strstr(out, want));
	free(want);
	assert_non_null(strstr(out, "\nHAMGR_IPC_NAME=hamgr-test\n"));
	got_clear(&g);
	free(out);

	/* no such directory: the system's PATH alone, resource-agents' default */
	setenv("HAMGR_TOOLS_DIR", "/nonexistent/hamgr-tools", 1);
	unsetenv("HAMGR_IPC_NAME");
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], 0);
	out = ham_asprintf("\n%s", g.out[0]);
	assert_non_null(strstr(out, "\nPATH=/usr/local/sbin:"));
	assert_null(strstr(out, "HA_SBIN_DIR="));
	assert_null(strstr(out, "HAMGR_IPC_NAME="));
	got_clear(&g);
	unsetenv("HAMGR_TOOLS_DIR");
	free(out);
	free(dir);
}

static void test_not_installed_and_not_executable(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("missing", "monitor");

	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.status[0], HAM_EXEC_NOT_INSTALLED);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_INSTALLED);
	req = ocf_req("noexec", "monitor");
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.status[0], HAM_EXEC_ERROR);
	/* as root, exec of a 0644 file still fails with EACCES */
	assert_int_equal(g.rc[0], HAM_OCF_ERR_PERM);
	got_clear(&g);
}

static void test_concurrency_limit(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 2, 0);
	struct got g = { 0 };
	ham_exec_request req = ocf_req("sleep", "monitor");
	uint64_t t0 = ham_now_mono_ms(), took;
	int i;

	g.loop = loop;
	g.e = e;
	g.want = 5;
	for (i = 0; i < 5; i++)
		assert_int_equal(ham_exec_submit(e, &req, on_result, &g, NULL), 0);
	assert_int_equal(ham_exec_running(e), 2);
	assert_int_equal(ham_exec_queued(e), 3);
	run_loop(loop, 10000);
	took = ham_now_mono_ms() - t0;
	assert_int_equal(g.n, 5);
	/* 5 x 0.3 s, two at a time: three rounds */
	assert_true(took >= 850);
	assert_int_equal(ham_exec_running(e), 0);
	assert_int_equal(ham_exec_queued(e), 0);
	got_clear(&g);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

static void note_order(ham_exec_op *op, const ham_exec_result *res, void *user)
{
	struct got *g = user;

	on_result(op, res, user);
	/* all three are in: stop the recurring one */
	if (g->n == g->want)
		ham_exec_cancel_rsc(g->e, "rec");
}

/* One-shot actions overtake recurring runs waiting for a slot. */
static void test_queue_priority(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 1, 0);
	struct got g = { 0 };
	ham_exec_request busy = ocf_req("sleep", "monitor");
	ham_exec_request rec = ocf_req("codes", "monitor");
	ham_exec_request once = ocf_req("codes", "monitor");
	ham_exec_param c7 = { "code", "7" }, c0 = { "code", "0" };

	rec.params = &c7;
	rec.n_params = 1;
	rec.interval_ms = 60000;
	rec.rsc_id = "rec";
	once.params = &c0;
	once.n_params = 1;
	g.loop = loop;
	g.e = e;
	g.want = 3;
	assert_int_equal(ham_exec_submit(e, &busy, note_order, &g, NULL), 0);
	assert_int_equal(ham_exec_submit(e, &rec, note_order, &g, NULL), 0);
	assert_int_equal(ham_exec_submit(e, &once, note_order, &g, NULL), 0);
	assert_int_equal(ham_exec_queued(e), 2);
	run_loop(loop, 5000);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.rc[0], 0); /* busy */
	assert_int_equal(g.rc[1], 0); /* the one-shot, submitted last, ran first */
	assert_int_equal(g.rc[2], 7); /* the recurring monitor's first run */
	got_clear(&g);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

static void test_recurring_and_cancel(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 4, 0);
	struct got g = { 0 };
	ham_exec_request req = ocf_req("codes", "monitor");
	ham_exec_param p = { "code", "7" };
	ham_exec_op *op = NULL;

	req.params = &p;
	req.n_params = 1;
	req.interval_ms = 100;
	req.rsc_id = "r1";
	g.loop = loop;
	g.e = e;
	g.want = 3;
	assert_int_equal(ham_exec_submit(e, &req, on_result, &g, &op), 0);
	run_loop(loop, 5000);
	assert_int_equal(g.n, 3);
	/* a stop of the same resource cancels the recurring monitor */
	{
		ham_exec_request stop = ocf_req("codes", "stop");
		ham_exec_param z = { "code", "0" };

		stop.params = &z;
		stop.n_params = 1;
		stop.rsc_id = "r1";
		g.want = 4;
		assert_int_equal(ham_exec_submit(e, &stop, on_result, &g, NULL), 0);
		/* only the stop is left: the monitor is gone */
		assert_int_equal(ham_exec_running(e) + ham_exec_queued(e), 1);
		run_loop(loop, 5000);
		assert_int_equal(g.n, 4);
		assert_int_equal(g.rc[3], 0); /* the stop */
		g.want = 99;
		run_loop(loop, 400); /* nothing more arrives */
		assert_int_equal(g.n, 4);
	}
	/* cancelling from inside the callback */
	got_clear(&g);
	g.loop = loop;
	g.e = e;
	g.want = 2;
	g.cancel_at_want = true;
	req.rsc_id = "r2";
	assert_int_equal(ham_exec_submit(e, &req, on_result, &g, NULL), 0);
	run_loop(loop, 5000);
	assert_int_equal(g.n, 2);
	g.want = 99;
	run_loop(loop, 300);
	assert_int_equal(g.n, 2);
	got_clear(&g);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

static void test_validation(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = ocf_req("codes", "start");
	ham_exec_param bad = { "code", "zero" };
	ham_exec_param good = { "code", "0" };

	run_one(&req, &g, 4, 0, 5000); /* required parameter missing */
	assert_int_equal(g.status[0], HAM_EXEC_INVALID);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_CONFIGURED);
	req.params = &bad;
	req.n_params = 1;
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.status[0], HAM_EXEC_INVALID);
	req.params = &good;
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.status[0], HAM_EXEC_DONE);
	assert_int_equal(g.rc[0], 0);
	/* broken meta-data does not block a start */
	req = ocf_req("badmeta", "start");
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.status[0], HAM_EXEC_DONE);
	got_clear(&g);
}

static void run_in(ham_exec *e, qb_loop_t *loop, struct got *g, const char *rsc,
		   const char *action, const char *path)
{
	ham_exec_request req = ocf_req("counted", action);
	ham_exec_param p = { "path", path };

	req.rsc_id = rsc;
	req.params = &p;
	req.n_params = 1;
	got_clear(g);
	g->loop = loop;
	g->e = e;
	g->want = 1;
	assert_int_equal(ham_exec_submit(e, &req, on_result, g, NULL), 0);
	run_loop(loop, 5000);
	assert_int_equal(g->n, 1);
}

/* meta-data is fetched once per agent; unique parameters are enforced
 * among the resources this executor started. */
static void test_meta_cache_and_unique(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 4, 0);
	struct got g = { 0 };
	char *runs = path_of("meta-runs");
	char *text;

	unlink(runs);
	run_in(e, loop, &g, "a", "start", "/p1");
	assert_int_equal(g.rc[0], 0);
	run_in(e, loop, &g, "b", "start", "/p2");
	assert_int_equal(g.rc[0], 0);
	text = read_all(runs);
	assert_non_null(text);
	assert_string_equal(text, "x\n"); /* one meta-data run for two starts */
	free(text);
	run_in(e, loop, &g, "c", "start", "/p1"); /* same path as a */
	assert_int_equal(g.status[0], HAM_EXEC_INVALID);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_CONFIGURED);
	run_in(e, loop, &g, "a", "start", "/p1"); /* a itself again: fine */
	assert_int_equal(g.rc[0], 0);
	run_in(e, loop, &g, "a", "stop", "/p1");
	assert_int_equal(g.rc[0], 0);
	run_in(e, loop, &g, "c", "start", "/p1"); /* free now */
	assert_int_equal(g.rc[0], 0);
	got_clear(&g);
	free(runs);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

static void test_cancel_and_free_running(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 4, 0);
	ham_exec_request req = ocf_req("hung", "monitor");
	char *pidfile = path_of("hung2.pid");
	ham_exec_param p = { "pidfile", pidfile };
	ham_exec_op *op;
	struct got g = { 0 };

	req.params = &p;
	req.n_params = 1;
	g.loop = loop;
	g.want = 1;
	assert_int_equal(ham_exec_submit(e, &req, on_result, &g, &op), 0);
	run_loop(loop, 300);
	assert_int_equal(g.n, 0);
	assert_int_equal(ham_exec_cancel(e, op), 0);
	assert_int_equal(ham_exec_running(e), 0);
	/* a second one, left running when the executor is freed */
	assert_int_equal(ham_exec_submit(e, &req, on_result, &g, NULL), 0);
	run_loop(loop, 200);
	ham_exec_free(e);
	assert_int_equal(g.n, 0);
	qb_loop_destroy(loop);
	free(pidfile);
}

static void test_lsb(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = { 0 };

	req.agent.cls = HAM_AGENT_LSB;
	req.agent.type = (char *)"svc";
	req.action = "monitor"; /* runs "status": 3 = stopped */
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], HAM_OCF_NOT_RUNNING);
	req.action = "start";
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], 0);
	req.action = "bogus"; /* 3 = unimplemented for anything else */
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_UNIMPLEMENTED);
	got_clear(&g);
}

static void test_fence_stdin(void **state)
{
	struct got g = { 0 };
	ham_exec_request req = { 0 };
	ham_exec_param p[3] = {
		{ "pcmk_host_map", "node1:plug1;node2:plug2" },
		{ "socket", "/run/x; rm -rf /" },
		{ "pcmk_host_list", "node1 node2" },
	};
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 4, 0);

	req.agent.cls = HAM_AGENT_STONITH;
	req.agent.type = (char *)"fence_test";
	req.action = "off";
	req.params = p;
	req.n_params = 3;
	/* on/off/reboot/status need a target */
	assert_int_equal(ham_exec_submit(e, &req, on_result, &g, NULL), -EINVAL);
	ham_exec_free(e);
	qb_loop_destroy(loop);

	req.target = "node2";
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], 0);
	assert_string_equal(g.out[0], "action=off\nport=plug2\nnodename=node2\n"
				      "socket=/run/x; rm -rf /\n");
	/* an agent that exits without reading its stdin: no SIGPIPE for us */
	{
		char *big = ham_malloc(50000);
		ham_exec_param q = { "blob", big };

		memset(big, 'b', 49999);
		big[49999] = '\0';
		req.agent.type = (char *)"fence_deaf";
		req.params = &q;
		req.n_params = 1;
		req.action = "monitor";
		for (int i = 0; i < 5; i++) {
			run_one(&req, &g, 4, 0, 5000);
			assert_int_equal(g.rc[0], 0);
		}
		free(big);
		req.agent.type = (char *)"fence_test";
		req.params = p;
		req.n_params = 3;
		req.action = "off";
	}
	req.target = "node3"; /* not in pcmk_host_list */
	run_one(&req, &g, 4, 0, 5000);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_CONFIGURED);
	assert_int_equal(g.status[0], HAM_EXEC_INVALID);
	got_clear(&g);
}

static void test_fence_port_for(void **state)
{
	char *port = NULL;

	assert_int_equal(ham_fence_port_for("a:1;b:2", NULL, "b", &port), 0);
	assert_string_equal(port, "2");
	free(port);
	assert_int_equal(ham_fence_port_for("a=1, b=2 c:3", NULL, "c", &port), 0);
	assert_string_equal(port, "3");
	free(port);
	assert_int_equal(ham_fence_port_for(NULL, NULL, "n1", &port), 0);
	assert_string_equal(port, "n1");
	free(port);
	assert_int_equal(ham_fence_port_for("a:1", "a,b", "b", &port), 0);
	assert_string_equal(port, "b");
	free(port);
	assert_int_equal(ham_fence_port_for(NULL, "a,b", "c", &port), -ENOENT);
	assert_int_equal(ham_fence_port_for("a:1;broken", NULL, "a", &port), -EINVAL);
	assert_int_equal(ham_fence_port_for("a:", NULL, "a", &port), -EINVAL);
}

static void test_spec_parse(void **state)
{
	ham_agent_spec s;
	char *str;

	assert_int_equal(ham_agent_spec_parse("ocf:heartbeat:Dummy", &s), 0);
	assert_int_equal(s.cls, HAM_AGENT_OCF);
	assert_string_equal(s.provider, "heartbeat");
	assert_string_equal(s.type, "Dummy");
	str = ham_agent_spec_str(&s);
	assert_string_equal(str, "ocf:heartbeat:Dummy");
	free(str);
	ham_agent_spec_clear(&s);
	assert_int_equal(ham_agent_spec_parse("systemd:nginx", &s), 0);
	assert_int_equal(s.cls, HAM_AGENT_SYSTEMD);
	assert_null(s.provider);
	ham_agent_spec_clear(&s);
	assert_int_equal(ham_agent_spec_parse("fence:fence_x", &s), 0);
	assert_int_equal(s.cls, HAM_AGENT_STONITH);
	ham_agent_spec_clear(&s);
	assert_int_equal(ham_agent_spec_parse("ocf:Dummy", &s), -EINVAL);
	assert_int_equal(ham_agent_spec_parse("ocf:heartbeat:../x", &s), -EINVAL);
	assert_int_equal(ham_agent_spec_parse("ocf:..:x", &s), -EINVAL);
	assert_int_equal(ham_agent_spec_parse("lsb:a:b", &s), -EINVAL);
	assert_int_equal(ham_agent_spec_parse("bogus:x", &s), -EINVAL);
	assert_int_equal(ham_agent_spec_parse("lsb:", &s), -EINVAL);
	assert_int_equal(ham_agent_spec_parse("nocolon", &s), -EINVAL);
}

/* No systemd here: the failure to reach the bus arrives through the callback. */
static void test_systemd_unreachable(void **state)
{
	struct ham_exec_options o = { 0 };
	qb_loop_t *loop = qb_loop_create();
	char *bus = ham_asprintf("unix:path=%s/no-such-socket", root);
	struct got g = { 0 };
	ham_exec_request req = { 0 };
	ham_exec *e;

	o.systemd_bus = bus;
	e = ham_exec_new(loop, &o);
	req.agent.cls = HAM_AGENT_SYSTEMD;
	req.agent.type = (char *)"foo";
	req.action = "start";
	g.loop = loop;
	g.want = 1;
	assert_int_equal(ham_exec_submit(e, &req, on_result, &g, NULL), 0);
	assert_int_equal(g.n, 0);
	run_loop(loop, 5000);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.status[0], HAM_EXEC_ERROR);
	assert_int_equal(g.rc[0], HAM_OCF_ERR_GENERIC);
	got_clear(&g);
	ham_exec_free(e);
	qb_loop_destroy(loop);
	free(bus);
}

static void test_list(void **state)
{
	qb_loop_t *loop = qb_loop_create();
	ham_exec *e = new_exec(loop, 4, 0);
	char **v = NULL;

	assert_int_equal(ham_exec_list_agents(e, HAM_AGENT_OCF, "test", &v), 0);
	assert_string_equal(v[0], "ocf:test:badmeta");
	/* noexec (0644) is not an agent */
	for (char **p = v; *p; p++)
		assert_string_not_equal(*p, "ocf:test:noexec");
	ham_strv_free(v);
	assert_int_equal(ham_exec_list_agents(e, HAM_AGENT_STONITH, NULL, &v), 0);
	assert_string_equal(v[0], "stonith:fence_deaf");
	assert_string_equal(v[1], "stonith:fence_test");
	assert_null(v[2]);
	ham_strv_free(v);
	ham_exec_free(e);
	qb_loop_destroy(loop);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_spec_parse),
		cmocka_unit_test(test_fence_port_for),
		cmocka_unit_test(test_every_exit_code),
		cmocka_unit_test(test_timeout_kills_group),
		cmocka_unit_test(test_noisy_capped),
		cmocka_unit_test(test_hostile_values_are_data),
		cmocka_unit_test(test_bad_names_rejected),
		cmocka_unit_test(test_fds_closed),
		cmocka_unit_test(test_env_clean),
		cmocka_unit_test(test_not_installed_and_not_executable),
		cmocka_unit_test(test_concurrency_limit),
		cmocka_unit_test(test_queue_priority),
		cmocka_unit_test(test_recurring_and_cancel),
		cmocka_unit_test(test_validation),
		cmocka_unit_test(test_meta_cache_and_unique),
		cmocka_unit_test(test_cancel_and_free_running),
		cmocka_unit_test(test_lsb),
		cmocka_unit_test(test_fence_stdin),
		cmocka_unit_test(test_systemd_unreachable),
		cmocka_unit_test(test_list),
		cmocka_unit_test(test_env_tools_dir),
	};

	return cmocka_run_group_tests(tests, setup_root, teardown_root);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/persist.c: the CIB written off the main loop (persist.h).
 *
 * A forked child rather than a thread: the parent hands over the snapshot
 * by fork's copy-on-write (no copy, no lock, nothing shared after), the
 * child does the slow part (parsing the previous file for the backup rule,
 * write, fsync, rename, fsync of the directory) and reports one record on a
 * pipe; a child that dies (killed, OOM) is a failed write like any other,
 * and the daemon stays single-threaded (STYLE: no threads unless needed).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include "persist.h"

/* What the child reports. */
struct result_rec {
	int32_t result;
	uint8_t rotated;
	uint8_t pad[3];
};

struct hpersist {
	qb_loop_t *loop;
	char *path;
	struct hpersist_ops ops;
	void *ud;

	uint64_t gen;          /* the latest change */
	uint64_t gen_stored;   /* the latest change known stored */
	uint64_t gen_writing;  /* the change the write in flight holds */
	pid_t parent;          /* this process, for the writer */
	pid_t child;           /* > 0: a write is in flight */
	int fd;                /* its result pipe */
	struct result_rec rec;
	size_t rec_got;

	bool retry_armed;
	qb_loop_timer_handle retry_timer;
	uint32_t retry_min_ms, retry_max_ms;
	uint32_t retry_next_ms;  /* the delay of the next retry */
	uint32_t retry_armed_ms; /* the delay armed now */

	int64_t failing_since;   /* 0: ok */
	char *reason;
	int last_error;
	struct hpersist_stats st;
};

static void start_write(hpersist *p);
static void on_retry(void *data);

static void complete(hpersist *p, int r, bool rotated)
{
	p->st.in_flight = false;
	if (r == 0) {
		p->st.stored++;
		p->gen_stored = p->gen_writing;
		p->st.last_gen = p->gen_stored;
		if (rotated)
			p->st.rotations++;
		p->last_error = 0;
		p->retry_next_ms = p->retry_min_ms;
		if (p->failing_since != 0) {
			qb_log(LOG_NOTICE, "event=store-recovered The CIB is stored in %s again "
			       "(failing since %lld: %s)", p->path, (long long)p->failing_since,
			       p->reason);
			p->failing_since = 0;
			p->reason = ham_free(p->reason);
			if (p->ops.state)
				p->ops.state(p->ud, 0, NULL);
		}
		qb_log(LOG_DEBUG, "Stored the CIB in %s (change %llu%s)", p->path,
		       (unsigned long long)p->gen_stored, rotated ? ", previous configuration kept" : "");
		/* Changes made meanwhile: one write of the latest version. */
		start_write(p);
		return;
	}
	p->st.failed++;
	p->last_error = r;
	free(p->reason);
	p->reason = ham_asprintf("cannot write %s: %s", p->path, ham_strerror(r));
	qb_log(p->failing_since == 0 ? LOG_ERR : LOG_WARNING,
	       "event=store-failed Cannot store the CIB: %s; retrying in %u ms", p->reason,
	       p->retry_next_ms);
	if (p->failing_since == 0)
		p->failing_since = (int64_t)time(NULL);
	if (p->ops.state)
		p->ops.state(p->ud, p->failing_since, p->reason);
	p->retry_armed_ms = p->retry_next_ms;
	p->retry_next_ms = p->retry_next_ms >= p->retry_max_ms / 2 ? p->retry_max_ms
								    : p->retry_next_ms * 2;
	p->retry_armed = true;
	qb_loop_timer_add(p->loop, QB_LOOP_LOW, (uint64_t)p->retry_armed_ms * 1000000ull, p,
			  on_retry, &p->retry_timer);
}

/* The child's record arrived, or its end: reap it and complete. */
static void child_done(hpersist *p)
{
	int st = 0, r;

	qb_loop_poll_del(p->loop, p->fd);
	close(p->fd);
	p->fd = -1;
	while (waitpid(p->child, &st, 0) < 0 && errno == EINTR)
		;
	p->child = 0;
	if (p->rec_got == sizeof(p->rec)) {
		r = p->rec.result;
		if (r > 0)
			r = -EIO;
	} else if (WIFSIGNALED(st)) {
		qb_log(LOG_ERR, "The CIB writer process was killed by signal %d", WTERMSIG(st));
		r = -EINTR;
	} else {
		qb_log(LOG_ERR, "The CIB writer process ended without a result");
		r = -EPIPE;
	}
	complete(p, r, r == 0 && p->rec.rotated);
}

/* Reads what is there of the record; true once complete or at its end. */
static bool read_record(hpersist *p)
{
	ssize_t n = read(p->fd, (char *)&p->rec + p->rec_got, sizeof(p->rec) - p->rec_got);

	if (n < 0)
		return errno != EINTR && errno != EAGAIN;
	if (n == 0)
		return true;
	p->rec_got += (size_t)n;
	return p->rec_got == sizeof(p->rec);
}

static int32_t on_child(int32_t fd, int32_t revents, void *data)
{
	hpersist *p = data;

	(void)fd;
	(void)revents;
	if (read_record(p))
		child_done(p);
	return 0;
}

static void on_retry(void *data)
{
	hpersist *p = data;

	p->retry_armed = false;
	start_write(p);
}

static void run_child(hpersist *p, int fd, const char *buf, size_t len)
{
	struct result_rec rec = { 0 };
	bool rotated = false;
	const char *w = (const char *)&rec;
	size_t left = sizeof(rec);

	/* The write completes even when a stop signal reaches the whole
	 * group: an interrupted write would only cost a retry, but a finished
	 * one is what a clean stop wants. SIGKILL still ends it. */
	signal(SIGTERM, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGHUP, SIG_IGN);
	/* A writer outliving a crashed daemon could rename an old snapshot over
	 * what the restarted one wrote since: it ends with its parent. */
	if (prctl(PR_SET_PDEATHSIG, SIGKILL) < 0 || getppid() != p->parent)
		_exit(1);
	rec.result = ham_cib_store_save_cib(p->path, buf, len, 0, &rotated);
	rec.rotated = rotated;
	while (left > 0) {
		ssize_t n = write(fd, w, left);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		w += n;
		left -= (size_t)n;
	}
	_exit(0);
}

static void start_write(hpersist *p)
{
	char *buf = NULL;
	size_t len = 0;
	int fds[2], r;
	pid_t pid;

	if (p->child > 0 || p->retry_armed || p->gen_stored >= p->gen)
		return;
	p->ops.snapshot(p->ud, &buf, &len);
	/* The snapshot holds every change up to now: never an older one later. */
	p->gen_writing = p->gen;
	p->st.writes++;
	p->st.in_flight = true;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		r = -errno;
		free(buf);
		complete(p, r, false);
		return;
	}
	p->parent = getpid();
	pid = fork();
	if (pid < 0) {
		r = -errno;
		close(fds[0]);
		close(fds[1]);
		free(buf);
		complete(p, r, false);
		return;
	}
	if (pid == 0) {
		close(fds[0]);
		run_child(p, fds[1], buf, len);
	}
	close(fds[1]);
	free(buf);
	p->child = pid;
	p->fd = fds[0];
	p->rec_got = 0;
	memset(&p->rec, 0, sizeof(p->rec));
	qb_loop_poll_add(p->loop, QB_LOOP_MED, p->fd, POLLIN, p, on_child);
}

/*
 * Temporary files of writers killed with an earlier daemon (PATH.tmp.*):
 * none runs any more (they end with their parent), so they are garbage.
 */
static void remove_stale_temps(const char *path)
{
	char *dcopy = ham_strdup(path), *bcopy = ham_strdup(path);
	char *prefix = ham_asprintf("%s.tmp.", basename(bcopy));
	const char *dir = dirname(dcopy);
	struct dirent *e;
	DIR *d = opendir(dir);

	while (d && (e = readdir(d)) != NULL) {
		char *f;

		if (strncmp(e->d_name, prefix, strlen(prefix)) != 0)
			continue;
		f = ham_asprintf("%s/%s", dir, e->d_name);
		if (unlink(f) == 0)
			qb_log(LOG_INFO, "Removed %s, left by an interrupted write", f);
		free(f);
	}
	if (d)
		closedir(d);
	free(prefix);
	free(dcopy);
	free(bcopy);
}

hpersist *hpersist_new(qb_loop_t *loop, const char *path, const struct hpersist_ops *ops,
		       void *ud)
{
	hpersist *p = ham_new0(hpersist);

	p->loop = loop;
	p->path = ham_strdup(path);
	p->ops = *ops;
	p->ud = ud;
	p->fd = -1;
	hpersist_set_retry(p, HPERSIST_RETRY_MIN_MS, HPERSIST_RETRY_MAX_MS);
	remove_stale_temps(path);
	return p;
}

void hpersist_set_retry(hpersist *p, uint32_t min_ms, uint32_t max_ms)
{
	p->retry_min_ms = min_ms ? min_ms : 1;
	p->retry_max_ms = max_ms > p->retry_min_ms ? max_ms : p->retry_min_ms;
	p->retry_next_ms = p->retry_min_ms;
}

uint64_t hpersist_changed(hpersist *p)
{
	p->gen++;
	start_write(p);
	return p->gen;
}

int hpersist_drain(hpersist *p, uint64_t timeout_ms)
{
	uint64_t deadline = ham_now_mono_ms() + timeout_ms;

	while (p->child > 0 || p->gen_stored < p->gen) {
		uint64_t now = ham_now_mono_ms();
		int left = now >= deadline ? 0 : (int)(deadline - now > 60000 ? 60000 : deadline - now);

		if (left == 0)
			return p->last_error < 0 ? p->last_error : -ETIMEDOUT;
		if (p->child > 0) {
			struct pollfd pfd = { .fd = p->fd, .events = POLLIN };

			if (poll(&pfd, 1, left) > 0 && read_record(p))
				child_done(p);
		} else if (p->retry_armed) {
			/* Wait out the retry delay (bounded by the deadline), then retry. */
			qb_loop_timer_del(p->loop, p->retry_timer);
			p->retry_armed = false;
			poll(NULL, 0, (int)p->retry_armed_ms < left ? (int)p->retry_armed_ms : left);
			if (ham_now_mono_ms() < deadline)
				start_write(p);
		} else {
			start_write(p);
		}
	}
	return 0;
}

bool hpersist_state(const hpersist *p, int64_t *ret_since_s, const char **ret_reason)
{
	if (p->failing_since == 0)
		return false;
	if (ret_since_s)
		*ret_since_s = p->failing_since;
	if (ret_reason)
		*ret_reason = p->reason;
	return true;
}

void hpersist_stats(const hpersist *p, struct hpersist_stats *ret)
{
	*ret = p->st;
	ret->in_flight = p->child > 0;
	ret->dirty = p->gen_stored < p->gen;
}

hpersist *hpersist_free(hpersist *p)
{
	if (p == NULL)
		return NULL;
	if (p->child > 0) {
		qb_loop_poll_del(p->loop, p->fd);
		close(p->fd);
		while (waitpid(p->child, NULL, 0) < 0 && errno == EINTR)
			;
	}
	if (p->retry_armed)
		qb_loop_timer_del(p->loop, p->retry_timer);
	free(p->reason);
	free(p->path);
	free(p);
	return NULL;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/peinput.c: the DC's saved scheduler inputs (peinput.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include <qb/qblog.h>

#include <hamgr/common.h>

#include "peinput.h"

struct writer {
	hpeinput *owner;
	pid_t pid;          /* 0: free */
	int fd;             /* the read end: EOF when the child is gone */
	char *name;
};

struct hpeinput {
	qb_loop_t *loop;
	char *dir;
	unsigned long next[HPEINPUT_N_SERIES];
	struct writer w[HPEINPUT_MAX_WRITERS];
	char *last;
	unsigned long skipped; /* inputs not saved since the last one saved */
};

static const struct {
	const char *prefix, *property;
	long dflt;
} series[HPEINPUT_N_SERIES] = {
	[HPEINPUT_INPUT] = { "pe-input", "pe-input-series-max", 4000 },
	[HPEINPUT_WARN] = { "pe-warn", "pe-warn-series-max", 5000 },
	[HPEINPUT_ERROR] = { "pe-error", "pe-error-series-max", -1 },
};

#define SUFFIX ".xml.gz"

const char *hpeinput_property(enum hpeinput_series s, long *ret_default)
{
	if (ret_default)
		*ret_default = series[s].dflt;
	return series[s].property;
}

unsigned long hpeinput_next(const hpeinput *p, enum hpeinput_series s)
{
	return p->next[s];
}

/* "pe-input-12.xml.gz" -> series and number. */
static bool parse_name(const char *name, enum hpeinput_series *ret_s, unsigned long *ret_n)
{
	int s;

	for (s = 0; s < HPEINPUT_N_SERIES; s++) {
		size_t pl = strlen(series[s].prefix), nl = strlen(name), sl = strlen(SUFFIX);
		const char *num = name + pl + 1;
		char *end;

		if (nl <= pl + 1 + sl || strncmp(name, series[s].prefix, pl) != 0 || name[pl] != '-' ||
		    strcmp(name + nl - sl, SUFFIX) != 0 || *num < '0' || *num > '9')
			continue;
		errno = 0;
		*ret_n = strtoul(num, &end, 10);
		if (errno != 0 || end != name + nl - sl)
			continue;
		*ret_s = (enum hpeinput_series)s;
		return true;
	}
	return false;
}

/* Each series continues after its newest file (by time, then number). */
static void scan(hpeinput *p)
{
	struct timespec newest[HPEINPUT_N_SERIES] = { { 0 } };
	bool seen[HPEINPUT_N_SERIES] = { false };
	DIR *d = opendir(p->dir);
	struct dirent *e;

	if (d == NULL)
		return;
	while ((e = readdir(d)) != NULL) {
		enum hpeinput_series s;
		unsigned long n;
		struct stat st;

		if (!parse_name(e->d_name, &s, &n) || fstatat(dirfd(d), e->d_name, &st, 0) < 0)
			continue;
		if (!seen[s] || st.st_mtim.tv_sec > newest[s].tv_sec ||
		    (st.st_mtim.tv_sec == newest[s].tv_sec &&
		     (st.st_mtim.tv_nsec > newest[s].tv_nsec ||
		      (st.st_mtim.tv_nsec == newest[s].tv_nsec && n + 1 > p->next[s])))) {
			seen[s] = true;
			newest[s] = st.st_mtim;
			p->next[s] = n + 1;
		}
	}
	closedir(d);
}

hpeinput *hpeinput_new(qb_loop_t *loop, const char *dir)
{
	hpeinput *p = ham_new0(hpeinput);
	size_t i;

	p->loop = loop;
	p->dir = ham_strdup(dir);
	for (i = 0; i < HPEINPUT_MAX_WRITERS; i++)
		p->w[i].fd = -1;
	if (mkdir(dir, 0750) < 0 && errno != EEXIST)
		qb_log(LOG_WARNING, "Cannot create %s (scheduler inputs will not be saved): %s", dir,
		       strerror(errno));
	scan(p);
	return p;
}

static void reap(struct writer *w, bool log_failure)
{
	int st = 0;

	if (w->fd >= 0) {
		if (w->owner->loop)
			qb_loop_poll_del(w->owner->loop, w->fd);
		close(w->fd);
		w->fd = -1;
	}
	while (waitpid(w->pid, &st, 0) < 0 && errno == EINTR)
		;
	if (log_failure && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		qb_log(LOG_ERR, "event=pe-input-failed Cannot save the scheduler input %s/%s "
		       "(writer %s %d)", w->owner->dir, w->name,
		       WIFSIGNALED(st) ? "killed by signal" : "exit status",
		       WIFSIGNALED(st) ? WTERMSIG(st) : WEXITSTATUS(st));
	w->pid = 0;
	free(w->name);
	w->name = NULL;
}

static int32_t on_writer(int32_t fd, int32_t revents, void *data)
{
	struct writer *w = data;
	char c;

	(void)revents;
	if (read(fd, &c, 1) > 0)
		return 0; /* nothing is written: only the end counts */
	reap(w, true);
	return 0;
}

hpeinput *hpeinput_free(hpeinput *p)
{
	size_t i;

	if (p == NULL)
		return NULL;
	for (i = 0; i < HPEINPUT_MAX_WRITERS; i++)
		if (p->w[i].pid > 0)
			reap(&p->w[i], true);
	free(p->dir);
	free(p->last);
	free(p);
	return NULL;
}

const char *hpeinput_save(hpeinput *p, enum hpeinput_series s, long max, const cibdoc *doc,
			  bool quorate, const char *dc_uuid)
{
	struct writer *w = NULL;
	unsigned long n;
	int fds[2], prio;
	char *path;
	size_t i;

	if (max == 0)
		return NULL;
	for (i = 0; i < HPEINPUT_MAX_WRITERS && w == NULL; i++)
		if (p->w[i].pid == 0)
			w = &p->w[i];
	if (w == NULL) {
		if (p->skipped++ == 0)
			qb_log(LOG_WARNING, "event=pe-input-skipped A scheduler input is not saved: "
			       "%d writers are still busy (a saturated machine or a slow disk)",
			       HPEINPUT_MAX_WRITERS);
		return NULL;
	}
	if (p->skipped > 0)
		qb_log(LOG_NOTICE, "event=pe-input-resumed Saving scheduler inputs again; %lu were "
		       "not saved", p->skipped);
	p->skipped = 0;
	n = p->next[s];
	if (max > 0 && n >= (unsigned long)max)
		n = 0;
	p->next[s] = n + 1;
	if (pipe2(fds, O_CLOEXEC) < 0) {
		qb_log(LOG_ERR, "Cannot save a scheduler input: pipe: %s", strerror(errno));
		return NULL;
	}
	path = ham_asprintf("%s/%s-%lu" SUFFIX, p->dir, series[s].prefix, n);
	w->pid = fork();
	if (w->pid == 0) {
		/* The write completes even when a stop signal reaches the group. */
		signal(SIGTERM, SIG_IGN);
		signal(SIGINT, SIG_IGN);
		signal(SIGHUP, SIG_IGN);
		/* Only what the machine has to spare: the cluster's own work first. */
		prio = nice(19); /* -1: failed, the priority stays as it was */
		(void)prio;
		close(fds[0]);
		_exit(ham_cib_doc_save_input(doc, quorate, dc_uuid, path) < 0 ? 1 : 0);
	}
	close(fds[1]);
	if (w->pid < 0) {
		qb_log(LOG_ERR, "Cannot save the scheduler input %s: fork: %s", path,
		       strerror(errno));
		close(fds[0]);
		w->pid = 0;
		free(path);
		return NULL;
	}
	w->owner = p;
	w->fd = fds[0];
	w->name = ham_asprintf("%s-%lu" SUFFIX, series[s].prefix, n);
	if (p->loop)
		qb_loop_poll_add(p->loop, QB_LOOP_LOW, w->fd, POLLIN, w, on_writer);
	else
		reap(w, true); /* no loop (tests): wait here */
	free(path);
	free(p->last);
	p->last = ham_asprintf("%s-%lu" SUFFIX, series[s].prefix, n);
	return p->last;
}

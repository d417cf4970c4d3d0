/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * Logging on libqb's qb_log: tools print plain messages on stderr, the daemon
 * logs to journald (syslog when libqb lacks journal support) and optionally to
 * a file that SIGHUP reopens.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>

#include <hamgr/common.h>

static int log_verbosity;
static int log_file_target = -1;
static char *log_file_name;

static int priority_for(int verbosity)
{
	if (verbosity >= 2)
		return LOG_DEBUG;
	if (verbosity == 1)
		return LOG_INFO;
	return LOG_NOTICE;
}

static void enable_target(int32_t t, int prio, const char *format)
{
	qb_log_filter_ctl(t, QB_LOG_FILTER_ADD, QB_LOG_FILTER_FILE, "*", prio);
	qb_log_format_set(t, format);
	qb_log_ctl(t, QB_LOG_CONF_ENABLED, QB_TRUE);
}

int ham_log_init(const char *ident, enum ham_log_mode mode, int verbosity,
		 const char *logfile)
{
	const char *env = getenv("HAMGR_DEBUG");
	int prio;

	if (env != NULL && env[0] != '\0' && strcmp(env, "0") != 0)
		verbosity = verbosity < 2 ? 2 : verbosity;
	log_verbosity = verbosity;
	prio = priority_for(verbosity);

	qb_log_init(ident, LOG_DAEMON, LOG_INFO);
	/* qb_log_init enables syslog by default: decide ourselves. */
	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_ENABLED, QB_FALSE);
	qb_log_ctl(QB_LOG_STDERR, QB_LOG_CONF_ENABLED, QB_FALSE);

	if (mode == HAM_LOG_TOOL) {
		/* A tool's messages are for a person: no timestamps or levels. */
		enable_target(QB_LOG_STDERR, prio, "%b");
		return 0;
	}

	qb_log_ctl(QB_LOG_SYSLOG, QB_LOG_CONF_USE_JOURNAL, QB_TRUE);
	enable_target(QB_LOG_SYSLOG, prio, "%b");
	if (getenv("HAMGR_LOG_STDERR") != NULL)
		enable_target(QB_LOG_STDERR, prio, "%t %N[%P] %p: %b");
	if (logfile != NULL && logfile[0] != '\0') {
		log_file_target = qb_log_file_open(logfile);
		if (log_file_target < 0)
			return log_file_target;
		free(log_file_name);
		log_file_name = ham_strdup(logfile);
		/* Milliseconds matter: failover timings are read from these logs. */
		enable_target(log_file_target, prio, "%T %N[%P] %p: %b");
		qb_log_ctl(log_file_target, QB_LOG_CONF_FILE_SYNC, QB_FALSE);
	}
	return 0;
}

int ham_log_reopen(void)
{
	if (log_file_target < 0 || log_file_name == NULL)
		return 0;
	return qb_log_file_reopen(log_file_target, log_file_name);
}

void ham_log_fini(void)
{
	qb_log_fini();
	log_file_target = -1;
	log_file_name = ham_free(log_file_name);
}

int ham_log_verbosity(void)
{
	return log_verbosity;
}

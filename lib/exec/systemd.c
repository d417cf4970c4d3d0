/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/exec: the systemd class. Talks to systemd over sd-bus (the system bus,
 * or a given address such as systemd's private socket), attached to the
 * executor's qb_loop through the bus fd and timeout: StartUnit/StopUnit with
 * mode "replace" then waits for the job's JobRemoved signal; monitor reads
 * LoadState/ActiveState/SubState of the unit. No systemctl.
 */
#include "config.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <systemd/sd-bus.h>

#include "exec_private.h"

#define SD_DEST "org.freedesktop.systemd1"
#define SD_PATH "/org/freedesktop/systemd1"
#define SD_MANAGER "org.freedesktop.systemd1.Manager"
#define SD_UNIT "org.freedesktop.systemd1.Unit"

struct sd_state {
	ham_exec *e;
	sd_bus *bus;
	int fd;
	bool fd_added;
	qb_loop_timer_handle timer;
	bool timer_armed;
	sd_bus_slot *match;
	sd_bus_slot *subscribe;
};

enum { STEP_JOB_CALL = 1, STEP_JOB_WAIT, STEP_LOAD, STEP_LOADSTATE, STEP_ACTIVE, STEP_SUB };

static void sd_update(struct sd_state *sd);

static void sd_process(struct sd_state *sd)
{
	int r;

	do
		r = sd_bus_process(sd->bus, NULL);
	while (r > 0 && sd->bus != NULL);
	if (r < 0)
		qb_log(LOG_WARNING, "systemd bus: %s", strerror(-r));
	sd_update(sd);
}

static int32_t sd_fd_ready(int32_t fd, int32_t revents, void *data)
{
	sd_process(data);
	return 0;
}

static void sd_timer_fire(void *data)
{
	struct sd_state *sd = data;

	sd->timer_armed = false;
	sd_process(sd);
}

static void sd_update(struct sd_state *sd)
{
	int ev;
	uint64_t usec;
	struct timespec ts;
	uint64_t now;

	if (sd->bus == NULL)
		return;
	ev = sd_bus_get_events(sd->bus);
	if (ev < 0)
		ev = POLLIN;
	if (!sd->fd_added) {
		qb_loop_poll_add(sd->e->loop, QB_LOOP_MED, sd->fd, ev, sd, sd_fd_ready);
		sd->fd_added = true;
	} else {
		qb_loop_poll_mod(sd->e->loop, QB_LOOP_MED, sd->fd, ev, sd, sd_fd_ready);
	}
	if (sd->timer_armed) {
		qb_loop_timer_del(sd->e->loop, sd->timer);
		sd->timer_armed = false;
	}
	if (sd_bus_get_timeout(sd->bus, &usec) >= 0 && usec != UINT64_MAX) {
		clock_gettime(CLOCK_MONOTONIC, &ts);
		now = (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
		qb_loop_timer_add(sd->e->loop, QB_LOOP_MED,
				  usec > now ? (usec - now) * QB_TIME_NS_IN_USEC : 0, sd,
				  sd_timer_fire, &sd->timer);
		sd->timer_armed = true;
	}
}

static struct ham_exec_op *op_by_job(ham_exec *e, const char *job)
{
	struct ham_exec_op *o;

	qb_list_for_each_entry(o, &e->ops, node)
		if (o->sd_job != NULL && o->sd_step == STEP_JOB_WAIT && strcmp(o->sd_job, job) == 0)
			return o;
	return NULL;
}

static int job_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct sd_state *sd = userdata;
	struct ham_exec_op *op;
	const char *job, *unit, *result;
	uint32_t id;
	char detail[160];

	if (sd_bus_message_read(m, "uoss", &id, &job, &unit, &result) < 0)
		return 0;
	op = op_by_job(sd->e, job);
	if (op == NULL)
		return 0;
	op->sd_step = 0;
	ham_buf_addf(&op->out.buf, "job %s for %s: %s\n", job, unit, result);
	if (strcmp(result, "done") == 0) {
		exec_finish(op, HAM_EXEC_DONE, HAM_OCF_OK, NULL);
	} else {
		snprintf(detail, sizeof(detail), "systemd job for %s ended '%s'", unit, result);
		exec_finish(op, HAM_EXEC_DONE, HAM_OCF_ERR_GENERIC, detail);
	}
	return 0;
}

static int subscribed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	const sd_bus_error *err = sd_bus_message_get_error(m);

	/* "already subscribed" is fine; anything else means no JobRemoved: say so */
	if (err != NULL && !sd_bus_error_has_name(err, "org.freedesktop.systemd1.AlreadySubscribed"))
		qb_log(LOG_WARNING, "systemd Subscribe: %s", err->message ? err->message : err->name);
	return 0;
}

static int sd_connect(ham_exec *e, char **ret_msg)
{
	struct sd_state *sd;
	sd_bus *bus = NULL;
	int r;

	if (e->sd != NULL)
		return 0;
	if (e->systemd_bus != NULL) {
		if ((r = sd_bus_new(&bus)) < 0)
			goto fail;
		if ((r = sd_bus_set_address(bus, e->systemd_bus)) < 0)
			goto fail;
		/* systemd's private socket speaks D-Bus directly, no bus daemon */
		if (strstr(e->systemd_bus, "/systemd/private") != NULL)
			sd_bus_set_bus_client(bus, 0);
		else
			sd_bus_set_bus_client(bus, 1);
		if ((r = sd_bus_start(bus)) < 0)
			goto fail;
	} else if ((r = sd_bus_open_system(&bus)) < 0) {
		goto fail;
	}
	sd = ham_new0(struct sd_state);
	sd->e = e;
	sd->bus = bus;
	sd->fd = sd_bus_get_fd(bus);
	r = sd_bus_match_signal(bus, &sd->match, NULL, SD_PATH, SD_MANAGER, "JobRemoved",
				job_removed, sd);
	if (r < 0) {
		free(sd);
		goto fail;
	}
	/* Subscribe so that systemd emits job signals to us */
	sd_bus_call_method_async(bus, &sd->subscribe, SD_DEST, SD_PATH, SD_MANAGER, "Subscribe",
				 subscribed, sd, "");
	e->sd = sd;
	sd_update(sd);
	return 0;
fail:
	if (ret_msg)
		*ret_msg = ham_asprintf("cannot connect to systemd at %s: %s",
					e->systemd_bus ? e->systemd_bus : "the system bus",
					strerror(-r));
	sd_bus_flush_close_unref(bus);
	return r;
}

void sd_fini(ham_exec *e)
{
	struct sd_state *sd = e->sd;

	if (sd == NULL)
		return;
	if (sd->fd_added)
		qb_loop_poll_del(e->loop, sd->fd);
	if (sd->timer_armed)
		qb_loop_timer_del(e->loop, sd->timer);
	sd_bus_slot_unref(sd->match);
	sd_bus_slot_unref(sd->subscribe);
	sd_bus_flush_close_unref(sd->bus);
	free(sd);
	e->sd = NULL;
}

void sd_op_abort(struct ham_exec_op *op)
{
	op->sd_slot = sd_bus_slot_unref(op->sd_slot);
	op->sd_step = 0;
}

static char *unit_name(const char *type)
{
	if (strchr(type, '.') != NULL)
		return ham_strdup(type);
	return ham_asprintf("%s.service", type);
}

static bool is_monitor(const struct ham_exec_op *op)
{
	return strcmp(op->action, "monitor") == 0 || strcmp(op->action, "status") == 0;
}

static void fail_bus(struct ham_exec_op *op, const sd_bus_error *err, const char *what)
{
	char *detail = ham_asprintf("%s: %s", what, err && err->message ? err->message : "failed");

	op->sd_slot = sd_bus_slot_unref(op->sd_slot);
	exec_finish(op, HAM_EXEC_ERROR, HAM_OCF_ERR_GENERIC, detail);
	free(detail);
}

static int get_property(struct ham_exec_op *op, const char *name);

static int prop_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ham_exec_op *op = userdata;
	const sd_bus_error *err = sd_bus_message_get_error(m);
	const char *v = NULL;

	op->sd_slot = sd_bus_slot_unref(op->sd_slot);
	if (err != NULL) {
		fail_bus(op, err, "reading unit state");
		return 0;
	}
	if (sd_bus_message_enter_container(m, 'v', "s") < 0 ||
	    sd_bus_message_read(m, "s", &v) < 0) {
		fail_bus(op, NULL, "malformed property reply");
		return 0;
	}
	switch (op->sd_step) {
	case STEP_LOADSTATE:
		ham_buf_addf(&op->out.buf, "LoadState=%s\n", v);
		if (strcmp(v, "not-found") == 0) {
			exec_finish(op, HAM_EXEC_DONE, HAM_OCF_ERR_INSTALLED, "no such unit");
			return 0;
		}
		op->sd_step = STEP_ACTIVE;
		get_property(op, "ActiveState");
		break;
	case STEP_ACTIVE:
		ham_buf_addf(&op->out.buf, "ActiveState=%s\n", v);
		op->sd_step = STEP_SUB;
		get_property(op, "SubState");
		break;
	case STEP_SUB: {
		const char *out = ham_buf_str(&op->out.buf);
		const char *as = strstr(out, "ActiveState=");
		int rc;

		ham_buf_addf(&op->out.buf, "SubState=%s\n", v);
		as = as ? as + strlen("ActiveState=") : "";
		if (strncmp(as, "active\n", 7) == 0 || strncmp(as, "reloading\n", 10) == 0 ||
		    strncmp(as, "activating\n", 11) == 0)
			rc = HAM_OCF_OK;
		else
			rc = HAM_OCF_NOT_RUNNING; /* inactive, deactivating, failed */
		op->sd_step = 0;
		exec_finish(op, HAM_EXEC_DONE, rc, NULL);
		break;
	}
	default:
		break;
	}
	return 0;
}

static int get_property(struct ham_exec_op *op, const char *name)
{
	int r;

	r = sd_bus_call_method_async(op->e->sd->bus, (sd_bus_slot **)&op->sd_slot, SD_DEST,
				     op->sd_unit_path, "org.freedesktop.DBus.Properties", "Get",
				     prop_reply, op, "ss", SD_UNIT, name);
	if (r < 0) {
		char *d = ham_asprintf("Get %s: %s", name, strerror(-r));

		exec_finish(op, HAM_EXEC_ERROR, HAM_OCF_ERR_GENERIC, d);
		free(d);
	}
	return r;
}

static int load_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ham_exec_op *op = userdata;
	const sd_bus_error *err = sd_bus_message_get_error(m);
	const char *path;

	op->sd_slot = sd_bus_slot_unref(op->sd_slot);
	if (err != NULL) {
		fail_bus(op, err, "LoadUnit");
		return 0;
	}
	if (sd_bus_message_read(m, "o", &path) < 0) {
		fail_bus(op, NULL, "malformed LoadUnit reply");
		return 0;
	}
	op->sd_unit_path = ham_strdup(path);
	op->sd_step = STEP_LOADSTATE;
	get_property(op, "LoadState");
	return 0;
}

static int job_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error)
{
	struct ham_exec_op *op = userdata;
	const sd_bus_error *err = sd_bus_message_get_error(m);
	const char *job;

	op->sd_slot = sd_bus_slot_unref(op->sd_slot);
	if (err != NULL) {
		bool stop = strcmp(op->action, "stop") == 0;

		if (sd_bus_error_has_name(err, "org.freedesktop.systemd1.NoSuchUnit") ||
		    sd_bus_error_has_name(err, "org.freedesktop.systemd1.LoadFailed")) {
			if (stop)
				exec_finish(op, HAM_EXEC_DONE, HAM_OCF_OK, NULL);
			else
				exec_finish(op, HAM_EXEC_NOT_INSTALLED, HAM_OCF_ERR_INSTALLED,
					    err->message);
			return 0;
		}
		fail_bus(op, err, stop ? "StopUnit" : "StartUnit");
		return 0;
	}
	if (sd_bus_message_read(m, "o", &job) < 0) {
		fail_bus(op, NULL, "malformed job reply");
		return 0;
	}
	free(op->sd_job);
	op->sd_job = ham_strdup(job);
	op->sd_step = STEP_JOB_WAIT;
	return 0;
}

int sd_op_start(ham_exec *e, struct ham_exec_op *op)
{
	char *msg = NULL, *unit;
	int r;

	if (sd_connect(e, &msg) < 0) {
		exec_finish_later(op, HAM_EXEC_ERROR, HAM_OCF_ERR_GENERIC, msg);
		free(msg);
		return -ENOTCONN;
	}
	unit = unit_name(op->agent.type);
	if (strcmp(op->action, "start") == 0 || strcmp(op->action, "stop") == 0) {
		op->sd_step = STEP_JOB_CALL;
		r = sd_bus_call_method_async(e->sd->bus, (sd_bus_slot **)&op->sd_slot, SD_DEST,
					     SD_PATH, SD_MANAGER,
					     strcmp(op->action, "start") == 0 ? "StartUnit" : "StopUnit",
					     job_reply, op, "ss", unit, "replace");
	} else if (is_monitor(op)) {
		op->sd_step = STEP_LOAD;
		r = sd_bus_call_method_async(e->sd->bus, (sd_bus_slot **)&op->sd_slot, SD_DEST,
					     SD_PATH, SD_MANAGER, "LoadUnit", load_reply, op, "s",
					     unit);
	} else {
		free(unit);
		msg = ham_asprintf("action '%s' is not implemented for systemd units", op->action);
		exec_finish_later(op, HAM_EXEC_DONE, HAM_OCF_ERR_UNIMPLEMENTED, msg);
		free(msg);
		return 0;
	}
	free(unit);
	if (r < 0) {
		msg = ham_asprintf("systemd call: %s", strerror(-r));
		exec_finish_later(op, HAM_EXEC_ERROR, HAM_OCF_ERR_GENERIC, msg);
		free(msg);
		return r;
	}
	sd_update(e->sd);
	return 0;
}

int sd_list_units(ham_exec *e, char ***ret)
{
	sd_bus_error err = SD_BUS_ERROR_NULL;
	sd_bus_message *reply = NULL;
	char **v = NULL;
	size_t n = 0, cap = 0;
	const char *path, *state;
	char *msg = NULL;
	int r;

	if ((r = sd_connect(e, &msg)) < 0) {
		qb_log(LOG_ERR, "%s", msg);
		free(msg);
		return r;
	}
	r = sd_bus_call_method(e->sd->bus, SD_DEST, SD_PATH, SD_MANAGER, "ListUnitFiles", &err,
			       &reply, "");
	if (r < 0) {
		qb_log(LOG_ERR, "ListUnitFiles: %s", err.message ? err.message : strerror(-r));
		sd_bus_error_free(&err);
		return r;
	}
	r = sd_bus_message_enter_container(reply, 'a', "(ss)");
	while (r >= 0 && (r = sd_bus_message_read(reply, "(ss)", &path, &state)) > 0) {
		const char *base = strrchr(path, '/');
		size_t len;

		base = base ? base + 1 : path;
		len = strlen(base);
		if (len < 9 || strcmp(base + len - 8, ".service") != 0 || strchr(base, '@'))
			continue;
		if (n + 2 > cap) {
			cap = cap ? cap * 2 : 64;
			v = ham_reallocarray(v, cap, sizeof(char *));
		}
		v[n++] = ham_asprintf("systemd:%.*s", (int)(len - 8), base);
	}
	sd_bus_message_unref(reply);
	sd_update(e->sd);
	if (r < 0) {
		for (size_t i = 0; i < n; i++)
			free(v[i]);
		free(v);
		return r;
	}
	if (v == NULL)
		v = ham_newa0(char *, 1);
	v[n] = NULL;
	for (size_t i = 1; i < n; i++) /* insertion sort: lists are short */
		for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
			char *t = v[j];

			v[j] = v[j - 1];
			v[j - 1] = t;
		}
	*ret = v;
	return 0;
}

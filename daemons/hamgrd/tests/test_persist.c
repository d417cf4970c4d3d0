/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Unit tests for the CIB writer (persist.h): real forked writers on a real
 * libqb loop, into a temporary directory. */
#include "config.h"

#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include "persist.h"

#define MAX_SNAPS 64

struct fx {
	qb_loop_t *loop;
	char dir[64];
	char path[128];
	hpersist *p;
	int version;             /* what the snapshot holds now */
	int snaps[MAX_SNAPS];    /* the versions handed to writers, in order */
	size_t n_snaps;
	int64_t state_since;     /* last state callback */
	char *state_reason;
	int state_calls;
	bool (*until)(struct fx *);
	bool timed_out;
	qb_loop_timer_handle tick;
	uint64_t stored_before;
};

static const char *doc(int v)
{
	static char buf[256];

	snprintf(buf, sizeof(buf),
		 "<cib admin_epoch=\"0\" epoch=\"1\" num_updates=\"%d\"><configuration/>"
		 "<status/></cib>", v);
	return buf;
}

static void snapshot(void *ud, char **ret_buf, size_t *ret_len)
{
	struct fx *f = ud;

	assert_true(f->n_snaps < MAX_SNAPS);
	f->snaps[f->n_snaps++] = f->version;
	*ret_buf = ham_strdup(doc(f->version));
	*ret_len = strlen(*ret_buf);
}

static void state(void *ud, int64_t since, const char *reason)
{
	struct fx *f = ud;

	f->state_calls++;
	f->state_since = since;
	free(f->state_reason);
	f->state_reason = reason ? ham_strdup(reason) : NULL;
}

static int setup(void **st)
{
	static const struct hpersist_ops ops = { .snapshot = snapshot, .state = state };
	struct fx *f = ham_new0(struct fx);

	strcpy(f->dir, "test_persist.XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/cib.xml", f->dir);
	f->loop = qb_loop_create();
	f->p = hpersist_new(f->loop, f->path, &ops, f);
	*st = f;
	return 0;
}

static int teardown(void **st)
{
	struct fx *f = *st;
	char cmd[128];

	f->p = hpersist_free(f->p);
	qb_loop_destroy(f->loop);
	free(f->state_reason);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
	assert_int_equal(system(cmd), 0);
	free(f);
	return 0;
}

static void on_tick(void *data)
{
	struct fx *f = data;

	if (f->until(f)) {
		qb_loop_stop(f->loop);
		return;
	}
	qb_loop_timer_add(f->loop, QB_LOOP_LOW, 5 * 1000000ull, f, on_tick, &f->tick);
}

static void on_deadline(void *data)
{
	struct fx *f = data;

	f->timed_out = true;
	qb_loop_stop(f->loop);
}

/* Runs the loop until cond holds (checked every 5 ms), at most 30 s. */
static void run_until(struct fx *f, bool (*cond)(struct fx *))
{
	qb_loop_timer_handle dl;

	f->until = cond;
	f->timed_out = false;
	if (cond(f))
		return;
	qb_loop_timer_add(f->loop, QB_LOOP_LOW, 5 * 1000000ull, f, on_tick, &f->tick);
	qb_loop_timer_add(f->loop, QB_LOOP_LOW, 30000 * 1000000ull, f, on_deadline, &dl);
	qb_loop_run(f->loop);
	if (f->timed_out)
		qb_loop_timer_del(f->loop, f->tick);
	else
		qb_loop_timer_del(f->loop, dl);
	assert_false(f->timed_out);
}

static bool idle(struct fx *f)
{
	struct hpersist_stats s;

	hpersist_stats(f->p, &s);
	return !s.in_flight && !s.dirty;
}

static bool stored_more(struct fx *f)
{
	struct hpersist_stats s;

	hpersist_stats(f->p, &s);
	return s.stored > f->stored_before;
}

static bool failed_twice(struct fx *f)
{
	struct hpersist_stats s;

	hpersist_stats(f->p, &s);
	return s.failed >= 2;
}

static void assert_stored(struct fx *f, int v)
{
	ham_cib_diags *d = ham_cib_diags_new();
	char *buf = NULL;
	size_t len;

	assert_int_equal(ham_cib_store_load(f->path, &buf, &len, d), 0);
	assert_string_equal(buf, doc(v));
	free(buf);
	ham_cib_diags_free(d);
}

/* Changes made while a write is in flight coalesce into one next write. */
static void test_batched(void **st)
{
	struct fx *f = *st;
	struct hpersist_stats s;
	uint64_t gen = 0;

	for (f->version = 1; f->version <= 6; f->version++)
		gen = hpersist_changed(f->p);
	f->version--;
	run_until(f, idle);
	hpersist_stats(f->p, &s);
	assert_int_equal(s.writes, 2);
	assert_int_equal(s.stored, 2);
	assert_int_equal(s.last_gen, gen);
	assert_int_equal(f->n_snaps, 2);
	assert_int_equal(f->snaps[0], 1);
	assert_int_equal(f->snaps[1], 6);
	assert_stored(f, 6);
	/* Nothing changed: nothing written. */
	run_until(f, idle);
	hpersist_stats(f->p, &s);
	assert_int_equal(s.writes, 2);
}

/* Bursts overlapping the writes: versions only go up, the last one lands. */
static void test_never_older(void **st)
{
	struct fx *f = *st;
	struct hpersist_stats s;
	size_t i;
	int burst, k;

	f->version = 0;
	for (burst = 0; burst < 5; burst++) {
		for (k = 0; k < 4; k++) {
			f->version++;
			hpersist_changed(f->p);
		}
		/* Only until a write ends: the next burst overlaps the next one. */
		hpersist_stats(f->p, &s);
		f->stored_before = s.stored;
		run_until(f, stored_more);
	}
	run_until(f, idle);
	for (i = 1; i < f->n_snaps; i++)
		assert_true(f->snaps[i] > f->snaps[i - 1]);
	assert_int_equal(f->snaps[f->n_snaps - 1], f->version);
	assert_true(f->n_snaps < 20); /* batched: fewer writes than changes */
	assert_stored(f, f->version);
}

/* A failed write is reported (path and reason), retried, and clears. */
static void test_retry(void **st)
{
	struct fx *f = *st;
	struct hpersist_stats s;
	char sub[96];
	int64_t since;
	const char *why;

	/* A real failure: the directory is not there (yet). */
	snprintf(sub, sizeof(sub), "%s/sub", f->dir);
	f->p = hpersist_free(f->p);
	snprintf(f->path, sizeof(f->path), "%s/cib.xml", sub);
	{
		static const struct hpersist_ops ops = { .snapshot = snapshot, .state = state };

		f->p = hpersist_new(f->loop, f->path, &ops, f);
	}
	hpersist_set_retry(f->p, 20, 80);
	f->version = 7;
	hpersist_changed(f->p);
	run_until(f, failed_twice); /* retried without any new change */
	assert_true(hpersist_state(f->p, &since, &why));
	assert_true(since > 0);
	assert_non_null(strstr(why, f->path));
	assert_non_null(strstr(why, strerror(ENOENT)));
	assert_int_equal(f->state_since, since);
	assert_non_null(f->state_reason);
	/* A newer change while failing: the retry writes the newest. */
	f->version = 8;
	hpersist_changed(f->p);
	assert_int_equal(mkdir(sub, 0700), 0);
	run_until(f, idle);
	assert_false(hpersist_state(f->p, NULL, NULL));
	assert_null(f->state_reason);
	assert_int_equal(f->state_since, 0);
	hpersist_stats(f->p, &s);
	assert_true(s.failed >= 2);
	assert_int_equal(s.stored, 1);
	assert_stored(f, 8);
}

/* The daemon's exit: waits for the write in flight and the pending change. */
static void test_drain(void **st)
{
	struct fx *f = *st;
	struct hpersist_stats s;

	f->version = 1;
	hpersist_changed(f->p);
	f->version = 2;
	hpersist_changed(f->p);
	assert_int_equal(hpersist_drain(f->p, 20000), 0);
	hpersist_stats(f->p, &s);
	assert_false(s.in_flight);
	assert_false(s.dirty);
	assert_stored(f, 2);
	/* A store that keeps failing: the drain gives up at its bound, with the error. */
	{
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", f->dir);
		assert_int_equal(system(cmd), 0);
	}
	hpersist_set_retry(f->p, 20, 40);
	f->version = 3;
	hpersist_changed(f->p);
	assert_int_equal(hpersist_drain(f->p, 300), -ENOENT);
	assert_true(hpersist_state(f->p, NULL, NULL));
	assert_int_equal(mkdir(f->dir, 0700), 0);
	assert_int_equal(hpersist_drain(f->p, 20000), 0);
	assert_stored(f, 3);
}

/* A temporary file of a writer killed with an earlier daemon is removed. */
static void test_stale_temp_removed(void **st)
{
	static const struct hpersist_ops ops = { .snapshot = snapshot, .state = state };
	struct fx *f = *st;
	char tmp[160], other[160];
	struct stat sb;
	FILE *o;

	snprintf(tmp, sizeof(tmp), "%s.tmp.Ab12Cd", f->path);
	snprintf(other, sizeof(other), "%s/other.tmp.Ab12Cd", f->dir);
	o = fopen(tmp, "w");
	assert_non_null(o);
	fclose(o);
	o = fopen(other, "w");
	assert_non_null(o);
	fclose(o);
	f->p = hpersist_free(f->p);
	f->p = hpersist_new(f->loop, f->path, &ops, f);
	assert_int_equal(stat(tmp, &sb), -1);
	assert_int_equal(stat(other, &sb), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_batched, setup, teardown),
		cmocka_unit_test_setup_teardown(test_never_older, setup, teardown),
		cmocka_unit_test_setup_teardown(test_retry, setup, teardown),
		cmocka_unit_test_setup_teardown(test_drain, setup, teardown),
		cmocka_unit_test_setup_teardown(test_stale_temp_removed, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/persist.h: writing the CIB off the main loop. A change
 * marks the copy dirty; the latest version is serialized (on the loop, the
 * snapshot callback) and written by a forked child (temp file, fsync,
 * rename: lib/cib ham_cib_store_save_cib()), whose result comes back on a
 * pipe the loop watches. One write at a time: changes made meanwhile
 * coalesce into one next write of the then latest version, so an older
 * version never lands over a newer one. A failed write is logged, reported
 * (hpersist_state()) and retried with backoff until one succeeds.
 */
#ifndef HAMGRD_PERSIST_H
#define HAMGRD_PERSIST_H

#include <stdbool.h>
#include <stdint.h>

#include <qb/qbloop.h>

typedef struct hpersist hpersist;

struct hpersist_ops {
	/* The text to store, the latest version (*ret_buf malloc'd). */
	void (*snapshot)(void *ud, char **ret_buf, size_t *ret_len);
	/* The store started failing (reason set) or recovered (reason NULL). */
	void (*state)(void *ud, int64_t failing_since_s, const char *reason);
};

struct hpersist_stats {
	uint64_t writes;        /* writes started */
	uint64_t stored;        /* writes that succeeded */
	uint64_t failed;        /* writes that failed */
	uint64_t rotations;     /* successful writes that kept a backup */
	uint64_t last_gen;      /* generation of the last stored snapshot */
	bool in_flight;
	bool dirty;             /* a change is not stored yet */
};

/* Retry delays: the first after min_ms, doubling up to max_ms. */
#define HPERSIST_RETRY_MIN_MS 500u
#define HPERSIST_RETRY_MAX_MS 30000u

/* A new writer for path, on loop. Returns a new object; free with hpersist_free(). */
hpersist *hpersist_new(qb_loop_t *loop, const char *path, const struct hpersist_ops *ops,
		       void *ud);
/* Changes the retry delays (the unit tests use short ones). */
void hpersist_set_retry(hpersist *p, uint32_t min_ms, uint32_t max_ms);
/*
 * The CIB changed: a write of the latest version starts now, or when the
 * write in flight ends (or the retry delay passes). Returns the change's
 * generation: stored once hpersist_stats().last_gen reaches it.
 */
uint64_t hpersist_changed(hpersist *p);
/*
 * Blocks until nothing is in flight or dirty, writing and retrying as
 * needed, for at most timeout_ms (for the daemon's exit). Returns 0, or
 * -ETIMEDOUT / the last write's error when a change is still not stored.
 */
int hpersist_drain(hpersist *p, uint64_t timeout_ms);
/* Since when (wall clock, s) writes fail and why (owned by p); false: ok. */
bool hpersist_state(const hpersist *p, int64_t *ret_since_s, const char **ret_reason);
void hpersist_stats(const hpersist *p, struct hpersist_stats *ret);
/* Ends a write in flight (waits for it), drops what is not stored. NULL ok. */
hpersist *hpersist_free(hpersist *p);

#endif

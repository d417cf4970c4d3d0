/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * daemons/hamgrd/peinput.h: the DC's saved scheduler inputs, as Pacemaker
 * keeps its pe-input files. Every computation that decided something (a
 * transition with actions), and every one that warned or failed, is saved
 * as the complete CIB it computed on (quorum, DC and nodes included:
 * ham_cib_doc_save_input()), gzip-compressed, numbered per series:
 * STATE_DIR/pengine/pe-input-N.xml.gz, pe-warn-N, pe-error-N. The series
 * are bounded by the cluster properties pe-input-series-max (default 4000),
 * pe-warn-series-max (5000) and pe-error-series-max (-1): 0 saves none, -1
 * keeps every one, N numbers 0..N-1 and then starts over, replacing the
 * oldest. `hactl simulate FILE` replays one. Computations that decided
 * nothing are not saved (hamgrd computes on every event, where Pacemaker
 * computes once per transition).
 * The files are written by short-lived forked children (copy-on-write
 * hands them the document; nothing is shared after), at most
 * HPEINPUT_MAX_WRITERS at a time; past that an input is not saved, and the
 * log says so.
 */
#ifndef HAMGRD_PEINPUT_H
#define HAMGRD_PEINPUT_H

#include <stdbool.h>

#include <qb/qbloop.h>

#include "cibdoc.h"

enum hpeinput_series {
	HPEINPUT_INPUT = 0, /* computed without warnings */
	HPEINPUT_WARN,      /* the CIB had warnings */
	HPEINPUT_ERROR,     /* the CIB could not be computed */
	HPEINPUT_N_SERIES
};

#define HPEINPUT_MAX_WRITERS 4

typedef struct hpeinput hpeinput;

/*
 * Saves under dir (created when missing), on loop. Numbers continue from
 * the newest file of each series already there.
 */
hpeinput *hpeinput_new(qb_loop_t *loop, const char *dir);
/* Waits for the writers still running (the daemon's exit). Accepts NULL. */
hpeinput *hpeinput_free(hpeinput *p);
/*
 * Saves doc (with quorate and dc_uuid) in series s, bounded by max (the
 * series' property: -1 unlimited, 0 none). Returns the file's name (owned
 * by p, valid until the next call), or NULL when nothing is saved
 * (max 0, every writer busy, fork failed: logged).
 */
const char *hpeinput_save(hpeinput *p, enum hpeinput_series s, long max, const cibdoc *doc,
			  bool quorate, const char *dc_uuid);
/* The number the next input of series s gets (tests). */
unsigned long hpeinput_next(const hpeinput *p, enum hpeinput_series s);
/* The property that bounds series s, and its default. */
const char *hpeinput_property(enum hpeinput_series s, long *ret_default);

#endif /* HAMGRD_PEINPUT_H */

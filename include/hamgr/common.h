/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * lib/common: what every hamgr module needs and nothing cluster-specific:
 * result codes with their messages, logging on libqb, allocation that aborts
 * on OOM, a growable string buffer, strict number/duration/score parsing and
 * clocks.
 */
#ifndef HAMGR_COMMON_H
#define HAMGR_COMMON_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <qb/qblog.h>

/* ------------------------------------------------------------------ */
/* Result codes                                                        */
/* ------------------------------------------------------------------ */

/*
 * Functions return 0 on success and a negative value on failure: either a
 * negative errno, or the negative of one of these codes. They start above
 * every errno value, so the two never collide.
 */
enum ham_error {
	HAM_E_BASE = 4096,
	HAM_E_XML = HAM_E_BASE, /* not well-formed XML */
	HAM_E_SCHEMA,           /* well-formed, but not valid against the schema */
	HAM_E_CONFIG,           /* valid, but inconsistent (dangling reference, ...) */
	HAM_E_UNSUPPORTED,      /* outside the subset hamgr implements */
	HAM_E_CHECKSUM,         /* a stored file fails its checksum */
	HAM_E_PROTOCOL,         /* a garbled, truncated or unknown message */
	HAM_E_NO_QUORUM,        /* the partition has no quorum */
	HAM_E_AGENT,            /* a resource or fence agent failed */
	HAM_E_USAGE,            /* bad command-line usage */
	HAM_E_NOT_DC,           /* this node is not the coordinator */
	HAM_E_MAX
};

/* A static message for a result code (0, -errno or -HAM_E_*); never NULL. */
const char *ham_strerror(int r);

/*
 * The process exit status for a result code. The one table of exit codes,
 * documented in hactl(8):
 *   0 success, 1 generic error, 2 usage, 3 invalid configuration,
 *   4 not found, 5 permission denied, 6 daemon not reachable,
 *   7 no quorum, 124 timeout.
 */
enum ham_exit {
	HAM_EXIT_OK = 0,
	HAM_EXIT_ERROR = 1,
	HAM_EXIT_USAGE = 2,
	HAM_EXIT_INVALID = 3,
	HAM_EXIT_NOT_FOUND = 4,
	HAM_EXIT_PERMISSION = 5,
	HAM_EXIT_UNREACHABLE = 6,
	HAM_EXIT_NO_QUORUM = 7,
	HAM_EXIT_TIMEOUT = 124,
};
int ham_exit_status(int r);

/* ------------------------------------------------------------------ */
/* Logging                                                             */
/* ------------------------------------------------------------------ */

enum ham_log_mode {
	HAM_LOG_TOOL,   /* command-line tool: plain messages on stderr */
	HAM_LOG_DAEMON, /* daemon: journald/syslog, or a file if one is given */
};

/*
 * Sets up qb_log for this process. verbosity: 0 = notices and worse,
 * 1 = info, 2+ = debug. HAMGR_DEBUG=1 in the environment forces debug.
 * logfile (daemon only) is optional: when set, messages also go there.
 * Returns 0 or a negative errno (a log file that cannot be opened).
 */
int ham_log_init(const char *ident, enum ham_log_mode mode, int verbosity,
		 const char *logfile);
/* Reopens the log file after rotation (SIGHUP). Returns 0 or -errno. */
int ham_log_reopen(void);
/* Flushes and closes every log target. */
void ham_log_fini(void);
/* The verbosity in force (after HAMGR_DEBUG). */
int ham_log_verbosity(void);

/* ------------------------------------------------------------------ */
/* Allocation: internal objects abort on out-of-memory                 */
/* ------------------------------------------------------------------ */

void *ham_malloc(size_t n);
void *ham_calloc(size_t nmemb, size_t size);
void *ham_realloc(void *p, size_t n);
void *ham_reallocarray(void *p, size_t nmemb, size_t size);
char *ham_strdup(const char *s);   /* NULL in, NULL out */
char *ham_strndup(const char *s, size_t n);
char *ham_asprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
#define ham_new0(T) ((T *)ham_calloc(1, sizeof(T)))
#define ham_newa0(T, n) ((T *)ham_calloc((n), sizeof(T)))
#define HAM_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* free() that returns NULL, for `p = ham_free(p);` */
void *ham_free(void *p);

/* ------------------------------------------------------------------ */
/* Growable string buffer                                              */
/* ------------------------------------------------------------------ */

typedef struct ham_buf {
	char *s;    /* always NUL-terminated once anything was added */
	size_t len;
	size_t cap;
} ham_buf;

#define HAM_BUF_INIT { NULL, 0, 0 }
void ham_buf_add(ham_buf *b, const char *s);
void ham_buf_addn(ham_buf *b, const char *s, size_t n);
void ham_buf_addc(ham_buf *b, char c);
void ham_buf_addf(ham_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void ham_buf_vaddf(ham_buf *b, const char *fmt, va_list ap);
/* Appends s as a JSON string literal, quotes included; NULL becomes null. */
void ham_buf_add_json(ham_buf *b, const char *s);
/* Appends s with XML's five special characters escaped (attribute-safe). */
void ham_buf_add_xml(ham_buf *b, const char *s);
/* The content ("" when empty); stays owned by the buffer. */
const char *ham_buf_str(const ham_buf *b);
/* Hands the content to the caller (free() it) and empties the buffer. */
char *ham_buf_steal(ham_buf *b);
void ham_buf_clear(ham_buf *b);
void ham_buf_free(ham_buf *b);

/* ------------------------------------------------------------------ */
/* Strict parsing: 0 on success (output written), -EINVAL / -ERANGE   */
/* ------------------------------------------------------------------ */

int ham_parse_int64(const char *s, int64_t *ret);
int ham_parse_uint32(const char *s, uint32_t *ret);
/* Pacemaker's booleans: true/false, yes/no, on/off, y/n, 1/0 (any case). */
int ham_parse_bool(const char *s, bool *ret);

/*
 * A duration in milliseconds, as Pacemaker reads intervals and timeouts:
 * an integer with an optional unit (ms, msec, us, usec (rounded up to ms),
 * s, sec, m, min, h, hr; none means seconds), or an ISO 8601 duration such as
 * "PT1M30S" (like Pacemaker, hours and seconds are also taken without the
 * 'T': "P10S"). Negative values are rejected.
 */
int ham_parse_duration_ms(const char *s, uint64_t *ret_ms);

/* Scores: integers clamped to +/-INFINITY (1,000,000). */
#define HAM_SCORE_INFINITY 1000000
/*
 * Accepts "INFINITY", "+INFINITY", "-INFINITY" and integers (values beyond
 * +/-INFINITY are clamped). Named health colours are accepted by rules only
 * and not here. Returns 0, or -EINVAL for anything else.
 */
int ham_score_parse(const char *s, int *ret);
/* Score addition with Pacemaker's semantics: -INFINITY wins over +INFINITY. */
int ham_score_add(int a, int b);
/* "INFINITY", "-INFINITY" or the decimal number; buf must hold 16 bytes. */
const char *ham_score_str(int score, char buf[16]);

/* ------------------------------------------------------------------ */
/* Clocks                                                              */
/* ------------------------------------------------------------------ */

uint64_t ham_now_mono_ms(void); /* CLOCK_MONOTONIC */

/* CRC-32C (Castagnoli) of a buffer (cluster messages, the stored CIB). */
uint32_t ham_crc32c(const void *buf, size_t len);
int64_t ham_now_real_s(void);   /* CLOCK_REALTIME, seconds since the epoch */

/* ------------------------------------------------------------------ */
/* Small string helpers                                                */
/* ------------------------------------------------------------------ */

static inline bool ham_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}
bool ham_strcaseeq(const char *a, const char *b);
/* Checks that s is valid UTF-8 (no overlongs, no surrogates). */
bool ham_utf8_valid(const char *s, size_t len);

#endif /* HAMGR_COMMON_H */

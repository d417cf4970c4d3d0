/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Allocation that aborts on OOM, the growable string buffer, clocks. */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <hamgr/common.h>

static void __attribute__((noreturn)) out_of_memory(size_t n)
{
	fprintf(stderr, "hamgr: out of memory allocating %zu bytes\n", n);
	abort();
}

void *ham_malloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		out_of_memory(n);
	return p;
}

void *ham_calloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		out_of_memory(nmemb * size);
	return p;
}

void *ham_realloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		out_of_memory(n);
	return q;
}

void *ham_reallocarray(void *p, size_t nmemb, size_t size)
{
	void *q = reallocarray(p, nmemb ? nmemb : 1, size ? size : 1);

	if (q == NULL)
		out_of_memory(nmemb * size);
	return q;
}

char *ham_strdup(const char *s)
{
	return s == NULL ? NULL : ham_strndup(s, strlen(s));
}

char *ham_strndup(const char *s, size_t n)
{
	char *p;
	size_t len;

	if (s == NULL)
		return NULL;
	len = strnlen(s, n);
	p = ham_malloc(len + 1);
	memcpy(p, s, len);
	p[len] = '\0';
	return p;
}

char *ham_asprintf(const char *fmt, ...)
{
	ham_buf b = HAM_BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	ham_buf_vaddf(&b, fmt, ap);
	va_end(ap);
	if (b.s == NULL)
		return ham_strdup("");
	return ham_buf_steal(&b);
}

void *ham_free(void *p)
{
	free(p);
	return NULL;
}

/* ---- string buffer ---- */

static void buf_reserve(ham_buf *b, size_t extra)
{
	size_t need = b->len + extra + 1;
	size_t cap;

	if (need <= b->cap)
		return;
	cap = b->cap ? b->cap : 64;
	while (cap < need)
		cap *= 2;
	b->s = ham_realloc(b->s, cap);
	b->cap = cap;
}

void ham_buf_addn(ham_buf *b, const char *s, size_t n)
{
	buf_reserve(b, n);
	memcpy(b->s + b->len, s, n);
	b->len += n;
	b->s[b->len] = '\0';
}

void ham_buf_add(ham_buf *b, const char *s)
{
	ham_buf_addn(b, s, strlen(s));
}

void ham_buf_addc(ham_buf *b, char c)
{
	ham_buf_addn(b, &c, 1);
}

void ham_buf_vaddf(ham_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return;
	buf_reserve(b, (size_t)n);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void ham_buf_addf(ham_buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	ham_buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void ham_buf_add_json(ham_buf *b, const char *s)
{
	const unsigned char *p;

	if (s == NULL) {
		ham_buf_add(b, "null");
		return;
	}
	ham_buf_addc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			ham_buf_add(b, "\\\"");
			break;
		case '\\':
			ham_buf_add(b, "\\\\");
			break;
		case '\n':
			ham_buf_add(b, "\\n");
			break;
		case '\r':
			ham_buf_add(b, "\\r");
			break;
		case '\t':
			ham_buf_add(b, "\\t");
			break;
		default:
			if (*p < 0x20)
				ham_buf_addf(b, "\\u%04x", *p);
			else
				ham_buf_addc(b, (char)*p);
		}
	}
	ham_buf_addc(b, '"');
}

void ham_buf_add_xml(ham_buf *b, const char *s)
{
	for (; s != NULL && *s; s++) {
		switch (*s) {
		case '&':
			ham_buf_add(b, "&amp;");
			break;
		case '<':
			ham_buf_add(b, "&lt;");
			break;
		case '>':
			ham_buf_add(b, "&gt;");
			break;
		case '"':
			ham_buf_add(b, "&quot;");
			break;
		case '\'':
			ham_buf_add(b, "&apos;");
			break;
		case '\n':
			ham_buf_add(b, "&#10;");
			break;
		case '\t':
			ham_buf_add(b, "&#9;");
			break;
		case '\r':
			ham_buf_add(b, "&#13;");
			break;
		default:
			ham_buf_addc(b, *s);
		}
	}
}

const char *ham_buf_str(const ham_buf *b)
{
	return b->s != NULL ? b->s : "";
}

char *ham_buf_steal(ham_buf *b)
{
	char *s = b->s != NULL ? b->s : ham_strdup("");

	b->s = NULL;
	b->len = b->cap = 0;
	return s;
}

void ham_buf_clear(ham_buf *b)
{
	b->len = 0;
	if (b->s != NULL)
		b->s[0] = '\0';
}

void ham_buf_free(ham_buf *b)
{
	free(b->s);
	b->s = NULL;
	b->len = b->cap = 0;
}

/* ---- clocks ---- */

uint64_t ham_now_mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

int64_t ham_now_real_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec;
}

/* ---- strings ---- */

bool ham_strcaseeq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcasecmp(a, b) == 0;
}

bool ham_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	while (i < len) {
		unsigned char c = s[i];
		uint32_t cp;
		size_t n, k;

		if (c < 0x80) {
			i++;
			continue;
		} else if ((c & 0xE0) == 0xC0) {
			n = 1;
			cp = c & 0x1F;
		} else if ((c & 0xF0) == 0xE0) {
			n = 2;
			cp = c & 0x0F;
		} else if ((c & 0xF8) == 0xF0) {
			n = 3;
			cp = c & 0x07;
		} else {
			return false;
		}
		if (i + n >= len)
			return false;
		for (k = 1; k <= n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				return false;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if ((n == 1 && cp < 0x80) || (n == 2 && cp < 0x800) ||
		    (n == 3 && cp < 0x10000) || cp > 0x10FFFF ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return false;
		i += n + 1;
	}
	return true;
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The arena that owns a CIB model, and the vectors used while building it. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "cib_private.h"

#define CHUNK_SIZE (64u * 1024)

struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	max_align_t data[];
};

/* n bytes, not zeroed: for callers that write all of them. */
static void *arena_alloc_raw(struct arena *a, size_t n)
{
	struct arena_chunk *c = a->head;
	void *p;

	n = (n + 7u) & ~(size_t)7u;
	if (n == 0)
		n = 8;
	if (c == NULL || c->size - c->used < n) {
		size_t size = n > CHUNK_SIZE / 4 ? n : CHUNK_SIZE;

		c = ham_malloc(sizeof(*c) + size);
		c->size = size;
		c->used = 0;
		a->total += sizeof(*c) + size;
		if (size != CHUNK_SIZE && a->head != NULL) {
			/* A big block goes behind the current chunk so the
			 * current chunk's free space stays usable. */
			c->next = a->head->next;
			a->head->next = c;
		} else {
			c->next = a->head;
			a->head = c;
		}
	}
	p = (char *)c->data + c->used;
	c->used += n;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = arena_alloc_raw(a, n);

	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	char *p;

	if (s == NULL)
		return NULL;
	n = strnlen(s, n);
	p = arena_alloc_raw(a, n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s == NULL ? NULL : arena_strndup(a, s, strlen(s));
}

void *arena_memdup(struct arena *a, const void *p, size_t n)
{
	void *q = n > 0 ? arena_alloc_raw(a, n) : arena_alloc(a, n);

	if (n > 0)
		memcpy(q, p, n);
	return q;
}

void arena_free(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c != NULL) {
		struct arena_chunk *next = c->next;

		free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

void vec_init(struct vec *v, size_t esz)
{
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
	v->esz = esz;
}

void *vec_push(struct vec *v)
{
	void *p;

	if ((v->len + 1) * v->esz > v->cap) {
		v->cap = v->cap ? v->cap * 2 : 8 * v->esz;
		if (v->cap < (v->len + 1) * v->esz)
			v->cap = (v->len + 1) * v->esz;
		v->data = ham_realloc(v->data, v->cap);
	}
	p = v->data + v->len * v->esz;
	memset(p, 0, v->esz);
	v->len++;
	return p;
}

void vec_push_ptr(struct vec *v, const void *p)
{
	const void **slot = vec_push(v);

	*slot = p;
}

void vec_clear(struct vec *v)
{
	v->len = 0;
}

void vec_free(struct vec *v)
{
	v->data = ham_free(v->data);
	v->len = 0;
	v->cap = 0;
}

void *vec_to_arena(struct vec *v, struct arena *a)
{
	void *p;

	if (v->len == 0)
		return NULL;
	p = arena_memdup(a, v->data, v->len * v->esz);
	v->len = 0;
	return p;
}

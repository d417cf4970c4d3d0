/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * bench/cib-event: what one DC event costs before the engine computes, on a
 * saved CIB: the text path the daemon took until now (copy the document,
 * add quorum, DC and nodes, serialize, load the text, build the engine's
 * input) against the model built from the document in memory
 * (ham_cib_doc_to_model_with + ham_policy_input_from_model), and the
 * engine's compute itself. Prints the median and maximum of each over
 * ROUNDS rounds (default 20), in milliseconds.
 *
 *   bench/cib-event FILE [ROUNDS [model]]
 *
 * "model": the model path only (to profile it).
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <hamgr/cib.h>
#include <hamgr/common.h>
#include <hamgr/policy.h>

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static char *slurp(const char *path, size_t *ret_len)
{
	FILE *f = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0, len = 0, n;

	if (f == NULL)
		return NULL;
	do {
		if (len + 65536 > cap)
			buf = ham_realloc(buf, cap = 2 * cap + 65536);
		n = fread(buf + len, 1, cap - len, f);
		len += n;
	} while (n > 0);
	fclose(f);
	*ret_len = len;
	return buf;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(const char *what, double *v, size_t n)
{
	qsort(v, n, sizeof(*v), cmp);
	printf("%-34s median %8.2f ms   max %8.2f ms\n", what, v[n / 2], v[n - 1]);
}

static void die(const char *what, int r, char *err)
{
	fprintf(stderr, "cib-event: %s: %s\n", what, err ? err : ham_strerror(r));
	exit(1);
}

int main(int argc, char **argv)
{
	struct ham_policy_options popts = { .now_s = 1700000000 };
	struct ham_cib_cluster cl = { .quorate = true, .dc_uuid = "1" };
	size_t rounds = argc > 2 ? strtoul(argv[2], NULL, 10) : 20, i, len;
	double *text, *model, *walk, *compute;
	ham_cib_diags *diags = ham_cib_diags_new();
	ham_cib_doc *doc = NULL;
	char *buf = NULL, *err = NULL;
	int r;

	if (argc < 2 || rounds == 0) {
		fprintf(stderr, "usage: cib-event FILE [ROUNDS]\n");
		return 2;
	}
	if ((buf = slurp(argv[1], &len)) == NULL)
		die(argv[1], -errno, NULL);
	if ((r = ham_cib_doc_parse(buf, len, &doc, diags)) < 0)
		die(argv[1], r, ham_cib_diags_message(diags, r));
	free(buf);
	text = calloc(rounds, sizeof(double));
	model = calloc(rounds, sizeof(double));
	walk = calloc(rounds, sizeof(double));
	compute = calloc(rounds, sizeof(double));
	for (i = 0; i < rounds; i++) {
		ham_policy_input *in = NULL;
		ham_transition *t = NULL;
		ham_cib *cib = NULL;
		ham_cib_doc *copy;
		double t0 = now_ms();

		/* before: a copy patched, serialized, loaded as text */
		if (argc > 3 && strcmp(argv[3], "model") == 0)
			goto model_path;
		copy = ham_cib_doc_copy(doc);
		ham_cib_doc_dump_for_policy(copy, cl.quorate, cl.dc_uuid, &buf, &len);
		if ((r = ham_policy_input_load_trusted(buf, len, &in, &err)) < 0)
			die("text path", r, err);
		free(buf);
		ham_cib_doc_free(copy);
		text[i] = now_ms() - t0;
		in = ham_policy_input_free(in);

	model_path:
		/* now: the model of the document in memory */
		t0 = now_ms();
		if ((r = ham_cib_doc_to_model_with(doc, NULL, &cl, &cib, diags)) < 0)
			die("model path", r, ham_cib_diags_message(diags, r));
		walk[i] = now_ms() - t0;
		if ((r = ham_policy_input_from_model(ham_cib_model(cib), &in, &err)) < 0)
			die("model path", r, err);
		ham_cib_free(cib);
		model[i] = now_ms() - t0;

		t0 = now_ms();
		if ((r = ham_policy_compute(in, &popts, &t)) < 0)
			die("compute", r, NULL);
		compute[i] = now_ms() - t0;
		ham_transition_free(t);
		ham_policy_input_free(in);
	}
	printf("%s, %zu rounds\n", argv[1], rounds);
	report("input, text path (before)", text, rounds);
	report("input, model in memory (now)", model, rounds);
	report("  of which the model (lib/cib)", walk, rounds);
	report("compute", compute, rounds);
	free(text);
	free(model);
	free(walk);
	free(compute);
	ham_cib_doc_free(doc);
	ham_cib_diags_free(diags);
	return 0;
}

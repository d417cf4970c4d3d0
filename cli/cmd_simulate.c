/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hactl simulate: runs the policy engine offline on a CIB file and prints the
 * transition like crm_simulate -S, or the normalized JSON of the conformance
 * suite (--json), with optional scores, dot graph and injected events. The
 * CIB is loaded by lib/cib as hactl verify does: an invalid one gets the same
 * diagnostics (on stderr) and the same exit status.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <hamgr/cib.h>
#include <hamgr/policy.h>

#include "hactl.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl simulate [OPTIONS] FILE\n"
		"\n"
		"Computes what the cluster would do for the CIB in FILE ('-' = stdin).\n"
		"A CIB that hactl verify rejects is rejected with the same diagnostics\n"
		"(on stderr) and exit status (3).\n"
		"\n"
		"  -j, --json             print the normalized JSON (actions, final, initial)\n"
		"  -d, --date ISO8601     the time to compute at, for date rules (default:\n"
		"                         the CIB's execution-date, else now; '' = default)\n"
		"  -s, --scores           print the allocation scores\n"
		"  -D, --dot FILE         write the transition graph (graphviz)\n"
		"  -u, --node-up NODE     inject: NODE comes online\n"
		"  -n, --node-down NODE   inject: NODE is lost\n"
		"  -F, --op-fail SPEC     inject a failed operation, SPEC =\n"
		"                         RSC_OP_INTERVALMS@NODE[=RC]\n"
		"  -T, --timing           print load/compute/output times on stderr\n"
		"  -h, --help             this help\n");
}

/*
 * --date: ISO 8601 as the CIB's dates are read (calendar, ordinal YYYY-DDD or
 * week YYYY-Www-D, optional time and zone, a space allowed for the 'T':
 * "2014-05-07 00:28:00", "2005-020T12:30") or epoch seconds.
 */
static int parse_date(const char *s, int64_t *ret)
{
	int64_t v;

	if (ham_parse_int64(s, &v) == 0 && v > 0) {
		*ret = v;
		return 0;
	}
	return ham_cib_time_parse(s, ret);
}

struct event {
	int kind; /* 0 up, 1 down, 2 op fail */
	const char *arg;
};

/*
 * Loads FILE with lib/cib exactly as hactl verify does (same options, same
 * diagnostics, same exit status for an invalid CIB), then builds the
 * engine's input from the model. Returns an exit status.
 */
static int load(struct hactl_ctx *ctx, const char *file, ham_policy_input **ret_in)
{
	/* run, not installed: fencing without a device is a warning here */
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA | HAM_CIB_LOAD_TO_RUN };
	ham_cib_diags *diags = ham_cib_diags_new();
	ham_cib *cib = NULL;
	const char *shown = strcmp(file, "-") == 0 ? "<stdin>" : file;
	char *err = NULL;
	int r, status = HAM_EXIT_OK;

	if (strcmp(file, "-") == 0)
		r = ham_cib_load_fd(STDIN_FILENO, shown, &opts, &cib, diags);
	else
		r = ham_cib_load_file(file, &opts, &cib, diags);
	if (r == -ENOENT || r == -ENOTDIR || r == -EACCES || r == -EISDIR || r == -EIO) {
		hactl_err(ctx, "%s: %s", file, ham_strerror(r));
		status = r == -EACCES ? HAM_EXIT_PERMISSION
			 : r == -EISDIR || r == -EIO ? HAM_EXIT_ERROR : HAM_EXIT_NOT_FOUND;
		goto out;
	}
	if (r < 0 || (ctx->verbose && ham_cib_diags_count(diags) > 0)) {
		ham_buf b = HAM_BUF_INIT;

		ham_cib_diags_text(diags, shown, r, &b);
		fputs(ham_buf_str(&b), stderr);
		ham_buf_free(&b);
	}
	if (r < 0) {
		status = HAM_EXIT_INVALID;
		goto out;
	}
	if (!ctx->verbose) {
		/* the warnings (among them what verify refuses to install but the
		 * engine runs, as crm_simulate does: fencing without a device) */
		ham_buf b = HAM_BUF_INIT;
		size_t i;

		for (i = 0; i < ham_cib_diags_count(diags); i++)
			if (ham_cib_diags_get(diags, i)->severity == HAM_CIB_WARNING)
				ham_cib_diag_text(shown, ham_cib_diags_get(diags, i), &b);
		fputs(ham_buf_str(&b), stderr);
		ham_buf_free(&b);
	}
	r = ham_policy_input_from_model(ham_cib_model(cib), ret_in, &err);
	if (r < 0) {
		fprintf(stderr, "%s: error: %s\n", shown, err ? err : ham_strerror(r));
		status = HAM_EXIT_INVALID;
	}
out:
	free(err);
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return status;
}

int hactl_cmd_simulate(struct hactl_ctx *ctx, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "date", required_argument, NULL, 'd' },
		{ "scores", no_argument, NULL, 's' },
		{ "dot", required_argument, NULL, 'D' },
		{ "node-up", required_argument, NULL, 'u' },
		{ "node-down", required_argument, NULL, 'n' },
		{ "op-fail", required_argument, NULL, 'F' },
		{ "timing", no_argument, NULL, 'T' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	bool json = ctx->output == HACTL_OUTPUT_JSON, scores = false, timing = false;
	uint64_t t0, t1 = 0, t2 = 0;
	const char *date = NULL, *dot = NULL, *file;
	struct event *ev = ham_newa0(struct event, (size_t)argc + 1);
	size_t nev = 0, i;
	ham_policy_input *in = NULL;
	ham_transition *t = NULL;
	struct ham_policy_options po = { 0 };
	ham_buf out = HAM_BUF_INIT;
	int c, r, status = HAM_EXIT_OK;

	optind = 1;
	while ((c = getopt_long(argc, argv, "jd:sD:u:n:F:Th", opts, NULL)) != -1) {
		switch (c) {
		case 'j':
			json = true;
			break;
		case 'd':
			date = optarg;
			break;
		case 's':
			scores = true;
			break;
		case 'D':
			dot = optarg;
			break;
		case 'u':
		case 'n':
		case 'F':
			ev[nev].kind = c == 'u' ? 0 : c == 'n' ? 1 : 2;
			ev[nev++].arg = optarg;
			break;
		case 'T':
			timing = true;
			break;
		case 'h':
			usage(stdout);
			free(ev);
			return HAM_EXIT_OK;
		default:
			free(ev);
			return hactl_usage_error(ctx, "invalid option");
		}
	}
	if (optind != argc - 1) {
		free(ev);
		return hactl_usage_error(ctx, "expected exactly one FILE");
	}
	file = argv[optind];
	if (date && *date) { /* empty: as if not given (score.py's {date}) */
		if (parse_date(date, &po.now_s) < 0) {
			free(ev);
			return hactl_usage_error(ctx, "invalid --date '%s': expected ISO 8601 "
						 "(YYYY-MM-DD[THH:MM[:SS]][zone], YYYY-DDD..., YYYY-Www-D...) or epoch seconds", date);
		}
	}
	t0 = ham_now_mono_ms();
	status = load(ctx, file, &in);
	if (status != HAM_EXIT_OK)
		goto out;
	for (i = 0; i < nev; i++) {
		r = ev[i].kind == 0 ? ham_policy_inject_node_up(in, ev[i].arg)
		  : ev[i].kind == 1 ? ham_policy_inject_node_down(in, ev[i].arg)
				    : ham_policy_inject_op_fail(in, ev[i].arg);
		if (r < 0) {
			hactl_err(ctx, "cannot inject '%s': %s", ev[i].arg,
				  r == -ENOENT ? "no such node or resource" : "invalid specification");
			status = HAM_EXIT_USAGE;
			goto out;
		}
	}
	if (po.now_s == 0)
		po.now_s = ham_policy_input_execution_date(in);
	if (po.now_s == 0)
		po.now_s = ham_now_real_s();
	if (ham_policy_input_unsupported(in) && ctx->verbose)
		fprintf(stderr, "hactl simulate: warning: not modelled: %s\n",
			ham_policy_input_unsupported(in));
	t1 = ham_now_mono_ms();
	r = ham_policy_compute(in, &po, &t);
	t2 = ham_now_mono_ms();
	if (r < 0) {
		hactl_err(ctx, "%s: %s", file, ham_strerror(r));
		status = ham_exit_status(r);
		goto out;
	}
	if (json)
		ham_transition_json(t, &out);
	else
		ham_transition_text(t, &out);
	if (scores)
		ham_transition_scores(t, &out);
	fputs(ham_buf_str(&out), stdout);
	fflush(stdout);
	if (timing)
		fprintf(stderr, "timing: load %.3f s, compute %.3f s, output %.3f s, "
			"actions %zu, edges %zu\n", (double)(t1 - t0) / 1000.0,
			(double)(t2 - t1) / 1000.0, (double)(ham_now_mono_ms() - t2) / 1000.0,
			ham_transition_action_count(t), ham_transition_edge_count(t));
	if (dot) {
		ham_buf d = HAM_BUF_INIT;
		FILE *f = fopen(dot, "we");

		ham_transition_dot(t, &d);
		if (f == NULL || fputs(ham_buf_str(&d), f) < 0 || fclose(f) != 0) {
			hactl_err(ctx, "cannot write %s: %s", dot, strerror(errno));
			status = HAM_EXIT_ERROR;
		}
		ham_buf_free(&d);
	}
out:
	ham_buf_free(&out);
	ham_transition_free(t);
	ham_policy_input_free(in);
	free(ev);
	return status;
}

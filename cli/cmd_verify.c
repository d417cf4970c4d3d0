/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * hactl verify: loads a CIB file offline, validates it against the schema and
 * runs the semantic checks; prints every error and warning with its line and
 * id. Exit 0 if valid (warnings allowed), 3 if not, 4 if the file is missing.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <hamgr/cib.h>

#include "hactl.h"

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl verify [OPTIONS] [FILE|-]\n"
		"\n"
		"Checks the CIB in FILE (default, or '-': standard input) against hamgr's\n"
		"schema and the rules the schema cannot express: unique ids and node\n"
		"names, references, scores, intervals, enumerations, rules, versions.\n"
		"Exit status: 0 valid (warnings allowed), 3 invalid, 4 file not found,\n"
		"2 usage error.\n"
		"\n"
		"  --no-schema            skip the RelaxNG validation (semantic checks only)\n"
		"  --schema-dir DIR       where hamgr.rng is (default: $HAMGR_SCHEMA_DIR,\n"
		"                         else the installed schema)\n"
		"  --max-attr BYTES       the longest attribute value accepted\n"
		"  -h, --help             this help\n");
}

static void json_diag(ham_buf *b, const struct ham_cib_diag *d, bool *first)
{
	ham_buf_add(b, *first ? "\n    {" : ",\n    {");
	*first = false;
	ham_buf_addf(b, "\"line\": %u, \"element\": ", d->line);
	ham_buf_add_json(b, d->element);
	ham_buf_add(b, ", \"id\": ");
	ham_buf_add_json(b, d->id);
	ham_buf_add(b, ", \"message\": ");
	ham_buf_add_json(b, d->message);
	ham_buf_add(b, "}");
}

static void print_json(const char *file, bool valid, const ham_cib_diags *diags,
		       const ham_cib *cib)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i, n = ham_cib_diags_count(diags);
	int pass;

	ham_buf_add(&b, "{\n  \"file\": ");
	ham_buf_add_json(&b, file);
	ham_buf_addf(&b, ",\n  \"valid\": %s", valid ? "true" : "false");
	for (pass = 0; pass < 2; pass++) {
		bool first = true;

		ham_buf_add(&b, pass == 0 ? ",\n  \"errors\": [" : ",\n  \"warnings\": [");
		for (i = 0; i < n; i++) {
			const struct ham_cib_diag *d = ham_cib_diags_get(diags, i);

			if ((pass == 0) == (d->severity == HAM_CIB_ERROR))
				json_diag(&b, d, &first);
		}
		ham_buf_add(&b, first ? "]" : "\n  ]");
	}
	if (cib != NULL) {
		const struct ham_cib_model *m = ham_cib_model(cib);

		ham_buf_addf(&b,
			     ",\n  \"summary\": {\"admin_epoch\": %llu, \"epoch\": %llu, "
			     "\"num_updates\": %llu, \"nodes\": %zu, \"resources\": %zu, "
			     "\"constraints\": %zu, \"node_states\": %zu}",
			     (unsigned long long)m->version.admin_epoch,
			     (unsigned long long)m->version.epoch,
			     (unsigned long long)m->version.num_updates, m->n_nodes,
			     m->n_all_resources,
			     m->n_locations + m->n_colocations + m->n_orders + m->n_tickets,
			     m->n_node_states);
	}
	ham_buf_addf(&b, ",\n  \"error_count\": %zu,\n  \"warning_count\": %zu\n}\n",
		     ham_cib_diags_errors(diags), ham_cib_diags_warnings(diags));
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
}

static void print_xml(const char *file, bool valid, const ham_cib_diags *diags)
{
	ham_buf b = HAM_BUF_INIT;
	size_t i, n = ham_cib_diags_count(diags);

	ham_buf_add(&b, "<verify file=\"");
	ham_buf_add_xml(&b, file);
	ham_buf_addf(&b, "\" valid=\"%s\" errors=\"%zu\" warnings=\"%zu\">\n",
		     valid ? "true" : "false", ham_cib_diags_errors(diags),
		     ham_cib_diags_warnings(diags));
	for (i = 0; i < n; i++) {
		const struct ham_cib_diag *d = ham_cib_diags_get(diags, i);

		ham_buf_addf(&b, "  <%s line=\"%u\"",
			     d->severity == HAM_CIB_ERROR ? "error" : "warning", d->line);
		if (d->element != NULL) {
			ham_buf_add(&b, " element=\"");
			ham_buf_add_xml(&b, d->element);
			ham_buf_add(&b, "\"");
		}
		if (d->id != NULL) {
			ham_buf_add(&b, " id=\"");
			ham_buf_add_xml(&b, d->id);
			ham_buf_add(&b, "\"");
		}
		ham_buf_add(&b, ">");
		ham_buf_add_xml(&b, d->message);
		ham_buf_addf(&b, "</%s>\n", d->severity == HAM_CIB_ERROR ? "error" : "warning");
	}
	ham_buf_add(&b, "</verify>\n");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
}

int hactl_cmd_verify(struct hactl_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "no-schema", no_argument, NULL, 'S' },
		{ "schema-dir", required_argument, NULL, 'D' },
		{ "max-attr", required_argument, NULL, 'A' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct ham_cib_load_opts opts = { .flags = HAM_CIB_LOAD_SCHEMA };
	ham_cib_diags *diags;
	ham_cib *cib = NULL;
	const char *file, *shown;
	int c, r, status;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+h", longopts, NULL)) != -1) {
		switch (c) {
		case 'S':
			opts.flags &= ~HAM_CIB_LOAD_SCHEMA;
			break;
		case 'D':
			opts.schema_dir = optarg;
			break;
		case 'A': {
			int64_t v;

			if (ham_parse_int64(optarg, &v) < 0 || v <= 0)
				return hactl_usage_error(ctx, "invalid --max-attr '%s'", optarg);
			opts.max_attr_bytes = (size_t)v;
			break;
		}
		case 'h':
			usage(stdout);
			return HAM_EXIT_OK;
		default:
			return hactl_usage_error(ctx, "unknown option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind > 1)
		return hactl_usage_error(ctx, "takes at most one FILE");
	if (optind >= argc && isatty(STDIN_FILENO))
		return hactl_usage_error(ctx, "name a FILE, or '-' to read standard input");
	file = optind < argc ? argv[optind] : "-";

	diags = ham_cib_diags_new();
	if (strcmp(file, "-") == 0) {
		shown = "<stdin>";
		r = ham_cib_load_fd(STDIN_FILENO, shown, &opts, &cib, diags);
	} else {
		shown = file;
		r = ham_cib_load_file(file, &opts, &cib, diags);
	}
	if (r == -ENOENT || r == -ENOTDIR) {
		hactl_err(ctx, "%s: %s", file, ham_strerror(r));
		status = HAM_EXIT_NOT_FOUND;
		goto out;
	}
	if (r == -EACCES || r == -EISDIR || r == -EIO) {
		hactl_err(ctx, "%s: %s", file, ham_strerror(r));
		status = r == -EACCES ? HAM_EXIT_PERMISSION : HAM_EXIT_ERROR;
		goto out;
	}
	status = r == 0 ? HAM_EXIT_OK : HAM_EXIT_INVALID;
	if (ctx->output == HACTL_OUTPUT_JSON) {
		print_json(shown, r == 0, diags, cib);
	} else if (ctx->output == HACTL_OUTPUT_XML) {
		print_xml(shown, r == 0, diags);
	} else {
		ham_buf b = HAM_BUF_INIT;

		/* the same text as hactl simulate prints for an invalid CIB */
		ham_cib_diags_text(diags, shown, r, &b);
		fputs(ham_buf_str(&b), stdout);
		ham_buf_free(&b);
	}
out:
	ham_cib_free(cib);
	ham_cib_diags_free(diags);
	return status;
}

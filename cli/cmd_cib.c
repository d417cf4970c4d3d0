/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_cib.c: `hactl cib show` prints the cluster's CIB; `hactl cib push
 * FILE` replaces the configuration through the cluster (checked by the
 * daemon first; a rejected push changes nothing).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "hactl.h"
#include "hactl_ipc.h"
#include "cib_diff.h"
#include "cmd_cib.h"
#include "opstools_args.h"

#define PUSH_TIMEOUT_MS 30000
#define SHOW_TIMEOUT_MS 10000

static void usage(FILE *out)
{
	fprintf(out,
		"Usage: hactl cib show\n"
		"       hactl cib push [--force] FILE|-\n"
		"       hactl cib push --diff-against ORIG FILE\n"
		"\n"
		"show  print the cluster's CIB (configuration and status) as XML\n"
		"push  replace the configuration with FILE's (a <cib> document; '-' reads\n"
		"      stdin). The daemon checks it first; it is applied on every node in\n"
		"      the same order and the command returns once it is applied. Refused\n"
		"      without quorum. FILE names the version it was taken from by its\n"
		"      admin_epoch and epoch: one older than the cluster's is refused, so\n"
		"      that a stale copy does not undo newer changes.\n"
		"      --force  push it even when it is older than the cluster's\n"
		"      --diff-against ORIG  push only what changed from ORIG to FILE (both\n"
		"               <cib> documents, e.g. ORIG from 'cib show' and FILE an edited\n"
		"               copy): elements added, removed or moved and attributes\n"
		"               changed, by id, applied to the cluster's configuration as it\n"
		"               is now, so that changes made since ORIG are kept. Refused\n"
		"               (exit 1, nothing changed) when the cluster changed or\n"
		"               removed an element the difference changes.\n");
}

int hactl_read_input(const struct hactl_ctx *ctx, const char *path, char **ret, size_t *ret_len)
{
	size_t cap = 65536, len = 0, limit = HAM_IPC_MAX_MSG - 64;
	char *buf = ham_malloc(cap);
	int fd = strcmp(path, "-") == 0 ? STDIN_FILENO : open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		hactl_err(ctx, "cannot open %s: %s", path, strerror(errno));
		free(buf);
		return errno == ENOENT ? HAM_EXIT_NOT_FOUND : HAM_EXIT_ERROR;
	}
	for (;;) {
		ssize_t r;

		if (len == cap) {
			cap *= 2;
			buf = ham_realloc(buf, cap);
		}
		r = read(fd, buf + len, cap - len);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			hactl_err(ctx, "cannot read %s: %s", path, strerror(errno));
			goto fail;
		}
		if (r == 0)
			break;
		len += (size_t)r;
		if (len > limit) {
			hactl_err(ctx, "%s is larger than the limit of %zu bytes", path, limit);
			goto fail;
		}
	}
	if (fd != STDIN_FILENO)
		close(fd);
	if (len == 0) {
		hactl_err(ctx, "%s is empty", path);
		free(buf);
		return HAM_EXIT_INVALID;
	}
	*ret = buf;
	*ret_len = len;
	return HAM_EXIT_OK;
fail:
	if (fd != STDIN_FILENO)
		close(fd);
	free(buf);
	return HAM_EXIT_ERROR;
}

int hactl_push_cib(const struct hactl_ctx *ctx, const char *xml, size_t len, bool force)
{
	char *reply = NULL;
	size_t rlen;
	int rc;

	rc = hactl_ipc_call(ctx, force ? HAM_IPC_CIB_REPLACE_FORCE : HAM_IPC_CIB_REPLACE, xml, len,
			    PUSH_TIMEOUT_MS, &reply, &rlen);
	free(reply);
	return rc;
}

/* FILE parsed (a <cib> document). Exit status; *ret_doc to xmlFreeDoc(). */
static int parse_file(const struct hactl_ctx *ctx, const char *path, const char *what,
		      xmlDoc **ret_doc)
{
	char *buf = NULL;
	size_t len;
	xmlDoc *doc;
	int rc = hactl_read_input(ctx, path, &buf, &len);

	if (rc != HAM_EXIT_OK)
		return rc;
	doc = xmlReadMemory(buf, (int)len, path, NULL, XML_PARSE_NONET | XML_PARSE_NOBLANKS |
			    XML_PARSE_NOERROR | XML_PARSE_NOWARNING | XML_PARSE_HUGE);
	free(buf);
	if (doc == NULL || xmlDocGetRootElement(doc) == NULL ||
	    !ham_xml_is(xmlDocGetRootElement(doc), "cib")) {
		hactl_err(ctx, "%s %s is not a <cib> document (not well-formed XML, or another root)",
			  what, path);
		xmlFreeDoc(doc);
		return HAM_EXIT_INVALID;
	}
	*ret_doc = doc;
	return HAM_EXIT_OK;
}

/*
 * push --diff-against ORIG FILE: what changed from ORIG to FILE, applied to
 * the cluster's CIB as it is now, pushed on its version (so a change that
 * comes in between is refused as stale, never overwritten).
 */
static int push_diff(const struct hactl_ctx *ctx, const char *orig_path, const char *path)
{
	xmlDoc *orig = NULL, *file = NULL, *cur = NULL;
	cib_diff *d = NULL;
	char *err = NULL;
	xmlChar *out = NULL;
	int rc = HAM_EXIT_INVALID, olen = 0;
	ham_buf b = HAM_BUF_INIT;

	if (strcmp(orig_path, "-") == 0 && strcmp(path, "-") == 0)
		return hactl_usage_error(ctx, "ORIG and FILE cannot both be standard input");
	rc = parse_file(ctx, orig_path, "ORIG", &orig);
	if (rc != HAM_EXIT_OK)
		goto out;
	rc = parse_file(ctx, path, "FILE", &file);
	if (rc != HAM_EXIT_OK)
		goto out;
	rc = HAM_EXIT_INVALID;
	if (cib_diff_compute(xmlDocGetRootElement(orig), xmlDocGetRootElement(file), &d, &err) < 0) {
		hactl_err(ctx, "%s", err);
		goto out;
	}
	if (cib_diff_count(d) == 0) {
		if (ctx->output == HACTL_OUTPUT_JSON)
			printf("{\"pushed\":false,\"changes\":0}\n");
		else
			printf("No change between %s and %s: nothing pushed.\n", orig_path, path);
		rc = HAM_EXIT_OK;
		goto out;
	}
	rc = hactl_get_cib(ctx, &cur);
	if (rc != HAM_EXIT_OK)
		goto out;
	if (cib_diff_apply(d, xmlDocGetRootElement(cur), &err) < 0) {
		hactl_err(ctx, "conflict with the cluster's CIB, nothing pushed: %s", err);
		rc = HAM_EXIT_ERROR;
		goto out;
	}
	xmlDocDumpMemory(cur, &out, &olen);
	rc = hactl_push_cib(ctx, (const char *)out, (size_t)olen, false);
	if (rc != HAM_EXIT_OK)
		goto out;
	cib_diff_describe(d, &b);
	if (ctx->output == HACTL_OUTPUT_JSON)
		printf("{\"pushed\":true,\"changes\":%zu}\n", cib_diff_count(d));
	else if (ctx->verbose)
		printf("%sApplied %zu change(s).\n", ham_buf_str(&b), cib_diff_count(d));
out:
	ham_buf_free(&b);
	xmlFree(out);
	free(err);
	cib_diff_free(d);
	xmlFreeDoc(orig);
	xmlFreeDoc(file);
	xmlFreeDoc(cur);
	return rc;
}

int hactl_cmd_cib(struct hactl_ctx *ctx, int argc, char **argv)
{
	char *reply = NULL, *input = NULL;
	size_t len, ilen;
	int rc;

	if (argc < 2)
		return hactl_usage_error(ctx, "needs a subcommand: show or push");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0) {
		usage(stdout);
		return HAM_EXIT_OK;
	}
	if (strcmp(argv[1], "show") == 0) {
		if (argc != 2)
			return hactl_usage_error(ctx, "'cib show' takes no arguments");
		rc = hactl_ipc_call(ctx, HAM_IPC_CIB_QUERY, NULL, 0, SHOW_TIMEOUT_MS, &reply, &len);
		if (rc != HAM_EXIT_OK)
			return rc;
		if (ctx->output == HACTL_OUTPUT_JSON) {
			ham_buf b = HAM_BUF_INIT;

			ham_buf_add(&b, "{\"cib\":");
			ham_buf_add_json(&b, reply);
			ham_buf_add(&b, "}\n");
			fputs(ham_buf_str(&b), stdout);
			ham_buf_free(&b);
		} else {
			printf("%s\n", reply);
		}
		free(reply);
		return HAM_EXIT_OK;
	}
	if (strcmp(argv[1], "push") == 0) {
		struct hactl_cib_push_args a;

		if (hactl_cib_push_parse(argc - 1, argv + 1, &a) < 0)
			return hactl_usage_error(ctx, "%s", a.error);
		if (a.diff_against)
			return push_diff(ctx, a.diff_against, a.file);
		rc = hactl_read_input(ctx, a.file, &input, &ilen);
		if (rc != HAM_EXIT_OK)
			return rc;
		rc = hactl_push_cib(ctx, input, ilen, a.force);
		free(input);
		if (rc != HAM_EXIT_OK)
			return rc;
		if (ctx->output == HACTL_OUTPUT_JSON)
			printf("{\"pushed\":true}\n");
		else if (ctx->verbose)
			printf("Configuration applied.\n");
		return HAM_EXIT_OK;
	}
	return hactl_usage_error(ctx, "unknown subcommand '%s': expected show or push", argv[1]);
}

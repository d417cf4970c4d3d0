/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * cli/cmd_fence.c: `hactl stonith fence NODE` (the cluster fences a member:
 * HAM_IPC_STONITH_FENCE, then the result is awaited in the fencing history
 * of the status document), `stonith confirm NODE` (an operator's manual
 * fencing confirmation: HAM_IPC_STONITH_CONFIRM) and `stonith history`.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include <hamgr/xml.h>
#include "hactl.h"
#include "hactl_ipc.h"
#include "cmd_config.h"
#include "opstools_args.h"

#define REQUEST_TIMEOUT_MS 30000
#define CONFIRM_WAIT_MS 30000u
#define POLL_MS 300u

static xmlNode *history_of(xmlDoc *doc)
{
	return ham_xml_child(xmlDocGetRootElement(doc), HAM_ST_FENCINGS);
}

static uint64_t seq_of(const xmlNode *f)
{
	int64_t v = 0;

	return ham_parse_int64(ham_xml_attr(f, "seq", ""), &v) == 0 && v > 0 ? (uint64_t)v : 0;
}

/* The highest seq of the fencing history (0: none). Exit status. */
static int last_seq(const struct hactl_ctx *ctx, uint64_t *ret)
{
	xmlDoc *doc = NULL;
	xmlNode *f;
	int rc = hactl_get_status(ctx, &doc);

	if (rc != HAM_EXIT_OK)
		return rc;
	*ret = 0;
	for (f = ham_xml_child(history_of(doc), HAM_ST_FENCING); f; f = f->next)
		if (ham_xml_is(f, HAM_ST_FENCING) && seq_of(f) > *ret)
			*ret = seq_of(f);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000u, .tv_nsec = (long)(ms % 1000u) * 1000000L };

	while (nanosleep(&ts, &ts) < 0)
		;
}

static void when_str(const xmlNode *f, char *buf, size_t size)
{
	int64_t t = 0;
	time_t tt;
	struct tm tm;

	buf[0] = '\0';
	if (ham_parse_int64(ham_xml_attr(f, "time", ""), &t) < 0)
		return;
	tt = (time_t)t;
	if (localtime_r(&tt, &tm))
		strftime(buf, size, "%Y-%m-%d %H:%M:%S", &tm);
}

static const char *device_of(const xmlNode *f)
{
	return ham_streq(ham_xml_attr(f, "manual", ""), "true") ? "(operator)"
								 : ham_xml_attr(f, "device", "");
}

/*
 * Waits until the history holds a result for node after seq (manual: an
 * operator's confirmation). Returns the exit status to give; prints the
 * outcome.
 */
static int await_result(const struct hactl_ctx *ctx, const char *node, uint64_t after,
			bool manual, uint64_t timeout_ms)
{
	uint64_t deadline = ham_now_mono_ms() + timeout_ms;
	char when[64];

	for (;;) {
		xmlDoc *doc = NULL;
		xmlNode *f;
		int rc = hactl_get_status(ctx, &doc);

		if (rc != HAM_EXIT_OK)
			return rc;
		for (f = ham_xml_child(history_of(doc), HAM_ST_FENCING); f; f = f->next) {
			bool ok;

			if (!ham_xml_is(f, HAM_ST_FENCING) || seq_of(f) <= after ||
			    !ham_streq(ham_xml_attr(f, "target", ""), node) ||
			    ham_streq(ham_xml_attr(f, "manual", ""), "true") != manual)
				continue;
			ok = ham_streq(ham_xml_attr(f, "result", ""), "ok");
			when_str(f, when, sizeof(when));
			if (ctx->output == HACTL_OUTPUT_JSON) {
				ham_buf b = HAM_BUF_INIT;

				ham_buf_add(&b, "{\"target\":");
				ham_buf_add_json(&b, node);
				ham_buf_addf(&b, ",\"result\":\"%s\",\"action\":", ok ? "ok" : "failed");
				ham_buf_add_json(&b, ham_xml_attr(f, "action", ""));
				ham_buf_add(&b, ",\"device\":");
				ham_buf_add_json(&b, device_of(f));
				ham_buf_add(&b, ",\"origin\":");
				ham_buf_add_json(&b, ham_xml_attr(f, "origin", ""));
				ham_buf_add(&b, "}\n");
				fputs(ham_buf_str(&b), stdout);
				ham_buf_free(&b);
			} else if (manual) {
				printf("Node %s confirmed down (a manual fencing, recorded by %s at %s).\n",
				       node, ham_xml_attr(f, "origin", ""), when);
			} else if (ok) {
				printf("Node %s fenced (%s) by device %s, run by %s at %s.\n", node,
				       ham_xml_attr(f, "action", ""), device_of(f),
				       ham_xml_attr(f, "origin", ""), when);
			} else {
				hactl_err(ctx, "fencing %s (%s) with device %s failed%s%s; the cluster "
					  "keeps trying (hactl stonith history %s)", node,
					  ham_xml_attr(f, "action", ""), device_of(f),
					  ham_xml_attr(f, "exit-reason", NULL) ? ": " : "",
					  ham_xml_attr(f, "exit-reason", ""), node);
			}
			xmlFreeDoc(doc);
			return ok ? HAM_EXIT_OK : HAM_EXIT_ERROR;
		}
		xmlFreeDoc(doc);
		if (ham_now_mono_ms() >= deadline) {
			hactl_err(ctx, "no %s of %s recorded within %llums%s", manual ? "confirmation" :
				  "fencing result", node, (unsigned long long)timeout_ms,
				  manual ? "" : " (the request stands: the cluster still fences it)");
			return HAM_EXIT_TIMEOUT;
		}
		sleep_ms(POLL_MS);
	}
}

int hactl_stonith_fence(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct hactl_stonith_op_args a;
	char *reply = NULL;
	size_t len;
	uint64_t seq = 0;
	int rc;

	if (hactl_stonith_fence_parse(argc, argv, &a) < 0)
		return hactl_usage_error(ctx, "%s", a.error);
	rc = last_seq(ctx, &seq);
	if (rc != HAM_EXIT_OK)
		return rc;
	rc = hactl_ipc_call(ctx, HAM_IPC_STONITH_FENCE, a.node, strlen(a.node), REQUEST_TIMEOUT_MS,
			    &reply, &len);
	free(reply);
	if (rc != HAM_EXIT_OK)
		return rc;
	if (ctx->verbose)
		fprintf(stderr, "Fencing of %s requested; waiting for its result.\n", a.node);
	return await_result(ctx, a.node, seq, false, a.timeout_ms);
}

int hactl_stonith_confirm(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct hactl_stonith_op_args a;
	char *reply = NULL;
	size_t len;
	uint64_t seq = 0;
	int rc;

	if (hactl_stonith_confirm_parse(argc, argv, &a) < 0)
		return hactl_usage_error(ctx, "%s", a.error);
	rc = last_seq(ctx, &seq);
	if (rc != HAM_EXIT_OK)
		return rc;
	rc = hactl_ipc_call(ctx, HAM_IPC_STONITH_CONFIRM, a.node, strlen(a.node),
			    REQUEST_TIMEOUT_MS, &reply, &len);
	free(reply);
	if (rc != HAM_EXIT_OK)
		return rc;
	return await_result(ctx, a.node, seq, true, CONFIRM_WAIT_MS);
}

int hactl_stonith_history(struct hactl_ctx *ctx, int argc, char **argv)
{
	struct hactl_stonith_op_args a;
	ham_buf b = HAM_BUF_INIT;
	xmlDoc *doc = NULL;
	xmlNode *f;
	char when[64];
	bool first = true;
	int rc;

	if (hactl_stonith_history_parse(argc, argv, &a) < 0)
		return hactl_usage_error(ctx, "%s", a.error);
	rc = hactl_get_status(ctx, &doc);
	if (rc != HAM_EXIT_OK)
		return rc;
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "{\"fencing_history\":[");
	else if (ctx->output == HACTL_OUTPUT_XML)
		ham_buf_add(&b, "<" HAM_ST_FENCINGS ">\n");
	for (f = ham_xml_child(history_of(doc), HAM_ST_FENCING); f; f = f->next) {
		if (!ham_xml_is(f, HAM_ST_FENCING) ||
		    (a.node && !ham_streq(ham_xml_attr(f, "target", ""), a.node)))
			continue;
		when_str(f, when, sizeof(when));
		if (ctx->output == HACTL_OUTPUT_JSON) {
			int64_t t = 0;

			ham_parse_int64(ham_xml_attr(f, "time", "0"), &t);
			ham_buf_add(&b, first ? "{\"target\":" : ",{\"target\":");
			ham_buf_add_json(&b, ham_xml_attr(f, "target", ""));
			ham_buf_add(&b, ",\"action\":");
			ham_buf_add_json(&b, ham_xml_attr(f, "action", ""));
			ham_buf_add(&b, ",\"result\":");
			ham_buf_add_json(&b, ham_xml_attr(f, "result", ""));
			ham_buf_add(&b, ",\"device\":");
			ham_buf_add_json(&b, ham_xml_attr(f, "device", ""));
			ham_buf_add(&b, ",\"origin\":");
			ham_buf_add_json(&b, ham_xml_attr(f, "origin", ""));
			ham_buf_addf(&b, ",\"time\":%lld,\"manual\":%s,\"exit_reason\":", (long long)t,
				     ham_streq(ham_xml_attr(f, "manual", ""), "true") ? "true" : "false");
			ham_buf_add_json(&b, ham_xml_attr(f, "exit-reason", NULL));
			ham_buf_add(&b, "}");
		} else if (ctx->output == HACTL_OUTPUT_XML) {
			xmlBuffer *x = xmlBufferCreate();

			xmlNodeDump(x, doc, f, 0, 0);
			ham_buf_addf(&b, "  %s\n", (const char *)xmlBufferContent(x));
			xmlBufferFree(x);
		} else {
			if (first)
				ham_buf_addf(&b, "%-19s  %-16s %-8s %-7s %-16s %s\n", "TIME", "TARGET",
					     "ACTION", "RESULT", "DEVICE", "ORIGIN");
			ham_buf_addf(&b, "%-19s  %-16s %-8s %-7s %-16s %s%s%s\n", when,
				     ham_xml_attr(f, "target", ""), ham_xml_attr(f, "action", ""),
				     ham_xml_attr(f, "result", ""), device_of(f),
				     ham_xml_attr(f, "origin", ""),
				     ham_xml_attr(f, "exit-reason", NULL) ? ": " : "",
				     ham_xml_attr(f, "exit-reason", ""));
		}
		first = false;
	}
	if (ctx->output == HACTL_OUTPUT_JSON)
		ham_buf_add(&b, "]}\n");
	else if (ctx->output == HACTL_OUTPUT_XML)
		ham_buf_add(&b, "</" HAM_ST_FENCINGS ">\n");
	else if (first)
		ham_buf_addf(&b, "No fencing of %s recorded since this node's hamgrd started.\n",
			     a.node ? a.node : "any node");
	fputs(ham_buf_str(&b), stdout);
	ham_buf_free(&b);
	xmlFreeDoc(doc);
	return HAM_EXIT_OK;
}

/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/hactl_ipc.c: one request/answer exchange with hamgrd over libqb IPC. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

#include <libxml/parser.h>
#include <libxml/tree.h>
#include <qb/qbipcc.h>

#include <hamgr/common.h>
#include <hamgr/ipc.h>
#include "hactl_ipc.h"

static int call(const struct hactl_ctx *ctx, int32_t request, const void *payload,
		size_t len, int timeout_ms, size_t bufsize, char **ret_reply, size_t *ret_len)
{
	const char *name = getenv(HAM_IPC_NAME_ENV);
	struct qb_ipc_request_header h;
	struct qb_ipc_response_header *rh;
	qb_ipcc_connection_t *c;
	struct iovec iov[2];
	char *buf = NULL;
	ssize_t r;
	int rc, err;

	if (name == NULL || name[0] == '\0')
		name = HAM_IPC_NAME;
	if (len > HAM_IPC_MAX_MSG - sizeof(h)) {
		hactl_err(ctx, "the request is %zu bytes, over the limit of %u", len,
			  (unsigned)(HAM_IPC_MAX_MSG - sizeof(h)));
		return HAM_EXIT_USAGE;
	}
	c = qb_ipcc_connect(name, bufsize);
	if (c == NULL) {
		int e = errno;

		if (e == EACCES || e == EPERM) {
			hactl_err(ctx, "permission denied: hamgrd serves only root and members of "
				  "group '%s'", HAM_IPC_GROUP);
			return HAM_EXIT_PERMISSION;
		}
		hactl_err(ctx, "cannot reach hamgrd on this node (%s): is it running?", strerror(e));
		return HAM_EXIT_UNREACHABLE;
	}
	memset(&h, 0, sizeof(h));
	h.id = request;
	h.size = (int32_t)(sizeof(h) + len);
	iov[0].iov_base = &h;
	iov[0].iov_len = sizeof(h);
	iov[1].iov_base = (void *)payload;
	iov[1].iov_len = len;
	buf = ham_malloc(bufsize + 1);
	r = qb_ipcc_sendv_recv(c, iov, len ? 2 : 1, buf, bufsize, timeout_ms);
	qb_ipcc_disconnect(c);
	if (r < 0) {
		if (r == -ETIMEDOUT || r == -EAGAIN) {
			hactl_err(ctx, "hamgrd did not answer within %d ms", timeout_ms);
			rc = HAM_EXIT_TIMEOUT;
		} else if (r == -EACCES || r == -EPERM) {
			hactl_err(ctx, "permission denied: hamgrd serves only root and members of "
				  "group '%s'", HAM_IPC_GROUP);
			rc = HAM_EXIT_PERMISSION;
		} else {
			hactl_err(ctx, "lost the connection to hamgrd: %s", ham_strerror((int)r));
			rc = HAM_EXIT_UNREACHABLE;
		}
		free(buf);
		return rc;
	}
	rh = (struct qb_ipc_response_header *)buf;
	if ((size_t)r < sizeof(*rh) || rh->size != r || rh->id != request) {
		hactl_err(ctx, "hamgrd sent a malformed answer (%zd bytes)", r);
		free(buf);
		return HAM_EXIT_ERROR;
	}
	err = rh->error;
	if (err == -EMSGSIZE && bufsize < HAM_IPC_MAX_MSG) {
		free(buf);
		return -EMSGSIZE;
	}
	memmove(buf, buf + sizeof(*rh), (size_t)r - sizeof(*rh));
	buf[(size_t)r - sizeof(*rh)] = '\0';
	if (err != 0) {
		rc = ham_exit_status(err);
		hactl_err(ctx, "%s", buf[0] ? buf : ham_strerror(err));
		free(buf);
		return rc == HAM_EXIT_OK ? HAM_EXIT_ERROR : rc;
	}
	*ret_reply = buf;
	*ret_len = (size_t)r - sizeof(*rh);
	return HAM_EXIT_OK;
}

int hactl_ipc_call(const struct hactl_ctx *ctx, int32_t request, const void *payload,
		   size_t len, int timeout_ms, char **ret_reply, size_t *ret_len)
{
	size_t need = sizeof(struct qb_ipc_request_header) + len + 1024;
	int rc;

	/* Small rings first: most answers fit, and they are cheap to set up. */
	if (need <= HAM_IPC_SMALL_MSG) {
		rc = call(ctx, request, payload, len, timeout_ms, HAM_IPC_SMALL_MSG, ret_reply, ret_len);
		if (rc != -EMSGSIZE)
			return rc;
	}
	return call(ctx, request, payload, len, timeout_ms, HAM_IPC_MAX_MSG, ret_reply, ret_len);
}

#define QUERY_TIMEOUT_MS 10000
#define MODIFY_TIMEOUT_MS 30000

static int get_doc(const struct hactl_ctx *ctx, int32_t request, const char *root_name,
		   xmlDoc **ret_doc)
{
	char *reply = NULL;
	size_t len;
	xmlDoc *doc;
	xmlNode *root;
	int rc;

	rc = hactl_ipc_call(ctx, request, NULL, 0, QUERY_TIMEOUT_MS, &reply, &len);
	if (rc != HAM_EXIT_OK)
		return rc;
	doc = len <= INT32_MAX ? xmlReadMemory(reply, (int)len, root_name, NULL,
					       XML_PARSE_NONET | XML_PARSE_NOERROR |
					       XML_PARSE_NOWARNING | XML_PARSE_HUGE)
			       : NULL;
	free(reply);
	root = doc ? xmlDocGetRootElement(doc) : NULL;
	if (root == NULL || xmlStrcmp(root->name, BAD_CAST root_name) != 0) {
		hactl_err(ctx, "hamgrd sent an answer that is not a <%s> document", root_name);
		xmlFreeDoc(doc);
		return HAM_EXIT_ERROR;
	}
	*ret_doc = doc;
	return HAM_EXIT_OK;
}

int hactl_get_status(const struct hactl_ctx *ctx, struct _xmlDoc **ret_doc)
{
	return get_doc(ctx, HAM_IPC_STATUS, HAM_ST_ROOT, ret_doc);
}

int hactl_get_cib(const struct hactl_ctx *ctx, struct _xmlDoc **ret_doc)
{
	return get_doc(ctx, HAM_IPC_CIB_QUERY, "cib", ret_doc);
}

void hactl_edit_add(ham_buf *b, const char *element, ...)
{
	const char *name, *value;
	va_list ap;

	ham_buf_addf(b, "<%s", element);
	va_start(ap, element);
	while ((name = va_arg(ap, const char *)) != NULL) {
		value = va_arg(ap, const char *);
		if (value == NULL)
			continue;
		ham_buf_addf(b, " %s=\"", name);
		ham_buf_add_xml(b, value);
		ham_buf_addc(b, '"');
	}
	va_end(ap);
	ham_buf_add(b, "/>");
}

int hactl_modify(const struct hactl_ctx *ctx, const ham_buf *edits)
{
	ham_buf b = HAM_BUF_INIT;
	char *reply = NULL;
	size_t len;
	int rc;

	ham_buf_add(&b, "<modify>");
	ham_buf_add(&b, ham_buf_str(edits));
	ham_buf_add(&b, "</modify>");
	rc = hactl_ipc_call(ctx, HAM_IPC_CIB_MODIFY, ham_buf_str(&b), b.len, MODIFY_TIMEOUT_MS,
			    &reply, &len);
	free(reply);
	ham_buf_free(&b);
	return rc;
}

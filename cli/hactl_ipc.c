/* SPDX-License-Identifier: GPL-2.0-or-later */
/* cli/hactl_ipc.c: one request/answer exchange with hamgrd over libqb IPC. */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>

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

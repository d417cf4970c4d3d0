/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Result codes: their messages and the one mapping to process exit codes. */
#include "config.h"

#include <errno.h>
#include <string.h>

#include <hamgr/common.h>

static const char *const messages[HAM_E_MAX - HAM_E_BASE] = {
	[HAM_E_XML - HAM_E_BASE] = "Malformed XML",
	[HAM_E_SCHEMA - HAM_E_BASE] = "Does not match the configuration schema",
	[HAM_E_CONFIG - HAM_E_BASE] = "Inconsistent configuration",
	[HAM_E_UNSUPPORTED - HAM_E_BASE] = "Outside the subset hamgr supports",
	[HAM_E_CHECKSUM - HAM_E_BASE] = "Checksum mismatch (corrupted file)",
	[HAM_E_PROTOCOL - HAM_E_BASE] = "Garbled or unknown message",
	[HAM_E_NO_QUORUM - HAM_E_BASE] = "The cluster partition has no quorum",
	[HAM_E_AGENT - HAM_E_BASE] = "Agent failed",
	[HAM_E_USAGE - HAM_E_BASE] = "Invalid usage",
	[HAM_E_NOT_DC - HAM_E_BASE] = "This node is not the coordinator",
};

const char *ham_strerror(int r)
{
	int code = r < 0 ? -r : r;

	if (r == 0)
		return "Success";
	if (code >= HAM_E_BASE && code < HAM_E_MAX)
		return messages[code - HAM_E_BASE];
	if (code < HAM_E_BASE)
		return strerror(code);
	return "Unknown error";
}

int ham_exit_status(int r)
{
	switch (r < 0 ? -r : r) {
	case 0:
		return HAM_EXIT_OK;
	case HAM_E_USAGE:
		return HAM_EXIT_USAGE;
	case HAM_E_XML:
	case HAM_E_SCHEMA:
	case HAM_E_CONFIG:
	case HAM_E_UNSUPPORTED:
	case HAM_E_CHECKSUM:
		return HAM_EXIT_INVALID;
	case ENOENT:
	case ENXIO:
		return HAM_EXIT_NOT_FOUND;
	case EACCES:
	case EPERM:
		return HAM_EXIT_PERMISSION;
	case ECONNREFUSED:
	case ENOTCONN:
	case ENOTSOCK:
		return HAM_EXIT_UNREACHABLE;
	case HAM_E_NO_QUORUM:
		return HAM_EXIT_NO_QUORUM;
	case ETIMEDOUT:
	case ETIME:
		return HAM_EXIT_TIMEOUT;
	default:
		return HAM_EXIT_ERROR;
	}
}

/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * The OCF result codes, defined once: lib/exec maps every agent class onto
 * them, the CIB records them (rc-code), the policy engine reads them.
 */
#ifndef HAMGR_OCF_H
#define HAMGR_OCF_H

/* OCF 1.1 result codes. Other classes are mapped onto these. */
enum ham_ocf_rc {
	HAM_OCF_OK = 0,
	HAM_OCF_ERR_GENERIC = 1,
	HAM_OCF_ERR_ARGS = 2,
	HAM_OCF_ERR_UNIMPLEMENTED = 3,
	HAM_OCF_ERR_PERM = 4,
	HAM_OCF_ERR_INSTALLED = 5,
	HAM_OCF_ERR_CONFIGURED = 6,
	HAM_OCF_NOT_RUNNING = 7,
	HAM_OCF_RUNNING_PROMOTED = 8,
	HAM_OCF_FAILED_PROMOTED = 9,
	HAM_OCF_DEGRADED = 190,
	HAM_OCF_DEGRADED_PROMOTED = 191,
};

#endif

# SPDX-License-Identifier: GPL-2.0-or-later
# cts/lib/exec-common.sh: small helpers for the executor's scenarios
# (exec-agents, mariadb-agent, systemd-units, fence-netns). Source it.

fail() { echo "FAIL: $*" >&2; exit 1; }
skip() { echo "SKIP: $*" >&2; exit 77; }

need_root() { [ "$(id -u)" = 0 ] || fail "this scenario needs root"; }

# need_cmd CMD...: fails naming the missing command
need_cmd() {
	local c
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || fail "missing command '$c' (install its package)"
	done
}

# wait_for TICKS CMD...: runs CMD every 0.1 s until it succeeds, at most TICKS times
wait_for() {
	local n=$1 i
	shift
	for ((i = 0; i < n; i++)); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	return 1
}

# check_rc WHAT WANT GOT
check_rc() {
	if [ "$3" != "$2" ]; then
		fail "$1: exit status $3, expected $2"
	fi
	echo "ok: $1 -> $3"
}

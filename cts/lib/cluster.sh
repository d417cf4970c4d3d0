# SPDX-License-Identifier: GPL-2.0-or-later
# cts/lib/cluster.sh: a cluster of N nodes on this machine, for scenarios
# and the demo. Source it, then:
#   cts_init NAME N            work dir, authkey, corosync.conf per node, bridge
#   cts_start_all | cts_node_boot I; cts_corosync_start I; cts_hamgrd_start I
#   cts_wait_formed SECS [IDS...]   until the listed nodes agree (quorate, one DC, one CIB)
#   cts_hactl I ARGS...        hactl inside node I
#   cts_node_kill I            kill -9 everything on node I (its PID 1): a crash
#   cts_hamgrd_stop I / cts_corosync_stop I   orderly stops (SIGTERM, wait)
#   cts_cut I / cts_heal I     take node I's link off / back on the bridge
#   cts_pass / cts_fail MSG    end the scenario
#   cts_public_dir NAME        a directory unprivileged users (mysql) can reach
# Every node: its own network, mount (own /run, /dev/shm), UTS and PID
# namespace, held by one PID 1; a veth to a bridge that lives in a namespace
# of its own; addresses in 10.231.0.0/24, which exist only inside these
# namespaces; no default route. Everything is torn down on exit, by pid,
# pass or fail. Needs root, corosync, iproute2, util-linux (unshare, nsenter).
# Settings (environment): HAM_CTS_TOKEN (ms, default 1000),
# HAM_CTS_TOKEN_COEFFICIENT (default: corosync's), HAM_CTS_KEEP=1 (keep the
# work dir), HAM_CTS_WORKDIR (parent of work dirs; default $HAM_BUILDDIR/cts-work).

CTS_NET=10.231.0
cts_nodes=()          # node numbers
declare -A cts_pid1   # node -> host pid of its PID 1
declare -A cts_holder # node -> pid of the unshare process holding it
declare -A cts_coro   # node -> pid of the nsenter running corosync
declare -A cts_hamgrd # node -> pid of the nsenter running hamgrd
cts_bridge_pid=
cts_dir=
cts_name=
cts_n=0
cts_done=0

cts_log() { printf '%s cts[%s]: %s\n' "$(date +%H:%M:%S.%3N)" "$cts_name" "$*" >&2; }

# Process state from /proc (a zombie is not alive; kill -0 would say it is).
cts_alive() {
	local st
	[ -n "$1" ] && [ -r "/proc/$1/stat" ] || return 1
	st=$(sed 's/^.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f1)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

# Waits for a pid we started to end (reaps it when it is our child).
cts_wait_gone() {
	local pid=$1 secs=${2:-10} i
	for ((i = 0; i < secs * 20; i++)); do
		cts_alive "$pid" || { wait "$pid" 2>/dev/null; return 0; }
		sleep 0.05
	done
	return 1
}

cts_require() {
	local t
	[ "$(id -u)" = 0 ] || { echo "cts: scenarios need root (network namespaces)" >&2; exit 2; }
	for t in corosync unshare nsenter ip hamgrd hactl; do
		command -v "$t" >/dev/null || { echo "cts: '$t' not found (PATH=$PATH)" >&2; exit 2; }
	done
}

# cts_init NAME N: prepares N nodes (not started).
cts_init() {
	local i
	cts_name=$1
	cts_n=$2
	cts_require
	local parent=${HAM_CTS_WORKDIR:-${HAM_BUILDDIR:-.}/cts-work}
	mkdir -p "$parent"
	cts_dir=$(mktemp -d "$parent/$cts_name.XXXXXX") || exit 2
	trap cts_teardown EXIT
	trap 'cts_log "interrupted"; exit 130' INT TERM
	# The cluster's key, fresh per run.
	head -c 256 /dev/urandom > "$cts_dir/authkey"
	chmod 400 "$cts_dir/authkey"
	for ((i = 1; i <= cts_n; i++)); do
		cts_nodes+=("$i")
		mkdir -p "$cts_dir/node$i/state" "$cts_dir/node$i/corosync"
		cts_write_corosync_conf "$i"
	done
	# The bridge lives in a namespace of its own: the host's network is untouched.
	unshare --net --kill-child -- sleep infinity 2>>"$cts_dir/bridge.err" &
	cts_bridge_pid=$!
	cts_wait_ns "$cts_bridge_pid" || cts_fail "bridge namespace did not come up"
	nsenter -t "$cts_bridge_pid" -n -- ip link add br0 type bridge || cts_fail "cannot create bridge"
	nsenter -t "$cts_bridge_pid" -n -- ip link set br0 up
	nsenter -t "$cts_bridge_pid" -n -- ip link set lo up
	cts_log "work dir $cts_dir, $cts_n nodes, token ${HAM_CTS_TOKEN:-1000} ms"
}

# Waits until a process has its own network namespace (after unshare).
cts_wait_ns() {
	local pid=$1 i
	for ((i = 0; i < 100; i++)); do
		[ "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" != "$(readlink /proc/self/ns/net)" ] &&
			[ -n "$(readlink "/proc/$pid/ns/net" 2>/dev/null)" ] && return 0
		sleep 0.02
	done
	return 1
}

cts_write_corosync_conf() {
	local i=$1 j coef=
	[ -n "${HAM_CTS_TOKEN_COEFFICIENT:-}" ] && coef="	token_coefficient: $HAM_CTS_TOKEN_COEFFICIENT"
	{
		echo "totem {"
		echo "	version: 2"
		echo "	cluster_name: ${HAM_CTS_CLUSTER_NAME:-hamcts}"
		echo "	transport: knet"
		echo "	token: ${HAM_CTS_TOKEN:-1000}"
		[ -n "$coef" ] && echo "$coef"
		echo "	crypto_cipher: aes256"
		echo "	crypto_hash: sha256"
		echo "	keyfile: $cts_dir/authkey"
		echo "}"
		echo "nodelist {"
		for ((j = 1; j <= cts_n; j++)); do
			echo "	node {"
			echo "		ring0_addr: $CTS_NET.$((10 + j))"
			echo "		name: node$j"
			echo "		nodeid: $j"
			echo "	}"
		done
		echo "}"
		echo "quorum {"
		echo "	provider: corosync_votequorum"
		[ "$cts_n" = 2 ] && echo "	two_node: 1"
		echo "}"
		echo "logging {"
		echo "	to_logfile: yes"
		echo "	logfile: $cts_dir/node$i/corosync.log"
		echo "	to_syslog: no"
		echo "	to_stderr: no"
		echo "	timestamp: hires"
		echo "}"
		echo "system {"
		echo "	state_dir: $cts_dir/node$i/corosync"
		echo "}"
	} > "$cts_dir/node$i/corosync.conf"
}

# cts_node_boot I: the node's PID 1 with its namespaces, /run, /dev/shm, link.
cts_node_boot() {
	local i=$1 holder init= k
	unshare --net --mount --uts --pid --fork --kill-child --mount-proc --propagation private -- \
		bash -c 'mount -t tmpfs -o mode=0755 tmpfs /run && mount -t tmpfs tmpfs /dev/shm &&
			 hostname "$0" && ip link set lo up || exit 1
			 trap "" TERM HUP INT
			 # PID 1: reaps every orphan of the node.
			 while :; do sleep 3600 & wait $!; done' "node$i" 2>>"$cts_dir/node$i/pid1.err" &
	holder=$!
	for ((k = 0; k < 200; k++)); do
		init=$(cat "/proc/$holder/task/$holder/children" 2>/dev/null | awk '{print $1}')
		[ -n "$init" ] && [ "$(readlink "/proc/$init/ns/pid")" != "$(readlink /proc/self/ns/pid)" ] &&
			[ "$(nsenter -t "$init" -u hostname 2>/dev/null)" = "node$i" ] && break
		init=
		sleep 0.02
	done
	[ -n "$init" ] || cts_fail "node$i did not boot"
	cts_holder[$i]=$holder
	cts_pid1[$i]=$init
	# Its link: a veth whose peer is port vI of the bridge. The kernel
	# dismantles a dead node's network namespace, and its veth with it, a
	# while after its last process (more than a second on a busy machine):
	# the old port may still be there (chaos seed 3258928522: a node fenced
	# while cut off, booted again at once); it is the dead node's, removed.
	for ((k = 0; k < 50; k++)); do
		nsenter -t "$cts_bridge_pid" -n -- ip link show "v$i" >/dev/null 2>&1 || break
		[ "$k" = 49 ] && nsenter -t "$cts_bridge_pid" -n -- ip link del "v$i" 2>/dev/null
		sleep 0.1
	done
	nsenter -t "$cts_bridge_pid" -n -- ip link add "v$i" type veth peer name eth0 netns "$init" ||
		cts_fail "cannot create node$i's link"
	nsenter -t "$cts_bridge_pid" -n -- ip link set "v$i" master br0 up
	nsenter -t "$init" -n -- ip addr add "$CTS_NET.$((10 + i))/24" dev eth0
	nsenter -t "$init" -n -- ip link set eth0 up
	cts_log "node$i booted (pid 1 = host pid $init)"
}

cts_node_exec() {
	local i=$1
	shift
	nsenter -t "${cts_pid1[$i]}" -n -m -u -p -- "$@"
}

cts_hactl() {
	local i=$1
	shift
	nsenter -t "${cts_pid1[$i]}" -n -m -u -p -- hactl "$@"
}

cts_corosync_start() {
	local i=$1
	nsenter -t "${cts_pid1[$i]}" -n -m -u -p -- \
		corosync -f -c "$cts_dir/node$i/corosync.conf" > "$cts_dir/node$i/corosync.out" 2>&1 &
	cts_coro[$i]=$!
}

cts_hamgrd_start() {
	local i=$1
	nsenter -t "${cts_pid1[$i]}" -n -m -u -p -- \
		hamgrd -s "$cts_dir/node$i/state" -l "$cts_dir/node$i/hamgrd.log" ${HAM_CTS_HAMGRD_ARGS:-} \
		> "$cts_dir/node$i/hamgrd.out" 2>&1 &
	cts_hamgrd[$i]=$!
	# Serving once hactl gets an answer (30 s: sanitizer builds are slow;
	# HAM_CTS_START_S for a scenario whose stored CIB takes long to load).
	local end=$(( $(date +%s) + ${HAM_CTS_START_S:-30} ))
	while [ "$(date +%s)" -le "$end" ]; do
		cts_hactl "$i" status >/dev/null 2>&1 && return 0
		cts_alive "${cts_hamgrd[$i]}" || cts_fail "hamgrd on node$i exited: $(tail -3 "$cts_dir/node$i/hamgrd.out" 2>/dev/null)"
		sleep 0.05
	done
	cts_fail "hamgrd on node$i does not answer"
}

cts_node_start() {
	cts_node_boot "$1"
	cts_corosync_start "$1"
	cts_hamgrd_start "$1"
}

cts_start_all() {
	local i
	for i in "${cts_nodes[@]}"; do cts_node_boot "$i"; done
	for i in "${cts_nodes[@]}"; do cts_corosync_start "$i"; done
	for i in "${cts_nodes[@]}"; do cts_hamgrd_start "$i"; done
}

# The host pid of the process an nsenter started (its only child).
cts_child_of() {
	cat "/proc/$1/task/$1/children" 2>/dev/null | awk '{print $1}'
}

# Orderly stops: SIGTERM to the process itself, then wait.
cts_hamgrd_stop() {
	local i=$1 p rc k
	p=$(cts_child_of "${cts_hamgrd[$i]}")
	[ -n "$p" ] && kill -TERM "$p"
	for ((k = 0; k < 400; k++)); do
		cts_alive "${cts_hamgrd[$i]}" || break
		sleep 0.05
	done
	cts_alive "${cts_hamgrd[$i]}" && cts_fail "hamgrd on node$i did not stop"
	wait "${cts_hamgrd[$i]}"
	rc=$?
	cts_hamgrd[$i]=
	# An orderly stop exits 0 (and a sanitizer build finds no leak).
	[ $rc = 0 ] || cts_fail "hamgrd on node$i exited $rc on SIGTERM: $(tail -5 "$cts_dir/node$i/hamgrd.out")"
}

cts_corosync_stop() {
	local i=$1 p
	p=$(cts_child_of "${cts_coro[$i]}")
	[ -n "$p" ] && kill -TERM "$p"
	cts_wait_gone "${cts_coro[$i]}" 30 || cts_fail "corosync on node$i did not stop"
	cts_coro[$i]=
}

# A crash: kill -9 the node's PID 1; the kernel kills everything in it, and
# its network namespace (addresses, link) goes with it.
cts_node_kill() {
	local i=$1
	kill -KILL "${cts_pid1[$i]}" 2>/dev/null
	cts_wait_gone "${cts_holder[$i]}" 10 || cts_fail "node$i did not die"
	[ -n "${cts_coro[$i]:-}" ] && cts_wait_gone "${cts_coro[$i]}" 5
	[ -n "${cts_hamgrd[$i]:-}" ] && cts_wait_gone "${cts_hamgrd[$i]}" 5
	cts_pid1[$i]=
	cts_holder[$i]=
	cts_coro[$i]=
	cts_hamgrd[$i]=
}

# Whole-node shutdown in order: hamgrd, corosync, then the namespaces.
cts_node_shutdown() {
	local i=$1
	[ -n "${cts_hamgrd[$i]:-}" ] && cts_hamgrd_stop "$i"
	[ -n "${cts_coro[$i]:-}" ] && cts_corosync_stop "$i"
	cts_node_kill "$i"
}

cts_cut() { nsenter -t "$cts_bridge_pid" -n -- ip link set "v$1" down; cts_log "node$1 cut off"; }
cts_heal() { nsenter -t "$cts_bridge_pid" -n -- ip link set "v$1" up; cts_log "node$1 reconnected"; }

# A field of hactl's JSON status (top-level scalars only).
cts_json() { grep -o "\"$2\":[^,}]*" <<<"$1" | head -1 | cut -d: -f2- | tr -d '"'; }
# One node's entry: "name":"nodeJ","id":J,"online":...
cts_json_node_online() { grep -o "\"name\":\"node$2\",\"id\":$2,\"online\":[a-z]*" <<<"$1" | sed 's/.*://'; }
cts_json_cib() { grep -o '"cib":{[^}]*}' <<<"$1" | sed 's/"cib"://'; }

cts_status() { cts_hactl "$1" -o json status 2>/dev/null; }

# cts_wait_formed SECS IDS...: every listed node is quorate, sees exactly the
# listed nodes online, and all agree on the DC and the CIB version.
cts_wait_formed() {
	local secs=$1 end
	shift
	local ids=("$@") i j s dc cib ok
	end=$(( $(date +%s) + secs ))
	while [ "$(date +%s)" -le "$end" ]; do
		ok=1 dc= cib=
		for i in "${ids[@]}"; do
			s=$(cts_status "$i") || { ok=0; break; }
			[ "$(cts_json "$s" quorate)" = true ] || { ok=0; break; }
			[ "$(cts_json "$s" joined)" = true ] || { ok=0; break; }
			grep -q '"syncing":true' <<<"$s" && { ok=0; break; }
			for j in "${ids[@]}"; do
				[ "$(cts_json_node_online "$s" "$j")" = true ] || { ok=0; break 2; }
			done
			if [ -z "$dc" ]; then dc=$(cts_json "$s" dc); cib=$(cts_json_cib "$s"); fi
			[ "$(cts_json "$s" dc)" = "$dc" ] && [ "$(cts_json_cib "$s")" = "$cib" ] || { ok=0; break; }
		done
		if [ $ok = 1 ] && [ -n "$dc" ] && [ "$dc" != null ]; then
			cts_log "formed: nodes ${ids[*]}, DC $dc, cib $cib"
			return 0
		fi
		sleep 0.2
	done
	cts_log "not formed after ${secs}s; last status of node ${i:-?}: ${s:-none}"
	return 1
}

cts_fail() {
	cts_log "FAIL: $*"
	exit 1
}

cts_pass() {
	cts_log "PASS"
	cts_done=1
	exit 0
}

cts_teardown() {
	local rc=$? i
	trap - EXIT INT TERM
	for i in "${cts_nodes[@]}"; do
		[ -n "${cts_pid1[$i]:-}" ] && kill -KILL "${cts_pid1[$i]}" 2>/dev/null
	done
	for i in "${cts_nodes[@]}"; do
		[ -n "${cts_holder[$i]:-}" ] && { cts_wait_gone "${cts_holder[$i]}" 10 || kill -KILL "${cts_holder[$i]}" 2>/dev/null; }
		[ -n "${cts_coro[$i]:-}" ] && cts_wait_gone "${cts_coro[$i]}" 5
		[ -n "${cts_hamgrd[$i]:-}" ] && cts_wait_gone "${cts_hamgrd[$i]}" 5
	done
	if [ -n "$cts_bridge_pid" ]; then
		kill -KILL "$cts_bridge_pid" 2>/dev/null
		cts_wait_gone "$cts_bridge_pid" 5
	fi
	if [ -n "$cts_dir" ]; then
		# Sanitizer reports from any daemon fail the scenario.
		if grep -l -E 'ERROR: (Address|Leak|UndefinedBehavior)Sanitizer|runtime error:' \
			"$cts_dir"/node*/hamgrd.out 2>/dev/null; then
			cts_log "FAIL: sanitizer reports (above files)"
			rc=1
		fi
		if [ "$rc" != 0 ]; then
			for i in "${cts_nodes[@]}"; do
				echo "--- node$i hamgrd.log (last 15 lines)" >&2
				tail -15 "$cts_dir/node$i/hamgrd.log" >&2 2>/dev/null
			done
			cts_log "logs kept in $cts_dir"
		elif [ "${HAM_CTS_KEEP:-0}" = 1 ]; then
			cts_log "work dir kept: $cts_dir"
		else
			rm -rf "$cts_dir" "${cts_extra_dirs[@]}"
		fi
	fi
	exit "$rc"
}

# cts_config_file NAME RSC...: writes a CIB with one Dummy primitive per
# RSC into the work dir and prints its path.
cts_config_file() {
	local f=$cts_dir/$1.xml r
	shift
	{
		echo '<cib admin_epoch="0" epoch="0" num_updates="0" validate-with="pacemaker-3.0">'
		echo '  <configuration>'
		echo '    <crm_config><cluster_property_set id="cib-bootstrap-options">'
		echo '      <nvpair id="opt-stonith" name="stonith-enabled" value="false"/>'
		echo '    </cluster_property_set></crm_config>'
		echo '    <nodes/>'
		echo '    <resources>'
		for r in "$@"; do
			echo "      <primitive id=\"$r\" class=\"ocf\" provider=\"heartbeat\" type=\"Dummy\"/>"
		done
		echo '    </resources>'
		echo '    <constraints/>'
		echo '  </configuration>'
		echo '  <status/>'
		echo '</cib>'
	} > "$f"
	echo "$f"
}

# The configuration epoch a node reports.
cts_epoch() { cts_json_cib "$(cts_status "$1")" | grep -o '"epoch":[0-9]*' | cut -d: -f2; }

# cts_wait_until SECS CMD...: polls CMD every 0.2 s.
cts_wait_until() {
	local secs=$1 end
	shift
	end=$(( $(date +%s) + secs ))
	while [ "$(date +%s)" -le "$end" ]; do
		"$@" && return 0
		sleep 0.2
	done
	return 1
}

# --- failover scenarios (additive) -------------------------------------------
# cts_outside_boot NAME ADDR: a namespace on the bridge that is no cluster
# node (a client): its own network namespace held by a sleeping process,
# address ADDR/24 on a veth to the bridge. Prints nothing; sets
# cts_outside_pid[NAME]. Run commands in it with cts_outside_exec NAME CMD...
declare -A cts_outside_pid
cts_outside_boot() {
	local name=$1 addr=$2 p
	unshare --net --kill-child -- sleep infinity 2>>"$cts_dir/$name.err" &
	p=$!
	cts_wait_ns "$p" || cts_fail "namespace $name did not come up"
	cts_outside_pid[$name]=$p
	nsenter -t "$cts_bridge_pid" -n -- ip link add "o$name" type veth peer name eth0 netns "$p" ||
		cts_fail "cannot create $name's link"
	nsenter -t "$cts_bridge_pid" -n -- ip link set "o$name" master br0 up
	nsenter -t "$p" -n -- ip link set lo up
	nsenter -t "$p" -n -- ip addr add "$addr/24" dev eth0
	nsenter -t "$p" -n -- ip link set eth0 up
	cts_outside_cleanup_set
}
cts_outside_exec() {
	local name=$1
	shift
	nsenter -t "${cts_outside_pid[$name]}" -n -- "$@"
}
cts_outside_stop() {
	local name
	for name in "${!cts_outside_pid[@]}"; do
		kill -KILL "${cts_outside_pid[$name]}" 2>/dev/null
		cts_wait_gone "${cts_outside_pid[$name]}" 5
		unset "cts_outside_pid[$name]"
	done
}
# Extra cleanups run before cts_teardown, in order (scenarios add to it).
cts_cleanups=()
cts_teardown_with_cleanups() {
	local rc=$? c
	for c in "${cts_cleanups[@]}"; do $c; done
	(exit $rc)
	cts_teardown
}
cts_outside_cleanup_set() {
	trap cts_teardown_with_cleanups EXIT
	[[ " ${cts_cleanups[*]} " == *" cts_outside_stop "* ]] || cts_cleanups+=(cts_outside_stop)
}

# cts_nodes_file FILE: writes "nodeI HOSTPID" for every live node (for
# cts/lib/dbpoll, which re-reads it when it changes).
cts_nodes_file() {
	local i
	for i in "${cts_nodes[@]}"; do
		[ -n "${cts_pid1[$i]:-}" ] && echo "node$i ${cts_pid1[$i]}"
	done > "$1.tmp" && mv "$1.tmp" "$1"
}

cts_powerswitch_start() { # SOCKET LOG: the host-side power switch; sets cts_switch_pid
	python3 "$HAM_SRCDIR/cts/lib/powerswitch" --socket "$1" --log "$2" &
	cts_switch_pid=$!
	cts_switch_sock=$1
	local k
	for ((k = 0; k < 100; k++)); do [ -S "$1" ] && break; sleep 0.05; done
	[ -S "$1" ] || cts_fail "the power switch did not start"
	trap cts_teardown_with_cleanups EXIT
	cts_cleanups+=(cts_powerswitch_stop)
}
cts_powerswitch_stop() {
	[ -n "${cts_switch_pid:-}" ] || return 0
	kill "$cts_switch_pid" 2>/dev/null
	wait "$cts_switch_pid" 2>/dev/null
	cts_switch_pid=
}
cts_switch_send() {
	python3 -c 'import socket, sys
s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall((sys.argv[2] + "\n").encode())
print(s.recv(200).decode().strip())' "$cts_switch_sock" "$1"
}
# cts_switch_register I: node I's PID 1 with the switch (no bridge port: the
# node's network namespace, with its end of the link, dies with its PID 1,
# and the port with it).
cts_switch_register() {
	[ "$(cts_switch_send "register node$1 ${cts_pid1[$1]}")" = "ok registered" ] ||
		cts_fail "cannot register node$1 with the power switch"
}

# cts_public_dir NAME: sets cts_public to a fresh directory that other users
# (mariadbd runs as mysql) can reach: $cts_dir/NAME when every directory
# above the work dir lets others through (o+x), else one under /tmp (the
# work dir may sit in a 0700 home or mktemp directory), linked from
# $cts_dir/NAME and removed with the work dir. Mode 0711 (and the work dir
# 0711): others may only pass through to what is made inside for them.
cts_extra_dirs=()
cts_public=
cts_public_dir() {
	local name=$1 d p
	d=$(dirname "$cts_dir")
	while [ "$d" != / ]; do
		p=$(stat -c %A "$d") || return 1
		case ${p:9:1} in x|t) ;; *) break ;; esac
		d=$(dirname "$d")
	done
	if [ "$d" = / ]; then
		chmod 0711 "$cts_dir" && mkdir -m 0711 "$cts_dir/$name" || return 1
		cts_public=$cts_dir/$name
		return 0
	fi
	p=$(mktemp -d "/tmp/ham-cts-$cts_name-$name.XXXXXX") || return 1
	chmod 0711 "$p"
	cts_extra_dirs+=("$p")
	ln -s "$p" "$cts_dir/$name"
	cts_log "$d is closed to other users: $cts_dir/$name is $p"
	cts_public=$p
}

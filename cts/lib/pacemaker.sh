# SPDX-License-Identifier: GPL-2.0-or-later
# cts/lib/pacemaker.sh: Debian's Pacemaker 2.1 on the nodes of cts/lib/cluster.sh,
# as a reference to compare hamgr with (benchmarks only; the product never
# uses Pacemaker). Source it after cluster.sh, then:
#   cts_pcmk_start I            per-node state dirs, agents, then pacemakerd
#   cts_pcmk_wait_formed SECS IDS...   until crm_mon on each listed node shows
#                               the listed nodes online and one DC
#   cts_pcmk_push I FILE        replace the configuration with FILE's
#                               <configuration> (cibadmin on node I)
#   cts_pcmk_exec I CMD...      a command inside node I
# Each node gets, in its own mount namespace (private propagation: the host
# never sees these mounts): its own /var/lib/pacemaker and /var/log/pacemaker
# (bind mounts of directories in the work dir); /usr/lib/ocf/resource.d and
# /usr/sbin as read-only overlays that add ocf:hamgr:* and the fence agent
# fence_hamgr_netns to what Debian installed. Pacemaker dies with the node's
# PID 1 (cts_node_kill, teardown). Needs pacemaker, pacemaker-cli-utils.

declare -A cts_pcmk # node -> pid of the nsenter running pacemakerd

cts_pcmk_exec() {
	local i=$1
	shift
	nsenter -t "${cts_pid1[$i]}" -n -m -u -p -- "$@"
}

cts_pcmk_prepare() {
	local i=$1 d=$cts_dir/node$1 e=$cts_dir/pcmk-extra
	if [ ! -d "$e" ]; then
		mkdir -p "$e/ocf/hamgr" "$e/sbin"
		cp "$HAM_SRCDIR"/agents/ocf/hamgr/* "$e/ocf/hamgr/"
		cp "$HAM_SRCDIR/agents/fence/fence_hamgr_netns" "$e/sbin/"
		chmod -R a+rX "$e"
	fi
	mkdir -p "$d/pcmk-lib"/{cib,pengine,blackbox,cores} "$d/pcmk-log"
	chown -R hacluster:haclient "$d/pcmk-lib" "$d/pcmk-log"
	chmod 750 "$d/pcmk-lib"/* && chmod 770 "$d/pcmk-log"
	# cts_dir is 0700 by default; hacluster must reach its node's dirs
	chmod 755 "$cts_dir" "$d"
	cts_pcmk_exec "$i" sh -c "
		mount --bind '$d/pcmk-lib' /var/lib/pacemaker &&
		mount --bind '$d/pcmk-log' /var/log/pacemaker &&
		mount -t overlay overlay -o 'lowerdir=$e/ocf:/usr/lib/ocf/resource.d' /usr/lib/ocf/resource.d &&
		mount -t overlay overlay -o 'lowerdir=$e/sbin:/usr/sbin' /usr/sbin" ||
		cts_fail "node$i: cannot set up Pacemaker's directories"
}

cts_pcmk_start() {
	local i=$1
	cts_pcmk_prepare "$i"
	cts_pcmk_exec "$i" env PCMK_logfile="$cts_dir/node$i/pcmk-log/pacemaker.log" \
		PCMK_logfacility=none PCMK_debug=no /usr/sbin/pacemakerd \
		> "$cts_dir/node$i/pacemakerd.out" 2>&1 &
	cts_pcmk[$i]=$!
}

# crm_mon's XML, reduced to what cts_pcmk_wait_formed needs.
cts_pcmk_formed_on() { # I IDS...: node I sees IDS online, quorum, a DC
	local i=$1 x j
	shift
	x=$(cts_pcmk_exec "$i" crm_mon -1 --output-as=xml 2>/dev/null) || return 1
	grep -q '<current_dc present="true"' <<<"$x" || return 1
	grep -q 'with_quorum="true"' <<<"$x" || return 1
	for j in "$@"; do
		grep -q "<node name=\"node$j\" id=\"$j\" online=\"true\"" <<<"$x" || return 1
	done
	return 0
}

cts_pcmk_wait_formed() {
	local secs=$1 end i ok
	shift
	end=$(( $(date +%s) + secs ))
	while [ "$(date +%s)" -le "$end" ]; do
		ok=1
		for i in "$@"; do cts_pcmk_formed_on "$i" "$@" || { ok=0; break; }; done
		if [ $ok = 1 ]; then
			cts_log "pacemaker formed: nodes $*"
			return 0
		fi
		sleep 0.5
	done
	return 1
}

# cts_pcmk_push I FILE: FILE is a whole <cib>; its <configuration> replaces
# the cluster's.
cts_pcmk_push() {
	local i=$1 f=$2 c=$cts_dir/pcmk-config.xml
	sed -n '/<configuration>/,/<\/configuration>/p' "$f" > "$c"
	cts_pcmk_exec "$i" cibadmin --replace --scope configuration --xml-file "$c"
}

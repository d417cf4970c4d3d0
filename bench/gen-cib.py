#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0-or-later
"""Deterministic CIB generator for the policy benchmark.

  gen-cib.py --nodes N --resources R [--mix plain|constrained] [--lost K] [-o FILE]

plain:       R primitives (ocf:pacemaker:Dummy) with resource-stickiness, every
             10th with a location preference; one fencing device.
constrained: the same primitives organised as: groups of 3 (one in 4 of the
             triples), colocation + order chains of 5 (another one in 4), one
             anonymous clone (clone-max = N), utilization on nodes and on every
             resource with placement-strategy=balanced.
status:      every node online with full probe history (a probe per resource per
             node, rc 7 where it is not running) and start + monitor where it
             runs (round robin); --lost K: the last K nodes are lost (not in the
             membership, expected up: unclean, to be fenced).
The output depends only on the arguments (no randomness, no clock).
"""
import argparse
import sys

OP_DIGEST = "f2317cad3d54cec5d7d7aa7d0bf35cf8"


def gen(out, n_nodes, n_rsc, mix, lost):
    w = out.write
    nodes = ["node%d" % (i + 1) for i in range(n_nodes)]
    w('<cib admin_epoch="0" epoch="1" num_updates="1" validate-with="pacemaker-3.0" '
      'have-quorum="1" dc-uuid="1" crm_feature_set="3.16.1" '
      'execution-date="1700000000">\n')
    w('  <configuration>\n    <crm_config>\n'
      '      <cluster_property_set id="cib-bootstrap-options">\n'
      '        <nvpair id="o-stonith" name="stonith-enabled" value="true"/>\n'
      '        <nvpair id="o-nq" name="no-quorum-policy" value="stop"/>\n')
    if mix == "constrained":
        w('        <nvpair id="o-ps" name="placement-strategy" value="balanced"/>\n')
    w('      </cluster_property_set>\n    </crm_config>\n    <nodes>\n')
    for i, n in enumerate(nodes):
        w('      <node id="%d" uname="%s">' % (i + 1, n))
        if mix == "constrained":
            w('<utilization id="%s-u"><nvpair id="%s-u-cpu" name="cpu" value="%d"/>'
              '</utilization>' % (n, n, 4 * n_rsc // n_nodes + 64))
        w('</node>\n')
    w('    </nodes>\n    <resources>\n')
    w('      <primitive id="fence1" class="stonith" type="fence_dummy"/>\n')
    prims = ["rsc%d" % i for i in range(n_rsc)]

    def prim(rid, indent="      "):
        w('%s<primitive id="%s" class="ocf" provider="pacemaker" type="Dummy">' % (indent, rid))
        w('<operations><op id="%s-mon" name="monitor" interval="10s"/></operations>' % rid)
        if mix == "constrained":
            w('<utilization id="%s-u"><nvpair id="%s-u-cpu" name="cpu" value="1"/>'
              '</utilization>' % (rid, rid))
        w('</primitive>\n')

    groups, chains, clone_rsc = [], [], None
    i = 0
    top = []  # (kind, ids)
    while i < n_rsc:
        block = (i // 3) % 4
        if mix == "constrained" and block == 0 and i + 3 <= n_rsc:
            groups.append(prims[i:i + 3])
            top.append(("group", prims[i:i + 3]))
            i += 3
        elif mix == "constrained" and block == 1 and i + 5 <= n_rsc:
            chains.append(prims[i:i + 5])
            top.extend(("prim", [p]) for p in prims[i:i + 5])
            i += 5
        else:
            top.append(("prim", [prims[i]]))
            i += 1
    for kind, ids in top:
        if kind == "group":
            w('      <group id="grp-%s">\n' % ids[0])
            for p in ids:
                prim(p, "        ")
            w('      </group>\n')
        else:
            prim(ids[0])
    if mix == "constrained":
        clone_rsc = "clone-child"
        w('      <clone id="the-clone"><meta_attributes id="the-clone-m">'
          '<nvpair id="the-clone-max" name="clone-max" value="%d"/></meta_attributes>\n'
          % n_nodes)
        prim(clone_rsc, "        ")
        w('      </clone>\n')
    w('    </resources>\n    <constraints>\n')
    for k, p in enumerate(prims):
        if k % 10 == 0:
            w('      <rsc_location id="loc-%s" rsc="%s" node="%s" score="50"/>\n'
              % (p, p, nodes[(k // 10) % n_nodes]))
    for c in chains:
        for a, b in zip(c, c[1:]):
            w('      <rsc_colocation id="col-%s-%s" rsc="%s" with-rsc="%s" score="INFINITY"/>\n'
              % (b, a, b, a))
            w('      <rsc_order id="ord-%s-%s" first="%s" then="%s"/>\n' % (a, b, a, b))
    w('    </constraints>\n    <rsc_defaults>\n      <meta_attributes id="rd">\n'
      '        <nvpair id="rd-stick" name="resource-stickiness" value="100"/>\n'
      '      </meta_attributes>\n    </rsc_defaults>\n  </configuration>\n  <status>\n')

    # where each resource runs: groups and chains keep their members together
    where = {}
    slot = 0
    for kind, ids in top:
        if kind == "group":
            for p in ids:
                where[p] = slot % n_nodes
            slot += 1
    for c in chains:
        for p in c:
            where[p] = slot % n_nodes
        slot += 1
    for p in prims:
        if p not in where:
            where[p] = slot % n_nodes
            slot += 1
    all_rsc = ["fence1"] + prims + ([clone_rsc] if clone_rsc else [])
    where["fence1"] = 0
    for ni, n in enumerate(nodes):
        is_lost = ni >= n_nodes - lost
        if is_lost:
            w('    <node_state id="%d" uname="%s" in_ccm="false" crmd="offline" '
              'join="member" expected="member">\n' % (ni + 1, n))
        else:
            w('    <node_state id="%d" uname="%s" in_ccm="true" crmd="online" '
              'join="member" expected="member">\n' % (ni + 1, n))
        w('      <lrm id="%d"><lrm_resources>\n' % (ni + 1))
        call = 1
        for r in all_rsc:
            runs = (r == clone_rsc) or where[r] == ni
            cls = 'class="stonith" type="fence_dummy"' if r == "fence1" else \
                'class="ocf" provider="pacemaker" type="Dummy"'
            w('        <lrm_resource id="%s" %s>\n' % (r, cls))
            w('          <lrm_rsc_op id="%s_monitor_0" operation="monitor" interval="0" '
              'call-id="%d" rc-code="%d" op-status="0" transition-key="1:0:7:2668bbeb-06d5-40f9-936d-24cb7f87006a" '
              'last-rc-change="1699990000" op-digest="%s" on_node="%s"/>\n'
              % (r, call, 0 if runs and False else 7, OP_DIGEST, n))
            call += 1
            if runs:
                w('          <lrm_rsc_op id="%s_start_0" operation="start" interval="0" '
                  'call-id="%d" rc-code="0" op-status="0" transition-key="2:0:0:2668bbeb-06d5-40f9-936d-24cb7f87006a" '
                  'last-rc-change="1699990001" op-digest="%s" on_node="%s"/>\n'
                  % (r, call, OP_DIGEST, n))
                call += 1
                if r != "fence1":
                    w('          <lrm_rsc_op id="%s_monitor_10000" operation="monitor" '
                      'interval="10000" call-id="%d" rc-code="0" op-status="0" '
                      'transition-key="3:0:0:2668bbeb-06d5-40f9-936d-24cb7f87006a" last-rc-change="1699990002" '
                      'op-digest="%s" on_node="%s"/>\n' % (r, call, OP_DIGEST, n))
                    call += 1
            w('        </lrm_resource>\n')
        w('      </lrm_resources></lrm>\n    </node_state>\n')
    w('  </status>\n</cib>\n')


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--nodes", type=int, required=True)
    ap.add_argument("--resources", type=int, required=True)
    ap.add_argument("--mix", choices=("plain", "constrained"), default="constrained")
    ap.add_argument("--lost", type=int, default=0)
    ap.add_argument("-o", "--output")
    a = ap.parse_args()
    if a.nodes < 1 or a.resources < 1 or not 0 <= a.lost < a.nodes:
        ap.error("need nodes >= 1, resources >= 1, 0 <= lost < nodes")
    out = open(a.output, "w") if a.output else sys.stdout
    gen(out, a.nodes, a.resources, a.mix, a.lost)
    if a.output:
        out.close()


if __name__ == "__main__":
    main()

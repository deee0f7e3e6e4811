#!/usr/bin/env node
// A copy of ../shared/bench/make-fleet.mjs, kept here so that the tests stand alone.
// Writes a synthetic fleet of valid flat-mode BGP cluster configs, one file per cluster,
// for benchmarks: `make-fleet.mjs OUT_DIR [CLUSTERS=1000] [POOLS=3] [--single-file]`.
// Up to 10,000 clusters (addresses stay unique across the fleet); POOLS at most 4.
// Each cluster: Cluster, POOLS NodePools, one ClusterCIDRConfig, NetworkGatewayGroup,
// FlatIPMode and two BGPPeers, dual-stack on every fourth cluster. Output is deterministic.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const [out, clustersArg = "1000", poolsArg = "3", flag] = process.argv.slice(2);
if (!out) {
  console.error("usage: make-fleet.mjs OUT_DIR [CLUSTERS] [POOLS] [--single-file]");
  process.exit(2);
}
const clusters = Number(clustersArg), pools = Number(poolsArg);
mkdirSync(out, { recursive: true });

function cluster(i) {
  const name = `bm-${String(i).padStart(4, "0")}`, ns = `cluster-${name}`;
  const dual = i % 4 === 0;
  // 10.(i/250).(i%250).x for node, VIP, floating and peer addresses; pod ranges are /20 slices
  // counted up from 24.0.0.0 (flat pod ranges are routable; the seeds use 222.2.0.0/16 likewise).
  const a = Math.floor(i / 250), b = i % 250;
  const podBase = 24 * 65536 + i * 16; // in units of /24
  const pod = `${Math.floor(podBase / 65536)}.${Math.floor(podBase / 256) % 256}.${podBase % 256}.0/20`;
  const docs = [];
  docs.push(`apiVersion: baremetal.cluster.gke.io/v1
kind: Cluster
metadata:
  name: ${name}
  namespace: ${ns}
spec:
  type: user
  anthosBareMetalVersion: 1.30.0
  controlPlane:
    nodePoolSpec:
      nodes:
      - address: 10.${a}.${b}.10
  clusterNetwork:
    advancedNetworking: true
    flatIPv4: true
    services:
      cidrBlocks:
      - 10.96.0.0/20${dual ? `
      - fd12:${i.toString(16)}::/112` : ""}
  loadBalancer:
    mode: bundled
    vips:
      controlPlaneVIP: 10.${a}.${b}.5
`);
  for (let p = 0; p < pools; p++) {
    docs.push(`apiVersion: baremetal.cluster.gke.io/v1
kind: NodePool
metadata:
  name: pool-${p}
  namespace: ${ns}
spec:
  clusterName: ${name}
  nodes:
  - address: 10.${a}.${b}.${20 + p * 10}
  - address: 10.${a}.${b}.${21 + p * 10}
  - address: 10.${a}.${b}.${22 + p * 10}
`);
  }
  docs.push(`apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: ClusterCIDRConfig
metadata:
  name: cluster-wide-1
  namespace: ${ns}
spec:
  ipv4:
    cidr: "${pod}"
    perNodeMaskSize: 24${dual ? `
  ipv6:
    cidr: "fd00:${i.toString(16)}::/112"
    perNodeMaskSize: 120` : ""}
`);
  docs.push(`apiVersion: networking.gke.io/v1
kind: NetworkGatewayGroup
metadata:
  name: default
  namespace: ${ns}
spec:
  floatingIPs:
  - 10.${a}.${b}.100
  - 10.${a}.${b}.101
`);
  docs.push(`apiVersion: baremetal.cluster.gke.io/v1alpha1
kind: FlatIPMode
metadata:
  name: default
  namespace: ${ns}
spec:
  enableBGPIPv4: true
  enableBGPIPv6: ${dual}
  peerSelector:
    flatip-peer: "true"
`);
  for (let k = 1; k <= 2; k++) {
    docs.push(`apiVersion: networking.gke.io/v1
kind: BGPPeer
metadata:
  name: bgppeer${k}
  namespace: ${ns}
  labels:
    flatip-peer: "true"
spec:
  localASN: ${65001 + (i % 500)}
  peerASN: 65000
  peerIP: 10.${a}.${b}.${250 + k}
  sessions: 2
`);
  }
  return { name, text: docs.join("---\n") };
}

const all = [];
for (let i = 0; i < clusters; i++) {
  const c = cluster(i);
  if (flag === "--single-file") all.push(c.text);
  else writeFileSync(join(out, `${c.name}.yaml`), c.text);
}
if (flag === "--single-file") writeFileSync(join(out, "fleet.yaml"), all.join("---\n"));

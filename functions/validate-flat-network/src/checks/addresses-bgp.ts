/**
 * Addresses, gateway, BGP and fleet policies: where a cluster's pod ranges, floating IPs, BGP
 * peers, nodes, VIPs and service ranges may lie, how its BGPPeers are selected and numbered, and
 * what must be unique across the fleet.
 *
 * "Flat-mode peers" of a cluster are the BGPPeers of its namespace that its FlatIPMode's
 * `spec.peerSelector` selects (every label must match). Malformed values are the schema
 * policy's to report: the readers here skip them, and a rule whose input is absent (no Cluster,
 * no NetworkGatewayGroup, a selector that is not a label map) judges nothing.
 *
 * Within one cluster the loops compare a few ranges with a few hundred addresses; across
 * clusters only sort-and-sweep (`findOverlaps`) or hash maps are used.
 */
import { formatPath, type KubeObject, type PathSegment } from '@flatnet/krm';
import {
  classifyASN,
  contains,
  findOverlaps,
  findRangeOverlaps,
  forbiddenRangesOverlapping,
  formatCidr,
  MAX_ASN,
  overlaps,
  rangeOf,
  rangesOverlap,
  specialRangesOverlapping,
  type Cidr,
  type Family,
  type IPAddress,
  type OwnedCidr,
  type SpecialRange,
} from '@flatnet/net';
import { facts, ipKey, orderOf, selectorOf, selects, type At, type ClusterView, type PodRange } from '../model';
import type { Check, CheckContext, Finding } from './types';

// ---------------------------------------------------------------------------------------------
// Private helpers.

const FAMILY: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

const q = (text: string | number): string => `"${text}"`;
const field = (path: readonly PathSegment[]): string => `\`${formatPath(path)}\``;
const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** `"a", "b" and 3 more` — the first few of a long list. */
function someOf(texts: readonly string[], shown = 3): string {
  const head = texts.slice(0, shown);
  const rest = texts.length - head.length;
  if (rest > 0) return `${head.join(', ')} and ${rest} more`;
  if (head.length <= 1) return head.join('');
  return `${head.slice(0, -1).join(', ')} and ${head.at(-1)}`;
}

/** How messages name a view: its Cluster when the input holds it, else its namespace. */
function clusterPhrase(view: ClusterView): string {
  const f = facts(view);
  return f.cluster ? `cluster "${f.label}"` : `namespace "${view.namespace}"`;
}

const formatLabels = (labels: ReadonlyArray<readonly [string, string]>): string => labels.map(([k, v]) => `${k}: "${v}"`).join(', ');

/** A FlatIPMode whose selector is well formed but selects none of the namespace's BGPPeers. */
function selectsNothing(view: ClusterView, mode: KubeObject): Record<string, string> | undefined {
  const selector = selectorOf(mode);
  if (!selector || view.peers.length === 0) return undefined;
  return view.peers.some((p) => selects(selector, p.labels())) ? undefined : selector;
}

/** How many distinct floating IPs of each family. */
function distinctFloating(ips: readonly At<IPAddress>[]): Record<Family, number> {
  const seen = new Set<number | string>();
  const counts = { ipv4: 0, ipv6: 0 };
  for (const ip of ips) {
    const key = ipKey(ip.value);
    if (seen.has(key)) continue;
    seen.add(key);
    counts[ip.value.family]++;
  }
  return counts;
}

function gatewaysPhrase(view: ClusterView): string {
  return view.gateways.length === 1 ? `NetworkGatewayGroup "${view.gateways[0]?.name}"` : `the NetworkGatewayGroups of namespace "${view.namespace}"`;
}

/** Levenshtein distance (label keys are short). */
function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/**
 * Same value and a similar key, or same key and another value. Similar: one key inside the
 * other, or at most 4 edits apart and fewer edits than the shorter key has characters (so that
 * `app` and `flat` are not "similar" just for being short).
 */
function nearMiss([k, v]: readonly [string, string], [k2, v2]: readonly [string, string]): boolean {
  if (k === k2) return v !== v2;
  if (v !== v2) return false;
  if (k.includes(k2) || k2.includes(k)) return true;
  const d = editDistance(k, k2);
  return d <= 4 && d < Math.min(k.length, k2.length);
}

/** Where an address or range lies, for messages: `spec.ipv4.cidr "10.0.0.0/16"`. */
const subject = (at: At<unknown>): string => `${field(at.path)} ${q(at.text)}`;

/** The things whose addresses must avoid special and reserved ranges, per view. */
function addressSubjects(view: ClusterView): Array<At<Cidr> | At<IPAddress>> {
  const f = facts(view);
  return [...f.podRanges.map((p) => p.cidr), ...f.floatingIPs, ...f.peerIPs];
}

const isCidrAt = (at: At<Cidr> | At<IPAddress>): at is At<Cidr> => 'prefix' in at.value;

function specialRangeFinding(at: At<Cidr> | At<IPAddress>, ranges: readonly SpecialRange[], why: string, instead: string): Finding {
  const verb = isCidrAt(at) ? 'overlap' : 'be in';
  const named = ranges.map((r) => `${r.text} (${r.tag})`);
  return {
    obj: at.obj,
    path: at.path,
    currentValue: at.text,
    message: `${at.obj.describe()}: ${subject(at)} must not ${verb} ${someOf(named, 4)}: ${why}; ${instead}`,
  };
}

/** Per view, in model order: each check that walks clusters uses this. */
function perView(fn: (view: ClusterView, ctx: CheckContext) => Finding[]): Check {
  return (ctx) => {
    // A loop, not flatMap: most views give nothing, and flatMap is slow on a thousand empty lists.
    const out: Finding[] = [];
    for (const view of ctx.fleet.views) {
      const found = fn(view, ctx);
      for (const f of found) out.push(f);
    }
    return out;
  };
}

// ---------------------------------------------------------------------------------------------
// BGP

const peerSelectorMatches: Check = perView((view) => {
  const out: Finding[] = [];
  for (const mode of view.flatModes) {
    const selector = selectsNothing(view, mode);
    if (!selector) continue; // matches, malformed (schema), or no BGPPeer at all (FLAT-CLU-004)
    const wanted = Object.entries(selector);
    const carried: Array<[string, string]> = [];
    const seen = new Set<string>();
    for (const peer of view.peers) {
      for (const [k, v] of Object.entries(peer.labels())) {
        const key = JSON.stringify([k, v]);
        if (!seen.has(key)) {
          seen.add(key);
          carried.push([k, v]);
        }
      }
    }
    const misses = carried.filter((label) => wanted.some((w) => nearMiss(w, label)));
    const shown = carried.length > 8 ? `${formatLabels(carried.slice(0, 8))} and ${carried.length - 8} more` : formatLabels(carried);
    let tail: string;
    if (carried.length === 0) {
      tail = `its BGPPeers carry no labels — label the flat-mode peers ${formatLabels(wanted)} (inject-peer-labels does it)`;
    } else if (misses.length > 0) {
      const close = wanted.filter((w) => misses.some((m) => nearMiss(w, m)));
      tail = `its BGPPeers carry ${shown}, a near miss of ${formatLabels(close)} — make the selector and the peers' labels agree (inject-peer-labels does it)`;
    } else {
      tail = `its BGPPeers carry ${shown} — label the flat-mode peers ${formatLabels(wanted)} or change the selector (inject-peer-labels does it)`;
    }
    out.push({
      obj: mode,
      path: ['spec', 'peerSelector'],
      currentValue: selector,
      message: `${mode.describe()}: \`spec.peerSelector\` {${formatLabels(wanted)}} selects no BGPPeer in namespace "${view.namespace}"; ${tail}`,
    });
  }
  return out;
});

const sessionsVsFloatingIPs: Check = perView((view) => {
  if (view.gateways.length === 0) return []; // FLAT-CLU-004 reports the missing gateway
  const f = facts(view);
  if (!f.floatingComplete) return [];
  const out: Finding[] = [];
  let counts: Record<Family, number> | undefined;
  for (const { obj: peer, sessions, ip: peerIP } of f.flatPeers) {
    if (sessions === undefined || !peerIP) continue;
    const family = peerIP.value.family;
    counts ??= distinctFloating(f.floatingIPs);
    const count = counts[family];
    if (count === 0 || sessions <= count) continue; // no floating IP of the family: FLAT-BGP-012
    out.push({
      obj: peer,
      path: ['spec', 'sessions'],
      currentValue: sessions,
      message:
        `${peer.describe()}: \`spec.sessions\` ${q(sessions)} must not be more than the ${plural(count, `${FAMILY[family]} floating IP`)} of ${gatewaysPhrase(view)}: ` +
        `BGP sessions start from floating IPs, so ${plural(sessions - count, 'session')} cannot come up; lower \`spec.sessions\` to ${count} or add floating IPs`,
    });
  }
  return out;
});

const maxSessions: Check = perView((view, { params }) => {
  const max = params.maxSessions;
  if (max === undefined) return [];
  return facts(view).peers.flatMap(({ obj: peer, sessions }): Finding[] => {
    if (sessions === undefined || sessions <= max) return [];
    return [
      {
        obj: peer,
        path: ['spec', 'sessions'],
        currentValue: sessions,
        proposedValue: max,
        message: `${peer.describe()}: \`spec.sessions\` ${q(sessions)} must be at most ${max} (\`parameters.maxSessions\`): ask for fewer sessions`,
      },
    ];
  });
});

const ASN_KEYS = ['localASN', 'peerASN'] as const;

const RESERVED_ASN: Record<number, string> = {
  23456: 'AS_TRANS (23456), a reserved ASN',
  65535: '65535, a reserved ASN (RFC 7300)',
  [MAX_ASN]: `${MAX_ASN}, a reserved ASN (RFC 7300)`,
};

const asnFix = (key: 'localASN' | 'peerASN'): string =>
  key === 'peerASN' ? "use the peer's real ASN" : 'use your own AS number (a private one, 64512-65534 or 4200000000-4294967294, when you have none)';

const reservedASN: Check = perView((view) =>
  facts(view).peers.flatMap((p) =>
    ASN_KEYS.flatMap((key): Finding[] => {
      const peer = p.obj;
      const asn = p[key];
      if (asn === undefined || classifyASN(asn) !== 'reserved') return [];
      const what = RESERVED_ASN[asn] ?? `${asn}, a reserved ASN`;
      return [{ obj: peer, path: ['spec', key], currentValue: asn, message: `${peer.describe()}: \`spec.${key}\` ${q(asn)} must not be ${what}: ${asnFix(key)}` }];
    }),
  ),
);

const documentationASN: Check = perView((view) =>
  facts(view).peers.flatMap((p) =>
    ASN_KEYS.flatMap((key): Finding[] => {
      const peer = p.obj;
      const asn = p[key];
      if (asn === undefined || classifyASN(asn) !== 'documentation') return [];
      const range = asn <= 65535 ? '64496-64511' : '65536-65551';
      return [
        {
          obj: peer,
          path: ['spec', key],
          currentValue: asn,
          message: `${peer.describe()}: \`spec.${key}\` ${q(asn)} must not be a documentation ASN (${range}, RFC 5398), which no real network uses: ${asnFix(key)}`,
        },
      ];
    }),
  ),
);

const formatASNRanges = (ranges: ReadonlyArray<readonly [number, number]>): string => ranges.map(([a, b]) => (a === b ? `${a}` : `${a}-${b}`)).join(', ');

const allowedASNs: Check = perView((view, { params }) =>
  facts(view).peers.flatMap((p) =>
    ASN_KEYS.flatMap((key): Finding[] => {
      const peer = p.obj;
      const allowed = key === 'localASN' ? params.localASNs : params.peerASNs;
      const asn = p[key];
      if (!allowed || asn === undefined || allowed.some(([a, b]) => a <= asn && asn <= b)) return [];
      const param = key === 'localASN' ? 'localASNs' : 'peerASNs';
      return [
        {
          obj: peer,
          path: ['spec', key],
          currentValue: asn,
          message: `${peer.describe()}: \`spec.${key}\` ${q(asn)} must be one of the allowed ASNs ${formatASNRanges(allowed)} (\`parameters.${param}\`): use one of them, or allow it in \`parameters.${param}\``,
        },
      ];
    }),
  ),
);

const oneLocalASN: Check = perView((view) => {
  const peers = facts(view).flatPeers.flatMap(({ obj: peer, localASN: asn }) => (asn === undefined ? [] : [{ peer, asn }]));
  const byASN = new Map<number, { count: number; first: KubeObject }>();
  for (const { peer, asn } of peers) {
    const e = byASN.get(asn);
    if (e) e.count++;
    else byASN.set(asn, { count: 1, first: peer });
  }
  if (byASN.size < 2) return [];
  // The most used ASN wins; on a tie, the one that appears first (Map keeps insertion order).
  let winner: [number, { count: number; first: KubeObject }] | undefined;
  for (const entry of byASN) if (!winner || entry[1].count > winner[1].count) winner = entry;
  if (!winner) return [];
  const [asn, { first }] = winner;
  return peers
    .filter((p) => p.asn !== asn)
    .map(({ peer, asn: mine }) => ({
      obj: peer,
      path: ['spec', 'localASN'],
      currentValue: mine,
      proposedValue: asn,
      message:
        `${peer.describe()}: \`spec.localASN\` ${q(mine)} must be ${q(asn)}, the local ASN of the other flat-mode peers of ${clusterPhrase(view)} (as on ${first.describe()}): ` +
        `a node speaks BGP with one local ASN; set it to ${asn}`,
    }));
});

const ibgpPeer: Check = perView((view) =>
  facts(view).peers.flatMap(({ obj: peer, localASN: local, peerASN: remote }): Finding[] => {
    if (local === undefined || local !== remote) return [];
    return [
      {
        obj: peer,
        path: ['spec', 'peerASN'],
        currentValue: remote,
        message: `${peer.describe()}: \`spec.peerASN\` ${q(remote)} equals \`spec.localASN\`, which makes the session iBGP: make sure that is meant (an eBGP peer must have its own ASN)`,
      },
    ];
  }),
);

const ipv4PeerAddress: Check = perView((view) =>
  facts(view).peers.flatMap(({ obj: peer, ip: at }): Finding[] => {
    if (!at || at.value.family !== 'ipv6') return [];
    return [
      {
        obj: peer,
        path: at.path,
        currentValue: at.text,
        message: `${peer.describe()}: \`spec.peerIP\` ${q(at.text)} must be an IPv4 address: GDC 1.11 to 1.14 peer with IPv4 addresses only, and an IPv4 session carries IPv6 routes with MP-BGP; peer over IPv4`,
      },
    ];
  }),
);

const peerIPCollision: Check = perView((view) => {
  const f = facts(view);
  const floating = new Map<number | string, At<IPAddress>>();
  for (const ip of f.floatingIPs) if (!floating.has(ipKey(ip.value))) floating.set(ipKey(ip.value), ip);
  const nodes = new Map<number | string, string>();
  for (const n of f.nodes) if (!nodes.has(ipKey(n.at.value))) nodes.set(ipKey(n.at.value), n.pool === 'control plane' ? 'a control-plane node' : `a node of node pool "${n.pool}"`);
  const vips = new Map<number | string, At<IPAddress>>();
  for (const v of f.vips) if (!vips.has(ipKey(v.value))) vips.set(ipKey(v.value), v);
  const out: Finding[] = [];
  for (const { obj: peer, ip: at } of f.peers) {
    if (!at) continue;
    const key = ipKey(at.value);
    const fip = floating.get(key);
    const node = nodes.get(key);
    const vip = vips.get(key);
    const what = fip
      ? `a floating IP of ${fip.obj.describe()}: sessions start from floating IPs, so the cluster would peer with itself`
      : node
        ? `the address of ${node}: the peer is the router the nodes talk to, not a node`
        : vip
          ? `the VIP ${field(vip.path)} of ${clusterPhrase(view)}: a VIP is served by the cluster, not by its router`
          : undefined;
    if (what) out.push({ obj: peer, path: at.path, currentValue: at.text, message: `${peer.describe()}: \`spec.peerIP\` ${q(at.text)} must not be ${what}; use the router's address` });
  }
  const first = new Map<number | string, KubeObject>();
  for (const { obj: peer, ip: at } of f.flatPeers) {
    if (!at) continue;
    const earlier = first.get(ipKey(at.value));
    if (!earlier) {
      first.set(ipKey(at.value), peer);
      continue;
    }
    out.push({
      obj: peer,
      path: at.path,
      currentValue: at.text,
      message: `${peer.describe()}: \`spec.peerIP\` ${q(at.text)} must not be the address of ${earlier.describe()} too: two flat-mode peers of ${clusterPhrase(view)} with one address make duplicate sessions; remove one or correct its address`,
    });
  }
  return out;
});

const unselectedPeer: Check = perView((view) => {
  if (view.flatModes.length === 0 && view.loadBalancers.length === 0) return []; // FLAT-CLU-004 speaks
  const selectors: Record<string, string>[] = [];
  for (const obj of [...view.flatModes, ...view.loadBalancers]) {
    const s = selectorOf(obj);
    if (!s) return []; // a selector we cannot read: the schema policy speaks, nothing is judged
    selectors.push(s);
  }
  // A FlatIPMode that selects nothing is FLAT-BGP-001's finding, which names these peers' labels.
  if (view.flatModes.some((m) => selectsNothing(view, m))) return [];
  const by = [view.flatModes.length > 0 ? 'FlatIPMode' : '', view.loadBalancers.length > 0 ? 'BGPLoadBalancer' : ''].filter(Boolean).join(' or ');
  return view.peers
    .filter((peer) => !selectors.some((s) => selects(s, peer.labels())))
    .map((peer) => ({
      obj: peer,
      path: ['metadata', 'labels'],
      message: `${peer.describe()}: no ${by} in namespace "${view.namespace}" selects this BGPPeer, so no session uses it: label it to match a \`spec.peerSelector\`, or remove it`,
    }));
});

const floatingIPFamily: Check = perView((view) => {
  if (view.gateways.length === 0) return []; // FLAT-CLU-004 reports the missing gateway
  const f = facts(view);
  if (!f.floatingComplete || f.floatingIPs.length === 0) return []; // an empty or unreadable list is the schema policy's
  const families = new Set(f.floatingIPs.map((ip) => ip.value.family));
  return f.flatPeers.flatMap(({ obj: peer, ip: at }): Finding[] => {
    if (!at || families.has(at.value.family)) return [];
    const fam = FAMILY[at.value.family];
    return [
      {
        obj: peer,
        path: at.path,
        currentValue: at.text,
        message: `${peer.describe()}: \`spec.peerIP\` ${q(at.text)} is ${fam}, so ${gatewaysPhrase(view)} must have an ${fam} floating IP: BGP sessions start from floating IPs, and this peer gets none; add one to \`spec.floatingIPs\``,
      },
    ];
  });
});

// ---------------------------------------------------------------------------------------------
// Gateway

const floatingIPCollision: Check = perView((view) => {
  const f = facts(view);
  const out: Finding[] = [];
  for (const ip of f.floatingIPs) {
    const push = (what: string, instead: string) =>
      out.push({ obj: ip.obj, path: ip.path, currentValue: ip.text, message: `${ip.obj.describe()}: ${subject(ip)} must not ${what}; ${instead}` });
    const node = f.nodes.find((n) => n.at.value.family === ip.value.family && n.at.value.value === ip.value.value);
    if (node) {
      const whose = node.pool === 'control plane' ? 'a control-plane node' : `a node of node pool "${node.pool}"`;
      push(`be the address of ${whose}: a floating IP moves between nodes and must be free`, 'choose an unused address in the nodes\' subnet');
    }
    const vip = f.vips.find((v) => v.value.family === ip.value.family && v.value.value === ip.value.value);
    if (vip) push(`be the VIP ${field(vip.path)} of ${clusterPhrase(view)}: a floating IP must be an address of its own`, 'choose an unused address in the nodes\' subnet');
    const service = f.services.find((s) => contains(s.value, ip.value));
    if (service) push(`be in the service range ${q(service.text)} of ${clusterPhrase(view)}: service addresses are virtual and never on the wire`, 'choose an address outside `spec.clusterNetwork.services.cidrBlocks`');
    const pool = f.lbPools.find((p) => rangesOverlap(p.value, rangeOf(ip.value)));
    if (pool) push(`be in the load-balancer address pool ${q(pool.text)} of ${clusterPhrase(view)}: the load balancer hands those addresses to Services`, 'choose an address outside `spec.loadBalancer.addressPools`');
  }
  return out;
});

// ---------------------------------------------------------------------------------------------
// Addresses

/** A pod range finding on its ClusterCIDRConfig's cidr field. */
function onPodRange(pr: PodRange, what: string, instead: string): Finding {
  const at = pr.cidr;
  return { obj: at.obj, path: at.path, currentValue: at.text, message: `${at.obj.describe()}: ${subject(at)} must not ${what}; ${instead}` };
}

const podRangeVsNodes: Check = perView((view) => {
  const f = facts(view);
  return f.podRanges.flatMap((pr): Finding[] => {
    const inside = f.nodes.filter((n) => contains(pr.cidr.value, n.at.value));
    if (inside.length === 0) return [];
    const named = inside.map((n) => `${q(n.at.text)} (${n.pool === 'control plane' ? 'control plane' : `node pool "${n.pool}"`})`);
    return [onPodRange(pr, `contain node addresses of ${clusterPhrase(view)}: ${someOf(named)}`, 'pods and nodes would share addresses; choose a pod range outside the nodes\' network')];
  });
});

const podRangeVsServices: Check = perView((view) => {
  const f = facts(view);
  const out: Finding[] = [];
  for (const pr of f.podRanges) {
    for (const s of f.services) {
      if (overlaps(pr.cidr.value, s.value)) {
        out.push(onPodRange(pr, `overlap the service range ${q(s.text)} of ${clusterPhrase(view)}`, 'pod and service addresses must be distinct; choose a pod range outside `spec.clusterNetwork.services.cidrBlocks`'));
      }
    }
  }
  for (const pods of f.islandPods) {
    if (pods.value.family === 'ipv4' && f.flatIPv4 === true) continue; // ignored in IPv4 flat mode
    for (const s of f.services) {
      if (!overlaps(pods.value, s.value)) continue;
      out.push({
        obj: pods.obj,
        path: pods.path,
        currentValue: pods.text,
        message: `${pods.obj.describe()}: ${subject(pods)} must not overlap the service range ${q(s.text)}: pod and service addresses must be distinct; choose a pod range outside \`spec.clusterNetwork.services.cidrBlocks\``,
      });
    }
  }
  return out;
});

const podRangeVsLoadBalancer: Check = perView((view) => {
  const f = facts(view);
  const out: Finding[] = [];
  for (const pr of f.podRanges) {
    const vips = f.vips.filter((v) => contains(pr.cidr.value, v.value));
    if (vips.length > 0) {
      const named = vips.map((v) => `${q(v.text)} (${String(v.path.at(-1))})`);
      out.push(onPodRange(pr, `contain the VIP${vips.length > 1 ? 's' : ''} ${someOf(named)} of ${clusterPhrase(view)}`, 'a VIP must be reachable as itself, not as a pod; choose a pod range outside the VIPs'));
    }
    const range = rangeOf(pr.cidr.value);
    for (const pool of f.lbPools) {
      if (rangesOverlap(range, pool.value)) {
        out.push(onPodRange(pr, `overlap the load-balancer address pool ${q(pool.text)} of ${clusterPhrase(view)}`, 'Services and pods would get the same addresses; choose a pod range outside `spec.loadBalancer.addressPools`'));
      }
    }
  }
  return out;
});

const podRangeVsBGP: Check = perView((view) => {
  const f = facts(view);
  const out: Finding[] = [];
  for (const pr of f.podRanges) {
    const fips = f.floatingIPs.filter((ip) => contains(pr.cidr.value, ip.value));
    if (fips.length > 0) {
      out.push(onPodRange(pr, `contain the floating IP${fips.length > 1 ? 's' : ''} ${someOf(fips.map((ip) => q(ip.text)))} of ${gatewaysPhrase(view)}`, 'BGP sessions start from floating IPs, which must not be pod addresses; choose a pod range outside them'));
    }
    const peers = f.peerIPs.filter((ip) => contains(pr.cidr.value, ip.value));
    if (peers.length > 0) {
      const named = peers.map((ip) => `${q(ip.text)} (${ip.obj.describe()})`);
      out.push(onPodRange(pr, `contain the BGP peer address${peers.length > 1 ? 'es' : ''} ${someOf(named)}`, 'the routers that learn the pod routes must not sit inside them; choose a pod range outside the peers\' addresses'));
    }
  }
  return out;
});

const loadBalancerPoolOverlap: Check = perView((view) => {
  const pools = facts(view).lbPools;
  if (pools.length < 2) return [];
  // Entries are in input order (pool, then address); each later entry is reported once, with the
  // first entry it overlaps. The sweep keeps this linear-ish however many pools there are.
  const index = new Map(pools.map((p, i) => [p, i]));
  const earliest = new Map<number, number>();
  for (const [a, b] of findRangeOverlaps(pools.map((p) => ({ range: p.value, owner: p })))) {
    const [x, y] = [index.get(a.owner)!, index.get(b.owner)!];
    const [early, late] = x < y ? [x, y] : [y, x];
    const seen = earliest.get(late);
    if (seen === undefined || early < seen) earliest.set(late, early);
  }
  return [...earliest.entries()]
    .sort(([x], [y]) => x - y)
    .map(([late, early]): Finding => {
      const at = pools[late]!;
      const other = pools[early]!;
      const samePool = at.path[3] === other.path[3];
      const name = at.obj.get(['spec', 'loadBalancer', 'addressPools', other.path[3]!, 'name']);
      const whose = samePool ? 'the same pool' : typeof name === 'string' ? `address pool ${q(name)}` : 'another address pool';
      const same = at.value.first === other.value.first && at.value.last === other.value.last;
      return {
        obj: at.obj,
        path: at.path,
        currentValue: at.text,
        message:
          `${at.obj.describe()}: ${subject(at)} must not ${same ? 'repeat' : 'overlap'} ${q(other.text)} of ${whose} (${field(other.path)}): ` +
          `MetalLB refuses overlapping address pools, and one address handed to two Services answers for neither; ${same ? 'remove one of them' : 'make the ranges disjoint'}`,
      };
    });
});

const specialRanges: Check = perView((view) =>
  addressSubjects(view).flatMap((at): Finding[] => {
    const ranges = forbiddenRangesOverlapping(at.value);
    if (ranges.length === 0) return [];
    return [specialRangeFinding(at, ranges, 'these special-purpose addresses are never routed between hosts', 'choose ordinary unicast addresses')];
  }),
);

const documentationRanges: Check = perView((view) =>
  addressSubjects(view).flatMap((at): Finding[] => {
    const ranges = specialRangesOverlapping(at.value).filter((r) => r.tag === 'documentation');
    if (ranges.length === 0) return [];
    return [specialRangeFinding(at, ranges, 'documentation ranges are for examples and no real network routes them', 'replace it with your network\'s addresses')];
  }),
);

const reservedCIDRs: Check = perView((view, { params }) => {
  if (params.reservedCIDRs.length === 0) return [];
  return addressSubjects(view).flatMap((at): Finding[] => {
    const hit = params.reservedCIDRs.filter((r) => overlaps(r, at.value));
    if (hit.length === 0) return [];
    const verb = isCidrAt(at) ? 'overlap' : 'be in';
    return [
      {
        obj: at.obj,
        path: at.path,
        currentValue: at.text,
        message: `${at.obj.describe()}: ${subject(at)} must not ${verb} the reserved range${hit.length > 1 ? 's' : ''} ${someOf(hit.map((r) => q(formatCidr(r))))} (\`parameters.reservedCIDRs\`): choose addresses outside them`,
      },
    ];
  });
});

// ---------------------------------------------------------------------------------------------
// Fleet

interface FleetPodRange {
  readonly view: ClusterView;
  readonly range: PodRange;
}

/** Where another cluster's item is, for messages: `cluster "bm" (namespace "cluster-bm", file "bm.yaml")`. */
function elsewhere(view: ClusterView, obj: KubeObject): string {
  const f = facts(view);
  const file = obj.filePath();
  const where = [f.cluster ? `namespace "${view.namespace}"` : '', file ? `file "${file}"` : ''].filter(Boolean).join(', ');
  const who = f.cluster ? `cluster "${f.label}"` : `namespace "${view.namespace}"`;
  return where ? `${who} (${where})` : who;
}

const podRangesUnique: Check = ({ fleet }) => {
  const order = orderOf(fleet);
  const entries: OwnedCidr<FleetPodRange>[] = [];
  for (const view of fleet.views) {
    const f = facts(view);
    for (const range of f.podRanges) {
      // Island IPv4 pod ranges are private to their cluster and may repeat across the fleet.
      if (range.cidr.value.family === 'ipv4' && f.flatIPv4 !== true) continue;
      entries.push({ cidr: range.cidr.value, owner: { view, range } });
    }
  }
  const found: Array<{ at: number; other: number; finding: Finding }> = [];
  for (const [a, b] of findOverlaps(entries)) {
    if (a.owner.view === b.owner.view) continue; // one cluster's own configs: FLAT-CCC-005
    const ia = order.get(a.owner.range.cidr.obj) ?? 0;
    const ib = order.get(b.owner.range.cidr.obj) ?? 0;
    const [later, earlier] = ia > ib ? [a.owner, b.owner] : [b.owner, a.owner];
    const at = later.range.cidr;
    const them = earlier.range.cidr;
    found.push({
      at: Math.max(ia, ib),
      other: Math.min(ia, ib),
      finding: {
        obj: at.obj,
        path: at.path,
        currentValue: at.text,
        message:
          `${at.obj.describe()}: ${subject(at)} must not overlap ${q(them.text)} of ${them.obj.describe()} in ${elsewhere(earlier.view, them.obj)}: ` +
          'in flat mode pod addresses are routed across the network, so every cluster needs pod ranges of its own; choose a free range',
      },
    });
  }
  found.sort((x, y) => x.at - y.at || x.other - y.other);
  return found.map((x) => x.finding);
};

const floatingIPsUnique: Check = ({ fleet }) => {
  const order = orderOf(fleet);
  const all = fleet.views.flatMap((view) => facts(view).floatingIPs.map((ip) => ({ view, ip })));
  all.sort((x, y) => (order.get(x.ip.obj) ?? 0) - (order.get(y.ip.obj) ?? 0) || Number(x.ip.path.at(-1)) - Number(y.ip.path.at(-1)));
  const first = new Map<number | string, { view: ClusterView; ip: At<IPAddress> }>();
  const out: Finding[] = [];
  for (const e of all) {
    const key = ipKey(e.ip.value);
    const earlier = first.get(key);
    if (!earlier) {
      first.set(key, e);
      continue;
    }
    if (earlier.view === e.view) continue; // within one cluster: the schema's uniqueItems
    out.push({
      obj: e.ip.obj,
      path: e.ip.path,
      currentValue: e.ip.text,
      message:
        `${e.ip.obj.describe()}: ${subject(e.ip)} must not also be a floating IP of ${earlier.ip.obj.describe()} in ${elsewhere(earlier.view, earlier.ip.obj)}: ` +
        'two clusters would answer for one address; choose an unused address',
    });
  }
  return out;
};

export const ADDRESSES_BGP_CHECKS: Record<string, Check> = {
  'FLAT-BGP-001': peerSelectorMatches,
  'FLAT-BGP-002': sessionsVsFloatingIPs,
  'FLAT-BGP-003': maxSessions,
  'FLAT-BGP-004': reservedASN,
  'FLAT-BGP-005': documentationASN,
  'FLAT-BGP-006': allowedASNs,
  'FLAT-BGP-007': oneLocalASN,
  'FLAT-BGP-008': ibgpPeer,
  'FLAT-BGP-009': ipv4PeerAddress,
  'FLAT-BGP-010': peerIPCollision,
  'FLAT-BGP-011': unselectedPeer,
  'FLAT-BGP-012': floatingIPFamily,
  'FLAT-NGG-002': floatingIPCollision,
  'FLAT-ADR-001': podRangeVsNodes,
  'FLAT-ADR-002': podRangeVsServices,
  'FLAT-ADR-003': podRangeVsLoadBalancer,
  'FLAT-ADR-004': podRangeVsBGP,
  'FLAT-ADR-005': specialRanges,
  'FLAT-ADR-006': documentationRanges,
  'FLAT-ADR-007': reservedCIDRs,
  'FLAT-ADR-009': loadBalancerPoolOverlap,
  'FLAT-FLT-001': podRangesUnique,
  'FLAT-FLT-002': floatingIPsUnique,
};

/**
 * The FlatNetwork intent: schema-checked (packages/api/schemas/flatnet/flat-network.schema.json),
 * defaulted, then checked for meaning, every problem at once.
 */
import { defaultClusterNamespace } from '@flatnet/api';
import type { ConfigIssue } from '@flatnet/krm';
import { hostBitsMatch, parseCidr, parseIP, type Family } from '@flatnet/net';

export type Shape = 'ipv4-flat' | 'dual-stack-ipv6-flat' | 'dual-stack-flat';

export interface PodRangeSpec {
  cidr: string;
  perNodeMaskSize: number;
}

export interface PeerSpec {
  name: string;
  address: string;
  family: Family;
  asn: number;
  sessions: number;
}

export interface Intent {
  /** `FlatNetwork/<name>`, the value of the generated-by annotation. */
  id: string;
  cluster: string;
  /** Explicit namespace, or undefined to follow the Cluster (else cluster-<cluster>). */
  namespace: string | undefined;
  shape: Shape;
  floatingIPs: string[];
  localASN: number;
  peerSelector: Record<string, string>;
  peers: PeerSpec[];
  pods: { ipv4?: PodRangeSpec; ipv6?: PodRangeSpec };
  expandPerNodePool: { headroomPercent: number; prune: boolean } | undefined;
  serviceIPv6: string | undefined;
}

export const DEFAULT_PEER_SELECTOR: Readonly<Record<string, string>> = { 'flatip-peer': 'true' };

interface RawSpec {
  cluster: string;
  namespace?: string;
  shape: Shape;
  floatingIPs: string[];
  localASN: number;
  sessions?: number;
  peerSelector?: Record<string, string>;
  peers: Array<{ address: string; asn: number; name?: string; sessions?: number }>;
  pods: { ipv4?: PodRangeSpec; ipv6?: PodRangeSpec };
  expandPerNodePool?: { headroomPercent?: number; prune?: boolean };
  services?: { ipv6?: string };
}

/** `peer-10-0-1-254`, `peer-2001-db8--1`: a DNS-safe name from an address. */
export const peerNameFor = (address: string): string => `peer-${address.toLowerCase().replace(/[.:]/g, '-')}`;

export function defaultIntent(name: string, raw: { spec: RawSpec }): Intent {
  const s = raw.spec;
  const sessions = s.sessions ?? s.floatingIPs.length;
  return {
    id: `FlatNetwork/${name}`,
    cluster: s.cluster,
    namespace: s.namespace,
    shape: s.shape,
    floatingIPs: s.floatingIPs,
    localASN: s.localASN,
    peerSelector: s.peerSelector ?? { ...DEFAULT_PEER_SELECTOR },
    peers: s.peers.map((p) => {
      const ip = parseIP(p.address);
      return {
        name: p.name ?? peerNameFor(p.address),
        address: p.address,
        family: ip.ok ? ip.value.family : 'ipv4',
        asn: p.asn,
        sessions: p.sessions ?? sessions,
      };
    }),
    pods: s.pods,
    expandPerNodePool: s.expandPerNodePool
      ? { headroomPercent: s.expandPerNodePool.headroomPercent ?? 0, prune: s.expandPerNodePool.prune ?? false }
      : undefined,
    serviceIPv6: s.services?.ipv6,
  };
}

export const flatIPv4Of = (shape: Shape): boolean => shape !== 'dual-stack-ipv6-flat';
export const dualStackOf = (shape: Shape): boolean => shape !== 'ipv4-flat';

export function checkIntent(i: Intent): ConfigIssue[] {
  const issues: ConfigIssue[] = [];
  const need = (fam: 'ipv4' | 'ipv6', why: string): void => {
    if (!i.pods[fam]) issues.push({ path: `spec.pods.${fam}`, message: `\`spec.pods.${fam}\` is required: ${why}` });
  };
  if (flatIPv4Of(i.shape)) need('ipv4', `shape "${i.shape}" makes IPv4 flat, and flat pod ranges come from ClusterCIDRConfigs`);
  if (dualStackOf(i.shape)) need('ipv6', `shape "${i.shape}" is dual-stack, and a dual-stack cluster is always flat for IPv6`);
  if (i.shape === 'ipv4-flat' && i.pods.ipv6) {
    issues.push({ path: 'spec.pods.ipv6', message: '`spec.pods.ipv6` must not be set for shape "ipv4-flat" (a single-stack IPv4 cluster): remove it or choose a dual-stack shape' });
  }
  for (const fam of ['ipv4', 'ipv6'] as const) {
    const r = i.pods[fam];
    if (!r) continue;
    const c = parseCidr(r.cidr);
    if (c.ok && r.perNodeMaskSize < c.value.prefix) {
      issues.push({ path: `spec.pods.${fam}.perNodeMaskSize`, message: `\`spec.pods.${fam}.perNodeMaskSize\` ${r.perNodeMaskSize} must be at least the prefix length of "${r.cidr}" (${c.value.prefix})` });
    }
  }
  if (i.pods.ipv4 && i.pods.ipv6 && !hostBitsMatch(i.pods.ipv4.perNodeMaskSize, i.pods.ipv6.perNodeMaskSize)) {
    const want = 128 - (32 - i.pods.ipv4.perNodeMaskSize);
    issues.push({ path: 'spec.pods.ipv6.perNodeMaskSize', message: `\`spec.pods.ipv6.perNodeMaskSize\` ${i.pods.ipv6.perNodeMaskSize} must leave as many host bits as IPv4's /${i.pods.ipv4.perNodeMaskSize}: use ${want}` });
  }
  const names = new Map<string, number>();
  const addresses = new Map<string, number>();
  i.peers.forEach((p, idx) => {
    const ip = parseIP(p.address);
    const key = ip.ok ? `${ip.value.family}:${ip.value.value}` : p.address;
    if (names.has(p.name)) issues.push({ path: `spec.peers[${idx}].name`, message: `\`spec.peers[${idx}]\` is named "${p.name}" like \`spec.peers[${names.get(p.name)}]\`: peer names must be unique` });
    else names.set(p.name, idx);
    if (addresses.has(key)) issues.push({ path: `spec.peers[${idx}].address`, message: `\`spec.peers[${idx}].address\` "${p.address}" repeats \`spec.peers[${addresses.get(key)}]\`: one BGPPeer per address` });
    else addresses.set(key, idx);
    const floatingOfFamily = i.floatingIPs.some((f) => {
      const r = parseIP(f);
      return r.ok && r.value.family === p.family;
    });
    if (!floatingOfFamily) {
      issues.push({ path: `spec.peers[${idx}].address`, message: `\`spec.peers[${idx}].address\` "${p.address}" is ${p.family === 'ipv4' ? 'IPv4' : 'IPv6'}, but no floating IP is: BGP sessions start from floating IPs of the peer's family; add one to \`spec.floatingIPs\`` });
    }
  });
  return issues;
}

/** The namespace the generated objects go to. */
export function namespaceOf(i: Intent, clusterNamespace: string | undefined): string {
  return i.namespace ?? clusterNamespace ?? defaultClusterNamespace(i.cluster);
}

/**
 * Cluster network and ClusterCIDRConfig policies (FLAT-CLU-*, FLAT-CCC-*).
 *
 * Conventions of this module:
 * - Whether flat mode with BGP is in play is the model's answer (`facts(view).flatMode`): a FlatIPMode,
 *   a NetworkGatewayGroup, a FlatIPMode-selected BGPPeer or `flatIPv4: true`; never ClusterCIDRConfigs.
 * - Rules that read the Cluster judge nothing when the namespace's Cluster is not in the input.
 * - A field present with the wrong type or out of its schema range is FLAT-SCH-001's to report:
 *   every rule here skips it rather than reason from it.
 * - The control plane's node pool is named after the Cluster (GDC creates it), so a config whose
 *   selector names the Cluster binds the control-plane nodes.
 */
import { NODE_AFFINITY_ONLY_OPERATORS, labelSelectorMatches, type LabelSelector } from '@flatnet/api';
import type { KubeObject, PathSegment } from '@flatnet/krm';
import { formatPath, listSome } from '@flatnet/krm';
import { addressesPerBlock, bits, equalCidr, findOverlaps, perNodeBlocks, type Cidr, type Family } from '@flatnet/net';
import {
  NODE_POOL_LABEL,
  cidrAt,
  facts,
  flatModeInPlay,
  int,
  list,
  poolLabels,
  type At,
  type ClusterView,
  type ConfigFacts,
  type PoolLabels,
  type SelectorProblem,
} from '../model';
import type { Check, Finding } from './types';

const FAMILIES = ['ipv4', 'ipv6'] as const;
const FAMILY_NAME: Record<Family, string> = { ipv4: 'IPv4', ipv6: 'IPv6' };

const NETWORK = ['spec', 'clusterNetwork'] as const;
const ADVANCED = [...NETWORK, 'advancedNetworking'];
const FLAT_IPV4 = [...NETWORK, 'flatIPv4'];
const PODS = [...NETWORK, 'pods', 'cidrBlocks'];
const SERVICES = [...NETWORK, 'services', 'cidrBlocks'];
const SKIP_SIZE_CHECK = 'baremetal.cluster.gke.io/skip-pod-cidr-size-check';
/** The schema's bounds of `maxPodsPerNode` (Cluster and NodePool). */
const MAX_PODS_RANGE = [32, 250] as const;

// ---------------------------------------------------------------------------------------------
// Private helpers

/** A boolean field: its value, `undefined` when absent, `'malformed'` when present but not a boolean. */
function flag(obj: KubeObject, path: readonly PathSegment[]): boolean | undefined | 'malformed' {
  const v = obj.get(path);
  if (v === undefined) return undefined;
  return typeof v === 'boolean' ? v : 'malformed';
}

/** The Cluster of a view, if the input holds it. */
const clusterOf = (view: ClusterView): KubeObject | undefined => facts(view).cluster;

const q = (v: unknown): string => `"${String(v)}"`;

/** "a, b and c"; past five, the first five and a count (listSome). */
function join(words: readonly string[]): string {
  if (words.length > 5) return listSome(words);
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words[words.length - 1]}`;
}

/** Every entry of a CIDR list parsed, or undefined when any entry is malformed (then the list says nothing for sure). */
function allCidrs(obj: KubeObject, path: readonly PathSegment[]): At<Cidr>[] | undefined {
  const raw = list(obj, path);
  const parsed = raw.flatMap((_, i) => cidrAt(obj, [...path, i]) ?? []);
  return parsed.length === raw.length ? parsed : undefined;
}

/** A per-node mask of a config's family: its value when it is an integer within the family's width, else undefined. */
function perNodeMask(cfg: ConfigFacts, fam: Family): number | undefined {
  const m = cfg[fam].mask;
  return m !== undefined && m >= 0 && m <= bits(fam) ? m : undefined;
}

/** One family of one config, when both its cidr and perNodeMaskSize are well-formed. */
interface FamilyRange {
  readonly cfg: KubeObject;
  readonly fam: Family;
  readonly cidr: At<Cidr>;
  readonly mask: number;
  /** The node pool the config binds, if any. */
  readonly pool: string | undefined;
}

function familyRange(c: ConfigFacts, fam: Family): FamilyRange | undefined {
  const cidr = c[fam].cidr;
  const mask = perNodeMask(c, fam);
  return cidr && cidr.value.family === fam && mask !== undefined ? { cfg: c.obj, fam, cidr, mask, pool: c.boundPool } : undefined;
}

/** A stable text of a config's whole node selector, to tell selectors apart. */
function selectorKey(c: ConfigFacts): string {
  const cfg = c.obj;
  const labels = c.matchLabels;
  const sorted = Object.keys(labels)
    .sort()
    .map((k) => [k, labels[k]]);
  return JSON.stringify([sorted, cfg.get(['spec', 'nodeSelector', 'matchExpressions']) ?? []]);
}

/** The node pools of a namespace by name, the control plane's (named after the Cluster) included. */
function poolNames(view: ClusterView): Set<string> {
  const names = new Set<string>();
  for (const c of view.clusters) if (c.name) names.add(c.name);
  for (const p of view.nodePools) if (p.name) names.add(p.name);
  return names;
}

const plural = (n: bigint | number, word: string): string => `${n} ${word}${BigInt(n) === 1n ? '' : 's'}`;

// ---------------------------------------------------------------------------------------------
// FLAT-CLU-*

const advancedNetworking: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster) continue;
    const current = flag(cluster, ADVANCED);
    if (current === true || current === 'malformed') continue;
    const evidence = facts(view).flatMode;
    if (!evidence.inPlay) continue;
    const why: string[] = [];
    if (evidence.flatIPv4) why.push('`spec.clusterNetwork.flatIPv4` is true');
    const kinds: string[] = [];
    if (evidence.flatIPMode) kinds.push('a FlatIPMode');
    if (evidence.gateway) kinds.push('a NetworkGatewayGroup');
    if (evidence.selectedPeer) kinds.push('a BGPPeer selected by the FlatIPMode');
    if (kinds.length) why.push(`namespace "${view.namespace}" holds ${join(kinds)}`);
    out.push({
      obj: cluster,
      path: ADVANCED,
      currentValue: current,
      proposedValue: true,
      message:
        `${cluster.describe()}: \`spec.clusterNetwork.advancedNetworking\` must be true for flat mode ` +
        `(${join(why)}); it is ${current === undefined ? 'not set' : q(current)}: set it to true. ` +
        `It can only be set when the cluster is created: an existing cluster must be recreated to use flat mode`,
    });
  }
  return out;
};

const flatIPv4Flag: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster) continue;
    const flat4 = flag(cluster, FLAT_IPV4);
    if (flat4 === true || flat4 === 'malformed') continue;
    for (const mode of view.flatModes) {
      if (flag(mode, ['spec', 'enableBGPIPv4']) !== true) continue;
      out.push({
        obj: mode,
        path: ['spec', 'enableBGPIPv4'],
        currentValue: true,
        message:
          `${mode.describe()}: \`spec.enableBGPIPv4\` must not be true while ${cluster.describe()} has ` +
          `\`spec.clusterNetwork.flatIPv4\` ${flat4 === undefined ? 'unset' : '"false"'}: its IPv4 pods are in island mode, so there is nothing to advertise. ` +
          `Set \`enableBGPIPv4\` to false, or create the cluster with \`flatIPv4: true\` (it cannot be turned on later)`,
      });
    }
  }
  return out;
};

const ipv6NeedsDualStack: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster) continue;
    const services = allCidrs(cluster, SERVICES);
    if (!services || services.length === 0) continue;
    const hasV4 = services.some((s) => s.value.family === 'ipv4');
    const hasV6 = services.some((s) => s.value.family === 'ipv6');
    if (!hasV6) {
      for (const mode of view.flatModes) {
        if (flag(mode, ['spec', 'enableBGPIPv6']) !== true) continue;
        out.push({
          obj: mode,
          path: ['spec', 'enableBGPIPv6'],
          currentValue: true,
          message:
            `${mode.describe()}: \`spec.enableBGPIPv6\` must not be true while ${cluster.describe()} is not dual-stack ` +
            `(\`spec.clusterNetwork.services.cidrBlocks\` has no IPv6 range): there are no IPv6 pods to advertise. ` +
            `Set \`enableBGPIPv6\` to false, or create the cluster dual-stack with a second, IPv6 service range`,
        });
      }
    }
    // Only clusters where flat mode with BGP is in play: GDC's other IPv6 stories are not this validator's to judge.
    if (!hasV4 && flatModeInPlay(view)) {
      out.push({
        obj: cluster,
        path: SERVICES,
        message:
          `${cluster.describe()}: \`spec.clusterNetwork.services.cidrBlocks\` must have an IPv4 range: ` +
          `IPv6-only clusters are not documented for flat mode with BGP (only IPv4 single-stack and IPv4/IPv6 dual-stack are); ` +
          `put an IPv4 service range first and keep the IPv6 one as the second entry`,
      });
    }
  }
  return out;
};

const flatModeComplete: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    // Only a declared flat mode (a FlatIPMode or `flatIPv4`) with some BGP object is judged:
    // `flatIPv4` with no BGP object at all is GDC's static flat mode (one layer 2 domain), and a
    // NetworkGatewayGroup without either is a BGP load balancer's or egress NAT's, needing no FlatIPMode.
    const evidence = facts(view).flatMode;
    if (!(evidence.flatIPMode || evidence.flatIPv4) || !(evidence.flatIPMode || evidence.gateway || view.peers.length)) continue;
    const missing: string[] = [];
    if (!view.gateways.length) missing.push('no NetworkGatewayGroup');
    if (!view.flatModes.length) missing.push('no FlatIPMode');
    if (!view.peers.length) missing.push('no BGPPeer');
    if (!missing.length) continue;
    const cluster = clusterOf(view);
    const obj = cluster ?? view.flatModes[0];
    if (!obj) continue;
    const why = cluster
      ? facts(view).flatIPv4 === true
        ? '`spec.clusterNetwork.flatIPv4` is true'
        : `its namespace holds a FlatIPMode`
      : 'flat mode with BGP';
    out.push({
      obj,
      message:
        `${obj.describe()}: a flat-mode cluster (${why}) must have a NetworkGatewayGroup, a FlatIPMode and at least one BGPPeer ` +
        `in namespace "${view.namespace}", and it has ${join(missing)}: add ${missing.length === 1 ? 'it' : 'them'}` +
        (view.gateways.length && view.flatModes.length ? '' : ' (a NetworkGatewayGroup and a FlatIPMode are named "default")'),
    });
  }
  return out;
};

const podRangePerFlatFamily: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster) continue;
    const has = (fam: Family) => facts(view).configs.some((c) => c[fam].present);
    if (flag(cluster, FLAT_IPV4) === true && !has('ipv4')) {
      out.push({
        obj: cluster,
        path: FLAT_IPV4,
        currentValue: true,
        message:
          `${cluster.describe()}: \`spec.clusterNetwork.flatIPv4\` is true, so namespace "${view.namespace}" must have a ClusterCIDRConfig with \`spec.ipv4\`: ` +
          `flat IPv4 ignores \`pods.cidrBlocks\` and nodes get no IPv4 pod range otherwise; add one`,
      });
    }
    const f = facts(view);
    const ipv6Service = f.services.find((s) => s.value.family === 'ipv6');
    const v6Enabled = view.flatModes.some((m) => flag(m, ['spec', 'enableBGPIPv6']) === true);
    if (f.dualStack && ipv6Service && v6Enabled && !has('ipv6')) {
      out.push({
        obj: cluster,
        path: ipv6Service.path,
        currentValue: ipv6Service.text,
        message:
          `${cluster.describe()} is dual-stack (IPv6 service range ${q(ipv6Service.text)}) and its FlatIPMode enables IPv6, so namespace "${view.namespace}" ` +
          `must have a ClusterCIDRConfig with \`spec.ipv6\`: IPv6 is always flat and nodes get no IPv6 pod range otherwise; add one`,
      });
    }
  }
  return out;
};

const bgpFamilyEnabled: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    for (const mode of view.flatModes) {
      const v4 = flag(mode, ['spec', 'enableBGPIPv4']);
      const v6 = flag(mode, ['spec', 'enableBGPIPv6']);
      if (v4 === true || v6 === true || v4 === 'malformed' || v6 === 'malformed') continue;
      const f = facts(view);
      const hint = f.flatIPv4 === true ? 'set `enableBGPIPv4: true`' : f.dualStack ? 'set `enableBGPIPv6: true`' : 'set `enableBGPIPv4` or `enableBGPIPv6` to true';
      out.push({
        obj: mode,
        path: ['spec'],
        message:
          `${mode.describe()} must enable at least one of \`spec.enableBGPIPv4\` and \`spec.enableBGPIPv6\`: ` +
          `with neither, flat mode advertises no pod range and does nothing; ${hint}`,
      });
    }
  }
  return out;
};

const maskBounds =
  (fieldPath: readonly PathSegment[], [min, max]: readonly [number, number], what: string, skipWhenFlat: boolean): Check =>
  ({ fleet }) => {
    const out: Finding[] = [];
    for (const view of fleet.views) {
      const cluster = clusterOf(view);
      if (!cluster) continue;
      // flatIPv4 true: the field is ignored (FLAT-CLU-009); malformed: FLAT-SCH-001's.
      const flat4 = flag(cluster, FLAT_IPV4);
      if (skipWhenFlat && (flat4 === true || flat4 === 'malformed')) continue;
      list(cluster, fieldPath).forEach((_, i) => {
        const at = cidrAt(cluster, [...fieldPath, i]);
        if (!at || at.value.family !== 'ipv4') return;
        const p = at.value.prefix;
        if (p >= min && p <= max) return;
        out.push({
          obj: cluster,
          path: at.path,
          currentValue: at.text,
          message:
            `${cluster.describe()}: \`${formatPath(at.path)}\` ${q(at.text)} must have a mask from /${min} to /${max} (${what}): ` +
            (p < min ? `use a smaller range, /${min} at most` : `use a larger range, /${max} at least`),
        });
      });
    }
    return out;
  };

const islandPodsIgnored: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster || flag(cluster, FLAT_IPV4) !== true) continue;
    const pods = list(cluster, PODS);
    if (!pods.length) continue;
    out.push({
      obj: cluster,
      path: PODS,
      message:
        `${cluster.describe()}: \`spec.clusterNetwork.pods.cidrBlocks\` is ignored because \`spec.clusterNetwork.flatIPv4\` is true: ` +
        `ClusterCIDRConfigs give the pod ranges; the field may be removed`,
    });
  }
  return out;
};

const ONE_PER_FAMILY: ReadonlyArray<{ path: readonly PathSegment[]; what: string; refuser: string; more: string }> = [
  { path: SERVICES, what: 'service', refuser: 'kube-apiserver', more: '' },
  { path: PODS, what: 'pod', refuser: 'kube-controller-manager', more: '; for more pod addresses add a ClusterCIDRConfig' },
];

const oneRangePerFamily: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster) continue;
    const flat4 = flag(cluster, FLAT_IPV4);
    for (const { path, what, refuser, more } of ONE_PER_FAMILY) {
      // Ignored with flatIPv4 (FLAT-CLU-009); a malformed flag is FLAT-SCH-001's.
      if (path === PODS && (flat4 === true || flat4 === 'malformed')) continue;
      const raw = list(cluster, path);
      if (raw.length > 2) {
        out.push({
          obj: cluster,
          path,
          message:
            `${cluster.describe()}: \`${formatPath(path)}\` must have at most two ranges, one IPv4 and one IPv6, and it has ${raw.length}: ` +
            `${refuser} refuses more; keep an IPv4 range first and, for dual-stack, an IPv6 range second${more}`,
        });
        continue;
      }
      const ranges = allCidrs(cluster, path); // undefined when an entry is malformed: FLAT-SCH-001's
      const [first, second] = ranges ?? [];
      if (!first || !second || first.value.family !== second.value.family) continue;
      const fam = FAMILY_NAME[first.value.family];
      out.push({
        obj: cluster,
        path: second.path,
        currentValue: second.text,
        message:
          `${cluster.describe()}: \`${formatPath(second.path)}\` ${q(second.text)} must not be a second ${fam} range (the first is ${q(first.text)}): ` +
          `a cluster has at most one range of each family (two make it dual-stack: one IPv4, one IPv6), and ${refuser} refuses two ${what} ranges of one family; ` +
          `remove it${first.value.family === 'ipv4' ? ', or make it IPv6 for a dual-stack cluster' : ''}${more}`,
      });
    }
  }
  return out;
};

// ---------------------------------------------------------------------------------------------
// FLAT-CCC-*

const perNodeMaskBounds: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    for (const c of facts(view).configs) {
      for (const fam of FAMILIES) {
        const r = familyRange(c, fam);
        if (!r) continue;
        const { mask, cidr, cfg } = r;
        const prefix = cidr.value.prefix;
        const path = ['spec', fam, 'perNodeMaskSize'];
        const field = `\`spec.${fam}.perNodeMaskSize\` ${q(mask)}`;
        const most = bits(fam) - 4;
        if (mask < prefix)
          out.push({
            obj: cfg,
            path,
            currentValue: mask,
            message: `${cfg.describe()}: ${field} must be at least the prefix length of \`spec.${fam}.cidr\` ${q(cidr.text)} (${prefix}): a node's block cannot be larger than the range; use ${prefix} or more`,
          });
        if (mask > most)
          out.push({
            obj: cfg,
            path,
            currentValue: mask,
            message: `${cfg.describe()}: ${field} must leave each node at least 4 host bits (16 addresses), so it must be at most ${most}; use a shorter mask`,
          });
        if (mask - prefix > 16)
          out.push({
            obj: cfg,
            path,
            currentValue: mask,
            message:
              `${cfg.describe()}: ${field} must be at most 16 more than the prefix length of \`spec.${fam}.cidr\` ${q(cidr.text)}, that is at most ${prefix + 16}: ` +
              `the allocator handles at most 65,536 per-node blocks in one range; use a shorter mask or a smaller range`,
          });
      }
    }
  }
  return out;
};

const hostBitParity: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    for (const c of facts(view).configs) {
      const cfg = c.obj;
      const m4 = perNodeMask(c, 'ipv4');
      const m6 = perNodeMask(c, 'ipv6');
      if (m4 === undefined || m6 === undefined || 32 - m4 === 128 - m6) continue;
      const matching = 96 + m4;
      const cidr6 = c.ipv6.cidr;
      // Proposed only when FLAT-CCC-001 accepts it too (within the range, at most 16 bits below it):
      // otherwise the IPv6 range must change as well, which no single value can say.
      const prefix = cidr6?.value.family === 'ipv6' ? cidr6.value.prefix : undefined;
      const fits = prefix === undefined || (prefix <= matching && matching - prefix <= 16);
      const why = prefix !== undefined && prefix > matching ? `is smaller than one /${matching} block` : `would have more than 65,536 blocks of /${matching}`;
      const range = prefix !== undefined && !fits ? ` with an IPv6 range of /${Math.max(matching - 16, 0)} to /${matching}: \`spec.ipv6.cidr\` ${q(cidr6!.text)} ${why}` : '';
      out.push({
        obj: cfg,
        path: ['spec', 'ipv6', 'perNodeMaskSize'],
        currentValue: m6,
        ...(fits ? { proposedValue: matching } : {}),
        message:
          `${cfg.describe()}: \`spec.ipv6.perNodeMaskSize\` ${q(m6)} must give each node as many host bits as \`spec.ipv4.perNodeMaskSize\` ${q(m4)} ` +
          `(${32 - m4}, against ${128 - m6}): use ${matching}${range}`,
      });
    }
  }
  return out;
};

const perNodeBlockHoldsMaxPods: Check = ({ fleet, params }) => {
  const out: Finding[] = [];
  const inRange = (n: number) => n >= MAX_PODS_RANGE[0] && n <= MAX_PODS_RANGE[1];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    for (const c of facts(view).configs) {
      const cfg = c.obj;
      // Where the max pods per node of this config's nodes comes from: the bound pool, the Cluster, the parameter.
      // A value of the wrong type or out of the schema's range is FLAT-SCH-001's: the config is not judged then.
      const poolName = c.boundPool;
      const pool = poolName !== undefined ? view.nodePools.find((p) => p.name === poolName) : undefined;
      const POOL_PODS = ['spec', 'kubeletConfig', 'maxPodsPerNode'];
      const CLUSTER_PODS = ['spec', 'nodeConfig', 'podDensity', 'maxPodsPerNode'];
      let maxPods: number | undefined;
      let source: string;
      if (pool && pool.get(POOL_PODS) !== undefined) {
        maxPods = int(pool, POOL_PODS);
        source = `of ${pool.describe()} (\`spec.kubeletConfig.maxPodsPerNode\`)`;
      } else if (cluster && cluster.get(CLUSTER_PODS) !== undefined) {
        maxPods = int(cluster, CLUSTER_PODS);
        source = `of ${cluster.describe()} (\`spec.nodeConfig.podDensity.maxPodsPerNode\`)`;
      } else {
        maxPods = params.maxPodsPerNode;
        source = 'per node (the default, parameter `maxPodsPerNode`)';
      }
      if (maxPods === undefined || !inRange(maxPods)) continue;
      for (const fam of FAMILIES) {
        const mask = perNodeMask(c, fam);
        if (mask === undefined) continue;
        const addresses = addressesPerBlock(mask, fam);
        if (addresses >= BigInt(maxPods)) continue;
        let longest = bits(fam);
        while (longest > 0 && addressesPerBlock(longest, fam) < BigInt(maxPods)) longest--;
        out.push({
          obj: cfg,
          path: ['spec', fam, 'perNodeMaskSize'],
          currentValue: mask,
          message:
            `${cfg.describe()}: \`spec.${fam}.perNodeMaskSize\` ${q(mask)} gives each node ${addresses} addresses, which must be at least the ${maxPods} pods ${source}: ` +
            `use /${longest} or a shorter mask${fam === 'ipv4' && longest > 24 ? " (GDC's default is /24)" : ''}`,
        });
      }
    }
  }
  return out;
};

interface Group {
  /** The pool's NodePool; undefined for the control plane. */
  readonly pool: KubeObject | undefined;
  readonly nodes: number;
}

/** For messages only (building it for every pool costs more than the check): `NodePool "np1"`, `the control plane`. */
const groupLabel = (g: Group): string => (g.pool ? g.pool.describe() : 'the control plane');

const poolCapacity: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    const cluster = clusterOf(view);
    if (!cluster) continue;
    const skip = cluster.annotation(SKIP_SIZE_CHECK);
    if (skip !== undefined && skip !== 'false') continue;
    const cpName = cluster.name;
    const groups = new Map<string, Group>();
    const cpNodes = list(cluster, ['spec', 'controlPlane', 'nodePoolSpec', 'nodes']).length;
    if (cpName) groups.set(cpName, { pool: undefined, nodes: cpNodes });
    for (const p of view.nodePools) {
      if (!p.name || groups.has(p.name)) continue; // unnamed or duplicate pools are other policies' findings
      groups.set(p.name, { pool: p, nodes: list(p, ['spec', 'nodes']).length });
    }
    for (const fam of FAMILIES) {
      const configs = facts(view).configs.filter((c) => c[fam].present);
      if (!configs.length) continue;
      const ranges = configs.map((c) => familyRange(c, fam));
      // A malformed range, or a selector that is neither a pool binding nor empty (per-node or
      // other labels): the nodes a range serves are then unknown, so this family is not judged.
      if (ranges.some((r) => !r) || configs.some((c) => c.boundPool === undefined && !c.selectsAll)) continue;
      const byPool = new Map<string, FamilyRange[]>();
      const shared: FamilyRange[] = [];
      for (const r of ranges as FamilyRange[]) {
        const pool = r.pool;
        if (pool === undefined) shared.push(r);
        else {
          const list = byPool.get(pool);
          if (list) list.push(r);
          else byPool.set(pool, [r]);
        }
      }
      const blocksOf = (rs: readonly FamilyRange[]) => rs.reduce((sum, r) => sum + perNodeBlocks(r.cidr.value, r.mask), 0n);
      const describeRanges = (rs: readonly FamilyRange[]) => join(rs.map((r) => `/${r.mask} blocks of ${q(r.cidr.text)}`));
      const unbound: Array<[string, Group]> = [];
      for (const [name, group] of groups) {
        const own = byPool.get(name);
        if (!own) {
          unbound.push([name, group]);
          continue;
        }
        const have = blocksOf(own);
        const need = BigInt(group.nodes);
        if (have >= need) continue;
        const first = own[0]!;
        out.push({
          obj: first.cfg,
          path: first.cidr.path,
          currentValue: first.cidr.text,
          message:
            `${first.cfg.describe()}: the ${FAMILY_NAME[fam]} ranges bound to ${groupLabel(group)} must give a per-node block to each of its ${plural(need, 'node')}, ` +
            `and they give ${plural(have, 'block')} (${describeRanges(own)}): ${plural(need - have, 'block')} missing; ` +
            `widen \`spec.${fam}.cidr\`, or add a ClusterCIDRConfig for the pool`,
        });
      }
      const need = unbound.reduce((sum, [, g]) => sum + BigInt(g.nodes), 0n);
      if (need === 0n) continue;
      const served = unbound.filter(([, g]) => g.nodes > 0);
      const who = (): string => join(served.map(([, g]) => `${groupLabel(g)} (${plural(g.nodes, 'node')})`));
      if (!shared.length) {
        out.push({
          obj: cluster,
          message:
            `${cluster.describe()}: every node must get an ${FAMILY_NAME[fam]} pod range, and ${who()} ${need === 1n ? 'gets' : 'get'} none: ` +
            `no ClusterCIDRConfig of namespace "${view.namespace}" with \`spec.${fam}\` binds ${served.length === 1 ? 'its pool' : 'their pools'} and none has an empty selector; ` +
            `add one for ${served.length === 1 ? 'it' : 'them'}`,
        });
        continue;
      }
      const have = blocksOf(shared);
      if (have >= need) continue;
      const first = shared[0]!;
      out.push({
        obj: first.cfg,
        path: first.cidr.path,
        currentValue: first.cidr.text,
        message:
          `${first.cfg.describe()}: the ${FAMILY_NAME[fam]} ranges with an empty selector must give a per-node block to each of the ${plural(need, 'node')} they serve (${who()}), ` +
          `and they give ${plural(have, 'block')} (${describeRanges(shared)}): ${plural(need - have, 'block')} missing; ` +
          `widen \`spec.${fam}.cidr\`, or add a ClusterCIDRConfig`,
      });
    }
  }
  return out;
};

interface Owned {
  readonly cfg: KubeObject;
  readonly at: At<Cidr>;
  readonly facts: ConfigFacts;
}

interface ConfigOverlaps {
  readonly shared: Array<[Owned, Owned]>;
  readonly overlapping: Array<[Owned, Owned]>;
}

/** Overlapping ranges of one cluster's configs, split into shared identical ranges (warning) and the rest (error); once per view, for two policies. */
const overlapsCache = new WeakMap<ClusterView, ConfigOverlaps>();
function configOverlaps(view: ClusterView): ConfigOverlaps {
  const cached = overlapsCache.get(view);
  if (cached) return cached;
  const entries: Array<{ cidr: Cidr; owner: Owned }> = [];
  for (const c of facts(view).configs) {
    for (const fam of FAMILIES) {
      const at = c[fam].cidr;
      if (at && at.value.family === fam) entries.push({ cidr: at.value, owner: { cfg: c.obj, at, facts: c } });
    }
  }
  const shared: Array<[Owned, Owned]> = [];
  const overlapping: Array<[Owned, Owned]> = [];
  // One config per family at most, so fewer than two configs cannot overlap.
  if (entries.length > 2 || (entries.length === 2 && entries[0]!.owner.cfg !== entries[1]!.owner.cfg)) {
    for (const [a, b] of findOverlaps(entries)) {
      if (a.owner.cfg === b.owner.cfg) continue;
      if (equalCidr(a.cidr, b.cidr) && selectorKey(a.owner.facts) !== selectorKey(b.owner.facts)) shared.push([a.owner, b.owner]);
      else overlapping.push([a.owner, b.owner]);
    }
  }
  const out = { shared, overlapping };
  overlapsCache.set(view, out);
  return out;
}

const cidrConfigOverlap: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    for (const [a, b] of configOverlaps(view).overlapping) {
      const same = equalCidr(a.at.value, b.at.value);
      out.push({
        obj: b.cfg,
        path: b.at.path,
        currentValue: b.at.text,
        message: same
          ? `${b.cfg.describe()}: \`${formatPath(b.at.path)}\` ${q(b.at.text)} must not repeat the range of ${a.cfg.describe()} with the same node selector: ` +
            `the two configs are one; remove one of them`
          : `${b.cfg.describe()}: \`${formatPath(b.at.path)}\` ${q(b.at.text)} must not overlap ${q(a.at.text)} of ${a.cfg.describe()}: ` +
            `nodes could be given the same pod addresses; use a range outside it`,
      });
    }
  }
  return out;
};

const sharedPodRange: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    for (const [a, b] of configOverlaps(view).shared) {
      out.push({
        obj: b.cfg,
        path: b.at.path,
        currentValue: b.at.text,
        message:
          `${b.cfg.describe()}: \`${formatPath(b.at.path)}\` ${q(b.at.text)} is also the range of ${a.cfg.describe()}, with another node selector: ` +
          `Kubernetes allows it, but allocations from one range through two configs can collide; make sure it is deliberate, or give each config its own range`,
      });
    }
  }
  return out;
};

/** The pools by label: a selector is tried on the pools that carry one of its required labels, not on all. */
interface PoolIndex {
  /** `key NUL value` -> the pools with that label. */
  readonly byLabel: Map<string, PoolLabels[]>;
  /** key -> the pools with that key. */
  readonly byKey: Map<string, PoolLabels[]>;
}

function indexPools(pools: readonly PoolLabels[]): PoolIndex {
  const byLabel = new Map<string, PoolLabels[]>();
  const byKey = new Map<string, PoolLabels[]>();
  const add = (m: Map<string, PoolLabels[]>, k: string, p: PoolLabels): void => {
    const l = m.get(k);
    if (l) l.push(p);
    else m.set(k, [p]);
  };
  for (const p of pools) {
    for (const [k, v] of Object.entries(p.labels)) {
      add(byLabel, `${k}\u0000${v}`, p); // NUL: in no label
      add(byKey, k, p);
    }
  }
  return { byLabel, byKey };
}

/** The pools a selector can match: those with its first required label, or with its first `In` or `Exists` key; all pools only for a selector of `NotIn` and `DoesNotExist` alone. */
function candidatesOf(selector: LabelSelector, index: PoolIndex, pools: readonly PoolLabels[]): readonly PoolLabels[] {
  const label = Object.entries(selector.matchLabels)[0];
  if (label) return index.byLabel.get(`${label[0]}\u0000${label[1]}`) ?? [];
  const required = selector.matchExpressions.find((e) => e.operator === 'In' || e.operator === 'Exists');
  return required ? (index.byKey.get(required.key) ?? []) : pools;
}

/** The label keys a selector reads. */
const selectorKeys = (s: LabelSelector): string[] => [...Object.keys(s.matchLabels), ...s.matchExpressions.map((e) => e.key)];

const selectorNamesAPool: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    if (!view.nodePools.length) continue;
    const names = poolNames(view);
    let pools: PoolLabels[] | undefined;
    let index: PoolIndex | undefined;
    for (const { obj: cfg, boundPool: pool, selector, selectsAll } of facts(view).configs) {
      if (pool !== undefined && !names.has(pool)) {
        const known = [...new Set(view.nodePools.map((p) => p.name).filter((n) => n))].sort().map(q);
        for (const c of view.clusters) if (c.name) known.push(`${q(c.name)} (the control plane)`);
        const listing = known.length <= 6 ? `; its pools are ${join(known)}` : '';
        out.push({
          obj: cfg,
          path: ['spec', 'nodeSelector', 'matchLabels', NODE_POOL_LABEL],
          currentValue: pool,
          message:
            `${cfg.describe()}: \`spec.nodeSelector.matchLabels["${NODE_POOL_LABEL}"]\` ${q(pool)} must name a node pool of namespace "${view.namespace}"${listing}: ` +
            `as written the config selects no node; name an existing pool`,
        });
        continue;
      }
      // A malformed selector is FLAT-CCC-008's or FLAT-SCH-001's; an empty one selects every node.
      if (!selector || selectsAll) continue;
      pools ??= poolLabels(view);
      index ??= indexPools(pools);
      const keys = selectorKeys(selector);
      // A label no pool declares may still be on nodes (a hostname, a label set by hand): not judged.
      if (keys.some((k) => !index!.byKey.has(k))) continue;
      if (candidatesOf(selector, index, pools).some((p) => labelSelectorMatches(selector, p.labels))) continue;
      const used = [...new Set(keys)].filter((k) => k !== NODE_POOL_LABEL);
      const shown = pools.slice(0, 3).map((p) => `pool ${q(p.pool)}: ${used.map((k) => (Object.prototype.hasOwnProperty.call(p.labels, k) ? `${k} ${q(p.labels[k])}` : `no ${k}`)).join(', ')}`);
      const more = pools.length > 3 ? ` and ${plural(pools.length - 3, 'more pool')}` : '';
      out.push({
        obj: cfg,
        path: ['spec', 'nodeSelector'],
        message:
          `${cfg.describe()}: \`spec.nodeSelector\` must select a node of the node pools of namespace "${view.namespace}", and it selects none` +
          (used.length ? ` (${shown.join('; ')}${more})` : '') +
          `: as written the config's range is never used; correct the selector, or give a pool those labels in its \`spec.labels\``,
      });
    }
  }
  return out;
};

const OPERATOR_LIST = 'In, NotIn, Exists or DoesNotExist';

/** One FLAT-CCC-008 message per problem the model found in a selector. */
function selectorProblemMessage(cfg: KubeObject, p: SelectorProblem): string {
  const field = `\`${formatPath(p.path)}\``;
  switch (p.code) {
    case 'key':
      return `${cfg.describe()}: ${field} key ${JSON.stringify(p.key)} ${p.why}: Kubernetes refuses the selector and no node can carry such a label; correct the key`;
    case 'value':
      return `${cfg.describe()}: ${field} ${JSON.stringify(p.value)} ${p.why}: Kubernetes refuses the selector and no node can carry such a label; correct the value`;
    case 'operator':
      return NODE_AFFINITY_ONLY_OPERATORS.includes(p.operator)
        ? `${cfg.describe()}: ${field} ${q(p.operator)} must be ${OPERATOR_LIST}: \`spec.nodeSelector\` is a label selector, and ${p.operator} belongs to node affinity (a NodeSelector) only; list the accepted values with In instead`
        : `${cfg.describe()}: ${field} ${q(p.operator)} must be ${OPERATOR_LIST} (operators are case-sensitive): use one of them`;
    case 'values-required':
      return `${cfg.describe()}: ${field} must list at least one value when \`operator\` is ${q(p.operator)}: Kubernetes refuses an empty list; add the values, or use ${p.operator === 'In' ? 'Exists' : 'DoesNotExist'}`;
    case 'values-forbidden':
      return `${cfg.describe()}: ${field} must be empty when \`operator\` is ${q(p.operator)}: Kubernetes refuses values there; remove them, or use ${p.operator === 'Exists' ? 'In' : 'NotIn'}`;
    case 'node-selector-terms':
      return (
        `${cfg.describe()}: ${field} must not be used: GDC's ClusterCIDRConfig takes a label selector (\`matchLabels\`, \`matchExpressions\`), not upstream Kubernetes' NodeSelector, ` +
        `so the terms are not read and the config selects every node; move the expressions of the term to \`spec.nodeSelector.matchExpressions\``
      );
  }
}

const selectorSyntax: Check = ({ fleet }) => {
  const out: Finding[] = [];
  for (const view of fleet.views) {
    for (const c of facts(view).configs) {
      for (const p of c.selectorProblems) {
        const current = p.code === 'key' ? p.key : p.code === 'value' ? p.value : p.code === 'operator' ? p.operator : undefined;
        out.push({ obj: c.obj, path: p.path, ...(current !== undefined ? { currentValue: current } : {}), message: selectorProblemMessage(c.obj, p) });
      }
    }
  }
  return out;
};

export const CLUSTER_NETWORK_CHECKS: Record<string, Check> = {
  'FLAT-CLU-001': advancedNetworking,
  'FLAT-CLU-002': flatIPv4Flag,
  'FLAT-CLU-003': ipv6NeedsDualStack,
  'FLAT-CLU-004': flatModeComplete,
  'FLAT-CLU-005': podRangePerFlatFamily,
  'FLAT-CLU-006': bgpFamilyEnabled,
  'FLAT-CLU-007': maskBounds(PODS, [8, 18], 'an island pod range', true),
  'FLAT-CLU-008': maskBounds(SERVICES, [12, 24], 'a service range', false),
  'FLAT-CLU-009': islandPodsIgnored,
  'FLAT-CLU-010': oneRangePerFamily,
  'FLAT-CCC-001': perNodeMaskBounds,
  'FLAT-CCC-002': hostBitParity,
  'FLAT-CCC-003': perNodeBlockHoldsMaxPods,
  'FLAT-CCC-004': poolCapacity,
  'FLAT-CCC-005': cidrConfigOverlap,
  'FLAT-CCC-006': sharedPodRange,
  'FLAT-CCC-007': selectorNamesAPool,
  'FLAT-CCC-008': selectorSyntax,
};

/**
 * inject-peer-labels (mutator): gives the BGPPeers meant for flat mode every label of their
 * namespace's FlatIPMode `spec.peerSelector`, so that the selector selects them.
 *
 * Per namespace (GDC binds a cluster's resources by namespace on the admin cluster):
 *  1. the FlatIPMode: the only one, or the one named `default` (the others are ignored, with an
 *     info); several and none named `default` is ambiguity: an error, never a guess;
 *  2. its selector: `spec.peerSelector`, or, when missing or empty, the default selector
 *     (`flatip-peer: "true"`, or `defaultSelector` of the config), which is set on it;
 *  3. the peers to label: the BGPPeers named in `peers`, or carrying `peerSelector`, of the config;
 *     without either, every BGPPeer of the namespace that no BGPLoadBalancer selects;
 *  4. each such peer gets the selector's labels it lacks. Labels are only ever added: a peer that
 *     has a selector key with another value is an error and is left untouched.
 */
import { KINDS, SINGLETON_NAME, isKind } from '@flatnet/api';
import { Scalar, parse as parseYaml } from 'yaml';
import { errorFor, infoFor, listSome, resultFor, warningFor, type KubeObject, type ResourceList, type Result } from '@flatnet/krm';
import { labelKeyProblem, labelValueProblem, type InjectPeerLabelsConfig } from './config';

const TAGS = { function: 'inject-peer-labels' };

type Labels = Record<string, string>;

/** The live resources of one namespace that this function reads. */
interface Space {
  namespace: string;
  modes: KubeObject[];
  peers: KubeObject[];
  balancers: KubeObject[];
}

export function injectPeerLabels(list: ResourceList, config: InjectPeerLabelsConfig): Result[] {
  const results: Result[] = [];
  const spaces = new Map<string, Space>();
  const space = (ns: string): Space => {
    let s = spaces.get(ns);
    if (!s) spaces.set(ns, (s = { namespace: ns, modes: [], peers: [], balancers: [] }));
    return s;
  };
  for (const item of list.items) {
    if (item.isLocalConfig()) continue;
    if (isKind(item, KINDS.FlatIPMode)) space(item.namespace).modes.push(item);
    else if (isKind(item, KINDS.BGPPeer)) space(item.namespace).peers.push(item);
    else if (isKind(item, KINDS.BGPLoadBalancer)) space(item.namespace).balancers.push(item);
  }

  for (const s of spaces.values()) {
    if (s.modes.length === 0) continue;
    const mode = chooseMode(s, results);
    if (!mode) continue;
    const selector = selectorOf(mode, config, results);
    if (!selector) continue;

    // A BGPLoadBalancer whose selector is missing, empty or malformed is taken to select no peer.
    const balancersOf = (peer: KubeObject): KubeObject[] =>
      s.balancers.filter((lb) => {
        const sel = labelMap(lb.get(['spec', 'peerSelector']));
        return sel !== undefined && Object.keys(sel).length > 0 && selects(sel, peer.labels());
      });
    const chosenBy = config.peers ? 'names it in `peers`' : config.peerSelector ? 'selects it with `peerSelector`' : undefined;
    const candidates = config.peers
      ? s.peers.filter((p) => config.peers!.includes(p.name))
      : config.peerSelector
        ? s.peers.filter((p) => selects(config.peerSelector!, p.labels()))
        : s.peers.filter((p) => balancersOf(p).length === 0);
    if (candidates.length === 0) {
      results.push(warningFor(mode, noCandidateMessage(mode, s, config), { field: { path: 'spec.peerSelector' }, tags: TAGS }));
      continue;
    }
    for (const peer of candidates) inject(peer, selector, mode, chosenBy ? balancersOf(peer) : [], chosenBy, results);
  }

  if (config.peers && list.functionConfig) reportUnknownPeers(list.functionConfig, config.peers, spaces, results);
  return results;
}

/** The FlatIPMode GDC reads in a namespace, or undefined (with an error) when that is ambiguous. */
function chooseMode(s: Space, results: Result[]): KubeObject | undefined {
  if (s.modes.length === 1) return s.modes[0];
  const named = s.modes.filter((m) => m.name === SINGLETON_NAME);
  if (named.length === 1) {
    const chosen = named[0]!;
    for (const other of s.modes) {
      if (other === chosen) continue;
      results.push(infoFor(other, `${other.describe()} is ignored: GDC reads only the FlatIPMode named "${SINGLETON_NAME}" of a namespace, so the BGPPeers of "${s.namespace}" are labelled for ${chosen.describe()} alone; remove ${other.describe()}`, {
        tags: TAGS,
      }));
    }
    return chosen;
  }
  const among = named.length > 1 ? named : s.modes;
  const why = named.length > 1 ? `${named.length} FlatIPModes are named "${SINGLETON_NAME}"` : `none of its ${s.modes.length} FlatIPModes is named "${SINGLETON_NAME}"`;
  for (const m of among) {
    results.push(errorFor(m, `cannot tell whose \`spec.peerSelector\` the BGPPeers of namespace "${s.namespace}" must carry: ${why}, and GDC reads only the one named "${SINGLETON_NAME}"; keep one FlatIPMode per namespace, named "${SINGLETON_NAME}"`, {
      field: { path: 'metadata.name' },
      tags: TAGS,
    }));
  }
  return undefined;
}

/**
 * The FlatIPMode's selector. A missing or empty one becomes the default selector, set on the
 * FlatIPMode; one that cannot be a label selector is an error (undefined: nothing is labelled).
 */
function selectorOf(mode: KubeObject, config: InjectPeerLabelsConfig, results: Result[]): Labels | undefined {
  const raw = mode.get(['spec', 'peerSelector']);
  if (raw === undefined || raw === null || (isMapping(raw) && Object.keys(raw).length === 0)) {
    const selector = { ...config.defaultSelector };
    mode.set(['spec', 'peerSelector'], Object.fromEntries(Object.entries(selector).map(([k, v]) => [k, labelValue(v)])));
    results.push(infoFor(mode, `set \`spec.peerSelector\` to {${formatLabels(selector)}}: ${mode.describe()} had no selector, and its flat-mode BGPPeers are labelled to match this default`, {
      field: { path: 'spec.peerSelector', proposedValue: selector },
      tags: TAGS,
    }));
    return selector;
  }
  const selector = labelMap(raw);
  if (!selector) {
    results.push(errorFor(mode, `${mode.describe()}: \`spec.peerSelector\` must be a mapping of label keys to string values (quote values such as "true"): no BGPPeer is labelled until it is one`, {
      field: { path: 'spec.peerSelector' },
      tags: TAGS,
    }));
    return undefined;
  }
  let ok = true;
  for (const [key, value] of Object.entries(selector)) {
    const why = labelKeyProblem(key) ?? labelValueProblem(value);
    if (!why) continue;
    ok = false;
    const what = labelKeyProblem(key) ? `key ${JSON.stringify(key)}` : `value ${JSON.stringify(value)} of ${JSON.stringify(key)}`;
    results.push(errorFor(mode, `${mode.describe()}: \`spec.peerSelector\` ${what} ${why}: no BGPPeer can carry it, so none is labelled; correct the selector`, {
      field: { path: `spec.peerSelector${bracket(key)}`, currentValue: value },
      tags: TAGS,
    }));
  }
  return ok ? selector : undefined;
}

/**
 * Adds to `peer` the labels of `selector` it lacks, unless it has one of them with another value.
 * `balancers` select the peer and `chosenBy` says how the config chose it: both only for a warning.
 */
function inject(peer: KubeObject, selector: Labels, mode: KubeObject, balancers: readonly KubeObject[], chosenBy: string | undefined, results: Result[]): void {
  const current = peer.labels();
  const entries = Object.entries(selector);
  const conflicts = entries.filter(([k, v]) => Object.hasOwn(current, k) && current[k] !== v);
  if (conflicts.length > 0) {
    for (const [k, v] of conflicts) {
      results.push(errorFor(peer, `${peer.describe()} has label \`${k}\` "${current[k]}", but ${mode.describe()} selects its flat-mode peers with \`${k}: "${v}"\`; the peer is left unchanged: set the label to "${v}" if it is a flat-mode peer, or leave it out (\`peers\` or \`peerSelector\` in the function config)`, {
        field: { path: `metadata.labels${bracket(k)}`, currentValue: current[k], proposedValue: v },
        tags: TAGS,
      }));
    }
    return;
  }
  const missing = entries.filter(([k]) => !Object.hasOwn(current, k));
  if (missing.length === 0) return;

  if (balancers.length > 0) {
    const names = listSome(balancers.map((b) => b.describe()));
    results.push(warningFor(peer, `${peer.describe()} is selected by ${names} and is labelled for flat mode too, because the function config ${chosenBy ?? 'selects it'}: it will carry both load-balancer and flat-mode sessions; leave it out of the config if it serves load balancing only`, {
      field: { path: 'metadata.labels' },
      tags: TAGS,
    }));
  }
  if (isMapping(peer.get(['metadata', 'labels']))) {
    for (const [k, v] of missing) {
      const value = labelValue(v);
      if (typeof value === 'string') peer.setLabel(k, value);
      else peer.set(['metadata', 'labels', k], value);
    }
  } else {
    // A new labels map goes right after the name and namespace, where people look for it.
    peer.set(['metadata', 'labels'], Object.fromEntries(missing.map(([k, v]) => [k, labelValue(v)])), { after: peer.get(['metadata', 'namespace']) !== undefined ? 'namespace' : 'name' });
  }
  for (const [k, v] of missing) {
    results.push(infoFor(peer, `added label \`${k}: "${v}"\` so that the \`spec.peerSelector\` of ${mode.describe()} selects ${peer.describe()}`, {
      field: { path: `metadata.labels${bracket(k)}`, proposedValue: v },
      tags: TAGS,
    }));
  }
}

function noCandidateMessage(mode: KubeObject, s: Space, config: InjectPeerLabelsConfig): string {
  const head = `${mode.describe()}: no BGPPeer of namespace "${s.namespace}" is labelled for flat mode`;
  if (s.peers.length === 0) return `${head}: the namespace holds no BGPPeer; add a BGPPeer for each router flat mode peers with`;
  if (config.peers) {
    return `${head}: none of the BGPPeers named in the function config's \`peers\` (${listSome(config.peers.map((p) => `"${p}"`))}) is in this namespace; name its flat-mode peers there`;
  }
  if (config.peerSelector) {
    return `${head}: none of its BGPPeers carries the function config's \`peerSelector\` {${formatLabels(config.peerSelector)}}; correct the selector or label the peers`;
  }
  return `${head}: a BGPLoadBalancer selects each of its BGPPeers; add BGPPeers for flat mode, or name the ones to share in the function config's \`peers\``;
}

/** A config `peers` entry that names no BGPPeer of a namespace with a FlatIPMode is an error on the config. */
function reportUnknownPeers(fc: KubeObject, names: readonly string[], spaces: ReadonlyMap<string, Space>, results: Result[]): void {
  const configMap = fc.kind === 'ConfigMap' && fc.apiVersion === 'v1';
  const withMode = [...spaces.values()].filter((s) => s.modes.length > 0);
  names.forEach((name, i) => {
    if (withMode.some((s) => s.peers.some((p) => p.name === name))) return;
    const elsewhere = [...spaces.values()].filter((s) => s.peers.some((p) => p.name === name)).map((s) => `"${s.namespace}"`);
    const tail = elsewhere.length > 0
      ? `it is in namespace ${listSome(elsewhere)}, which holds no FlatIPMode`
      : 'the package holds no BGPPeer of that name';
    results.push(resultFor(fc, 'error', `\`peers\` entry "${name}" must name a BGPPeer of a namespace with a FlatIPMode, but ${tail}; correct the name or remove it`, {
      field: { path: configMap ? 'data.peers' : `peers[${i}]`, currentValue: name },
      tags: TAGS,
    }));
  });
}

/**
 * A label value as written: the string itself, or a single-quoted scalar when YAML 1.1 would
 * read it as something else (`yes`, `on`, `0b1`, `1_000`). kpt reads YAML 1.2, but kubectl and
 * client-go read 1.1 (sigs.k8s.io/yaml), where `flatip-peer: yes` is a boolean and the object is
 * refused. kyaml quotes these words for the same reason.
 */
function labelValue(value: string): string | Scalar {
  let read: unknown;
  try {
    read = parseYaml(value, { version: '1.1' });
  } catch {
    read = undefined;
  }
  if (read === value) return value;
  const scalar = new Scalar(value);
  scalar.type = Scalar.QUOTE_SINGLE;
  return scalar;
}

const isMapping = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A map of strings, or undefined when `v` is anything else. */
function labelMap(v: unknown): Labels | undefined {
  if (!isMapping(v)) return undefined;
  const entries = Object.entries(v);
  return entries.every(([, x]) => typeof x === 'string') ? (Object.fromEntries(entries) as Labels) : undefined;
}

/** Every label of the selector is on the object, with the same value. */
export function selects(selector: Readonly<Labels>, labels: Readonly<Labels>): boolean {
  return Object.entries(selector).every(([k, v]) => Object.hasOwn(labels, k) && labels[k] === v);
}

/** `["flatip-peer"]`: label keys hold '.' and '/', so they are always written as a quoted segment. */
const bracket = (key: string): string => `[${JSON.stringify(key)}]`;

const formatLabels = (labels: Readonly<Labels>): string =>
  Object.entries(labels).map(([k, v]) => `${k}: "${v}"`).join(', ');

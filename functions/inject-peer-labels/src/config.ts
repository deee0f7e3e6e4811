import { FN_CONFIG_API_VERSION, explainFormat, labelKeyProblem, validators, type FnInjectPeerLabels } from '@flatnet/api';
import type { ConfigIssue, ConfigSpec } from '@flatnet/krm';

/** `InjectPeerLabels` (fn.flatnet.dev/v1alpha1); schema: packages/api/schemas/fn/inject-peer-labels.schema.json. */
export interface InjectPeerLabelsConfig {
  /** Label exactly the BGPPeers of these names (in every namespace with a FlatIPMode). */
  peers?: string[];
  /** Label the BGPPeers that carry all of these labels (in every namespace with a FlatIPMode). */
  peerSelector?: Record<string, string>;
  /** The `spec.peerSelector` given to a FlatIPMode without one. */
  defaultSelector: Record<string, string>;
}

/** The label GDC's docs put on flat-mode peers, and so the selector a FlatIPMode without one gets. */
export const DEFAULT_SELECTOR: Readonly<Record<string, string>> = { 'flatip-peer': 'true' };

// Kubernetes label syntax: one implementation for every function (linear, no regular expression).
export { labelKeyProblem, labelValueProblem } from '@flatnet/api';

const asLabels = (v: unknown): Record<string, string> | undefined =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? { ...(v as Record<string, string>) } : undefined;

export const configSpec: ConfigSpec<InjectPeerLabelsConfig, FnInjectPeerLabels> = {
  apiVersion: FN_CONFIG_API_VERSION,
  kind: 'InjectPeerLabels',
  validate: validators.fnInjectPeerLabels,
  explainFormat,
  // A Kptfile `configMap:` holds strings only: `peers: "tor-1,tor-2"`, the maps as JSON
  // (`peerSelector: '{"rack": "r1"}'`).
  configMapFields: { peers: 'string-list', peerSelector: 'json', defaultSelector: 'json' },
  defaults(raw: FnInjectPeerLabels): InjectPeerLabelsConfig {
    const config: InjectPeerLabelsConfig = { defaultSelector: asLabels(raw.defaultSelector) ?? { ...DEFAULT_SELECTOR } };
    if (Array.isArray(raw.peers)) config.peers = raw.peers.filter((p): p is string => typeof p === 'string');
    const selector = asLabels(raw.peerSelector);
    if (selector) config.peerSelector = selector;
    return config;
  },
  check(config) {
    const issues: ConfigIssue[] = [];
    if (config.peers !== undefined && config.peerSelector !== undefined) {
      issues.push({
        path: 'peerSelector',
        message: '`peers` and `peerSelector` must not both be set: name the BGPPeers to label, or select them by label, not both',
      });
    }
    for (const field of ['peerSelector', 'defaultSelector'] as const) {
      for (const key of Object.keys(config[field] ?? {})) {
        const why = labelKeyProblem(key);
        if (why) issues.push({ path: `${field}[${JSON.stringify(key)}]`, message: `\`${field}\` key ${JSON.stringify(key)} ${why}` });
      }
    }
    return issues;
  },
};

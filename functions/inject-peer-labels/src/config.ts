import { FN_CONFIG_API_VERSION, explainFormat, validators, type FnInjectPeerLabels } from '@flatnet/api';
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

// Kubernetes label syntax (apimachinery's IsQualifiedName / IsValidLabelValue).
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
const LABEL_VALUE = /^([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?$/;

/** Why `key` is not a Kubernetes label key, or undefined when it is one. */
export function labelKeyProblem(key: string): string | undefined {
  const slash = key.lastIndexOf('/');
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) {
    return "must have a DNS subdomain (lower-case letters, digits, '-' and '.') before its '/'";
  }
  if (name.length > 63 || !LABEL_NAME.test(name)) {
    return "must be a label key: at most 63 letters, digits, '-', '_' or '.' (after an optional prefix and '/'), starting and ending with a letter or digit";
  }
  return undefined;
}

/** Why `value` is not a Kubernetes label value, or undefined when it is one. */
export function labelValueProblem(value: string): string | undefined {
  return value.length > 63 || !LABEL_VALUE.test(value)
    ? "must be a label value: at most 63 letters, digits, '-', '_' or '.', starting and ending with a letter or digit (or empty)"
    : undefined;
}

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

import type { KubeObject, PathSegment } from '@flatnet/krm';
import type { Cidr } from '@flatnet/net';
import type { Fleet } from '../model';

/** Parameters of the checks, defaulted (see the ValidateFlatNetwork schema). */
export interface Params {
  maxPodsPerNode: number;
  /** Allowed ranges, inclusive; undefined means any valid ASN. */
  localASNs: Array<[number, number]> | undefined;
  peerASNs: Array<[number, number]> | undefined;
  reservedCIDRs: Cidr[];
  maxSessions: number | undefined;
  /** YYYY-MM-DD, for waivers. */
  today: string;
}

export interface CheckContext {
  readonly fleet: Fleet;
  readonly params: Params;
  /** The previous revision of the same manifests, when one is given (`--base`): for the rules of what may change. */
  readonly base?: Fleet;
}

/** One violation of one policy, on one item. */
export interface Finding {
  readonly obj: KubeObject;
  /** kpt style: "must", quoted values, back-quoted fields, what to do instead. */
  readonly message: string;
  readonly path?: readonly PathSegment[];
  readonly currentValue?: unknown;
  readonly proposedValue?: unknown;
  /** Weaker than the policy's own severity, for this finding only (a severity override still applies to all). */
  readonly severity?: 'warning' | 'info';
}

export type Check = (ctx: CheckContext) => Finding[];

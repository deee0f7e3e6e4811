/**
 * Waivers: `flatnet.dev/waive.<POLICY-ID>: "[until YYYY-MM-DD: ]reason"` on the resource at fault.
 * A valid waiver turns that policy's findings on the resource into `info` results that say so.
 * A waiver for an unknown policy, without a reason, or past its date is itself an error
 * (FLAT-WVR-001), and an expired waiver waives nothing.
 */
import type { KubeObject } from '@flatnet/krm';

export const WAIVER_PREFIX = 'flatnet.dev/waive.';

export interface Waiver {
  readonly policy: string;
  readonly key: string;
  readonly reason: string;
  /** YYYY-MM-DD, inclusive. */
  readonly until?: string;
  readonly raw: string;
}

export type WaiverProblem = { waiver: Waiver; problem: 'no-reason' | 'bad-date' | 'expired' };

const UNTIL = /^\s*until\s+(\S+)/;

/**
 * `until DATE: reason`: what `/^\s*until\s+(\S+)\s*:\s*(.*)$/s` matched (the longest word before
 * a colon, and the rest), without its backtracking between the word and the colons.
 */
function untilOf(raw: string): { until: string; reason: string } | undefined {
  const m = UNTIL.exec(raw);
  if (!m) return undefined;
  const word = m[1]!;
  const after = raw.slice(m[0].length);
  const spaced = after.trimStart();
  if (spaced.startsWith(':')) return { until: word, reason: spaced.slice(1) };
  const colon = word.lastIndexOf(':');
  return colon > 0 ? { until: word.slice(0, colon), reason: word.slice(colon + 1) + after } : undefined;
}

export function waiversOf(obj: KubeObject): Waiver[] {
  const out: Waiver[] = [];
  for (const [key, raw] of Object.entries(obj.annotations())) {
    if (!key.startsWith(WAIVER_PREFIX)) continue;
    const m = untilOf(raw);
    out.push({ policy: key.slice(WAIVER_PREFIX.length), key, reason: (m ? m.reason : raw).trim(), ...(m ? { until: m.until } : {}), raw });
  }
  return out;
}

export function isValidDate(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** Why a waiver does not apply, if it does not (dates compare as text: YYYY-MM-DD). */
export function waiverProblem(w: Waiver, today: string): WaiverProblem['problem'] | undefined {
  if (w.until !== undefined && !isValidDate(w.until)) return 'bad-date';
  if (!w.reason) return 'no-reason';
  if (w.until !== undefined && w.until < today) return 'expired';
  return undefined;
}

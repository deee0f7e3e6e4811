import { POLICY_BY_ID } from '../catalog';
import { waiverProblem, waiversOf } from '../waivers';
import type { Check, Finding } from './types';

export const WAIVER_CHECKS: Record<string, Check> = {
  'FLAT-WVR-001': ({ fleet, params }) => {
    const out: Finding[] = [];
    for (const obj of fleet.items) {
      for (const w of waiversOf(obj)) {
        const path = ['metadata', 'annotations', w.key];
        if (!POLICY_BY_ID.has(w.policy)) {
          out.push({ obj, path, message: `annotation \`${w.key}\` must name a flatnet policy: "${w.policy}" is not one (see docs/policies.md)` });
          continue;
        }
        const problem = waiverProblem(w, params.today);
        if (problem === 'no-reason') out.push({ obj, path, currentValue: w.raw, message: `waiver of ${w.policy} must give a reason: write \`${w.key}: "until YYYY-MM-DD: why this is safe"\`` });
        if (problem === 'bad-date') out.push({ obj, path, currentValue: w.raw, message: `waiver of ${w.policy} has "${w.until}" as its date: write it as YYYY-MM-DD` });
        if (problem === 'expired') out.push({ obj, path, currentValue: w.raw, message: `waiver of ${w.policy} expired on ${w.until}: fix the finding, or renew the waiver with a new date and reason` });
      }
    }
    return out;
  },
};

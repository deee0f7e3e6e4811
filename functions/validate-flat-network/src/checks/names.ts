import { KINDS, SINGLETON_NAME } from '@flatnet/api';
import type { Check, Finding } from './types';

const singletonName = (kind: typeof KINDS.NetworkGatewayGroup): Check => ({ fleet }) => {
  const out: Finding[] = [];
  for (const obj of fleet.ofKind(kind)) {
    if (obj.name === SINGLETON_NAME) continue;
    out.push({
      obj,
      path: ['metadata', 'name'],
      currentValue: obj.name || undefined,
      proposedValue: SINGLETON_NAME,
      message: obj.name
        ? `${obj.kind} "${obj.name}" must be named "${SINGLETON_NAME}": GDC reads no other name; rename it`
        : `${obj.describe()} must be named "${SINGLETON_NAME}": set \`metadata.name\` (set-cluster-namespace does it)`,
    });
  }
  return out;
};

export const NAME_CHECKS: Record<string, Check> = {
  'FLAT-NGG-001': singletonName(KINDS.NetworkGatewayGroup),
  'FLAT-FIM-001': singletonName(KINDS.FlatIPMode),
};

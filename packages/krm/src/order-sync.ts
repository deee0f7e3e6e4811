/**
 * kpt's field-order sync, so that a package rendered in-process comes out as `kpt fn render`
 * writes it, byte for byte.
 *
 * After each function, kpt puts back the key order of every object it passed in (kyaml
 * `order.SyncOrder`): in each map, the keys the object had before the function come first, in
 * their old order, then the keys the function added, in the order the function left them; maps
 * are matched by key and lists element by element (by index), recursively. A key whose value is
 * not a map or a list has no order inside. This module takes the shape before (`orderShape`) and
 * applies it after (`syncOrder`); KubeObject takes the shape lazily, at its first edit of a step.
 */
import { isAlias, isMap, isScalar, isSeq, type Node, type Pair } from 'yaml';

/** The key order of a node: a map's keys with the shapes of their values, a list's elements. */
export type OrderShape = { readonly keys: readonly string[]; readonly children: ReadonlyMap<string, OrderShape> } | readonly OrderShape[] | undefined;

const keyOf = (p: Pair): string | undefined => (isScalar(p.key) ? String(p.key.value) : typeof p.key === 'string' ? p.key : undefined);

export function orderShape(node: unknown): OrderShape {
  if (isAlias(node)) return undefined;
  if (isMap(node)) {
    const keys: string[] = [];
    const children = new Map<string, OrderShape>();
    for (const p of node.items) {
      const k = keyOf(p);
      if (k === undefined) continue;
      keys.push(k);
      const shape = orderShape(p.value);
      if (shape !== undefined) children.set(k, shape);
    }
    return { keys, children };
  }
  if (isSeq(node)) return node.items.map((i) => orderShape(i));
  return undefined;
}

/** Reorders `node` (in place) to `shape`, as kyaml's SyncOrder does; true when anything moved. */
export function syncOrder(shape: OrderShape, node: Node | unknown): boolean {
  if (shape === undefined || isAlias(node)) return false;
  let moved = false;
  if (isMap(node) && !Array.isArray(shape)) {
    const { keys, children } = shape as { keys: readonly string[]; children: ReadonlyMap<string, OrderShape> };
    const byKey = new Map<string, Pair>();
    for (const p of node.items) {
      const k = keyOf(p as Pair);
      if (k !== undefined && !byKey.has(k)) byKey.set(k, p as Pair);
    }
    const common: Pair[] = [];
    const taken = new Set<Pair>();
    for (const k of keys) {
      const p = byKey.get(k);
      if (p && !taken.has(p)) {
        common.push(p);
        taken.add(p);
      }
    }
    const rest = node.items.filter((p) => !taken.has(p as Pair));
    const next = [...common, ...rest];
    if (next.some((p, i) => p !== node.items[i])) {
      node.items.splice(0, node.items.length, ...(next as typeof node.items));
      moved = true;
    }
    for (const p of common) if (syncOrder(children.get(keyOf(p)!), p.value)) moved = true;
    return moved;
  }
  if (isSeq(node) && Array.isArray(shape)) {
    const n = Math.min(shape.length, node.items.length);
    for (let i = 0; i < n; i++) if (syncOrder(shape[i], node.items[i])) moved = true;
  }
  return moved;
}

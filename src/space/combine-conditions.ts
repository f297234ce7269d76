/**
 * A parameter declared in two conditional scopes (Keras Tuner allows it) is active when either
 * scope's conditions hold. Conditions are a conjunction of "parent in values", so the
 * disjunction is kept in that form when it can be exactly: when one side implies the other
 * (the weaker side wins), or when both constrain the same parents and differ on one parent
 * only (its value lists are united). Other disjunctions cannot be represented.
 */
import type { Condition, ParamValue } from './parameter.js';

/** Per parent, the values allowed by every condition on it (conditions on one parent intersect). */
function byParent(conditions: readonly Condition[]): Map<string, readonly ParamValue[]> {
  const map = new Map<string, readonly ParamValue[]>();
  for (const condition of conditions) {
    const previous = map.get(condition.parentName);
    map.set(
      condition.parentName,
      previous === undefined
        ? [...condition.values]
        : previous.filter((v) => condition.values.includes(v)),
    );
  }
  return map;
}

/** Whether `a` holding implies `b` holding. */
function implies(
  a: ReadonlyMap<string, readonly ParamValue[]>,
  b: ReadonlyMap<string, readonly ParamValue[]>,
): boolean {
  for (const [parent, values] of b) {
    const allowed = a.get(parent);
    if (allowed === undefined || !allowed.every((v) => values.includes(v))) return false;
  }
  return true;
}

const sameValues = (a: readonly ParamValue[], b: readonly ParamValue[]): boolean =>
  a.length === b.length && a.every((v) => b.includes(v)) && b.every((v) => a.includes(v));

/**
 * Conditions that hold exactly when `existing` or `added` holds: `existing` itself (same
 * array) when it already covers `added`, or `undefined` when the disjunction is not a
 * conjunction of "parent in values".
 */
export function combineConditions(
  existing: readonly Condition[],
  added: readonly Condition[],
): readonly Condition[] | undefined {
  const a = byParent(existing);
  const b = byParent(added);
  if (implies(b, a)) return existing;
  if (implies(a, b)) return added;
  if (a.size !== b.size) return undefined;
  let differing: string | undefined;
  for (const [parent, values] of a) {
    const other = b.get(parent);
    if (other === undefined) return undefined;
    if (sameValues(values, other)) continue;
    if (differing !== undefined) return undefined;
    differing = parent;
  }
  if (differing === undefined) return existing;
  const parent = differing;
  const left = a.get(parent) ?? [];
  const united: Condition = {
    parentName: parent,
    values: [...left, ...(b.get(parent) ?? []).filter((v) => !left.includes(v))],
  };
  const out: Condition[] = [];
  for (const condition of existing) {
    if (condition.parentName !== parent) out.push(condition);
    else if (!out.some((c) => c.parentName === parent)) out.push(united);
  }
  return out;
}

/** "model in ["cnn"] and depth in [2, 3]", or "no condition". */
export function describeConditions(conditions: readonly Condition[]): string {
  if (conditions.length === 0) return 'no condition';
  return conditions
    .map((c) => `${c.parentName} in [${c.values.map((v) => JSON.stringify(v)).join(', ')}]`)
    .join(' and ');
}

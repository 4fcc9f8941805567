import type { ConditionStatus } from '../sdk/conditions.ts';

/** A Kubernetes condition as written in `status.conditions`. */
// A type alias, not an interface, so a Condition is assignable to JsonValue when written.
// eslint-disable-next-line @typescript-eslint/consistent-type-definitions
export type Condition = {
  readonly type: string;
  readonly status: ConditionStatus;
  readonly reason: string;
  readonly message: string;
  readonly lastTransitionTime: string;
  readonly observedGeneration?: number;
};

export type ConditionInput = Omit<Condition, 'lastTransitionTime' | 'observedGeneration'>;

/** What a condition's next transition time depends on. */
export type ConditionTransition = Pick<Condition, 'type' | 'status' | 'lastTransitionTime'>;

/**
 * The conditions to write: `desired` in order, each keeping its previous `lastTransitionTime`
 * unless its status changed. Conditions no longer desired are dropped.
 */
export function mergeConditions(
  previous: readonly ConditionTransition[],
  desired: readonly ConditionInput[],
  now: string,
  generation: number | undefined,
): Condition[] {
  return desired.map((d) => {
    const old = previous.find((p) => p.type === d.type);
    const lastTransitionTime = old?.status === d.status ? old.lastTransitionTime : now;
    return { ...d, lastTransitionTime, ...(generation === undefined ? {} : { observedGeneration: generation }) };
  });
}

/** Reads `status.conditions` leniently: entries that are not conditions are dropped. */
export function readConditions(value: unknown): Condition[] {
  if (!Array.isArray(value)) return [];
  return value.filter((c): c is Condition => {
    if (typeof c !== 'object' || c === null) return false;
    const o = c as Record<string, unknown>;
    return typeof o.type === 'string' && typeof o.status === 'string' && typeof o.lastTransitionTime === 'string';
  });
}

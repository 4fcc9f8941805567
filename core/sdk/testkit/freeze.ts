/** Freezes a value and everything reachable from it (plain objects and arrays). */
export function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Reflect.ownKeys(value)) deepFreeze((value as Record<PropertyKey, unknown>)[key]);
  }
  return value;
}

/** A set whose every change throws, as a frozen `Set` would if JavaScript had one. */
export function readOnlySet<T>(items: Iterable<T>): ReadonlySet<T> {
  const set = new Set(items);
  const refuse = (): never => {
    throw new TypeError('the set is read-only');
  };
  return Object.freeze(Object.assign(set, { add: refuse, delete: refuse, clear: refuse }));
}

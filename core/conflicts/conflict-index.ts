import type { RouteClaim } from '../sdk/driver.ts';

/** One API's claim on a path prefix of a gateway host, with what decides who is older. */
export interface PathClaim extends RouteClaim {
  readonly key: string;
  readonly path: string;
  /** RFC 3339 creation time; the oldest claim keeps the route. */
  readonly createdAt: string;
  /** `namespace/name`, the tie-breaker between claims created in the same second. */
  readonly name: string;
}

interface TrieNode {
  readonly children: Map<string, TrieNode>;
  readonly claims: Map<string, PathClaim>;
}

const newNode = (): TrieNode => ({ children: new Map(), claims: new Map() });

function segments(path: string): string[] {
  return path.split('/').filter((s) => s !== '');
}

function older(a: PathClaim, b: PathClaim): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.name < b.name;
}

/**
 * Index of path claims per (gateway, host): two claims overlap when one path is a prefix of the
 * other at a `/` boundary (or they are equal). A claim loses to any older overlapping claim.
 * Lookups walk a trie of path segments, so cost follows path depth, not the number of APIs.
 */
export class ConflictIndex {
  readonly #roots = new Map<string, TrieNode>();
  readonly #claims = new Map<string, PathClaim>();

  get size(): number {
    return this.#claims.size;
  }

  get(key: string): PathClaim | undefined {
    return this.#claims.get(key);
  }

  /** Records (or moves) a claim; returns the keys whose outcome may have changed. */
  upsert(claim: PathClaim): Set<string> {
    const before = this.#claims.get(claim.key);
    if (before && sameClaim(before, claim)) return new Set();
    const affected = before ? this.remove(claim.key) : new Set<string>();
    const node = this.#ensure(claim);
    node.claims.set(claim.key, claim);
    this.#claims.set(claim.key, claim);
    for (const other of this.overlapping(claim)) affected.add(other.key);
    affected.delete(claim.key);
    return affected;
  }

  /** Forgets a claim; returns the keys that overlapped it. */
  remove(key: string): Set<string> {
    const claim = this.#claims.get(key);
    const affected = new Set<string>();
    if (!claim) return affected;
    for (const other of this.overlapping(claim)) affected.add(other.key);
    this.#find(claim)?.claims.delete(key);
    this.#claims.delete(key);
    affected.delete(key);
    return affected;
  }

  /** The oldest claim that overlaps `key` and is older than it, if any: then `key` gets no route. */
  winnerOver(key: string): PathClaim | undefined {
    const claim = this.#claims.get(key);
    if (!claim) return undefined;
    let winner: PathClaim | undefined;
    for (const other of this.overlapping(claim)) {
      if (other.key !== key && older(other, claim) && (!winner || older(other, winner))) winner = other;
    }
    return winner;
  }

  /** Every claim overlapping `claim` (including itself when indexed). */
  *overlapping(claim: PathClaim): Generator<PathClaim> {
    let node = this.#roots.get(scope(claim));
    if (!node) return;
    for (const segment of segments(claim.path)) {
      yield* node.claims.values();
      node = node.children.get(segment);
      if (!node) return;
    }
    yield* subtree(node);
  }

  #find(claim: PathClaim): TrieNode | undefined {
    let node = this.#roots.get(scope(claim));
    for (const segment of segments(claim.path)) node = node?.children.get(segment);
    return node;
  }

  #ensure(claim: PathClaim): TrieNode {
    let node: TrieNode = this.#roots.get(scope(claim)) ?? newNode();
    this.#roots.set(scope(claim), node);
    for (const segment of segments(claim.path)) {
      const next: TrieNode = node.children.get(segment) ?? newNode();
      node.children.set(segment, next);
      node = next;
    }
    return node;
  }
}

function scope(claim: RouteClaim): string {
  return `${claim.gateway}\u0000${claim.host}`;
}

function sameClaim(a: PathClaim, b: PathClaim): boolean {
  return (
    a.gateway === b.gateway &&
    a.host === b.host &&
    a.path === b.path &&
    a.createdAt === b.createdAt &&
    a.name === b.name
  );
}

function* subtree(node: TrieNode): Generator<PathClaim> {
  yield* node.claims.values();
  for (const child of node.children.values()) yield* subtree(child);
}

/** The condition message of a claim that lost to `winner`. */
export function conflictMessage(loser: PathClaim, winner: PathClaim, winnerKind: string): string {
  return (
    `path ${loser.path} overlaps path ${winner.path} of ${winnerKind} ${winner.name} on gateway ${winner.gateway} ` +
    `host ${winner.host}, which is older and keeps the route; this API is served once that one is gone or moved`
  );
}

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

/**
 * A node of the path trie. Memory matters at 10 000 APIs: most nodes have one child and at most
 * one claim, so the only child and the only claim are kept inline, and Maps are made only when a
 * second one comes.
 */
interface TrieNode {
  segment: string | undefined;
  child: TrieNode | undefined;
  children: Map<string, TrieNode> | undefined;
  claim: PathClaim | undefined;
  claims: Map<string, PathClaim> | undefined;
}

const newNode = (): TrieNode => ({
  segment: undefined,
  child: undefined,
  children: undefined,
  claim: undefined,
  claims: undefined,
});

function addClaim(node: TrieNode, claim: PathClaim): void {
  if (node.claims) node.claims.set(claim.key, claim);
  else if (node.claim === undefined || node.claim.key === claim.key) node.claim = claim;
  else {
    node.claims = new Map([
      [node.claim.key, node.claim],
      [claim.key, claim],
    ]);
    node.claim = undefined;
  }
}

function deleteClaim(node: TrieNode, key: string): void {
  if (node.claims) {
    node.claims.delete(key);
    if (node.claims.size === 1) for (const only of node.claims.values()) node.claim = only;
    if (node.claims.size <= 1) node.claims = undefined;
  } else if (node.claim?.key === key) node.claim = undefined;
}

function* claimsAt(node: TrieNode): Generator<PathClaim> {
  if (node.claims) yield* node.claims.values();
  else if (node.claim) yield node.claim;
}

function childOf(node: TrieNode, segment: string): TrieNode | undefined {
  return node.children ? node.children.get(segment) : node.segment === segment ? node.child : undefined;
}

function ensureChild(node: TrieNode, segment: string): TrieNode {
  const existing = childOf(node, segment);
  if (existing) return existing;
  const created = newNode();
  if (node.children) node.children.set(segment, created);
  else if (node.child === undefined) {
    node.segment = segment;
    node.child = created;
  } else {
    node.children = new Map([
      [node.segment ?? '', node.child],
      [segment, created],
    ]);
    node.segment = undefined;
    node.child = undefined;
  }
  return created;
}

function removeChild(node: TrieNode, segment: string): void {
  if (node.children) {
    node.children.delete(segment);
    if (node.children.size === 1) {
      for (const [only, child] of node.children) {
        node.segment = only;
        node.child = child;
      }
      node.children = undefined;
    }
  } else if (node.segment === segment) {
    node.segment = undefined;
    node.child = undefined;
  }
}

function* childrenOf(node: TrieNode): Generator<TrieNode> {
  if (node.children) yield* node.children.values();
  else if (node.child) yield node.child;
}

const isEmpty = (node: TrieNode): boolean =>
  node.child === undefined && node.children === undefined && node.claim === undefined && node.claims === undefined;

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
    addClaim(node, claim);
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
    this.#forget(claim);
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
      yield* claimsAt(node);
      node = childOf(node, segment);
      if (!node) return;
    }
    yield* subtree(node);
  }

  /** Removes the claim from its node and prunes the nodes left empty (APIs come and go). */
  #forget(claim: PathClaim): void {
    const root = this.#roots.get(scope(claim));
    if (!root) return;
    const path: [TrieNode, string][] = [];
    let node: TrieNode | undefined = root;
    for (const segment of segments(claim.path)) {
      path.push([node, segment]);
      node = childOf(node, segment);
      if (!node) return;
    }
    deleteClaim(node, claim.key);
    for (let i = path.length - 1; i >= 0 && isEmpty(node); i--) {
      const [parent, segment] = path[i] ?? [root, ''];
      removeChild(parent, segment);
      node = parent;
    }
    if (isEmpty(root)) this.#roots.delete(scope(claim));
  }

  #ensure(claim: PathClaim): TrieNode {
    let node: TrieNode = this.#roots.get(scope(claim)) ?? newNode();
    this.#roots.set(scope(claim), node);
    for (const segment of segments(claim.path)) node = ensureChild(node, segment);
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
  yield* claimsAt(node);
  for (const child of childrenOf(node)) yield* subtree(child);
}

/** The condition message of a claim that lost to `winner`. */
export function conflictMessage(loser: PathClaim, winner: PathClaim, winnerKind: string): string {
  return (
    `path ${loser.path} overlaps path ${winner.path} of ${winnerKind} ${winner.name} on gateway ${winner.gateway} ` +
    `host ${winner.host}, which is older and keeps the route; this API is served once that one is gone or moved`
  );
}

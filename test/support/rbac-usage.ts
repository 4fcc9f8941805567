/**
 * True for the `list` grant of a resource whose lists were streamed (a watch with
 * sendInitialEvents needs only `watch`): `list` stays granted for API servers that refuse to
 * stream lists (before 1.27, or WatchList off), where the operator lists in pages. Grants are
 * written `group/resource verb`.
 */
export function listedByStreaming(grant: string, used: ReadonlySet<string>): boolean {
  return grant.endsWith(' list') && used.has(`${grant.slice(0, -' list'.length)} watch`);
}

import type { JsonObject } from '../sdk/json.ts';
import type { CachedComponent } from './ports.ts';

export interface PropagatedValues {
  readonly url?: string;
  readonly developerUI?: string;
  readonly ready: boolean;
}

/**
 * JSON Patch operations setting `url`, `developerUI` and `ready` on the Component status entry
 * whose `uid` is the API object's uid (contract §3.1), guarded by a `test` of that uid so a
 * reordered list fails the patch instead of writing the wrong entry. Undefined when already equal
 * or when the Component has no such entry.
 */
export function componentStatusPatch(
  component: CachedComponent,
  apiUid: string,
  values: PropagatedValues,
): JsonObject[] | undefined {
  const entry = component.entries.find((e) => e.uid === apiUid);
  if (entry === undefined) return undefined;
  const base = `/status/${entry.list}/${entry.index}`;
  const ops: JsonObject[] = [];
  const set = (
    field: 'url' | 'developerUI' | 'ready',
    want: string | boolean | undefined,
    have: string | boolean | undefined,
  ): void => {
    if (want === have) return;
    ops.push(
      want === undefined
        ? { op: 'remove', path: `${base}/${field}` }
        : { op: 'add', path: `${base}/${field}`, value: want },
    );
  };
  set('url', values.url, entry.url);
  set('developerUI', values.developerUI, entry.developerUI);
  set('ready', values.ready, entry.ready);
  return ops.length === 0 ? undefined : [{ op: 'test', path: `${base}/uid`, value: apiUid }, ...ops];
}

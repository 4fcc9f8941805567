import type { JsonObject, ObservedObject, PublishedAddress } from '../../core/sdk/index.ts';
import { isJsonObject } from '../../core/sdk/index.ts';

const HOST = /^[A-Za-z0-9.:-]{1,253}$/;

/**
 * The address a Gateway publishes: the first `status.addresses[]` value of type `IPAddress` (the
 * default) or `Hostname`, and the port of its listener (the `sectionName` one, else the first
 * HTTP or HTTPS listener) unless 80 or 443. Undefined while the Gateway has no address. Pure.
 */
export function gatewayAddress(gateway: ObservedObject, sectionName: string | undefined): PublishedAddress | undefined {
  const host = objects(gateway.status.addresses)
    .filter((a) => a.type === undefined || a.type === 'IPAddress' || a.type === 'Hostname')
    .map((a) => a.value)
    .find((v): v is string => typeof v === 'string' && HOST.test(v));
  if (host === undefined) return undefined;
  const listeners = objects(gateway.spec.listeners);
  const listener =
    sectionName === undefined
      ? listeners.find((l) => l.protocol === 'HTTP' || l.protocol === 'HTTPS')
      : listeners.find((l) => l.name === sectionName);
  const port = listener?.port;
  const valid = typeof port === 'number' && Number.isInteger(port) && port > 0 && port < 65536;
  return !valid || port === 80 || port === 443 ? { host } : { host, port };
}

function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? (value as unknown[]).filter(isJsonObject) : [];
}

/** The published address of the gateway: an IP or host name, and the HTTP port when not default. */
export interface GatewayAddress {
  readonly host: string;
  /** Port of the first `http`/`http2` port of the gateway Service; omitted for 80/443. */
  readonly port?: number;
}

interface ServiceLike {
  readonly namespace: string;
  readonly name: string;
  readonly ingress: readonly { readonly ip?: string; readonly hostname?: string }[];
  readonly ports: readonly { readonly name?: string; readonly port: number }[];
}

/**
 * The address of the first gateway Service (by namespace/name) that has one: its load balancer's
 * first IP, else host name; the port suffix from its first port named `http` or `http2`.
 */
export function gatewayAddressOf(services: Iterable<ServiceLike>): GatewayAddress | undefined {
  // Ordinal order, as Kubernetes sorts names (localeCompare would also load ICU collation data).
  const id = (s: ServiceLike): string => `${s.namespace}/${s.name}`;
  const sorted = [...services].sort((a, b) => (id(a) < id(b) ? -1 : id(a) > id(b) ? 1 : 0));
  for (const svc of sorted) {
    const first = svc.ingress[0];
    const host = first?.ip ?? first?.hostname;
    if (host === undefined || host === '') continue;
    const port = svc.ports.find((p) => p.name === 'http' || p.name === 'http2')?.port;
    return port === undefined || port === 80 || port === 443 ? { host } : { host, port };
  }
  return undefined;
}

/** Address from an object's own `status.loadBalancer.ingress[0]` (an Ingress). */
export function loadBalancerAddress(
  ingress: readonly { readonly ip?: string; readonly hostname?: string }[],
): GatewayAddress | undefined {
  const first = ingress[0];
  const host = first?.ip ?? first?.hostname;
  return host === undefined || host === '' ? undefined : { host };
}

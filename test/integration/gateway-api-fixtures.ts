import type { KindRef, ObservedObject } from '../../core/sdk/index.ts';
import type { LiveClient } from '../../core/sdk/testkit/index.ts';

/** Plays the Gateway API controller in tests: Gateways, their addresses, route acceptance. */

export const GATEWAY: KindRef = { apiVersion: 'gateway.networking.k8s.io/v1', kind: 'Gateway', plural: 'gateways' };
export const HTTP_ROUTE: KindRef = {
  apiVersion: 'gateway.networking.k8s.io/v1',
  kind: 'HTTPRoute',
  plural: 'httproutes',
};
const CONTROLLER = 'example.org/test-gateway-controller';

/** A Gateway with an HTTP listener on `port` admitting routes from every namespace. */
export async function createGateway(client: LiveClient, namespace: string, name: string, port = 8080): Promise<void> {
  await client.apply(GATEWAY, {
    apiVersion: GATEWAY.apiVersion,
    kind: 'Gateway',
    metadata: { name, namespace },
    spec: {
      gatewayClassName: 'test',
      listeners: [
        { name: 'web', port, protocol: 'HTTP', allowedRoutes: { namespaces: { from: 'All' } } },
        {
          name: 'secure',
          port: 443,
          protocol: 'HTTPS',
          hostname: '*.example.org',
          allowedRoutes: { namespaces: { from: 'All' } },
          tls: { certificateRefs: [{ name: 'cert' }] },
        },
      ],
    },
  });
}

export async function publishGatewayAddress(
  client: LiveClient,
  namespace: string,
  name: string,
  host: string,
): Promise<void> {
  const type = /^[\d.:]+$/.test(host) ? 'IPAddress' : 'Hostname';
  await client.patch(GATEWAY, namespace, name, { status: { addresses: [{ type, value: host }] } }, 'status');
}

const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

/** Writes the controller's verdict on `route` for the parent Gateway, for the route's current generation. */
export async function acceptRoute(
  client: LiveClient,
  route: ObservedObject,
  parent: { namespace: string; name: string; sectionName?: string },
  verdict: { accepted?: 'True' | 'False'; reason?: string; generation?: number } = {},
): Promise<void> {
  const observedGeneration = verdict.generation ?? route.generation ?? 1;
  const accepted = verdict.accepted ?? 'True';
  const condition = (type: string, status: string, reason: string) => ({
    type,
    status,
    reason,
    message: `${type} ${status} by the test controller`,
    lastTransitionTime: now(),
    observedGeneration,
  });
  await client.patch(
    HTTP_ROUTE,
    route.namespace,
    route.name,
    {
      status: {
        parents: [
          {
            parentRef: { group: 'gateway.networking.k8s.io', kind: 'Gateway', ...parent },
            controllerName: CONTROLLER,
            conditions: [
              condition(
                'Accepted',
                accepted,
                verdict.reason ?? (accepted === 'True' ? 'Accepted' : 'NotAllowedByListeners'),
              ),
              condition('ResolvedRefs', 'True', 'ResolvedRefs'),
            ],
          },
        ],
      },
    },
    'status',
  );
}

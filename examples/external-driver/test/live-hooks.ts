import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { KindRef, ObservedObject } from 'oda-api-operator/sdk';
import type { LiveContext, LiveHooks } from 'oda-api-operator/sdk/testkit';

const API_ROUTE: KindRef = { apiVersion: 'routes.example.com/v1alpha1', kind: 'ApiRoute', plural: 'apiroutes' };

/**
 * The gateway's part in the live kit: install the CRD, and program routes as the gateway would.
 * The address needs no hook: the kit writes it into the route's status.loadBalancer, where the
 * driver's `route-status` address source reads it.
 */
export const liveHooks: LiveHooks = {
  setup: ({ client }: LiveContext) =>
    client.installCrd(
      readFileSync(join(import.meta.dirname, '..', 'crd', 'apiroutes.routes.example.com.yaml'), 'utf8'),
    ),
  acceptRoute: async ({ client }: LiveContext, route: ObservedObject) => {
    const condition = {
      type: 'Programmed',
      status: 'True',
      reason: 'Programmed',
      message: 'routed by the test gateway',
      observedGeneration: route.generation ?? 1,
    };
    await client.patch(API_ROUTE, route.namespace, route.name, { status: { conditions: [condition] } }, 'status');
  },
};

import { runLiveConformance } from '../../core/sdk/testkit/index.ts';
import { gatewayApiDriver } from '../../drivers/gateway-api/index.ts';
import { connectTestCluster } from '../cluster/index.ts';
import { acceptRoute, createGateway, publishGatewayAddress } from './gateway-api-fixtures.ts';

runLiveConformance({
  driver: gatewayApiDriver,
  kubeconfig: connectTestCluster().kubeconfigPath,
  settings: (namespace) => ({ gatewayApiParent: `${namespace}/kit-gateway` }),
  hooks: {
    setup: ({ client, namespace }) => createGateway(client, namespace, 'kit-gateway'),
    publishAddress: ({ client, namespace }, address) =>
      publishGatewayAddress(client, namespace, 'kit-gateway', address.host),
    acceptRoute: ({ client }, route) => acceptRoute(client, route, { namespace: route.namespace, name: 'kit-gateway' }),
  },
});

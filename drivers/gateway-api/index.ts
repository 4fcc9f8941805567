import { ContainerModule } from 'inversify';
import { Driver } from '../../core/sdk/index.ts';
import { gatewayApiDriver } from './gateway-api.driver.ts';

export { gatewayApiDriver } from './gateway-api.driver.ts';

/** Contributes the gateway-api driver to the operator's container. */
export const gatewayApiDriverModule = new ContainerModule(({ bind }) => {
  bind<Driver>(Driver).toConstantValue(gatewayApiDriver);
});

import { ContainerModule } from 'inversify';
import { Driver } from '../../core/sdk/index.ts';
import { istioDriver } from './istio.driver.ts';

export { istioDriver } from './istio.driver.ts';

/** Contributes the Istio driver to the operator's container. */
export const istioDriverModule = new ContainerModule(({ bind }) => {
  bind<Driver>(Driver).toConstantValue(istioDriver);
});

import { ContainerModule } from 'inversify';
import { Driver } from '../../core/sdk/index.ts';
import { simpleIngressDriver } from './simple-ingress.driver.ts';

export { simpleIngressDriver } from './simple-ingress.driver.ts';

/** Contributes the simple-ingress driver to the operator's container. */
export const simpleIngressDriverModule = new ContainerModule(({ bind }) => {
  bind<Driver>(Driver).toConstantValue(simpleIngressDriver);
});

/**
 * `TEST_CLUSTER=k3s`: a k3s server in a container, started with @testcontainers/k3s (a dev
 * dependency that is loaded only here, so the other providers work without it). k3s brings its
 * own controllers (garbage collection included) and RBAC; it needs Docker (or a compatible
 * runtime) and an image registry to pull `ODA_K3S_IMAGE` from.
 */

export const defaultK3sImage = 'rancher/k3s:v1.37.2-k3s1';

export interface StartedK3s {
  /** Admin kubeconfig (YAML) whose server is the container's mapped port on this host. */
  readonly kubeconfig: string;
  stop(): Promise<void>;
}

/** The part of @testcontainers/k3s this provider uses. */
interface K3sModule {
  readonly K3sContainer: new (image: string) => { start(): Promise<StartedK3sContainer> };
}

interface StartedK3sContainer {
  getKubeConfig(): string;
  stop(): Promise<unknown>;
}

export async function startK3s(log: (message: string) => void): Promise<StartedK3s> {
  const k3s = await loadK3sModule();
  const image = process.env.ODA_K3S_IMAGE ?? defaultK3sImage;
  log(`starting ${image} with testcontainers`);
  let container: StartedK3sContainer;
  try {
    container = await new k3s.K3sContainer(image).start();
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    throw new Error(
      `TEST_CLUSTER=k3s: cannot start ${image} (is Docker running and the registry reachable?): ${detail}`,
      { cause: error },
    );
  }
  return {
    kubeconfig: container.getKubeConfig(),
    stop: async () => {
      await container.stop();
    },
  };
}

async function loadK3sModule(): Promise<K3sModule> {
  const name = '@testcontainers/k3s'; // a variable: type-checking must not require the package
  let loaded: unknown;
  try {
    loaded = await import(name);
  } catch (error) {
    throw new Error(`TEST_CLUSTER=k3s needs the dev dependency ${name} (npm install --save-dev ${name})`, {
      cause: error,
    });
  }
  if (!isK3sModule(loaded)) throw new Error(`${name} does not export K3sContainer`);
  return loaded;
}

function isK3sModule(value: unknown): value is K3sModule {
  return (
    typeof value === 'object' && value !== null && 'K3sContainer' in value && typeof value.K3sContainer === 'function'
  );
}

import { existsSync, readFileSync } from 'node:fs';
import type { RequestOptions } from 'node:https';
import { homedir } from 'node:os';
import { delimiter, dirname, isAbsolute, join } from 'node:path';
import { parse } from 'yaml';

/**
 * What `KubeConnection` needs from a kubeconfig. @kubernetes/client-node's `KubeConfig` has these
 * two methods; so does `LiteKubeConfig`, which serves the common cases without loading
 * client-node (30 MiB of heap and a second of start-up for its generated API code).
 */
export interface KubeConfigLike {
  getCurrentCluster(): { readonly server: string } | null;
  applyToHTTPSOptions(options: RequestOptions): Promise<void>;
}

type Dict = Readonly<Record<string, unknown>>;
type Env = Readonly<Record<string, string | undefined>>;

const SERVICE_ACCOUNT = '/var/run/secrets/kubernetes.io/serviceaccount';
/** Keys this loader understands; anything else (exec, auth-provider, proxy-url, impersonation...) goes to client-node. */
const USER_KEYS = new Set([
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'username',
  'password',
]);
const CLUSTER_KEYS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'extensions',
]);

const isDict = (value: unknown): value is Dict => typeof value === 'object' && value !== null && !Array.isArray(value);
const text = (d: Dict, key: string): string | undefined => (typeof d[key] === 'string' ? d[key] : undefined);

function entry(list: unknown, name: string | undefined, field: string): Dict | undefined {
  if (!Array.isArray(list) || name === undefined) return undefined;
  const found: unknown = list.find((e: unknown) => isDict(e) && e.name === name);
  return isDict(found) && isDict(found[field]) ? found[field] : undefined;
}

/**
 * Kubeconfig without @kubernetes/client-node for in-cluster service accounts and for kubeconfig
 * files whose user authenticates with client certificates, a token, a token file or basic auth.
 * Files are read again on every `applyToHTTPSOptions` (rotated tokens and certificates).
 */
export class LiteKubeConfig implements KubeConfigLike {
  readonly #server: string;
  readonly #options: () => RequestOptions;

  private constructor(server: string, options: () => RequestOptions) {
    this.#server = server;
    this.#options = options;
  }

  /**
   * The configuration for `path`, else KUBECONFIG, else ~/.kube/config, else the in-cluster
   * service account; undefined when client-node is needed (several files, exec plugins, auth
   * providers, proxies, impersonation) or when nothing is configured.
   */
  static load(path: string | undefined, env: Env, home = homedir()): LiteKubeConfig | undefined {
    const file = path ?? env.KUBECONFIG;
    if (file !== undefined && file !== '') return file.includes(delimiter) ? undefined : LiteKubeConfig.fromFile(file);
    const defaultFile = join(home, '.kube', 'config');
    let content: string | undefined;
    try {
      content = readFileSync(defaultFile, 'utf8');
    } catch {
      return LiteKubeConfig.inCluster(env);
    }
    return LiteKubeConfig.fromText(content, dirname(defaultFile));
  }

  static fromFile(file: string): LiteKubeConfig | undefined {
    return LiteKubeConfig.fromText(readFileSync(file, 'utf8'), dirname(file));
  }

  static fromText(content: string, baseDir: string): LiteKubeConfig | undefined {
    const doc: unknown = parse(content);
    if (!isDict(doc)) return undefined;
    const contextName = text(doc, 'current-context');
    const context = entry(doc.contexts, contextName, 'context');
    if (context === undefined) return undefined;
    const cluster = entry(doc.clusters, text(context, 'cluster'), 'cluster');
    const user = entry(doc.users, text(context, 'user'), 'user') ?? {};
    const server = cluster && text(cluster, 'server');
    if (cluster === undefined || server === undefined) return undefined;
    if (Object.keys(user).some((k) => !USER_KEYS.has(k)) || Object.keys(cluster).some((k) => !CLUSTER_KEYS.has(k)))
      return undefined;
    const resolve = (p: string): string => (isAbsolute(p) ? p : join(baseDir, p));
    const bytes = (from: Dict, dataKey: string, fileKey: string): Buffer | undefined => {
      const data = text(from, dataKey);
      if (data !== undefined) return Buffer.from(data, 'base64');
      const file = text(from, fileKey);
      return file === undefined ? undefined : readFileSync(resolve(file));
    };
    return new LiteKubeConfig(server, () => {
      const options: RequestOptions = {};
      const ca = bytes(cluster, 'certificate-authority-data', 'certificate-authority');
      const cert = bytes(user, 'client-certificate-data', 'client-certificate');
      const key = bytes(user, 'client-key-data', 'client-key');
      if (ca !== undefined) options.ca = ca;
      if (cert !== undefined) options.cert = cert;
      if (key !== undefined) options.key = key;
      if (cluster['insecure-skip-tls-verify'] === true) options.rejectUnauthorized = false;
      const serverName = text(cluster, 'tls-server-name');
      if (serverName !== undefined) options.servername = serverName;
      const tokenFile = text(user, 'tokenFile');
      const token =
        text(user, 'token') ?? (tokenFile === undefined ? undefined : readFileSync(resolve(tokenFile), 'utf8').trim());
      const username = text(user, 'username');
      const password = text(user, 'password');
      if (token !== undefined) options.headers = { Authorization: `Bearer ${token}` };
      else if (username !== undefined && password !== undefined) options.auth = `${username}:${password}`;
      return options;
    });
  }

  /** The pod's service account, as client-go's in-cluster configuration. */
  static inCluster(env: Env, dir = SERVICE_ACCOUNT): LiteKubeConfig | undefined {
    const host = env.KUBERNETES_SERVICE_HOST;
    const port = env.KUBERNETES_SERVICE_PORT;
    if (host === undefined || host === '' || port === undefined || port === '') return undefined;
    if (!existsSync(join(dir, 'token'))) return undefined;
    const server = `https://${host.includes(':') ? `[${host}]` : host}:${port}`;
    return new LiteKubeConfig(server, () => ({
      ca: readFileSync(join(dir, 'ca.crt')),
      headers: { Authorization: `Bearer ${readFileSync(join(dir, 'token'), 'utf8').trim()}` },
    }));
  }

  getCurrentCluster(): { readonly server: string } {
    return { server: this.#server };
  }

  applyToHTTPSOptions(options: RequestOptions): Promise<void> {
    Object.assign(options, this.#options());
    return Promise.resolve();
  }
}

/**
 * The kubeconfig of `path`, else of KUBECONFIG, else ~/.kube/config, else the pod's service
 * account: `LiteKubeConfig` when it is enough, else @kubernetes/client-node's `KubeConfig`, loaded
 * only then (exec plugins, auth providers, proxies, several files...). Throws when nothing names a cluster.
 */
export async function loadKubeConfig(path: string | undefined, env: Env): Promise<KubeConfigLike> {
  const lite = LiteKubeConfig.load(path, env);
  if (lite !== undefined) return lite;
  const { KubeConfig } = await import('@kubernetes/client-node');
  const kc = new KubeConfig();
  if (path === undefined) kc.loadFromDefault();
  else kc.loadFromFile(path);
  if (kc.getCurrentCluster() === null)
    throw new Error('no cluster: set --kubeconfig or KUBECONFIG, or run in a cluster');
  return kc;
}

import childProcess from 'node:child_process';
import crypto from 'node:crypto';
import dgram from 'node:dgram';
import dns from 'node:dns';
import fs from 'node:fs';
import http from 'node:http';
import http2 from 'node:http2';
import https from 'node:https';
import { syncBuiltinESMExports } from 'node:module';
import net from 'node:net';
import tls from 'node:tls';

/** What a pure function did that it must not: `fs.readFileSync`, `Date.now`, `console.log`, ... */
export interface Effects<T> {
  readonly value?: T;
  readonly error?: unknown;
  readonly violations: readonly string[];
}

type Target = Record<string, unknown>;

const IO_MODULES: readonly [string, object][] = [
  ['fs', fs],
  ['fs.promises', fs.promises],
  ['net', net],
  ['tls', tls],
  ['http', http],
  ['https', https],
  ['http2', http2],
  ['dns', dns],
  ['dgram', dgram],
  ['child_process', childProcess],
];

/** Hashing is pure (a driver may shorten names with a digest); randomness is not. */
const RANDOM_CRYPTO = /^(random|generate|getRandomValues)/;

const SCHEDULING = ['setTimeout', 'setInterval', 'setImmediate', 'queueMicrotask', 'fetch', 'WebSocket'] as const;
const CONSOLE = ['log', 'info', 'warn', 'error', 'debug', 'trace', 'dir', 'table'] as const;

/**
 * Runs `run` synchronously with every way out of a pure function replaced by a recorder that
 * throws: file, network, DNS and process I/O (also through named ESM imports of the built-in
 * modules), the clock, randomness, timers, logging and `process.env`. Everything is restored
 * before it returns. Returns the value or the error, and the violations in the order they happened.
 */
export function withoutEffects<T>(run: () => T): Effects<T> {
  const violations: string[] = [];
  const restore: (() => void)[] = [];
  const deny = (name: string) => {
    return (): never => {
      violations.push(name);
      throw new Error(`${name} used in a function that must be pure`);
    };
  };
  /** Replaces `key` where it is defined: on `target` or the nearest prototype that has it. */
  const replace = (start: object, key: string, name: string, value: unknown = deny(name)): void => {
    let target: object | null = start;
    while (target !== null && !Object.hasOwn(target, key)) target = Object.getPrototypeOf(target) as object | null;
    const descriptor = target === null ? undefined : Object.getOwnPropertyDescriptor(target, key);
    if (target === null || !descriptor?.configurable) return;
    Object.defineProperty(target, key, {
      value,
      writable: true,
      configurable: true,
      enumerable: descriptor.enumerable ?? false,
    });
    restore.push(() => Object.defineProperty(target, key, descriptor));
  };
  for (const [module, exports] of IO_MODULES) {
    for (const [key, descriptor] of Object.entries(Object.getOwnPropertyDescriptors(exports))) {
      if (typeof descriptor.value === 'function' && !/^[A-Z]/.test(key)) replace(exports, key, `${module}.${key}`);
    }
  }
  for (const key of Object.keys(crypto).filter((k) => RANDOM_CRYPTO.test(k))) replace(crypto, key, `crypto.${key}`);
  const g = globalThis as unknown as Target;
  for (const key of SCHEDULING) replace(g, key, key);
  for (const key of CONSOLE) replace(console, key, `console.${key}`);
  replace(process, 'nextTick', 'process.nextTick');
  replace(
    process,
    'hrtime',
    'process.hrtime',
    Object.assign(deny('process.hrtime'), { bigint: deny('process.hrtime.bigint') }),
  );
  replace(process.stdout, 'write', 'process.stdout/stderr.write');
  replace(process.stderr, 'write', 'process.stdout/stderr.write');
  replace(Math, 'random', 'Math.random');
  replace(performance, 'now', 'performance.now');
  replace(globalThis.crypto, 'getRandomValues', 'crypto.getRandomValues');
  replace(globalThis.crypto, 'randomUUID', 'crypto.randomUUID');
  replace(g, 'Date', 'Date', clocklessDate(violations));
  replace(process, 'env', 'process.env', unreadableEnv(violations));
  syncBuiltinESMExports();
  try {
    return { value: run(), violations };
  } catch (error) {
    return { error, violations };
  } finally {
    for (const undo of restore.reverse()) undo();
    syncBuiltinESMExports();
  }
}

/** `Date` whose `now()` and argument-less construction (the current time) are violations. */
function clocklessDate(violations: string[]): DateConstructor {
  const RealDate = Date;
  return new Proxy(RealDate, {
    construct(target, args: unknown[], newTarget) {
      if (args.length === 0) {
        violations.push('new Date()');
        throw new Error('new Date() used in a function that must be pure');
      }
      return Reflect.construct(target, args, newTarget) as object;
    },
    apply() {
      violations.push('Date()');
      throw new Error('Date() used in a function that must be pure');
    },
    get(target, key, receiver) {
      if (key !== 'now') return Reflect.get(target, key, receiver) as unknown;
      return () => {
        violations.push('Date.now');
        throw new Error('Date.now used in a function that must be pure');
      };
    },
  });
}

/** An environment whose every read is a violation. */
function unreadableEnv(violations: string[]): object {
  const refuse = (what: string): never => {
    violations.push(what);
    throw new Error(`${what} used in a function that must be pure`);
  };
  return new Proxy(
    {},
    {
      get: (_t, key) => refuse(`process.env.${String(key)}`),
      has: (_t, key) => refuse(`process.env.${String(key)}`),
      ownKeys: () => refuse('process.env'),
    },
  );
}

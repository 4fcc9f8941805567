import { asKubeStatus, type KubeStatus } from './raw-object.ts';

/**
 * A failed API call: a non-2xx answer (with the Kubernetes `Status` the server sent, when it
 * sent one) or, with `statusCode` 0, a network failure, timeout or abort before any answer.
 */
export class KubeApiError extends Error {
  /** HTTP status; 0 when no response arrived (connection refused or reset, timeout, abort). */
  readonly statusCode: number;
  /** `Status.reason` (e.g. `NotFound`, `Conflict`, `Expired`), or a client-side reason for status 0. */
  readonly reason: string;
  /** The `Status` body, when the server sent one. */
  readonly status: KubeStatus | undefined;
  readonly verb: string;
  readonly path: string;

  constructor(init: {
    statusCode: number;
    reason: string;
    message: string;
    verb: string;
    path: string;
    status?: KubeStatus;
    cause?: unknown;
  }) {
    super(
      `${init.verb} ${init.path}: ${init.statusCode === 0 ? '' : `${init.statusCode} `}${init.reason}: ${init.message}`,
      {
        cause: init.cause,
      },
    );
    this.name = 'KubeApiError';
    this.statusCode = init.statusCode;
    this.reason = init.reason;
    this.status = init.status;
    this.verb = init.verb;
    this.path = init.path;
  }

  /** Builds the error for an HTTP answer from its status code and (possibly non-JSON) body. */
  static fromResponse(verb: string, path: string, statusCode: number, body: unknown): KubeApiError {
    const status = asKubeStatus(body);
    const text = typeof body === 'string' ? body.trim().slice(0, 300) : '';
    return new KubeApiError({
      statusCode,
      reason: status?.reason ?? reasonForCode(statusCode),
      message: status?.message ?? (text || `HTTP ${statusCode}`),
      verb,
      path,
      ...(status === undefined ? {} : { status }),
    });
  }

  /** Builds the error for a request that got no answer. */
  static fromNetwork(verb: string, path: string, reason: NetworkFailure, cause: unknown): KubeApiError {
    const message = cause instanceof Error ? cause.message : String(cause);
    return new KubeApiError({ statusCode: 0, reason, message, verb, path, cause });
  }
}

/** Reasons of status-0 errors. */
export type NetworkFailure = 'NetworkError' | 'Timeout' | 'Aborted' | 'InvalidResponse' | 'AuthenticationFailed';

export function isKubeApiError(error: unknown): error is KubeApiError {
  return error instanceof KubeApiError;
}

export function isNotFound(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 404;
}

export function isConflict(error: unknown): boolean {
  return error instanceof KubeApiError && error.statusCode === 409;
}

/** 410 Gone: the resourceVersion asked for is older than what the server still keeps. */
export function isGone(error: unknown): boolean {
  return error instanceof KubeApiError && (error.statusCode === 410 || error.reason === 'Expired');
}

/** True for aborts requested by the caller (not a failure to report). */
export function isAborted(error: unknown): boolean {
  return error instanceof KubeApiError && error.reason === 'Aborted';
}

function reasonForCode(code: number): string {
  const reasons: Readonly<Record<number, string>> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Gone',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[code] ?? 'Unknown';
}

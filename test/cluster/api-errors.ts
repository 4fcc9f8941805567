import { ApiException } from '@kubernetes/client-node';

/** The HTTP status of a failed client-node call, or undefined for other errors. */
export function statusCodeOf(error: unknown): number | undefined {
  return error instanceof ApiException ? (error as ApiException<unknown>).code : undefined;
}

/** A readable message from a client-node error (its `body` carries the API's Status). */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  if (!(error instanceof ApiException)) return error.message;
  const body: unknown = (error as ApiException<unknown>).body;
  const status = typeof body === 'string' ? parseJson(body) : body;
  if (typeof status === 'object' && status !== null && 'message' in status && typeof status.message === 'string') {
    return `${status.message} (HTTP ${(error as ApiException<unknown>).code})`;
  }
  return `${error.message}: ${String(body).slice(0, 500)}`;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

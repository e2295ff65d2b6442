import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import type { Server } from 'node:http';
import type { FastifyError, FastifyHttpOptions, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorCode } from '../errors/error-code.js';

/** How long a client may take, so that one trickling a byte at a time cannot hold a connection. */
export const CLIENT_TIMEOUTS = {
  /**
   * A connection with nothing moving either way for this long is closed. Node counts the time the
   * service takes to answer too, so this is kept above the worst answer time under load (a sign-in
   * queued behind others' bcrypt work); trickling clients are cut by the two limits below.
   */
  idleMs: 30_000,
  /** All of a request's headers must have arrived within this long... */
  headersMs: 10_000,
  /** ...and the whole request, body included, within this long. */
  requestMs: 15_000,
  /** An idle kept-alive connection is closed after this long (shorter than balancers' usual 60 s). */
  keepAliveMs: 5_000,
  /** How often Node looks for connections over the header and request limits. */
  checkEveryMs: 1_000,
} as const;

function errorBody(status: number, code: ErrorCode, message: string): string {
  return JSON.stringify({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', message, code });
}

/**
 * Errors Node's HTTP parser meets before there is a request (oversized headers, a timeout,
 * garbage), answered in the contract's shape rather than Fastify's own, and the connection closed.
 */
function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
      ? [408, 'request_timeout', 'The request did not arrive in time']
      : error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'headers_too_large', 'Request headers are larger than 16 KiB']
        : [400, 'bad_request', 'Malformed HTTP request'];
  const body = errorBody(status, code, message);
  if (socket.writable) {
    socket.write(`HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  }
  socket.destroy(error);
}

/** Fastify's routing errors (a malformed URL, an over-long path parameter), in the contract's shape. */
function frameworkErrors(error: FastifyError, _request: FastifyRequest, reply: FastifyReply): void {
  const [status, code, message]: [number, ErrorCode, string] =
    error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? [414, 'uri_too_long', 'A path parameter is too long'] : [400, 'bad_request', 'Malformed URL'];
  void reply.status(status).header('content-type', 'application/json').header('cache-control', 'no-store').send(errorBody(status, code, message));
}

/** The HTTP server's settings: limits, timeouts and the answers to what never reaches a route. */
export const HTTP_SERVER_OPTIONS = {
  connectionTimeout: CLIENT_TIMEOUTS.idleMs,
  requestTimeout: CLIENT_TIMEOUTS.requestMs,
  keepAliveTimeout: CLIENT_TIMEOUTS.keepAliveMs,
  http: { headersTimeout: CLIENT_TIMEOUTS.headersMs, connectionsCheckingInterval: CLIENT_TIMEOUTS.checkEveryMs },
  clientErrorHandler,
  frameworkErrors,
} satisfies Partial<FastifyHttpOptions<Server>>;

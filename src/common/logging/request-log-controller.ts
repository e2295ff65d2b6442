import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's own request logging, one line per request instead of two: written when the answer
 * has gone, with method, URL, client address, status and time taken (and Fastify's `reqId`), at
 * `error` for a 5xx or a failed answer. Flat fields picked here rather than Fastify's `req`/`res`
 * serializers, which also read the host, the client's port and a version header on every request
 * (a tenth of a cached `GET /auth/whoami`). Headers are never logged, nor the query string (a
 * password sent as `?password=` by mistake): the URL is logged as its path alone.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // the completion line says everything
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { method: request.method, url: pathOf(request.url), ip: request.ip, statusCode: reply.statusCode, responseTime: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) request.log.error({ ...fields, err: error }, 'request errored');
    else if (reply.statusCode >= 500) request.log.error(fields, 'request completed');
    else request.log.info(fields, 'request completed');
  }
}

function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}

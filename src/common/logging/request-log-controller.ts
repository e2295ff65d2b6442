import { type FastifyReply, type FastifyRequest, LogController } from 'fastify';

/**
 * Fastify's own request logging, one line per request instead of two: written when the answer
 * has gone, with method, URL, client address, status and time taken, at `error` for a 5xx or a
 * failed answer. Fastify's request serializer never includes headers, so credentials cannot leak.
 */
export class RequestLogController extends LogController {
  override incomingRequest(): void {
    // the completion line says everything
  }

  override requestCompleted(error: Error | null | undefined, request: FastifyRequest, reply: FastifyReply): void {
    const fields = { req: request, res: reply, responseTime: Math.round(reply.elapsedTime * 100) / 100 };
    if (error) request.log.error({ ...fields, err: error }, 'request errored');
    else if (reply.statusCode >= 500) request.log.error(fields, 'request completed');
    else request.log.info(fields, 'request completed');
  }
}

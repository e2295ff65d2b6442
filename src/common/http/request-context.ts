import { isIP } from 'node:net';
// The one part of @nestjs/throttler that loads without @nestjs/common (see PostgresThrottlerStorage).
import { normalizeIp } from '@nestjs/throttler/dist/ip.js';
import type { FastifyRequest } from 'fastify';

/** Where a request came from, as recorded on sessions and audit events. */
export interface RequestContext {
  ip: string;
  userAgent?: string;
}

/**
 * The client's address: `request.ip` (the socket's peer, or what the proxies `TRUST_PROXY` names
 * report in `X-Forwarded-For`), unless that is not an IP address at all (a proxy passing on
 * whatever the client wrote), in which case the socket's peer.
 */
export function clientIpOf(request: FastifyRequest): string {
  return isIP(request.ip) !== 0 ? request.ip : (request.socket.remoteAddress ?? 'unknown');
}

/**
 * The client as the credential rate limit and the account lockout count it: its address (see
 * `clientIpOf`), an IPv6 address as its /64, which one client can easily hop around in.
 */
export function countedClientOf(ip: string): string {
  return normalizeIp(ip);
}

export function requestContextOf(request: FastifyRequest): RequestContext {
  const userAgent = request.headers['user-agent'];
  return { ip: clientIpOf(request), userAgent: userAgent?.slice(0, 512) };
}

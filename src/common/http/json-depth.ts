import type { FastifyInstance } from 'fastify';
import { DomainError } from '../errors/domain.error.js';

/** Far deeper than any body we accept; class-transformer recurses once per level and overflows past a few thousand. */
export const MAX_JSON_DEPTH = 32;

/** Whether a parsed JSON value nests objects or arrays deeper than `limit` (iterative: no recursion to overflow). */
export function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (typeof current !== 'object' || current === null) continue;
    if (depth > limit) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}

/** Refuses over-nested bodies before any guard or pipe walks them. */
export function refuseDeeplyNestedBodies(fastify: FastifyInstance): void {
  fastify.addHook('preValidation', (request, _reply, done) => {
    if (!nestsDeeperThan(request.body, MAX_JSON_DEPTH)) return done();
    done(
      new DomainError('validation_failed', 'Validation failed', {
        messages: [`body must not nest deeper than ${MAX_JSON_DEPTH} levels`],
      }),
    );
  });
}

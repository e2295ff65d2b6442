import { applyDecorators, SetMetadata } from '@nestjs/common';
import { type PublicRouteFacts, routeFactDecorators } from './route-facts.js';

export const IS_PUBLIC = 'portcullis:isPublic';

/**
 * Marks a route as reachable without a token; every other route needs one. What else the route
 * does that its guards and documentation must know is stated here too, e.g.
 * `@Public({ rateLimited: true, checksPassword: true })`.
 */
export const Public = (facts: PublicRouteFacts = {}): MethodDecorator & ClassDecorator => applyDecorators(SetMetadata(IS_PUBLIC, true), ...routeFactDecorators(facts));

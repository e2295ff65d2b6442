import passport from 'passport';
import type { Strategy } from 'passport';

type PassportCallback<T> = (error: unknown, user: unknown, info: unknown) => T;

/**
 * Runs this application's own instance of a passport strategy for one request, rather than one
 * looked up by name in passport's process-wide registry, where the last application built in
 * a process would verify for all of them. A fresh object per request, as passport does for
 * named strategies. `request` is whatever the strategy reads its credential from (the Fastify
 * request, or a credential already read from it). Answers what `callback` makes of passport's verdict.
 */
export function authenticateWith<T>(strategy: Strategy, request: object, callback: PassportCallback<T>): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const perRequest = Object.create(strategy) as Strategy;
    const authenticate = passport.authenticate(perRequest, { session: false }, (error: unknown, user: unknown, info: unknown) => {
      try {
        resolve(callback(error, user, info));
      } catch (thrown) {
        reject(thrown instanceof Error ? thrown : new Error('passport callback failed without an Error', { cause: thrown }));
      }
    }) as (request: unknown, reply: unknown, next: (error?: unknown) => void) => void;
    // With a callback, passport answers through it and never touches the reply.
    authenticate(request, undefined, (error) => reject(error instanceof Error ? error : new Error('passport ended without a result', { cause: error })));
  });
}

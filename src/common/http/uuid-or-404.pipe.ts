import { ParseUUIDPipe } from '@nestjs/common';
import { DomainError } from '../errors/domain.error.js';

/** A path id that is not a UUID names nothing: 404 `not_found`, as for an unknown one. */
export const uuidOr404 = (what: string): ParseUUIDPipe =>
  new ParseUUIDPipe({ exceptionFactory: () => new DomainError('not_found', `${what} not found`) });

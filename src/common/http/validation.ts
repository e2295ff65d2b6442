import { ValidationPipe, type ValidationError } from '@nestjs/common';
import { DomainError } from '../errors/domain.error.js';

function flatten(errors: ValidationError[], parent = ''): string[] {
  return errors.flatMap((error) => {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((text) =>
      // class-validator names the leaf property only; give the full path for nested fields.
      parent ? `${path}: ${text}` : text,
    );
    return [...own, ...flatten(error.children ?? [], path)];
  });
}

export function validationFailed(errors: ValidationError[]): DomainError {
  return new DomainError('validation_failed', 'Validation failed', { messages: flatten(errors) });
}

/** The global pipe: unknown fields are refused, known ones transformed to their DTO types. */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: validationFailed,
  });
}

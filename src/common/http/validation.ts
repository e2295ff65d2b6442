import { ValidationPipe, type ValidationError } from '@nestjs/common';
import type { ValidatorOptions } from 'class-validator';
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

const IGNORES_UNKNOWN_FIELDS = Symbol('ignores unknown fields');

/**
 * Marks a DTO whose unknown fields are dropped rather than refused: the OAuth endpoints' parameters,
 * which RFC 6749 §3.2 says to ignore when not recognized. Every other body refuses them.
 */
export const IgnoresUnknownFields = (): ClassDecorator => (target) => Reflect.defineMetadata(IGNORES_UNKNOWN_FIELDS, true, target);

class ContractValidationPipe extends ValidationPipe {
  protected override validate(object: object, validatorOptions?: ValidatorOptions) {
    const ignoresUnknown = Reflect.getMetadata(IGNORES_UNKNOWN_FIELDS, object.constructor) === true;
    return super.validate(object, ignoresUnknown ? { ...validatorOptions, forbidNonWhitelisted: false } : validatorOptions);
  }
}

/** The global pipe: unknown fields are refused (dropped for `@IgnoresUnknownFields` DTOs), known ones transformed to their DTO types. */
export function createValidationPipe(): ValidationPipe {
  return new ContractValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    transform: true,
    stopAtFirstError: false,
    exceptionFactory: validationFailed,
  });
}

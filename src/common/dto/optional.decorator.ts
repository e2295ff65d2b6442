import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but when it is sent it is validated like any other: unlike
 * class-validator's `IsOptional`, which also waves `null` through to code that expects a
 * string (and then fails with a 500), `null` here is a value like any other, and refused
 * unless the field's own rules allow it.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}

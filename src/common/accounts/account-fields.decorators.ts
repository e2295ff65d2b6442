import { registerDecorator, type ValidationArguments } from 'class-validator';
import { emailProblem } from './email.js';
import { passwordProblem } from './password-policy.js';

function stringRule(name: string, problem: (value: string, args: ValidationArguments) => string | undefined): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name,
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown, args: ValidationArguments) => typeof value === 'string' && problem(value, args) === undefined,
        defaultMessage: (args: ValidationArguments) =>
          `${args.property} ${typeof args.value === 'string' ? (problem(args.value, args) ?? 'is not valid') : 'must be a string'}`,
      },
    });
  };
}

/** An account's email: no control or invisible characters, at most 320 characters as typed and as its key. */
export function IsAccountEmail(): PropertyDecorator {
  return stringRule('isAccountEmail', (value) => emailProblem(value));
}

/** A new password: 8 to 128 characters, not a common or breached one, not the email (the sibling field `emailField`). */
export function IsAcceptablePassword(emailField?: string): PropertyDecorator {
  return stringRule('isAcceptablePassword', (value, args) => {
    const email = emailField === undefined ? undefined : (args.object as Record<string, unknown>)[emailField];
    return passwordProblem(value, typeof email === 'string' ? email : undefined);
  });
}

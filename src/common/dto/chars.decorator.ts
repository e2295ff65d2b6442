import { registerDecorator, type ValidationArguments } from 'class-validator';

/** Characters as PostgreSQL counts them in a `varchar(n)`: code points (an emoji is one, a variation selector is one). */
export function charCount(text: string): number {
  let count = 0;
  for (const _codePoint of text) count++;
  return count;
}

/**
 * A string of `min` to `max` characters, counted the way the database counts them. class-validator's
 * `Length` counts otherwise (it skips variation selectors, for one), so a value it lets through
 * could still overflow its column and fail there with a 500.
 */
export function Chars(min: number, max: number): PropertyDecorator {
  return (target: object, propertyName: string | symbol) => {
    registerDecorator({
      name: 'chars',
      target: target.constructor,
      propertyName: String(propertyName),
      constraints: [min, max],
      validator: {
        validate: (value: unknown) => typeof value === 'string' && charCount(value) >= min && charCount(value) <= max,
        defaultMessage: ({ property }: ValidationArguments) =>
          min > 0 ? `${property} must be a string of ${min} to ${max} characters` : `${property} must be a string of at most ${max} characters`,
      },
    });
  };
}

/** The fields a partial update really changes, with their values before and after. */
export interface FieldChanges<T> {
  fields: Array<keyof T & string>;
  before: Partial<T>;
  after: Partial<T>;
}

/** Arrays (roles) compare as sets: the same members in another order are no change. */
function same(current: unknown, next: unknown): boolean {
  if (Array.isArray(current) && Array.isArray(next)) return current.length === next.length && current.every((item) => next.includes(item));
  return current === next;
}

/**
 * What `requested` (a validated PATCH body, whose absent fields are `undefined`) changes on
 * `current`: the set to write, and the before/after an audit event records.
 */
export function fieldChanges<T extends object>(current: T, requested: Partial<T>): FieldChanges<T> {
  const fields = (Object.keys(requested) as Array<keyof T & string>).filter((field) => requested[field] !== undefined && !same(current[field], requested[field]));
  const pick = (source: Partial<T>): Partial<T> => Object.fromEntries(fields.map((field) => [field, source[field]])) as Partial<T>;
  return { fields, before: pick(current), after: pick(requested) };
}

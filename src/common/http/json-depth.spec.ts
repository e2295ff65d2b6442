import { nestsDeeperThan } from './json-depth.js';

describe(nestsDeeperThan.name, () => {
  const nested = (depth: number): unknown => Array.from({ length: depth - 1 }).reduce<unknown>((inner) => [inner], []);

  it('counts a flat object as one level', () => {
    expect(nestsDeeperThan({ a: 1, b: 'x' }, 1)).toBe(false);
  });

  it('allows exactly the limit and refuses one more', () => {
    expect(nestsDeeperThan(nested(32), 32)).toBe(false);
    expect(nestsDeeperThan(nested(33), 32)).toBe(true);
  });

  it('finds deep nesting inside an object field', () => {
    expect(nestsDeeperThan({ email: 'a@b.c', extra: nested(40) }, 32)).toBe(true);
  });

  it('treats primitives and null as no nesting, and survives 100 000 levels', () => {
    expect(nestsDeeperThan('text', 1)).toBe(false);
    expect(nestsDeeperThan(null, 1)).toBe(false);
    expect(nestsDeeperThan(nested(100_000), 32)).toBe(true);
  });
});

import { describe, expect, test } from 'vitest';
import { closest } from '../../src/config/did-you-mean.ts';
import { refineLocation } from '../../src/config/refine-location.ts';

const SOURCE = [
  "import { item } from 'atmn';",
  '// price: a comment mentioning the key',
  'export const x = item({',
  "  featureId: 'api', // tiers: not this one",
  "  note: 'to: not in a string either',",
  '  price: {',
  '    tiers: [',
  '      { to: 100, amount: 1 },',
  "      { to: 'inf', amount: 0.5 },",
  '    ],',
  '  },',
  '});',
  "export const y = item({ featureId: 'b', price: { amount: 1 } });",
  '',
].join('\n');

const call = { file: 'autumn.config.ts', line: 3, column: 17, length: 4 };

describe('refineLocation', () => {
  test('follows the path key by key, counting array elements, skipping comments and strings', () => {
    expect(refineLocation(call, ['price', 'tiers', 1, 'to'], SOURCE)).toEqual({
      file: 'autumn.config.ts', line: 9, column: 8, length: 2, lineText: "      { to: 'inf', amount: 0.5 },",
    });
    expect(refineLocation(call, ['featureId'], SOURCE)).toMatchObject({ line: 4, column: 2, length: 9 });
  });

  test('stays inside the call: a key missing there keeps the deepest key found, or the call', () => {
    expect(refineLocation(call, ['price', 'amount'], SOURCE)).toMatchObject({ line: 6, column: 2, length: 5 });
    expect(refineLocation(call, ['reset'], SOURCE)).toEqual(call);
  });
});

test('did-you-mean accepts a typo or a swap, not an unrelated word', () => {
  expect(closest('includd', ['included', 'unlimited'])).toBe('included');
  expect(closest('chta', ['chat', 'team'])).toBe('chat');
  expect(closest('Seat', ['seats'])).toBe('seats');
  expect(closest('pricing', ['included', 'reset'])).toBeUndefined();
});

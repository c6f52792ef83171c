import { describe, expect, test } from 'vitest';
import { assignIdentifiers, generateConfigSource, quoteString, toIdentifier } from '../../src/codegen/index.ts';
import { catalog, feature, item, plan, teamExample } from '../sync/catalog-builders.ts';

describe('generateConfigSource', () => {
  test('the seat-based team example: exact, formatted source with features referenced by variable', () => {
    expect(generateConfigSource(teamExample())).toBe(`import { feature, item, plan } from 'atmn';

export const seats = feature({
  id: 'seats',
  name: 'Seats',
  type: 'metered',
  consumable: false,
});

export const summaries = feature({
  id: 'summaries',
  name: 'Meeting Summaries',
  type: 'metered',
  consumable: true,
});

export const free = plan({
  id: 'free',
  name: 'Free',
  autoEnable: true,
  items: [
    item({ featureId: seats.id, included: 1 }),
    item({
      featureId: summaries.id,
      included: 5,
      reset: { interval: 'month' },
      entityFeatureId: seats.id,
    }),
  ],
});

export const team = plan({
  id: 'team',
  name: 'Team',
  price: { amount: 30, interval: 'month' },
  items: [
    item({
      featureId: seats.id,
      included: 1,
      price: { amount: 30, interval: 'month', billingMethod: 'usage_based' },
    }),
    item({
      featureId: summaries.id,
      included: 50,
      reset: { interval: 'month' },
      entityFeatureId: seats.id,
    }),
  ],
});
`);
  });

  test('is deterministic: record insertion order and item order of equal catalogs do not matter, items keep catalog order', () => {
    const base = teamExample();
    const reordered = { features: { summaries: base.features.summaries!, seats: base.features.seats! }, plans: { team: base.plans.team!, free: base.plans.free! } };
    expect(generateConfigSource(reordered)).toBe(generateConfigSource(base));
  });

  test('omits fields equal to their defaults and writes archived and a non-default everything', () => {
    const source = generateConfigSource(
      catalog(
        [feature('sso', { type: 'boolean', consumable: false, archived: true })],
        [plan('empty', [], { addOn: false, autoEnable: false, description: null, group: null }), plan('old', [item('sso')], { archived: true })],
      ),
    );
    expect(source).toBe(`import { feature, item, plan } from 'atmn';

export const sso = feature({
  id: 'sso',
  name: 'Sso',
  type: 'boolean',
  archived: true,
});

export const empty = plan({
  id: 'empty',
  name: 'Empty',
});

export const old = plan({
  id: 'old',
  name: 'Old',
  items: [
    item({ featureId: sso.id }),
  ],
  archived: true,
});
`);
  });

  test('a reset equal to the price interval is left out (hosted derives it; pull drops it)', () => {
    const price = { rate: { kind: 'flat', amount: 1 }, interval: 'month', intervalCount: 1, billingUnits: 1, billingMethod: 'usage_based', maxPurchase: null } as const;
    const source = generateConfigSource(catalog([feature('api')], [plan('pro', [item('api', { price, reset: { interval: 'month', intervalCount: 1 } })])]));
    expect(source).toContain(`  items: [
    item({
      featureId: api.id,
      price: { amount: 1, interval: 'month', billingMethod: 'usage_based' },
    }),
  ],`);
    expect(source).not.toContain('reset');
  });

  test('a plan item naming a feature the catalog lacks uses the id string instead of a variable', () => {
    const source = generateConfigSource({ features: {}, plans: { pro: plan('pro', [item('ghost')]) } });
    expect(source).toContain("    item({ featureId: 'ghost' }),\n");
  });
});

describe('identifiers', () => {
  test('ids become camelCase identifiers; digits, reserved words and DSL names are made safe', () => {
    expect(toIdentifier('pro-monthly', 'plan')).toBe('proMonthly');
    expect(toIdentifier('pro_monthly', 'plan')).toBe('proMonthly');
    expect(toIdentifier('1st-plan', 'plan')).toBe('_1stPlan');
    expect(toIdentifier('class', 'feature')).toBe('class_');
    expect(toIdentifier('default', 'feature')).toBe('default_');
    expect(toIdentifier('await', 'feature')).toBe('await_');
    expect(toIdentifier('plan', 'plan')).toBe('plan_');
    expect(toIdentifier('item', 'feature')).toBe('item_');
    expect(toIdentifier('---', 'feature')).toBe('feature_');
    expect(toIdentifier('__', 'plan')).toBe('plan_');
    expect(toIdentifier('API_KEYS', 'feature')).toBe('APIKEYS');
  });

  test('collisions: the same kind counts up, the other kind gets a Feature/Plan suffix, names in the file are avoided', () => {
    const names = assignIdentifiers(
      catalog([feature('a-b'), feature('a_b'), feature('aB'), feature('pro'), feature('existing')], [plan('pro'), plan('pro-plan'), plan('existing')]),
      { taken: ['existing', 'helper'] },
    );
    // sorted id order decides who gets the plain name: 'a-b' < 'aB' < 'a_b' (UTF-16 code units)
    expect(Object.fromEntries(names.features)).toEqual({ 'a-b': 'aB', aB: 'aB2', a_b: 'aB3', existing: 'existingFeature', pro: 'pro' });
    expect(Object.fromEntries(names.plans)).toEqual({ existing: 'existingPlan', pro: 'proPlan', 'pro-plan': 'proPlan2' });
  });

  test('names the user chose are kept and avoided', () => {
    const names = assignIdentifiers(catalog([feature('seats'), feature('api')], [plan('seats')]), {
      fixed: { features: new Map([['api', 'seats']]), plans: new Map() },
    });
    expect(Object.fromEntries(names.features)).toEqual({ api: 'seats', seats: 'seats2' });
    expect(Object.fromEntries(names.plans)).toEqual({ seats: 'seatsPlan' });
  });
});

describe('quoteString', () => {
  const nasty = [
    '',
    "it's",
    'say "hi"',
    'back\\slash',
    'line\nbreak\r\n',
    'tab\there',
    '\u0000\u0007\u001b\u007f',
    'line\u2028sep\u2029para',
    '${template} `tick`',
    '</script>',
    'emoji 🚀 and ünïcödé',
    'lone \ud800 high and \udc00 low',
  ];

  test('exact escapes', () => {
    expect(quoteString("it's")).toBe("'it\\'s'");
    expect(quoteString('a\nb')).toBe("'a\\nb'");
    expect(quoteString('\u0000\u001b')).toBe("'\\x00\\x1b'");
    expect(quoteString('a\u2028b')).toBe("'a\\u2028b'");
    expect(quoteString('lone \ud800')).toBe("'lone \\ud800'");
    expect(quoteString('🚀')).toBe("'🚀'");
  });

  test.each(nasty)('evaluates back to the same string: %j', (value) => {
    const literal = quoteString(value);
    expect(literal).not.toMatch(/[\n\r\u2028\u2029]/);
    expect(new Function(`return ${literal};`)()).toBe(value);
  });
});

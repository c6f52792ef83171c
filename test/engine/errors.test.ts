import { describe, expect, it } from 'vitest';
import { AtmnError } from '../../src/errors.ts';
import { at, boolean, catalog, create, credits, errorCode, item, metered, plan, price, setup } from './helpers.ts';

const cat = catalog([metered('users', false), metered('messages'), credits('credits', { messages: 1 }), boolean('sso')], [
  plan('free', [item('messages', { included: 30 }), item('sso')]),
  plan('capped', [item('users', { included: 0, price: price({ amount: 5, maxPurchase: 1 }) })]),
  plan('slices', [item('messages', { included: 5, entityFeatureId: 'users' })]),
  plan('old', [], { archived: true }),
]);

function failure(fn: () => unknown): AtmnError {
  try {
    fn();
  } catch (error) {
    if (error instanceof AtmnError) return error;
    throw error;
  }
  throw new Error('expected an AtmnError');
}

describe('§10 error codes and messages', () => {
  it('customer_not_found', () => {
    const e = setup(cat);
    const err = failure(() => e.check({ customerId: 'org_9', featureId: 'messages' }));
    expect([err.code, err.message, err.details]).toEqual(['customer_not_found',
      "Customer 'org_9' does not exist. Create it before calling check, track or entities.", { customer_id: 'org_9' }]);
    for (const fn of [
      () => e.track({ customerId: 'org_9', featureId: 'messages' }),
      () => e.createEntities({ customerId: 'org_9', entities: [{ id: 'a', featureId: 'users' }] }),
      () => e.attach({ customerId: 'org_9', planId: 'free' }),
      () => e.deleteEntity({ customerId: 'org_9', entityId: 'a' }),
    ]) expect(errorCode(fn)).toBe('customer_not_found');
  });
  it('feature_not_found', () => {
    const e = setup(cat);
    const err = failure(() => e.track({ customerId: 'c', featureId: 'sumaries' }));
    expect([err.code, err.message]).toEqual(['feature_not_found', "Feature 'sumaries' is not defined. Check the id against autumn.config.ts."]);
    expect(errorCode(() => create(e, 'nope', 'a'))).toBe('feature_not_found');
  });
  it('ids named like Object.prototype members are unknown ids, not built-ins', () => {
    const e = setup(cat);
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'constructor' }))).toBe('feature_not_found');
    expect(errorCode(() => e.check({ customerId: 'c', featureId: 'toString' }))).toBe('feature_not_found');
    expect(errorCode(() => create(e, 'hasOwnProperty', 'a'))).toBe('feature_not_found');
    expect(errorCode(() => e.attach({ customerId: 'c', planId: 'valueOf' }))).toBe('plan_not_found');
    expect(e.events('c')).toEqual([]);
  });
  it('entity_not_found', () => {
    const e = setup(cat, { customers: ['org_1'] });
    const err = failure(() => e.check({ customerId: 'org_1', featureId: 'messages', entityId: 'user_7' }));
    expect([err.code, err.message]).toEqual(['entity_not_found',
      "Entity 'user_7' does not exist for customer 'org_1'. Create it, or pass entity_data.feature_id to create it on the fly."]);
    expect(errorCode(() => e.attach({ customerId: 'org_1', planId: 'free', entityId: 'user_7' }))).toBe('entity_not_found');
    expect(errorCode(() => e.detach({ customerId: 'org_1', planId: 'free', entityId: 'user_7' }))).toBe('entity_not_found');
    expect(errorCode(() => e.deleteEntity({ customerId: 'org_1', entityId: 'user_7' }))).toBe('entity_not_found');
    expect(e.entities('org_1')).toEqual([]);
  });
  it('entity_already_exists', () => {
    const e = setup(cat, { customers: ['org_1'] });
    e.createEntities({ customerId: 'org_1', entities: [{ id: 'user_7', featureId: 'users' }] });
    const err = failure(() => e.createEntities({ customerId: 'org_1', entities: [{ id: 'user_7', featureId: 'users' }] }));
    expect([err.code, err.message]).toEqual(['entity_already_exists',
      "Entity 'user_7' already exists for customer 'org_1'. Pick another id or delete the existing entity first."]);
  });
  it('feature_limit_reached', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'capped' });
    create(e, 'users', 'a');
    const err = failure(() => create(e, 'users', 'b'));
    expect([err.code, err.details]).toEqual(['feature_limit_reached', { customer_id: 'c', entity_id: 'b', feature_id: 'users', in_use: 2, limit: 1 }]);
  });
  it('insufficient_balance', () => {
    const e = setup(cat, { customers: ['org_1'] });
    e.attach({ customerId: 'org_1', planId: 'free' });
    const err = failure(() => e.track({ customerId: 'org_1', featureId: 'messages', value: 40, overageBehavior: 'reject' }));
    expect([err.code, err.message]).toEqual(['insufficient_balance',
      "Customer 'org_1' has 30 of 'messages' available; 40 was requested. Retry with a smaller value or without overage_behavior \"reject\"."]);
    expect(err.details).toMatchObject({ requested: 40, available: 30, feature_id: 'messages' });
  });
  it('duplicate_idempotency_key is checked before the customer and the feature (R5.2)', () => {
    const e = setup(cat, { start: at('2025-01-15T10:00:00Z') });
    e.attach({ customerId: 'c', planId: 'free' });
    e.track({ customerId: 'c', featureId: 'messages', idempotencyKey: 'k1' });
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'nope', idempotencyKey: 'k1' }))).toBe('duplicate_idempotency_key');
    expect(errorCode(() => e.track({ customerId: 'c', featureId: 'messages', value: 'ten', idempotencyKey: 'k1' }))).toBe('invalid_input');
  });
  it('invalid_input for malformed requests', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'free' });
    const err = failure(() => e.track({ customerId: 'c', featureId: 'messages', value: 'ten' }));
    expect([err.code, err.message]).toEqual(['invalid_input', "value must be a finite number; got 'ten'."]);
    // NaN and Infinity are named as what they are (JSON would show them as null).
    expect(failure(() => e.track({ customerId: 'c', featureId: 'messages', value: Number.NaN })).message).toBe('value must be a finite number; got NaN.');
    expect(failure(() => e.check({ customerId: 'c', featureId: 'messages', requiredBalance: Number.POSITIVE_INFINITY })).message).toBe('required_balance must be a finite number ≥ 0; got Infinity.');
    const bad: [string, () => unknown][] = [
      ['NaN value', () => e.track({ customerId: 'c', featureId: 'messages', value: Number.NaN })],
      ['Infinity value', () => e.track({ customerId: 'c', featureId: 'messages', value: Number.POSITIVE_INFINITY })],
      ['tracking a boolean', () => e.track({ customerId: 'c', featureId: 'sso' })],
      ['overflow', () => e.track({ customerId: 'c', featureId: 'messages', overageBehavior: 'overflow' as 'cap' })],
      ['negative required_balance', () => e.check({ customerId: 'c', featureId: 'messages', requiredBalance: -1 })],
      ['consumable entity feature', () => create(e, 'messages', 'x')],
      ['credit system entity feature', () => create(e, 'credits', 'x')],
      ['empty entity id', () => create(e, 'users', '')],
      ['id twice in one list', () => create(e, 'users', 'x', 'x')],
      ['plan attached twice', () => e.attach({ customerId: 'c', planId: 'free' })],
      ['archived plan', () => e.attach({ customerId: 'c', planId: 'old' })],
      ['detaching a plan not held', () => e.detach({ customerId: 'c', planId: 'capped' })],
      ['clock backwards', () => e.advanceTo('c', 0)],
    ];
    for (const [name, fn] of bad) expect([name, errorCode(fn)]).toEqual([name, 'invalid_input']);
    create(e, 'users', 'u1');
    expect(errorCode(() => e.attach({ customerId: 'c', planId: 'slices', entityId: 'u1' }))).toBe('invalid_input');
    expect(e.events('c').filter((x) => x.source === 'track')).toEqual([]);
  });
  it('plan_not_found', () => {
    const e = setup(cat);
    expect(errorCode(() => e.attach({ customerId: 'c', planId: 'enterprise' }))).toBe('plan_not_found');
  });
  it('checks a boolean feature without error and ignores send_event', () => {
    const e = setup(cat);
    e.attach({ customerId: 'c', planId: 'free' });
    const r = e.check({ customerId: 'c', featureId: 'sso', sendEvent: true });
    expect([r.allowed, r.balance, r.flag?.plan_id]).toEqual([true, null, 'free']);
    expect(e.events('c')).toEqual([]);
  });
  it('R3.2: the first failing check decides, across the whole list', () => {
    const e = setup(cat);
    create(e, 'users', 'taken');
    expect(errorCode(() => e.createEntities({ customerId: 'c', entities: [{ id: 'taken', featureId: 'users' }, { id: 'n', featureId: 'nope' }] }))).toBe('feature_not_found');
    expect(errorCode(() => e.createEntities({ customerId: 'c', entities: [{ id: 'taken', featureId: 'users' }, { id: '', featureId: 'users' }] }))).toBe('invalid_input');
  });
});

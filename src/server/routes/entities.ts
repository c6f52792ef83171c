import { z } from 'zod';
import type { EntityInfo } from '../../engine/index.ts';
import { AtmnError } from '../../errors.ts';
import type { DevRuntime } from '../dev-runtime.ts';
import { CursorListBody, IdField, ObjectField, cursorPage, invalidInput, parseInput } from '../input.ts';
import type { Route, RouteRequest } from '../router.ts';
import { entityToWire, viewContext } from '../wire-customer.ts';
import { featureNotFound } from '../catalog-state.ts';

interface NewEntity {
  id: string;
  featureId: string;
  name: string | null;
}

/** Entities (wire.md §5.3): the RPC forms autumn-js uses, the docs' REST forms and hosted REST. */
export function entityRoutes(runtime: DevRuntime): Route[] {
  /** Create one or more entities (all-or-nothing, semantics R3.1–R3.5); returns the created entities' wire form. */
  const create = async (req: RouteRequest, customerId: string, entities: NewEntity[], billingControls: unknown) => {
    await runtime.refresh(req.env, customerId);
    const catalog = runtime.catalog(req.env);
    for (const e of entities) if (!catalog.hasFeature(e.featureId)) throw featureNotFound(e.featureId);
    if (billingControls && typeof billingControls === 'object' && Object.keys(billingControls).length > 0) {
      throw invalidInput('billing_controls', 'is not modelled by atmn dev; send it empty or leave it out.');
    }
    const result = await runtime.run({
      op: 'create_entities',
      env: req.env,
      now: runtime.clockFor(req.env, customerId),
      req: { customerId, entities: entities.map((e) => ({ id: e.id, featureId: e.featureId, name: e.name })) },
    });
    const ctx = viewContext(runtime, req.env);
    const warnings = result.warnings.length > 0 ? { warnings: result.warnings } : {};
    return { wire: result.entities.map((e) => entityToWire(ctx, e)), warnings };
  };

  /** The live entity, searched across the environment when no customer is named (wire.md §5.3). */
  const find = async (req: RouteRequest, customerId: string | undefined, entityId: string): Promise<EntityInfo> => {
    const engine = runtime.engine(req.env);
    if (customerId !== undefined) {
      await runtime.refresh(req.env, customerId);
      const found = engine.entities(customerId).find((e) => e.id === entityId);
      if (!found) throw entityNotFound(entityId, customerId);
      return found;
    }
    const matches = engine.listCustomers().flatMap((c) => engine.entities(c.id).filter((e) => e.id === entityId));
    if (matches.length === 0) throw entityNotFound(entityId, undefined);
    if (matches.length > 1) {
      throw invalidInput('customer_id', `is needed: entity '${entityId}' exists for ${matches.length} customers (${matches.map((m) => `'${m.customer_id}'`).join(', ')}).`);
    }
    await runtime.refresh(req.env, matches[0]!.customer_id);
    return matches[0]!;
  };

  const get = async (req: RouteRequest, customerId: string | undefined, entityId: string) =>
    entityToWire(viewContext(runtime, req.env), await find(req, customerId, entityId));

  const remove = async (req: RouteRequest, customerId: string | undefined, entityId: string) => {
    const entity = await find(req, customerId, entityId);
    await runtime.run({
      op: 'delete_entity',
      env: req.env,
      now: runtime.clockFor(req.env, entity.customer_id),
      req: { customerId: entity.customer_id, entityId: entity.id },
    });
    return { success: true };
  };

  return [
    {
      method: 'POST',
      path: '/v1/entities.create',
      handler: async (req) => {
        const b = parseInput(CreateBody, req.body);
        const { wire, warnings } = await create(req, b.customer_id, [{ id: b.entity_id, featureId: b.feature_id, name: b.name ?? null }], b.billing_controls);
        return { ...wire[0], ...warnings };
      },
    },
    {
      method: 'POST',
      path: '/v1/entities',
      handler: async (req) => {
        const b = parseInput(CreateBody, req.body);
        const { wire, warnings } = await create(req, b.customer_id, [{ id: b.entity_id, featureId: b.feature_id, name: b.name ?? null }], b.billing_controls);
        return { ...wire[0], entity_id: b.entity_id, message: 'Entity created successfully', ...warnings };
      },
    },
    {
      method: 'POST',
      path: '/v1/customers/{customer_id}/entities',
      acceptsArray: true,
      handler: async (req) => {
        const list = req.list ? parseInput(z.array(RestEntity), req.list) : [parseInput(RestEntity, req.body)];
        if (list.length === 0) throw invalidInput('(body)', 'must list at least one entity.');
        const { wire, warnings } = await create(req, req.params.customer_id!, list.map((e) => ({ id: e.id, featureId: e.feature_id, name: e.name ?? null })), undefined);
        return list.length >= 2 ? { list: wire, ...warnings } : { ...wire[0], ...warnings };
      },
    },
    {
      method: 'POST',
      path: '/v1/entities.get',
      handler: (req) => {
        const b = parseInput(LookupBody, req.body);
        return get(req, b.customer_id, b.entity_id);
      },
    },
    {
      method: 'POST',
      path: '/v1/entities.delete',
      handler: (req) => {
        const b = parseInput(LookupBody, req.body);
        return remove(req, b.customer_id, b.entity_id);
      },
    },
    {
      method: 'POST',
      path: '/v1/entities.list',
      handler: async (req) => {
        const b = parseInput(CursorListBody.extend({ customer_id: IdField.optional() }), req.body);
        const engine = runtime.engine(req.env);
        if (b.customer_id !== undefined) await runtime.refresh(req.env, b.customer_id); // customer_not_found
        const owners = b.customer_id !== undefined ? [b.customer_id] : engine.listCustomers().map((c) => c.id);
        const needle = b.search?.toLowerCase() ?? '';
        const all = owners.flatMap((id) => engine.entities(id)).filter((e) => needle === '' || [e.id, e.name].some((v) => v?.toLowerCase().includes(needle)));
        const { page, next_cursor } = cursorPage(all, b);
        await Promise.all([...new Set(page.map((e) => e.customer_id))].map((id) => runtime.refresh(req.env, id)));
        const ctx = viewContext(runtime, req.env);
        return { list: page.map((e) => entityToWire(ctx, e)), next_cursor };
      },
    },
    {
      method: 'GET',
      path: '/v1/customers/{customer_id}/entities',
      handler: async (req) => {
        const customerId = req.params.customer_id!;
        await runtime.refresh(req.env, customerId);
        const ctx = viewContext(runtime, req.env);
        return { list: runtime.engine(req.env).entities(customerId).map((e) => entityToWire(ctx, e)) };
      },
    },
    { method: 'GET', path: '/v1/customers/{customer_id}/entities/{entity_id}', handler: (req) => get(req, req.params.customer_id!, req.params.entity_id!) },
    { method: 'DELETE', path: '/v1/customers/{customer_id}/entities/{entity_id}', handler: (req) => remove(req, req.params.customer_id!, req.params.entity_id!) },
    {
      method: 'DELETE',
      path: '/v1/entities/{entity_id}',
      handler: (req) => remove(req, parseInput(OptionalCustomer, req.body).customer_id, req.params.entity_id!),
    },
  ];
}

export function entityNotFound(entityId: string, customerId: string | undefined): AtmnError {
  const owner = customerId === undefined ? '' : ` for customer '${customerId}'`;
  return new AtmnError('entity_not_found', `Entity '${entityId}' does not exist${owner}.`, {
    hint: 'Create it with POST /v1/entities.create (autumn.entities.create).',
    details: { entity_id: entityId, ...(customerId === undefined ? {} : { customer_id: customerId }) },
  });
}

const CreateBody = z.object({
  customer_id: IdField,
  entity_id: IdField,
  feature_id: IdField,
  name: z.string().nullish(),
  billing_controls: ObjectField.nullish(),
});

const RestEntity = z.object({ id: IdField, feature_id: IdField, name: z.string().nullish() });

const LookupBody = z.object({ customer_id: IdField.optional(), entity_id: IdField });
const OptionalCustomer = z.object({ customer_id: IdField.optional() });

import { z } from 'zod';
import type { DevRuntime } from '../dev-runtime.ts';
import type { CustomerInfo } from '../../engine/index.ts';
import { CursorListBody, IdField, ObjectField, TimestampField, cursorPage, invalidInput, parseInput } from '../input.ts';
import type { Route, RouteRequest } from '../router.ts';
import { customerToWire, viewContext } from '../wire-customer.ts';

/** Customers (wire.md §4.6, §5.2) and their test clocks (§5.7). */
export function customerRoutes(runtime: DevRuntime): Route[] {
  const getOrCreate = async (req: RouteRequest, idKey: 'customer_id' | 'id') => {
    const body = parseInput(GetOrCreateBody.extend({ [idKey]: IdField }), req.body) as GetOrCreate & Record<string, string>;
    const customerId = body[idKey]!;
    if (body.billing_controls && Object.keys(body.billing_controls).length > 0) {
      throw invalidInput('billing_controls', 'is not modelled by atmn dev; send it empty or leave it out.');
    }
    if (body.config && Object.keys(body.config).length > 0) {
      throw invalidInput('config', 'is not modelled by atmn dev; send it empty or leave it out.');
    }
    const engine = runtime.engine(req.env);
    if (engine.hasCustomer(customerId)) {
      await runtime.refresh(req.env, customerId);
    } else {
      const catalog = runtime.catalog(req.env);
      if (body.auto_enable_plan_id) catalog.planVersion(body.auto_enable_plan_id); // plan_not_found
      const versions = Object.fromEntries(catalog.planIds().map((id) => [id, catalog.planVersion(id).version]));
      await runtime.run({
        op: 'create_customer',
        env: req.env,
        req: {
          id: customerId,
          name: body.name ?? null,
          email: body.email ?? null,
          now: runtime.wallNow(),
          autoEnable: body.auto_enable_plan_id ?? true,
        },
        profile: { fingerprint: body.fingerprint ?? null, metadata: body.metadata ?? {}, send_email_receipts: body.send_email_receipts ?? false },
        versions,
      });
    }
    return customerToWire(viewContext(runtime, req.env, body.expand), customerId);
  };

  const get = async (req: RouteRequest, customerId: string, expand: readonly string[] | undefined) => {
    await runtime.refresh(req.env, customerId);
    return customerToWire(viewContext(runtime, req.env, expand), customerId);
  };

  /** wire.md §4.6: creation order, `search` matching id, name or email. */
  const matching = (req: RouteRequest, search: string | undefined) => {
    const needle = search?.toLowerCase() ?? '';
    return runtime.engine(req.env).listCustomers().filter((c) =>
      needle === '' || [c.id, c.name, c.email].some((v) => v !== null && v.toLowerCase().includes(needle)));
  };
  const toWire = async (req: RouteRequest, customers: CustomerInfo[]) => {
    await Promise.all(customers.map((c) => runtime.refresh(req.env, c.id)));
    const ctx = viewContext(runtime, req.env);
    return customers.map((c) => customerToWire(ctx, c.id));
  };

  const list = async (req: RouteRequest) => {
    const body = parseInput(ListBody, req.body);
    const limit = body.limit ?? 10;
    const offset = body.offset ?? 0;
    const all = matching(req, body.search);
    const page = all.slice(offset, offset + limit);
    return { list: await toWire(req, page), has_more: offset + page.length < all.length, offset, limit, total: all.length };
  };

  /** autumn-js `customers.list`: the same listing, paged by a cursor. */
  const listByCursor = async (req: RouteRequest) => {
    const body = parseInput(CursorListBody, req.body);
    const { page, next_cursor } = cursorPage(matching(req, body.search), body);
    return { list: await toWire(req, page), next_cursor };
  };

  const remove = async (req: RouteRequest, customerId: string) => {
    await runtime.refresh(req.env, customerId); // customer_not_found, and anything due is billed first
    await runtime.run({ op: 'delete_customer', env: req.env, customerId });
    return { success: true };
  };

  return [
    { method: 'POST', path: '/v1/customers.get_or_create', handler: (req) => getOrCreate(req, 'customer_id') },
    { method: 'POST', path: '/v1/customers', handler: (req) => getOrCreate(req, 'id') },
    {
      method: 'POST',
      path: '/v1/customers.get',
      handler: (req) => {
        const body = parseInput(z.object({ customer_id: IdField, expand: ExpandField.optional() }), req.body);
        return get(req, body.customer_id, body.expand);
      },
    },
    { method: 'GET', path: '/v1/customers/{customer_id}', handler: (req) => get(req, req.params.customer_id!, parseInput(ExpandOnly, req.body).expand) },
    { method: 'POST', path: '/v1/customers/list', handler: list },
    { method: 'GET', path: '/v1/customers', handler: list },
    { method: 'POST', path: '/v1/customers.list', handler: listByCursor },
    { method: 'DELETE', path: '/v1/customers/{customer_id}', handler: (req) => remove(req, req.params.customer_id!) },
    { method: 'POST', path: '/v1/customers.delete', handler: (req) => remove(req, parseInput(z.object({ customer_id: IdField }), req.body).customer_id) },
    {
      method: 'POST',
      path: '/v1/customers.advance_test_clock',
      handler: async (req) => {
        const body = parseInput(z.object({ customer_id: IdField, frozen_time: TimestampField }), req.body);
        await runtime.refresh(req.env, body.customer_id);
        const to = Math.floor(body.frozen_time / 1000) * 1000;
        const current = runtime.clockFor(req.env, body.customer_id);
        if (to < current) {
          throw invalidInput('frozen_time', `must not be earlier than the customer's clock (${new Date(current).toISOString()}); got ${new Date(to).toISOString()}.`,
            'Test clocks only move forward; pick an instant at or after the current one.');
        }
        // Every period on the way is processed and invoiced: millennia would take minutes and gigabytes.
        if (to - current > MAX_ADVANCE_MS) {
          throw invalidInput('frozen_time', `may move the clock at most ${MAX_ADVANCE_YEARS} years at a time; got ${new Date(to).toISOString()}, ${Math.floor((to - current) / YEAR_MS)} years after the customer's clock (${new Date(current).toISOString()}).`,
            `Pick an instant within ${MAX_ADVANCE_YEARS} years, or advance in several steps.`);
        }
        await runtime.run({ op: 'freeze', env: req.env, customerId: body.customer_id, to });
        return { customer_id: body.customer_id, frozen_time: to, status: 'ready' };
      },
    },
  ];
}

const MAX_ADVANCE_YEARS = 100;
const YEAR_MS = 365.25 * 24 * 60 * 60 * 1000;
const MAX_ADVANCE_MS = MAX_ADVANCE_YEARS * YEAR_MS;

/** `expand` as a list or a comma-separated string (query form). */
const ExpandField = z.union([z.array(z.string()), z.string().transform((s) => s.split(',').map((x) => x.trim()).filter(Boolean))]);
const ExpandOnly = z.object({ expand: ExpandField.optional() });

const GetOrCreateBody = z.object({
  name: z.string().nullish(),
  email: z.string().nullish(),
  fingerprint: z.string().nullish(),
  metadata: ObjectField.nullish(),
  auto_enable_plan_id: z.string().min(1).nullish(),
  send_email_receipts: z.boolean().nullish(),
  billing_controls: ObjectField.nullish(),
  config: ObjectField.nullish(),
  expand: ExpandField.nullish(),
});
type GetOrCreate = z.infer<typeof GetOrCreateBody>;

const ListBody = z.object({
  limit: z.number().int().min(1, 'must be ≥ 1').max(100, 'must be ≤ 100').optional(),
  offset: z.number().int().min(0, 'must be ≥ 0').optional(),
  search: z.string().optional(),
});

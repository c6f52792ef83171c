import { z } from 'zod';
import { AtmnError } from '../../errors.ts';
import type { DevRuntime } from '../dev-runtime.ts';
import { IdField, NonNegativeNumber, invalidInput, parseInput } from '../input.ts';
import type { Route, RouteRequest } from '../router.ts';
import { invoiceToWire } from '../wire-invoice.ts';

/** Attach (wire.md §5.6), invoices (§5.7), organization (§4.5), rewards and referral programs (§4.4). */
export function billingRoutes(runtime: DevRuntime): Route[] {
  const attach = async (req: RouteRequest) => {
    const b = parseInput(AttachBody, req.body);
    const planId = b.plan_id ?? b.product_id;
    if (planId === undefined) throw invalidInput('plan_id', 'is required; it is missing.');
    await runtime.refresh(req.env, b.customer_id);
    const catalog = runtime.catalog(req.env);
    const stored = catalog.planVersion(planId, b.version);
    const latest = catalog.planVersion(planId);
    if (stored.plan.archived) {
      throw new AtmnError('invalid_input', `Plan '${planId}' is archived and cannot be attached.`, {
        hint: 'Unarchive it (POST /v1/products/{id} {"archived": false}) or attach another plan.',
        details: { plan_id: planId },
      });
    }
    const quantities: Record<string, number> = {};
    for (const q of b.feature_quantities ?? []) if (q.quantity !== undefined && q.quantity !== null) quantities[q.feature_id] = q.quantity;
    await runtime.run({
      op: 'attach',
      env: req.env,
      now: runtime.clockFor(req.env, b.customer_id),
      req: { customerId: b.customer_id, planId, entityId: b.entity_id ?? null, quantities },
      version: stored.version,
      subscriptionId: b.subscription_id ?? null,
      ...(stored.version !== latest.version ? { plan: stored.plan } : {}),
    });
    return {
      customer_id: b.customer_id,
      ...(b.entity_id !== undefined ? { entity_id: b.entity_id } : {}),
      payment_url: null,
      plan_id: planId,
    };
  };

  const org = runtime.organization;
  return [
    { method: 'POST', path: '/v1/billing.attach', handler: attach },
    { method: 'POST', path: '/v1/attach', handler: attach },
    {
      method: 'POST',
      path: '/v1/invoices.list',
      handler: async (req) => {
        const b = parseInput(z.object({ customer_id: IdField }), req.body);
        await runtime.refresh(req.env, b.customer_id);
        const features = runtime.catalog(req.env).latest().features;
        return { list: runtime.engine(req.env).invoices(b.customer_id).map((invoice) => invoiceToWire(invoice, features)), next_cursor: null };
      },
    },
    {
      method: 'GET',
      path: '/v1/organization/me',
      handler: (req) => ({ id: org.id, name: org.name, slug: org.slug, env: req.env, user: null }),
    },
    {
      method: 'GET',
      path: '/v1/organization',
      handler: () => ({ id: org.id, name: org.name, slug: org.slug, created_at: org.createdAt, stripe_connection: null }),
    },
    {
      method: 'POST',
      path: '/v1/rewards.list',
      handler: (req) => {
        const rewards = runtime.catalog(req.env).rewards;
        return {
          coupons: rewards.filter((r) => r.kind === 'coupon').map(({ kind: _kind, ...r }) => r),
          feature_grants: rewards.filter((r) => r.kind === 'feature_grant').map(({ kind: _kind, ...r }) => r),
        };
      },
    },
    {
      method: 'POST',
      path: '/v1/referral_programs.list',
      handler: (req) => ({ list: runtime.catalog(req.env).referralPrograms }),
    },
  ];
}

const AttachBody = z.object({
  customer_id: IdField,
  plan_id: IdField.optional(),
  product_id: IdField.optional(),
  entity_id: IdField.optional(),
  version: z.number().int().min(1, 'must be ≥ 1').optional(),
  feature_quantities: z.array(z.object({
    feature_id: IdField,
    quantity: NonNegativeNumber.nullish(),
    adjustable: z.boolean().nullish(),
  })).optional(),
  redirect_mode: z.enum(['always', 'if_required', 'never']).optional(),
  subscription_id: IdField.optional(),
});

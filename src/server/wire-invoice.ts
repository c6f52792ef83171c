import type { Feature } from '../catalog/schema.ts';
import type { Invoice, InvoiceLine } from '../engine/index.ts';
import { ownEntry } from '../catalog/own-entry.ts';

/**
 * Invoice of wire.md §5.7: the engine's invoice (semantics R8.1, snake_case) unchanged, plus
 * the keys autumn-js validates in `invoices.list`, whose `items` is how an SDK user sees the
 * lines (the SDK strips `lines`). atmn dev collects no payment and has no payment processor:
 * every invoice counts as paid in full, in USD, with no Stripe id.
 */
export function invoiceToWire(invoice: Invoice, features: Record<string, Feature>): Record<string, unknown> {
  const entities = new Set(invoice.lines.map((line) => line.entity_id));
  const [onlyEntity] = entities;
  return {
    ...invoice,
    plan_ids: [...new Set(invoice.lines.map((line) => line.plan_id))],
    stripe_id: null,
    status: 'paid',
    currency: 'usd',
    hosted_invoice_url: null,
    entity_id: entities.size === 1 ? (onlyEntity ?? null) : null,
    amount_paid: invoice.total,
    refunded_amount: 0,
    items: invoice.lines.map((line, index) => lineToItem(invoice.id, line, index, features)),
  };
}

function lineToItem(invoiceId: string, line: InvoiceLine, index: number, features: Record<string, Feature>): Record<string, unknown> {
  const featureName = line.feature_id === null ? null : (ownEntry(features, line.feature_id)?.name ?? line.feature_id);
  // The SDK's quantity is null on fixed-price lines: the base price.
  const quantity = line.kind === 'base' ? null : line.quantity;
  return {
    id: `${invoiceId}_${index + 1}`,
    description: describeLine(line, featureName),
    period_start: line.period_start,
    period_end: line.period_end,
    plan_id: line.plan_id,
    feature_id: line.feature_id,
    feature_name: featureName,
    quantity,
    amount: line.amount,
    entities: line.entity_id === null ? [] : [{ entity_id: line.entity_id, quantity, amount: line.amount }],
  };
}

/** One line as a person reads it: "team: Seats, 2 billable (in arrears)". */
function describeLine(line: InvoiceLine, featureName: string | null): string {
  const what = line.kind === 'base'
    ? 'base price'
    : `${featureName}, ${line.quantity} ${line.kind === 'prepaid' ? 'prepaid' : 'billable'}`;
  const when = line.timing === 'arrear' ? ' (in arrears)' : '';
  return `${line.plan_id}: ${what}${when}${line.prorated ? ', prorated' : ''}`;
}

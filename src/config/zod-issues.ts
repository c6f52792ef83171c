import type { z } from 'zod';
import type { Issue } from '../errors.ts';
import { describe, isObject } from './classify.ts';
import { closest } from './did-you-mean.ts';

/**
 * Turns zod's issues into our messages: each names the field, what was wrong and the fix
 * ("did you mean" for unknown keys and enum values, an example for missing fields), never
 * zod's own wording (examples.md anti-pattern 2).
 */
export function translateZodIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, basePath: string, schema: z.ZodType): Issue[] {
  const out: Issue[] = [];
  for (const issue of issues) {
    const segments = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
    if (issue.code === 'unrecognized_keys') {
      const parent = valueAt(raw, segments);
      const known = knownKeysAt(schema, segments);
      for (const key of issue.keys) {
        const guess = closest(key, known.filter((k) => !(isObject(parent) && k in parent)));
        out.push({
          path: joinPath(basePath, [...segments, key]),
          message: `unknown field '${key}'`,
          hint: guess ? `did you mean '${guess}'?` : `remove it; the fields here are: ${known.join(', ')}`,
        });
      }
      continue;
    }
    const path = joinPath(basePath, segments);
    const value = valueAt(raw, segments);
    const field = String(segments[segments.length - 1] ?? '');
    if ((issue.code === 'invalid_type' || issue.code === 'invalid_value' || issue.code === 'invalid_union') && value === undefined) {
      out.push({ path, message: `missing required field '${field}'`, ...hintFor(REQUIRED_HINTS[field]) });
    } else if (issue.code === 'invalid_type' && issue.expected === 'number' && typeof value === 'number') {
      // zod rejects Infinity and NaN as "not a number"; say what is wrong with this number.
      out.push({ path, message: `must be a finite number; got ${String(value)}`, hint: `write ${field}: a finite number, e.g. 1000 (1e400 overflows to Infinity; 0/0 is NaN)` });
    } else if (issue.code === 'invalid_type') {
      out.push({ path, message: `expected ${article(issue.expected)}, got ${describe(value)}`, ...hintFor(typeHint(issue.expected, value, field)) });
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => JSON.stringify(v).replace(/"/g, "'"));
      const guess = typeof value === 'string' ? closest(value, issue.values.map(String)) : undefined;
      out.push({
        path,
        message: `must be one of ${allowed.join(', ')}; got ${describe(value)}`,
        ...hintFor(value === 'ai_credit_system' ? 'atmn does not model ai_credit_system features yet; use a credit_system with a creditSchema per model' : guess ? `did you mean '${guess}'?` : undefined),
      });
    } else if (issue.code === 'invalid_union') {
      out.push({ path, message: `expected a number or 'inf', got ${describe(value)}`, hint: `write to: 1000, or to: 'inf' for the last tier` });
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

export function joinPath(base: string, segments: readonly (string | number)[]): string {
  let path = base;
  for (const segment of segments) {
    path += typeof segment === 'number' ? `[${segment}]` : path === '' ? segment : `.${segment}`;
  }
  return path;
}

function valueAt(raw: unknown, segments: readonly (string | number)[]): unknown {
  let value = raw;
  for (const segment of segments) {
    if (!isObject(value)) return undefined;
    value = (value as Record<string | number, unknown>)[segment];
  }
  return value;
}

/** The keys the strict object at `segments` accepts, found by walking the schema itself. */
function knownKeysAt(schema: z.ZodType, segments: readonly (string | number)[]): string[] {
  let node: unknown = schema;
  for (const segment of segments) {
    const def = unwrap(node);
    node = typeof segment === 'number' ? def?.element : (def?.shape as Record<string, unknown> | undefined)?.[segment];
  }
  const shape = unwrap(node)?.shape;
  return isObject(shape) ? Object.keys(shape) : [];
}

interface SchemaDef {
  type: string;
  innerType?: unknown;
  element?: unknown;
  shape?: unknown;
}

function unwrap(node: unknown): SchemaDef | undefined {
  let def = (node as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  while (def && (def.type === 'optional' || def.type === 'nullable' || def.type === 'default')) {
    def = (def.innerType as { _zod?: { def?: SchemaDef } } | undefined)?._zod?.def;
  }
  return def;
}

function hintFor(hint: string | undefined): { hint?: string } {
  return hint ? { hint } : {};
}

function article(expected: string): string {
  return expected === 'array' ? 'an array' : expected === 'object' ? 'an object' : `a ${expected}`;
}

function typeHint(expected: string, value: unknown, field: string): string | undefined {
  if (expected === 'number' && typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return `write ${field}: ${Number(value)} without quotes`;
  }
  if (expected === 'boolean' && (value === 'true' || value === 'false')) return `write ${field}: ${value} without quotes`;
  if (expected === 'string' && isObject(value) && typeof value.id === 'string') return `pass the id, not the object: ${field}: '${value.id}' (or ${field}: yourExport.id)`;
  if (expected === 'array' && isObject(value)) return `wrap it in [ ]`;
  if (expected === 'object' && typeof value === 'string' && (field === '' || /^\d+$/.test(field))) return `write item({ featureId: '${value}', … }) instead of the bare id`;
  return undefined;
}

const REQUIRED_HINTS: Record<string, string> = {
  id: "add an id, e.g. id: 'messages' (letters, digits, '_' and '-')",
  name: "add a display name, e.g. name: 'Messages'",
  type: "add type: 'boolean', 'metered' or 'credit_system'",
  featureId: 'name the feature this item grants, e.g. featureId: messages.id',
  billingMethod: "add billingMethod: 'usage_based' (billed at the end of the period) or 'prepaid' (bought up front)",
  amount: 'add amount: the price in your currency (50 means $50.00)',
  interval: "add interval: 'month' (or 'week', 'quarter', 'semi_annual', 'year', 'one_off')",
  to: "add to: the tier's upper bound in units, or 'inf' for the last tier",
  expiryDurationType: "add expiryDurationType: 'month' (expires after expiryDurationLength months) or 'forever'",
  durationLength: 'add durationLength: the trial length, e.g. 14',
  meteredFeatureId: 'name the metered feature this credit cost applies to, e.g. meteredFeatureId: messages.id',
  creditCost: 'add creditCost: credits per unit of the metered feature, e.g. creditCost: 1',
  onIncrease: "add onIncrease: 'prorate' or 'charge_immediately'",
  onDecrease: "add onDecrease: 'prorate', 'refund_immediately' or 'no_action'",
  currency: "add currency: a three-letter ISO code, e.g. 'eur'",
};

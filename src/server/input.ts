import { z } from 'zod';
import { AtmnError } from '../errors.ts';
import { describeJson } from './request-body.ts';

/**
 * Request-body schemas share these field types and one parser whose 400 `invalid_input`
 * names the field, what it must be, and what was sent (issue 5 item 4).
 */

/** A caller-chosen id: a non-empty string; numbers are turned into strings (wire.md §5.3). */
export const IdField = z.preprocess(
  (v) => (typeof v === 'number' && Number.isFinite(v) ? String(v) : v),
  z.string().min(1, 'must not be empty').max(256, 'must be at most 256 characters'),
);

/** A JSON number that must be finite; JSON cannot carry NaN or Infinity, but a query string can. */
export const NumberField = z.number().finite();

export const NonNegativeNumber = z.number().finite().min(0, 'must be ≥ 0');

export const ObjectField = z.record(z.string(), z.unknown());

/** Parses `body` with `schema`; the first problem becomes 400 invalid_input naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(body)';
  const got = valueAt(body, issue.path);
  const sent = got === undefined ? 'it is missing' : `got ${describeJson(got)}`;
  throw new AtmnError('invalid_input', `${field} ${describeIssue(issue)}; ${sent}.`, {
    path: field,
    details: { field },
  });
}

/** 400 invalid_input for a rule a schema cannot say (both keys given, an unsupported option). */
export function invalidInput(field: string, message: string, hint?: string): AtmnError {
  return new AtmnError('invalid_input', `${field} ${message}`, { path: field, ...(hint ? { hint } : {}), details: { field } });
}

function describeIssue(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `must be ${article(issue.expected)}`;
    case 'invalid_value':
      return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'too_small':
    case 'too_big':
    case 'custom':
      return issue.message.startsWith('must') ? issue.message : `is invalid: ${issue.message}`;
    case 'invalid_union':
      return 'has the wrong type';
    default:
      return `is invalid: ${issue.message}`;
  }
}

function article(expected: string): string {
  if (expected === 'object') return 'an object';
  if (expected === 'array') return 'an array';
  if (expected === 'int') return 'an integer';
  return `a ${expected}`;
}

function valueAt(body: unknown, path: PropertyKey[]): unknown {
  let value = body;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

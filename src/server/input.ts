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

/** 9999-12-31T23:59:59.999Z: the last instant with a four-digit year. Later ones are no date anyone means. */
const LATEST_TIMESTAMP = 253_402_300_799_999;

/** An instant in integer milliseconds since the epoch (wire.md §1.4). */
export const TimestampField = z.number().int('must be whole milliseconds since the epoch')
  .min(0, 'must be ≥ 0 (milliseconds since the epoch)')
  .max(LATEST_TIMESTAMP, 'must be a date before the year 10000, in milliseconds since the epoch');

/**
 * autumn-js's list calls (customers.list, entities.list) page with an opaque cursor; ours is
 * the offset as text. Their plan, status, processor and date filters are ignored [dev].
 */
export const CursorListBody = z.object({
  start_cursor: z.string().regex(/^\d*$/, 'must be the next_cursor of an earlier page').optional(),
  limit: z.number().int().min(1, 'must be ≥ 1').max(100, 'must be ≤ 100').optional(),
  search: z.string().optional(),
});

/** The page a cursor request asks for (50 by default, the SDK's), and the cursor of the next one. */
export function cursorPage<T>(items: readonly T[], body: z.infer<typeof CursorListBody>): { page: T[]; next_cursor: string | null } {
  const offset = Number(body.start_cursor || '0');
  const page = items.slice(offset, offset + (body.limit ?? 50));
  return { page, next_cursor: offset + page.length < items.length ? String(offset + page.length) : null };
}

/** Parses `body` with `schema`; the first problem becomes 400 invalid_input naming the field. */
export function parseInput<T extends z.ZodType>(schema: T, body: unknown): z.infer<T> {
  const result = schema.safeParse(body);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.') || '(body)';
  const got = valueAt(body, issue.path);
  const sent = got === undefined ? 'it is missing' : `got ${describeJson(got)}`;
  throw new AtmnError('invalid_input', `${field} ${describeIssue(issue, got)}; ${sent}.`, {
    path: field,
    details: { field },
  });
}

/** 400 invalid_input for a rule a schema cannot say (both keys given, an unsupported option). */
export function invalidInput(field: string, message: string, hint?: string): AtmnError {
  return new AtmnError('invalid_input', `${field} ${message}`, { path: field, ...(hint ? { hint } : {}), details: { field } });
}

function describeIssue(issue: z.core.$ZodIssue, got: unknown): string {
  switch (issue.code) {
    case 'invalid_type':
      // NaN and ±Infinity are numbers to JavaScript (a query string or 1e400 can carry them).
      return issue.expected === 'number' && typeof got === 'number' ? 'must be a finite number' : `must be ${article(issue.expected)}`;
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

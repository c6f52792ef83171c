import type { IncomingMessage } from 'node:http';
import { AtmnError } from '../errors.ts';

/** A JSON request body after wire.md §1.4: an object (or, where a route allows it, an array). */
export type JsonBody = Record<string, unknown> | unknown[];

export class BodyTooLargeError extends AtmnError {
  constructor(
    limit: number,
    /** The sender went on past DRAIN_LIMIT: answer and cut the connection. */
    readonly fatal: boolean,
  ) {
    super('payload_too_large', `Request body is larger than the ${formatBytes(limit)} limit of atmn dev.`, {
      hint: 'Send a smaller body; catalog writes of this size are not expected.',
      details: { limit_bytes: limit },
    });
  }
}

/** An oversized body is read and dropped up to this size, so the client sees the 413 rather than a reset. */
const DRAIN_LIMIT = 64 * 1024 * 1024;

/**
 * Reads the raw body, refusing more than `limit` bytes. Resolves with '' for no body.
 * An oversized body is drained (not kept) and then refused; past DRAIN_LIMIT the refusal
 * is immediate and fatal to the connection.
 */
export function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > DRAIN_LIMIT) return Promise.reject(new BodyTooLargeError(limit, true));
  if (declared === 0) return Promise.resolve('');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    req.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > DRAIN_LIMIT) {
        settled = true;
        reject(new BodyTooLargeError(limit, true));
      } else if (size > limit) {
        chunks.length = 0;
      } else {
        chunks.push(chunk);
      }
    });
    req.on('end', () => {
      if (settled) return;
      settled = true;
      if (size > limit) reject(new BodyTooLargeError(limit, false));
      else resolve(chunks.length === 1 ? chunks[0]!.toString('utf8') : Buffer.concat(chunks).toString('utf8'));
    });
    req.on('error', (error) => {
      if (settled) return;
      settled = true;
      reject(error);
    });
  });
}

/**
 * wire.md §1.4: empty body = {}; malformed JSON or a non-object → 400 invalid_input.
 * `allowArray` is for the one route that takes a top-level array.
 */
export function parseJsonBody(raw: string, allowArray: boolean): JsonBody {
  if (raw.trim() === '') return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch (error) {
    throw new AtmnError('invalid_input', `Request body is not valid JSON: ${(error as Error).message}.`, {
      hint: 'Send a JSON object with snake_case keys and content-type: application/json.',
    });
  }
  if (nestedDeeperThan(value, MAX_DEPTH)) {
    throw new AtmnError('invalid_input', `Request body is nested more than ${MAX_DEPTH} levels deep.`, {
      hint: 'Flatten properties and metadata; no Autumn request needs more than a few levels.',
    });
  }
  if (Array.isArray(value) && allowArray) return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new AtmnError('invalid_input', `Request body must be a JSON object; got ${describeJson(value)}.`, {
      hint: 'Wrap the fields in an object, e.g. {"customer_id": "cus_1"}.',
    });
  }
  return value as Record<string, unknown>;
}

/** Far deeper than any Autumn body; much deeper would overflow the stack of the code that copies `properties`. */
const MAX_DEPTH = 64;

/** Walks without recursion, so the check itself cannot overflow. */
function nestedDeeperThan(value: unknown, limit: number): boolean {
  const pending: { node: object; depth: number }[] = [];
  if (value !== null && typeof value === 'object') pending.push({ node: value, depth: 1 });
  while (pending.length > 0) {
    const { node, depth } = pending.pop()!;
    if (depth > limit) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') pending.push({ node: child as object, depth: depth + 1 });
    }
  }
  return false;
}

/**
 * Query parameters fill in keys the body lacks (wire.md §1.4). Query values are strings;
 * `true`/`false` become booleans and plain numbers become numbers, except for ids and
 * free text, which stay strings (a customer id "123" must not turn into a number).
 */
export function fillFromQuery(body: Record<string, unknown>, query: URLSearchParams): void {
  for (const [key, value] of query) {
    if (key in body) continue;
    body[key] = coerceQueryValue(key, value);
  }
}

const STRING_KEYS = new Set(['id', 'search', 'expand', 'name', 'email', 'idempotency_key', 'event_name']);
const NUMBER_PATTERN = /^-?\d+(\.\d+)?$/;

function coerceQueryValue(key: string, value: string): unknown {
  if (key.endsWith('_id') || STRING_KEYS.has(key)) return value;
  if (value === 'true') return true;
  if (value === 'false') return false;
  if (NUMBER_PATTERN.test(value)) return Number(value);
  return value;
}

export function describeJson(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? value.slice(0, 40) + '…' : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${String(value)}`;
}

function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MiB` : `${Math.round(n / 1024)} KiB`;
}

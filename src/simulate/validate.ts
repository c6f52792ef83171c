import { z } from 'zod';
import type { Issue } from '../errors.ts';
import { formatPath, type JsonPath, type JsonSource } from './json-source.ts';
import {
  ACTION_KEYS,
  AdvanceTo,
  BalanceExpectation,
  DurationText,
  Step,
  EntitiesExpectation,
  InvoiceExpectation,
  Scenario,
  STEP_OPTION_KEYS,
  STEP_SCHEMAS,
  StepOptions,
  type ActionKey,
} from './schema.ts';
import { closest, listWords } from './suggest.ts';

/**
 * Validates a scenario value (parsed JSON, or the default export of a .scenario.ts) and
 * returns every problem at once, each with a path like `steps[3].track.value` and a
 * message that names the fix. The zod schemas of schema.ts are the truth; this file picks
 * the schema a step names so that errors speak about that action, not about a union.
 */
export type ScenarioValidation =
  | { ok: true; scenario: Scenario }
  /** `steps` holds each step that is valid on its own (undefined elsewhere), so ids can still be checked. */
  | { ok: false; issues: Issue[]; steps: (Step | undefined)[]; config: string | undefined };

const ScenarioShell = Scenario.extend({ steps: z.array(z.unknown()).min(1, 'add at least one step') });

export function validateScenario(raw: unknown, source?: JsonSource): ScenarioValidation {
  const issues: Issue[] = [];
  const add = (path: JsonPath, message: string, hint?: string, onKey = false) => {
    const location = source?.locate(path, { key: onKey }) ?? (onKey ? source?.locate(path.slice(0, -1)) : undefined);
    issues.push({ path: formatPath(path), message, ...(hint ? { hint } : {}), ...(location ? { location } : {}) });
  };
  const addZod = (schema: z.ZodType, value: unknown, base: JsonPath) => {
    const result = schema.safeParse(value);
    if (!result.success) for (const issue of result.error.issues) reportZodIssue(issue, schema, value, base, add);
  };

  if (!isPlainObject(raw)) {
    add([], `a scenario must be an object with a "steps" array; got ${preview(raw)}`, 'Start from { "customer": "org_1", "steps": [ { "attach": { "plan": "pro" } } ] }');
    return { ok: false, issues, steps: [], config: undefined };
  }
  addZod(ScenarioShell, raw, []);
  const validSteps: (Step | undefined)[] = [];
  if (Array.isArray(raw.steps)) {
    raw.steps.forEach((step, index) => {
      const before = issues.length;
      validateStep(step, ['steps', index], add, addZod);
      const parsed = issues.length === before ? Step.safeParse(step) : undefined;
      validSteps.push(parsed?.success ? parsed.data : undefined);
    });
  }
  const config = typeof raw.config === 'string' ? raw.config : undefined;

  if (issues.length > 0) return { ok: false, issues, steps: validSteps, config };
  const parsed = Scenario.safeParse(raw);
  if (parsed.success) return { ok: true, scenario: parsed.data };
  // Unreachable while the dispatch above mirrors the schema; kept so a gap never passes silently.
  for (const issue of parsed.error.issues) reportZodIssue(issue, Scenario, raw, [], add);
  return { ok: false, issues, steps: validSteps, config };
}

type Add = (path: JsonPath, message: string, hint?: string, onKey?: boolean) => void;
type AddZod = (schema: z.ZodType, value: unknown, base: JsonPath) => void;

const ACTION_LIST = listWords(ACTION_KEYS);

function validateStep(step: unknown, path: JsonPath, add: Add, addZod: AddZod): void {
  if (!isPlainObject(step)) {
    add(path, `a step must be an object with one action key, such as { "track": { "feature": "messages" } }; got ${preview(step)}`);
    return;
  }
  const keys = Object.keys(step);
  const actions = keys.filter((k): k is ActionKey => (ACTION_KEYS as readonly string[]).includes(k));
  const unknown = keys.filter((k) => !(ACTION_KEYS as readonly string[]).includes(k) && !(STEP_OPTION_KEYS as readonly string[]).includes(k));
  for (const key of unknown) {
    const guess = closest(key, [...ACTION_KEYS, ...STEP_OPTION_KEYS]);
    add([...path, key], `unknown key '${key}' in a step`, guess ? `Did you mean '${guess}'?` : `A step takes one action (${ACTION_LIST}) plus optional 'customer' and 'expectError'.`, true);
  }
  if (actions.length === 0) {
    if (unknown.length === 0) add(path, `a step needs exactly one action: ${ACTION_LIST}`);
    return;
  }
  if (actions.length > 1) {
    add(path, `a step takes exactly one action, but this one has ${listWords(actions, 'and')}`, 'Put each action in its own step.');
    return;
  }
  const action = actions[0]!;
  const options = Object.fromEntries(keys.filter((k) => (STEP_OPTION_KEYS as readonly string[]).includes(k)).map((k) => [k, step[k]]));
  const value = step[action];
  if (action === 'expect') {
    addZod(StepOptions, options, path);
    validateExpectation(value, [...path, 'expect'], add, addZod);
  } else if (action === 'advance') {
    addZod(StepOptions, options, path);
    const at = [...path, 'advance'];
    if (typeof value === 'string') addZod(DurationText, value, at);
    else if (isPlainObject(value)) addZod(AdvanceTo, value, at);
    else add(at, `advance takes "N unit(s)" such as "1 month", or { "to": "2026-02-01T00:00:00Z" }; got ${preview(value)}`);
  } else {
    addZod(STEP_SCHEMAS[action], { ...options, [action]: value }, path);
  }
}

function validateExpectation(value: unknown, path: JsonPath, add: Add, addZod: AddZod): void {
  if (!isPlainObject(value)) {
    add(path, `expect takes a balance { "feature": … }, { "entities": … } or { "invoice": … }; got ${preview(value)}`);
    return;
  }
  if ('entities' in value) addZod(EntitiesExpectation, value, path);
  else if ('invoice' in value) addZod(InvoiceExpectation, value, path);
  else addZod(BalanceExpectation, value, path);
}

/** Turns one zod issue into our wording: what is wrong, what was found, how to fix it. */
function reportZodIssue(issue: z.core.$ZodIssue, schema: z.ZodType, root: unknown, base: JsonPath, add: Add): void {
  const path = [...base, ...(issue.path as (string | number)[])];
  const value = valueAt(root, issue.path as (string | number)[]);
  const custom = !/^(Invalid|Too (small|big)|Unrecognized)/.test(issue.message);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const allowed = keysAt(schema, issue.path as (string | number)[]);
      for (const key of issue.keys) {
        const guess = closest(key, allowed);
        add([...path, key], `unknown key '${key}'`, guess ? `Did you mean '${guess}'?` : allowed.length ? `Allowed keys: ${listWords(allowed)}.` : undefined, true);
      }
      return;
    }
    case 'invalid_type': {
      if (value === undefined) {
        const key = String(path[path.length - 1] ?? '');
        return add(path, `is required: add ${REQUIRED[key] ?? describeType(issue.expected)}`, undefined, true);
      }
      if (custom) return add(path, withValue(issue.message, value));
      return add(path, `must be ${describeType(issue.expected)}; got ${preview(value)}`);
    }
    case 'invalid_value': {
      const values = issue.values.map(String);
      const guess = typeof value === 'string' ? closest(value, values) : undefined;
      return add(path, `must be ${listWords(values)}; got ${preview(value)}`, guess ? `Did you mean '${guess}'?` : undefined);
    }
    case 'invalid_union': {
      const last = path[path.length - 1];
      if (last === 'period') return add(path, `must be a period number (1, 2, …) or "last"; got ${preview(value)}`);
      return add(path, `${preview(value)} is not allowed here`);
    }
    case 'too_small':
      if (custom) return add(path, withValue(issue.message, value));
      if (path[path.length - 1] === 'period') return add(path, `must be a period number (1, 2, …) or "last"; got ${preview(value)}`);
      return add(path, `must be ${issue.inclusive === false ? 'more than' : 'at least'} ${String(issue.minimum)}; got ${preview(value)}`);
    case 'too_big':
      return add(path, custom ? withValue(issue.message, value) : `must be ${issue.inclusive === false ? 'less than' : 'at most'} ${String(issue.maximum)}; got ${preview(value)}`);
    default:
      return add(path, custom ? `${issue.message}; got ${preview(value)}` : issue.message);
  }
}

/** What to write for a missing key, as an example the user can paste. */
const REQUIRED: Record<string, string> = {
  steps: 'the steps, e.g. "steps": [{ "attach": { "plan": "pro" } }]',
  plan: 'the plan id, e.g. "plan": "pro"',
  feature: 'the feature id, e.g. "feature": "seats"',
  id: 'the entity id, e.g. "id": "alice"',
  to: 'the instant, e.g. "to": "2026-02-01T00:00:00Z"',
  count: 'the number of live entities, e.g. "count": 5',
  period: 'the period, e.g. "period": 1 or "period": "last"',
  amount: 'the line amount in dollars, e.g. "amount": 30',
};

/** Our own messages ("must be 0 or more") get the offending value appended. */
function withValue(message: string, value: unknown): string {
  return value === undefined || / got /.test(message) || !message.startsWith('must') ? message : `${message}; got ${preview(value)}`;
}

function describeType(expected: string): string {
  switch (expected) {
    case 'number':
      return 'a number';
    case 'int':
      return 'a whole number';
    case 'string':
      return 'a string';
    case 'boolean':
      return 'true or false';
    case 'array':
      return 'an array';
    case 'object':
      return 'an object';
    case 'null':
      return 'null';
    default:
      return expected;
  }
}

/** The keys an object schema allows at a path, for "did you mean". */
function keysAt(schema: z.ZodType, path: readonly (string | number)[]): string[] {
  let current: unknown = schema;
  for (const part of path) {
    current = unwrap(current);
    if (current instanceof z.ZodObject) current = (current.shape as Record<string, unknown>)[String(part)];
    else if (current instanceof z.ZodArray) current = current.element;
    else if (current instanceof z.ZodRecord) current = current.valueType;
    else return [];
  }
  current = unwrap(current);
  return current instanceof z.ZodObject ? Object.keys(current.shape) : [];
}

function unwrap(schema: unknown): unknown {
  let current = schema;
  while (current instanceof z.ZodOptional || current instanceof z.ZodDefault || current instanceof z.ZodNullable) current = current.unwrap();
  return current;
}

function valueAt(root: unknown, path: readonly (string | number)[]): unknown {
  let current = root;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A short, JSON-looking rendering of a bad value for messages. */
export function preview(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  if (typeof value === 'function') return 'a function';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = String(value);
  }
  return text.length > 40 ? text.slice(0, 37) + '…' : text;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

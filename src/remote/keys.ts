import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AtmnError } from '../errors.ts';

/**
 * Where API keys come from (spec/wire.md §1.2): the process env, then `.env.local`, then
 * `.env`, both read from the working directory; for a loopback server, the sandbox key in
 * `.atmn/keys.json` beside the config comes first. A key is never printed whole: `redactKey`
 * is the only form that reaches output.
 */

export const SANDBOX_KEY_VARIABLE = 'AUTUMN_SECRET_KEY';
export const LIVE_KEY_VARIABLE = 'AUTUMN_PROD_SECRET_KEY';

export type KeySource = 'process env' | '.env.local' | '.env' | '.atmn/keys.json';

export interface ResolvedKey {
  value: string;
  /** The variable it was read from, or `keys.json` for the dev server's file. */
  variable: string;
  source: KeySource;
  /** Where exactly, for messages: "AUTUMN_SECRET_KEY from .env.local". */
  description: string;
  redacted: string;
}

/** `am_sk_test_…abcd`: the kind prefix and the last four characters, never more. */
export function redactKey(key: string): string {
  // Short keys show less, so that at least 8 characters always stay hidden.
  const kind = /^(.*?_(?:test|live)_)/.exec(key);
  const tail = key.length >= 12 ? key.slice(-4) : '';
  const head = kind?.[1] && kind[1].length + tail.length + 8 <= key.length ? kind[1] : '';
  return `${head}…${tail}`;
}

/** Looks a variable up in env, then .env.local, then .env (first non-empty value wins). */
export function lookupKey(variable: string, env: Record<string, string | undefined>, cwd: string): ResolvedKey | null {
  const fromEnv = env[variable];
  if (fromEnv !== undefined && fromEnv.trim() !== '') return makeKey(fromEnv.trim(), variable, 'process env');
  for (const file of ['.env.local', '.env'] as const) {
    const value = readDotenv(join(cwd, file))[variable];
    if (value !== undefined && value.trim() !== '') return makeKey(value.trim(), variable, file);
  }
  return null;
}

/**
 * The key `atmn dev` wrote to `<data>/keys.json` (`{"sandbox": …, "live": …}`, see
 * server/dev-keys.ts) for this environment, or null when the file does not exist or holds
 * no such key.
 */
export function lookupDevServerKey(stateDir: string, live: boolean): ResolvedKey | null {
  const file = join(stateDir, 'keys.json');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new AtmnError('state_corrupt', `${file} is not valid JSON.`, {
      hint: 'Delete it and restart `atmn dev`, which writes it again with fresh keys.',
    });
  }
  const value = (parsed as Record<string, unknown> | null)?.[live ? 'live' : 'sandbox'];
  return typeof value === 'string' && value.includes(live ? '_live_' : '_test_') ? makeKey(value, 'keys.json', '.atmn/keys.json') : null;
}

/** A minimal dotenv reader: KEY=VALUE, optional `export`, quotes, # comments. Missing file → {}. */
export function readDotenv(file: string): Record<string, string> {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return {};
  }
  const out: Record<string, string> = {};
  for (const rawLine of text.split(/\r?\n/)) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(rawLine);
    if (!match) continue;
    const name = match[1]!;
    let value = match[2]!.trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'" || quote === '`') && value.length >= 2) {
      const end = value.indexOf(quote, 1);
      value = end > 0 ? value.slice(1, end) : value.slice(1);
      if (quote === '"') value = value.replace(/\\n/g, '\n');
    } else {
      value = value.replace(/\s+#.*$/, '');
    }
    out[name] = value;
  }
  return out;
}

function makeKey(value: string, variable: string, source: KeySource): ResolvedKey {
  const description = source === '.atmn/keys.json' ? 'the dev server key from .atmn/keys.json' : `${variable} from ${source === 'process env' ? 'the environment' : source}`;
  return { value, variable, source, description, redacted: redactKey(value) };
}

import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { z } from 'zod';
import { AtmnError } from '../errors.ts';
import { writeFileAtomic } from '../store/atomic-write.ts';
import { readOptionalText } from '../store/optional-file.ts';
import type { ServerKeys } from './auth.ts';

/**
 * `<data>/keys.json` (wire.md §1.2): the sandbox and live keys `atmn dev` accepts, made at
 * first start; `--key K` replaces the sandbox key (or the live key when K contains
 * `_live_`). Our CLI reads the file to talk to a loopback server (remote/keys.ts).
 */
const KEYS_FILE = 'keys.json';

const KeysFile = z.object({ sandbox: z.string().min(1), live: z.string().min(1), created_at: z.number() });

export interface LoadedKeys {
  keys: ServerKeys;
  file: string;
  /** When the keys were first made: the organization's created_at. */
  createdAt: number;
}

export function loadOrCreateKeys(dataDir: string, override: string | undefined, now: number): LoadedKeys {
  const file = join(dataDir, KEYS_FILE);
  let stored = readKeys(file);
  let dirty = false;
  if (!stored) {
    stored = { sandbox: newKey('test'), live: newKey('live'), created_at: now };
    dirty = true;
  }
  if (override !== undefined) {
    if (!/_(test|live)_/.test(override)) {
      throw new AtmnError('usage', '--key must look like an Autumn secret key: am_sk_test_… (sandbox) or am_sk_live_… (live).', {
        hint: 'The official atmn CLI ignores keys without _test_ or _live_.',
      });
    }
    const slot = override.includes('_live_') ? 'live' : 'sandbox';
    if (stored[slot] !== override) {
      stored = { ...stored, [slot]: override };
      dirty = true;
    }
  }
  if (dirty) writeFileAtomic(file, JSON.stringify(stored, null, 2) + '\n');
  return { keys: { sandbox: stored.sandbox, live: stored.live }, file, createdAt: stored.created_at };
}

function newKey(kind: 'test' | 'live'): string {
  return `am_sk_${kind}_${randomBytes(18).toString('base64url')}`;
}

function readKeys(file: string): z.infer<typeof KeysFile> | null {
  const text = readOptionalText(file);
  if (text === null) return null;
  try {
    return KeysFile.parse(JSON.parse(text));
  } catch {
    throw new AtmnError('state_corrupt', `${file} is not a keys file written by atmn dev.`, {
      hint: 'Delete it; atmn dev makes new keys at the next start.',
    });
  }
}

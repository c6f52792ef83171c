import { AtmnError } from '../errors.ts';
import type { Environment } from './router.ts';

/** The two keys the server accepts (wire.md §1.2): the sandbox key acts on `sandbox`, the live key on `live`. */
export interface ServerKeys {
  sandbox: string;
  live: string;
}

/**
 * `Authorization: Bearer <key>` → the environment of that key, else 401 `unauthorized`.
 * The message says where the valid key is and never echoes what was sent.
 */
export function authenticate(header: string | undefined, keys: ServerKeys, keysFile: string): Environment {
  if (header !== undefined && header.length > 7 && header.slice(0, 7).toLowerCase() === 'bearer ') {
    const key = header.slice(7).trim();
    if (key === keys.sandbox) return 'sandbox';
    if (key === keys.live) return 'live';
    throw unauthorized(`The API key is not one of this server's keys.`, keysFile);
  }
  const why = header === undefined ? 'No Authorization header was sent.' : 'The Authorization header is not "Bearer <key>".';
  throw unauthorized(why, keysFile);
}

function unauthorized(why: string, keysFile: string): AtmnError {
  return new AtmnError('unauthorized', `${why} Use the key atmn dev printed at start (also in ${keysFile}).`, {
    hint: 'Send "Authorization: Bearer am_sk_test_…" (sandbox) or the am_sk_live_ key (live).',
  });
}

import { LOCAL_PORT } from '../store/lock.ts';
import { AtmnError } from '../errors.ts';
import { LIVE_KEY_VARIABLE, SANDBOX_KEY_VARIABLE, lookupDevServerKey, lookupKey, type ResolvedKey } from './keys.ts';

/**
 * Which backend a command talks to (design.md "Targets", spec/wire.md §1.1): the first row
 * that applies wins — `--url`, `ATMN_BACKEND_URL`, `--local`, a resolving key (hosted
 * Autumn), else the embedded local sandbox in `.atmn/` beside the config.
 */

const HOSTED_URL = 'https://api.useautumn.com';
const LOCAL_URL = `http://localhost:${LOCAL_PORT}`;

export interface TargetFlags {
  url?: string | undefined;
  local?: boolean | undefined;
  prod?: boolean | undefined;
}

export type TargetKind = 'hosted' | 'url' | 'local' | 'sandbox';

export interface Target {
  kind: TargetKind;
  /** Human name: "hosted sandbox", "hosted production", the URL, or "local sandbox". */
  name: string;
  /** What chose it: "--url", "ATMN_BACKEND_URL", "--local", the key variable, or "no key or URL". */
  chosenBy: string;
  /** Base URL without `/v1`; null for the embedded sandbox. */
  baseUrl: string | null;
  environment: 'sandbox' | 'live';
  /** A live key is in use: writes need a TTY confirmation or --yes. */
  production: boolean;
  key: ResolvedKey | null;
  /** The `.atmn/` folder beside the config: the embedded sandbox's state and the dev server's keys.json. */
  stateDir: string;
  warnings: string[];
}

export interface ResolveTargetInput {
  flags: TargetFlags;
  env: Record<string, string | undefined>;
  /** The working directory: where `.env.local` and `.env` are read. */
  cwd: string;
  /** `.atmn/` beside the config (the working directory's when there is no config). */
  stateDir: string;
}

export function resolveTarget(input: ResolveTargetInput): Target {
  const { flags, env, cwd, stateDir } = input;
  const live = Boolean(flags.prod);
  const variable = live ? LIVE_KEY_VARIABLE : SANDBOX_KEY_VARIABLE;
  const envUrl = env.ATMN_BACKEND_URL?.trim();

  let rawUrl: string | null = null;
  let chosenBy = '';
  if (flags.url !== undefined) [rawUrl, chosenBy] = [flags.url, '--url'];
  else if (envUrl) [rawUrl, chosenBy] = [envUrl, 'ATMN_BACKEND_URL'];
  else if (flags.local) [rawUrl, chosenBy] = [LOCAL_URL, '--local'];

  if (rawUrl !== null) {
    const warnings: string[] = [];
    const baseUrl = normalizeBaseUrl(rawUrl, chosenBy, warnings);
    const loopback = isLoopback(baseUrl);
    const key = (loopback ? lookupDevServerKey(stateDir, live) : null) ?? lookupKey(variable, env, cwd);
    const isLive = live || Boolean(key?.value.includes('_live_'));
    return {
      kind: chosenBy === '--local' ? 'local' : 'url',
      name: chosenBy === '--local' ? `local server ${baseUrl}` : baseUrl,
      chosenBy,
      baseUrl,
      environment: isLive ? 'live' : 'sandbox',
      production: isLive,
      key,
      stateDir,
      warnings,
    };
  }

  const key = lookupKey(variable, env, cwd);
  if (key) {
    if (!/_(test|live)_/.test(key.value)) {
      throw new AtmnError('unauthorized', `${key.description} does not look like an Autumn secret key (am_sk_test_… or am_sk_live_…).`, {
        hint: 'Copy the secret key from the Autumn dashboard (Developer → API keys), or unset it to use the local sandbox.',
      });
    }
    const isLive = key.value.includes('_live_');
    if (live && !isLive) {
      throw new AtmnError('unauthorized', `--prod needs a live key, but ${key.description} is a sandbox key (${key.redacted}).`, {
        hint: `Set ${LIVE_KEY_VARIABLE} to your am_sk_live_… key.`,
      });
    }
    return {
      kind: 'hosted',
      name: isLive ? 'hosted production' : 'hosted sandbox',
      chosenBy: key.variable,
      baseUrl: HOSTED_URL,
      environment: isLive ? 'live' : 'sandbox',
      production: isLive,
      key,
      stateDir,
      warnings: [],
    };
  }

  if (live) {
    // Decision: with --prod and no live key we refuse rather than fall back to the local
    // sandbox, so a CI job with a missing secret fails instead of "deploying" to a folder.
    throw new AtmnError('unauthorized', `--prod needs ${LIVE_KEY_VARIABLE}, which is not set (looked in the environment, .env.local and .env).`, {
      hint: 'The local sandbox has no production; drop --prod to use it, or set the live key.',
    });
  }
  return {
    kind: 'sandbox',
    name: 'local sandbox',
    chosenBy: 'no key or URL',
    baseUrl: null,
    environment: 'sandbox',
    production: false,
    key: null,
    stateDir,
    warnings: [],
  };
}

/** One line for stderr, printed before anything is written; never the whole key. */
export function describeTarget(target: Target, displayStateDir: string): string {
  switch (target.kind) {
    case 'sandbox':
      return `Target: local sandbox in ${displayStateDir} (no key or URL given)`;
    case 'hosted':
      return `Target: ${target.name} (${target.baseUrl}) with ${target.key?.description} (${target.key?.redacted})`;
    case 'url':
    case 'local': {
      const env = target.production ? ', live environment' : '';
      const key = target.key ? ` with ${target.key.description} (${target.key.redacted})` : ' without a key';
      return `Target: ${target.name} (from ${target.chosenBy}${env})${key}`;
    }
  }
}

/** Drops one trailing `/`, then one trailing `/v1` (with a warning), as wire.md §1.1 says. */
function normalizeBaseUrl(raw: string, chosenBy: string, warnings: string[]): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new AtmnError('usage', `${chosenBy} is not a URL: "${raw}".`, { hint: 'Give a base URL such as http://127.0.0.1:8080.' });
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new AtmnError('usage', `${chosenBy} must be an http:// or https:// URL, not "${raw}".`, { hint: 'Give a base URL such as http://127.0.0.1:8080.' });
  }
  let text = url.origin + url.pathname;
  if (text.endsWith('/')) text = text.slice(0, -1);
  if (text.endsWith('/v1')) {
    text = text.slice(0, -3);
    warnings.push(`${chosenBy} ends in /v1; using ${text} (atmn adds /v1 itself).`);
  }
  return text;
}

/** localhost, 127.0.0.0/8 and [::1] (wire.md §1.2). */
export function isLoopback(baseUrl: string): boolean {
  const host = new URL(baseUrl).hostname;
  return host === 'localhost' || host === '[::1]' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

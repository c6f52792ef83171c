import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lookupKey, readDotenv, redactKey } from '../../src/remote/keys.ts';
import { describeTarget, resolveTarget } from '../../src/remote/target.ts';
import { tempProject } from '../support/cli.ts';

const TEST_KEY = 'am_sk_test_0123456789abcdefWXYZ';
const LIVE_KEY = 'am_sk_live_0123456789abcdefLIVE';

function resolve(flags: Parameters<typeof resolveTarget>[0]['flags'], env: Record<string, string> = {}, files: Record<string, string> = {}) {
  const cwd = tempProject(files);
  return resolveTarget({ flags, env, cwd, stateDir: join(cwd, '.atmn') });
}

describe('key lookup and redaction', () => {
  it('never shows more than the kind and the last four characters', () => {
    expect(redactKey(TEST_KEY)).toBe('am_sk_test_…WXYZ');
    expect(redactKey(LIVE_KEY)).toBe('am_sk_live_…LIVE');
    expect(redactKey('am_sk_test_abcdefg')).toBe('…defg'); // too short to show the prefix too
    expect(redactKey('short')).toBe('…');
  });

  it('reads the process env, then .env.local, then .env', () => {
    const cwd = tempProject({ '.env': `AUTUMN_SECRET_KEY=${TEST_KEY}-env\n`, '.env.local': `# local\nexport AUTUMN_SECRET_KEY="${TEST_KEY}-local" # comment\n` });
    expect(lookupKey('AUTUMN_SECRET_KEY', { AUTUMN_SECRET_KEY: TEST_KEY }, cwd)?.description).toBe('AUTUMN_SECRET_KEY from the environment');
    expect(lookupKey('AUTUMN_SECRET_KEY', {}, cwd)).toMatchObject({ value: `${TEST_KEY}-local`, source: '.env.local' });
    expect(lookupKey('AUTUMN_PROD_SECRET_KEY', {}, cwd)).toBeNull();
    expect(readDotenv(join(cwd, '.env'))).toEqual({ AUTUMN_SECRET_KEY: `${TEST_KEY}-env` });
  });
});

describe('target resolution (design.md Targets)', () => {
  it('defaults to the embedded local sandbox when no key and no URL resolve', () => {
    const t = resolve({});
    expect(t).toMatchObject({ kind: 'sandbox', baseUrl: null, key: null, environment: 'sandbox', production: false });
    expect(describeTarget(t, '.atmn/')).toBe('Target: local sandbox in .atmn/ (no key or URL given)');
  });

  it('uses hosted Autumn when a key resolves, production with --prod', () => {
    const sandbox = resolve({}, {}, { '.env': `AUTUMN_SECRET_KEY=${TEST_KEY}\n` });
    expect(describeTarget(sandbox, '')).toBe('Target: hosted sandbox (https://api.useautumn.com) with AUTUMN_SECRET_KEY from .env (am_sk_test_…WXYZ)');
    const prod = resolve({ prod: true }, { AUTUMN_PROD_SECRET_KEY: LIVE_KEY });
    expect(prod).toMatchObject({ kind: 'hosted', name: 'hosted production', environment: 'live', production: true });
  });

  it('refuses --prod without a live key instead of falling back to the sandbox', () => {
    expect(() => resolve({ prod: true })).toThrow(/--prod needs AUTUMN_PROD_SECRET_KEY/);
    expect(() => resolve({ prod: true }, { AUTUMN_PROD_SECRET_KEY: TEST_KEY })).toThrow(/is a sandbox key \(am_sk_test_…WXYZ\)/);
  });

  it('orders --url > ATMN_BACKEND_URL > --local > key, and strips a trailing /v1', () => {
    const env = { ATMN_BACKEND_URL: 'http://127.0.0.1:9999/v1/', AUTUMN_SECRET_KEY: TEST_KEY };
    expect(resolve({ url: 'http://example.test:1/', local: true }, env)).toMatchObject({ kind: 'url', baseUrl: 'http://example.test:1', chosenBy: '--url' });
    const fromEnv = resolve({ local: true }, env);
    expect(fromEnv).toMatchObject({ baseUrl: 'http://127.0.0.1:9999', chosenBy: 'ATMN_BACKEND_URL' });
    expect(fromEnv.warnings).toEqual(['ATMN_BACKEND_URL ends in /v1; using http://127.0.0.1:9999 (atmn adds /v1 itself).']);
    expect(resolve({ local: true }, { AUTUMN_SECRET_KEY: TEST_KEY })).toMatchObject({ kind: 'local', baseUrl: 'http://localhost:8080' });
    expect(() => resolve({ url: 'not a url' })).toThrow(/--url is not a URL/);
  });

  it('sends the dev server key from .atmn/keys.json to a loopback target, the live one with --prod', () => {
    const cwd = tempProject();
    mkdirSync(join(cwd, '.atmn'));
    writeFileSync(join(cwd, '.atmn/keys.json'), JSON.stringify({ sandbox: 'am_sk_test_devdevdevdevdev1111', live: 'am_sk_live_devdevdevdevdev2222' }));
    const args = { env: { AUTUMN_SECRET_KEY: TEST_KEY }, cwd, stateDir: join(cwd, '.atmn') };
    expect(resolveTarget({ ...args, flags: { local: true } }).key).toMatchObject({ value: 'am_sk_test_devdevdevdevdev1111', source: '.atmn/keys.json' });
    expect(resolveTarget({ ...args, flags: { local: true, prod: true } })).toMatchObject({ production: true, key: { value: 'am_sk_live_devdevdevdevdev2222' } });
    // Not loopback: keys.json is not consulted.
    expect(resolveTarget({ ...args, flags: { url: 'https://autumn.example.com' } }).key?.value).toBe(TEST_KEY);
  });
});

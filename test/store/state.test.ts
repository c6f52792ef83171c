import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { writeFileAtomic } from '../../src/store/atomic-write.ts';
import { ensureGitignored } from '../../src/store/gitignore.ts';
import { assertNotLocked, readLiveLock } from '../../src/store/lock.ts';
import { emptyStoredCatalog, readHolders, readStoredCatalog, writeHolders, writeStoredCatalog } from '../../src/store/state.ts';
import { tempProject } from '../support/cli.ts';

describe('local state store', () => {
  it('starts empty, round-trips a catalog per environment, and gitignores .atmn/ on first use', () => {
    const dir = tempProject({ '.gitignore': 'node_modules/' });
    const stateDir = join(dir, '.atmn');
    expect(readStoredCatalog(stateDir, 'sandbox')).toEqual(emptyStoredCatalog());
    expect(existsSync(stateDir)).toBe(false); // reading creates nothing
    const stored = emptyStoredCatalog();
    stored.catalog.features.seats = { id: 'seats', name: 'Seats', type: 'metered', consumable: false, eventNames: [], creditSchema: [], archived: false };
    writeStoredCatalog(stateDir, 'sandbox', stored);
    expect(readStoredCatalog(stateDir, 'sandbox')).toEqual(stored);
    expect(readStoredCatalog(stateDir, 'live')).toEqual(emptyStoredCatalog());
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n# atmn local sandbox state\n.atmn/\n');
    writeStoredCatalog(stateDir, 'live', stored);
    expect(readFileSync(join(dir, '.gitignore'), 'utf8')).toBe('node_modules/\n# atmn local sandbox state\n.atmn/\n');
    // No temp files are left behind.
    expect(readdirSync(join(stateDir, 'sandbox'))).toEqual(['catalog.json']);
  });

  it('leaves an existing .atmn entry alone and creates .gitignore when missing', () => {
    const withEntry = tempProject({ '.gitignore': 'dist\n/.atmn\n' });
    expect(ensureGitignored(withEntry)).toBeNull();
    const without = tempProject();
    expect(ensureGitignored(without)).toBe(join(without, '.gitignore'));
    expect(readFileSync(join(without, '.gitignore'), 'utf8')).toBe('# atmn local sandbox state\n.atmn/\n');
  });

  it('uses the git repository root .gitignore when the config folder has none', () => {
    const repo = tempProject({ '.git/HEAD': 'ref: refs/heads/main\n', '.gitignore': 'node_modules', 'apps/billing/autumn.config.ts': '' });
    expect(ensureGitignored(join(repo, 'apps/billing'))).toBe(join(repo, '.gitignore'));
    expect(readFileSync(join(repo, '.gitignore'), 'utf8')).toBe('node_modules\n# atmn local sandbox state\n.atmn/\n');
    expect(existsSync(join(repo, 'apps/billing/.gitignore'))).toBe(false);
  });

  it('reports a hand-broken state file with its path and a way out', () => {
    const dir = tempProject({ '.atmn/sandbox/catalog.json': '{"format_version":1,' });
    expect(() => readStoredCatalog(join(dir, '.atmn'), 'sandbox')).toThrow(/\.atmn\/sandbox\/catalog\.json cannot be read: it is not valid JSON/);
    const wrong = tempProject({ '.atmn/sandbox/catalog.json': '{"format_version":1,"catalog":{"features":[]},"plan_versions":{}}' });
    expect(() => readStoredCatalog(join(wrong, '.atmn'), 'sandbox')).toThrow(/catalog\.features/);
  });

  it('reads the holders the dev server writes (absent means nobody)', () => {
    const stateDir = join(tempProject(), '.atmn');
    expect(readHolders(stateDir, 'sandbox')).toEqual({ plans: {}, features: {} });
    writeHolders(stateDir, 'sandbox', { plans: { pro: 2 }, features: { seats: 1 } });
    expect(readHolders(stateDir, 'sandbox')).toEqual({ plans: { pro: 2 }, features: { seats: 1 } });
  });

  it('never leaves a torn file: a writer killed mid-loop leaves valid JSON', async () => {
    const dir = tempProject();
    const file = join(dir, 'state.json');
    writeFileAtomic(file, JSON.stringify({ n: 0, pad: 'x'.repeat(200_000) }));
    // The real module, bundled for a plain node child that rewrites the file in a tight loop.
    const writer = join(dir, 'writer.mjs');
    await build({
      stdin: {
        contents: `import { writeFileAtomic } from ${JSON.stringify(fileURLToPath(new URL('../../src/store/atomic-write.ts', import.meta.url)))};
          for (let n = 1; ; n++) writeFileAtomic(process.argv[2], JSON.stringify({ n, pad: 'x'.repeat(200_000) }));`,
        loader: 'ts', resolveDir: dir,
      },
      outfile: writer, bundle: true, format: 'esm', platform: 'node', logLevel: 'silent',
    });
    let lastN = 0;
    for (let round = 0; round < 6; round++) {
      const child = spawn(process.execPath, [writer, file], { stdio: 'ignore' });
      const closed = new Promise((r) => child.on('close', r));
      // Kill it mid-loop: once it has replaced the file (however slow its start on a busy
      // machine), then a little later each round.
      const before = readFileSync(file, 'utf8');
      while (child.exitCode === null && readFileSync(file, 'utf8') === before) await new Promise((r) => setTimeout(r, 5));
      await new Promise((r) => setTimeout(r, round * 37));
      child.kill('SIGKILL');
      await closed;
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as { n: number; pad: string };
      expect(parsed.pad.length).toBe(200_000);
      lastN = parsed.n;
    }
    expect(lastN).toBeGreaterThan(0); // the child really wrote while it was killed
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp')).length).toBeLessThanOrEqual(6); // at most the one in flight per kill
  });

  it('sees a live dev.lock and ignores a stale one', () => {
    const stateDir = join(tempProject(), '.atmn');
    mkdirSync(stateDir);
    expect(readLiveLock(stateDir)).toBeNull();
    writeFileSync(join(stateDir, 'dev.lock'), JSON.stringify({ pid: process.pid, port: 8080 }));
    expect(readLiveLock(stateDir)).toEqual({ pid: process.pid, port: 8080 });
    expect(() => assertNotLocked(stateDir, '.atmn/')).toThrow(`atmn dev (pid ${process.pid}) is serving .atmn/ on port 8080`);
    writeFileSync(join(stateDir, 'dev.lock'), '999999999');
    expect(readLiveLock(stateDir)).toBeNull();
  });
});

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT, runCli, tempProject, type CliResult } from '../support/cli.ts';
import { startWireServer, type Json, type WireServer } from '../support/wire-server.ts';

/**
 * Issue #4: "a server that fails on the Nth write leaves a report, and re-running push
 * converges with nothing lost (test every N)". Each N is tried twice: the write fails before
 * the server applies it, and the server applies it but the answer is lost (a 500 after the
 * write), which a re-run must also absorb.
 */

const EXAMPLE = readFileSync(join(REPO_ROOT, 'autumn.config.example.ts'), 'utf8');
const AI_CREDITS = readFileSync(join(REPO_ROOT, 'templates/ai-credits.config.ts'), 'utf8');

const servers: WireServer[] = [];
afterAll(async () => {
  await Promise.all(servers.map((s) => s.close()));
});

function atmn(s: WireServer, cwd: string, args: string[]): Promise<CliResult> {
  return runCli(args, { cwd, env: { ATMN_BACKEND_URL: s.url, AUTUMN_SECRET_KEY: s.key } });
}

/** The remote as a user would compare it: without creation times. */
function remoteState(s: WireServer): { features: Record<string, Json>; plans: Record<string, Json> } {
  const plans = Object.fromEntries(Object.entries(s.plans()).map(([id, p]) => [id, { ...p, created_at: 0 }]));
  return { features: s.features(), plans };
}

interface Scenario {
  name: string;
  /** Pushed cleanly first (null: start from an empty remote). */
  start: string | null;
  target: string;
  flags: string[];
}

const scenarios: Scenario[] = [
  { name: 'first push of the README example', start: null, target: EXAMPLE, flags: [] },
  { name: 'README example → ai-credits template (creates, updates, removals)', start: EXAMPLE, target: AI_CREDITS, flags: ['--allow-delete'] },
];

for (const scenario of scenarios) {
  describe(`partial failure: ${scenario.name}`, () => {
    let totalWrites = 0;
    let expected: ReturnType<typeof remoteState>;
    let start: { features: Json[]; plans: Json[] } = { features: [], plans: [] };

    /** A server holding the starting state (seeded: pushed once by the CLI in beforeAll). */
    async function prepared(): Promise<{ s: WireServer; dir: string }> {
      const s = await startWireServer();
      servers.push(s);
      s.seed(start.features, start.plans);
      return { s, dir: tempProject({ 'autumn.config.ts': scenario.target }) };
    }

    beforeAll(async () => {
      if (scenario.start) {
        const s0 = await startWireServer();
        servers.push(s0);
        expect((await atmn(s0, tempProject({ 'autumn.config.ts': scenario.start }), ['push', '--yes'])).code).toBe(0);
        start = { features: Object.values(s0.features()), plans: Object.values(s0.plans()) };
      }
      const { s, dir } = await prepared();
      const before = s.writeCount();
      expect((await atmn(s, dir, ['push', '--yes', ...scenario.flags])).code).toBe(0);
      totalWrites = s.writeCount() - before;
      expected = remoteState(s);
    });

    it('has several writes to break', () => {
      expect(totalWrites).toBeGreaterThanOrEqual(4);
    });

    for (const mode of ['before', 'after'] as const) {
      it.concurrent(`every write N failing ${mode === 'before' ? 'before it is applied' : 'after it is applied (answer lost)'}: report, then convergence`, async () => {
        for (let n = 1; n <= totalWrites; n++) {
          const { s, dir } = await prepared();
          s.failWrite(n, mode);
          const failed = await atmn(s, dir, ['push', '--yes', ...scenario.flags]);
          const label = `N=${n} (${mode})`;
          expect(failed.code, label).toBe(1);
          const stopped = /Push stopped: (\d+) of (\d+) changes were applied to /.exec(failed.stdout);
          expect(stopped, `${label}\n${failed.stdout}`).not.toBeNull();
          expect(Number(stopped![2]), label).toBe(totalWrites);
          expect(failed.stdout, label).toMatch(/\nFailed:\n {2}✗ \w+ (feature|plan) \S+: The server at http:\/\/127\.0\.0\.1:\d+ refused to \w+ (feature|plan) \S+: injected failure (on|after) write \d+ \(500 internal_error\)/);
          expect(failed.stderr, label).toMatch(/error: push failed at .+\n {2}hint: fix the cause and run `atmn push` again/);
          checkReportMatchesRemote(failed.stdout, s, mode, label);

          const rerun = await atmn(s, dir, ['push', '--yes', ...scenario.flags]);
          expect(rerun.code, `${label}\n${rerun.stdout}${rerun.stderr}`).toBe(0);
          expect((await atmn(s, dir, ['diff'])).code, label).toBe(0);
          expect(remoteState(s), label).toEqual(expected);
          await s.close();
        }
      }, 240_000);
    }
  });
}

/** Creates the report lists as applied exist on the server; creates it lists as not applied do not. */
function checkReportMatchesRemote(stdout: string, s: WireServer, mode: 'before' | 'after', label: string): void {
  const section = (title: string): string[] => {
    const start = stdout.indexOf(`\n${title}:\n`);
    if (start < 0) return [];
    const lines = stdout.slice(start + title.length + 3).split('\n');
    const end = lines.findIndex((line) => !line.startsWith('  '));
    return lines.slice(0, end < 0 ? undefined : end);
  };
  const exists = (entity: string, id: string) => (entity === 'feature' ? id in s.features() : id in s.plans());
  for (const line of section('Applied')) {
    const [, action, entity, id] = /(\w+) (feature|plan) (\S+)/.exec(line)!;
    if (action === 'create') expect(exists(entity!, id!), `${label}: ${line}`).toBe(true);
    if (action === 'delete') expect(exists(entity!, id!), `${label}: ${line}`).toBe(false);
  }
  for (const line of section('Not applied')) {
    const [, action, entity, id] = /(\w+) (feature|plan) (\S+)/.exec(line)!;
    if (action === 'create') expect(exists(entity!, id!), `${label}: ${line}`).toBe(false);
    if (action === 'delete') expect(exists(entity!, id!), `${label}: ${line}`).toBe(true);
  }
  for (const line of section('Failed')) {
    const [, action, entity, id] = /(\w+) (feature|plan) (\S+):/.exec(line)!;
    if (action === 'create') expect(exists(entity!, id!), `${label}: ${line}`).toBe(mode === 'after');
  }
}

import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { REPO_ROOT, runCli } from '../support/cli.ts';

/**
 * The corpus of broken configs (issue #2 acceptance): each file in test/fixtures/invalid/
 * ends with `// expect: LINE:COL path: message` lines — every error the built CLI must
 * print, in order, with its location. Each run must exit 1 with no stack trace.
 */
const dir = join(REPO_ROOT, 'test/fixtures/invalid');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.config.ts')).sort();

test('the corpus holds at least 40 broken configs', () => {
  expect(fixtures.length).toBeGreaterThanOrEqual(40);
});

describe.concurrent('atmn validate rejects each broken config', () => {
  test.each(fixtures)('%s', async (name) => {
    const relative = `test/fixtures/invalid/${name}`;
    const expected = readFileSync(join(dir, name), 'utf8')
      .split('\n')
      .filter((line) => line.startsWith('// expect: '))
      .map((line) => line.slice('// expect: '.length));
    expect(expected.length).toBeGreaterThan(0);

    const result = await runCli(['validate', '--config', relative], { cwd: REPO_ROOT });
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).not.toMatch(/^\s+at /m);
    expect(result.stderr).not.toContain('internal error');
    const printed = result.stderr
      .split('\n')
      .map((line) => /^(?:(.+?):(\d+):(\d+): )?error: (.*)$/.exec(line))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => {
        if (m[1] !== undefined) expect(m[1]).toBe(relative);
        return m[1] !== undefined ? `${m[2]}:${m[3]} ${m[4]}` : (m[4] as string);
      });
    expect(printed).toEqual(expected);
  });
});

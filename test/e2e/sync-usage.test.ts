import { describe, expect, it } from 'vitest';
import { runCli, tempProject } from '../support/cli.ts';

/**
 * Usage mistakes with the sync commands (design.md "Command surface"): a clear message,
 * exit 1, no stack, and with --json exactly one JSON document on stdout.
 */

describe('usage errors', () => {
  it('an unknown flag with --json still prints one error envelope on stdout', async () => {
    const dir = tempProject();
    const result = await runCli(['diff', '--json', '--allow-deletes'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(JSON.parse(result.stdout)).toEqual({
      format_version: 1,
      status: 'error',
      error: { code: 'usage', message: "unknown option '--allow-deletes'", hint: 'Run with --help for usage.' },
    });
    expect(result.stderr).toBe("error: unknown option '--allow-deletes'\n(run with --help for usage)\n");
  });

  it('a bad --versioning value names the allowed choices', async () => {
    const result = await runCli(['push', '--versioning', 'newest'], { cwd: tempProject() });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: "error: option '--versioning <mode>' argument 'newest' is invalid. Allowed choices are new, current, all.\n(run with --help for usage)\n",
    });
  });

  it('a --url that is not http(s) says what to give instead', async () => {
    const result = await runCli(['env', '--url', 'ftp://example.test'], { cwd: tempProject() });
    expect(result).toEqual({
      code: 1,
      stdout: '',
      stderr: 'error: --url must be an http:// or https:// URL, not "ftp://example.test".\n  hint: Give a base URL such as http://127.0.0.1:8080.\n',
    });
  });

  it('diff --json without a config prints the error as its one document', async () => {
    const dir = tempProject();
    const result = await runCli(['diff', '--json'], { cwd: dir });
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('');
    expect(JSON.parse(result.stdout)).toMatchObject({ format_version: 1, status: 'error', error: { code: 'config_not_found' } });
  });
});

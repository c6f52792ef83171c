import type { Readable, Writable } from 'node:stream';

/** Everything a command may touch of the outside world, handed in by bin/atmn.js or a test. */
export interface CliIo {
  stdout: Writable & { isTTY?: boolean };
  stderr: Writable & { isTTY?: boolean };
  stdin: Readable & { isTTY?: boolean };
  env: Record<string, string | undefined>;
  cwd: string;
}

/** Decided once per run and passed down (examples.md: drizzle-kit's context.ts). */
export interface CliContext extends CliIo {
  color: boolean;
  /** A prompt may be shown: stdin and stderr are TTYs, not --json, not --yes/--headless, not CI. */
  interactive: boolean;
  version: string;
  out(text: string): void;
  err(text: string): void;
}

export interface ContextFlags {
  json?: boolean;
  yes?: boolean;
  headless?: boolean;
  color?: boolean; // commander's --no-color
}

export function createContext(io: CliIo, flags: ContextFlags, version: string): CliContext {
  const color =
    flags.color !== false &&
    io.env.NO_COLOR === undefined &&
    (io.env.FORCE_COLOR !== undefined || Boolean(io.stdout.isTTY));
  const interactive =
    !flags.json && !flags.yes && !flags.headless &&
    !io.env.CI && Boolean(io.stdin.isTTY) && Boolean(io.stderr.isTTY);
  return {
    ...io,
    color,
    interactive,
    version,
    out: (text) => { io.stdout.write(text.endsWith('\n') ? text : text + '\n'); },
    err: (text) => { io.stderr.write(text.endsWith('\n') ? text : text + '\n'); },
  };
}

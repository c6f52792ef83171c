import { accessSync, constants, existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AtmnError, type SourceLocation } from '../errors.ts';
import { userFrame } from './call-site.ts';

/**
 * Bundles a user's TypeScript file (autumn.config.ts or a *.scenario.ts) with esbuild and
 * imports it, like vite's loadConfigFromBundledFile (examples.md "Config loading").
 * `'atmn'` is aliased to our own DSL, so the user's project needs nothing installed.
 * The bundle carries an inline source map, and source maps are switched on before the
 * import, so a throw inside the file — and the call sites the builders record — point at
 * the user's file:line:col instead of the temporary .mjs.
 */
export async function importBundled(file: string, kind: 'config' | 'scenario'): Promise<Record<string, unknown>> {
  const absolute = resolve(file);
  const outfile = tempOutfile(absolute);
  const code = await bundle(absolute, outfile, kind);
  process.setSourceMapsEnabled(true);
  writeFileSync(outfile, code);
  // A top-level await that waits for nothing pending would let Node exit silently with
  // status 13; when the event loop runs dry mid-import, fail with a message instead.
  let stalled: () => void = () => undefined;
  const neverSettles = new Promise<never>((_, reject) => {
    stalled = () => reject(new AtmnError('config_runtime', `the ${kind} file never finished loading: a top-level await in it waits for something that never happens`, {
      hint: `remove that await from ${basename(absolute)}, or make sure what it awaits resolves`,
      details: { file: absolute },
    }));
    process.once('beforeExit', stalled);
  });
  try {
    return (await Promise.race([import(pathToFileURL(outfile).href), neverSettles])) as Record<string, unknown>;
  } catch (error) {
    throw runtimeError(error, absolute, kind, outfile);
  } finally {
    process.off('beforeExit', stalled);
    rmSync(outfile, { force: true });
  }
}

/**
 * Where `'atmn'` points: the DSL source under vitest, the bundled dist/dsl.js from the CLI.
 * Anything else that bundles this module (a benchmark, say) finds the package by walking up.
 */
function dslEntry(): string {
  const here = import.meta.url;
  const direct = fileURLToPath(here.endsWith('.ts') ? new URL('../dsl/index.ts', here) : new URL('./dsl.js', here));
  if (existsSync(direct)) return direct;
  let dir = dirname(fileURLToPath(here));
  for (let up = 0; up < 8; up++) {
    for (const candidate of [join(dir, 'dist/dsl.js'), join(dir, 'src/dsl/index.ts')]) if (existsSync(candidate)) return candidate;
    dir = dirname(dir);
  }
  return direct;
}

async function bundle(file: string, outfile: string, kind: 'config' | 'scenario'): Promise<string> {
  // require, not import(): esbuild's entry is CommonJS, and loading it through the ESM
  // loader first runs the CJS export lexer over it (measurable at start-up, issue #2).
  const { build } = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  try {
    const result = await build({
      entryPoints: [file],
      // Names the bundle for its source map; we write it ourselves.
      outfile,
      write: false,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: 'inline',
      // Bare imports of the user's own packages stay imports (resolved from beside the file);
      // 'atmn' becomes a path through the alias, so it is bundled in.
      packages: 'external',
      alias: { atmn: dslEntry() },
      logLevel: 'silent',
      absWorkingDir: dirname(file),
    });
    const output = result.outputFiles[0];
    if (!output) throw new AtmnError('internal_error', `esbuild produced no output for ${file}`);
    return output.text;
  } catch (error) {
    throw buildError(error, file, kind);
  }
}

interface EsbuildMessage {
  text: string;
  location: { file: string; line: number; column: number; length: number; lineText: string } | null;
  notes?: { text: string }[];
}

function buildError(error: unknown, file: string, kind: 'config' | 'scenario'): unknown {
  const errors = (error as { errors?: EsbuildMessage[] }).errors;
  if (!Array.isArray(errors) || errors.length === 0) return error;
  const [first] = errors as [EsbuildMessage, ...EsbuildMessage[]];
  const location: SourceLocation | undefined = first.location
    ? {
        file: resolve(dirname(file), first.location.file),
        line: first.location.line,
        column: first.location.column,
        lineText: first.location.lineText,
        length: first.location.length,
      }
    : undefined;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  const what = kind === 'config' ? 'the config' : 'the scenario';
  return new AtmnError(kind === 'config' ? 'config_syntax' : 'scenario_invalid', `${first.text}${more}`, {
    ...(location ? { location } : {}),
    hint: `fix ${what} file ${basename(file)} at the place shown, then run the command again`,
    details: { file },
  });
}

/** A throw while the file runs: report the user's line, never a stack of ours. */
function runtimeError(error: unknown, file: string, kind: 'config' | 'scenario', outfile: string): AtmnError {
  if (error instanceof AtmnError) return error;
  // The temporary bundle's name means nothing to the user: name their file instead.
  const raw = error instanceof Error ? `${error.name === 'Error' ? '' : error.name + ': '}${error.message}` : `a value was thrown: ${String(error)}`;
  const message = raw.split(outfile).join(basename(file));
  const missing = (error as { code?: unknown } | null)?.code === 'ERR_MODULE_NOT_FOUND' ? /Cannot find package '([^']+)'/.exec(message)?.[1] : undefined;
  const stack = error instanceof Error ? (error.stack ?? '') : '';
  const frame = userFrame(stack);
  const location = frame ? withLineText(frame) : undefined;
  const what = kind === 'config' ? 'config' : 'scenario';
  return new AtmnError('config_runtime', `the ${what} file threw while it was evaluated: ${message}`, {
    ...(location ? { location } : {}),
    hint: missing !== undefined
      ? `install '${missing}' in the project that holds ${basename(file)} (npm install ${missing}), or remove the import`
      : `the error was raised by code in ${location ? basename(location.file) : basename(file)}; fix it there`,
    details: { file },
  });
}

/** Adds the source line for a code frame (read lazily, only on the error path). */
export function withLineText(location: SourceLocation): SourceLocation {
  if (location.lineText !== undefined || !existsSync(location.file)) return location;
  const lineText = readFileSync(location.file, 'utf8').split(/\r?\n/)[location.line - 1];
  return lineText === undefined ? location : { ...location, lineText };
}

/**
 * Beside the file, so the user's own bare imports resolve from their node_modules;
 * a read-only folder falls back to the OS temp folder.
 */
function tempOutfile(file: string): string {
  const name = `.${basename(file)}.${process.pid}-${Math.random().toString(36).slice(2, 10)}.mjs`;
  try {
    accessSync(dirname(file), constants.W_OK);
    return join(dirname(file), name);
  } catch {
    return join(tmpdir(), name);
  }
}

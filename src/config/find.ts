import { statSync } from 'node:fs';
import { extname, isAbsolute, join, relative, resolve } from 'node:path';
import { AtmnError } from '../errors.ts';

export const CONFIG_FILE = 'autumn.config.ts';

/** What esbuild bundles as code; anything else (a .json, a .txt) would load as data and "validate" empty. */
const SCRIPT_EXTENSIONS = ['.ts', '.mts', '.cts', '.js', '.mjs', '.cjs'];

export interface FindConfigOptions {
  cwd: string;
  /** `--config`: a config file, or a folder holding autumn.config.ts. */
  config?: string;
}

/** The config file `options` names; never creates anything. */
export function findConfig(options: FindConfigOptions): string {
  const given = options.config;
  const candidate = namedPath(options);
  const stats = statOrNull(candidate);
  if (stats?.isDirectory()) {
    const inside = join(candidate, CONFIG_FILE);
    if (statOrNull(inside)?.isFile()) return inside;
    throw new AtmnError('config_not_found', `no ${CONFIG_FILE} in ${displayPath(candidate, options.cwd) || '.'}`, {
      hint: `create one with \`atmn init\` in that folder, or pass the file itself: --config path/to/${CONFIG_FILE}`,
      details: { path: candidate },
    });
  }
  if (stats?.isFile()) {
    if (SCRIPT_EXTENSIONS.includes(extname(candidate).toLowerCase())) return candidate;
    throw new AtmnError('usage', `${displayPath(candidate, options.cwd) || candidate} is not a TypeScript or JavaScript file`, {
      hint: `--config takes the config module itself (e.g. ${CONFIG_FILE}) or the folder that holds it`,
      details: { path: candidate },
    });
  }
  if (given === undefined) {
    throw new AtmnError('config_not_found', `no ${CONFIG_FILE} in the current folder`, {
      hint: `create one with \`atmn init\`, or point at one with --config path/to/${CONFIG_FILE}`,
      details: { path: candidate },
    });
  }
  if (stats !== null) {
    throw new AtmnError('usage', `${displayPath(candidate, options.cwd) || candidate} is not a regular file or folder`, {
      hint: `--config takes the config module itself (e.g. ${CONFIG_FILE}) or the folder that holds it`,
      details: { path: candidate },
    });
  }
  throw new AtmnError('config_not_found', `config file ${displayPath(candidate, options.cwd)} does not exist`, {
    hint: `check the --config path, or create a config with \`atmn init\``,
    details: { path: candidate },
  });
}

/**
 * The config file `--config` names, for commands that need not load it (pull writes it, env
 * only needs its folder): a folder means its autumn.config.ts, as for findConfig; without
 * --config, ./autumn.config.ts. The file need not exist.
 */
export function configPathFor(options: FindConfigOptions): string {
  const candidate = namedPath(options);
  return statOrNull(candidate)?.isDirectory() ? join(candidate, CONFIG_FILE) : candidate;
}

/** What `--config` names (a file or a folder), or ./autumn.config.ts without it. */
function namedPath(options: FindConfigOptions): string {
  return options.config === undefined ? join(options.cwd, CONFIG_FILE) : resolve(options.cwd, options.config);
}

function statOrNull(path: string): ReturnType<typeof statSync> | null {
  try {
    return statSync(path);
  } catch {
    return null;
  }
}

/** A path as the user should read it: relative to cwd when inside it. */
export function displayPath(file: string, cwd: string): string {
  const rel = relative(cwd, file);
  return rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : rel === '' ? '' : file;
}


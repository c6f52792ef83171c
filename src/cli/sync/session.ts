import { join } from 'node:path';
import kleur from 'kleur';
import { displayPath } from '../../config/find.ts';
import type { Backend } from '../../remote/backend.ts';
import { openBackend } from '../../remote/backend.ts';
import { describeTarget, resolveTarget, type Target } from '../../remote/target.ts';
import type { CliContext } from '../context.ts';

/**
 * What diff, push, pull and env share: resolve the target from the flags, print it to
 * stderr before anything is written (issue #4), and open its backend. `projectDir` is the
 * config's folder, where `.atmn/` lives.
 */

export interface TargetOpts {
  url?: string;
  local?: boolean;
  prod?: boolean;
}

export interface Session {
  target: Target;
  backend: Backend;
  /** `.atmn/` as the user should read it. */
  displayStateDir: string;
  close(): Promise<void>;
}

export function stateDirFor(projectDir: string): string {
  return join(projectDir, '.atmn');
}

export function resolveSessionTarget(ctx: CliContext, opts: TargetOpts, projectDir: string): { target: Target; displayStateDir: string } {
  const stateDir = stateDirFor(projectDir);
  const target = resolveTarget({ flags: { url: opts.url, local: opts.local, prod: opts.prod }, env: ctx.env, cwd: ctx.cwd, stateDir });
  return { target, displayStateDir: displayDir(stateDir, ctx.cwd) };
}

export async function openSession(ctx: CliContext, opts: TargetOpts, projectDir: string): Promise<Session> {
  const { target, displayStateDir } = resolveSessionTarget(ctx, opts, projectDir);
  for (const warning of target.warnings) warn(ctx, warning);
  ctx.err(kleurFor(ctx).dim(describeTarget(target, displayStateDir)));
  const backend = await openBackend(target, { version: ctx.version, displayStateDir });
  return { target, backend, displayStateDir, close: () => backend.close() };
}

/** The target as the JSON envelopes carry it (never the key). */
export function targetJson(target: Target, displayStateDir: string): Record<string, unknown> {
  return {
    kind: target.kind,
    name: target.name,
    url: target.baseUrl,
    chosen_by: target.chosenBy,
    environment: target.environment,
    production: target.production,
    key: target.key ? { variable: target.key.variable, source: target.key.source, redacted: target.key.redacted } : null,
    state_dir: target.kind === 'sandbox' ? displayStateDir : null,
  };
}

export function warn(ctx: CliContext, message: string): void {
  ctx.err(`${kleurFor(ctx).yellow().bold('warning')}: ${message}`);
}

/** kleur, switched on or off for this run (kleur's own switch is global). */
export function kleurFor(ctx: CliContext): typeof kleur {
  kleur.enabled = ctx.color;
  return kleur;
}

/** `.atmn/` relative to the working directory when inside it, else absolute; always with a trailing slash. */
function displayDir(dir: string, cwd: string): string {
  const shown = displayPath(dir, cwd) || dir;
  return shown.endsWith('/') ? shown : `${shown}/`;
}

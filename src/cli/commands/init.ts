import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createInterface } from 'node:readline/promises';
import { closest } from '../../config/did-you-mean.ts';
import { CONFIG_FILE } from '../../config/find.ts';
import { AtmnError } from '../../errors.ts';
import { explainFileSystem } from '../../store/fs-error.ts';
import type { CliContext } from '../context.ts';
import { EXIT } from '../exit-codes.ts';

const DEFAULT_TEMPLATE = 'team';

interface Template {
  name: string;
  /** The template's first comment line. */
  description: string;
  file: string;
}

/**
 * `atmn init` (issue #2, item 6): writes autumn.config.ts from templates/<name>.config.ts,
 * plus <name>.scenario.json beside it when the template has one. Prompts only when
 * interactive; `--template`/`--yes` for scripts (default: team). Never overwrites an
 * existing file without --force.
 */
export async function initCommand(opts: Record<string, unknown>, ctx: CliContext, _args: string[]): Promise<number> {
  const templates = listTemplates();
  if (opts.list) {
    if (opts.json) ctx.out(JSON.stringify({ format_version: 1, status: 'ok', templates: templates.map(({ name, description }) => ({ name, description })) }, null, 2));
    else for (const t of templates) ctx.out(`${t.name.padEnd(width(templates))}  ${t.description}${t.name === DEFAULT_TEMPLATE ? ' (default)' : ''}`);
    return EXIT.ok;
  }
  const requested = typeof opts.template === 'string' ? opts.template : undefined;
  if (requested !== undefined) findTemplate(requested, templates);
  const target = join(ctx.cwd, CONFIG_FILE);
  if (isFolder(target)) {
    throw new AtmnError('file_exists', `${CONFIG_FILE} in this folder is a folder, not a file`, {
      hint: `move or rename that folder (even --force does not replace a folder), then run atmn init again`,
      details: { path: target },
    });
  }
  if (existsSync(target) && !opts.force) {
    throw new AtmnError('file_exists', `${CONFIG_FILE} already exists in this folder`, {
      hint: 'pass --force to overwrite it, or run atmn init in an empty folder',
      details: { path: target },
    });
  }
  const template = await chooseTemplate(requested, templates, ctx);
  explainFileSystem(`write ${CONFIG_FILE}`, () => writeFileSync(target, readFileSync(template.file, 'utf8')));
  const written = [CONFIG_FILE];
  const skipped: string[] = [];
  const scenario = template.file.replace(/\.config\.ts$/, '.scenario.json');
  if (existsSync(scenario)) {
    const name = `${template.name}.scenario.json`;
    const scenarioTarget = join(ctx.cwd, name);
    if ((existsSync(scenarioTarget) && !opts.force) || isFolder(scenarioTarget)) skipped.push(name);
    else {
      explainFileSystem(`write ${name}`, () => writeFileSync(scenarioTarget, readFileSync(scenario, 'utf8')));
      written.push(name);
    }
  }
  if (opts.json) {
    ctx.out(JSON.stringify({ format_version: 1, status: 'ok', template: template.name, written, skipped }, null, 2));
    return EXIT.ok;
  }
  ctx.out(`Created ${written.join(' and ')} from the ${template.name} template.`);
  for (const name of skipped) {
    ctx.err(isFolder(join(ctx.cwd, name)) ? `warning: ${name} is a folder; left it alone and wrote no scenario` : `warning: ${name} already exists; kept it (pass --force to overwrite)`);
  }
  const next = ['atmn validate'];
  if (written.length > 1) next.push(`atmn simulate ${written[1]}`);
  ctx.out(`Next: ${next.join(', then ')}`);
  return EXIT.ok;
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The templates shipped in templates/, sorted by name. */
function listTemplates(): Template[] {
  const dir = templatesDir();
  return readdirSync(dir)
    .filter((f) => f.endsWith('.config.ts'))
    .sort()
    .map((f) => {
      const file = join(dir, f);
      const first = readFileSync(file, 'utf8').split('\n', 1)[0] ?? '';
      return { name: f.slice(0, -'.config.ts'.length), description: first.replace(/^\/\/\s*/, ''), file };
    });
}

async function chooseTemplate(requested: string | undefined, templates: Template[], ctx: CliContext): Promise<Template> {
  if (requested !== undefined) return findTemplate(requested, templates);
  const fallback = templates.find((t) => t.name === DEFAULT_TEMPLATE) ?? templates[0];
  if (!fallback) throw new AtmnError('internal_error', 'no templates found in the atmn installation');
  if (!ctx.interactive) return fallback;
  return prompt(templates, fallback, ctx);
}

function findTemplate(requested: string, templates: Template[]): Template {
  const found = templates.find((t) => t.name === requested);
  if (found) return found;
  const guess = closest(requested, templates.map((t) => t.name));
  throw new AtmnError('usage', `unknown template '${requested}'`, {
    hint: `${guess ? `did you mean '${guess}'? ` : ''}the templates are: ${templates.map((t) => t.name).join(', ')}`,
  });
}

/** A numbered pick on stderr (stdout stays for data); Enter takes the default. */
async function prompt(templates: Template[], fallback: Template, ctx: CliContext): Promise<Template> {
  ctx.err('Which template?');
  templates.forEach((t, i) => ctx.err(`  ${i + 1}) ${t.name.padEnd(width(templates))}  ${t.description}`));
  const rl = createInterface({ input: ctx.stdin, output: ctx.stderr });
  const cancelled = () =>
    new AtmnError('usage', 'no template chosen: init was cancelled and wrote nothing', { hint: 'run atmn init again, or pick without a prompt: atmn init --template team --yes' });
  // Ctrl-C at the prompt: abort the question (closing readline alone leaves it pending).
  const interrupt = new AbortController();
  rl.on('SIGINT', () => interrupt.abort());
  try {
    for (;;) {
      let answer: string;
      try {
        answer = (await rl.question(`Pick 1-${templates.length} [${templates.indexOf(fallback) + 1}]: `, { signal: interrupt.signal })).trim();
      } catch (error) {
        // Ctrl-D, Ctrl-C or the end of input: readline aborts the question.
        if ((error as { code?: unknown; name?: unknown }).code === 'ABORT_ERR' || (error as { name?: unknown }).name === 'AbortError') {
          ctx.err('');
          throw cancelled();
        }
        throw error;
      }
      if (answer === '') return fallback;
      const byNumber = templates[Number(answer) - 1];
      const byName = templates.find((t) => t.name === answer);
      if (/^\d+$/.test(answer) && byNumber) return byNumber;
      if (byName) return byName;
      ctx.err(`  '${answer}' is not one of the choices`);
    }
  } finally {
    rl.close();
  }
}

function templatesDir(): string {
  const here = import.meta.url;
  // src/cli/commands/init.ts when run from source; a dist/*.js chunk when bundled.
  return fileURLToPath(new URL(here.endsWith('.ts') ? '../../../templates/' : '../templates/', here));
}

function width(templates: Template[]): number {
  return Math.max(...templates.map((t) => t.name.length));
}

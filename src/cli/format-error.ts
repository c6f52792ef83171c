import kleur from 'kleur';
import type { AtmnError, Issue, SourceLocation } from '../errors.ts';

/**
 * esbuild-style rendering: `file:line:col: error: message`, the source line, a `~~~`
 * underline, then the hint (examples.md "Config loading and user errors").
 */
export function formatError(error: AtmnError, color: boolean): string {
  kleur.enabled = color;
  if (error.issues.length > 0) {
    const lines = error.issues.map((issue) => formatIssue(issue, 'error', color));
    lines.push(kleur.red(`${error.issues.length} error${error.issues.length === 1 ? '' : 's'}: ${error.message}`));
    return lines.join('\n');
  }
  // error.path is in the JSON envelope; the text names the place by its code frame.
  return formatIssue({ path: '', message: error.message, hint: error.hint, location: error.location }, 'error', color);
}

export function formatIssue(issue: Issue, severity: 'error' | 'warning', color: boolean): string {
  kleur.enabled = color;
  const label = severity === 'error' ? kleur.red().bold('error') : kleur.yellow().bold('warning');
  const head = issue.location ? `${where(issue.location)}: ` : '';
  const parts = [`${head}${label}: ${issue.path ? kleur.bold(issue.path) + ': ' : ''}${issue.message}`];
  if (issue.location) parts.push(codeFrame(issue.location));
  if (issue.hint) parts.push(`  ${kleur.cyan('hint')}: ${issue.hint}`);
  return parts.join('\n');
}

function where(loc: SourceLocation): string {
  return `${loc.file}:${loc.line}:${loc.column}`;
}

function codeFrame(loc: SourceLocation): string {
  if (loc.lineText === undefined) return '';
  const gutter = `${loc.line} │ `;
  const underline = ' '.repeat(gutter.length + loc.column) + kleur.green('~'.repeat(Math.max(1, loc.length ?? 1)));
  return `    ${gutter}${loc.lineText}\n    ${underline}`;
}

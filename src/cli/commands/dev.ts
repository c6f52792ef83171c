import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function devCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn dev is not implemented yet.');
}

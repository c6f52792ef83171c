import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function validateCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn validate is not implemented yet.');
}

import { AtmnError } from '../../errors.ts';
import type { CliContext } from '../context.ts';

export async function envCommand(_opts: Record<string, unknown>, _ctx: CliContext, _args: string[]): Promise<number> {
  throw new AtmnError('usage', 'atmn env is not implemented yet.');
}

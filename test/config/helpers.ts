import { validateConfig, type ValidationResult } from '../../src/config/validate.ts';

/** Validates inline exports and returns issues as `path: message` lines (locations left out). */
export function check(exports: Record<string, unknown>): { errors: string[]; warnings: string[]; result: ValidationResult } {
  const result = validateConfig(exports);
  return {
    errors: result.errors.map((i) => `${i.path}: ${i.message}`),
    warnings: result.warnings.map((i) => `${i.path}: ${i.message}`),
    result,
  };
}

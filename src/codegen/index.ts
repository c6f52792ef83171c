/**
 * Catalog → TypeScript (issue #4 item 5): the source `atmn pull` writes. Pure: strings in,
 * strings out; the CLI reads and writes the files (and the backup).
 */
export { generateConfigSource } from './generate.ts';
export { updateConfigSource, type UpdateResult, type UpdateOptions } from './update.ts';
export { toIdentifier, assignIdentifiers } from './identifiers.ts';
export { quoteString } from './print.ts';

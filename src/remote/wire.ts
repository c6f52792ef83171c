/**
 * The Autumn wire format at one import: zod schemas (wire-schema.ts), wire → Catalog
 * (wire-read.ts) and Catalog → wire (wire-write.ts). Shared by the HTTP backend and the
 * `atmn dev` server (spec/wire.md; design.md rule 3: mapping lives at the edge).
 */
export * from './wire-schema.ts';
export * from './wire-read.ts';
export * from './wire-write.ts';

import type { Catalog } from '../catalog/schema.ts';
import type { ApplyStep, HolderInfo } from '../sync/index.ts';
import type { Target } from './target.ts';

/**
 * One interface over every place a catalog can live (issue #4 item 1): hosted Autumn or any
 * Autumn-compatible server over HTTP (http.ts), or the embedded local sandbox (sandbox.ts).
 * Commands read the remote, diff it against the config (pure, src/sync), then apply the
 * planned steps one by one through `apply`.
 */
export interface RemoteState {
  catalog: Catalog;
  /** Who holds what, for archive-vs-delete and versioning decisions. */
  holders: HolderInfo;
  /** Remote objects the Catalog cannot hold (skipped or trimmed), and other caveats, as "plan pro: …" lines. */
  warnings: string[];
}

export interface Organization {
  id: string | null;
  name: string | null;
  slug: string | null;
  env: string | null;
}

export interface Backend {
  readonly target: Target;
  readCatalog(): Promise<RemoteState>;
  /** Applies one write; throws an AtmnError naming the object when the backend refuses it. */
  apply(step: ApplyStep): Promise<void>;
  /** GET /v1/organization/me; null for the embedded sandbox, which has no organization. */
  organization(): Promise<Organization | null>;
  /** Releases sockets so the process can exit at once. */
  close(): Promise<void>;
}

export interface BackendOptions {
  /** atmn's version, for the user-agent. */
  version: string;
  /** How to name the `.atmn/` folder in messages (relative to the working directory). */
  displayStateDir?: string;
}

/** Loads only the backend the target needs: the sandbox never loads the HTTP client. */
export async function openBackend(target: Target, options: BackendOptions): Promise<Backend> {
  if (target.kind === 'sandbox') {
    const { SandboxBackend } = await import('./sandbox.ts');
    return new SandboxBackend(target, options.displayStateDir);
  }
  const { HttpBackend } = await import('./http.ts');
  return HttpBackend.open(target, options);
}

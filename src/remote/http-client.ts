import type { Agent } from 'node:http';
import { AtmnError, type ErrorCode } from '../errors.ts';
import { LIVE_KEY_VARIABLE, SANDBOX_KEY_VARIABLE } from './keys.ts';
import { isLoopback, type Target } from './target.ts';
import { ApiErrorBody } from './wire-schema.ts';

/**
 * JSON over HTTP to an Autumn-compatible API (spec/wire.md §1), over Node's core
 * node:http / node:https clients, imported only when an HTTP target is used. Why not
 * undici or fetch (measured on these machines, three parallel requests in a fresh
 * process): the undici package costs ~90 ms and +20 MB to import; global fetch (undici
 * inside Node) ~20 ms and +12 MB, and both keep the process alive ~80 ms after the last
 * answer (their WebAssembly parser's teardown); node:http costs ~15 ms, +5 MB, and the
 * process exits at once. That is a third of the 0.3 s budget of an in-sync push (issue #4).
 * Reads retry with backoff on 429, 5xx and
 * connection errors (not on a timeout); writes never retry (a lost answer is resolved by re-running push,
 * which converges). Every failure becomes an AtmnError that names the target and, for
 * 401, the key's source — never the key itself.
 */

export interface HttpRequest {
  method: 'GET' | 'POST' | 'DELETE';
  /** Path under the base URL, starting with /v1/. */
  path: string;
  body?: unknown;
  /** Safe to repeat: retried on 429 / 5xx / connection errors. */
  idempotent: boolean;
  /** For messages: "create plan pro", "read the plans". */
  what: string;
}

export interface HttpClientOptions {
  userAgent: string;
  timeoutMs?: number;
  retries?: number;
  retryBaseMs?: number;
}

/** x-api-version per route family (wire.md §1.3). */
const CATALOG_VERSION = '2.2.0';
const DEFAULT_VERSION = '2.1.0';
const MAX_RETRY_AFTER_MS = 10_000;

/** Socket error codes in words; the code itself is kept in the message for searching. */
const NETWORK_REASONS: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'the connection was reset',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'the host name could not be looked up (DNS)',
  ETIMEDOUT: 'the connection timed out',
  EHOSTUNREACH: 'the host is unreachable',
  ENETUNREACH: 'the network is unreachable',
  CERT_HAS_EXPIRED: 'the server certificate has expired',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'the server certificate is self-signed',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'the server certificate cannot be verified',
};

const SERVER_CODES: ReadonlySet<string> = new Set<ErrorCode>([
  'unauthorized', 'not_found', 'invalid_input', 'customer_not_found', 'entity_not_found', 'feature_not_found',
  'plan_not_found', 'entity_already_exists', 'duplicate_feature_id', 'product_already_exists', 'feature_in_use',
  'plan_has_customers', 'config_resource_conflict', 'feature_limit_reached', 'insufficient_balance',
  'duplicate_idempotency_key', 'internal_error',
]);

/** The part of node:http that node:https shares. */
type HttpModule = Pick<typeof import('node:http'), 'request' | 'Agent'>;

export class HttpClient {
  private readonly options: Required<HttpClientOptions>;
  private transport: { module: HttpModule; agent: Agent } | null = null;

  constructor(
    private readonly target: Target,
    options: HttpClientOptions,
  ) {
    this.options = { timeoutMs: 30_000, retries: 3, retryBaseMs: 200, ...options };
  }

  /** Closes the keep-alive sockets so the process can exit at once. */
  async close(): Promise<void> {
    this.transport?.agent.destroy();
    this.transport = null;
  }

  /** Sends the request and returns the parsed JSON body of a 2xx answer. */
  async send(request: HttpRequest): Promise<unknown> {
    const attempts = request.idempotent ? this.options.retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      let status: number;
      let text: string;
      let retryAfter: string | undefined;
      try {
        ({ status, text, retryAfter } = await this.once(request));
      } catch (error) {
        // A server silent for timeoutMs is not retried: four silent attempts would keep a CI job
        // waiting for minutes. Refused or reset connections are retried.
        if (attempt < attempts && !isTimeout(error)) {
          await sleep(this.backoff(attempt));
          continue;
        }
        throw this.networkError(request, error);
      }
      if ((status === 429 || status >= 500) && attempt < attempts) {
        await sleep(this.backoff(attempt, retryAfter));
        continue;
      }
      if (status >= 200 && status < 300) return this.parseJson(request, status, text);
      throw this.httpError(request, status, text);
    }
  }

  private async once(request: HttpRequest): Promise<{ status: number; text: string; retryAfter: string | undefined }> {
    const url = new URL(`${this.target.baseUrl}${request.path}`);
    const { module, agent } = await this.open(url.protocol);
    const body = request.body === undefined ? undefined : JSON.stringify(request.body);
    const headers: Record<string, string> = {
      'content-type': 'application/json',
      accept: 'application/json',
      'x-api-version': request.path.startsWith('/v1/catalog.') || request.path.startsWith('/v1/rewards') || request.path.startsWith('/v1/referral_programs')
        ? CATALOG_VERSION
        : DEFAULT_VERSION,
      'user-agent': this.options.userAgent,
      ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    };
    if (this.target.key) headers.authorization = `Bearer ${this.target.key.value}`;
    return new Promise((resolve, reject) => {
      const req = module.request(url, { method: request.method, headers, agent }, (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          const retryAfter = res.headers['retry-after'];
          resolve({ status: res.statusCode ?? 0, text, retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter });
        });
      });
      // An idle socket for timeoutMs (no answer, or a stalled body) fails the attempt.
      req.setTimeout(this.options.timeoutMs, () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
      req.on('error', reject);
      req.end(body);
    });
  }

  private async open(protocol: string): Promise<{ module: HttpModule; agent: Agent }> {
    if (!this.transport) {
      const module: HttpModule = protocol === 'https:' ? await import('node:https') : await import('node:http');
      // At most 5 requests in flight (wire.md §3.1), sockets reused across them.
      this.transport = { module, agent: new module.Agent({ keepAlive: true, maxSockets: 5 }) };
    }
    return this.transport;
  }

  private backoff(attempt: number, retryAfter?: string): number {
    const seconds = retryAfter !== undefined ? Number(retryAfter) : NaN;
    if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, MAX_RETRY_AFTER_MS);
    return this.options.retryBaseMs * 2 ** (attempt - 1);
  }

  private parseJson(request: HttpRequest, status: number, text: string): unknown {
    if (text.trim() === '') return {};
    try {
      return JSON.parse(text);
    } catch {
      throw new AtmnError('remote_error', `${this.where()} answered ${status} with a body that is not JSON while trying to ${request.what}.`, {
        hint: 'Is this an Autumn-compatible API? Check --url / ATMN_BACKEND_URL.',
      });
    }
  }

  private httpError(request: HttpRequest, status: number, text: string): AtmnError {
    const body = parseErrorBody(text);
    const serverMessage = this.scrub(body?.message ?? (text.trim().slice(0, 200) || `HTTP ${status}`));
    const serverCode = body?.code === 'invalid_inputs' ? 'invalid_input' : body?.code;
    const details = { status, ...(body?.code ? { server_code: body.code } : {}), request: `${request.method} ${request.path}` };
    if (status === 401) {
      const key = this.target.key;
      const variable = this.target.production ? LIVE_KEY_VARIABLE : SANDBOX_KEY_VARIABLE;
      const hint = key?.source === '.atmn/keys.json'
        ? 'atmn dev prints its keys when it starts; restart it or delete .atmn/keys.json if the keys changed.'
        : this.target.kind === 'hosted'
          ? `Check the key in the Autumn dashboard (Developer → API keys). Sandbox keys start with am_sk_test_ (${SANDBOX_KEY_VARIABLE}); live keys with am_sk_live_ (${LIVE_KEY_VARIABLE}, with --prod).`
          : `Set ${variable} (environment, .env.local or .env) to a key this server accepts.`;
      if (!key) {
        return new AtmnError('unauthorized', `${this.where()} needs a key, and none was found: ${serverMessage}`, {
          hint: `Looked for ${variable} in the environment, .env.local and .env${this.target.kind === 'hosted' ? '' : ', and for .atmn/keys.json beside the config'}. Set one of them.`,
          details,
        });
      }
      return new AtmnError('unauthorized', `${this.where()} rejected ${key.description} (${key.redacted}): ${serverMessage}`, { hint, details });
    }
    if (status === 403) {
      return new AtmnError('forbidden', `${this.where()} refused to ${request.what}: ${serverMessage} (403 forbidden)`, {
        hint: 'The key is valid but not allowed to do this; check its permissions and environment (sandbox or live).',
        details,
      });
    }
    if (status === 404 && (serverCode === undefined || serverCode === 'not_found')) {
      return new AtmnError('not_found', `${this.where()} has no ${request.method} ${request.path} (needed to ${request.what}): ${serverMessage}`, {
        hint: 'Is the URL the base of an Autumn API, without /v1? (atmn adds /v1 itself.)',
        details,
      });
    }
    const code: ErrorCode = serverCode !== undefined && SERVER_CODES.has(serverCode) ? (serverCode as ErrorCode) : 'remote_error';
    const label = serverCode ? `${status} ${serverCode}` : `HTTP ${status}`;
    return new AtmnError(code, `${this.where()} refused to ${request.what}: ${serverMessage} (${label})`, {
      ...(status >= 500 ? { hint: 'The server failed; try again later. Re-running push converges.' } : {}),
      details,
    });
  }

  private networkError(request: HttpRequest, error: unknown): AtmnError {
    // Socket errors carry a code; localhost (IPv6 then IPv4) may give an AggregateError of them.
    const failure = error as { name?: string; code?: string; message?: string; errors?: { code?: string }[]; cause?: { code?: string; message?: string } };
    const code = failure.code ?? failure.errors?.[0]?.code ?? failure.cause?.code;
    const reason = isTimeout(error)
      ? `no answer within ${this.options.timeoutMs / 1000} s`
      : code !== undefined ? `${NETWORK_REASONS[code] ?? code}${code in NETWORK_REASONS ? ` (${code})` : ''}` : failure.cause?.message ?? failure.message ?? String(error);
    const local = this.target.baseUrl !== null && isLoopback(this.target.baseUrl);
    return new AtmnError('network_error', `Could not reach ${this.target.baseUrl} to ${request.what}: ${reason}.`, {
      hint: local ? 'Is `atmn dev` (or your local server) running on that port?' : 'Check the network connection and the URL, then run the command again.',
      details: { request: `${request.method} ${request.path}` },
    });
  }

  private where(): string {
    return this.target.kind === 'hosted' ? `Autumn (${this.target.name})` : `The server at ${this.target.baseUrl}`;
  }

  /** A server that echoes the key back must not make us print it. */
  private scrub(message: string): string {
    const key = this.target.key;
    return key ? message.split(key.value).join(key.redacted) : message;
  }
}

function parseErrorBody(text: string): { message: string; code: string } | null {
  try {
    const result = ApiErrorBody.safeParse(JSON.parse(text));
    return result.success ? result.data : null;
  } catch {
    return null;
  }
}

function isTimeout(error: unknown): boolean {
  return (error as { name?: string } | null)?.name === 'TimeoutError';
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

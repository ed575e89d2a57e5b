import { Agent as HttpAgent, IncomingMessage, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { performance } from 'node:perf_hooks';
import { ipLiteral } from '../endpoint-policy/endpoint-url';
import { isForbiddenAddress } from '../../common/network/forbidden-addresses';
import { ForbiddenAddressError, guardedLookup } from '../../common/network/guarded-lookup';

export const MAX_RESPONSE_EXCERPT_BYTES = 1024;

export interface EndpointClientOptions {
  timeoutMs: number;
  allowPrivateAddresses: boolean;
  maxSocketsPerEndpoint: number;
  maxSockets: number;
}

export interface EndpointAnswer {
  statusCode: number | null;
  durationMs: number;
  /** The first KiB of the response body, for the delivery log. */
  responseExcerpt: string | null;
  error: string | null;
  /** The caller cancelled the attempt (shutdown): nothing should be recorded. */
  cancelled: boolean;
}

function describeError(error: unknown, timeoutMs: number): string {
  const failure = error as NodeJS.ErrnoException & { name?: string };
  if (failure instanceof ForbiddenAddressError) return `refused: ${failure.message}`;
  if (failure?.name === 'TimeoutError') return `no complete answer within ${timeoutMs} ms`;
  switch (failure?.code) {
    case 'ECONNREFUSED': return 'connection refused';
    case 'ECONNRESET': return 'connection reset by the endpoint';
    case 'ENOTFOUND': case 'EAI_AGAIN': return 'host not found';
    case 'EHOSTUNREACH': case 'ENETUNREACH': return 'host unreachable';
    default:
      if (failure?.code?.startsWith('ERR_TLS') || /certificate|SSL|TLS/i.test(failure?.message ?? '')) return `TLS error: ${failure.message}`;
      return failure?.code ? `network error ${failure.code}` : `network error: ${String(failure?.message ?? failure).slice(0, 200)}`;
  }
}

/**
 * POSTs deliveries with node:http rather than fetch: it lets the socket's DNS lookup refuse internal addresses at
 * connect time, never follows redirects, and lets us stop reading a response after its first KiB.
 * Keep-alive agents bound the sockets per endpoint and in total.
 */
export class EndpointClient {
  private readonly httpAgent: HttpAgent;
  private readonly httpsAgent: HttpsAgent;

  constructor(private readonly options: EndpointClientOptions) {
    const agentOptions = { keepAlive: true, maxSockets: options.maxSocketsPerEndpoint, maxTotalSockets: options.maxSockets, scheduling: 'lifo' as const };
    this.httpAgent = new HttpAgent(agentOptions);
    this.httpsAgent = new HttpsAgent(agentOptions);
  }

  post(target: string, headers: Record<string, string>, body: string, cancel: AbortSignal): Promise<EndpointAnswer> {
    const started = performance.now();
    const answer = (partial: Partial<EndpointAnswer>): EndpointAnswer => ({
      statusCode: null, responseExcerpt: null, error: null, cancelled: false, ...partial, durationMs: Math.round(performance.now() - started),
    });
    const url = new URL(target);
    const literal = ipLiteral(url);
    // Sockets skip the lookup for IP literals, so those are checked here.
    if (!this.options.allowPrivateAddresses && literal !== null && isForbiddenAddress(literal)) {
      return Promise.resolve(answer({ error: `refused: ${literal} is a loopback, private, link-local or metadata address` }));
    }
    const timeout = AbortSignal.timeout(this.options.timeoutMs);
    const signal = AbortSignal.any([cancel, timeout]);
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (result: EndpointAnswer) => {
        if (settled) return;
        settled = true;
        resolve(result);
      };
      const fail = (error: unknown) => {
        if (cancel.aborted) return finish(answer({ cancelled: true, error: 'cancelled' }));
        finish(answer({ error: describeError(timeout.aborted ? timeout.reason : error, this.options.timeoutMs) }));
      };
      const outgoing = send(url, {
        method: 'POST',
        agent: url.protocol === 'https:' ? this.httpsAgent : this.httpAgent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'Deskline-Webhooks/1', ...headers },
        lookup: this.options.allowPrivateAddresses ? undefined : guardedLookup,
        signal,
      }, (response: IncomingMessage) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        const done = () => {
          const excerpt = Buffer.concat(chunks).toString('utf8');
          finish(answer({ statusCode: response.statusCode ?? null, responseExcerpt: excerpt.length ? excerpt : null }));
        };
        response.on('data', (chunk: Buffer) => {
          if (kept < MAX_RESPONSE_EXCERPT_BYTES) {
            const part = chunk.subarray(0, MAX_RESPONSE_EXCERPT_BYTES - kept);
            chunks.push(part);
            kept += part.length;
          }
          // Enough read: the rest of a large body is not worth the bandwidth or the wait.
          if (kept >= MAX_RESPONSE_EXCERPT_BYTES) {
            done();
            response.destroy();
          }
        });
        response.on('end', done);
        response.on('error', (error) => (settled ? undefined : fail(error)));
        response.on('close', () => {
          if (settled) return;
          if (response.complete) done();
          else fail(new Error('the endpoint closed the connection before the end of its answer'));
        });
      });
      outgoing.on('error', fail);
      outgoing.end(body);
    });
  }

  close(): void {
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

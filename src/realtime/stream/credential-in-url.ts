import type { IncomingMessage } from 'node:http';

/** The stream routes, which browsers open with EventSource (which cannot send an Authorization header). */
const STREAM_PATHS = new Set(['/v1/events/stream', '/v1/portal/events/stream']);

/**
 * Fastify's rewriteUrl: on the stream routes only, `?access_token=` becomes the Authorization header and leaves the
 * URL, before routing, hooks and logging. Guards, rate limits and credential re-checks then see one credential, and
 * no request log line ever holds the token. Other routes keep refusing tokens in URLs.
 */
export function moveStreamCredentialToHeader(request: IncomingMessage): string {
  const url = request.url ?? '/';
  const query = url.indexOf('?');
  if (query < 0 || !STREAM_PATHS.has(url.slice(0, query))) return url;
  const params = new URLSearchParams(url.slice(query + 1));
  const token = params.get('access_token');
  if (token === null) return url;
  params.delete('access_token');
  if (request.headers.authorization === undefined && token !== '') request.headers.authorization = `Bearer ${token}`;
  const rest = params.toString();
  return url.slice(0, query) + (rest ? `?${rest}` : '');
}

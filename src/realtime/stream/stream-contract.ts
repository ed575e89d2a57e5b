import { ValidationFailed } from '../../common/errors/domain-errors';
import { parseCursor } from '../feed/event-selection';

export const SSE_RESPONSE_DESCRIPTION =
  'A text/event-stream. Each event: `id: <cursor>`, `event: <type>`, `data: <JSON>`; comment lines (`: heartbeat`) keep it alive; ' +
  'a final `stream.closed` event carries `{reason, detail, reconnect}`.';

export const SSE_SCHEMA = { type: 'string', description: 'Server-sent events (https://html.spec.whatwg.org/multipage/server-sent-events.html).' };

/** The Last-Event-ID header, validated like the `after` parameter it stands for. */
export function lastEventId(header: string | undefined): string | null {
  if (header === undefined || header === '') return null;
  const cursor = parseCursor(header.trim());
  if (cursor === null) throw ValidationFailed.field('Last-Event-ID', 'must be the id of an event of this stream');
  return cursor;
}

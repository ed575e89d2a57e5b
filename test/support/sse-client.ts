import { ClientRequest, IncomingMessage, request } from 'node:http';
import { eventually } from './eventually';

export interface SseEvent {
  id: string | null;
  event: string;
  data: any;
}

/**
 * A minimal server-sent-events reader over node:http, so tests see exactly what a browser's EventSource would:
 * each event with its id, comments (heartbeats) and the end of the stream.
 */
export class SseClient {
  readonly events: SseEvent[] = [];
  readonly comments: string[] = [];
  ended = false;
  private buffer = '';

  private constructor(readonly response: IncomingMessage, private readonly clientRequest: ClientRequest, readonly body: string, paused = false) {
    if (paused) {
      // A client that stops reading: nothing is consumed, so the server's buffer fills.
      response.pause();
    } else {
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => this.take(chunk));
    }
    response.on('end', () => (this.ended = true));
    response.on('close', () => (this.ended = true));
    response.on('error', () => (this.ended = true));
  }

  /** Resolves once the response head arrived; a non-200 answer is read whole into `body`. */
  static open(url: string, headers: Record<string, string> = {}, options: { paused?: boolean } = {}): Promise<SseClient> {
    return new Promise((resolve, reject) => {
      const clientRequest = request(url, { headers: { accept: 'text/event-stream', ...headers } }, (response) => {
        if (response.statusCode !== 200) {
          let body = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (body += chunk));
          response.on('end', () => resolve(new SseClient(response, clientRequest, body)));
          return;
        }
        resolve(new SseClient(response, clientRequest, '', options.paused));
      });
      clientRequest.on('error', reject);
      clientRequest.end();
    });
  }

  get status(): number {
    return this.response.statusCode ?? 0;
  }

  ids(): string[] {
    return this.events.filter((event) => event.id !== null).map((event) => event.id!);
  }

  lastId(): string | null {
    return this.ids().at(-1) ?? null;
  }

  async waitFor(predicate: (events: SseEvent[]) => boolean, what: string, timeoutMs = 20_000): Promise<void> {
    await eventually(() => predicate(this.events), what, timeoutMs);
  }

  async waitForEnd(what = 'the stream to end', timeoutMs = 20_000): Promise<void> {
    await eventually(() => this.ended, what, timeoutMs);
  }

  close(): void {
    this.clientRequest.destroy();
    this.response.destroy();
  }

  private take(chunk: string): void {
    this.buffer += chunk;
    let boundary: number;
    while ((boundary = this.buffer.indexOf('\n\n')) >= 0) {
      const block = this.buffer.slice(0, boundary);
      this.buffer = this.buffer.slice(boundary + 2);
      let id: string | null = null;
      let event = 'message';
      const data: string[] = [];
      for (const line of block.split('\n')) {
        if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
        else if (line.startsWith('id: ')) id = line.slice(4);
        else if (line.startsWith('event: ')) event = line.slice(7);
        else if (line.startsWith('data: ')) data.push(line.slice(6));
      }
      if (data.length) this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
    }
  }
}

export function baseUrlOf(server: { address(): unknown }): string {
  const address = server.address() as { port: number };
  return `http://127.0.0.1:${address.port}`;
}

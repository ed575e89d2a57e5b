import { Client, createClient } from 'graphql-ws';
import WebSocket from 'ws';
import { TestApp } from './test-app';

export interface Closed {
  code: number;
  reason: string;
}

/** A real graphql-ws client of a test app's /graphql, authenticated in connection_init, that never retries on its own. */
export interface WsClient {
  client: Client;
  /** Settles when the socket closes, with the server's code and reason. */
  closed: Promise<Closed>;
  /** Settles when the server acknowledged connection_init. */
  connected: Promise<void>;
  dispose(): Promise<void>;
}

export function wsUrl(t: TestApp): string {
  const { port } = t.app.getHttpServer().address() as { port: number };
  return `ws://127.0.0.1:${port}/graphql`;
}

export function connectWs(t: TestApp, credential: string | null): WsClient {
  let closedWith: (closed: Closed) => void = () => undefined;
  const closed = new Promise<Closed>((resolve) => (closedWith = resolve));
  let connectedWith: () => void = () => undefined;
  const connected = new Promise<void>((resolve) => (connectedWith = resolve));
  const client = createClient({
    url: wsUrl(t),
    webSocketImpl: WebSocket,
    lazy: false,
    retryAttempts: 0,
    connectionParams: credential === null ? {} : { authorization: `Bearer ${credential}` },
    onNonLazyError: () => undefined,
    on: {
      connected: () => connectedWith(),
      closed: (event) => {
        const { code, reason } = event as { code: number; reason: string };
        closedWith({ code, reason: String(reason) });
      },
    },
  });
  return { client, closed, connected, dispose: () => Promise.resolve(client.dispose()) };
}

/** One subscription's messages as they come, to be awaited one by one; errors end it. */
export class Subscription<T = Record<string, unknown>> {
  private readonly received: Array<{ data?: T; errors?: unknown[] }> = [];
  private waiting: (() => void) | null = null;
  errors: Array<{ message: string; extensions?: Record<string, unknown> }> | null = null;
  completed = false;
  private readonly stop: () => void;

  constructor(ws: WsClient, query: string, variables: Record<string, unknown> = {}) {
    this.stop = ws.client.subscribe<T>({ query, variables }, {
      next: (value) => {
        // A subscription refused by its resolver (not found, not allowed) is one result with errors and no data.
        if (value.errors && !value.data) this.errors = value.errors as Array<{ message: string }>;
        else this.received.push(value as { data?: T });
        this.wake();
      },
      error: (error) => {
        this.errors = Array.isArray(error) ? error : [{ message: String((error as { reason?: string }).reason ?? error) }];
        this.wake();
      },
      complete: () => {
        this.completed = true;
        this.wake();
      },
    });
  }

  /** The next message's data; fails on an error or after `timeoutMs`. */
  async next(timeoutMs = 10_000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (this.received.length === 0) {
      if (this.errors) throw new Error(`subscription failed: ${JSON.stringify(this.errors)}`);
      if (this.completed) throw new Error('subscription completed');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no message within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    const message = this.received.shift()!;
    if (message.errors) throw new Error(`subscription sent errors: ${JSON.stringify(message.errors)}`);
    return message.data as T;
  }

  /** Waits for the subscription to fail and answers its errors. */
  async failure(timeoutMs = 10_000): Promise<Array<{ message: string; extensions?: Record<string, unknown> }>> {
    const deadline = Date.now() + timeoutMs;
    while (!this.errors) {
      if (Date.now() > deadline) throw new Error(`no error within ${timeoutMs} ms`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, 50);
        this.waiting = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    return this.errors;
  }

  pending(): number {
    return this.received.length;
  }

  unsubscribe(): void {
    this.stop();
  }

  private wake(): void {
    const waiting = this.waiting;
    this.waiting = null;
    waiting?.();
  }
}

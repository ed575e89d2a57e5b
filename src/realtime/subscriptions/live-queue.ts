/** Thrown to the consumer of a LiveQueue that fell more than its bound behind. */
export class ConsumerTooSlow extends Error {
  constructor(readonly queued: number) {
    super(`The client fell ${queued} messages behind and was disconnected; reconnect and resume.`);
  }
}

/**
 * A push-fed async iterator for one subscriber: what the producer pushes waits here until the transport takes it.
 * Bounded, so a client that stops reading costs at most `maxQueued` messages of memory before it is cut off.
 */
export class LiveQueue<T> implements AsyncIterableIterator<T> {
  private readonly queued: T[] = [];
  private waiting: { resolve: (result: IteratorResult<T>) => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;
  private closed = false;

  constructor(private readonly maxQueued: number, private readonly onClose: () => void = () => undefined) {}

  get isClosed(): boolean {
    return this.closed;
  }

  push(value: T): void {
    if (this.closed || this.failure) return;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value, done: false });
      return;
    }
    this.queued.push(value);
    if (this.queued.length > this.maxQueued) this.fail(new ConsumerTooSlow(this.queued.length));
  }

  /** Ends the stream with an error at the consumer's next read; what was queued is dropped, since the client resumes anyway. */
  fail(error: Error): void {
    if (this.closed || this.failure) return;
    this.failure = error;
    this.queued.length = 0;
    if (this.waiting) {
      const { reject } = this.waiting;
      this.waiting = null;
      reject(error);
    }
    this.finish();
  }

  next(): Promise<IteratorResult<T>> {
    if (this.queued.length > 0) return Promise.resolve({ value: this.queued.shift()!, done: false });
    if (this.failure) {
      const failure = this.failure;
      this.failure = null;
      this.closed = true;
      return Promise.reject(failure);
    }
    if (this.closed) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve, reject) => (this.waiting = { resolve, reject }));
  }

  return(): Promise<IteratorResult<T>> {
    this.close();
    return Promise.resolve({ value: undefined, done: true });
  }

  throw(error?: unknown): Promise<IteratorResult<T>> {
    this.close();
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.queued.length = 0;
    if (this.waiting) {
      const { resolve } = this.waiting;
      this.waiting = null;
      resolve({ value: undefined, done: true });
    }
    this.finish();
  }

  private finished = false;
  private finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.onClose();
  }
}

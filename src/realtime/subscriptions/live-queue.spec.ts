import { ConsumerTooSlow, LiveQueue } from './live-queue';

describe('LiveQueue', () => {
  it('hands pushed values to a waiting reader, and queues them for a later one, in order', async () => {
    const queue = new LiveQueue<number>(10);
    const waiting = queue.next();
    queue.push(1);
    queue.push(2);
    queue.push(3);
    expect(await waiting).toEqual({ value: 1, done: false });
    expect(await queue.next()).toEqual({ value: 2, done: false });
    expect(await queue.next()).toEqual({ value: 3, done: false });
  });

  it('fails a reader that fell more than its bound behind, dropping what was queued, and tells its owner once', async () => {
    const closed = jest.fn();
    const queue = new LiveQueue<number>(2, closed);
    for (let value = 0; value < 5; value++) queue.push(value);
    await expect(queue.next()).rejects.toBeInstanceOf(ConsumerTooSlow);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(closed).toHaveBeenCalledTimes(1);
  });

  it('ends a waiting reader when the consumer returns, and ignores later pushes', async () => {
    const closed = jest.fn();
    const queue = new LiveQueue<number>(2, closed);
    const waiting = queue.next();
    await queue.return();
    expect(await waiting).toEqual({ value: undefined, done: true });
    queue.push(1);
    expect(await queue.next()).toEqual({ value: undefined, done: true });
    expect(closed).toHaveBeenCalledTimes(1);
  });
});

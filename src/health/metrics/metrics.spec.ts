import { Metrics, oncePerScrape } from './metrics';

describe('oncePerScrape', () => {
  it('gives gauges collected in the same scrape one read, and the next scrape a fresh one', async () => {
    let reads = 0;
    const shared = oncePerScrape(() => Promise.resolve(++reads));
    const metrics = new Metrics({ processMetrics: false });
    metrics.gauge({ name: 'a', help: 'a', read: async () => [{ value: await shared() }] });
    metrics.gauge({ name: 'b', help: 'b', read: async () => [{ value: await shared() }] });
    expect(await metrics.render()).toMatch(/^a 1$[\s\S]*^b 1$/m);
    expect(reads).toBe(1);
    expect(await metrics.render()).toMatch(/^a 2$[\s\S]*^b 2$/m);
    expect(reads).toBe(2);
  });
});

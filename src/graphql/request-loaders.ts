import DataLoader from 'dataloader';

const loadersByRequest = new WeakMap<object, Map<string, DataLoader<string, unknown>>>();

/**
 * A DataLoader that lives exactly as long as one GraphQL request (keyed on its context object), so a page of
 * tickets resolves all requesters in one query instead of one per ticket, and nothing is cached across callers.
 */
export function requestLoader<V>(context: object, name: string, load: (ids: readonly string[]) => Promise<Map<string, V>>): DataLoader<string, V | null> {
  let loaders = loadersByRequest.get(context);
  if (!loaders) {
    loaders = new Map();
    loadersByRequest.set(context, loaders);
  }
  let loader = loaders.get(name) as DataLoader<string, V | null> | undefined;
  if (!loader) {
    loader = new DataLoader<string, V | null>(async (ids) => {
      const found = await load(ids);
      return ids.map((id) => found.get(id) ?? null);
    }, { maxBatchSize: 100 });
    loaders.set(name, loader);
  }
  return loader;
}

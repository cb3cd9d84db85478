/**
 * One promise per key: concurrent callers share the pending work and later callers its result.
 * A failure is forgotten, so a later caller tries again.
 */
export function once<T>(map: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  let p = map.get(key);
  if (!p) {
    p = make();
    map.set(key, p);
    p.catch(() => map.delete(key));
  }
  return p;
}

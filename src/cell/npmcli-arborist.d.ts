/** The part of @npmcli/arborist 9 that src/cell/resolve.ts uses (its bundled types are for 6.x). */
declare module '@npmcli/arborist' {
  interface Shrinkwrap {
    commit(): Record<string, unknown>;
  }
  interface Node {
    meta?: Shrinkwrap;
  }
  export default class Arborist {
    constructor(options: Record<string, unknown>);
    buildIdealTree(options?: Record<string, unknown>): Promise<Node>;
  }
}

/** The part of pacote 21 that src/cell/resolve.ts uses (it ships no types). */
declare module 'pacote' {
  const pacote: { packument(spec: string, options: Record<string, unknown>): Promise<unknown> };
  export default pacote;
}

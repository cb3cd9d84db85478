import type { Io } from '../../io.js';
export default async function plan(_args: string[], _opts: Record<string, unknown>, io: Io): Promise<number> {
  io.err('matrix plan: not implemented yet');
  return 2;
}

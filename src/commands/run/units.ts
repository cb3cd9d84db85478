/** A memory size from matrix.yaml ('2g', '512m', '2048mb'; validated at load) in MB. */
export function parseMemoryMb(text: string): number {
  const m = /^(\d+)(k|m|g|mb|gb)?$/i.exec(text.trim());
  if (!m) throw new Error(`not a memory size: ${text}`);
  const unit = (m[2] ?? 'm').toLowerCase();
  const n = Number(m[1]);
  return unit === 'k' ? n / 1024 : unit.startsWith('g') ? n * 1024 : n;
}

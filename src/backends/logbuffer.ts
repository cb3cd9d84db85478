import { redact } from '../redact.js';

/** Keeps the last `max` characters of a process's output, credentials redacted: enough for a verdict's log tail. */
export class LogBuffer {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly max = 64 * 1024) {}
  push(text: string): void {
    const s = redact(text);
    this.chunks.push(s);
    this.size += s.length;
    while (this.size > this.max && this.chunks.length > 1) this.size -= this.chunks.shift()!.length;
  }
  text(): string {
    return this.chunks.join('');
  }
}

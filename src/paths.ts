import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The project folder (where package.json, service/ and Dockerfile.template live), from src/ or dist/. */
export function projectRoot(): string {
  return path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
}

// Runs before every e2e test file, in its context: its temp folders go when it ends.
import { afterAll } from 'vitest';
import { removeTempDirs } from './temp.js';

afterAll(removeTempDirs);

// Child-process entry for R-HOSTILE cases that once exhausted memory: runs one case (or all at once)
// and prints its problems as JSON on the last line. Started by hostile.test.ts with a small heap.
import { CASES } from './hostile-cases.js';
import { runAllAtOnce, runHostileCase } from './hostile-run.js';

const which = process.argv[2] ?? '';
const problems = which === '--all-at-once' ? runAllAtOnce() : runHostileCase(CASES.find((c) => c.what === which)!);
process.stdout.write('\n' + JSON.stringify(problems) + '\n');

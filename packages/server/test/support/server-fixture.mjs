// The built server in a child process of its own (run with --expose-gc), so a test can measure
// its heap after garbage collection. argv[2]: createServer options as JSON.
// IPC: -> { type: 'listening', port }; <- 'heap' -> { type: 'heap', heapUsed }; <- 'close'.
import { createServer } from '../../dist/index.js';

const server = createServer({ ...JSON.parse(process.argv[2]), log: () => {} });
const { port } = await server.listen();
process.send({ type: 'listening', port });
process.on('message', async (m) => {
  if (m === 'heap') {
    for (let i = 0; i < 4; i++) {
      globalThis.gc();
      await new Promise((r) => setTimeout(r, 25));
    }
    process.send({ type: 'heap', heapUsed: process.memoryUsage().heapUsed });
  } else if (m === 'close') {
    await server.close();
    process.exit(0);
  }
});

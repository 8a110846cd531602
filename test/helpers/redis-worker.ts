/**
 * No fixture has a worker that builds offline (the Celery and Next.js ones need PyPI or Node 22), so
 * the orchestrator e2e tests add one to their copy of node-express-pg-redis: a dependency-free Node
 * process in worker/ that counts in Redis every second over a raw RESP connection. It has no port,
 * so detect calls it a worker; it exits non-zero on any Redis error, so a wrong REDIS_URL or password
 * shows up as a crash (and a restart).
 */
import fs from 'node:fs';
import path from 'node:path';

export const REDIS_WORKER_JS = `'use strict';
const net = require('node:net');
const url = new URL(process.env.REDIS_URL);
const sock = net.connect(Number(url.port || 6379), url.hostname);
const cmd = (...a) => sock.write(\`*\${a.length}\\r\\n\${a.map((x) => \`$\${Buffer.byteLength(x)}\\r\\n\${x}\\r\\n\`).join('')}\`);
sock.on('connect', () => {
  cmd('AUTH', decodeURIComponent(url.password));
  setInterval(() => cmd('INCR', 'worker:ticks'), 1000);
});
sock.on('data', (d) => { if (d.toString().startsWith('-')) { console.error(d.toString().trim()); process.exit(1); } });
sock.on('error', (e) => { console.error(e.message); process.exit(1); });
process.on('SIGTERM', () => process.exit(0));
`;

/** Writes the worker package (package.json, lockfile, worker.js) into `<dir>/worker`. */
export function addRedisWorker(dir: string): void {
  const w = path.join(dir, 'worker');
  fs.mkdirSync(w);
  fs.writeFileSync(path.join(w, 'package.json'), `${JSON.stringify({ name: 'worker', version: '1.0.0', private: true, scripts: { start: 'node worker.js' } }, null, 2)}\n`);
  fs.writeFileSync(path.join(w, 'package-lock.json'), `${JSON.stringify({ name: 'worker', version: '1.0.0', lockfileVersion: 3, requires: true, packages: { '': { name: 'worker', version: '1.0.0' } } }, null, 2)}\n`);
  fs.writeFileSync(path.join(w, 'worker.js'), REDIS_WORKER_JS);
}

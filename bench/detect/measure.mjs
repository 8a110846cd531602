// One measurement in a fresh process, so peak RSS belongs to that mode alone.
// usage: node measure.mjs <walk|detect> <dir>
import fg from 'fast-glob';
import { detect } from '../../dist/index.js';
import { ALWAYS_IGNORED_DIRS } from '../../dist/source/source-view.js';

const [mode, dir] = process.argv.slice(2);
const t0 = process.hrtime.bigint();
let count;
if (mode === 'walk') {
  const files = await fg('**/*', { cwd: dir, dot: true, onlyFiles: true, followSymbolicLinks: false, ignore: ALWAYS_IGNORED_DIRS.map((d) => `**/${d}/**`), suppressErrors: true });
  count = files.length;
} else {
  const t = await detect(dir);
  count = t.services.length;
}
const ms = Number(process.hrtime.bigint() - t0) / 1e6;
process.stdout.write(JSON.stringify({ mode, ms, maxRssMB: process.resourceUsage().maxRSS / 1024, count }) + '\n');

// Detection accuracy on programs of every role (web, worker, job) and port resolution, against the
// hand-labelled cases in labels.json. Usage: npm run build && REPOS_DIR=/tmp/public node bench/roles/run.mjs
// A case whose repository is not extracted under REPOS_DIR is listed as skipped, not counted.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { detect } from '../../dist/index.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const { cases } = JSON.parse(fs.readFileSync(path.join(here, 'labels.json'), 'utf8'));
const reposDir = process.env.REPOS_DIR ?? '/tmp/public';

const rows = [];
let roleOk = 0;
let portOk = 0;
let counted = 0;
let listening = 0;
let listeningPortOk = 0;
for (const c of cases) {
  const [kind, rest] = c.source.split(/:(.*)/s);
  const dir = kind === 'fixture' ? path.join(here, '../../fixtures', rest) : path.join(reposDir, rest);
  if (!fs.existsSync(dir)) {
    rows.push([c.source, c.role, String(c.port), 'skipped (not extracted)', '', '']);
    continue;
  }
  const t = await detect(dir);
  // The service detected for the folder itself (a fixture or a repository's subfolder is one program).
  const s = t.services.find((x) => x.path === '.') ?? t.services[0];
  const role = s ? (s.role ?? 'web') : 'nothing';
  const port = s ? s.port : null;
  counted++;
  const rOk = role === c.role;
  const pOk = port === c.port;
  if (rOk) roleOk++;
  if (rOk && pOk) portOk++;
  if (c.port !== null) {
    listening++;
    if (pOk) listeningPortOk++;
  }
  rows.push([c.source, c.role, String(c.port), role, String(port), `${rOk ? 'role ok' : 'ROLE MISS'}${pOk ? '' : ', PORT MISS'}`]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
for (const r of [['case', 'want role', 'want port', 'got role', 'got port', 'verdict'], ...rows]) console.log(r.map((x, i) => x.padEnd(widths[i] ?? 10)).join('  '));
console.log(`\nrole correct: ${roleOk}/${counted}; role and port correct: ${portOk}/${counted}; port of listening programs: ${listeningPortOk}/${listening}`);

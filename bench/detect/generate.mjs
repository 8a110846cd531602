// Generates a synthetic monorepo with about `total` files: nested npm workspaces with sources,
// plus the bulk real repositories carry and detect must skip (node_modules, .git objects, build output).
import fs from 'node:fs';
import path from 'node:path';

export function generateRepo(dir, total) {
  fs.rmSync(dir, { recursive: true, force: true });
  fs.mkdirSync(dir, { recursive: true });
  const write = (rel, text) => {
    const f = path.join(dir, rel);
    fs.mkdirSync(path.dirname(f), { recursive: true });
    fs.writeFileSync(f, text);
  };
  // 40% of the files sit where detection never looks, as in a real checkout after `npm install`.
  const ignored = Math.floor(total * 0.4);
  const apps = Math.max(2, Math.floor(total / 2000));
  write('package.json', JSON.stringify({ name: 'bench-mono', private: true, workspaces: ['apps/*', 'packages/*'] }, null, 2));
  write('package-lock.json', '{"name":"bench-mono","lockfileVersion":3,"packages":{}}');
  write('.gitignore', 'node_modules\ndist\n*.log\n');
  write('.nvmrc', '20\n');
  let n = 4;
  for (let a = 0; a < apps; a++) {
    const kind = a % 2 === 0 ? 'apps' : 'packages';
    const name = `${kind === 'apps' ? 'svc' : 'lib'}-${a}`;
    const pkg = kind === 'apps'
      ? { name: `@bench/${name}`, scripts: { start: 'node src/index.js' }, dependencies: { express: '^4.19.0', pg: '^8.11.0' } }
      : { name: `@bench/${name}`, main: 'src/index.js' };
    write(`${kind}/${name}/package.json`, JSON.stringify(pkg, null, 2));
    write(`${kind}/${name}/src/index.js`, kind === 'apps' ? "const express = require('express');\nconst app = express();\napp.get('/health', (_q, r) => r.send('ok'));\napp.listen(process.env.PORT || 3000);\n" : 'module.exports = {};\n');
    n += 2;
  }
  let i = 0;
  while (n < total - ignored) {
    const app = i % apps;
    const kind = app % 2 === 0 ? 'apps' : 'packages';
    const name = `${kind === 'apps' ? 'svc' : 'lib'}-${app}`;
    write(`${kind}/${name}/src/mod${Math.floor(i / 50)}/file${i}.js`, `export const v${i} = ${i};\n`);
    i++;
    n++;
  }
  for (let j = 0; j < ignored; j++) {
    const where = j % 3 === 0 ? `.git/objects/${(j % 256).toString(16).padStart(2, '0')}/obj${j}` : j % 3 === 1 ? `node_modules/pkg${j % 500}/lib/f${j}.js` : `apps/svc-0/node_modules/dep${j % 200}/index${j}.js`;
    write(where, 'x');
  }
}

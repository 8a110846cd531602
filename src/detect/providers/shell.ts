/**
 * A shell script that starts a server (`start.sh`, `run.sh`, `serve.sh`, `entrypoint.sh`) in a
 * folder no ecosystem and no Dockerfile claims: `python3 -m http.server 8080`, `socat
 * TCP-LISTEN:8080`, `busybox httpd -p 8080`, `nc -lk 8080`, `php -S 0.0.0.0:8080`, or an `exec`
 * of a program given a port. The script's interpreter comes from its shebang.
 */
import path from 'node:path';
import type { SourceView } from '../../source/source-view.js';
import { candidate, type Candidate, type Fact, type Provider } from '../provider.js';
import { anyEcosystemManifest, clip, ecosystemManifestAbove, namesIn } from './others-util.js';

const SCRIPTS = ['start.sh', 'run.sh', 'serve.sh', 'server.sh', 'entrypoint.sh', 'docker-entrypoint.sh'];

/** Commands that listen, each with where its port is written. */
const SERVERS: ReadonlyArray<{ name: string; re: RegExp; port?: RegExp }> = [
  { name: 'python http.server', re: /\bpython[0-9.]*\s+-m\s+(http\.server|SimpleHTTPServer)\b/, port: /\b(?:http\.server|SimpleHTTPServer)\s+(?:--bind\s+\S+\s+)?(?:-b\s+\S+\s+)?["']?\$?\{?(?:[A-Z_]+:-)?(\d{2,5})/ },
  { name: 'socat', re: /\bsocat\b.*TCP[46]?-LISTEN/i, port: /TCP[46]?-LISTEN:\$?\{?(?:[A-Z_]+:-)?(\d{2,5})/i },
  { name: 'busybox httpd', re: /\b(busybox\s+)?httpd\b.*-p\b/, port: /-p\s+(?:[\d.]+:)?["']?\$?\{?(?:[A-Z_]+:-)?(\d{2,5})/ },
  { name: 'netcat', re: /\b(nc|ncat|netcat)\b[^|;]*\s-\w*l/, port: /\s-\w*l\w*\s+(?:-p\s+)?(\d{2,5})|-p\s+(\d{2,5})/ },
  { name: 'php built-in server', re: /\bphp\s+-S\b/, port: /-S\s+[^:\s]+:(\d{2,5})/ },
  { name: 'ruby httpd', re: /\bruby\s+-run\s+-e\s*httpd/, port: /-p\s*(\d{2,5})/ },
  { name: 'caddy', re: /\bcaddy\s+(file-server|run|reverse-proxy)\b/, port: /--listen\s+\S*:(\d{2,5})/ },
  { name: 'nginx', re: /\bnginx\s+-g\b|\bexec\s+nginx\b/ },
  { name: 'http-server', re: /\b(npx\s+)?(http-server|serve|live-server)\b\s/, port: /(?:-p|--port|-l|--listen)\s+(\d{2,5})/ },
  { name: 'exec', re: /^\s*exec\s+\S/, port: /(?:--port[= ]|-p\s+|:)(\d{2,5})\b/ },
];

/** Names a root script that is the program goes by, best first. */
const PROGRAM_NAMES = /^(main|run|job|task|worker|backup|sync|cron|report|script)\.(?:sh|bash)$/;

/** Scripts that set up, build or ship a project rather than being its program. */
const TOOLING = /^(install|setup|build|deploy|bootstrap|configure|test|tests|lint|format|release|publish|clean|gradlew|mvnw|autogen|uninstall|update|upgrade)(\.(?:sh|bash))?$/i;

/** What keeps a script running without a listener. */
const KEEPS_RUNNING = /^\s*while\s+(?:true|:|\[\s*1\s*\]|\(\(\s*1\s*\)\))|\bsleep\s+infinity\b|\btail\s+-f\b|^\s*exec\s+crond?\b|\binotifywait\s+-m\b/;

export const shellProvider: Provider = {
  name: 'shell',
  detect(source: SourceView): Candidate[] {
    const byDir = new Map<string, Candidate>();
    for (const f of source.manifests(SCRIPTS)) {
      const dir = path.posix.dirname(f);
      if (byDir.has(dir) || ecosystemManifestAbove(source, dir)) continue;
      if (hasDockerfile(source, dir)) continue;
      const c = describe(source, dir, f);
      if (c) byDir.set(dir, c);
    }
    // No server script: an executable script with a shebang at the root is the program (a job, or
    // a worker when it loops), when nothing else claims the root.
    if (byDir.size === 0 && anyEcosystemManifest(source).length === 0 && !hasDockerfile(source, '.')) {
      const scripts = namesIn(source, '.')
        .filter((n) => !n.startsWith('.') && (/\.(?:sh|bash)$/.test(n) || !n.includes('.')) && !TOOLING.test(n))
        .filter((n) => source.isExecutable(n) && SHEBANG.test((source.readText(n) ?? '').split('\n')[0] ?? ''))
        .sort((a, b) => Number(PROGRAM_NAMES.test(b)) - Number(PROGRAM_NAMES.test(a)) || a.localeCompare(b));
      const pick = scripts.length === 1 ? scripts[0] : scripts.find((n) => PROGRAM_NAMES.test(n) || SCRIPTS.includes(n));
      const c = pick ? describe(source, '.', pick, true) : undefined;
      if (c) byDir.set('.', c);
    }
    return [...byDir.values()];
  },
};

const SHEBANG = /^#!\s*(?:\/usr\/bin\/env\s+)?(?:\S*\/)?(bash|sh|dash|zsh|ash|ksh)\b/;

function hasDockerfile(source: SourceView, dir: string): boolean {
  return namesIn(source, dir).some((x) => /^(Dockerfile|Containerfile|[^/]+\.Dockerfile|Dockerfile\.[^/]+)$/.test(x));
}

function describe(source: SourceView, dir: string, file: string, anyProgram = false): Candidate | undefined {
  const text = source.readText(file);
  if (text === undefined) return undefined;
  const lines = text.split(/\r?\n/);
  const shebang = SHEBANG.exec(lines[0] ?? '')?.[1];
  if (!shebang) return undefined;
  for (let i = 1; i < lines.length; i++) {
    const l = lines[i] ?? '';
    if (/^\s*#/.test(l)) continue;
    const server = SERVERS.find((s) => s.re.test(l));
    if (!server) continue;
    const facts: Fact[] = [
      { file, line: 1, signal: `${path.posix.basename(file)} (${shebang})`, kind: 'entrypoint' },
      { file, line: i + 1, signal: `starts ${server.name}: \`${clip(l.trim())}\``, kind: 'start' },
    ];
    const m = server.port?.exec(l);
    let port = Number(m?.slice(1).find((g) => g !== undefined));
    let portLine = i + 1;
    if (!port) {
      // `PORT=${PORT:-8080}` earlier in the script, used as $PORT on the server line.
      for (let j = 0; j < lines.length; j++) {
        const p = /^\s*(?:export\s+)?PORT=["']?\$?\{?(?:PORT:-)?(\d{2,5})/.exec(lines[j] ?? '');
        if (p?.[1]) {
          port = Number(p[1]);
          portLine = j + 1;
          break;
        }
      }
    }
    if (!port && server.name === 'python http.server') port = 8000;
    if (!port && server.name === 'nginx') port = 80;
    const rel = path.posix.relative(dir === '.' ? '' : dir, file);
    const c = candidate({ path: dir, language: 'shell', facts, commands: { install: null, build: null, start: `${shebang} ${rel}` } });
    if (port > 0 && port < 65536) {
      c.port = port;
      facts.push({ file, line: portLine, signal: `port ${port}`, kind: 'port' });
    } else if (server.name === 'exec') {
      // An exec of something that names no port may as well be a worker.
      c.role = 'worker';
    }
    return c;
  }
  if (!anyProgram) return undefined;
  // Nothing listens: a worker when it loops, else a job that runs to completion.
  const rel = path.posix.relative(dir === '.' ? '' : dir, file);
  const loop = lines.findIndex((l) => !/^\s*#/.test(l) && KEEPS_RUNNING.test(l));
  const facts: Fact[] = [{ file, line: 1, signal: `executable ${path.posix.basename(file)} (${shebang})`, kind: 'entrypoint' }];
  if (loop >= 0) facts.push({ file, line: loop + 1, signal: `\`${clip((lines[loop] ?? '').trim())}\` keeps it running: a worker`, kind: 'usage' });
  else facts.push({ file, signal: 'no listener and no loop: a job that runs to completion', kind: 'heuristic' });
  return candidate({ path: dir, language: 'shell', role: loop >= 0 ? 'worker' : 'job', facts, commands: { install: null, build: null, start: `${shebang} ${rel}` } });
}

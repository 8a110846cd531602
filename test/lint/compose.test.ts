import { describe, expect, it } from 'vitest';
import { lintMemory, rulesOf } from './helpers.js';

const healthy = `    healthcheck:\n      test: ["CMD", "pg_isready"]\n`;

interface Case {
  rule: string;
  hit: string;
  miss: string;
  /** Extra files beside compose.yaml in the miss case. */
  missFiles?: Record<string, string>;
  line?: number;
}

const CASES: Case[] = [
  { rule: 'SG2000', hit: 'services:\n  a:\n    image: x\n   bad: [\n', miss: 'services:\n  a:\n    image: x:1\n' },
  { rule: 'SG2001', hit: 'services:\n  a:\n    image: x:1\n    restart_policy: always\n', miss: 'services:\n  a:\n    image: x:1\n    restart: always\n', line: 4 },
  { rule: 'SG2002', hit: 'services:\n  a:\n    image: x:1\n    depends_on: [db]\n', miss: 'services:\n  a:\n    image: x:1\n    depends_on: [db]\n  db:\n    image: postgres:16\n', line: 4 },
  {
    rule: 'SG2003',
    hit: 'services:\n  a:\n    image: x:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n',
    miss: `services:\n  a:\n    image: x:1\n    depends_on:\n      db:\n        condition: service_healthy\n  db:\n    image: postgres:16\n${healthy}`,
    line: 6,
  },
  { rule: 'SG2004', hit: 'services:\n  a:\n    image: x:1\n    ports: ["8080:80"]\n  b:\n    image: y:1\n    ports: ["127.0.0.1:8080:81"]\n', miss: 'services:\n  a:\n    image: x:1\n    ports: ["127.0.0.1:8080:80"]\n  b:\n    image: y:1\n    ports: ["127.0.0.2:8080:81", "8080/udp"]\n', line: 7 },
  { rule: 'SG2005', hit: 'services:\n  a:\n    image: x:1\n    environment:\n      TOKEN: ${API_TOKEN}\n', miss: 'services:\n  a:\n    image: x:1\n    environment:\n      TOKEN: ${API_TOKEN}\n      B: ${B:-x}\n      C: ${C:?set C}\n      D: $$HOME\n', missFiles: { '.env': 'API_TOKEN=abc\n' }, line: 5 },
  { rule: 'SG2006', hit: 'services:\n  a:\n    image: x:1\n    volumes: ["data:/var/lib/x"]\n', miss: 'services:\n  a:\n    image: x:1\n    volumes: ["data:/var/lib/x", "./src:/src"]\nvolumes:\n  data: {}\n', line: 4 },
  { rule: 'SG2007', hit: 'services:\n  a:\n    image: x:1\n    privileged: true\n', miss: 'services:\n  a:\n    image: x:1\n    privileged: false\n', line: 4 },
  { rule: 'SG2008', hit: 'services:\n  a:\n    image: x:1\n    network_mode: host\n', miss: 'services:\n  a:\n    image: x:1\n    network_mode: bridge\n', line: 4 },
  { rule: 'SG2009', hit: 'services:\n  a:\n    image: x:1\n    pid: host\n', miss: 'services:\n  a:\n    image: x:1\n', line: 4 },
  { rule: 'SG2010', hit: 'services:\n  a:\n    image: x:1\n    volumes: ["/var/run/docker.sock:/var/run/docker.sock"]\n', miss: 'services:\n  a:\n    image: x:1\n    volumes: ["/var/run/app:/run/app"]\n', line: 4 },
  {
    rule: 'SG2012',
    hit: 'services:\n  a:\n    image: x:1\n    volumes:\n      - ./data:/data\n      - /etc:/host-etc:ro\n',
    miss: 'services:\n  a:\n    image: x:1\n    volumes: ["./data:/data", "/srv/app/uploads:/uploads", "/etcetera:/x", "data:/etc"]\nvolumes:\n  data: {}\n',
    line: 6,
  },
  { rule: 'SG2013', hit: 'services:\n  a:\n    image: x:1\n    cap_drop: [ALL]\n    cap_add: [CHOWN, SYS_ADMIN]\n', miss: 'services:\n  a:\n    image: x:1\n    cap_drop: [ALL]\n    cap_add: [CHOWN, NET_BIND_SERVICE]\n', line: 5 },
  { rule: 'SG2014', hit: 'services:\n  a:\n    image: x:1\n    ipc: host\n', miss: 'services:\n  a:\n    image: x:1\n    ipc: shareable\n', line: 4 },
  { rule: 'SG2011', hit: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: changeme\n', miss: 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:?set it}\n', line: 5 },
];

describe('compose rules: a hit and a miss each', () => {
  it.each(CASES)('$rule', async (c) => {
    const hit = await lintMemory({ 'compose.yaml': c.hit });
    const found = hit.filter((f) => f.rule === c.rule);
    expect(found.length, JSON.stringify(hit)).toBeGreaterThan(0);
    if (c.line) expect(found[0]!.line).toBe(c.line);
    expect(found[0]!.file).toBe('compose.yaml');
    const miss = await lintMemory({ 'compose.yaml': c.miss, ...c.missFiles });
    expect(rulesOf(miss)).not.toContain(c.rule);
  });
});

describe('host escapes are errors', () => {
  it.each([
    ['privileged: true', 'SG2007'],
    ['network_mode: host', 'SG2008'],
    ['pid: host', 'SG2009'],
    ['volumes: ["/var/run/docker.sock:/var/run/docker.sock:ro"]', 'SG2010'],
    ['volumes: ["/run/containerd/containerd.sock:/c.sock"]', 'SG2010'],
    ['volumes: ["/:/host"]', 'SG2012'],
    ['volumes: ["/proc:/host/proc:ro"]', 'SG2012'],
    ['volumes: [{type: bind, source: /var/lib/docker/, target: /d}]', 'SG2012'],
    ['cap_add: [ALL]', 'SG2013'],
    ['cap_add: [cap_sys_module]', 'SG2013'],
    ['uts: host', 'SG2014'],
    ['userns_mode: host', 'SG2014'],
  ])('%s → %s', async (line, rule) => {
    const found = await lintMemory({ 'compose.yaml': `services:\n  a:\n    image: x:1\n    ${line}\n` });
    expect(found.filter((f) => f.rule === rule).map((f) => [f.severity, f.line])).toEqual([['error', 4]]);
  });

  it('a reasoned pragma silences one', async () => {
    const found = await lintMemory({ 'compose.yaml': 'services:\n  a:\n    image: x:1\n    # stackgen-lint ignore=SG2012 node-exporter reads the host metrics\n    volumes: ["/proc:/host/proc:ro"]\n' });
    expect(found).toEqual([]);
  });
});

describe('compose semantics', () => {
  it('reports schema errors at the offending key with the Compose Specification named', async () => {
    const [f] = await lintMemory({ 'compose.yaml': 'services:\n  a:\n    image: x:1\n    ports: 8080\n' });
    expect(f).toMatchObject({ rule: 'SG2001', line: 4, severity: 'error', tool: 'ajv' });
    expect(f!.message).toContain('Compose Specification');
  });

  it('an override file resolves services, networks and healthchecks from its base compose file', async () => {
    const base = `services:\n  db:\n    image: postgres:16\n${healthy}    networks: [backend]\nnetworks:\n  backend: {}\n`;
    const override = 'services:\n  tests:\n    image: t:1\n    networks: [backend]\n    depends_on:\n      db:\n        condition: service_healthy\n';
    expect(await lintMemory({ 'compose.yaml': base, 'compose.test.yaml': override })).toEqual([]);
    const alone = await lintMemory({ 'compose.test.yaml': override });
    expect(rulesOf(alone).sort()).toEqual(['SG2002', 'SG2006']);
  });

  it('a built service counts as healthy when its Dockerfile in the set has a HEALTHCHECK', async () => {
    const compose = 'services:\n  api:\n    build: .\n  w:\n    image: w:1\n    depends_on:\n      api:\n        condition: service_healthy\n';
    const noHc = await lintMemory({ 'compose.yaml': compose, Dockerfile: 'FROM alpine:3.20\nUSER nobody\nCMD ["true"]\n' });
    expect(rulesOf(noHc)).toContain('SG2003');
    const hc = await lintMemory({ 'compose.yaml': compose, Dockerfile: 'FROM alpine:3.20\nUSER nobody\nHEALTHCHECK CMD true\nCMD ["true"]\n' });
    expect(rulesOf(hc)).not.toContain('SG2003');
  });

  it('uses .env.example when no .env sits beside the compose file (a rendered tree)', async () => {
    const compose = 'services:\n  a:\n    image: x:1\n    environment:\n      K: ${K}\n';
    expect(rulesOf(await lintMemory({ 'compose.yaml': compose, '.env.example': 'K=\n' }))).not.toContain('SG2005');
    expect(rulesOf(await lintMemory({ 'compose.yaml': compose, 'other/.env': 'K=1\n' }))).toContain('SG2005');
  });

  it('flags a password equal to its user, and a default behind ${VAR:-…}', async () => {
    const same = await lintMemory({ 'compose.yaml': 'services:\n  db:\n    image: mysql:8\n    environment:\n      - MYSQL_USER=shop\n      - MYSQL_PASSWORD=shop\n' });
    expect(same.find((f) => f.rule === 'SG2011')?.line).toBe(6);
    const fallback = await lintMemory({ 'compose.yaml': 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-postgres}\n' });
    expect(rulesOf(fallback)).toContain('SG2011');
  });

  it('undeclared networks, secrets (also build secrets) and configs', async () => {
    const f = await lintMemory({
      'compose.yaml': 'services:\n  a:\n    build:\n      context: .\n      secrets: [ca]\n    networks: [front]\n    secrets: [db_pw]\n    configs: [app_cfg]\n',
    });
    expect(f.filter((x) => x.rule === 'SG2006').map((x) => x.line)).toEqual([5, 6, 7, 8]);
  });
});

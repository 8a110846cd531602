/**
 * The offline stand-ins behave like the upstream images the rendered stacks name: the image map
 * covers what stackgen renders, every tag it names exists, and each image does what compose files
 * and Dockerfiles rely on. Containers are reached only through ports published on 127.0.0.1.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import Docker from 'dockerode';
import { afterAll, describe, expect, it } from 'vitest';
import { IMAGES } from '../../src/images/catalog.js';
import { loadImageMap, mapImage } from '../../src/images/image-map.js';
import { demuxDockerStream as demux } from '../../src/verify/docker-stream.js';
import { describeDocker, OFFLINE_IMAGE_MAP } from '../helpers/docker.js';
import { REPO_ROOT } from '../helpers/fixtures.js';

const engine = new Docker();
const map = loadImageMap(OFFLINE_IMAGE_MAP);
const standIn = (ref: string): string => mapImage(ref, map);
const LABEL = { 'org.stackgen.test': 'infra-stand-ins' };
const started: Docker.Container[] = [];

afterAll(async () => {
  // Anonymous volumes too (postgres and redis declare VOLUME).
  await Promise.all(started.map((c) => c.remove({ force: true, v: true }).catch(() => undefined)));
});


interface RunOptions {
  user?: string;
  entrypoint?: string[];
  env?: string[];
  /** Host networking, for a client that reaches a published port on 127.0.0.1. */
  hostNetwork?: boolean;
}

/** Runs a throwaway container to completion: exit code and output. */
async function run(image: string, cmd: string[], opts: RunOptions = {}): Promise<{ code: number; out: string }> {
  const c = await engine.createContainer({
    Image: image,
    Cmd: cmd,
    User: opts.user,
    Entrypoint: opts.entrypoint,
    Env: opts.env,
    Labels: LABEL,
    HostConfig: opts.hostNetwork ? { NetworkMode: 'host' } : {},
  });
  started.push(c);
  try {
    await c.start();
    const { StatusCode } = (await c.wait()) as { StatusCode: number };
    return { code: StatusCode, out: demux((await c.logs({ stdout: true, stderr: true })) as Buffer) };
  } finally {
    await c.remove({ force: true, v: true });
  }
}

/** Starts a long-running container with `port` published on 127.0.0.1 at a free host port. */
async function serve(image: string, port: number, opts: { cmd?: string[]; env?: string[] } = {}): Promise<{ c: Docker.Container; hostPort: number }> {
  const c = await engine.createContainer({
    Image: image,
    Cmd: opts.cmd,
    Env: opts.env,
    Labels: LABEL,
    ExposedPorts: { [`${port}/tcp`]: {} },
    HostConfig: { PortBindings: { [`${port}/tcp`]: [{ HostIp: '127.0.0.1', HostPort: '' }] } },
  });
  started.push(c);
  await c.start();
  const info = await c.inspect();
  const hostPort = Number(info.NetworkSettings.Ports[`${port}/tcp`]?.[0]?.HostPort);
  expect(hostPort).toBeGreaterThan(0);
  return { c, hostPort };
}

async function exec(c: Docker.Container, cmd: string[], env: string[] = []): Promise<{ code: number; out: string }> {
  const e = await c.exec({ Cmd: cmd, Env: env, AttachStdout: true, AttachStderr: true });
  const stream = await e.start({});
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    stream.on('data', (d: Buffer) => chunks.push(d));
    stream.on('end', () => resolve());
    stream.on('error', reject);
  });
  const { ExitCode } = await e.inspect();
  return { code: ExitCode ?? -1, out: demux(Buffer.concat(chunks)) };
}

/** Retries `probe` every 250 ms until it returns true or `ms` pass; says what it waited for. */
async function until(what: string, ms: number, probe: () => Promise<boolean>, c?: Docker.Container): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await new Promise((r) => setTimeout(r, 250));
  }
  const logs = c ? demux((await c.logs({ stdout: true, stderr: true, tail: 20 })) as Buffer) : '';
  throw new Error(`${what}: not within ${ms / 1000}s\n${logs}`);
}

/** One RESP exchange with a Redis server on 127.0.0.1. */
function redisSay(port: number, commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let out = '';
    const timer = setTimeout(() => sock.end(), 1500);
    sock.on('connect', () => sock.write(commands.map((c) => `${c}\r\n`).join('')));
    sock.on('data', (d) => {
      out += d.toString();
      if (out.split('\r\n').length > commands.length) sock.end();
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(out);
    });
    sock.on('error', reject);
  });
}

/** The processes of a running container as [uid, command]. */
async function processes(c: Docker.Container): Promise<Array<[string, string]>> {
  // The engine needs the pid column to map host processes to the container.
  const top = (await c.top({ ps_args: '-o pid,uid,args' })) as { Processes: string[][] };
  return top.Processes.map((p) => [p[1] ?? '', p.slice(2).join(' ')]);
}

/** Reads one file from a container's filesystem (works on images without a shell). */
async function readFile(c: Docker.Container, file: string): Promise<string> {
  const stream = (await c.getArchive({ path: file })) as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  const tar = Buffer.concat(chunks);
  const size = parseInt(tar.subarray(124, 136).toString('ascii').replace(/\0.*$/, '').trim(), 8);
  return tar.subarray(512, 512 + size).toString('utf8');
}

/** Every Node major the catalog pins (apps ask for them through engines / .nvmrc). */
const NODE_MAJORS = ['18', '20', '22', '24'];

describe('offline image map', () => {
  it('maps each Node major the catalog renders to a stand-in of that major', () => {
    for (const v of NODE_MAJORS) expect(standIn(IMAGES.node(v).ref), v).toBe(`stackgen.local/node:${v}`);
    expect(standIn(IMAGES.node().ref)).toBe(`stackgen.local/node:${IMAGES.node().version!.split('.')[0]}`);
  });

  it('maps every upstream image verify needs offline to a stand-in offline-images.sh builds', () => {
    const script = fs.readFileSync(path.join(REPO_ROOT, 'scripts/offline-images.sh'), 'utf8');
    const built = new Set([...script.matchAll(/^\s+"[\w-]+\s+([\w.-]+:[\w.-]+)\s/gm)].map((m) => `stackgen.local/${m[1]}`));
    built.add('stackgen.local/debian:bookworm');
    const registryNodes = fs.readFileSync(path.join(REPO_ROOT, 'scripts/stand-ins/node/registry-versions'), 'utf8');
    for (const m of registryNodes.matchAll(/^node-\d+\s+(node:\d+)\s/gm)) built.add(`stackgen.local/${m[1]}`);
    const refs = [...NODE_MAJORS.map((v) => IMAGES.node(v).ref), IMAGES.python().ref, IMAGES.golang().ref, IMAGES.distrolessStatic.ref, IMAGES.distrolessCc.ref, IMAGES.rust.ref, IMAGES.debian.ref, IMAGES.staticServer.ref, IMAGES.postgres.ref, IMAGES.redis.ref, IMAGES.prometheus.ref, IMAGES.bun.ref, IMAGES.deno.ref, IMAGES.maven.ref, IMAGES.jre.ref];
    for (const ref of refs) {
      expect(built, `${ref} → ${standIn(ref)}`).toContain(standIn(ref));
    }
    expect(new Set(Object.values(map.overrides ?? {}))).toEqual(built);
  });
});

describeDocker('offline stand-in images', () => {
  it('exist in the engine for every tag the image map names, labelled as local stand-ins', async () => {
    const missing: string[] = [];
    for (const tag of new Set(Object.values(map.overrides ?? {}))) {
      const info = await engine.getImage(tag).inspect().catch(() => undefined);
      if (!info) {
        missing.push(tag);
        continue;
      }
      expect(info.Config.Labels?.['org.opencontainers.image.description'], tag).toMatch(/stand-in.*Debian/i);
    }
    expect(missing, 'missing stand-ins: run scripts/offline-images.sh').toEqual([]);
  });

  it('node: node 20, npm, npx, yarn and corepack, and a node user with uid 1000', async () => {
    const r = await run(standIn(IMAGES.node('20').ref), ['sh', '-c', 'node -v && npm -v && npx -v && yarn -v && corepack --version && id -u node']);
    expect(r.code, r.out).toBe(0);
    const lines = r.out.trim().split('\n');
    expect(lines[0]).toMatch(/^v20\./);
    expect(lines.at(-1)).toBe('1000');
  });

  it('node 18, 22, 24: the registry release the catalog pins, with npm, corepack and yarn, and uid 1000', async () => {
    for (const v of NODE_MAJORS.filter((m) => m !== '20')) {
      const r = await run(standIn(IMAGES.node(v).ref), ['sh', '-c', 'node -v && npm -v && corepack --version && yarn -v && id -u node']);
      expect(r.code, r.out).toBe(0);
      const lines = r.out.trim().split('\n');
      expect(lines[0]).toBe(`v${IMAGES.node(v).version}`);
      expect(lines.at(-1)).toBe('1000');
    }
  });

  it('bun: bun and bunx on PATH run TypeScript, and a bun user with uid 1000', async () => {
    const r = await run(standIn(IMAGES.bun.ref), ['sh', '-c', `bun --version && bunx --version && echo 'const n: number = 6 * 7; console.log(n)' > /tmp/a.ts && bun /tmp/a.ts && id -u bun`]);
    expect(r.code, r.out).toBe(0);
    expect(r.out.trim().split('\n')).toEqual([IMAGES.bun.version, IMAGES.bun.version, '42', '1000']);
  });

  it('deno: deno at /usr/bin with DENO_DIR=/deno-dir owned by the deno user (uid 1993)', async () => {
    const r = await run(standIn(IMAGES.deno.ref), ['sh', '-c', `command -v deno && deno --version | head -n1 && echo "$DENO_DIR" && stat -c %u /deno-dir && echo 'console.log(Deno.version.deno)' > /tmp/a.ts && deno run /tmp/a.ts`]);
    expect(r.code, r.out).toBe(0);
    expect(r.out.trim().split('\n')).toEqual(['/usr/bin/deno', expect.stringMatching(new RegExp(`^deno ${IMAGES.deno.version.replace(/\./g, '\\.')} `)), '/deno-dir', '1993', IMAGES.deno.version]);
  });

  it('python: `python -m venv /opt/venv` gives a venv whose pip works', async () => {
    const r = await run(standIn(IMAGES.python().ref), ['sh', '-c', 'python -m venv /opt/venv && /opt/venv/bin/pip --version && /opt/venv/bin/python -c "import sys; print(sys.prefix)" && pip --version']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/pip [\d.]+ from \/opt\/venv\/.* \(python 3\.11\)/);
    expect(r.out).toContain('/opt/venv\n');
  });

  it('golang: go 1.23 at /usr/local/go/bin with GOPATH=/go builds and runs a program', async () => {
    const prog = 'package main\nimport "fmt"\nfunc main() { fmt.Println("hello from go") }\n';
    const r = await run(standIn(IMAGES.golang().ref), ['sh', '-c', `/usr/local/go/bin/go version && go env GOPATH && mkdir -p /tmp/p && printf '%s' '${prog}' > /tmp/p/main.go && cd /tmp/p && CGO_ENABLED=0 go run main.go`], { env: ['GOFLAGS=-mod=mod'] });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/go version go1\.23/);
    expect(r.out).toContain('/go\n');
    expect(r.out).toContain('hello from go');
  }, 120_000);

  it('rust: cargo and rustc with CARGO_HOME=/usr/local/cargo build and run a std-only crate offline', async () => {
    const r = await run(standIn(IMAGES.rust.ref), ['sh', '-c', 'echo $CARGO_HOME && cd /tmp && cargo new --bin --quiet hello && cd hello && cargo build --release --quiet && ./target/release/hello']);
    expect(r.code, r.out).toBe(0);
    expect(r.out).toContain('/usr/local/cargo\n');
    expect(r.out).toContain('Hello, world!');
  }, 120_000);

  it('maven: JDK 17 and Maven at JAVA_HOME=/opt/java/openjdk build a jar offline through the Debian repository mirror', async () => {
    // The plugins a jar build runs, pinned to the versions Debian packages (the mirror has no others).
    const pom = [
      '<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>',
      '<groupId>t</groupId><artifactId>hello</artifactId><version>1</version>',
      '<properties><maven.compiler.release>17</maven.compiler.release></properties>',
      '<build><pluginManagement><plugins>',
      ...[['resources', '3.3.0'], ['compiler', '3.10.1'], ['surefire', '2.22.3'], ['jar', '3.3.0']].map(([p, v]) => `<plugin><artifactId>maven-${p}-plugin</artifactId><version>${v}</version></plugin>`),
      '</plugins></pluginManagement></build></project>',
    ].join('');
    const java = 'public class Hello { public static void main(String[] a) { System.out.println("hello from " + System.getProperty("java.specification.version")); } }';
    const script = [
      'echo "$JAVA_HOME" && mvn -v | grep -o "Apache Maven [0-9.]*"',
      'mkdir -p /tmp/p/src/main/java && cd /tmp/p',
      `printf '%s' '${pom}' > pom.xml && printf '%s' '${java}' > src/main/java/Hello.java`,
      'mvn -B -q package -DskipTests && java -cp target/hello-1.jar Hello',
      'test -f /usr/share/maven-repo/org/postgresql/postgresql/42.5.5/postgresql-42.5.5.jar && echo jdbc',
    ].join(' && ');
    const r = await run(standIn(IMAGES.maven.ref), ['sh', '-c', script]);
    expect(r.code, r.out).toBe(0);
    // Maven 3.8 writes colour resets even in batch mode.
    const lines = r.out.replace(/\x1b\[[0-9;]*m/g, '').split('\n').filter((l) => l.trim() !== '');
    expect(lines).toEqual(['/opt/java/openjdk', expect.stringMatching(/^Apache Maven 3\.8\./), 'hello from 17', 'jdbc']);
  }, 180_000);

  it('eclipse-temurin JRE: java 17 at /opt/java/openjdk, no compiler, bash for the healthcheck', async () => {
    const r = await run(standIn(IMAGES.jre.ref), ['bash', '-c', 'echo "$JAVA_HOME" && command -v java && java -version 2>&1 | head -n1 && ! command -v javac && echo no-javac']);
    expect(r.code, r.out).toBe(0);
    expect(r.out.trim().split('\n')).toEqual(['/opt/java/openjdk', '/opt/java/openjdk/bin/java', expect.stringMatching(/^openjdk version "17\./), 'no-javac']);
  });

  it('distroless-cc: user 65532, glibc and libgcc for a dynamically linked binary, and no shell', async () => {
    const image = standIn(IMAGES.distrolessCc.ref);
    const info = await engine.getImage(image).inspect();
    expect(info.Config.User).toBe('65532:65532');
    const c = await engine.createContainer({ Image: image, Cmd: ['/nothing'], Labels: LABEL });
    started.push(c);
    expect(await readFile(c, '/etc/passwd')).toMatch(/^nonroot:x:65532:65532:/m);
    expect(await readFile(c, '/usr/lib/x86_64-linux-gnu/libgcc_s.so.1')).toBeTruthy();
    expect(await readFile(c, '/lib64/ld-linux-x86-64.so.2')).toBeTruthy();
    await expect(run(image, ['/bin/sh', '-c', 'true'])).rejects.toThrow(/no such file/);
  });

  it('distroless-static: user 65532, nonroot in /etc/passwd, CA bundle and zoneinfo, and no shell', async () => {
    const image = standIn(IMAGES.distrolessStatic.ref);
    const info = await engine.getImage(image).inspect();
    expect(info.Config.User).toBe('65532:65532');
    const c = await engine.createContainer({ Image: image, Cmd: ['/nothing'], Labels: LABEL });
    started.push(c);
    expect(await readFile(c, '/etc/passwd')).toMatch(/^nonroot:x:65532:65532:/m);
    expect(await readFile(c, '/etc/ssl/certs/ca-certificates.crt')).toContain('BEGIN CERTIFICATE');
    expect((await readFile(c, '/usr/share/zoneinfo/Europe/Berlin')).startsWith('TZif')).toBe(true);
    await expect(run(image, ['/bin/sh', '-c', 'true'])).rejects.toThrow(/no such file/);
  });

  it('nginx-unprivileged: serves /usr/share/nginx/html on 8080 as uid 101, includes conf.d, has wget', async () => {
    const { c, hostPort } = await serve(standIn(IMAGES.staticServer.ref), 8080);
    let body = '';
    await until('nginx answers on 8080', 15_000, async () => {
      const res = await fetch(`http://127.0.0.1:${hostPort}/`, { signal: AbortSignal.timeout(2000) });
      body = await res.text();
      return res.status === 200;
    }, c);
    expect(body).toContain('Welcome to nginx!');
    const nginx = (await processes(c)).filter(([, cmd]) => cmd.startsWith('nginx'));
    expect(nginx.length).toBeGreaterThan(1);
    expect(nginx.every(([uid]) => uid === '101'), JSON.stringify(nginx)).toBe(true);
    const inside = await exec(c, ['wget', '-qO-', 'http://127.0.0.1:8080/']);
    expect(inside.code).toBe(0);
    const conf = await exec(c, ['nginx', '-T']);
    expect(conf.out).toContain('# configuration file /etc/nginx/conf.d/default.conf:');
    expect(conf.out).toMatch(/pid \/tmp\/nginx\.pid;/);
    const info = await engine.getImage(standIn(IMAGES.staticServer.ref)).inspect();
    expect((info.Config as { StopSignal?: string }).StopSignal).toBe('SIGQUIT');
  }, 60_000);

  it('postgres: becomes ready with POSTGRES_* settings, accepts the password over TCP and rejects a wrong one', async () => {
    const image = standIn(IMAGES.postgres.ref);
    const { c, hostPort } = await serve(image, 5432, { env: ['POSTGRES_USER=app', 'POSTGRES_PASSWORD=pw-right', 'POSTGRES_DB=appdb'] });
    await until('pg_isready -h 127.0.0.1', 30_000, async () => (await exec(c, ['pg_isready', '-h', '127.0.0.1', '-U', 'app', '-d', 'appdb'])).code === 0, c);
    const psql = (password: string) =>
      run(image, ['psql', '-h', '127.0.0.1', '-p', String(hostPort), '-U', 'app', '-d', 'appdb', '-tAc', 'select current_database(), 40+2'], { env: [`PGPASSWORD=${password}`], hostNetwork: true });
    const ok = await psql('pw-right');
    expect(ok.code, ok.out).toBe(0);
    expect(ok.out.trim()).toBe('appdb|42');
    const bad = await psql('wrong');
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/password authentication failed for user "app"/);
    expect((await processes(c)).filter(([, cmd]) => cmd.startsWith('postgres')).every(([uid]) => uid === '999')).toBe(true);
  }, 90_000);

  it('postgres: refuses to initialise without a password, and reads POSTGRES_PASSWORD_FILE', async () => {
    const image = standIn(IMAGES.postgres.ref);
    const none = await run(image, ['postgres']);
    expect(none.code).not.toBe(0);
    expect(none.out).toMatch(/POSTGRES_PASSWORD/);
    // A password file as compose secrets provide it. Loopback is trusted inside the container (as
    // upstream), so the password is checked over the container's own address.
    const script = [
      'echo -n from-file > /tmp/pw && chmod 644 /tmp/pw',
      '(docker-entrypoint.sh postgres >/tmp/pg.log 2>&1 &)',
      'until pg_isready -qh 127.0.0.1; do sleep 0.2; done',
      'PGPASSWORD=from-file psql -h "$(hostname -i)" -U postgres -tAc "select 7*6"',
      '! PGPASSWORD=nope psql -h "$(hostname -i)" -U postgres -tAc "select 1"',
    ].join(' && ');
    const r = await run(image, [script], { env: ['POSTGRES_PASSWORD_FILE=/tmp/pw'], entrypoint: ['bash', '-c'] });
    expect(r.code, r.out).toBe(0);
    expect(r.out).toMatch(/^42$/m);
    expect(r.out).toMatch(/password authentication failed for user "postgres"/);
  }, 90_000);

  it('redis: `redis-server --requirepass` is enforced from outside, and without a password protected mode is off', async () => {
    const image = standIn(IMAGES.redis.ref);
    const locked = await serve(image, 6379, { cmd: ['redis-server', '--requirepass', 's3cret'] });
    const open = await serve(image, 6379);
    await until('redis answers', 15_000, async () => (await redisSay(locked.hostPort, ['PING'])).length > 0, locked.c);
    expect(await redisSay(locked.hostPort, ['PING'])).toMatch(/^-NOAUTH/);
    expect(await redisSay(locked.hostPort, ['AUTH s3cret', 'PING'])).toBe('+OK\r\n+PONG\r\n');
    await until('redis answers', 15_000, async () => (await redisSay(open.hostPort, ['PING'])) === '+PONG\r\n', open.c);
    expect((await exec(locked.c, ['redis-cli', '-a', 's3cret', '--no-auth-warning', 'ping'])).out.trim()).toBe('PONG');
    const procs = await processes(locked.c);
    expect(procs.filter(([, cmd]) => cmd.startsWith('redis-server')).map(([uid]) => uid)).toEqual(['999']);
  }, 60_000);

  it('prometheus: promtool, /bin/prometheus with the upstream defaults as nobody, healthy via wget', async () => {
    const image = standIn(IMAGES.prometheus.ref);
    const tool = await run(image, ['--version'], { entrypoint: ['/bin/promtool'] });
    expect(tool.code).toBe(0);
    expect(tool.out).toMatch(/promtool, version 2\./);
    const { c } = await serve(image, 9090);
    await until('prometheus /-/healthy', 30_000, async () => (await exec(c, ['wget', '-qO-', 'http://127.0.0.1:9090/-/healthy'])).code === 0, c);
    const procs = await processes(c);
    expect(procs.find(([, cmd]) => cmd.includes('--config.file=/etc/prometheus/prometheus.yml --storage.tsdb.path=/prometheus'))?.[0]).toBe('65534');
  }, 60_000);
});

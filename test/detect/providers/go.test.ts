import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { parseGoMod } from '../../../src/detect/providers/go.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-go-'));
}

const server = (body: string, imports = '"net/http"') => `package main\n\nimport (\n\t${imports}\n)\n\nfunc main() {\n${body}\n}\n`;

describe('go.mod', () => {
  it('reads module, directives and requires with lines, marking indirect ones', () => {
    const mod = parseGoMod('module example.com/x/v3\n\ngo 1.22\ntoolchain go1.22.6\n\nrequire github.com/lib/pq v1.10.9\n\nrequire (\n\tgithub.com/gin-gonic/gin v1.10.0\n\tgithub.com/redis/go-redis/v9 v9.5.1 // indirect\n)\n');
    expect(mod.module).toBe('example.com/x/v3');
    expect(mod.go).toEqual({ version: '1.22', line: 3 });
    expect(mod.toolchain).toEqual({ version: '1.22.6', line: 4 });
    expect(mod.requires).toEqual([
      { path: 'github.com/lib/pq', version: 'v1.10.9', line: 6, indirect: false },
      { path: 'github.com/gin-gonic/gin', version: 'v1.10.0', line: 9, indirect: false },
      { path: 'github.com/redis/go-redis/v9', version: 'v9.5.1', line: 10, indirect: true },
    ]);
  });

  it('names the service after the module, skipping a major-version suffix; indirect requires are no backing services', async () => {
    const t = await detectFiles({
      'go.mod': 'module github.com/acme/orders/v2\n\ngo 1.21\n\nrequire (\n\tgithub.com/lib/pq v1.10.9\n\tgithub.com/redis/go-redis/v9 v9.5.1 // indirect\n)\n',
      'main.go': server('\thttp.ListenAndServe(":8080", nil)'),
    });
    expect(t.services[0]).toMatchObject({ name: 'orders', runtimeVersion: '1.21', port: 8080, backingServices: ['postgres'] });
    expect(t.backingServices[0]!.evidence[0]).toMatchObject({ file: 'go.mod', line: 6 });
  });
});

describe('main packages', () => {
  it('builds the cmd/* program that serves and names the others in evidence', async () => {
    const t = await detectFiles({
      'go.mod': 'module example.com/tool\n\ngo 1.23\n',
      'cmd/admin/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("admin") }\n',
      'cmd/api/main.go': 'package main\n\nimport "example.com/tool/internal/web"\n\nfunc main() { web.Serve() }\n',
      'internal/web/web.go': 'package web\n\nimport "net/http"\n\nfunc Serve() {\n\thttp.HandleFunc("/healthz", func(w http.ResponseWriter, r *http.Request) {})\n\thttp.ListenAndServe(":9000", nil)\n}\n',
    });
    expect(t.services).toHaveLength(1);
    const s = t.services[0]!;
    expect(s).toMatchObject({ port: 9000, healthPath: '/healthz', commands: { build: 'go build -trimpath -ldflags="-s -w" -o app ./cmd/api', start: './app' } });
    expect(s.evidence.some((e) => e.signal.includes('cmd/admin'))).toBe(true);
  });

  it('is a worker when its program does not serve, and nothing when there is no main package', async () => {
    const w = await detectFiles({ 'go.mod': 'module example.com/cron\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "time"\n\nfunc main() {\n\tfor {\n\t\ttime.Sleep(time.Minute)\n\t}\n}\n' });
    expect(w.services[0]).toMatchObject({ role: 'worker', port: null });
    const lib = await detectFiles({ 'go.mod': 'module example.com/lib\n\ngo 1.22\n', 'lib.go': 'package lib\n\nfunc Add(a, b int) int { return a + b }\n' });
    expect(lib.services).toEqual([]);
  });

  it('a command-line tool (no server, no loop) is a job that runs to completion, with the evidence', async () => {
    const t = await detectFiles({ 'go.mod': 'module example.com/cli\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hello") }\n' });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ name: 'cli', role: 'job', port: null, commands: { start: './app' } });
    expect(t.services[0]!.evidence).toContainEqual({ file: 'main.go', line: 5, signal: 'no listener and no loop: a job that runs to completion' });
  });

  it('a program that keeps running without listening (ticker, subscription, signal wait) is a worker', async () => {
    const t = await detectFiles({ 'go.mod': 'module example.com/consumer\n\ngo 1.22\n', 'main.go': 'package main\n\nimport "time"\n\nfunc main() {\n\tfor range time.Tick(time.Second) {\n\t}\n}\n' });
    expect(t.services[0]).toMatchObject({ name: 'consumer', role: 'worker', port: null });
  });

  it('ports through named values: a constant in fmt.Sprintf, and an env variable whose fallback is a constant', async () => {
    const c = await detectFiles({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': 'package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nconst (\n\tname       = "api"\n\tlistenPort = "5050"\n)\n\nfunc main() {\n\thttp.ListenAndServe(fmt.Sprintf(":%s", listenPort), nil)\n}\n' });
    expect(c.services[0]).toMatchObject({ port: 5050 });
    expect(c.services[0]!.evidence).toContainEqual({ file: 'main.go', line: 10, signal: '`listenPort = "5050"`' });
    const e = await detectFiles({ 'go.mod': 'module example.com/api\n\ngo 1.22\n', 'main.go': 'package main\n\nimport (\n\t"net/http"\n\t"os"\n)\n\nconst defaultPort = "7070"\n\nfunc main() {\n\tport := os.Getenv("API_PORT")\n\tif port == "" {\n\t\tport = defaultPort\n\t}\n\thttp.ListenAndServe(":"+port, nil)\n}\n' });
    expect(e.services[0]).toMatchObject({ port: 7070, portEnv: 'API_PORT' });
    const grpc = await detectFiles({ 'go.mod': 'module example.com/greeter\n\ngo 1.22\n', 'main.go': 'package main\n\nimport (\n\t"flag"\n\t"fmt"\n\t"net"\n\t"google.golang.org/grpc"\n)\n\nvar port = flag.Int("port", 50051, "The server port")\n\nfunc main() {\n\tlis, _ := net.Listen("tcp", fmt.Sprintf(":%d", *port))\n\ts := grpc.NewServer()\n\ts.Serve(lis)\n}\n' });
    expect(grpc.services[0]).toMatchObject({ port: 50051 });
  });

  it('a program built on a queue library (no loop in sight) is a worker', async () => {
    const t = await detectFiles({ 'go.mod': 'module example.com/mailer\n\ngo 1.22\n\nrequire github.com/hibiken/asynq v0.24.1\n', 'main.go': 'package main\n\nimport "github.com/hibiken/asynq"\n\nfunc main() {\n\tsrv := asynq.NewServer(asynq.RedisClientOpt{Addr: "redis:6379"}, asynq.Config{})\n\tsrv.Run(asynq.NewServeMux())\n}\n' });
    expect(t.services[0]).toMatchObject({ role: 'worker', port: null });
    expect(t.services[0]!.evidence).toContainEqual({ file: 'go.mod', line: 5, signal: 'require github.com/hibiken/asynq: a queue consumer keeps running, a worker' });
  });

  it('package main without go.mod: a program built without a module; loose library files are not', async () => {
    const t = await detectFiles({
      'tool/main.go': 'package main\n\nimport "fmt"\n\nfunc main() { fmt.Println("hi") }\n',
      'server.go': 'package main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":7070", nil) }\n',
      'lib/strings.go': 'package lib\n\nfunc Up(s string) string { return s }\n',
    });
    const root = t.services.find((s) => s.path === '.');
    expect(root).toMatchObject({ language: 'go', packageManager: null, port: 7070, commands: { install: null, start: './app' } });
    expect(t.services.map((s) => s.path)).toEqual(['.']);
  });

  it('ignores _test.go files and build-ignored programs', async () => {
    const t = await detectFiles({
      'go.mod': 'module example.com/lib\n\ngo 1.22\n',
      'lib.go': 'package lib\n',
      'gen.go': '//go:build ignore\n\npackage main\n\nimport "net/http"\n\nfunc main() { http.ListenAndServe(":1", nil) }\n',
      'main_test.go': 'package main\n\nfunc main() {}\n',
    });
    expect(t.services).toEqual([]);
  });
});

describe('frameworks and ports', () => {
  it('uses the PORT fallback over a framework default', async () => {
    const t = await detectFiles({
      'go.mod': 'module example.com/a\n\ngo 1.22\n\nrequire github.com/gin-gonic/gin v1.10.0\n',
      'main.go': server('\tr := gin.Default()\n\tport := os.Getenv("PORT")\n\tif port == "" {\n\t\tport = "5005"\n\t}\n\tr.Run(":" + port)', '"os"\n\t"github.com/gin-gonic/gin"'),
    });
    expect(t.services[0]).toMatchObject({ framework: 'gin', port: 5005 });
    expect(t.services[0]!.evidence.find((e) => e.signal.includes('"5005"'))).toMatchObject({ file: 'main.go' });
  });

  it('reads a port flag default', async () => {
    const t = await detectFiles({
      'go.mod': 'module example.com/a\n\ngo 1.20\n\nrequire github.com/gorilla/mux v1.8.0\n',
      'main.go': server('\tport := flag.String("port", "8000", "listen port")\n\tflag.Parse()\n\tr := mux.NewRouter()\n\thttp.ListenAndServe(":"+*port, r)', '"flag"\n\t"net/http"\n\t"github.com/gorilla/mux"'),
    });
    expect(t.services[0]).toMatchObject({ framework: null, port: 8000 });
  });

  it.each([
    ['github.com/gin-gonic/gin v1.10.0', '"github.com/gin-gonic/gin"', '\tr := gin.Default()\n\tr.Run()', 'gin', 8080],
    ['github.com/labstack/echo/v4 v4.12.0', '"github.com/labstack/echo/v4"', '\te := echo.New()\n\te.Start(addr)', 'echo', 1323],
    ['github.com/gofiber/fiber/v2 v2.52.0', '"github.com/gofiber/fiber/v2"', '\tapp := fiber.New()\n\tapp.Listen(addr)', 'fiber', 3000],
  ])('falls back to the %s default port', async (req, imp, body, fw, port) => {
    const t = await detectFiles({ 'go.mod': `module example.com/a\n\ngo 1.22\n\nrequire ${req}\n`, 'main.go': server(body, imp) });
    expect(t.services[0]).toMatchObject({ framework: fw, port });
  });

  it('reads Go 1.22 method patterns as health routes and the toolchain as the runtime', async () => {
    const t = await detectFiles({
      'go.mod': 'module example.com/a\n\ngo 1.22\n\ntoolchain go1.23.2\n',
      'main.go': server('\tmux := http.NewServeMux()\n\tmux.HandleFunc("GET /livez", nil)\n\tmux.HandleFunc("GET /health", nil)\n\thttp.ListenAndServe(":8080", mux)'),
    });
    expect(t.services[0]).toMatchObject({ healthPath: '/health', runtimeVersion: '1.23.2' });
  });
});

describe('go.work', () => {
  it('describes each used module; the workspace root and library modules are not services', async () => {
    const t = await detectFiles({
      'go.work': 'go 1.22\n\nuse (\n\t./api\n\t./pkg/common\n)\n',
      'api/go.mod': 'module example.com/w/api\n',
      'api/main.go': server('\thttp.ListenAndServe(":8000", nil)'),
      'pkg/common/go.mod': 'module example.com/w/common\n\ngo 1.22\n',
      'pkg/common/common.go': 'package common\n',
    });
    expect(t.services.map((s) => [s.name, s.path])).toEqual([['api', 'api']]);
    // The member has no go directive of its own: the workspace's applies.
    expect(t.services[0]).toMatchObject({ runtimeVersion: '1.22', port: 8000 });
  });
});

/** The structure summary that stands in for full golden trees sees what a user would notice, and not what churns. */
import { describe, expect, it } from 'vitest';
import { composeStructure, dockerfileInstructions, githubWorkflowStructure, treeStructure } from './golden-structure.js';

const DIGEST = `@sha256:${'a'.repeat(64)}`;

describe('structure summary', () => {
  it('Dockerfile: base images without digest, user, ports, command; RUN and COPY bodies left out', () => {
    const text = `FROM node:20${DIGEST} AS deps\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci \\\n  --omit=dev\nFROM node:20${DIGEST}\nENV NODE_ENV=production PORT=3000\nCOPY --from=deps /app ./\nUSER 10001:10001\nEXPOSE 3000\nHEALTHCHECK CMD ["node", "probe.js"]\nCMD ["node", "server.js"]\n`;
    expect(dockerfileInstructions(text)).toEqual([
      'FROM node:20 AS deps', 'WORKDIR /app', 'COPY', 'RUN', 'FROM node:20', 'ENV NODE_ENV PORT', 'COPY --from=deps', 'USER 10001:10001', 'EXPOSE 3000', 'HEALTHCHECK CMD', 'CMD ["node", "server.js"]',
    ]);
    // Another RUN script or digest: same summary. Another user: a different one.
    expect(dockerfileInstructions(text.replace('npm ci', 'npm install').replaceAll(DIGEST, ''))).toEqual(dockerfileInstructions(text));
    expect(dockerfileInstructions(text.replace('USER 10001:10001', 'USER root'))).not.toEqual(dockerfileInstructions(text));
  });

  it('compose: a service losing its healthcheck or a dependency changes the summary; key order does not', () => {
    const a = 'services:\n  api:\n    image: x:1\n    healthcheck: {test: [CMD, "true"]}\n    depends_on: {db: {condition: service_healthy}}\n  db:\n    image: postgres:16\nvolumes:\n  data: {}\n';
    const reordered = 'volumes:\n  data: {}\nservices:\n  db:\n    image: postgres:16\n  api:\n    depends_on: {db: {condition: service_healthy}}\n    healthcheck: {test: [CMD, "true"]}\n    image: x:1\n';
    expect(composeStructure(a)).toEqual({ top: ['services', 'volumes'], services: { api: { keys: ['depends_on', 'healthcheck', 'image'], image: 'x:1', depends_on: ['db'] }, db: { keys: ['image'], image: 'postgres:16' } }, volumes: ['data'] });
    expect((composeStructure(reordered).services as Record<string, unknown>).api).toEqual((composeStructure(a).services as Record<string, unknown>).api);
    expect(composeStructure(a.replace('    healthcheck: {test: [CMD, "true"]}\n', ''))).not.toEqual(composeStructure(a));
  });

  it('workflow: jobs with needs and step names; unnamed steps by action, without the pinned ref', () => {
    const wf = `on: {push: {}, pull_request: {}}\njobs:\n  build:\n    runs-on: ubuntu-24.04\n    steps:\n      - uses: actions/checkout@${'b'.repeat(40)}\n      - name: Build\n        run: make\n  ship:\n    needs: build\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo hi\n`;
    expect(githubWorkflowStructure(wf)).toEqual({ on: ['pull_request', 'push'], jobs: { build: { steps: ['uses actions/checkout', 'Build'] }, ship: { needs: ['build'], steps: ['run'] } } });
  });

  it('a tree: every file in the index, env files by variable name only (no values)', () => {
    const s = treeStructure([
      { path: '.env', content: 'DB_PASSWORD=s3cr3t\nPORT=3000\n', mode: 0o600, createOnly: true },
      { path: '.gitignore', content: '.env\n', owner: 'user' },
    ]);
    expect(s).toEqual({ files: ['.env (mode 600) [create-only]', '.gitignore [user file]'], structure: { '.env': { variables: ['DB_PASSWORD', 'PORT'] } } });
    expect(JSON.stringify(s)).not.toContain('s3cr3t');
  });
});

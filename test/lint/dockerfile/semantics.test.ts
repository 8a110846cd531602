/**
 * Cross-cutting hadolint semantics: pragmas, config, ONBUILD, stages, SHELL, continuations,
 * heredocs, and inputs that are not Dockerfiles at all.
 */
import { describe, expect, it } from 'vitest';
import { lintDockerfile, type DockerfileLintOptions } from '../../../src/lint/dockerfile/lint.js';
import { DEFAULT_HADOLINT_CONFIG, exceedsFailureThreshold, loadHadolintConfig, type HadolintConfig } from '../../../src/lint/dockerfile/config.js';

const df = (...lines: string[]): string => lines.join('\n') + '\n';
const lint = (text: string, options?: DockerfileLintOptions) => lintDockerfile({ path: 'svc/Dockerfile', content: text }, options);
const hits = (text: string, options?: DockerfileLintOptions): string[] => lint(text, options).map((f) => `${f.rule}@${f.line}`);
const cfg = (c: Partial<HadolintConfig>): DockerfileLintOptions => ({ config: { ...DEFAULT_HADOLINT_CONFIG, ...c } });

describe('findings', () => {
  it('carry file, instruction start line, column 1, severity, tool and a fix', () => {
    const [f] = lint(df('FROM debian:12', 'USER app', 'HEALTHCHECK NONE', 'WORKDIR app'));
    expect(f).toEqual({
      file: 'svc/Dockerfile',
      line: 4,
      column: 1,
      rule: 'DL3000',
      severity: 'error',
      message: 'Use absolute WORKDIR',
      tool: 'stackgen',
      fix: expect.stringMatching(/absolute/),
    });
  });

  it('use hadolint default severities', () => {
    const text = df('FROM debian', 'RUN cd /x && sudo ls && apt-get update && apt-get install curl', 'RUN echo', 'RUN echo', 'ADD a /b', 'CMD x');
    const sev = Object.fromEntries(lint(text).map((f) => [f.rule, f.severity]));
    expect(sev).toMatchObject({
      DL3006: 'warning', DL3003: 'warning', DL3004: 'error', DL3008: 'warning', DL3009: 'info', DL3014: 'warning',
      DL3015: 'info', DL3059: 'info', DL3020: 'error', DL3025: 'warning',
    });
  });
});

describe('ignore pragmas', () => {
  const base = ['FROM debian:12', 'USER app', 'HEALTHCHECK NONE'];
  it('an inline pragma ignores the listed rules on the next line only', () => {
    const text = df(...base, '# hadolint ignore=DL3003,DL3004', 'RUN cd /x && sudo ls', 'RUN cd /y');
    expect(hits(text)).toEqual(['DL3003@6', 'DL3059@6']);
  });

  it('an inline pragma separated from the instruction by another line does not apply', () => {
    const text = df(...base, '# hadolint ignore=DL3003', '# another comment', 'RUN cd /x');
    expect(hits(text)).toEqual(['DL3003@6']);
  });

  it('a global pragma ignores rules everywhere', () => {
    const text = df('# hadolint global ignore=DL3003', ...base, 'RUN cd /x', 'ENV A=1', 'RUN cd /y');
    expect(hits(text)).toEqual([]);
  });

  it('disable-ignore-pragma makes pragmas inert', () => {
    const text = df(...base, '# hadolint ignore=DL3003', 'RUN cd /x');
    expect(hits(text, cfg({ disableIgnorePragma: true }))).toEqual(['DL3003@5']);
  });

  it('the options ignore list and config `ignored` both drop rules', () => {
    const text = df('FROM debian', 'RUN cd /x');
    expect(hits(text, { ignore: ['DL3006', 'SG1001', 'SG1002'] })).toEqual(['DL3003@2']);
    expect(hits(text, cfg({ ignored: ['DL3003', 'DL3006', 'SG1001'] }))).toEqual(['SG1002@1']);
  });
});

describe('.hadolint.yaml config', () => {
  const text = df('FROM debian:12', 'USER app', 'HEALTHCHECK NONE', 'RUN cd /x');
  it('override changes a severity', () => {
    const config = loadHadolintConfig('override:\n  error: [DL3003]\n', '.hadolint.yaml');
    expect(lint(text, { config }).map((f) => [f.rule, f.severity])).toEqual([['DL3003', 'error']]);
  });

  it('ignored drops a rule', () => {
    const config = loadHadolintConfig('ignored:\n  - DL3003\n', '.hadolint.yaml');
    expect(lint(text, { config })).toEqual([]);
  });

  it('trustedRegistries enables DL3026', () => {
    const config = loadHadolintConfig('trustedRegistries:\n  - registry.example.com\n', '.hadolint.yaml');
    expect(hits(df('FROM quay.io/x/y:1', 'USER app', 'HEALTHCHECK NONE'), { config })).toEqual(['DL3026@1']);
  });

  it('failure-threshold decides whether findings fail the check', () => {
    const findings = lint(text);
    expect(findings.map((f) => f.severity)).toEqual(['warning']);
    expect(exceedsFailureThreshold(findings, loadHadolintConfig('failure-threshold: error', 'h.yaml').failureThreshold)).toBe(false);
    expect(exceedsFailureThreshold(findings, loadHadolintConfig('failure-threshold: warning', 'h.yaml').failureThreshold)).toBe(true);
    expect(exceedsFailureThreshold(findings, loadHadolintConfig('', 'h.yaml').failureThreshold)).toBe(true);
    expect(exceedsFailureThreshold(findings, 'none')).toBe(false);
  });
});

describe('ONBUILD', () => {
  const tail = ['USER app', 'HEALTHCHECK NONE'];
  // hadolint wraps only its RUN-command rules with `onbuild`; DL3003, DL3000 and DL3020 are not among them.
  it('applies the RUN-command rules hadolint applies inside ONBUILD, at the ONBUILD line', () => {
    const text = df('FROM debian:12', ...tail, 'ONBUILD RUN cd /x && sudo make', 'ONBUILD WORKDIR rel', 'ONBUILD ADD a.txt /a');
    expect(hits(text)).toEqual(['DL3004@4']);
  });

  it('checks the package rules inside ONBUILD', () => {
    const text = df('FROM debian:12', ...tail, 'ONBUILD RUN apt-get update && apt-get install curl', 'ONBUILD RUN pip install flask', 'ONBUILD RUN apk add git');
    expect(hits(text)).toEqual(['DL3008@4', 'DL3009@4', 'DL3014@4', 'DL3015@4', 'DL3013@5', 'DL3042@5', 'DL3018@6', 'DL3019@6']);
  });

  it('keeps the triggers in a state of their own: only an ONBUILD ENV satisfies an ONBUILD RUN', () => {
    const pip = 'ONBUILD RUN pip install -r requirements.txt';
    expect(hits(df('FROM python:3.12', ...tail, 'ENV PIP_NO_CACHE_DIR=1', pip))).toEqual(['DL3042@5']);
    expect(hits(df('FROM python:3.12', ...tail, 'ONBUILD ENV PIP_NO_CACHE_DIR=1', pip))).toEqual([]);
  });

  it('a trigger in a build stage nothing ships still counts for DL3009 (the image that runs it ships)', () => {
    const text = df('FROM debian:12 AS base', 'ONBUILD RUN apt-get update', 'FROM debian:12', ...tail);
    expect(hits(text)).toEqual(['DL3009@2']);
  });

  it('an ONBUILD between two RUNs breaks DL3059\'s sequence', () => {
    expect(hits(df('FROM debian:12', ...tail, 'RUN a', 'ONBUILD RUN b', 'RUN c'))).toEqual([]);
  });
});

describe('multi-stage builds', () => {
  it('recognises earlier stage aliases in FROM and COPY --from, case-insensitively', () => {
    const text = df('FROM node:20 AS Build', 'RUN echo', 'FROM build AS test', 'FROM nginx:1.25', 'COPY --from=BUILD /a /b', 'USER nginx', 'HEALTHCHECK NONE');
    expect(hits(text)).toEqual([]);
  });

  it('flags a reference to a later stage and a duplicate alias', () => {
    const text = df('FROM node:20 AS a', 'COPY --from=b /x /x', 'FROM node:20 AS b', 'FROM node:20 AS a', 'USER app', 'HEALTHCHECK NONE');
    // SG1007 too: BuildKit fails the build on a copy from a later stage.
    expect(hits(text)).toEqual(['DL3022@2', 'SG1007@2', 'DL3024@4']);
  });
});

describe('SHELL and pipefail', () => {
  const pipe = 'RUN curl -fsSL https://example.com/x | tar -xz';
  const tail = ['USER app', 'HEALTHCHECK NONE'];
  it.each([
    ['["/bin/bash", "-o", "pipefail", "-c"]', []],
    ['["/bin/ash", "-eo", "pipefail", "-c"]', []],
    ['["bash", "-euxo", "pipefail", "-c"]', []],
    ['["/bin/sh", "-c"]', ['DL4006@3']],
    ['["/bin/bash", "-c"]', ['DL4006@3']],
    // hadolint matches the shell by basename (since 2.15), so any path works.
    ['["/usr/bin/bash", "-o", "pipefail", "-c"]', []],
    ['["/usr/local/bin/zsh", "-o", "pipefail", "-c"]', []],
    ['["/bin/dash", "-o", "pipefail", "-c"]', ['DL4006@3']],
  ])('SHELL %s', (shell, expected) => {
    expect(hits(df('FROM debian:12', `SHELL ${shell}`, pipe, ...tail))).toEqual(expected);
  });

  it('resets at each FROM', () => {
    const text = df('FROM debian:12 AS a', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'FROM debian:12', pipe, ...tail);
    expect(hits(text)).toEqual(['DL4006@4']);
  });

  // Docker keeps the base stage's SHELL, but hadolint's DL4006 resets at every FROM: we follow hadolint.
  it('resets even at `FROM <stage that set pipefail>`, as hadolint does', () => {
    const text = df('FROM debian:12 AS a', 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', 'FROM a', pipe, ...tail);
    expect(hits(text)).toEqual(['DL4006@4']);
  });

  it('a SHELL after the RUN does not help', () => {
    expect(hits(df('FROM debian:12', pipe, 'SHELL ["/bin/bash", "-o", "pipefail", "-c"]', ...tail))).toEqual(['DL4006@2']);
  });

  it('a non-POSIX shell (pwsh, powershell, cmd) turns shell rules off', () => {
    const text = df('FROM mcr.microsoft.com/powershell:7.4', 'SHELL ["pwsh", "-Command"]', 'RUN cd C:\\x ; Get-Item | Select-Object Name', 'RUN sudo x', ...tail);
    expect(hits(text)).toEqual(['DL3059@4']);
    const cmd = df('FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'SHELL ["cmd", "/S", "/C"]', 'RUN cd \\x', ...tail);
    expect(hits(cmd)).toEqual([]);
  });

  it('the `# hadolint shell=` pragma sets the shell', () => {
    expect(hits(df('# hadolint shell=powershell', 'FROM mcr.microsoft.com/powershell:7.4', 'RUN cd x', ...tail))).toEqual([]);
  });
});

describe('line continuations', () => {
  it('report the start line and see commands on continued lines, skipping comments inside', () => {
    const text = df(
      'FROM debian:12',
      'USER app',
      'HEALTHCHECK NONE',
      'RUN apt-get update \\',
      '    # install the tools',
      '    && apt-get install -y --no-install-recommends \\',
      '       curl=7.88.1-10 \\',
      '    && cd /tmp',
    );
    expect(hits(text)).toEqual(['DL3003@4', 'DL3009@4']);
  });

  it('honour `# escape=`` ` for backtick continuations', () => {
    const text = df('# escape=`', 'FROM debian:12', 'USER app', 'HEALTHCHECK NONE', 'RUN echo a `', '    && cd /tmp');
    expect(hits(text)).toEqual(['DL3003@5']);
  });

  it('handle CRLF line endings', () => {
    const text = ['FROM debian:12', 'USER app', 'HEALTHCHECK NONE', 'RUN echo a \\', '  && cd /tmp', ''].join('\r\n');
    expect(hits(text)).toEqual(['DL3003@4']);
  });
});

describe('heredocs', () => {
  const tail = ['USER app', 'HEALTHCHECK NONE'];
  it('treat the body of `RUN <<EOF` as the script', () => {
    const text = df('FROM debian:12', ...tail, 'RUN <<EOF', 'apt-get update', 'cd /tmp', 'EOF', 'RUN echo after');
    expect(hits(text)).toEqual(['DL3003@4', 'DL3009@4', 'DL3059@8']);
  });

  it('do not read a body fed to another interpreter as shell', () => {
    const text = df('FROM python:3.12', ...tail, 'RUN python3 <<EOF', 'import os', 'os.system("cd /tmp")', 'EOF');
    expect(hits(text)).toEqual([]);
  });

  it('skip a data heredoc written by cat', () => {
    const text = df('FROM debian:12', ...tail, 'RUN cat <<EOF > /etc/app.conf', 'sudo = yes', 'EOF');
    expect(hits(text)).toEqual([]);
  });

  it('handle COPY heredocs without crashing', () => {
    const text = df('FROM debian:12', ...tail, 'COPY <<EOF /etc/app.conf', 'key=value', 'EOF');
    expect(hits(text)).toEqual([]);
  });
});

describe('unusual input', () => {
  it('an empty file has no findings', () => {
    expect(lint('')).toEqual([]);
    expect(lint('\n\n# only a comment\n')).toEqual([]);
  });

  it('text that is not a Dockerfile yields one parse error (DL1000), like hadolint', () => {
    const findings = lint('Hello, this is a README.\nIt has two lines.\n');
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ rule: 'DL1000', line: 1, severity: 'error', tool: 'stackgen' });
  });

  it('lower-case instructions are fine', () => {
    expect(hits(df('from debian:12', 'user app', 'healthcheck none', 'run cd /x'))).toEqual(['DL3003@4']);
  });

  it('a lone FROM without image does not crash', () => {
    expect(() => lint('FROM\nRUN\nCOPY\nEXPOSE\nENV\nLABEL\nUSER\n')).not.toThrow();
  });
});

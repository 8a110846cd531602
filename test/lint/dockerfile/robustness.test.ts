/** Arbitrary input never crashes the linter: a seeded mix of Dockerfile fragments and noise. */
import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../../../src/lint/dockerfile/lint.js';

const FRAGMENTS = [
  'FROM', 'FROM node:20 AS a', 'FROM a', 'FROM --platform=x', 'RUN', 'RUN a | b', 'RUN "unterminated', "RUN 'x", 'RUN $(', 'RUN `',
  'RUN <<EOF', 'EOF', 'RUN <<-X', 'COPY', 'COPY --from=', 'COPY . .', 'ADD', 'ENV', 'ENV A', 'ENV A=$A B=${A', 'ARG', 'LABEL =',
  'ONBUILD', 'ONBUILD ONBUILD', 'SHELL', 'SHELL []', 'SHELL ["pwsh"]', 'USER', 'EXPOSE -1', 'EXPOSE 99999999999999999999', 'WORKDIR',
  'HEALTHCHECK', 'CMD [', 'ENTRYPOINT ["a", 1]', '\\', '# hadolint ignore=', '# hadolint global ignore=,,,', '# escape=`', '#', '',
  '  \t', 'RUN a \\', '   # inside', 'apt-get install', '[', '{}', '\u0000', 'RUN ((', 'RUN ) ( ;; && || |',
];

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe('robustness', () => {
  it('lints 500 random fragment mixes without throwing, every finding well-formed', () => {
    const next = rng(42);
    for (let n = 0; n < 500; n++) {
      const lines = Array.from({ length: 1 + Math.floor(next() * 12) }, () => FRAGMENTS[Math.floor(next() * FRAGMENTS.length)]!);
      const content = lines.join(next() < 0.2 ? '\r\n' : '\n');
      const findings = lintDockerfile({ path: 'Dockerfile', content });
      for (const f of findings) {
        expect(f.line, content).toBeGreaterThanOrEqual(1);
        expect(f.line, content).toBeLessThanOrEqual(lines.length + 1);
        expect(f.rule).toMatch(/^(DL|SG)\d{4}$/);
      }
    }
  });
});

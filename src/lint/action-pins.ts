/**
 * `stackgen lint --check-pins`: every `uses: owner/repo@<sha> # <release>` in a GitHub workflow must
 * name the commit its release tag points at now. Asks the action's repository with `git ls-remote`
 * (peeled, so annotated tags resolve to their commit), once per repository and release. Networked,
 * so off by default; the base URL can point at a GitHub Enterprise host or a mirror.
 */
import type { Finding, LintFile } from './types.js';

export interface PinCheckOptions {
  /** Where action repositories live: `<base>/<owner>/<repo>`. Default $STACKGEN_GIT_BASE or https://github.com. */
  gitBase?: string;
  /** Bound for each `git ls-remote`. Default 20 s. */
  timeoutMs?: number;
}

const USES = /^(\s*(?:-\s+)?uses:\s*)([\w.-]+\/[\w.-]+)(?:\/[^@\s]*)?@([0-9a-f]{40})\b(?:\s*#\s*(\S+))?/;

type Answer = { commit: string } | { missing: true } | { error: string };

export function createPinChecker(options: PinCheckOptions = {}): (file: LintFile) => Promise<Finding[]> {
  const base = (options.gitBase ?? process.env.STACKGEN_GIT_BASE ?? 'https://github.com').replace(/\/+$/, '');
  const asked = new Map<string, Promise<Answer>>();
  const ask = (repo: string, release: string): Promise<Answer> => {
    const key = `${repo}@${release}`;
    if (!asked.has(key)) {
      const url = `${base}/${repo}`;
      asked.set(
        key,
        // execa loads only when pins are checked (networked, opt-in): it is slow to import.
        import('execa')
          .then(({ execa }) =>
            execa('git', ['ls-remote', url, `refs/tags/${release}`, `refs/tags/${release}^{}`], {
              env: { GIT_TERMINAL_PROMPT: '0' },
              timeout: options.timeoutMs ?? 20_000,
              reject: false,
            }),
          )
          .then((r): Answer => {
            if (r.exitCode !== 0) return { error: `git ls-remote ${url} failed: ${String(r.stderr).split('\n').find(Boolean) ?? `exit ${r.exitCode}`}` };
            const refs = new Map(String(r.stdout).split('\n').filter(Boolean).map((l) => l.split('\t').reverse() as [string, string]));
            const commit = refs.get(`refs/tags/${release}^{}`) ?? refs.get(`refs/tags/${release}`);
            return commit ? { commit } : { missing: true };
          }),
      );
    }
    return asked.get(key)!;
  };

  return async (file) => {
    const out: Finding[] = [];
    const lines = file.content.split('\n');
    await Promise.all(
      lines.map(async (text, i) => {
        const m = USES.exec(text);
        if (!m) return;
        const [, lead, repo, sha, release] = m as unknown as [string, string, string, string, string | undefined];
        const at = { file: file.path, line: i + 1, column: lead.length + 1, tool: 'stackgen' as const };
        if (!release) {
          out.push({ ...at, rule: 'SG5005', severity: 'warning', message: `${repo}@${sha.slice(0, 12)}… names no release, so the pin cannot be checked`, fix: 'Keep the release in a comment: uses: owner/repo@<sha> # v4.2.2' });
          return;
        }
        const answer = await ask(repo, release);
        if ('error' in answer) out.push({ ...at, rule: 'SG5004', severity: 'error', message: `cannot check ${repo} ${release}: ${answer.error}`, fix: 'Reach the repository (or set STACKGEN_GIT_BASE to a mirror), or lint without --check-pins.' });
        else if ('missing' in answer) out.push({ ...at, rule: 'SG5004', severity: 'error', message: `${release} is not a tag of ${repo}`, fix: `Name an existing release of ${repo} in the comment and pin its commit.` });
        else if (answer.commit !== sha) out.push({ ...at, rule: 'SG5003', severity: 'error', message: `${repo} is pinned as ${release}, but ${release} is commit ${answer.commit}, not ${sha}`, fix: `Pin ${repo}@${answer.commit} # ${release}, or correct the release in the comment.` });
      }),
    );
    return out.sort((a, b) => a.line - b.line);
  };
}

/** The RUN shell splitter: what a rule sees as commands and arguments. */
import { describe, expect, it } from 'vitest';
import { argsNoFlags, dropFlagArg, flagValues, getFlags, parseShell } from '../../../src/lint/dockerfile/shell.js';

const names = (s: string): string[] => parseShell(s).commands.map((c) => c.name);

describe('parseShell', () => {
  it('splits on &&, ||, ;, |, & and newlines', () => {
    expect(names('a && b || c; d | e & f\ng')).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('keeps operators inside quotes as text', () => {
    const [echo, grep] = parseShell(`echo "a && b" 'c | d' | grep x`).commands;
    expect(echo).toMatchObject({ name: 'echo', args: ['a && b', 'c | d'], inPipeline: true });
    expect(grep).toMatchObject({ name: 'grep', args: ['x'], inPipeline: true });
  });

  it('tells pipes from ||', () => {
    expect(parseShell('a || b').hasPipes).toBe(false);
    expect(parseShell('a | b').hasPipes).toBe(true);
    expect(parseShell('a |& b').hasPipes).toBe(true);
  });

  it('joins backslash-newline continuations', () => {
    expect(parseShell('apt-get \\\n  install \\\n  curl').commands[0]).toMatchObject({ name: 'apt-get', args: ['install', 'curl'] });
  });

  it('separates leading assignments from the command', () => {
    expect(parseShell('DEBIAN_FRONTEND=noninteractive A="x y" apt-get install -y curl').commands[0]).toMatchObject({
      name: 'apt-get',
      assignments: ['DEBIAN_FRONTEND=noninteractive', 'A=x y'],
      args: ['install', '-y', 'curl'],
    });
  });

  it('does not unwrap sudo or env (hadolint does not either)', () => {
    expect(names('sudo apt-get install x && env A=1 pip install y')).toEqual(['sudo', 'env']);
  });

  it('drops redirections and their targets', () => {
    expect(parseShell('curl -o - x 2>/dev/null > out.txt 2>&1').commands[0]!.args).toEqual(['-o', '-', 'x']);
  });

  it('finds commands in subshells, if/for bodies and command substitutions', () => {
    expect(names('(cd /x && make) ; if [ -f a ]; then rm a; fi; for f in a b; do echo $f; done')).toEqual(['cd', 'make', '[', 'rm', 'echo']);
    expect(names('echo "$(apt-get install -y x)" `cd /tmp`')).toEqual(['echo', 'apt-get', 'cd']);
  });

  it('skips heredoc bodies inside a script and comments', () => {
    expect(names('cat <<EOT > /etc/x.conf\nsudo rm -rf /\nEOT\necho done # sudo here')).toEqual(['cat', 'echo']);
  });

  it('never throws on unbalanced input', () => {
    expect(() => parseShell('echo "unterminated $(foo && `bar')).not.toThrow();
    expect(parseShell('').commands).toEqual([]);
  });
});

describe('flag helpers (hadolint Shell semantics)', () => {
  const cmd = (s: string) => parseShell(s).commands[0]!;
  it('splits short flag clusters and strips long-flag values', () => {
    expect(getFlags(cmd('apt-get -yq --no-install-recommends --target-release=x install'))).toEqual(['y', 'q', 'no-install-recommends', 'target-release']);
  });
  it('drops a flag value and keeps non-flag arguments', () => {
    expect(argsNoFlags(dropFlagArg(cmd('apt-get install -t bookworm-backports curl'), ['t']))).toEqual(['install', 'curl']);
  });
  it('reads flag values in every spelling', () => {
    expect(flagValues(cmd('useradd -u 1000 --uid=2000 --uid 3000 app'), ['u', 'uid'])).toEqual(['1000', '2000', '3000']);
  });
});

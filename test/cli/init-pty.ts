/** The built CLI on a real pseudo-terminal: type keys, wait for the screen, collect the exit code. */
import pty from '@lydell/node-pty';

export const KEY = { enter: '\r', space: ' ', down: '\u001b[B', up: '\u001b[A', ctrlC: '\u0003' } as const;

export function stripAnsi(s: string): string {
  return s.replace(/\u001b\[[0-9;?]*[A-Za-z]/g, '').replace(/\u001b[()][A-Z0-9]/g, '');
}

export class PtySession {
  private out = '';
  private readonly proc: pty.IPty;
  readonly exited: Promise<number>;

  constructor(file: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }) {
    this.proc = pty.spawn(file, args, { cols: 120, rows: 50, cwd: options.cwd, env: options.env as Record<string, string> });
    this.proc.onData((d) => {
      this.out += d;
    });
    this.exited = new Promise((resolve) => this.proc.onExit(({ exitCode }) => resolve(exitCode)));
  }

  /** Everything printed so far, without escape codes. */
  get screen(): string {
    return stripAnsi(this.out);
  }

  /** Waits until `text` appears after position `from` of the screen; returns the position after it. */
  async waitFor(text: string | RegExp, from = 0, timeoutMs = 20_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const s = this.screen.slice(from);
      const m = typeof text === 'string' ? s.indexOf(text) : s.search(text);
      if (m !== -1) return from + m + 1;
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${String(text)}; screen:\n${this.screen.slice(-2000)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Types keys one at a time, as a person would. */
  async type(...keys: string[]): Promise<void> {
    for (const k of keys) {
      this.proc.write(k);
      await new Promise((r) => setTimeout(r, 60));
    }
  }

  kill(): void {
    try {
      this.proc.kill();
    } catch {
      // already gone
    }
  }
}

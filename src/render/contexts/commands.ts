/** Turning a spec's command strings into exec-form arrays, so PID 1 is the app and gets SIGTERM. */

const SHELL_META = /[|&;<>()$`\\"'*?[\]#~{}\n]/;

/** Words of a simple command, or null when it needs a shell (pipes, quotes, variables, `&&`…). */
export function splitSimple(cmd: string): string[] | null {
  const trimmed = cmd.trim();
  if (trimmed === '' || SHELL_META.test(trimmed)) return null;
  const words = trimmed.split(/\s+/);
  // `FOO=1 node x` sets a variable: a shell's job.
  if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0]!)) return null;
  return words;
}

/** Exec form when possible; otherwise `sh -c 'exec …'` so the app still replaces the shell as PID 1. */
export function toExec(cmd: string): string[] {
  return splitSimple(cmd) ?? ['sh', '-c', `exec ${cmd.trim()}`];
}

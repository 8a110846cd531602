/**
 * Health probes that exist in each runtime image: the runtime's own interpreter where there is one,
 * bash's /dev/tcp on Debian/Ubuntu-based images without curl, busybox wget on Alpine, and a tiny
 * static Go binary built next to the app for distroless images (no shell at all).
 */

export type ProbeKind = 'node' | 'bun' | 'deno' | 'python' | 'ruby' | 'php' | 'bash' | 'wget' | 'binary';

export interface Probe {
  /** HTTP path, or null for a TCP connect check. */
  path: string | null;
  port: number;
}

/** A single-quoted Ruby or PHP string literal: only `\\` and `'` are special inside one. */
function singleQuoted(text: string): string {
  return `'${text.replace(/[\\']/g, '\\$&')}'`;
}

/**
 * The URL reaches probe code only as a string literal of that language (JSON's is JavaScript's and
 * a valid Python literal; Ruby and PHP get single quotes, which interpolate nothing), or as an
 * argument of its own: never spliced into the code.
 */
export function probeCommand(kind: ProbeKind, probe: Probe): string[] {
  const { port, path } = probe;
  const url = path === null ? null : `http://127.0.0.1:${port}${path}`;
  const literal = url === null ? '' : JSON.stringify(url);
  switch (kind) {
    case 'node':
    case 'bun':
      return url
        ? [kind, '-e', `fetch(${literal}).then((r)=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))`]
        : [kind, '-e', `require('node:net').connect(${port},'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))`];
    case 'deno':
      return url
        ? ['deno', 'eval', `fetch(${literal}).then((r)=>Deno.exit(r.ok?0:1)).catch(()=>Deno.exit(1))`]
        : ['deno', 'eval', `Deno.connect({hostname:'127.0.0.1',port:${port}}).then((c)=>{c.close();Deno.exit(0)}).catch(()=>Deno.exit(1))`];
    case 'python':
      return url
        ? ['python', '-c', `import urllib.request; urllib.request.urlopen(${literal}, timeout=2)`]
        : ['python', '-c', `import socket; socket.create_connection(('127.0.0.1', ${port}), timeout=2).close()`];
    case 'ruby':
      return url
        ? ['ruby', '-rnet/http', '-e', `exit(Net::HTTP.get_response(URI(${singleQuoted(url)})).is_a?(Net::HTTPSuccess) ? 0 : 1)`]
        : ['ruby', '-rsocket', '-e', `TCPSocket.new('127.0.0.1', ${port}).close`];
    case 'php':
      return url
        ? ['php', '-r', `exit(@file_get_contents(${singleQuoted(url)}) === false ? 1 : 0);`]
        : ['php', '-r', `exit(@fsockopen('127.0.0.1', ${port}) ? 0 : 1);`];
    case 'bash':
      return url
        ? ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port} && printf 'GET %s HTTP/1.0\\r\\nHost: localhost\\r\\n\\r\\n' "$0" >&3 && head -n1 <&3 | grep -q ' 2[0-9][0-9]'`, path!]
        : ['bash', '-c', `exec 3<>/dev/tcp/127.0.0.1/${port}`];
    case 'wget':
      return url ? ['wget', '-qO-', url] : ['sh', '-c', `nc -z 127.0.0.1 ${port}`];
    case 'binary':
      return ['/healthcheck', url ?? `tcp://127.0.0.1:${port}`];
  }
}

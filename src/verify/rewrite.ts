/**
 * Verify-time image mapping: rewritten copies of the stack's Dockerfiles and a compose override,
 * so an air-gapped run can use mirrored or stand-in images without touching the user's files.
 */
import { mapImage, type ImageMap } from '../images/image-map.js';

/** Image references in FROM lines, excluding earlier stage names and ARG-built references. */
export function dockerfileImages(text: string): string[] {
  const stages = new Set<string>();
  const out: string[] = [];
  for (const line of joinContinuations(text)) {
    const m = /^\s*FROM\s+(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?/i.exec(line);
    if (!m?.[1]) continue;
    const ref = m[1];
    if (!stages.has(ref.toLowerCase()) && !ref.includes('$') && ref !== 'scratch') out.push(ref);
    if (m[2]) stages.add(m[2].toLowerCase());
  }
  return out;
}

/** The Dockerfile with every FROM image (and `COPY --from=<image>`) passed through the image map. */
export function rewriteDockerfile(text: string, map: ImageMap): string {
  const stages = new Set<string>();
  return text
    .split('\n')
    .map((line) => {
      const from = /^(\s*FROM\s+(?:--platform=\S+\s+)?)(\S+)(.*)$/i.exec(line);
      if (from?.[2]) {
        const ref = from[2];
        const alias = /\s+AS\s+(\S+)/i.exec(from[3] ?? '')?.[1];
        const mapped = stages.has(ref.toLowerCase()) || ref.includes('$') || ref === 'scratch' ? ref : mapImage(ref, map);
        if (alias) stages.add(alias.toLowerCase());
        return `${from[1]}${mapped}${from[3]}`;
      }
      return line.replace(/(--from=)([^\s]+)/, (all, flag: string, ref: string) =>
        stages.has(ref.toLowerCase()) || /^\d+$/.test(ref) || !ref.includes(':') ? all : `${flag}${mapImage(ref, map)}`,
      );
    })
    .join('\n');
}

function joinContinuations(text: string): string[] {
  return text.replace(/\\\r?\n/g, ' ').split(/\r?\n/);
}

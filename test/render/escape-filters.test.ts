/**
 * The output-format filters on their own. The spec schema already refuses `$` in most fields these
 * filters write (image references, paths), so the spec attack test cannot reach them with a `$`
 * payload; they are the second line of defence for a template edit or a future field, and checked here
 * by reading the text back the way each consumer does.
 */
import { execFileSync } from 'node:child_process';
import { expect, it } from 'vitest';
import { parse } from 'yaml';
import { commentText, composeScalar, dockerfileString, githubScalar, gitlabScalar, shellQuote, yamlScalar } from '../../src/render/engine.js';

const HOSTILE = ['${HOME}', '$HOME', '$(touch /tmp/pwned)', '${{ secrets.GITHUB_TOKEN }}', 'a: b\nc: d', '"; rm -rf / #', "it's", '- item', '# not a comment', '\u202Eevil'];

it('yaml and compose scalars parse back to the same string; compose ones hold no interpolation', () => {
  for (const v of HOSTILE) {
    expect(parse(`k: ${yamlScalar(v)}`).k).toBe(v);
    const composed = parse(`k: ${composeScalar(v)}`).k as string;
    // Compose reads `$$` as one literal `$` and interpolates any other `$`.
    expect(composed.replace(/\$\$/g, ''), v).not.toContain('$');
    expect(composed.replace(/\$\$/g, '$')).toBe(v);
  }
});

it("GitLab variables carry no `$` GitLab would expand; GitHub values carry no `${{` expression but the literal one", () => {
  for (const v of HOSTILE) {
    const gitlab = parse(`k: ${gitlabScalar(v)}`).k as string;
    expect(gitlab.replace(/\$\$/g, ''), v).not.toContain('$');
    const github = parse(`k: ${githubScalar(v)}`).k as string;
    expect(github.replace(/\$\{\{ '\$\{\{' \}\}/g, ''), v).not.toContain('${{');
  }
});

it('a comment stays one line; a Dockerfile string is one quoted line with every `$` escaped', () => {
  for (const v of HOSTILE) {
    expect(commentText(v)).not.toMatch(/[\n\r\u202E]/);
    const quoted = dockerfileString(v);
    expect(quoted).not.toContain('\n');
    // Docker substitutes `$NAME` in ENV/LABEL values unless it is written `\$`.
    expect(quoted.replace(/\\\$/g, '')).not.toContain('$');
    expect(JSON.parse(quoted.replace(/\\\$/g, '$'))).toBe(v);
  }
});

it('a shell-quoted word reaches the program as exactly that one argument', () => {
  for (const v of HOSTILE) {
    const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(v)}`], { encoding: 'utf8' });
    expect(out).toBe(v);
  }
});

/**
 * Which template folders a render may load. A template is code: Nunjucks has no sandbox, so a
 * template can reach Node's `process` and run anything. A repository's own `.stackgen/templates/`
 * therefore counts only when the person running stackgen says so (`--templates DIR`, or trusting
 * the repository's folder); otherwise it is ignored with a warning saying how to opt in.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { TreeWarning } from '../tree/virtual-tree.js';

/** Where a project's ejected templates live. */
export const USER_TEMPLATES_DIR = '.stackgen/templates';

/** The environment variable the CLI reads as `--trust-templates` (not for dry runs: see the README). */
export const TRUST_TEMPLATES_ENV = 'STACKGEN_TRUST_TEMPLATES';

/** Every file under a template folder, as posix paths relative to it, sorted; [] when it is missing. Links are listed, not followed. */
export function listTemplateFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (rel: string) => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(path.join(dir, rel), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) walk(r);
      else out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export interface TemplateDirsOptions {
  /** Folders the caller named explicitly (`--templates DIR`), first wins. */
  templateDirs?: string[];
  /** Whether `<rootDir>/.stackgen/templates` is trusted. */
  trustTemplates?: boolean;
}

/** The override folders a render uses, in order, and the warning when the repository's folder is ignored. */
export function templateDirsFor(rootDir: string, options: TemplateDirsOptions): { dirs: string[]; warning?: TreeWarning } {
  const repoDir = path.join(path.resolve(rootDir), USER_TEMPLATES_DIR);
  const dirs = (options.templateDirs ?? []).map((d) => path.resolve(d));
  if (dirs.includes(repoDir)) return { dirs };
  if (options.trustTemplates) return { dirs: [...dirs, repoDir] };
  const files = listTemplateFiles(repoDir);
  if (files.length === 0) return { dirs };
  return {
    dirs,
    warning: {
      message: `${USER_TEMPLATES_DIR}/ (${files.length} file${files.length === 1 ? '' : 's'}) was ignored: templates are code, and a repository's own are used only when you trust them`,
      hint: `Read them, then pass --trust-templates (or --templates ${USER_TEMPLATES_DIR}) to use them; ${TRUST_TEMPLATES_ENV}=1 does the same except in a dry run. \`stackgen templates list\` shows what they override.`,
      file: repoDir,
    },
  };
}

/**
 * SARIF 2.1.0, the format GitHub code scanning uploads: one run per tool, its rules with help links,
 * results with relative forward-slash URIs.
 */
import path from 'node:path';
import type { Finding } from './types.js';

export interface SarifOptions {
  /** Folder the artifact URIs are made relative to. Default `process.cwd()`. */
  baseDir?: string;
  /** stackgen's version, reported as the driver version. */
  version?: string;
  /** Where stackgen's rules are documented (package.json `homepage`). Default: the placeholder in TOOL_URIS. */
  informationUri?: string;
}

const TOOL_URIS: Record<string, string> = {
  // Placeholder until package.json names a homepage; the CLI passes that when it does.
  stackgen: 'https://github.com/stackgen/stackgen',
  hadolint: 'https://github.com/hadolint/hadolint',
  promtool: 'https://prometheus.io/docs/prometheus/latest/command-line/promtool/',
  actionlint: 'https://github.com/rhysd/actionlint',
  ajv: 'https://github.com/compose-spec/compose-spec',
};

function helpUri(rule: string, tool: string): string {
  if (/^DL\d+$/.test(rule)) return `https://github.com/hadolint/hadolint/wiki/${rule}`;
  if (/^SC\d+$/.test(rule)) return `https://www.shellcheck.net/wiki/${rule}`;
  if (rule.startsWith('actionlint:')) return 'https://github.com/rhysd/actionlint/blob/main/docs/checks.md';
  return TOOL_URIS[tool] ?? TOOL_URIS.stackgen!;
}

function level(f: Finding): 'error' | 'warning' | 'note' {
  return f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note';
}

function uriOf(file: string, baseDir: string): string {
  const abs = path.resolve(baseDir, file);
  const rel = path.relative(baseDir, abs);
  return (rel.startsWith('..') ? abs : rel).split(path.sep).join('/');
}

export function toSarif(findings: readonly Finding[], options: SarifOptions = {}): object {
  const baseDir = options.baseDir ?? process.cwd();
  const byTool = new Map<string, Finding[]>();
  for (const f of findings) byTool.set(f.tool, [...(byTool.get(f.tool) ?? []), f]);
  if (byTool.size === 0) byTool.set('stackgen', []);
  const runs = [...byTool].map(([tool, list]) => {
    const ruleIds = [...new Set(list.map((f) => f.rule))].sort();
    const rules = ruleIds.map((id) => {
      const first = list.find((f) => f.rule === id)!;
      return {
        id,
        shortDescription: { text: first.message.split('\n')[0]!.slice(0, 200) },
        helpUri: helpUri(id, tool),
        ...(first.fix ? { help: { text: first.fix } } : {}),
        defaultConfiguration: { level: level(first) },
      };
    });
    return {
      tool: { driver: { name: tool, informationUri: (tool === 'stackgen' ? options.informationUri : undefined) ?? TOOL_URIS[tool] ?? TOOL_URIS.stackgen!, ...(tool === 'stackgen' && options.version ? { version: options.version } : {}), rules } },
      results: list.map((f) => ({
        ruleId: f.rule,
        ruleIndex: ruleIds.indexOf(f.rule),
        level: level(f),
        message: { text: f.fix ? `${f.message}\nFix: ${f.fix}` : f.message },
        locations: [
          {
            physicalLocation: {
              artifactLocation: { uri: uriOf(f.file, baseDir) },
              region: {
                startLine: Math.max(1, f.line),
                startColumn: Math.max(1, f.column),
                ...(f.endLine ? { endLine: f.endLine } : {}),
                ...(f.endColumn ? { endColumn: f.endColumn } : {}),
              },
            },
          },
        ],
      })),
    };
  });
  return { $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs };
}

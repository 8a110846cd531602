/**
 * Packages whose install step downloads a large binary from outside the package registry (a test
 * browser, an app shell). An image build needs none of them unless the service runs the tool, and
 * the download fails wherever only the registry is reachable (a corporate proxy, an air-gapped CI):
 * an Nx workspace's `npm ci` failed on Cypress fetching its app. Each tool's own documented switch
 * turns the download off; a tool the service depends on at run time keeps it, and the Dockerfile says
 * what that install fetches.
 */
import { join, readJson } from './repo.js';

interface DownloadingTool {
  /** Package names that trigger the download in their install script. */
  packages: readonly string[];
  /** What the install fetches, for the Dockerfile comment. */
  fetches: string;
  /** The documented environment switches that skip it. */
  env: ReadonlyArray<readonly [string, string]>;
}

const TOOLS: readonly DownloadingTool[] = [
  // Cypress docs, "Advanced installation": CYPRESS_INSTALL_BINARY=0 skips the binary.
  { packages: ['cypress'], fetches: 'the Cypress app', env: [['CYPRESS_INSTALL_BINARY', '0']] },
  // Puppeteer's install script: PUPPETEER_SKIP_DOWNLOAD (v19+), PUPPETEER_SKIP_CHROMIUM_DOWNLOAD before.
  { packages: ['puppeteer'], fetches: 'Chrome for Puppeteer', env: [['PUPPETEER_SKIP_DOWNLOAD', 'true'], ['PUPPETEER_SKIP_CHROMIUM_DOWNLOAD', 'true']] },
  // Playwright docs, "Skip browser downloads" (releases before 1.38 fetch browsers on install).
  { packages: ['playwright', '@playwright/test', 'playwright-chromium', 'playwright-firefox', 'playwright-webkit'], fetches: 'Playwright browsers', env: [['PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD', '1']] },
  // Electron docs, "Advanced installation": ELECTRON_SKIP_BINARY_DOWNLOAD=1.
  { packages: ['electron'], fetches: 'the Electron binary', env: [['ELECTRON_SKIP_BINARY_DOWNLOAD', '1']] },
];

export interface InstallDownloads {
  /** ENV lines for the dependency stages, in a stable order. */
  skip: Array<[string, string]>;
  /** The tools whose download is skipped (dev-only here). */
  skipped: string[];
  /** Runtime dependencies whose install still downloads, with what: said in a comment. */
  kept: string[];
}

type Deps = Record<string, unknown>;

/**
 * `manifests` are every package.json the install reads (the service's, a workspace root's and its
 * members'); `runtime` is the service's own package.json, whose `dependencies` the image runs.
 */
export function installDownloads(rootDir: string, manifests: readonly string[], runtime: string): InstallDownloads {
  const read = (rel: string) => readJson(rootDir, rel) ?? {};
  const listed = new Set<string>();
  for (const m of manifests) {
    const pkg = read(m);
    for (const field of ['dependencies', 'devDependencies', 'optionalDependencies'] as const) {
      for (const name of Object.keys((pkg[field] as Deps | undefined) ?? {})) listed.add(name);
    }
  }
  const runs = new Set(Object.keys((read(runtime).dependencies as Deps | undefined) ?? {}));
  const out: InstallDownloads = { skip: [], skipped: [], kept: [] };
  for (const tool of TOOLS) {
    const present = tool.packages.filter((p) => listed.has(p) || runs.has(p));
    if (present.length === 0) continue;
    const atRuntime = present.find((p) => runs.has(p));
    if (atRuntime) out.kept.push(`${atRuntime} (a runtime dependency: its install downloads ${tool.fetches})`);
    else {
      out.skip.push(...tool.env.map(([k, v]) => [k, v] as [string, string]));
      out.skipped.push(present[0]!);
    }
  }
  return out;
}

/** The package.json files a Node install reads, relative to the repository root. */
export function installManifests(pkgDir: string, memberManifests: readonly string[]): string[] {
  return [join(pkgDir, 'package.json'), ...memberManifests.map((f) => join(pkgDir, f))];
}

/** templates/dockerfile/dotnet: published in the SDK image, run on the ASP.NET runtime image. */
import { IMAGES } from '../../../images/catalog.js';
import { exists, globIn, join } from '../repo.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export interface DotnetX {
  /** The project file, as seen from the build context. */
  csproj: string;
  /** Whether the build context is a solution root. */
  solution: boolean;
  /** Project and build props files copied before any source, so restore is its own layer. */
  manifests: string[];
}

export type DotnetContext = TemplateContext<'dotnet', BuildRuntimeImages, DotnetX>;

export function dotnetContext({ model: m, rootDir, img, base }: BuildInput): DotnetContext {
  const dir = m.dir;
  const csproj = globIn(rootDir, dir, ['*.csproj', '*.fsproj']).sort()[0] ?? `${m.name}.csproj`;
  const assembly = csproj.replace(/\.(cs|fs)proj$/, '');
  // ASP.NET reads its port from ASPNETCORE_HTTP_PORTS, not PORT.
  const env = base.env.filter(([k]) => k !== 'PORT');
  if (m.port !== null) env.push(['ASPNETCORE_HTTP_PORTS', String(m.port)]);
  env.push(['DOTNET_EnableDiagnostics', '0']);
  // In a solution, restore and publish the project from the solution root, with the projects it references.
  const sln = m.workspace?.kind === 'dotnet' ? m.workspace : null;
  return {
    ...base,
    template: 'dotnet',
    images: { build: img(IMAGES.dotnetSdk.ref), runtime: img(IMAGES.dotnetAspnet.ref) },
    start: ['dotnet', `${assembly}.dll`],
    dev: sln ? ['dotnet', 'watch', '--project', base.inContext(csproj), 'run', '--no-launch-profile'] : ['dotnet', 'watch', 'run', '--no-launch-profile'],
    devDirs: [],
    env,
    x: {
      csproj: base.inContext(csproj),
      solution: sln !== null,
      manifests: sln ? sln.manifests : [csproj, ...['Directory.Build.props', 'Directory.Packages.props', 'NuGet.config', 'nuget.config', 'global.json'].filter((f) => exists(rootDir, join(dir, f)))],
    },
  };
}

/**
 * The typed context of every Dockerfile template: a union discriminated by `template`, one module
 * per template under `./dockerfile/` building exactly the keys that template reads (a test parses
 * the templates and fails on a read the context lacks). Image references are mapped here (mirror /
 * overrides) so templates never see an unmapped upstream reference.
 */
import { mapImage, type ImageMap } from '../../images/image-map.js';
import type { Spec } from '../../spec/types.generated.js';
import type { ServiceModel, TemplateName } from './service.js';
import { dockerfileBase, type BuildInput } from './dockerfile/base.js';
import { bunContext, type BunContext } from './dockerfile/bun.js';
import { denoContext, type DenoContext } from './dockerfile/deno.js';
import { dotnetContext, type DotnetContext } from './dockerfile/dotnet.js';
import { elixirContext, type ElixirContext } from './dockerfile/elixir.js';
import { genericContext, type GenericContext } from './dockerfile/generic.js';
import { goContext, type GoContext } from './dockerfile/go.js';
import { javaGradleContext, javaMavenContext, type JavaGradleContext, type JavaMavenContext } from './dockerfile/jvm.js';
import { nodeContext, type NodeContext } from './dockerfile/node.js';
import { phpContext, type PhpContext } from './dockerfile/php.js';
import { pythonContext, type PythonContext } from './dockerfile/python.js';
import { rubyContext, type RubyContext } from './dockerfile/ruby.js';
import { rustContext, type RustContext } from './dockerfile/rust.js';
import { staticContext, type StaticContext } from './dockerfile/static.js';

export type { DockerfileBase, HealthcheckContext, TemplateContext } from './dockerfile/base.js';
// compose mounts the same package-manager configuration secrets the Node install steps read.
export { nodeConfigSecrets } from './dockerfile/node.js';

export type DockerfileContext =
  | NodeContext
  | BunContext
  | DenoContext
  | StaticContext
  | PythonContext
  | GoContext
  | RustContext
  | JavaMavenContext
  | JavaGradleContext
  | RubyContext
  | PhpContext
  | DotnetContext
  | ElixirContext
  | GenericContext;

/** Each template's builder; the mapped type makes a template without one a compile error. */
const BUILDERS: { [T in TemplateName]: (input: BuildInput) => Extract<DockerfileContext, { template: T }> } = {
  node: nodeContext,
  bun: bunContext,
  deno: denoContext,
  static: staticContext,
  python: pythonContext,
  go: goContext,
  rust: rustContext,
  'java-maven': javaMavenContext,
  'java-gradle': javaGradleContext,
  ruby: rubyContext,
  php: phpContext,
  dotnet: dotnetContext,
  elixir: elixirContext,
  generic: genericContext,
};

export function dockerfileContext(spec: Spec, m: ServiceModel, rootDir: string, imageMap: ImageMap): DockerfileContext {
  const input: BuildInput = { spec, model: m, rootDir, img: (ref) => mapImage(ref, imageMap), base: dockerfileBase(spec, m) };
  return BUILDERS[m.template!](input);
}

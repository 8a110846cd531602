/** templates/dockerfile/generic: Debian slim for a language without a template of its own. */
import { IMAGES } from '../../../images/catalog.js';
import { toExec } from '../commands.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export interface GenericX {
  /** The spec's language, named in the header comment. */
  language: string;
}

export type GenericContext = TemplateContext<'generic', BuildRuntimeImages, GenericX>;

export function genericContext({ model: m, img, base }: BuildInput): GenericContext {
  const s = m.spec;
  const start = s.commands.start ? toExec(s.commands.start) : ['sh', '-c', 'echo "set services.' + m.name + '.commands.start in stackgen.yaml" >&2; exit 1'];
  return {
    ...base,
    template: 'generic',
    images: { build: img(IMAGES.debian.ref), runtime: img(IMAGES.debian.ref) },
    start,
    dev: start,
    devDirs: [],
    x: { language: s.language },
  };
}

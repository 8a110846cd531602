/** templates/dockerfile/php: Apache on an unprivileged port as www-data, Composer in its own stage. */
import { IMAGES } from '../../../images/catalog.js';
import { exists, join } from '../repo.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

export interface PhpX {
  /** Whether composer.lock pins the install. */
  lock: boolean;
  /** Whether there is a composer.json to install from. */
  composer: boolean;
  /** Apache's document root (a framework's public/ folder). */
  docroot: string;
  /** PHP extensions built into the image: the database drivers the backing services need. */
  extensions: string[];
  /** apt packages those extensions compile against. */
  aptPackages: string[];
}

export type PhpContext = TemplateContext<'php', BuildRuntimeImages, PhpX>;

export function phpContext({ spec, model: m, rootDir, img, base }: BuildInput): PhpContext {
  const s = m.spec;
  const dir = m.dir;
  const kinds = new Set(s.dependsOn.map((d) => spec.backingServices[d]?.kind).filter(Boolean));
  return {
    ...base,
    template: 'php',
    // The php image's Apache user: it owns nothing it serves (the sources are root's).
    service: { ...base.service, uid: 33, user: 'www-data' },
    images: { build: img(IMAGES.composer.ref), runtime: img(IMAGES.php.ref) },
    start: ['apache2-foreground'],
    dev: ['apache2-foreground'],
    devDirs: [],
    x: {
      lock: exists(rootDir, join(dir, 'composer.lock')),
      composer: exists(rootDir, join(dir, 'composer.json')),
      docroot: s.framework === 'laravel' || s.framework === 'symfony' ? '/var/www/html/public' : '/var/www/html',
      extensions: [...(kinds.has('postgres') ? ['pdo_pgsql'] : []), ...(kinds.has('mysql') || kinds.has('mariadb') ? ['pdo_mysql'] : []), 'opcache'],
      aptPackages: [...(kinds.has('postgres') ? ['libpq-dev'] : [])],
    },
  };
}

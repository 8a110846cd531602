/**
 * Every built-in Dockerfile rule, in one registry. Order is irrelevant to results (findings are
 * sorted), but grouping by family keeps the list reviewable.
 */
import type { DockerfileRule } from './define.js';
import { aptRules } from './apt.js';
import { apkRules } from './apk.js';
import { buildRules } from './build.js';
import { copyRules } from './copy.js';
import { fromRules } from './from.js';
import { jsRules } from './js.js';
import { labelRules } from './labels.js';
import { miscRules } from './misc.js';
import { pipRules } from './pip.js';
import { rpmRules } from './rpm.js';
import { runRules } from './run.js';
import { stackgenRules } from './stackgen.js';

export const DOCKERFILE_RULES: readonly DockerfileRule[] = [
  ...fromRules,
  ...copyRules,
  ...runRules,
  ...aptRules,
  ...apkRules,
  ...rpmRules,
  ...pipRules,
  ...jsRules,
  ...miscRules,
  ...labelRules,
  ...stackgenRules,
  ...buildRules,
];

export type { DockerfileRule, RuleContext, RuleHit } from './define.js';

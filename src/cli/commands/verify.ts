import fs from 'node:fs';
import type { CommandModule } from 'yargs';
import { formatReport, toJUnit } from '../../verify/report.js';
import { formatKubernetesReport, verifyKubernetes } from '../../verify/kubernetes.js';
import { formatRollout, verifySwarm, type SwarmVerifyReport } from '../../verify/swarm.js';
import { verify, type VerifyReport } from '../../verify/verify.js';
import { info, note, printJson } from '../output.js';
import { cliEnv, fromCwd, setExitCode } from '../session.js';
import { COMMAND_META } from './meta.js';

interface VerifyArgs {
  dir: string;
  target: 'compose' | 'swarm' | 'kubernetes';
  spec?: string;
  timeout?: string;
  settle?: string;
  'image-map'?: string;
  'ca-bundle'?: string;
  'skip-service'?: string[];
  keep: boolean;
  'keep-images': boolean;
  junit?: string;
  overlay: string;
  json: boolean;
  verbose: boolean;
}

export const verifyCommand: CommandModule<object, VerifyArgs> = {
  ...COMMAND_META.verify,
  builder: (y) =>
    y
      .positional('dir', { type: 'string', default: '.', describe: 'Repository with stackgen.yaml and the rendered stack' })
      .option('target', {
        choices: ['compose', 'swarm', 'kubernetes'] as const,
        default: 'compose' as const,
        describe: 'compose: compose.yaml with Compose; swarm: compose.swarm.yaml on a swarm, with a rolling update; kubernetes: build and validate the Kustomize overlay, then run each pod in Docker as its spec says (not a cluster)',
      })
      .option('spec', { type: 'string', describe: 'Spec file (default <dir>/stackgen.yaml)' })
      .option('timeout', { type: 'string', describe: 'Bound for the stack to turn healthy, e.g. 180s (default: spec verify.timeout)' })
      .option('settle', { type: 'string', describe: 'How long apps must keep running after turning healthy, logs free of connection errors to backing services; with --target kubernetes, how long a worker must stay up without a restart; e.g. 10s (default: spec verify.settle, 5s)' })
      .option('image-map', { type: 'string', describe: 'Image map (YAML: mirror, overrides) applied at verify time' })
      .option('ca-bundle', { type: 'string', describe: 'CA bundle on this machine passed to builds as a BuildKit secret (TLS-intercepting proxies); default $STACKGEN_CA_BUNDLE, then the spec\'s build.caBundle (inside the repository)' })
      .option('skip-service', { type: 'string', array: true, describe: 'Leave a compose service out (repeatable); the report says so' })
      .option('keep', { type: 'boolean', default: false, describe: 'Leave the stack running and print how to stop it' })
      .option('keep-images', { type: 'boolean', default: false, describe: 'Keep the images verify built' })
      .option('junit', { type: 'string', describe: 'Write a JUnit XML report to this file' })
      .option('overlay', { type: 'string', default: 'dev', describe: 'With --target kubernetes: the overlay under kubernetes/overlays/' }) as never,
  handler: async (args) => {
    const dir = fromCwd(args.dir);
    const paths = {
      ...(args.spec ? { spec: fromCwd(args.spec) } : {}),
      ...(args['image-map'] ? { imageMap: fromCwd(args['image-map']) } : {}),
      ...(caBundleFlag(args['ca-bundle']) ? { caBundle: caBundleFlag(args['ca-bundle'])! } : {}),
    };
    const controller = new AbortController();
    let exitFor: number | undefined;
    const onSignal = (sig: NodeJS.Signals) => {
      exitFor = sig === 'SIGINT' ? 130 : 143;
      note(`\n${sig}: stopping and cleaning up…`);
      controller.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    try {
      if (args.target === 'kubernetes') {
        const k = await verifyKubernetes(dir, {
          ...paths,
          ...(args.timeout ? { timeout: args.timeout } : {}),
          ...(args.settle ? { settle: args.settle } : {}),
          overlay: args.overlay,
          keepImages: args['keep-images'],
          signal: controller.signal,
          onProgress: (m) => note(`» ${m}`),
        });
        if (args.json) printJson(k);
        else info(formatKubernetesReport(k));
        if (!k.ok) setExitCode(1);
        return;
      }
      const run = args.target === 'swarm' ? verifySwarm : verify;
      const report: VerifyReport = await run(dir, {
        ...paths,
        ...(args.timeout ? { timeout: args.timeout } : {}),
        ...(args.settle ? { settle: args.settle } : {}),
        skipServices: args['skip-service'] ?? [],
        keep: args.keep,
        keepImages: args['keep-images'],
        signal: controller.signal,
        onProgress: (e) => {
          if (e.type === 'phase') note(`» ${e.message}`);
          else if (e.type === 'healthy') note(`  ${e.service} ${e.as === 'completed' ? 'completed (exit 0)' : 'healthy'} after ${(e.afterMs / 1000).toFixed(1)}s`);
          else if (args.verbose) note(`  [${e.service}] ${e.line}`);
        },
      });
      if (args.junit) fs.writeFileSync(fromCwd(args.junit), toJUnit(report));
      if (args.json) printJson(report);
      else info(`${formatReport(report)}${'target' in report && report.target === 'swarm' ? `\n${formatRollout(report as SwarmVerifyReport)}` : ''}`);
      if (!report.ok) setExitCode(1);
    } catch (err) {
      if (exitFor !== undefined) {
        setExitCode(exitFor);
        return;
      }
      throw err;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    }
    if (exitFor !== undefined) setExitCode(exitFor);
  },
};

/**
 * A CA bundle outside the repository is the operator's choice, never the spec's: a repository must not
 * hand an arbitrary host file to its own install scripts.
 */
function caBundleFlag(flag: string | undefined): string | undefined {
  const value = flag ?? cliEnv().STACKGEN_CA_BUNDLE;
  return value ? fromCwd(value) : undefined;
}

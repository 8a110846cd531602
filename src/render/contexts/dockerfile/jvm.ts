/**
 * templates/dockerfile/java-maven and java-gradle: one builder for both, as the templates share one
 * runtime (`_layouts/jvm.njk`: Temurin JRE, Spring Boot's layered jar or the plain jar).
 */
import { IMAGES } from '../../../images/catalog.js';
import { exists, join } from '../repo.js';
import type { BuildInput, BuildRuntimeImages, TemplateContext } from './base.js';

/** What the shared JVM runtime reads. */
interface JvmX {
  /** Spring Boot: the runtime copies the jar's extracted layers and starts its launcher. */
  spring: boolean;
  /** The build files copied before any source (every module's in a reactor or multi-project build). */
  manifests: string[];
}

export interface MavenX extends JvmX {
  /** A Maven reactor module, built from the reactor root with `-pl <member> -am`. */
  reactor: { member: string } | null;
}

export interface GradleX extends JvmX {
  /** Whether the build root has `gradlew` (else the image's gradle runs). */
  wrapper: boolean;
  /** Whether gradle/wrapper is there to copy with it. */
  gradleWrapperDir: boolean;
  /** Task paths (`:member:task` in a multi-project build). */
  tasks: { dependencies: string; jar: string };
  /** Where the jar task writes, from the build root. */
  libs: string;
}

export type JavaMavenContext = TemplateContext<'java-maven', BuildRuntimeImages, MavenX>;
export type JavaGradleContext = TemplateContext<'java-gradle', BuildRuntimeImages, GradleX>;

const JAVA_TOOL_OPTIONS = '-XX:MaxRAMPercentage=75 -XX:+UseContainerSupport -XX:+ExitOnOutOfMemoryError';

/** The runtime half both build tools share: JRE image, launcher, JVM and Spring ENV. */
function jvmRuntime({ model: m, img, base }: BuildInput, buildImage: string) {
  const spring = m.spec.framework === 'spring-boot';
  const env: Array<[string, string]> = [...base.env, ['JAVA_TOOL_OPTIONS', JAVA_TOOL_OPTIONS]];
  if (spring && m.port !== null) env.push(['SERVER_PORT', String(m.port)]);
  return {
    spring,
    images: { build: img(buildImage), runtime: img(IMAGES.jre.ref) },
    start: spring ? ['java', 'org.springframework.boot.loader.launch.JarLauncher'] : ['java', '-jar', '/app/app.jar'],
    env,
    devDirs: [],
  };
}

export function javaMavenContext(input: BuildInput): JavaMavenContext {
  const { model: m, base } = input;
  const { spring, ...runtime } = jvmRuntime(input, IMAGES.maven.ref);
  // A Maven reactor module builds from the reactor root with its siblings (-pl … -am).
  const reactor = m.workspace?.kind === 'maven' ? m.workspace : null;
  const goal = spring ? 'spring-boot:run' : 'exec:java';
  return {
    ...base,
    ...runtime,
    template: 'java-maven',
    dev: reactor ? ['sh', '-c', `mvn -B -q -pl ${reactor.member} -am install -DskipTests && exec mvn -B -pl ${reactor.member} ${goal}`] : ['mvn', '-B', goal],
    x: { spring, manifests: reactor ? reactor.manifests : ['pom.xml'], reactor: reactor ? { member: reactor.member } : null },
  };
}

export function javaGradleContext(input: BuildInput): JavaGradleContext {
  const { model: m, rootDir, base } = input;
  const dir = m.dir;
  const { spring, ...runtime } = jvmRuntime(input, IMAGES.gradle.ref);
  // A Gradle multi-project member builds from the settings root, as `:<project>:<task>`.
  const multi = m.workspace?.kind === 'gradle' ? m.workspace : null;
  const buildRoot = multi ? multi.root : dir;
  const wrapper = exists(rootDir, join(buildRoot, 'gradlew'));
  const task = (name: string) => (multi ? `:${multi.member.replace(/\//g, ':')}:${name}` : name);
  return {
    ...base,
    ...runtime,
    template: 'java-gradle',
    dev: ['gradle', task(spring ? 'bootRun' : 'run'), '--no-daemon'],
    x: {
      spring,
      wrapper,
      manifests: multi
        ? multi.manifests
        : ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts', 'gradle.properties', 'gradle/libs.versions.toml'].filter((f) => exists(rootDir, join(dir, f))),
      tasks: { dependencies: task('dependencies'), jar: task(spring ? 'bootJar' : 'jar') },
      libs: multi && multi.member !== '.' ? `${multi.member}/build/libs` : 'build/libs',
      gradleWrapperDir: wrapper && exists(rootDir, join(buildRoot, 'gradle/wrapper')),
    },
  };
}

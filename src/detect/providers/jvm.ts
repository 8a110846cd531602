/**
 * JVM ecosystems: Maven, Gradle, sbt, Leiningen and the Clojure CLI, in Java, Kotlin, Scala and
 * Clojure. Each build tool has its own reader under ./jvm/; frameworks (Spring Boot, Quarkus,
 * Micronaut, Ring, Luminus) and their config are shared.
 */
import type { SourceView } from '../../source/source-view.js';
import type { Candidate, Provider } from '../provider.js';
import { detectClojure } from './jvm/clojure.js';
import { detectGradle } from './jvm/gradle.js';
import { detectMaven } from './jvm/maven.js';
import { detectSbt } from './jvm/sbt.js';

export const jvmProvider: Provider = {
  name: 'jvm',
  detect(source: SourceView): Candidate[] {
    return [...detectMaven(source), ...detectGradle(source), ...detectSbt(source), ...detectClojure(source)];
  },
};

import { describe, expect, it } from 'vitest';
import { detect } from '../../../src/detect/detect.js';
import { tempRepo } from '../../helpers/temp-repo.js';

async function detectFiles(files: Record<string, string>) {
  return detect(tempRepo(files, 'sg-jvm-'));
}

const springPom = (extra = '', artifact = 'demo') => `<project>
  <modelVersion>4.0.0</modelVersion>
  <parent><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-parent</artifactId><version>3.3.0</version></parent>
  <artifactId>${artifact}</artifactId>
  <version>1.0.0</version>
  <dependencies>
    <dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency>
    ${extra}
  </dependencies>
  <build><plugins><plugin><groupId>org.springframework.boot</groupId><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build>
</project>`;
const app = 'package demo;\n@org.springframework.boot.autoconfigure.SpringBootApplication\npublic class App { public static void main(String[] a) {} }\n';

describe('gRPC servers without a web framework', () => {
  it('ServerBuilder.forPort(…) makes a plain Maven program a web service on that port', async () => {
    const pom = '<project><modelVersion>4.0.0</modelVersion><groupId>g</groupId><artifactId>greeter</artifactId><version>1</version><dependencies><dependency><groupId>io.grpc</groupId><artifactId>grpc-netty-shaded</artifactId><version>1.64.0</version></dependency></dependencies></project>';
    const main = 'package g;\nimport io.grpc.ServerBuilder;\npublic class Main {\n  public static void main(String[] a) throws Exception {\n    var server = ServerBuilder.forPort(50055).addService(new Greeter()).build().start();\n    server.awaitTermination();\n  }\n}\n';
    const t = await detectFiles({ 'pom.xml': pom, 'src/main/java/g/Main.java': main });
    expect(t.services[0]).toMatchObject({ port: 50055 });
    expect(t.services[0]!.role).toBeUndefined();
  });
});

describe('Spring Boot server.port', () => {
  it.each([
    ['application.properties', 'server.port=9000\n', 9000],
    ['application.properties', 'server.port=${PORT:8085}\n', 8085],
    ['application.properties', 'server.port=${PORT}\n', 8080],
    ['application.properties', 'server.port: 7001\n', 7001],
    ['application.yml', 'spring:\n  application:\n    name: demo\nserver:\n  port: 8181\n', 8181],
    ['application.yaml', 'server:\n  port: "${SERVER_PORT:9191}"\n', 9191],
    ['application.yml', 'server:\n  port: 8001\n---\nspring:\n  config:\n    activate:\n      on-profile: prod\nserver:\n  port: 8002\n', 8002],
  ])('%s with %j → %i', async (file, text, port) => {
    const t = await detectFiles({ 'pom.xml': springPom(), 'src/main/java/demo/App.java': app, [`src/main/resources/${file}`]: text });
    expect(t.services).toHaveLength(1);
    expect(t.services[0]).toMatchObject({ framework: 'spring-boot', port });
  });

  it('defaults to 8080 and puts actuator health under the context path', async () => {
    const t = await detectFiles({
      'pom.xml': springPom('<dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-actuator</artifactId></dependency>'),
      'src/main/java/demo/App.java': app,
      'src/main/resources/application.properties': 'server.servlet.context-path=/shop\nmanagement.endpoints.web.base-path=/manage\n',
    });
    expect(t.services[0]).toMatchObject({ port: 8080, healthPath: '/shop/manage/health' });
  });

  it('reports no health path without actuator', async () => {
    const t = await detectFiles({ 'pom.xml': springPom(), 'src/main/java/demo/App.java': app });
    expect(t.services[0]!.healthPath).toBeNull();
  });
});

describe('Maven', () => {
  it('turns a broken pom.xml into a warning with its line, not silence', async () => {
    const t = await detectFiles({ 'pom.xml': '<project>\n  <artifactId>x</artifactId>\n  <dependencies>\n    <dependency>\n  </dependencies>\n</project>\n' });
    const w = t.warnings.find((x) => x.file === 'pom.xml');
    expect(w).toBeDefined();
    expect(w!.line).toBe(5);
    expect(w!.message).toMatch(/invalid XML/);
  });

  it('keeps library modules out and names the jar from the inherited version', async () => {
    const t = await detectFiles({
      'pom.xml': '<project><groupId>g</groupId><artifactId>root</artifactId><version>2.1.0</version><packaging>pom</packaging><modules><module>lib</module><module>web</module></modules></project>',
      'lib/pom.xml': '<project><parent><groupId>g</groupId><artifactId>root</artifactId><version>2.1.0</version></parent><artifactId>lib</artifactId><dependencies><dependency><groupId>org.postgresql</groupId><artifactId>postgresql</artifactId></dependency></dependencies></project>',
      'lib/src/main/java/g/Util.java': 'package g; public class Util {}',
      'web/pom.xml': '<project><parent><groupId>g</groupId><artifactId>root</artifactId><version>2.1.0</version></parent><artifactId>web</artifactId><dependencies><dependency><groupId>org.springframework.boot</groupId><artifactId>spring-boot-starter-web</artifactId></dependency></dependencies><build><plugins><plugin><artifactId>spring-boot-maven-plugin</artifactId></plugin></plugins></build></project>',
      'web/src/main/java/demo/App.java': app,
    });
    expect(t.services.map((s) => s.name)).toEqual(['web']);
    expect(t.services[0]).toMatchObject({ framework: 'spring-boot', port: 8080 });
    expect(t.services[0]!.commands.start).toBe('java -jar target/web-2.1.0.jar');
    expect(t.services[0]!.commands.build).toBe('mvn -B -DskipTests -f ../pom.xml -pl web -am package');
  });

  it('reads the Java version from maven-compiler-plugin and 1.8-style properties', async () => {
    const a = await detectFiles({ 'pom.xml': springPom().replace('<dependencies>', '<properties><maven.compiler.source>1.8</maven.compiler.source></properties><dependencies>'), 'src/main/java/demo/App.java': app });
    expect(a.services[0]!.runtimeVersion).toBe('8');
  });

  it('excludes test-scoped clients from backing services', async () => {
    const t = await detectFiles({
      'pom.xml': springPom('<dependency><groupId>com.mysql</groupId><artifactId>mysql-connector-j</artifactId><scope>test</scope></dependency><dependency><groupId>org.springframework.kafka</groupId><artifactId>spring-kafka</artifactId></dependency>'),
      'src/main/java/demo/App.java': app,
    });
    expect(t.services[0]!.backingServices).toEqual(['kafka']);
  });
});

describe('Gradle', () => {
  it('reads the toolchain from build.gradle.kts and sees Kotlin', async () => {
    const t = await detectFiles({
      'settings.gradle.kts': 'rootProject.name = "svc"\n',
      'build.gradle.kts': 'plugins {\n  kotlin("jvm") version "2.0.0"\n  application\n}\nkotlin {\n  jvmToolchain(17)\n}\napplication { mainClass.set("AppKt") }\ndependencies {\n  implementation("io.ktor:ktor-server-netty:2.3.12")\n}\n',
      'src/main/kotlin/App.kt': 'fun main() {\n  embeddedServer(Netty, port = 8099) {}.start(wait = true)\n}\n',
    });
    expect(t.services[0]).toMatchObject({ name: 'svc', language: 'kotlin', runtimeVersion: '17', port: 8099, commands: { build: 'gradle --no-daemon installDist', start: 'build/install/svc/bin/svc' } });
  });

  it('reads languageVersion.set(JavaLanguageVersion.of(N)) in Groovy DSL', async () => {
    const t = await detectFiles({
      'build.gradle': "plugins {\n  id 'org.springframework.boot' version '3.3.0'\n  id 'java'\n}\njava {\n  toolchain {\n    languageVersion.set(JavaLanguageVersion.of(22))\n  }\n}\ndependencies {\n  implementation 'org.springframework.boot:spring-boot-starter-webflux'\n}\n",
      'src/main/java/demo/App.java': app,
    });
    expect(t.services[0]).toMatchObject({ runtimeVersion: '22', framework: 'spring-boot', port: 8080 });
  });

  it('makes the settings root a workspace and leaves java-library projects out', async () => {
    const t = await detectFiles({
      'settings.gradle': "rootProject.name = 'shop'\ninclude 'core', 'services:orders'\n",
      'build.gradle': "plugins {\n  id 'org.springframework.boot' version '3.3.0' apply false\n}\n",
      'core/build.gradle': "plugins { id 'java-library' }\ndependencies { api 'redis.clients:jedis:5.1.0' }\n",
      'services/orders/build.gradle': "plugins {\n  id 'org.springframework.boot'\n  id 'java'\n}\ndependencies {\n  implementation project(':core')\n  implementation 'org.springframework.boot:spring-boot-starter-web'\n}\n",
      'services/orders/src/main/java/demo/App.java': app,
    });
    expect(t.services.map((s) => `${s.name}@${s.path}`)).toEqual(['orders@services/orders']);
    expect(t.services[0]!.commands.build).toBe('gradle --no-daemon bootJar');
    // The library's client comes along with the app that depends on it.
    expect(t.services[0]!.backingServices).toEqual(['redis']);
  });

  it('resolves dependencies and plugins from the version catalog', async () => {
    const t = await detectFiles({
      'gradle/libs.versions.toml': '[libraries]\nspring-boot-starter-web = { module = "org.springframework.boot:spring-boot-starter-web" }\npostgresql = "org.postgresql:postgresql:42.7.3"\n[plugins]\nspring-boot = { id = "org.springframework.boot", version = "3.3.0" }\n',
      'build.gradle.kts': 'plugins {\n  alias(libs.plugins.spring.boot)\n  java\n}\ndependencies {\n  implementation(libs.spring.boot.starter.web)\n  runtimeOnly(libs.postgresql)\n}\n',
      'src/main/java/demo/App.java': app,
    });
    expect(t.services[0]).toMatchObject({ framework: 'spring-boot', backingServices: ['postgres'], commands: { build: 'gradle --no-daemon bootJar' } });
  });
});

describe('Clojure', () => {
  it('recognises Luminus and its config port', async () => {
    const t = await detectFiles({
      'project.clj': '(defproject guestbook "0.1.0-SNAPSHOT"\n  :dependencies [[org.clojure/clojure "1.11.1"]\n                 [luminus-undertow "0.1.18"]\n                 [luminus-migrations "0.7.5"]\n                 [org.postgresql/postgresql "42.6.0"]]\n  :main ^:skip-aot guestbook.core)\n',
      'dev-config.edn': '{:dev true\n :port 3010}\n',
    });
    expect(t.services[0]).toMatchObject({ framework: 'luminus', port: 3010, language: 'clojure', backingServices: ['postgres'] });
  });

  it('treats a project without :main or handler as a library', async () => {
    const t = await detectFiles({ 'project.clj': '(defproject utils "1.0.0" :dependencies [[org.clojure/clojure "1.11.1"]])\n' });
    expect(t.services).toEqual([]);
  });
});

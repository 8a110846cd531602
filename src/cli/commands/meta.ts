/**
 * Each command's usage line and one-line description, apart from its code: `stackgen --help` and
 * the suggestions for a mistyped command list every command from here without importing any of them
 * (together they pull in Nunjucks, ajv, the prompt library, dockerode and testcontainers).
 */
export const COMMAND_META = {
  detect: { command: 'detect [dir]', describe: 'Show the services, ports and backing services stackgen finds in a repository' },
  render: { command: 'render [dir]', describe: 'Render the Docker stack from stackgen.yaml (Dockerfiles, compose, .env, …)' },
  lint: { command: 'lint [paths..]', describe: 'Lint Dockerfiles, compose, Prometheus, Grafana and CI files (folders are walked)' },
  templates: { command: 'templates <command>', describe: 'List or eject the templates stackgen renders from' },
  init: { command: 'init [dir]', describe: 'Detect the repository, ask a few questions, write stackgen.yaml and render the stack' },
  validate: { command: 'validate [spec]', describe: 'Check stackgen.yaml against the schema and for consistency; every problem with file:line:col' },
  schema: { command: 'schema', describe: 'Print the JSON Schema of stackgen.yaml (for editors and other tools)' },
  verify: { command: 'verify [dir]', describe: 'Build every image, start the stack, wait healthy, probe it, report, and tear it down' },
} as const;

export type CommandName = keyof typeof COMMAND_META;

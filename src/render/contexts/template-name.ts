/** The built-in Dockerfile templates (templates/dockerfile/<name>). */
export type TemplateName =
  | 'node' | 'bun' | 'deno' | 'python' | 'go' | 'rust' | 'java-maven' | 'java-gradle' | 'ruby' | 'php' | 'dotnet' | 'elixir' | 'static' | 'generic';

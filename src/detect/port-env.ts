/**
 * The environment variable a port was read from, when the line that gave the port reads one
 * (`os.environ.get("GRPC_PORT", 50051)`, `process.env.PORT || 4000`, `Deno.env.get("PORT") ?? 8000`,
 * `ENV.fetch("PORT", 3000)`, `os.Getenv("APP_PORT")`). The app falls back to the port when the
 * variable is unset; stackgen sets the variable to that port, so the container and the app agree
 * even when the image or the platform sets the variable to something else.
 */
const READS: RegExp[] = [
  /\b(?:environ\.get|getenv|Getenv|LookupEnv|env\.int|env\.str|env\.get|Deno\.env\.get|ENV\.fetch|System\.getenv|GetEnvironmentVariable|env::var)\s*\(\s*f?["']([A-Za-z_][A-Za-z0-9_]*)["']/,
  /\b(?:environ|ENV|process\.env|Bun\.env|import\.meta\.env)\s*\[\s*["']([A-Za-z_][A-Za-z0-9_]*)["']\s*\]/,
  /\b(?:process\.env|Bun\.env|import\.meta\.env)\.([A-Za-z_][A-Za-z0-9_]*)/,
  /\$\{([A-Za-z_][A-Za-z0-9_]*):-\d{2,5}\}/,
];

/** A variable name that names a port, read on this line with `port` as its fallback. */
export function portEnvIn(line: string, port: number): string | undefined {
  if (!new RegExp(`(?<![\\d.])${port}(?!\\d)`).test(line)) return undefined;
  for (const re of READS) {
    const name = re.exec(line)?.[1];
    if (name && /PORT/i.test(name)) return name;
  }
  return undefined;
}

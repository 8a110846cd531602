/**
 * Line scans the Go, Rust and Python providers share: which route looks most like a health check,
 * and which port a program listens on, each ranked so the most explicit signal wins. The
 * language-specific part (what a route or a listen call looks like) stays in each provider; the
 * ranking, the port range check and the "first best hit wins" rule live here once.
 */

/** Health paths, best first: an app with both `/health` and `/ping` is probed at `/health`. */
export const HEALTH_RANK: readonly RegExp[] = [
  /^\/health\/?$/,
  /^\/healthz\/?$/,
  /^\/(?:healthcheck|health-check|health_check|_health|_healthz)\/?$/,
  /^\/(?:api\/(?:v\d+\/)?)?healthz?\/?$/,
  /^\/(?:livez|readyz|ready|live|liveness|readiness)\/?$/,
  /^\/(?:ping|status|up)\/?$/,
];

/** Rank of `p` in HEALTH_RANK (0 is best), or -1 when it is no health path. */
export function healthRank(p: string): number {
  return HEALTH_RANK.findIndex((re) => re.test(p));
}

/** A route a line defines; `literal` marks a bare string that only looks like a path (ranked after real routes). */
export interface RouteOnLine {
  path: string;
  literal?: boolean;
}

export interface LineHit {
  file: string;
  /** 1-based. */
  line: number;
  /** The line, trimmed. */
  text: string;
}

const LITERAL_PENALTY = 10;

/**
 * The best-ranked health route in `files`: `routeOf` reads one line (comment lines are skipped
 * with `comment`); among equal ranks the first one found wins.
 */
export function bestHealthRoute(files: ReadonlyArray<{ file: string; text: string }>, routeOf: (line: string) => RouteOnLine | undefined, comment: RegExp): (LineHit & { path: string }) | undefined {
  let best: (LineHit & { path: string; rank: number }) | undefined;
  for (const f of files) {
    const lines = f.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (comment.test(l)) continue;
      const route = routeOf(l);
      if (!route) continue;
      const r = healthRank(route.path);
      if (r < 0) continue;
      const rank = r + (route.literal ? LITERAL_PENALTY : 0);
      if (!best || rank < best.rank) best = { path: route.path, file: f.file, line: i + 1, text: l.trim(), rank };
    }
  }
  if (!best) return undefined;
  const { rank: _rank, ...hit } = best;
  return hit;
}

/** A TCP port from a regexp match: its first capture group that is set, when it is 1–65535. */
export function portOfMatch(m: RegExpExecArray | null): number | undefined {
  const n = Number(m?.slice(1).find((g) => g !== undefined));
  return Number.isInteger(n) && n > 0 && n < 65536 ? n : undefined;
}

/** Every `[pattern, rank]` that finds a port in `text`, in pattern order. */
export function portsIn(text: string, patterns: ReadonlyArray<readonly [RegExp, number]>): Array<{ port: number; rank: number }> {
  const out: Array<{ port: number; rank: number }> = [];
  for (const [re, rank] of patterns) {
    const port = portOfMatch(re.exec(text));
    if (port !== undefined) out.push({ port, rank });
  }
  return out;
}

export interface PortScan {
  patterns: ReadonlyArray<readonly [RegExp, number]>;
  /** Whole-line comments, skipped. */
  comment: RegExp;
  /** The text rank-0 patterns read at line `i` (e.g. the line joined with the next ones, for a fallback on a later line). */
  rankZeroText?: (lines: string[], i: number) => string;
  /** Extra hits a line yields that one regexp cannot see (a fallback a few lines below); `line` is the 0-based line of the hit. */
  extra?: (lines: string[], i: number) => Array<{ port: number; rank: number; line: number; env?: string }>;
}

/** The best-ranked port in `files` (rank 0 is best; among equal ranks the first found wins). */
export function bestPort(files: ReadonlyArray<{ file: string; text: string }>, scan: PortScan): (LineHit & { port: number; rank: number; env?: string }) | undefined {
  let best: (LineHit & { port: number; rank: number; env?: string }) | undefined;
  const zero = scan.patterns.filter(([, rank]) => rank === 0);
  const rest = scan.patterns.filter(([, rank]) => rank !== 0);
  for (const f of files) {
    const lines = f.text.split('\n');
    for (let i = 0; i < lines.length; i++) {
      const l = lines[i] ?? '';
      if (scan.comment.test(l)) continue;
      const zeroText = scan.rankZeroText ? scan.rankZeroText(lines, i) : l;
      const hits: Array<{ port: number; rank: number; line: number; env?: string }> = [...portsIn(zeroText, zero), ...portsIn(l, rest)].map((h) => ({ ...h, line: i }));
      if (scan.extra) hits.push(...scan.extra(lines, i));
      for (const h of hits) if (!best || h.rank < best.rank) best = { port: h.port, rank: h.rank, file: f.file, line: h.line + 1, text: (lines[h.line] ?? '').trim(), ...(h.env ? { env: h.env } : {}) };
    }
    if (best?.rank === 0) break;
  }
  return best;
}

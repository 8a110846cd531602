/**
 * A name made a DNS label (lower-case letters, digits and '-', starting with a letter, at most 63
 * characters): what compose service names, spec keys and project names must be. Its own module so the
 * spec stage can use it without loading every detection provider.
 */
export function dnsLabel(raw: string): string {
  return raw
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '')
    .replace(/-+/g, '-')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/** The characters the schema refuses and the ones render and detect refuse are one set. */
import { describe, expect, it } from 'vitest';
import { hasUnsafeChars, UNSAFE_CHARS_SOURCE } from '../../src/safe-text.js';
import { specSchema } from '../../src/spec/schema.js';

const defs = specSchema.$defs as Record<string, { pattern: string }>;

describe('unsafe characters', () => {
  it('the schema’s text and command patterns refuse exactly the characters render refuses', () => {
    expect(defs.text!.pattern).toBe(`^${UNSAFE_CHARS_SOURCE.replace('[', '[^')}*$`);
    expect(defs.command!.pattern.startsWith(`^${UNSAFE_CHARS_SOURCE.replace('[', '[^')}*`)).toBe(true);
  });

  it('covers line breaks, controls, Unicode separators, bidi overrides and zero-width characters, and nothing printable', () => {
    for (const c of ['\n', '\r', '\t', '\u0000', '\u001b', '\u007f', '\u0085', '\u2028', '\u2029', '\u202e', '\u2066', '\u200b', '\u200f', '\ufeff', '\u061c']) {
      expect(hasUnsafeChars(`a${c}b`), JSON.stringify(c)).toBe(true);
    }
    for (const s of ['plain text', 'é ü ß 日本語', '$(x) `y` ${z}', "quotes ' \" and \\ backslash"]) expect(hasUnsafeChars(s), s).toBe(false);
  });
});

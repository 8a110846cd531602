/**
 * The characters no value may carry into a generated file: C0/C1 controls (line breaks included),
 * Unicode line separators, and the bidirectional and zero-width characters that make text read
 * differently from what it is. The schema's `text` pattern refuses the same set.
 */
// eslint-disable-next-line no-control-regex
export const UNSAFE_CHARS_SOURCE = '[\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2069\\uFEFF]';

export function hasUnsafeChars(text: string): boolean {
  return new RegExp(UNSAFE_CHARS_SOURCE).test(text);
}

/** Each unsafe character replaced by a space (for comments, where a value is only shown). */
export function replaceUnsafeChars(text: string): string {
  return text.replace(new RegExp(UNSAFE_CHARS_SOURCE, 'g'), ' ');
}

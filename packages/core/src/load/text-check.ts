import type { Diagnostic } from '../diagnostics/diagnostic.js';

/**
 * Accepts only UTF-8 text without NUL bytes. Reports the first offending byte with its line and
 * column so that a user can find it, rather than letting the YAML parser choke on it.
 */
export function checkText(file: string, bytes: Uint8Array): { text: string } | { diagnostic: Diagnostic } {
  const bad = firstInvalidUtf8(bytes);
  if (bad === -1) {
    const text = new TextDecoder('utf-8').decode(bytes).replace(/^\uFEFF/, '');
    const nul = text.indexOf('\u0000');
    if (nul === -1) return { text };
    return { diagnostic: notText(file, bytes, byteOffsetOf(text, nul), 'a NUL byte (binary data)') };
  }
  return { diagnostic: notText(file, bytes, bad, `invalid UTF-8 byte 0x${(bytes[bad] ?? 0).toString(16).padStart(2, '0')}`) };
}

function notText(file: string, bytes: Uint8Array, offset: number, what: string): Diagnostic {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (bytes[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return {
    code: 'AM1004',
    severity: 'error',
    file,
    line,
    col: offset - lineStart + 1,
    path: '',
    message: `not a text file: ${what} at byte ${offset}; policy files must be UTF-8 YAML or JSON`,
  };
}

function byteOffsetOf(text: string, charIndex: number): number {
  return Buffer.byteLength(text.slice(0, charIndex), 'utf8');
}

/** Index of the first byte that is not part of a well-formed UTF-8 sequence, or -1. */
export function firstInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b < 0x80) {
      i++;
      continue;
    }
    let need: number;
    let min: number;
    if (b >= 0xc2 && b <= 0xdf) [need, min] = [1, 0x80];
    else if (b >= 0xe0 && b <= 0xef) [need, min] = [2, 0x800];
    else if (b >= 0xf0 && b <= 0xf4) [need, min] = [3, 0x10000];
    else return i;
    let cp = b & (0x3f >> need);
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
      cp = (cp << 6) | (c & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return i;
    i += need + 1;
  }
  return -1;
}

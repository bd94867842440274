// The type of an uploaded file is decided from its bytes, never from its name or declared MIME type.

export const supportedMediaTypes = ['application/pdf', 'image/jpeg', 'image/png', 'image/tiff'] as const;
export type SupportedMediaType = (typeof supportedMediaTypes)[number];

function startsWith(bytes: Uint8Array, signature: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + signature.length) return false;
  return signature.every((byte, i) => bytes[offset + i] === byte);
}

/** The media type the leading bytes prove, or null when they match no supported format. */
export function sniffMediaType(bytes: Uint8Array): SupportedMediaType | null {
  if (startsWith(bytes, [0x25, 0x50, 0x44, 0x46, 0x2d])) return 'application/pdf'; // %PDF-
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(bytes, [0x49, 0x49, 0x2a, 0x00]) || startsWith(bytes, [0x4d, 0x4d, 0x00, 0x2a])) return 'image/tiff';
  return null;
}

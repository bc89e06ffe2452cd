/** Image formats we accept from uploads, told apart by their first bytes, never by name or type. */
export type ImageType = "png" | "jpg" | "webp";

export const imageContentTypes: Record<ImageType, string> = {
  png: "image/png",
  jpg: "image/jpeg",
  webp: "image/webp",
};

const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const jpeg = [0xff, 0xd8, 0xff];

function startsWith(buffer: Buffer, bytes: number[], offset = 0): boolean {
  return buffer.length >= offset + bytes.length && bytes.every((b, i) => buffer[offset + i] === b);
}

/** The format a file's content really has (PNG, JPEG or WebP), or null for anything else. */
export function sniffImageType(buffer: Buffer): ImageType | null {
  if (startsWith(buffer, png)) return "png";
  if (startsWith(buffer, jpeg)) return "jpg";
  if (
    buffer.length >= 12 &&
    buffer.toString("latin1", 0, 4) === "RIFF" &&
    buffer.toString("latin1", 8, 12) === "WEBP"
  ) {
    return "webp";
  }
  return null;
}

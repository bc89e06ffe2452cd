import type { SocialNetwork } from "./types";
import { networkName } from "./http";

/**
 * What each network accepts, for the composer's counters and the media library's upload checks.
 * Sources: X's media and post docs (280 characters; images ≤ 5 MB, GIF ≤ 15 MB), LinkedIn's Posts
 * and Images APIs (3000 characters; JPG/PNG/GIF up to 36,152,320 pixels), Facebook Page posts
 * (63,206 characters; photos JPG/PNG/GIF, 4 MB recommended limit we enforce), Instagram content
 * publishing (2200-character captions, 30 hashtags; JPEG only, ≤ 8 MB, aspect 4:5 to 1.91:1,
 * 320–1440 px wide).
 */
export interface MediaRules {
  imageTypes: readonly string[];
  maxImageBytes: number;
  /** Larger cap for animated GIFs where the network has one. */
  maxGifBytes?: number;
  minWidth?: number;
  maxWidth?: number;
  maxPixels?: number;
  /** width / height bounds, inclusive. */
  minAspect?: number;
  maxAspect?: number;
  /** Video the network takes (only the X client publishes video so far: xMedia.ts). */
  videoTypes: readonly string[];
  maxVideoBytes: number;
}

export interface TextRules {
  maxLength: number;
  maxHashtags?: number;
}

const MB = 1024 * 1024;

export const textRules: Record<SocialNetwork, TextRules> = {
  x: { maxLength: 280 },
  linkedin: { maxLength: 3000 },
  facebook: { maxLength: 63_206 },
  instagram: { maxLength: 2200, maxHashtags: 30 },
};

export const mediaRules: Record<SocialNetwork, MediaRules> = {
  x: {
    imageTypes: ["image/jpeg", "image/png", "image/webp", "image/gif"],
    maxImageBytes: 5 * MB,
    maxGifBytes: 15 * MB,
    videoTypes: ["video/mp4", "video/quicktime"],
    maxVideoBytes: 512 * MB,
  },
  linkedin: {
    imageTypes: ["image/jpeg", "image/png", "image/gif"],
    maxImageBytes: 8 * MB,
    maxPixels: 36_152_320,
    videoTypes: ["video/mp4"],
    maxVideoBytes: 500 * MB,
  },
  facebook: {
    imageTypes: ["image/jpeg", "image/png", "image/gif"],
    maxImageBytes: 4 * MB,
    videoTypes: ["video/mp4", "video/quicktime"],
    maxVideoBytes: 1024 * MB,
  },
  instagram: {
    imageTypes: ["image/jpeg"],
    maxImageBytes: 8 * MB,
    minWidth: 320,
    maxWidth: 1440,
    minAspect: 4 / 5,
    maxAspect: 1.91,
    videoTypes: ["video/mp4", "video/quicktime"],
    maxVideoBytes: 300 * MB,
  },
};

/** Characters as the networks count them (code points, so an emoji is one, not two). */
export function textLength(text: string): number {
  return [...text].length;
}

/** Why `text` cannot go to `network` as it is (empty when it can). */
export function checkText(network: SocialNetwork, text: string): string[] {
  const rules = textRules[network];
  const problems: string[] = [];
  const length = textLength(text);
  if (length > rules.maxLength)
    problems.push(`${label(network)} takes ${rules.maxLength} characters; this has ${length}.`);
  const hashtags = text.match(/(^|\s)#[\p{L}\p{N}_]+/gu)?.length ?? 0;
  if (rules.maxHashtags !== undefined && hashtags > rules.maxHashtags)
    problems.push(`${label(network)} takes ${rules.maxHashtags} hashtags; this has ${hashtags}.`);
  return problems;
}

export interface MediaFacts {
  mimeType: string;
  byteSize: number;
  /** When known (imageSize reads them from PNG, JPEG, GIF and WebP headers). */
  width?: number | null;
  height?: number | null;
}

/** Why this file cannot go to `network` (empty when it can). */
export function checkMedia(network: SocialNetwork, media: MediaFacts): string[] {
  const rules = mediaRules[network];
  const name = label(network);
  const isVideo = media.mimeType.startsWith("video/");
  if (isVideo) {
    if (!rules.videoTypes.includes(media.mimeType))
      return [`${name} does not take ${media.mimeType} video.`];
    return media.byteSize > rules.maxVideoBytes
      ? [`${name} takes videos up to ${megabytes(rules.maxVideoBytes)}.`]
      : [];
  }
  if (!rules.imageTypes.includes(media.mimeType))
    return [
      `${name} takes ${rules.imageTypes.map(shortType).join(", ")} images, not ${shortType(media.mimeType)}.`,
    ];
  const problems: string[] = [];
  const cap =
    media.mimeType === "image/gif" && rules.maxGifBytes ? rules.maxGifBytes : rules.maxImageBytes;
  if (media.byteSize > cap) problems.push(`${name} takes images up to ${megabytes(cap)}.`);
  const { width, height } = media;
  if (width && height) {
    if (rules.minWidth && width < rules.minWidth)
      problems.push(
        `${name} needs images at least ${rules.minWidth} px wide; this is ${width} px.`,
      );
    if (rules.maxPixels && width * height > rules.maxPixels)
      problems.push(
        `${name} takes images up to ${rules.maxPixels.toLocaleString("en-IN")} pixels.`,
      );
    const aspect = width / height;
    if (
      (rules.minAspect && aspect < rules.minAspect - 0.005) ||
      (rules.maxAspect && aspect > rules.maxAspect + 0.005)
    )
      problems.push(
        `${name} takes images from portrait 4:5 to landscape 1.91:1; this is ${width}×${height}.`,
      );
  }
  return problems;
}

/** The network's name as people know it. */
export const label = networkName;

function shortType(mimeType: string): string {
  return mimeType.replace(/^image\//, "").toUpperCase();
}

function megabytes(bytes: number): string {
  return `${Math.round(bytes / MB)} MB`;
}

/** Width and height from a PNG, GIF, WebP (VP8/VP8L/VP8X) or JPEG header; null when unknown. */
export function imageSize(bytes: Buffer): { width: number; height: number } | null {
  if (bytes.length >= 24 && bytes.readUInt32BE(0) === 0x89504e47)
    return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
  if (bytes.length >= 10 && bytes.toString("ascii", 0, 3) === "GIF")
    return { width: bytes.readUInt16LE(6), height: bytes.readUInt16LE(8) };
  if (
    bytes.length >= 30 &&
    bytes.toString("ascii", 0, 4) === "RIFF" &&
    bytes.toString("ascii", 8, 12) === "WEBP"
  )
    return webpSize(bytes);
  if (bytes.length >= 4 && bytes[0] === 0xff && bytes[1] === 0xd8) return jpegSize(bytes);
  return null;
}

function webpSize(bytes: Buffer): { width: number; height: number } | null {
  const chunk = bytes.toString("ascii", 12, 16);
  if (chunk === "VP8X")
    return { width: 1 + bytes.readUIntLE(24, 3), height: 1 + bytes.readUIntLE(27, 3) };
  if (chunk === "VP8L") {
    const bits = bytes.readUInt32LE(21);
    return { width: 1 + (bits & 0x3fff), height: 1 + ((bits >> 14) & 0x3fff) };
  }
  if (chunk === "VP8 ")
    return { width: bytes.readUInt16LE(26) & 0x3fff, height: bytes.readUInt16LE(28) & 0x3fff };
  return null;
}

function jpegSize(bytes: Buffer): { width: number; height: number } | null {
  let offset = 2;
  while (offset + 9 < bytes.length) {
    if (bytes[offset] !== 0xff) return null;
    const marker = bytes[offset + 1] as number;
    const length = bytes.readUInt16BE(offset + 2);
    // SOF0–SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (marker >= 0xc0 && marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(marker))
      return { height: bytes.readUInt16BE(offset + 5), width: bytes.readUInt16BE(offset + 7) };
    offset += 2 + length;
  }
  return null;
}

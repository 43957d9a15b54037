import type { ForwardedOperation, ImageGenerationRequest, RerankRequest, SpeechRequest, UploadFormRequest } from '../canonical/forwarded.ts';
import type { CanonicalRequest } from '../canonical/operation.ts';
import { formBoundary, readFormParts, type FormPart } from '../formats/openai-forwarded/multipart-form.ts';
import { imageBytesTokens } from './estimate-attachment-tokens.ts';
import { estimateTokens } from './estimate-tokens.ts';

/**
 * What a forwarded operation (images, audio, rerank) may use, estimated before the call for the
 * rate-limit plugin's reservations, in the token classes the price catalogue prices. The rules
 * (src/usage/README.md, "Estimates of the forwarded operations") err high where the request does
 * not say: an image of `quality: auto` is reserved at high quality, `size: auto` at the largest
 * standard size. The reservation is settled to what the ledger records once the call is done.
 */
export interface ForwardedUsageEstimate {
  /** Text (and audio) input tokens, priced at `input`. */
  inputTokens: number;
  /** Image input tokens (an edit's images), priced at `image_input`, else `input`. */
  imageInputTokens: number;
  /** Output tokens (image, audio or text), priced at `output`. */
  outputTokens: number;
  /** What the estimate is made of, for the message of a refusal. */
  basis: string;
  /** What the client can change to make the request smaller, for the same message. */
  advice: string;
}

type Quality = 'low' | 'medium' | 'high';

/**
 * Image output tokens of one gpt-image image by quality and size (OpenAI's image generation
 * guide, "Cost and latency"; the same table for gpt-image-1, gpt-image-1-mini and gpt-image-1.5,
 * each at its own output price).
 */
const imageOutputTokens: Record<Quality, { square: number; portrait: number; landscape: number }> = {
  low: { square: 272, portrait: 408, landscape: 400 },
  medium: { square: 1056, portrait: 1584, landscape: 1568 },
  high: { square: 4160, portrait: 6240, landscape: 6208 },
};
/** What one partial image of a streamed generation adds (OpenAI's guide). */
const partialImageTokens = 100;
/** Audio output tokens reserved per character of speech input: gpt-4o-mini-tts speaks about 15 characters and writes about 21 audio tokens a second (1,250 a minute at its $0.015/minute estimate), so 2 errs high. */
const audioTokensPerCharacter = 2;
/** Audio input tokens reserved per second of a recording (gpt-4o-transcribe reads about 17 a second: $0.006/minute at $6 per million). */
const audioTokensPerSecond = 20;
/** Text output tokens reserved per second of a recording (speech runs at about 3 tokens a second). */
const transcriptTokensPerSecond = 5;
/** Bytes a second of an upload whose length the gateway does not read from its header: 64 kbit/s, between a voice memo's AAC and a 128 kbit/s MP3. */
const assumedAudioBytesPerSecond = 8000;

function positiveInteger(value: unknown, fallback: number): number {
  const number = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : fallback;
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** One image's output tokens, and how its size and quality were read. */
function oneImage(size: unknown, quality: unknown): { tokens: number; described: string } {
  const level: Quality = quality === 'low' || quality === 'medium' || quality === 'high' ? quality : 'high';
  const qualityText = level === quality ? `${level} quality` : `quality ${typeof quality === 'string' ? quality : 'auto'}, reserved as high`;
  const table = imageOutputTokens[level];
  const match = typeof size === 'string' ? /^(\d{1,5})x(\d{1,5})$/.exec(size) : null;
  if (match === null) return { tokens: table.portrait, described: `size ${typeof size === 'string' ? size : 'auto'}, reserved as 1024x1536, at ${qualityText}` };
  const width = Number(match[1]);
  const height = Number(match[2]);
  const known = width === 1024 && height === 1024 ? table.square : width === 1024 && height === 1536 ? table.portrait : width === 1536 && height === 1024 ? table.landscape : undefined;
  // Other sizes (gpt-image-2's free sizes): the square's tokens scaled by area.
  const tokens = known ?? Math.ceil((table.square * width * height) / (1024 * 1024));
  return { tokens, described: `${width}x${height} at ${qualityText}` };
}

interface ImageFields {
  prompt: unknown;
  n: unknown;
  size: unknown;
  quality: unknown;
  stream: unknown;
  partialImages: unknown;
}

function imagesEstimate(fields: ImageFields, imageInputTokens: number, imagesSent: number): ForwardedUsageEstimate {
  const count = positiveInteger(fields.n, 1);
  const image = oneImage(fields.size, fields.quality);
  const streamed = fields.stream === true || fields.stream === 'true';
  const partials = streamed ? Math.min(3, positiveInteger(fields.partialImages, 0)) : 0;
  const perImage = image.tokens + partials * partialImageTokens;
  const inputTokens = typeof fields.prompt === 'string' ? estimateTokens(fields.prompt) : 0;
  const partialText = partials > 0 ? ` plus ${plural(partials, 'partial image')} at ${partialImageTokens}` : '';
  const readText = imagesSent > 0 ? `, ${imageInputTokens} image input tokens for the ${plural(imagesSent, 'image')} sent` : '';
  return {
    inputTokens,
    imageInputTokens,
    outputTokens: count * perImage,
    basis: `${plural(count, 'image')} of ${image.described} (${image.tokens} image output tokens each${partialText})${readText} and about ${inputTokens} prompt tokens`,
    advice: 'Ask for fewer images, a smaller size or a lower quality',
  };
}

/** A WAV file's duration from its `fmt ` chunk's byte rate; null for any other file. */
function wavSeconds(bytes: Buffer): number | null {
  if (bytes.length < 44 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WAVE') return null;
  for (let at = 12; at + 8 <= bytes.length && at < 4096; ) {
    const size = bytes.readUInt32LE(at + 4);
    if (bytes.toString('latin1', at, at + 4) === 'fmt ' && at + 20 <= bytes.length) {
      const byteRate = bytes.readUInt32LE(at + 16);
      return byteRate > 0 ? bytes.length / byteRate : null;
    }
    at += 8 + size + (size % 2);
  }
  return null;
}

function transcriptionEstimate(file: Buffer, prompt: string | undefined): ForwardedUsageEstimate {
  const fromHeader = wavSeconds(file);
  const seconds = fromHeader ?? file.length / assumedAudioBytesPerSecond;
  const promptTokens = prompt === undefined ? 0 : estimateTokens(prompt);
  const audioTokens = Math.ceil(seconds * audioTokensPerSecond);
  const outputTokens = Math.ceil(seconds * transcriptTokensPerSecond);
  const how = fromHeader === null ? `${file.length} bytes read at ${(assumedAudioBytesPerSecond * 8) / 1000} kbit/s` : 'from its WAV header';
  return {
    inputTokens: audioTokens + promptTokens,
    imageInputTokens: 0,
    outputTokens,
    basis: `about ${Math.ceil(seconds)} s of audio (${how}): ${audioTokens} audio input tokens (${audioTokensPerSecond} a second)${promptTokens > 0 ? ` and ${promptTokens} prompt tokens` : ''}, and ${outputTokens} transcript tokens (${transcriptTokensPerSecond} a second)`,
    advice: 'Send a shorter recording',
  };
}

function speechEstimate(request: SpeechRequest): ForwardedUsageEstimate {
  const text = typeof request.input === 'string' ? request.input : '';
  const instructions = typeof request.instructions === 'string' ? request.instructions : '';
  // A slower voice speaks the same text for longer; a faster one is not counted on.
  const speed = typeof request.speed === 'number' && request.speed > 0 && request.speed < 1 ? request.speed : 1;
  const inputTokens = estimateTokens(text) + estimateTokens(instructions);
  const outputTokens = Math.ceil((text.length * audioTokensPerCharacter) / speed);
  return {
    inputTokens,
    imageInputTokens: 0,
    outputTokens,
    basis: `about ${inputTokens} input tokens and ${outputTokens} audio output tokens (${audioTokensPerCharacter} a character of the ${text.length}-character input${speed < 1 ? `, at speed ${speed}` : ''})`,
    advice: 'Send a shorter input',
  };
}

function rerankEstimate(request: RerankRequest): ForwardedUsageEstimate {
  const documents = Array.isArray(request.documents) ? request.documents : [];
  const query = typeof request.query === 'string' ? estimateTokens(request.query) : 0;
  let inputTokens = 0;
  // Each document is read together with the query.
  for (const document of documents) inputTokens += query + estimateTokens(typeof document === 'string' ? document : typeof document?.text === 'string' ? document.text : '');
  return {
    inputTokens,
    imageInputTokens: 0,
    outputTokens: 0,
    basis: `about ${inputTokens} input tokens (the query read with each of the ${plural(documents.length, 'document')})`,
    advice: 'Send fewer or shorter documents',
  };
}

/** The parts of an upload's form, and its text fields by name (the first of each). */
function uploadForm(request: UploadFormRequest, rawBody: Buffer): { files: Map<string, Buffer[]>; field: (name: string) => string | undefined } | null {
  const boundary = formBoundary(request.form.contentType);
  if (boundary === null) return null;
  let parts: FormPart[];
  try {
    parts = readFormParts(rawBody, boundary);
  } catch {
    return null;
  }
  const files = new Map<string, Buffer[]>();
  for (const part of parts) {
    if (part.filename === undefined) continue;
    const list = files.get(part.name) ?? [];
    list.push(rawBody.subarray(part.start, part.end));
    files.set(part.name, list);
  }
  const field = (name: string): string | undefined => {
    const part = parts.find((candidate) => candidate.name === name && candidate.filename === undefined);
    return part === undefined ? undefined : rawBody.toString('utf8', part.start, part.end);
  };
  return { files, field };
}

/**
 * The estimate of a forwarded operation's usage before the call; null for one that reserves
 * nothing (moderations: free at OpenAI, and their answers report no usage). Uploads are read from
 * `rawBody`, the form as the client sent it.
 */
export function estimateForwardedUsage(operation: ForwardedOperation, request: CanonicalRequest, rawBody: Buffer): ForwardedUsageEstimate | null {
  switch (operation) {
    case 'image_generations': {
      const body = request as ImageGenerationRequest;
      return imagesEstimate({ prompt: body.prompt, n: body.n, size: body.size, quality: body.quality, stream: body.stream, partialImages: body.partial_images }, 0, 0);
    }
    case 'image_edits': {
      const form = uploadForm(request as UploadFormRequest, rawBody);
      if (form === null) return null;
      const images = [...(form.files.get('image') ?? []), ...(form.files.get('image[]') ?? []), ...(form.files.get('mask') ?? [])];
      let imageInputTokens = 0;
      for (const image of images) imageInputTokens += imageBytesTokens(image);
      const fields = { prompt: form.field('prompt'), n: form.field('n'), size: form.field('size'), quality: form.field('quality'), stream: form.field('stream'), partialImages: form.field('partial_images') };
      return imagesEstimate(fields, imageInputTokens, images.length);
    }
    case 'transcriptions':
    case 'translations': {
      const form = uploadForm(request as UploadFormRequest, rawBody);
      if (form === null) return null;
      const file = form.files.get('file')?.[0];
      return file === undefined ? null : transcriptionEstimate(file, form.field('prompt'));
    }
    case 'speech':
      return speechEstimate(request as SpeechRequest);
    case 'rerank':
      return rerankEstimate(request as RerankRequest);
    default:
      return null;
  }
}

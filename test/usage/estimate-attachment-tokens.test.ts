import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { anthropicImageTokens, fileTokens, imageTokens, openAIImageTokens } from '../../src/usage/estimate-attachment-tokens.ts';

/** A GIF header of this size (GIF89a, logical screen width and height, little-endian). */
function gif(width: number, height: number): string {
  const bytes = Buffer.alloc(13);
  bytes.write('GIF89a', 0, 'latin1');
  bytes.writeUInt16LE(width, 6);
  bytes.writeUInt16LE(height, 8);
  return `data:image/gif;base64,${bytes.toString('base64')}`;
}

function file(mediaType: string, bytes: Buffer | string): { type: 'file'; file: { file_data: string } } {
  return { type: 'file', file: { file_data: `data:${mediaType};base64,${Buffer.from(bytes).toString('base64')}` } };
}

describe('image and file token estimates', () => {
  it("follows Anthropic's and OpenAI's published image rules", () => {
    assert.equal(anthropicImageTokens(1000, 1000), 1334);
    // Scaled to 1568 on the long edge, then to 1.15 megapixels.
    assert.equal(anthropicImageTokens(3000, 2000), 1534);
    assert.equal(anthropicImageTokens(200, 200), 54);
    // OpenAI's own examples: 1024 × 1024 is 765 tokens, 2048 × 4096 is 1,105.
    assert.equal(openAIImageTokens(1024, 1024), 765);
    assert.equal(openAIImageTokens(2048, 4096), 1105);
  });

  it('sizes an inline image from its header and takes the larger rule; low detail and unknown images are fixed', () => {
    assert.equal(imageTokens({ type: 'image_url', image_url: { url: gif(1000, 1000) } }), 1334);
    // A tall strip: OpenAI's tiles count more than Claude's pixels.
    assert.equal(imageTokens({ type: 'image_url', image_url: { url: gif(512, 4096) } }), Math.max(anthropicImageTokens(512, 4096), openAIImageTokens(512, 4096)));
    assert.equal(imageTokens({ type: 'image_url', image_url: { url: gif(1000, 1000), detail: 'low' } }), 85);
    assert.equal(imageTokens({ type: 'image_url', image_url: { url: 'https://example.com/cat.png' } }), 1600);
    assert.equal(imageTokens({ type: 'image_url', image_url: { url: 'data:image/png;base64,bm90IGFuIGltYWdl' } }), 1600);
  });

  it('counts a PDF by its page tree, else its page objects, else its size; a text file by its text', () => {
    assert.equal(fileTokens(file('application/pdf', '%PDF-1.7 << /Type /Pages /Count 12 >> << /Type /Pages /Count 4 >>')), 12 * 2000);
    assert.equal(fileTokens(file('application/pdf', '%PDF-1.7 << /Type /Page >> << /Type/Page/Parent 1 0 R >> << /Type /Pages >>')), 2 * 2000);
    assert.equal(fileTokens(file('application/pdf', Buffer.alloc(200_000))), 4 * 2000);
    const text = 'word '.repeat(400);
    assert.ok(Math.abs(fileTokens(file('text/plain', text)) - 400) < 150, String(fileTokens(file('text/plain', text))));
    assert.equal(fileTokens({ type: 'file', file: { file_id: 'file-abc' } }), 2000);
  });
});

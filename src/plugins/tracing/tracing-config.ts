import { z } from 'zod';
import { durationSchema } from '../../config/schema.ts';

const httpUrl = z.url({ protocol: /^https?$/, error: (issue) => `expected an http:// or https:// URL, got ${JSON.stringify(issue.input)}` });

export const tracingConfigSchema = z
  .object({
    endpoint: httpUrl.optional().describe('OTLP/HTTP traces URL, used as is (e.g. http://collector:4318/v1/traces). Default: OTEL_EXPORTER_OTLP_TRACES_ENDPOINT, else OTEL_EXPORTER_OTLP_ENDPOINT + /v1/traces, else http://localhost:4318/v1/traces.'),
    service_name: z.string().min(1, 'expected a non-empty service name').optional().describe('The service.name of every span. Default: OTEL_SERVICE_NAME, else tollgate.'),
    sample_ratio: z.number().min(0).max(1).default(1).describe('Share of new traces recorded (0-1); a client traceparent decides for its own trace (its sampled flag).'),
    headers: z.record(z.string(), z.string()).default({}).describe('Headers sent with every export (a collector token, a tenant id).'),
    max_queue_size: z.number().int().positive().default(2048).describe('Finished spans held for export; when the collector falls behind, newer spans are dropped, requests never wait.'),
    max_export_batch_size: z.number().int().positive().default(512).describe('Most spans in one export request (at most max_queue_size).'),
    flush_interval: durationSchema.default('5s').describe('Longest a finished span waits before it is exported.'),
    export_timeout: durationSchema.default('10s').describe('Longest one export (retries included) may take; also how long a stop or reload waits for the last spans.'),
  })
  .strict()
  .refine((config) => config.max_export_batch_size <= config.max_queue_size, { path: ['max_export_batch_size'], message: 'must not be larger than max_queue_size' });

export type TracingConfig = z.infer<typeof tracingConfigSchema>;

// The environment the system reads, as one schema: every variable, its type, range and default. A bad
// value stops the process with a message naming the variable (config.ts turns this into the typed Config).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ocrEngineNames } from '../engines/documents/ocr/engine.ts';
import type { AutomationPolicy } from '../domain/claims/automation.ts';
import { allPerils, linesOfBusiness } from '../domain/shared/perils.ts';
import { projectRoot } from './tools.ts';
import { defaultLedgerOrigin } from './ledger/note.ts';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const durationUnits: Record<string, number> = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
/** "90s", "24h", "7d": a duration in milliseconds. */
const duration = z
  .string()
  .regex(/^\d+(?:ms|s|m|h|d)$/, 'must be a duration like 90s, 24h or 7d')
  .transform((text) => {
    const [, amount, unit] = /^(\d+)(ms|s|m|h|d)$/.exec(text)!;
    return Number(amount) * durationUnits[unit!]!;
  });
const authorityLimits = z
  .string()
  .transform((text, ctx) => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      ctx.addIssue({ code: 'custom', message: 'must be JSON' });
      return z.NEVER;
    }
  })
  .pipe(
    z.object({
      adjuster: z.record(z.string(), z.number().int().positive()),
      senior_adjuster: z.record(z.string(), z.number().int().positive()).default({}),
      admin: z.record(z.string(), z.number().int().positive()).default({}),
    }),
  );

const minor = z.number().int().min(0);
const peril = z.enum(allPerils as [string, ...string[]]);
/** The automation policy a claims manager writes (domain/claims/automation.ts; ADR 0012). */
const automationPolicy = z.strictObject({
  version: z.string().min(1),
  minimumTotalConfidence: z.number().gt(0).max(1),
  products: z.partialRecord(
    z.enum(linesOfBusiness),
    z.strictObject({
      limits: z.record(z.string().regex(/^[A-Z]{3}$/), z.strictObject({ withoutDocumentsMinor: minor, corroboratedMinor: minor })),
      documentsRequired: z.array(peril).default([]),
      neverAutomated: z.array(peril).default([]),
    }),
  ),
});

export const environment = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).default('info'),
  INSUREFLOW_DATA_DIR: z.string().default(path.join(projectRoot, '.data')),
  DATABASE_URL: z.string().url().optional(),
  HOST: z.string().default('127.0.0.1'),
  PORT: port.default(3000),
  INSUREFLOW_API_KEYS: z.string().optional(),
  INSUREFLOW_TEMPORAL_PORT: port.default(7233),
  INSUREFLOW_TEMPORAL_UI_PORT: port.optional(),
  INSUREFLOW_SEED_DEMO: z.enum(['true', 'false']).optional(),
  INSUREFLOW_MAX_FILE_BYTES: positiveInt.default(20 * 1024 * 1024),
  INSUREFLOW_MAX_DOCUMENTS: positiveInt.default(10),
  INSUREFLOW_MAX_REQUEST_PIXELS: positiveInt.default(200_000_000),
  INSUREFLOW_WORKFLOW_BUNDLE: z.string().optional(),
  INSUREFLOW_SWEEP_INTERVAL_MS: positiveInt.default(15_000),
  INSUREFLOW_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  INSUREFLOW_SDK_METRICS_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d{1,5}$/, 'must be host:port')
    .optional(),
  // OpenTelemetry's standard variables (the OTLP exporter reads its headers and timeouts itself).
  OTEL_TRACES_EXPORTER: z.enum(['otlp', 'console', 'none']).optional(),
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: z.url({ protocol: /^https?$/ }).optional(),
  OTEL_SERVICE_NAME: z.string().min(1).optional(),
  INSUREFLOW_SMTP_URL: z.url({ protocol: /^smtps?$/ }).optional(),
  INSUREFLOW_MAIL_FROM: z.email().default('claims@insureflow.invalid'),
  INSUREFLOW_MAIL_INTERVAL_MS: positiveInt.default(2_000),
  INSUREFLOW_MAIL_RETRY_MS: positiveInt.default(5_000),
  INSUREFLOW_MAX_PAGES: positiveInt.default(50),
  INSUREFLOW_MAX_PIXELS: positiveInt.default(50_000_000),
  INSUREFLOW_OCR_ENGINE: z.enum(ocrEngineNames).default('ppocr'),
  INSUREFLOW_OCR_WORKERS: positiveInt.optional(),
  INSUREFLOW_TESSERACT_PATH: z.string().default('tesseract'),
  INSUREFLOW_DATE_ORDER: z.enum(['DMY', 'MDY']).default('DMY'),
  INSUREFLOW_REVIEW_REMINDER: duration.optional(),
  INSUREFLOW_REVIEW_ESCALATION: duration.optional(),
  INSUREFLOW_DOCUMENTS_REMINDER: duration.optional(),
  INSUREFLOW_DOCUMENTS_DEADLINE: duration.optional(),
  INSUREFLOW_AUTHORITY_LIMITS: authorityLimits.optional(),
  INSUREFLOW_AUTOMATION_POLICY: z.string().min(1).optional(),
  INSUREFLOW_PAYMENT_GATEWAY_URL: z.string().url().optional(),
  INSUREFLOW_PAYMENT_GATEWAY_KEY: z.string().min(1).optional(),
  INSUREFLOW_SANDBOX_GATEWAY_PORT: port.default(0),
  INSUREFLOW_SANDBOX_SETTLE: duration.default(2_000),
  INSUREFLOW_APPEAL_DAYS: positiveInt.default(60),
  INSUREFLOW_PAYLOAD_KEYS: z.string().min(1).optional(),
  INSUREFLOW_PAYLOAD_KEY_ID: z.string().min(1).optional(),
  INSUREFLOW_CODEC_CORS_ORIGINS: z.string().optional(),
  INSUREFLOW_LEDGER_KEY: z.string().min(1).optional(),
  INSUREFLOW_LEDGER_ORIGIN: z
    .string()
    .regex(/^[^\s+]+$/, 'must be a name without spaces or +, e.g. insurer.example/decisions')
    .default(defaultLedgerOrigin),
  INSUREFLOW_LEDGER_CHECKPOINT: duration.default(10_000),
  INSUREFLOW_LEDGER_WITNESSES: z.string().optional(),
  INSUREFLOW_PSI_PEERS: z.string().optional(),
  INSUREFLOW_PSI_PEER_KEYS: z.string().optional(),
  INSUREFLOW_PSI_MAX_POINTS: positiveInt.default(1_000),
  INSUREFLOW_PSI_RATE: positiveInt.default(30),
  INSUREFLOW_PSI_DAYS: positiveInt.default(730),
  INSUREFLOW_AI_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  INSUREFLOW_AI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  INSUREFLOW_AI_TIMEOUT: duration.default(20_000),
  INSUREFLOW_SPEECH_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  INSUREFLOW_FREE_SPEECH: z.enum(['moonshine', 'none']).default('moonshine'),
  INSUREFLOW_STT_MODEL: z.string().min(1).default('gpt-4o-mini-transcribe'),
  INSUREFLOW_TTS_MODEL: z.string().min(1).default('gpt-4o-mini-tts'),
  INSUREFLOW_TTS_VOICE: z.string().min(1).optional(),
  INSUREFLOW_MAX_AUDIO_SECONDS: positiveInt.default(300),
  INSUREFLOW_VOICE_SILENCE: duration.default(30_000),
  INSUREFLOW_POLICY_PREFIX: z
    .string()
    .regex(/^[A-Z]{1,5}-?$/)
    .default('POL-'),
  INSUREFLOW_FFMPEG_PATH: z.string().min(1).optional(),
  INSUREFLOW_FRAUD_BANDS: z
    .string()
    .regex(/^\d{1,3},\d{1,3}$/, 'must be two scores like 25,50 (medium from, high from)')
    .transform((text) => text.split(',').map(Number) as [number, number])
    .refine(([medium, high]) => medium > 0 && medium < high && high <= 100, 'must be 0 < medium < high <= 100')
    .optional(),
});

/** The automation policy from a JSON file (INSUREFLOW_AUTOMATION_POLICY names it), checked field by field. */
export function readAutomationPolicy(file: string): AutomationPolicy {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`INSUREFLOW_AUTOMATION_POLICY: cannot read ${file} as JSON (${(error as Error).message})`, { cause: error });
  }
  const parsed = automationPolicy.safeParse(json);
  if (!parsed.success) {
    throw new Error(
      `INSUREFLOW_AUTOMATION_POLICY: ${file} is not an automation policy:\n${parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n')}`,
    );
  }
  return parsed.data as AutomationPolicy;
}

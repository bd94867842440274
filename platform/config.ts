// long file: every setting the system reads, in one environment schema and one typed object, so that an operator finds each in one place.
// All settings come from the environment and are checked once at start-up; a bad value stops the
// process with a message naming the variable.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { ocrEngineNames, type OcrEngineName } from '../engines/documents/ocr/engine.ts';
import { automationPolicyProblems, defaultAutomationPolicy, type AutomationPolicy } from '../domain/claims/automation.ts';
import { defaultFraudBands, type FraudBands } from '../domain/fraud/score.ts';
import { allPerils, linesOfBusiness } from '../domain/shared/perils.ts';
import { defaultAuthorityLimits, defaultServiceLevels, type AuthorityLimits, type ServiceLevels } from '../domain/shared/review.ts';
import { productionProblems } from './production.ts';
import { projectRoot } from './tools.ts';

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

const environment = z.object({
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
  INSUREFLOW_AI_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
  OPENAI_API_KEY: z.string().min(1).optional(),
  OPENAI_BASE_URL: z.string().url().optional(),
  INSUREFLOW_AI_MODEL: z.string().min(1).default('gpt-4o-mini'),
  INSUREFLOW_AI_TIMEOUT: duration.default(20_000),
  INSUREFLOW_SPEECH_PROVIDER: z.enum(['offline', 'openai']).default('offline'),
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

const devUiOrigins = (port: number) => `http://127.0.0.1:${port},http://localhost:${port}`;

export interface Config {
  readonly env: 'development' | 'production' | 'test';
  readonly logLevel: z.infer<typeof environment>['LOG_LEVEL'];
  readonly dataDir: string;
  /** PostgreSQL when set; otherwise the embedded PGlite database under dataDir. */
  readonly databaseUrl: string | undefined;
  readonly host: string;
  readonly port: number;
  /** Raw key list (see api/auth.ts); undefined means the documented development keys. */
  readonly apiKeys: string | undefined;
  readonly devTemporal: { readonly port: number; readonly uiPort: number };
  readonly seedDemoPolicies: boolean;
  readonly uploads: {
    readonly maxFileBytes: number;
    readonly maxDocuments: number;
    /** Pixels of every page of every document of one request together: what reading them costs. */
    readonly maxRequestPixels: number;
  };
  /** Prebuilt workflow bundle (npm run build); required in production, bundled from source otherwise. */
  readonly workflowBundlePath: string | undefined;
  /** How often the API looks for accepted claims whose workflow could not be started. */
  readonly sweepIntervalMs: number;
  /** Prometheus: a worker process's /metrics port (the API serves it on its own), and where the SDK serves its own. */
  readonly metrics: { readonly port: number | undefined; readonly sdkAddress: string | undefined };
  /** Email for claimants and applicants: the SMTP server (none: messages stay in the outbox), sender, relay pace. */
  readonly mail: { readonly smtpUrl: string | undefined; readonly from: string; readonly intervalMs: number; readonly retryBaseMs: number };
  readonly documents: {
    /** Most pages, and most pixels per page, a document may have (checked at upload and when read). */
    readonly limits: { readonly maxPages: number; readonly maxPixels: number };
    readonly ocrEngine: OcrEngineName;
    /** Pages read at once per documents worker process: PP-OCR sessions (sharing the cores), tesseract.js workers or tesseract processes. */
    readonly ocrWorkers: number;
    readonly tesseractPath: string;
    /** How numeric dates on documents are read: 03/04/2018 is 3 April (DMY) or March 4 (MDY). */
    readonly dateOrder: 'DMY' | 'MDY';
  };
  /** Service levels and authority for people's steps, and automation's authority; fixed into each claim when it starts. */
  readonly review: {
    readonly serviceLevels: ServiceLevels;
    readonly authorityLimits: AuthorityLimits;
    readonly automation: AutomationPolicy;
  };
  /**
   * The payment gateway; without a URL (never in production) the workers start the sandbox gateway on
   * loopback, which settles payouts after `sandboxSettleMs`.
   */
  readonly payments: {
    readonly gatewayUrl: string | undefined;
    readonly gatewayKey: string;
    readonly sandboxPort: number;
    readonly sandboxSettleMs: number;
    readonly appealDays: number;
  };
  /**
   * Keys that encrypt Temporal payloads ("id:base64,..."), and which encrypts new ones; without them (never
   * in production) a key is made for the data folder. `corsOrigins`: Web UIs allowed to call the codec server.
   */
  readonly payloadKeys: {
    readonly spec: string | undefined;
    readonly currentKeyId: string | undefined;
    readonly corsOrigins: readonly string[];
  };
  /** Which AI provider reads free text: the offline rules, or the OpenAI SDK (any compatible server). */
  readonly ai:
    | { readonly provider: 'offline' }
    | {
        readonly provider: 'openai';
        readonly apiKey: string;
        readonly baseUrl: string | undefined;
        readonly model: string;
        readonly timeoutMs: number;
      };
  /** Fraud scores (0-100) from which a claim is in the medium and the high band. */
  readonly fraudBands: FraudBands;
  /** Speech for voice intake: offline (flite and soundswallower) or the OpenAI audio API. */
  readonly speech: {
    readonly provider: 'offline' | 'openai';
    readonly transcriptionModel: string;
    readonly speechModel: string;
    readonly voice: string;
    readonly maxAudioSeconds: number;
    readonly silenceTimeoutMs: number;
    readonly policyPrefix: string;
    readonly ffmpegPath: string | undefined;
    /** With the openai provider: the same key, server and timeout as the AI provider's. */
    readonly openai: { readonly apiKey: string; readonly baseUrl: string | undefined; readonly timeoutMs: number } | null;
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = environment.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `  ${issue.path.join('.')}: ${issue.message}`).join('\n');
    throw new Error(`Invalid configuration:\n${problems}`);
  }
  const e = parsed.data;
  const production = e.NODE_ENV === 'production';
  if (production) {
    const problems = productionProblems({
      apiKeys: e.INSUREFLOW_API_KEYS,
      payloadKeys: e.INSUREFLOW_PAYLOAD_KEYS,
      payloadKeyId: e.INSUREFLOW_PAYLOAD_KEY_ID,
      seedDemo: e.INSUREFLOW_SEED_DEMO,
      databaseUrl: e.DATABASE_URL,
    });
    if (problems.length > 0) throw new Error(problems.join(' '));
  }
  if (e.INSUREFLOW_SPEECH_PROVIDER === 'openai' && !e.OPENAI_API_KEY) {
    throw new Error('INSUREFLOW_SPEECH_PROVIDER=openai needs OPENAI_API_KEY (any value for a server that takes none).');
  }
  if (e.INSUREFLOW_AI_PROVIDER === 'openai' && !e.OPENAI_API_KEY) {
    throw new Error('INSUREFLOW_AI_PROVIDER=openai needs OPENAI_API_KEY (any value for a server that takes none).');
  }
  if (production && (!e.INSUREFLOW_PAYMENT_GATEWAY_URL || !e.INSUREFLOW_PAYMENT_GATEWAY_KEY)) {
    throw new Error(
      'INSUREFLOW_PAYMENT_GATEWAY_URL and INSUREFLOW_PAYMENT_GATEWAY_KEY must be set in production; the sandbox gateway pays no one.',
    );
  }
  const automation = e.INSUREFLOW_AUTOMATION_POLICY ? readAutomationPolicy(e.INSUREFLOW_AUTOMATION_POLICY) : defaultAutomationPolicy;
  const automationProblems = automationPolicyProblems(automation, e.INSUREFLOW_AUTHORITY_LIMITS ?? defaultAuthorityLimits);
  if (automationProblems.length > 0) {
    throw new Error(
      `INSUREFLOW_AUTOMATION_POLICY: the automation policy ${automation.version} is not safe to run:\n${automationProblems.map((p) => `  ${p}`).join('\n')}`,
    );
  }
  const defaultBundle = path.join(projectRoot, 'dist', 'workflow-bundle.js');
  return {
    env: e.NODE_ENV,
    logLevel: e.LOG_LEVEL,
    dataDir: path.resolve(e.INSUREFLOW_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    host: e.HOST,
    port: e.PORT,
    apiKeys: e.INSUREFLOW_API_KEYS,
    devTemporal: { port: e.INSUREFLOW_TEMPORAL_PORT, uiPort: e.INSUREFLOW_TEMPORAL_UI_PORT ?? e.INSUREFLOW_TEMPORAL_PORT + 1000 },
    seedDemoPolicies: e.INSUREFLOW_SEED_DEMO ? e.INSUREFLOW_SEED_DEMO === 'true' : !production,
    uploads: {
      maxFileBytes: e.INSUREFLOW_MAX_FILE_BYTES,
      maxDocuments: e.INSUREFLOW_MAX_DOCUMENTS,
      maxRequestPixels: e.INSUREFLOW_MAX_REQUEST_PIXELS,
    },
    workflowBundlePath: e.INSUREFLOW_WORKFLOW_BUNDLE ?? (production ? defaultBundle : undefined),
    sweepIntervalMs: e.INSUREFLOW_SWEEP_INTERVAL_MS,
    metrics: { port: e.INSUREFLOW_METRICS_PORT, sdkAddress: e.INSUREFLOW_SDK_METRICS_ADDRESS },
    mail: {
      smtpUrl: e.INSUREFLOW_SMTP_URL,
      from: e.INSUREFLOW_MAIL_FROM,
      intervalMs: e.INSUREFLOW_MAIL_INTERVAL_MS,
      retryBaseMs: e.INSUREFLOW_MAIL_RETRY_MS,
    },
    documents: {
      limits: { maxPages: e.INSUREFLOW_MAX_PAGES, maxPixels: e.INSUREFLOW_MAX_PIXELS },
      ocrEngine: e.INSUREFLOW_OCR_ENGINE,
      // PP-OCR reads a page fastest as one session on every core; Tesseract runs one worker a core.
      ocrWorkers: e.INSUREFLOW_OCR_WORKERS ?? (e.INSUREFLOW_OCR_ENGINE === 'ppocr' ? 1 : availableParallelism()),
      tesseractPath: e.INSUREFLOW_TESSERACT_PATH,
      dateOrder: e.INSUREFLOW_DATE_ORDER,
    },
    review: {
      serviceLevels: {
        reviewReminderMs: e.INSUREFLOW_REVIEW_REMINDER ?? defaultServiceLevels.reviewReminderMs,
        reviewEscalationMs: e.INSUREFLOW_REVIEW_ESCALATION ?? defaultServiceLevels.reviewEscalationMs,
        documentsReminderMs: e.INSUREFLOW_DOCUMENTS_REMINDER ?? defaultServiceLevels.documentsReminderMs,
        documentsDeadlineMs: e.INSUREFLOW_DOCUMENTS_DEADLINE ?? defaultServiceLevels.documentsDeadlineMs,
      },
      authorityLimits: e.INSUREFLOW_AUTHORITY_LIMITS ?? defaultAuthorityLimits,
      automation,
    },
    payments: {
      gatewayUrl: e.INSUREFLOW_PAYMENT_GATEWAY_URL,
      gatewayKey: e.INSUREFLOW_PAYMENT_GATEWAY_KEY ?? 'sandbox-key',
      sandboxPort: e.INSUREFLOW_SANDBOX_GATEWAY_PORT,
      sandboxSettleMs: e.INSUREFLOW_SANDBOX_SETTLE,
      appealDays: e.INSUREFLOW_APPEAL_DAYS,
    },
    payloadKeys: {
      spec: e.INSUREFLOW_PAYLOAD_KEYS,
      currentKeyId: e.INSUREFLOW_PAYLOAD_KEY_ID,
      // By default the dev server's Web UI, under both names the browser may use for it.
      corsOrigins: (
        e.INSUREFLOW_CODEC_CORS_ORIGINS ??
        (production ? '' : devUiOrigins(e.INSUREFLOW_TEMPORAL_UI_PORT ?? e.INSUREFLOW_TEMPORAL_PORT + 1000))
      )
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean),
    },
    ai:
      e.INSUREFLOW_AI_PROVIDER === 'openai'
        ? {
            provider: 'openai',
            apiKey: e.OPENAI_API_KEY!,
            baseUrl: e.OPENAI_BASE_URL,
            model: e.INSUREFLOW_AI_MODEL,
            timeoutMs: e.INSUREFLOW_AI_TIMEOUT,
          }
        : { provider: 'offline' },
    fraudBands: e.INSUREFLOW_FRAUD_BANDS ? { medium: e.INSUREFLOW_FRAUD_BANDS[0], high: e.INSUREFLOW_FRAUD_BANDS[1] } : defaultFraudBands,
    speech: {
      provider: e.INSUREFLOW_SPEECH_PROVIDER,
      transcriptionModel: e.INSUREFLOW_STT_MODEL,
      speechModel: e.INSUREFLOW_TTS_MODEL,
      voice: e.INSUREFLOW_TTS_VOICE ?? (e.INSUREFLOW_SPEECH_PROVIDER === 'openai' ? 'alloy' : 'slt'),
      maxAudioSeconds: e.INSUREFLOW_MAX_AUDIO_SECONDS,
      silenceTimeoutMs: e.INSUREFLOW_VOICE_SILENCE,
      policyPrefix: e.INSUREFLOW_POLICY_PREFIX,
      ffmpegPath: e.INSUREFLOW_FFMPEG_PATH,
      openai:
        e.INSUREFLOW_SPEECH_PROVIDER === 'openai'
          ? { apiKey: e.OPENAI_API_KEY!, baseUrl: e.OPENAI_BASE_URL, timeoutMs: e.INSUREFLOW_AI_TIMEOUT }
          : null,
    },
  };
}

/** The automation policy from a JSON file (INSUREFLOW_AUTOMATION_POLICY names it), checked field by field. */
function readAutomationPolicy(file: string): AutomationPolicy {
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

// All settings come from the environment and are checked once at start-up (environment.ts says which);
// here they become the typed Config the system is composed from.
import { availableParallelism } from 'node:os';
import path from 'node:path';
import type { z } from 'zod';
import type { OcrEngineName } from '../engines/documents/ocr/engine.ts';
import { automationPolicyProblems, defaultAutomationPolicy, type AutomationPolicy } from '../domain/claims/automation.ts';
import { defaultFraudBands, type FraudBands } from '../domain/fraud/score.ts';
import { defaultAuthorityLimits, defaultServiceLevels, type AuthorityLimits, type ServiceLevels } from '../domain/shared/review.ts';
import { environment, readAutomationPolicy } from './environment.ts';
import { productionProblems } from './production.ts';
import { projectRoot } from './tools.ts';
import type { TracingSettings } from './tracing.ts';

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
  /** OpenTelemetry traces: the exporter (OTLP when an endpoint is set) and the service name. */
  readonly tracing: TracingSettings;
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
  /**
   * The decision ledger: its Ed25519 signing key (base64 seed; without it, never in production, one is made
   * for the data folder), the origin its checkpoints name, how often a checkpoint is signed when decisions
   * were added, and the witnesses asked to cosign (`url=verifier key`, comma-separated).
   */
  readonly ledger: {
    readonly key: string | undefined;
    readonly origin: string;
    readonly checkpointEveryMs: number;
    readonly witnesses: readonly { readonly url: string; readonly verifierKey: string }[];
  };
  /**
   * Other insurers this engine compares claims with by private set intersection: whom it asks
   * (`name=url=key`), who may ask it (`name:key`), and the bounds on what a peer may ask.
   */
  readonly psi: {
    readonly peers: string | undefined;
    readonly peerKeys: readonly { readonly name: string; readonly key: string }[];
    readonly maxPoints: number;
    readonly questionsPerMinute: number;
    readonly days: number;
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
    /**
     * Offline, what transcribes free speech (a caller's description, a statement): Moonshine, loaded on
     * first use, or nothing (the recording is kept for a person to hear).
     */
    readonly freeSpeech: 'moonshine' | 'none';
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
      ledgerKey: e.INSUREFLOW_LEDGER_KEY,
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
    tracing: {
      exporter: e.OTEL_TRACES_EXPORTER ?? (e.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT || e.OTEL_EXPORTER_OTLP_ENDPOINT ? 'otlp' : 'none'),
      serviceName: e.OTEL_SERVICE_NAME,
    },
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
    ledger: {
      key: e.INSUREFLOW_LEDGER_KEY,
      origin: e.INSUREFLOW_LEDGER_ORIGIN,
      checkpointEveryMs: e.INSUREFLOW_LEDGER_CHECKPOINT,
      witnesses: (e.INSUREFLOW_LEDGER_WITNESSES ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((entry) => {
          const at = entry.indexOf('=');
          if (at < 0) throw new Error(`INSUREFLOW_LEDGER_WITNESSES: "${entry}" must be url=verifier key`);
          return { url: entry.slice(0, at), verifierKey: entry.slice(at + 1) };
        }),
    },
    psi: {
      peers: e.INSUREFLOW_PSI_PEERS,
      peerKeys: (e.INSUREFLOW_PSI_PEER_KEYS ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .map((entry) => {
          const [name, ...key] = entry.split(':');
          if (!name || key.join(':').length < 12)
            throw new Error(`INSUREFLOW_PSI_PEER_KEYS: "${name ?? entry}" must be name:key, the key 12 characters or more`);
          return { name, key: key.join(':') };
        }),
      maxPoints: e.INSUREFLOW_PSI_MAX_POINTS,
      questionsPerMinute: e.INSUREFLOW_PSI_RATE,
      days: e.INSUREFLOW_PSI_DAYS,
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
      freeSpeech: e.INSUREFLOW_FREE_SPEECH,
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

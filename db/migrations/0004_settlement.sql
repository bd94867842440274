ALTER TABLE "claims" ADD COLUMN "payout_account" jsonb;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "reserve_minor" bigint;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "reserve_released_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "fraud_score" integer;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "fraud_band" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "letter_sha256" text;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "closed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "payee" text;--> statement-breakpoint
ALTER TABLE "payments" ADD COLUMN "failure_reason" text;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "payout_iban" text;
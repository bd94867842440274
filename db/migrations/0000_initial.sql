CREATE TABLE "blobs" (
	"sha256" text PRIMARY KEY NOT NULL,
	"size_bytes" bigint NOT NULL,
	"media_type" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "claims" (
	"id" text PRIMARY KEY NOT NULL,
	"policy_number" text NOT NULL,
	"claimant_id" text NOT NULL,
	"submitted_by" text NOT NULL,
	"line_of_business" text NOT NULL,
	"peril" text NOT NULL,
	"incident_date" date NOT NULL,
	"reported_on" date NOT NULL,
	"description" text NOT NULL,
	"contact" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"claimed_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"payable_minor" bigint,
	"workflow_id" text NOT NULL,
	"workflow_started_at" timestamp with time zone,
	"idempotency_key" text,
	"request_digest" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "claims_workflow_id_unique" UNIQUE("workflow_id"),
	CONSTRAINT "claims_amount_check" CHECK ("claims"."claimed_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "decisions" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "decisions_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"claim_id" text NOT NULL,
	"kind" text NOT NULL,
	"outcome" text NOT NULL,
	"reasons" jsonb NOT NULL,
	"payable_minor" bigint,
	"currency" text,
	"inputs" jsonb NOT NULL,
	"inputs_digest" text NOT NULL,
	"rule_set_version" text NOT NULL,
	"decided_by" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "decisions_idempotency_key_unique" UNIQUE("idempotency_key")
);
--> statement-breakpoint
CREATE TABLE "documents" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"sha256" text NOT NULL,
	"file_name" text NOT NULL,
	"declared_media_type" text,
	"media_type" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"verified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "payments" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"amount_minor" bigint NOT NULL,
	"currency" text NOT NULL,
	"status" text NOT NULL,
	"idempotency_key" text NOT NULL,
	"gateway_reference" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "payments_idempotency_key_unique" UNIQUE("idempotency_key"),
	CONSTRAINT "payments_amount_check" CHECK ("payments"."amount_minor" > 0)
);
--> statement-breakpoint
CREATE TABLE "policies" (
	"policy_number" text PRIMARY KEY NOT NULL,
	"line_of_business" text NOT NULL,
	"holder_id" text NOT NULL,
	"holder_name" text NOT NULL,
	"status" text NOT NULL,
	"effective_from" date NOT NULL,
	"effective_to" date NOT NULL,
	"cancelled_on" date,
	"currency" text NOT NULL,
	"coverages" jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "policies_period_check" CHECK ("policies"."effective_from" <= "policies"."effective_to")
);
--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_policy_number_policies_policy_number_fk" FOREIGN KEY ("policy_number") REFERENCES "public"."policies"("policy_number") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "decisions" ADD CONSTRAINT "decisions_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "documents" ADD CONSTRAINT "documents_sha256_blobs_sha256_fk" FOREIGN KEY ("sha256") REFERENCES "public"."blobs"("sha256") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "payments" ADD CONSTRAINT "payments_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "claims_idempotency_idx" ON "claims" USING btree ("submitted_by","idempotency_key");--> statement-breakpoint
CREATE INDEX "claims_status_idx" ON "claims" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "claims_claimant_idx" ON "claims" USING btree ("claimant_id","created_at");--> statement-breakpoint
CREATE INDEX "decisions_claim_idx" ON "decisions" USING btree ("claim_id","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "documents_claim_content_idx" ON "documents" USING btree ("claim_id","sha256");--> statement-breakpoint
CREATE INDEX "documents_sha256_idx" ON "documents" USING btree ("sha256");--> statement-breakpoint
CREATE INDEX "payments_claim_idx" ON "payments" USING btree ("claim_id");--> statement-breakpoint
CREATE INDEX "policies_holder_idx" ON "policies" USING btree ("holder_id");
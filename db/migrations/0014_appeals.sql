CREATE TABLE "appeals" (
	"id" text PRIMARY KEY NOT NULL,
	"claim_id" text NOT NULL,
	"reasons" text NOT NULL,
	"lodged_by" text NOT NULL,
	"original_decided_by" text NOT NULL,
	"status" text NOT NULL,
	"queue" text DEFAULT 'adjusters' NOT NULL,
	"workflow_id" text NOT NULL,
	"workflow_started_at" timestamp with time zone,
	"decided_by" text,
	"decision_note" text,
	"paid_minor" bigint,
	"letter_sha256" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"decided_at" timestamp with time zone,
	CONSTRAINT "appeals_claim_id_unique" UNIQUE("claim_id"),
	CONSTRAINT "appeals_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
ALTER TABLE "appeals" ADD CONSTRAINT "appeals_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "appeals_status_idx" ON "appeals" USING btree ("status","created_at");
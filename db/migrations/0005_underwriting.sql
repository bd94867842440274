CREATE TABLE "applications" (
	"id" text PRIMARY KEY NOT NULL,
	"applicant_id" text NOT NULL,
	"submitted_by" text NOT NULL,
	"product" text NOT NULL,
	"applicant" jsonb NOT NULL,
	"risk" jsonb NOT NULL,
	"start_date" date NOT NULL,
	"status" text NOT NULL,
	"currency" text NOT NULL,
	"premium_minor" bigint,
	"decisions" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"policy_number" text,
	"workflow_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "applications_workflow_id_unique" UNIQUE("workflow_id")
);
--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "premium_minor" bigint;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "application_id" text;--> statement-breakpoint
ALTER TABLE "policies" ADD COLUMN "document_sha256" text;--> statement-breakpoint
CREATE INDEX "applications_applicant_idx" ON "applications" USING btree ("applicant_id","created_at");
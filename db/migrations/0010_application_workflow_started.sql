ALTER TABLE "applications" ADD COLUMN "workflow_started_at" timestamp with time zone;--> statement-breakpoint
-- Applications taken before this column existed were started as they were taken.
UPDATE "applications" SET "workflow_started_at" = "created_at";
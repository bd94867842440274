ALTER TABLE "applications" ADD COLUMN "interview_sha256" text;--> statement-breakpoint
ALTER TABLE "applications" ADD COLUMN "interview_transcript" text;
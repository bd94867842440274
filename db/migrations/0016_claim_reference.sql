CREATE SEQUENCE "public"."claim_reference_numbers" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "reference" text;--> statement-breakpoint
ALTER TABLE "claims" ADD CONSTRAINT "claims_reference_unique" UNIQUE("reference");
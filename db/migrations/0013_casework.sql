CREATE TABLE "claim_journal" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "claim_journal_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"claim_id" text NOT NULL,
	"kind" text NOT NULL,
	"author" text NOT NULL,
	"text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "claims" ADD COLUMN "assignee" text;--> statement-breakpoint
ALTER TABLE "claim_journal" ADD CONSTRAINT "claim_journal_claim_id_claims_id_fk" FOREIGN KEY ("claim_id") REFERENCES "public"."claims"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "claim_journal_claim_idx" ON "claim_journal" USING btree ("claim_id","id");--> statement-breakpoint
-- The claim journal is part of the claim's record: entries are added, never changed or removed.
CREATE FUNCTION append_only_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only: % is not allowed', TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER claim_journal_append_only
  BEFORE UPDATE OR DELETE ON claim_journal
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER claim_journal_no_truncate
  BEFORE TRUNCATE ON claim_journal
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();

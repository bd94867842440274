CREATE TABLE "ledger_checkpoints" (
	"tree_size" bigint PRIMARY KEY NOT NULL,
	"root_hash" text NOT NULL,
	"note" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ledger_cosignatures" (
	"tree_size" bigint NOT NULL,
	"witness" text NOT NULL,
	"line" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "ledger_cosignatures_tree_size_witness_pk" PRIMARY KEY("tree_size","witness")
);
--> statement-breakpoint
CREATE TABLE "ledger_leaves" (
	"leaf_index" bigint PRIMARY KEY NOT NULL,
	"source" text NOT NULL,
	"decision_id" bigint,
	"application_id" text,
	"position" integer,
	"leaf_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "ledger_cosignatures" ADD CONSTRAINT "ledger_cosignatures_tree_size_ledger_checkpoints_tree_size_fk" FOREIGN KEY ("tree_size") REFERENCES "public"."ledger_checkpoints"("tree_size") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "ledger_cosignatures_witness_idx" ON "ledger_cosignatures" USING btree ("witness","tree_size");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_leaves_decision_idx" ON "ledger_leaves" USING btree ("decision_id");--> statement-breakpoint
CREATE UNIQUE INDEX "ledger_leaves_application_idx" ON "ledger_leaves" USING btree ("application_id","position");--> statement-breakpoint
-- The ledger's leaves, checkpoints and cosignatures are added, never changed or removed.
CREATE TRIGGER ledger_leaves_append_only
  BEFORE UPDATE OR DELETE ON ledger_leaves
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_leaves_no_truncate
  BEFORE TRUNCATE ON ledger_leaves
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_checkpoints_append_only
  BEFORE UPDATE OR DELETE ON ledger_checkpoints
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_checkpoints_no_truncate
  BEFORE TRUNCATE ON ledger_checkpoints
  FOR EACH STATEMENT EXECUTE FUNCTION append_only_refuse_change();
--> statement-breakpoint
CREATE TRIGGER ledger_cosignatures_append_only
  BEFORE UPDATE OR DELETE ON ledger_cosignatures
  FOR EACH ROW EXECUTE FUNCTION append_only_refuse_change();

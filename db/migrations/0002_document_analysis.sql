CREATE TABLE "document_pages" (
	"document_id" text NOT NULL,
	"page" integer NOT NULL,
	"source" text NOT NULL,
	"width" integer NOT NULL,
	"height" integer NOT NULL,
	"rotation" integer NOT NULL,
	"confidence" real NOT NULL,
	"text" text NOT NULL,
	"lines" jsonb NOT NULL,
	CONSTRAINT "document_pages_document_id_page_pk" PRIMARY KEY("document_id","page")
);
--> statement-breakpoint
ALTER TABLE "decisions" ADD COLUMN "flags" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "kind_confidence" real;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "fields" jsonb;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "page_count" integer;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "pages_done" integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "ocr_confidence" real;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "text_source" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "extraction_version" text;--> statement-breakpoint
ALTER TABLE "documents" ADD COLUMN "analyzed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "document_pages" ADD CONSTRAINT "document_pages_document_id_documents_id_fk" FOREIGN KEY ("document_id") REFERENCES "public"."documents"("id") ON DELETE no action ON UPDATE no action;
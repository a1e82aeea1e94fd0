CREATE TABLE "device_tags" (
	"device_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"key" text NOT NULL,
	"value" text,
	CONSTRAINT "device_tags_device_id_ma_id_key_pk" PRIMARY KEY("device_id","ma_id","key")
);
--> statement-breakpoint
ALTER TABLE "enrollments" ADD COLUMN "name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "enrollments" ADD COLUMN "notes" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "device_tags" ADD CONSTRAINT "device_tags_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_tags" ADD CONSTRAINT "device_tags_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_tags_ma_key_idx" ON "device_tags" USING btree ("ma_id","key");--> statement-breakpoint
CREATE INDEX "enrollments_ma_name_idx" ON "enrollments" USING btree ("ma_id","name","device_id");--> statement-breakpoint
-- Devices enrolled before names existed take the label of the enrollment code they used, as new ones do.
UPDATE "enrollments" SET "name" = COALESCE((SELECT "label" FROM "enrollment_codes" c WHERE c."used_by_device_id" = "enrollments"."device_id" AND c."ma_id" = "enrollments"."ma_id" ORDER BY c."used_at" DESC LIMIT 1), '');

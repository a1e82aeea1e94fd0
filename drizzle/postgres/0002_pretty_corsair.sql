CREATE TABLE "device_decommissions" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"enrolled_at" bigint NOT NULL,
	"issued_at" bigint NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"created_by" text NOT NULL,
	"acked_at" bigint,
	"erased" text,
	"superseded_at" bigint
);
--> statement-breakpoint
ALTER TABLE "device_decommissions" ADD CONSTRAINT "device_decommissions_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_decommissions" ADD CONSTRAINT "device_decommissions_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_decommissions_device_idx" ON "device_decommissions" USING btree ("device_id","acked_at");
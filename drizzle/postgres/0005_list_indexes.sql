DROP INDEX "operations_batch_device_idx";--> statement-breakpoint
CREATE INDEX "operations_ma_status_created_idx" ON "operations" USING btree ("ma_id","status","created_at");--> statement-breakpoint
CREATE INDEX "operations_ma_device_created_idx" ON "operations" USING btree ("ma_id","device_id","created_at");--> statement-breakpoint
CREATE INDEX "operations_batch_device_idx" ON "operations" USING btree ("batch_id","device_id","status");
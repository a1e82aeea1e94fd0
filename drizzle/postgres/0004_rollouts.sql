CREATE TABLE "rollout_devices" (
	"rollout_id" text NOT NULL,
	"device_id" text NOT NULL,
	"phase_idx" integer NOT NULL,
	"state" text NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"batch_id" text,
	"correlator" text,
	"next_attempt_at" bigint,
	"started_at" bigint,
	"finished_at" bigint,
	"last_result_code" integer,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "rollout_devices_rollout_id_device_id_pk" PRIMARY KEY("rollout_id","device_id")
);
--> statement-breakpoint
CREATE TABLE "rollout_phases" (
	"rollout_id" text NOT NULL,
	"idx" integer NOT NULL,
	"status" text NOT NULL,
	"acknowledged_failed" integer DEFAULT 0 NOT NULL,
	"acknowledged_refused" integer DEFAULT 0 NOT NULL,
	"started_at" bigint,
	"finished_at" bigint,
	CONSTRAINT "rollout_phases_rollout_id_idx_pk" PRIMARY KEY("rollout_id","idx")
);
--> statement-breakpoint
CREATE TABLE "rollouts" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"name" text NOT NULL,
	"status" text NOT NULL,
	"status_reason" text,
	"definition" text NOT NULL,
	"current_phase" integer DEFAULT 0 NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"updated_at" bigint NOT NULL,
	"started_at" bigint,
	"finished_at" bigint,
	"approval" text,
	"approved_by" text,
	"approved_at" bigint
);
--> statement-breakpoint
DROP INDEX "operations_batch_idx";--> statement-breakpoint
ALTER TABLE "rollout_devices" ADD CONSTRAINT "rollout_devices_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollout_phases" ADD CONSTRAINT "rollout_phases_rollout_id_rollouts_id_fk" FOREIGN KEY ("rollout_id") REFERENCES "public"."rollouts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "rollouts" ADD CONSTRAINT "rollouts_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "rollout_devices_state_idx" ON "rollout_devices" USING btree ("rollout_id","state");--> statement-breakpoint
CREATE INDEX "rollout_devices_correlator_idx" ON "rollout_devices" USING btree ("correlator");--> statement-breakpoint
CREATE INDEX "rollouts_ma_created_idx" ON "rollouts" USING btree ("ma_id","created_at");--> statement-breakpoint
CREATE INDEX "rollouts_status_idx" ON "rollouts" USING btree ("status");--> statement-breakpoint
CREATE INDEX "operations_batch_device_idx" ON "operations" USING btree ("batch_id","device_id");
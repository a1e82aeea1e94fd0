CREATE TABLE "api_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"name" text NOT NULL,
	"scope" text NOT NULL,
	"secret_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "audit_events" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text,
	"actor_type" text NOT NULL,
	"actor_id" text NOT NULL,
	"action" text NOT NULL,
	"target_type" text DEFAULT '' NOT NULL,
	"target_id" text DEFAULT '' NOT NULL,
	"outcome" text NOT NULL,
	"detail" text DEFAULT '{}' NOT NULL,
	"at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batches" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"consent_mode" text NOT NULL,
	"intent" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"device_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"kind" text NOT NULL,
	"component_id" text NOT NULL,
	"version" text,
	"note" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"operation_id" text,
	"created_at" bigint NOT NULL,
	"decided_at" bigint
);
--> statement-breakpoint
CREATE TABLE "devices" (
	"id" text PRIMARY KEY NOT NULL,
	"public_key" text NOT NULL,
	"key_algorithm" text NOT NULL,
	"encryption_key" text,
	"manufacturer" text DEFAULT '' NOT NULL,
	"model" text DEFAULT '' NOT NULL,
	"baseline_build_id" text NOT NULL,
	"software_version" text DEFAULT '' NOT NULL,
	"kind" text DEFAULT 'agent' NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "enrollment_codes" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"code_hash" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"used_by_device_id" text,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "enrollments" (
	"device_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"enrolled_at" bigint NOT NULL,
	"left_at" bigint,
	CONSTRAINT "enrollments_device_id_ma_id_pk" PRIMARY KEY("device_id","ma_id")
);
--> statement-breakpoint
CREATE TABLE "inventory" (
	"device_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"component_id" text NOT NULL,
	"stage" text NOT NULL,
	"version" text NOT NULL,
	"deployed_state" text,
	"operational_state" text,
	"updated_at" bigint NOT NULL,
	CONSTRAINT "inventory_device_id_ma_id_component_id_pk" PRIMARY KEY("device_id","ma_id","component_id")
);
--> statement-breakpoint
CREATE TABLE "inventory_report_seqs" (
	"device_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"component_id" text NOT NULL,
	"seq" bigint NOT NULL,
	CONSTRAINT "inventory_report_seqs_device_id_ma_id_component_id_pk" PRIMARY KEY("device_id","ma_id","component_id")
);
--> statement-breakpoint
CREATE TABLE "management_authorities" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"settings" text DEFAULT '{}' NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" text PRIMARY KEY NOT NULL,
	"correlator" text NOT NULL,
	"ma_id" text NOT NULL,
	"device_id" text NOT NULL,
	"batch_id" text,
	"seq" bigint DEFAULT 0 NOT NULL,
	"kind" text NOT NULL,
	"component_id" text,
	"package_version_id" text,
	"target_version" text,
	"consent_mode" text NOT NULL,
	"intent" text DEFAULT '' NOT NULL,
	"status" text NOT NULL,
	"download_status" bigint,
	"result_code" bigint,
	"result_message" text,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"delivered_at" bigint,
	"completed_at" bigint,
	"expires_at" bigint NOT NULL,
	"cancel_requested_at" bigint
);
--> statement-breakpoint
CREATE TABLE "package_versions" (
	"id" text PRIMARY KEY NOT NULL,
	"package_id" text NOT NULL,
	"version" text NOT NULL,
	"manifest" text NOT NULL,
	"compatible_baselines" text NOT NULL,
	"bundle_sha256" text NOT NULL,
	"bundle_size" bigint NOT NULL,
	"signature" text,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "packages" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"component_id" text NOT NULL,
	"name" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "administrators" (
	"id" text PRIMARY KEY NOT NULL,
	"display_name" text NOT NULL,
	"user_handle" text NOT NULL,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"role" text NOT NULL,
	"token_hash" text NOT NULL,
	"label" text DEFAULT '' NOT NULL,
	"created_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"used_by" text,
	"revoked_at" bigint
);
--> statement-breakpoint
CREATE TABLE "memberships" (
	"admin_id" text NOT NULL,
	"ma_id" text NOT NULL,
	"role" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "memberships_admin_id_ma_id_pk" PRIMARY KEY("admin_id","ma_id")
);
--> statement-breakpoint
CREATE TABLE "passkeys" (
	"id" text PRIMARY KEY NOT NULL,
	"admin_id" text NOT NULL,
	"public_key" text NOT NULL,
	"counter" bigint DEFAULT 0 NOT NULL,
	"transports" text DEFAULT '[]' NOT NULL,
	"name" text NOT NULL,
	"device_type" text DEFAULT 'singleDevice' NOT NULL,
	"backed_up" boolean DEFAULT false NOT NULL,
	"created_at" bigint NOT NULL,
	"last_used_at" bigint
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"admin_id" text NOT NULL,
	"created_at" bigint NOT NULL,
	"last_seen_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"user_agent" text DEFAULT '' NOT NULL
);
--> statement-breakpoint
CREATE TABLE "setup_tokens" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL,
	"used_at" bigint,
	"ma_id" text
);
--> statement-breakpoint
CREATE TABLE "webauthn_challenges" (
	"challenge" text PRIMARY KEY NOT NULL,
	"purpose" text NOT NULL,
	"admin_id" text,
	"data" text DEFAULT '{}' NOT NULL,
	"created_at" bigint NOT NULL,
	"expires_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "batch_envelopes" (
	"batch_id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"header" text NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL,
	"approval" text NOT NULL,
	"assertion" text,
	"approved_by" text,
	"approved_at" bigint,
	"created_at" bigint NOT NULL
);
--> statement-breakpoint
CREATE TABLE "ma_signing_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"ma_id" text NOT NULL,
	"public_key" text NOT NULL,
	"sealed_private_key" text NOT NULL,
	"created_at" bigint NOT NULL,
	"valid_until" bigint
);
--> statement-breakpoint
CREATE TABLE "ma_trust_grants" (
	"ma_id" text NOT NULL,
	"epoch" bigint NOT NULL,
	"grant" text NOT NULL,
	"approval" text NOT NULL,
	"approved_by" text NOT NULL,
	"created_at" bigint NOT NULL,
	CONSTRAINT "ma_trust_grants_ma_id_epoch_pk" PRIMARY KEY("ma_id","epoch")
);
--> statement-breakpoint
CREATE TABLE "ma_trust_statements" (
	"ma_id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"content_digest" text NOT NULL,
	"signed" text NOT NULL,
	"issued_at" bigint NOT NULL
);
--> statement-breakpoint
ALTER TABLE "api_tokens" ADD CONSTRAINT "api_tokens_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batches" ADD CONSTRAINT "batches_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_requests" ADD CONSTRAINT "device_requests_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "device_requests" ADD CONSTRAINT "device_requests_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollment_codes" ADD CONSTRAINT "enrollment_codes_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "enrollments" ADD CONSTRAINT "enrollments_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory" ADD CONSTRAINT "inventory_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "inventory_report_seqs" ADD CONSTRAINT "inventory_report_seqs_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_device_id_devices_id_fk" FOREIGN KEY ("device_id") REFERENCES "public"."devices"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "package_versions" ADD CONSTRAINT "package_versions_package_id_packages_id_fk" FOREIGN KEY ("package_id") REFERENCES "public"."packages"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "packages" ADD CONSTRAINT "packages_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_admin_id_administrators_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."administrators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passkeys" ADD CONSTRAINT "passkeys_admin_id_administrators_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."administrators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_admin_id_administrators_id_fk" FOREIGN KEY ("admin_id") REFERENCES "public"."administrators"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "batch_envelopes" ADD CONSTRAINT "batch_envelopes_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ma_signing_keys" ADD CONSTRAINT "ma_signing_keys_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ma_trust_grants" ADD CONSTRAINT "ma_trust_grants_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "ma_trust_statements" ADD CONSTRAINT "ma_trust_statements_ma_id_management_authorities_id_fk" FOREIGN KEY ("ma_id") REFERENCES "public"."management_authorities"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "api_tokens_secret_uq" ON "api_tokens" USING btree ("secret_hash");--> statement-breakpoint
CREATE INDEX "audit_ma_at_idx" ON "audit_events" USING btree ("ma_id","at");--> statement-breakpoint
CREATE INDEX "batches_ma_idx" ON "batches" USING btree ("ma_id");--> statement-breakpoint
CREATE INDEX "device_requests_ma_status_idx" ON "device_requests" USING btree ("ma_id","status");--> statement-breakpoint
CREATE UNIQUE INDEX "devices_public_key_uq" ON "devices" USING btree ("public_key");--> statement-breakpoint
CREATE UNIQUE INDEX "enrollment_codes_hash_uq" ON "enrollment_codes" USING btree ("code_hash");--> statement-breakpoint
CREATE INDEX "enrollment_codes_ma_idx" ON "enrollment_codes" USING btree ("ma_id");--> statement-breakpoint
CREATE INDEX "enrollments_ma_idx" ON "enrollments" USING btree ("ma_id");--> statement-breakpoint
CREATE INDEX "inventory_ma_idx" ON "inventory" USING btree ("ma_id");--> statement-breakpoint
CREATE UNIQUE INDEX "operations_correlator_uq" ON "operations" USING btree ("correlator");--> statement-breakpoint
CREATE INDEX "operations_device_status_idx" ON "operations" USING btree ("device_id","status");--> statement-breakpoint
CREATE INDEX "operations_ma_created_idx" ON "operations" USING btree ("ma_id","created_at");--> statement-breakpoint
CREATE INDEX "operations_batch_idx" ON "operations" USING btree ("batch_id");--> statement-breakpoint
CREATE UNIQUE INDEX "package_versions_uq" ON "package_versions" USING btree ("package_id","version");--> statement-breakpoint
CREATE UNIQUE INDEX "packages_ma_component_uq" ON "packages" USING btree ("ma_id","component_id");--> statement-breakpoint
CREATE UNIQUE INDEX "administrators_user_handle_uq" ON "administrators" USING btree ("user_handle");--> statement-breakpoint
CREATE UNIQUE INDEX "invitations_token_uq" ON "invitations" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "invitations_ma_idx" ON "invitations" USING btree ("ma_id");--> statement-breakpoint
CREATE INDEX "memberships_ma_idx" ON "memberships" USING btree ("ma_id");--> statement-breakpoint
CREATE INDEX "passkeys_admin_idx" ON "passkeys" USING btree ("admin_id");--> statement-breakpoint
CREATE INDEX "sessions_admin_idx" ON "sessions" USING btree ("admin_id");--> statement-breakpoint
CREATE UNIQUE INDEX "setup_tokens_hash_uq" ON "setup_tokens" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "webauthn_challenges_expires_idx" ON "webauthn_challenges" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "batch_envelopes_ma_approval_idx" ON "batch_envelopes" USING btree ("ma_id","approval");--> statement-breakpoint
CREATE INDEX "ma_signing_keys_ma_idx" ON "ma_signing_keys" USING btree ("ma_id");
CREATE TABLE `api_tokens` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`name` text NOT NULL,
	`scope` text NOT NULL,
	`secret_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	`last_used_at` integer,
	`revoked_at` integer,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_tokens_secret_uq` ON `api_tokens` (`secret_hash`);--> statement-breakpoint
CREATE TABLE `audit_events` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text,
	`actor_type` text NOT NULL,
	`actor_id` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text DEFAULT '' NOT NULL,
	`target_id` text DEFAULT '' NOT NULL,
	`outcome` text NOT NULL,
	`detail` text DEFAULT '{}' NOT NULL,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_ma_at_idx` ON `audit_events` (`ma_id`,`at`);--> statement-breakpoint
CREATE TABLE `batches` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`consent_mode` text NOT NULL,
	`intent` text DEFAULT '' NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `batches_ma_idx` ON `batches` (`ma_id`);--> statement-breakpoint
CREATE TABLE `device_requests` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`ma_id` text NOT NULL,
	`kind` text NOT NULL,
	`component_id` text NOT NULL,
	`version` text,
	`note` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`operation_id` text,
	`created_at` integer NOT NULL,
	`decided_at` integer,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `device_requests_ma_status_idx` ON `device_requests` (`ma_id`,`status`);--> statement-breakpoint
CREATE TABLE `devices` (
	`id` text PRIMARY KEY NOT NULL,
	`public_key` text NOT NULL,
	`key_algorithm` text NOT NULL,
	`manufacturer` text DEFAULT '' NOT NULL,
	`model` text DEFAULT '' NOT NULL,
	`baseline_build_id` text NOT NULL,
	`software_version` text DEFAULT '' NOT NULL,
	`kind` text DEFAULT 'agent' NOT NULL,
	`created_at` integer NOT NULL,
	`last_seen_at` integer,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `devices_public_key_uq` ON `devices` (`public_key`);--> statement-breakpoint
CREATE TABLE `enrollment_codes` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`code_hash` text NOT NULL,
	`label` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`used_at` integer,
	`used_by_device_id` text,
	`revoked_at` integer,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `enrollment_codes_hash_uq` ON `enrollment_codes` (`code_hash`);--> statement-breakpoint
CREATE INDEX `enrollment_codes_ma_idx` ON `enrollment_codes` (`ma_id`);--> statement-breakpoint
CREATE TABLE `enrollments` (
	`device_id` text NOT NULL,
	`ma_id` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`left_at` integer,
	PRIMARY KEY(`device_id`, `ma_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrollments_ma_idx` ON `enrollments` (`ma_id`);--> statement-breakpoint
CREATE TABLE `inventory` (
	`device_id` text NOT NULL,
	`component_id` text NOT NULL,
	`ma_id` text,
	`stage` text NOT NULL,
	`version` text NOT NULL,
	`deployed_state` text,
	`operational_state` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `component_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `inventory_ma_idx` ON `inventory` (`ma_id`);--> statement-breakpoint
CREATE TABLE `management_authorities` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`settings` text DEFAULT '{}' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `operations` (
	`id` text PRIMARY KEY NOT NULL,
	`correlator` text NOT NULL,
	`ma_id` text NOT NULL,
	`device_id` text NOT NULL,
	`batch_id` text,
	`seq` integer DEFAULT 0 NOT NULL,
	`kind` text NOT NULL,
	`component_id` text,
	`package_version_id` text,
	`target_version` text,
	`consent_mode` text NOT NULL,
	`intent` text DEFAULT '' NOT NULL,
	`status` text NOT NULL,
	`download_status` integer,
	`result_code` integer,
	`result_message` text,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`delivered_at` integer,
	`completed_at` integer,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `operations_correlator_uq` ON `operations` (`correlator`);--> statement-breakpoint
CREATE INDEX `operations_device_status_idx` ON `operations` (`device_id`,`status`);--> statement-breakpoint
CREATE INDEX `operations_ma_created_idx` ON `operations` (`ma_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `operations_batch_idx` ON `operations` (`batch_id`);--> statement-breakpoint
CREATE TABLE `package_versions` (
	`id` text PRIMARY KEY NOT NULL,
	`package_id` text NOT NULL,
	`version` text NOT NULL,
	`manifest` text NOT NULL,
	`compatible_baselines` text NOT NULL,
	`bundle_sha256` text NOT NULL,
	`bundle_size` integer NOT NULL,
	`signature` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `package_versions_uq` ON `package_versions` (`package_id`,`version`);--> statement-breakpoint
CREATE TABLE `packages` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`component_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `packages_component_uq` ON `packages` (`component_id`);--> statement-breakpoint
CREATE INDEX `packages_ma_idx` ON `packages` (`ma_id`);
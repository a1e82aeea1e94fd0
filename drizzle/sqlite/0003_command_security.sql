CREATE TABLE `batch_envelopes` (
	`batch_id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`header` text NOT NULL,
	`key_id` text NOT NULL,
	`signature` text NOT NULL,
	`approval` text NOT NULL,
	`assertion` text,
	`approved_by` text,
	`approved_at` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `batch_envelopes_ma_approval_idx` ON `batch_envelopes` (`ma_id`,`approval`);--> statement-breakpoint
CREATE TABLE `ma_signing_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`public_key` text NOT NULL,
	`sealed_private_key` text NOT NULL,
	`created_at` integer NOT NULL,
	`valid_until` integer,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `ma_signing_keys_ma_idx` ON `ma_signing_keys` (`ma_id`);--> statement-breakpoint
CREATE TABLE `ma_trust_statements` (
	`ma_id` text PRIMARY KEY NOT NULL,
	`seq` integer NOT NULL,
	`content_digest` text NOT NULL,
	`signed` text NOT NULL,
	`issued_at` integer NOT NULL,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);

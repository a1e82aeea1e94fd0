CREATE TABLE `device_decommissions` (
	`id` text PRIMARY KEY NOT NULL,
	`device_id` text NOT NULL,
	`ma_id` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`issued_at` integer NOT NULL,
	`key_id` text NOT NULL,
	`signature` text NOT NULL,
	`created_by` text NOT NULL,
	`acked_at` integer,
	`erased` text,
	`superseded_at` integer,
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `device_decommissions_device_idx` ON `device_decommissions` (`device_id`,`acked_at`);
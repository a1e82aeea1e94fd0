CREATE TABLE `inventory_report_seqs` (
	`device_id` text NOT NULL,
	`component_id` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`device_id`, `component_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
ALTER TABLE `operations` ADD `cancel_requested_at` integer;
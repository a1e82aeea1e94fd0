CREATE TABLE `device_tags` (
	`device_id` text NOT NULL,
	`ma_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text,
	PRIMARY KEY(`device_id`, `ma_id`, `key`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `device_tags_ma_key_idx` ON `device_tags` (`ma_id`,`key`);--> statement-breakpoint
ALTER TABLE `enrollments` ADD `name` text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE `enrollments` ADD `notes` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `enrollments_ma_name_idx` ON `enrollments` (`ma_id`,`name`,`device_id`);--> statement-breakpoint
-- Devices enrolled before names existed take the label of the enrollment code they used, as new ones do.
UPDATE `enrollments` SET `name` = COALESCE((SELECT `label` FROM `enrollment_codes` c WHERE c.`used_by_device_id` = `enrollments`.`device_id` AND c.`ma_id` = `enrollments`.`ma_id` ORDER BY c.`used_at` DESC LIMIT 1), '');

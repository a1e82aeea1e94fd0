CREATE TABLE `rollout_devices` (
	`rollout_id` text NOT NULL,
	`device_id` text NOT NULL,
	`phase_idx` integer NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`batch_id` text,
	`correlator` text,
	`next_attempt_at` integer,
	`started_at` integer,
	`finished_at` integer,
	`last_result_code` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`rollout_id`, `device_id`),
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rollout_devices_state_idx` ON `rollout_devices` (`rollout_id`,`state`);--> statement-breakpoint
CREATE INDEX `rollout_devices_correlator_idx` ON `rollout_devices` (`correlator`);--> statement-breakpoint
CREATE TABLE `rollout_phases` (
	`rollout_id` text NOT NULL,
	`idx` integer NOT NULL,
	`status` text NOT NULL,
	`acknowledged_failed` integer DEFAULT 0 NOT NULL,
	`acknowledged_refused` integer DEFAULT 0 NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	PRIMARY KEY(`rollout_id`, `idx`),
	FOREIGN KEY (`rollout_id`) REFERENCES `rollouts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `rollouts` (
	`id` text PRIMARY KEY NOT NULL,
	`ma_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`definition` text NOT NULL,
	`current_phase` integer DEFAULT 0 NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`approval` text,
	`approved_by` text,
	`approved_at` integer,
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `rollouts_ma_created_idx` ON `rollouts` (`ma_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `rollouts_status_idx` ON `rollouts` (`status`);--> statement-breakpoint
DROP INDEX `operations_batch_idx`;--> statement-breakpoint
CREATE INDEX `operations_batch_device_idx` ON `operations` (`batch_id`,`device_id`);
CREATE TABLE `ma_trust_grants` (
	`ma_id` text NOT NULL,
	`epoch` integer NOT NULL,
	`grant` text NOT NULL,
	`approval` text NOT NULL,
	`approved_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`ma_id`, `epoch`),
	FOREIGN KEY (`ma_id`) REFERENCES `management_authorities`(`id`) ON UPDATE no action ON DELETE no action
);

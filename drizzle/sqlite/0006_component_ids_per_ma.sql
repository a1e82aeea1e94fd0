-- Component ids become unique per MA (SCOMO-ADC-3: one MA's ids say nothing about another's). Hand-edited
-- data copies: until now a component id named one package across all MAs, so the owner of an inventory row
-- whose ma_id was null (no package when it was reported), and of every report sequence, is the MA of the
-- package with that id; rows no MA owns are dropped (no MA could see them, the next report restores them).
-- The packages index rebuild runs before the copies, which still see one package per id.
DROP INDEX `packages_component_uq`;--> statement-breakpoint
DROP INDEX `packages_ma_idx`;--> statement-breakpoint
CREATE UNIQUE INDEX `packages_ma_component_uq` ON `packages` (`ma_id`,`component_id`);--> statement-breakpoint
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inventory` (
	`device_id` text NOT NULL,
	`ma_id` text NOT NULL,
	`component_id` text NOT NULL,
	`stage` text NOT NULL,
	`version` text NOT NULL,
	`deployed_state` text,
	`operational_state` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`device_id`, `ma_id`, `component_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_inventory`("device_id", "ma_id", "component_id", "stage", "version", "deployed_state", "operational_state", "updated_at") SELECT "device_id", COALESCE("ma_id", (SELECT p."ma_id" FROM `packages` p WHERE p."component_id" = i."component_id")), "component_id", "stage", "version", "deployed_state", "operational_state", "updated_at" FROM `inventory` i WHERE COALESCE("ma_id", (SELECT p."ma_id" FROM `packages` p WHERE p."component_id" = i."component_id")) IS NOT NULL;--> statement-breakpoint
DROP TABLE `inventory`;--> statement-breakpoint
ALTER TABLE `__new_inventory` RENAME TO `inventory`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE INDEX `inventory_ma_idx` ON `inventory` (`ma_id`);--> statement-breakpoint
CREATE TABLE `__new_inventory_report_seqs` (
	`device_id` text NOT NULL,
	`ma_id` text NOT NULL,
	`component_id` text NOT NULL,
	`seq` integer NOT NULL,
	PRIMARY KEY(`device_id`, `ma_id`, `component_id`),
	FOREIGN KEY (`device_id`) REFERENCES `devices`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
INSERT INTO `__new_inventory_report_seqs`("device_id", "ma_id", "component_id", "seq") SELECT s."device_id", p."ma_id", s."component_id", s."seq" FROM `inventory_report_seqs` s JOIN `packages` p ON p."component_id" = s."component_id";--> statement-breakpoint
DROP TABLE `inventory_report_seqs`;--> statement-breakpoint
ALTER TABLE `__new_inventory_report_seqs` RENAME TO `inventory_report_seqs`;
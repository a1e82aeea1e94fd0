/** What the console calls a device: its name in this MA, else what it reported itself as (manufacturer and model). */
export function deviceTitle(d: { name: string; manufacturer: string; model: string }): string {
	return d.name || `${d.manufacturer} ${d.model}`.trim() || 'Unnamed device';
}

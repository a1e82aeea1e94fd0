/**
 * The device filter language: one parser for the console, the REST API and rollouts, so a filter means the
 * same wherever it is typed. Hand-written recursive descent: the grammar is small, the parser must run in the
 * browser, the server and the core alike with no dependency, and every error must point at the exact
 * character where reading stopped.
 *
 *   filter      := or
 *   or          := and ("or" and)*
 *   and         := not ("and" not)*
 *   not         := "not" not | "(" or ")" | comparison
 *   comparison  := field op value | search+
 *   search      := a bare word that is no field name or keyword, or a "quoted text", not followed by an op
 *   field       := name | tag | tag.<key> | baseline | model | manufacturer | online | last_seen
 *                | last_result | group | component[<component id>].(version | stage | state | operational)
 *   op          := == | != | < | <= | > | >=
 *   value       := "text" or a bare word (with * as a wildcard, == and != only) | number or version
 *                  (1, 2.0, 1.4.2) | true | false | age (30s, 15m, 12h, 7d)
 *
 * Meanings: `tag == "lobby"` holds when the device has the tag lobby (with or without a value);
 * `tag.floor == "3"` when it has floor=3. `last_seen < 7d`: seen less than seven days ago. `last_result` is the
 * result code of the device's last finished operation. A search word alone finds names containing it:
 * `Lobby` is name == "*Lobby*", and `lobby kiosk` needs both words. `group == "Lobby screens"` holds for the members of a static group, or for what a dynamic group's saved
 * filter matches (device-filter-groups.ts expands group names before a filter runs). `component[id].version` compares versions by semver; a
 * device without the component matches only `!=` comparisons on it. Text compares case-insensitively.
 */
import { compareVersions } from './semver';
import { err, ok, type Result } from './result';

export type FilterOp = '==' | '!=' | '<' | '<=' | '>' | '>=';
export type FilterValue =
	| { type: 'text'; value: string }
	| { type: 'number'; value: string }
	| { type: 'bool'; value: boolean }
	| { type: 'age'; ms: number; text: string };

export type FilterField =
	| { kind: 'name' | 'baseline' | 'model' | 'manufacturer' | 'online' | 'last_seen' | 'last_result' }
	| { kind: 'tag'; key?: string }
	/** A group by name (the value); `groupId` once resolved to a static group (device-filter-groups.ts). */
	| { kind: 'group'; groupId?: string; valuePosition: number }
	| { kind: 'component'; componentId: string; attribute: 'version' | 'stage' | 'state' | 'operational' };

export type FilterNode =
	| { type: 'and' | 'or'; left: FilterNode; right: FilterNode }
	| { type: 'not'; operand: FilterNode }
	| { type: 'compare'; field: FilterField; op: FilterOp; value: FilterValue; position: number };

export type FilterError = { code: 'filter_syntax'; message: string; position: number };

/** What a filter reads of a device. */
export type FilterableDevice = {
	name: string;
	tags: readonly { key: string; value?: string | null }[];
	baseline: string;
	model: string;
	manufacturer: string;
	online: boolean;
	/** Epoch ms, or null when never seen. */
	lastSeenAt: number | null;
	lastResultCode: number | null;
	components: readonly { componentId: string; version: string; stage: string; state?: string | null; operational?: string | null }[];
	/** The static groups the device is a member of (dynamic groups are expanded into their filters first). */
	groups?: readonly { id: string; name: string }[];
};

/** Longest filter accepted: a filter is typed by a person or saved in a group, never a document. */
export const MAX_FILTER_LENGTH = 2000;

type Token =
	| { t: 'word'; v: string; p: number }
	| { t: 'text'; v: string; p: number }
	| { t: 'op'; v: FilterOp; p: number }
	| { t: '(' | ')' | '[' | ']' | '.'; p: number }
	| { t: 'end'; p: number };

class Fail {
	constructor(
		readonly message: string,
		readonly position: number
	) {}
}

const WORD = /[A-Za-z0-9_\-*:/+@]/;

function tokenize(src: string): Token[] {
	const out: Token[] = [];
	let i = 0;
	while (i < src.length) {
		const c = src[i]!;
		if (/\s/.test(c)) {
			i++;
		} else if (c === '"' || c === "'") {
			const start = i++;
			let text = '';
			while (i < src.length && src[i] !== c) {
				if (src[i] === '\\' && i + 1 < src.length) i++;
				text += src[i++];
			}
			if (i >= src.length) throw new Fail('this text has no closing quote', start);
			i++;
			out.push({ t: 'text', v: text, p: start });
		} else if ('()[].'.includes(c)) {
			out.push({ t: c as '(' | ')' | '[' | ']' | '.', p: i++ });
		} else if ('=!<>'.includes(c)) {
			const two = src.slice(i, i + 2);
			if (two === '==' || two === '!=' || two === '<=' || two === '>=') {
				out.push({ t: 'op', v: two, p: i });
				i += 2;
			} else if (c === '<' || c === '>') {
				out.push({ t: 'op', v: c, p: i++ });
			} else {
				throw new Fail(c === '=' ? 'use == to compare' : 'use != for "not equal"', i);
			}
		} else if (WORD.test(c)) {
			const start = i;
			while (i < src.length && WORD.test(src[i]!)) i++;
			out.push({ t: 'word', v: src.slice(start, i), p: start });
		} else {
			throw new Fail(`unexpected character ${JSON.stringify(c)}`, i);
		}
	}
	out.push({ t: 'end', p: src.length });
	return out;
}

const KEYWORDS = ['and', 'or', 'not'] as const;
const SIMPLE_FIELDS = ['name', 'baseline', 'model', 'manufacturer', 'online', 'last_seen', 'last_result'] as const;
const COMPONENT_ATTRIBUTES = ['version', 'stage', 'state', 'operational'] as const;
const AGE_UNITS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

class Parser {
	private i = 0;
	constructor(
		private readonly tokens: Token[],
		private readonly src: string
	) {}

	private peek(): Token {
		return this.tokens[this.i]!;
	}
	private next(): Token {
		return this.tokens[this.i++]!;
	}
	private isWord(v: string): boolean {
		const t = this.peek();
		return t.t === 'word' && t.v.toLowerCase() === v;
	}
	private expect<T extends Token['t']>(t: T, what: string): Extract<Token, { t: T }> {
		const tok = this.next();
		if (tok.t !== t) throw new Fail(`expected ${what}${this.found(tok)}`, tok.p);
		return tok as Extract<Token, { t: T }>;
	}
	private found(tok: Token): string {
		return tok.t === 'end' ? ' but the filter ends here' : ` but found ${JSON.stringify(this.src.slice(tok.p, tok.p + 12).split(/\s/)[0])}`;
	}

	parse(): FilterNode {
		const node = this.or();
		const rest = this.peek();
		if (rest.t !== 'end') throw new Fail(`expected "and", "or" or the end of the filter${this.found(rest)}`, rest.p);
		return node;
	}

	private or(): FilterNode {
		let left = this.and();
		while (this.isWord('or')) {
			this.next();
			left = { type: 'or', left, right: this.and() };
		}
		return left;
	}

	private and(): FilterNode {
		let left = this.not();
		while (this.isWord('and')) {
			this.next();
			left = { type: 'and', left, right: this.not() };
		}
		return left;
	}

	private not(): FilterNode {
		if (this.isWord('not')) {
			this.next();
			return { type: 'not', operand: this.not() };
		}
		if (this.peek().t === '(') {
			this.next();
			const inner = this.or();
			this.expect(')', 'a closing parenthesis');
			return inner;
		}
		return this.comparison();
	}

	private comparison(): FilterNode {
		const start = this.peek();
		if (this.isSearchTerm()) return this.search();
		const field = this.field();
		const opTok = this.next();
		if (opTok.t !== 'op') throw new Fail(`expected a comparison (==, !=, <, <=, >, >=)${this.found(opTok)}`, opTok.p);
		const value = this.value();
		checkComparison(field, opTok.v, value, opTok.p);
		if (field.kind === 'group') field.valuePosition = value.position;
		return { type: 'compare', field, op: opTok.v, value: value.value, position: start.p };
	}

	/**
	 * A plain word or quoted text standing alone (not a field name, not followed by an operator) searches
	 * names: `Lobby` means name == "*Lobby*". Several in a row must all appear: `lobby kiosk`.
	 */
	private isSearchTerm(): boolean {
		const tok = this.peek();
		if (tok.t === 'end') return false;
		const after = this.tokens[this.i + 1]!;
		if (after.t === 'op' || after.t === '.' || after.t === '[') return false;
		if (tok.t === 'text') return true;
		if (tok.t !== 'word') return false;
		const w = tok.v.toLowerCase();
		return !(KEYWORDS as readonly string[]).includes(w) && !(SIMPLE_FIELDS as readonly string[]).includes(w) && w !== 'tag' && w !== 'component' && w !== 'group';
	}

	private search(): FilterNode {
		let node: FilterNode | null = null;
		while (this.isSearchTerm()) {
			const tok = this.next() as Extract<Token, { t: 'word' | 'text' }>;
			const term: FilterNode = { type: 'compare', field: { kind: 'name' }, op: '==', value: { type: 'text', value: `*${tok.v}*` }, position: tok.p };
			node = node === null ? term : { type: 'and', left: node, right: term };
		}
		return node!;
	}

	private field(): FilterField {
		const tok = this.next();
		if (tok.t !== 'word') throw new Fail(`expected a field (${fieldList()})${this.found(tok)}`, tok.p);
		const name = tok.v.toLowerCase();
		if ((SIMPLE_FIELDS as readonly string[]).includes(name)) return { kind: name as (typeof SIMPLE_FIELDS)[number] };
		if (name === 'tag') {
			if (this.peek().t !== '.') return { kind: 'tag' };
			this.next();
			const key = this.next();
			if (key.t !== 'word' && key.t !== 'text') throw new Fail(`expected a tag key after "tag."${this.found(key)}`, key.p);
			return { kind: 'tag', key: key.v };
		}
		if (name === 'group') return { kind: 'group', valuePosition: tok.p };
		if (name === 'component') {
			this.expect('[', 'a component id in brackets, like component[com.acme.app]');
			const id = this.componentId();
			this.expect(']', 'a closing bracket after the component id');
			this.expect('.', `an attribute after the component (${COMPONENT_ATTRIBUTES.join(', ')})`);
			const attr = this.next();
			if (attr.t !== 'word' || !(COMPONENT_ATTRIBUTES as readonly string[]).includes(attr.v.toLowerCase())) {
				throw new Fail(`expected a component attribute (${COMPONENT_ATTRIBUTES.join(', ')})${this.found(attr)}`, attr.p);
			}
			return { kind: 'component', componentId: id, attribute: attr.v.toLowerCase() as (typeof COMPONENT_ATTRIBUTES)[number] };
		}
		throw new Fail(`unknown field "${tok.v}" (fields: ${fieldList()})`, tok.p);
	}

	/** A reverse-DNS id reads as words joined by dots (com.acme.weather), or a quoted text. */
	private componentId(): string {
		const first = this.next();
		if (first.t === 'text') return first.v;
		if (first.t !== 'word') throw new Fail(`expected a component id${this.found(first)}`, first.p);
		let id = first.v;
		while (this.peek().t === '.') {
			this.next();
			const part = this.next();
			if (part.t !== 'word') throw new Fail(`expected the rest of the component id after "."${this.found(part)}`, part.p);
			id += `.${part.v}`;
		}
		return id;
	}

	private value(): { value: FilterValue; position: number } {
		const tok = this.next();
		if (tok.t === 'text') return { value: { type: 'text', value: tok.v }, position: tok.p };
		if (tok.t !== 'word') throw new Fail(`expected a value${this.found(tok)}`, tok.p);
		const w = tok.v.toLowerCase();
		if (w === 'true' || w === 'false') return { value: { type: 'bool', value: w === 'true' }, position: tok.p };
		const age = /^(\d+)([smhd])$/.exec(w);
		if (age) return { value: { type: 'age', ms: Number(age[1]) * AGE_UNITS[age[2]!]!, text: w }, position: tok.p };
		if (/^\d+$/.test(w)) {
			// A version like 2.0 or 1.4.2 is read as words joined by dots.
			let v = w;
			while (this.peek().t === '.') {
				this.next();
				const part = this.next();
				if (part.t !== 'word' || !/^\d+$/.test(part.v)) throw new Fail(`expected a number after "." in a version${this.found(part)}`, part.p);
				v += `.${part.v}`;
			}
			return { value: { type: 'number', value: v }, position: tok.p };
		}
		// A bare word is text (tag == lobby); quotes are needed for spaces, dots and other punctuation.
		return { value: { type: 'text', value: tok.v }, position: tok.p };
	}
}

const fieldList = () => [...SIMPLE_FIELDS, 'tag', 'tag.<key>', 'group', 'component[<id>].<attribute>'].join(', ');

/** Which values and operators each field takes: a filter that can never mean anything is refused, not run. */
function checkComparison(field: FilterField, op: FilterOp, v: { value: FilterValue; position: number }, opPos: number): void {
	const ordered = op !== '==' && op !== '!=';
	const kind = field.kind;
	const want = (types: FilterValue['type'][], what: string) => {
		if (!types.includes(v.value.type)) throw new Fail(`${describe(field)} takes ${what}`, v.position);
	};
	if (kind === 'online') {
		want(['bool'], 'true or false');
		if (ordered) throw new Fail('online is compared with == or != only', opPos);
	} else if (kind === 'last_seen') {
		want(['age'], 'an age like 30s, 15m, 12h or 7d (last_seen < 7d: seen within seven days)');
		if (!ordered) throw new Fail('last_seen is compared with <, <=, > or >= an age', opPos);
	} else if (kind === 'last_result') {
		want(['number'], 'a result code like 1200');
	} else if (kind === 'group') {
		want(['text', 'number'], 'a group’s name in quotes, like group == "Lobby screens"');
		if (ordered) throw new Fail('group is compared with == or != only', opPos);
		if (valueText(v.value).includes('*')) throw new Fail('group takes a group’s exact name: wildcards (*) do not apply', v.position);
	} else if (kind === 'component' && field.attribute === 'version') {
		want(['number', 'text'], 'a version like 2.0 or "2.0.1"');
	} else {
		want(['text', 'number'], 'a text in quotes');
		if (ordered) throw new Fail(`${describe(field)} is compared with == or != only`, opPos);
	}
	if (ordered && v.value.type === 'text' && v.value.value.includes('*')) throw new Fail('wildcards (*) work with == and != only', v.position);
}

function describe(field: FilterField): string {
	if (field.kind === 'tag') return field.key ? `tag.${field.key}` : 'tag';
	if (field.kind === 'component') return `component[${field.componentId}].${field.attribute}`;
	return field.kind;
}

export function parseDeviceFilter(src: string): Result<FilterNode, FilterError> {
	if (src.length > MAX_FILTER_LENGTH) return err({ code: 'filter_syntax', message: `a filter is at most ${MAX_FILTER_LENGTH} characters`, position: MAX_FILTER_LENGTH });
	if (src.trim() === '') return err({ code: 'filter_syntax', message: 'the filter is empty', position: 0 });
	try {
		return ok(new Parser(tokenize(src), src).parse());
	} catch (e) {
		if (e instanceof Fail) return err({ code: 'filter_syntax', message: e.message, position: e.position });
		throw e;
	}
}

/** Text equality with * as a wildcard, case-insensitive. */
function textMatches(actual: string, pattern: string): boolean {
	if (!pattern.includes('*')) return actual.toLowerCase() === pattern.toLowerCase();
	const re = new RegExp(`^${pattern.split('*').map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('.*')}$`, 'i');
	return re.test(actual);
}

function compareOrdered(c: number, op: FilterOp): boolean {
	switch (op) {
		case '<':
			return c < 0;
		case '<=':
			return c <= 0;
		case '>':
			return c > 0;
		case '>=':
			return c >= 0;
		case '==':
			return c === 0;
		case '!=':
			return c !== 0;
	}
}

/** A comparison value as the text it compares with (numbers and versions as written). */
export const valueText = (v: FilterValue): string => (v.type === 'text' || v.type === 'number' ? v.value : v.type === 'bool' ? String(v.value) : v.text);

function equality(actual: string | null | undefined, op: FilterOp, v: FilterValue): boolean {
	const same = actual !== null && actual !== undefined && textMatches(actual, valueText(v));
	return op === '==' ? same : !same;
}

function evaluateCompare(node: Extract<FilterNode, { type: 'compare' }>, d: FilterableDevice, now: number): boolean {
	const { field, op, value } = node;
	switch (field.kind) {
		case 'name':
		case 'baseline':
		case 'model':
		case 'manufacturer':
			return equality(d[field.kind], op, value);
		case 'online':
			return (d.online === (value as { value: boolean }).value) === (op === '==');
		case 'last_seen': {
			// An age comparison: last_seen < 7d = seen less than seven days ago. Never seen is infinitely old.
			const age = d.lastSeenAt === null ? Number.POSITIVE_INFINITY : now - d.lastSeenAt;
			return compareOrdered(Math.sign(age - (value as { ms: number }).ms), op);
		}
		case 'last_result':
			if (d.lastResultCode === null) return op === '!=';
			return compareOrdered(Math.sign(d.lastResultCode - Number(valueText(value))), op);
		case 'tag': {
			const has = d.tags.some((t) =>
				field.key === undefined ? textMatches(t.key, valueText(value)) : t.key.toLowerCase() === field.key.toLowerCase() && textMatches(t.value ?? '', valueText(value))
			);
			return op === '==' ? has : !has;
		}
		case 'group': {
			// Resolved: by the static group's ID; else by its name (ignoring case, as group names are unique that way).
			const name = valueText(value).toLowerCase();
			const member = (d.groups ?? []).some((g) => (field.groupId !== undefined ? g.id === field.groupId : g.name.toLowerCase() === name));
			return op === '==' ? member : !member;
		}
		case 'component': {
			const c = d.components.find((x) => x.componentId === field.componentId);
			if (!c) return op === '!=';
			if (field.attribute === 'version') {
				const text = valueText(value);
				if (op === '==' || op === '!=') return equality(c.version, op, value);
				return compareOrdered(Math.sign(compareVersions(c.version, text)), op);
			}
			return equality(c[field.attribute] ?? null, op, value);
		}
	}
}

/** Whether a device matches a parsed filter at time `now` (epoch ms; last_seen compares ages). */
export function matchesDeviceFilter(node: FilterNode, d: FilterableDevice, now: number): boolean {
	switch (node.type) {
		case 'and':
			return matchesDeviceFilter(node.left, d, now) && matchesDeviceFilter(node.right, d, now);
		case 'or':
			return matchesDeviceFilter(node.left, d, now) || matchesDeviceFilter(node.right, d, now);
		case 'not':
			return !matchesDeviceFilter(node.operand, d, now);
		case 'compare':
			return evaluateCompare(node, d, now);
	}
}

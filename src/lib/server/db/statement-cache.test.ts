import { describe, it, expect } from 'vitest';
import Database from 'better-sqlite3';
import { cacheStatements } from './statement-cache';

describe('cacheStatements', () => {
	it('prepares each SQL text once and returns the same statement', () => {
		const db = cacheStatements(new Database(':memory:'));
		db.exec('create table t (id integer primary key, name text)');
		const a = db.prepare('insert into t (name) values (?)');
		expect(db.prepare('insert into t (name) values (?)')).toBe(a);
		a.run('x');
		db.prepare('insert into t (name) values (?)').run('y');
		expect(db.prepare('select count(*) as n from t').get()).toEqual({ n: 2 });
		db.close();
	});

	it('hands a reader back in row mode after someone used it raw', () => {
		const db = cacheStatements(new Database(':memory:'));
		db.exec("create table t (id integer primary key, name text); insert into t (name) values ('a')");
		expect(db.prepare('select id, name from t').raw().get()).toEqual([1, 'a']);
		expect(db.prepare('select id, name from t').get()).toEqual({ id: 1, name: 'a' });
		expect(db.prepare('select id, name from t').pluck().get()).toBe(1);
		expect(db.prepare('select id, name from t').get()).toEqual({ id: 1, name: 'a' });
		db.close();
	});

	it('forgets the oldest text beyond its bound', () => {
		const db = cacheStatements(new Database(':memory:'), 2);
		const first = db.prepare('select 1');
		db.prepare('select 2');
		db.prepare('select 3');
		expect(db.prepare('select 1')).not.toBe(first);
		expect(db.prepare('select 1').get()).toEqual({ 1: 1 });
		db.close();
	});
});

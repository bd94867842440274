// Which database failures are retried and which are final (db/errors.ts), as the drivers raise them:
// drizzle's error wraps the driver's, whose `code` is the SQLSTATE.
import { describe, expect, it } from 'vitest';
import { databaseRefusal, isPermanentDatabaseError, sqlState } from '../../db/errors.ts';

/** As drizzle throws it: its own message quotes the statement and the parameters; the cause has the code. */
const drizzleError = (code: string, message = 'server message quoting "Ada Lovelace"') =>
  Object.assign(new Error('Failed query: insert into decisions ... params: Ada Lovelace'), {
    cause: Object.assign(new Error(message), { code }),
  });

describe('database errors', () => {
  it('finds the SQLSTATE in the cause chain, and none in an error without one', () => {
    expect(sqlState(drizzleError('22021'))).toBe('22021');
    expect(sqlState(new Error('ECONNREFUSED'))).toBeUndefined();
    expect(sqlState(Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }))).toBeUndefined();
  });

  it('calls data the server will never take permanent, and outages, locks and races transient', () => {
    for (const code of ['22021', '22001', '22003', '22P02', '23502', '23514', '54000'])
      expect(isPermanentDatabaseError(drizzleError(code)), code).toBe(true);
    // Connection lost, shutting down, too many connections, serialization failure, deadlock, lock not
    // available, unique and foreign-key races between writers: the next attempt can succeed.
    for (const code of ['08006', '57P01', '53300', '40001', '40P01', '55P03', '23505', '23503'])
      expect(isPermanentDatabaseError(drizzleError(code)), code).toBe(false);
    expect(isPermanentDatabaseError(new Error('socket hang up'))).toBe(false);
  });

  it('says what was refused in words, without the statement, its parameters or the server message', () => {
    const words = databaseRefusal(drizzleError('22021'));
    expect(words).toBe('The database refused to record this: text with a character it cannot store (such as NUL) (SQLSTATE 22021).');
    expect(databaseRefusal(drizzleError('22999'))).toBe('The database refused to record this: data it cannot take (SQLSTATE 22999).');
    for (const code of ['22021', '23514', '22999']) expect(databaseRefusal(drizzleError(code))).not.toMatch(/Lovelace|insert|params/);
  });
});

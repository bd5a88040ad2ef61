import { GraphQLError } from 'graphql';
import { databaseFault } from '../../common/platform/database/faults';

/** Which errors mean "the database is not there right now" (DATABASE_UNAVAILABLE) and which are bugs (masked). */
describe('databaseFault', () => {
  const pgError = (code: string, message = 'x') => Object.assign(new Error(message), { code });

  it('knows a stopped, restarting or unreachable database, however deeply wrapped', () => {
    expect(databaseFault(pgError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:5432'))).toBe('unavailable');
    expect(databaseFault(pgError('57P01', 'terminating connection due to administrator command'))).toBe('unavailable');
    expect(databaseFault(pgError('57P03', 'the database system is starting up'))).toBe('unavailable');
    expect(databaseFault(pgError('08006'))).toBe('unavailable');
    expect(databaseFault(new Error('Connection terminated unexpectedly'))).toBe('unavailable');
    expect(databaseFault(new Error('timeout exceeded when trying to connect'))).toBe('unavailable');
    // TypeORM's QueryFailedError keeps the driver's error; GraphQL keeps the resolver's; Node's fetch-style errors a cause.
    const typeorm = Object.assign(new Error('query failed'), { driverError: pgError('57P01') });
    expect(databaseFault(new GraphQLError('wrapped', { originalError: typeorm }))).toBe('unavailable');
    expect(databaseFault(new AggregateError([pgError('ECONNREFUSED'), pgError('ECONNREFUSED')]))).toBe('unavailable');
  });

  it('tells a statement timeout apart', () => {
    expect(databaseFault(pgError('57014', 'canceling statement due to statement timeout'))).toBe('timeout');
    expect(databaseFault(new Error('Query read timeout'))).toBe('timeout');
  });

  it('leaves bugs alone: they stay masked as INTERNAL_SERVER_ERROR', () => {
    expect(databaseFault(pgError('42P01', 'relation "observation_gone" does not exist'))).toBeUndefined();
    expect(databaseFault(pgError('23505', 'duplicate key value'))).toBeUndefined();
    expect(databaseFault(new TypeError('Cannot read properties of undefined'))).toBeUndefined();
    expect(databaseFault(undefined)).toBeUndefined();
  });
});

// A throw-away PostgreSQL with pgvector for the test suite: PGlite (PostgreSQL compiled to
// WebAssembly) with the real pgvector extension, spoken to over the PostgreSQL wire protocol by
// @electric-sql/pglite-socket. Debian 12 has no pgvector package; production uses a real server.
//
// PGlite is one single-threaded backend: connections are accepted, but their queries run one at a
// time in the same session, so clients keep few connections (the tests use Maximum Pool Size=2) and
// never hold a transaction across round trips.
//
//   node pgvector-test-server.mjs <node_modules dir> <data dir or "memory"> <port>
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [moduleDir, dataDir, port] = process.argv.slice(2);
const load = name => import(pathToFileURL(path.join(moduleDir, name, 'dist', 'index.js')).href);
const { PGlite } = await load('@electric-sql/pglite');
const { vector } = await load('@electric-sql/pglite-pgvector');
const { PGLiteSocketServer } = await load('@electric-sql/pglite-socket');

const db = await PGlite.create(dataDir === 'memory' ? undefined : dataDir, { extensions: { vector } });
const server = new PGLiteSocketServer({ db, port: Number(port), host: '127.0.0.1', maxConnections: 64 });
await server.start();
console.log(`pglite listening on 127.0.0.1:${port}`);

const stop = async () => {
  await server.stop();
  await db.close();
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);

import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: ['./db/schema.ts', './db/casework.ts', './db/ledger.ts', './db/voice.ts'],
  out: './db/migrations',
});

// The operations console, served at /console/ as static files from its Vite build. Its pages run only
// the console's own scripts and talk only to this origin (the content security policy says so); `/`
// sends a person there. Without a build, /console/ says how to make one.
import { existsSync } from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

const policy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' blob: data:",
  "media-src 'self' blob:",
  "connect-src 'self'",
  "frame-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

export function consoleRoutes({ dist }: { dist: string }): Router {
  const router = Router();
  router.get('/', (_req, res) => res.redirect(302, '/console/'));
  router.use('/console', (_req, res, next) => {
    res.set({
      'content-security-policy': policy,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
    });
    if (!existsSync(path.join(dist, 'index.html'))) {
      res.status(503).type('text/plain').send('The console is not built. Run `npm run build:console` (npm start builds it).\n');
      return;
    }
    next();
  });
  router.use(
    '/console',
    express.static(dist, {
      index: 'index.html',
      // Hashed asset names never change; the page itself is looked up again.
      setHeaders: (res, file) => res.set('cache-control', file.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable'),
    }),
  );
  return router;
}

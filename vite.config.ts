import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Static build: no CDN, everything bundled so the app works offline after the first load.
export default defineConfig({
  plugins: [react()],
  base: './',
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
});

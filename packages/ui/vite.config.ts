import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The web app lives in web/ and is built into web-dist/, which the server serves.
export default defineConfig({
  root: 'web',
  base: './',
  plugins: [react()],
  build: { outDir: '../web-dist', emptyOutDir: true, chunkSizeWarningLimit: 4096 },
});

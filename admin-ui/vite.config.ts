import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  plugins: [react()],
  // The control plane serves dist/ at the site root.
  base: '/',
  build: { outDir: 'dist', emptyOutDir: true },
  server: {
    proxy: { '/graphql': { target: 'http://127.0.0.1:3001', changeOrigin: false } },
  },
});

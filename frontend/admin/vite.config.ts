// The embedded admin's build: one entry, hashed files and a manifest in app/static/admin/, which Flask reads to
// write the page's <script> and <link> tags (app/admin/pages.py). The dashboard's charts load as their own chunk.
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react()],
  base: "/static/admin/",
  build: {
    outDir: "../../app/static/admin",
    emptyOutDir: true,
    manifest: true,
    target: "es2020",
    chunkSizeWarningLimit: 1500,
    rollupOptions: { input: "src/main.tsx" },
  },
});

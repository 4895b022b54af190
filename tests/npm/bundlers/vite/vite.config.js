// A two-page Vite app, configured as the package's README tells Vite users to.
import { defineConfig } from "vite";

export default defineConfig({
  // As the README says: the dev server's pre-bundling loses the .wasm files before Vite 8.
  optimizeDeps: { exclude: ["atlas-ldap", "atlas-ldap/validators"] },
  build: { rollupOptions: { input: { console: "index.html", validators: "validators.html" } } },
  // For the dev-server test: the API on the page's own origin, as in production.
  server: process.env.ATLAS_API ? { proxy: { "/api": process.env.ATLAS_API } } : {},
});

// Bundles harness.jsx (React 18 + Splunk's dashboard framework) into dist/harness.js for the test page.
import { build } from 'esbuild';

await build({
    entryPoints: ['harness.jsx'],
    bundle: true,
    outfile: 'dist/harness.js',
    format: 'iife',
    target: 'chrome120',
    minify: true,
    sourcemap: 'linked',
    logLevel: 'warning',
    define: { 'process.env.NODE_ENV': '"production"', global: 'window' },
    loader: { '.js': 'jsx' },
});

// esbuild bundles stylesheets imported from scripts into a .css beside the .js.
declare module '*.css';

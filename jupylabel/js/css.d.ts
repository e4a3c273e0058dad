// esbuild bundles the stylesheet the entry points import; to the type checker it is only a module.
declare module "*.css";

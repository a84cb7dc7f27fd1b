export { serviceAssets } from './assets';
export * from './gateway';
export { escapeHtml, govukPage, type LocalHandler } from './http-util';
export { type CompiledRoute, compileRoutes, matchRoute } from './routes';
export { contentTypeOf, type StaticOptions, serveStatic } from './static';

/**
 * `@fdl/channel-gate/png`: the PNG heat map renderer. It lives in its own entry because it uses pngjs (a
 * Node library), so the package root stays free of Node-only dependencies for browser bundles.
 */
export { renderGateHeatmapPng } from './heatmap-png.js';

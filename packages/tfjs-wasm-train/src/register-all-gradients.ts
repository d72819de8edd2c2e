import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core's Node entry (a CommonJS bundle) registers no gradients, and its ESM
 * `dist/register_all_gradients.js` imports its siblings without file extensions, which Node's ESM
 * resolver rejects. Under Node a resolve hook scoped to tfjs-core's dist folder adds the `.js`; tfjs keeps
 * its gradient registry process-global, so the ESM gradient functions serve the CommonJS engine. Bundlers
 * (browsers) resolve the deep import as it is.
 */
const RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.includes('/@tensorflow/tfjs-core/dist/') &&
      specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    try { return await next(specifier + '.js', context); } catch {}
  }
  return next(specifier, context);
}`;

/**
 * Registers every tfjs-core gradient (needed by `tf.grad`, `tf.variableGrads`, `optimizer.minimize`) once;
 * idempotent, and a no-op when the gradients are already there (e.g. under a bundler or after
 * `@tensorflow/tfjs` was imported). Returns true when it had to register them.
 */
export async function registerAllGradients(): Promise<boolean> {
  if (tf.getGradient('Conv2D') !== undefined) return false;
  if (typeof process !== 'undefined' && process.versions?.node !== undefined) {
    const nodeModule: string = 'node:module';
    const { register } = (await import(nodeModule)) as typeof import('node:module');
    register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
  }
  const specifier: string = '@tensorflow/tfjs-core/dist/register_all_gradients.js';
  await import(specifier);
  return true;
}

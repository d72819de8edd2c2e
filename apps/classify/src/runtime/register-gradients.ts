import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/**
 * tfjs-core's Node entry (a CommonJS bundle) registers no gradients, and its ESM
 * `dist/register_all_gradients.js` uses extensionless relative imports that Node's ESM resolver rejects.
 * A resolve hook scoped to tfjs-core's dist folder adds the `.js`; tfjs keeps its engine and gradient
 * registry process-global, so the ESM gradient functions serve the CommonJS engine.
 */
const RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.includes('/@tensorflow/tfjs-core/dist/') &&
      specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    try { return await next(specifier + '.js', context); } catch {}
  }
  return next(specifier, context);
}`;

let registered = false;

/** Registers every tfjs-core gradient once (needed by `tf.variableGrads`); idempotent. */
export async function registerAllGradients(): Promise<void> {
  if (registered || tf.getGradient('Conv2D') !== undefined) {
    registered = true;
    return;
  }
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
  const specifier: string = '@tensorflow/tfjs-core/dist/register_all_gradients.js';
  await import(specifier);
  registered = true;
}

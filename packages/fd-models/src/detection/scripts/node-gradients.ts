import { register } from 'node:module';
import * as tf from '@tensorflow/tfjs-core';

/**
 * Registers tfjs-core's gradients for scripts run directly by Node (tests get them through vitest's
 * resolver). tfjs-core's ESM `register_all_gradients.js` imports its siblings without extensions, which
 * Node's ESM resolver rejects, so a resolve hook scoped to tfjs-core's dist folder appends `.js`.
 */
const RESOLVE_HOOK = `
export async function resolve(specifier, context, next) {
  if (context.parentURL && context.parentURL.includes('/@tensorflow/tfjs-core/dist/') &&
      specifier.startsWith('.') && !/\\.[cm]?js$/.test(specifier)) {
    try { return await next(specifier + '.js', context); } catch {}
  }
  return next(specifier, context);
}`;

export async function registerGradientsForNode(): Promise<void> {
  if (tf.getGradient('Conv2D') !== undefined) return;
  register(`data:text/javascript,${encodeURIComponent(RESOLVE_HOOK)}`);
  const specifier: string = '@tensorflow/tfjs-core/dist/register_all_gradients.js';
  await import(specifier);
}

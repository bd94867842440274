// The products underwriting sells, by code. A product module registers itself when it is imported
// (index.ts imports the shipped ones); workers, the workflow bundle and the API each import the same
// modules, so they agree on what a code means. Registration happens at import, before any workflow runs,
// and never after: what a workflow reads here is as deterministic as any other code in its bundle.
import type { UnderwritingProduct } from './product.ts';

const products = new Map<string, UnderwritingProduct>();

export function registerProduct(product: UnderwritingProduct): UnderwritingProduct {
  const known = products.get(product.code);
  if (known && known !== product) throw new Error(`Two products are registered as ${product.code}`);
  products.set(product.code, product);
  return product;
}

export function findProduct(code: string): UnderwritingProduct | undefined {
  return products.get(code);
}

/** The product of a code a running application already holds: an unknown one is a deployment error. */
export function productOf(code: string): UnderwritingProduct {
  const product = products.get(code);
  if (!product) throw new Error(`No product ${code} is registered in this build (known: ${[...products.keys()].join(', ')})`);
  return product;
}

export function registeredProducts(): readonly UnderwritingProduct[] {
  return [...products.values()];
}

// The products this build sells, registered on import; an application that names no product is for the
// first one sold (motorcycle), as every application was before there were two.
import { motorcycleProduct } from './motorcycle/product.ts';
import { registerProduct } from './registry.ts';

registerProduct(motorcycleProduct);

export const defaultProductCode = motorcycleProduct.code;
export { findProduct, productOf, registeredProducts, registerProduct } from './registry.ts';
export type { ApplicationFacts, ApplicationRisk, RatedRisk, UnderwritingProduct } from './product.ts';

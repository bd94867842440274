// The workflow bundle of a build that also sells the test product: the product registers itself on import,
// and the workflows are the production ones, unchanged.
import './home-contents/product.ts';

export * from '../../workflows/index.ts';

/* geom_internal.h — geometry kernel internals shared with the unit tests. */
#ifndef TL_GEOM_INTERNAL_H
#define TL_GEOM_INTERNAL_H

#include "textloc.h"

/* tl_poly_self_intersects with the method forced: 0 automatic (pruned pairwise
 * test, then the Shamos-Hoey sweep when the pairs pile up), 1 pruned pairwise
 * test only (no work limit), 2 sweep only. */
int tl_poly_self_intersects_method(const tl_point *p, size_t n, int method);

#endif
